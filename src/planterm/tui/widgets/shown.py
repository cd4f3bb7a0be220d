"""What the calendar shows: a period's days, their posts and events, and the selection.

Built from the store by the calendar pane and handed to the week, month and agenda
views, which only draw it. Kept free of Textual so that the views stay thin.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from planterm.agenda import Occurrence, occurrences
from planterm.config import Settings
from planterm.dates import Period, period_bounds
from planterm.model import Post, Status
from planterm.store import PostQuery, Store

View = Literal["week", "month", "agenda"]

SETTLED = frozenset({Status.PUBLISHED, Status.CANCELLED})
"""Statuses drawn muted: nothing is left to do on those posts."""


def hhmm(when: datetime, settings: Settings) -> str:
    """``18:30``: the local time of day."""
    return f"{when.astimezone(settings.tz):%H:%M}"


def period_of(view: View) -> Period:
    """The period a view shows: a month for the month view, a week for the others."""
    return "month" if view == "month" else "week"


def span(view: View, day: date, settings: Settings) -> tuple[date, date]:
    """The [first, end) days a view shows around ``day``: a week, or a month's whole weeks."""
    start, end = period_bounds(period_of(view), day, settings.tz, settings.week_start_index)
    first, stop = start.date(), end.date()
    if view == "month":  # whole weeks, so the grid starts on the first day of a week
        first -= timedelta(days=(first.weekday() - settings.week_start_index) % 7)
        stop += timedelta(days=(settings.week_start_index - stop.weekday()) % 7)
    return first, stop


@dataclass(frozen=True, slots=True)
class Shown:
    """One period as drawn: days, posts and event occurrences by local day, and the selection."""

    view: View
    days: tuple[date, ...]
    posts: dict[date, list[Post]]
    events: dict[date, list[Occurrence]]
    today: date
    day: date
    """The selected day."""
    settings: Settings
    unscheduled: list[Post] = field(default_factory=list)
    """Posts with no date (shown at the end of the agenda)."""
    post_id: int | None = None
    """The selected post, if any."""
    month: int = 0
    """The month a month view is about (its other days are drawn muted)."""

    def day_posts(self, day: date | None = None) -> list[Post]:
        """The posts of a day (the selected one by default), by time."""
        return self.posts.get(self.day if day is None else day, [])

    def ordered(self) -> list[Post]:
        """Every post in the order the agenda lists them."""
        return [p for d in self.days for p in self.posts.get(d, [])] + self.unscheduled

    @property
    def selected(self) -> Post | None:
        """The selected post, if it is shown."""
        if self.post_id is None:
            return None
        return next((p for p in self.ordered() if p.id == self.post_id), None)

    def post_style(self, post: Post) -> str:
        """How a post is drawn: ``selected``, ``muted`` (published, cancelled) or ``post``."""
        if post.id == self.post_id:
            return "selected"
        return "muted" if post.status in SETTLED else "post"

    def patched(self, replaced: Post | None, stored: Post | None, query: PostQuery) -> Shown:
        """The period with one write applied: ``replaced`` out, ``stored`` in where it falls
        (if it matches the filter ``query``), without reading the store again."""
        ids = {p.id for p in (replaced, stored) if p is not None}
        posts = {day: [p for p in found if p.id not in ids] for day, found in self.posts.items()}
        unscheduled = [p for p in self.unscheduled if p.id not in ids]
        if stored is not None and query.condition()(stored.to_doc()):
            if stored.scheduled is None:
                if self.view == "agenda":
                    unscheduled = sorted([*unscheduled, stored], key=_order)
            elif self.covers(day := stored.scheduled.astimezone(self.settings.tz).date()):
                posts[day] = sorted([*posts.get(day, []), stored], key=_order)
        return replace(self, posts=posts, unscheduled=unscheduled)

    def pick(self, day: date, post_id: int | None) -> Shown:
        """The same period with the selection settled on ``day``.

        The post ``post_id`` stays selected wherever it is in the period (its day follows
        it, so a post moved by another process is not lost); otherwise the day's first
        post is. A month view selects days only.
        """
        if self.view != "month":
            for when, posts in [*self.posts.items(), (day, self.unscheduled)]:
                if any(p.id == post_id for p in posts):
                    return replace(self, day=when, post_id=post_id)
        first = self.posts.get(day) if self.view != "month" else None
        return replace(self, day=day, post_id=first[0].id if first else None)

    def covers(self, day: date) -> bool:
        """Whether ``day`` is in the period drawn."""
        return self.days[0] <= day <= self.days[-1]


def _order(post: Post) -> tuple[datetime, int]:
    """Posts of a day by time, then id, as the store lists them."""
    return post.scheduled or post.created, post.id or 0


def load(store: Store, query: PostQuery, view: View, day: date, today: date,
         settings: Settings) -> Shown:
    """Read the period around ``day`` from the store, with nothing selected yet."""
    first, stop = span(view, day, settings)
    tz = settings.tz
    start, end = datetime.combine(first, time(), tz), datetime.combine(stop, time(), tz)
    found = store.posts(replace(query, start=start, end=end, unscheduled=view == "agenda"))
    posts: dict[date, list[Post]] = defaultdict(list)
    unscheduled: list[Post] = []
    for post in found:
        if post.scheduled is None:
            unscheduled.append(post)
        else:
            posts[post.scheduled.astimezone(tz).date()].append(post)
    events: dict[date, list[Occurrence]] = defaultdict(list)
    for occ in occurrences(store.events(), start, end, settings):
        events[occ.start.astimezone(tz).date()].append(occ)
    days = tuple(first + timedelta(days=i) for i in range((stop - first).days))
    return Shown(view, days, dict(posts), dict(events), today, day, settings,
                 unscheduled, month=day.month)
