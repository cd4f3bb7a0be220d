"""Events as the events pane and ``planterm events`` list them, and changes to events.

Shared by the command line and the planner: the occurrences of a period with their
coverage (``listing``), fields set from text with the post editor's kind of messages
(``set_event_field``), a change of date that offers to move the event's posts
(``posts_to_move``, ``edit_event``), and cancelling (``cancel_event``). Every change is an
``EventChange``, written as one compare-and-set and undone by ``undo``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planterm.agenda import Occurrence
from planterm.config import Settings
from planterm.coverage import (
    CoverageState,
    occurrence_end,
    occurrence_starts,
    parse_slot_id,
    slot_id,
    state,
    tie,
)
from planterm.dates import (
    DateParseError,
    parse_when,
    shift_wall_clock,
    to_local,
    validate_rrule,
)
from planterm.edits import resolve_categories, resolve_channels, split_list
from planterm.model import (
    EVENT,
    EVENT_FIELDS,
    Event,
    EventKind,
    ModelError,
    Post,
    Status,
    with_status,
)
from planterm.store import PostQuery, Store
from planterm.templates import Template, Templates

AHEAD = timedelta(days=366)
"""How far ahead the upcoming occurrences go when no end is given (a rule may not end)."""


@dataclass(frozen=True, slots=True)
class Listed:
    """One occurrence of an event with the posts covering it and how far they are."""

    occurrence: Occurrence
    end: datetime
    """End of the occurrence, aware UTC (its start when the event has no end)."""
    template: Template | None
    """The coverage template it uses; None when there is none."""
    posts: tuple[Post, ...]
    """The posts covering this occurrence (``coverage.tie``), by time."""
    state: CoverageState


def today_start(now: datetime, settings: Settings) -> datetime:
    """Local midnight of today: an event of today is upcoming until the day is over."""
    local = now.astimezone(settings.tz)
    return datetime.combine(local.date(), time(), settings.tz)


def period(now: datetime, settings: Settings, *, past: bool = False,
           start: datetime | None = None, end: datetime | None = None
           ) -> tuple[datetime, datetime]:
    """The [start, end) ``listing`` looks in: from today's local midnight to a year ahead,
    or (``past``) from 1900 to today's local midnight; a bound given replaces its default."""
    midnight = today_start(now, settings)
    lo = start or (datetime(1900, 1, 1, tzinfo=UTC) if past else midnight)
    return lo, end or (midnight if past else midnight + AHEAD)


def template_of(event: Event, templates: Templates) -> Template | None:
    """The event's coverage template, or None when it names none that exists."""
    try:
        return templates.for_event(event.template, event.kind)
    except ModelError:
        return None


def listing(store: Store, settings: Settings, templates: Templates, now: datetime, *,
            past: bool = False, start: datetime | None = None, end: datetime | None = None,
            events: list[Event] | None = None) -> list[Listed]:
    """The occurrences of every event (or of ``events``), each with its coverage.

    Upcoming (the default): those not over before today's local midnight, soonest first,
    up to a year ahead (or the first year of an event that starts later). ``past``: those
    over before it, latest first. With ``start`` or ``end``: the occurrences starting in
    [start, end) (the other bound as above), whether over or not.
    """
    midnight = today_start(now, settings)
    bounded = start is not None or end is not None
    lo, hi = period(now, settings, past=past, start=start, end=end)
    events = store.events() if events is None else events
    ids = frozenset(e.id for e in events if e.id is not None)
    by_event: dict[int | None, list[Post]] = defaultdict(list)
    for post in store.posts(PostQuery(events=ids)) if ids else []:
        by_event[post.event].append(post)
    found: list[Listed] = []
    for event in events:
        template = template_of(event, templates)
        length = occurrence_end(event, event.start) - event.start
        tied = tie(event, by_event[event.id], settings)
        # an occurrence that started before ``lo`` and is still on counts as upcoming
        # upcoming without an end: a repeating event far ahead still shows its first year
        last = hi if bounded or past else max(hi, event.start + AHEAD)
        for begin in occurrence_starts(event, lo - (timedelta() if bounded else length),
                                       last, settings):
            finish = occurrence_end(event, begin)
            if not bounded and (finish >= midnight) == past:
                continue
            posts = tied.get(begin, [])
            found.append(Listed(Occurrence(event, begin), finish, template, tuple(posts),
                                state(event, begin, template, posts, now, settings)))
    found.sort(key=lambda item: (item.occurrence.start, item.occurrence.event.id or 0),
               reverse=past)
    return found


def normal_hashtag(value: str) -> str:
    """``#Tag`` from ``Tag`` or ``#Tag``; ``ModelError`` if it holds a space."""
    tag = value.strip().lstrip("#")
    if any(c.isspace() for c in tag):
        raise ModelError("hashtag", f"{value!r} is more than one word")
    return f"#{tag}" if tag else ""


def set_event_field(store: Store, event: Event, name: str, value: str, *, now: datetime,
                    tz: ZoneInfo, templates: Templates) -> Event:
    """``event`` with one field set from text, or ``ModelError`` naming the field.

    Dates are typed as everywhere (``dates.parse_when``); ``on`` and ``exdates`` keep the
    event's local time when none is typed, and ``on`` moves the end by as much; an empty
    ``end`` clears it; ``exdates`` are typed dates separated by commas (``check_event``
    makes sure each is an occurrence).
    """
    own_time = to_local(event.start, tz).time()
    match name:
        case "title":
            if not value.strip():
                raise ModelError("title", "must not be empty")
            return replace(event, title=value.strip())
        case "on":
            start = _when(value, "on", now, tz, own_time)
            # the end moves with the start, as a calendar app does; ``end=`` after it says else
            moved = date_shift(event, replace(event, start=start), tz)
            end = event.end and moved and shift_wall_clock(event.end, moved, tz)
            return replace(event, start=start, end=end or event.end)
        case "end":
            return replace(event, end=_when(value, "end", now, tz, own_time)
                           if value.strip() else None)
        case "place":
            return replace(event, place=value.strip())
        case "notes":
            return replace(event, notes=value)
        case "kind":
            try:
                return replace(event, kind=EventKind(value.strip().lower()))
            except ValueError:
                raise ModelError("kind", f"unknown kind {value!r}; kinds: "
                                         f"{', '.join(EventKind)}") from None
        case "hashtag":
            return replace(event, hashtag=normal_hashtag(value))
        case "channels":
            return replace(event, channels=resolve_channels(split_list(value)))
        case "objectives":
            return replace(event, objectives=resolve_categories(
                split_list(value), store.objectives(), "objectives",
                archived_ok=event.objectives))
        case "themes":
            return replace(event, themes=resolve_categories(
                split_list(value), store.themes(), "themes", archived_ok=event.themes))
        case "template":
            return replace(event, template=templates.find(value).key if value.strip() else "")
        case "rrule":
            rule = value.strip().upper()
            try:
                validate_rrule(rule)
            except DateParseError as e:
                raise ModelError("rrule", str(e)) from None
            return replace(event, rrule=rule)
        case "exdates":
            typed = [t for t in value.split(",") if t.strip()]
            return replace(event, exdates=[_when(t, "exdates", now, tz, own_time)
                                           for t in typed])
    raise ModelError(name, f"unknown field; fields: {', '.join(EVENT_FIELDS)}")


def _when(text: str, field: str, now: datetime, tz: ZoneInfo, default: time) -> datetime:
    """A typed date for ``field``, aware UTC, or ``ModelError`` naming the field."""
    try:
        return parse_when(text, now=now, tz=tz, default_time=default).astimezone(UTC)
    except DateParseError as e:
        raise ModelError(field, str(e)) from None


def check_event(event: Event, settings: Settings) -> None:
    """``ModelError`` naming the field when an event does not hold together: a title, an
    end after the start, a usable rule whose exceptions are among its occurrences."""
    if not event.title.strip():
        raise ModelError("title", "must not be empty")
    if event.end is not None and event.end <= event.start:
        raise ModelError("end", "must be after the start")
    try:
        validate_rrule(event.rrule)
    except DateParseError as e:
        raise ModelError("rrule", str(e)) from None
    for day in event.exdates:
        if not event.rrule:
            raise ModelError("exdates", "only a repeating event (with an rrule) has exceptions")
        if not occurrence_starts(replace(event, exdates=[]), day, day + timedelta(seconds=1),
                                 settings):
            raise ModelError("exdates", f"{to_local(day, settings.tz):%Y-%m-%d %H:%M} is not "
                                        "an occurrence of the rule")
    EVENT.fit({**event.to_doc(), "uid": event.uid or "new"})  # a new one gets its uid stored


@dataclass(frozen=True, slots=True)
class EventChange:
    """A change to an event and to the posts it carried along, as one undoable step."""

    before: Event
    after: Event
    posts: tuple[tuple[Post, Post], ...] = ()
    """Each post changed with it: as it was, and as it was stored."""


def apply(store: Store, change: EventChange) -> EventChange:
    """Write the change, all or nothing (``ChangedElsewhere`` if anything changed since it
    was read); returns it."""
    store.replace_event_and_posts(change.before, change.after, change.posts)
    return change


def undo(store: Store, change: EventChange) -> None:
    """Put the event and its posts back as they were, if nothing changed them since."""
    store.replace_event_and_posts(change.after, change.before,
                                  [(after, before) for before, after in change.posts])


def date_shift(before: Event, after: Event, tz: ZoneInfo) -> timedelta | None:
    """How far the event moved in local wall-clock time; None when its start stayed."""
    if before.start == after.start:
        return None
    return (to_local(after.start, tz).replace(tzinfo=None)
            - to_local(before.start, tz).replace(tzinfo=None))


def shift_text(shift: timedelta) -> str:
    """``+2 days``, ``-1 day 2 h``, ``+1 h 30 min``: a move in wall-clock time."""
    sign, left = ("-", -shift) if shift < timedelta() else ("+", shift)
    hours, rest = divmod(left.seconds, 3600)
    parts = [f"{left.days} day{'s' * (left.days != 1)}"] if left.days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{rest // 60} min"] if rest // 60 else []
    return sign + " ".join(parts or ["0 min"])


def posts_to_move(store: Store, event: Event) -> list[Post]:
    """The event's posts that follow it when its date changes: every scheduled one not
    yet published, by time."""
    if event.id is None:
        return []
    return [p for p in store.posts(PostQuery(events=frozenset({event.id})))
            if p.scheduled is not None and p.status is not Status.PUBLISHED]


def moved_post(post: Post, shift: timedelta, event: Event, tz: ZoneInfo,
               now: datetime) -> Post:
    """``post`` moved by ``shift`` of local wall-clock time (18:30 stays 18:30), its slot
    following the occurrence it covers."""
    assert post.scheduled is not None
    slot = post.slot
    parsed = parse_slot_id(slot)
    if parsed is not None:
        key, day = parsed
        at = datetime.combine(day, to_local(event.start, tz).time())
        template, _, name = key.partition("/")
        slot = slot_id(template, name, (at + shift).date())
    return replace(post, scheduled=shift_wall_clock(post.scheduled, shift, tz), slot=slot,
                   updated=now)


def edit_event(store: Store, before: Event, after: Event, settings: Settings, *,
               move_posts: bool, now: datetime) -> EventChange:
    """Check and write ``after`` over ``before``; with ``move_posts``, a change of date
    moves the posts ``posts_to_move`` names by the same local amount, in the same write."""
    check_event(after, settings)
    shift = date_shift(before, after, settings.tz)
    carried: list[tuple[Post, Post]] = []
    if shift is not None and move_posts:
        carried = [(p, moved_post(p, shift, before, settings.tz, now))
                   for p in posts_to_move(store, before)]
    return apply(store, EventChange(before, after, tuple(carried)))


def cancel_event(store: Store, event: Event, now: datetime) -> EventChange:
    """Call the event off: it is marked cancelled, and so is every post of it not yet
    published (a cancelled event's teaser must not go out); published ones stay."""
    if event.cancelled:
        raise ModelError("cancelled", f"event {event.id} is already cancelled")
    if event.id is None:
        raise ValueError("cancel_event needs a stored event")
    posts = store.posts(PostQuery(events=frozenset({event.id})))
    carried = tuple((p, with_status(p, Status.CANCELLED, now)) for p in posts
                    if p.status not in (Status.PUBLISHED, Status.CANCELLED))
    return apply(store, EventChange(event, replace(event, cancelled=True), carried))
