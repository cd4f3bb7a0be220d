"""Each export, the report, a backup and an import's summary as one call, shared by the
command line and the planner: the bytes to write and what to say of them. The command line
prints the words; the planner shows them in a notification.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, cast

from planterm.cli import event_json, plural, post_json
from planterm.config import Settings
from planterm.interop import backup, ics, report, table
from planterm.interop.common import Incoming
from planterm.model import Event
from planterm.storage import Tables, no_collector
from planterm.store import PostQuery, Store
from planterm.templates import Templates

Kind = Literal["ics", "csv", "json"]
"""What an export writes."""


@dataclass(frozen=True, slots=True)
class Made:
    """A file's bytes and what it holds, in words."""

    data: bytes
    what: str
    """``exported 3 events and 12 posts as iCalendar``; the file's name comes after."""
    more: str = ""
    """Said after the file's name: ``; 2 posts without a date left out``."""

    def told(self, path: Path) -> str:
        """``exported 12 posts as CSV to /tmp/plan.csv``."""
        return f"{self.what} to {path}{self.more}"


@no_collector()
def post_documents(store: Store, query: PostQuery | None = None) -> list[dict[str, Any]]:
    """The posts ``query`` finds, in ``Store.posts`` order, as ``Post.to_doc`` writes them,
    which the exports read: the stored documents themselves when they are all as planterm
    writes them (``Store.post_docs``; a ``Post`` of each of 20,000 costs a second), else
    each post's own (a document edited by hand is read as ``Post.from_doc`` reads it: a
    field left out has its default, a time with an offset is in UTC)."""
    found = store.post_docs(query)
    if found is not None:
        return [doc for _, doc in found]
    return [post.to_doc() for post in store.posts(query)]


def csv_file(store: Store, settings: Settings, posts: Sequence[dict[str, Any]],
             bom: bool = False) -> Made:
    """``posts`` (``post_documents``) as CSV, their events named by title and uid."""
    events = {cast(int, e.id): (e.title, e.uid) for e in store.events()}
    return Made(table.export_csv(posts, settings, events, bom=bom),
                f"exported {plural(len(posts), 'post')} as CSV")


def ics_file(store: Store, settings: Settings, events: Sequence[Event],
             posts: Sequence[dict[str, Any]]) -> Made:
    """``events`` and the dated ``posts`` (``post_documents``) as iCalendar; the posts
    without a date counted."""
    uids = {cast(int, e.id): e.uid for e in store.events()}
    exported = ics.export_ics(events, posts, settings, uids)
    left = f"; {plural(exported.undated, 'post')} without a date left out" \
        if exported.undated else ""
    return Made(exported.data, f"exported {plural(exported.events, 'event')} and "
                               f"{plural(exported.posts, 'post')} as iCalendar", left)


def plan_json(store: Store, settings: Settings) -> dict[str, Any]:
    """The whole plan for other tools, in the shapes of the ``--json`` outputs."""
    return {"app": "planterm", "timezone": settings.timezone,
            "objectives": [c.to_doc() for c in store.objectives()],
            "themes": [c.to_doc() for c in store.themes()],
            "accounts": [a.to_doc() for a in store.accounts()],
            "events": [event_json(e, settings) for e in store.events()],
            "posts": [post_json(p, settings) for p in store.posts()]}


def json_file(store: Store, settings: Settings) -> Made:
    """The whole plan as plain JSON."""
    # a post's time is left a datetime by ``post_json`` (as ``print_json`` takes it)
    data = json.dumps(plan_json(store, settings), ensure_ascii=False, indent=2,
                      default=datetime.isoformat).encode()
    return Made(data + b"\n", f"exported the whole plan ({plural(store.post_count(), 'post')}) "
                              "as JSON")


@no_collector()  # the events read too: the first collection after the store is read walks it all
def export(kind: Kind, store: Store, settings: Settings) -> Made:
    """The whole plan in one format, as the planner exports it (every event and post)."""
    if kind == "json":
        return json_file(store, settings)
    posts = post_documents(store)
    if kind == "csv":
        return csv_file(store, settings, posts)
    return ics_file(store, settings, store.events(), posts)


def report_file(store: Store, settings: Settings, first: date, last: date, html: bool,
                now: datetime, templates: Templates, query: PostQuery | None = None) -> Made:
    """The handover report of the days ``first`` to ``last``, as HTML or Markdown, of the
    posts ``query`` keeps (all of them without one)."""
    handover = report.build(store, settings, first, last, now, templates, query)
    text = report.html_report(handover) if html else report.markdown(handover)
    return Made(text.encode(), f"wrote the handover report ({'html' if html else 'md'}) "
                               f"for {first} to {last}")


def backup_file(store: Store, dest: Path | None, keep: int) -> str:
    """Write a backup of ``store`` (``backup.write_backup``); what was written, in words."""
    path = backup.write_backup(store, dest, keep)
    return f"backed up {store.path} ({plural(store.post_count(), 'post')}) to {path}"


def read_import(kind: Literal["ics", "csv"], data: bytes, name: str, store: Store,
                settings: Settings, now: datetime) -> Incoming[Any]:
    """What importing ``data`` (the file ``name``) would change: events from iCalendar,
    posts from CSV; ``BadFile`` when it cannot be read at all."""
    if kind == "ics":
        return ics.read_ics(data, name, store, settings)
    return table.read_csv(data, name, store, settings, now)


def import_summary(incoming: Incoming[Any], what: str, would: str = "") -> str:
    """What an import did (``would``: would do), in counts: ``added 3 posts, updated 1,
    0 already the same; created 1 theme``."""
    made = " and ".join(plural(n, one) for one in ("objective", "theme") if (n := sum(
        1 for t, _ in incoming.categories if t == f"{one}s")))
    return (f"{would}{'add' if would else 'added'} {plural(len(incoming.added), what)}, "
            f"{'update' if would else 'updated'} {len(incoming.updated)}, "
            f"{incoming.unchanged} already the same"
            + (f"; {'create' if would else 'created'} {made}" if incoming.categories else ""))


def restore(store: Store, source: Path, tables: Tables) -> tuple[str, Path]:
    """Put ``tables`` (a backup checked by ``backup.checked_tables``) in place of the store;
    what was done, in words, and the backup of the store as it was."""
    kept = store.restore(tables)
    return (f"restored {store.path} from {source} "
            f"({plural(len(tables.get('posts', {})), 'post')}, "
            f"{plural(len(tables.get('events', {})), 'event')})"), kept
