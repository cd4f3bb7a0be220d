"""The event form (``n``, ``e``, ``D`` in the events pane): an event's fields typed as in
``planterm event set``, checked by the same code, each refusal shown under its field.

Every field is read by ``events.set_event_field`` and the whole by
``events.check_event``, so the form and the command line accept and refuse the same
text; what was typed stays in the fields until it is right. Saving goes through the
caller's ``save`` (the app's history, one undo step); a new date first asks whether the
posts not yet published move by as much.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static

from planterm.config import Settings
from planterm.dates import weekday_abbr
from planterm.events import check_event as check_whole
from planterm.events import date_shift, posts_to_move, set_event_field, shift_text
from planterm.model import Event, EventKind, ModelError
from planterm.store import Store
from planterm.templates import Templates
from planterm.text import inert
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.editor import local_when
from planterm.tui.widgets.inert_input import InertInput
from planterm.tui.widgets.plain import plain

TYPED = (("title", "Title", "what it is"),
         ("on", "On", "jeu 19h, 3 déc 18h30, 2026-12-03 19:00"),
         ("end", "End", "3 déc 21h30 (empty: no end)"),
         ("place", "Place", "Salle 2"),
         ("hashtag", "Hashtag", "#ExpoParures"),
         ("channels", "Channels", "ig fb x … (empty: the settings')"),
         ("objectives", "Objectives", "keys or names, for its posts"),
         ("themes", "Themes", "keys or names, for its posts"),
         ("template", "Template", "coverage template (empty: the kind's)"),
         ("rrule", "RRULE", "FREQ=WEEKLY;BYDAY=SA, or choose above"),
         ("exdates", "Exdates", "dates left out, with commas: 24 déc, 31 déc"))
"""The typed fields as shown: (event field, label, placeholder); labelled by the field
names of ``planterm event set``, which the refusals name."""

ORDER = ("on", "end", "title", "place", "kind", "hashtag", "channels", "objectives", "themes",
         "template", "rrule", "exdates")
"""The order fields are set in: the start first, since a new start moves the end."""

ORDINALS = ("first", "second", "third", "fourth")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def common_rules(start: datetime) -> list[tuple[str, str]]:
    """A few rules people use, worded for this start (``every first thursday at 19:00``),
    as (label, RRULE)."""
    day = start.date()
    at = f"{start:%H:%M}"
    code = DAYS[day.weekday()]
    name = weekday_abbr(day, "en")
    nth = (day.day - 1) // 7
    rules = [("does not repeat", ""),
             (f"every week, {name} at {at}", f"FREQ=WEEKLY;BYDAY={code}"),
             (f"every 2 weeks, {name} at {at}", f"FREQ=WEEKLY;INTERVAL=2;BYDAY={code}")]
    if nth < len(ORDINALS):
        rules.append((f"every {ORDINALS[nth]} {name} of the month at {at}",
                      f"FREQ=MONTHLY;BYDAY={nth + 1}{code}"))
    if day.day + 7 > _month_length(day):
        rules.append((f"every last {name} of the month at {at}", f"FREQ=MONTHLY;BYDAY=-1{code}"))
    rules.append((f"every month on the {day.day} at {at}",
                  f"FREQ=MONTHLY;BYMONTHDAY={day.day}"))
    return rules


def _month_length(day: date) -> int:
    """How many days the month of ``day`` has."""
    first_next = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (first_next - day.replace(day=1)).days


def initial_text(event: Event | None, name: str, settings: Settings) -> str:
    """An event's field written back as text that reads as the same value."""
    if event is None:
        return ""

    def local(when: datetime) -> str:
        return f"{when.astimezone(settings.tz):%Y-%m-%d %H:%M}"

    match name:
        case "on":
            return local(event.start)
        case "end":
            return local(event.end) if event.end else ""
        case "channels" | "objectives" | "themes":
            return " ".join(getattr(event, name))
        case "exdates":
            return ", ".join(local(d) for d in event.exdates)
    return inert(str(getattr(event, name)))


class EventForm(ModalScreen[bool]):
    """A new, edited or duplicated event; ctrl+s checks it and saves through ``save``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="event_form.save", priority=True,
                tooltip="Check the event and save it (u undoes)"),
        Binding("escape", "cancel", "Cancel", id="event_form.cancel",
                tooltip="Close the form; asks first if something changed"),
    ]

    def __init__(self, store: Store, settings: Settings, now: datetime, templates: Templates,
                 before: Event | None, start: Event | None, title: str,
                 save: Callable[[Event, bool], bool]) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.now = now
        self.templates = templates
        self.before = before
        """The event as stored, when editing; None for a new one (or a duplicate)."""
        self.start_from = start
        """What the fields start from: the stored event, a copy, or None (empty)."""
        self.heading = title
        self.save = save
        """Writes the event (True when saved); with True, the posts move with its date."""
        self.initial = {name: initial_text(start, name, settings) for name, _, _ in TYPED}
        self.errors: dict[str, str] = {}

    # --- layout --------------------------------------------------------------

    def _field(self, name: str, label: str, widget: Widget) -> ComposeResult:
        with Horizontal(classes="field", id=f"field-{name}"):
            yield Label(label, classes="label")
            yield widget
            yield Static(id=f"hint-{name}", classes="-hint")
        yield Static(id=f"error-{name}", classes="-error")

    def compose(self) -> ComposeResult:
        kind = self.start_from.kind if self.start_from else EventKind.TALK
        with VerticalScroll(id="event-form") as form:
            form.border_title = self.heading
            for name, label, placeholder in TYPED:
                if name == "rrule":
                    yield from self._field("repeat", "Repeat", Select(
                        [], prompt="choose a common rule, or type one below",
                        compact=True, id="repeat"))
                yield from self._field(name, label, InertInput(
                    self.initial[name], placeholder=placeholder, id=name, compact=True))
                if name == "place":
                    yield from self._field("kind", "Kind", Select(
                        [(k.value, k) for k in EventKind], value=kind, allow_blank=False,
                        compact=True, id="kind"))
        yield Footer()

    def on_mount(self) -> None:
        """Show what the fields are read as; the title takes the keyboard."""
        self.check()
        self.query_one("#title").focus()

    # --- reading -------------------------------------------------------------

    def typed(self) -> dict[str, str]:
        """What is in each field now."""
        return {name: self.query_one(f"#{name}", Input).value for name, _, _ in TYPED}

    def kind(self) -> EventKind:
        """The chosen kind."""
        value = self.query_one("#kind", Select).value
        return value if isinstance(value, EventKind) else EventKind.TALK

    def build(self) -> tuple[Event | None, dict[str, str]]:
        """The event the fields describe, and what is wrong, by field.

        A field is read as ``planterm event set`` reads it. Editing, only what was changed
        is set (a new start moves an end left as it was); a new event needs its start.
        """
        typed = self.typed()
        errors: dict[str, str] = {}
        event = self.start_from
        if event is None:
            if not typed["on"].strip():
                errors["on"] = "when it starts is needed (jeu 19h, 3 déc 18h30)"
            morning = datetime.combine(self.now.astimezone(self.settings.tz).date(),
                                       time(9), self.settings.tz)
            event = Event(title=" ", start=morning)  # its 09:00 is the default time
        for name in ORDER:
            if name == "kind":
                event = replace(event, kind=self.kind())
                continue
            value = typed[name]
            if value == self.initial[name] and (self.start_from is not None or not value):
                continue
            try:
                event = set_event_field(self.store, event, name, value, now=self.now,
                                        tz=self.settings.tz, templates=self.templates)
            except ModelError as e:
                errors[name] = e.problem
        if not errors:
            try:
                check_whole(event, self.settings)
            except ModelError as e:
                field = e.field if e.field in self.typed() else "title"
                errors[field] = e.problem
        return (None if errors else event), errors

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.check()

    @on(Select.Changed, "#kind")
    def _kind_changed(self) -> None:
        self.check()

    @on(Select.Changed, "#repeat")
    def _repeat_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            rule = self.query_one("#rrule", Input)
            if rule.value != event.value:
                rule.value = event.value

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a one-line field moves on, as in the post editor; ctrl+s saves.
        event.stop()
        self.focus_next()

    def check(self) -> Event | None:
        """Read the fields, show the refusals under them and what the dates were read as;
        the event, or None while something is wrong."""
        event, self.errors = self.build()
        for name in (*(n for n, _, _ in TYPED), "kind", "repeat"):
            error = self.query_one(f"#error-{name}", Static)
            problem = self.errors.get(name, "")
            error.update(plain(f"⚠ {name}: {problem}" if problem else ""))
            error.display = bool(problem)
            self.query_one(f"#field-{name}").set_class(bool(problem), "-invalid")
        self._hints(event)
        return event

    def _hints(self, event: Event | None) -> None:
        """The dates in words; the common rules for the start typed."""
        for name in ("on", "end"):
            when = None if event is None else (event.start if name == "on" else event.end)
            hint = "not read: see below" if name in self.errors else (
                f"→ {local_when(when, self.settings)}" if when else "")
            self.query_one(f"#hint-{name}", Static).update(plain(hint))
        if event is None:
            return
        select = self.query_one("#repeat", Select)
        rules = common_rules(event.start.astimezone(self.settings.tz))
        with select.prevent(Select.Changed):
            select.set_options(rules)
            current = self.query_one("#rrule", Input).value.strip().upper()
            if any(rule == current for _, rule in rules):
                select.value = current

    # --- closing -------------------------------------------------------------

    def action_save(self) -> None:
        """Check every field and save; a refusal names the field and keeps the form. A
        new date asks first whether the posts not yet published move with it."""
        after = self.check()
        if after is None:
            first = next(name for name in ORDER if name in self.errors)
            self.query_one(f"#{first}").focus()
            count = len(self.errors)
            self.notify(f"Not saved: {count} field{'s' if count > 1 else ''} to fix, marked ⚠",
                        severity="warning")
            return
        before = self.before
        if before is not None and after == before:
            self.dismiss(False)
            return
        shift = date_shift(before, after, self.settings.tz) if before else None
        follow = posts_to_move(self.store, before) if before and shift else []
        if shift is None or not follow:
            self._write(after, False)
            return
        n = len(follow)

        def answered(move: bool | None) -> None:
            self._write(after, bool(move))

        self.app.push_screen(ConfirmScreen(
            f"The event moves by {shift_text(shift)}. Move its {n} post{'s' * (n != 1)} not "
            "yet published by as much (same local time)? n leaves them where they are.",
            "Move them"), answered)

    def _write(self, after: Event, move_posts: bool) -> None:
        """Save through the caller; a refusal by the store's rules is shown at its field."""
        try:
            saved = self.save(after, move_posts)
        except ModelError as e:
            field = e.field if e.field in self.typed() else "title"
            self.errors[field] = e.problem
            error = self.query_one(f"#error-{field}", Static)
            error.update(plain(f"⚠ {field}: {e.problem}"))
            error.display = True
            return
        if saved:
            self.dismiss(True)

    @property
    def changed(self) -> bool:
        """Whether closing now would lose something typed."""
        kind = self.start_from.kind if self.start_from else EventKind.TALK
        return self.typed() != self.initial or self.kind() is not kind

    def action_cancel(self) -> None:
        """Close without saving; ask first when something was typed."""
        if not self.changed:
            self.dismiss(False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(ConfirmScreen("Discard changes?", verb="Discard"), answered)
