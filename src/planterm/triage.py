"""The triage moves on one post, as pure functions: step its status, move it, copy it.

Shared by the planner's keys (s, S, <, >, D) so that the rules live in the core and
are tested without a terminal. Each returns a new post; nothing is written here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planterm.dates import shift_wall_clock
from planterm.model import Post, Status, next_status, previous_status, with_status


class TriageError(ValueError):
    """A triage move that cannot apply to this post, with the reason."""


def step_status(post: Post, forward: bool, now: datetime) -> Post:
    """``post`` one status further (or back) along the flow; ``TransitionError`` says why not."""
    new = next_status(post.status) if forward else previous_status(post.status)
    return with_status(post, new, now)


def shift_days(post: Post, days: int, tz: ZoneInfo) -> Post:
    """``post`` moved by whole days, keeping its local wall-clock time across DST changes."""
    if post.scheduled is None:
        raise TriageError(f"'{post.title}' has no date yet; give it one with e (edit)")
    return replace(post, scheduled=shift_wall_clock(post.scheduled, timedelta(days=days), tz))


FIRST_SLOT = time(10)
"""Where a new post lands on an empty day, local time."""
SLOT = timedelta(minutes=30)


def _slots(day: date, tz: ZoneInfo) -> Iterator[datetime]:
    """The day's half hours (local ``:00`` and ``:30``) that exist in ``tz``, in UTC."""
    for n in range(48):
        wall = datetime.combine(day, time(n // 2, 30 * (n % 2)))
        at = wall.replace(tzinfo=tz).astimezone(UTC)
        if at.astimezone(tz).replace(tzinfo=None) == wall:  # not in a spring-forward gap
            yield at


def free_slot(day: date, posts: Sequence[Post], tz: ZoneInfo) -> datetime:
    """Where a new post lands on ``day`` (aware, UTC): 10:00 local when the day has no post,
    otherwise the first half hour after the day's last post.

    When the last post leaves no half hour on the day, the first free half hour from
    10:00 on, then from midnight (a half hour is free when no post starts in it); a day
    with every half hour taken gets 10:00 anyway. ``posts`` may hold other days' posts.
    """
    times = [p.scheduled for p in posts
             if p.scheduled is not None and p.scheduled.astimezone(tz).date() == day]
    slots = list(_slots(day, tz))
    first = next((s for s in slots if s.astimezone(tz).time() >= FIRST_SLOT), slots[-1])
    if not times:
        return first
    last = max(times)
    after = [s for s in slots if s > last]
    if after:
        return after[0]
    free = [s for s in slots if not any(s <= t < s + SLOT for t in times)]
    return next((s for s in free if s >= first), free[0] if free else first)


def duplicate(post: Post) -> Post:
    """A new, unsaved copy of ``post`` to work on: same content, back to draft, not published.

    An idea stays an idea; anything further along restarts at draft, because the copy
    has not been reviewed, approved or published yet. Its checklist is reset for the
    same reason, and its published link and live mark are dropped. It is another post:
    no id and no uid yet, the store gives it new ones when it is added.
    """
    status = Status.IDEA if post.status is Status.IDEA else Status.DRAFT
    return replace(
        post,
        id=None,
        uid="",
        status=status,
        checklist=dict.fromkeys(post.checklist, False),
        link="",
        live=False,
        variants=dict(post.variants),
        channels=list(post.channels),
        objectives=list(post.objectives),
        themes=list(post.themes),
        hashtags=list(post.hashtags),
        flags=list(post.flags),
    )
