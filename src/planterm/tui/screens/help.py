"""The help screen: every key, grouped by pane, read from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from planterm.tui.keys import KeyGroup

KEY_WIDTH = 8
"""Cells given to the keys of an action."""


def group_text(group: KeyGroup) -> str:
    """One group as Rich markup: its title, then a line per action."""
    lines = [f"[b]{escape(group.title)}[/b]"]
    for key in group.keys:
        keys = escape(" ".join(key.keys)).ljust(KEY_WIDTH)
        lines.append(f"  [b]{keys}[/b] {escape(key.description):<13} [dim]{escape(key.tooltip)}"
                     "[/dim]")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """Keys of the planner and its panes; Escape, q or ? goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Back", id="help.back",
                tooltip="Back to the planner"),
        Binding("down,j", "scroll('down')", "Down", id="help.down", tooltip="Scroll down"),
        Binding("up,k", "scroll('up')", "Up", id="help.up", tooltip="Scroll up"),
    ]

    def __init__(self, groups: list[KeyGroup]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static("[b]Keys[/b] · ctrl+p finds any command by name · Escape: back",
                         classes="hint")
            for group in self.groups:
                yield Static(group_text(group), classes="help-group")

    def action_scroll(self, direction: str) -> None:
        """Scroll the list of keys."""
        box = self.query_one(VerticalScroll)
        box.scroll_relative(y=1 if direction == "down" else -1, animate=False)
