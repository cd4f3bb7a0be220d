"""The store: TinyDB behind a small typed repository.

TinyDB documents are converted to and from the model's dataclasses here and
nowhere else. The file is checked on open: a file that is not a planterm
store, or one written by a newer planterm, is refused untouched; an older one
(including a plain TinyDB file with planterm's tables and no metadata) is
migrated after a backup.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.queries import QueryLike
from tinydb.table import Document, Table

from planterm import backups
from planterm.channels import networks
from planterm.model import Account, Category, Event, ModelError, Post, Status, iso, utcnow
from planterm.storage import JournalStorage, PlantermTable, StoreError, make_private_dirs

SCHEMA = 1
TABLES = ("meta", "objectives", "themes", "accounts", "events", "posts")
"""Every table a planterm store may hold (plus TinyDB's empty ``_default``)."""


class _DB(TinyDB):
    table_class = PlantermTable


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
    """Lower-case words that must all appear in the title, body, notes or hashtags."""
    unscheduled: bool = False
    """Include posts with no time (ideas) even when a period is given."""

    def condition(self) -> Callable[[Mapping[str, Any]], bool]:
        """A TinyDB condition on raw documents (UTC ISO strings sort as times)."""
        lo = iso(self.start)
        hi = iso(self.end)

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
            if self.words:
                hay = " ".join(
                    [doc.get("title", ""), doc.get("body", ""), doc.get("notes", ""),
                     *(doc.get("hashtags") or ())]
                ).lower()
                return all(w in hay for w in self.words)
            return True

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
    unknown = sorted(set(tables) - set(TABLES) - {"_default"})
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


MIGRATIONS: dict[int, Callable[[dict[str, Any]], None]] = {
    0: lambda tables: None,  # a plain TinyDB file with planterm's tables: adopt it as is
}
"""Step ``n`` turns raw tables of schema ``n`` into schema ``n + 1``, in place."""


class Store:
    """The typed repository over one store file."""

    def __init__(self, path: Path, *, keep_backups: int = 10, lock_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.keep_backups = keep_backups
        self.report = OpenReport()
        make_private_dirs(self.path.parent)
        self.storage = JournalStorage(self.path, lock_timeout=lock_timeout)
        self.report.warnings.extend(self.storage.warnings)
        schema = _schema_of(self.storage.read(), self.path)
        self.db = _DB(storage=lambda: self.storage)
        self._tables = {name: self.db.table(name, cache_size=0) for name in TABLES}
        if schema < SCHEMA:
            self._migrate(schema)

    # --- opening, migration, change detection ---------------------------

    def _migrate(self, schema: int) -> None:
        is_new = not self.path.exists()
        with self.storage.transaction() as tables:
            schema = _schema_of(tables, self.path)  # another process may have done it
            if schema == SCHEMA:
                return
            if not is_new:
                self.report.backup = self.backup("migration")
                self.report.migrated_from = schema
            for step in range(schema, SCHEMA):
                MIGRATIONS[step](tables)
            tables["meta"] = {"1": {"app": "planterm", "schema": SCHEMA}}
            self.storage.compact()

    def backup(self, reason: str) -> Path:
        """Snapshot the whole store now (before a migration or a bulk change)."""
        data = json.dumps(self.storage.read(), ensure_ascii=False).encode()
        return backups.take(self.path, reason, self.keep_backups, data)

    def daily_backup(self) -> Path | None:
        """The once-a-day backup, taken on the first open of the day."""
        if backups.taken_today(self.path):
            return None
        return self.backup("daily")

    def changed(self) -> bool:
        """Whether another process wrote since we last looked (a stat, no read)."""
        return self.storage.changed()

    def refresh(self) -> bool:
        """Apply other processes' writes; True if anything changed."""
        changed = self.storage.refresh()
        new = [w for w in self.storage.warnings if w not in self.report.warnings]
        self.report.warnings.extend(new)
        return changed

    def close(self) -> None:
        """Close cleanly: the journal is folded in and the store is one JSON file."""
        self.storage.close()

    def compact(self) -> None:
        """Fold the journal into the main file now."""
        self.storage.compact()

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
        if query is None:
            found = self._posts.all()
        else:
            found = self._posts.search(cast(QueryLike, query.condition()))
        posts = [Post.from_doc(doc, doc.doc_id) for doc in found]
        posts.sort(key=lambda p: (p.scheduled is None, p.scheduled or p.created, p.id or 0))
        return posts

    def post_count(self) -> int:
        """How many posts the store holds (no document is read)."""
        return len(self._posts)

    def add_post(self, post: Post) -> Post:
        """Store a new post (its id is given by the store) and return it with its id."""
        self.check_post(post)
        now = utcnow()
        post = replace(post, id=None, created=now, updated=now)
        new_id = self._posts.insert(post.to_doc())
        return replace(post, id=new_id)

    def add_posts(self, posts: Iterable[Post]) -> list[Post]:
        """Store many new posts in one write."""
        posts = list(posts)
        for post in posts:
            self.check_post(post)
        ids = self._posts.insert_multiple([p.to_doc() for p in posts])
        return [replace(p, id=i) for p, i in zip(posts, ids, strict=True)]

    def update_post(self, post: Post) -> Post:
        """Write a changed post back; ``KeyError`` if it was deleted meanwhile."""
        post_id = post.id
        if post_id is None:
            raise ValueError("update_post needs a stored post")
        self.check_post(post)
        post = replace(post, updated=utcnow())
        if not self._posts.update(post.to_doc(), doc_ids=[post_id]):
            raise KeyError(post_id)
        return post

    def put_post(self, post: Post) -> Post:
        """Write a post under its own id, re-creating it if it was deleted (undo)."""
        post_id = post.id
        if post_id is None:
            raise ValueError("put_post needs an id")
        self._posts.upsert(Document(post.to_doc(), post_id))
        return post

    def delete_post(self, post_id: int) -> Post:
        """Delete a post and return what it was (for undo); ``KeyError`` if absent."""
        post = self.get_post(post_id)
        if post is None:
            raise KeyError(post_id)
        self._posts.remove(doc_ids=[post_id])
        return post

    def check_post(self, post: Post) -> None:
        """Raise ``ModelError`` naming the field if a post refers to unknown things."""
        if not post.title.strip():
            raise ModelError("title", "must not be empty")
        for ch in post.channels:
            if ch not in networks():
                listed = ", ".join(networks())
                raise ModelError("channels", f"unknown channel {ch!r}; known: {listed}")
        for name, keys, table in (
            ("objectives", post.objectives, "objectives"),
            ("themes", post.themes, "themes"),
        ):
            have = {c.key for c in self._categories(table)}
            for key in keys:
                if key not in have:
                    known = ", ".join(sorted(have))
                    raise ModelError(name, f"unknown {name[:-1]} {key!r}; known: {known}")
        if post.event is not None and self._tables["events"].get(doc_id=post.event) is None:
            raise ModelError("event", f"no event with id {post.event}")

    # --- events ----------------------------------------------------------

    def get_event(self, event_id: int) -> Event | None:
        """The event with this id, or None."""
        doc = self._tables["events"].get(doc_id=event_id)
        return None if doc is None else Event.from_doc(doc, doc.doc_id)

    def events(self) -> list[Event]:
        """Every event, by start time."""
        found = [Event.from_doc(d, d.doc_id) for d in self._tables["events"].all()]
        return sorted(found, key=lambda e: (e.start, e.id or 0))

    def add_event(self, event: Event) -> Event:
        """Store a new event and return it with its id."""
        new_id = self._tables["events"].insert(event.to_doc())
        return replace(event, id=new_id)

    # --- objectives, themes, accounts --------------------------------------

    def _categories(self, table: str) -> list[Category]:
        return [Category.from_doc(d) for d in self._tables[table].all()]

    def objectives(self) -> list[Category]:
        """Every objective, in the order they were created."""
        return self._categories("objectives")

    def themes(self) -> list[Category]:
        """Every theme, in the order they were created."""
        return self._categories("themes")

    def add_objective(self, objective: Category) -> None:
        """Store a new objective."""
        self._tables["objectives"].insert(objective.to_doc())

    def add_theme(self, theme: Category) -> None:
        """Store a new theme."""
        self._tables["themes"].insert(theme.to_doc())

    def accounts(self) -> list[Account]:
        """The institution's accounts, one per network."""
        return [Account.from_doc(d) for d in self._tables["accounts"].all()]

    # --- check -------------------------------------------------------------

    def check(self) -> list[Problem]:
        """Everything wrong in the store: unreadable documents, dangling references."""
        problems: list[Problem] = []
        cats: dict[str, set[str]] = {}
        for table in ("objectives", "themes"):
            cats[table] = set()
            for doc in self._tables[table].all():
                try:
                    cats[table].add(Category.from_doc(doc).key)
                except ModelError as e:
                    problems.append(Problem(f"{table[:-1]} {doc.doc_id}", str(e)))
        event_ids = set()
        for doc in self._tables["events"].all():
            try:
                Event.from_doc(doc, doc.doc_id)
                event_ids.add(doc.doc_id)
            except ModelError as e:
                problems.append(Problem(f"event {doc.doc_id}", str(e)))
        known = networks()
        for doc in self._tables["posts"].all():
            where = f"post {doc.doc_id}"
            try:
                post = Post.from_doc(doc, doc.doc_id)
            except ModelError as e:
                problems.append(Problem(where, str(e)))
                continue
            problems += [Problem(where, f"channels: unknown channel {c!r}")
                         for c in post.channels if c not in known]
            problems += [Problem(where, f"objectives: unknown objective {k!r}")
                         for k in post.objectives if k not in cats["objectives"]]
            problems += [Problem(where, f"themes: unknown theme {k!r}")
                         for k in post.themes if k not in cats["themes"]]
            if post.event is not None and post.event not in event_ids:
                problems.append(Problem(where, f"event: no event with id {post.event}"))
        return problems
