"""A one-line question under a pane (filter, go to date), with its error under it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from planterm.tui.widgets.inert_input import InertInput
from planterm.tui.widgets.plain import plain


class PromptBar(Vertical):
    """An Input that asks one thing; Enter submits it, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel",
                tooltip="Close the question (a filter being typed is cleared)"),
    ]

    class Submitted(Message):
        """The user answered with Enter."""

        def __init__(self, purpose: str, value: str) -> None:
            super().__init__()
            self.purpose = purpose
            self.value = value

    class Cancelled(Message):
        """The user closed the question with Escape."""

        def __init__(self, purpose: str) -> None:
            super().__init__()
            self.purpose = purpose

    purpose = ""
    """What is being asked (``filter``, ``goto``), echoed in the messages."""

    def compose(self) -> ComposeResult:
        yield InertInput(id="prompt-input", compact=True)
        yield Static(id="prompt-error")

    def ask(self, purpose: str, placeholder: str, value: str = "") -> None:
        """Show the question and give it the keyboard."""
        self.purpose = purpose
        field = self.query_one(Input)
        field.placeholder = placeholder
        field.value = value
        self.fail("")
        self.display = True
        field.focus()

    def fail(self, message: str) -> None:
        """Say what is wrong with the answer (it may quote it), under it; the question stays
        open."""
        error = self.query_one("#prompt-error", Static)
        error.update(plain(message))
        error.display = bool(message)

    def close(self) -> None:
        """Hide the question."""
        self.display = False

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self.purpose, event.value))

    def action_cancel(self) -> None:
        """Escape: close, and tell the pane."""
        self.close()
        self.post_message(self.Cancelled(self.purpose))
