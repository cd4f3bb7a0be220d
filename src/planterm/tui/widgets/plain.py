"""Text that may quote stored text, made ready for a Static: inert, and never markup."""

from __future__ import annotations

from textual.content import Content

from planterm.text import inert


def plain(text: str) -> Content:
    """``text`` as Textual content: its controls shown as marks, its ``[brackets]`` literal
    (a ``Content`` is never parsed as markup, unlike a string given to a Static)."""
    return Content(inert(text))
