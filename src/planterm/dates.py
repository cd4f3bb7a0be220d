"""Dates as people type them (English and French), calendar periods and recurrence.

Pure core: no UI imports. Datetimes are stored as aware UTC and shown in the user's zone.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal, NoReturn
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from planterm.text import fold

Period = Literal["day", "week", "month", "quarter"]

YEARS = range(1900, 2201)
"""The years a typed date may fall in: far enough for any plan, near enough for every
calendar computation (a week, a month, an RRULE) to stay inside ``datetime``'s range."""


class DateParseError(ValueError):
    """Date text that cannot be read or is ambiguous; the message quotes the input and says why."""


_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}  # fmt: skip
_MONTH_ABBR = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."),
}  # fmt: skip
_WEEKDAY_ABBR = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fr": ("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
}

# Words typed by users, accent-free and lower-case. "mar" is both mardi and March: see _Reader.
_WEEKDAY_WORDS = {
    word: i
    for i, words in enumerate((
        "mon monday lun lundi", "tue tues tuesday mardi", "wed wednesday mer mercredi",
        "thu thur thurs thursday jeu jeudi", "fri friday ven vendredi",
        "sat saturday sam samedi", "sun sunday dim dimanche",
    ))
    for word in words.split()
}  # fmt: skip
_MONTH_WORDS = {
    word: i + 1
    for i, words in enumerate((
        "jan january janv janvier", "feb february fev fevr fevrier", "march mars",
        "apr april avr avril", "may mai", "jun june juin", "jul july juil juillet",
        "aug august aout", "sep sept september septembre", "oct october octobre",
        "nov november novembre", "dec december decembre",
    ))
    for word in words.split()
}  # fmt: skip
_DAY_WORDS = {
    "today": 0, "aujourd'hui": 0, "aujourdhui": 0, "auj": 0,
    "tomorrow": 1, "demain": 1, "apres-demain": 2,
    "yesterday": -1, "hier": -1, "avant-hier": -2,
}  # fmt: skip
_TIME_WORDS = {"midi": 12, "noon": 12, "midday": 12, "minuit": 0, "midnight": 0}
_NOW_WORDS = ("now", "maintenant")
_THIS_WORDS = ("this", "ce", "cet", "cette")
_PART_WORDS = {
    **dict.fromkeys(("morning", "matin"), "morning"),
    **dict.fromkeys(("afternoon", "apres-midi", "aprem"), "afternoon"),
    **dict.fromkeys(("evening", "tonight", "soir", "soiree"), "evening"),
}
_PARTS = {"morning": (time(9), range(12)), "afternoon": (time(14), range(12, 19)),
          "evening": (time(19), range(17, 24))}
"""Each part of the day: its time when none is typed, and the hours it holds."""
_UNITS = {
    **dict.fromkeys(("d", "j", "day", "days", "jour", "jours"), relativedelta(days=1)),
    **dict.fromkeys(("w", "sem", "week", "weeks", "semaine", "semaines"), relativedelta(weeks=1)),
    **dict.fromkeys(("month", "months", "mois"), relativedelta(months=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "heure", "heures"), relativedelta(hours=1)),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), relativedelta(minutes=1)),
}
_NEXT_WORDS = ("next", "prochain", "prochaine")
_IN_WORDS = ("in", "dans")
_FILLERS = ("at", "a", "on", "le")

_TIME_24 = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(z|[+-]\d{2}:?\d{2})?", re.ASCII)
_TIME_H = re.compile(r"(\d{1,2})h(\d{2})?", re.ASCII)
_TIME_AMPM = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_ISO_SPLIT = re.compile(r"(\d{4}-\d{2}-\d{2})t(.+)", re.ASCII)
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d+))?", re.ASCII)
_AMOUNT = re.compile(r"(\d+)([a-z]+)", re.ASCII)


def _fold(word: str) -> str:
    """Lower-case, accent-free form of a typed word, with straight apostrophes and no final dot."""
    return fold(word.replace("’", "'")).rstrip(".")


def _lang(locale: str) -> str:
    """'fr' for any French locale ('fr', 'fr_FR', 'fr-CA'), otherwise 'en'."""
    return "fr" if locale.lower().startswith("fr") else "en"


class _Reader:
    """Reads one typed date: collects at most one date, one time and one weekday, then resolves."""

    def __init__(self, text: str, now: datetime, tz: ZoneInfo) -> None:
        self.text, self.now, self.tz = text, now.astimezone(tz), tz
        self.today = self.now.date()
        self.date: date | None = None
        self.time: time | None = None
        self.weekday: int | None = None
        self.next_week = False
        self.iso = False
        self.utc_offset: tzinfo | None = None
        self.offset: relativedelta | None = None
        self.now_word = False
        self.part: str | None = None
        self.clock12 = False  # the time was typed with am or pm
        self.toks: list[tuple[str, str]] = []  # (folded, as typed)
        for raw in re.split(r"[\s,]+", text.strip()):
            if m := _ISO_SPLIT.fullmatch(_fold(raw)):  # 2026-12-03T19:00 -> date, time
                self.toks += [(m[1], raw[:10]), (m[2], raw[11:])]
            elif raw:
                self.toks.append((_fold(raw), raw))
        if not self.toks:
            self.fail("it is empty")

    def fail(self, why: str) -> NoReturn:
        """Raise a DateParseError quoting the whole input."""
        raise DateParseError(f'Cannot read the date "{self.text}": {why}.')

    def tok(self, i: int) -> str:
        """Folded token i, or '' past the end."""
        return self.toks[i][0] if i < len(self.toks) else ""

    def month_at(self, i: int) -> int | None:
        """Month named by token i; 'mar' counts as March here (caller decides the context)."""
        return 3 if self.tok(i) == "mar" else _MONTH_WORDS.get(self.tok(i))

    def year_at(self, i: int) -> str | None:
        """Token i if it is a 4-digit year."""
        return self.tok(i) if re.fullmatch(r"\d{4}", self.tok(i)) else None

    def set_date(self, day: date) -> None:
        if self.date is not None:
            self.fail(f"it holds two dates ({self.date.isoformat()} and {day.isoformat()})")
        self.date = day

    def set_time(self, hour: int, minute: int, typed: str) -> None:
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            self.fail(f'"{typed}" is not a time of day')
        if self.time is not None:
            self.fail(f'it holds two times ({self.time:%H:%M} and "{typed}")')
        self.time = time(hour, minute)

    def day_month(self, day: int, month: int, year: str | None) -> None:
        """Set a calendar date; without a year, this year unless that date is already past."""
        if day < 1 or day > calendar.monthrange(2000, month)[1]:
            self.fail(f"there is no day {day} in {_MONTHS['en'][month - 1]}")
        y = int(year) if year else self.today.year
        if year is None and (y, month, day) < (self.today.year, self.today.month, self.today.day):
            y += 1
        if day > calendar.monthrange(y, month)[1]:
            self.fail(f"{y} is not a leap year")
        self.set_date(date(y, month, day))

    def step(self, i: int) -> int:
        """Read the token(s) at i; return the index of the next unread token."""
        tok, typed, nxt = self.tok(i), self.toks[i][1], self.tok(i + 1)
        if tok in _NOW_WORDS:
            if self.now_word:
                self.fail(f'it says "{typed}" twice')
            self.now_word = True
            return i + 1
        if tok in _THIS_WORDS:
            if (nxt in _PART_WORDS or f"{nxt}-{self.tok(i + 2)}" in _PART_WORDS
                    or nxt in _TIME_WORDS or nxt in _WEEKDAY_WORDS or nxt == "mar"):
                return i + 1
            self.fail(f'"{typed}" must be followed by a part of the day or a weekday, '
                      'as in "this evening" or "ce soir"')
        if f"{tok}-{nxt}" in _PART_WORDS:  # "après midi" typed as two words
            self.set_part(_PART_WORDS[f"{tok}-{nxt}"])
            return i + 2
        if tok in _PART_WORDS:
            self.set_part(_PART_WORDS[tok])
            return i + 1
        if tok in _FILLERS:
            if not nxt:
                self.fail(f'"{typed}" must be followed by a date or time')
            return i + 1
        if nxt in ("am", "pm") and (m := _TIME_AMPM.fullmatch(tok + nxt)):
            return self.ampm(m, f"{typed} {self.toks[i + 1][1]}", i + 2)
        if m := _TIME_AMPM.fullmatch(tok):
            return self.ampm(m, typed, i + 1)
        if m := _TIME_24.fullmatch(tok):
            self.set_time(int(m[1]), int(m[2]), typed)
            if m[3]:  # "z", "+01:00" or "+0100", allowed after an ISO date only (see resolve)
                self.utc_offset = datetime.strptime(m[3].upper(), "%z").tzinfo
            return i + 1
        if m := _TIME_H.fullmatch(tok):
            self.set_time(int(m[1]), int(m[2] or 0), typed)
            return i + 1
        if tok in _TIME_WORDS:
            self.set_time(_TIME_WORDS[tok], 0, typed)
            return i + 1
        if f"{tok}-{nxt}" in _DAY_WORDS:  # "après demain" typed as two words
            self.set_date(self.today + timedelta(days=_DAY_WORDS[f"{tok}-{nxt}"]))
            return i + 2
        if tok in _DAY_WORDS:
            self.set_date(self.today + timedelta(days=_DAY_WORDS[tok]))
            return i + 1
        if m := _ISO_DATE.fullmatch(tok):
            try:
                self.set_date(date(int(m[1]), int(m[2]), int(m[3])))
            except ValueError:
                self.fail(f'"{typed}" is not a real date')
            self.iso = True
            return i + 1
        if m := _SLASH_DATE.fullmatch(tok):
            if m[3] and len(m[3]) != 4:
                self.fail(f'"{typed}" is ambiguous: write day/month/year with a 4-digit year')
            if not 1 <= int(m[2]) <= 12:
                self.fail(f'"{typed}" has no month {m[2]} (day/month order)')
            self.day_month(int(m[1]), int(m[2]), m[3])
            return i + 1
        if tok.startswith("+") and (m := _AMOUNT.fullmatch(tok[1:])) and m[2] in _UNITS:
            self.add(int(m[1]), m[2])
            return i + 1
        if tok in _IN_WORDS:
            if (m := _AMOUNT.fullmatch(nxt)) and m[2] in _UNITS:
                self.add(int(m[1]), m[2])
                return i + 2
            if nxt.isdigit() and self.tok(i + 2) in _UNITS:
                self.add(int(nxt), self.tok(i + 2))
                return i + 3
            self.fail(f'"{typed}" must be followed by an amount such as "2 days" or "2 jours"')
        if tok in _NEXT_WORDS:
            self.next_week = True
            return i + 1
        if tok.isdigit() and len(tok) <= 2 and (month := self.month_at(i + 1)):  # 3 déc [2027]
            self.day_month(int(tok), month, year := self.year_at(i + 2))
            return i + (3 if year else 2)
        # month then day: "dec 3 [2027]"; "mar 3" is March 3 unless a month follows ("mar 3 déc")
        if (
            (month := self.month_at(i))
            and re.fullmatch(r"\d{1,2}", nxt)
            and not (tok == "mar" and self.month_at(i + 2))
        ):
            self.day_month(int(nxt), month, year := self.year_at(i + 2))
            return i + (3 if year else 2)
        if tok in _WEEKDAY_WORDS or tok == "mar":
            if self.weekday is not None:
                self.fail("it names two weekdays")
            self.weekday = _WEEKDAY_WORDS.get(tok, 1)
            return i + 1
        if tok.isdigit():
            self.fail(f'"{typed}" alone is neither a date nor a time (write 18h, 18:00 or 3 déc)')
        if month:
            self.fail(f'the month "{typed}" needs a day, as in "3 {typed}"')
        self.fail(f'"{typed}" is not a date word')

    def set_part(self, part: str) -> None:
        if self.part is not None:
            self.fail(f"it names two parts of the day ({self.part} and {part})")
        self.part = part

    def ampm(self, m: re.Match[str], typed: str, after: int) -> int:
        """Set a 12-hour clock time such as 7pm or 7:30 pm; return the next index."""
        hour = int(m[1])
        if not 1 <= hour <= 12:
            self.fail(f'"{typed}" is not a time of day')
        self.clock12 = True
        self.set_time(hour % 12 + (12 if m[3] == "pm" else 0), int(m[2] or 0), typed)
        return after

    def add(self, amount: int, unit: str) -> None:
        """A relative offset: days/weeks/months move the date, hours/minutes move the instant."""
        delta = _UNITS[unit] * amount
        if _UNITS[unit].hours or _UNITS[unit].minutes:
            if self.offset is not None:
                self.fail("it holds two offsets")
            self.offset = delta
        else:
            self.set_date(self.today + delta)

    def local(self, day: date, at: time) -> datetime:
        """Wall-clock day+time in tz; refused if it falls in a DST gap, first one if repeated."""
        dt = datetime.combine(day, at, self.tz)  # fold=0: the first of two repeated times
        if dt.astimezone(UTC).astimezone(self.tz).replace(tzinfo=None) != dt.replace(tzinfo=None):
            self.fail(f"{day.isoformat()} {at:%H:%M} does not exist in {self.tz.key} "
                      "(clocks jump forward at that time)")  # fmt: skip
        return dt

    def part_time(self) -> time | None:
        """The time of the part of the day read: typed, or the part's own (``ce soir`` is
        19:00); an hour under 12 typed without am/pm is read in the afternoon or evening
        (``ce soir 8h`` is 20:00). A time outside the part is refused."""
        if self.part is None:
            return self.time
        default, hours = _PARTS[self.part]
        at = self.time
        if at is None:
            return default
        if not self.clock12 and self.part != "morning" and 1 <= at.hour < 12:
            at = at.replace(hour=at.hour + 12)
        if at.hour not in hours:
            self.fail(f"{at:%H:%M} is not in the {self.part}")
        return at

    def resolve(self, default_time: time | None) -> datetime:
        """Combine what was read into one aware datetime in tz."""
        if self.next_week and self.weekday is None:
            self.fail('"next"/"prochain" needs a weekday, as in "next monday"')
        if self.now_word:
            if (self.date, self.time, self.weekday, self.part, self.offset) != (
                    None, None, None, None, None):
                self.fail('"now" is the current time: it takes no date, time or offset')
            return self.now.replace(second=0, microsecond=0)
        if self.offset is not None:
            if (self.date, self.time, self.weekday, self.part) != (None, None, None, None):
                self.fail("an offset in hours or minutes cannot be combined with a date or time")
            moved = self.now.astimezone(UTC) + self.offset
            return moved.astimezone(self.tz).replace(second=0, microsecond=0)
        at = self.part_time() or default_time or time(9)
        day = self.date
        if self.weekday is not None:
            names = _WEEKDAY_ABBR["en"]
            if day is not None and day.weekday() != self.weekday:
                self.fail(f"{day.isoformat()} is a {names[day.weekday()]}, "
                          f"not a {names[self.weekday]}")  # fmt: skip
            if day is None and self.next_week:
                day = self.today + timedelta(days=7 - self.today.weekday() + self.weekday)
            elif day is None:
                day = self.today + timedelta(days=(self.weekday - self.today.weekday()) % 7)
                if day == self.today and self.local(day, at) <= self.now:
                    day += timedelta(days=7)
        day = day or self.today
        if self.utc_offset is not None:
            if not self.iso:
                self.fail("a UTC offset needs an ISO date, as in 2026-12-03T19:00Z")
            return datetime.combine(day, at, self.utc_offset).astimezone(self.tz)
        return self.local(day, at)


def parse_when(
    text: str, *, now: datetime, tz: ZoneInfo, default_time: time | None = None
) -> datetime:
    """Parse what people type into an aware datetime in tz (seconds zeroed). `now` is aware.

    English and French, case- and accent-insensitive. Rules:
    - A date without a time gets `default_time`, or 09:00 when that is None.
    - A time alone ("18h") means today at that time, even if it has already passed.
    - A bare weekday ("ven 10h") is the next such day, never in the past: today if that time is
      still ahead (strictly after `now`), otherwise the same weekday next week.
    - "next friday" / "vendredi prochain" is that weekday in the following Monday-based week,
      so on a Wednesday "next friday" is 9 days away and "next monday" 5.
    - "3 déc", "dec 3", "3/12" (day/month) without a year: this year, or next year if that date
      is before today. An explicit year is honoured even in the past. "mar" is mardi, except
      next to a day number ("3 mar", "mar 3"), where it is March; "mar 3 déc" is mardi.
    - "+2d", "in 2 days", "dans 2 jours" move the date (time as above; "+2d 10h" works);
      "+3h", "+30m" move the current instant and take no date or time.
    - "now" / "maintenant" is the current minute; "in 20 min" / "dans 20 min" (as "+20m").
    - A part of the day: "tonight" / "ce soir" (19:00), "this afternoon" / "cet après-midi"
      (14:00), "this morning" / "ce matin" (09:00), also after a day ("demain soir",
      "fri evening"); with a time, an hour under 12 in the afternoon or evening is read as
      the afternoon's ("ce soir 8h" is 20:00), and a time outside the part is refused.
      "noon" / "midi", "midnight" / "minuit" are times. Like a time alone, "tonight 19h"
      is today's even if it has passed: the caller says when a date is in the past.
    - ISO with an offset or Z is converted to tz.
    - DST: a local time in a spring-forward gap is refused; a repeated fall-back time takes its
      first occurrence (fold=0, the summer-time offset).
    Anything else - unknown words, impossible or ambiguous dates, two dates, a weekday that
    contradicts the date - raises DateParseError; nothing is guessed.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    reader, i = _Reader(text, now, tz), 0
    try:
        while i < len(reader.toks):
            i = reader.step(i)
        when = reader.resolve(default_time)
    except OverflowError:  # "+9999999d": past the end of datetime's calendar
        when = None
    if when is None or when.year not in YEARS:
        reader.fail(f"planterm plans between {YEARS[0]} and {YEARS[-1]}")
    return when


def repeated_time_note(when: datetime, tz: ZoneInfo) -> str | None:
    """A note when ``parse_when`` took the first of two equal wall-clock times (clocks going
    back in ``tz``), saying how to type the second one."""
    local = when.astimezone(tz)
    later = local.replace(fold=1)
    if local.fold or later.utcoffset() == local.utcoffset():
        return None
    return (f"{local:%Y-%m-%d %H:%M} happens twice in {tz.key} (clocks go back): took the "
            f"first, UTC{_offset(local)}; for the second, type "
            f"{local:%Y-%m-%dT%H:%M}{_offset(later)}")


def _offset(dt: datetime) -> str:
    """``+01:00`` for an aware datetime."""
    text = dt.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def split_leading_date(text: str, *, now: datetime, tz: ZoneInfo) -> tuple[datetime | None, str]:
    """For quick add: the longest run of leading words that parse as a date, and the rest.

    The rest is stripped. Returns (None, text) when no leading words parse as a date.
    """
    words = list(re.finditer(r"\S+", text))[:8]  # no date needs more than 8 words
    for n in range(len(words), 0, -1):
        end = words[n - 1].end()
        try:
            return parse_when(text[:end], now=now, tz=tz), text[end:].strip()
        except DateParseError:
            continue
    return None, text


def _period_dates(kind: Period, anchor: date, week_start: int) -> tuple[date, date]:
    """[start, end) of the period containing anchor, as dates."""
    if kind == "day":
        return anchor, anchor + timedelta(days=1)
    if kind == "week":
        start = anchor - timedelta(days=(anchor.weekday() - week_start) % 7)
        return start, start + timedelta(days=7)
    months = 1 if kind == "month" else 3
    start = anchor.replace(month=anchor.month - (anchor.month - 1) % months, day=1)
    return start, start + relativedelta(months=months)


def period_bounds(
    kind: Period, anchor: date, tz: ZoneInfo, week_start: int = 0
) -> tuple[datetime, datetime]:
    """[start, end) of the period containing anchor, aware datetimes at local midnight in tz.

    week_start: 0=Monday..6=Sunday. Both ends share the same tzinfo, so `end - start` is
    wall-clock time (always 7 days for a week); compare timestamps or UTC values to get the
    real length (167 h for a week with a spring-forward change).
    """
    start, end = _period_dates(kind, anchor, week_start)
    return datetime.combine(start, time(), tz), datetime.combine(end, time(), tz)


def shift_period(kind: Period, anchor: date, steps: int) -> date:
    """anchor moved by `steps` periods (month/quarter clamp the day: 31 Jan + 1 month = 28 Feb)."""
    if kind in ("day", "week"):
        return anchor + timedelta(days=steps * (1 if kind == "day" else 7))
    return anchor + relativedelta(months=steps * (1 if kind == "month" else 3))


def weekday_abbr(d: date, locale: str) -> str:
    """Short weekday name without a dot: 'Mon' / 'lun'."""
    return _WEEKDAY_ABBR[_lang(locale)][d.weekday()]


def month_name(month: int, locale: str) -> str:
    """Full month name: 'November' / 'novembre'."""
    return _MONTHS[_lang(locale)][month - 1]


def period_label(kind: Period, anchor: date, week_start: int = 0, locale: str = "en") -> str:
    """Heading for a period: 'week 48 · 23–29 Nov 2026', 'novembre 2026', 'Q4 2026', 'lun. 23 nov.'.

    The week number is the ISO week of the period's fourth day (its Thursday when weeks start
    on Monday). Quarters are 'Q4 2026' in English and 'T4 2026' (trimestre) in French.
    """
    lang = _lang(locale)
    abbr = _MONTH_ABBR[lang]
    if kind == "day":
        dot = "." if lang == "fr" else ""
        wd = weekday_abbr(anchor, lang)
        return f"{wd}{dot} {anchor.day} {abbr[anchor.month - 1]} {anchor.year}"
    if kind == "month":
        return f"{month_name(anchor.month, lang)} {anchor.year}"
    if kind == "quarter":
        return f"{'T' if lang == 'fr' else 'Q'}{(anchor.month - 1) // 3 + 1} {anchor.year}"
    first, end = _period_dates("week", anchor, week_start)
    last = end - timedelta(days=1)
    if first.year != last.year:
        span = (
            f"{first.day} {abbr[first.month - 1]} {first.year} – {last.day} {abbr[last.month - 1]}"
        )
    elif first.month != last.month:
        span = f"{first.day} {abbr[first.month - 1]} – {last.day} {abbr[last.month - 1]}"
    else:
        span = f"{first.day}–{last.day} {abbr[last.month - 1]}"
    number = (first + timedelta(days=3)).isocalendar().week
    return f"{'semaine' if lang == 'fr' else 'week'} {number} · {span} {last.year}"


def _rule_error(rule: str, why: str) -> DateParseError:
    return DateParseError(f'Bad repeat rule "{rule}": {why}.')


@functools.lru_cache(maxsize=1024)
def _build_rule(rule: str, dtstart: datetime, tz: tzinfo) -> rrule:
    """A dateutil rrule expanded in tz wall-clock time from dtstart; UNTIL read as RFC 5545.

    Kept for the next call (rrules are not changed by use): the calendar expands every
    recurring event for each period it shows, and parsing the rule was half of that.
    """
    body = rule.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    parts = [p.strip() for p in body.split(";") if p.strip()]
    values = {p.partition("=")[0].upper(): p.partition("=")[2] for p in parts}
    if "FREQ" not in values:
        raise _rule_error(rule, "FREQ is missing (e.g. FREQ=WEEKLY;BYDAY=TH)")
    if "COUNT" in values and "UNTIL" in values:
        raise _rule_error(rule, "COUNT and UNTIL cannot be used together")
    if not ((interval := values.get("INTERVAL", "1")).isdigit() and int(interval) >= 1):
        raise _rule_error(rule, "INTERVAL must be a whole number of at least 1")
    try:
        parsed = rrulestr(";".join(p for p in parts if not p.upper().startswith("UNTIL=")),
                          dtstart=dtstart.astimezone(tz))  # fmt: skip
    except (ValueError, TypeError, IndexError) as exc:
        raise _rule_error(rule, str(exc)) from None
    if not isinstance(parsed, rrule):
        raise _rule_error(rule, "expected a single RRULE")
    if "UNTIL" not in values:
        return parsed
    # UNTIL: 20261231T235959Z (UTC), 20261231T235959 (local wall time) or 20261231 (whole day).
    text = values["UNTIL"].upper()
    try:
        until = datetime.strptime(
            text, {8: "%Y%m%d", 15: "%Y%m%dT%H%M%S"}.get(len(text), "%Y%m%dT%H%M%SZ")
        )
    except ValueError:
        raise _rule_error(rule, "UNTIL must look like 20261231 or 20261231T235959Z") from None
    if len(text) == 8:
        until = until.replace(hour=23, minute=59, second=59)
    until = until.replace(tzinfo=UTC if text.endswith("Z") else tz)
    return parsed.replace(until=until)


def validate_rrule(rrule: str) -> None:
    """Raise DateParseError with a clear message if `rrule` is not a usable RRULE ('' is fine)."""
    if rrule.strip():
        _build_rule(rrule, datetime(2000, 1, 1, tzinfo=UTC), UTC)


def expand_rrule(
    rrule: str,
    dtstart: datetime,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    exdates: Sequence[datetime] = (),
) -> list[datetime]:
    """Occurrences of an RFC 5545 RRULE in [start, end), as aware UTC datetimes.

    dtstart is aware (UTC as stored). The rule is expanded in the local wall-clock time of tz,
    so an 18:30 Paris event stays at 18:30 local across DST changes; an occurrence falling in a
    spring-forward gap is shifted forward by the gap, as RFC 5545 says. exdates (aware) remove
    occurrences at the same instant. An empty rrule means the single occurrence dtstart.
    """
    excluded = {e.astimezone(UTC) for e in exdates}
    if rrule.strip():
        occurrences = _build_rule(rrule, dtstart, tz).between(start, end, inc=True)
    else:
        occurrences = [dtstart]
    utc = (o.astimezone(UTC) for o in occurrences if start <= o < end)
    return [o for o in utc if o not in excluded]


def to_local(dt: datetime, tz: ZoneInfo) -> datetime:
    """An aware datetime (e.g. stored UTC) as wall-clock time in tz; naive input is refused."""
    if dt.tzinfo is None:
        raise ValueError(f"{dt.isoformat()} has no time zone; store aware UTC datetimes")
    return dt.astimezone(tz)


def shift_wall_clock(dt: datetime, delta: timedelta, tz: ZoneInfo) -> datetime:
    """``dt`` moved by ``delta`` of local calendar time, in UTC: 18:30 stays 18:30 in ``tz``.

    Adding the days to the naive wall-clock time and re-attaching the zone keeps the hour
    when the move crosses a DST change (a plain UTC timedelta would turn 18:30 into 17:30).
    """
    local = to_local(dt, tz).replace(tzinfo=None)
    return (local + delta).replace(tzinfo=tz).astimezone(UTC)
