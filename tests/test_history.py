"""Undo and redo through the store: every kind of change, both ways, and conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planterm.config import Settings
from planterm.history import Change, History, HistoryError, describe
from planterm.model import Category, ModelError, Post, Status
from planterm.store import CategoryInUse, Store

SETTINGS = Settings(timezone="Europe/Paris", locale="en")
FRI = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "plan.json")


@pytest.fixture
def history(store: Store) -> History:
    return History(store, SETTINGS)


def test_add_undo_redo_keeps_the_id(store: Store, history: History) -> None:
    done = history.apply(None, Post(title="Teaser", scheduled=FRI))
    assert done.post is not None and done.post.id is not None
    assert done.message == "added 'Teaser'"
    undone = history.undo()
    assert undone is not None and undone.message == "undid: added 'Teaser'"
    assert undone.post is None and undone.gone == done.post
    assert store.posts() == []
    redone = history.redo()
    assert redone is not None and redone.post == done.post
    assert store.get_post(done.post.id) == done.post


def test_delete_undo_brings_it_back_with_its_id_and_redo_deletes_again(
    store: Store, history: History
) -> None:
    post = store.add_post(Post(title="Recap", scheduled=FRI, channels=["instagram"]))
    other = store.add_post(Post(title="Other"))
    deleted = history.apply(post, None)
    assert deleted.message == "deleted 'Recap'" and deleted.gone == post
    assert store.get_post(post.id or 0) is None
    history.undo()
    assert store.get_post(post.id or 0) == post
    history.redo()
    assert store.get_post(post.id or 0) is None
    assert store.get_post(other.id or 0) == other


def test_update_undo_restores_exactly_what_was_stored(store: Store, history: History) -> None:
    post = store.add_post(Post(title="Teaser", scheduled=FRI))
    moved = replace(post, scheduled=datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    done = history.apply(post, moved)
    assert done.message == "moved 'Teaser' to Sat 28/11 10:00"
    history.undo()
    assert store.get_post(post.id or 0) == post
    history.redo()
    assert store.get_post(post.id or 0) == done.post


def test_a_new_change_forgets_what_was_undone(store: Store, history: History) -> None:
    post = store.add_post(Post(title="Teaser"))
    history.apply(post, replace(post, title="Teaser 2"))
    history.undo()
    assert history.can_redo
    history.apply(post, replace(post, title="Teaser 3"))
    assert not history.can_redo and history.redo() is None


def test_nothing_to_undo_or_redo(history: History) -> None:
    assert not history.can_undo and history.undo() is None
    assert history.redo() is None


def test_undo_refuses_to_overwrite_another_process(store: Store, tmp_path: Path,
                                                    history: History) -> None:
    post = store.add_post(Post(title="Teaser"))
    history.apply(post, replace(post, status=Status.DRAFT))
    other = Store(tmp_path / "plan.json")  # a second planner on the same file
    theirs = other.get_post(post.id or 0)
    assert theirs is not None
    other.update_post(replace(theirs, title="Their title"))
    store.refresh()
    with pytest.raises(HistoryError, match="changed elsewhere"):
        history.undo()
    assert store.get_post(post.id or 0).title == "Their title"  # type: ignore[union-attr]
    assert not history.can_undo  # the stale change is dropped, not retried forever


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        (Post(title="A", status=Status.DRAFT), Post(title="A", status=Status.REVIEW),
         "'A' ✎ draft → ? review"),
        (Post(title="A", scheduled=FRI), Post(title="A"), "unscheduled 'A'"),
        (Post(title="A"), Post(title="B"), "edited 'B'"),
        (Post(title="x" * 60), None, "deleted '" + "x" * 39 + "…'"),
    ],
)
def test_describe(before: Post, after: Post | None, words: str) -> None:
    assert describe(Change(before, after), SETTINGS) == words


def test_a_change_to_a_post_changed_elsewhere_is_refused(store: Store, tmp_path: Path,
                                                          history: History) -> None:
    post = store.add_post(Post(title="Teaser"))
    other = Store(tmp_path / "plan.json")
    other.update_post(replace(post, title="Their title"))
    store.refresh()
    with pytest.raises(HistoryError, match="cannot save: 'Teaser' was changed elsewhere"):
        history.apply(post, replace(post, status=Status.DRAFT))
    with pytest.raises(HistoryError):
        history.apply(post, None)
    assert store.get_post(post.id or 0).title == "Their title"  # type: ignore[union-attr]
    assert not history.can_undo


def test_an_undo_refused_because_the_post_was_deleted_elsewhere_says_so(
    store: Store, tmp_path: Path, history: History
) -> None:
    post = store.add_post(Post(title="Teaser"))
    history.apply(post, replace(post, status=Status.DRAFT))
    other = Store(tmp_path / "plan.json")
    other.replace_post(other.get_post(post.id or 0), None)
    with pytest.raises(HistoryError, match=r"^cannot undo: 'Teaser' was deleted elsewhere, by "
                                           r"another planterm or a script; left as it is$"):
        history.undo()
    assert store.get_post(post.id or 0) is None


def test_undo_of_a_delete_survives_another_process_adding_after_a_compaction(
    store: Store, tmp_path: Path, history: History
) -> None:
    store.add_post(Post(title="First"))
    last = store.add_post(Post(title="Last"))
    history.apply(last, None)
    other = Store(tmp_path / "plan.json")
    other.compact()
    added = other.add_post(Post(title="Theirs"))
    assert added.id != last.id
    undone = history.undo()
    assert undone is not None and undone.post == last
    assert store.get_post(last.id or 0) == last and store.get_post(added.id or 0) == added


# --- objectives and themes -------------------------------------------------------


@pytest.fixture
def themed(store: Store) -> Store:
    """Two themes, one post on the first, one on both."""
    store.add_theme(Category("expo", "Exposition"))
    store.add_theme(Category("expositions", "Expositions"))
    store.add_post(Post(title="Only expo", themes=["expo"]))
    store.add_post(Post(title="Both", themes=["expo", "expositions"]))
    return store


def test_add_undo_deletes_redo_adds_again(store: Store, history: History) -> None:
    cat = Category("visites", "Faire venir", target_share=25.0)
    done = history.apply_category("objectives", None, cat)
    assert done.message == "added objective 'visites' (Faire venir)"
    assert done.structure and done.post is None and store.objectives() == [cat]
    undone = history.undo()
    assert undone is not None and undone.message == "undid: added objective 'visites' " \
                                                    "(Faire venir)"
    assert store.objectives() == []
    history.redo()
    assert store.objectives() == [cat]


def test_edit_and_archive_undo_restore_exactly_what_was_stored(store: Store,
                                                               history: History) -> None:
    cat = store.add_theme(Category("expo", "Exposition", target_per_month=4))
    renamed = replace(cat, name="Expositions", target_per_month=None, target_share=10.0)
    assert history.apply_category("themes", cat, renamed).message == \
        "edited theme 'expo' (name, target_share, target_per_month)"
    archived = replace(renamed, archived=True)
    assert history.apply_category("themes", renamed, archived).message == \
        "archived theme 'expo'"
    assert store.themes() == [archived]
    assert history.undo() is not None and store.themes() == [renamed]
    assert history.undo() is not None and store.themes() == [cat]
    redone = history.redo()
    assert redone is not None and redone.message == "redid: edited theme 'expo' " \
                                                    "(name, target_share, target_per_month)"
    assert store.themes() == [renamed]


def test_delete_undo_adds_it_back_with_its_key(store: Store, history: History) -> None:
    cat = store.add_theme(Category("essai", "Essai", description="à jeter"))
    assert history.apply_category("themes", cat, None).message == "deleted theme 'essai'"
    assert store.themes() == []
    history.undo()
    assert store.themes() == [cat]
    history.redo()
    assert store.themes() == []


def test_a_new_change_refused_by_the_store_is_not_remembered(themed: Store,
                                                             history: History) -> None:
    expo = themed.category("themes", "expo")
    with pytest.raises(CategoryInUse, match="used by 2 posts"):
        history.apply_category("themes", expo, None)
    with pytest.raises(ModelError, match="exists already"):
        history.apply_category("themes", None, Category("expo", "Autre"))
    assert not history.can_undo and len(themed.themes()) == 2


def test_merge_undo_puts_every_post_back_on_its_theme_and_redo_merges_again(
        themed: Store, history: History) -> None:
    before = {p.id: p for p in themed.posts()}
    done = history.merge("themes", "expo", "expositions")
    assert done.message == "merged theme 'expo' into 'expositions' (2 posts moved)"
    assert done.structure and themed.category("themes", "expo") is None
    assert {tuple(p.themes) for p in themed.posts()} == {("expositions",)}
    undone = history.undo()
    assert undone is not None and undone.message.startswith("undid: merged theme 'expo'")
    assert {p.id: p for p in themed.posts()} == before  # tags and timestamps as they were
    assert [c.key for c in themed.themes()] == ["expositions", "expo"]
    history.redo()
    assert themed.category("themes", "expo") is None
    assert {tuple(p.themes) for p in themed.posts()} == {("expositions",)}
    history.undo()  # the redone merge is undone in turn
    assert {p.id: p for p in themed.posts()} == before


def test_undo_of_an_edit_refuses_to_overwrite_another_process(
        store: Store, tmp_path: Path, history: History) -> None:
    cat = store.add_theme(Category("expo", "Exposition"))
    mine = replace(cat, name="Mine")
    history.apply_category("themes", cat, mine)
    other = Store(tmp_path / "plan.json")  # a second planner on the same file
    other.update_theme(mine, replace(mine, name="Theirs"))
    store.refresh()
    with pytest.raises(HistoryError, match=r"^cannot undo: theme 'expo' was changed "
                                           r"elsewhere .*left as it is$"):
        history.undo()
    assert store.themes()[0].name == "Theirs"
    assert not history.can_undo and not history.can_redo  # dropped, not retried forever


def test_undo_of_a_merge_refuses_when_a_moved_post_changed_elsewhere(
        themed: Store, tmp_path: Path, history: History) -> None:
    history.merge("themes", "expo", "expositions")
    other = Store(tmp_path / "plan.json")
    theirs = other.posts()[0]
    other.update_post(replace(theirs, title="Retitled elsewhere"))
    themed.refresh()
    with pytest.raises(HistoryError, match=r"cannot undo the merge: post .* changed elsewhere"):
        history.undo()
    assert themed.category("themes", "expo") is None  # nothing written
    assert not history.can_undo


def test_undo_of_a_delete_refuses_when_the_key_was_taken_again(
        store: Store, tmp_path: Path, history: History) -> None:
    cat = store.add_theme(Category("essai", "Essai"))
    history.apply_category("themes", cat, None)
    Store(tmp_path / "plan.json").add_theme(Category("essai", "Leur essai"))
    store.refresh()
    with pytest.raises(HistoryError, match=r"cannot undo: .*'essai' exists already"):
        history.undo()
    assert store.themes()[0].name == "Leur essai"
