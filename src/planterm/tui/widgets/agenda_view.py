"""The agenda view: the period as a list, one line per event or post, for triage."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text

from planterm.agenda import Occurrence, post_line
from planterm.dates import weekday_abbr
from planterm.tui.widgets.cells import Grid, cell, scroll
from planterm.tui.widgets.marks import EVENT_MARK, TODAY_MARK
from planterm.tui.widgets.period_view import PeriodView
from planterm.tui.widgets.shown import Entry, Shown, hhmm


class AgendaView(PeriodView):
    """Each day of the period with its events and posts, then the posts without a date."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "agenda--day", "agenda--today", "agenda--event", "agenda--post", "agenda--selected",
        "agenda--muted", "agenda--more",
    }  # fmt: skip

    PREFIX = "agenda"

    def draw(self) -> Text | Grid:
        """Draw the list to the widget's size, scrolled to the selection."""
        shown = self.shown
        if shown is None:
            return Text("")
        width, height = self.size
        lines: list[Text] = []
        selected: tuple[int, int] | None = None
        sections: list[tuple[date | None, list[Entry]]] = [
            (day, shown.entries(day)) for day in shown.days]
        if shown.unscheduled:
            sections.append((None, list(shown.unscheduled)))
        for day, entries in sections:
            lines.append(self._heading(shown, day, width))
            for entry in entries:
                if shown.is_selected(entry):
                    selected = (len(lines), len(lines) + 1)
                lines.append(self._line(shown, entry, width))
        return Grid([[line] for line in scroll(lines, selected, height, width,
                                                self.style_of("more"))], self.drawn)

    def _heading(self, shown: Shown, day: date | None, width: int) -> Text:
        if day is None:
            count = len(shown.unscheduled)
            return cell(f"undated  ({count})", width, self.style_of("day"))
        mark = f"{TODAY_MARK} " if day == shown.today else ""
        count = len(shown.day_posts(day))
        text = f"{mark}{weekday_abbr(day, shown.settings.locale)} {day:%d/%m/%Y}  ({count})"
        return cell(text, width, self.style_of("today" if day == shown.today else "day"))

    def _line(self, shown: Shown, entry: Entry, width: int) -> Text:
        if isinstance(entry, Occurrence):
            text = f"  {hhmm(entry.start, shown.settings)}  {EVENT_MARK} {entry.event.title}"
            return cell(text, width, self.style_of(shown.event_style(entry)))
        line = post_line(entry, shown.settings, with_day=False, found=shown.problems(entry),
                         signs=shown.marks(entry))
        text = f"  {line}"
        return cell(text, width, self.style_of(shown.post_style(entry)))
