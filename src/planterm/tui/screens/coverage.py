"""The coverage preview (``c`` on an event): the posts its template would make, and Enter to
make them as drafts.

The plan is the core's (``coverage.plan``, the same call as ``planterm coverage``), a
line per slot as the command prints it: ``+`` made, ``·`` skipped with why. Making them
is one step of the app's history, so one ``u`` takes every draft back; run again, it
makes nothing (each post remembers its slot).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from planterm.agenda import local_text
from planterm.coverage import Planned, occurrence_starts, plan
from planterm.model import Event
from planterm.store import PostQuery
from planterm.templates import Template
from planterm.text import inert
from planterm.tui.messages import PlanChanged
from planterm.tui.widgets.key_footer import KeyFooter
from planterm.tui.widgets.message_line import MessageLine
from planterm.tui.widgets.plain import plain

if TYPE_CHECKING:
    from planterm.tui.app import PlantermApp

PERIODS: tuple[tuple[str, timedelta | None], ...] = (
    ("this occurrence", None), ("4 weeks", timedelta(weeks=4)), ("3 months", timedelta(days=91)))
"""What ``p`` cycles through for a repeating event: the occurrences from the selected one."""


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """A binding of the preview; its id is ``coverage.<id>``."""
    return Binding(keys, action, description, show=show, id=f"coverage.{id}", tooltip=tooltip)


class CoverageScreen(Screen[None]):
    """One event's coverage plan for the occurrences of a period: what Enter makes."""

    TITLE = "coverage"
    """The group the help screen lists these keys under."""
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("enter", "create", "Make drafts", "create",
           "Make the + posts as drafts tagged with the event (u undoes them all)", show=True),
        _b("p", "cycle_period", "Period", "period",
           "A repeating event: this occurrence, the next 4 weeks or 3 months", show=True),
        _b("escape", "dismiss", "Back", "back", "Back without making anything", show=True),
        _b("down,j", "scroll(1)", "Down", "down", "Scroll down"),
        _b("up,k", "scroll(-1)", "Up", "up", "Scroll up"),
    ]

    def __init__(self, event: Event, start: datetime, template: Template) -> None:
        super().__init__()
        self.event = event
        self.start = start
        """The selected occurrence: the preview starts from it."""
        self.template = template
        self.period = 0
        """Index into ``PERIODS``."""
        self.planned: list[Planned] = []

    @property
    def planner(self) -> PlantermApp:
        """The app, with its store, settings, clock and history."""
        return cast("PlantermApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="coverage-title")
        with VerticalScroll(id="coverage-scroll"):
            yield Static(id="coverage-plan")
        yield Static(id="coverage-summary")
        yield MessageLine(id="coverage-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Plan and show it."""
        self.show()

    def on_plan_changed(self, message: PlanChanged) -> None:
        """Another pane or process changed the plan: what is left to make may be less."""
        self.show()

    def starts(self) -> list[datetime]:
        """The occurrences of the chosen period (a single event has its one)."""
        length = PERIODS[self.period][1]
        if not self.event.rrule or length is None:
            return [self.start]
        return occurrence_starts(self.event, self.start, self.start + length,
                                 self.planner.settings)

    def show(self) -> None:
        """Plan again from the store and draw the lines."""
        planner = self.planner
        store, settings = planner.store, planner.settings
        if store is None:
            return
        event = self.event
        posts = store.posts(PostQuery(events=frozenset({event.id or 0})))
        starts = self.starts()
        self.planned = plan(event, starts, self.template, posts, planner.now(), settings)
        period = f" · {PERIODS[self.period][0]} (p)" if event.rrule else ""
        self.query_one("#coverage-title", Static).update(plain(
            f"coverage of event {event.id}: {event.title} · template {self.template.key} "
            f"({self.template.name}){period}"))
        lines: list[Content] = []
        for start in starts:
            lines.append(Content.styled(f"{local_text(start, settings)}:", "bold"))
            for item in (p for p in self.planned if p.occurrence == start):
                if item.creates:
                    lines.append(Content(f"  {inert(item.line(settings))}"))
                    continue
                # why it is skipped on a line of its own: a long title is cut, never the why
                why = item.reason()
                line = item.line(settings).removesuffix(f"  ({why})")
                lines.append(Content.styled(f"  {inert(line)}", "$text-muted"))
                lines.append(Content.styled(f"      ↳ {inert(why)}", "$text-muted"))
        self.query_one("#coverage-plan", Static).update(Content("\n").join(lines))
        made = sum(p.creates for p in self.planned)
        self.query_one("#coverage-summary", Static).update(
            f"Enter makes {made} draft post{'s' * (made != 1)} tagged with the event · "
            "u undoes them all · Escape back" if made else
            "nothing to make: every slot is there already or past · Escape back")

    def action_create(self) -> None:
        """Make the drafts (one undo step), then go back to the events."""
        if not any(p.creates for p in self.planned):
            self.notify("nothing to make: every slot is there already or past",
                        severity="warning")
            return
        event, planned = self.event, self.planned
        if self.planner.change_structure(lambda h: h.create_coverage(event, planned)):
            self.dismiss()

    def action_cycle_period(self) -> None:
        """The next period, for a repeating event."""
        if not self.event.rrule:
            self.notify("this event does not repeat: its coverage is that of its one date")
            return
        self.period = (self.period + 1) % len(PERIODS)
        self.show()

    def action_scroll(self, delta: int) -> None:
        """j/k scroll the plan as the arrows do."""
        scroll = self.query_one("#coverage-scroll", VerticalScroll)
        if delta > 0:
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)
