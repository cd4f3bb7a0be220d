"""Tests for planterm.dates: typed dates, periods and recurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from planterm.dates import (
    DateParseError,
    Period,
    expand_rrule,
    month_name,
    parse_when,
    period_bounds,
    period_label,
    repeated_time_note,
    shift_period,
    shift_wall_clock,
    split_leading_date,
    to_local,
    validate_rrule,
    weekday_abbr,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday


def when(text: str, now: datetime = NOW, default_time: time | None = None) -> datetime:
    """parse_when in Paris, checking the invariants every result must hold."""
    result = parse_when(text, now=now, tz=PARIS, default_time=default_time)
    assert result.tzinfo is PARIS
    assert (result.second, result.microsecond) == (0, 0)
    return result


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO
        ("2026-12-03T19:00", local(2026, 12, 3, 19, 0)),
        ("2026-12-03 19:00", local(2026, 12, 3, 19, 0)),
        ("2026-12-03", local(2026, 12, 3, 9, 0)),
        ("2026-12-03T18:00Z", local(2026, 12, 3, 19, 0)),
        ("2026-12-03T19:00:45+02:00", local(2026, 12, 3, 18, 0)),
        ("2026-12-03 17:30-0030", local(2026, 12, 3, 19, 0)),
        # relative days
        ("today 18:00", local(2026, 11, 25, 18, 0)),
        ("aujourd'hui 18h", local(2026, 11, 25, 18, 0)),
        ("Aujourd’hui 18h", local(2026, 11, 25, 18, 0)),
        ("tomorrow 9h", local(2026, 11, 26, 9, 0)),
        ("demain 9h", local(2026, 11, 26, 9, 0)),
        ("demain 9h30", local(2026, 11, 26, 9, 30)),
        ("demain à 9h", local(2026, 11, 26, 9, 0)),
        ("tomorrow at 7pm", local(2026, 11, 26, 19, 0)),
        ("après-demain", local(2026, 11, 27, 9, 0)),
        ("apres demain 14h", local(2026, 11, 27, 14, 0)),
        ("yesterday", local(2026, 11, 24, 9, 0)),
        ("hier 20h", local(2026, 11, 24, 20, 0)),
        # bare weekdays (NOW is Wednesday 10:00)
        ("fri 18:30", local(2026, 11, 27, 18, 30)),
        ("friday", local(2026, 11, 27, 9, 0)),
        ("ven 10h", local(2026, 11, 27, 10, 0)),
        ("vendredi 10h", local(2026, 11, 27, 10, 0)),
        ("lundi", local(2026, 11, 30, 9, 0)),
        ("Monday", local(2026, 11, 30, 9, 0)),
        ("lun. 14h", local(2026, 11, 30, 14, 0)),
        ("mar 10h", local(2026, 12, 1, 10, 0)),
        ("tue 10h", local(2026, 12, 1, 10, 0)),
        # next weekday: the weekday in the following Monday-based week
        ("next monday", local(2026, 11, 30, 9, 0)),
        ("lundi prochain", local(2026, 11, 30, 9, 0)),
        ("monday next", local(2026, 11, 30, 9, 0)),
        ("next friday 18h", local(2026, 12, 4, 18, 0)),
        ("vendredi prochain", local(2026, 12, 4, 9, 0)),
        ("next wednesday", local(2026, 12, 2, 9, 0)),
        # day and month
        ("3 déc 19h", local(2026, 12, 3, 19, 0)),
        ("3 dec 19:00", local(2026, 12, 3, 19, 0)),
        ("3 décembre", local(2026, 12, 3, 9, 0)),
        ("dec 3 7pm", local(2026, 12, 3, 19, 0)),
        ("December 3, 2026", local(2026, 12, 3, 9, 0)),
        ("3/12 19h", local(2026, 12, 3, 19, 0)),
        ("3/12/2027", local(2027, 12, 3, 9, 0)),
        ("3 déc 2027 19h", local(2027, 12, 3, 19, 0)),
        ("le 3 déc à 19h", local(2026, 12, 3, 19, 0)),
        ("jeu 3 déc", local(2026, 12, 3, 9, 0)),
        ("mar 1 déc", local(2026, 12, 1, 9, 0)),
        ("3 mar", local(2027, 3, 3, 9, 0)),
        ("mar 3", local(2027, 3, 3, 9, 0)),
        ("14 juillet 21h", local(2027, 7, 14, 21, 0)),
        ("1 janv", local(2027, 1, 1, 9, 0)),
        ("15 août", local(2027, 8, 15, 9, 0)),
        ("29 févr 2028", local(2028, 2, 29, 9, 0)),
        # relative offsets
        ("+2d", local(2026, 11, 27, 9, 0)),
        ("+2j", local(2026, 11, 27, 9, 0)),
        ("+1w", local(2026, 12, 2, 9, 0)),
        ("+3h", local(2026, 11, 25, 13, 0)),
        ("+30m", local(2026, 11, 25, 10, 30)),
        ("in 2 days", local(2026, 11, 27, 9, 0)),
        ("dans 2 jours", local(2026, 11, 27, 9, 0)),
        ("in 1 week", local(2026, 12, 2, 9, 0)),
        ("dans 1 mois", local(2026, 12, 25, 9, 0)),
        ("dans 2h", local(2026, 11, 25, 12, 0)),
        ("in 45 minutes", local(2026, 11, 25, 10, 45)),
        ("+2d 10h", local(2026, 11, 27, 10, 0)),
        # times alone: today, even if already past
        ("18:30", local(2026, 11, 25, 18, 30)),
        ("18h30", local(2026, 11, 25, 18, 30)),
        ("18h", local(2026, 11, 25, 18, 0)),
        ("9h", local(2026, 11, 25, 9, 0)),
        ("7pm", local(2026, 11, 25, 19, 0)),
        ("7:30 pm", local(2026, 11, 25, 19, 30)),
        ("7 PM", local(2026, 11, 25, 19, 0)),
        ("12am", local(2026, 11, 25, 0, 0)),
        ("12pm", local(2026, 11, 25, 12, 0)),
        ("midi", local(2026, 11, 25, 12, 0)),
        ("noon", local(2026, 11, 25, 12, 0)),
        ("minuit", local(2026, 11, 25, 0, 0)),
        ("demain midnight", local(2026, 11, 26, 0, 0)),
    ],
)
def test_parse_when_forms(text: str, expected: datetime) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(
    "text", ["3 dec", "3 déc", "3 decembre", "3 décembre", "3 DÉC.", "3 Décembre", "Dec 3"]
)
def test_month_words_ignore_case_and_accents(text: str) -> None:
    assert when(text) == local(2026, 12, 3, 9, 0)


@pytest.mark.parametrize("text", ["2026-12-03", "demain", "vendredi", "3 déc", "+2d"])
def test_date_alone_takes_default_time(text: str) -> None:
    assert when(text, default_time=time(18, 15)).time() == time(18, 15)
    assert when(text).time() == time(9, 0)


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        (local(2026, 11, 25, 10, 0), "mer 11h", local(2026, 11, 25, 11, 0)),  # later today
        (local(2026, 11, 25, 10, 0), "wed 9h", local(2026, 12, 2, 9, 0)),  # passed today
        (local(2026, 11, 25, 10, 0), "mer 10h", local(2026, 12, 2, 10, 0)),  # exactly now
        (local(2026, 11, 25, 10, 0), "mercredi", local(2026, 12, 2, 9, 0)),  # 09:00 passed
        (local(2026, 11, 25, 8, 0), "mercredi", local(2026, 11, 25, 9, 0)),  # 09:00 ahead
        (local(2026, 11, 25, 10, 0), "mardi 23h", local(2026, 12, 1, 23, 0)),  # yesterday's day
        (local(2026, 11, 29, 20, 0), "sun 21:00", local(2026, 11, 29, 21, 0)),
        (local(2026, 11, 29, 20, 0), "dimanche 19h", local(2026, 12, 6, 19, 0)),
    ],
)
def test_bare_weekday_today_or_next_week(now: datetime, text: str, expected: datetime) -> None:
    assert when(text, now=now) == expected


@pytest.mark.parametrize("offset_days", range(7))
@pytest.mark.parametrize(
    "word", ["lundi", "tuesday", "mer", "jeudi", "fri", "samedi", "sun 23h", "dim 0h"]
)
def test_bare_weekday_is_never_in_the_past(word: str, offset_days: int) -> None:
    now = NOW + timedelta(days=offset_days)
    result = when(word, now=now)
    assert now < result <= now + timedelta(days=7)


@pytest.mark.parametrize("offset_days", range(7))
def test_next_weekday_is_in_the_following_week(offset_days: int) -> None:
    now = NOW + timedelta(days=offset_days)
    for weekday, word in enumerate(["lundi", "mardi", "mercredi", "jeudi", "ven", "sam", "dim"]):
        result = when(f"{word} prochain", now=now)
        next_monday = now.date() + timedelta(days=7 - now.weekday())
        assert result.date() == next_monday + timedelta(days=weekday)
        assert result.date() > now.date()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 nov", date(2026, 11, 25)),  # today stays this year
        ("24 nov", date(2027, 11, 24)),  # yesterday rolls to next year
        ("24/11", date(2027, 11, 24)),
        ("24 nov 2026", date(2026, 11, 24)),  # explicit past year honoured
        ("3 déc 2025", date(2025, 12, 3)),
    ],
)
def test_day_month_year_rollover(text: str, expected: date) -> None:
    assert when(text).date() == expected


def test_hour_offset_counts_real_hours_across_dst() -> None:
    now = datetime(2026, 10, 25, 1, 30, tzinfo=PARIS)  # 23:30 UTC, summer time
    assert when("+3h", now=now) == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    assert when("+3h", now=now).utcoffset() == timedelta(hours=1)


def test_minute_offset_drops_seconds() -> None:
    assert when("+30m", now=NOW.replace(second=42, microsecond=7)) == local(2026, 11, 25, 10, 30)


def test_iso_offset_is_converted_to_tz() -> None:
    result = when("2026-07-01T12:00Z")
    assert result == local(2026, 7, 1, 14, 0)
    assert result.utcoffset() == timedelta(hours=2)


def test_repeated_fall_back_time_takes_first_occurrence() -> None:
    result = when("2026-10-25 02:30")
    assert result.fold == 0
    assert result.utcoffset() == timedelta(hours=2)
    assert result.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["0001-01-01 10:00", "1899-12-31", "2201-01-01", "9999-12-31", "+9999999d",
     "+99999999999999999999999d", "in 99999999 days", "dans 2000000 semaines", "+999999999h"],
)
def test_dates_outside_the_planned_years_are_refused(text: str) -> None:
    with pytest.raises(DateParseError, match="between 1900 and 2200"):
        when(text)


@pytest.mark.parametrize("text", ["1900-01-01 00:00", "2200-12-31 23:59"])
def test_the_planned_years_reach_their_ends(text: str) -> None:
    assert when(text).year in (1900, 2200)


def test_repeated_wall_clock_time_gets_a_note_naming_the_other() -> None:
    first = when("2026-10-25 02:30")
    note = repeated_time_note(first, PARIS)
    assert note is not None
    assert "happens twice" in note and "UTC+02:00" in note
    assert "2026-10-25T02:30+01:00" in note
    second = when("2026-10-25T02:30+01:00")
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    assert repeated_time_note(second, PARIS) is None


@pytest.mark.parametrize("text", ["2026-10-25 03:30", "2026-10-25 01:59", "2026-03-29 03:30"])
def test_times_that_happen_once_get_no_note(text: str) -> None:
    assert repeated_time_note(when(text), PARIS) is None


def test_now_in_another_zone_is_read_in_tz() -> None:
    now = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # already Thursday in Paris
    assert when("demain", now=now) == local(2026, 11, 27, 9, 0)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("demain", now=datetime(2026, 11, 25, 10), tz=PARIS)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("blorp", '"blorp" is not a date word'),
        ("demain blorp", '"blorp" is not a date word'),
        ("31 févr", "no day 31 in February"),
        ("31 avril", "no day 31 in April"),
        ("29 févr", "not a leap year"),
        ("2026-02-30", "not a real date"),
        ("25h", '"25h" is not a time of day'),
        ("18:75", '"18:75" is not a time of day'),
        ("13pm", "not a time of day"),
        ("3/4/5", "ambiguous"),
        ("3/4/26", "ambiguous"),
        ("3/13", "no month 13"),
        ("demain 3 déc", "two dates"),
        ("2026-12-03 demain", "two dates"),
        ("18h 19h", "two times"),
        ("lun mar", "two weekdays"),
        ("mon 3 dec", "2026-12-03 is a Thu, not a Mon"),
        ("vendredi 2026-12-03", "is a Thu, not a Fri"),
        ("3", "neither a date nor a time"),
        ("dec", "needs a day"),
        ("next", "needs a weekday"),
        ("prochain 3 déc", "needs a weekday"),
        ("+3h demain", "cannot be combined"),
        ("+30m 18h", "cannot be combined"),
        ("dans", "must be followed by an amount"),
        ("in 2 blorps", "must be followed by an amount"),
        ("demain à", '"à" must be followed'),
        ("18:00Z", "needs an ISO date"),
        ("2026-03-29 02:30", "does not exist in Europe/Paris"),
        ("3 déc 19h Vernissage", '"Vernissage" is not a date word'),
    ],
)
def test_refusals_quote_input_and_say_why(text: str, why: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, now=NOW, tz=PARIS)
    message = str(caught.value)
    assert f'"{text}"' in message
    assert why in message


@pytest.mark.parametrize(
    ("text", "expected_date", "rest"),
    [
        ("ven 10h @ig Teaser", local(2026, 11, 27, 10, 0), "@ig Teaser"),
        ("3 déc 19h Vernissage", local(2026, 12, 3, 19, 0), "Vernissage"),
        ("demain   le vernissage  ", local(2026, 11, 26, 9, 0), "le vernissage"),
        ("2026-12-03T19:00 Talk #art", local(2026, 12, 3, 19, 0), "Talk #art"),
        ("next friday 18h30 Visite guidée", local(2026, 12, 4, 18, 30), "Visite guidée"),
        ("+2d", local(2026, 11, 27, 9, 0), ""),
        ("Teaser du vernissage", None, "Teaser du vernissage"),
        ("3 posts for the festival", None, "3 posts for the festival"),
        ("", None, ""),
    ],
)
def test_split_leading_date(text: str, expected_date: datetime | None, rest: str) -> None:
    assert split_leading_date(text, now=NOW, tz=PARIS) == (expected_date, rest)


def hours(bounds: tuple[datetime, datetime]) -> float:
    """Real elapsed hours between two aware datetimes (same-tzinfo subtraction is wall-clock)."""
    return (bounds[1].timestamp() - bounds[0].timestamp()) / 3600


def test_week_with_spring_forward_has_167_hours() -> None:
    bounds = period_bounds("week", date(2026, 3, 29), PARIS)
    assert bounds == (local(2026, 3, 23), local(2026, 3, 30))
    assert hours(bounds) == 167


def test_week_with_fall_back_has_169_hours() -> None:
    bounds = period_bounds("week", date(2026, 10, 25), PARIS)
    assert bounds == (local(2026, 10, 19), local(2026, 10, 26))
    assert hours(bounds) == 169


@pytest.mark.parametrize(
    ("kind", "anchor", "week_start", "start", "end"),
    [
        ("day", date(2026, 11, 25), 0, date(2026, 11, 25), date(2026, 11, 26)),
        ("week", date(2026, 11, 25), 0, date(2026, 11, 23), date(2026, 11, 30)),
        ("week", date(2026, 11, 23), 0, date(2026, 11, 23), date(2026, 11, 30)),
        ("week", date(2026, 11, 29), 0, date(2026, 11, 23), date(2026, 11, 30)),
        ("week", date(2026, 11, 25), 6, date(2026, 11, 22), date(2026, 11, 29)),
        ("week", date(2026, 11, 29), 6, date(2026, 11, 29), date(2026, 12, 6)),
        ("week", date(2026, 11, 28), 6, date(2026, 11, 22), date(2026, 11, 29)),
        ("week", date(2026, 12, 31), 0, date(2026, 12, 28), date(2027, 1, 4)),
        ("month", date(2026, 11, 25), 0, date(2026, 11, 1), date(2026, 12, 1)),
        ("month", date(2026, 12, 31), 0, date(2026, 12, 1), date(2027, 1, 1)),
        ("month", date(2028, 2, 29), 0, date(2028, 2, 1), date(2028, 3, 1)),
        ("quarter", date(2026, 11, 25), 0, date(2026, 10, 1), date(2027, 1, 1)),
        ("quarter", date(2026, 1, 1), 0, date(2026, 1, 1), date(2026, 4, 1)),
        ("quarter", date(2026, 6, 30), 0, date(2026, 4, 1), date(2026, 7, 1)),
    ],
)
def test_period_bounds(kind: Period, anchor: date, week_start: int, start: date, end: date) -> None:
    lo, hi = period_bounds(kind, anchor, PARIS, week_start)
    assert (lo, hi) == (
        local(start.year, start.month, start.day),
        local(end.year, end.month, end.day),
    )
    assert lo.tzinfo is PARIS and hi.tzinfo is PARIS
    assert lo.time() == hi.time() == time(0)


def test_month_bounds_span_real_hours() -> None:
    assert hours(period_bounds("month", date(2026, 3, 10), PARIS)) == 31 * 24 - 1
    assert hours(period_bounds("month", date(2026, 10, 10), PARIS)) == 31 * 24 + 1
    assert hours(period_bounds("quarter", date(2026, 2, 1), PARIS)) == 90 * 24 - 1


@pytest.mark.parametrize(
    ("kind", "anchor", "steps", "expected"),
    [
        ("day", date(2026, 11, 30), 1, date(2026, 12, 1)),
        ("day", date(2026, 1, 1), -1, date(2025, 12, 31)),
        ("week", date(2026, 11, 25), 2, date(2026, 12, 9)),
        ("week", date(2026, 11, 25), -1, date(2026, 11, 18)),
        ("month", date(2026, 1, 31), 1, date(2026, 2, 28)),
        ("month", date(2028, 1, 31), 1, date(2028, 2, 29)),
        ("month", date(2026, 3, 31), -1, date(2026, 2, 28)),
        ("month", date(2026, 11, 25), 2, date(2027, 1, 25)),
        ("quarter", date(2026, 11, 30), 1, date(2027, 2, 28)),
        ("quarter", date(2026, 5, 15), -2, date(2025, 11, 15)),
        ("month", date(2026, 11, 25), 0, date(2026, 11, 25)),
    ],
)
def test_shift_period(kind: Period, anchor: date, steps: int, expected: date) -> None:
    assert shift_period(kind, anchor, steps) == expected


@pytest.mark.parametrize(
    ("kind", "anchor", "week_start", "locale", "expected"),
    [
        ("week", date(2026, 11, 25), 0, "en", "week 48 · 23–29 Nov 2026"),
        ("week", date(2026, 11, 25), 0, "fr", "semaine 48 · 23–29 nov. 2026"),
        ("week", date(2026, 12, 1), 0, "fr", "semaine 49 · 30 nov. – 6 déc. 2026"),
        ("week", date(2026, 12, 31), 0, "en", "week 53 · 28 Dec 2026 – 3 Jan 2027"),
        ("week", date(2026, 11, 25), 6, "en", "week 48 · 22–28 Nov 2026"),
        ("week", date(2026, 11, 29), 6, "fr_FR", "semaine 49 · 29 nov. – 5 déc. 2026"),
        ("month", date(2026, 11, 25), 0, "en", "November 2026"),
        ("month", date(2026, 11, 25), 0, "fr", "novembre 2026"),
        ("month", date(2026, 2, 1), 0, "fr", "février 2026"),
        ("quarter", date(2026, 11, 25), 0, "en", "Q4 2026"),
        ("quarter", date(2026, 3, 31), 0, "fr", "T1 2026"),
        ("day", date(2026, 11, 23), 0, "en", "Mon 23 Nov 2026"),
        ("day", date(2026, 11, 23), 0, "fr", "lun. 23 nov. 2026"),
        ("day", date(2026, 8, 15), 0, "fr", "sam. 15 août 2026"),
    ],
)
def test_period_label(
    kind: Period, anchor: date, week_start: int, locale: str, expected: str
) -> None:
    assert period_label(kind, anchor, week_start, locale) == expected


@pytest.mark.parametrize(
    ("locale", "day", "month"),
    [("en", "Tue", "November"), ("fr", "mar", "novembre"), ("fr-CA", "mar", "novembre")],
)
def test_weekday_abbr_and_month_name(locale: str, day: str, month: str) -> None:
    assert weekday_abbr(date(2026, 11, 24), locale) == day
    assert month_name(11, locale) == month


def test_names_cover_every_day_and_month() -> None:
    monday = date(2026, 11, 23)
    week = [weekday_abbr(monday + timedelta(days=i), "fr") for i in range(7)]
    assert week == ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]
    assert [month_name(m, "en") for m in (1, 8, 12)] == ["January", "August", "December"]
    assert [month_name(m, "fr") for m in (1, 8, 12)] == ["janvier", "août", "décembre"]


YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
THURSDAY_1830 = datetime(2026, 10, 8, 16, 30, tzinfo=UTC)  # 18:30 in Paris, summer time


def test_weekly_rule_keeps_local_time_across_dst() -> None:
    got = expand_rrule("FREQ=WEEKLY;BYDAY=TH;COUNT=4", THURSDAY_1830, *YEAR, PARIS)
    assert [o.hour for o in got] == [16, 16, 16, 17]  # UTC hour moves at the 25 Oct change
    assert all(o.tzinfo is UTC for o in got)
    assert {(o.astimezone(PARIS).hour, o.astimezone(PARIS).minute) for o in got} == {(18, 30)}
    assert [o.astimezone(PARIS).day for o in got] == [8, 15, 22, 29]


def test_count_limits_occurrences() -> None:
    got = expand_rrule("RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10", THURSDAY_1830, *YEAR, PARIS)
    assert len(got) == 10
    assert got[-1] == datetime(2026, 12, 10, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("until", "last_day"),
    [
        ("20261029T173000Z", 29),  # UTC, inclusive
        ("20261029T172959Z", 22),
        ("20261029T183000", 29),  # local wall time
        ("20261029", 29),  # whole local day
        ("20261028", 22),
    ],
)
def test_until_is_inclusive(until: str, last_day: int) -> None:
    got = expand_rrule(f"FREQ=WEEKLY;UNTIL={until}", THURSDAY_1830, *YEAR, PARIS)
    assert got[-1].astimezone(PARIS).day == last_day
    assert got[0] == THURSDAY_1830


def test_exdates_remove_occurrences() -> None:
    skipped = [
        datetime(2026, 10, 15, 18, 30, tzinfo=PARIS),
        datetime(2026, 10, 29, 17, 30, tzinfo=UTC),
    ]
    got = expand_rrule("FREQ=WEEKLY;COUNT=4", THURSDAY_1830, *YEAR, PARIS, exdates=skipped)
    assert [o.astimezone(PARIS).day for o in got] == [8, 22]


def test_range_is_half_open() -> None:
    start = datetime(2026, 10, 15, 16, 30, tzinfo=UTC)
    end = datetime(2026, 10, 29, 17, 30, tzinfo=UTC)
    got = expand_rrule("FREQ=WEEKLY", THURSDAY_1830, start, end, PARIS)
    assert got == [start, datetime(2026, 10, 22, 16, 30, tzinfo=UTC)]


def test_infinite_rule_is_bounded_by_range() -> None:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    got = expand_rrule("FREQ=DAILY", THURSDAY_1830, start, start + timedelta(days=3), PARIS)
    assert [o.astimezone(PARIS).date() for o in got] == [date(2030, 1, d) for d in (1, 2, 3)]
    assert {o.hour for o in got} == {17}


@pytest.mark.parametrize(
    ("start", "expected"),
    [(YEAR[0], [THURSDAY_1830]), (datetime(2026, 10, 9, tzinfo=UTC), [])],
)
def test_empty_rule_is_dtstart_when_in_range(start: datetime, expected: list[datetime]) -> None:
    assert expand_rrule("", THURSDAY_1830, start, YEAR[1], PARIS) == expected
    assert expand_rrule("  ", THURSDAY_1830, start, YEAR[1], PARIS, [THURSDAY_1830]) == []


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ("FREQ=SOMETIMES", "FREQ"),
        ("BYDAY=TH;COUNT=3", "FREQ is missing"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
        ("FREQ=WEEKLY;FOO=1", "unknown parameter"),
        ("FREQ=WEEKLY;COUNT=abc", "COUNT"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20261231", "COUNT and UNTIL"),
        ("FREQ=WEEKLY;UNTIL=2026-12-31", "UNTIL must look like"),
        ("FREQ=WEEKLY;UNTIL=20261399", "UNTIL must look like"),
        ("FREQ=WEEKLY\nRRULE:FREQ=DAILY", "single RRULE"),
    ],
)
def test_bad_rrule_is_refused(rule: str, why: str) -> None:
    with pytest.raises(DateParseError, match=why) as caught:
        validate_rrule(rule)
    assert f'"{rule}"' in str(caught.value)
    with pytest.raises(DateParseError):
        expand_rrule(rule, THURSDAY_1830, *YEAR, PARIS)


@pytest.mark.parametrize(
    "rule",
    ["", "FREQ=WEEKLY;BYDAY=TH;COUNT=10", "rrule:freq=daily;interval=2", "FREQ=MONTHLY;BYDAY=2TH"],
)
def test_good_rrule_validates_and_expands(rule: str) -> None:
    validate_rrule(rule)
    assert expand_rrule(rule, THURSDAY_1830, *YEAR, PARIS)[0] == THURSDAY_1830


def test_to_local() -> None:
    result = to_local(datetime(2026, 7, 1, 16, 30, tzinfo=UTC), PARIS)
    assert (result.tzinfo, result.hour, result.minute) == (PARIS, 18, 30)
    with pytest.raises(ValueError, match="no time zone"):
        to_local(datetime(2026, 7, 1, 16, 30), PARIS)


@pytest.mark.parametrize(
    ("start", "days", "expected_utc"),
    [
        # 18:30 Paris on Friday 23 Oct (UTC+2) moved 3 days lands after the change (UTC+1)
        (datetime(2026, 10, 23, 16, 30, tzinfo=UTC), 3, datetime(2026, 10, 26, 17, 30, tzinfo=UTC)),
        (datetime(2026, 3, 27, 17, 30, tzinfo=UTC), 3, datetime(2026, 3, 30, 16, 30, tzinfo=UTC)),
        (datetime(2026, 11, 25, 9, 0, tzinfo=UTC), -7, datetime(2026, 11, 18, 9, 0, tzinfo=UTC)),
    ],
)
def test_shift_wall_clock_keeps_the_local_hour(start: datetime, days: int,
                                               expected_utc: datetime) -> None:
    moved = shift_wall_clock(start, timedelta(days=days), PARIS)
    assert moved == expected_utc
    assert moved.astimezone(PARIS).time() == start.astimezone(PARIS).time()


# --- dates as people say them at work (issue 10) -------------------------------------


@pytest.mark.parametrize(
    ("english", "french", "expected"),
    [
        ("now", "maintenant", local(2026, 11, 25, 10, 0)),
        ("in 20 min", "dans 20 min", local(2026, 11, 25, 10, 20)),
        ("in 20 minutes", "dans 20 minutes", local(2026, 11, 25, 10, 20)),
        ("tonight 19h", "ce soir 19h", local(2026, 11, 25, 19, 0)),
        ("tonight", "ce soir", local(2026, 11, 25, 19, 0)),
        ("this evening 8pm", "ce soir 20h", local(2026, 11, 25, 20, 0)),
        ("tonight 8:30", "ce soir 8h30", local(2026, 11, 25, 20, 30)),
        ("this afternoon 15h", "cet après-midi 15h", local(2026, 11, 25, 15, 0)),
        ("this afternoon 3pm", "cet aprem 3h", local(2026, 11, 25, 15, 0)),
        ("this afternoon", "cet apres midi", local(2026, 11, 25, 14, 0)),
        ("this morning 9h", "ce matin 9h", local(2026, 11, 25, 9, 0)),
        ("noon", "midi", local(2026, 11, 25, 12, 0)),
        ("midday", "ce midi", local(2026, 11, 25, 12, 0)),
        ("tomorrow noon", "demain midi", local(2026, 11, 26, 12, 0)),
        ("tomorrow evening", "demain soir", local(2026, 11, 26, 19, 0)),
        ("friday evening 18h30", "vendredi soir 18h30", local(2026, 11, 27, 18, 30)),
        ("this friday", "ce vendredi", local(2026, 11, 27, 9, 0)),
        ("3 dec evening", "3 déc soir", local(2026, 12, 3, 19, 0)),
    ],
)
def test_work_phrases_in_both_languages(english: str, french: str, expected: datetime) -> None:
    assert when(english) == expected
    assert when(french) == expected
    assert when(french.upper()) == expected


def test_now_is_the_current_minute() -> None:
    assert when("now", local(2026, 11, 25, 10, 0) + timedelta(seconds=59.9)) == local(
        2026, 11, 25, 10, 0)


def test_a_part_of_the_day_that_has_passed_is_still_today() -> None:
    late = local(2026, 11, 25, 21, 0)
    assert when("ce soir 19h", late) == local(2026, 11, 25, 19, 0)
    assert when("this morning", late) == local(2026, 11, 25, 9, 0)


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # around midnight: the day is the day of `now`, an offset crosses into the next
        (local(2026, 11, 25, 23, 50), "in 20 min", local(2026, 11, 26, 0, 10)),
        (local(2026, 11, 25, 23, 50), "dans 20 min", local(2026, 11, 26, 0, 10)),
        (local(2026, 11, 25, 23, 59) + timedelta(seconds=59), "now", local(2026, 11, 25, 23, 59)),
        (local(2026, 11, 26, 0, 0), "maintenant", local(2026, 11, 26, 0, 0)),
        (local(2026, 11, 25, 23, 59), "tonight 23h30", local(2026, 11, 25, 23, 30)),
        (local(2026, 11, 26, 0, 5), "ce soir 19h", local(2026, 11, 26, 19, 0)),
        (local(2026, 11, 26, 0, 5), "midi", local(2026, 11, 26, 12, 0)),
        (local(2026, 11, 25, 23, 59), "demain midi", local(2026, 11, 26, 12, 0)),
        # across DST: minutes are real minutes, a part of the day is wall-clock time
        (local(2026, 3, 29, 1, 50), "in 20 min", local(2026, 3, 29, 3, 10)),
        (local(2026, 3, 29, 1, 50), "dans 20 min", local(2026, 3, 29, 3, 10)),
        (local(2026, 3, 28, 23, 0), "demain soir", local(2026, 3, 29, 19, 0)),
        (local(2026, 3, 29, 1, 0), "ce soir 19h", local(2026, 3, 29, 19, 0)),
        (local(2026, 10, 25, 1, 0), "tonight 19h", local(2026, 10, 25, 19, 0)),
        (local(2026, 10, 25, 0, 30), "cet après-midi 15h", local(2026, 10, 25, 15, 0)),
        (local(2026, 10, 25, 12, 0), "noon", local(2026, 10, 25, 12, 0)),
    ],
)
def test_work_phrases_around_midnight_and_dst(now: datetime, text: str,
                                              expected: datetime) -> None:
    got = when(text, now)
    assert got == expected
    assert got.utcoffset() == expected.utcoffset()


def test_twenty_minutes_across_fall_back_are_twenty_real_minutes() -> None:
    # 02:50 summer time, clocks go back at 03:00 to 02:00: twenty minutes later is 02:10 winter
    summer = datetime(2026, 10, 25, 0, 50, tzinfo=UTC).astimezone(PARIS)
    got = when("dans 20 min", summer)
    assert got.astimezone(UTC) == datetime(2026, 10, 25, 1, 10, tzinfo=UTC)
    assert f"{got:%H:%M}" == "02:10"


def test_now_in_the_repeated_hour_keeps_its_instant() -> None:
    second = datetime(2026, 10, 25, 1, 15, tzinfo=UTC).astimezone(PARIS)  # 02:15 winter time
    assert when("now", second).astimezone(UTC) == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("now 18h", '"now" is the current time: it takes no date, time or offset'),
        ("maintenant demain", '"now" is the current time'),
        ("now now", 'it says "now" twice'),
        ("tonight 7am", "07:00 is not in the evening"),
        ("ce soir midi", "12:00 is not in the evening"),
        ("ce matin 15h", "15:00 is not in the morning"),
        ("cet après-midi 20h", "20:00 is not in the afternoon"),
        ("soir matin", "it names two parts of the day (evening and morning)"),
        ("ce 3 déc", '"ce" must be followed by a part of the day or a weekday'),
        ("this", '"this" must be followed by a part of the day or a weekday'),
        ("tonight +2h", "an offset in hours or minutes cannot be combined"),
        ("dans 20", '"dans" must be followed by an amount'),
    ],
)
def test_work_phrases_refused_say_why(text: str, why: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, now=NOW, tz=PARIS)
    assert f'"{text}"' in str(caught.value)
    assert why in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected_date", "rest"),
    [
        ("ce soir 19h @ig Vernissage", local(2026, 11, 25, 19, 0), "@ig Vernissage"),
        ("dans 20 min Live du hall", local(2026, 11, 25, 10, 20), "Live du hall"),
        ("maintenant Ouverture", local(2026, 11, 25, 10, 0), "Ouverture"),
    ],
)
def test_quick_add_reads_work_phrases_first(text: str, expected_date: datetime,
                                            rest: str) -> None:
    assert split_leading_date(text, now=NOW, tz=PARIS) == (expected_date, rest)
