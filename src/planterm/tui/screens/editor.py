"""The post editor: a modal form with live counts, dates typed as people type them, and
each validation error shown under the field it concerns.

The editor never writes: ctrl+s dismisses with the edited post and the app saves it
through its undo history. Typed fields are parsed by ``edits.set_field``, the same code
as ``planterm set``, so the form and the command line accept and refuse the same text.

Textual's Input and TextArea draw their text as it is, so the editor edits the post as
shown: its texts are made inert when it opens (a note says so when that changed one),
and its fields keep them inert, so what is drawn, typed and saved is the same text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from planterm import channels
from planterm.config import Settings
from planterm.dates import period_label
from planterm.edits import set_field
from planterm.model import (
    Category,
    ModelError,
    Post,
    Status,
    TransitionError,
    check_transition,
    reachable_statuses,
    utcnow,
)
from planterm.sensitive import FLAG_MARK, keep, open_items, post_terms, suggested, wording
from planterm.store import Store
from planterm.text import inert
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.review import ReviewScreen
from planterm.tui.widgets.counts import ChannelCounts
from planterm.tui.widgets.inert_input import InertInput
from planterm.tui.widgets.inert_text_area import InertTextArea
from planterm.tui.widgets.plain import plain
from planterm.tui.widgets.wording import WordingArea, WordingNote

_TYPED = ("title", "channels", "on", "body", "objectives", "themes", "event", "hashtags",
          "notes")  # fmt: skip
"""Fields edited as text and parsed by ``edits.set_field``; each widget has the field's id."""

_FIELDS = (*_TYPED, "status", "variants")
"""Every field that can show an error under it."""


def local_when(when: datetime, settings: Settings) -> str:
    """``ven. 27 nov. 2026 10:00``: a time in the user's zone and language, with its weekday."""
    local = when.astimezone(settings.tz)
    return f"{period_label('day', local.date(), locale=settings.locale)} {local:%H:%M}"


def as_shown(post: Post) -> Post:
    """The post with its texts inert, as the editor's fields hold them."""
    return replace(
        post, title=inert(post.title), body=inert(post.body, multiline=True),
        notes=inert(post.notes, multiline=True), hashtags=[inert(h) for h in post.hashtags],
        variants={k: inert(v, multiline=True) for k, v in post.variants.items()})


def names_of(keys: list[str], known: list[Category]) -> str:
    """Objective or theme keys as their names, for showing what a typed field was read as."""
    by_key = {c.key: c.name for c in known}
    return ", ".join(by_key.get(k, k) for k in keys)


class PostEditor(ModalScreen[Post | None]):
    """Edit a copy of a post (or a new one) and dismiss with it on ctrl+s, unsaved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True,
                tooltip="Check the post and close the editor with it"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel",
                tooltip="Close the editor; asks first if something changed"),
        Binding("ctrl+f", "review", "Flags", id="editor.review",
                tooltip="Sensitivity flags and their review checklist (ticks record "
                        "who and when)"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    PostEditor #marked { color: $text-warning; }
    """

    def __init__(self, store: Store, settings: Settings, post: Post | None, now: datetime,
                 draft: Post | None = None, *, when: datetime | None = None,
                 tags: tuple[Sequence[str], Sequence[str]] = ((), ())) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.now = now
        self.original = post or Post(title="", channels=self._default_channels(settings),
                                     scheduled=when, objectives=list(tags[0]),
                                     themes=list(tags[1]))
        """The post as stored; a new one starts on ``when`` (the calendar's selected day)
        with the ``tags``, objectives and themes (the matrix's cell)."""
        self.post = as_shown(draft or self.original)
        """The post as edited so far: every field holds its last valid value."""
        self.marked = self.post != (draft or self.original)
        """Whether the post held control characters, now shown (and saved) as marks."""
        self.errors: dict[str, str] = {}
        """Field name -> what is wrong with it; saving is blocked while any is left."""
        self.wording = wording()
        """The glossary and the flags."""

    @staticmethod
    def _default_channels(settings: Settings) -> list[str]:
        # An unknown name in the settings is left out here rather than blocking a new post;
        # the channels field shows what the post really gets.
        found = []
        for name in settings.channels:
            with contextlib.suppress(channels.UnknownChannel):
                found.append(channels.resolve(name))
        return list(dict.fromkeys(found))

    # --- layout ----------------------------------------------------------------------

    def _initial_text(self, name: str) -> str:
        """A field of the post written back as text that parses to the same value."""
        post = self.post
        match name:
            case "on":
                local = post.scheduled.astimezone(self.settings.tz) if post.scheduled else None
                return f"{local:%Y-%m-%d %H:%M}" if local else ""
            case "event":
                return "" if post.event is None else str(post.event)
            case "channels" | "objectives" | "themes" | "hashtags":
                return " ".join(getattr(post, name))
        text: str = getattr(post, name)
        return text

    def _field(self, name: str, label: str, widget: Widget, *, hint: bool = False) -> ComposeResult:
        with Horizontal(classes="field", id=f"field-{name}"):
            yield Label(label, classes="label")
            yield widget
            if hint:
                yield Static(id=f"hint-{name}", classes="-hint")
        yield Static(id=f"error-{name}", classes="-error")

    def _input(self, name: str, placeholder: str) -> Input:
        return InertInput(self._initial_text(name), placeholder=placeholder, id=name,
                          compact=True)

    def _text_area(self, name: str, text: str) -> TextArea:
        if name == "notes":  # notes do not go out: no term to question there
            return InertTextArea(text, id=name, compact=True, soft_wrap=True,
                                 show_line_numbers=False)
        return WordingArea(text, id=name, compact=True, soft_wrap=True,
                           show_line_numbers=False, glossary=self.wording.glossary,
                           kept=frozenset(self.post.kept))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="editor-form") as form:
            form.border_title = (
                "New post" if self.original.id is None else f"Edit post #{self.original.id}"
            )
            if self.marked:
                yield Static("⚠ Control characters are shown and saved as marks (␛ ␤ � ⇆).",
                             id="marked")
            yield from self._field("title", "Title", self._input("title", "what it is about"))
            yield from self._field(
                "channels", "Channels", self._input("channels", "ig fb x …"), hint=True)
            yield from self._field(
                "on", "When", self._input("on", "ven 18h30, demain 9h, 3 déc 19h"), hint=True)
            yield from self._field("status", "Status", Select(
                [(f"{s.symbol} {s.value}", s) for s in self._statuses()],
                value=self.post.status, allow_blank=False, compact=True, id="status"))
            with Horizontal(classes="field", id="field-review"):
                yield Label("Flags", classes="label")
                yield Static(id="review-line")
            yield from self._field("body", "Text", self._text_area("body", self.post.body))
            yield WordingNote(id="wording")
            yield ChannelCounts(id="counts")
            yield from self._field("variants", "Variant", Select(
                [], prompt="none: choose a channel to write its own text", compact=True,
                id="variant-channel"))
            with Horizontal(classes="field", id="field-variant"):
                yield Label("", classes="label")
                yield self._text_area("variant", "")
            yield from self._field(
                "objectives", "Objectives", self._input("objectives", "keys or names"),
                hint=True)
            yield from self._field(
                "themes", "Themes", self._input("themes", "keys or names"), hint=True)
            yield from self._field(
                "event", "Event", self._input("event", "id or part of its title"), hint=True)
            yield from self._field("hashtags", "Hashtags", self._input("hashtags", "#tag …"))
            yield from self._field(
                "notes", "Notes", self._text_area("notes", self.post.notes))
        yield Footer()

    def _statuses(self) -> list[Status]:
        """The statuses offered: the stored one and those one step from it, in flow order
        (a draft reopened after a refusal keeps the status it was given)."""
        offered = {self.original.status, self.post.status, *reachable_statuses(self.original)}
        return [s for s in Status if s in offered]

    def on_mount(self) -> None:
        """Show the hints, the counts and the variant choices of the post as it is."""
        for name in _FIELDS:
            self._show_error(name, "")
        for name in ("channels", "on", "objectives", "themes", "event"):
            self._show_hint(name)
        self._sync_variants()
        self.query_one("#counts", ChannelCounts).show(self.post)
        self._show_wording()
        for warning in self.wording.warnings:
            self.notify(warning, severity="warning")
        self.query_one("#title").focus()

    # --- editing ----------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply(str(event.input.id), event.value)

    @on(TextArea.Changed, "#body, #notes")
    def _text_changed(self, event: TextArea.Changed) -> None:
        self._apply(str(event.text_area.id), event.text_area.text)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a one-line field moves on, as in most forms; ctrl+s is the one way to save.
        event.stop()
        self.focus_next()

    def _apply(self, name: str, value: str) -> None:
        """Parse one typed field into the post, or show why it cannot be."""
        if name not in _TYPED:
            return
        try:
            self.post = set_field(self.store, self.post, name, value, now=self.now,
                                  tz=self.settings.tz)  # fmt: skip
        except ModelError as e:
            self._show_error(name, e.problem)
        else:
            self._show_error(name, "")
        self._show_hint(name)
        if name == "channels":
            self._sync_variants()
        self._check_status()
        self.query_one("#counts", ChannelCounts).show(self.post)
        if name in ("title", "body"):
            self._show_wording()

    @on(Select.Changed, "#status")
    def _status_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, Status):
            self.post = replace(self.post, status=event.value)
            self._check_status()

    def _check_status(self) -> None:
        """A new status must be one the rules allow from the original one, given the edits."""
        if self.post.status is self.original.status:
            self._show_error("status", "")
            return
        try:
            check_transition(replace(self.post, status=self.original.status), self.post.status)
        except TransitionError as e:
            self._show_error("status", str(e))
        else:
            self._show_error("status", "")

    @on(Select.Changed, "#variant-channel")
    def _variant_chosen(self, event: Select.Changed) -> None:
        chosen = event.value if isinstance(event.value, str) else None
        self.query_one("#field-variant").display = chosen is not None
        self.query_one("#variant", TextArea).load_text(self.post.variants.get(chosen or "", ""))

    @on(TextArea.Changed, "#variant")
    def _variant_changed(self, event: TextArea.Changed) -> None:
        chosen = self.query_one("#variant-channel", Select).value
        if not isinstance(chosen, str):
            return
        variants = {k: v for k, v in self.post.variants.items() if k != chosen}
        if event.text_area.text.strip():
            variants[chosen] = event.text_area.text
        self.post = replace(self.post, variants=variants)
        self.query_one("#counts", ChannelCounts).show(self.post)
        self._show_wording()

    # --- sensitive content ------------------------------------------------------------

    def _show_wording(self) -> None:
        """The note under the text (terms, tone, flags suggested) and the flags line."""
        post = self.post
        tone = self.wording.glossary.tone(post.body)
        self.query_one("#wording", WordingNote).show(
            post_terms(post, self.wording.glossary), tone, suggested(post, self.wording))
        left = len(open_items(post))
        state = f" · {left} of {len(post.checklist)} open" if left else \
            " · checklist done" if post.flags else ""
        self.query_one("#review-line", Static).update(plain(
            f"{FLAG_MARK} {', '.join(post.flags)}{state} · ctrl+f" if post.flags
            else "none · ctrl+f to set"))

    @on(WordingArea.Kept)
    def _kept(self, event: WordingArea.Kept) -> None:
        """A term kept on purpose in this post: recorded with it, marked nowhere in it."""
        self.post = keep(self.post, event.key, event.reason)
        for area in self.query(WordingArea):
            area.set_terms(self.wording.glossary, frozenset(self.post.kept))
        self._show_wording()

    def action_review(self) -> None:
        """The flags and the checklist; the ticks come back into the edited post."""
        def reviewed(post: Post | None) -> None:
            if post is not None:
                self.post = post
                self._check_status()
                self._show_wording()

        self.app.push_screen(ReviewScreen(self.post, self.wording, self.settings,
                                          self._now), reviewed)

    def _now(self) -> datetime:
        """The app's clock (a test's fixed one), for the time of a tick."""
        now: Callable[[], datetime] = getattr(self.app, "now", utcnow)
        return now()

    def _sync_variants(self) -> None:
        """Offer a variant for each channel of the post; a variant of a removed one is an error."""
        select = self.query_one("#variant-channel", Select)
        known = channels.networks()
        options = [(f"{known[c].name}{' ✎' if c in self.post.variants else ''}", c)
                   for c in self.post.channels]  # fmt: skip
        chosen = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if chosen in self.post.channels:
                select.value = chosen
        if select.value != chosen:
            self.query_one("#variant", TextArea).load_text("")
        self.query_one("#field-variant").display = isinstance(select.value, str)
        orphans = sorted(set(self.post.variants) - set(self.post.channels))
        self._show_error("variants", f"a variant is written for {', '.join(orphans)}, which is "
                         "not a channel of the post any more: add it back or empty the variant"
                         if orphans else "")  # fmt: skip

    # --- feedback ---------------------------------------------------------------------

    def _show_error(self, name: str, problem: str) -> None:
        if problem:
            self.errors[name] = problem
        else:
            self.errors.pop(name, None)
        error = self.query_one(f"#error-{name}", Static)
        error.update(plain(f"⚠ {problem}" if problem else ""))
        error.display = bool(problem)
        self.query_one(f"#field-{name}").set_class(bool(problem), "-invalid")

    def _show_hint(self, name: str) -> None:
        """What a typed field was read as: a date in local time, names for keys."""
        post = self.post
        match name:
            case "on":
                hint = local_when(post.scheduled, self.settings) if post.scheduled else ""
            case "channels":
                hint = ", ".join(channels.networks()[c].name for c in post.channels)
            case "objectives" | "themes":
                cats = self.store.objectives() if name == "objectives" else self.store.themes()
                hint = names_of(getattr(post, name), cats)
            case "event":
                event = None if post.event is None else self.store.get_event(post.event)
                hint = f"{event.title} · {local_when(event.start, self.settings)}" if event else ""
            case _:
                return
        if name in self.errors:  # the last valid value is not what the field says any more
            hint = "not read: see below"
        self.query_one(f"#hint-{name}", Static).update(plain(f"→ {hint or 'none'}"))

    # --- closing ----------------------------------------------------------------------

    @property
    def changed(self) -> bool:
        """Whether closing now would lose something the user typed (marks put in place of
        control characters are not something typed)."""
        return self.post != as_shown(self.original) or bool(self.errors)

    def action_save(self) -> None:
        """Dismiss with the edited post if every field is right; else go to the first error."""
        # ctrl+s is a priority key: typed text whose Changed message is still queued (a
        # fast typist, a paste, a terminal sending a burst) is read from the fields here
        typed = [(f.id, f.value) for f in self.query(Input)]
        typed += [(a.id, a.text) for a in self.query(TextArea)]
        for name, value in typed:
            if name in _TYPED:
                self._apply(name, value)
        if not self.errors:
            try:
                self.store.check_post(self.post)
            except ModelError as e:
                self._show_error(e.field if e.field in _FIELDS else "title", e.problem)
        if self.errors:
            first = next(name for name in _FIELDS if name in self.errors)
            self.query_one(f"#field-{first}").query_one("Input, TextArea, Select").focus()
            count = len(self.errors)
            self.notify(f"Not saved: {count} field{'s' if count > 1 else ''} to fix, marked ⚠",
                        severity="warning")  # fmt: skip
            return
        self.dismiss(self.post)

    def action_cancel(self) -> None:
        """Close without the edits; ask first when there are some."""
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard changes?", verb="Discard"), answered)
