"""The line under the panes: the last message, replaced in place, and the pane's status."""

from __future__ import annotations

from rich.text import Text
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from planterm.readiness import WARN_MARK
from planterm.tui.widgets.cells import cell

SIGNS: dict[SeverityLevel, str] = {"information": "", "warning": f"{WARN_MARK} ",
                                   "error": "✗ "}
"""Severity as a sign, not only a colour."""

SECONDS: dict[SeverityLevel, float] = {"information": 5.0, "warning": 10.0, "error": 15.0}
"""How long a message stays when its sender does not say (the next one replaces it)."""


class MessageLine(Widget):
    """One line: the last message on the left, the shown pane's status on the right.

    A new message replaces the one before, so that keys pressed in a row (s s s) say
    one thing in one place rather than piling toasts over the calendar, as vim's and
    calcurse's message lines do.
    """

    status: reactive[str] = reactive("", layout=False)
    """What the pane keeps in sight (``3 undated · U``)."""
    message: reactive[str] = reactive("", layout=False)
    """The last message, with its sign; empty once its time is up."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    def say(self, text: str, severity: SeverityLevel, timeout: float | None) -> None:
        """Show ``text`` (inert) in place of the last message, for ``timeout`` seconds."""
        if self._timer is not None:
            self._timer.stop()
        self.message = SIGNS[severity] + text
        for level in ("warning", "error"):
            self.set_class(severity == level, f"-{level}")
        self._timer = self.set_timer(timeout or SECONDS[severity], self.clear,
                                     name="message line")

    def clear(self) -> None:
        """Take the message away (its time is up)."""
        self.message = ""
        self.remove_class("-warning", "-error")

    def render(self) -> Text:
        """The message cut to the room the status leaves, the status at the right end."""
        width = self.content_size.width
        status = self.status
        room = max(width - len(status) - 2, 0) if status else width
        line = cell(self.message, room).copy()  # cell's Texts are shared: append to a copy
        if status:
            line.append(" " * (width - room - len(status)) + status, style="dim")
        return line
