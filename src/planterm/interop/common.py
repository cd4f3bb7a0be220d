"""What the imports share: bad input named with where it is, new objectives and themes,
and the changes an import would make, written in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar, cast

from planterm.edits import check_category, resolve_categories
from planterm.model import KEY_RE, Category, Event, ModelError, Post
from planterm.storage import no_collector
from planterm.store import CategoryTable, ChangedElsewhere, Store
from planterm.text import fold


class BadFile(ValueError):
    """A file that cannot be read at all (not UTF-8, no header, cut short): one line saying
    what and where; nothing of it is imported."""


@dataclass(frozen=True, slots=True)
class Refused:
    """One row or component an import refuses: where it is and why."""

    where: str
    """``row 7, column date`` or ``line 42, VEVENT 'Visite'``."""
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.why}"


Item = TypeVar("Item", Post, Event)


@dataclass(slots=True)
class Incoming(Generic[Item]):
    """What an import would change: new and updated posts or events, new objectives and
    themes, notes, and what it refuses."""

    added: list[Item] = field(default_factory=list)
    updated: list[tuple[Item, Item]] = field(default_factory=list)
    """Each stored item and what it becomes."""
    unchanged: int = 0
    """Items of the file the store already holds exactly."""
    categories: list[tuple[CategoryTable, Category]] = field(default_factory=list)
    """Objectives and themes named in the file and missing from the store: made first."""
    notes: list[str] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    @property
    def bad(self) -> int:
        """How many rows or components were refused (one may be refused for many cells)."""
        return len({p.where.partition(",")[0] for p in self.refused})

    @no_collector()
    def apply(self, store: Store) -> None:
        """Write it all in one transaction (``Store.bring_in``); what was refused is left out."""
        items = [*self.added, *(new for _, new in self.updated)]
        posts = [i for i in items if isinstance(i, Post)]
        events = [i for i in items if isinstance(i, Event)]
        store.bring_in(self.categories, events, posts)


@dataclass(frozen=True, slots=True)
class Brought:
    """What an import wrote, each item with the id the store gave it: all that taking it
    back (an undo) and bringing it again (a redo) need."""

    message: str
    """What the import did, in words: ``imported plan.csv: added 3 posts, …``."""
    categories: tuple[tuple[CategoryTable, Category], ...]
    """The objectives and themes it created."""
    events: tuple[tuple[Event | None, Event], ...]
    """Each event as it was (None: added) and as the import stored it."""
    posts: tuple[tuple[Post | None, Post], ...]

    def take_back(self, store: Store) -> None:
        """Remove what was added and put back what was updated, all or nothing, if the store
        still holds exactly what the import wrote: else ``ChangedElsewhere`` (or, for an
        objective a post of another process now uses, ``ModelError``) and nothing changes.
        Posts go first, then their events, then the objectives and themes they used."""
        with store.transaction():  # a refusal inside reloads the store: nothing is written
            for before, after in self.posts:
                store.replace_post(after, before)
            for was, now in self.events:
                store.replace_event(now, was)
            for table, cat in self.categories:
                store.delete_category(table, cat)

    def bring_again(self, store: Store) -> None:
        """Write the import again (after ``take_back``), under the same ids and uids, if
        nothing took their place meanwhile; else ``ChangedElsewhere`` or ``ModelError``
        and nothing changes."""
        with store.transaction():
            for table, cat in self.categories:
                store.add_category(table, cat)
            for was, now in self.events:
                store.replace_event(was, now)
            for before, after in self.posts:
                store.replace_post(before, after)


def bring_in(store: Store, incoming: Incoming[Any], message: str) -> Brought:
    """Write ``incoming`` (``Incoming.apply``) if the store still holds what it was read
    against: every updated item as it was read, no added uid taken meanwhile; else
    ``ChangedElsewhere`` and nothing is written (reading the file again is the retry)."""
    items = [*incoming.added, *(new for _, new in incoming.updated)]
    table: Literal["posts", "events"] = "events" if items and isinstance(items[0], Event) \
        else "posts"
    what = None
    with store.transaction():  # compared and written under one lock
        index = store.uid_index(table)
        taken = [item for item in incoming.added if item.uid in index]
        if taken:
            what = f"{table[:-1]} {taken[0].uid}", "was added elsewhere"
        for before, _ in incoming.updated:
            got = (store.get_post if table == "posts" else store.get_event)(
                cast(int, before.id))
            if what is None and (got is None or got.to_doc() != before.to_doc()):
                what = (f"{table[:-1]} {before.id}",
                        "was deleted elsewhere" if got is None else "was changed elsewhere")
        if what is None:
            incoming.apply(store)
            index = store.uid_index(table)
    if what is not None:  # raised out here: an exception inside reloads the whole store
        raise ChangedElsewhere(*what)
    pairs = [*((None, item) for item in incoming.added), *incoming.updated]
    stored = tuple((was, replace(now, id=index[now.uid])) for was, now in pairs)
    return Brought(message, tuple(incoming.categories),
                   cast(Any, stored) if table == "events" else (),
                   cast(Any, stored) if table == "posts" else ())


_NOT_KEY = re.compile(r"[^a-z0-9_-]+")


class NewCategories:
    """Objective and theme names of a file resolved against the store; a name the store does
    not have becomes a new objective or theme (its key made from the name), so that a
    spreadsheet's own words come in, and the import lists them so that a typo shows."""

    def __init__(self, store: Store) -> None:
        self.known: dict[CategoryTable, list[Category]] = {
            "objectives": store.objectives(), "themes": store.themes()}
        self.made: list[tuple[CategoryTable, Category]] = []
        self._found: dict[tuple[CategoryTable, str], str] = {}
        """Names already resolved: a file names the same few thousands of times."""

    def keys(self, table: CategoryTable, names: list[str]) -> list[str]:
        """The keys of ``names`` (keys or names, case and accents aside, archived ones too:
        a file records what was); ``ModelError`` for a name no key can be made of, or one
        that would read as another's."""
        keys: list[str] = []
        for name in names:
            key = self._found.get((table, name))
            if key is None:
                try:
                    (key,) = resolve_categories([name], self.known[table], table)
                except ModelError:
                    key = self._make(table, name)
                self._found[table, name] = key
            if key not in keys:
                keys.append(key)
        return keys

    def _make(self, table: CategoryTable, name: str) -> str:
        key = _NOT_KEY.sub("-", fold(name).strip()).strip("-_")
        if not KEY_RE.match(key):
            raise ModelError(table, f"unknown {table[:-1]} {name!r}, and it has no letter or "
                                    "digit to make a key of")
        cat = Category(key, name.strip())
        check_category(table, cat, self.known[table])
        self.known[table].append(cat)
        self.made.append((table, cat))
        return key

    def forget_after(self, count: int) -> None:
        """Drop what was made after the first ``count``: a refused row makes nothing."""
        for table, cat in self.made[count:]:
            self.known[table].remove(cat)
        del self.made[count:]
        self._found = {k: v for k, v in self._found.items()
                       if v in {c.key for c in self.known[k[0]]}}
