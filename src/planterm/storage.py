"""A TinyDB storage whose writes are atomic, durable, shared and cheap.

The store on disk is two files, with a lock file beside them:

* ``plan.json``: the whole database in TinyDB's own JSON layout, replaced
  atomically (temporary file in the same folder, fsync, ``os.replace``, fsync
  of the folder). Plain ``TinyDB("plan.json")`` reads it. Besides planterm's
  tables it holds the storage's own table ``storage``: one document with the
  file's ``generation`` (a fresh uuid at each compaction) and the
  ``previous`` generation it replaced. ``read()`` does not show that table.
  orjson writes the file, that table last, with the ``crc`` (CRC32) of every byte
  before it, the rules (``proven``, see ``JournalStorage.proof``) every document
  passed when it was written and where each table's documents are, in ``parts`` of
  512. A file whose bytes match its CRC is parsed by orjson part by part (it holds
  nothing orjson reads otherwise; the whole file is never in memory at once, but in a
  command that writes) and its documents need no checking again;
  any other file (older, edited by hand, written by TinyDB) is parsed by the standard
  library and checked whole. What orjson cannot write as it was read (integers beyond
  64 bits, NaN) is written by the standard library, without a CRC. A command's write
  (``fold_writes``) copies the parts whose documents it left as they were from the bytes
  of the file it replaces, kept as they were read.
* ``plan.json.journal``: records appended since the last compaction. A record
  is ``<length:8 hex> <crc32:8 hex> <json>\\n``. The first record of a journal
  is its header, ``{"g": generation}``: the main file it extends. Every other
  record is one transaction, ``{"c": {table: {"s": {id: document}, "d": [ids]}}}``
  (whole documents set, ids deleted); records of older planterms,
  ``{"t": table, "s": ..., "d": ...}``, are still read.
* ``plan.json.lock``: ``flock``-ed; a writer holding it writes ``pid host`` in it.

Guarantees, as they hold:

* A transaction (``transaction()``, outermost level) is one record, written
  whole (short writes are continued), fsync'd, before it returns. A write that
  fails (full disk, denied, I/O error, file-size limit) cuts the journal back
  to its last good end, reloads memory from the disk and raises ``WriteFailed``:
  nothing of it is on disk or in memory, so no later compaction can write it.
  An exception inside a transaction likewise reloads and writes nothing.
* A write takes the lock exclusively and first catches up with what other
  processes wrote (a stat says whether anything changed; only new journal
  bytes are read), so a read-compare-write inside one transaction is atomic
  across processes. A write costs what its change costs, not the store's size.
* Only a torn tail is dropped (with a warning): bytes after the last good
  record too short to hold the record their header announces, with nothing
  decodable after them. Any other damage, a record of the wrong shape, or a
  journal whose header names another main file refuses the store with one
  line, every byte left as it was; ``repair()`` salvages what it can.
* A journal whose header names the main file's ``previous`` generation was
  folded in by a compaction that died before removing it: it is ignored, and
  the next writer replaces it. Backups get a fresh generation of their own
  (``snapshot()``), so a backup copied over ``plan.json`` adopts no journal.
* planterm never writes through a symbolic link: the journal, the lock file,
  temporary files and the folders and files beside the store are opened with
  ``O_NOFOLLOW`` (temporary files with ``O_EXCL``) or checked with ``lstat``.
  A store path that is itself a link is resolved once, at opening.
* A backup (``backup_writer()``) is the whole store at one moment: the main file's bytes
  copied in the kernel, with a storage table of its own, when the main file alone is
  the store; otherwise memory, serialised under the lock.
* A read-only storage creates and writes no file, not even the lock file.
  A main file without the owner's write bit is never written.

The journal is compacted into the main file when it outgrows it (at least
1 MiB), and on a clean close, after which the store is one JSON file.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import fcntl
import gc
import json
import os
import re
import stat
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage
from tinydb.table import Table

Tables = dict[str, dict[str, dict[str, Any]]]
Record = dict[str, Any]
"""A decoded journal record: ``{"g": generation}`` or ``{"c": {table: {"s", "d"}}}``."""

HEADER = 18  # "%08x %08x " : length, checksum, two spaces
COMPACT_MIN_BYTES = 1 << 20
STORAGE_TABLE = "storage"
"""The storage's own table in the main file (generation), hidden from ``read()``."""
LEGACY = "legacy"
"""``previous`` of a main file that folded in a header-less journal of an older planterm."""

_HEAD = re.compile(rb"([0-9a-f]{8}) ([0-9a-f]{8}) ")
_ANY_HEAD = re.compile(rb"(?=[0-9a-f]{8} [0-9a-f]{8} )")
_ID = re.compile(r"0|[1-9][0-9]{0,17}")
_GENERATION = re.compile(r"[0-9a-f]{32}")
_TAIL_START = b'"storage":{"1":{"generation":"'
"""How the end of a main file planterm wrote with orjson starts: its storage table, last,
with the CRC32 of every byte before it, the rules its documents were proven against
(``proof``) and where each table's documents are (``parts``)."""
TAIL_MAX = 1 << 16
"""The storage table is looked for in the file's last bytes only."""
_PROOF_NAME = re.compile(r"[a-z0-9.-]{1,40}")
PART_DOCUMENTS = 512
"""Documents per part of a table in the main file: what one parse holds at once."""
NO_TIME = ""
"""The bucket of the documents of a table kept by time that have none (``_chunks``)."""

Part = tuple[str, int, int, str | None]
"""A part of the main file: (table, start, end, bucket). ``{`` + the bytes from start to
end + ``}`` parse alone. The bucket, in a table kept by time (``JournalStorage.by_time``),
is the month (``YYYY-MM``, UTC) of every document in the part, or ``NO_TIME``; else None."""


@dataclass(frozen=True, slots=True)
class _Tail:
    """The storage table at the end of a main file planterm wrote with orjson."""

    head: int
    """Where it starts: every byte before it is covered by ``crc``."""
    crc: int
    proven: str | None
    parts: tuple[Part, ...]
    """The members of each table's object, in file order, every table at least once.
    Empty in an older file."""
    table: dict[str, Any]
    """The storage table itself."""


@dataclass(frozen=True, slots=True)
class _Reuse:
    """What a compaction may copy from the main file it replaces: the bytes of its parts whose
    documents are still exactly those it holds (see ``_orjson_parts``)."""

    parts: dict[str, OldParts]
    """By table, in file order: (the part's bucket, the ids of its documents in order, its
    bytes as they were read, their CRC checked)."""
    changed: Mapping[str, Iterable[str]]
    """By table, the ids of documents changed since the old main file was read."""


class StoreError(Exception):
    """A store that cannot be opened or written; the message is one clear line."""


class StoreBusy(StoreError):
    """Another process held the store's lock for longer than we could wait."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder
        """Who holds the lock: ``pid 4242 on atelier``, or ``another planterm``."""


class WriteFailed(StoreError):
    """A write that did not reach the disk: nothing of it was saved, memory matches the disk."""


@dataclass(frozen=True, slots=True)
class RepairReport:
    """What ``repair`` did: records kept, byte ranges lost, where the damaged journal went."""

    kept: int
    lost: list[tuple[int, int]]
    copy: Path | None
    """The damaged journal as it was; None when nothing needed repairing."""


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


def refuse_link(path: Path) -> None:
    """``StoreError`` if ``path`` is a symbolic link (planterm never writes through one)."""
    if path.is_symlink():
        raise StoreError(f"{path} is a symbolic link; planterm does not write through links")


def own_dir(path: Path) -> None:
    """A folder planterm keeps beside a store (backups, sessions): made 0700 if missing.

    A link is refused, so nothing planterm writes or prunes there lands elsewhere.
    """
    refuse_link(path)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    refuse_link(path)  # made a link between the check and the mkdir


def open_own(path: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` that never follows a link at ``path``; a link is a ``StoreError``."""
    try:
        return os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    except OSError as e:
        if e.errno == errno.ELOOP:
            refuse_link(path)
        raise


def atomic_write(path: Path, data: bytes | Callable[[int], None]) -> None:
    """Replace ``path`` with ``data``: temp file, fsync, replace, fsync folder; mode 0600.

    ``data`` may be a function writing the content into the temporary file's descriptor
    (``write_parts`` writes several buffers).
    A link at ``path`` is refused (``StoreError``) rather than replaced; the
    temporary file is created exclusively (``mkstemp``) and never followed.
    """
    refuse_link(path)
    # mkstemp opens with O_EXCL | O_NOFOLLOW: never an old file, never through a link.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f.fileno())
            else:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_parts(parts: Iterable[bytes | memoryview]) -> Callable[[int], None]:
    """For ``atomic_write``: write ``parts`` one after the other, joined by nobody."""
    def write(fd: int) -> None:
        for part in parts:
            _write_all(fd, part)

    return write


def encode_record(payload: Mapping[str, Any]) -> bytes:
    """One journal record: header with length and CRC32, JSON payload, newline."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    return b"%08x %08x " % (len(body), zlib.crc32(body)) + body + b"\n"


class _NonFinite(float):
    """NaN or an infinity read from a file: orjson refuses to write it (it would write null),
    so whatever holds one is written by the standard library, as it was read."""


@contextlib.contextmanager
def no_collector() -> Iterator[None]:
    """The cyclic garbage collector paused while work makes tens of thousands of containers
    that live until it ends, none of them in a cycle: parsing a store, an export or an
    import (posts, documents, rows, lines). Each collection on the way would walk them all
    again, with the whole store, and find nothing (it cost more than the parse, a third of
    exporting 20,000 posts, two fifths of reading 20,000 CSV rows). Reference counting
    frees everything else as usual. Nested, or used as a decorator, alike."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _record_end(buf: bytes, pos: int) -> int | None:
    """Where the record at ``pos`` ends, if a whole record with a good checksum is there."""
    head = _HEAD.match(buf, pos)
    if head is None:
        return None
    end = pos + HEADER + int(head[1], 16) + 1
    if end > len(buf) or buf[end - 1] != 0x0A:
        return None
    if zlib.crc32(memoryview(buf)[pos + HEADER : end - 1]) != int(head[2], 16):
        return None
    return end


def _next_record(buf: bytes, start: int) -> int | None:
    """The first offset at or after ``start`` where a good record begins, if any."""
    for found in _ANY_HEAD.finditer(buf, start):
        if _record_end(buf, found.start()) is not None:
            return found.start()
    return None


def _torn_tail(buf: bytes, pos: int) -> bool:
    """Whether the bytes from ``pos`` are a record cut short by a crash, nothing after it."""
    if len(buf) - pos >= HEADER:
        head = _HEAD.match(buf, pos)
        if head is None or pos + HEADER + int(head[1], 16) + 1 <= len(buf):
            return False  # room for the whole record: it was written, then damaged
    return _next_record(buf, pos + 1) is None


class _BadRecord(ValueError):
    """A record with a good checksum whose content is not a planterm record."""


def _parse(payload: bytes, first: bool) -> Record:
    """The record in ``payload``, normalised; ``_BadRecord`` saying what is wrong."""
    try:
        rec = json.loads(payload, parse_constant=_NonFinite)
    except (ValueError, UnicodeDecodeError):
        raise _BadRecord("not JSON") from None
    except RecursionError:
        raise _BadRecord("nested too deep") from None
    if isinstance(rec, dict) and set(rec) == {"g"}:
        if not first:
            raise _BadRecord("a journal header in the middle of the journal")
        if not isinstance(rec["g"], str) or not _GENERATION.fullmatch(rec["g"]):
            raise _BadRecord("a header without a generation")
        return rec
    if isinstance(rec, dict) and set(rec) == {"t", "s", "d"} and isinstance(rec["t"], str):
        rec = {"c": {rec["t"]: {"s": rec["s"], "d": rec["d"]}}}  # an older planterm's record
    if not isinstance(rec, dict) or set(rec) != {"c"} or not isinstance(rec["c"], dict):
        raise _BadRecord("not a change")
    for table, change in rec["c"].items():
        if not isinstance(change, dict) or set(change) != {"s", "d"}:
            raise _BadRecord(f"table {table}: not a change")
        sets, dels = change["s"], change["d"]
        if not isinstance(sets, dict) or not isinstance(dels, list):
            raise _BadRecord(f"table {table}: not a change")
        for doc_id, doc in sets.items():
            if not _ID.fullmatch(doc_id):
                raise _BadRecord(f"table {table}: document id {doc_id!r} is not a number")
            if not isinstance(doc, dict):
                raise _BadRecord(f"table {table}, document {doc_id}: not a document")
        for doc_id in dels:
            if not isinstance(doc_id, str) or not _ID.fullmatch(doc_id):
                raise _BadRecord(f"table {table}: deleted id {doc_id!r} is not a number")
    return rec


def decode_records(buf: bytes, name: str = "journal",
                   base: int = 0) -> tuple[list[Record], int, bool]:
    """Parse records from ``buf``, read at byte ``base`` of journal ``name``.

    Returns (records, bytes used, torn tail seen). Anything but a torn tail
    (see ``_torn_tail``) raises ``StoreError`` naming the journal and the offset.
    """
    records: list[Record] = []
    pos = 0
    while pos < len(buf):
        end = _record_end(buf, pos)
        if end is None:
            if _torn_tail(buf, pos):
                return records, pos, True
            raise StoreError(f"{name}: damaged record at byte {base + pos}; the file was left as "
                             "it was, run 'planterm check --repair'")
        try:
            records.append(_parse(buf[pos + HEADER : end - 1], base + pos == 0))
        except _BadRecord as e:
            raise StoreError(f"{name}: the record at byte {base + pos} is not a planterm change "
                             f"({e}); run 'planterm check --repair'") from None
        pos = end
    return records, pos, False


def _salvage(buf: bytes) -> tuple[list[tuple[int, Record]], list[tuple[int, int]]]:
    """Every good record of ``buf`` with its offset, and the byte ranges that are not one."""
    found: list[tuple[int, Record]] = []
    lost: list[tuple[int, int]] = []
    pos = 0
    while pos < len(buf):
        end = _record_end(buf, pos)
        if end is None:
            end = _next_record(buf, pos + 1) or len(buf)
            lost.append((pos, end))
        else:
            try:
                found.append((pos, _parse(buf[pos + HEADER : end - 1], pos == 0)))
            except _BadRecord:
                lost.append((pos, end))
        pos = end
    return found, lost


def _tail(generation: str, previous: str | None, crc: int, proven: str | None,
          parts: Iterable[Part]) -> bytes:
    """The end of a main file written by orjson: the storage's table, then the closing brace."""
    own = {"generation": generation, "previous": previous, "crc": f"{crc:08x}", "proven": proven,
           "parts": [list(part[:3]) if part[3] is None else list(part) for part in parts]}
    return b'"storage":' + orjson.dumps({"1": own}) + b"}"


def _tail_of(buf: bytes, offset: int, size: int) -> _Tail | None:
    """The storage table at the end of a file of ``size`` bytes whose last bytes, from
    ``offset``, are ``buf``, if planterm wrote it with orjson; its CRC is not checked here."""
    at = buf.rfind(_TAIL_START)
    if at < 0:
        return None
    try:
        own = orjson.loads(b"{" + buf[at:])
    except orjson.JSONDecodeError:
        return None
    table = own.get("storage") if isinstance(own, dict) and len(own) == 1 else None
    doc = table.get("1") if isinstance(table, dict) and len(table) == 1 else None
    if (not isinstance(table, dict) or not isinstance(doc, dict)
            or not {"generation", "previous", "crc", "proven"} <= set(doc)):
        return None
    crc, proven, raw_parts = doc["crc"], doc["proven"], doc.get("parts", [])
    head = offset + at
    if not (isinstance(crc, str) and re.fullmatch("[0-9a-f]{8}", crc)
            and (proven is None or (isinstance(proven, str) and _PROOF_NAME.fullmatch(proven)))
            and isinstance(raw_parts, list)):
        return None
    parts: list[Part] = []
    last = 0
    for part in raw_parts:
        if not (isinstance(part, list) and len(part) in (3, 4) and isinstance(part[0], str)
                and type(part[1]) is int and type(part[2]) is int
                and last <= part[1] <= part[2] <= head
                and (len(part) == 3 or isinstance(part[3], str))):
            return None
        parts.append((part[0], part[1], part[2], part[3] if len(part) == 4 else None))
        last = part[2]
    return _Tail(head, int(crc, 16), proven, tuple(parts), table)


def _dump(tables: Tables, generation: str, previous: str | None, proven: str | None = None,
          exact: bool = False, by_time: Mapping[str, str] | None = None) -> bytes:
    """``_dump_parts`` joined."""
    return b"".join(_dump_parts(tables, generation, previous, proven, exact, by_time=by_time))


def _dump_parts(tables: Tables, generation: str, previous: str | None,
                proven: str | None = None, exact: bool = False,
                reuse: _Reuse | None = None, by_time: Mapping[str, str] | None = None
                ) -> list[bytes | memoryview]:
    """The main file's bytes: the tables, then the storage's own table (generation).

    orjson writes them, ten times faster than the standard library, with the CRC32 of the
    tables' bytes in the storage table: a file read back intact is then parsed by orjson
    too, part by part (see ``_orjson_parts``, ``_read_parts``). What orjson does not
    write as the standard library does (integers beyond 64 bits, NaN, nesting past 255
    levels), or anything when ``exact``, is written by the standard library, without a CRC.
    """
    try:
        if not exact:
            return _orjson_parts(tables, generation, previous, proven, reuse, by_time or {})
    except TypeError:
        pass
    own = {"1": {"generation": generation, "previous": previous}}
    return [json.dumps({**tables, STORAGE_TABLE: own}, ensure_ascii=False).encode()]


Layout = list[tuple[str | None, tuple[str, ...]]]
"""A table's parts: each one's bucket (``Part``) and the ids of its documents, in order."""
OldParts = list[tuple[str | None, tuple[str, ...], memoryview]]
"""A table's parts in the main file memory was read from: bucket, ids, bytes as read."""


def _layout(table: Mapping[str, Any], field: str | None, old: OldParts | None = None,
            changed: Iterable[str] = ()) -> Layout:
    """A table's parts of at most ``PART_DOCUMENTS`` documents: in the order memory holds
    them, or, for a table kept by time (``field`` names the time: stored UTC ISO), month by
    month, those without a time first, so that the planner's first week is a few parts
    away (``JournalStorage.within``). ``old`` and ``changed``: see ``_layout_kept``."""
    if field is None:
        ids = list(table)
        return [(None, tuple(ids[i:i + PART_DOCUMENTS]))
                for i in range(0, max(len(ids), 1), PART_DOCUMENTS)]
    kept = None if old is None else _layout_kept(table, field, old, set(changed))
    if kept is not None:
        return kept
    ids = list(table)
    months = [when[:7] if when.__class__ is str else NO_TIME
              for when in map(dict.get, table.values(), repeat(field))]
    order = sorted(range(len(ids)), key=months.__getitem__)  # stable: memory's order in a month
    ids, months = [ids[i] for i in order], [months[i] for i in order]
    laid: Layout = []
    for month in dict.fromkeys(months):
        first, end = bisect.bisect_left(months, month), bisect.bisect_right(months, month)
        laid += [(month, tuple(ids[i:min(i + PART_DOCUMENTS, end)]))
                 for i in range(first, end, PART_DOCUMENTS)]
    return laid or [(NO_TIME, ())]


def _layout_kept(table: Mapping[str, Any], field: str, old: OldParts,
                 changed: set[str]) -> Layout | None:
    """The parts of the main file memory was read from (``old``), memory being its
    documents but for ``changed``: each part keeps its documents (one changed that left
    its month goes to its new month's last part, a new one too), so that the parts no
    document of which changed are copied as they are. None when they are not month by
    month, or do not hold exactly the table's documents once each: laid out anew."""
    if any(bucket is None for bucket, _, _ in old):
        return None

    def month(doc_id: str) -> str:
        when = table[doc_id].get(field)
        return when[:7] if isinstance(when, str) else NO_TIME

    months: dict[str, list[list[str]]] = {}
    moved: list[str] = []
    seen: set[str] = set()
    for bucket, ids, _ in old:
        assert bucket is not None
        hit = changed.intersection(ids)
        if not hit:
            months.setdefault(bucket, []).append(list(ids))
            continue
        seen |= hit
        months.setdefault(bucket, []).append(
            [i for i in ids if i not in hit or (i in table and month(i) == bucket)])
        moved += (i for i in hit if i in table and month(i) != bucket)
    moved += sorted(i for i in changed - seen if i in table)  # new ones
    for doc_id in moved:
        parts = months.setdefault(month(doc_id), [[]])
        if len(parts[-1]) >= PART_DOCUMENTS:
            parts.append([])
        parts[-1].append(doc_id)
    laid: Layout = [(bucket, tuple(ids)) for bucket in sorted(months)
                    for ids in months[bucket] if ids]
    # each id once by construction: as many as the table, all in it, are the table's
    if (sum(len(ids) for _, ids in laid) != len(table)
            or not all(map(table.__contains__, chain.from_iterable(ids for _, ids in laid)))):
        return None
    return laid or [(NO_TIME, ())]


def _orjson_parts(tables: Tables, generation: str, previous: str | None,
                  proven: str | None, reuse: _Reuse | None = None,
                  by_time: Mapping[str, str] | None = None) -> list[bytes | memoryview]:
    """The main file by orjson, each table's documents in parts (``_chunks``; the bytes
    ``orjson.dumps`` gives of the tables in that order, cut where ``parts`` says), then
    the tail.

    A part that holds the same documents, in the same order, as a part of the old main
    file (``reuse``), none of them changed since, is that part's bytes again: orjson would
    write them as they are, and a write of one post at 20,000 then serialises a few
    hundred documents instead of all of them."""
    out: list[bytes | memoryview] = []
    parts: list[Part] = []
    pos = crc = 0

    def put(data: bytes | memoryview) -> None:
        nonlocal pos, crc
        out.append(data)
        pos += len(data)
        crc = zlib.crc32(data, crc)

    put(b"{")
    for name, table in tables.items():
        put(orjson.dumps(name) + b":{")
        old = reuse.parts.get(name) if reuse else None
        changed = set(reuse.changed.get(name, ())) if reuse else set()
        copies = {ids: piece for _, ids, piece in old or ()}
        for n, (bucket, ids) in enumerate(_layout(table, (by_time or {}).get(name), old,
                                                  changed)):
            if n:
                put(b",")
            members = copies.get(ids)
            if members is None or not changed.isdisjoint(ids):
                members = memoryview(orjson.dumps({i: table[i] for i in ids}))[1:-1]
            parts.append((name, pos, pos + len(members), bucket))
            put(members)
        put(b"},")
    out.append(_tail(generation, previous, crc, proven, parts))
    return out


Held = Callable[[str, tuple[int, int]], dict[str, Any] | None]
"""Given a part's table and print (``_print``), the documents memory holds that the part's
bytes were read into, when they are still those: None to parse it."""


def _print(piece: memoryview) -> tuple[int, int]:
    """What tells a part's bytes from others': their length and hash (4 ms for 15 MB). The
    hash is 64 bits, seeded per process: two parts of one table with the same length and
    hash but other bytes are a chance of one in 2**64, and a part is kept only when none of
    its documents changed in memory since it was read (``_held``)."""
    return len(piece), hash(piece)


@dataclass(frozen=True, slots=True)
class _Parts:
    """A main file read part by part: its storage table, each part's ids and print, and
    (``keep``) each part's bytes as read."""

    tail: _Tail
    ids: list[tuple[str, ...]]
    prints: list[tuple[int, int]]
    kept: list[memoryview] | None


def _read_parts(f: Any, tail: _Tail, held: Held | None, keep: bool = False
                ) -> tuple[Tables, _Parts, dict[str, list[str]]] | None:
    """The tables of a main file read part by part (``_Tail.parts``), what was read of it,
    and the ids of the documents parsed anew by table. Unless ``keep``, the whole file is
    never in memory, nor orjson's work for more than one part (at 50,000 posts, 110 MB less
    at the peak). A part whose bytes memory holds already (``held``: another process's
    write leaves the other parts as they were) is not parsed again. None if the bytes do
    not match the CRC or a part does not parse."""
    tables: Tables = {}
    ids: list[tuple[str, ...]] = []
    prints: list[tuple[int, int]] = []
    kept: list[memoryview] = []
    parsed: dict[str, list[str]] = {}
    pos = crc = 0
    f.seek(0)
    try:
        with no_collector():
            for name, start, end, _ in tail.parts:
                chunk = f.read(end - pos)  # what lies before the part, then the part
                crc = zlib.crc32(chunk, crc)
                piece = memoryview(chunk)[start - pos :]
                prints.append(_print(piece))
                docs = None if held is None else held(name, prints[-1])
                if docs is None:
                    docs = orjson.loads(b"{" + piece + b"}")
                    parsed.setdefault(name, []).extend(docs)
                ids.append(tuple(docs))
                tables.setdefault(name, {}).update(docs)
                pos = end
                if keep:
                    kept.append(piece)
            crc = zlib.crc32(f.read(tail.head - pos), crc)
            if FREEZE_LOADED:
                gc.freeze()
    except orjson.JSONDecodeError:
        return None
    if crc != tail.crc:
        return None
    return tables, _Parts(tail, ids, prints, kept if keep else None), parsed


FREEZE_LOADED = False
"""Move what a load parsed out of the collector's reach (``gc.freeze``), for a process
whose store lives as long as it does (planterm's own; see ``cli.main``): otherwise the
collector's first pass after the load walks every document (50 ms at 20,000 posts),
and its full passes again later. Off by default: a freeze keeps any garbage cycle of
the whole process that exists at that moment forever."""


def _parse_main(raw: bytes, stamped: bool) -> Any:
    """The main file's JSON. One that planterm wrote with orjson is read by orjson (it
    holds nothing that orjson reads otherwise); any other by the standard library."""
    with no_collector():
        if stamped:
            data = orjson.loads(raw)
        else:
            data = json.loads(raw, parse_constant=_NonFinite) if raw.strip() else {}
        if FREEZE_LOADED:
            gc.freeze()
        return data


def _copy_range(src: int, dst: int, count: int) -> None:
    """Copy the first ``count`` bytes of ``src`` to ``dst`` (in the kernel when it can)."""
    done = 0
    with contextlib.suppress(OSError, AttributeError):
        while done < count:
            n = os.copy_file_range(src, dst, count - done, done)
            if n <= 0:
                break
            done += n
    while done < count:  # no copy_file_range here (or it stopped): read and write
        chunk = os.pread(src, min(count - done, 1 << 20), done)
        if not chunk:
            raise OSError(errno.EIO, "the store's main file got shorter while copied")
        _write_all(dst, chunk)
        done += len(chunk)


def _check_tables(data: object, path: Path, intact: bool = False) -> Tables:
    """``data`` if it is TinyDB's layout (tables of documents under numeric ids).

    ``intact``: the bytes planterm wrote from such tables (``_Tail``), so only the
    tables themselves are looked at.
    """
    if not isinstance(data, dict):
        raise StoreError(f"{path} is not a TinyDB store (tables of documents)")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise StoreError(f"{path}: table {name} is not a table of documents")
        if intact or (all(map(_ID.fullmatch, table))
                      and set(map(type, table.values())) <= {dict}):
            continue  # the usual case, in C loops; the slow one below says what is wrong
        for doc_id, doc in table.items():
            if not _ID.fullmatch(doc_id):
                raise StoreError(f"{path}: table {name}, document {doc_id!r}: the id is not a "
                                 "number; fix or remove that document")
            if not isinstance(doc, dict):
                raise StoreError(f"{path}: table {name}, document {doc_id}: not a document "
                                 "(a JSON object); fix or remove it")
    return data


def _generation_of(own: object, path: Path) -> tuple[str | None, str | None]:
    """(generation, previous) from the storage's table; None, None for an older main file."""
    if own is None:
        return None, None
    doc = own.get("1") if isinstance(own, dict) and len(own) == 1 else None
    gen = doc.get("generation") if isinstance(doc, dict) else None
    prev = doc.get("previous") if isinstance(doc, dict) else None
    if (not isinstance(gen, str) or not _GENERATION.fullmatch(gen)
            or not (prev is None or prev == LEGACY
                    or (isinstance(prev, str) and _GENERATION.fullmatch(prev)))):
        raise StoreError(f"{path}: table {STORAGE_TABLE} is not planterm's (one document with a "
                         "generation); the file was left untouched")
    return gen, prev


def _write_all(fd: int, data: bytes | memoryview) -> None:
    """Write every byte of ``data`` (a regular file may take fewer at a time)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[written:]


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _holder(fd: int) -> str:
    """Who holds the lock, from the ``pid host`` its writer left in the lock file."""
    try:
        words = os.pread(fd, 256, 0).decode("utf-8", "replace").split()
    except OSError:
        words = []
    if len(words) == 2 and words[0].isdigit() and words[1].isprintable():
        return f"pid {words[0]} on {words[1]}"
    return "another planterm"


class JournalStorage(Storage):
    """TinyDB storage: in-memory tables, an fsync'd journal, atomic compaction.

    ``read()`` returns the live tables (no copy); they are meant to change only
    inside ``transaction()``, through ``PlantermTable`` (which calls ``touch``
    with the ids it changed) or followed by ``compact()``. Reads never take the
    lock for long: ``refresh()`` takes a shared lock just to read the new
    journal bytes.
    """

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = 5.0, *,
                 readonly: bool = False, fold_writes: bool = False,
                 within: tuple[str, str] | None = None) -> None:
        """``within``: read only what lies in the parts of the months from ``within[0]`` to
        ``within[1]`` (UTC ISO times) of the tables kept by time, those without a time, and
        every other table whole (the planner's first week, before the whole store is read:
        a tenth of the parsing at 20,000 posts). Read-only; ``StoreError`` when the main
        file is not in such parts (an older or a hand-written one)."""
        self._setup(Path(path), lock_timeout, readonly or within is not None, within)
        self.fold_writes = fold_writes
        with self._locked(fcntl.LOCK_SH):
            self._load_all()

    @classmethod
    def _unloaded(cls, path: Path) -> JournalStorage:
        """A writer on ``path`` that has read nothing yet (for ``repair``)."""
        storage = cls.__new__(cls)
        storage._setup(path, 5.0, False)
        return storage

    def _setup(self, path: Path, lock_timeout: float, readonly: bool,
               within: tuple[str, str] | None = None) -> None:
        # A store path that is a link: the target is what gets replaced and locked.
        self.path = path.resolve() if path.is_symlink() else path
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_timeout = lock_timeout
        self.readonly = readonly
        self._tables: Tables = {}
        self._generation: str | None = None
        self._previous: str | None = None
        self._main_sig: tuple[int, int, int] | None = None
        self._journal_pos = 0
        """Bytes of the journal applied (a torn tail is not counted)."""
        self._journal_seen = 0
        """Bytes of the journal looked at, torn tail included."""
        self._journal_ino: int | None = None
        self._torn = False
        self._journal_stale = False
        """The journal was folded in already (its header is our ``previous``): ignored."""
        self._legacy = False
        """A header-less journal of an older planterm was replayed."""
        self._stale = True
        """Memory may differ from the disk (a failed load): reload before any write."""
        self._failed = False
        """A change failed inside the current transaction: it must not be committed."""
        self._pending: dict[str, set[str]] = {}
        self._swept = False
        self._depth = 0
        self._mutex = threading.RLock()
        self._next_ids: dict[str, int] = {}
        self._handed: dict[str, int] = {}
        """Above every id handed out by ``next_id`` in this session, whatever was reloaded."""
        self.warnings: list[str] = []
        """Messages about torn records dropped while reading."""
        self.before_first_write: Callable[[], object] | None = None
        """Run once, under the lock, before this session's first write changes anything."""
        self.proof: tuple[str, Callable[[Tables, Mapping[str, set[str]]], bool]] | None = None
        """Set by the store: (name, check) of the rules its documents must follow; ``check``
        says whether the given documents do. A compaction names the rules in the main file
        when every document in memory passed them, so that opening it need not check again."""
        self._proven: str | None = None
        """The rules every document in memory passed (but those in ``_unchecked``)."""
        self._unchecked: dict[str, set[str]] = {}
        """Documents set since they were last checked (journal records, this session's writes)."""
        self._since_main: dict[str, set[str]] = {}
        """By table, the documents memory changed since the main file was read (journal
        records, writes): empty when memory is the main file."""
        self._parts: _Parts | None = None
        """The main file as read part by part, while memory is its documents but for
        ``_since_main``: what a compaction may copy of it (``_reuse``; the parts' bytes are
        kept for a storage that folds its writes), and what reading another main file need
        not parse again (``_held``)."""
        self._exact = False
        """Memory holds what only the standard library writes back as it was (NaN...)."""
        self.within = within
        """Only some months read (see ``__init__``)."""
        self.by_time: Mapping[str, str] = {}
        """Tables kept by time in the main file: by table, the field of its documents that
        holds their time (stored UTC ISO). Their parts are month by month (``_chunks``),
        what ``within`` reads a few of."""
        self.fold_writes = False
        """Write each transaction as a compaction (a new main file, fsync'd, replacing the
        old one) rather than a journal record: for a command, which would compact right
        after its one write anyway, it spares the journal's own write and fsyncs. Set when
        opening, the main file's bytes are kept as read, so that such a write copies its
        parts it did not change without reading the file again."""
        self.auto_compact = True
        """Fold the journal in when it outgrows the main file, at the end of the write that
        made it so. The planner turns it off: a compaction would hold its screen for the
        whole serialisation; it folds the journal in when it closes."""
        self.observers: list[Callable[[str | None, Iterable[str]], object]] = []
        """Told of every change to memory once it is made: (table, ids set or deleted) for
        a journal record applied, a transaction committed or the main file read again
        (``_tell_read_anew``); (None, ()) when memory was read whole anew (on opening, or
        most of a table changed: an index built on the tables is then to be built again)."""

    # --- reading -------------------------------------------------------

    def read(self) -> Tables:
        """The live tables (TinyDB's Storage interface)."""
        return self._tables

    def _load_all(self) -> None:
        self._stale = True
        self._load_main()
        self._read_journal()
        self._stale = False

    def _load_main(self) -> None:
        before, held = self._tables, self._held()
        data: Any = None
        parsed: dict[str, list[str]] | None = None
        tail: _Tail | None = None
        raw = b""
        self._parts = None
        try:
            with open(self.path, "rb") as f:
                st = os.fstat(f.fileno())
                offset = max(0, st.st_size - TAIL_MAX)
                f.seek(offset)
                tail = _tail_of(f.read(), offset, st.st_size)
                if self.within is not None:
                    data = self._read_within(f, tail)
                elif tail is not None and tail.parts:  # read part by part, never whole
                    read = _read_parts(f, tail, held, keep=self.fold_writes)
                    if read is not None:
                        data, self._parts, parsed = read
                if data is None:
                    f.seek(0)
                    raw = f.read()
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise StoreError(f"cannot read {self.path}: {e.strerror}") from None
        if data is not None:
            assert tail is not None
            data[STORAGE_TABLE] = tail.table
        elif tail is not None and zlib.crc32(memoryview(raw)[: tail.head]) != tail.crc:
            tail = None  # changed since planterm wrote it: the standard library reads it
        intact = data is not None or tail is not None
        try:
            if data is None:
                data = _parse_main(raw, intact)
        except (ValueError, UnicodeDecodeError) as e:
            raise StoreError(f"{self.path} is not valid JSON ({e})") from None
        except RecursionError:
            raise StoreError(f"{self.path} is nested too deep to be a planterm store; "
                             "the file was left untouched") from None
        del raw
        tables = _check_tables(data, self.path, intact=intact)
        self._generation, self._previous = _generation_of(tables.pop(STORAGE_TABLE, None),
                                                          self.path)
        self._tables = tables
        self._main_sig = None if st is None else (st.st_ino, st.st_mtime_ns, st.st_size)
        # ids of the documents memory held are below its marks already
        looked, marks = (tables, {}) if parsed is None else (parsed, self._next_ids)
        self._next_ids = {name: max(max(map(int, looked.get(name, ())), default=0) + 1,
                                    marks.get(name, 1)) for name in tables}
        self._journal_pos = self._journal_seen = 0
        self._journal_ino = None
        self._torn = self._journal_stale = self._legacy = False
        self._proven = None if tail is None else tail.proven
        self._unchecked = {}
        self._since_main = {}
        self._tell_read_anew(before, parsed)
        self._exact = False  # what orjson cannot write as it was read makes it fail (_dump)

    def _read_within(self, f: Any, tail: _Tail | None) -> Tables:
        """The parts ``within`` reads: of the tables kept by time, those of its months and
        those without a time; every part of the others. The rest of the file is not read,
        nor its CRC checked (the whole store, opened next, is)."""
        assert self.within is not None
        if tail is None or all(bucket is None for *_, bucket in tail.parts):
            raise StoreError(f"{self.path} is not kept month by month: it is read whole")
        first, last = (when[:7] for when in self.within)
        tables: Tables = {}
        try:
            for name, start, end, bucket in tail.parts:
                if not bucket or first <= bucket <= last:
                    f.seek(start)
                    tables.setdefault(name, {}).update(orjson.loads(b"{" + f.read(end - start)
                                                                    + b"}"))
        except orjson.JSONDecodeError:
            raise StoreError(f"{self.path} changed while read") from None
        return tables

    def _held(self) -> Held | None:
        """What of memory reading the main file again may keep (``Held``): the documents of
        a part of the main file read last whose bytes come again, none of them changed in
        memory since. None when memory is not that file's (none was read part by part)."""
        if self._parts is None:
            return None
        parts, tables, since = self._parts, self._tables, self._since_main
        where = {(name, mark): ids for (name, *_), ids, mark
                 in zip(parts.tail.parts, parts.ids, parts.prints, strict=True)}

        def held(name: str, mark: tuple[int, int]) -> dict[str, Any] | None:
            ids, table, changed = where.get((name, mark)), tables.get(name), since.get(name)
            if ids is None or table is None or (changed and not changed.isdisjoint(ids)):
                return None
            try:
                return dict(zip(ids, map(table.__getitem__, ids), strict=True))
            except KeyError:
                return None

        return held

    def _tell_read_anew(self, before: Tables, parsed: dict[str, list[str]] | None) -> None:
        """Tell the observers what reading the main file again changed in memory: each
        table's documents that differ from ``before`` (another process's write is a few of
        them, where indexes built again took 200 ms at 20,000 posts), or (None, ()) on
        opening and when a table changed by more than a tenth. ``parsed``: the ids of the
        documents parsed anew by table (the others are those memory held), None for all."""
        if not before:
            self._tell(None, ())
            return
        changes: dict[str, list[str]] = {}
        for name in before.keys() | self._tables.keys():
            old, new = before.get(name, {}), self._tables.get(name, {})
            ids = [i for i in (new if parsed is None else parsed.get(name, ()))
                   if old.get(i) != new[i]]
            if len(new) - sum(i not in old for i in ids) != len(old):  # some are gone
                ids += old.keys() - new.keys()
            if len(ids) * 10 > max(len(old), len(new)):
                self._tell(None, ())
                return
            if ids:
                changes[name] = ids
        for name, ids in changes.items():
            self._tell(name, ids)

    def _read_journal(self) -> bool:
        """Apply journal bytes not seen yet; True if anything was applied."""
        try:
            fd = open_own(self.journal_path, os.O_RDONLY)
        except FileNotFoundError:
            self._journal_ino = None
            self._journal_pos = self._journal_seen = 0
            self._torn = self._journal_stale = False
            return False
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if self._journal_ino not in (None, st.st_ino):
                self._journal_pos = 0  # another journal since: another writer compacted
                self._journal_stale = False
            self._journal_ino = st.st_ino
            if self._journal_stale:
                self._journal_seen = st.st_size
                return False
            f.seek(self._journal_pos)
            buf = f.read()
        records, used, torn = decode_records(buf, str(self.journal_path), self._journal_pos)
        if self._journal_pos == 0 and records:
            if not self._owns(records[0]):
                self._journal_stale = True
                self._journal_seen = len(buf)
                return False
            if "g" in records[0]:
                records = records[1:]
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

    def _owns(self, first: Record) -> bool:
        """Whether the journal starting with ``first`` extends our main file.

        False for a journal already folded in (to be ignored); ``StoreError``
        for one that belongs to another main file.
        """
        header = first.get("g")
        if header is None and self._generation is None:
            self._legacy = True  # an older planterm's journal on its own main file
            return True
        if header is not None and header == self._generation:
            return True
        if (header or LEGACY) == self._previous:
            return False
        raise StoreError(
            f"{self.journal_path} does not belong to {self.path} (copied from another store or "
            "left over from a restore); nothing was replayed; move it away, or run "
            "'planterm check --repair'"
        )

    def _apply(self, rec: Record) -> None:
        for name, change in rec["c"].items():
            table = self._tables.setdefault(name, {})
            for doc_id, doc in change["s"].items():
                table[doc_id] = doc
            for doc_id in change["d"]:
                table.pop(doc_id, None)
            self._seen_ids(name, change["s"])
            self._unchecked.setdefault(name, set()).update(change["s"])
            self._since_main.setdefault(name, set()).update(change["s"], change["d"])
            self._tell(name, [*change["s"], *change["d"]])

    def _tell(self, table: str | None, ids: Iterable[str]) -> None:
        for observer in self.observers:
            observer(table, ids)

    # --- proof: the rules the documents passed ----------------------------

    def unchecked(self, proof: str) -> dict[str, set[str]] | None:
        """The documents not known to pass the rules ``proof``: None for every one."""
        return dict(self._unchecked) if self._proven == proof else None

    def proved(self, proof: str) -> None:
        """Every document in memory passed the rules ``proof`` (the store checked them)."""
        self._proven = proof
        self._unchecked = {}

    def _proof_now(self) -> str | None:
        """The rules every document in memory passes, checking those not checked yet."""
        if self.proof is None:
            return None
        name, check = self.proof
        if self._proven != name:
            return None
        if self._unchecked:
            if not check(self._tables, self._unchecked):
                return None
            self._unchecked = {}
        return name

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

    def refresh(self, wait: bool = True) -> bool:
        """Apply what other processes wrote since we last looked; True if anything changed.

        With ``wait=False`` it gives up at once (False) while another process or
        thread holds the lock, so a UI thread never blocks on it.
        """
        if not self.changed():
            return False
        try:
            with self._locked(fcntl.LOCK_SH, wait=wait):
                return self._catch_up()
        except StoreBusy:
            if wait:
                raise
            return False

    def reload(self) -> None:
        """Drop the memory and read the store again from disk."""
        with self._locked(fcntl.LOCK_SH):
            self._load_all()

    def _catch_up(self) -> bool:
        if self._stale or _signature(self.path) != self._main_sig:
            self._load_all()
            return True
        return self._read_journal()

    def snapshot(self) -> bytes:
        """The whole store as JSON for a backup, under a fresh generation of its own."""
        return _dump(self._tables, uuid.uuid4().hex, None, self._proof_now(), self._exact,
                     self.by_time)

    def write_backup(self, path: Path) -> None:
        """Write the whole store, as it is now, at ``path`` (atomically) for a backup."""
        self.backup_writer()(path)

    def backup_writer(self) -> Callable[[Path], None]:
        """A function that writes the whole store, as it is now, at a path (atomically) for a
        backup, under a fresh generation of its own, so that copied over the main file it
        adopts no journal. Call it once: it may hold the main file open until then.

        When the main file alone is the store (memory holds no change it lacks, and nothing
        was written since) and planterm wrote it with orjson, its bytes are copied, in the
        kernel, when the function runs, with the storage's table written anew: nothing is
        serialised, and the lock is held only to look. Otherwise memory is serialised now.
        """
        with self._locked(fcntl.LOCK_SH):
            source = self._main_alone()
            data = self.snapshot() if source is None else None
        if data is not None:
            return lambda path: atomic_write(path, data)
        assert source is not None
        fd, head, tail = source

        def copy(out: int) -> None:
            _copy_range(fd, out, head)
            _write_all(out, tail)

        def write(path: Path) -> None:
            try:
                atomic_write(path, copy)
            finally:
                os.close(fd)

        return write

    def _main_alone(self) -> tuple[int, int, bytes] | None:
        """(descriptor, bytes to copy, new tail) when the main file is the whole store."""
        if self._since_main or self._main_sig is None or self.changed():
            return None
        fd = open_own(self.path, os.O_RDONLY)
        try:
            st = os.fstat(fd)
            start = max(0, st.st_size - TAIL_MAX)
            found = _tail_of(os.pread(fd, TAIL_MAX, start), start, st.st_size)
            if (st.st_ino, st.st_mtime_ns, st.st_size) == self._main_sig and found is not None:
                tail = _tail(uuid.uuid4().hex, None, found.crc, found.proven, found.parts)
                return fd, found.head, tail
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        return None

    # --- locking -------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self, mode: int, wait: bool = True) -> Iterator[None]:
        """Hold the lock file (re-entrant within this process); ``StoreBusy`` if held."""
        if not self._mutex.acquire(blocking=wait):
            raise StoreBusy(f"{self.path} is busy in this planterm", "this planterm")
        try:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            fd = self._open_lock(mode)
            try:
                if fd is not None:
                    self._acquire(fd, mode, wait)
                self._depth = 1
                try:
                    if fd is not None and mode == fcntl.LOCK_EX:
                        # the host's name as gethostname() gives it, without loading socket
                        self._sign(fd, f"{os.getpid()} {os.uname().nodename}\n".encode())
                    yield
                finally:
                    self._depth = 0
                    if fd is not None:
                        if mode == fcntl.LOCK_EX:
                            self._sign(fd, b"")
                        fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                if fd is not None:
                    os.close(fd)
        finally:
            self._mutex.release()

    def _open_lock(self, mode: int) -> int | None:
        """The lock file's descriptor; None for reading when there is none. Only a write
        creates it (and the store's folder): reading, even a missing store, makes nothing."""
        writing = mode == fcntl.LOCK_EX
        if writing:
            make_private_dirs(self.path.parent)
        flags = os.O_RDWR | os.O_CREAT if writing else os.O_RDONLY
        try:
            return open_own(self.lock_path, flags)
        except OSError as e:
            if not writing and e.errno == errno.ENOENT:
                return None  # nobody ever wrote here: nobody to wait for
            raise StoreError(f"cannot open {self.lock_path}: {e.strerror}") from None

    def _acquire(self, fd: int, mode: int, wait: bool) -> None:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not wait or time.monotonic() > deadline:
                    holder = _holder(fd)
                    raise StoreBusy(f"{self.path} is busy: held by {holder}; nothing was "
                                    "written, try again", holder) from None
                time.sleep(0.01)

    @staticmethod
    def _sign(fd: int, text: bytes) -> None:
        """Say in the lock file who holds it (best effort: it is only a hint for others)."""
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            if text:
                os.pwrite(fd, text, 0)

    # --- writing -------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self) -> Iterator[bool]:
        """The exclusive lock, caught up and checked for writing; yields whether outermost."""
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; nothing was written")
        with self._locked(fcntl.LOCK_EX):
            outermost = self._depth == 1
            if outermost:
                self._catch_up()
                self._refuse_readonly_main()
                if not self._swept:
                    self._sweep_temps()
            yield outermost

    def _refuse_readonly_main(self) -> None:
        """A main file the user made read-only is theirs to keep so: never replaced."""
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
        except FileNotFoundError:
            return
        if not mode & stat.S_IWUSR:
            raise StoreError(f"{self.path} is read-only (mode {mode:04o}); planterm will not "
                             "write to it")

    def _sweep_temps(self) -> None:
        """Remove temporary files of compactions killed midway (we hold the lock)."""
        prefix = f".{self.path.name}."
        with contextlib.suppress(OSError), os.scandir(self.path.parent) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
        self._swept = True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tables]:
        """Exclusive lock, caught up with other writers; yields the live tables.

        What the outermost transaction changed (``touch``) is journalled as one
        record when it ends. An exception inside reloads memory from the disk
        and writes nothing.
        """
        with self._writing() as outermost:
            if not outermost:
                try:
                    yield self._tables
                except BaseException:
                    self._failed = True
                    raise
                return
            if self.before_first_write is not None:  # e.g. the day's backup, once
                hook, self.before_first_write = self.before_first_write, None
                hook()
            if self._generation is None:
                self._compact_locked()  # an older or new main file: give it a generation first
            self._pending, self._failed = {}, False
            try:
                yield self._tables
                if self._failed:
                    raise StoreError(f"{self.path}: a change failed inside this transaction; "
                                     "nothing was written")
                self._commit_pending()
            except BaseException:
                self._pending = {}
                self._reload_after_failure()
                raise
            self._compact_if_big()

    def _reload_after_failure(self) -> None:
        """Make memory match the disk again; if even that fails, no write happens until it does."""
        self._stale = True
        self._parts = None  # memory may hold the failed change: nothing of it is kept
        with contextlib.suppress(StoreError, OSError):
            self._load_all()

    def touch(self, table: str, ids: Iterable[str]) -> None:
        """Mark documents of ``table`` as changed; they are journalled when the transaction ends."""
        if not self._depth:
            raise RuntimeError("touch outside a transaction")
        self._pending.setdefault(table, set()).update(ids)

    def next_id(self, table: str) -> int:
        """A fresh document id for ``table``: never one given, stored or below the high-water mark.

        The high-water mark is ``meta["1"]["next_ids"][table]``, kept by the store.
        """
        meta = self._tables.get("meta", {}).get("1", {})
        marks = meta.get("next_ids") if isinstance(meta, dict) else None
        mark = marks.get(table) if isinstance(marks, dict) else None
        high = mark if isinstance(mark, int) and not isinstance(mark, bool) else 1
        nid = max(high, self._next_ids.get(table, 1), self._handed.get(table, 1))
        self._handed[table] = nid + 1
        return nid

    def _commit_pending(self) -> None:
        """Journal the current state of every touched document as one record."""
        changes: dict[str, dict[str, Any]] = {}
        for table, ids in self._pending.items():
            docs = self._tables.get(table, {})
            sets = {i: docs[i] for i in ids if i in docs}
            dels = sorted(i for i in ids if i not in docs)
            if sets or dels:
                changes[table] = {"s": sets, "d": dels}
        if changes:
            alone = not self._since_main  # the main file's, but for these changes
            record = self._encode_change(changes)
            if not self.fold_writes:
                self._append(record)
            for table, change in changes.items():
                self._seen_ids(table, change["s"])
                self._unchecked.setdefault(table, set()).update(change["s"])
                self._since_main.setdefault(table, set()).update(change["s"], change["d"])
                self._tell(table, [*change["s"], *change["d"]])
            if self.fold_writes:  # the change, and everything else, in a new main file
                self._compact_locked({t: [*c["s"], *c["d"]] for t, c in changes.items()}
                                     if alone else None)
        self._pending = {}

    def _encode_change(self, changes: dict[str, dict[str, Any]]) -> bytes:
        """The record of a change; a NaN in it makes the main file the standard library's."""
        try:
            body = json.dumps({"c": changes}, ensure_ascii=False, allow_nan=False).encode()
        except ValueError:
            self._exact = True
            return encode_record({"c": changes})
        return b"%08x %08x " % (len(body), zlib.crc32(body)) + body + b"\n"

    def _append(self, record: bytes) -> None:
        """Append ``record`` (after a header if the journal is new) and fsync it."""
        stale = self._journal_stale
        if stale:  # replaced, not appended to: it was folded in already
            self._journal_ino, self._journal_pos, self._torn = None, 0, False
        pos = self._journal_pos
        if pos == 0:
            assert self._generation is not None  # transaction() gave the main file one
            record = encode_record({"g": self._generation}) + record
        new = self._journal_ino is None
        fd = -1
        try:
            if stale:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.journal_path)
            fd = open_own(self.journal_path, os.O_WRONLY | os.O_CREAT)
            if self._torn or pos == 0:
                os.ftruncate(fd, pos)  # cut off a torn record before it hides ours
            os.lseek(fd, pos, os.SEEK_SET)
            _write_all(fd, record)
            os.fsync(fd)
            ino = os.fstat(fd).st_ino
            if new:
                fsync_dir(self.path.parent)
        except OSError as e:
            with contextlib.suppress(OSError):  # back to the last good end: no journal, if new
                if new:
                    os.unlink(self.journal_path)
                elif fd >= 0:
                    os.ftruncate(fd, pos)
            raise WriteFailed(f"could not write to {self.journal_path}: {e.strerror or e}; "
                              "nothing was saved") from None
        finally:
            if fd >= 0:
                os.close(fd)
        self._journal_ino = ino
        self._journal_pos = self._journal_seen = pos + len(record)
        self._torn = self._journal_stale = False

    def _compact_if_big(self) -> None:
        """Fold the journal in once it outgrows the main file; a failure keeps the journal."""
        main_size = self._main_sig[2] if self._main_sig else 0
        if not self.auto_compact or self._journal_pos <= max(main_size, COMPACT_MIN_BYTES):
            return
        try:
            self._fold()
        except (OSError, StoreError) as e:  # the change itself is saved: only say so
            why = e.strerror if isinstance(e, OSError) else str(e)
            self.warnings.append(f"{self.path}: could not compact ({why}); every change "
                                 f"stays in {self.journal_path.name}")

    def write(self, data: Mapping[str, Any]) -> None:
        """Replace the whole database (TinyDB's interface; used by drop_tables)."""
        with self.transaction():
            self._tables = {k: dict(v) for k, v in data.items() if k != STORAGE_TABLE}
            self._proven, self._exact = None, True  # nothing known of what was given
            self._tell(None, ())
            self._compact_locked()

    def compact(self) -> None:
        """Fold the journal into the main file atomically, then remove the journal."""
        with self._writing():
            self._compact_locked()

    def _compact_locked(self, changed: Mapping[str, Iterable[str]] | None = None) -> None:
        try:
            self._fold(changed)
        except OSError as e:
            self._failed = True
            raise WriteFailed(f"could not write to {self.path}: {e.strerror or e}; nothing was "
                              "saved") from None

    def _fold(self, changed: Mapping[str, Iterable[str]] | None = None) -> None:
        """Write memory as the main file under a new generation; the journal is then stale.

        ``changed``: memory is the main file's but for these documents (by table), so the
        main file's other parts may be copied (``_reuse``); None: anything may have changed.
        """
        generation = uuid.uuid4().hex
        previous = self._generation or (LEGACY if self._legacy else None)
        reuse = None if changed is None else self._reuse(changed)
        atomic_write(self.path, write_parts(_dump_parts(
            self._tables, generation, previous, self._proof_now(), self._exact, reuse,
            self.by_time)))
        self._parts = None
        # Not fsync'd: a journal that survives a crash here names ``previous``: it is ignored.
        with contextlib.suppress(OSError):
            os.unlink(self.journal_path)
        self._generation, self._previous, self._legacy = generation, previous, False
        self._main_sig = _signature(self.path)
        self._journal_pos = self._journal_seen = 0
        self._journal_ino = None
        self._torn = self._journal_stale = False
        self._pending = {}
        self._since_main = {}
        self._tell(None, ())  # memory may have been changed in place before (a migration)
        self._sweep_temps()

    def _reuse(self, changed: Mapping[str, Iterable[str]]) -> _Reuse | None:
        """What of the main file a compaction may copy, memory being the main file's but for
        ``changed``: the bytes it was read from, when they were kept (``fold_writes``; a
        main file read again since, after another process's write, is kept anew). None
        otherwise: every part is serialised again."""
        if self._parts is None:
            return None
        tail, ids, kept = self._parts.tail, self._parts.ids, self._parts.kept
        if kept is None:
            return None
        parts: dict[str, OldParts] = {}
        for (name, _, _, bucket), part_ids, piece in zip(tail.parts, ids, kept, strict=True):
            parts.setdefault(name, []).append((bucket, part_ids, piece))
        return _Reuse(parts, changed)

    def close(self) -> None:
        """A clean close: compact if there is a journal, so one JSON file remains."""
        if not self.readonly and os.path.lexists(self.journal_path):
            self.compact()


def repair(path: str | os.PathLike[str]) -> RepairReport:
    """Salvage a damaged journal: keep a copy, apply every good record in order, compact.

    A healthy store (or one whose journal was already folded in) is left as it
    is. A journal that belongs to another main file has nothing applied: it is
    copied aside and removed. A journal whose header is unreadable gives what
    it holds (the copy keeps the original).
    """
    storage = JournalStorage._unloaded(Path(path))
    with storage._locked(fcntl.LOCK_EX):
        storage._load_main()
        try:
            fd = open_own(storage.journal_path, os.O_RDONLY)
        except FileNotFoundError:
            return RepairReport(0, [], None)
        with os.fdopen(fd, "rb") as f:
            buf = f.read()
        found, lost = _salvage(buf)
        try:
            belongs = not found or found[0][0] != 0 or storage._owns(found[0][1])
        except StoreError:
            found, lost = [], [(0, len(buf))]
            belongs = True
        if not belongs:
            return RepairReport(0, [], None)  # folded in already: the next writer removes it
        changes = [rec for _, rec in found if "c" in rec]
        if not lost:
            return RepairReport(len(changes), [], None)
        storage._refuse_readonly_main()
        copy = _keep_copy(storage.journal_path, buf)
        for rec in changes:
            storage._apply(rec)
        storage._compact_locked()
    return RepairReport(len(changes), lost, copy)


def _keep_copy(journal: Path, buf: bytes) -> Path:
    """Write ``buf`` beside ``journal`` as ``<journal>.damaged-<time>`` (0600) and return it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    copy = journal.with_name(f"{journal.name}.damaged-{stamp}")
    n = 1
    while os.path.lexists(copy):
        copy = journal.with_name(f"{journal.name}.damaged-{stamp}-{n}")
        n += 1
    try:
        atomic_write(copy, buf)
    except OSError as e:
        raise WriteFailed(f"could not write to {copy}: {e.strerror or e}; nothing was "
                          "repaired") from None
    return copy


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
    runs on a ``TrackedTable`` view of the live dict inside the storage's
    transaction, and only the documents it touched are journalled, with
    everything else the outermost transaction changed.
    """

    _storage: JournalStorage

    def _update_table(self, updater: Any) -> None:
        storage = self._storage
        try:
            with storage.transaction() as tables:
                view = TrackedTable(tables.setdefault(self.name, {}))
                updater(view)
                storage.touch(self.name, view.touched)
        finally:
            self.clear_cache()  # a failure reloaded the tables: no cached result holds

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
