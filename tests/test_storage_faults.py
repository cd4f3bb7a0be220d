"""The storage under damage and failed writes: refuse or fail cleanly, never lose an ack'd write."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from tinydb import TinyDB

from planterm import backups, storage
from planterm.storage import (
    JournalStorage,
    PlantermTable,
    StoreError,
    WriteFailed,
    encode_record,
    repair,
)

CHILD = Path(__file__).with_name("writer_child.py")


class DB(TinyDB):
    table_class = PlantermTable


def open_db(path: Path) -> DB:
    return DB(path, storage=JournalStorage)


def titles(path: Path) -> list[str]:
    """The titles of the posts a fresh storage reads, in id order."""
    posts = JournalStorage(path).read().get("posts", {})
    return [posts[i]["title"] for i in sorted(posts, key=int)]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def five_records(tmp_path: Path) -> tuple[Path, list[int]]:
    """A compacted store with one post, then five more in the journal; offsets of the records."""
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "p0"})
    db.storage.compact()
    journal = path.with_name("plan.json.journal")
    ends = [len(encode_record({"g": db.storage._generation}))]  # the journal's header
    for n in range(1, 6):
        db.table("posts").insert({"title": f"p{n}", "body": "é" * n})
        ends.append(journal.stat().st_size)
    return path, ends  # record k (1..5) spans ends[k-1]:ends[k]


# --- 1. torn tail vs damage ---------------------------------------------------------------


@pytest.mark.parametrize("change", [lambda b: b ^ 0x01, lambda b: 0x66 if b != 0x66 else 0x30])
def test_a_damaged_byte_anywhere_in_a_middle_record_refuses_the_store(
        tmp_path: Path, change: Callable[[int], int]) -> None:
    path, ends = five_records(tmp_path)
    journal = path.with_name("plan.json.journal")
    good = journal.read_bytes()
    start, end = ends[1], ends[2]  # the second of the five records
    for offset in range(start, end):
        damaged = bytearray(good)
        damaged[offset] = change(damaged[offset])
        journal.write_bytes(bytes(damaged))
        before = files(tmp_path)
        with pytest.raises(StoreError) as caught:
            JournalStorage(path)
        message = str(caught.value)
        assert f"{journal}: damaged record at byte {start}" in message, offset
        assert "run 'planterm check --repair'" in message and "\n" not in message
        assert files(tmp_path) == before, offset  # every byte left as it was


def test_a_damaged_length_is_not_taken_for_a_torn_tail(tmp_path: Path) -> None:
    """The issue's case: the second record's length byte made huge; later records exist."""
    path, ends = five_records(tmp_path)
    journal = path.with_name("plan.json.journal")
    damaged = bytearray(journal.read_bytes())
    damaged[ends[1]] = ord("f")
    journal.write_bytes(bytes(damaged))
    before = files(tmp_path)
    with pytest.raises(StoreError, match=f"byte {ends[1]}"):
        JournalStorage(path)
    assert files(tmp_path) == before


def test_a_writer_open_before_the_damage_refuses_to_write_or_compact(tmp_path: Path) -> None:
    path, ends = five_records(tmp_path)
    db = open_db(path)
    journal = path.with_name("plan.json.journal")
    other = open_db(path)
    other.table("posts").insert({"title": "p6"})
    damaged = bytearray(journal.read_bytes())
    damaged[-3] ^= 0x01  # in the payload of the record ``db`` has not read yet
    journal.write_bytes(bytes(damaged))
    before = files(tmp_path)
    with pytest.raises(StoreError, match=f"damaged record at byte {ends[-1]}"):
        db.table("posts").insert({"title": "mine"})
    with pytest.raises(StoreError, match=f"damaged record at byte {ends[-1]}"):
        db.close()
    assert files(tmp_path) == before


def test_a_damaged_last_record_with_room_for_it_is_damage(tmp_path: Path) -> None:
    path, ends = five_records(tmp_path)
    journal = path.with_name("plan.json.journal")
    damaged = bytearray(journal.read_bytes())
    damaged[-3] ^= 0x01  # in the payload: the whole record is there, its checksum fails
    journal.write_bytes(bytes(damaged))
    with pytest.raises(StoreError, match=f"byte {ends[-2]}"):
        JournalStorage(path)


def test_a_torn_tail_is_still_dropped_with_a_warning(tmp_path: Path) -> None:
    path, ends = five_records(tmp_path)
    journal = path.with_name("plan.json.journal")
    journal.write_bytes(journal.read_bytes()[:-7])
    opened = JournalStorage(path)
    assert [d["title"] for d in opened.read()["posts"].values()] == [f"p{n}" for n in range(5)]
    assert opened.warnings and f"byte {ends[-2]}" in opened.warnings[0]


# --- 10. records of the wrong shape ------------------------------------------------------


BAD_PAYLOADS = {
    "not JSON": b'{"c": {',
    "not an object": b"[1, 2]",
    "an id that is not a number": b'{"c": {"posts": {"s": {"x1": {}}, "d": []}}}',
    "a leading zero": b'{"c": {"posts": {"s": {"01": {}}, "d": []}}}',
    "a document that is not one": b'{"c": {"posts": {"s": {"1": [1]}, "d": []}}}',
    "a deleted id that is not a number": b'{"c": {"posts": {"s": {}, "d": [1]}}}',
    "a header in the middle": b'{"g": "' + b"0" * 32 + b'"}',
    "nested too deep": b'{"c": {"posts": {"s": {"1": {"x": ' + b"[" * 100_000 + b"]" * 100_000
                       + b"}}, \"d\": []}}}",
}


def raw_record(payload: bytes) -> bytes:
    """A record with a good checksum around any bytes."""
    return b"%08x %08x " % (len(payload), zlib.crc32(payload)) + payload + b"\n"


@pytest.mark.parametrize("name", BAD_PAYLOADS)
def test_a_record_of_the_wrong_shape_is_refused_by_name_and_offset(tmp_path: Path,
                                                                   name: str) -> None:
    path, ends = five_records(tmp_path)
    journal = path.with_name("plan.json.journal")
    with journal.open("ab") as f:
        f.write(raw_record(BAD_PAYLOADS[name]))
    before = files(tmp_path)
    with pytest.raises(StoreError) as caught:
        JournalStorage(path)
    message = str(caught.value)
    assert f"{journal}: the record at byte {ends[-1]} is not a planterm change" in message
    assert "\n" not in message
    assert files(tmp_path) == before


def test_a_main_file_nested_too_deep_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(b'{"posts": {"1": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}}")
    with pytest.raises(StoreError, match=r"plan\.json is nested too deep"):
        JournalStorage(path)


def test_a_main_file_with_an_id_that_is_not_a_number_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    content = json.dumps({"posts": {"1": {}, "seven": {"title": "x"}}}).encode()
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"plan\.json: table posts, document 'seven': the id "):
        JournalStorage(path)
    assert path.read_bytes() == content


# --- 2. repair ----------------------------------------------------------------------------


def test_repair_salvages_every_good_record_and_keeps_a_copy(tmp_path: Path) -> None:
    path, ends = five_records(tmp_path)
    journal = path.with_name("plan.json.journal")
    damaged = bytearray(journal.read_bytes())
    damaged[ends[1]] = ord("f")  # the second record (p2) is lost
    journal.write_bytes(bytes(damaged))
    report = repair(path)
    assert report.kept == 4
    assert report.lost == [(ends[1], ends[2])]
    assert report.copy is not None and report.copy.read_bytes() == bytes(damaged)
    assert report.copy.name.startswith("plan.json.journal.damaged-")
    assert report.copy.stat().st_mode & 0o777 == 0o600
    assert not journal.exists()
    assert titles(path) == ["p0", "p1", "p3", "p4", "p5"]


def test_repair_drops_records_of_the_wrong_shape(tmp_path: Path) -> None:
    path, ends = five_records(tmp_path)
    journal = path.with_name("plan.json.journal")
    with journal.open("ab") as f:
        f.write(raw_record(BAD_PAYLOADS["an id that is not a number"]))
        f.write(encode_record({"c": {"posts": {"s": {"9": {"title": "p9"}}, "d": []}}}))
    report = repair(path)
    assert report.kept == 6
    assert report.lost == [(ends[-1], ends[-1] + len(raw_record(
        BAD_PAYLOADS["an id that is not a number"])))]
    assert titles(path)[-1] == "p9"


def test_repair_of_a_healthy_store_changes_nothing(tmp_path: Path) -> None:
    path, _ = five_records(tmp_path)
    before = files(tmp_path)
    report = repair(path)
    assert (report.kept, report.lost, report.copy) == (5, [], None)
    assert files(tmp_path) == before


def test_repair_of_a_torn_tail_keeps_the_torn_bytes(tmp_path: Path) -> None:
    path, ends = five_records(tmp_path)
    journal = path.with_name("plan.json.journal")
    journal.write_bytes(journal.read_bytes()[:-4])
    report = repair(path)
    assert report.kept == 4 and report.lost == [(ends[-2], ends[-1] - 4)]
    assert report.copy is not None
    assert titles(path) == ["p0", "p1", "p2", "p3", "p4"]


def test_repair_sets_a_foreign_journal_aside_without_replaying_it(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    path, _ = five_records(tmp_path / "a")
    other, _ = five_records(tmp_path / "b")
    open_db(path).close()
    foreign = other.with_name("plan.json.journal").read_bytes()
    journal = path.with_name("plan.json.journal")
    journal.write_bytes(foreign)
    report = repair(path)
    assert (report.kept, report.lost) == (0, [(0, len(foreign))])
    assert report.copy is not None and report.copy.read_bytes() == foreign
    assert not journal.exists()
    assert titles(path) == [f"p{n}" for n in range(6)]


# --- 3. failed writes ----------------------------------------------------------------------


def failing_write(monkeypatch: pytest.MonkeyPatch, err: int, marker: bytes, short: bool) -> None:
    """``os.write`` fails (after writing half, if ``short``) for data holding ``marker``."""
    real = os.write
    state = {"half": short}

    def fake(fd: int, data: bytes) -> int:
        if marker not in bytes(data):
            return real(fd, data)
        if state["half"]:
            state["half"] = False
            return real(fd, bytes(data)[: len(data) // 2])
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, "write", fake)


def failing_once(monkeypatch: pytest.MonkeyPatch, name: str, err: int) -> None:
    """``os.<name>`` fails with ``err`` on its next call only."""
    real = getattr(os, name)
    state = {"armed": True}

    def fake(*args: object, **kwargs: object) -> object:
        if state["armed"]:
            state["armed"] = False
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, fake)


def denied_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the journal for writing is denied (a read-only folder or file)."""
    real = os.open

    def fake(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".journal") and flags & os.O_WRONLY:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake)


FAULTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "ENOSPC": lambda mp: failing_write(mp, errno.ENOSPC, b"lost", short=False),
    "short write then ENOSPC": lambda mp: failing_write(mp, errno.ENOSPC, b"lost", short=True),
    "EIO": lambda mp: failing_write(mp, errno.EIO, b"lost", short=False),
    "fsync EIO": lambda mp: failing_once(mp, "fsync", errno.EIO),
    "EACCES": denied_journal,
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_change_to_a_main_file_in_parts_is_not_kept_from_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    """Memory read again after a failed write: the part of the changed document, whose bytes
    are as they were, is parsed, not taken from memory, which held the failed change."""
    monkeypatch.setattr(storage, "PART_DOCUMENTS", 3)
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert_multiple({"title": f"post {i}"} for i in range(10))
    db.close()
    db = open_db(path)
    posts = db.table("posts")
    with monkeypatch.context() as mp:
        FAULTS[fault](mp)
        with pytest.raises(WriteFailed):
            posts.update({"title": "lost"}, doc_ids=[5])
    assert posts.get(doc_id=5) == {"title": "post 4"}  # memory matches the disk
    db.close()
    assert "lost" not in titles(path)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_append_saves_nothing_ever(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            fault: str) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    posts = db.table("posts")
    posts.insert({"title": "kept"})
    journal = path.with_name("plan.json.journal")
    before = journal.read_bytes()
    with monkeypatch.context() as mp:
        FAULTS[fault](mp)
        with pytest.raises(WriteFailed) as caught:
            posts.insert({"title": "lost"})
    message = str(caught.value)
    assert message.startswith(f"could not write to {journal}: ")
    assert message.endswith("; nothing was saved") and "\n" not in message
    assert journal.read_bytes() == before  # cut back to its last good end
    assert [d["title"] for d in posts.all()] == ["kept"]  # memory matches the disk
    db.close()  # a compaction: must not write the failed change
    assert titles(path) == ["kept"]
    posts.insert({"title": "after"})
    assert titles(path) == ["kept", "after"]


def test_a_failed_first_append_leaves_no_journal(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """So a clean close has nothing to compact: the store stays exactly as it was."""
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "kept"})
    db.storage.compact()
    before = files(tmp_path)
    with monkeypatch.context() as mp:
        failing_write(mp, errno.ENOSPC, b"lost", short=True)
        with pytest.raises(WriteFailed):
            db.table("posts").insert({"title": "lost"})
    assert files(tmp_path) == before


def test_a_failed_transaction_of_two_tables_saves_neither(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "kept"})
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "EIO")))
    with pytest.raises(WriteFailed), db.storage.transaction():
        db.table("posts").insert({"title": "lost"})
        db.table("meta").insert({"next_ids": {"posts": 3}})
    monkeypatch.undo()
    assert "meta" not in JournalStorage(path).read()
    assert titles(path) == ["kept"]


def test_a_write_over_the_file_size_limit_fails_cleanly(tmp_path: Path) -> None:
    """RLIMIT_FSIZE in a child: EFBIG (SIGXFSZ ignored), nothing saved, the store opens."""
    path = tmp_path / "plan.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = subprocess.run([sys.executable, str(CHILD), str(path), "fsize", "kept", "4096"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    journal = path.with_name("plan.json.journal")
    assert out.stdout == (f"failed: could not write to {journal}: File too large; "
                          "nothing was saved\n")
    assert titles(path) == ["kept"]
    assert not journal.exists()  # the close compacted what was saved, and only that


@pytest.mark.parametrize("name", ["replace", "fsync"])
def test_a_failed_compaction_leaves_both_files_as_they_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "a"})
    db.storage.compact()
    db.table("posts").insert({"title": "b"})
    before = files(tmp_path)
    with monkeypatch.context() as mp:
        failing_once(mp, name, errno.ENOSPC)
        with pytest.raises(WriteFailed, match=rf"could not write to {path}: No space left"):
            db.storage.compact()
    assert files(tmp_path) == before  # no temporary file left either
    assert [d["title"] for d in db.table("posts").all()] == ["a", "b"]
    assert titles(path) == ["a", "b"]


def test_a_failed_compaction_inside_a_transaction_forgets_its_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Changes made straight in the tables (a migration) then compacted: all or nothing."""
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "a"})
    with monkeypatch.context() as mp:
        failing_once(mp, "replace", errno.ENOSPC)
        with pytest.raises(WriteFailed), db.storage.transaction() as tables:
            tables["meta"] = {"1": {"schema": 9}}
            db.storage.compact()
    assert "meta" not in db.storage.read()
    db.close()
    assert "meta" not in JournalStorage(path).read()


def test_a_failed_automatic_compaction_keeps_the_acknowledged_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "a"})
    monkeypatch.setattr(storage, "COMPACT_MIN_BYTES", 10)
    with monkeypatch.context() as mp:
        failing_once(mp, "replace", errno.ENOSPC)
        db.table("posts").insert({"title": "b" * 200})  # acknowledged: no exception
    assert "could not compact" in db.storage.warnings[-1]
    assert titles(path) == ["a", "b" * 200]


def test_an_exception_inside_a_transaction_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "kept"})
    before = files(tmp_path)
    with pytest.raises(KeyError), db.storage.transaction():
        db.table("posts").insert({"title": "lost"})
        raise KeyError("boom")
    assert files(tmp_path) == before
    assert [d["title"] for d in db.table("posts").all()] == ["kept"]
    db.close()
    assert titles(path) == ["kept"]


def test_a_failure_swallowed_inside_a_transaction_still_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    posts = db.table("posts")
    posts.insert({"title": "kept"})

    def half(doc: dict) -> None:
        doc["title"] = "half"
        raise RuntimeError("boom")

    with pytest.raises(StoreError, match="a change failed inside this transaction"), \
            db.storage.transaction():
        posts.insert({"title": "lost"})
        with pytest.raises(RuntimeError):
            posts.update(half, doc_ids=[1])
    assert [d["title"] for d in posts.all()] == ["kept"]
    assert titles(path) == ["kept"]


@pytest.mark.parametrize("fault", ["ENOSPC", "link"])
def test_a_backup_that_cannot_be_written_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                fault: str) -> None:
    store = tmp_path / "plan.json"
    if fault == "link":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        backups.folder(store).symlink_to(elsewhere)
        with pytest.raises(StoreError, match="is a symbolic link; planterm does not write"):
            backups.take(store, "daily", 3, b"{}")
        assert list(elsewhere.iterdir()) == []
        return
    failing_once(monkeypatch, "replace", errno.ENOSPC)
    with pytest.raises(WriteFailed, match=r"could not write to .*plan-.*-daily\.json: No space "
                                          r"left on device; nothing was saved"):
        backups.take(store, "daily", 3, b"{}")
    assert backups.listing(store) == []


@pytest.mark.parametrize("name", ["fsync", "replace"])
def test_a_command_s_write_that_fails_leaves_the_main_file_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A command's write folds into a new main file, copying the parts it did not change
    from the old one: when the new file cannot be written, the old one stays, byte for
    byte, with nothing beside it, and the write says nothing was saved."""
    monkeypatch.setattr(storage, "PART_DOCUMENTS", 2)
    path = tmp_path / "plan.json"
    db = open_db(path)
    for n in range(6):
        db.table("posts").insert({"title": f"p{n}"})
    db.close()
    before = files(tmp_path)
    db = DB(path, storage=JournalStorage, fold_writes=True)
    reused: list[object] = []
    real = JournalStorage._reuse

    def spy(self: JournalStorage, changed: object) -> object:
        reused.append(real(self, changed))  # type: ignore[arg-type]
        return reused[-1]

    monkeypatch.setattr(JournalStorage, "_reuse", spy)
    with monkeypatch.context() as mp:
        failing_once(mp, name, errno.ENOSPC)
        with pytest.raises(WriteFailed, match=rf"could not write to {path}: No space left"
                                              r".*; nothing was saved$"):
            db.table("posts").update({"title": "lost"}, doc_ids=[5])
    assert reused and reused[0] is not None  # the unchanged parts were to be copied
    assert files(tmp_path) == before
    assert titles(path) == [f"p{n}" for n in range(6)]
