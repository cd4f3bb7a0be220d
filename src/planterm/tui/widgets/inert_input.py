"""A one-line text field whose value can never act on the terminal."""

from __future__ import annotations

from textual.widgets import Input

from planterm.text import inert


class InertInput(Input):
    """An Input whose value is always ``inert``, whether loaded, typed or pasted.

    Textual draws an Input's value as it is, and Rich takes out only BEL, BS, VT, FF
    and CR: an ESC in a loaded title or in pasted text would reach the terminal.
    ``inert`` puts one mark for one character, so the cursor stays where it was put.
    """

    def validate_value(self, value: str) -> str:
        """Every new value passes here first (Textual's validator of the reactive)."""
        return inert(value)
