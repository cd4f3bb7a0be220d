"""Writes by another process show up in the running planner, the selection kept."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from planterm.model import Post
from planterm.store import Store
from tui_support import PARIS, app_on, demo_path, ready

DEADLINE = 2.0
"""The promise: another process's write is on screen within two seconds."""


async def within_deadline(pilot: Pilot[Any], seen: Callable[[], bool]) -> float:
    """Let the app run (its poll timer included) until ``seen()``; the seconds it took."""
    start = time.monotonic()
    while not seen():
        assert time.monotonic() - start < DEADLINE, "not shown within 2 seconds"
        await pilot.pause(0.05)  # hand the loop to the app's timer, then look again
    return time.monotonic() - start


async def test_a_second_store_object_writing_shows_up_keeping_the_selection(
        tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("j")
        selected = pane.post_id
        other = Store(path)  # another planner on the same file
        added = other.add_post(Post(title="Written elsewhere", channels=["instagram"],
                                    scheduled=datetime(2026, 11, 25, 8, 0, tzinfo=PARIS)))
        other.close()

        def shown() -> bool:
            return pane.shown is not None and any(p.id == added.id for p in pane.shown.ordered())

        await within_deadline(pilot, shown)
        assert pane.post_id == selected  # an earlier post on the day did not move it


async def test_the_command_line_adding_a_post_shows_up(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        done = subprocess.run(
            [sys.executable, "-m", "planterm", "--store", str(path), "add", "From the CLI",
             "--on", "2026-11-26T09:00", "--channel", "ig"],
            capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr

        def shown() -> bool:
            return pane.shown is not None and any(
                p.title == "From the CLI" for p in pane.shown.ordered())

        await within_deadline(pilot, shown)
