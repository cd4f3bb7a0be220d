"""Live mode never loses a post (issue 13): the planner in a real pseudo-terminal logs
three posts, a fourth is being typed, then the process is killed (SIGKILL: a crash) or
hung up (SIGHUP: a dropped SSH link, a closed lid); reopened, the three posts are in the
store and the fourth is back in the box."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest

from planterm import live
from planterm.config import Settings
from planterm.model import Event
from planterm.store import Store
from pty_support import Terminal

TYPED = "Quatrième, en cours de frappe"


def open_live(terminal: Terminal) -> None:
    """Up to the day's first entry, the event (it starts before the posts logged during
    it), then L and p."""
    os.write(terminal.master, b"kkkkk")
    terminal.press(b"L", b"Log the posts as")
    terminal.press(b"p", b"LIVE")


@pytest.mark.parametrize("ending", [signal.SIGKILL, signal.SIGHUP], ids=["kill", "hangup"])
def test_logged_posts_and_the_draft_survive(tmp_path: Path, ending: signal.Signals) -> None:
    path = tmp_path / "plan.json"
    store = Store(path)
    now = datetime.now(UTC).replace(microsecond=0)
    tz = Settings().tz
    midnight = datetime.combine(now.astimezone(tz).date(), clock(), tz).astimezone(UTC)
    # running, and on today's local date, the day the planner opens on (just after
    # midnight, 30 minutes ago was yesterday)
    start = max(now - timedelta(minutes=30), midnight)
    event = store.add_event(Event("Nocturne", start, start + timedelta(hours=3),
                                  hashtag="#Nocturne", channels=["x"]))
    store.close()
    env = {"PLANTERM_CONFIG": str(tmp_path / "config.toml")}
    terminal = Terminal(path, (80, 24), env)
    try:
        terminal.read_until(b"Nocturne")
        open_live(terminal)
        for n in (1, 2, 3):
            terminal.press(f"Post {n}".encode(), f"Post {n}".encode())
            terminal.press(b"\r", f"Logged ({n})".encode())
        terminal.press(TYPED.encode(), b"frappe")
        time.sleep(3)  # the draft is written every 2 seconds
        terminal.process.send_signal(ending)
        terminal.process.wait(timeout=20)
    finally:
        terminal.close()

    reopened = Store(path, readonly=True)
    logged = sorted((p for p in reopened.posts() if p.live), key=lambda p: p.id or 0)
    reopened.close()
    assert [p.body for p in logged] == ["Post 1", "Post 2", "Post 3"]
    setup = live.Setup(event, event.start, ("x",))
    assert live.load_draft(live.draft_path(path, setup, Settings())) == TYPED

    again = Terminal(path, (80, 24), env)
    try:
        again.read_until(b"Nocturne")
        open_live(again)
        again.read_until(b"frappe")  # the fourth is back in the box
        again.read_until(b"draft restored")
    finally:
        again.close()
