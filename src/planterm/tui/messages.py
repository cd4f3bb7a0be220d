"""Messages between the app, which owns the store, and its panes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.message import Message
from textual.notifications import SeverityLevel

from planterm.model import Event, Post
from planterm.store import Store


class PlanChanged(Message):
    """The plan changed (a write here, an undo, another process): panes show it again."""

    bubble = False
    """Sent by the app to each pane; it must not come back up to the app."""

    def __init__(self, store: Store, focus: Post | None = None,
                 written: tuple[Post | None, Post | None] | None = None) -> None:
        super().__init__()
        self.store = store
        self.focus = focus
        """The post the change was about, to select (or, if it is gone, to show its day)."""
        self.written = written
        """(replaced, stored) when this session's own write is the whole change, so that
        a pane may patch what it shows instead of reading the period again."""


class WriteRequested(Message):
    """A pane asks the app to write a change to a post (undoable): before → after."""

    def __init__(self, before: Post | None, after: Post | None, edited: bool = False) -> None:
        super().__init__()
        self.before = before
        """The post as stored; None to add ``after``."""
        self.after = after
        """What it becomes; None to delete it."""
        self.edited = edited
        """``after`` was typed in the editor: if the write is refused, it must not be lost."""


class PeriodShown(Message):
    """A pane now shows this period (the app puts it in the header)."""

    def __init__(self, label: str, status: str = "") -> None:
        super().__init__()
        self.label = label
        self.status = status
        """What the pane keeps in sight at the end of the message line (``3 undated · U``)."""


class Said(Message):
    """Something to tell the user (``PlantermApp.notify``, from any thread), already inert."""

    def __init__(self, text: str, severity: SeverityLevel, timeout: float | None) -> None:
        super().__init__()
        self.text = text
        self.severity = severity
        self.timeout = timeout


class LiveRequested(Message):
    """A pane asks for live mode on one occurrence of an event (the app opens it)."""

    def __init__(self, event: Event, start: datetime) -> None:
        super().__init__()
        self.event = event
        self.start = start
        """The occurrence's start (aware)."""


class ShowInCalendar(Message):
    """A screen over another pane asks for a post to be shown in the calendar (Enter on a
    post of an event opened from the events pane)."""

    def __init__(self, post: Post) -> None:
        super().__init__()
        self.post = post


class WhenIdle(Message):
    """A pane asks the app to do ``work`` at the next pause in the typing, so that no key
    waits for it (``PlantermApp._idle``)."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work
