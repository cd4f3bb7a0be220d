"""What the calendar shows: a period's days, their posts and events, and the selection.

Built from the store by the calendar pane and handed to the week, month and agenda
views, which only draw it. Kept free of Textual so that the views stay thin.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Literal, TypeVar

from planterm import readiness
from planterm.agenda import Occurrence, occurrences
from planterm.config import Settings
from planterm.dates import Period, period_bounds
from planterm.glossary import Glossary
from planterm.model import Event, Post, Status
from planterm.sensitive import post_marks, wording
from planterm.store import PostQuery, Store

View = Literal["week", "month", "agenda"]

Entry = Occurrence | Post
"""One line of a day: an event occurrence or a post."""

T = TypeVar("T")

EventAt = tuple[int, datetime]
"""An event occurrence as it is selected: its event's id and its start."""

SETTLED = frozenset({Status.PUBLISHED, Status.CANCELLED})
"""Statuses drawn muted: nothing is left to do on those posts."""


def hhmm(when: datetime, settings: Settings) -> str:
    """``18:30``: the local time of day."""
    return f"{when.astimezone(settings.tz):%H:%M}"


def event_at(occ: Occurrence) -> EventAt:
    """How an occurrence is told from the others (a recurring event has one a day)."""
    return occ.event.id or 0, occ.start


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
    """Posts with no date (counted under the week, listed at the end of the agenda)."""
    post_id: int | None = None
    """The selected post, if any."""
    event_at: EventAt | None = None
    """The selected event occurrence, if any (never together with a post)."""
    month: int = 0
    """The month a month view is about (its other days are drawn muted)."""
    warned: dict[int, list[str]] = field(default_factory=dict)
    """``readiness.problems`` of the posts drawn so far, by id: worked out once per read
    of the period, not on every key."""
    plan_events: list[Event] = field(default_factory=list)
    """Every event of the plan, as read with the period: what another period's
    occurrences come from (``load``)."""
    glossary: Glossary | None = None
    """The glossary the marks are found with (``wording``, once per read of the period)."""
    marked: dict[int, str] = field(default_factory=dict)
    """``sensitive.post_marks`` of the posts drawn so far, by id, as ``warned``: the
    glossary search over each post's texts was most of a week's redraw."""

    def day_posts(self, day: date | None = None) -> list[Post]:
        """The posts of a day (the selected one by default), by time."""
        return self.posts.get(self.day if day is None else day, [])

    def ordered(self) -> list[Post]:
        """Every post shown, in the order the agenda lists them (undated ones last, and
        only there: the week and the month count them)."""
        undated = self.unscheduled if self.view == "agenda" else []
        return [p for d in self.days for p in self.posts.get(d, [])] + undated

    def entries(self, day: date | None = None) -> list[Entry]:
        """The events and posts of a day (the selected one by default) in time order, an
        event first at a tie: the order in which the views draw them and j/k walk them."""
        day = self.day if day is None else day
        timed: list[tuple[datetime, int, Entry]] = [
            (occ.start, 0, occ) for occ in self.events.get(day, [])]
        timed += [(p.scheduled or p.created, 1, p) for p in self.posts.get(day, [])]
        return [entry for _, _, entry in sorted(timed, key=lambda t: (t[0], t[1]))]

    def walk(self) -> list[Entry]:
        """What j/k walk: the selected day's entries; in the agenda, every line of it."""
        if self.view != "agenda":
            return self.entries()
        return [e for d in self.days for e in self.entries(d)] + list(self.unscheduled)

    @property
    def selected(self) -> Post | None:
        """The selected post, if it is shown."""
        if self.post_id is None:
            return None
        return next((p for p in self.ordered() if p.id == self.post_id), None)

    @property
    def selected_event(self) -> Occurrence | None:
        """The selected event occurrence, if it is shown."""
        if self.event_at is None:
            return None
        found = self.events.get(self.event_at[1].astimezone(self.settings.tz).date(), [])
        return next((o for o in found if event_at(o) == self.event_at), None)

    def is_selected(self, entry: Entry) -> bool:
        """Whether ``entry`` is the selection."""
        if isinstance(entry, Post):
            return entry.id is not None and entry.id == self.post_id
        return event_at(entry) == self.event_at

    def problems(self, post: Post) -> list[str]:
        """What keeps ``post`` from being ready for its status (empty when it is ready)."""
        return _known(self.warned, post, readiness.problems)

    def marks(self, post: Post) -> str:
        """The sensitive signs after ``post``'s title (``sensitive.post_marks``)."""
        return _known(self.marked, post, lambda p: post_marks(p, self.glossary))

    def post_style(self, post: Post) -> str:
        """How a post is drawn: ``selected``, ``muted`` (published, cancelled) or ``post``."""
        if post.id == self.post_id:
            return "selected"
        return "muted" if post.status in SETTLED else "post"

    def event_style(self, occ: Occurrence) -> str:
        """How an event is drawn: ``selected`` or ``event``."""
        return "selected" if event_at(occ) == self.event_at else "event"

    def patched(self, replaced: Post | None, stored: Post | None, query: PostQuery) -> Shown:
        """The period with one write applied: ``replaced`` out, ``stored`` in where it falls
        (if it matches the filter ``query``), without reading the store again."""
        ids = {p.id for p in (replaced, stored) if p is not None}
        posts = {day: [p for p in found if p.id not in ids] for day, found in self.posts.items()}
        unscheduled = [p for p in self.unscheduled if p.id not in ids]
        if stored is not None and query.condition()(stored.to_doc()):
            if stored.scheduled is None:
                unscheduled = sorted([*unscheduled, stored], key=_order)
            elif self.covers(day := stored.scheduled.astimezone(self.settings.tz).date()):
                posts[day] = sorted([*posts.get(day, []), stored], key=_order)
        warned = {i: found for i, found in self.warned.items() if i not in ids}
        marked = {i: found for i, found in self.marked.items() if i not in ids}
        return replace(self, posts=posts, unscheduled=unscheduled, warned=warned,
                       marked=marked)

    def pick(self, day: date, post_id: int | None, at: EventAt | None = None) -> Shown:
        """The same period with the selection settled on ``day``.

        The post ``post_id`` (or the event occurrence ``at``) stays selected wherever it
        is in the period (its day follows it, so a post moved by another process is not
        lost); otherwise the day's first post is, or its first event when it has no post.
        A month view selects the day alone until j/k walk into it.
        """
        if at is not None:
            for when, occs in self.events.items():
                if any(event_at(o) == at for o in occs):
                    return replace(self, day=when, post_id=None, event_at=at)
        if post_id is not None:
            undated = [(day, self.unscheduled)] if self.view == "agenda" else []
            for when, posts in [*self.posts.items(), *undated]:
                if any(p.id == post_id for p in posts):
                    return replace(self, day=when, post_id=post_id, event_at=None)
        if self.view == "month":
            return replace(self, day=day, post_id=None, event_at=None)
        first = self.posts.get(day, [])
        if first:
            return replace(self, day=day, post_id=first[0].id, event_at=None)
        events = self.events.get(day, [])
        return replace(self, day=day, post_id=None,
                       event_at=event_at(events[0]) if events else None)

    def covers(self, day: date) -> bool:
        """Whether ``day`` is in the period drawn."""
        return self.days[0] <= day <= self.days[-1]

    def holds(self, view: View, day: date) -> bool:
        """Whether this is the period ``view`` shows around ``day`` (a month view's grid
        holds days of the months around, which are not its own)."""
        return (self.view == view and self.covers(day)
                and (view != "month" or day.month == self.month))


def _known(cache: dict[int, T], post: Post, work: Callable[[Post], T]) -> T:
    """``work(post)``, kept in ``cache`` by the post's id (a post not stored yet is not)."""
    if post.id is None:
        return work(post)
    found = cache.get(post.id)
    if found is None:
        found = cache[post.id] = work(post)
    return found


def _order(post: Post) -> tuple[datetime, int]:
    """Posts of a day by time, then id, as the store lists them."""
    return post.scheduled or post.created, post.id or 0


def load(store: Store, query: PostQuery, view: View, day: date, today: date,
         settings: Settings, known: Shown | None = None) -> Shown:
    """Read the period around ``day`` from the store, with nothing selected yet.

    ``known``: a period read from the same store, unchanged since but for the writes
    ``patched`` in, with the same filter: its posts without a date and its events are
    taken as they are rather than read again (half of a week's reading at 20,000 posts).
    """
    first, stop = span(view, day, settings)
    tz = settings.tz
    start, end = datetime.combine(first, time(), tz), datetime.combine(stop, time(), tz)
    # posts without a date come along on a fresh read: the week counts them, the agenda
    # lists them
    found = store.posts(replace(query, start=start, end=end, unscheduled=known is None))
    posts: dict[date, list[Post]] = defaultdict(list)
    unscheduled = [] if known is None else list(known.unscheduled)
    for post in found:
        if post.scheduled is None:
            unscheduled.append(post)
        else:
            posts[post.scheduled.astimezone(tz).date()].append(post)
    plan_events = store.events() if known is None else known.plan_events
    events: dict[date, list[Occurrence]] = defaultdict(list)
    for occ in occurrences(plan_events, start, end, settings):
        events[occ.start.astimezone(tz).date()].append(occ)
    days = tuple(first + timedelta(days=i) for i in range((stop - first).days))
    return Shown(view, days, dict(posts), dict(events), today, day, settings,
                 unscheduled, month=day.month, plan_events=plan_events,
                 glossary=wording().glossary)
