"""The triage moves as pure functions: status steps, moves across DST, duplicates."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from planterm.model import Post, Status, TransitionError
from planterm.triage import TriageError, duplicate, shift_days, step_status

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
