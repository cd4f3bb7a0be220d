"""Stored text made inert: every character that could act on a terminal becomes a mark."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planterm.agenda import post_line, render
from planterm.config import Settings
from planterm.model import Event, Post
from planterm.text import inert

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
DANGEROUS = frozenset(
    [chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0xD800, 0xE000)] + list(BIDI))
"""What must never reach the terminal from stored text (a one-line view)."""
MULTILINE_KEPT = frozenset("\n\t")
ANY_TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(sorted(DANGEROUS))))
"""Any text, the dangerous characters (surrogates too) drawn often."""


@pytest.mark.parametrize(("text", "one_line", "multiline"), [
    ("\x00", "␀", "␀"),
    ("\x07", "␇", "␇"),
    ("\x1b", "␛", "␛"),
    ("\x1f", "␟", "␟"),
    ("\r", "␍", "␍"),
    ("\n", "␤", "\n"),
    ("\t", " ", "\t"),
    ("\x7f", "␡", "␡"),
    ("\x80", "�", "�"),
    ("\x9b", "�", "�"),
    ("\x9f", "�", "�"),
    ("\ud800", "�", "�"),
    ("\udfff", "�", "�"),
    *((c, "⇆", "⇆") for c in BIDI),
    ("\x1b]0;PWNED\x07", "␛]0;PWNED␇", "␛]0;PWNED␇"),
    ("\x1b]52;c;SGVsbG8=\x07", "␛]52;c;SGVsbG8=␇", "␛]52;c;SGVsbG8=␇"),
    ("a\r\nb", "a␍␤b", "a␍\nb"),
    ("Vernissage [bold]é 𓀀 日本 ½\u200f", "Vernissage [bold]é 𓀀 日本 ½\u200f",
     "Vernissage [bold]é 𓀀 日本 ½\u200f"),
    ("", "", ""),
])  # fmt: skip
def test_each_kind_of_character_has_its_mark(text: str, one_line: str, multiline: str) -> None:
    assert inert(text) == one_line
    assert inert(text, multiline=True) == multiline


@given(ANY_TEXT)
def test_nothing_dangerous_comes_out(text: str) -> None:
    assert not DANGEROUS & set(inert(text))
    assert not (DANGEROUS - MULTILINE_KEPT) & set(inert(text, multiline=True))


@given(st.text(alphabet=st.characters(exclude_characters=DANGEROUS)))
def test_printable_text_is_unchanged(text: str) -> None:
    assert inert(text) == text
    assert inert(text, multiline=True) == text


@given(ANY_TEXT)
def test_one_mark_per_character_and_marks_stay_marks(text: str) -> None:
    once = inert(text)
    assert len(once) == len(text)
    assert inert(once) == once
    lines = inert(text, multiline=True)
    assert len(lines) == len(text)
    assert lines.count("\n") == text.count("\n")


def test_the_agenda_lines_are_inert() -> None:
    tz = ZoneInfo("Europe/Paris")
    settings = Settings(timezone="Europe/Paris")
    at = datetime(2026, 11, 25, 9, 0, tzinfo=tz)
    post = Post(title="T \x1b]0;PWNED\x07 a\rb\nc \u202e", channels=["instagram"],
                scheduled=at, id=1)
    event = Event(title="E \x1b[2J", start=at, place="P \x1b]52;c;SGVsbG8=\x07", id=1)
    line = post_line(post, settings)
    assert line.endswith("T ␛]0;PWNED␇ a␍b␤c ⇆")
    text = render("week \x9b", [post], [event], at, at + timedelta(days=1), settings)
    lines = text.split("\n")
    assert lines[0] == "week �"
    assert len(lines) == 5  # heading, blank, day, event, post: the title's \n is a mark
    assert "E ␛[2J" in lines[3] and "P ␛]52;c;SGVsbG8=␇" in lines[3]
    assert "T ␛]0;PWNED␇ a␍b␤c ⇆" in lines[4]
    assert not (DANGEROUS - {"\n"}) & set(text)
