"""Problems are seen where the user looks: ⚠ in every view and the reasons in the detail;
the help screen explains every sign."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from planterm.model import Post, Status
from planterm.readiness import WARN_MARK, problems
from planterm.tui.screens.detail import PostDetail
from planterm.tui.screens.help import HelpScreen
from planterm.tui.widgets.agenda_view import AgendaView
from planterm.tui.widgets.calendar import CalendarPane
from planterm.tui.widgets.month import MonthView
from planterm.tui.widgets.week import WeekView
from tui_support import SIZES, app_on, demo_path, ready, said, shown_text, size_id


def warned(pane: CalendarPane, status: Status | None = None) -> Post:
    """The first post of the week shown that is not ready for its status."""
    assert pane.shown is not None
    return next(p for p in pane.shown.ordered()
                if problems(p) and (status is None or p.status is status))


@pytest.mark.parametrize("size", [(60, 20), *SIZES], ids=size_id)
async def test_a_post_with_problems_is_marked_in_every_view_and_the_detail_says_why(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        post = warned(pane)
        reasons = problems(post)
        assert post.scheduled is not None
        pane.select(pane.day, post.id)
        await pilot.pause()
        week = shown_text(app.query_one(WeekView))
        assert f"{post.status.symbol} {WARN_MARK} {post.title[:2]}" in week
        detail = shown_text(pane.query_one("#detail", Static))
        assert detail.startswith(f"{WARN_MARK} {reasons[0]}")  # first, where a short line shows it
        await pilot.press("m")
        pane.select(pane.day, post.id)  # the month's cell scrolls to the post
        await pilot.pause()
        assert f"{post.status.symbol} {WARN_MARK} {post.title[:2]}" in shown_text(
            app.query_one(MonthView))
        await pilot.press("m", "v")
        assert f"{WARN_MARK} {post.title[:20]}" in shown_text(app.query_one(AgendaView))
        await pilot.press("v", "enter")
        assert isinstance(app.screen, PostDetail)
        assert all(f"{WARN_MARK} {reason}" in app.screen.text for reason in reasons)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_a_ready_post_carries_no_mark(tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        assert pane.shown is not None
        post = next(p for p in pane.shown.day_posts() if not problems(p))
        pane.select(pane.day, post.id)
        await pilot.pause()
        assert WARN_MARK not in shown_text(pane.query_one("#detail", Static)).splitlines()[0]


async def test_an_over_limit_post_is_refused_approval_naming_the_channel(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        post = warned(pane, Status.REVIEW)
        pane.select(pane.day, post.id)
        await pilot.press("s")
        await pilot.pause()
        assert app.store is not None and app.store.get_post(post.id or 0) == post
        assert "too long to be approved" in said(app) and problems(post)[0] in said(app)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_help_has_a_legend_of_every_sign_and_keeps_the_binding_ids(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        legend = shown_text(app.screen.query_one("#legend", Static))
        for status in Status:
            assert f"{status.symbol}" in legend and status.value in legend
        for sign in ("◆", WARN_MARK, "⚑", "•"):
            assert sign in legend
        keys = "\n".join(shown_text(s) for s in app.screen.query(".help-group").results(Static))
        for binding_id in ("calendar.undated", "calendar.copy", "calendar.previous_status"):
            assert binding_id in keys
        assert "moves the link to the notes" in keys  # what S does to a published post


async def test_the_filter_keeps_the_posts_with_problems(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("slash", *"warn:", "enter")
        assert pane.shown is not None and pane.shown.ordered()
        assert all(problems(p) for p in pane.shown.ordered())
