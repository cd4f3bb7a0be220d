"""What makes opening and backing up cheap keeps the promises: the daily backup is a
whole, readable copy of the store as it was; a file planterm wrote is trusted only while
its bytes are the ones written; a bad document is still refused."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tinydb import TinyDB

from planterm import backups
from planterm.model import POST_FIELDS, Post, Status
from planterm.storage import STORAGE_TABLE, JournalStorage, StoreError
from planterm.store import BadDocuments, PostQuery, Store


def a_store(path: Path, posts: int = 30) -> Store:
    """A store with posts of every kind of text, closed cleanly (one JSON file), reopened."""
    store = Store(path)
    store.add_posts([Post(title=f"Post {i} « été » 🎉 \u202e", body="x\ny" * i,
                          status=Status.DRAFT, channels=["instagram"]) for i in range(posts)])
    store.close()
    return Store(path)


def tables_of(data: dict[str, dict[str, object]]) -> dict[str, object]:
    """A store's tables as stock TinyDB reads them, without the storage's own table."""
    return {name: table for name, table in data.items() if name != STORAGE_TABLE}


def stock_tinydb(path: Path) -> dict[str, object]:
    """Every table of ``path`` as plain TinyDB (and its JSON storage) reads them."""
    with TinyDB(path) as db:
        return {name: {str(d.doc_id): dict(d) for d in db.table(name).all()}
                for name in db.tables()}


def the_backup(path: Path) -> Path:
    (daily,) = [p for p in backups.listing(path) if p.name.endswith("-daily.json")]
    return daily


@pytest.mark.parametrize("pending", [False, True])
def test_the_backup_of_the_first_open_of_the_day_is_the_whole_store_as_it_was(
        tmp_path: Path, pending: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copied from the main file when it alone is the store, serialised from memory when
    a journal holds changes: either way every table, readable by stock TinyDB."""
    path = tmp_path / "plan.json"
    store = a_store(path)
    if pending:  # a change only in the journal: the main file alone is not the store
        post = store.posts()[0]
        store.replace_post(post, _retitled(post, "journalled"))
    else:  # the main file's bytes are copied: nothing is serialised
        monkeypatch.setattr(JournalStorage, "snapshot", lambda self: pytest.fail("serialised"))
    expected = json.loads(json.dumps(store.storage.read()))  # the store as it was
    take = store.daily_backup_taker()
    assert take is not None
    store.add_post(Post(title="written after the backup was taken, before it was written"))
    daily = take()
    assert backups.listing(path) == [daily] and the_backup(path) == daily
    assert tables_of(json.loads(daily.read_bytes())) == expected
    assert {k: v for k, v in stock_tinydb(daily).items() if k != STORAGE_TABLE} == {
        k: v for k, v in expected.items() if v}
    assert ("journalled" in daily.read_text()) is pending
    assert "written after" not in daily.read_text()
    store.close()
    # restored over the store, the backup opens as a planterm store of its own
    restored = tmp_path / "restored" / "plan.json"
    restored.parent.mkdir()
    restored.write_bytes(daily.read_bytes())
    assert tables_of(Store(restored).storage.read()) == expected


def _retitled(post: Post, title: str) -> Post:
    return replace(post, title=title)


def test_a_copied_backup_has_a_generation_of_its_own(tmp_path: Path) -> None:
    """Copied over the store while the live journal is there, it adopts no journal."""
    path = tmp_path / "plan.json"
    store = a_store(path)
    daily = store.daily_backup()
    assert daily is not None
    main = json.loads(path.read_bytes())[STORAGE_TABLE]["1"]
    copy = json.loads(daily.read_bytes())[STORAGE_TABLE]["1"]
    assert copy["generation"] != main["generation"] and copy["previous"] is None
    assert daily.read_bytes()[:100] == path.read_bytes()[:100]  # the bytes were copied
    post = store.posts()[0]
    store.replace_post(post, _retitled(post, "journalled"))  # a live journal
    path.write_bytes(daily.read_bytes())  # the user restores the backup by hand
    with pytest.raises(StoreError, match="does not belong"):
        JournalStorage(path)


def test_a_store_written_by_tinydb_is_backed_up_whole_too(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    a_store(path).close()
    data = json.loads(path.read_bytes())
    path.write_text(json.dumps(data, indent=1))  # rewritten by another program: no CRC
    store = Store(path)
    daily = store.daily_backup()
    assert daily is not None
    assert tables_of(json.loads(daily.read_bytes())) == tables_of(data)


def test_a_document_edited_in_a_file_planterm_wrote_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    a_store(path).close()
    raw = path.read_bytes()
    assert raw.count(b'"status":"draft"') == 30
    path.write_bytes(raw.replace(b'"status":"draft"', b'"status":"brouillon"', 1))
    with pytest.raises(BadDocuments, match="field status: 'brouillon' is not a status"):
        Store(path)


def test_a_bad_document_in_the_journal_of_a_proven_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    a_store(path).close()
    storage = JournalStorage(path)
    with storage.transaction() as tables:
        tables["posts"]["1"]["status"] = "brouillon"
        storage.touch("posts", ["1"])
    with pytest.raises(BadDocuments, match="posts, document 1, field status"):
        Store(path)


def test_only_documents_that_passed_are_vouched_for(tmp_path: Path) -> None:
    """A compaction names the rules in the file only when every document passed them."""
    path = tmp_path / "plan.json"
    a_store(path).close()
    proven = json.loads(path.read_bytes())[STORAGE_TABLE]["1"]["proven"]
    assert proven
    data = json.loads(path.read_bytes())
    data["posts"]["1"]["status"] = "brouillon"
    path.write_text(json.dumps(data))
    store = Store(path, lenient=True)  # as 'check --compact' opens it
    store.compact()
    assert json.loads(path.read_bytes())[STORAGE_TABLE]["1"]["proven"] is None
    with pytest.raises(BadDocuments):
        Store(path)


def test_what_orjson_would_change_is_written_by_the_standard_library(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    storage = JournalStorage(path)
    with storage.transaction() as tables:
        tables["t"] = {"1": {"big": 10**30, "nan": float("nan"), "inf": float("-inf")}}
        storage.touch("t", ["1"])
    storage.compact()
    again = JournalStorage(path).read()["t"]["1"]
    assert again["big"] == 10**30 and type(again["big"]) is int
    assert again["nan"] != again["nan"] and again["inf"] == float("-inf")
    JournalStorage(path).compact()  # read back and written again: still the same
    assert JournalStorage(path).read()["t"]["1"]["big"] == 10**30


# --- list --json and check, from the stored documents ------------------------------------

HOSTILE = "T\x1b]0;x\x07 \x7f \x85 \u202eevil\u2066 « é » 🎉 \"q\" \\ \t"


def test_list_json_from_the_documents_is_byte_for_byte_the_one_from_posts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from datetime import UTC, datetime

    from planterm.cli import run

    path = tmp_path / "plan.json"
    store = Store(path)
    store.add_posts([Post(title=HOSTILE, body=HOSTILE, notes=HOSTILE, variants={"x": HOSTILE},
                          scheduled=datetime(2026, m, 3, 9, 30, tzinfo=UTC), event=None,
                          channels=["instagram", "x"], checklist={"a": True}, live=m % 2 == 0)
                     for m in range(1, 13)] + [Post(title="idée", status=Status.IDEA)])
    store.close()
    monkeypatch.setenv("PLANTERM_STORE", str(path))
    outputs = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(Store, "post_docs", lambda self, query=None: None)
        for argv in (["list", "--json"], ["week", "2026-03-04", "--json"],
                     ["list", "--json", "--text", "evil", "--channel", "x"]):
            assert run(argv) == 0
            outputs.append(capsysbinary.readouterr().out)
    assert outputs[:3] == outputs[3:]
    everything = outputs[0]
    assert b"\\u007f" in everything and b"\\u0085" in everything and b"\\u202e" in everything
    assert not any(c in everything.decode() for c in "\x7f\x85\u202e\u2066\x1b")
    assert [p["title"] for p in json.loads(everything)][-1] == "idée"


def test_documents_come_in_the_order_of_posts_ties_by_id_whatever_the_file_order(
        tmp_path: Path) -> None:
    from datetime import UTC, datetime

    path = tmp_path / "plan.json"
    store = Store(path)
    nine = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    store.add_posts([Post(title=f"p{n}", scheduled=None if n % 3 == 0 else nine.replace(hour=n % 2))
                     for n in range(12)])
    store.close()
    data = json.loads(path.read_bytes())
    data["posts"] = dict(reversed(data["posts"].items()))  # not in the order of their ids
    del data[STORAGE_TABLE]
    path.write_text(json.dumps(data))
    store = Store(path)
    docs = store.post_docs()
    assert docs is not None
    # at 0:00, at 1:00, then unscheduled (all created at once): each by id
    assert [i for i, _ in docs] == [p.id for p in store.posts()] == [3, 5, 9, 11, 2, 6, 8, 12,
                                                                    1, 4, 7, 10]


def test_documents_not_as_planterm_writes_them_are_shown_through_posts(tmp_path: Path) -> None:
    from planterm.model import as_written

    post = Post(title="t", uid="u").to_doc()
    assert as_written([post])
    assert not as_written([{**post, "scheduled": "2026-11-25T10:00:00+01:00"}])
    assert not as_written([{**post, "body": None}])
    assert not as_written([{"title": "t", **{k: v for k, v in post.items() if k != "title"}}])
    assert not as_written([{**post, "created": "2026-11-25T10:00:00.5Z"}])


def test_check_of_a_proven_store_still_finds_dangling_references(tmp_path: Path) -> None:
    from planterm.model import Category

    path = tmp_path / "plan.json"
    store = Store(path)
    store.add_theme(Category(key="prehistoire", name="Préhistoire"))
    store.add_post(Post(title="x", themes=["prehistoire"]))
    with store.storage.transaction() as tables:  # the theme removed behind planterm's back
        tables["themes"].clear()
        store.storage.touch("themes", ["1"])
    store.close()
    assert json.loads(path.read_bytes())[STORAGE_TABLE]["1"]["proven"]
    problems = [str(p) for p in Store(path, readonly=True, lenient=True).check()]
    assert problems == ["post 1: themes: unknown theme 'prehistoire'"]


# --- the index of posts by time ----------------------------------------------------------


def test_a_period_read_from_the_index_is_the_one_a_scan_finds(tmp_path: Path) -> None:
    """Through this session's writes, another process's writes and compactions."""
    import random
    from datetime import UTC, datetime, timedelta

    from planterm.store import PostQuery

    rng = random.Random(9)
    base = datetime(2026, 1, 1, tzinfo=UTC)

    def when() -> datetime | None:
        return None if rng.random() < 0.1 else base + timedelta(hours=rng.randrange(24 * 90))

    path = tmp_path / "plan.json"
    mine = Store(path)
    mine.add_posts([Post(title=f"p{i}", scheduled=when()) for i in range(200)])

    def agree() -> None:
        everything = mine.posts()
        for _ in range(5):
            start = base + timedelta(days=rng.randrange(90))
            end = start + timedelta(days=rng.choice([1, 7, 31]))
            for unscheduled in (False, True):
                query = PostQuery(start=start, end=end, unscheduled=unscheduled)
                scan = [p for p in everything if (p.scheduled is None and unscheduled) or
                        (p.scheduled is not None and start <= p.scheduled < end)]
                assert [p.id for p in mine.posts(query)] == [p.id for p in scan]

    agree()  # read by a scan
    mine.index_posts()
    agree()  # from the index
    theirs = Store(path)
    for step in range(30):
        store = mine if step % 3 else theirs
        store.refresh()
        posts = store.posts()
        post = rng.choice(posts)
        action = rng.choice(["move", "delete", "add"])
        if action == "move":
            store.replace_post(post, replace(post, scheduled=when()))
        elif action == "delete":
            store.replace_post(post, None)
        else:
            store.add_post(Post(title=f"n{step}", scheduled=when()))
        if step % 7 == 0:
            store.compact()
        mine.refresh()
        agree()


# --- the main file read part by part -------------------------------------------------------


def test_a_main_file_in_parts_reads_back_whole_and_stock_tinydb_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planterm import storage

    monkeypatch.setattr(storage, "PART_DOCUMENTS", 3)
    path = tmp_path / "plan.json"
    a_store(path, posts=10).close()
    plain = JournalStorage(path)
    with plain.transaction() as tables:  # an empty table: a part of its own
        tables["themes"] = {}
    plain.compact()
    own = json.loads(path.read_bytes())[STORAGE_TABLE]["1"]
    assert [name for name, _, _ in own["parts"]].count("posts") == 4  # 10 posts, 3 a part
    assert {name for name, _, _ in own["parts"]} >= {"meta", "posts", "themes"}  # empty too
    expected = tables_of(json.loads(path.read_bytes()))
    assert tables_of(JournalStorage(path).read()) == expected
    assert {k: v for k, v in stock_tinydb(path).items() if k != STORAGE_TABLE and v} == {
        k: v for k, v in expected.items() if v}
    read: list[int] = []  # never the whole file at once
    real = storage._read_parts

    def spy(f: object, tail: object, held: object, keep: bool = False) -> object:
        result = real(f, tail, held, keep)  # type: ignore[arg-type]
        assert result is not None and result[1].kept is None  # the bytes are not kept
        read.append(1)
        return result

    monkeypatch.setattr(storage, "_read_parts", spy)
    assert tables_of(JournalStorage(path).read()) == expected and read == [1]


def test_a_command_s_write_copies_the_parts_it_did_not_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that folds into a new main file (a command's) serialises only the parts
    whose documents changed; the file is byte for byte the one a whole serialisation
    gives, but for the storage's own table (a new generation)."""
    import orjson

    from planterm import storage

    monkeypatch.setattr(storage, "PART_DOCUMENTS", 3)
    path = tmp_path / "plan.json"
    a_store(path, posts=10).close()

    def written(change: object) -> tuple[bytes, bytes, list[int]]:
        store = Store(path, fold_writes=True)
        sizes: list[int] = []
        real = orjson.dumps

        def dumps(value: object, *args: object, **kwargs: object) -> bytes:
            if isinstance(value, dict) and value and all(isinstance(v, dict) and "title" in v
                                                         for v in value.values()):
                sizes.append(len(value))  # posts serialised
            return real(value, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(storage.orjson, "dumps", dumps)
        try:
            change(store)  # type: ignore[operator]
        finally:
            monkeypatch.setattr(storage.orjson, "dumps", real)
        raw = path.read_bytes()
        whole = storage._dump(store.storage.read(), "0" * 32, None)
        store.close()
        return raw, whole, sizes

    def head(raw: bytes) -> bytes:
        return raw[: raw.rindex(b'"storage":')]

    post = Store(path).posts()[4]  # in the second part of three posts
    raw, whole, sizes = written(lambda s: s.replace_post(post, replace(post, title="Neuf")))
    assert head(raw) == head(whole) and b'"Neuf"' in raw
    assert sizes == [3]  # its part alone
    assert tables_of(stock_tinydb(path)) == tables_of(json.loads(whole))

    # a deletion leaves its part one document short, the others as they were
    raw, whole, sizes = written(lambda s: s.replace_post(s.posts()[1], None))
    assert sizes == [2] and tables_of(json.loads(raw)) == tables_of(json.loads(whole))
    assert tables_of(stock_tinydb(path)) == tables_of(json.loads(whole))

    # another process's write since the main file was read: nothing is copied
    def after_another(store: Store) -> None:
        other = Store(path)
        first = other.posts()[0]
        other.replace_post(first, replace(first, title="Ailleurs"))
        mine = store.posts()[-1]
        store.replace_post(mine, replace(mine, title="Ici"))

    raw, whole, sizes = written(after_another)
    assert head(raw) == head(whole) and b'"Ailleurs"' in raw and b'"Ici"' in raw
    assert sizes == [3, 3, 3]


def test_a_command_s_write_copies_the_bytes_read_at_opening_without_reading_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planterm import storage

    monkeypatch.setattr(storage, "PART_DOCUMENTS", 3)
    path = tmp_path / "plan.json"
    a_store(path, posts=10).close()
    store = Store(path, fold_writes=True)
    post = store.posts()[4]
    whole = storage._dump(store.storage.read(), "0" * 32, None)
    copied: list[object] = []
    real = storage._orjson_parts

    def parts(*args: object) -> object:
        copied.append(args[4])  # reuse
        return real(*args)  # type: ignore[arg-type]

    def no_open(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"the main file read again: {args}")

    monkeypatch.setattr(storage, "_orjson_parts", parts)
    monkeypatch.setattr(storage, "open", no_open, raising=False)
    store.replace_post(post, replace(post, title="Neuf"))
    monkeypatch.undo()
    assert len(copied) == 1 and isinstance(copied[0], storage._Reuse)
    raw = path.read_bytes()
    assert raw[: raw.rindex(b'"storage":')] == whole[: whole.rindex(b'"storage":')].replace(
        post.title.encode(), b"Neuf", 1)
    assert [p.title for p in Store(path).posts()][4] == "Neuf"


def test_another_process_s_new_main_file_is_parsed_only_where_its_bytes_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The planner reading a command's new main file parses the parts that changed, keeps
    its documents of the others, is told the documents that differ, and ends as memory read
    whole from the file would be."""
    import orjson

    from planterm import storage

    monkeypatch.setattr(storage, "PART_DOCUMENTS", 3)
    path = tmp_path / "plan.json"
    a_store(path, posts=10).close()
    planner = Store(path)
    told: list[tuple[str | None, list[str]]] = []
    planner.storage.observers.append(lambda table, ids: told.append((table, sorted(ids))))
    parsed: list[list[str]] = []
    real = orjson.loads

    def loads(data: bytes) -> object:
        value = real(data)
        parsed.append(sorted(value))
        return value

    monkeypatch.setattr(storage.orjson, "loads", loads)
    kept = planner.storage.read()["posts"]["1"]
    command = Store(path, fold_writes=True)  # a new main file, as a command's write makes
    post = command.get_post(5)
    assert post is not None
    command.replace_post(post, replace(post, title="Neuf"))
    parsed.clear()
    assert planner.refresh()
    assert [ids for ids in parsed if ids != [STORAGE_TABLE]] == [["4", "5", "6"]]  # its part
    assert told == [("posts", ["5"])]
    assert planner.storage.read()["posts"]["1"] is kept  # memory's own document
    assert planner.storage.read() == JournalStorage(path).read()
    assert planner.get_post(5).title == "Neuf"  # type: ignore[union-attr]


def test_a_part_whose_bytes_come_again_is_parsed_when_memory_changed_it_since(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A main file replaced by one with the same parts (a restore) under a journal it makes
    stale: the documents the journal had changed in memory are read from the file."""
    import shutil

    from planterm import storage

    monkeypatch.setattr(storage, "PART_DOCUMENTS", 3)
    path = tmp_path / "plan.json"
    a_store(path, posts=10).close()
    planner = Store(path)
    planner.storage.auto_compact = False
    post = planner.get_post(5)
    assert post is not None
    planner.replace_post(post, replace(post, title="Ici"))  # in the journal, and memory
    copy = tmp_path / "restored.json"
    shutil.copy(path, copy)
    restored = JournalStorage(copy)
    restored.compact()  # the same documents, a new generation: the journal is stale for it
    restored.close()
    copy.replace(path)
    assert planner.refresh()
    assert planner.get_post(5).title == post.title  # type: ignore[union-attr]
    assert planner.storage.read() == JournalStorage(path).read()


def test_a_main_file_in_parts_changed_by_hand_is_read_and_checked_whole(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    a_store(path, posts=5).close()
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"title":"Post 3', b'"title":"Post 9', 1))  # same length
    assert [p.title[:6] for p in Store(path).posts()].count("Post 9") == 1
    path.write_bytes(raw.replace(b'"status":"draft"', b'"status":"drafty"', 1))
    with pytest.raises(BadDocuments, match="field status: 'drafty' is not a status"):
        Store(path)


def test_the_fields_vouched_for_are_those_a_post_writes() -> None:
    """A field added to ``Post.to_doc`` and not to ``POST_FIELDS`` would make every file
    unproven: checked whole on each open, silently slow."""
    assert tuple(Post(title="x").to_doc()) == POST_FIELDS


# --- posts month by month, and a glimpse of the first week -------------------------------


def spread_store(path: Path) -> Store:
    """Posts over five months (several parts each), a few undated, an event; closed (one
    main file, month by month), reopened."""
    from datetime import UTC, datetime, timedelta

    from planterm.model import Category, Event

    rng = random.Random(4)
    store = Store(path)
    store.add_objective(Category("visites", "Visites"))
    store.add_event(Event(title="Nocturne", start=datetime(2026, 11, 27, 18, tzinfo=UTC),
                          end=datetime(2026, 11, 27, 22, tzinfo=UTC)))
    first = datetime(2026, 9, 1, tzinfo=UTC)
    store.add_posts([Post(title=f"Post {i} « été » 🎉", objectives=["visites"],
                          scheduled=None if i % 9 == 0 else
                          first + timedelta(hours=rng.randrange(0, 24 * 150)))
                     for i in range(60)])
    store.close()
    return Store(path)


WINDOW = (datetime(2026, 11, 16, tzinfo=ZoneInfo("Europe/Paris")),
          datetime(2026, 12, 7, tzinfo=ZoneInfo("Europe/Paris")))


def test_posts_lie_month_by_month_in_the_main_file_and_stock_tinydb_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planterm import storage

    monkeypatch.setattr(storage, "PART_DOCUMENTS", 4)
    path = tmp_path / "plan.json"
    store = spread_store(path)
    post = next(p for p in store.posts() if p.scheduled and p.scheduled.month == 9)
    store.replace_post(post, replace(post, scheduled=post.scheduled.replace(month=12)))
    store.close()
    raw = path.read_bytes()
    parts = json.loads(raw)[STORAGE_TABLE]["1"]["parts"]
    months = [part[3] for part in parts if part[0] == "posts"]
    assert months == sorted(months) and months[0] == "" and len(set(months)) == 6
    assert all(len(part) == 3 for part in parts if part[0] != "posts")
    for _, start, end, month in (part for part in parts if part[0] == "posts"):
        docs = json.loads(b"{" + raw[start:end] + b"}")
        assert 0 < len(docs) <= 4
        assert {(doc["scheduled"] or "")[:7] for doc in docs.values()} == {month}
    assert tables_of(stock_tinydb(path)) == tables_of(json.loads(raw))
    assert tables_of(JournalStorage(path).read()) == tables_of(json.loads(raw))
    assert Store(path).get_post(post.id).scheduled.month == 12  # type: ignore[union-attr]


def test_a_glimpse_holds_every_post_of_its_window_the_undated_ones_and_all_else(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read a few parts only, journal records applied: what the planner's first week is
    drawn from must be what the whole store shows there."""
    from planterm import storage

    monkeypatch.setattr(storage, "PART_DOCUMENTS", 4)
    path = tmp_path / "plan.json"
    store = spread_store(path)
    store.storage.auto_compact = False  # what follows stays in the journal
    inside = store.posts(PostQuery(start=WINDOW[0], end=WINDOW[1]))
    outside = next(p for p in store.posts() if p.scheduled and p.scheduled.month == 9)
    store.replace_post(outside, replace(outside, scheduled=WINDOW[0] + timedelta(days=2)))
    store.replace_post(inside[0], None)
    store.add_post(Post(title="Nouveau", scheduled=WINDOW[1] - timedelta(hours=1)))
    assert path.with_name("plan.json.journal").exists()

    glimpse = Store(path, create=False, within=WINDOW)
    week = PostQuery(start=WINDOW[0], end=WINDOW[1], unscheduled=True)
    assert glimpse.posts(week) == store.posts(week)
    assert {"Nouveau", outside.title} <= {p.title for p in glimpse.posts(week)}
    assert inside[0].id not in {p.id for p in glimpse.posts(week)}
    assert glimpse.events() == store.events() and glimpse.objectives() == store.objectives()
    assert len(glimpse.post_documents()) < len(store.post_documents()) // 2  # a few parts
    assert glimpse.readonly
    with pytest.raises(StoreError, match="read-only"):
        glimpse.add_post(Post(title="x"))


def test_no_glimpse_of_a_file_not_kept_month_by_month_or_changed_by_hand(
        tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    spread_store(path).close()
    raw = path.read_bytes()
    path.write_bytes(b"{ " + raw[1:])  # every part one byte further: none parses where said
    with pytest.raises(StoreError):
        Store(path, create=False, within=WINDOW)
    assert len(Store(path).posts()) == 60  # read whole, and checked
    plain = JournalStorage(path)  # a storage that does not keep posts by time
    with plain.transaction() as tables:
        tables["themes"] = {}
    plain.compact()
    with pytest.raises(StoreError, match="not kept month by month"):
        Store(path, create=False, within=WINDOW)


def test_a_command_s_write_moves_a_post_to_its_month_and_copies_the_other_parts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson

    from planterm import storage

    monkeypatch.setattr(storage, "PART_DOCUMENTS", 4)
    path = tmp_path / "plan.json"
    spread_store(path).close()
    serialised: list[list[str]] = []
    real = orjson.dumps

    def dumps(value: object, *args: object, **kwargs: object) -> bytes:
        if isinstance(value, dict) and value and all(isinstance(v, dict) and "title" in v
                                                     for v in value.values()):
            serialised.append(sorted(value))
        return real(value, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storage.orjson, "dumps", dumps)
    store = Store(path, fold_writes=True)
    post = next(p for p in store.posts() if p.scheduled and p.scheduled.month == 9)
    moved = replace(post, scheduled=post.scheduled.replace(month=12))  # type: ignore[union-attr]
    store.replace_post(post, moved)
    assert len(serialised) == 2 and [str(post.id)] in [
        [i for i in ids if i == str(post.id)] for ids in serialised]  # its old and new parts
    serialised.clear()
    store = Store(path, fold_writes=True)  # a command writes once
    added = store.add_post(Post(title="Plus tard", scheduled=datetime(2027, 3, 1, 9,
                                                                     tzinfo=ZoneInfo("UTC"))))
    assert serialised == [[str(added.id)]]  # a part of its own month, nothing else
    monkeypatch.setattr(storage.orjson, "dumps", real)
    raw = path.read_bytes()
    parts = json.loads(raw)[STORAGE_TABLE]["1"]["parts"]
    for _, start, end, month in (part for part in parts if part[0] == "posts"):
        docs = json.loads(b"{" + raw[start:end] + b"}")
        assert {(doc["scheduled"] or "")[:7] for doc in docs.values()} == {month}
    assert tables_of(stock_tinydb(path)) == tables_of(json.loads(raw))
    assert Store(path).get_post(post.id).scheduled == moved.scheduled  # type: ignore[union-attr]
