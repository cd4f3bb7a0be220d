"""The calendar pane: week, month and agenda views, moving around, triage keys and filter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Static

from planterm.agenda import week_title
from planterm.config import Settings
from planterm.dates import parse_when, period_label, shift_period, weekday_abbr
from planterm.model import Post
from planterm.store import Store
from planterm.tui.messages import LiveRequested, PlanChanged
from planterm.tui.widgets.agenda_view import AgendaView
from planterm.tui.widgets.first_steps import first_steps
from planterm.tui.widgets.marks import EVENT_MARK
from planterm.tui.widgets.month import MonthView
from planterm.tui.widgets.period_pane import PeriodPane, filter_bindings, period_bindings
from planterm.tui.widgets.period_view import PeriodView
from planterm.tui.widgets.preview import preview
from planterm.tui.widgets.prompt import PromptBar
from planterm.tui.widgets.shown import (
    Entry,
    EventAt,
    Shown,
    View,
    event_at,
    load,
    period_of,
    span,
)
from planterm.tui.widgets.triage_keys import TRIAGE_BINDINGS, TriageKeys
from planterm.tui.widgets.week import WeekView


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """A calendar binding; its id is ``calendar.<id>`` (the key of the [keymap] setting)."""
    return Binding(keys, action, description, show=show, id=f"calendar.{id}", tooltip=tooltip)


class CalendarPane(TriageKeys, PeriodPane):
    """The calendar: what is planned when, and the keys to triage it."""

    TITLE = "calendar"
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("left,h", "day(-1)", "Previous day", "previous_day", "Select the day before"),
        _b("right,l", "day(1)", "Next day", "next_day", "Select the day after"),
        _b("up,k", "post(-1)", "Up", "up",
           "Previous event or post of the day (month view: past the first, the week before)"),
        _b("down,j", "post(1)", "Down", "down",
           "Next event or post of the day (month view: past the last, the week after)"),
        *period_bindings("calendar", "week or month"),
        _b("g", "goto", "Go to", "goto", "Go to a typed date: ven, 3 déc, 2026-12-03, +2w"),
        _b("m", "switch_view('month')", "Month", "month", "Switch between the week and the month",
           show=True),
        _b("v", "switch_view('agenda')", "List", "agenda",
           "Switch between the week and the agenda list of the week", show=True),
        *TRIAGE_BINDINGS,
        _b("enter", "open", "Open", "open",
           "Show the post, or the event with its posts (month: on a day, open the week)"),
        _b("U", "undated", "Undated", "undated",
           "List the posts without a date (the list view's last section)"),
        _b("L", "live", "Live", "live", "Live mode on the selected event: log posts as it "
           "happens"),
        *filter_bindings("calendar", "Show every post again"),
    ]

    view: reactive[View] = reactive("week", bindings=True)
    LOADING_HIDES = ("views", "detail")

    def __init__(self, settings: Settings, now: Callable[[], datetime], *, id: str) -> None:
        super().__init__(settings, now, id=id)
        self.shown: Shown | None = None
        self.post_id: int | None = None
        """The selected post."""
        self.event_at: EventAt | None = None
        """The selected event occurrence."""
        self._ahead: Shown | None = None
        """The next period, read ahead (``_read_ahead``)."""

    def compose(self) -> ComposeResult:
        yield Static("loading…", id="loading")
        yield Static(id="empty")
        yield Static(id="filter-line")
        with ContentSwitcher(initial="week", id="views"):
            yield WeekView(id="week")
            yield MonthView(id="month")
            yield AgendaView(id="agenda")
        yield PromptBar(id="prompt")
        yield Static(id="detail")

    # --- showing -------------------------------------------------------------

    @on(PlanChanged)
    def _plan_changed(self, message: PlanChanged) -> None:
        self._ahead = None  # read from the store as it was
        if self.store is None:  # its first week is read by a scan; the index can wait
            self.call_after_refresh(message.store.index_posts)
        elif self.store is not message.store:  # the whole store after a glimpse: its index
            message.store.index_posts()  # now, for this read and the next key's
        self.store = message.store
        self.loaded = True
        focus = message.focus
        if focus is not None:
            if focus.scheduled is not None:
                self.day = focus.scheduled.astimezone(self.settings.tz).date()
            self.post_id, self.event_at = focus.id, None
        if message.written is None or self.shown is None:
            self.reload()
            return
        # our own write: patch the period shown (a re-read costs ~10 ms at 20,000 posts)
        self._empty_state(message.store)
        self.shown = self.shown.patched(*message.written, self.filter)
        self.select(self.day, self.post_id, self.event_at)

    def window(self) -> tuple[datetime, datetime]:
        """What a glimpse of the store must hold for the first week to be drawn, and for
        the first key to act on: the week and a week on either side (``[`` ``]``, read
        ahead), and the month's grid (``m``)."""
        first, stop = span(self.view, self.day, self.settings)
        grid = span("month", self.day, self.settings)
        week = timedelta(days=7)
        return (datetime.combine(min(first - week, grid[0]), time(), self.settings.tz),
                datetime.combine(max(stop + week, grid[1]), time(), self.settings.tz))

    def _empty_state(self, store: Store) -> None:
        empty = store.post_count() == 0 and not store.events()
        self.set_class(empty, "-empty")
        if empty:
            self.query_one("#empty", Static).update(first_steps(store, self.settings))

    def reload(self) -> None:
        """Read the shown period from the store again and draw it, keeping the selection."""
        store = self.store
        if store is None:
            return
        self._empty_state(store)
        self._ahead = None  # read with another filter, or from the store as it was
        self._read(None)

    def _read(self, known: Shown | None) -> None:
        """Read the period around the selected day (the undated posts and the events from
        ``known``, when given: ``load``), or take it as read ahead, and draw it, keeping
        the selection; then read ahead the period after it, in the way the user went."""
        assert self.store is not None
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.holds(self.view, self.day):
            self.shown = replace(ahead, day=self.day, today=self.today())
        else:
            self.shown = load(self.store, self.filter, self.view, self.day, self.today(),
                              self.settings, known)
        self.select(self.day, self.post_id, self.event_at)
        self.call_after_refresh(self._read_ahead, -1 if known and self.day < known.day else 1)

    def _read_ahead(self, delta: int) -> None:
        """Read the period ``delta`` away, and find its posts' problems and marks, once the
        one shown is on screen, while the user looks at it: ``[`` or ``]`` then only draws
        it (reading and marking a month of 20,000 posts took 40 ms of the key's time).
        Dropped on any change to the store or the filter (``_plan_changed``, ``reload``)."""
        shown, store = self.shown, self.store
        if shown is None or store is None or self._ahead is not None or not self.display:
            return
        ahead = load(store, self.filter, self.view, self.shifted(delta), self.today(),
                     self.settings, shown)
        for post in ahead.ordered():
            ahead.problems(post)
            ahead.marks(post)
        self.query_one(f"#{self.view}", PeriodView).warm(ahead)
        self._ahead = ahead

    def select(self, day: date, post_id: int | None, at: EventAt | None = None) -> None:
        """Select a day and a post (or an event occurrence) on it, reading another period
        when the day is outside."""
        shown = self.shown
        if shown is None:
            return
        self.day = day
        if not shown.holds(shown.view, day):
            self.post_id, self.event_at = post_id, at
            self._read(shown)  # the store has not changed: PlanChanged says when it does
            return
        self.shown = shown = shown.pick(day, post_id, at)
        self.day, self.post_id, self.event_at = shown.day, shown.post_id, shown.event_at
        self.query_one(f"#{shown.view}", PeriodView).shown = shown
        self.query_one("#detail", Static).update(preview(shown, self.store), layout=False)
        label = (period_label("month", self.day, locale=self.settings.locale)
                 if shown.view == "month" else week_title(self.day, self.settings))
        undated = len(shown.unscheduled)
        self.show_period(label, f"{undated} undated · U" if undated else "")

    def landing_day(self) -> date | None:
        """The selected day: where a new post without a date lands."""
        return self.day if self.loaded else None

    def watch_view(self, view: View) -> None:
        """Show the view's widget and read its period (the month starts on the day alone,
        so that j/k cross its weeks until they walk into a day)."""
        self.query_one("#views", ContentSwitcher).current = view
        if view == "month":
            self.post_id, self.event_at = None, None
        if self.shown is None:
            self.reload()
        else:
            self._read(self.shown)

    # --- moving --------------------------------------------------------------

    def action_day(self, delta: int) -> None:
        """Select the day before or after."""
        self.select(shift_period("day", self.day, delta), None)

    def action_post(self, delta: int) -> None:
        """Select the next or previous event or post of the day (of the list, in the agenda).

        In the month view the day itself comes before its entries, and walking past
        either end moves a week, so that j/k still cross the grid.
        """
        shown = self.shown
        if shown is None:
            return
        entries = shown.walk()
        at = next((i for i, e in enumerate(entries) if shown.is_selected(e)), None)
        if shown.view == "month":
            to = (-1 if at is None else at) + delta
            if to == -1:
                self.select(self.day, None)
            elif 0 <= to < len(entries):
                self._select_entry(entries[to])
            else:
                self.select(shift_period("week", self.day, delta), None)
        elif entries:
            self._select_entry(entries[0 if at is None else
                                       min(max(at + delta, 0), len(entries) - 1)])

    def _select_entry(self, entry: Entry) -> None:
        if isinstance(entry, Post):
            self.select(self.day, entry.id)
        else:
            self.select(self.day, None, event_at(entry))

    def shifted(self, delta: int) -> date:
        """The selected day ``delta`` weeks (or months, in the month view) away."""
        return shift_period(period_of(self.view), self.day, delta)

    def go_to(self, day: date) -> None:
        """Select ``day``, its period shown."""
        self.select(day, None)

    def action_goto(self) -> None:
        """Ask for a date to go to."""
        self.query_one(PromptBar).ask("goto", "go to: ven · 3 déc · 2026-12-03 · +2w · demain")

    def action_switch_view(self, view: View) -> None:
        """Switch between the week and another view."""
        self.view = "week" if self.view == view else view

    def action_open(self) -> None:
        """Open the selected post or event; in the month view, a day alone opens its week."""
        shown, store = self.shown, self.store
        if shown is None or store is None:
            return
        if (occ := shown.selected_event) is not None:
            from planterm.tui.screens.event import EventScreen  # loaded on use

            self.app.push_screen(EventScreen(occ, self.settings), self.show_post)
        elif shown.selected is None and self.view == "month":
            self.view = "week"
        elif (post := self.selected_post()) is not None:
            self.open_post(post)

    def action_live(self) -> None:
        """Live mode on the selected event's occurrence; on a post, say how to get there."""
        occ = self.shown.selected_event if self.shown is not None else None
        if occ is None:
            self.notify("select an event (◆) first: live mode logs posts for an event",
                        severity="warning", timeout=3)
            return
        self.post_message(LiveRequested(occ.event, occ.start))

    def show_post(self, post: Post | None) -> None:
        """Select ``post`` wherever it is: its week, or the list's undated section."""
        if post is None:
            return
        if post.scheduled is None and self.view != "agenda":
            self.post_id, self.event_at = post.id, None
            self.view = "agenda"
        else:
            day = post.scheduled.astimezone(self.settings.tz).date() if post.scheduled else None
            self.select(day or self.day, post.id)
        if self.post_id != post.id:
            self.notify(f"'{post.title}' is hidden by the filter (Escape shows everything)",
                        severity="warning")

    def action_undated(self) -> None:
        """List the posts without a date, the first one selected."""
        undated = self.shown.unscheduled if self.shown else []
        if not undated:
            self.notify("every post shown has a date" if self.filter_text else
                        "every post has a date")
            return
        self.show_post(undated[0])

    # --- triage --------------------------------------------------------------

    def selected_post(self) -> Post | None:
        """The selected post; on an event or a day without one, a word saying so."""
        shown = self.shown
        post = shown.selected if shown else None
        if post is None:
            occ = shown.selected_event if shown else None
            if occ is not None:
                self.notify(f"{EVENT_MARK} '{occ.event.title}' is an event: Enter shows its "
                            "posts, j/k select one", severity="warning")
            else:
                day = f"{weekday_abbr(self.day, self.settings.locale)} {self.day:%d/%m}"
                self.notify(f"no post selected on {day}: j/k or h/l to one, a to add one",
                            severity="warning")
        return post

    # --- go to (the filter is PeriodPane's) -----------------------------------

    def answer(self, purpose: str, value: str) -> None:
        """Go to the typed date."""
        when = parse_when(value, now=self.now(), tz=self.settings.tz)
        self.query_one(PromptBar).close()
        self.select(when.date(), None)
