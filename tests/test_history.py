"""Undo and redo through the store: every kind of change, both ways, and conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from planterm.config import Settings
from planterm.coverage import plan
from planterm.history import Change, History, HistoryError, describe
from planterm.model import Category, Event, EventKind, ModelError, Post, Status
from planterm.store import CategoryInUse, Store
from planterm.templates import load_templates

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


# --- events and coverage: each change one step, however many posts it holds ----------


NOV = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
"""'now' for the event tests: the opening below is two weeks ahead."""
OPENING = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)  # 18:30 in Paris


def _opening(store: Store) -> Event:
    return store.add_event(Event(title="Vernissage", start=OPENING,
                                 end=OPENING + timedelta(hours=3), kind=EventKind.OPENING,
                                 hashtag="#Expo", channels=["instagram"]))


def _coverage(store: Store, history: History, event: Event) -> list[Post]:
    template = load_templates().for_event(event.template, event.kind)
    planned = plan(event, [event.start], template, store.posts(), NOV, SETTINGS)
    done = history.create_coverage(event, planned)
    assert done.structure and done.message.startswith("made ")
    return [p for p in store.posts() if p.event == event.id]


def test_generated_coverage_is_one_step_to_undo_and_to_redo(store: Store,
                                                             history: History) -> None:
    event = _opening(store)
    made = _coverage(store, history, event)
    assert len(made) == 5  # the opening template's six slots, D-14 already past
    undone = history.undo()
    assert undone is not None and undone.message.startswith("undid: made 5 draft posts")
    assert store.posts() == [] and not history.can_undo
    history.redo()
    assert store.posts() == made  # back under their own ids and uids


def test_generating_nothing_is_not_remembered(store: Store, history: History) -> None:
    event = _opening(store)
    _coverage(store, history, event)
    template = load_templates().for_event("", event.kind)
    again = history.create_coverage(event, plan(event, [event.start], template,
                                                store.posts(), NOV, SETTINGS))
    assert again.message.startswith("nothing to make")
    history.undo()
    assert store.posts() == []  # the one undo took the drafts, not an empty step


def test_moving_an_event_with_its_posts_undoes_in_one_step(store: Store,
                                                           history: History) -> None:
    event = _opening(store)
    made = _coverage(store, history, event)
    later = replace(event, start=event.start + timedelta(days=7),
                    end=(event.end or event.start) + timedelta(days=7))
    done = history.edit_event(event, later, move_posts=True, now=NOV)
    assert done.message == ("moved event 1 'Vernissage' to Thu 10/12 18:30 with 5 posts")
    moved = [p for p in store.posts() if p.event == event.id]
    assert [p.scheduled for p in moved] == [
        (p.scheduled or NOV) + timedelta(days=7) for p in made]
    history.undo()
    assert store.get_event(event.id or 0) == event
    assert store.posts() == made
    history.redo()
    assert store.get_event(event.id or 0) == later


def test_a_bad_event_change_is_refused_naming_the_field_and_not_remembered(
        store: Store, history: History) -> None:
    event = _opening(store)
    with pytest.raises(ModelError, match="end"):
        history.edit_event(event, replace(event, end=event.start - timedelta(hours=1)),
                           move_posts=False, now=NOV)
    assert not history.can_undo and store.get_event(event.id or 0) == event


def test_cancel_and_add_event_undo_and_redo(store: Store, history: History) -> None:
    event = _opening(store)
    made = _coverage(store, history, event)
    done = history.cancel_event(event, NOV)
    assert done.message == "cancelled event 1 'Vernissage' and 5 posts"
    assert all(p.status is Status.CANCELLED for p in store.posts())
    history.undo()
    assert store.get_event(event.id or 0) == event and store.posts() == made
    added = history.add_event(Event(title="Atelier", start=OPENING, kind=EventKind.WORKSHOP))
    assert added.message == "added event 2 'Atelier' (Thu 03/12 18:30)"
    stored = store.get_event(2)
    assert stored is not None and stored.uid
    history.undo()
    assert store.get_event(2) is None
    history.redo()
    assert store.get_event(2) == stored  # its id and uid kept


def test_undo_of_a_new_event_refuses_once_posts_use_it(store: Store,
                                                       history: History) -> None:
    history.add_event(Event(title="Atelier", start=OPENING))
    store.add_post(Post(title="Teaser", event=1))
    with pytest.raises(HistoryError, match="1 post of event 1 'Atelier'"):
        history.undo()
    assert store.get_event(1) is not None


def test_undo_of_an_event_change_refuses_to_overwrite_another_process(
        store: Store, tmp_path: Path, history: History) -> None:
    event = _opening(store)
    history.edit_event(event, replace(event, place="Hall"), move_posts=False, now=NOV)
    other = Store(tmp_path / "plan.json")
    theirs = other.get_event(event.id or 0)
    assert theirs is not None
    other.replace_event(theirs, replace(theirs, title="Their title"))
    store.refresh()
    with pytest.raises(HistoryError, match="cannot undo: event 1 was changed elsewhere"):
        history.undo()
    assert store.get_event(1).title == "Their title"  # type: ignore[union-attr]
