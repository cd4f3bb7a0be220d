"""Stored text made inert: what a post says can never act on the terminal that shows it.

Every place that shows stored text to a person (the command line's lines, every view of
the planner) passes it through ``inert`` first, so that an escape sequence in a title is
drawn as visible marks instead of retitling the window, clearing the screen, writing the
clipboard or turning the text around.
"""

from __future__ import annotations

import re
import unicodedata

import regex

NEWLINE_MARK = "\u2424"
"""``␤``: a line break shown inside a one-line view."""

C1_MARK = "\ufffd"
"""``�``: a C1 control (U+0080-U+009F), which has no control picture of its own."""

BIDI_MARK = "\u21c6"
"""``⇆``: a bidi embedding, override or isolate, which would reorder the text around it."""

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _marks() -> dict[str, str]:
    """Each dangerous character and the mark that stands for it."""
    marks = {chr(code): chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟
    marks["\n"], marks["\t"] = NEWLINE_MARK, " "
    marks["\x7f"] = "\u2421"  # ␡
    marks |= dict.fromkeys(map(chr, range(0x80, 0xA0)), C1_MARK)
    marks |= dict.fromkeys(map(chr, range(0xD800, 0xE000)), C1_MARK)  # lone surrogates
    marks |= dict.fromkeys(_BIDI, BIDI_MARK)
    return marks


_MARKS = _marks()
# A compiled regex per mode (the multiline one leaves line feeds and tabs alone): on the
# usual text, with nothing to mark, its search in C returns at once (about 1 µs a
# title, a tenth of what a translate table costs).
_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")


def _mark(found: re.Match[str]) -> str:
    return _MARKS[found.group()]


def inert(text: str, *, multiline: bool = False) -> str:
    """``text`` with every character that could act on a terminal replaced by a visible mark.

    One character becomes one mark, so lengths and cursor positions are kept:

    - C0 controls U+0000-U+001F: their control pictures U+2400-U+241F (ESC ``␛``,
      BEL ``␇``, CR ``␍``, NUL ``␀``...); in a one-line view a line feed is ``␤``
      and a tab a plain space (it would push the columns of a row apart);
    - DEL U+007F: ``␡``;
    - C1 controls U+0080-U+009F (0x9B is a one-byte CSI) and lone surrogates
      U+D800-U+DFFF (which no terminal encoding can write): ``�``;
    - bidi embeddings, overrides and isolates U+202A-U+202E, U+2066-U+2069: ``⇆``.

    ``multiline=True`` keeps line feeds and tabs as they are, for views that show
    text on several lines (a body, notes). Everything else is returned unchanged.
    """
    return (_MULTILINE if multiline else _ONE_LINE).sub(_mark, text)


def fold(text: str) -> str:
    """``text`` as it is compared: case and accents aside (``Musée`` and ``musee`` match)."""
    if text.isascii():
        return text.lower()
    return str(_COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold())))


_COMBINING = regex.compile(r"\P{ccc=0}+")
"""Combining marks (accents): what ``fold`` drops once the text is decomposed."""
