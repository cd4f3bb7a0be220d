"""An event with its posts (Enter on an event, in the calendar or the events pane): what it
is, then every post covering this occurrence, where the calendar's triage keys work.

It is the list of posts of a matrix cell (``PostListScreen``) with the event above it:
the same keys, the same undo. Enter on a post closes it with that post, which the
calendar then selects on its own week.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from planterm import channels
from planterm.agenda import Occurrence
from planterm.config import Settings
from planterm.text import inert
from planterm.tui.screens.post_list import PostListScreen
from planterm.tui.widgets.preview import event_line, event_posts


def event_text(occ: Occurrence, settings: Settings) -> Content:
    """The event a field a line, empty fields left out (stored text inert, never markup)."""
    event = occ.event
    known = channels.networks()
    rows = [
        ("hashtag", event.hashtag),
        ("channels", ", ".join(known[c].name if c in known else c for c in event.channels)),
        ("template", event.template),
        ("repeats", event.rrule),
        ("cancelled", "yes: it gets no new coverage" if event.cancelled else ""),
        ("id", str(event.id)),
    ]
    lines = [Content.styled(inert(event_line(occ, settings)), "bold")]
    lines += [Content.assemble((f"{name:>9}", "$text-muted"), "  ", inert(value))
              for name, value in rows if value]
    if event.notes:
        lines.append(Content(inert(event.notes, multiline=True)))
    return Content("\n").join(lines)


def _bindings() -> list[BindingType]:
    """The list's keys, Enter showing the post in the calendar rather than in full."""
    shown = Binding("enter", "open", "Calendar", id="event.open", show=True,
                    tooltip="Show the post in the calendar, on its week")
    return [shown if isinstance(b, Binding) and b.key == "enter" else b
            for b in PostListScreen.BINDINGS]


class EventScreen(PostListScreen):
    """One occurrence of an event and its posts; Enter on a post shows it in the calendar,
    Escape goes back."""

    TITLE = "event"
    """The group the help screen lists these keys under."""
    BINDINGS: ClassVar[list[BindingType]] = _bindings()

    def __init__(self, occ: Occurrence, settings: Settings) -> None:
        super().__init__("posts of this occurrence",
                         lambda store: event_posts(store, occ, settings))
        self.occ = occ
        self.details = event_text(occ, settings)

    def compose(self) -> ComposeResult:
        yield Static(self.details, id="event-details")
        yield from super().compose()

    def action_open(self) -> None:
        """Close with the highlighted post, to be shown in the calendar."""
        if (post := self.selected_post()) is not None:
            self.dismiss(post)
