"""The model: documents round-trip, bad values name their field, status rules hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from planterm.model import (
    POST,
    Category,
    Event,
    ModelError,
    Post,
    Status,
    TransitionError,
    check_transition,
    iso,
    next_status,
    parse_iso,
    previous_status,
    reachable_statuses,
    with_status,
)

WHEN = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
UID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_post_round_trip() -> None:
    post = Post(title="Vernissage", body="Ce soir", channels=["instagram"], status=Status.DRAFT,
                scheduled=WHEN, objectives=["visites"], themes=["prehistoire"], event=3,
                hashtags=["#musee"], flags=["restes-humains"], checklist={"relu": True},
                uid=UID)
    doc = post.to_doc()
    assert doc["scheduled"] == "2026-12-03T18:00:00Z" and doc["uid"] == UID
    back = Post.from_doc(doc, 7)
    assert back.to_doc() == doc
    assert (back.id, back.scheduled, back.status, back.uid) == (7, WHEN, Status.DRAFT, UID)


def test_event_round_trip() -> None:
    event = Event(title="Visite", start=WHEN, rrule="FREQ=WEEKLY;BYDAY=SA", exdates=[WHEN],
                  uid=UID)
    assert Event.from_doc(event.to_doc(), 2).to_doc() == event.to_doc()


def test_times_are_zero_padded_and_read_back() -> None:
    far = datetime(1, 1, 1, 10, 0, tzinfo=UTC)
    assert iso(far) == "0001-01-01T10:00:00Z"
    assert parse_iso(iso(far), "on") == far
    assert iso(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)) == "9999-12-31T23:59:59Z"
    with pytest.raises(ModelError, match="out of range"):
        iso(datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=5))))


def good(**fields: object) -> dict[str, object]:
    """A stored post document with ``fields`` changed."""
    return {**Post(title="x", uid=UID).to_doc(), **fields}


@pytest.mark.parametrize(
    ("doc", "field", "says"),
    [
        (good(title=""), "title", "must not be empty"),
        (good(status="done"), "status", "'done' is not a status"),
        (good(status=["idea"]), "status", "['idea'] is not a status"),
        (good(scheduled="demain"), "scheduled", "'demain' is not an ISO 8601 time"),
        (good(scheduled="2026-12-03T18:00:00"), "scheduled", "has no time zone"),
        (good(scheduled="1-01-01T10:00:00Z"), "scheduled", "is not an ISO 8601 time"),
        (good(scheduled="0001-01-01T00:30:00+05:00"), "scheduled", "is out of range"),
        (good(channels="ig"), "channels", "expected a list of text"),
        (good(channels=["ig", 3]), "channels", "expected a list of text"),
        (good(event="3"), "event", "expected a whole number"),
        (good(event=True), "event", "expected a whole number"),
        (good(variants=["x"]), "variants", "expected a table of text"),
        (good(checklist={"relu": "yes"}), "checklist", "expected a table of true or false"),
        (good(live="no"), "live", "expected true or false"),
        (good(created=None), "created", "must not be empty"),
        (good(extra=1), "extra", "not a field of this table"),
        ({k: v for k, v in good().items() if k != "uid"}, "uid", "missing"),
    ],
)
def test_bad_post_documents_name_the_field(doc: dict, field: str, says: str) -> None:
    assert POST.problem(doc) is not None
    with pytest.raises(ModelError) as err:
        Post.from_doc(doc)
    assert err.value.field == field
    assert says in err.value.problem
    assert str(err.value).startswith(f"{field}: ")


def test_a_deeply_nested_value_is_refused_in_one_short_line() -> None:
    deep: object = "x"
    for _ in range(500):
        deep = {"x": deep}
    with pytest.raises(ModelError) as err:
        Post.from_doc(good(variants=deep))
    assert err.value.field == "variants"
    assert len(str(err.value)) < 120 and "\n" not in str(err.value)


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
        Event.from_doc({"title": "x", "uid": UID})


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
        (Status.PUBLISHED, Status.SCHEDULED, True),
        (Status.PUBLISHED, Status.APPROVED, False),
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


@pytest.mark.parametrize("status", list(Status))
def test_reachable_statuses_are_exactly_the_steps_the_flow_allows(status: Status) -> None:
    post = Post(title="x", status=status, scheduled=WHEN)
    allowed = []
    for new in Status:
        try:
            check_transition(post, new)
        except TransitionError:
            continue
        allowed.append(new)
    assert reachable_statuses(post) == allowed


def test_reachable_statuses_leave_content_gates_to_the_check() -> None:
    post = Post(title="x", status=Status.APPROVED)  # no date: scheduling is refused on save
    assert reachable_statuses(post) == [Status.REVIEW, Status.SCHEDULED, Status.CANCELLED]
    with pytest.raises(TransitionError, match="date"):
        check_transition(post, Status.SCHEDULED)


def test_published_goes_back_to_scheduled_with_its_link_kept_in_the_notes() -> None:
    post = Post(title="x", status=Status.PUBLISHED, scheduled=WHEN,
                link="https://instagram.com/p/abc", notes="photo: Anne")
    back = with_status(post, Status.SCHEDULED)
    assert back.status is Status.SCHEDULED
    assert back.link == ""
    assert back.notes == "photo: Anne\npublished at https://instagram.com/p/abc"
    assert with_status(replace(post, notes=""), Status.SCHEDULED).notes == (
        "published at https://instagram.com/p/abc")
    assert with_status(post, Status.CANCELLED).link == post.link


@pytest.mark.parametrize("new", [Status.APPROVED, Status.SCHEDULED])
def test_a_post_over_a_channel_limit_cannot_move_forward_into(new: Status) -> None:
    old = Status.REVIEW if new is Status.APPROVED else Status.APPROVED
    post = Post(title="x", status=old, scheduled=WHEN, body="a" * 334, channels=["x", "bluesky"])
    with pytest.raises(TransitionError) as refused:
        check_transition(post, new)
    assert str(refused.value) == (
        f"too long to be {new}: X 334/280 (54 over); Bluesky 334/300 (34 over)")
    assert with_status(replace(post, body="a" * 280, channels=["x"]), new).status is new


def test_an_over_long_post_can_still_step_back_or_be_cancelled() -> None:
    post = Post(title="x", status=Status.SCHEDULED, scheduled=WHEN, body="a" * 400,
                channels=["x"])
    assert with_status(post, Status.APPROVED).status is Status.APPROVED
    assert with_status(post, Status.CANCELLED).status is Status.CANCELLED
    review = replace(post, status=Status.DRAFT)
    assert with_status(review, Status.REVIEW).status is Status.REVIEW


def test_too_many_hashtags_is_over_the_limit_too() -> None:
    post = Post(title="x", status=Status.REVIEW, body="#a #b #c #d #e #f",
                channels=["instagram"])
    with pytest.raises(TransitionError, match=r"Instagram 6 hashtags \(max 5\)"):
        check_transition(post, Status.APPROVED)
