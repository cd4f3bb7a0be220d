"""Undo and redo through the store: every kind of change, both ways, and conflicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planterm.config import Settings
from planterm.history import Change, History, HistoryError, describe
from planterm.model import Post, Status
from planterm.store import Store

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
