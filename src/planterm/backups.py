"""Backups of a store: whole JSON snapshots beside it, the last N kept, mode 0600."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from planterm.storage import atomic_write


def folder(store: Path) -> Path:
    """Where a store's backups live: ``plan.json.backups/`` beside ``plan.json``."""
    return store.with_name(store.name + ".backups")


def listing(store: Path) -> list[Path]:
    """The store's backups, oldest first (their names sort by time)."""
    where = folder(store)
    return sorted(where.glob("*.json")) if where.is_dir() else []


def take(store: Path, reason: str, keep: int, data: bytes, now: datetime | None = None) -> Path:
    """Write a snapshot named by time and reason, then prune to the newest ``keep``."""
    where = folder(store)
    where.mkdir(mode=0o700, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    path = where / f"{store.stem}-{stamp}-{reason}.json"
    atomic_write(path, data)
    for old in listing(store)[:-keep]:
        old.unlink()
    return path


def taken_today(store: Path, now: datetime | None = None) -> bool:
    """Whether a backup of the store was already taken today (local date)."""
    today = (now or datetime.now()).strftime("%Y%m%d")
    return any(p.name[len(store.stem) + 1 :].startswith(today) for p in listing(store))
