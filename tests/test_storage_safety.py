"""The storage's promises about ownership: transactions, ids, links, journals, read-only, busy."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tinydb import TinyDB

from planterm import backups, sessions
from planterm.storage import (
    STORAGE_TABLE,
    JournalStorage,
    PlantermTable,
    StoreBusy,
    StoreError,
    atomic_write,
    decode_records,
    encode_record,
)

CHILD = Path(__file__).with_name("writer_child.py")
LINK_MESSAGE = "is a symbolic link; planterm does not write through links"


class DB(TinyDB):
    table_class = PlantermTable


def open_db(path: Path, **kwargs: object) -> DB:
    return DB(path, storage=JournalStorage, **kwargs)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def records(path: Path) -> list[dict]:
    return decode_records(path.with_name("plan.json.journal").read_bytes())[0]


# --- 4. one record per transaction ----------------------------------------------------------


def test_a_transaction_is_one_record_for_every_table_it_changed(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "first"})
    before = len(records(path))
    with db.storage.transaction():
        post = db.table("posts").insert({"title": "a"})
        db.table("posts").update({"title": "b"}, doc_ids=[post])
        db.table("meta").insert({"next_ids": {"posts": post + 1}})
    after = records(path)
    assert len(after) == before + 1
    assert after[-1] == {"c": {"posts": {"s": {"2": {"title": "b"}}, "d": []},
                               "meta": {"s": {"1": {"next_ids": {"posts": 3}}}, "d": []}}}


def test_a_journal_starts_with_the_generation_of_its_main_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "a"})
    main = json.loads(path.read_text())
    assert records(path)[0] == {"g": main[STORAGE_TABLE]["1"]["generation"]}
    assert STORAGE_TABLE not in db.storage.read()


# --- 5. ids are never reused -----------------------------------------------------------------


def test_next_id_respects_the_high_water_mark(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("meta").insert({"next_ids": {"posts": 10}})
    assert db.table("posts").insert({"title": "a"}) == 10
    assert db.table("posts").insert({"title": "b"}) == 11


def test_an_id_handed_out_is_not_reused_after_another_process_compacts(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    posts = db.table("posts")
    posts.insert_multiple({"title": t} for t in "abc")
    posts.remove(doc_ids=[3])
    open_db(path).close()  # another process folds the journal: id 3 is nowhere on disk
    assert posts.insert({"title": "d"}) == 4


# --- 6. links --------------------------------------------------------------------------------


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of the user's that a link points to: it must never change."""
    path = tmp_path / "precious.txt"
    path.write_text("do not touch\n")
    return path


@pytest.mark.parametrize("name", ["plan.json.journal", "plan.json.lock"])
def test_a_link_in_place_of_the_journal_or_lock_is_refused(tmp_path: Path, victim: Path,
                                                          name: str) -> None:
    path = tmp_path / "plan.json"
    open_db(path).table("posts").insert({"title": "a"})
    open_db(path).close()
    (tmp_path / name).unlink(missing_ok=True)
    (tmp_path / name).symlink_to(victim)
    with pytest.raises(StoreError, match=f"{tmp_path / name} {LINK_MESSAGE}"):
        open_db(path).table("posts").insert({"title": "b"})
    assert victim.read_text() == "do not touch\n"


def test_a_journal_link_is_refused_even_for_reading(tmp_path: Path, victim: Path) -> None:
    path = tmp_path / "plan.json"
    open_db(path).close()
    path.with_name("plan.json.journal").symlink_to(victim)
    with pytest.raises(StoreError, match=LINK_MESSAGE):
        JournalStorage(path, readonly=True)


def test_atomic_write_refuses_to_replace_a_link(tmp_path: Path, victim: Path) -> None:
    link = tmp_path / "settings.toml"
    link.symlink_to(victim)
    with pytest.raises(StoreError, match=LINK_MESSAGE):
        atomic_write(link, b"x")
    assert link.is_symlink() and victim.read_text() == "do not touch\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".home", "precious.txt",
                                                          "settings.toml"]


def test_a_store_path_that_is_a_link_keeps_pointing_at_its_updated_target(
        tmp_path: Path) -> None:
    target = tmp_path / "real" / "plan.json"
    target.parent.mkdir()
    link = tmp_path / "plan.json"
    link.symlink_to(target)
    db = open_db(link)
    db.table("posts").insert({"title": "a"})
    db.close()
    assert link.is_symlink() and link.resolve() == target
    assert json.loads(target.read_text())["posts"] == {"1": {"title": "a"}}
    assert not (tmp_path / "plan.json.journal").exists()
    assert (target.parent / "plan.json.lock").exists()  # the target is what gets locked


def test_backups_and_session_markers_refuse_links(tmp_path: Path, victim: Path) -> None:
    store = tmp_path / "plan.json"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.json").write_text("{}")
    backups.folder(store).symlink_to(elsewhere)
    assert backups.listing(store) == []  # so pruning never reaches through it
    with pytest.raises(StoreError, match=LINK_MESSAGE):
        backups.take(store, "daily", 1, b"{}")
    assert [p.name for p in elsewhere.iterdir()] == ["keep.json"]
    sessions.folder(store).symlink_to(elsewhere)
    with pytest.raises(StoreError, match=LINK_MESSAGE):
        sessions.Marker(store).open()
    assert [p.name for p in elsewhere.iterdir()] == ["keep.json"]


def test_a_session_marker_that_is_a_link_is_not_written_through(tmp_path: Path,
                                                               victim: Path) -> None:
    store = tmp_path / "plan.json"
    marker = sessions.Marker(store)
    sessions.folder(store).mkdir()
    marker.path.symlink_to(victim)
    stamp = victim.stat().st_mtime_ns
    with pytest.raises(StoreError, match=LINK_MESSAGE):
        marker.open()
    marker.heartbeat()
    assert victim.read_text() == "do not touch\n" and victim.stat().st_mtime_ns == stamp


# --- 7. a journal belongs to one main file ----------------------------------------------------


def store_with_journal(folder: Path, title: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": title})
    db.storage.compact()
    db.table("posts").insert({"title": f"{title} journalled"})
    return path


def test_a_journal_copied_from_another_store_is_refused(tmp_path: Path) -> None:
    mine = store_with_journal(tmp_path / "mine", "mine")
    theirs = store_with_journal(tmp_path / "theirs", "theirs")
    journal = mine.with_name("plan.json.journal")
    journal.write_bytes(theirs.with_name("plan.json.journal").read_bytes())
    before = files(mine.parent)
    with pytest.raises(StoreError) as caught:
        JournalStorage(mine)
    assert str(caught.value) == (
        f"{journal} does not belong to {mine} (copied from another store or left over from a "
        "restore); nothing was replayed; move it away, or run 'planterm check --repair'")
    assert files(mine.parent) == before


def test_a_backup_copied_over_the_store_does_not_adopt_the_live_journal(tmp_path: Path) -> None:
    path = store_with_journal(tmp_path, "a")
    backup = JournalStorage(path).snapshot()
    path.write_bytes(backup)  # the user restores a backup by hand; the journal is still there
    with pytest.raises(StoreError, match="does not belong"):
        JournalStorage(path)
    assert json.loads(backup)[STORAGE_TABLE]["1"]["previous"] is None


def test_a_journal_left_by_a_compaction_killed_before_removing_it_is_ignored(
        tmp_path: Path) -> None:
    path = store_with_journal(tmp_path, "a")
    journal = path.with_name("plan.json.journal")
    db = open_db(path)
    db.table("posts").remove(doc_ids=[2])  # the journal now also deletes the journalled post
    left = journal.read_bytes()
    db.storage.compact()
    journal.write_bytes(left)  # as if killed between the replace and the unlink
    reader = JournalStorage(path, readonly=True)
    assert list(reader.read()["posts"]) == ["1"]
    assert journal.read_bytes() == left  # a reader leaves it
    db2 = open_db(path)
    db2.table("posts").insert({"title": "b"})
    assert records(path) == [{"g": db2.storage._generation},
                             {"c": {"posts": {"s": {"2": {"title": "b"}}, "d": []}}}]


def test_an_older_planterm_journal_is_replayed_once_then_gets_a_generation(
        tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"posts": {"1": {"title": "a"}}}))
    journal = path.with_name("plan.json.journal")
    journal.write_bytes(encode_record({"t": "posts", "s": {"2": {"title": "b"}}, "d": []}))
    db = open_db(path)
    assert [d["title"] for d in db.table("posts").all()] == ["a", "b"]
    db.table("posts").insert({"title": "c"})  # the first write gives the main file a generation
    main = json.loads(path.read_text())
    assert main["posts"] == {"1": {"title": "a"}, "2": {"title": "b"}}
    assert records(path)[0] == {"g": main[STORAGE_TABLE]["1"]["generation"]}
    assert [d["title"] for d in open_db(path).table("posts").all()] == ["a", "b", "c"]


@pytest.mark.parametrize("case", ["header-less journal", "journal with a header"])
def test_a_journal_that_does_not_match_the_main_file_kind_is_refused(tmp_path: Path,
                                                                    case: str) -> None:
    path = tmp_path / "plan.json"
    journal = path.with_name("plan.json.journal")
    change = encode_record({"c": {"posts": {"s": {"2": {"title": "b"}}, "d": []}}})
    if case == "header-less journal":
        open_db(path).close()  # a main file with a generation
        open_db(path).table("posts").insert({"title": "a"})
        open_db(path).close()
        journal.write_bytes(change)
    else:
        path.write_text(json.dumps({"posts": {}}))  # an older main file
        journal.write_bytes(encode_record({"g": "0" * 32}) + change)
    with pytest.raises(StoreError, match="does not belong"):
        JournalStorage(path)


# --- 8. read-only opening ---------------------------------------------------------------------


def test_a_read_only_storage_creates_and_writes_nothing(tmp_path: Path) -> None:
    path = store_with_journal(tmp_path, "a")
    path.with_name("plan.json.lock").unlink()
    journal = path.with_name("plan.json.journal")
    journal.write_bytes(journal.read_bytes() + b"0000")  # a torn tail
    (tmp_path / ".plan.json.abc123.tmp").write_bytes(b"left by a killed compaction")
    before = files(tmp_path)
    db = open_db(path, readonly=True)
    assert [d["title"] for d in db.table("posts").all()] == ["a", "a journalled"]
    with pytest.raises(StoreError, match=r"plan\.json was opened read-only"):
        db.table("posts").insert({"title": "b"})
    with pytest.raises(StoreError, match="opened read-only"):
        db.storage.compact()
    db.storage.refresh()
    db.close()
    assert files(tmp_path) == before


def test_a_read_only_storage_on_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    storage = JournalStorage(tmp_path / "typo" / "plna.json", readonly=True)
    assert storage.read() == {}
    storage.close()
    assert list(tmp_path.iterdir()) == [tmp_path / ".home"]


def test_a_main_file_made_read_only_is_not_written(tmp_path: Path) -> None:
    path = store_with_journal(tmp_path, "a")
    open_db(path).close()
    path.chmod(0o444)
    before = files(tmp_path)
    with pytest.raises(StoreError) as caught:
        open_db(path).table("posts").insert({"title": "b"})
    assert str(caught.value) == f"{path} is read-only (mode 0444); planterm will not write to it"
    assert files(tmp_path) == before and path.stat().st_mode & 0o777 == 0o444


def test_temporary_files_of_a_killed_compaction_go_at_the_next_write(tmp_path: Path) -> None:
    path = store_with_journal(tmp_path, "a")
    left = tmp_path / ".plan.json.k1ll3d.tmp"
    left.write_bytes(b"half a store")
    open_db(path, readonly=True).close()
    assert left.exists()
    open_db(path).table("posts").insert({"title": "b"})
    assert not left.exists()


# --- 9. busy ------------------------------------------------------------------------------------


def holder(path: Path, seconds: int) -> subprocess.Popen[str]:
    """Another process that takes the store's lock and keeps it."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    proc = subprocess.Popen([sys.executable, str(CHILD), str(path), "hold", "-", str(seconds)],
                            stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def test_a_busy_store_names_who_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path, lock_timeout=0.2)
    proc = holder(path, 30)
    try:
        with pytest.raises(StoreBusy) as caught:
            db.table("posts").insert({"title": "x"})
    finally:
        proc.kill()
        proc.wait()
    who = f"pid {proc.pid} on {socket.gethostname()}"
    assert caught.value.holder == who
    assert str(caught.value) == f"{path} is busy: held by {who}; nothing was written, try again"
    assert len(open_db(path).table("posts")) == 0


def test_refresh_without_waiting_gives_up_at_once(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    reader = open_db(path, lock_timeout=5.0)
    open_db(path).table("posts").insert({"title": "x"})
    fd = os.open(path.with_name("plan.json.lock"), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        start = time.monotonic()
        assert reader.storage.refresh(wait=False) is False
        assert time.monotonic() - start < 0.5
    finally:
        os.close(fd)
    assert reader.storage.refresh(wait=False) is True
    assert len(reader.table("posts")) == 1
