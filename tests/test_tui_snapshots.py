"""Snapshots of the calendar's views and screens on the demo plan, fixed clock: the week
with a post marked ⚠ (Friday) and a selected event, the month, the agenda, the help with
its legend, an event with its posts, and the copy screen.

Textual is pinned exactly (snapshots change between releases). After a deliberate
change of the look: ``pytest tests/test_tui_snapshots.py --snapshot-update``, then
look at the SVGs before accepting them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui_support import app_on, demo_path, ready

SIZES = [(80, 24), (120, 40)]


async def opened(pilot: Pilot[Any]) -> None:
    """Let the store open and the first period draw before the picture is taken."""
    await ready(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "keys",
    [(), ("m",), ("v",), ("question_mark",), ("h", "j", "j"), ("h", "j", "j", "enter"),
     ("y",), ("m", "l", "l", "j")],
    ids=["week", "month", "agenda", "help", "week-event", "event", "copy", "month-warning"],
)
def test_views(snap_compare: Callable[..., bool], tmp_path: Path, keys: tuple[str, ...],
               size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    assert snap_compare(app, press=keys, terminal_size=size, run_before=opened)
