"""The bundled demo plan (data/demo.json, made by tools/make_demo.py) is complete and coherent."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from tinydb import TinyDB

from planterm.model import FLOW, Account, Category, Event, Post, Status, parse_iso
from planterm.store import SCHEMA

DEMO = Path(__file__).parents[1] / "data" / "demo.json"
PARIS = ZoneInfo("Europe/Paris")
READY = {Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED}


@pytest.fixture(scope="module")
def demo() -> dict[str, dict[str, dict[str, Any]]]:
    with DEMO.open(encoding="utf-8") as f:
        data: dict[str, dict[str, dict[str, Any]]] = json.load(f)
    return data


@pytest.fixture(scope="module")
def posts(demo: dict[str, dict[str, dict[str, Any]]]) -> list[Post]:
    return [Post.from_doc(doc, int(i)) for i, doc in demo["posts"].items()]


def anchor(demo: dict[str, dict[str, dict[str, Any]]]) -> date:
    return date.fromisoformat(demo["meta"]["1"]["demo_anchor"])


def test_meta_anchor_is_a_monday(demo: dict[str, dict[str, dict[str, Any]]]) -> None:
    assert demo["meta"]["1"]["app"] == "planterm"
    assert demo["meta"]["1"]["schema"] == SCHEMA
    assert anchor(demo).weekday() == 0


def test_table_sizes(demo: dict[str, dict[str, dict[str, Any]]]) -> None:
    assert 5 <= len(demo["objectives"]) <= 7
    assert 8 <= len(demo["themes"]) <= 10
    assert len(demo["events"]) >= 30
    assert sum(1 for e in demo["events"].values() if e["rrule"]) >= 2
    assert any(e["exdates"] for e in demo["events"].values())
    assert len(demo["posts"]) >= 300
    assert {a["network"] for a in demo["accounts"].values()} >= {
        "instagram", "facebook", "x", "mastodon", "bluesky", "threads", "linkedin", "youtube",
        "tiktok"}


def test_every_post_and_event_has_its_own_uid_and_ids_are_not_given_twice(
    demo: dict[str, dict[str, dict[str, Any]]]
) -> None:
    uids = [d["uid"] for table in ("posts", "events") for d in demo[table].values()]
    assert len(set(uids)) == len(uids) and all(UUID(u).version == 4 for u in uids)
    assert demo["meta"]["1"]["next_ids"] == {"posts": len(demo["posts"]) + 1,
                                             "events": len(demo["events"]) + 1}


def test_document_ids_are_tinydb_keys(demo: dict[str, dict[str, dict[str, Any]]]) -> None:
    for name, table in demo.items():
        assert list(table) == [str(i) for i in range(1, len(table) + 1)], name


def test_shares_sum_to_100(demo: dict[str, dict[str, dict[str, Any]]]) -> None:
    assert sum(o["target_share"] or 0 for o in demo["objectives"].values()) == pytest.approx(100)


def test_every_status_present(posts: list[Post]) -> None:
    assert {p.status for p in posts} == set(Status)


def test_references_resolve(demo: dict[str, dict[str, dict[str, Any]]],
                            posts: list[Post]) -> None:
    objectives = {o["key"] for o in demo["objectives"].values()}
    themes = {t["key"] for t in demo["themes"].values()}
    networks = {a["network"] for a in demo["accounts"].values()}
    events = {int(i) for i in demo["events"]}
    for p in posts:
        assert len(p.objectives) >= 1 and set(p.objectives) <= objectives, p.id
        assert len(p.themes) >= 1 and set(p.themes) <= themes, p.id
        assert 1 <= len(p.channels) <= 4 and set(p.channels) <= networks, p.id
        assert set(p.variants) <= set(p.channels), p.id
        assert p.event is None or p.event in events, p.id
    for e in demo["events"].values():
        assert set(e["channels"]) <= networks


def test_documents_round_trip(demo: dict[str, dict[str, dict[str, Any]]]) -> None:
    for i, doc in demo["posts"].items():
        assert Post.from_doc(doc, int(i)).to_doc() == doc, i
    for i, doc in demo["events"].items():
        assert Event.from_doc(doc, int(i)).to_doc() == doc, i
    for table in ("objectives", "themes"):
        for doc in demo[table].values():
            assert Category.from_doc(doc).to_doc() == doc
    for doc in demo["accounts"].values():
        assert Account.from_doc(doc).to_doc() == doc


def test_times_are_coherent(demo: dict[str, dict[str, dict[str, Any]]],
                            posts: list[Post]) -> None:
    for p in posts:
        assert p.created <= p.updated, p.id
        if p.scheduled is not None:
            assert p.updated <= p.scheduled, p.id
        else:
            assert p.status is Status.IDEA, p.id
        if p.status is Status.PUBLISHED:
            assert p.link.startswith("https://"), p.id
    for e in demo["events"].values():
        start, end = parse_iso(e["start"], "start"), parse_iso(e["end"], "end")
        assert start is not None and end is not None and start < end


def test_anchor_week_is_full(demo: dict[str, dict[str, dict[str, Any]]],
                             posts: list[Post]) -> None:
    monday = datetime.combine(anchor(demo), time(0), PARIS)
    start, end = monday, datetime.combine(anchor(demo) + timedelta(days=7), time(0), PARIS)
    week = [p for p in posts if p.scheduled is not None and start <= p.scheduled < end]
    assert len(week) >= 30
    assert set(FLOW) <= {p.status for p in week}
    assert any(p.live for p in week)
    kinds = {e["kind"] for e in demo["events"].values()
             if start <= parse_iso(e["start"], "start") < end}  # type: ignore[operator]
    assert {"opening", "talk"} <= kinds


def test_live_posts(posts: list[Post]) -> None:
    live = [p for p in posts if p.live]
    assert len(live) >= 5
    assert all(p.status is Status.PUBLISHED and p.event is not None for p in live)


def test_sensitive_posts_gate_approval(posts: list[Post]) -> None:
    flagged = [p for p in posts if p.flags]
    assert len(flagged) >= 10
    for p in flagged:
        assert p.checklist, p.id
        if p.status in READY:
            assert all(p.checklist.values()), (p.id, p.checklist)
    assert any(not all(p.checklist.values()) for p in flagged)


def test_plain_tinydb_opens_it(tmp_path: Path) -> None:
    copy = tmp_path / "demo.json"
    shutil.copyfile(DEMO, copy)
    db = TinyDB(copy, access_mode="r")
    try:
        docs = db.table("posts").all()
        assert len(docs) >= 300
        assert docs[0].doc_id == 1
        assert len(db.table("events")) >= 30
    finally:
        db.close()
