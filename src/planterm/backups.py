"""Backups of a store: whole JSON snapshots beside it, the last N kept, mode 0600.

A snapshot should come from ``JournalStorage.snapshot()`` or ``write_backup``: it carries
a fresh generation of its own, so a backup copied over the store adopts no journal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from planterm.storage import WriteFailed, atomic_write, own_dir


def folder(store: Path) -> Path:
    """Where a store's backups live: ``plan.json.backups/`` beside ``plan.json``."""
    return store.with_name(store.name + ".backups")


def listing(store: Path) -> list[Path]:
    """The store's backups, oldest first (their names sort by time); none behind a link."""
    where = folder(store)
    return sorted(where.glob("*.json")) if where.is_dir() and not where.is_symlink() else []


def take(store: Path, reason: str, keep: int, data: bytes | Callable[[Path], None],
         now: datetime | None = None) -> Path:
    """Write a snapshot named by time and reason, then prune to the newest ``keep``.

    ``data`` is the snapshot's bytes, or a function that writes it (atomically) at a path.

    ``WriteFailed`` if it cannot be written; ``StoreError`` if the folder or
    the file is a symbolic link.
    """
    where = folder(store)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    path = where / f"{store.stem}-{stamp}-{reason}.json"
    try:
        own_dir(where)
        if callable(data):
            data(path)
        else:
            atomic_write(path, data)
    except OSError as e:
        raise WriteFailed(f"could not write to {path}: {e.strerror or e}; nothing was "
                          "saved") from None
    for old in listing(store)[:-keep]:
        with contextlib.suppress(OSError):  # the backup is saved: an old one can wait
            old.unlink()
    return path


def taken_today(store: Path, now: datetime | None = None) -> bool:
    """Whether a backup of the store was already taken today (local date)."""
    today = (now or datetime.now()).strftime("%Y%m%d")
    return any(p.name[len(store.stem) + 1 :].startswith(today) for p in listing(store))
