"""Undo and redo over a session's changes to posts, applied through the store.

A change is a pair (before, after): a new post has no ``before``, a deleted one no
``after``. ``History.apply`` writes a change and remembers it; ``undo`` writes the
``before`` back (a deleted post comes back under its own id and uid) and ``redo``
writes the ``after`` again. Each returns an ``Outcome`` saying what was done, in words,
and the post as it now is, so that the planner can select it.

Another process may change the same post meanwhile (a second SSH session, a script).
Every write is a compare-and-set (``Store.replace_post``): it happens only if the store
still holds exactly the post this session read or left, checked and written under one
lock. If not, ``HistoryError`` says what happened to it instead of silently overwriting
the other's write, and an undo or redo drops that change from the list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planterm.agenda import local_text
from planterm.config import Settings
from planterm.model import Post, utcnow
from planterm.store import ChangedElsewhere, Store

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
class Outcome:
    """What an apply, undo or redo did: a message and the post as it now is."""

    message: str
    post: Post | None
    """The post now stored; None when the change left it deleted."""
    gone: Post | None = None
    """The post that was removed, when ``post`` is None (to find where it was)."""


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


class History:
    """The session's changes to posts, with undo and redo."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._done: list[Change] = []
        self._undone: list[Change] = []

    @property
    def can_undo(self) -> bool:
        """Whether there is a change to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone change to redo."""
        return bool(self._undone)

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
        self._done.append(change)
        self._undone.clear()
        return Outcome(describe(change, self.settings), stored, before if stored is None else None)

    def undo(self) -> Outcome | None:
        """Put back what the last change replaced; None when there is nothing to undo."""
        if not self._done:
            return None
        change = self._done.pop()
        self._write(change.after, change.before, "undo")
        self._undone.append(change)
        return Outcome(f"undid: {describe(change, self.settings)}", change.before, change.after)

    def redo(self) -> Outcome | None:
        """Apply again the last undone change; None when there is nothing to redo."""
        if not self._undone:
            return None
        change = self._undone.pop()
        self._write(change.before, change.after, "redo")
        self._done.append(change)
        return Outcome(f"redid: {describe(change, self.settings)}", change.after, change.before)

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
