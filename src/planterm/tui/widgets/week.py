"""The week view: seven day columns with their events and posts."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text

from planterm.agenda import Occurrence, channel_abbrs
from planterm.dates import weekday_abbr
from planterm.model import Post
from planterm.readiness import WARN_MARK
from planterm.tui.widgets.cells import (
    Grid,
    cell,
    fit_words,
    join_columns,
    scroll,
    split_width,
    split_words,
)
from planterm.tui.widgets.marks import EVENT_MARK, TODAY_MARK
from planterm.tui.widgets.period_view import PeriodView
from planterm.tui.widgets.shown import Entry, Shown, hhmm

GAP = 1
"""Blank cells between two day columns."""

WIDE = 24
"""From this column width on, a post's first line also carries its status word."""


def day_heading(shown: Shown, index: int) -> str:
    """``• mer 25``: weekday and day number, today marked by a sign and not only a colour."""
    day = shown.days[index]
    mark = f"{TODAY_MARK} " if day == shown.today else ""
    return f"{mark}{weekday_abbr(day, shown.settings.locale)} {day.day}"


def _title(post: Post, shown: Shown) -> str:
    """``◷ ⚠ ⚑☐ title``: the status sign, the warning sign when not ready, the sensitive
    marks (``sensitive.marks``: before the title, which a narrow column cuts), the title."""
    signs = shown.marks(post)
    return f"{post.status.symbol} {WARN_MARK + ' ' if shown.problems(post) else ''}" \
           f"{signs + ' ' if signs else ''}{post.title}"


class WeekView(PeriodView):
    """Seven columns, one per day; the selected post or event is drawn in reverse video.

    When every column has the room, a title too long for its line goes on to a second
    one (a tall terminal shows whole titles rather than blank space).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "week--heading", "week--today", "week--selected-day", "week--event", "week--post",
        "week--selected", "week--muted", "week--more",
    }  # fmt: skip

    PREFIX = "week"

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._posts: dict[tuple[int, int, bool, Style], tuple[Post, list[Text]]] = {}
        """The lines of each post in this drawing, by the post (kept alive with them: a
        write replaces the post, so its id is its version), width, wrap and style."""
        self._last_posts = self._posts
        """The same, of the drawing before."""

    def draw(self) -> Text | Grid:
        """Draw the week to the widget's size."""
        shown = self.shown
        if shown is None:
            return Text("")
        self._last_posts, self._posts = self._posts, {}
        width, height = self.size
        widths = split_width(width, len(shown.days), GAP)
        wrap = all(self._rows(shown, i, w) <= height - 1 for i, w in enumerate(widths))
        columns = [self._column(shown, i, w, height, wrap) for i, w in enumerate(widths)]
        return join_columns(columns, widths, height, GAP, self.drawn)

    def _rows(self, shown: Shown, index: int, width: int) -> int:
        """The lines a day takes with long titles on two lines."""
        rows = 0
        for entry in shown.entries(shown.days[index]):
            if isinstance(entry, Post):
                rows += 3 if len(_title(entry, shown)) > width else 2
            else:
                rows += 2 if width < WIDE else 1
        return rows

    def _column(self, shown: Shown, index: int, width: int, height: int,
                wrap: bool) -> list[Text]:
        day = shown.days[index]
        heading = "heading"
        if day == shown.day:
            heading = "selected-day"
        elif day == shown.today:
            heading = "today"
        lines: list[Text] = []
        selected: tuple[int, int] | None = None
        for entry in shown.entries(day):
            drawn = self._entry(entry, width, shown, wrap)
            if shown.is_selected(entry):
                selected = (len(lines), len(lines) + len(drawn))
            lines += drawn
        body = scroll(lines, selected, height - 1, width, self.style_of("more"))
        return [cell(day_heading(shown, index), width, self.style_of(heading)), *body]

    def _entry(self, entry: Entry, width: int, shown: Shown, wrap: bool) -> list[Text]:
        if isinstance(entry, Post):
            return self._post(entry, width, shown, wrap)
        return self._event(entry, width, shown)

    def _event(self, occ: Occurrence, width: int, shown: Shown) -> list[Text]:
        """``◆ 18:30`` and the title: on one line when wide, else on two."""
        style = self.style_of(shown.event_style(occ))
        when = f"{EVENT_MARK} {hhmm(occ.start, shown.settings)}"
        if width < WIDE:  # a narrow column gives the event's title a line of its own
            return [cell(when, width, style), cell(occ.event.title, width, style)]
        return [cell(f"{when} {occ.event.title}", width, style)]

    def _post(self, post: Post, width: int, shown: Shown, wrap: bool) -> list[Text]:
        """The post's lines, as the last drawing had them if it had the same."""
        style = self.style_of(shown.post_style(post))
        key = (id(post), width, wrap, style)
        found = self._last_posts.get(key)
        if found is None:
            found = (post, self._post_lines(post, width, shown, wrap, style))
        self._posts[key] = found
        return found[1]

    def _post_lines(self, post: Post, width: int, shown: Shown, wrap: bool,
                    style: Style) -> list[Text]:
        """Time and channels (and the status word when wide); then status sign, ⚠ when
        not ready, and title, so that the signs sit by the title they qualify and are
        seen at any width."""
        assert post.scheduled is not None
        head = hhmm(post.scheduled, shown.settings)
        if width >= WIDE:
            head += f" {post.status.value}"
        abbrs = fit_words(channel_abbrs(post).split(), width - len(head) - 1)
        head = f"{head} {abbrs}" if abbrs else head
        title = _title(post, shown)
        first, rest = split_words(title, width) if wrap else (title, "")
        lines = [cell(head, width, style), cell(first, width, style)]
        return [*lines, cell(f"  {rest}", width, style)] if rest else lines
