"""The triage keys on a selected post (s S < > D d e y), written once for every view that
can say which post is selected: the calendar, a matrix cell's list of posts.

A host lists ``TRIAGE_BINDINGS`` in its own ``BINDINGS`` (where its footer and help want
them: Textual merges only the bindings of DOM classes, and the help screen reads a
node's own list) and inherits ``TriageKeys`` for the actions. Each binding has one id
(``post.next_status``) wherever it is, so one ``[keymap]`` entry rebinds it everywhere.
Every change goes to the app as a ``WriteRequested``, so it is undoable from any pane.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.widget import Widget

from planterm.config import Settings
from planterm.model import Post, TransitionError
from planterm.store import Store
from planterm.triage import TriageError, duplicate, shift_days, step_status
from planterm.tui.messages import WriteRequested
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.detail import PostDetail


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """A triage binding; its id is ``post.<id>`` (the key of the [keymap] setting)."""
    return Binding(keys, action, description, show=show, id=f"post.{id}", tooltip=tooltip)


TRIAGE_BINDINGS: list[BindingType] = [
    _b("s", "status(1)", "Status+", "next_status", "Advance the post's status", show=True),
    _b("S", "status(-1)", "Status-", "previous_status",
       "Status back; published → scheduled moves the link to the notes"),
    _b("less_than_sign", "move(-1)", "-1 day", "earlier", "Move the post a day earlier"),
    _b("greater_than_sign", "move(1)", "+1 day", "later", "Move the post a day later"),
    _b("D", "duplicate", "Duplicate", "duplicate", "Copy the post as a new draft"),
    _b("d", "delete", "Delete", "delete", "Delete the post (asks first; u undoes)", show=True),
    _b("e", "edit", "Edit", "edit", "Edit the post in the editor", show=True),
    _b("y", "copy", "Copy", "copy",
       "Copy the post's text for a channel to the clipboard (OSC 52), and show it"),
]
"""The keys on the selected post, in the order the footer and the help list them."""

if TYPE_CHECKING:
    # The actions run on a widget or a screen (both are Widgets); typing the mixin as
    # one lets mypy check its calls without making it a DOM class of its own.
    _Host = Widget
else:
    _Host = object


class TriageKeys(_Host):
    """The actions of ``TRIAGE_BINDINGS``, on whatever ``selected_post`` returns."""

    store: Store | None
    settings: Settings
    now: Callable[[], datetime]

    def selected_post(self) -> Post | None:
        """The post the keys act on; when there is none, the host says why and returns
        None."""
        raise NotImplementedError

    def open_post(self, post: Post) -> None:
        """Show the post in full (Enter on a post, wherever it is listed)."""
        if self.store is not None:
            self.app.push_screen(PostDetail(post, self.store, self.settings))

    def action_status(self, delta: int) -> None:
        """Advance the post's status, or set it back; a refused step says why."""
        if (post := self.selected_post()) is None:
            return
        try:
            after = step_status(post, delta > 0, self.now())
        except TransitionError as e:
            self.notify(str(e), title=f"'{post.title}' stays {post.status}",
                        severity="warning")
            return
        self.post_message(WriteRequested(post, after))

    def action_move(self, delta: int) -> None:
        """Move the post by a day, keeping its local time."""
        if (post := self.selected_post()) is None:
            return
        try:
            after = shift_days(post, delta, self.settings.tz)
        except TriageError as e:
            self.notify(str(e), severity="warning")
            return
        self.post_message(WriteRequested(post, after))

    def action_duplicate(self) -> None:
        """Copy the post as a new draft."""
        if (post := self.selected_post()) is not None:
            self.post_message(WriteRequested(None, duplicate(post)))

    def action_delete(self) -> None:
        """Delete the post, once confirmed."""
        if (post := self.selected_post()) is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.post_message(WriteRequested(post, None))

        self.app.push_screen(ConfirmScreen(f"Delete '{post.title}'?", "Delete"), confirmed)

    def action_copy(self) -> None:
        """Copy the post's outgoing text for a channel (OSC 52), and show it to select."""
        if (post := self.selected_post()) is None:
            return
        from planterm.tui.screens.copy_text import CopyScreen, has_text  # loaded on use

        if not has_text(post):
            self.notify(f"'{post.title}' has no text yet: e writes it", severity="warning")
            return
        self.app.push_screen(CopyScreen(post))

    def action_edit(self) -> None:
        """Edit the post in the editor; saving it is one undoable change."""
        if (post := self.selected_post()) is None or self.store is None:
            return
        from planterm.tui.screens.editor import PostEditor  # loaded on use

        def saved(edited: Post | None) -> None:
            if edited is not None:
                self.post_message(WriteRequested(post, edited, edited=True))

        self.app.push_screen(PostEditor(self.store, self.settings, post, self.now()), saved)
