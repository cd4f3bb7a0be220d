"""The storage keeps DESIGN.md's promises: atomic, durable, shared, cheap writes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from planterm.storage import (
    STORAGE_TABLE,
    JournalStorage,
    PlantermTable,
    StoreBusy,
    StoreError,
    decode_records,
    encode_record,
)

CHILD = Path(__file__).with_name("writer_child.py")
CRASH_LOOPS = int(os.environ.get("PLANTERM_CRASH_LOOPS", "200"))
CLI_LOOPS = max(CRASH_LOOPS // 5, 1)
"""Kills of ``planterm add``: each starts a Python, so fewer (40 by default)."""


class DB(TinyDB):
    table_class = PlantermTable


def open_db(path: Path) -> DB:
    return DB(path, storage=JournalStorage)


def child(path: Path, mode: str, tag: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    return subprocess.Popen([sys.executable, str(CHILD), str(path), mode, tag, str(count)],
                            stdout=subprocess.PIPE, text=True, env=env)


def stock(path: Path) -> dict:
    """What plain TinyDB with its stock JSONStorage reads (but the storage's own table)."""
    db = TinyDB(path, storage=JSONStorage, access_mode="r")
    try:
        return {name: {d.doc_id: dict(d) for d in db.table(name).all()}
                for name in db.tables() - {STORAGE_TABLE}}
    finally:
        db.close()


def test_write_is_journalled_then_compacted_on_close(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    posts = db.table("posts")
    a = posts.insert({"title": "a"})
    posts.insert({"title": "b"})
    posts.update({"title": "A"}, doc_ids=[a])
    posts.remove(doc_ids=[2])
    assert path.with_name("plan.json.journal").exists()
    assert open_db(path).table("posts").get(doc_id=a) == {"title": "A"}
    db.close()
    assert not path.with_name("plan.json.journal").exists()
    assert stock(path) == {"posts": {1: {"title": "A"}}}


def test_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert({"title": "a"})
    assert os.stat(path.with_name("plan.json.journal")).st_mode & 0o777 == 0o600
    db.close()
    assert os.stat(path).st_mode & 0o777 == 0o600


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'{"posts": [1]}', b"\xff\xfe"])
def test_unreadable_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=r"plan\.json"):
        open_db(path)
    assert path.read_bytes() == content


def test_record_round_trip_and_torn_tail() -> None:
    change = {"c": {"posts": {"s": {"1": {"t": "é"}}, "d": ["2"]}, "meta": {"s": {}, "d": []}}}
    rec = encode_record(change)
    records, used, torn = decode_records(rec + rec)
    assert records == [change] * 2
    assert (used, torn) == (2 * len(rec), False)
    assert decode_records(rec + rec[:-3]) == (records[:1], len(rec), True)


def test_records_of_older_planterms_are_still_read() -> None:
    old = encode_record({"t": "posts", "s": {"1": {"t": "a"}}, "d": ["2"]})
    assert decode_records(old)[0] == [{"c": {"posts": {"s": {"1": {"t": "a"}}, "d": ["2"]}}}]


def test_damaged_record_followed_by_good_ones_is_corruption() -> None:
    rec = encode_record({"c": {"posts": {"s": {"1": {"t": "a"}}, "d": []}}})
    bad = rec[:20] + b"X" + rec[21:]
    with pytest.raises(StoreError, match="damaged"):
        decode_records(rec + bad + rec)


def test_torn_journal_at_every_offset_of_last_record(tmp_path: Path) -> None:
    """Cut the journal at every byte of its last record: dropped, never half-applied."""
    path = tmp_path / "plan.json"
    db = open_db(path)
    posts = db.table("posts")
    posts.insert({"title": "kept"})
    before = path.with_name("plan.json.journal").stat().st_size
    posts.update({"title": "changed", "extra": "é" * 20}, doc_ids=[1])
    journal = path.with_name("plan.json.journal").read_bytes()
    for cut in range(before, len(journal)):
        path.with_name("plan.json.journal").write_bytes(journal[:cut])
        storage = JournalStorage(path)
        expected = {"title": "kept"}
        assert storage.read()["posts"]["1"] == expected, cut
        assert bool(storage.warnings) == (cut > before), cut
    # the next writer cuts the torn tail off before appending its own record
    path.with_name("plan.json.journal").write_bytes(journal[:-5])
    db2 = open_db(path)
    db2.table("posts").insert({"title": "after"})
    reopened = open_db(path)
    assert [d["title"] for d in reopened.table("posts").all()] == ["kept", "after"]
    assert not reopened.storage.warnings


def test_change_detection_reads_only_new_records(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    writer, reader = open_db(path), open_db(path)
    assert not reader.storage.changed()
    writer.table("posts").insert({"title": "from the other"})
    assert reader.storage.changed()
    assert reader.storage.refresh()
    assert reader.table("posts").get(doc_id=1) == {"title": "from the other"}
    assert not reader.storage.changed()
    writer.close()  # compaction replaces the main file: the reader reloads it
    assert reader.storage.changed()
    assert reader.storage.refresh()
    assert len(reader.table("posts")) == 1


def test_a_main_file_read_again_tells_only_the_documents_it_changed(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    writer = open_db(path)
    writer.table("posts").insert_multiple({"title": f"post {i}"} for i in range(30))
    writer.table("events").insert({"title": "Nocturne"})
    writer.storage.compact()
    reader = open_db(path)
    told: list[tuple[str | None, list[str]]] = []
    reader.storage.observers.append(lambda table, ids: told.append((table, sorted(ids))))
    posts = writer.table("posts")
    posts.update({"title": "changed"}, doc_ids=[2])
    posts.remove(doc_ids=[3])
    posts.insert({"title": "new"})
    writer.storage.compact()  # a new main file, as every command's write makes one
    assert reader.storage.refresh()
    assert told == [("posts", ["2", "3", "31"])]  # the events are as they were: not told
    assert reader.storage.read() == open_db(path).storage.read()
    told.clear()
    posts.update({"title": "most"}, doc_ids=list(range(1, 10)))  # 9 of 28: more than a tenth
    writer.storage.compact()
    assert reader.storage.refresh()
    assert told == [(None, [])]  # indexes built again: cheaper than 9 single changes each
    assert reader.table("posts").get(doc_id=4) == {"title": "most"}
    writer.close()
    reader.close()


def test_writes_apply_on_latest_state(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    a, b = open_db(path), open_db(path)
    a.table("posts").insert({"title": "a"})
    b.table("posts").insert({"title": "b"})  # b catches up first: no id clash, nothing lost
    a.table("posts").update({"title": "a2"}, doc_ids=[1])
    a.close()
    b.close()
    assert stock(path) == {"posts": {1: {"title": "a2"}, 2: {"title": "b"}}}


def test_busy_lock_gives_up_with_a_message(tmp_path: Path) -> None:
    import fcntl

    path = tmp_path / "plan.json"
    db = DB(path, storage=JournalStorage, lock_timeout=0.2)
    fd = os.open(path.with_name("plan.json.lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(StoreBusy, match="busy"):
            db.table("posts").insert({"title": "x"})
    finally:
        os.close(fd)
    assert len(open_db(path).table("posts")) == 0


def test_failed_update_leaves_memory_as_disk(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    db = open_db(path)
    posts = db.table("posts")
    posts.insert({"title": "a"})

    def boom(doc: dict) -> None:
        doc["title"] = "half"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        posts.update(boom, doc_ids=[1])
    assert posts.get(doc_id=1) == {"title": "a"}


def test_parallel_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    open_db(path).table("posts").insert({"title": "counter", "n": 0})
    procs = [child(path, "insert", tag, 150) for tag in ("a", "b")]
    procs += [child(path, "counter", "c", 150) for _ in range(2)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    data = stock(path)["posts"]
    titles = {d["title"] for d in data.values()}
    assert {f"{t}-{n}" for t in "ab" for n in range(150)} <= titles
    assert len(data) == 301
    assert data[1]["n"] == 300  # each saw the other's increments before applying its own


def _crash_once(path: Path, mode: str, rng: random.Random, loop: int) -> set[str]:
    proc = child(path, mode, f"L{loop}", 10_000)
    acked: set[str] = set()
    assert proc.stdout is not None
    wanted = rng.randint(0, 40)
    while len(acked) < wanted:
        line = proc.stdout.readline()
        if not line:
            break
        acked.add(line.split()[1])
    time.sleep(rng.random() * 0.01)
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate()
    acked.update(line.split()[1] for line in rest.splitlines() if len(line.split()) == 2)
    return acked


@pytest.mark.parametrize("mode", ["insert", "compact"])
def test_sigkill_loop_never_loses_an_acknowledged_write(tmp_path: Path, mode: str) -> None:
    """Kill a writer at random moments (of writes, compactions, replays) many times."""
    path = tmp_path / "plan.json"
    rng = random.Random(1234)
    acked: set[str] = set()
    loops = CRASH_LOOPS
    for loop in range(loops):
        acked |= _crash_once(path, mode, rng, loop)
        storage = JournalStorage(path)  # must open, whatever the moment of the kill
        titles = {d["title"] for d in storage.read().get("posts", {}).values()}
        missing = acked - titles
        assert not missing, f"loop {loop}: lost {sorted(missing)[:5]}"
    assert len(acked) > loops  # the loop really wrote


def test_sigkill_loop_through_the_cli_never_loses_an_added_post(tmp_path: Path) -> None:
    """Kill ``planterm add`` at random moments: every post it said it added is in the store."""
    path = tmp_path / "plan.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    rng = random.Random(4321)
    acked: set[str] = set()
    for loop in range(CLI_LOOPS):
        proc = subprocess.Popen(
            [sys.executable, "-m", "planterm", "--store", str(path), "add", f"t{loop}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(rng.random() * 0.8)  # from before the store opens to after it is closed
        proc.send_signal(signal.SIGKILL)  # nothing happens if it is done already
        out, err = proc.communicate()
        if "added post" in out:
            acked.add(f"t{loop}")
        else:
            assert proc.returncode == -signal.SIGKILL, err  # killed, never failed
        storage = JournalStorage(path)  # must open, whatever the moment of the kill
        titles = {d["title"] for d in storage.read().get("posts", {}).values()}
        missing = acked - titles
        assert not missing, f"loop {loop}: lost {sorted(missing)}"
    assert acked  # the loop really wrote


def test_sigkill_during_journal_replay_changes_nothing(tmp_path: Path) -> None:
    """Opening replays the journal without writing: a kill then leaves every byte as it was."""
    path = tmp_path / "plan.json"
    db = open_db(path)
    db.table("posts").insert_multiple({"title": f"p{n}", "body": "é" * 200} for n in range(50))
    for n in range(1, 51):
        db.table("posts").update({"body": f"v{n}"}, doc_ids=[n])
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    rng = random.Random(7)
    for _ in range(max(CRASH_LOOPS // 4, 1)):
        proc = child(path, "replay", "r", 10_000)
        assert proc.stdout is not None
        for _ in range(rng.randint(0, 5)):
            proc.stdout.readline()
        time.sleep(rng.random() * 0.005)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == files
    assert JournalStorage(path).read()["posts"]["50"]["body"] == "v50"


# --- property: any sequence of operations survives close, compaction, stock TinyDB ----------

ops = st.lists(
    st.tuples(
        st.sampled_from(["insert", "update", "remove", "upsert"]),
        st.sampled_from(["posts", "events", "themes"]),
        st.integers(min_value=1, max_value=12),
        st.dictionaries(st.sampled_from(["title", "n", "tags"]),
                        st.one_of(st.text(max_size=8), st.integers(), st.lists(st.text(max_size=3),
                                                                               max_size=2)),
                        max_size=3),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops)
def test_any_sequence_round_trips(tmp_path_factory: pytest.TempPathFactory, seq: list) -> None:
    from tinydb.table import Document

    path = tmp_path_factory.mktemp("prop") / "plan.json"
    db = open_db(path)
    model: dict[str, dict[int, dict]] = {}
    for op, table_name, doc_id, doc in seq:
        table = db.table(table_name)
        mine = model.setdefault(table_name, {})
        if op == "insert":
            new_id = table.insert(doc)
            assert new_id not in mine
            mine[new_id] = dict(doc)
        elif op == "update":
            table.update(doc, doc_ids=[doc_id])
            if doc_id in mine:
                mine[doc_id].update(doc)
        elif op == "remove":
            table.remove(doc_ids=[doc_id])
            mine.pop(doc_id, None)
        else:
            table.upsert(Document(doc, doc_id))
            mine.setdefault(doc_id, {}).update(doc)
    expected = {name: docs for name, docs in model.items() if docs}

    def live(db: DB) -> dict:
        return {n: {int(i): d for i, d in t.items()} for n, t in db.storage.read().items() if t}

    assert live(open_db(path)) == expected  # reopened: main file + journal replay
    db.storage.compact()
    assert live(open_db(path)) == expected  # after compaction
    db.close()
    assert {n: t for n, t in stock(path).items() if t} == expected  # stock TinyDB
    assert json.loads(path.read_text()) is not None
