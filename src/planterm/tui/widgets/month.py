"""The month view: a grid of day cells with their counts and first titles."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from planterm.dates import weekday_abbr
from planterm.tui.widgets.cells import Grid, cell, join_columns, split_width
from planterm.tui.widgets.period_view import PeriodView
from planterm.tui.widgets.shown import Shown

GAP = 1
"""Blank cells between two day cells."""


class MonthView(PeriodView):
    """Whole weeks of the month, seven cells a row; the selected day in reverse video."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "month--weekday", "month--day", "month--today", "month--selected-day",
        "month--other", "month--title", "month--event",
    }  # fmt: skip

    PREFIX = "month"

    def render(self) -> Text | Grid:
        """Draw the month to the widget's size."""
        shown = self.shown
        if shown is None:
            return Text("")
        width, height = self.size
        widths = split_width(width, 7, GAP)
        weeks = len(shown.days) // 7
        row_height = max((height - 1) // max(weeks, 1), 1)
        columns: list[list[Text]] = []
        for col, cell_width in enumerate(widths):
            weekday = weekday_abbr(shown.days[col], shown.settings.locale)
            lines = [cell(weekday, cell_width, self.style_of("weekday"))]
            for row in range(weeks):
                lines += self._cell(shown, row * 7 + col, cell_width, row_height)
            columns.append(lines)
        return join_columns(columns, widths, height, GAP)


    def _cell(self, shown: Shown, index: int, width: int, height: int) -> list[Text]:
        """A day: its number (• today), event mark and post count, then the first titles."""
        day = shown.days[index]
        posts = shown.day_posts(day)
        events = shown.events.get(day, [])
        mark = "•" if day == shown.today else " "
        counts = (f"◆{len(events)} " if events else "") + (f"{len(posts)}" if posts else "")
        head = f"{mark}{day.day:<2} {counts:>{max(width - 4, 0)}}"
        if day == shown.day:
            style = "selected-day"
        elif day.month != shown.month:
            style = "other"
        else:
            style = "today" if day == shown.today else "day"
        lines = [cell(head, width, self.style_of(style))]
        titles = [(f"◆ {o.event.title}", "event") for o in events]
        titles += [(f"{p.status.symbol} {p.title}", "title") for p in posts]
        room = height - 1
        if len(titles) > room > 0:  # the last line says how many are not shown
            titles = [*titles[: room - 1], (f"+{len(titles) - room + 1} more", "title")]
        lines += [cell(text, width, self.style_of(kind)) for text, kind in titles[:room]]
        return lines + [cell("", width)] * (height - len(lines))
