"""The events pane (key 3): each occurrence of the events with its coverage, and the keys
that act on an event: its posts, its coverage plan, live mode, the form, cancelling.

The listing and the coverage counts are the core's (``events.listing``, the same call as
``planterm events``); every change goes through the app's history (``change_structure``),
so ``u`` undoes it from any pane. The pane reads the store again when the plan changed,
as soon as it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planterm.agenda import local_text
from planterm.config import Settings
from planterm.history import History, Outcome
from planterm.matrix_text import fit
from planterm.model import Event, Post
from planterm.store import Store
from planterm.tui.messages import LiveRequested, PeriodShown, PlanChanged, ShowInCalendar
from planterm.tui.widgets.pane import Pane
from planterm.tui.widgets.plain import plain

if TYPE_CHECKING:
    # events and templates are loaded once the pane is first shown, not with the planner
    from planterm.events import Listed
    from planterm.templates import Templates
    from planterm.tui.app import PlantermApp


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """An events binding; its id is ``events.<id>`` (the key of the [keymap] setting)."""
    return Binding(keys, action, description, show=show, id=f"events.{id}", tooltip=tooltip)


COMPACT_WIDTH = 100
"""Below this width the counts are abbreviated (``plan 3 · wr 1 …``)."""


def counts_text(item: Listed, compact: bool) -> str:
    """``planned 3 · written 1 · approved 0 · published 0 · live 0`` (abbreviated when
    ``compact``)."""
    cov = item.state
    names = ("plan", "wr", "appr", "pub", "live") if compact else (
        "planned", "written", "approved", "published", "live")
    values = (cov.planned, cov.written, cov.approved, cov.published, cov.live)
    return " · ".join(f"{name} {value}" for name, value in zip(names, values, strict=True))


def row(item: Listed, settings: Settings, width: int, when_width: int,
        mark_width: int) -> Content:
    """An occurrence on two lines: when, coverage mark and title; then kind, place,
    hashtag and the counts, each cut to ``width`` (stored text inert)."""
    event = item.occurrence.event
    when = local_text(item.occurrence.start, settings)
    mark = "✗ cancelled" if event.cancelled else item.state.mark
    first = fit(f"{when:<{when_width}}  {mark:<{mark_width}}  {event.title}", width)
    compact = width < COMPACT_WIDTH
    counts = counts_text(item, compact)
    about = " · ".join(x for x in (event.kind.value, event.place, event.hashtag) if x)
    room = width - len(counts) - 4
    second = f"  {fit(about, room)}  {counts}" if room > 10 else f"  {fit(counts, width - 2)}"
    style = "$text-muted" if event.cancelled else ""
    return Content("\n").join([Content.styled(first.rstrip(), style),
                               Content.styled(second.rstrip(), "$text-muted")])


def opening_index(items: list[Listed], now: datetime, settings: Settings) -> int:
    """Where the cursor starts: today's occurrence, or the next one (an occurrence still
    running from the day before comes first in the list but is not today's)."""
    from planterm.events import today_start

    midnight = today_start(now, settings)
    return next((i for i, item in enumerate(items) if item.occurrence.start >= midnight), 0)


class EventsPane(Pane):
    """Upcoming or past occurrences of the events, with their coverage."""

    TITLE = "events"
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("down,j", "cursor(1)", "Down", "down", "The next occurrence"),
        _b("up,k", "cursor(-1)", "Up", "up", "The previous occurrence"),
        _b("enter", "open", "Posts", "open",
           "The event and its posts; the calendar's triage keys work there", show=True),
        _b("c", "coverage", "Coverage", "coverage",
           "Preview the posts the coverage template makes; Enter makes them as drafts",
           show=True),
        _b("L", "live", "Live", "live", "Live mode on the selected occurrence", show=True),
        _b("P", "toggle_past", "Past", "past",
           "Show the past events (latest first), or the upcoming ones again", show=True),
        _b("t", "today", "Today", "today", "Back to today's event, or the next one"),
        _b("n", "new_event", "New event", "new", "Add an event in a form", show=True),
        _b("e", "edit", "Edit", "edit",
           "Edit the event; a new date offers to move its posts not yet published"),
        _b("D", "duplicate", "Duplicate", "duplicate",
           "A copy of the event (a new uid) in the form, to give it its date"),
        _b("x", "cancel_event", "Cancel event", "cancel",
           "Call the event off with its posts not yet published (asks first; u undoes)"),
    ]
    LOADING_HIDES = ("events-heading", "events-list", "events-detail")

    def __init__(self, settings: Settings, now: Callable[[], datetime], *, id: str) -> None:
        super().__init__(id=id)
        self.settings = settings
        self.now = now
        self.store: Store | None = None
        self.past = False
        """Whether the past occurrences are shown (latest first) rather than the upcoming."""
        self.items: list[Listed] = []
        self.at = 0
        """The selected occurrence, as an index into ``items``."""
        self.wanted: tuple[int | None, datetime] | None = None
        """The occurrence to select at the next reading (event id, start); None: today's."""
        self.stale = True
        """The plan changed since it was last read."""
        self._templates: Templates | None = None

    @property
    def planner(self) -> PlantermApp:
        """The app, which writes changes through its history."""
        return cast("PlantermApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("loading…", id="loading")
        yield Static(id="events-heading")
        listed = OptionList(id="events-list", compact=True)
        listed.can_focus = False  # the pane keeps the keyboard: its keys act on the list
        yield listed
        yield Static(id="events-empty")
        yield Static(id="events-detail")

    @property
    def templates(self) -> Templates:
        """The coverage templates, read once (a bad one of the user's is said once)."""
        if self._templates is None:
            from planterm.templates import load_templates

            self._templates = load_templates()
            for warning in self._templates.warnings:
                self.notify(warning, title="coverage templates", severity="warning")
        return self._templates

    # --- reading -------------------------------------------------------------

    def on_mount(self) -> None:
        """Say "loading…" until the store is open."""
        self.show_loading(True)

    @on(PlanChanged)
    def _plan_changed(self, message: PlanChanged) -> None:
        if self.store is None:
            self.show_loading(False)
        self.store = message.store
        self.stale = True
        if self.display:
            self.reload()

    def on_show(self) -> None:
        """Shown (key 3): read again if the plan changed meanwhile; the header says what
        is listed."""
        if self.stale:
            self.reload()
        self._say_period()

    def _say_period(self) -> None:
        self.post_message(PeriodShown(f"events · {'past' if self.past else 'upcoming'}"))

    def reload(self) -> None:
        """Read the occurrences again, the selection kept on the same one."""
        if self.store is None:
            return
        selected = self.selected()
        if self.wanted is None and selected is not None and self.items:
            self.wanted = (selected.occurrence.event.id, selected.occurrence.start)
        from planterm.events import listing

        self.items = listing(self.store, self.settings, self.templates, self.now(),
                             past=self.past)
        self.stale = False
        self.at = self._find(self.wanted)
        self.wanted = None
        self.draw()

    def _find(self, wanted: tuple[int | None, datetime] | None) -> int:
        """The index of the wanted occurrence (or the event's nearest one), else where the
        list opens."""
        if wanted is None:
            return 0 if self.past else opening_index(self.items, self.now(), self.settings)
        same = [i for i, item in enumerate(self.items)
                if item.occurrence.event.id == wanted[0]]
        if not same:
            return min(self.at, max(len(self.items) - 1, 0))
        return min(same, key=lambda i: abs(self.items[i].occurrence.start - wanted[1]))

    # --- drawing -------------------------------------------------------------

    def draw(self) -> None:
        """The list, the heading and the selected occurrence's detail."""
        width = max(self.size.width - 3, 40)  # the list's padding and scrollbar
        items = self.items
        when_width = max((len(local_text(i.occurrence.start, self.settings)) for i in items),
                         default=0)
        mark_width = max((len(i.state.mark) for i in items), default=0)
        listed = self.query_one("#events-list", OptionList)
        listed.set_options(Option(row(item, self.settings, width, when_width, mark_width))
                           for item in items)
        listed.highlighted = self.at if items else None
        which = "past, latest first" if self.past else "upcoming, from today"
        other = "upcoming" if self.past else "past"
        count = len(items)
        self.query_one("#events-heading", Static).update(plain(fit(
            f"events {which} · {count} occurrence{'s' * (count != 1)} · P: {other}",
            width).rstrip()))
        self.set_class(not items, "-empty")
        if not items:
            self.query_one("#events-empty", Static).update(plain(
                f"No {'past' if self.past else 'upcoming'} event · n adds one"
                f" · P shows the {other} ones"))
        self.show_detail()

    def show_detail(self) -> None:
        """What the selected occurrence still needs; on a tall terminal, its posts too."""
        item = self.selected()
        detail = self.query_one("#events-detail", Static)
        if item is None:
            detail.update("")
            return
        width = max(self.size.width - 2, 40)
        cov = item.state
        template = f"template {item.template.key}" if item.template else "no template"
        lines = [Content(fit(f"{counts_text(item, False)} · {template}", width).rstrip()),
                 Content.styled(fit(f"next: {cov.next_step}", width).rstrip(), "bold")]
        lines += [Content(fit(f"  {local_text(p.scheduled, self.settings) if p.scheduled else '-'}"
                              f"  {p.status.symbol} {p.status.value:<9} {p.title}",
                              width).rstrip()) for p in item.posts]
        detail.update(Content("\n").join(lines))

    def on_resize(self) -> None:
        """Rows are cut to the width."""
        if self.items:
            self.draw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No key applies before the store is open."""
        return self.store is not None

    # --- moving --------------------------------------------------------------

    def selected(self) -> Listed | None:
        """The selected occurrence, if any."""
        return self.items[self.at] if 0 <= self.at < len(self.items) else None

    def landing_day(self) -> date | None:
        """The selected occurrence's day: where a post added here (``a``) lands."""
        item = self.selected()
        return item.occurrence.start.astimezone(self.settings.tz).date() if item else None

    def action_cursor(self, delta: int) -> None:
        """Select the next or previous occurrence."""
        if not self.items:
            return
        self.at = max(0, min(self.at + delta, len(self.items) - 1))
        self.query_one("#events-list", OptionList).highlighted = self.at
        self.show_detail()

    def action_toggle_past(self) -> None:
        """Upcoming ⇄ past."""
        self.past = not self.past
        self.items, self.at = [], 0
        self.reload()
        self._say_period()

    def action_today(self) -> None:
        """Back to today's occurrence, or the next one."""
        self.past = False
        self.items = []
        self.reload()
        self._say_period()

    def _chosen(self) -> Listed | None:
        """The selected occurrence, or a word saying there is none."""
        item = self.selected()
        if item is None:
            self.notify("no event selected: n adds one", severity="warning")
        return item

    # --- acting on the selected event ------------------------------------------

    def action_open(self) -> None:
        """The event and its posts, with the triage keys; Enter there shows a post in the
        calendar."""
        from planterm.tui.screens.event import EventScreen  # loaded on use

        if (item := self._chosen()) is None:
            return

        def shown(post: Post | None) -> None:
            if post is not None:
                self.post_message(ShowInCalendar(post))

        self.app.push_screen(EventScreen(item.occurrence, self.settings), shown)

    def action_live(self) -> None:
        """Live mode on the selected occurrence (the app asks how posts are logged)."""
        if (item := self._chosen()) is not None:
            self.post_message(LiveRequested(item.occurrence.event, item.occurrence.start))

    def action_coverage(self) -> None:
        """The coverage preview of the selected occurrence; Enter there makes the drafts."""
        from planterm.tui.screens.coverage import CoverageScreen  # loaded on use

        if (item := self._chosen()) is None:
            return
        event = item.occurrence.event
        if event.cancelled:
            self.notify(f"'{event.title}' is cancelled: it gets no new coverage",
                        severity="warning")
            return
        from planterm.events import template_of

        template = template_of(event, self.templates)
        if template is None:
            self.notify(f"no coverage template for '{event.title}' ({event.template or event.kind})"
                        ": e sets one", severity="warning")
            return
        self.app.push_screen(CoverageScreen(event, item.occurrence.start, template))

    def _form(self, before: Event | None, start: Event | None, title: str) -> None:
        """The event form on ``start`` (``before``, the stored event, when editing)."""
        from planterm.tui.screens.event_form import EventForm  # loaded on use

        store = self.store
        if store is None:
            return

        def save(after: Event, move_posts: bool) -> bool:
            now = self.now()

            def change(history: History) -> Outcome:
                done = (history.add_event(after) if before is None else
                        history.edit_event(before, after, move_posts=move_posts, now=now))
                if done.event is not None:  # selected when the pane reads the plan again
                    self.wanted = (done.event.id, done.event.start)
                    from planterm.events import today_start

                    if self.past != (done.event.start < today_start(now, self.settings)):
                        self.action_toggle_past()
                return done

            return self.planner.change_structure(change)

        self.app.push_screen(EventForm(store, self.settings, self.now(), self.templates,
                                       before, start, title, save))

    def action_new_event(self) -> None:
        """Add an event in the form."""
        self._form(None, None, "New event")

    def action_edit(self) -> None:
        """Edit the selected event in the form."""
        if (item := self._chosen()) is not None:
            event = item.occurrence.event
            self._form(event, event, f"Edit event #{event.id}")

    def action_duplicate(self) -> None:
        """A copy of the selected event in the form, as a new event."""
        if (item := self._chosen()) is not None:
            event = item.occurrence.event
            copy = replace(event, id=None, uid="", cancelled=False)
            self._form(None, copy, f"Duplicate of event #{event.id}")

    def action_cancel_event(self) -> None:
        """Call the selected event off, once confirmed."""
        from planterm.tui.screens.confirm import ConfirmScreen  # loaded on use

        if (item := self._chosen()) is None:
            return
        event = item.occurrence.event
        if event.cancelled:
            self.notify(f"'{event.title}' is already cancelled (u undoes a cancel of this "
                        "session)", severity="warning")
            return
        what = "every occurrence of " if event.rrule else ""

        def confirmed(yes: bool | None) -> None:
            if yes:
                now = self.now()
                self.planner.change_structure(lambda h: h.cancel_event(event, now))

        self.app.push_screen(ConfirmScreen(
            f"Cancel {what}'{event.title}', and its posts not yet published?",
            "Cancel it"), confirmed)
