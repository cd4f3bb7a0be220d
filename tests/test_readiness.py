"""Readiness: the problems that keep a post from its status, and the text that goes out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from planterm.model import Post, Status
from planterm.readiness import WARN_MARK, doc_problems, outgoing_text, over_limits, problems

WHEN = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


def post(**fields: object) -> Post:
    """A ready scheduled post on X and Instagram, with ``fields`` changed."""
    base: dict[str, object] = {"title": "Vernissage", "body": "Ce soir au musée",
                               "channels": ["x", "instagram"], "status": Status.SCHEDULED,
                               "scheduled": WHEN}
    return Post(**(base | fields))  # type: ignore[arg-type]


def test_the_mark_is_a_sign() -> None:
    assert WARN_MARK == "⚠"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, []),
        ({"body": "a" * 334}, ["X 334/280 (54 over)"]),
        ({"variants": {"x": "a" * 290}}, ["X 290/280 (10 over)"]),
        ({"body": "#a #b #c #d #e #f"}, ["Instagram 6 hashtags (max 5)"]),
        ({"body": "a" * 270, "hashtags": ["#VernissagePrehistoire"]}, ["X 293/280 (13 over)"]),
        ({"scheduled": None}, ["scheduled without a time"]),
        ({"channels": []}, ["scheduled without a channel"]),
        ({"body": ""}, ["scheduled with an empty body"]),
        ({"body": " \n", "status": Status.APPROVED}, ["approved with an empty body"]),
        ({"body": "", "variants": {"x": "Ce soir"}}, ["scheduled with no text for Instagram"]),
        ({"body": "", "variants": {"x": "a", "instagram": "b"}}, []),
        ({"body": "", "status": Status.DRAFT}, []),
        ({"body": "", "status": Status.REVIEW, "scheduled": None, "channels": []}, []),
        ({"flags": ["restes-humains"], "checklist": {"relecture": False}},
         ["sensitive, scheduled with its review checklist not done"]),
        ({"flags": ["restes-humains"], "checklist": {"relecture": True}}, []),
        ({"status": Status.DRAFT, "body": "a" * 300}, ["X 300/280 (20 over)"]),
        ({"status": Status.PUBLISHED, "body": "a" * 300, "channels": []}, []),
        ({"status": Status.CANCELLED, "body": ""}, []),
        ({"channels": ["x", "unknown"]}, []),
    ],
)
def test_problems(fields: dict[str, object], expected: list[str]) -> None:
    assert problems(post(**fields)) == expected
    # the same read from the stored document, as list --json and check read it
    assert doc_problems(post(**fields).to_doc()) == expected


def test_several_problems_are_each_one_line() -> None:
    found = problems(post(body="", scheduled=None, channels=[]))
    assert found == ["scheduled without a time", "scheduled without a channel",
                     "scheduled with an empty body"]


def test_doc_problems_reads_missing_fields_as_from_doc_does() -> None:
    doc = post(body="", scheduled=None, channels=[], uid="u1").to_doc()
    for name in ("body", "variants", "channels", "hashtags", "flags", "checklist"):
        del doc[name]
    doc["scheduled"] = None
    assert doc_problems(doc) == problems(Post.from_doc(doc)) == [
        "scheduled without a time", "scheduled without a channel",
        "scheduled with an empty body"]
    del doc["status"]  # an idea
    assert doc_problems(doc) == problems(Post.from_doc(doc)) == []


def test_over_limits_ignore_status() -> None:
    assert over_limits(post(status=Status.IDEA, body="a" * 281, channels=["x"])) == [
        "X 281/280 (1 over)"]


@pytest.mark.parametrize(
    ("fields", "channel", "expected"),
    [
        ({}, "x", "Ce soir au musée"),
        ({"variants": {"x": "Court"}}, "x", "Court"),
        ({"variants": {"x": "Court"}}, "instagram", "Ce soir au musée"),
        ({"hashtags": ["#Musée", "#soir"]}, "x", "Ce soir au musée #Musée #soir"),
        ({"body": "Ce soir #musee", "hashtags": ["#Musée"]}, "x", "Ce soir #musee"),
        ({"body": "", "hashtags": ["#a"]}, "x", "#a"),
        ({"body": "line one\nline two"}, "x", "line one\nline two"),
    ],
)
def test_outgoing_text(fields: dict[str, object], channel: str, expected: str) -> None:
    assert outgoing_text(post(**fields), channel) == expected
