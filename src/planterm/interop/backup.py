"""Backups a user asks for, and restoring one over the store.

A backup is the whole store at one moment, read as every reader reads it (main file and
journal, under the shared lock), so it is consistent even while a planner writes; it is
written as the store's backups are (``JournalStorage.backup_writer``), with a generation of
its own, so that copied over a store it adopts no journal. A restore checks the file with
the very rules a store is opened with, and replaces the store through ``Store.restore``.
"""

from __future__ import annotations

from pathlib import Path

from planterm import backups
from planterm.storage import StoreError, Tables
from planterm.store import Store


def write_backup(store: Store, dest: Path | None, keep: int, reason: str = "manual") -> Path:
    """Write a snapshot of ``store`` at ``dest`` (atomically), or among the store's backups
    (``plan.json.backups/``, the newest ``keep`` kept, named with ``reason``) when ``dest``
    is None; its path. Unlike ``Store.backup`` it works on a read-only store (the planner
    reads from one in a thread)."""
    write = store.storage.backup_writer()
    if dest is None:
        return backups.take(store.path, reason, keep, write)
    write(dest)
    return dest


def checked_tables(path: Path, store: Path) -> Tables:
    """The tables of the store file ``path``, opened read-only as any store is (not a
    planterm store, newer, a bad document: ``StoreError`` names it); an older one comes
    upgraded, as opening it would."""
    if path.resolve() == store.resolve():
        raise StoreError(f"{path} is the store itself; give a backup to restore")
    return Store(path, create=False, readonly=True).storage.read()
