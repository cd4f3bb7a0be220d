"""parse_quick_add: one typed line becomes a new post, or a ModelError naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planterm.demo import write_demo
from planterm.edits import outgoing_text, parse_quick_add
from planterm.model import ModelError, Post, Status
from planterm.store import Store

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday
DEFAULTS = ("instagram", "mastodon")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """The demo plan around the week of NOW."""
    return Store(write_demo(tmp_path / "demo.json", date(2026, 11, 25), PARIS))


def parse(store: Store, line: str) -> Post:
    """The line parsed with the fixed clock and default channels."""
    return parse_quick_add(line, store, now=NOW, tz=PARIS, default_channels=DEFAULTS)


@pytest.mark.parametrize(
    ("line", "local"),
    [
        ("ven 10h Teaser", datetime(2026, 11, 27, 10, 0)),
        ("fri 18:30 Teaser", datetime(2026, 11, 27, 18, 30)),
        ("demain 9h Teaser", datetime(2026, 11, 26, 9, 0)),
        ("tomorrow 7pm Teaser", datetime(2026, 11, 26, 19, 0)),
        ("3 déc 19h Teaser", datetime(2026, 12, 3, 19, 0)),
        ("dec 3 19h Teaser", datetime(2026, 12, 3, 19, 0)),
        ("2026-12-03T19:00 Teaser", datetime(2026, 12, 3, 19, 0)),
        ("vendredi prochain 10h Teaser", datetime(2026, 12, 4, 10, 0)),
        ("Teaser", None),
    ],
)
def test_leading_date_in_french_or_english(store: Store, line: str, local: datetime | None) -> None:
    post = parse(store, line)
    assert post.title == "Teaser"
    if local is None:
        assert post.scheduled is None
    else:
        assert post.scheduled == local.replace(tzinfo=PARIS)
        assert post.scheduled is not None and post.scheduled.tzinfo is UTC


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("Teaser @ig @fb", "channels", ["instagram", "facebook"]),
        ("Teaser @insta @instagram @X", "channels", ["instagram", "x"]),
        ("Teaser @twitter @bsky", "channels", ["x", "bluesky"]),
        ("Teaser", "channels", list(DEFAULTS)),
        ("Teaser +prehistoire +societes", "themes", ["prehistoire", "societes"]),
        ("Teaser +préhistoire +PREHISTOIRE", "themes", ["prehistoire"]),
        ("Teaser !visites", "objectives", ["visites"]),
        ("Teaser !Débat", "objectives", ["debat"]),
        ("Teaser", "themes", []),
    ],
)
def test_tags_resolve_aliases_case_and_accents(
    store: Store, line: str, field: str, expected: list[str]
) -> None:
    assert getattr(parse(store, line), field) == expected


def test_the_issue_example(store: Store) -> None:
    post = parse(store, "ven 10h @ig @fb +prehistoire !visites Teaser du vernissage")
    assert (post.title, post.channels, post.themes, post.objectives, post.status) == (
        "Teaser du vernissage", ["instagram", "facebook"], ["prehistoire"], ["visites"],
        Status.IDEA,
    )
    assert post.scheduled == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert post.id is None


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Teaser @ig du +prehistoire vernissage", "Teaser du vernissage"),
        ("Vernissage ! C'est + fort", "Vernissage ! C'est + fort"),
        ("3 questions à la commissaire", "3 questions à la commissaire"),
        ("  demain   Teaser   final  ", "Teaser final"),
    ],
)
def test_title_is_every_untagged_word(store: Store, line: str, title: str) -> None:
    assert parse(store, line).title == title


@pytest.mark.parametrize(
    ("line", "field", "says"),
    [
        ("Teaser @myspace", "channels", "known channels: instagram (ig, insta)"),
        ("Teaser +dinosaures", "themes", "known: prehistoire, evolution"),
        ("Teaser !ventes", "objectives", "known: visites, recherche"),
        ("ven 10h @ig +prehistoire", "title", "needs a title"),
        ("", "title", "needs a title"),
        ("ven 25h Teaser", "on", '"25h" is not a time of day'),
        ("31/02 Teaser", "on", "there is no day 31 in February"),
    ],
)
def test_refusals_name_the_field_and_what_is_known(
    store: Store, line: str, field: str, says: str
) -> None:
    with pytest.raises(ModelError) as caught:
        parse(store, line)
    assert caught.value.field == field
    assert says in str(caught.value)


def test_parsed_post_passes_the_store_check(store: Store) -> None:
    post = parse(store, "3 déc 19h @x +evolution !recherche Néandertal en direct")
    store.check_post(post)
    assert store.add_post(post).id is not None


@pytest.mark.parametrize(
    ("body", "variants", "hashtags", "channel", "expected"),
    [
        ("Ce soir", {}, ["#Parures"], "x", "Ce soir #Parures"),
        ("Ce soir #parures", {}, ["#Parures"], "x", "Ce soir #parures"),
        ("Ce soir", {"x": "Court"}, ["#A", "#B"], "x", "Court #A #B"),
        ("Ce soir", {"x": "Court"}, [], "instagram", "Ce soir"),
        ("", {}, ["#Parures"], "x", "#Parures"),
    ],
)
def test_outgoing_text_is_the_channel_text_and_missing_hashtags(
    body: str, variants: dict[str, str], hashtags: list[str], channel: str, expected: str
) -> None:
    post = Post(title="t", body=body, variants=variants, hashtags=hashtags)
    assert outgoing_text(post, channel) == expected
