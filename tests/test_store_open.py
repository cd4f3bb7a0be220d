"""Opening a store: create or not, read-only, migration to uids, bad documents refused."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from tinydb import TinyDB

from planterm import backups
from planterm.model import Post, Status
from planterm.storage import StoreError
from planterm.store import SCHEMA, BadDocuments, Store, StoreMissing

POST_V1 = {"title": "Teaser", "status": "draft", "scheduled": "2026-11-27T09:00:00Z",
           "created": "2026-11-20T09:00:00Z", "updated": "2026-11-21T09:00:00Z"}
EVENT_V1 = {"title": "Vernissage", "start": "2026-11-26T17:30:00Z", "kind": "opening"}


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes: to show that nothing was written."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write_tables(path: Path, tables: dict[str, Any]) -> None:
    path.write_text(json.dumps(tables), encoding="utf-8")


def version_1(path: Path) -> None:
    """A store as planterm wrote it before uids: post 3 deleted, so ids end at 2."""
    write_tables(path, {
        "meta": {"1": {"app": "planterm", "schema": 1}},
        "objectives": {}, "themes": {}, "accounts": {},
        "events": {"1": EVENT_V1},
        "posts": {"1": POST_V1, "2": {**POST_V1, "title": "Recap", "created": None}},
    })


def test_no_store_and_no_create_makes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "plna.json"
    with pytest.raises(StoreMissing, match=f"^no store at {path}$"):
        Store(path, create=False)
    with pytest.raises(StoreMissing):
        Store(path, create=False, readonly=True)
    assert list(tmp_path.iterdir()) == [tmp_path / ".home"]  # no folder, lock or backup


def test_read_only_writes_nothing_and_upgrades_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    version_1(path)
    before = files(tmp_path)
    store = Store(path, readonly=True)
    first = [p.uid for p in store.posts()]
    assert all(UUID(u).version == 4 for u in first) and len(set(first)) == 2
    recap = store.posts()[1]
    assert recap.created == recap.updated  # filled in for a post that had none
    assert store.daily_backup() is None
    for write in (lambda: store.add_post(Post(title="x")), lambda: store.backup("import"),
                  store.compact):
        with pytest.raises(StoreError, match="read-only"):
            write()
    store.close()
    assert files(tmp_path) == before
    # read again, then migrated on disk: the uids shown were the ones kept
    assert [p.uid for p in Store(path, readonly=True).posts()] == first
    assert [p.uid for p in Store(path).posts()] == first


def test_version_1_is_migrated_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    version_1(path)
    store = Store(path)
    assert store.report.migrated_from == 1
    assert store.report.backup is not None
    assert json.loads(store.report.backup.read_text())["posts"]["1"] == POST_V1
    store.close()
    with TinyDB(path) as db:  # plain TinyDB still reads everything
        meta = db.table("meta").get(doc_id=1)
        posts = db.table("posts").all()
        events = db.table("events").all()
    assert meta is not None
    assert (meta["schema"], meta["next_ids"]) == (SCHEMA, {"posts": 3, "events": 2})
    assert len({d["uid"] for d in [*posts, *events]}) == 3
    assert posts[1]["created"] == posts[1]["updated"] == POST_V1["updated"]


@pytest.mark.parametrize(
    ("doc", "says"),
    [
        ({"status": "foo"}, "field status: 'foo' is not a status"),
        ({"type": "reel"}, "field type: not a field of this table"),
        ({"channels": ["instagram", 7]}, "field channels: expected a list of text"),
        ({"scheduled": "1-01-01T10:00:00Z"}, "field scheduled: '1-01-01T10:00:00Z' is not an"),
        ({"title": None}, "field title: must not be empty"),
        ({"variants": {"x": {"y": {"z": [[[[[[[[[[1]]]]]]]]]]}}}},
         "field variants: expected a table of text, got {'x': {'y': {'z': [[[[...]]]]}}}"),
    ],
)
def test_a_bad_document_refuses_the_store_in_one_line(tmp_path: Path, doc: dict[str, Any],
                                                      says: str) -> None:
    path = tmp_path / "plan.json"
    store = Store(path)
    good = store.add_post(Post(title="ok"))
    store.close()
    tables = json.loads(path.read_text())
    tables["posts"]["12"] = {**tables["posts"]["1"], **doc}
    write_tables(path, tables)
    before = files(tmp_path)
    for readonly in (False, True):
        with pytest.raises(BadDocuments) as err:
            Store(path, readonly=readonly)
        assert str(err.value).startswith(f"{path}: table posts, document 12, {says}")
        assert "\n" not in str(err.value) and "more" not in str(err.value)
    assert files(tmp_path) == before
    lenient = Store(path, readonly=True, lenient=True)
    (problem,) = lenient.check()
    assert (problem.where, problem.what) == ("posts 12", str(err.value).split(", ", 2)[2])
    assert lenient.get_post(1) == good  # the good documents can still be read


def test_every_bad_document_is_counted_and_listed(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    Store(path).compact()  # a new store is written by its first write
    tables = json.loads(path.read_text())
    uid = "0f8fad5b-d9cb-469f-a165-70867728950e"
    tables["posts"] = {str(i): {**POST_V1, "uid": uid, "status": "foo"} for i in (3, 5, 9)}
    tables["events"] = {"2": {**EVENT_V1, "uid": uid, "start": "soon"}}
    tables["themes"] = {"1": {"key": "Bad Key", "name": "x"}}
    write_tables(path, tables)
    with pytest.raises(BadDocuments, match=r"themes, document 1, field key: .* \(and 4 more; "
                                           r"'planterm check' lists them\)$"):
        Store(path)
    problems = [str(p) for p in Store(path, lenient=True).check()]
    assert problems == [
        "themes 1: field key: 'Bad Key' must be lower-case letters, digits, - or _",
        "events 2: field start: 'soon' is not an ISO 8601 time",
        "posts 3: field status: 'foo' is not a status",
        "posts 5: field status: 'foo' is not a status",
        "posts 9: field status: 'foo' is not a status",
    ]


def test_a_bad_document_written_to_the_journal_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    other = Store(path)
    post = other.add_post(Post(title="ok"))
    with other.storage.transaction() as tables:  # a checksum-good record of a bad document
        tables["posts"]["1"] = {**post.to_doc(), "status": "foo"}
        other.storage.touch("posts", ["1"])
    with pytest.raises(BadDocuments, match="table posts, document 1, field status: 'foo'"):
        Store(path)


def test_a_document_id_that_is_not_a_number_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    Store(path).compact()  # a new store is written by its first write
    tables = json.loads(path.read_text())
    tables["posts"] = {"abc": {**POST_V1, "uid": "x"}}
    write_tables(path, tables)
    with pytest.raises(StoreError, match="table posts, document 'abc'") as err:
        Store(path, readonly=True, lenient=True)
    assert "\n" not in str(err.value)


def test_an_old_store_with_a_bad_document_is_neither_migrated_nor_backed_up(
    tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    version_1(path)
    tables = json.loads(path.read_text())
    tables["posts"]["2"]["status"] = "foo"
    write_tables(path, tables)
    with pytest.raises(BadDocuments, match="document 2, field status"):
        Store(path)
    assert not backups.listing(path)
    assert json.loads(path.read_text())["posts"] == tables["posts"]
    assert json.loads(path.read_text())["meta"]["1"]["schema"] == 1


def test_a_store_written_then_closed_opens_again_and_tinydb_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    store = Store(path)
    store.add_post(Post(title="a", status=Status.DRAFT))
    store.close()
    assert [p.title for p in Store(path, create=False).posts()] == ["a"]
    with TinyDB(path) as db:
        assert db.table("posts").get(doc_id=1) == {**Store(path).posts()[0].to_doc()}
    assert not os.path.exists(str(path) + ".journal")


def test_a_main_file_read_again_is_checked_as_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    mine = Store(path)
    mine.add_post(Post(title="ok"))
    theirs = Store(path)
    theirs.add_post(Post(title="theirs"))
    assert mine.refresh() and len(mine.posts()) == 2  # journal records: taken in as they are
    theirs.close()
    tables = json.loads(path.read_text())
    tables["posts"]["2"]["status"] = "foo"  # edited by hand while the planner is open
    write_tables(path, tables)
    with pytest.raises(BadDocuments, match="table posts, document 2, field status: 'foo'"):
        mine.refresh()


def test_a_read_only_store_is_upgraded_again_when_it_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    version_1(path)
    reader = Store(path, readonly=True)
    tables = json.loads(path.read_text())
    tables["posts"]["3"] = {**POST_V1, "title": "by an older planterm"}
    write_tables(path, tables)
    assert reader.refresh()
    assert [bool(p.uid) for p in reader.posts()] == [True, True, True]
    writer = Store(path)  # migrates on disk: the reader reads the same uids
    assert reader.refresh() is True
    assert [p.uid for p in reader.posts()] == [p.uid for p in writer.posts()]
