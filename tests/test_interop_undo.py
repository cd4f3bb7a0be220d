"""An import is one step of the history: undo takes back every post it added or updated
and the objectives it created, redo brings them again; another process's later write
refuses the undo in words and nothing changes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from interop_support import NOW, demo
from planterm.config import Settings
from planterm.history import History, HistoryError
from planterm.interop.common import bring_in
from planterm.interop.table import read_csv
from planterm.model import Event
from planterm.store import ChangedElsewhere, Store


def sheet(uid: str) -> bytes:
    """Two new posts (one with a new objective) and an update of the post ``uid``."""
    return ("uid;titre;date;objectifs\n"
            ";Nouveau A;2026-12-03T19:00;\n"
            ";Nouveau B;2026-12-04T10:00;Fidéliser les membres\n"
            f"{uid};Titre changé;2026-12-05T09:00;\n").encode()


def test_undo_takes_the_whole_import_back_and_redo_brings_it_again(tmp_path: Path) -> None:
    store = Store(demo(tmp_path))
    history = History(store, Settings())
    old = store.posts()[0]
    before = {p.uid: p for p in store.posts()}
    objectives = store.objectives()
    incoming = read_csv(sheet(old.uid), "s.csv", store, Settings(), NOW)
    done = history.bring_in(incoming, "imported s.csv")
    assert done.message == "imported s.csv" and done.structure
    after = {p.uid: p for p in store.posts()}
    assert len(after) == len(before) + 2 and after[old.uid].title == "Titre changé"
    assert len(store.objectives()) == len(objectives) + 1

    undone = history.undo()
    assert undone is not None and undone.message == "undid: imported s.csv"
    assert {p.uid: p for p in store.posts()} == before
    assert store.objectives() == objectives

    history.redo()
    assert {p.uid: p for p in store.posts()} == after


def test_an_undo_after_another_process_changed_a_post_is_refused(tmp_path: Path) -> None:
    path = demo(tmp_path)
    store = Store(path)
    history = History(store, Settings())
    history.bring_in(read_csv(sheet(store.posts()[0].uid), "s.csv", store, Settings(), NOW),
                     "imported s.csv")
    added = next(p for p in store.posts() if p.title == "Nouveau A")
    other = Store(path)  # a second session
    other.replace_post(added, replace(added, title="Repris ailleurs"))
    held = {p.uid: p for p in other.posts()}
    store.refresh()
    with pytest.raises(HistoryError, match=r"cannot undo the import: post \d+ was changed "
                                           "elsewhere"):
        history.undo()
    assert {p.uid: p for p in store.posts()} == held  # nothing taken back, nothing lost
    assert not history.can_undo


def test_an_import_read_against_an_older_store_is_refused(tmp_path: Path) -> None:
    """The planner reads the file in a thread: a post it updates, changed meanwhile, is not
    overwritten."""
    store = Store(demo(tmp_path))
    post = store.posts()[0]
    incoming = read_csv(sheet(post.uid), "s.csv", store, Settings(), NOW)
    store.replace_post(post, replace(post, notes="written meanwhile"))
    count = store.post_count()
    with pytest.raises(ChangedElsewhere, match="was changed elsewhere"):
        bring_in(store, incoming, "imported s.csv")
    assert store.post_count() == count
    assert store.get_post(post.id or 0) == replace(post, notes="written meanwhile")


def test_an_events_import_is_undone_too(tmp_path: Path) -> None:
    from planterm.interop.ics import export_ics, read_ics

    source = Store(demo(tmp_path / "a"))
    events = source.events()
    data = export_ics(events, [], Settings(), {}).data
    store = Store(tmp_path / "b" / "plan.json")
    history = History(store, Settings())
    history.bring_in(read_ics(data, "a.ics", store, Settings()), "imported a.ics")
    assert len(store.events()) == len(events)
    history.undo()
    assert store.events() == []
    history.redo()
    assert all(isinstance(e, Event) for e in store.events()) and len(store.events()) == len(events)
