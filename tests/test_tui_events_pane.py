"""The events pane (key 3) driven by its keys on a copy of the demo, fixed clock: the
listing with coverage marks, Enter with the triage keys, c and its drafts (one undo), the
event form (n, e with posts moved, refusals naming the field), cancelling, live mode."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from planterm.events import today_start
from planterm.model import Status
from planterm.tui.app import PlantermApp
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.coverage import CoverageScreen
from planterm.tui.screens.event import EventScreen
from planterm.tui.screens.event_form import EventForm
from planterm.tui.screens.live import LiveStart
from planterm.tui.widgets.calendar import CalendarPane
from planterm.tui.widgets.events_pane import EventsPane
from tui_support import NOW, SETTINGS, SIZES, app_on, demo_path, ready, said, shown_text, size_id


async def events_pane(pilot: Pilot[Any]) -> EventsPane:
    """The store open, key 3 pressed: the events pane."""
    await ready(pilot)
    await pilot.press("3")
    await pilot.pause()
    return pilot.app.query_one(EventsPane)


async def select(pilot: Pilot[Any], pane: EventsPane, title_word: str) -> None:
    """Press j until the selected occurrence's title holds ``title_word``."""
    for _ in pane.items:
        item = pane.selected()
        if item is not None and title_word in item.occurrence.event.title:
            return
        await pilot.press("j")
    raise AssertionError(f"no occurrence of {title_word!r}")


def event_posts(app: PlantermApp, event_id: int | None) -> list[Any]:
    assert app.store is not None
    return [p for p in app.store.posts() if p.event == event_id]


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_upcoming_with_marks_today_s_or_the_next_selected_and_past(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await events_pane(pilot)
        midnight = today_start(NOW, SETTINGS)
        starts = [i.occurrence.start for i in pane.items]
        assert starts == sorted(starts) and len(starts) > 10
        first = pane.selected()
        assert first is not None and first.occurrence.start >= midnight
        assert all(i.occurrence.start < first.occurrence.start for i in pane.items[:pane.at])
        listed = pane.query_one("#events-list", OptionList)
        assert listed.highlighted == pane.at
        line = str(listed.get_option_at_index(pane.at).prompt)
        assert first.state.mark in line and first.occurrence.event.title[:20] in line
        assert "plan" in line and "live" in line
        detail = shown_text(pane.query_one("#events-detail", Static))
        assert f"next: {first.state.next_step}"[:40] in detail
        await pilot.press("j", "j", "k")
        assert pane.at == starts.index(first.occurrence.start) + 1
        await pilot.press("P")
        past = [i.occurrence.start for i in pane.items]
        assert pane.past and past == sorted(past, reverse=True)
        assert all(i.end < midnight for i in pane.items) and pane.at == 0
        await pilot.press("P")
        assert not pane.past and pane.selected() == first


async def test_enter_shows_the_event_s_posts_where_s_changes_the_store(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await events_pane(pilot)
        await select(pilot, pane, "Jeudis de la médiation")
        item = pane.selected()
        assert item is not None and item.posts
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, EventScreen) and screen.occ == item.occurrence
        assert [p.id for p in screen.posts] == [p.id for p in item.posts]
        post = next(p for p in screen.posts if p.status is Status.APPROVED)
        while screen.highlighted() != post:
            await pilot.press("j")
        await pilot.press("s")
        await pilot.pause()
        assert app.store is not None
        stored = app.store.get_post(post.id or 0)
        assert stored is not None and stored.status is Status.SCHEDULED
        await pilot.press("enter")  # shows it in the calendar, on its week
        await pilot.pause()
        calendar = app.query_one(CalendarPane)
        assert app.screen is not screen and calendar.display and calendar.post_id == post.id


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_c_makes_the_drafts_once_and_one_u_takes_them_all_back(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await events_pane(pilot)
        await select(pilot, pane, "Visite guidée du samedi")
        item = pane.selected()
        assert item is not None and item.state.filled == 0
        event = item.occurrence.event
        before = event_posts(app, event.id)
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, CoverageScreen)
        made = [p for p in screen.planned if p.creates]
        assert len(made) == item.state.slots == 2
        text = shown_text(screen.query_one("#coverage-plan", Static))
        assert "+ reminder" in text and "ven 27/11 12:00" in text
        await pilot.press("enter")
        await pilot.pause()
        after = event_posts(app, event.id)
        assert len(after) == len(before) + 2
        assert all(p.status is Status.DRAFT for p in after if p not in before)
        assert pane.selected() is not None and pane.selected().state.filled == 2  # type: ignore[union-attr]
        await pilot.press("c")
        assert isinstance(app.screen, CoverageScreen)
        assert not any(p.creates for p in app.screen.planned)
        assert "already there" in shown_text(app.screen.query_one("#coverage-plan", Static))
        await pilot.press("enter")
        await pilot.pause()
        assert "nothing to make" in said(app) or isinstance(app.screen, CoverageScreen)
        assert len(event_posts(app, event.id)) == len(after)
        await pilot.press("escape", "u")
        await pilot.pause()
        assert event_posts(app, event.id) == before  # the two drafts, in one step
        assert "undid: made 2 draft posts" in said(app)


async def test_p_in_the_preview_takes_the_occurrences_of_four_weeks(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await events_pane(pilot)
        await select(pilot, pane, "Visite guidée du samedi")
        await pilot.press("c", "p")
        screen = app.screen
        assert isinstance(screen, CoverageScreen) and len(screen.starts()) == 4


async def fill(pilot: Pilot[Any], form: EventForm, **typed: str) -> None:
    """Type into the form's fields (what was there replaced), then ctrl+s."""
    for name, value in typed.items():
        field = form.query_one(f"#{name}", Input)
        field.focus()
        field.value = ""
        await pilot.press(*value)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_n_adds_an_event_a_bad_date_is_refused_naming_the_field(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await events_pane(pilot)
        assert app.store is not None
        count = len(app.store.events())
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, EventForm)
        await fill(pilot, form, title="Atelier masques", on="32 déc 14h")
        assert app.screen is form and "on" in form.errors
        error = shown_text(form.query_one("#error-on", Static))
        assert error.startswith("⚠ on:")
        assert form.query_one("#on", Input).value == "32 déc 14h"  # kept as typed
        assert len(app.store.events()) == count
        await fill(pilot, form, on="3 déc 14h", end="3 déc 12h")
        assert "end" in form.errors and "after the start" in form.errors["end"]
        await fill(pilot, form, end="3 déc 16h", hashtag="Masques")
        assert app.screen is not form
        added = max(app.store.events(), key=lambda e: e.id or 0)
        assert added.title == "Atelier masques" and added.hashtag == "#Masques"
        assert len(app.store.events()) == count + 1
        item = pane.selected()
        assert item is not None and item.occurrence.event.id == added.id
        await pilot.press("u")
        await pilot.pause()
        assert len(app.store.events()) == count


async def test_e_moving_the_date_moves_the_posts_and_u_puts_all_back(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await events_pane(pilot)
        await select(pilot, pane, "Rencontre : bijoux")
        item = pane.selected()
        assert item is not None and app.store is not None
        event = item.occurrence.event
        posts = event_posts(app, event.id)
        unpublished = [p for p in posts if p.status is not Status.PUBLISHED]
        assert unpublished and len(unpublished) < len(posts)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EventForm)
        await fill(pilot, form, on="2026-12-09 18:30")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        moved = app.store.get_event(event.id or 0)
        assert moved is not None and moved.start == event.start + timedelta(days=7)
        assert moved.end == (event.end or event.start) + timedelta(days=7)
        for post in posts:
            now = app.store.get_post(post.id or 0)
            assert now is not None and post.scheduled is not None
            shift = timedelta(0) if post.status is Status.PUBLISHED else timedelta(days=7)
            assert now.scheduled == post.scheduled + shift
        await pilot.press("u")
        await pilot.pause()
        assert app.store.get_event(event.id or 0) == event
        assert event_posts(app, event.id) == posts  # the event and its posts, in one step


async def test_x_asks_before_cancelling_and_u_brings_it_back(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await events_pane(pilot)
        await select(pilot, pane, "Rencontre : bijoux")
        item = pane.selected()
        assert item is not None and app.store is not None
        event = item.occurrence.event
        posts = event_posts(app, event.id)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.store.get_event(event.id or 0) == event
        await pilot.press("x", "y")
        await pilot.pause()
        cancelled = app.store.get_event(event.id or 0)
        assert cancelled is not None and cancelled.cancelled
        assert all(p.status in (Status.PUBLISHED, Status.CANCELLED)
                   for p in event_posts(app, event.id))
        await pilot.press("c")  # a cancelled event gets no coverage
        assert not isinstance(app.screen, CoverageScreen)
        await pilot.press("u")
        await pilot.pause()
        assert app.store.get_event(event.id or 0) == event
        assert event_posts(app, event.id) == posts


async def test_capital_l_opens_live_mode_s_start_on_the_occurrence(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await events_pane(pilot)
        item = pane.selected()
        assert item is not None
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, LiveStart) and app.screen.event == item.occurrence.event


# --- snapshots ------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("keys", [("3", "j"), ("3", "j", "c")], ids=["pane", "coverage"])
def test_snapshot(snap_compare: Callable[..., bool], tmp_path: Path, keys: tuple[str, ...],
                  size: tuple[int, int]) -> None:
    """The pane (the Saturday tour selected, no coverage yet), and its coverage preview."""
    app = app_on(demo_path(tmp_path))
    assert snap_compare(app, press=keys, terminal_size=size, run_before=ready)


def test_snapshot_form(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    """The form editing the demo's opening at 80×24."""
    app = app_on(demo_path(tmp_path))
    assert snap_compare(app, press=("3", "e"), terminal_size=(80, 24), run_before=ready)
