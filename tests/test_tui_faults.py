"""The planner under faults: a busy store, a full disk, bad documents, a missing store.

It never freezes, never shows a traceback, never loses what the user typed.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from planterm.store import Store
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.editor import PostEditor
from planterm.tui.widgets.calendar import CalendarPane
from tui_support import app_on, demo_path, notes, ready

HOLDER = """
import sys, time
from pathlib import Path
from planterm.model import Post
from planterm.store import Store
store = Store(Path(sys.argv[1]))
store.add_post(Post(title="written by the holder"))
with store.storage.transaction():
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


async def settle(pilot: Pilot[Any], seconds: float) -> None:
    """Let the app's timers run for ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await pilot.pause(0.05)


async def test_a_busy_store_never_blocks_keys_and_the_change_waits(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        seen = notes(app)
        post = pane.shown.selected if pane.shown else None
        assert post is not None and post.id is not None
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), "10"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "held\n"
            await settle(pilot, 0.6)  # the poll sees the holder's write and skips its turn
            started = time.monotonic()
            await pilot.press("greater_than_sign")  # a triage key: the store is busy
            for key in "ljhk" * 3:
                await pilot.press(key)
            assert time.monotonic() - started < 3.0, "keys froze behind the busy store"
            assert any("store busy (held by pid" in m and str(holder.pid) in m
                       for _, m in seen), seen
            assert app._pending, "the change must wait, not be dropped"
        finally:
            holder.kill()
            holder.wait()
        deadline = time.monotonic() + 5
        while Store(path, readonly=True).get_post(post.id).scheduled == post.scheduled:
            assert time.monotonic() < deadline, "the waiting change was never saved"
            await pilot.pause(0.1)  # the retry goes through once the lock is free
        stored = Store(path, readonly=True)
        assert any(p.title == "written by the holder" for p in stored.posts())


async def test_a_full_disk_keeps_the_editor_text_and_the_planner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        seen = notes(app)
        count = Store(path, readonly=True).post_count()

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
        await pilot.press("a", *"Texte précieux", "enter", "enter")  # quick add, confirmed
        await pilot.pause()
        assert any("No space left on device" in m for _, m in seen), seen
        assert isinstance(app.screen, PostEditor)  # the text is still there
        assert app.screen.query_one("#title", Input).value == "Texte précieux"
        assert Store(path, readonly=True).post_count() == count
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PostEditor)
    assert any(p.title == "Texte précieux" for p in Store(path).posts())


def test_a_bad_document_refuses_the_planner_with_one_line(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    data = json.loads(path.read_text())
    first = next(iter(data["posts"]))
    data["posts"][first]["status"] = "foo"
    path.write_text(json.dumps(data))
    done = subprocess.run([sys.executable, "-m", "planterm", "--store", str(path)],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          env={**os.environ, "TEXTUAL": "headless"})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert f"document {first}" in done.stderr and "status" in done.stderr


async def test_a_missing_store_is_created_only_when_the_user_says_yes(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "plna.json"
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
    assert app.return_code == 1
    assert not (tmp_path / "typo").exists()
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("y")
        await ready(pilot)
        assert app.store is not None
    assert path.exists()


async def test_an_unexpected_error_while_opening_is_said_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planterm.tui.app as app_module

    def broken(*args: Any, **kwargs: Any) -> Store:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(app_module, "Store", broken)
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 1
    assert app.exit_message == "something nobody expected"


def spy_opens(monkeypatch: pytest.MonkeyPatch, fail_whole: bool = False) -> list[bool]:
    """Record each store the planner opens: True for a glimpse (``within``), False for the
    whole store; with ``fail_whole``, opening the whole store fails unexpectedly."""
    import planterm.tui.app as app_module

    opened: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Store:
        opened.append(kwargs.get("within") is not None)
        if fail_whole and not opened[-1]:
            raise RuntimeError("the disk went away")
        return Store(*args, **kwargs)

    monkeypatch.setattr(app_module, "Store", spy)
    return opened


async def test_the_first_week_comes_from_a_glimpse_and_keys_act_on_the_whole_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys typed as soon as the week shows wait for the whole store: weeks beyond the
    glimpse's show their posts."""
    from datetime import timedelta

    from planterm.store import PostQuery
    from tui_support import PARIS

    path = demo_path(tmp_path)  # as the demo is written: in no parts
    Store(path).compact()  # as planterm writes it: posts month by month
    opened = spy_opens(monkeypatch)
    app = app_on(path)
    later = app.call_after_refresh

    def no_open_after_the_frame(callback: Any, *args: Any, **kwargs: Any) -> bool:
        """The whole store opens only at the first key: the key comes in before it."""
        if getattr(callback, "__name__", "") == "_open_after_glimpse":
            return True
        return later(callback, *args, **kwargs)

    app.call_after_refresh = no_open_after_the_frame  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        calendar = app.query_one(CalendarPane)
        while calendar.shown is None:  # the week, from the glimpse
            await pilot.pause(0.001)
        assert opened == [True] and app.store is None, opened
        await pilot.press("]", "]", "]", "]", "]")  # five weeks on: past the glimpse's
        await ready(pilot)
        await pilot.pause()
        assert opened == [True, False]
        assert calendar.store is app.store and app.store is not None
        assert not app.store.readonly and app.store.storage.within is None
        shown = calendar.shown
        monday = calendar.today() - timedelta(days=calendar.today().weekday())
        assert shown is not None and shown.days[0] == monday + timedelta(weeks=5)
        start = shown.days[0]
        whole = Store(path, readonly=True).posts(PostQuery(
            start=datetime.combine(start, clock(), PARIS),
            end=datetime.combine(start + timedelta(days=7), clock(), PARIS)))
        assert whole and sorted(p.id for day in shown.posts.values() for p in day) == sorted(
            p.id for p in whole)


async def test_a_store_without_a_glimpse_opens_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planterm.storage import JournalStorage

    path = demo_path(tmp_path)
    plain = JournalStorage(path)  # a main file not kept month by month (an older planterm)
    with plain.transaction() as tables:
        tables.setdefault("themes", {})
    plain.compact()
    opened = spy_opens(monkeypatch)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        calendar = await ready(pilot)
        assert opened == [True, False]  # the glimpse was refused: the whole store, as before
        assert calendar.store is app.store and calendar.shown is not None
        assert calendar.shown.posts


async def test_an_error_opening_the_whole_store_after_a_glimpse_is_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = demo_path(tmp_path)
    Store(path).compact()
    opened = spy_opens(monkeypatch, fail_whole=True)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
    assert opened == [True, False]
    assert app.return_code == 1
    assert app.exit_message == "the disk went away"
