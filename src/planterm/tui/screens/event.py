"""An event with its posts (Enter on an event): what it is, then every post covering it.

Enter on a post goes back to the calendar with that post selected, on its own week.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planterm import channels, readiness
from planterm.agenda import Occurrence
from planterm.config import Settings
from planterm.model import Post
from planterm.text import inert
from planterm.tui.widgets.preview import event_line, post_summary


def event_text(occ: Occurrence, settings: Settings) -> Content:
    """The event a field a line, empty fields left out (stored text inert, never markup)."""
    event = occ.event
    known = channels.networks()
    rows = [
        ("hashtag", event.hashtag),
        ("channels", ", ".join(known[c].name if c in known else c for c in event.channels)),
        ("template", event.template),
        ("repeats", event.rrule),
        ("id", str(event.id)),
    ]
    lines = [Content.styled(inert(event_line(occ, settings)), "bold")]
    lines += [Content.assemble((f"{name:>9}", "$text-muted"), "  ", inert(value))
              for name, value in rows if value]
    if event.notes:
        lines.append(Content(inert(event.notes, multiline=True)))
    return Content("\n").join(lines)


class EventScreen(ModalScreen[Post | None]):
    """One event and its posts; Enter on a post shows it in the calendar, Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Back", id="event.back", tooltip="Back to the calendar"),
        Binding("j", "move('down')", "Down", id="event.down", tooltip="Next post"),
        Binding("k", "move('up')", "Up", id="event.up", tooltip="Previous post"),
    ]

    def __init__(self, occ: Occurrence, posts: list[Post], settings: Settings) -> None:
        super().__init__()
        self.occ = occ
        self.posts = posts
        self.details = event_text(occ, settings)
        self.lines = [post_summary(p, readiness.problems(p), settings) for p in posts]
        """Each post on one line, as the list shows it."""

    def compose(self) -> ComposeResult:
        count = len(self.posts)
        with Vertical(id="event-box", classes="dialog"):
            yield Static(self.details, id="event-details")
            heading = (f"{count} post{'s' * (count != 1)} · Enter shows one in the calendar · "
                       "Escape back") if count else (
                "No post covers this event yet: quick add (a) with ^id attaches one.")
            yield Static(heading, classes="hint")
            if count:
                yield OptionList(*(Option(Content(inert(line))) for line in self.lines),
                                 id="event-posts", compact=True)

    def on_mount(self) -> None:
        """The list of posts takes the keyboard."""
        for posts in self.query(OptionList):
            posts.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.posts[event.option_index])

    def action_move(self, direction: str) -> None:
        """j/k move in the list as the arrows do."""
        for posts in self.query(OptionList):
            if direction == "down":
                posts.action_cursor_down()
            else:
                posts.action_cursor_up()
