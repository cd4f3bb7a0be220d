"""A post's flags and review checklist: flags set by hand (the suggested ones said, never
set), items ticked and unticked, each recorded with the reviewer's name and the time.

Opened from the editor (ctrl+f), which keeps the result in the post it edits: nothing is
written until the editor saves, and the approval gate then sees the ticks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planterm.config import Settings
from planterm.model import Post
from planterm.review import DONE_MARK, checklist_lines
from planterm.sensitive import OPEN_MARK, Wording, open_items, set_flags, suggested, tick
from planterm.tui.widgets.plain import plain


class ReviewScreen(ModalScreen[Post | None]):
    """Tick a post's flags and its checklist; ctrl+s keeps, Escape leaves them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "tick", "Tick", id="review.tick",
                tooltip="Tick or untick the flag or item under the cursor (Enter too)"),
        Binding("ctrl+s", "keep", "Keep", id="review.keep", priority=True,
                tooltip="Back to the post with these flags and ticks (saved with it)"),
        Binding("escape", "dismiss_none", "Back", id="review.back",
                tooltip="Back to the post, flags and ticks as they were"),
    ]

    def __init__(self, post: Post, known: Wording, settings: Settings,
                 now: Callable[[], datetime]) -> None:
        super().__init__()
        self.post = post
        self.known = known
        self.settings = settings
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(id="review", classes="dialog"):
            yield Static(plain(f"Review: {self.post.title}"), classes="title")
            yield Static("Flags", classes="heading")
            yield OptionList(id="review-flags", compact=True)
            yield Static(id="review-state", classes="heading")
            yield OptionList(id="review-items", compact=True)
            yield Static("space or Enter tick · Tab flags ⇄ checklist · ctrl+s keep · "
                         "Escape back", classes="hint")

    def on_mount(self) -> None:
        """Show the flags and the checklist; the keyboard starts on the checklist when
        there is one."""
        self._show()
        self.query_one("#review-items" if self.post.checklist else "#review-flags").focus()

    def _show(self) -> None:
        hinted = suggested(self.post, self.known)
        _fill(self.query_one("#review-flags", OptionList), [
            (f"{DONE_MARK if key in self.post.flags else OPEN_MARK} {flag.name} ({key})"
             f"{'  · suggested' if key in hinted else ''}", key)
            for key, flag in self.known.flags.flags.items()])
        _fill(self.query_one("#review-items", OptionList),
              [(line, item) for line, item in zip(checklist_lines(self.post, self.settings),
                                                  self.post.checklist, strict=True)])
        self.query_one("#review-items").display = bool(self.post.checklist)
        left = len(open_items(self.post))
        state = "Checklist: no flag, nothing to tick" if not self.post.flags else \
            f"Checklist: {left} of {len(self.post.checklist)} open" if left else \
            "Checklist done: the post can be approved"
        self.query_one("#review-state", Static).update(state)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._toggle(event.option_list, event.option_index)

    def action_tick(self) -> None:
        """Tick or untick what is under the cursor of the focused list."""
        focused = self.focused
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            self._toggle(focused, focused.highlighted)

    def _toggle(self, options: OptionList, index: int) -> None:
        key = options.get_option_at_index(index).id
        assert key is not None
        if options.id == "review-flags":
            on = key not in self.post.flags
            ids = [k for k in self.known.flags.flags if (k == key and on) or
                   (k != key and k in self.post.flags)]
            self.post = set_flags(self.post, ids, self.known.flags)
        else:
            self.post = tick(self.post, key, not self.post.checklist[key],
                             self.settings.reviewer, self.now())
        self._show()

    def action_keep(self) -> None:
        """Back to the post with these flags and ticks."""
        self.dismiss(self.post)

    def action_dismiss_none(self) -> None:
        """Back to the post as it was."""
        self.dismiss(None)


def _fill(options: OptionList, lines: list[tuple[str, str]]) -> None:
    """Put these (text, id) options in the list, the cursor where it was."""
    highlighted = options.highlighted
    options.set_options(Option(plain(text), id=key) for text, key in lines)
    if lines:
        options.highlighted = min(highlighted or 0, len(lines) - 1)
