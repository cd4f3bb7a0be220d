"""The store: TinyDB behind a small typed repository.

TinyDB documents are converted to and from the model's dataclasses here and
nowhere else. The file is checked on open: a file that is not a planterm
store, or one written by a newer planterm, is refused untouched; an older one
(including a plain TinyDB file with planterm's tables and no metadata) is
migrated after a backup (a read-only store is upgraded in memory only). Every
document is then checked against its table's shape (``model.Shape``): a bad one
refuses the store with one line, unless it is opened ``lenient`` for ``check``.

Every write is one storage transaction: a change and the high-water mark of ids
land together, and a replace compares and writes under the same exclusive lock,
so another process's write is never silently overwritten.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import operator
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import compress, repeat
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from tinydb import TinyDB
from tinydb.queries import QueryLike
from tinydb.table import Document, Table

from planterm import backups
from planterm.channels import networks
from planterm.glossary import Glossary
from planterm.model import (
    ACCOUNT,
    CATEGORY,
    EVENT,
    KEY_RE,
    META,
    POST,
    Account,
    Category,
    Event,
    ModelError,
    Post,
    Shape,
    Status,
    as_written,
    iso,
    new_uid,
    utcnow,
)
from planterm.readiness import doc_problems, problems
from planterm.sensitive import has_terms, is_open
from planterm.storage import (
    STORAGE_TABLE,
    JournalStorage,
    PlantermTable,
    StoreError,
)
from planterm.text import fold

SCHEMA = 4
TABLES = ("meta", "objectives", "themes", "accounts", "events", "posts")
"""Every table of planterm's own (TinyDB's empty ``_default`` and the storage's table aside)."""
SHAPES: dict[str, Shape] = {"meta": META, "objectives": CATEGORY, "themes": CATEGORY,
                            "accounts": ACCOUNT, "events": EVENT, "posts": POST}
"""What the documents of each table must look like."""
NUMBERED = ("posts", "events")
"""Tables whose ids are never given twice: ``meta["1"]["next_ids"]`` keeps their high-water mark."""
PROOF = f"shapes-{SCHEMA}.1"
"""The name of the rules in ``SHAPES``, and of posts as ``Post.to_doc`` writes them
(``model.as_written``), written in a main file whose every document passed them
(``JournalStorage.proof``): opening it checks only what changed since. Change it
whenever a shape changes, so that files proven by other rules are checked again."""


class _DB(TinyDB):
    table_class = PlantermTable


class StoreMissing(StoreError):
    """No store at the path, and the caller did not ask to create one."""


@dataclass(frozen=True, slots=True)
class BadDocument:
    """A stored document that does not fit its table's shape: where, and what is wrong."""

    table: str
    doc_id: str
    field: str
    problem: str

    def __str__(self) -> str:
        return f"table {self.table}, document {self.doc_id}, field {self.field}: {self.problem}"


class BadDocuments(StoreError):
    """Documents that planterm cannot read: the first one named, and how many more."""

    def __init__(self, path: Path, bad: list[BadDocument]) -> None:
        more = f" (and {len(bad) - 1} more; 'planterm check' lists them)" if len(bad) > 1 else ""
        super().__init__(f"{path}: {bad[0]}{more}")
        self.bad = bad


class ChangedElsewhere(StoreError):
    """A replace refused because the stored document is no longer the one expected."""

    def __init__(self, label: str, what: str) -> None:
        super().__init__(f"{label} {what}, by another planterm or a script; nothing was written")
        self.what = what
        """What happened to it: ``was changed elsewhere (title, status)``, ``was deleted…``."""


CategoryTable = Literal["objectives", "themes"]
"""The two tables of categories: objectives and themes have the same shape."""


def _one(table: CategoryTable) -> str:
    """``objective`` or ``theme``: one document of ``table``, as messages name it."""
    return table[:-1]


def unknown_category(table: CategoryTable, key: str, known: list[Category]) -> str:
    """What to say of a key that names no objective or theme: the ones there are (archived
    apart), and the command that adds one, so that a fresh store is not a dead end."""
    one = _one(table)
    add = f"planterm {one} add {key if KEY_RE.match(key) else 'KEY'} NAME"
    if not known:
        return f"unknown {one} {key!r}: there are no {table} yet; add one with: {add}"
    active = ", ".join(c.key for c in known if not c.archived) or "none"
    archived = ", ".join(c.key for c in known if c.archived)
    listed = f"{active} (archived: {archived})" if archived else active
    return f"unknown {one} {key!r}; known: {listed}; add one with: {add}"


class CategoryInUse(ModelError):
    """An objective or theme that cannot be deleted: posts use it."""

    def __init__(self, table: CategoryTable, key: str, count: int) -> None:
        super().__init__(table, f"{_one(table)} {key!r} is used by {count} "
                                f"post{'s' if count != 1 else ''}")
        self.table = table
        self.key = key
        self.count = count


@dataclass(frozen=True, slots=True)
class Merge:
    """What ``Store.merge_categories`` did, and all that ``Store.unmerge`` needs to undo it."""

    table: CategoryTable
    source: Category
    """The objective or theme merged away, as it was before it was deleted."""
    into: str
    """The key its posts now carry."""
    posts: tuple[tuple[Post, Post], ...]
    """Each post changed: as it was, and as the merge stored it."""


@dataclass(slots=True)
class PostQuery:
    """Which posts to list; every field left empty matches everything."""

    start: datetime | None = None
    """Scheduled at or after (aware)."""
    end: datetime | None = None
    """Scheduled before (aware)."""
    statuses: frozenset[Status] = frozenset()
    channels: frozenset[str] = frozenset()
    objectives: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    events: frozenset[int] = frozenset()
    words: tuple[str, ...] = ()
    """Words that must all appear in the title, body, notes or hashtags, case and accents
    aside (``musee`` finds "Musée")."""
    unscheduled: bool = False
    """Include posts with no time (ideas) even when a period is given."""
    warnings: bool = False
    """Only posts with problems (``readiness.problems``)."""
    flagged: bool = False
    """Only posts with a sensitivity flag."""
    flags: frozenset[str] = frozenset()
    """Only posts with one of these flags."""
    open_review: bool = False
    """Only flagged posts whose checklist is not all ticked."""
    terms: Glossary | None = None
    """Only posts holding a term of this glossary not kept on purpose."""

    def condition(self) -> Callable[[Mapping[str, Any]], bool]:
        """A TinyDB condition on raw documents (UTC ISO strings sort as times)."""
        lo = iso(self.start)
        hi = iso(self.end)
        words = [fold(w) for w in self.words]

        def test(doc: Mapping[str, Any]) -> bool:
            when = doc.get("scheduled")
            if when is None:
                if (lo or hi) and not self.unscheduled:
                    return False
            elif (lo and when < lo) or (hi and when >= hi):
                return False
            if self.statuses and doc.get("status") not in self.statuses:
                return False
            if self.channels and not self.channels.intersection(doc.get("channels") or ()):
                return False
            if self.objectives and not self.objectives.intersection(doc.get("objectives") or ()):
                return False
            if self.themes and not self.themes.intersection(doc.get("themes") or ()):
                return False
            if self.events and doc.get("event") not in self.events:
                return False
            if words:
                hay = fold(" ".join(
                    [doc.get("title", ""), doc.get("body", ""), doc.get("notes", ""),
                     *(doc.get("hashtags") or ())]
                ))
                if not all(w in hay for w in words):
                    return False
            if self.flagged and not doc.get("flags"):
                return False
            if self.flags and not self.flags.intersection(doc.get("flags") or ()):
                return False
            if self.open_review and not is_open(doc):
                return False
            if self.terms is not None and not has_terms(doc, self.terms):
                return False
            return not self.warnings or bool(problems(Post.from_doc(dict(doc))))

        return test


@dataclass(slots=True)
class Problem:
    """One thing ``check`` found wrong: where and what."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(slots=True)
class OpenReport:
    """What happened while opening: migration, backup, dropped journal records."""

    migrated_from: int | None = None
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)


def _schema_of(tables: dict[str, Any], path: Path) -> int:
    """The schema version of raw tables; ``StoreError`` if not a planterm store."""
    unknown = sorted(set(tables) - set(TABLES) - {STORAGE_TABLE, "_default"})
    if unknown or tables.get("_default"):
        what = ", ".join(unknown) or "_default"
        raise StoreError(f"{path} is not a planterm store (unexpected tables: {what})")
    meta = tables.get("meta", {}).get("1")
    if meta is None:
        return 0
    if meta.get("app") != "planterm" or not isinstance(meta.get("schema"), int):
        raise StoreError(f"{path} is not a planterm store (its meta table is not planterm's)")
    schema: int = meta["schema"]
    if schema > SCHEMA:
        raise StoreError(
            f"{path} was written by a newer planterm (store version {schema}, this planterm "
            f"reads up to {SCHEMA}); upgrade planterm, the file was left untouched"
        )
    return schema


def _migration_uid(table: str, doc_id: str, doc: dict[str, Any]) -> str:
    """A uuid4-shaped uid drawn from the document itself, so that a store read (and so
    upgraded in memory) before it is migrated on disk shows the uids it will keep."""
    import hashlib  # OpenSSL's, 5-20 ms to load: only an old store's migration needs it

    seed = json.dumps([table, doc_id, doc], sort_keys=True, ensure_ascii=False).encode()
    return str(uuid.UUID(bytes=hashlib.sha256(seed).digest()[:16], version=4))


def _give_uids(tables: dict[str, Any]) -> None:
    """Schema 1 to 2: uids, stored creation times, and the high-water mark of ids."""
    now = iso(utcnow())
    for table in NUMBERED:
        for doc_id, doc in tables.get(table, {}).items():
            if "uid" not in doc:
                doc["uid"] = _migration_uid(table, doc_id, doc)
    for doc in tables.get("posts", {}).values():
        # once read back as "now" when missing, which changed at every read
        doc["created"] = doc.get("created") or doc.get("updated") or now
        doc["updated"] = doc.get("updated") or doc["created"]
    marks = {table: max((int(i) for i in tables.get(table, {})), default=0) + 1
             for table in NUMBERED}
    tables.setdefault("meta", {}).setdefault("1", {})["next_ids"] = marks


def _drop_coverage_offsets(tables: dict[str, Any]) -> None:
    """Schema 2 to 3: an event's ``coverage`` offsets (``D-7``, ``live``) give way to a
    coverage template (``template``, empty: the one for its kind). The offsets were never
    turned into posts, and the backup taken before a migration keeps them."""
    for doc in tables.get("events", {}).values():
        doc.pop("coverage", None)


def _give_review_fields(tables: dict[str, Any]) -> None:
    """Schema 3 to 4: a post's review log and its terms kept on purpose, empty. Both are
    optional, so a version 3 post reads as it is; but a post without them is not as
    ``to_doc`` writes it, and a file of such posts would be checked whole at every open
    (``PROOF``) until each post was written again."""
    for doc in tables.get("posts", {}).values():
        doc.setdefault("review", [])
        doc.setdefault("kept", {})


MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {
    0: lambda tables: None,  # a plain TinyDB file with planterm's tables: adopt it as is
    1: _give_uids,
    2: _drop_coverage_offsets,
    3: _give_review_fields,
}
"""Step ``n`` turns raw tables of schema ``n`` into schema ``n + 1``, in place."""


def _upgrade(tables: dict[str, Any], schema: int) -> None:
    """Bring raw tables from ``schema`` to ``SCHEMA``, in place (memory only)."""
    for step in range(schema, SCHEMA):
        MIGRATIONS[step](tables)
    tables.setdefault("meta", {}).setdefault("1", {}).update(app="planterm", schema=SCHEMA)


def bad_documents(tables: Mapping[str, Mapping[str, dict[str, Any]]],
                  only: Mapping[str, Iterable[str]] | None = None) -> list[BadDocument]:
    """Every document that does not fit its table's shape, in table and id order; with
    ``only``, among those documents (ids by table; an id no longer there is skipped)."""
    bad = []
    for table, shape in SHAPES.items():
        problem = shape.problem  # looked up once: this runs on every document at each start
        docs = tables.get(table, {})
        ids = docs if only is None else sorted(only.get(table, ()), key=int)
        for doc_id in ids:
            doc = docs.get(doc_id)
            if doc is None:
                continue
            found = problem(doc)
            if found is not None:
                bad.append(BadDocument(table, doc_id, *found))
    return bad


def _all_fit(tables: Mapping[str, Mapping[str, dict[str, Any]]],
             only: Mapping[str, Iterable[str]] | None) -> bool:
    """Whether the documents ``only`` (ids by table; None: all) fit their tables' shapes,
    the posts as their ``to_doc`` writes them (``PROOF``)."""
    return not bad_documents(tables, only) and _as_written(tables, only)


def _as_written(tables: Mapping[str, Mapping[str, dict[str, Any]]],
                only: Mapping[str, Iterable[str]] | None) -> bool:
    """Whether the posts ``only`` (ids by table; None: all) are as ``to_doc`` writes them."""
    posts = tables.get("posts", {})
    if only is None:
        return as_written(list(posts.values()))
    return as_written([posts[i] for i in only.get("posts", ()) if i in posts])


def _difference(expected: dict[str, Any] | None, current: dict[str, Any] | None) -> str | None:
    """How ``current`` differs from ``expected``, in words; None when they are the same."""
    if current == expected:
        return None
    if current is None:
        return "was deleted elsewhere"
    if expected is None:
        return "exists again: it was put back elsewhere"
    changed = [k for k in current.keys() | expected.keys() if current.get(k) != expected.get(k)]
    return f"was changed elsewhere ({', '.join(sorted(changed))})"


class Store:
    """The typed repository over one store file."""

    def __init__(self, path: Path, *, keep_backups: int = 10, lock_timeout: float = 5.0,
                 create: bool = True, readonly: bool = False, lenient: bool = False,
                 fold_writes: bool = False,
                 within: tuple[datetime, datetime] | None = None) -> None:
        """Open the store at ``path``.

        ``create=False``: ``StoreMissing`` when there is no store, and nothing is made.
        ``readonly``: nothing is ever written, an older store is upgraded in memory only.
        ``lenient``: open a store with bad documents anyway, for ``check`` to list them
        (reading those documents otherwise raises ``ModelError``).
        ``fold_writes``: each write is a new main file (``JournalStorage.fold_writes``).
        ``within``: a glimpse, read-only: the posts scheduled in ``[start, end)`` and those
        without a date are all there (with others of the same months), and everything but
        posts; ``StoreError`` when the store cannot be read so (``JournalStorage.within``).
        """
        path = Path(path)
        if not create and not path.exists():
            raise StoreMissing(f"no store at {path}")
        bounds = None if within is None else (cast(str, iso(within[0])), cast(str, iso(within[1])))
        self.storage = JournalStorage(path, lock_timeout, readonly=readonly,
                                      fold_writes=fold_writes, within=bounds)
        self.storage.proof = (PROOF, _all_fit)
        self.storage.by_time = {"posts": "scheduled"}
        self._times: list[str] | None = None
        """The scheduled time of every scheduled post, sorted, and (``_ids``) their ids in
        the same order: a period is two bisections away, where scanning 20,000 posts took
        35 ms per week shown. Built on first use (a sort of plain strings: of tuples it
        took 130 ms at 50,000 posts), kept up to date as the storage reports changes,
        dropped when it reads anew."""
        self._ids: list[str] = []
        self._top = 0
        """The highest post id in the index: a post beyond it is new, not looked for
        there (a scan of ``_ids`` took 1-3 ms of each write at 20,000 posts)."""
        self._want_index = False
        self._unscheduled: set[str] = set()
        self._events: list[Event] | None = None
        """Every event, by start time, until the events table changes."""
        self.storage.observers.append(self._changed)
        self.path = self.storage.path  # a link is resolved: backups go beside what is written
        self.readonly = self.storage.readonly
        self._lenient = lenient
        self.keep_backups = keep_backups
        self.report = OpenReport(warnings=list(self.storage.warnings))
        tables = self.storage.read()
        schema = _schema_of(tables, self.path)
        if schema < SCHEMA and not readonly and self.path.exists():
            self._migrate()
        elif schema < SCHEMA:  # read-only, or a new store: its first write creates the file
            _upgrade(tables, schema)
        self._refuse_bad()
        self.db = _DB(storage=lambda: self.storage)
        self._tables = {name: self.db.table(name, cache_size=0) for name in TABLES}

    # --- opening, migration, change detection ---------------------------

    def _refuse_bad(self) -> None:
        """``BadDocuments`` if any document does not fit, unless opened ``lenient``.

        A main file whose every document passed these rules when planterm wrote it, its
        bytes unchanged since (``JournalStorage.proof``), has only the documents set after
        it (journal records) checked: the same answer, without reading 50,000 documents.
        """
        tables, unchecked = self.storage.read(), self.storage.unchecked(PROOF)
        bad = bad_documents(tables, unchecked)
        if not bad and _as_written(tables, unchecked):
            self.storage.proved(PROOF)  # else a file with posts as another program wrote them
        elif bad and not self._lenient:
            raise BadDocuments(self.path, bad)

    def _migrate(self) -> None:
        with self.storage.transaction() as tables:
            schema = _schema_of(tables, self.path)  # another process may have done it
            if schema == SCHEMA:
                return
            before = self.storage.snapshot()
            _upgrade(tables, schema)
            # refused here, the memory goes back to the disk and nothing is written
            self._refuse_bad()
            self.report.backup = backups.take(self.path, "migration", self.keep_backups, before)
            self.report.migrated_from = schema
            self.storage.compact()

    def backup(self, reason: str) -> Path:
        """Snapshot the whole store now (before a migration or a bulk change)."""
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; no backup was taken")
        return backups.take(self.path, reason, self.keep_backups, self.storage.write_backup)

    def daily_backup(self) -> Path | None:
        """The once-a-day backup, taken on the first open of the day by a writer."""
        take = self.daily_backup_taker()
        return None if take is None else take()

    def daily_backup_taker(self) -> Callable[[], Path] | None:
        """The once-a-day backup of the store as it is now, to be written later, when it
        holds nobody up (the planner writes it once the week is on screen); None when
        there is none to take (read-only, or taken already today)."""
        if self.readonly or backups.taken_today(self.path):
            return None
        write = self.storage.backup_writer()
        return lambda: backups.take(self.path, "daily", self.keep_backups, write)

    def daily_backup_before_writing(self) -> None:
        """The once-a-day backup, taken just before this session's first write, so that a
        command refused for its input writes nothing at all."""
        self.storage.before_first_write = self.daily_backup

    def changed(self) -> bool:
        """Whether another process wrote since we last looked (a stat, no read)."""
        return self.storage.changed()

    def _changed(self, table: str | None, ids: Iterable[str]) -> None:
        """Keep the index of posts by time and the events up to date with memory."""
        if table is None:
            self._times, self._events = None, None
        elif table == "events":
            self._events = None
        elif table == "posts" and self._times is not None:
            docs = self.storage.read().get("posts", {})
            for doc_id in ids:
                if doc_id in self._unscheduled:
                    self._unscheduled.discard(doc_id)
                elif int(doc_id) <= self._top:
                    with contextlib.suppress(ValueError):  # not indexed: a new post
                        at = self._ids.index(doc_id)  # in C: no map of every post's time
                        del self._times[at], self._ids[at]
                doc = docs.get(doc_id)
                if doc is not None:
                    self._index(doc_id, doc.get("scheduled"))

    def _index(self, doc_id: str, when: str | None) -> None:
        assert self._times is not None
        if when is None:
            self._unscheduled.add(doc_id)
        else:
            at = bisect.bisect_right(self._times, when)
            self._times.insert(at, when)
            self._ids.insert(at, doc_id)
            self._top = max(self._top, int(doc_id))

    def index_posts(self) -> None:
        """Build the index of posts by time now (the planner does it once the first week
        is drawn: 50-150 ms that the first week would otherwise wait for)."""
        self._want_index = True
        if self._times is None:
            self._period(PostQuery(start=datetime.max.replace(tzinfo=UTC)))

    def _period(self, query: PostQuery) -> list[tuple[str, dict[str, Any]]]:
        """The posts scheduled in ``query``'s period (and the unscheduled ones if it says
        so), from the index (a scan until ``index_posts`` asked for it); the rest of the
        query is not applied."""
        docs = self.storage.read().get("posts", {})
        lo, hi = iso(query.start), iso(query.end)
        if self._times is None and not self._want_index:  # one pass: 9 ms at 20,000, not 17
            found: list[tuple[str, dict[str, Any]]] = []
            undated: list[tuple[str, dict[str, Any]]] = []
            for i, d in docs.items():
                when = d.get("scheduled")
                if when is None:
                    undated.append((i, d))
                elif (lo is None or when >= lo) and (hi is None or when < hi):
                    found.append((i, d))
            return found + undated if query.unscheduled else found
        if self._times is None:  # in C loops
            ids = list(docs)
            whens: list[Any] = list(map(dict.get, docs.values(), repeat("scheduled")))
            self._unscheduled = set(compress(ids, map(operator.is_, whens, repeat(None))))
            order = sorted(compress(range(len(ids)), map(operator.is_not, whens, repeat(None))),
                           key=whens.__getitem__)
            self._times = list(map(whens.__getitem__, order))
            self._ids = list(map(ids.__getitem__, order))
            self._top = max(map(int, self._ids), default=0)
        first = 0 if lo is None else bisect.bisect_left(self._times, lo)
        last = len(self._times) if hi is None else bisect.bisect_left(self._times, hi)
        ids = self._ids[first:last]
        if query.unscheduled:
            ids += self._unscheduled
        return [(i, docs[i]) for i in ids]

    def refresh(self, wait: bool = True) -> bool:
        """Apply other processes' writes; True if anything changed.

        ``wait=False`` skips this turn (False) while another process holds the lock. A main
        file read again (another process compacted, or someone edited it) is checked as on
        opening; a ``StoreError`` then means the store must not be read any further.
        """
        before = self.storage.read()
        changed = self.storage.refresh(wait)
        tables = self.storage.read()
        if tables is not before:  # a reload gives new tables; new journal records do not
            # journal records come from planterm writers, which check what they write
            _upgrade(tables, _schema_of(tables, self.path))  # an older main file, in memory
            self._refuse_bad()
        new = [w for w in self.storage.warnings if w not in self.report.warnings]
        self.report.warnings.extend(new)
        return changed

    def close(self) -> None:
        """Close cleanly: the journal is folded in and the store is one JSON file."""
        self.storage.close()

    def compact(self) -> None:
        """Fold the journal into the main file now."""
        self.storage.compact()

    # --- writing, in one transaction each ----------------------------------

    def transaction(self) -> contextlib.AbstractContextManager[Any]:
        """Everything read and written inside is one change under one lock, caught up with
        the other writers first: a check made inside still holds when the write lands."""
        return self.storage.transaction()

    def _insert(self, table: str, docs: list[dict[str, Any]]) -> list[int]:
        """Store new documents and raise the table's high-water mark, as one change."""
        for doc in docs:
            SHAPES[table].fit(doc)  # nothing enters that would refuse the store at next open
        with self.storage.transaction():
            ids = self._tables[table].insert_multiple(docs)
            if table in NUMBERED:
                meta = self._tables["meta"]
                marks = dict(cast(Document, meta.get(doc_id=1)).get("next_ids") or {})
                marks[table] = max([marks.get(table, 1), *(i + 1 for i in ids)])
                meta.update({"next_ids": marks}, doc_ids=[1])
        return ids

    def _replace(self, table: str, doc_id: int, label: str, expected: dict[str, Any] | None,
                 new: dict[str, Any] | None, normal: Callable[[Document], dict[str, Any]]
                 ) -> None:
        """Write ``new`` (None: delete) over document ``doc_id`` if it still is ``expected``
        (None: absent), compared as ``normal`` reads it, under one lock; else
        ``ChangedElsewhere`` naming the document as ``label``."""
        if new is not None:
            SHAPES[table].fit(new)
        docs = self._tables[table]
        with self.storage.transaction():  # caught up with every other writer first
            stored = docs.get(doc_id=doc_id)
            what = _difference(expected, None if stored is None else normal(stored))
            if what is None and new is not None:
                docs.upsert(Document(new, doc_id))
            elif what is None and stored is not None:
                docs.remove(doc_ids=[doc_id])
        if what is not None:
            # raised out here: an exception inside a transaction reloads the whole store
            raise ChangedElsewhere(label, what)

    # --- imports and restores ----------------------------------------------

    def uid_index(self, table: Literal["posts", "events"]) -> dict[str, int]:
        """Each uid of ``table`` and its document id: what imports and exports key on."""
        return {doc["uid"]: int(doc_id)
                for doc_id, doc in self.storage.read().get(table, {}).items()}

    def bring_in(self, categories: Sequence[tuple[CategoryTable, Category]] = (),
                 events: Sequence[Event] = (), posts: Sequence[Post] = ()) -> None:
        """Write what an import brings, all or nothing, in one transaction: new objectives
        and themes first, then events and posts, each keyed on its uid.

        An event or post whose uid the store holds is written over that document (the
        store's id kept); any other is added under a new id with the uid it came with, so
        that importing the same file again updates rather than duplicates. A post's
        ``event`` must already name a stored event (the caller resolves it); posts are
        checked as every write checks them, and nothing is written if one fails.
        """
        for _, cat in categories:
            CATEGORY.fit(cat.to_doc())
        with self.storage.transaction():
            for table, cat in categories:
                if self.category(table, cat.key) is None:
                    self._insert(table, [cat.to_doc()])
            self._bring("events", [e.to_doc() for e in events])
            known = {t: {c.key for c in self._categories(t)} for t in ("objectives", "themes")}
            for post in posts:
                self.check_post(post, known)
            self._bring("posts", [p.to_doc() for p in posts])

    def _bring(self, table: Literal["posts", "events"], docs: list[dict[str, Any]]) -> None:
        """Documents keyed on their uid: written over the stored one, or added (inside the
        caller's transaction)."""
        known = self.uid_index(table)
        fresh = [doc for doc in docs if doc["uid"] not in known]
        for doc in docs:
            if doc["uid"] in known:
                SHAPES[table].fit(doc)
                self._tables[table].upsert(Document(doc, known[doc["uid"]]))
        if fresh:
            self._insert(table, fresh)

    def restore(self, tables: Mapping[str, Mapping[str, dict[str, Any]]]) -> Path:
        """Replace everything the store holds with ``tables`` (another store's, already
        checked by opening it), atomically, after a backup of what it holds now; returns
        that backup. Ids stay never reused: the high-water marks are the higher of both."""
        with self.storage.transaction() as current:
            kept = self.backup("restore")  # under the lock: exactly what is replaced
            new = {name: {i: dict(doc) for i, doc in docs.items()}
                   for name, docs in tables.items()}
            marks = dict(new.setdefault("meta", {}).setdefault("1", {}).get("next_ids") or {})
            ours = current.get("meta", {}).get("1", {}).get("next_ids") or {}
            for name in NUMBERED:
                top = max((int(i) + 1 for i in new.get(name, {})), default=1)
                marks[name] = max(marks.get(name, 1), ours.get(name, 1), top)
            new["meta"]["1"]["next_ids"] = marks
            self.storage.write(new)  # a new main file under a new generation; no journal
        return kept

    # --- posts -----------------------------------------------------------

    @property
    def _posts(self) -> Table:
        return self._tables["posts"]

    def get_post(self, post_id: int) -> Post | None:
        """The post with this id, or None."""
        doc = self._posts.get(doc_id=post_id)
        return None if doc is None else Post.from_doc(doc, doc.doc_id)

    def posts(self, query: PostQuery | None = None) -> list[Post]:
        """Posts matching ``query``, by scheduled time (unscheduled last), then id."""
        if query is not None and (query.start is not None or query.end is not None):
            test = query.condition()  # a period: its posts from the index, then the rest
            return self._as_posts([(int(i), doc) for i, doc in self._period(query) if test(doc)])
        return self.posts_where(None if query is None else query.condition())

    def posts_where(self, test: Callable[[Mapping[str, Any]], bool] | None) -> list[Post]:
        """Posts whose raw document passes ``test`` (None: every post), in ``posts`` order."""
        found = self._posts.all() if test is None else self._posts.search(cast(QueryLike, test))
        return self._as_posts([(doc.doc_id, doc) for doc in found])

    def _as_posts(self, found: Iterable[tuple[int, dict[str, Any]]]) -> list[Post]:
        """``found`` (id, stored document) as posts in ``posts`` order, documents that
        passed their checks when opened or proven not checked again."""
        checked = self._checked()
        posts = [Post.from_doc(doc, doc_id, checked=checked(str(doc_id))) for doc_id, doc in found]
        posts.sort(key=lambda p: (p.scheduled is None, p.scheduled or p.created, p.id or 0))
        return posts

    def _checked(self) -> Callable[[str], bool]:
        """Whether the post document of this id passed ``POST`` when the store was opened
        or proven (``JournalStorage.unchecked``): reading it need not check it again."""
        unchecked = self.storage.unchecked(PROOF)
        if unchecked is None:
            return lambda doc_id: False
        again = unchecked.get("posts", set())
        return lambda doc_id: doc_id not in again

    def post_documents(self, start: datetime | None = None, end: datetime | None = None
                       ) -> Mapping[str, Mapping[str, Any]]:
        """Every post as stored, by id (a string): the raw documents, for the matrix to
        count 20,000 posts without making a dataclass of each. Read, never change them.
        With ``start`` and ``end``: the posts scheduled in ``[start, end)`` alone, found
        through the index of posts by time."""
        if start is None and end is None:
            return cast(Mapping[str, Mapping[str, Any]], self.storage.read().get("posts", {}))
        return dict(self._period(PostQuery(start=start, end=end)))

    def post_docs(self, query: PostQuery | None = None) -> list[tuple[int, dict[str, Any]]] | None:
        """(id, stored document) of the posts ``posts(query)`` gives, in its order, when every
        document is the one its post writes (``model.as_written``): a caller that shows them
        whole (``list --json``) needs no ``Post``. None when one is not (read ``posts``)."""
        if self._lenient:
            return None  # documents not checked: only Post.from_doc says what is wrong
        docs = self.storage.read().get("posts", {})
        if query is None or query == PostQuery():
            found = list(docs.items())
        else:
            test = query.condition()
            found = [(i, d) for i, d in docs.items() if test(d)]
        unchecked = self.storage.unchecked(PROOF)
        known = unchecked is not None and not unchecked.get("posts")  # all proven as written
        if not known and not as_written([d for _, d in found]):
            return None
        # By id, then (a stable sort) by time, unscheduled last: UTC times as iso writes them
        # sort as the times do, and a key of one string sorts three times faster than a tuple.
        posts = [(int(i), d) for i, d in found]
        posts.sort(key=operator.itemgetter(0))
        posts.sort(key=lambda item: ("1" if (when := item[1]["scheduled"]) is None else "0")
                   + (when or item[1]["created"]))
        return posts

    def post_count(self) -> int:
        """How many posts the store holds (no document is read)."""
        return len(self._posts)

    def add_post(self, post: Post) -> Post:
        """Store a new post; the store gives its id and uid. Returns it as stored."""
        return self.add_posts([post])[0]

    def add_posts(self, posts: Iterable[Post]) -> list[Post]:
        """Store many new posts in one write, each with a new id and uid."""
        now = utcnow()
        posts = [replace(p, id=None, uid=new_uid(), created=now, updated=now) for p in posts]
        for post in posts:
            self.check_post(post)
        docs = [p.to_doc() for p in posts]
        ids = self._insert("posts", docs)
        return [Post.from_doc(d, i) for d, i in zip(docs, ids, strict=True)]

    def update_post(self, post: Post) -> Post:
        """Write a changed post over whatever is stored (its uid kept, ``updated`` set now);
        ``KeyError`` if it was deleted meanwhile. ``replace_post`` refuses others' changes."""
        post_id = post.id
        if post_id is None:
            raise ValueError("update_post needs a stored post")
        with self.storage.transaction():
            current = self.get_post(post_id)
            if current is None:
                raise KeyError(post_id)
            stored = self.replace_post(current, replace(post, updated=utcnow()))
        assert stored is not None  # replace_post returns what it wrote
        return stored

    def replace_post(self, expected: Post | None, new: Post | None) -> Post | None:
        """Write ``new`` over the stored post if it is still exactly ``expected``.

        ``expected`` None: the post must not exist (undoing a delete puts it back under
        its id and uid); ``new`` None: delete it. Compared and written under one lock:
        ``ChangedElsewhere`` says what another process changed meanwhile. Returns the post
        as stored (None after a delete). The uid of a stored post is kept.
        """
        post_id = _same_id(expected, new)
        if new is not None:
            if expected is not None:
                new = replace(new, uid=expected.uid)
            if not new.uid:
                raise ValueError("replace_post writes a stored post (with a uid)")
            self.check_post(new)
        doc = None if new is None else new.to_doc()
        self._replace("posts", post_id, f"post {post_id}",
                      None if expected is None else expected.to_doc(), doc,
                      lambda d: Post.from_doc(d, post_id).to_doc())
        return None if doc is None else Post.from_doc(doc, post_id)

    def check_post(self, post: Post, known: Mapping[str, set[str]] | None = None) -> None:
        """Raise ``ModelError`` naming the field if a post refers to unknown things.
        ``known``: the keys of each table, read once for many posts (an import's)."""
        if not post.title.strip():
            raise ModelError("title", "must not be empty")
        for ch in post.channels:
            if ch not in networks():
                listed = ", ".join(networks())
                raise ModelError("channels", f"unknown channel {ch!r}; known: {listed}")
        tagged: tuple[tuple[CategoryTable, list[str]], ...] = (
            ("objectives", post.objectives), ("themes", post.themes))
        for table, keys in tagged:
            have = known[table] if known else {c.key for c in self._categories(table)}
            for key in keys:
                if key not in have:
                    raise ModelError(table, self.unknown_message(table, key))
        if post.event is not None and self._tables["events"].get(doc_id=post.event) is None:
            raise ModelError("event", f"no event with id {post.event}")

    # --- events ----------------------------------------------------------

    def get_event(self, event_id: int) -> Event | None:
        """The event with this id, or None."""
        doc = self._tables["events"].get(doc_id=event_id)
        return None if doc is None else Event.from_doc(doc, doc.doc_id)

    def events(self) -> list[Event]:
        """Every event, by start time (a new list of copies each time)."""
        if self._events is None:
            found = [Event.from_doc(d, d.doc_id) for d in self._tables["events"].all()]
            self._events = sorted(found, key=lambda e: (e.start, e.id or 0))
        return [replace(e, channels=list(e.channels), objectives=list(e.objectives),
                        themes=list(e.themes), exdates=list(e.exdates)) for e in self._events]

    def add_event(self, event: Event) -> Event:
        """Store a new event; the store gives its id and uid. Returns it as stored."""
        doc = replace(event, id=None, uid=new_uid()).to_doc()
        (new_id,) = self._insert("events", [doc])
        return Event.from_doc(doc, new_id)

    def replace_event(self, expected: Event | None, new: Event | None) -> Event | None:
        """``replace_post`` for events: written only if the stored event is ``expected``."""
        event_id = _same_id(expected, new)
        if new is not None and expected is not None:
            new = replace(new, uid=expected.uid)
        if new is not None and not new.uid:
            raise ValueError("replace_event writes a stored event (with a uid)")
        doc = None if new is None else new.to_doc()
        self._replace("events", event_id, f"event {event_id}",
                      None if expected is None else expected.to_doc(), doc,
                      lambda d: Event.from_doc(d, event_id).to_doc())
        return None if doc is None else Event.from_doc(doc, event_id)

    def replace_event_and_posts(self, expected: Event, new: Event,
                                posts: Sequence[tuple[Post, Post]]) -> None:
        """Write ``new`` over the event ``expected`` and each post's second over its first,
        all or nothing, under one lock; ``ChangedElsewhere`` names the first that is no
        longer as expected. Called with the sides swapped, it undoes itself."""
        for _, after in posts:
            self.check_post(after)
        with self.storage.transaction():
            what = None
            for before, _ in posts:
                stored = self._posts.get(doc_id=cast(int, before.id))
                found = None if stored is None else Post.from_doc(stored, before.id).to_doc()
                differs = _difference(before.to_doc(), found)
                if what is None and differs is not None:
                    what = f"post {before.id}", differs
            if what is None:
                try:
                    self.replace_event(expected, new)
                except ChangedElsewhere as e:
                    what = f"event {expected.id}", e.what
                else:
                    self._write_posts([after for _, after in posts])
        if what is not None:
            raise ChangedElsewhere(*what)

    # --- objectives, themes, accounts --------------------------------------

    def _categories(self, table: str) -> list[Category]:
        return [Category.from_doc(d) for d in self._tables[table].all()]

    def objectives(self) -> list[Category]:
        """Every objective, in the order they were created."""
        return self._categories("objectives")

    def themes(self) -> list[Category]:
        """Every theme, in the order they were created."""
        return self._categories("themes")

    def add_objective(self, objective: Category) -> Category:
        """Store a new objective (``add_category``)."""
        return self.add_category("objectives", objective)

    def add_theme(self, theme: Category) -> Category:
        """Store a new theme (``add_category``)."""
        return self.add_category("themes", theme)

    def update_objective(self, expected: Category, new: Category) -> None:
        """Write ``new`` over the objective ``expected`` (same key) if it is unchanged."""
        self.update_category("objectives", expected, new)

    def update_theme(self, expected: Category, new: Category) -> None:
        """Write ``new`` over the theme ``expected`` (same key) if it is unchanged."""
        self.update_category("themes", expected, new)

    def categories(self, table: CategoryTable) -> list[Category]:
        """Every objective or every theme, in the order they were created."""
        return self._categories(table)

    def category(self, table: CategoryTable, key: str) -> Category | None:
        """The objective or theme with this key, or None."""
        found = self._category_id(table, key)
        doc = None if found is None else self._tables[table].get(doc_id=found)
        return None if doc is None else Category.from_doc(doc)

    def _category_id(self, table: CategoryTable, key: str) -> int | None:
        """The document id of the objective or theme ``key``, or None."""
        return next((d.doc_id for d in self._tables[table].all() if d.get("key") == key), None)

    def _remove_category(self, table: CategoryTable, key: str) -> None:
        """Remove the stored objective or theme ``key`` (inside the caller's transaction)."""
        self._tables[table].remove(doc_ids=[cast(int, self._category_id(table, key))])

    def usage(self, table: CategoryTable) -> Counter[str]:
        """How many posts use each key of ``table`` (keys no post uses are absent)."""
        counts: Counter[str] = Counter()
        for doc in self.post_documents().values():
            counts.update(doc.get(table) or ())
        return counts

    def add_category(self, table: CategoryTable, new: Category) -> Category:
        """Store a new objective or theme; ``ModelError`` on the ``key`` if it is taken
        (checked and written under one lock)."""
        CATEGORY.fit(new.to_doc())
        with self.storage.transaction():
            taken = self.category(table, new.key)
            if taken is None:
                self._insert(table, [new.to_doc()])
        if taken is not None:
            hint = " (archived)" if taken.archived else ""
            raise ModelError("key", f"{_one(table)} {new.key!r} exists already{hint}")
        return new

    def update_category(self, table: CategoryTable, expected: Category, new: Category) -> None:
        """Write ``new`` over ``expected`` (same key) if it is unchanged, else
        ``ChangedElsewhere``; writing ``expected`` over ``new`` undoes it."""
        if new.key != expected.key:
            raise ModelError("key", f"stays {expected.key!r}: posts refer to it")
        label = f"{_one(table)} {expected.key!r}"
        found = self._category_id(table, expected.key)
        if found is None:
            raise ChangedElsewhere(label, "was deleted elsewhere")
        self._replace(table, found, label, expected.to_doc(), new.to_doc(),
                      lambda d: Category.from_doc(d).to_doc())

    def delete_category(self, table: CategoryTable, expected: Category) -> None:
        """Delete an objective or theme that no post uses: ``CategoryInUse`` says how many
        do, ``ChangedElsewhere`` that it changed since read; ``add_category`` undoes it."""
        with self.storage.transaction():  # compared, counted and deleted under one lock
            stored = self.category(table, expected.key)
            what = _difference(expected.to_doc(), None if stored is None else stored.to_doc())
            used = self.usage(table)[expected.key]
            if what is None and not used:
                self._remove_category(table, expected.key)
        if what is not None:
            raise ChangedElsewhere(f"{_one(table)} {expected.key!r}", what)
        if used:
            raise CategoryInUse(table, expected.key, used)

    def merge_categories(self, table: CategoryTable, source: str, into: str) -> Merge:
        """Move every post from ``source`` to ``into`` and delete ``source``, in one
        transaction; the returned ``Merge`` is what ``unmerge`` needs to undo it."""
        if source == into:
            raise ModelError(table, f"cannot merge {_one(table)} {source!r} into itself")
        now = utcnow()
        with self.storage.transaction():
            cats = {key: self.category(table, key) for key in (source, into)}
            missing = [key for key, cat in cats.items() if cat is None]
            if not missing:
                changed = self._moved_posts(table, source, into, now)
                self._write_posts([after for _, after in changed])
                self._remove_category(table, source)
        if missing:
            raise ModelError(table, self.unknown_message(table, missing[0]))
        return Merge(table, cast(Category, cats[source]), into, tuple(changed))

    def _moved_posts(self, table: CategoryTable, source: str, into: str,
                     now: datetime) -> list[tuple[Post, Post]]:
        """Each post tagged ``source``, before and after its tag moves to ``into``."""
        moved = []
        for doc_id, doc in self.post_documents().items():
            keys = doc.get(table) or ()
            if source in keys:
                before = Post.from_doc(dict(doc), int(doc_id))
                after = replace(before, updated=now)
                # a post tagged with both keeps one: the tag moves, it is not doubled
                setattr(after, table, list(dict.fromkeys(into if k == source else k
                                                         for k in keys)))
                moved.append((before, after))
        return moved

    def _write_posts(self, posts: list[Post]) -> None:
        """Write whole posts over their stored documents (inside the caller's transaction)."""
        docs = {p.uid: p.to_doc() for p in posts}
        for doc in docs.values():
            POST.fit(doc)

        def put(stored: MutableMapping[str, Any]) -> None:
            new = docs[stored["uid"]]  # uids are unique: the document is its post's
            stored.clear()
            stored.update(new)

        self._posts.update(put, doc_ids=[cast(int, p.id) for p in posts])

    def unmerge(self, merge: Merge) -> None:
        """Undo ``merge``: the posts it moved get their tags back and ``source`` returns, if
        nothing was changed since (else ``ChangedElsewhere`` and nothing is written)."""
        label = f"{_one(merge.table)} {merge.source.key!r}"
        with self.storage.transaction():  # every post compared, then all written, one lock
            what = None
            if self.category(merge.table, merge.source.key) is not None:
                what = label, "exists again: it was put back elsewhere"
            for _, after in merge.posts:
                stored = self._posts.get(doc_id=cast(int, after.id))
                found = None if stored is None else Post.from_doc(stored, after.id).to_doc()
                differs = _difference(after.to_doc(), found)
                if what is None and differs is not None:
                    what = f"post {after.id}", differs
            if what is None:
                self._write_posts([before for before, _ in merge.posts])
                self._insert(merge.table, [merge.source.to_doc()])
        if what is not None:
            raise ChangedElsewhere(*what)

    def unknown_message(self, table: CategoryTable, key: str) -> str:
        """What to say of a key that names no objective or theme: which exist, how to add one."""
        return unknown_category(table, key, self._categories(table))

    def accounts(self) -> list[Account]:
        """The institution's accounts, one per network."""
        return [Account.from_doc(d) for d in self._tables["accounts"].all()]

    # --- check -------------------------------------------------------------

    def unready(self) -> list[tuple[Post, list[str]]]:
        """The posts not ready for their status, each with its problems
        (``readiness.problems``), by time; documents that do not fit are ``check``'s."""
        found = []
        checked = self._checked()
        for i, doc in self.storage.read().get("posts", {}).items():
            if (checked(i) or POST.problem(doc) is None) and (why := doc_problems(doc)):
                found.append((Post.from_doc(doc, int(i), checked=True), why))
        found.sort(key=lambda item: (item[0].scheduled is None,
                                     item[0].scheduled or item[0].created, item[0].id or 0))
        return found

    def check(self) -> list[Problem]:
        """Everything wrong in the store: bad documents, dangling references, shared uids."""
        tables = self.storage.read()
        # documents of a main file planterm wrote and proved, bytes unchanged, passed already
        bad = bad_documents(tables, self.storage.unchecked(PROOF))
        problems = [Problem(f"{b.table} {b.doc_id}", f"field {b.field}: {b.problem}")
                    for b in bad]
        skip = {(b.table, b.doc_id) for b in bad}

        def good(table: str) -> Iterable[tuple[str, dict[str, Any]]]:
            docs = tables.get(table, {})
            if not skip:  # the usual case: no test per document
                return docs.items()
            return ((i, d) for i, d in docs.items() if (table, i) not in skip)

        cats = {t: {Category.from_doc(d).key for _, d in good(t)} for t in ("objectives", "themes")}
        event_ids = {int(i) for i, _ in good("events")}
        every_uid = [d["uid"] for table in NUMBERED for _, d in good(table)]
        if len(set(every_uid)) < len(every_uid):  # only then: which ones share a uid
            uids: dict[str, str] = {}
            for table in NUMBERED:
                for i, d in good(table):
                    where = f"{table[:-1]} {i}"
                    if uids.setdefault(d["uid"], where) != where:
                        problems.append(Problem(where,
                                                f"uid: {d['uid']} is {uids[d['uid']]}'s too"))
        known = networks()
        networks_known = frozenset(known)
        objectives, themes = cats["objectives"], cats["themes"]
        for i, d in good("posts"):  # each fits POST: read as Post.from_doc reads it
            channels = d.get("channels") or ()
            keys = (d.get("objectives") or (), d.get("themes") or ())
            event = d.get("event")
            if (networks_known.issuperset(channels) and objectives.issuperset(keys[0])
                    and themes.issuperset(keys[1]) and (event is None or event in event_ids)):
                continue  # the usual case, without a message built
            where = f"post {i}"
            problems += [Problem(where, f"channels: unknown channel {c!r}")
                         for c in channels if c not in known]
            problems += [Problem(where, f"objectives: unknown objective {k!r}")
                         for k in keys[0] if k not in objectives]
            problems += [Problem(where, f"themes: unknown theme {k!r}")
                         for k in keys[1] if k not in themes]
            if event is not None and event not in event_ids:
                problems.append(Problem(where, f"event: no event with id {event}"))
        return problems


Model = TypeVar("Model", Post, Event)


def _same_id(expected: Model | None, new: Model | None) -> int:
    """The id both sides of a replace share; ``ValueError`` if they have none or differ."""
    ids = {m.id for m in (expected, new) if m is not None}
    if len(ids) != 1 or None in ids:
        raise ValueError("a replace needs a stored document on at least one side, one id")
    (doc_id,) = ids
    assert doc_id is not None
    return doc_id
