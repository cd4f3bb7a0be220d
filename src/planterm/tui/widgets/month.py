"""The month view: a grid of day cells with their counts and first titles."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from planterm.agenda import Occurrence
from planterm.dates import weekday_abbr
from planterm.readiness import WARN_MARK
from planterm.tui.widgets.cells import Grid, cell, join_columns, split_width
from planterm.tui.widgets.marks import EVENT_MARK, TODAY_MARK
from planterm.tui.widgets.period_view import PeriodView
from planterm.tui.widgets.shown import Entry, Shown

GAP = 1
"""Blank cells between two day cells."""


class MonthView(PeriodView):
    """Whole weeks of the month, seven cells a row; the selected day in reverse video, and
    in it the selected event or post once j/k walk into the day."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "month--weekday", "month--day", "month--today", "month--selected-day",
        "month--other", "month--title", "month--event", "month--selected",
    }  # fmt: skip

    PREFIX = "month"

    def draw(self) -> Text | Grid:
        """Draw the month to the widget's size."""
        shown = self.shown
        if shown is None:
            return Text("")
        widths = split_width(self.size.width, 7, GAP)
        return join_columns(self._columns(shown, widths), widths, self.size.height, GAP,
                            self.drawn)

    def warm(self, shown: Shown) -> None:
        """Make the cells of a month read ahead now (``cell`` keeps them), while the user
        looks at this one: ``]`` then draws it from them (a third of its time)."""
        self._columns(shown, split_width(self.size.width, 7, GAP))

    def _columns(self, shown: Shown, widths: list[int]) -> list[list[Text]]:
        """The month's columns of lines, a weekday each."""
        weeks = len(shown.days) // 7
        row_height = max((self.size.height - 1) // max(weeks, 1), 1)
        columns: list[list[Text]] = []
        for col, cell_width in enumerate(widths):
            weekday = weekday_abbr(shown.days[col], shown.settings.locale)
            lines = [cell(weekday, cell_width, self.style_of("weekday"))]
            for row in range(weeks):
                lines += self._cell(shown, row * 7 + col, cell_width, row_height)
            columns.append(lines)
        return columns

    def _cell(self, shown: Shown, index: int, width: int, height: int) -> list[Text]:
        """A day: its number (• today), event mark and post count, then its titles, scrolled
        to the selected one."""
        day = shown.days[index]
        entries = shown.entries(day)
        events = sum(isinstance(e, Occurrence) for e in entries)
        posts = len(entries) - events
        mark = TODAY_MARK if day == shown.today else " "
        counts = (f"{EVENT_MARK}{events} " if events else "") + (f"{posts}" if posts else "")
        head = f"{mark}{day.day:<2} {counts:>{max(width - 4, 0)}}"
        if day == shown.day:
            style = "selected-day"
        elif day.month != shown.month:
            style = "other"
        else:
            style = "today" if day == shown.today else "day"
        lines = [cell(head, width, self.style_of(style))]
        room = height - 1
        at = next((i for i, e in enumerate(entries) if shown.is_selected(e)), 0)
        start, stop = 0, len(entries)
        if len(entries) > room > 0:  # the last line says how many are not shown
            keep = max(room - 1, 1)
            start = min(max(at - keep + 1, 0), len(entries) - keep)
            stop = start + keep
        lines += [self._title(shown, e, width) for e in entries[start:stop]][:room]
        hidden = len(entries) - (stop - start)
        if hidden and len(lines) <= room:
            lines.append(cell(f"+{hidden} more", width, self.style_of("title")))
        return lines + [cell("", width)] * (height - len(lines))

    def _title(self, shown: Shown, entry: Entry, width: int) -> Text:
        """One line of a day: ``◆ title`` for an event, ``✎ ⚠ title`` for a post."""
        selected = shown.is_selected(entry)
        if isinstance(entry, Occurrence):
            text, kind = f"{EVENT_MARK} {entry.event.title}", "event"
        else:
            warn = f"{WARN_MARK} " if shown.problems(entry) else ""
            signs = shown.marks(entry)
            text, kind = f"{entry.status.symbol} {warn}{signs + ' ' if signs else ''}" \
                         f"{entry.title}", "title"
        return cell(text, width, self.style_of("selected" if selected else kind))
