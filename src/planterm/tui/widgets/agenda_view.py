"""The agenda view: the period as a list, one line per post, for triage."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from rich.text import Text

from planterm.agenda import post_line
from planterm.dates import weekday_abbr
from planterm.model import Post
from planterm.tui.widgets.cells import Grid, cell, scroll
from planterm.tui.widgets.period_view import PeriodView
from planterm.tui.widgets.shown import Shown, hhmm


class AgendaView(PeriodView):
    """Each day of the period with its events and posts, then the unscheduled posts."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "agenda--day", "agenda--today", "agenda--event", "agenda--post", "agenda--selected",
        "agenda--muted", "agenda--more",
    }  # fmt: skip

    PREFIX = "agenda"

    def render(self) -> Text | Grid:
        """Draw the list to the widget's size, scrolled to the selected post."""
        shown = self.shown
        if shown is None:
            return Text("")
        width, height = self.size
        lines: list[Text] = []
        selected: tuple[int, int] | None = None
        sections: list[tuple[date | None, list[Post]]] = [
            (day, shown.day_posts(day)) for day in shown.days]
        if shown.unscheduled:
            sections.append((None, shown.unscheduled))
        for day, posts in sections:
            lines.append(self._heading(shown, day, width))
            # events and posts of a day, together in time order (an event first at a tie)
            entries: list[tuple[datetime, int, Text | Post]] = [
                (occ.start, 0, cell(f"  {hhmm(occ.start, shown.settings)}  ◆ {occ.event.title}",
                                    width, self.style_of("event")))
                for occ in (shown.events.get(day, []) if day else [])]
            entries += [(p.scheduled or p.created, 1, p) for p in posts]
            for _, _, entry in sorted(entries, key=lambda e: (e[0], e[1])):
                if isinstance(entry, Text):
                    lines.append(entry)
                    continue
                if entry.id == shown.post_id:
                    selected = (len(lines), len(lines) + 1)
                lines.append(self._line(shown, entry, width))
        return Grid([[line] for line in scroll(lines, selected, height, width,
                                                self.style_of("more"))])


    def _heading(self, shown: Shown, day: date | None, width: int) -> Text:
        if day is None:
            return cell("unscheduled", width, self.style_of("day"))
        mark = "• " if day == shown.today else ""
        count = len(shown.day_posts(day))
        text = f"{mark}{weekday_abbr(day, shown.settings.locale)} {day:%d/%m/%Y}  ({count})"
        return cell(text, width, self.style_of("today" if day == shown.today else "day"))

    def _line(self, shown: Shown, post: Post, width: int) -> Text:
        text = "  " + post_line(post, shown.settings, with_day=False)
        return cell(text, width, self.style_of(shown.post_style(post)))
