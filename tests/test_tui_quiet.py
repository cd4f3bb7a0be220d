"""A quiet screen: one message in place, nothing over the calendar, a footer that fits,
and a tall terminal's room used."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from planterm.model import Status
from planterm.tui.widgets.message_line import MessageLine
from planterm.tui.widgets.week import WeekView
from tui_support import SIZES, app_on, demo_path, ready, said, shown_text, size_id


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_triage_keys_in_a_row_say_one_thing_in_place_and_cover_nothing(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size, notifications=True) as pilot:  # toasts drawn
        pane = await ready(pilot)
        assert pane.shown is not None
        post = next(p for p in pane.shown.ordered() if p.status is Status.IDEA)
        pane.select(pane.day, post.id)
        await pilot.press("s", "s", "S", "greater_than_sign", "D", "S", "S", "S")
        await pilot.pause()
        assert not app.screen.query(Toast)  # nothing stacked over the calendar
        assert said(app).startswith("⚠ ")  # the last one: an idea has nothing before it
        assert "idea is the first status" in said(app)
        await pilot.press("u")
        await pilot.pause()
        assert not app.screen.query(Toast) and "⚠" not in said(app)


async def test_over_a_dialog_a_new_toast_replaces_the_last(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        for n in range(3):
            app.notify(f"message {n}")
            await pilot.pause()
        toasts = app.screen.query(Toast)
        assert len(toasts) == 1 and "message 2" in str(toasts.first().render())


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=size_id)
async def test_the_footer_keeps_whole_keys_that_fit(tmp_path: Path,
                                                    size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("D")  # u (undo) joins the footer
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        shown = {k.key_display for k in keys}
        assert {"?", "a", "u", "s", "e", "/"} <= shown
        right = 0
        for key in sorted(keys, key=lambda k: k.region.x):
            assert key.region.x >= right and key.region.right <= size[0]  # none overlap
            right = key.region.right


async def test_a_tall_terminal_shows_whole_titles_and_the_text_of_the_selected_post(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        post = pane.shown.selected if pane.shown else None
        assert post is not None
        week = shown_text(app.query_one(WeekView))
        words = post.title.split()
        assert f"{post.status.symbol} {words[0]} {words[1]}" in week  # the title's first line
        assert f"  {words[2]}" in week  # and its second
        detail = pane.query_one("#detail", Static)
        assert detail.size.height > 1
        assert post.body.split()[0] in shown_text(detail).splitlines()[1]


async def test_a_plain_terminal_keeps_the_calendar_and_one_detail_line(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        assert pane.query_one("#detail", Static).size.height == 1
        assert app.query_one(MessageLine).size.height == 1
        assert app.query_one(WeekView).size.height >= 19
