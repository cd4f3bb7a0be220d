"""A pane of the planner (switched with 1 2 3), and the notice of a pane still to come."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widget import Widget
from textual.widgets import Static


class Pane(Widget, can_focus=True):
    """A top-level pane; its BINDINGS are listed under ``TITLE`` in help and the palette."""

    TITLE: ClassVar[str] = ""
    """The pane's name in the help screen and the command palette."""

    def landing_day(self) -> date | None:
        """The day a new post without a typed date lands on, if the pane selects days."""
        return None


class ComingSoon(Pane):
    """A calm notice standing in for a pane that a later version brings."""

    def __init__(self, title: str, what: str, *, id: str) -> None:
        super().__init__(id=id)
        self.title = title
        self.what = what

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(f"[b]{self.title}[/b]\n\n{self.what}\n\ncoming in a later version · "
                         "press 1 for the calendar", classes="notice")
