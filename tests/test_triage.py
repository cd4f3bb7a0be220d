"""The triage moves as pure functions: status steps, moves across DST, duplicates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from planterm.model import Post, Status, TransitionError
from planterm.triage import TriageError, duplicate, free_slot, shift_days, step_status

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_step_status_both_ways() -> None:
    post = Post(title="A", status=Status.DRAFT)
    assert step_status(post, True, NOW).status is Status.REVIEW
    assert step_status(post, False, NOW).status is Status.IDEA


@pytest.mark.parametrize(
    ("post", "forward", "reason"),
    [
        (Post(title="A", status=Status.PUBLISHED), True, "last status"),
        (Post(title="A", status=Status.IDEA), False, "first status"),
        (Post(title="A", status=Status.APPROVED), True, "needs a date"),
        (Post(title="A", status=Status.REVIEW, flags=["human-remains"]), True, "checklist"),
    ],
)
def test_refused_steps_say_why(post: Post, forward: bool, reason: str) -> None:
    with pytest.raises(TransitionError, match=reason):
        step_status(post, forward, NOW)


def test_shift_keeps_the_local_time_across_dst() -> None:
    # Saturday 24 October 2026 18:30 in Paris is summer time; the Monday after is winter time
    post = Post(title="A", scheduled=datetime(2026, 10, 24, 18, 30, tzinfo=PARIS))
    moved = shift_days(post, 2, PARIS)
    assert moved.scheduled is not None
    assert moved.scheduled.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 10, 26, 18, 30)
    assert moved.scheduled.tzinfo is UTC
    back = shift_days(moved, -2, PARIS)
    assert back.scheduled == post.scheduled


def test_shift_of_an_unscheduled_post_is_refused() -> None:
    with pytest.raises(TriageError, match="no date"):
        shift_days(Post(title="Idea"), 1, PARIS)


def test_duplicate_is_a_new_unreviewed_copy() -> None:
    post = Post(title="A", status=Status.PUBLISHED, id=7, link="https://x", live=True,
                checklist={"sources": True}, channels=["x"],
                uid="0f8fad5b-d9cb-469f-a165-70867728950e")
    copy = duplicate(post)
    assert (copy.id, copy.uid) == (None, "")  # another post: the store gives it its own
    assert (copy.status, copy.link, copy.live) == (Status.DRAFT, "", False)
    assert copy.checklist == {"sources": False} and copy.title == "A"
    copy.channels.append("facebook")
    assert post.channels == ["x"]
    assert duplicate(Post(title="B")).status is Status.IDEA


def test_s_takes_a_published_post_back_to_scheduled() -> None:
    post = Post(title="A", status=Status.PUBLISHED, scheduled=NOW, link="https://x.com/1")
    back = step_status(post, False, NOW)
    assert (back.status, back.link, back.notes) == (
        Status.SCHEDULED, "", "published at https://x.com/1")


def at(day: date, hour: int, minute: int = 0) -> Post:
    """A post at a local time of ``day`` in Paris."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
    return Post(title="A", scheduled=local.astimezone(UTC))


DAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([], (10, 0)),
        ([(9, 0)], (9, 30)),
        ([(18, 10), (9, 0)], (18, 30)),
        ([(18, 30)], (19, 0)),
        ([(23, 30)], (10, 0)),
        ([(10, 5), (23, 45)], (10, 30)),
        ([(h, m) for h in range(10, 24) for m in (0, 30)], (0, 0)),
        ([(h, m) for h in range(24) for m in (0, 30)], (10, 0)),
    ],
)
def test_free_slot(times: list[tuple[int, int]], expected: tuple[int, int]) -> None:
    posts = [at(DAY, h, m) for h, m in times] + [at(date(2026, 11, 26), 8)]
    slot = free_slot(DAY, posts, PARIS)
    assert slot.tzinfo is UTC
    local = slot.astimezone(PARIS)
    assert (local.date(), local.hour, local.minute) == (DAY, *expected)


def test_free_slot_skips_the_hour_that_does_not_exist() -> None:
    day = date(2026, 3, 29)  # Paris springs forward from 02:00 to 03:00
    slot = free_slot(day, [at(day, 1, 40)], PARIS).astimezone(PARIS)
    assert (slot.hour, slot.minute, slot.utcoffset()) == (3, 0, PARIS.utcoffset(
        datetime(2026, 3, 29, 12)))


def test_free_slot_uses_the_day_of_the_users_zone() -> None:
    # 23:30 in Paris on the 24th is 22:30 UTC: not a post of the 25th
    posts = [Post(title="A", scheduled=datetime(2026, 11, 24, 22, 30, tzinfo=UTC))]
    assert free_slot(DAY, posts, PARIS) == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
