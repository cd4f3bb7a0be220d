"""A TinyDB storage whose writes are atomic, durable, shared and cheap.

The store on disk is two files:

* ``plan.json``: the whole database in TinyDB's own JSON layout, replaced
  atomically (temporary file in the same folder, fsync, ``os.replace``, fsync
  of the folder). Plain ``TinyDB("plan.json")`` reads it.
* ``plan.json.journal``: records appended since the last compaction, one per
  write. A record is ``<length:8 hex> <crc32:8 hex> <json>\\n``; the JSON holds
  the table name, the documents set (whole documents) and the ids deleted.
  Records are idempotent, so replaying a journal on top of a main file that
  already holds its changes (a crash between a compaction's replace and the
  journal's removal) gives the same data.

A write takes an exclusive ``flock`` on ``plan.json.lock``, catches up with
what other processes wrote (a stat tells whether anything changed; only the
new journal bytes are read), applies the change in memory, appends one record
and fsyncs it, then lets go. So one write costs what the change costs, not
what the store weighs, and two processes never overwrite each other.

A torn last record (a crash in the middle of an append) fails its length or
checksum: it is dropped with a warning and cut off by the next writer. A bad
record followed by good ones is corruption, and the store is refused.

The journal is compacted into the main file when it outgrows the main file
(at least 1 MiB), and on a clean close, after which the store is one JSON file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from tinydb.storages import Storage
from tinydb.table import Table

Tables = dict[str, dict[str, dict[str, Any]]]

HEADER = 18  # "%08x %08x " : length, checksum, two spaces
COMPACT_MIN_BYTES = 1 << 20


class StoreError(Exception):
    """A store that cannot be opened or written; the message is one clear line."""


class StoreBusy(StoreError):
    """Another process held the store's lock for longer than we could wait."""


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and its missing parents, each 0700 whatever the umask."""
    missing = [d for d in (directory, *directory.parents) if not d.exists()]
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir()
            os.chmod(d, 0o700)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file, fsync, replace, fsync folder; mode 0600."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def encode_record(table: str, sets: Mapping[str, Any], dels: list[str]) -> bytes:
    """One journal record: header with length and CRC32, JSON payload, newline."""
    payload = json.dumps({"t": table, "s": sets, "d": dels}, ensure_ascii=False).encode()
    return b"%08x %08x " % (len(payload), zlib.crc32(payload)) + payload + b"\n"


def decode_records(buf: bytes) -> tuple[list[dict[str, Any]], int, bool]:
    """Parse records from ``buf``: (records, bytes consumed, torn tail seen).

    A record that fails its checksum or runs past the end of ``buf`` stops the
    parse. If it is the last thing in ``buf`` it is a torn tail; if good bytes
    follow it, the journal is corrupt and ``StoreError`` is raised.
    """
    records: list[dict[str, Any]] = []
    pos = 0
    while pos < len(buf):
        head = buf[pos : pos + HEADER]
        try:
            if len(head) < HEADER or head[8:9] != b" " or head[17:18] != b" ":
                raise ValueError
            length, crc = int(head[0:8], 16), int(head[9:17], 16)
        except ValueError:
            # A cut header is a torn tail, unless whole lines follow it.
            if b"\n" in buf[pos:-1]:
                raise StoreError(
                    f"journal record at byte {pos} is damaged and more follow") from None
            return records, pos, True
        end = pos + HEADER + length + 1
        if end > len(buf):
            return records, pos, True
        payload = buf[pos + HEADER : end - 1]
        if zlib.crc32(payload) != crc or buf[end - 1 : end] != b"\n":
            if end < len(buf):
                raise StoreError(f"journal record at byte {pos} is damaged and more follow")
            return records, pos, True
        records.append(json.loads(payload))
        pos = end
    return records, pos, False


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class JournalStorage(Storage):
    """TinyDB storage: in-memory tables, an fsync'd journal, atomic compaction.

    ``read()`` returns the live tables (no copy); TinyDB's tables are meant to
    change them only through ``PlantermTable``, which records every change
    with ``commit``. Reads never take the lock for long: ``refresh()`` takes a
    shared lock just to read the new journal bytes.
    """

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self._tables: Tables = {}
        self._main_sig: tuple[int, int, int] | None = None
        self._journal_pos = 0
        """Bytes of the journal applied (a torn tail is not counted)."""
        self._journal_seen = 0
        """Bytes of the journal looked at, torn tail included."""
        self._journal_ino: int | None = None
        self._torn = False
        self._depth = 0
        self._mutex = threading.RLock()
        self._lock_fd: int | None = None
        self._next_ids: dict[str, int] = {}
        self.warnings: list[str] = []
        """Messages about torn records dropped while reading."""
        with self._locked(fcntl.LOCK_SH):
            self._load_all()

    # --- reading -------------------------------------------------------

    def read(self) -> Tables:
        """The live tables (TinyDB's Storage interface)."""
        return self._tables

    def _load_all(self) -> None:
        self._main_sig = _signature(self.path)
        if self._main_sig is None:
            self._tables = {}
        else:
            try:
                raw = self.path.read_bytes()
            except OSError as e:
                raise StoreError(f"cannot read {self.path}: {e.strerror}") from None
            try:
                data = json.loads(raw) if raw.strip() else {}
            except (ValueError, UnicodeDecodeError) as e:
                raise StoreError(f"{self.path} is not valid JSON ({e})") from None
            if not isinstance(data, dict) or not all(
                isinstance(t, dict) and all(isinstance(d, dict) for d in t.values())
                for t in data.values()
            ):
                raise StoreError(f"{self.path} is not a TinyDB store (tables of documents)")
            self._tables = data
        self._next_ids = {
            name: max((int(i) for i in docs), default=0) + 1 for name, docs in self._tables.items()
        }
        self._journal_pos = 0
        self._journal_ino = None
        self._read_journal()

    def _read_journal(self) -> bool:
        """Apply journal bytes not seen yet; True if anything was applied."""
        try:
            with open(self.journal_path, "rb") as f:
                ino = os.fstat(f.fileno()).st_ino
                if self._journal_ino not in (None, ino):
                    self._journal_pos = 0
                self._journal_ino = ino
                f.seek(self._journal_pos)
                buf = f.read()
        except FileNotFoundError:
            self._journal_ino = None
            self._journal_pos = self._journal_seen = 0
            return False
        records, used, torn = decode_records(buf)
        for rec in records:
            self._apply(rec)
        self._journal_seen = self._journal_pos + len(buf)
        self._journal_pos += used
        if torn and not self._torn:
            self.warnings.append(
                f"{self.journal_path.name}: dropped a torn last record at byte "
                f"{self._journal_pos} (a write cut short by a crash)"
            )
        self._torn = torn
        return bool(records)

    def _apply(self, rec: dict[str, Any]) -> None:
        table = self._tables.setdefault(rec["t"], {})
        for doc_id, doc in rec["s"].items():
            table[doc_id] = doc
        for doc_id in rec["d"]:
            table.pop(doc_id, None)
        self._seen_ids(rec["t"], rec["s"])

    def _seen_ids(self, table: str, ids: Iterable[str]) -> None:
        """Keep the next id above every id written, by us or by others."""
        top = max((int(i) for i in ids), default=0)
        if top >= self._next_ids.get(table, 1):
            self._next_ids[table] = top + 1

    def changed(self) -> bool:
        """Whether another process wrote since we last looked (two stats, no read)."""
        if _signature(self.path) != self._main_sig:
            return True
        try:
            st = os.stat(self.journal_path)
        except FileNotFoundError:
            return self._journal_ino is not None
        return st.st_ino != self._journal_ino or st.st_size != self._journal_seen

    def refresh(self) -> bool:
        """Apply what other processes wrote since we last looked; True if anything changed."""
        if not self.changed():
            return False
        with self._locked(fcntl.LOCK_SH):
            return self._catch_up()

    def reload(self) -> None:
        """Drop the memory and read the store again from disk."""
        with self._locked(fcntl.LOCK_SH):
            self._load_all()

    def _catch_up(self) -> bool:
        if _signature(self.path) != self._main_sig:
            self._load_all()
            return True
        return self._read_journal()

    # --- writing -------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, mode: int) -> Iterator[None]:
        """Hold the lock file (re-entrant within this process)."""
        with self._mutex:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            deadline = time.monotonic() + self.lock_timeout
            try:
                while True:
                    try:
                        fcntl.flock(fd, mode | fcntl.LOCK_NB)
                        break
                    except OSError as e:
                        if e.errno not in (errno.EAGAIN, errno.EACCES):
                            raise
                        if time.monotonic() > deadline:
                            raise StoreBusy(
                                f"{self.path} is busy: another planterm is writing to it; "
                                "nothing was written, try again"
                            ) from None
                        time.sleep(0.01)
                self._depth = 1
                self._lock_fd = fd
                try:
                    yield
                finally:
                    self._depth = 0
                    self._lock_fd = None
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tables]:
        """Exclusive lock, caught up with other writers; yields the live tables."""
        with self._locked(fcntl.LOCK_EX):
            if self._depth == 1:
                self._catch_up()
            yield self._tables

    def next_id(self, table: str) -> int:
        """A fresh document id for ``table``, never reused within a session."""
        nid = self._next_ids.get(table, 1)
        self._next_ids[table] = nid + 1
        return nid

    def commit(self, table: str, ids: set[str]) -> None:
        """Journal the current state of ``ids`` in ``table`` (inside ``transaction``)."""
        if not self._depth:
            raise RuntimeError("commit outside a transaction")
        if not ids:
            return
        docs = self._tables.get(table, {})
        sets = {i: docs[i] for i in ids if i in docs}
        dels = sorted(i for i in ids if i not in docs)
        self._seen_ids(table, sets)
        self._append(encode_record(table, sets, dels))

    def _append(self, record: bytes) -> None:
        new = not self.journal_path.exists()
        fd = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            if self._torn:
                # Cut off the torn record a crash left, before it hides ours.
                os.ftruncate(fd, self._journal_pos)
                self._torn = False
            os.lseek(fd, self._journal_pos, os.SEEK_SET)
            os.write(fd, record)
            os.fsync(fd)
            self._journal_ino = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        if new:
            fsync_dir(self.path.parent)
        self._journal_pos += len(record)
        self._journal_seen = self._journal_pos
        main_size = self._main_sig[2] if self._main_sig else 0
        if self._journal_pos > max(main_size, COMPACT_MIN_BYTES):
            self.compact()

    def write(self, data: Mapping[str, Any]) -> None:
        """Replace the whole database (TinyDB's interface; used by drop_tables)."""
        with self.transaction():
            self._tables = {k: dict(v) for k, v in data.items()}
            self.compact()

    def compact(self) -> None:
        """Fold the journal into the main file atomically, then remove the journal."""
        with self._locked(fcntl.LOCK_EX):
            if self._depth == 1:
                self._catch_up()
            atomic_write(self.path, json.dumps(self._tables, ensure_ascii=False).encode())
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.journal_path)
            fsync_dir(self.path.parent)
            self._main_sig = _signature(self.path)
            self._journal_pos = self._journal_seen = 0
            self._journal_ino = None
            self._torn = False

    def close(self) -> None:
        """A clean close: compact if there is a journal, so one JSON file remains."""
        if self.journal_path.exists():
            self.compact()


class TrackedTable(MutableMapping[int, Any]):
    """The table view TinyDB's updaters work on: int keys over the raw str-keyed dict.

    It records every key read or written, so the storage journals exactly the
    documents an update touched instead of rewriting the table.
    """

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.touched: set[str] = set()

    def __getitem__(self, key: int) -> Any:
        doc = self.raw[str(key)]
        self.touched.add(str(key))
        return doc

    def __setitem__(self, key: int, value: Any) -> None:
        self.raw[str(key)] = value
        self.touched.add(str(key))

    def __delitem__(self, key: int) -> None:
        del self.raw[str(key)]
        self.touched.add(str(key))

    def __contains__(self, key: object) -> bool:
        return str(key) in self.raw

    def __iter__(self) -> Iterator[int]:
        return (int(k) for k in self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def clear(self) -> None:
        """Remove every document (TinyDB's truncate)."""
        self.touched.update(self.raw)
        self.raw.clear()


class PlantermTable(Table):
    """TinyDB's table with its whole-table rebuild replaced by a journalled change.

    Stock ``Table._update_table`` converts every document id of the table to
    int and back on each write, so a write costs O(table). Here the updater
    runs on a ``TrackedTable`` view of the live dict under the storage's
    transaction, and only the documents it touched are journalled.
    """

    _storage: JournalStorage

    def _update_table(self, updater: Any) -> None:
        storage = self._storage
        with storage.transaction() as tables:
            view = TrackedTable(tables.setdefault(self.name, {}))
            try:
                updater(view)
            except BaseException:
                storage.reload()  # the memory may be half-changed: go back to the disk
                raise
            storage.commit(self.name, view.touched)
        self.clear_cache()

    def _get_next_id(self) -> int:
        return self._storage.next_id(self.name)

    def insert(self, document: Mapping[str, Any]) -> int:
        """Insert under the lock, so the new id is fresh across processes."""
        with self._storage.transaction():
            return int(super().insert(document))

    def insert_multiple(self, documents: Any) -> list[int]:
        """Insert many under one lock and one journal record."""
        with self._storage.transaction():
            return list(super().insert_multiple(documents))
