"""The fast paths of the exports give the bytes of the plain ones: our fold is the library's
``Contentline.to_ical``, a post's lines written from its document are those the library's
own ``Component`` and ``Calendar.to_ical`` write (as commit 68af7b5 exported), and the
documents the exports read are what each stored post's ``to_doc`` gives, also for a store
edited by hand."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, vText
from icalendar import Event as VEvent
from icalendar.parser import Contentline

from planterm.config import Settings
from planterm.interop import jobs
from planterm.interop.ics import (
    POST_MINUTES,
    PRODID,
    X_TYPE,
    _event_component,
    export_ics,
    fold,
    ical_text,
    post_description,
    post_status,
)
from planterm.interop.table import HEADER
from planterm.model import Category, Event, Post, Status
from planterm.store import PostQuery, Store
from test_interop_ics_golden import GOLDEN, plan

SETTINGS = Settings(timezone="Europe/Paris")
TRICKY = "\\^;,:\"' \téàß€\u0301\u0308\u200d😀🧶💎🏳️‍🌈中文\U00010348"
"""Escapes the library keeps whole, and characters of two, three and four octets (combining
marks and emoji sequences among them)."""
TEXT = st.text(alphabet=st.one_of(st.sampled_from(TRICKY),
                                  st.characters(exclude_categories=("Cs",))))
"""Any text UTF-8 can hold, what folding finds hard drawn often."""
LINE = st.one_of(st.lists(TEXT, max_size=8).map("".join),
                 st.text(alphabet=st.sampled_from(TRICKY + "abc"), min_size=60, max_size=400))
"""Text of any length, one in two long enough to be folded, most of those several times."""


# --- fold -----------------------------------------------------------------------------


def library_fold(line: str) -> bytes:
    return bytes(Contentline(line).to_ical())  # type: ignore[no-untyped-call]


@settings(max_examples=500, deadline=None)
@given(LINE)
def test_the_fold_is_the_librarys(line: str) -> None:
    line = line.replace("\n", "")  # never in a content line: values escape it
    assert fold(line.encode()) == library_fold(line)


@pytest.mark.parametrize("line", [
    "", "x" * 74, "x" * 75, "x" * 76, "x" * 148, "x" * 149, "x" * 150,
    "x" * 73 + "é", "x" * 73 + "é" * 40, "x" * 72 + "😀" + "y" * 80, "x" * 71 + "😀" * 30,
    "x" * 73 + "\\" + "n" * 80, "x" * 73 + "\\\\" * 60, "x" * 73 + "^" + "y" * 80,
    "x" * 72 + "\\" + "é" * 80, "\\" * 300, "^" * 300, "e\u0301" * 100, "🏳️‍🌈" * 30,
])
def test_the_fold_at_its_edges(line: str) -> None:
    folded = fold(line.encode())
    assert folded == library_fold(line)
    pieces = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in pieces)  # the space of a continuation included
    assert all(p.startswith(b" ") for p in pieces[1:])
    for piece in pieces:
        piece.decode()  # no UTF-8 sequence split
    assert b"".join(p.removeprefix(b" ") for p in pieces) == line.encode()


@settings(max_examples=500, deadline=None)
@given(LINE)
def test_text_is_encoded_as_vtext_encodes_it(value: str) -> None:
    assert ical_text(value) == vText(value).to_ical()


@pytest.mark.parametrize("value", ["", "plain é 🎉", "a,b", "a;b", "a\\b", "a\\Nb", "a\nb",
                                   "a\r\nb", "a\rb", "\\N", "N"])
def test_text_at_its_edges(value: str) -> None:
    assert ical_text(value) == vText(value).to_ical()


# --- post lines from documents ---------------------------------------------------------


def plain_export(events: list[Event], posts: list[Post], uids: dict[int, str]) -> bytes:
    """The export with the library's components whole, as commit 68af7b5 wrote it (the
    events as today's export makes them)."""
    tz = SETTINGS.tz
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    stamp = max((p.updated for p in posts), default=datetime(2000, 1, 1, tzinfo=UTC))
    for event in events:
        cal.add_component(_event_component(event, tz, stamp))
    for post in posts:
        if post.scheduled is None:
            continue
        start = post.scheduled.astimezone(tz)
        comp = VEvent()
        comp.add("uid", post.uid)
        comp.add("dtstamp", post.updated)
        comp.add("created", post.created)
        comp.add("last-modified", post.updated)
        comp.add("summary", f"{post.title} ({post.status})")
        comp.add("dtstart", start)
        comp.add("dtend", start + timedelta(minutes=POST_MINUTES))
        comp.add("status", post_status(post.status))
        comp.add("transp", "TRANSPARENT")
        categories = [*post.channels, *post.objectives, *post.themes]
        if categories:
            comp.add("categories", categories)
        comp.add("description", post_description(post.to_doc()))
        if post.event is not None and post.event in uids:
            comp.add("related-to", uids[post.event])
        if post.link:
            comp.add("url", post.link)
        comp.add(X_TYPE, "post")
        cal.add_component(comp)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def test_the_plain_export_is_the_golden_file() -> None:
    """The reference of the tests below writes the golden bytes too."""
    events, posts, uids = plan()
    assert plain_export(events, posts, uids) == GOLDEN.read_bytes()


WHEN = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31),
                    timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))
NAMES = st.lists(st.sampled_from(["instagram", "x", "visites", "parures", "a;b", "c,d", "é\\"]),
                 max_size=4, unique=True)
POSTS = st.builds(
    Post, title=TEXT, body=TEXT, status=st.sampled_from(Status),
    scheduled=st.one_of(st.none(), WHEN,
                        # around the changes of time in Paris
                        st.sampled_from([datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
                                         datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
                                         datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
                                         datetime(2026, 10, 25, 1, 0, tzinfo=UTC)])),
    variants=st.dictionaries(st.sampled_from(["x", "instagram", "mastodon"]), TEXT, max_size=2),
    channels=NAMES, objectives=NAMES, themes=NAMES,
    hashtags=st.lists(st.sampled_from(["#Musée", "#a,b", "#x"]), max_size=3),
    link=st.one_of(st.just(""), st.text(alphabet=st.characters(
        exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=120)),
    event=st.one_of(st.none(), st.sampled_from([1, 2, 5, 9])),
    created=WHEN, updated=WHEN,
    uid=st.one_of(st.uuids().map(str), TEXT))


@settings(max_examples=80, deadline=None)
@given(st.lists(POSTS, max_size=6))
def test_posts_written_from_their_documents_are_the_librarys_components(
        posts: list[Post]) -> None:
    events, _, uids = plan()
    exported = export_ics(events, [p.to_doc() for p in posts], SETTINGS, uids)
    assert exported.data == plain_export(events, posts, uids)


# --- the documents the exports read ----------------------------------------------------


def a_store(path: Path) -> Store:
    """A store of the golden plan's posts (without their events)."""
    store = Store(path)
    store.add_objective(Category("visites", "Faire venir au musée"))
    store.add_theme(Category("parures", "Parures"))
    store.add_posts(replace(p, event=None) for p in plan()[1])
    return store


QUERIES = [None, PostQuery(), PostQuery(unscheduled=True),
           PostQuery(start=datetime(2026, 6, 1, tzinfo=UTC), unscheduled=True),
           PostQuery(start=datetime(2026, 6, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC)),
           PostQuery(statuses=frozenset({Status.DRAFT, Status.PUBLISHED})),
           PostQuery(channels=frozenset({"x"}), words=("calebasse",))]


@pytest.mark.parametrize("query", QUERIES)
def test_the_documents_read_are_the_stored_ones_as_posts_write_them(
        tmp_path: Path, query: PostQuery | None) -> None:
    a_store(tmp_path / "plan.json").close()
    store = Store(tmp_path / "plan.json", readonly=True)
    docs = jobs.post_documents(store, query)
    assert docs == [p.to_doc() for p in store.posts(query)]
    stored = store.post_documents()
    assert all(any(d is s for s in stored.values()) for d in docs)  # not made again


def hand_edited(path: Path) -> None:
    """A store whose documents another program wrote: optional fields left out, a time
    with an offset, fields in another order."""
    a_store(path).close()
    tables = json.loads(path.read_bytes())
    posts = tables["posts"]
    first, second, third = sorted(posts, key=int)[:3]
    posts[first] = {"uid": "hand-1", "title": "À la main ; écrit, ailleurs \\ 🎉",
                    "created": "2026-01-01T10:00:00+01:00", "updated": "2026-01-02T00:00:00Z",
                    "scheduled": "2026-10-25T02:30:00+01:00"}
    posts[second] = {"title": "Sans statut", "uid": "hand-2", "created": "2026-01-01T10:00:00Z",
                     "updated": "2026-01-01T10:00:00Z", "scheduled": "2026-03-29T02:30:00Z",
                     "body": None, "channels": None, "link": None}
    posts[third] = {"uid": "hand-3", "title": "Idée", "created": "2026-01-01T10:00:00Z",
                    "updated": "2027-06-01T10:00:00.000+00:00"}
    path.write_text(json.dumps(tables), encoding="utf-8")


@pytest.mark.parametrize("query", QUERIES)
def test_documents_edited_by_hand_are_read_as_posts(tmp_path: Path,
                                                    query: PostQuery | None) -> None:
    path = tmp_path / "plan.json"
    hand_edited(path)
    store = Store(path, readonly=True)
    if query is None:  # these documents are not as planterm writes them: read as posts
        assert store.post_docs(query) is None
    posts = store.posts(query)
    docs = jobs.post_documents(store, query)
    assert docs == [p.to_doc() for p in posts]
    assert export_ics([], docs, SETTINGS, {}).data == plain_export([], posts, {})


def test_exports_of_a_hand_edited_store_are_those_of_its_posts(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    hand_edited(path)
    store = Store(path, readonly=True)
    posts = store.posts()
    ics = jobs.export("ics", store, SETTINGS).data
    assert ics == plain_export([], posts, {})
    assert b"UID:hand-1" in ics and b"DTSTART;TZID=Europe/Paris:20261025T023000" in ics
    assert b"SUMMARY:Sans statut (idea)" in ics
    rows = list(csv.reader(io.StringIO(jobs.export("csv", store, SETTINGS).data.decode())))
    assert rows[0] == list(HEADER) and len(rows) == len(posts) + 1
    empty = [""] * 11
    assert ["hand-2", "2026-03-29T04:30:00+02:00", "Sans statut", "", "idea", *empty] in rows
    assert ["hand-1", "2026-10-25T02:30:00+01:00", "À la main ; écrit, ailleurs \\ 🎉", "",
            "idea", *empty] in rows
    assert ["hand-3", "", "Idée", "", "idea", *empty] in rows


# --- the collector paused while an export or an import works ---------------------------


def test_the_collector_runs_again_after_an_export_or_an_import(tmp_path: Path) -> None:
    import gc

    from planterm.interop.table import read_csv
    from planterm.storage import no_collector

    assert gc.isenabled()
    a_store(tmp_path / "plan.json").close()
    store = Store(tmp_path / "plan.json")
    jobs.export("ics", store, SETTINGS)
    data = jobs.export("csv", store, SETTINGS).data
    assert gc.isenabled()
    with pytest.raises(ValueError, match="boom"), no_collector():
        assert not gc.isenabled()
        raise ValueError("boom")
    assert gc.isenabled()
    gc.disable()  # paused by the program itself: left so
    try:
        read_csv(data, "plan.csv", store, SETTINGS, datetime.now(UTC)).apply(store)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with no_collector():
        with no_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer one still holds it
    assert gc.isenabled()
