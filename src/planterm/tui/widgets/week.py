"""The week view: seven day columns with their events and posts."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text

from planterm.agenda import channel_abbrs
from planterm.dates import weekday_abbr
from planterm.model import Post
from planterm.tui.widgets.cells import (
    Grid,
    cell,
    fit_words,
    join_columns,
    scroll,
    split_width,
)
from planterm.tui.widgets.period_view import PeriodView
from planterm.tui.widgets.shown import Shown, hhmm

GAP = 1
"""Blank cells between two day columns."""

WIDE = 24
"""From this column width on, a post's first line also carries its status word."""


def day_heading(shown: Shown, index: int) -> str:
    """``• mer 25``: weekday and day number, today marked by a sign and not only a colour."""
    day = shown.days[index]
    mark = "• " if day == shown.today else ""
    return f"{mark}{weekday_abbr(day, shown.settings.locale)} {day.day}"


class WeekView(PeriodView):
    """Seven columns, one per day; the selected post is drawn in reverse video."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "week--heading", "week--today", "week--selected-day", "week--event", "week--post",
        "week--selected", "week--muted", "week--more",
    }  # fmt: skip

    PREFIX = "week"

    def render(self) -> Text | Grid:
        """Draw the week to the widget's size."""
        shown = self.shown
        if shown is None:
            return Text("")
        width, height = self.size
        widths = split_width(width, len(shown.days), GAP)
        columns = [self._column(shown, i, w, height) for i, w in enumerate(widths)]
        return join_columns(columns, widths, height, GAP)


    def _column(self, shown: Shown, index: int, width: int, height: int) -> list[Text]:
        day = shown.days[index]
        heading = "heading"
        if day == shown.day:
            heading = "selected-day"
        elif day == shown.today:
            heading = "today"
        lines: list[Text] = []
        for occ in shown.events.get(day, []):
            when = f"◆ {hhmm(occ.start, shown.settings)}"
            if width < WIDE:  # a narrow column gives the event's title a line of its own
                lines += [cell(when, width, self.style_of("event")),
                          cell(occ.event.title, width, self.style_of("event"))]
            else:
                lines.append(cell(f"{when} {occ.event.title}", width, self.style_of("event")))
        selected: tuple[int, int] | None = None
        for post in shown.day_posts(day):
            if post.id == shown.post_id:
                selected = (len(lines), len(lines) + 2)
            lines += self._post(post, width, shown)
        body = scroll(lines, selected, height - 1, width, self.style_of("more"))
        return [cell(day_heading(shown, index), width, self.style_of(heading)), *body]

    def _post(self, post: Post, width: int, shown: Shown) -> list[Text]:
        """Two lines: time and channels (and the status word when wide); then status sign
        and title, so that the sign sits by the title it qualifies."""
        assert post.scheduled is not None
        head = hhmm(post.scheduled, shown.settings)
        if width >= WIDE:
            head += f" {post.status.value}"
        abbrs = channel_abbrs(post).split()
        head = f"{head} {fit_words(abbrs, width - len(head) - 1)}" if abbrs else head
        style = self.style_of(shown.post_style(post))
        return [cell(head, width, style), cell(f"{post.status.symbol} {post.title}", width, style)]
