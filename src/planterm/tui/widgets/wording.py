"""The glossary in a text box: its terms marked in the text, a note saying why and what
to write instead, one key to put an alternative in a term's place and one to keep it on
purpose. Shared by the post editor and live mode, so the keys are written once.

The marks are TextArea highlights: Textual 8.2.8 highlights syntax through
``_build_highlight_map``, which runs after every edit and fills ``_highlights`` (byte
ranges per line, styled from the theme's ``syntax_styles``). Overriding it to add the
glossary's ranges marks the terms where they are typed, with no copy of the text; the
mark is underlined and bold, so it never rests on colour (Textual is pinned, and a
Pilot test and snapshots check the marks are drawn).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.widgets.text_area import TextAreaTheme

from planterm.glossary import Glossary, Match, Tone
from planterm.sensitive import TERMS_MARK, Found
from planterm.text import inert
from planterm.tui.widgets.inert_input import InertInput
from planterm.tui.widgets.inert_text_area import InertTextArea
from planterm.tui.widgets.plain import plain

TERM_STYLE = "planterm.term"
"""The highlight name of a term; the theme styles it."""
_THEME = TextAreaTheme(name="planterm", syntax_styles={
    TERM_STYLE: Style(bold=True, underline=True)})


class WordingArea(InertTextArea):
    """A text box that marks the glossary's terms; ctrl+l puts an alternative in the place
    of the term under the cursor (or the next one), ctrl+b keeps it on purpose."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "alternative", "Alternative", id="wording.alternative",
                tooltip="Replace the marked term under the cursor (or the next one) with "
                        "one of its alternatives"),
        Binding("ctrl+b", "keep", "Keep term", id="wording.keep",
                tooltip="Keep the marked term under the cursor (or the next one) on "
                        "purpose in this post, with a reason if you like"),
    ]

    class Kept(Message):
        """A term was kept on purpose, for this reason (maybe empty)."""

        def __init__(self, key: str, reason: str) -> None:
            super().__init__()
            self.key = key
            self.reason = reason

    glossary: Glossary | None = None
    """The terms to mark; None marks nothing."""
    kept: frozenset[str] = frozenset()
    """The keys of the terms kept on purpose: not marked."""

    def __init__(self, text: str = "", *, glossary: Glossary | None = None,
                 kept: frozenset[str] = frozenset(), **options: Any) -> None:
        super().__init__(text, **options)
        self.register_theme(_THEME)
        self.theme = _THEME.name
        self.set_terms(glossary, kept)

    def set_terms(self, glossary: Glossary | None, kept: frozenset[str]) -> None:
        """Mark ``glossary``'s terms, but those kept on purpose."""
        self.glossary, self.kept = glossary, kept
        self._build_highlight_map()
        self.refresh()

    def matches(self) -> list[Match]:
        """The terms in the text, in order, without those kept on purpose."""
        if self.glossary is None:
            return []
        return [m for m in self.glossary.find(self.text) if m.term.key not in self.kept]

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        document = self.document
        for m in self.matches():
            row, start = document.get_location_from_index(m.start)  # type: ignore[attr-defined]
            end_row, end = document.get_location_from_index(m.end)  # type: ignore[attr-defined]
            line = document.get_line(row)
            if end_row != row:  # a term over a line break: marked to the line's end
                end = len(line)
            self._highlights[row].append(
                (len(line[:start].encode()), len(line[:end].encode()), TERM_STYLE))

    def match_here(self) -> Match | None:
        """The term under the cursor, else the next one, else the first."""
        found = self.matches()
        if not found:
            return None
        at = self.document.get_index_from_location(  # type: ignore[attr-defined]
            self.cursor_location)
        return next((m for m in found if m.end >= at), found[0])

    def action_alternative(self) -> None:
        """Offer the term's alternatives; the one chosen takes its place."""
        match = self.match_here()
        if match is None:
            self.notify("no term of the glossary here", timeout=3)
            return
        if not match.alternatives():
            self.notify(inert(f"«{match.text}»: {match.term.advice or match.term.why}"),
                        timeout=6)
            return
        document = self.document
        where = (document.get_location_from_index(match.start),  # type: ignore[attr-defined]
                 document.get_location_from_index(match.end))  # type: ignore[attr-defined]

        def chosen(alternative: str | None) -> None:
            if alternative:
                self.replace(alternative, *where)
                self.focus()

        self.app.push_screen(AlternativePicker(match), chosen)

    def action_keep(self) -> None:
        """Ask why (optional) and keep the term on purpose in this post."""
        match = self.match_here()
        if match is None:
            self.notify("no term of the glossary here", timeout=3)
            return

        def answered(reason: str | None) -> None:
            if reason is not None:
                self.set_terms(self.glossary, self.kept | {match.term.key})
                self.post_message(self.Kept(match.term.key, reason))
                self.focus()

        self.app.push_screen(KeepPrompt(match), answered)


class AlternativePicker(ModalScreen[str | None]):
    """The alternatives of one term, in its form: Enter or a digit chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Back", id="alternative.back",
                tooltip="Leave the term as it is"),
    ]

    def __init__(self, match: Match) -> None:
        super().__init__()
        self.match = match
        self.choices = match.alternatives()

    def compose(self) -> ComposeResult:
        with Vertical(id="alternatives", classes="dialog"):
            yield Static(plain(f"Instead of «{self.match.text}»"), classes="title")
            yield Static(plain(self.match.term.why), classes="hint")
            yield OptionList(*(Option(plain(f"{n}  {alt}")) for n, alt
                               in enumerate(self.choices, 1)), id="alternative-list")
            yield Static("Enter or 1-9 choose · Escape back", classes="hint")

    def on_key(self, event: Any) -> None:
        """A digit chooses at once: the replacement is two keys, ctrl+l and a digit."""
        if event.key.isdigit() and 1 <= int(event.key) <= len(self.choices):
            event.stop()
            self.dismiss(self.choices[int(event.key) - 1])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])

    def action_dismiss_none(self) -> None:
        """Leave the term as it is."""
        self.dismiss(None)


class KeepPrompt(ModalScreen[str | None]):
    """Why a term is kept on purpose (optional): Enter keeps it, Escape does not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Back", id="keep.back",
                tooltip="Do not keep the term"),
    ]

    def __init__(self, match: Match) -> None:
        super().__init__()
        self.match = match

    def compose(self) -> ComposeResult:
        with Vertical(id="keep-term", classes="dialog"):
            yield Static(plain(f"Keep «{self.match.text}» on purpose in this post"),
                         classes="title")
            yield InertInput(placeholder="why (optional): a quotation, a title, the name "
                                         "a community uses…", id="keep-reason", compact=True)
            yield Static("Enter keep · Escape back", classes="hint")

    @on(Input.Submitted)
    def _kept(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_dismiss_none(self) -> None:
        """Do not keep the term."""
        self.dismiss(None)


def tone_text(tone: Tone) -> str:
    """``tone: 1 of 3 sentences ask (33%) · absolute: toujours``; information, no score."""
    said = f"tone: {tone.questions} of {tone.sentences} sentence" \
           f"{'s' if tone.sentences != 1 else ''} ask ({tone.question_share:.0f}%)"
    if tone.absolutes:
        said += f" · absolute: {', '.join(tone.absolutes)}"
    return said


def note_lines(found: list[Found], tone: Tone, suggested: list[str], *,
               short: bool = False) -> list[str]:
    """What the wording note says: each term with why and alternatives (``short``: terms
    and first alternatives on one line), the tone, the flags suggested."""
    if short:
        terms = " · ".join(f"{TERMS_MARK}{f.match.text} → "
                           f"{(f.match.alternatives() or ['?'])[0]}" for f in found)
        return [" · ".join(p for p in (terms, tone_text(tone)) if p)]
    lines = []
    for f in found:
        instead = " · ".join(f.match.alternatives()) or f.match.term.advice
        where = "" if f.field == "body" else f" ({f.field})"
        lines.append(f"{TERMS_MARK} {f.match.text}{where}: {f.match.term.why} → {instead}")
    if found:
        lines.append("ctrl+l an alternative · ctrl+b keep it on purpose")
    lines.append(tone_text(tone))
    if suggested:
        lines.append(f"suggested flags (not set): {', '.join(suggested)} · ctrl+f flags")
    return lines


class WordingNote(Static):
    """The note beside (or under) a text box: its terms, its tone, the flags suggested."""

    def show(self, found: list[Found], tone: Tone, suggested: list[str], *,
             short: bool = False) -> None:
        """Say what the text holds now (stored text made inert)."""
        self.update(Content("\n").join(
            Content(inert(line)) for line in note_lines(found, tone, suggested, short=short)))
