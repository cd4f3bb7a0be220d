"""Markers of the interactive sessions open on a store, to tell a second one about the first.

Each planner writes ``plan.json.sessions/<host>-<pid>.json`` (host, pid, since) and
refreshes its time stamp while it runs. Another planner opening the store lists the
markers: one whose process is gone (same host, pid not alive) or whose time stamp has not
moved for ``STALE_AFTER`` (another host, or a frozen laptop) is stale, and is removed.
The folder and the markers are never written through a symbolic link (``StoreError``).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from planterm.storage import atomic_write, own_dir

STALE_AFTER = 180.0
"""Seconds without a heartbeat after which a marker is taken as left by a dead process."""


@dataclass(frozen=True, slots=True)
class Session:
    """Another planner open on the same store."""

    host: str
    pid: int
    since: datetime

    def describe(self) -> str:
        """``pid 4242 on atelier, since 09:12 UTC``."""
        return f"pid {self.pid} on {self.host}, since {self.since:%Y-%m-%d %H:%M} UTC"


def folder(store: Path) -> Path:
    """Where a store's session markers live."""
    return store.with_name(store.name + ".sessions")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Marker:
    """This process's own marker on a store, from ``open`` to ``close``."""

    def __init__(self, store: Path) -> None:
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.path = folder(store) / f"{self.host}-{self.pid}.json"
        self.store = store

    def open(self) -> list[Session]:
        """Write our marker; return the other live sessions, clearing stale markers."""
        own_dir(folder(self.store))
        others = self.others()
        doc = {"host": self.host, "pid": self.pid, "since": datetime.now(UTC).isoformat()}
        atomic_write(self.path, json.dumps(doc).encode())
        return others

    def others(self) -> list[Session]:
        """The other sessions whose markers are fresh; stale ones are removed."""
        found = []
        for path in sorted(folder(self.store).glob("*.json")):
            if path == self.path:
                continue
            try:
                doc = json.loads(path.read_text())
                session = Session(doc["host"], int(doc["pid"]),
                                  datetime.fromisoformat(doc["since"]))
                age = time.time() - path.stat().st_mtime
            except (OSError, ValueError, KeyError):
                continue  # half-written by a crash, or removed meanwhile: nobody there
            dead = session.host == self.host and not _alive(session.pid)
            if dead or age > STALE_AFTER:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            found.append(session)
        return found

    def heartbeat(self) -> None:
        """Show we are still here (called every minute or so by the planner)."""
        with contextlib.suppress(FileNotFoundError):
            os.utime(self.path, follow_symlinks=False)  # a link put there is not followed

    def close(self) -> None:
        """Remove our marker on a clean exit."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
