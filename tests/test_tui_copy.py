"""y copies the text that goes out (OSC 52), and shows it to be selected by hand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from planterm.model import Post
from planterm.readiness import outgoing_text
from planterm.tui.screens.copy_text import CopyScreen
from planterm.tui.widgets.calendar import CalendarPane
from planterm.tui.widgets.inert_text_area import InertTextArea
from tui_support import SIZES, app_on, demo_path, ready, said, shown_text, size_id


def with_channels(pane: CalendarPane, several: bool) -> Post:
    """Select a post of the week with several channels (or exactly one) and text."""
    assert pane.shown is not None
    post = next(p for p in pane.shown.ordered()
                if (len(p.channels) > 1) == several and p.channels and p.body)
    pane.select(pane.day, post.id)
    return post


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_y_offers_the_channels_and_enter_copies_the_one_chosen(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        post = with_channels(pane, several=True)
        await pilot.press("y")
        screen = app.screen
        assert isinstance(screen, CopyScreen)
        assert screen.query_one(OptionList).option_count == len(post.channels)
        assert app.clipboard == ""  # nothing copied before a channel is chosen
        await pilot.press("j", "enter")
        second = outgoing_text(post, post.channels[1])
        assert app.clipboard == second
        assert screen.query_one(InertTextArea).text == second  # shown, to select by hand
        assert screen.query_one(InertTextArea).read_only
        assert "copied to the clipboard (OSC 52)" in shown_text(
            screen.query_one("#copy-said", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen and "copied with OSC 52" in said(app)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_y_on_a_single_channel_copies_at_once(tmp_path: Path,
                                                    size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        post = with_channels(pane, several=False)
        await pilot.press("y")
        assert isinstance(app.screen, CopyScreen) and not app.screen.query(OptionList)
        assert app.clipboard == outgoing_text(post, post.channels[0])


async def test_the_copied_text_is_raw_and_the_shown_one_inert(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        post = with_channels(pane, several=False)
        hostile = replace(post, body="Hello \x1b]0;PWNED\x07 world", variants={})
        app.push_screen(CopyScreen(hostile))
        await pilot.pause()
        assert "\x1b]0;PWNED\x07" in app.clipboard  # base64 in OSC 52: it cannot act
        assert "␛]0;PWNED␇" in app.screen.query_one(InertTextArea).text


async def test_y_on_a_post_without_text_says_so(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        post = with_channels(pane, several=True)
        app.write(post, replace(post, body="", variants={}, hashtags=[]))  # an empty idea
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, CopyScreen)
        assert "has no text yet: e writes it" in said(app)
