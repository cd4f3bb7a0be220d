"""The signs the views draw beside posts and days, and the legend that explains them.

Each sign is defined once here (or in the core, for status and problems) so that the
views and the help screen's legend cannot drift apart: meaning never rests on colour.
"""

from __future__ import annotations

from planterm.model import Status
from planterm.readiness import WARN_MARK
from planterm.sensitive import FLAG_MARK, OPEN_MARK, TERMS_MARK

EVENT_MARK = "◆"
"""Beside an event (an occurrence of it, for a recurring one)."""

TODAY_MARK = "•"
"""Before today's day in the week, month and agenda headings."""


def legend() -> list[tuple[str, str]]:
    """Every sign the calendar draws, with what it means, for the help screen."""
    return [
        *((status.symbol, status.value) for status in Status),
        (EVENT_MARK, "event (Enter shows it with its posts)"),
        (WARN_MARK, "not ready: over a channel's limit, or missing what its status needs"),
        (FLAG_MARK, "sensitive: its review checklist gates approval"),
        (OPEN_MARK, "sensitive, items of its checklist not ticked yet"),
        (TERMS_MARK, "words of the glossary to question (ctrl+l in the editor)"),
        (TODAY_MARK, "today"),
        ("(live)", "logged live during an event"),
        ("↑ ↓", "more lines above or below in a column"),
    ]
