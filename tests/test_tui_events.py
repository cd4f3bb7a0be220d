"""Events are part of the calendar: selected with j/k among the posts, opened with Enter
on a screen listing their posts, and named in the filter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from planterm.agenda import Occurrence
from planterm.tui.screens.event import EventScreen
from planterm.tui.widgets.calendar import CalendarPane
from tui_support import PARIS, SIZES, app_on, demo_path, ready, shown_text, size_id

TUESDAY = date(2026, 11, 24)
"""A day of the demo's week with a talk at 18:30 and posts before and after it."""


async def walk_to_event(pilot: object, pane: CalendarPane) -> Occurrence:
    """Press j until the day's first event is selected; return it."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot) and pane.shown is not None
    for _ in pane.shown.entries():
        if pane.shown.selected_event is not None:
            break
        await pilot.press("j")
    occ = pane.shown.selected_event
    assert occ is not None
    return occ


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_j_and_k_walk_the_day_s_events_and_posts_in_time_order(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        await pilot.press("h")
        assert pane.day == TUESDAY and pane.shown is not None
        entries = pane.shown.entries()
        starts = [e.start if isinstance(e, Occurrence) else e.scheduled for e in entries]
        assert starts == sorted(starts)  # type: ignore[type-var]
        walked = []
        for _ in entries:
            walked.append(next(e for e in entries if pane.shown.is_selected(e)))
            await pilot.press("j")
        assert walked == entries  # the event is one stop among the posts
        await pilot.press("l", "h")  # back on the day's first post
        occ = await walk_to_event(pilot, pane)
        assert pane.post_id is None
        detail = shown_text(pane.query_one("#detail", Static))
        assert detail.startswith("◆ mar 24/11 18:30") and occ.event.title in detail
        assert "posts, Enter shows them" in detail
        await pilot.press("k")
        assert pane.shown.selected is not None and pane.shown.selected_event is None


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_enter_on_an_event_lists_its_posts_and_one_opens_in_the_calendar(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        await pilot.press("h")
        occ = await walk_to_event(pilot, pane)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, EventScreen) and screen.occ.event.id == occ.event.id
        assert app.store is not None
        covering = [p for p in app.store.posts() if p.event == occ.event.id]
        assert [p.id for p in screen.posts] == [p.id for p in covering] and covering
        assert screen.query_one(OptionList).option_count == len(covering)
        await pilot.press("escape")
        assert app.screen is not screen and pane.shown is not None
        assert pane.shown.selected_event == occ  # back where it was
        await pilot.press("enter")
        first = app.screen
        assert isinstance(first, EventScreen)
        await pilot.press("enter")  # the first post covering it: a week earlier
        await pilot.pause()
        post = covering[0]
        assert post.scheduled is not None
        assert pane.post_id == post.id
        assert pane.day == post.scheduled.astimezone(PARIS).date()


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_the_month_walks_into_a_day_and_opens_its_event(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        await pilot.press("m", "h")
        assert pane.view == "month" and pane.day == TUESDAY
        occ = await walk_to_event(pilot, pane)
        await pilot.press("enter")
        assert isinstance(app.screen, EventScreen) and app.screen.occ == occ


async def test_the_filter_takes_an_event_by_id_or_title_words(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("h")
        occ = await walk_to_event(pilot, pane)
        for typed in (f"event:{occ.event.id}", "event:langage"):
            await pilot.press("slash", "ctrl+u", *typed, "enter")
            assert pane.filter_text == typed and pane.shown is not None
            assert pane.shown.ordered() and all(
                p.event == occ.event.id for p in pane.shown.ordered())


async def test_a_triage_key_on_an_event_says_it_is_an_event(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("h")
        occ = await walk_to_event(pilot, pane)
        await pilot.press("s")
        await pilot.pause()
        from tui_support import said

        assert f"'{occ.event.title}' is an event" in said(app)
