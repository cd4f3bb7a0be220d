"""Snapshots of the calendar's views and screens on the demo plan, fixed clock: the week
with a post marked ⚠ (Friday) and a selected event, the month, the agenda, the help with
its legend, an event with its posts, the copy screen, the matrix (a gap selected: debat ×
évolution) and its gaps.

Textual is pinned exactly (snapshots change between releases). After a deliberate
change of the look: ``pytest tests/test_tui_snapshots.py --snapshot-update``, then
look at the SVGs before accepting them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from planterm.model import Post
from planterm.store import PostQuery, Store
from planterm.tui.screens.post_list import PostListScreen
from tui_support import PARIS, SETTINGS, app_on, demo_path, ready

SIZES = [(80, 24), (120, 40)]


async def opened(pilot: Pilot[Any]) -> None:
    """Let the store open and the first period draw before the picture is taken."""
    await ready(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "keys",
    [(), ("m",), ("v",), ("question_mark",), ("h", "j", "j"), ("h", "j", "j", "enter"),
     ("y",), ("m", "l", "l", "j"), ("2", "l", "j", "j")],
    ids=["week", "month", "agenda", "help", "week-event", "event", "copy", "month-warning",
         "matrix"],
)
def test_views(snap_compare: Callable[..., bool], tmp_path: Path, keys: tuple[str, ...],
               size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    assert snap_compare(app, press=keys, terminal_size=size, run_before=opened)


def test_matrix_gaps(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    """The matrix's gaps list over the pane, the third gap highlighted."""
    app = app_on(demo_path(tmp_path))
    assert snap_compare(app, press=("2", "G", "j", "j"), terminal_size=(80, 24),
                        run_before=opened)


def _cell_posts(store: Store) -> list[Post]:
    """The posts of one matrix cell (visites × préhistoire, the demo's November), by date."""
    query = PostQuery(start=datetime(2026, 11, 1, tzinfo=PARIS),
                      end=datetime(2026, 12, 1, tzinfo=PARIS),
                      objectives=frozenset({"visites"}), themes=frozenset({"prehistoire"}))
    return sorted(store.posts(query), key=lambda p: (p.scheduled, p.id))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", ["post-list", "structure"])
def test_screens(snap_compare: Callable[..., bool], tmp_path: Path, screen: str,
                 size: tuple[int, int]) -> None:
    """A matrix cell's list of posts (one moved down to), and the objectives and themes."""

    async def shown(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        if screen == "post-list":
            await pilot.app.push_screen(PostListScreen(
                "visites × préhistoire · novembre 2026", _cell_posts))
        else:
            pilot.app.action_structure()  # type: ignore[attr-defined]
        await pilot.pause()

    app = app_on(demo_path(tmp_path))
    assert snap_compare(app, press=("j",), terminal_size=size, run_before=shown)


def test_empty_store(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    """A new store: the first commands to type, not an empty grid."""
    store = Store(tmp_path / "plan.json")
    store.compact()
    store.close()
    app = app_on(store.path, replace(SETTINGS, store=store.path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=opened)


def test_transfer_prompt(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    """An export's path prompt, its dated default typed in (ctrl+p, Export to CSV, Enter)."""

    async def asked(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        await pilot.press("ctrl+p", *"Export to CSV")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    app = app_on(demo_path(tmp_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=asked)
