"""Undo and redo over a session's changes to posts, events and the plan's structure.

A change to a post is a pair (before, after): a new post has no ``before``, a deleted one
no ``after``. A change to an objective or theme is the same pair of ``Category`` (added,
edited, archived, deleted), and a merge is the store's ``Merge``, which holds every post
it moved. A change to an event is ``events.EventChange`` (the event and the posts it
carried along: moved with it, cancelled with it), a new event is ``EventAdded``, and the
drafts of a coverage plan are one ``Group``: each is one step to undo, however many posts
it holds. ``History.apply``, ``apply_category``, ``merge``, ``add_event``, ``edit_event``,
``cancel_event`` and ``create_coverage`` write a change and remember it; ``undo`` writes
the ``before`` back (a deleted post comes back under its own id and uid, a deleted
objective under its own key, a merge is ``Store.unmerge``d) and ``redo`` writes the
``after`` again. Each returns an ``Outcome`` saying what was done, in words,
and the post as it now is, so that the planner can select it.

Another process may change the same post or objective meanwhile (a second SSH session, a
script). Every write is a compare-and-set (``Store.replace_post``,
``Store.update_category``, ``Store.unmerge``): it happens only if the store still holds
exactly what this session read or left, checked and written under one lock. If not,
``HistoryError`` says what happened to it instead of silently overwriting the other's
write, and an undo or redo drops that change from the list. A store that is only busy
(``StoreBusy``) keeps the change, to be tried again.

An import (``bring_in``) is one step too: ``interop.common.Brought`` holds every item it
added or updated, and an undo takes them all back at once, under the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from planterm.agenda import local_text
from planterm.config import Settings
from planterm.model import Category, Event, ModelError, Post, utcnow
from planterm.store import CategoryTable, ChangedElsewhere, Merge, PostQuery, Store

if TYPE_CHECKING:
    # Events, coverage and imports are loaded by the changes that use them, not with the
    # planner (12 ms of its start): an entry of theirs exists only once they are.
    from planterm.coverage import Planned
    from planterm.events import EventChange
    from planterm.interop.common import Brought, Incoming

TITLE_WIDTH = 40
"""Longest title quoted in a message, so that a notification stays one line or two."""


class HistoryError(Exception):
    """An undo or redo that cannot be applied; the message says why."""


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one post: what it was and what it became."""

    before: Post | None
    """The post before the change; None for a new post."""
    after: Post | None
    """The post as stored after the change; None for a deleted post."""


@dataclass(frozen=True, slots=True)
class CategoryChange:
    """One change to one objective or theme: added, edited, archived or deleted."""

    table: CategoryTable
    before: Category | None
    """As it was; None for a new one."""
    after: Category | None
    """As stored after the change; None for a deleted one."""


@dataclass(frozen=True, slots=True)
class EventAdded:
    """A new event (typed in the form, or a duplicate): undone by taking it out again."""

    event: Event
    """As stored, with its id and uid (a redo puts it back under both)."""


@dataclass(frozen=True, slots=True)
class Group:
    """New posts made together (a coverage plan's drafts), undone and redone as one."""

    changes: tuple[Change, ...]
    message: str
    """What was done, in words: ``made 5 draft posts of 'Vernissage'``."""


Entry: TypeAlias = "Change | CategoryChange | Merge | EventChange | EventAdded | Group | Brought"
"""Anything the history can undo."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an apply, undo or redo did: a message and the post as it now is."""

    message: str
    post: Post | None = None
    """The post now stored; None when the change left it deleted (or was no post's)."""
    gone: Post | None = None
    """The post that was removed, when ``post`` is None (to find where it was)."""
    structure: bool = False
    """The change was to objectives, themes or events (a merge, a coverage plan: many
    posts at once): what shows the plan reads it again rather than patch one post."""
    event: Event | None = None
    """The event the change was about, as now stored (to select it)."""


def _quote(post: Post) -> str:
    title = post.title if len(post.title) <= TITLE_WIDTH else post.title[: TITLE_WIDTH - 1] + "…"
    return f"'{title}'"


def describe(change: Change, settings: Settings) -> str:
    """The change in words: ``moved 'Teaser' to ven 27/11 10:00``."""
    before, after = change.before, change.after
    if before is None and after is not None:
        return f"added {_quote(after)}"
    if after is None and before is not None:
        return f"deleted {_quote(before)}"
    assert before is not None and after is not None
    if before.scheduled != after.scheduled:
        if after.scheduled is None:
            return f"unscheduled {_quote(after)}"
        return f"moved {_quote(after)} to {local_text(after.scheduled, settings)}"
    if before.status != after.status:
        return f"{_quote(after)} {before.status.symbol} {before.status} → " \
               f"{after.status.symbol} {after.status}"
    return f"edited {_quote(after)}"


def describe_category(change: CategoryChange) -> str:
    """The change in words: ``archived theme 'expo-2025'``, ``edited objective 'visites'
    (name, target_share)``."""
    before, after = change.before, change.after
    one = change.table[:-1]
    if before is None and after is not None:
        return f"added {one} {after.key!r} ({after.name})"
    if after is None and before is not None:
        return f"deleted {one} {before.key!r}"
    assert before is not None and after is not None
    if before.archived != after.archived:
        return f"{'archived' if after.archived else 'unarchived'} {one} {after.key!r}"
    changed = [f.name for f in fields(Category)
               if getattr(before, f.name) != getattr(after, f.name)]
    return f"edited {one} {after.key!r} ({', '.join(changed)})"


def describe_merge(merge: Merge) -> str:
    """``merged theme 'expo' into 'expositions' (3 posts moved)``."""
    n = len(merge.posts)
    return (f"merged {merge.table[:-1]} {merge.source.key!r} into {merge.into!r} "
            f"({n} post{'s' * (n != 1)} moved)")


def _event_quote(event: Event) -> str:
    title = event.title if len(event.title) <= TITLE_WIDTH else \
        event.title[: TITLE_WIDTH - 1] + "…"
    return f"event {event.id} '{title}'"


def describe_event(change: EventChange, settings: Settings) -> str:
    """``moved event 3 'Vernissage' to jeu 03/12 18:30 with 4 posts``, ``cancelled event 3
    'Vernissage' and 2 posts``, ``edited event 3 'Vernissage'``."""
    before, after = change.before, change.after
    n = len(change.posts)
    posts = f"{n} post{'s' * (n != 1)}"
    if after.cancelled and not before.cancelled:
        return f"cancelled {_event_quote(after)}" + (f" and {posts}" if n else "")
    if before.start != after.start:
        return (f"moved {_event_quote(after)} to {local_text(after.start, settings)}"
                + (f" with {posts}" if n else ""))
    return f"edited {_event_quote(after)}"


class History:
    """The session's changes to posts, events, objectives and themes, with undo and redo."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._done: list[Entry] = []
        self._undone: list[Entry] = []

    @property
    def can_undo(self) -> bool:
        """Whether there is a change to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone change to redo."""
        return bool(self._undone)

    def _remember(self, entry: Entry) -> None:
        """A new change: it can be undone, and what was undone can no longer be redone."""
        self._done.append(entry)
        self._undone.clear()

    def apply(self, before: Post | None, after: Post | None) -> Outcome:
        """Write a new change through the store (validated) and remember it.

        ``before`` is the post as read (None to add ``after``); ``after`` is what it
        becomes (None to delete it), with ``updated`` set now. A new change forgets what
        was undone. A ``before`` that is no longer what the store holds (another process
        changed it since it was read) is refused with ``HistoryError``: the other's write
        is not overwritten.
        """
        if before is None:
            if after is None:
                raise ValueError("a change needs a post on at least one side")
            stored: Post | None = self.store.add_post(after)
        else:
            target = None if after is None else replace(after, updated=utcnow())
            stored = self._write(before, target, "delete" if after is None else "save")
        change = Change(before, stored)
        self._remember(change)
        return Outcome(describe(change, self.settings), stored, before if stored is None else None)

    def apply_category(self, table: CategoryTable, before: Category | None,
                       after: Category | None) -> Outcome:
        """Add (no ``before``), change or delete (no ``after``) an objective or theme and
        remember it. The store's rules apply (``ModelError``: a key taken, ``CategoryInUse``:
        a deletion of one that posts use); ``HistoryError`` when ``before`` is no longer
        what the store holds."""
        self._write_category(table, before, after, "save")
        change = CategoryChange(table, before, after)
        self._remember(change)
        return Outcome(describe_category(change), structure=True)

    def merge(self, table: CategoryTable, source: str, into: str) -> Outcome:
        """Move every post of ``source`` to ``into`` and delete ``source`` (one
        transaction), and remember it; ``ModelError`` names a key that does not exist."""
        merge = self.store.merge_categories(table, source, into)
        self._remember(merge)
        return Outcome(describe_merge(merge), structure=True)

    def add_event(self, event: Event) -> Outcome:
        """Store a new event (checked by the caller, as ``events.check_event`` does) and
        remember it."""
        stored = self.store.add_event(event)
        self._remember(EventAdded(stored))
        return Outcome(f"added {_event_quote(stored)} "
                       f"({local_text(stored.start, self.settings)})", structure=True,
                       event=stored)

    def edit_event(self, before: Event, after: Event, *, move_posts: bool,
                   now: datetime) -> Outcome:
        """Write an edited event (``events.edit_event``: checked, and with ``move_posts``
        a change of date carries the posts not yet published) and remember it, the posts
        with it: one undo puts everything back."""
        from planterm import events

        change = self._event_write(lambda: events.edit_event(
            self.store, before, after, self.settings, move_posts=move_posts, now=now))
        self._remember(change)
        return Outcome(describe_event(change, self.settings), structure=True,
                       event=change.after)

    def cancel_event(self, event: Event, now: datetime) -> Outcome:
        """Call the event off with its posts not yet published (``events.cancel_event``)
        and remember it."""
        from planterm import events

        change = self._event_write(lambda: events.cancel_event(self.store, event, now))
        self._remember(change)
        return Outcome(describe_event(change, self.settings), structure=True)

    def create_coverage(self, event: Event, planned: Iterable[Planned]) -> Outcome:
        """Make the drafts of the planned slots (``coverage.create``, one transaction) and
        remember them as one step; nothing is remembered when nothing was made."""
        from planterm import coverage

        made = coverage.create(self.store, event, planned)
        if not made:
            return Outcome("nothing to make: every slot is there already or past")
        ids = ", ".join(str(p.id) for p in made)
        n = len(made)
        group = Group(tuple(Change(None, p) for p in made),
                      f"made {n} draft post{'s' * (n != 1)} ({ids}) of {_event_quote(event)}")
        self._remember(group)
        return Outcome(group.message, structure=True)

    def _event_write(self, write: Callable[[], EventChange]) -> EventChange:
        """Run an event change; another process's change to the event or its posts since
        they were read is a ``HistoryError``, as for a post."""
        try:
            return write()
        except ChangedElsewhere as e:
            raise HistoryError(str(e)) from None

    def bring_in(self, incoming: Incoming[Any], message: str) -> Outcome:
        """Write what an import brings (``interop.common.bring_in``: one transaction,
        refused when the store changed since the file was read) and remember it as one
        step: an undo takes it all back."""
        from planterm.interop.common import bring_in

        brought = bring_in(self.store, incoming, message)
        self._remember(brought)
        return Outcome(message, structure=True)

    def undo(self) -> Outcome | None:
        """Put back what the last change replaced; None when there is nothing to undo."""
        if not self._done:
            return None
        entry, outcome = self._step(self._done, self._unapply)
        self._undone.append(entry)
        return outcome

    def redo(self) -> Outcome | None:
        """Apply again the last undone change; None when there is nothing to redo."""
        if not self._undone:
            return None
        entry, outcome = self._step(self._undone, self._reapply)
        self._done.append(entry)
        return outcome

    @staticmethod
    def _step(stack: list[Entry],
              do: Callable[[Entry], tuple[Entry, Outcome]]) -> tuple[Entry, Outcome]:
        """Apply ``do`` to the last entry of ``stack`` and take it off. A change that can
        no longer be applied (``HistoryError``) is taken off too; one that met a busy
        store (``StoreBusy``) stays, to be tried again."""
        try:
            done = do(stack[-1])
        except HistoryError:
            stack.pop()
            raise
        stack.pop()
        return done

    def _unapply(self, entry: Entry) -> tuple[Entry, Outcome]:
        """Write back what ``entry`` replaced."""
        if isinstance(entry, Change):
            self._write(entry.after, entry.before, "undo")
            return entry, Outcome(f"undid: {describe(entry, self.settings)}", entry.before,
                                  entry.after)
        if isinstance(entry, CategoryChange):
            self._write_category(entry.table, entry.after, entry.before, "undo")
            return entry, Outcome(f"undid: {describe_category(entry)}", structure=True)
        if isinstance(entry, Merge):
            try:
                self.store.unmerge(entry)
            except ChangedElsewhere as e:
                raise HistoryError(f"cannot undo the merge: {e}") from None
            return entry, Outcome(f"undid: {describe_merge(entry)}", structure=True)
        from planterm.interop.common import Brought

        if isinstance(entry, Brought):
            self._imported(entry.take_back, "undo")
            return entry, Outcome(f"undid: {entry.message}", structure=True)
        return entry, Outcome(f"undid: {self._event_step(entry, undo=True)}", structure=True)

    def _reapply(self, entry: Entry) -> tuple[Entry, Outcome]:
        """Write ``entry`` again; a merge is done again on the posts there are now."""
        if isinstance(entry, Change):
            self._write(entry.before, entry.after, "redo")
            return entry, Outcome(f"redid: {describe(entry, self.settings)}", entry.after,
                                  entry.before)
        if isinstance(entry, CategoryChange):
            self._write_category(entry.table, entry.before, entry.after, "redo")
            return entry, Outcome(f"redid: {describe_category(entry)}", structure=True)
        if isinstance(entry, Merge):
            try:
                merge = self.store.merge_categories(entry.table, entry.source.key, entry.into)
            except ModelError as e:
                raise HistoryError(f"cannot redo the merge: {e.problem}") from None
            return merge, Outcome(f"redid: {describe_merge(merge)}", structure=True)
        from planterm.interop.common import Brought

        if isinstance(entry, Brought):
            self._imported(entry.bring_again, "redo")
            return entry, Outcome(f"redid: {entry.message}", structure=True)
        return entry, Outcome(f"redid: {self._event_step(entry, undo=False)}", structure=True)

    def _event_step(self, entry: EventAdded | EventChange | Group, *, undo: bool) -> str:
        """Undo or redo an event's change or a group of posts, all or nothing; what it was,
        in words. Anything changed elsewhere since is a ``HistoryError``, nothing written."""
        verb = "undo" if undo else "redo"
        try:
            if isinstance(entry, Group):
                with self.store.transaction():  # one write: a refusal inside writes nothing
                    for change in entry.changes:
                        before, after = (change.after, change.before) if undo else (
                            change.before, change.after)
                        self._write(before, after, verb)
                return entry.message
            if not isinstance(entry, EventAdded):  # an EventChange: ``events`` made it
                from planterm import events

                (events.undo if undo else events.apply)(self.store, entry)
                return describe_event(entry, self.settings)
            event = entry.event
            if undo:
                used = self.store.posts(PostQuery(events=frozenset({event.id or 0})))
                if used:
                    raise HistoryError(
                        f"cannot undo: {len(used)} post{'s' * (len(used) != 1)} of "
                        f"{_event_quote(event)} written since; x cancels the event instead")
                self.store.replace_event(event, None)
            else:
                self.store.replace_event(None, event)
            return f"added {_event_quote(event)} ({local_text(event.start, self.settings)})"
        except ChangedElsewhere as e:
            raise HistoryError(f"cannot {verb}: {e}") from None

    def _write(self, expected: Post | None, target: Post | None, verb: str) -> Post | None:
        """Replace ``expected`` by ``target`` under the same id, if the store still holds
        exactly ``expected``; the post as now stored."""
        try:
            return self.store.replace_post(expected, target)
        except ChangedElsewhere as e:
            post = expected or target
            assert post is not None
            raise HistoryError(f"cannot {verb}: {_quote(post)} {e.what}, by another planterm "
                               "or a script; left as it is") from None

    def _imported(self, write: Callable[[Store], None], verb: str) -> None:
        """Take an import back or bring it again; what another process changed since
        refuses it, in words."""
        try:
            write(self.store)
        except ChangedElsewhere as e:
            raise HistoryError(f"cannot {verb} the import: {e}") from None
        except ModelError as e:
            raise HistoryError(f"cannot {verb} the import: {e.problem}; left as it is") \
                from None

    def _write_category(self, table: CategoryTable, expected: Category | None,
                        target: Category | None, verb: str) -> None:
        """Make the stored objective or theme ``target`` where it is ``expected``: add it,
        change it (compare-and-set) or delete it (only when no post uses it).

        On undo and redo every refusal is a ``HistoryError`` saying why (the key taken
        again, posts using it now, changed elsewhere); a new change lets the store's
        ``ModelError`` through, as the command line says it."""
        try:
            if expected is None:
                assert target is not None
                self.store.add_category(table, target)
            elif target is None:
                self.store.delete_category(table, expected)
            else:
                self.store.update_category(table, expected, target)
        except ChangedElsewhere as e:
            cat = expected or target
            assert cat is not None
            raise HistoryError(f"cannot {verb}: {table[:-1]} {cat.key!r} {e.what}, by another "
                               "planterm or a script; left as it is") from None
        except ModelError as e:
            if verb == "save":
                raise
            raise HistoryError(f"cannot {verb}: {e.problem}; left as it is") from None
