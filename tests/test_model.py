"""The model: documents round-trip, bad values name their field, status rules hold."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from planterm.model import (
    Category,
    Event,
    ModelError,
    Post,
    Status,
    TransitionError,
    check_transition,
    next_status,
    previous_status,
    with_status,
)

WHEN = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


def test_post_round_trip() -> None:
    post = Post(title="Vernissage", body="Ce soir", channels=["instagram"], status=Status.DRAFT,
                scheduled=WHEN, objectives=["visites"], themes=["prehistoire"], event=3,
                hashtags=["#musee"], flags=["restes-humains"], checklist={"relu": True})
    doc = post.to_doc()
    assert doc["scheduled"] == "2026-12-03T18:00:00Z"
    back = Post.from_doc(doc, 7)
    assert back.to_doc() == doc
    assert (back.id, back.scheduled, back.status) == (7, WHEN, Status.DRAFT)


def test_event_round_trip() -> None:
    event = Event(title="Visite", start=WHEN, rrule="FREQ=WEEKLY;BYDAY=SA", exdates=[WHEN])
    assert Event.from_doc(event.to_doc(), 2).to_doc() == event.to_doc()


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x", "status": "done"}, "status"),
        ({"title": "x", "scheduled": "demain"}, "scheduled"),
        ({"title": "x", "scheduled": "2026-12-03T18:00:00"}, "scheduled"),
        ({"title": "x", "channels": "ig"}, "channels"),
        ({"title": "x", "event": "3"}, "event"),
        ({"title": "x", "variants": ["x"]}, "variants"),
    ],
)
def test_bad_post_documents_name_the_field(doc: dict, field: str) -> None:
    with pytest.raises(ModelError) as err:
        Post.from_doc(doc)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"key": "Bad Key", "name": "x"}, "key"),
        ({"key": "ok", "name": ""}, "name"),
        ({"key": "ok", "name": "x", "target_share": 120}, "target_share"),
        ({"key": "ok", "name": "x", "colour": "red"}, "colour"),
        ({"key": "ok", "name": "x", "target_per_month": -1}, "target_per_month"),
    ],
)
def test_bad_categories_name_the_field(doc: dict, field: str) -> None:
    with pytest.raises(ModelError) as err:
        Category.from_doc(doc)
    assert err.value.field == field


def test_event_needs_a_start() -> None:
    with pytest.raises(ModelError, match="start"):
        Event.from_doc({"title": "x"})


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        (Status.IDEA, Status.DRAFT, True),
        (Status.DRAFT, Status.REVIEW, True),
        (Status.REVIEW, Status.APPROVED, True),
        (Status.APPROVED, Status.SCHEDULED, True),
        (Status.SCHEDULED, Status.PUBLISHED, True),
        (Status.REVIEW, Status.DRAFT, True),
        (Status.IDEA, Status.APPROVED, False),
        (Status.DRAFT, Status.PUBLISHED, False),
        (Status.PUBLISHED, Status.SCHEDULED, False),
        (Status.PUBLISHED, Status.CANCELLED, True),
        (Status.DRAFT, Status.CANCELLED, True),
        (Status.CANCELLED, Status.DRAFT, True),
        (Status.CANCELLED, Status.REVIEW, False),
        (Status.DRAFT, Status.DRAFT, False),
    ],
)
def test_transitions(old: Status, new: Status, ok: bool) -> None:
    post = Post(title="x", status=old, scheduled=WHEN)
    if ok:
        assert with_status(post, new).status is new
    else:
        with pytest.raises(TransitionError):
            check_transition(post, new)


def test_refusal_gives_a_reason() -> None:
    with pytest.raises(TransitionError, match="one step at a time"):
        check_transition(Post(title="x"), Status.APPROVED)


def test_sensitive_post_needs_its_checklist_before_approval() -> None:
    post = Post(title="x", status=Status.REVIEW, flags=["restes-humains"],
                checklist={"relecture": True, "ton questionnant": False})
    with pytest.raises(TransitionError, match="ton questionnant"):
        check_transition(post, Status.APPROVED)
    post.checklist["ton questionnant"] = True
    assert with_status(post, Status.APPROVED).status is Status.APPROVED


def test_scheduling_needs_a_date() -> None:
    with pytest.raises(TransitionError, match="date"):
        check_transition(Post(title="x", status=Status.APPROVED), Status.SCHEDULED)


def test_next_and_previous() -> None:
    assert next_status(Status.IDEA) is Status.DRAFT
    assert previous_status(Status.REVIEW) is Status.DRAFT
    assert next_status(Status.CANCELLED) is Status.DRAFT
    with pytest.raises(TransitionError):
        next_status(Status.PUBLISHED)
    with pytest.raises(TransitionError):
        previous_status(Status.IDEA)


def test_every_status_has_a_distinct_symbol() -> None:
    assert len({s.symbol for s in Status}) == len(Status)
