"""An event's coverage: the posts its template would make, making them, and how far along
they are.

Which occurrence a post covers (a recurring event has many):

- a post of a single event covers its one occurrence;
- a post made from a template slot covers the occurrence on the local date its slot names
  (``template/slot@YYYY-MM-DD``), when the event has one that day;
- any other post of a recurring event (written by hand, logged live, or left behind by a
  change of the rule) covers the occurrence nearest to its scheduled time, the later one
  on a tie; an unscheduled one covers none.

Generating never makes a slot twice: a slot of an occurrence is there when a post of the
event covers that occurrence with that template and slot, whatever its status (a cancelled
one too: the user said no to it). A slot whose time is past is skipped, and said so.

Counting (``CoverageState``), over the posts covering one occurrence:

- planned: every post that is not cancelled;
- written: passed to review or beyond (review, approved, scheduled, published). A draft is
  still being written even with text in it: generated drafts come with the template's text;
- approved: approved, scheduled or published;
- published: published; live: logged live during the event (``Post.live``);
- filled: the template's slots with a post that is not cancelled, shown as ``●●●○○ 3/5``;
  the live block (a slot with ``live = true``) is filled by a post made from it or by any
  post logged live during the occurrence.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from planterm.agenda import abbrs, local_text
from planterm.config import Settings
from planterm.dates import expand_rrule, month_name, shift_wall_clock, weekday_abbr
from planterm.model import Event, ModelError, Post, Status
from planterm.store import PostQuery, Store
from planterm.templates import Slot, Template

_SLOT_RE = re.compile(r"([^/@]+)/([^/@]+)@(\d{4}-\d{2}-\d{2})")
_WRITTEN = frozenset({Status.REVIEW, Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED})
_APPROVED = frozenset({Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED})
MAX_DOTS = 10
"""A mark longer than this gives the counts alone: dots are for one glance."""


def slot_id(template: str, slot: str, day: date) -> str:
    """What a generated post remembers: ``talk/announce@2026-12-03`` (the occurrence's
    local date)."""
    return f"{template}/{slot}@{day.isoformat()}"


def parse_slot_id(text: str) -> tuple[str, date] | None:
    """``("talk/announce", date)`` from a slot id; None for a post written by hand."""
    m = _SLOT_RE.fullmatch(text)
    if m is None:
        return None
    try:
        return f"{m[1]}/{m[2]}", date.fromisoformat(m[3])
    except ValueError:
        return None


def occurrence_end(event: Event, start: datetime) -> datetime:
    """The end of the occurrence starting at ``start``: as long as the event's first."""
    return start + (event.end - event.start) if event.end else start


def slot_time(slot: Slot, start: datetime, end: datetime, settings: Settings) -> datetime:
    """When a slot's post goes out for the occurrence [start, end), aware UTC.

    A time of day is taken on the local date ``day`` days away (a time the clocks skip
    moves forward by the gap); hours, or neither, move the local wall-clock time of the
    start (or end), so 18:30 stays 18:30 across a DST change.
    """
    tz = settings.tz
    anchor = end if slot.from_end else start
    if slot.at is not None:
        day = anchor.astimezone(tz).date() + timedelta(days=slot.day)
        # fold=0 in a gap reads the time with the offset before it: later by the gap in UTC
        return datetime.combine(day, slot.at, tz).astimezone(UTC)
    return shift_wall_clock(anchor, timedelta(days=slot.day, hours=slot.hours or 0), tz)


def occurrence_starts(event: Event, start: datetime, end: datetime,
                      settings: Settings) -> list[datetime]:
    """The starts (aware UTC) of ``event``'s occurrences in [start, end), EXDATEs left out."""
    if not event.rrule:
        return [event.start] if start <= event.start < end else []
    return expand_rrule(event.rrule, event.start, start, end, settings.tz, event.exdates)


def tie(event: Event, posts: Iterable[Post], settings: Settings) -> dict[datetime, list[Post]]:
    """The event's posts by the start of the occurrence each covers (see the module's
    docstring); posts covering none are left out."""
    posts = [p for p in posts if p.event == event.id]
    if not event.rrule:
        return {event.start: posts} if posts else {}
    tz = settings.tz
    slots = {id(p): parse_slot_id(p.slot) for p in posts}
    days = [s[1] for s in slots.values() if s]
    times = [p.scheduled.astimezone(tz).date() for p in posts if p.scheduled] + days
    if not times:
        return {}
    # wide enough that a post's nearest occurrence is among them, even for a yearly rule
    lo = datetime.combine(min(times) - timedelta(days=370), datetime.min.time(), tz)
    hi = datetime.combine(max(times) + timedelta(days=370), datetime.min.time(), tz)
    starts = occurrence_starts(event, lo, hi, settings)
    by_day = {s.astimezone(tz).date(): s for s in starts}
    tied: dict[datetime, list[Post]] = defaultdict(list)
    for post in posts:
        found = slots[id(post)]
        start = by_day.get(found[1]) if found else None
        if start is None and post.scheduled is not None and starts:
            start = _nearest(starts, post.scheduled)
        if start is not None:
            tied[start].append(post)
    return dict(tied)


def _nearest(starts: Sequence[datetime], when: datetime) -> datetime:
    """The start nearest ``when`` (sorted ``starts``, not empty); the later one on a tie."""
    i = bisect.bisect_left(starts, when)
    if i == 0:
        return starts[0]
    if i == len(starts):
        return starts[-1]
    before, after = starts[i - 1], starts[i]
    return before if when - before < after - when else after


@dataclass(frozen=True, slots=True)
class Planned:
    """One slot of one occurrence: the post it would make, or why it is skipped."""

    slot: Slot
    occurrence: datetime
    """Start of the occurrence it covers, aware UTC."""
    when: datetime
    """When the post would go out, aware UTC."""
    slot_id: str
    title: str
    body: str
    channels: tuple[str, ...]
    existing: Post | None = None
    """The post already made for this slot."""
    past: bool = False
    """Its time is already past."""

    @property
    def creates(self) -> bool:
        """Whether generating makes this post."""
        return self.existing is None and not self.past

    def reason(self) -> str:
        """Why it is skipped, in words (empty when it is made)."""
        if self.existing is not None and self.existing.live and not self.existing.slot:
            return f"logged live: post {self.existing.id}"
        if self.existing is not None:
            cancelled = ", cancelled" if self.existing.status is Status.CANCELLED else ""
            return f"already there: post {self.existing.id}{cancelled}"
        return "in the past" if self.past else ""

    def line(self, settings: Settings) -> str:
        """``+ D-7   ven 27/11 10:00  IG FB  J-7 – Vernissage`` (+ made, · skipped)."""
        sign = "+" if self.creates else "·"
        nets = abbrs(self.channels) or "-"
        why = f"  ({self.reason()})" if not self.creates else ""
        return (f"{sign} {self.slot.key:<9} {self.slot.label:<8} "
                f"{local_text(self.when, settings)}  {nets}  {self.title}{why}")


def fill(pattern: str, event: Event, start: datetime, settings: Settings) -> str:
    """A title or body pattern with the event's fields, for the occurrence at ``start``."""
    local = start.astimezone(settings.tz)
    when = (f"{weekday_abbr(local.date(), settings.locale)} {local.day} "
            f"{month_name(local.month, settings.locale)}")
    return pattern.format(title=event.title, hashtag=event.hashtag, place=event.place,
                          date=when, time=f"{local:%H:%M}", kind=event.kind.value).strip()


def slot_channels(slot: Slot, event: Event, settings: Settings) -> tuple[str, ...]:
    """A slot's channels kept to the event's, when it has some; the event's when none are
    left or the slot names none; the settings' when the event has none either."""
    if not event.channels:
        return slot.channels or tuple(settings.channels)
    kept = tuple(c for c in slot.channels if c in event.channels)
    return kept or tuple(event.channels)


def plan(event: Event, starts: Iterable[datetime], template: Template, posts: Sequence[Post],
         now: datetime, settings: Settings) -> list[Planned]:
    """Every slot of ``template`` for each occurrence in ``starts``, by time: what would be
    made, what is already there and what is past. ``posts``: the event's posts."""
    tied = tie(event, posts, settings)
    found: list[Planned] = []
    for start in starts:
        have: dict[str, Post] = {}
        logged = None  # a post logged live fills the live block, made from a slot or not
        for post in tied.get(start, ()):
            parsed = parse_slot_id(post.slot)
            if parsed is not None:
                have.setdefault(parsed[0], post)
            if post.live and post.status is not Status.CANCELLED:
                logged = logged or post
        end = occurrence_end(event, start)
        day = start.astimezone(settings.tz).date()
        for slot in template.slots:
            when = slot_time(slot, start, end, settings)
            found.append(Planned(
                slot=slot, occurrence=start, when=when,
                slot_id=slot_id(template.key, slot.key, day),
                title=fill(slot.title, event, start, settings),
                body=fill(slot.body, event, start, settings),
                channels=slot_channels(slot, event, settings),
                existing=have.get(f"{template.key}/{slot.key}") or (
                    logged if slot.live else None),
                past=when < now.replace(second=0, microsecond=0)))
    return sorted(found, key=lambda p: (p.when, p.occurrence))


def draft(event: Event, planned: Planned) -> Post:
    """The draft post a planned slot makes: tagged with the event, its objectives, themes
    and hashtag, remembering its slot."""
    return Post(title=planned.title, body=planned.body, channels=list(planned.channels),
                status=Status.DRAFT, scheduled=planned.when, objectives=list(event.objectives),
                themes=list(event.themes), event=event.id,
                hashtags=[event.hashtag] if event.hashtag else [], slot=planned.slot_id)


def create(store: Store, event: Event, planned: Iterable[Planned]) -> list[Post]:
    """Store the drafts of the slots that ``creates``, in one transaction, and return them
    as stored (one step to undo). A slot made meanwhile by another planterm is left out:
    the check and the write happen under the same lock."""
    if event.cancelled:
        raise ModelError("event", f"event {event.id} is cancelled: it gets no new coverage")
    drafts = [draft(event, p) for p in planned if p.creates]
    if not drafts or event.id is None:
        return []
    with store.transaction():
        taken = {p.slot for p in store.posts(PostQuery(events=frozenset({event.id}))) if p.slot}
        fresh = [d for d in drafts if d.slot not in taken]
        return store.add_posts(fresh) if fresh else []


@dataclass(frozen=True, slots=True)
class CoverageState:
    """How far the coverage of one occurrence is (the module's docstring says what counts)."""

    slots: int
    """How many posts its template plans (0 without a template)."""
    filled: int
    """How many of those slots have a post that is not cancelled."""
    planned: int
    written: int
    approved: int
    published: int
    live: int
    next_step: str
    """The next thing to do, in words."""

    @property
    def mark(self) -> str:
        """``●●●○○ 3/5``: the template's slots filled, at one glance."""
        if not self.slots:
            return f"{self.planned} post{'s' * (self.planned != 1)}"
        count = f"{self.filled}/{self.slots}"
        if self.slots > MAX_DOTS:
            return count
        return f"{'●' * self.filled}{'○' * (self.slots - self.filled)} {count}"

    def counts(self) -> dict[str, int]:
        """The counts by name, as ``events --json`` gives them."""
        return {"slots": self.slots, "filled": self.filled, "planned": self.planned,
                "written": self.written, "approved": self.approved,
                "published": self.published, "live": self.live}


def state(event: Event, start: datetime, template: Template | None, posts: Sequence[Post],
          now: datetime, settings: Settings) -> CoverageState:
    """The coverage of the occurrence at ``start``; ``posts``: those covering it (``tie``)."""
    active = [p for p in posts if p.status is not Status.CANCELLED]
    planned = plan(event, [start], template, posts, now, settings) if template else []
    filled = sum(1 for p in planned
                 if p.existing is not None and p.existing.status is not Status.CANCELLED)
    return CoverageState(
        slots=len(planned), filled=filled, planned=len(active),
        written=sum(p.status in _WRITTEN for p in active),
        approved=sum(p.status in _APPROVED for p in active),
        published=sum(p.status is Status.PUBLISHED for p in active),
        live=sum(p.live for p in active),
        next_step=_next_step(event, template, planned, active, settings))


def _next_step(event: Event, template: Template | None, planned: list[Planned],
               active: list[Post], settings: Settings) -> str:
    """The first missing slot still ahead, else the first post to write, approve or
    schedule (by time), else what is left."""
    if event.cancelled:
        return "cancelled"
    if template is None:
        return "no coverage template for this event"
    missing = next((p for p in planned if p.creates), None)
    if missing is not None:
        return (f"{missing.slot.key} ({missing.slot.label}, "
                f"{local_text(missing.when, settings)}) not planned: generate the coverage")
    todo = sorted((p for p in active if p.status is not Status.PUBLISHED and p.scheduled),
                  key=lambda p: p.scheduled or datetime.max.replace(tzinfo=UTC))
    for wanted, verb in ((_WRITTEN, "write"), (_APPROVED, "approve"),
                         (frozenset({Status.SCHEDULED}), "schedule")):
        post = next((p for p in todo if p.status not in wanted), None)
        if post is not None and post.scheduled is not None:
            return f"{verb} post {post.id} ({local_text(post.scheduled, settings)})"
    return "all scheduled" if todo else "all published" if active else "nothing to do"
