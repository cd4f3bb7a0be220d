"""Quick add, driven with real keys: line, preview, post; unknown names list the known ones."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from planterm.config import Settings
from planterm.model import Post, Status
from planterm.store import Store
from planterm.tui.screens.quick_add import QuickAddScreen
from test_tui_editor import ScreenHarness, settings, shown, store
from tui_support import NOW

__all__ = ["settings", "store"]  # fixtures shared with the editor tests

LINE = "ven 10h @ig @fb +préhistoire !visites Teaser du vernissage"


def quick_app(store: Store, settings: Settings) -> ScreenHarness:
    """The harness on quick add."""
    return ScreenHarness(lambda: QuickAddScreen(store, settings, NOW))


async def test_enter_previews_then_enter_hands_the_post_back(
    store: Store, settings: Settings
) -> None:
    count = len(store.posts())
    async with quick_app(store, settings).run_test(size=(80, 24)) as pilot:
        await pilot.press(*LINE, "enter")
        preview = shown(pilot, "#quick-preview")
        for expected in ("Teaser du vernissage", "ven. 27 nov. 2026 10:00", "Instagram, Facebook",
                         "Préhistoire", "Faire venir au musée", "○ idea"):  # fmt: skip
            assert expected in preview
        assert pilot.app.results == []
        await pilot.press("enter")
        [post] = pilot.app.results
    assert isinstance(post, Post)
    assert (post.id, post.title, post.status) == (None, "Teaser du vernissage", Status.IDEA)
    assert post.scheduled == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert (post.channels, post.themes, post.objectives) == (
        ["instagram", "facebook"], ["prehistoire"], ["visites"])
    assert len(store.posts()) == count  # the app saves, not the screen


async def test_default_channels_when_none_is_typed(store: Store, settings: Settings) -> None:
    async with quick_app(store, settings).run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Idée sans date", "enter", "enter")
        [post] = pilot.app.results
    assert (post.channels, post.scheduled) == (["instagram", "facebook", "x"], None)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("demain @myspace Teaser", "known channels: instagram (ig, insta), facebook (fb)"),
        ("demain +dinosaures Teaser", "known: prehistoire, evolution"),
        ("demain @ig", "title"),
    ],
)
async def test_unknown_names_are_refused_with_the_known_ones(
    store: Store, settings: Settings, line: str, says: str
) -> None:
    async with quick_app(store, settings).run_test(size=(80, 24)) as pilot:
        await pilot.press(*line, "enter")
        assert says in shown(pilot, "#quick-error")
        assert shown(pilot, "#quick-preview") == ""
        await pilot.press("backspace")  # typing again clears the refusal
        assert shown(pilot, "#quick-error") == ""
        assert pilot.app.results == []


async def test_escape_from_the_preview_goes_back_to_the_line(
    store: Store, settings: Settings
) -> None:
    async with quick_app(store, settings).run_test(size=(80, 24)) as pilot:
        await pilot.press(*LINE, "enter")
        assert shown(pilot, "#quick-preview")
        await pilot.press("escape")
        assert shown(pilot, "#quick-preview") == ""
        line = pilot.app.screen.query_one("#quick-line", Input)
        assert (line.value, pilot.app.focused) == (LINE, line)
        await pilot.press(*" @x", "enter", "enter")  # the line, edited, previews afresh
        assert pilot.app.results[0].channels == ["instagram", "facebook", "x"]


async def test_escape_from_the_line_closes(store: Store, settings: Settings) -> None:
    async with quick_app(store, settings).run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Teaser", "escape")
        assert pilot.app.results == [None]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_preview(
    snap_compare: Any, store: Store, settings: Settings, size: tuple[int, int]
) -> None:
    async def preview(pilot: Pilot[Any]) -> None:
        await pilot.press(*LINE, "enter")

    assert snap_compare(quick_app(store, settings), terminal_size=size, run_before=preview)
