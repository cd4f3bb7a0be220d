"""Writes as compare-and-set under one lock; ids never given twice; stable uids."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest

from planterm.cli import post_json
from planterm.config import Settings
from planterm.model import Category, Event, ModelError, Post, Status
from planterm.storage import Tables, decode_records
from planterm.store import ChangedElsewhere, Store
from planterm.triage import duplicate

FRI = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "plan.json"


def racing(store: Store, write_elsewhere: Callable[[], object],
           monkeypatch: pytest.MonkeyPatch) -> None:
    """Make another process write just before ``store`` takes the lock for its next write."""
    real = store.storage.transaction
    pending = [write_elsewhere]

    @contextlib.contextmanager
    def transaction() -> Iterator[Tables]:
        while pending:
            pending.pop()()
        with real() as tables:
            yield tables

    monkeypatch.setattr(store.storage, "transaction", transaction)


def test_a_write_between_the_check_and_the_write_is_not_overwritten(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = Store(path)
    post = mine.add_post(Post(title="Teaser"))
    theirs = Store(path)
    racing(mine, lambda: theirs.update_post(replace(post, title="Their title")), monkeypatch)
    with pytest.raises(ChangedElsewhere, match=r"^post 1 was changed elsewhere \(title[,)]"):
        mine.replace_post(post, replace(post, status=Status.DRAFT))
    assert Store(path).get_post(1).title == "Their title"  # type: ignore[union-attr]
    assert mine.get_post(1).title == "Their title"  # type: ignore[union-attr]


def test_replace_says_what_happened_to_the_post(path: Path) -> None:
    mine = Store(path)
    post = mine.add_post(Post(title="Teaser"))
    theirs = Store(path)
    theirs.replace_post(post, None)
    with pytest.raises(ChangedElsewhere, match=r"^post 1 was deleted elsewhere") as err:
        mine.replace_post(post, replace(post, title="x"))
    assert "\n" not in str(err.value) and "nothing was written" in str(err.value)
    theirs.replace_post(None, post)
    with pytest.raises(ChangedElsewhere, match=r"^post 1 exists again"):
        mine.replace_post(None, post)  # an undo of the delete, done there already
    assert mine.replace_post(post, None) is None
    assert mine.get_post(1) is None


def test_update_post_is_one_record_and_keeps_the_uid(path: Path) -> None:
    store = Store(path)
    post = store.add_post(Post(title="Teaser"))
    journal = Path(str(path) + ".journal")
    size = journal.stat().st_size
    changed = store.update_post(replace(post, title="Teaser 2", uid=""))
    assert changed.uid == post.uid and changed.updated >= post.updated
    records, _, _ = decode_records(journal.read_bytes()[size:], base=size)
    assert [set(r["c"]) for r in records] == [{"posts"}]
    with pytest.raises(KeyError):
        store.update_post(replace(post, id=9))


def test_an_added_post_and_its_high_water_mark_are_one_record(path: Path) -> None:
    store = Store(path)
    store.add_post(Post(title="a"))
    journal = Path(str(path) + ".journal")
    size = journal.stat().st_size
    store.add_post(Post(title="b"))
    records, _, _ = decode_records(journal.read_bytes()[size:], base=size)
    assert [set(r["c"]) for r in records] == [{"posts", "meta"}]
    assert records[0]["c"]["meta"]["s"]["1"]["next_ids"] == {"posts": 3, "events": 1}


def test_ids_are_never_given_twice_even_after_another_process_compacts(path: Path) -> None:
    mine = Store(path)
    posts = [mine.add_post(Post(title=t)) for t in ("a", "b", "c")]
    event = mine.add_event(Event(title="e", start=FRI))
    mine.replace_post(posts[-1], None)
    mine.replace_event(event, None)
    theirs = Store(path)
    theirs.compact()
    assert theirs.add_post(Post(title="d")).id == 4
    assert mine.add_post(Post(title="e")).id == 5
    assert theirs.add_event(Event(title="f", start=FRI)).id == 2
    again = Store(path)
    again.close()
    assert Store(path).add_post(Post(title="g")).id == 6


def test_uids_are_given_once_and_kept(path: Path) -> None:
    store = Store(path)
    post = store.add_post(Post(title="Teaser", uid="chosen by the caller"))
    assert UUID(post.uid).version == 4
    edited = store.update_post(replace(post, title="Teaser 2"))
    copy = store.add_post(duplicate(edited))
    assert edited.uid == post.uid and copy.uid not in ("", post.uid)
    store.replace_post(edited, None)
    back = store.replace_post(None, edited)
    assert back is not None and back.uid == post.uid
    assert post_json(back, Settings())["uid"] == post.uid  # planterm list --json shows it
    event = store.add_event(Event(title="Vernissage", start=FRI))
    moved = store.replace_event(event, replace(event, title="Vernissage !", uid="other"))
    assert moved is not None and moved.uid == event.uid and UUID(event.uid).version == 4


def test_events_are_compared_and_set(path: Path) -> None:
    mine = Store(path)
    event = mine.add_event(Event(title="Vernissage", start=FRI))
    theirs = Store(path)
    theirs.replace_event(event, replace(event, place="Hall"))
    with pytest.raises(ChangedElsewhere, match=r"^event 1 was changed elsewhere \(place[,)]"):
        mine.replace_event(event, replace(event, title="x"))
    assert mine.get_event(1).place == "Hall"  # type: ignore[union-attr]


def test_objectives_and_themes_are_compared_and_set(path: Path) -> None:
    mine = Store(path)
    mine.add_objective(Category(key="visites", name="Faire venir"))
    mine.add_theme(Category(key="prehistoire", name="Préhistoire"))
    theirs = Store(path)
    (objective,), (theme,) = mine.objectives(), mine.themes()
    theirs.update_objective(objective, replace(objective, name="Faire venir au musée"))
    with pytest.raises(ChangedElsewhere, match=r"^objective 'visites' was changed elsewhere"):
        mine.update_objective(objective, replace(objective, colour="#123456"))
    mine.update_theme(theme, replace(theme, archived=True))
    theirs.refresh()
    assert [t.archived for t in theirs.themes()] == [True]
    assert [o.name for o in mine.objectives()] == ["Faire venir au musée"]


def test_a_write_that_would_make_a_bad_document_is_refused(path: Path) -> None:
    store = Store(path)
    with pytest.raises(ModelError, match="key"):
        store.add_theme(Category(key="Bad Key", name="x"))
    with pytest.raises(ModelError, match="title"):
        store.add_event(Event(title="", start=FRI))
    store.close()
    assert Store(path).themes() == [] and Store(path).events() == []
