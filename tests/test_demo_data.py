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

from planterm.demo import write_demo
from planterm.model import FLOW, Account, Category, Event, Post, Status, parse_iso
from planterm.readiness import problems
from planterm.sensitive import post_terms, set_flags, wording
from planterm.store import SCHEMA, PostQuery, Store

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
    known = wording()
    flagged = [p for p in posts if p.flags]
    assert len(flagged) >= 10
    for p in flagged:
        assert set(p.flags) <= set(known.flags.flags), p.flags
        assert list(p.checklist) == list(set_flags(p, p.flags, known.flags).checklist), p.id
        if p.status in READY:
            assert all(p.checklist.values()), (p.id, p.checklist)
        # the checklist is what the review log says, each tick between creation and change
        assert p.checklist == {**dict.fromkeys(p.checklist, False),
                               **{e.item: e.done for e in p.review}}, p.id
        assert all(p.created <= e.at <= p.updated and e.by for e in p.review), p.id
    assert any(not all(p.checklist.values()) and any(p.checklist.values()) for p in flagged)


def test_glossary_terms_in_drafts_and_one_kept_on_purpose(posts: list[Post]) -> None:
    glossary = wording().glossary
    drafts = [p for p in posts if p.status is Status.DRAFT and post_terms(p, glossary)]
    assert drafts
    assert any({"primitif", "decouverte"} <= {f.match.term.key for f in post_terms(p, glossary)}
               for p in drafts)
    kept = [p for p in posts if p.kept]
    assert any(reason for p in kept for reason in p.kept.values())
    for p in kept:  # a term kept is no longer flagged there, though it is in the text
        assert not set(p.kept) & {f.match.term.key for f in post_terms(p, glossary)}
        assert set(p.kept) <= glossary.keys_in(f"{p.title}\n{p.body}")


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


def test_some_posts_of_the_anchor_week_are_not_ready(posts: list[Post]) -> None:
    unready = {p.title: problems(p) for p in posts if problems(p)}
    assert unready == {
        "Fil : pourquoi se parer ?": ["X 365/280 (85 over)", "Bluesky 365/300 (65 over)"],
        "Carrousel : les coulisses du montage de « Parures »": ["approved with an empty body"],
        "Parures du monde : votre bijou porte-t-il une histoire ?": [
            "Instagram 7 hashtags (max 5)"],
    }


MOMENTS = [  # weekday, hour, minute, second of the current week: when the demo is opened
    (0, 8, 0, 0), (3, 19, 30, 0), (3, 22, 0, 0), (6, 23, 59, 59), (2, 14, 7, 31)]


@pytest.mark.parametrize("week", [date(2026, 11, 23), date(2027, 3, 22), date(2026, 10, 19)])
@pytest.mark.parametrize(("weekday", "hour", "minute", "second"), MOMENTS)
def test_the_demo_is_honest_about_the_moment_it_is_opened(
    tmp_path: Path, week: date, weekday: int, hour: int, minute: int, second: int
) -> None:
    now = datetime.combine(week + timedelta(days=weekday), time(hour, minute, second), PARIS)
    store = Store(write_demo(tmp_path / "demo.json", now.date(), PARIS, now), readonly=True)
    floor = now.replace(second=0)
    posts = store.posts()
    events = {e.id: e for e in store.events()}
    assert store.check() == []
    for p in posts:
        if p.status is Status.PUBLISHED:
            assert p.scheduled is not None and p.scheduled < floor, (p.id, p.scheduled)
        if p.status is Status.SCHEDULED:
            assert p.scheduled is not None and p.scheduled >= floor, (p.id, p.scheduled)
        if p.live:
            assert p.event is not None and p.scheduled is not None
            assert p.scheduled < floor
            assert events[p.event].start <= p.scheduled
        assert p.created <= p.updated <= now
        # who ticked what moved with the plan, never after the post's last change
        assert all(p.updated - timedelta(days=60) <= e.at <= p.updated for e in p.review)
    this_week = [p for p in posts if p.scheduled and week <= p.scheduled.astimezone(
        PARIS).date() < week + timedelta(days=7)]
    assert len(this_week) >= 30  # the week is still full, whatever the moment
    after = store.posts(PostQuery(start=floor, statuses=frozenset({Status.PUBLISHED})))
    assert after == []


def test_opened_before_the_opening_the_demo_has_no_live_posts_of_it(tmp_path: Path) -> None:
    now = datetime(2026, 11, 26, 18, 0, tzinfo=PARIS)  # the vernissage starts at 18:30
    store = Store(write_demo(tmp_path / "demo.json", now.date(), PARIS, now), readonly=True)
    opening = next(e for e in store.events() if e.title.startswith("Vernissage"))
    assert not [p for p in store.posts(PostQuery(events=frozenset({opening.id}))) if p.live]
    later = datetime(2026, 11, 26, 19, 30, tzinfo=PARIS)
    store = Store(write_demo(tmp_path / "later.json", later.date(), PARIS, later), readonly=True)
    live = [p for p in store.posts(PostQuery(events=frozenset({opening.id}))) if p.live]
    assert live and all(p.scheduled is not None and p.scheduled < later for p in live)


def test_without_a_moment_the_demo_is_as_made(tmp_path: Path,
                                              demo: dict[str, dict[str, dict[str, Any]]]) -> None:
    store = Store(write_demo(tmp_path / "demo.json", anchor(demo), PARIS), readonly=True)
    assert [p.to_doc() for p in store.posts()] == [
        Post.from_doc(d).to_doc() for d in sorted(
            demo["posts"].values(), key=lambda d: (d["scheduled"] is None, d["scheduled"] or
                                                   d["created"]))]


@pytest.mark.parametrize("today", [date(2026, 11, 25), date(2027, 1, 13)])
def test_the_demo_shows_events_with_partial_and_missing_coverage(tmp_path: Path,
                                                                 today: date) -> None:
    from planterm.config import Settings
    from planterm.coverage import parse_slot_id
    from planterm.events import listing
    from planterm.templates import load_templates

    now = datetime.combine(today, time(10), PARIS)
    store = Store(write_demo(tmp_path / "demo.json", now.date(), PARIS, now), readonly=True)
    templates = load_templates(user=tmp_path / "none.toml")
    for post in store.posts():
        if post.slot:  # each names a slot of its event's template, on its occurrence's date
            key, day = parse_slot_id(post.slot) or ("", None)
            event = store.get_event(post.event or 0)
            assert event is not None and day is not None, post.id
            template = templates.for_event(event.template, event.kind)
            assert key.split("/")[0] == template.key, post.id
            assert key.split("/")[1] in {s.key for s in template.slots}, post.id
    upcoming = listing(store, Settings(), templates, now)
    marks = [(item.state.filled, item.state.slots) for item in upcoming]
    assert any(0 < filled < slots for filled, slots in marks)  # partly covered
    assert any(filled == 0 for filled, _ in marks)  # not covered at all
    # a weekly event's posts cover their own occurrence (the demo moved to another week or
    # not): each goes out within days of it. (A monthly "first Thursday" moved by whole
    # weeks is a first Thursday no more: its posts move with the weeks, its rule does not.)
    repeating = [item for item in upcoming
                 if "WEEKLY" in item.occurrence.event.rrule and item.posts]
    assert repeating
    for item in repeating:
        for post in item.posts:
            assert post.scheduled is not None
            assert abs(post.scheduled - item.occurrence.start) < timedelta(days=8), post.slot
