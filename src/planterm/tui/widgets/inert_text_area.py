"""A text area whose text can never act on the terminal."""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult

from planterm.text import inert


class InertTextArea(TextArea):
    """A TextArea whose text is always ``inert`` (line breaks and tabs kept).

    Textual draws each line as it is, with only BEL, BS, VT, FF and CR taken out: an
    ESC in a loaded body or in pasted text would reach the terminal. Text comes in
    three ways, each made inert here: the first text, ``load_text``, and every edit
    (typing, pasting, the API's insert and replace all go through ``edit``).
    """

    def __init__(self, text: str = "", **options: Any) -> None:
        super().__init__(inert(text, multiline=True), **options)

    def load_text(self, text: str) -> None:
        """Replace the whole text, made inert."""
        super().load_text(inert(text, multiline=True))

    def edit(self, edit: Edit) -> EditResult:
        """Apply one edit with its new text made inert."""
        edit.text = inert(edit.text, multiline=True)
        return super().edit(edit)
