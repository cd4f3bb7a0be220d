"""Quick add: one typed line becomes a post, shown as a preview before it is handed back.

Enter on the line parses it (``edits.parse_quick_add``) and shows the preview; Enter again
dismisses with the new, unsaved post (the app saves it). Editing the line or Escape goes
back to the line; Escape on the line closes without a post.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from planterm import channels
from planterm.config import Settings
from planterm.edits import parse_quick_add
from planterm.model import ModelError, Post
from planterm.store import Store
from planterm.text import inert
from planterm.tui.screens.editor import local_when, names_of
from planterm.tui.widgets.inert_input import InertInput
from planterm.tui.widgets.plain import plain

SYNTAX = ("[b]date[/b] [b]@[/b]channel [b]+[/b]theme [b]![/b]objective [b]^[/b]event "
          "[b]title[/b] · after [b]--[/b] all is title")
"""The shape of a line, shown under it."""


class QuickAddScreen(ModalScreen[Post | None]):
    """One line parsed into a new post, previewed, then handed back unsaved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="quick_add.back",
                tooltip="From the preview, back to the line; from the line, close"),
    ]  # fmt: skip

    def __init__(self, store: Store, settings: Settings, now: datetime,
                 when: datetime | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.now = now
        self.when = when
        """Where a line without a date lands (the calendar's selected day), if anywhere."""
        self.landed = False
        """Whether the post previewed took ``when``, its line having no date."""
        self.parsed: Post | None = None
        """The post shown in the preview; None while the line is being typed."""

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-frame") as frame:
            frame.border_title = "Quick add"
            yield InertInput(
                placeholder="ven 10h @ig @fb +prehistoire !visites Teaser du vernissage",
                id="quick-line")  # fmt: skip
            yield Static(id="quick-error", classes="-error")
            yield Static(Content.from_markup(SYNTAX), id="quick-syntax")
            preview = Static(id="quick-preview")
            preview.border_title = "Preview"
            yield preview
            yield Static(id="quick-keys")

    def on_mount(self) -> None:
        """Start on the line."""
        self._show(None, "")
        self.query_one("#quick-line").focus()

    @on(Input.Submitted, "#quick-line")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if self.parsed is not None:
            self.dismiss(self.parsed)
            return
        try:
            post = parse_quick_add(
                event.value, self.store, now=self.now, tz=self.settings.tz,
                default_channels=self.settings.channels,
            )  # fmt: skip
        except ModelError as e:
            self._show(None, f"⚠ {e.field}: {e.problem}")
        else:
            self.landed = post.scheduled is None and self.when is not None
            self._show(replace(post, scheduled=self.when) if self.landed else post, "")

    @on(Input.Changed, "#quick-line")
    def _typed(self) -> None:
        if self.parsed is not None or self.query_one("#quick-error", Static).display:
            self._show(None, "")

    def action_back(self) -> None:
        """Leave the preview for the line, or close from the line."""
        if self.parsed is None:
            self.dismiss(None)
        else:
            self._show(None, "")

    def _show(self, post: Post | None, error: str) -> None:
        """Show the line's state: typing, refused with an error, or previewed."""
        self.parsed = post
        self.set_class(post is not None, "-preview")
        message = self.query_one("#quick-error", Static)
        message.update(plain(error))
        message.display = bool(error)
        preview = self.query_one("#quick-preview", Static)
        preview.display = post is not None
        if post is not None:
            preview.update(self._preview(post))
        self.query_one("#quick-keys", Static).update(
            "Enter add this post · Esc back to the line" if post else
            "Enter preview · Esc close"
        )  # fmt: skip

    def _preview(self, post: Post) -> Content:
        """The parsed post, one labelled line per field (values inert, never markup)."""
        known = channels.networks()
        when = local_when(post.scheduled, self.settings) if post.scheduled else "no date"
        if self.landed:
            when += " (no date typed: the selected day's next free half hour)"
        event = self.store.get_event(post.event) if post.event is not None else None
        rows = (
            ("Title", post.title),
            ("When", when),
            ("Event", f"{event.id} {event.title}" if event else "—"),
            ("Channels", ", ".join(known[c].name for c in post.channels)),
            ("Themes", names_of(post.themes, self.store.themes()) or "—"),
            ("Objectives", names_of(post.objectives, self.store.objectives()) or "—"),
            ("Status", f"{post.status.symbol} {post.status.value}"),
        )
        return Content("\n").join(
            Content.assemble((f"{label:<11}", "$text-muted"), inert(value))
            for label, value in rows
        )
