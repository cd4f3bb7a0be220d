"""The typed store: CRUD, queries, refusal of foreign files, migration, backups, demo."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tinydb import TinyDB

from planterm import backups
from planterm.dates import period_bounds
from planterm.demo import write_demo
from planterm.model import Category, Event, ModelError, Post, Status
from planterm.storage import StoreError
from planterm.store import SCHEMA, PostQuery, Store

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "plan.json")
    s.add_objective(Category(key="visites", name="Faire venir"))
    s.add_theme(Category(key="prehistoire", name="Préhistoire"))
    return s


def test_new_store_is_private_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "new" / "plan.json"
    Store(path).compact()  # a new store is written by its first write
    assert os.stat(path.parent).st_mode & 0o777 == 0o700
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert json.loads(path.read_text())["meta"]["1"] == {
        "app": "planterm", "schema": SCHEMA, "next_ids": {"posts": 1, "events": 1}}


def test_crud_round_trip(store: Store) -> None:
    post = store.add_post(Post(title="Teaser", channels=["instagram"], scheduled=T0,
                               objectives=["visites"], themes=["prehistoire"]))
    assert post.id == 1
    assert store.get_post(1) == post
    changed = store.update_post(replace(post, title="Teaser 2"))
    assert store.get_post(1) == changed and changed.title == "Teaser 2"
    assert store.replace_post(changed, None) is None
    assert store.get_post(1) is None
    store.replace_post(None, changed)  # undo of a delete keeps the id and the uid
    assert store.get_post(1) == changed and changed.uid == post.uid


@pytest.mark.parametrize(
    ("post", "field"),
    [
        (Post(title="x", channels=["myspace"]), "channels"),
        (Post(title="x", objectives=["nope"]), "objectives"),
        (Post(title="x", themes=["nope"]), "themes"),
        (Post(title="x", event=99), "event"),
        (Post(title=" "), "title"),
    ],
)
def test_dangling_references_are_refused(store: Store, post: Post, field: str) -> None:
    with pytest.raises(ModelError) as err:
        store.add_post(post)
    assert err.value.field == field
    assert store.posts() == []


def test_queries(store: Store) -> None:
    event = store.add_event(Event(title="Vernissage", start=T0))
    store.add_posts([
        Post(title="a musée", channels=["instagram"], scheduled=T0, status=Status.DRAFT),
        Post(title="b", channels=["x"], scheduled=T0 + timedelta(days=7), themes=["prehistoire"]),
        Post(title="c", event=event.id, objectives=["visites"], body="le Musée ouvre"),
    ])
    titles = lambda q: [p.title for p in store.posts(q)]  # noqa: E731
    assert titles(PostQuery(start=T0, end=T0 + timedelta(days=1))) == ["a musée"]
    assert titles(PostQuery(statuses=frozenset({Status.DRAFT}))) == ["a musée"]
    assert titles(PostQuery(channels=frozenset({"x"}))) == ["b"]
    assert titles(PostQuery(themes=frozenset({"prehistoire"}))) == ["b"]
    assert titles(PostQuery(objectives=frozenset({"visites"}))) == ["c"]
    assert titles(PostQuery(events=frozenset({event.id or 0}))) == ["c"]
    assert titles(PostQuery(words=("musée",))) == ["a musée", "c"]
    assert titles(None) == ["a musée", "b", "c"]  # unscheduled last


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"users": {"1": {"name": "x"}}}', "not a planterm store"),
        ('{"meta": {"1": {"app": "other", "schema": 1}}}', "not a planterm store"),
        ('{"meta": {"1": {"app": "planterm", "schema": 99}}}', "newer planterm"),
        ("{broken", "not valid JSON"),
    ],
)
def test_foreign_corrupt_or_newer_files_are_refused_untouched(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content)
    with pytest.raises(StoreError, match=message):
        Store(path)
    assert path.read_text() == content
    assert not backups.listing(path)


def test_plain_tinydb_store_is_adopted_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    with TinyDB(path) as db:
        db.table("posts").insert({"title": "écrit par TinyDB", "status": "draft"})
    store = Store(path)
    assert store.report.migrated_from == 0
    assert store.report.backup is not None and store.report.backup.exists()
    assert os.stat(store.report.backup).st_mode & 0o777 == 0o600
    assert json.loads(store.report.backup.read_text())["posts"]["1"]["title"] == "écrit par TinyDB"
    assert [p.title for p in store.posts()] == ["écrit par TinyDB"]
    assert json.loads(path.read_text())["meta"]["1"]["schema"] == SCHEMA


def test_backups_keep_the_last_n(tmp_path: Path) -> None:
    store = Store(tmp_path / "plan.json", keep_backups=3)
    for _ in range(5):
        store.backup("import")
    assert len(backups.listing(store.path)) == 3
    assert store.daily_backup() is None  # already one today
    assert all(os.stat(p).st_mode & 0o777 == 0o600 for p in backups.listing(store.path))


def test_check_reports_problems_without_changing_anything(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    store = Store(path)
    ghost = store.add_post(Post(title="x"))
    store.add_post(Post(title="y"))
    store.close()
    data = json.loads(path.read_text())
    data["posts"]["1"].update(themes=["ghost"], event=4)
    data["posts"]["2"]["scheduled"] = "tomorrow"
    data["posts"]["3"] = {**data["posts"]["1"], "title": "copy"}
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    problems = [str(p) for p in Store(path, readonly=True, lenient=True).check()]
    assert problems == ["posts 2: field scheduled: 'tomorrow' is not an ISO 8601 time",
                        f"post 3: uid: {ghost.uid} is post 1's too",
                        "post 1: themes: unknown theme 'ghost'",
                        "post 1: event: no event with id 4",
                        "post 3: themes: unknown theme 'ghost'",
                        "post 3: event: no event with id 4"]
    assert path.read_bytes() == before


def test_check_finds_shared_uids_and_references_when_every_document_fits(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    store = Store(path)
    first = store.add_post(Post(title="x"))
    store.add_post(Post(title="y"))
    store.close()
    data = json.loads(path.read_text())
    data["posts"]["2"].update(uid=first.uid, themes=["ghost"])
    path.write_text(json.dumps(data))
    assert [str(p) for p in Store(path, readonly=True, lenient=True).check()] == [
        f"post 2: uid: {first.uid} is post 1's too", "post 2: themes: unknown theme 'ghost'"]


def test_demo_current_week_is_full_whatever_the_day(tmp_path: Path) -> None:
    for today in (date(2026, 11, 25), date(2027, 3, 29), date(2027, 7, 14)):
        path = write_demo(tmp_path / f"demo-{today}.json", today, PARIS)
        store = Store(path)
        start, end = period_bounds("week", today, PARIS)
        week = store.posts(PostQuery(start=start, end=end))
        assert len(week) >= 30, today
        assert {p.status for p in week} >= {Status.PUBLISHED, Status.DRAFT, Status.IDEA}
        # wall-clock hours survive the shift across DST: the opening stays at 18:30 Paris
        opening = next(e for e in store.events() if e.kind == "opening" and start <= e.start < end)
        assert opening.start.astimezone(PARIS).strftime("%H:%M") == "18:30"
        assert store.check() == []


def test_a_new_store_is_created_by_its_first_write_not_by_opening(tmp_path: Path) -> None:
    path = tmp_path / "new" / "plan.json"
    store = Store(path)
    assert store.post_count() == 0
    store.close()
    assert not (tmp_path / "new").exists()
    Store(path).add_post(Post(title="premier"))
    assert json.loads(path.read_text())["meta"]["1"]["schema"] == SCHEMA
