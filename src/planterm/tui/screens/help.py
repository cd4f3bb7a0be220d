"""The help screen: every key, grouped by pane, read from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from planterm.text import inert
from planterm.tui.keys import KeyGroup
from planterm.tui.widgets.marks import legend

KEY_WIDTH = 8
"""Cells given to the keys of an action."""


def group_text(group: KeyGroup) -> Text:
    """One group: its title, then a line per action (styled text, so a key like ``[``
    is never read as markup; keys inert, as the user's ``[keymap]`` names them)."""
    text = Text(group.title, style="bold")
    id_width = max((len(key.id) for key in group.keys), default=0)
    for key in group.keys:
        text.append("\n  ")
        text.append(inert(" ".join(key.keys)).ljust(KEY_WIDTH), style="bold")
        text.append(f" {key.description:<13} ")
        text.append(key.id.ljust(id_width), style="italic")
        text.append(f"  {key.tooltip}", style="dim")
    return text


def legend_text() -> Text:
    """What each sign in the calendar means, read from the signs themselves."""
    text = Text("signs", style="bold")
    for sign, meaning in legend():
        text.append("\n  ")
        text.append(sign.ljust(KEY_WIDTH), style="bold")
        text.append(f" {meaning}")
    return text


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
            yield Static(Text.assemble(("Keys", "bold"), " · ctrl+p finds any command by name "
                                       "· the middle column is the id to rebind in [keymap] "
                                       "· Escape: back"), classes="hint")
            for group in self.groups:
                yield Static(group_text(group), classes="help-group")
            yield Static(legend_text(), classes="help-group", id="legend")

    def action_scroll(self, direction: str) -> None:
        """Scroll the list of keys."""
        box = self.query_one(VerticalScroll)
        box.scroll_relative(y=1 if direction == "down" else -1, animate=False)
