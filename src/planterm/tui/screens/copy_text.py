"""Copy a post's text out (y): the text for one channel, to the clipboard and on screen.

Textual copies with OSC 52, which reaches the clipboard of the terminal the user sits
at, across SSH, where that terminal allows it; nothing tells whether it did. So the
text is also shown, read-only, to be selected with the terminal's own selection.
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

from planterm import channels
from planterm.model import Post
from planterm.readiness import WARN_MARK, outgoing_text
from planterm.text import inert
from planterm.tui.widgets.inert_text_area import InertTextArea
from planterm.tui.widgets.plain import plain


def channel_name(channel: str) -> str:
    """``Instagram`` for ``instagram``; the text of a post without a channel is its body."""
    known = channels.networks()
    if not channel:
        return "its text"
    return known[channel].name if channel in known else channel


def has_text(post: Post) -> bool:
    """Whether any channel of the post (or its body, without one) has text to copy."""
    return any(outgoing_text(post, c).strip() for c in post.channels or [""])


def _choice(post: Post, channel: str) -> Content:
    """``Instagram  212/2200``, and ``⚠ 54 over`` past the limit."""
    text = outgoing_text(post, channel)
    label = channel_name(channel)
    if channel not in channels.networks():
        return Content(inert(f"{label}  {len(text)} characters"))
    fit = channels.fit(text, channel)
    over = f"  {WARN_MARK} {fit.count - fit.limit} over" if fit.count > fit.limit else ""
    return Content(inert(f"{label}  {fit.count}/{fit.limit}{over}"))


class CopyScreen(ModalScreen[None]):
    """The text of a post for a channel: copied with Enter (at once for a single channel)
    and shown, read-only, so that it can be selected by hand too."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", id="copy.back", tooltip="Back to the calendar"),
        Binding("j", "move('down')", "Down", id="copy.down", tooltip="Next channel"),
        Binding("k", "move('up')", "Up", id="copy.up", tooltip="Previous channel"),
    ]

    def __init__(self, post: Post) -> None:
        super().__init__()
        self.post = post
        self.channels = post.channels or [""]
        self.copied = ""
        """The name of the channel whose text was copied last."""

    def compose(self) -> ComposeResult:
        with Vertical(id="copy-box", classes="dialog"):
            yield Static(plain(f"Copy the text of '{self.post.title}'"), classes="title")
            if len(self.channels) > 1:
                yield OptionList(*(Option(_choice(self.post, c)) for c in self.channels),
                                 id="copy-channels", compact=True)
            yield Static(id="copy-said")
            yield InertTextArea(id="copy-text", read_only=True, soft_wrap=True, compact=True,
                                show_line_numbers=False)
            yield Static("Not in your clipboard? Your terminal may not take OSC 52: select "
                         "the text above with the mouse (shift+drag in most terminals). "
                         "Escape: back", classes="hint")

    def on_mount(self) -> None:
        """One channel is copied at once; several are offered, the first highlighted."""
        if len(self.channels) == 1:
            self.copy(self.channels[0])
            self.query_one(InertTextArea).focus()
        else:
            self.show(self.channels[0], "Enter copies the highlighted channel's text (j/k)")
            self.query_one(OptionList).focus()

    def show(self, channel: str, said: str) -> None:
        """Show the text of ``channel`` and a line about it."""
        self.query_one(InertTextArea).load_text(outgoing_text(self.post, channel))
        self.query_one("#copy-said", Static).update(plain(said))

    def copy(self, channel: str) -> None:
        """Copy the text of ``channel`` to the clipboard (OSC 52) and say so."""
        text = outgoing_text(self.post, channel)
        self.app.copy_to_clipboard(text)
        self.copied = channel_name(channel)
        self.show(channel, f"✓ {self.copied}: {len(text)} characters copied to the clipboard "
                           "(OSC 52)")

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        channel = self.channels[event.option_index]
        self.show(channel, f"{channel_name(channel)}: Enter copies it")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.copy(self.channels[event.option_index])

    def action_move(self, direction: str) -> None:
        """j/k move in the list of channels as the arrows do."""
        for choices in self.query(OptionList):
            if direction == "down":
                choices.action_cursor_down()
            else:
                choices.action_cursor_up()

    def action_back(self) -> None:
        """Back to the calendar, saying what was copied (the message line keeps it)."""
        self.dismiss(None)
        if self.copied:
            self.app.notify(f"{self.copied} text of '{self.post.title}' copied with OSC 52 "
                            "(y shows it again)")
