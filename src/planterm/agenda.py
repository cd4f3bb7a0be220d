"""The agenda as people read it: posts and event occurrences by day, in local time.

Used by ``planterm week`` and ``planterm list``, and by the TUI for the
lines it shows, so both say the same thing the same way. Every line made here is
``inert``: stored text in it is shown, never obeyed by the terminal. A post that is
not ready for its status carries ``readiness.WARN_MARK`` before its title, and the
agenda says why on the line below; a time outside the current year shows its year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from planterm import channels
from planterm.config import Settings
from planterm.dates import expand_rrule, period_label, weekday_abbr
from planterm.model import Event, Post, utcnow
from planterm.readiness import WARN_MARK, problems
from planterm.sensitive import post_marks
from planterm.text import inert


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of an event (a recurring event has many)."""

    event: Event
    start: datetime
    """Aware, UTC."""


def occurrences(events: list[Event], start: datetime, end: datetime,
                settings: Settings) -> list[Occurrence]:
    """Every occurrence of ``events`` in [start, end), recurring ones expanded, by time."""
    found: list[Occurrence] = []
    for event in events:
        if event.rrule:
            found += [Occurrence(event, when) for when in expand_rrule(
                event.rrule, event.start, start, end, settings.tz, event.exdates)]
        elif start <= event.start < end:
            found.append(Occurrence(event, event.start))
    return sorted(found, key=lambda o: (o.start, o.event.id or 0))


def this_year(settings: Settings) -> int:
    """The current year in the user's zone: the one dates are shown without."""
    return utcnow().astimezone(settings.tz).year


def day_text(day: date, settings: Settings) -> str:
    """``lun 24/11``: a day as the user reads it; ``lun 24/11/2027`` outside this year."""
    shown = f"{day:%d/%m}" if day.year == this_year(settings) else f"{day:%d/%m/%Y}"
    return f"{weekday_abbr(day, settings.locale)} {shown}"


def local_text(when: datetime, settings: Settings) -> str:
    """``lun 24/11 18:30``: a time as the user reads it (with its year outside this one)."""
    local = when.astimezone(settings.tz)
    return f"{day_text(local.date(), settings)} {local:%H:%M}"


def channel_abbrs(post: Post) -> str:
    """``IG FB``: the post's channels, short."""
    return abbrs(post.channels)


def abbrs(names: Iterable[str]) -> str:
    """``IG FB``: network keys, short (an unknown one as it is)."""
    known = channels.networks()
    return " ".join(known[c].abbr if c in known else c for c in names)


def post_line(post: Post, settings: Settings, *, with_day: bool = True,
              found: list[str] | None = None, signs: str | None = None) -> str:
    """One line for a post: time, status as sign and word, channels, title (inert), with
    the warning mark when it has problems (``found``: its problems, if already known) and
    its sensitive marks (``signs``: ``post_marks``, if already known)."""
    if post.scheduled is None:
        when = "unscheduled"
    elif with_day:
        when = local_text(post.scheduled, settings)
    else:
        when = f"{post.scheduled.astimezone(settings.tz):%H:%M}"
    signs = post_marks(post) if signs is None else signs
    flag = f" {signs}" if signs else ""
    live = " (live)" if post.live else ""
    warn = f"{WARN_MARK} " if (problems(post) if found is None else found) else ""
    return inert(f"{when}  {post.status.symbol} {post.status.value:<9}  "
                 f"{channel_abbrs(post) or '-'}  {warn}{post.title}{live}{flag}")


def week_title(day: date, settings: Settings) -> str:
    """The heading of a week: its label in the user's language."""
    return period_label("week", day, settings.week_start_index, settings.locale)


def render(title: str, posts: list[Post], events: list[Event], start: datetime | None,
           end: datetime | None, settings: Settings) -> str:
    """The agenda as text: a heading, then each day with its events and posts.

    Each line is made inert on its own, so a line break in a title is a mark, not a row.
    A post with problems has them on the line below it, after the mark.
    """
    lines = [title, ""]
    by_day: dict[date | None, list[tuple[str, str, str]]] = defaultdict(list)
    if start and end:
        for occ in occurrences(events, start, end, settings):
            local = occ.start.astimezone(settings.tz)
            place = f", {occ.event.place}" if occ.event.place else ""
            by_day[local.date()].append(
                (f"{local:%H:%M}", f"◆ event {occ.event.id}: {occ.event.title} "
                                   f"({occ.event.kind}{place})", ""))
    for post in posts:
        day = post.scheduled.astimezone(settings.tz).date() if post.scheduled else None
        found = problems(post)
        hour, _, rest = post_line(post, settings, with_day=False, found=found).partition("  ")
        why = f"{'':16}{WARN_MARK} {'; '.join(found)}" if found else ""
        by_day[day].append((hour if day else "", f"#{post.id:<5} {rest}", why))
    if not by_day:
        lines.append("  (nothing planned)")
    for day in sorted(by_day, key=lambda d: (d is None, d or date.min)):
        heading = "unscheduled" if day is None else (
            f"{weekday_abbr(day, settings.locale)} {day:%d/%m/%Y}")
        lines.append(heading)
        entries = sorted(by_day[day], key=lambda entry: entry[0])
        for hour, text, why in entries:
            lines += [f"  {hour:5}  {text}", why] if why else [f"  {hour:5}  {text}"]
    return "\n".join(map(inert, lines))
