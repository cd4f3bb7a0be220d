"""New posts land where the user is, and posts without a date stay in sight."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from planterm.agenda import Occurrence
from planterm.model import Post
from planterm.store import PostQuery
from planterm.triage import free_slot
from planterm.tui.app import PlantermApp
from planterm.tui.screens.editor import PostEditor
from planterm.tui.screens.quick_add import QuickAddScreen
from planterm.tui.widgets.agenda_view import AgendaView
from planterm.tui.widgets.message_line import MessageLine
from tui_support import (
    PARIS,
    SIZES,
    TODAY,
    app_on,
    demo_path,
    ready,
    said,
    shown_text,
    size_id,
)

THURSDAY = date(2026, 11, 26)


def slot_on(app: PlantermApp, day: date) -> datetime:
    """Where the core puts a new post on ``day``, given what the store holds."""
    assert app.store is not None
    start = datetime.combine(day, time(), PARIS)
    posts = app.store.posts(PostQuery(start=start, end=start + timedelta(days=1)))
    return free_slot(day, posts, PARIS)


def undated(app: PlantermApp) -> list[Post]:
    assert app.store is not None
    return [p for p in app.store.posts() if p.scheduled is None]


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_n_starts_a_new_post_on_the_selected_day(tmp_path: Path,
                                                      size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        await pilot.press("l")
        assert pane.day == THURSDAY
        slot = slot_on(app, THURSDAY)
        await pilot.press("n")
        assert isinstance(app.screen, PostEditor)
        typed = app.screen.query_one("#on", Input).value
        assert typed == f"{slot.astimezone(PARIS):%Y-%m-%d %H:%M}"
        app.screen.query_one("#title", Input).value = "Landed on Thursday"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store is not None
        [post] = [p for p in app.store.posts() if p.title == "Landed on Thursday"]
        assert post.scheduled == slot and pane.post_id == post.id


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_a_without_a_date_lands_on_the_selected_day_and_says_so(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        await pilot.press("l")
        slot = slot_on(app, THURSDAY)
        await pilot.press("a", *"Teaser sans date", "enter")
        assert isinstance(app.screen, QuickAddScreen)
        preview = shown_text(app.screen.query_one("#quick-preview", Static))
        assert f"{slot.astimezone(PARIS):%H:%M} (no date typed" in preview
        await pilot.press("enter")
        await pilot.pause()
        assert app.store is not None
        [post] = [p for p in app.store.posts() if p.title == "Teaser sans date"]
        assert post.scheduled == slot and pane.day == THURSDAY


async def test_quick_add_shows_the_event_it_read(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("l")
        assert pane.shown is not None
        occ = next(e for e in pane.shown.entries() if isinstance(e, Occurrence))
        await pilot.press("a", *f"^{occ.event.id} -- Live @louvre", "enter")
        assert isinstance(app.screen, QuickAddScreen)
        preview = shown_text(app.screen.query_one("#quick-preview", Static))
        assert f"Event      {occ.event.id} {occ.event.title}" in preview
        assert "Live @louvre" in preview


async def test_a_fresh_store_lands_a_post_today_at_ten(tmp_path: Path) -> None:
    app = app_on(tmp_path / "fresh.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("y")  # yes, create the store
        await ready(pilot)
        await pilot.press("a", *"Première idée", "enter", "enter")
        await pilot.pause()
        assert app.store is not None
        [post] = app.store.posts()
        assert post.scheduled == datetime.combine(TODAY, time(10), PARIS)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_the_week_counts_the_undated_posts_and_U_lists_them(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        count = len(undated(app))
        assert count and app.query_one(MessageLine).status == f"{count} undated · U"
        assert f"{count} undated · U" in shown_text(app.query_one(MessageLine))
        await pilot.press("U")
        assert pane.view == "agenda" and pane.shown is not None
        post = pane.shown.selected
        assert post is not None and post.scheduled is None
        agenda = shown_text(app.query_one(AgendaView))
        assert f"undated  ({count})" in agenda and post.title[:30] in agenda
        await pilot.press("j")  # the next one, and triage keys work on them
        assert pane.shown.selected is not None and pane.shown.selected.scheduled is None
        await pilot.press("D")
        await pilot.pause()
        assert app.query_one(MessageLine).status == f"{count + 1} undated · U"


async def test_U_says_so_when_every_post_has_a_date(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("slash", *"status:scheduled", "enter", "U")
        await pilot.pause()
        assert pane.view == "week" and said(app) == "every post shown has a date"
        assert app.query_one(MessageLine).status == ""


async def test_the_palette_finds_the_new_keys(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        await pilot.press("ctrl+p", *"calendar: Undated")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert pane.view == "agenda" and pane.shown is not None
        assert pane.shown.selected is not None and pane.shown.selected.scheduled is None
