"""A second planner on a store is told about the first; stale markers are cleared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from planterm import sessions
from planterm.sessions import Marker


def test_second_session_is_told_about_the_first(tmp_path: Path) -> None:
    store = tmp_path / "plan.json"
    first = Marker(store)
    assert first.open() == []
    second = Marker(store)
    second.path = sessions.folder(store) / "second.json"  # as if another live process
    (others,) = second.open()
    assert (others.host, others.pid) == (first.host, first.pid)
    assert "since" in others.describe() and str(first.pid) in others.describe()
    first.close()
    assert second.others() == []


def test_marker_of_a_killed_process_is_cleared(tmp_path: Path) -> None:
    store = tmp_path / "plan.json"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    folder = sessions.folder(store)
    folder.mkdir()
    stale = folder / f"x-{pid}.json"
    host = Marker(store).host
    stale.write_text(json.dumps({"host": host, "pid": pid, "since": "2026-11-25T09:00:00+00:00"}))
    assert Marker(store).open() == []
    assert not stale.exists()


def test_marker_without_heartbeat_is_stale(tmp_path: Path) -> None:
    store = tmp_path / "plan.json"
    folder = sessions.folder(store)
    folder.mkdir()
    other = folder / "far-1.json"
    doc = {"host": "far-away", "pid": 1, "since": "2026-11-25T09:00:00+00:00"}
    other.write_text(json.dumps(doc))
    assert [s.host for s in Marker(store).others()] == ["far-away"]
    old = time.time() - sessions.STALE_AFTER - 1
    os.utime(other, (old, old))
    assert Marker(store).others() == []
    assert not other.exists()


def test_heartbeat_keeps_a_marker_fresh(tmp_path: Path) -> None:
    store = tmp_path / "plan.json"
    mine = Marker(store)
    mine.open()
    old = time.time() - sessions.STALE_AFTER - 1
    os.utime(mine.path, (old, old))
    mine.heartbeat()
    assert time.time() - mine.path.stat().st_mtime < 5
