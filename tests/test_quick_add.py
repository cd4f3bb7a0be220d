"""parse_quick_add: one typed line becomes a new post, or a ModelError naming the field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planterm.demo import write_demo
from planterm.edits import parse_quick_add
from planterm.model import ModelError, Post, Status
from planterm.readiness import outgoing_text
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
        ("Teaser ^999", "event", "no event with id 999"),
        ("Teaser ^dinosaures", "event", "no event title contains 'dinosaures'"),
        ("Teaser ^vacances", "event", "'vacances' matches 3 events (15 Vacances de la"),
        ("Teaser ^21 ^22", "event", "one event per post, not 2"),
        ("ven 10h @ig --", "title", "needs a title"),
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


@pytest.mark.parametrize(
    ("line", "event"),
    [
        ("Teaser ^21", 21),
        ("Teaser ^vernissage", 21),
        ("Teaser ^Vernissage", 21),
        ("Teaser ^néandertal", 6),
        ("ven 10h ^neandertal @x Teaser", 6),
        ("Teaser", None),
        ("Teaser ^", None),
        ("Teaser -- ^21", None),
    ],
)
def test_caret_attaches_the_post_to_an_event_by_id_or_title_word(
    store: Store, line: str, event: int | None
) -> None:
    post = parse(store, line)
    assert post.event == event
    assert post.title.startswith("Teaser")


@pytest.mark.parametrize(
    ("line", "title", "channels", "on"),
    [
        ("ven 10h @ig -- Carte blanche @louvre", "Carte blanche @louvre", ["instagram"],
         datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
        ("-- demain +1 !important", "demain +1 !important", list(DEFAULTS), None),
        ("Teaser -- @louvre -- +1", "Teaser @louvre -- +1", list(DEFAULTS), None),
        ("demain @x Live\t--\t@louvre", "Live @louvre", ["x"],
         datetime(2026, 11, 26, 8, 0, tzinfo=UTC)),
        ("Teaser --@louvre", "Teaser --@louvre", list(DEFAULTS), None),
    ],
)
def test_after_two_dashes_every_word_is_the_title(
    store: Store, line: str, title: str, channels: list[str], on: datetime | None
) -> None:
    post = parse(store, line)
    assert (post.title, post.channels, post.scheduled) == (title, channels, on)


def test_a_plus_before_a_digit_stays_in_the_title(store: Store) -> None:
    assert parse(store, "Teaser +1 !2").title == "Teaser +1 !2"


@pytest.mark.parametrize(
    ("line", "local"),
    [
        ("ce soir 19h @ig Live", datetime(2026, 11, 25, 19, 0)),
        ("tonight 7pm @ig Live", datetime(2026, 11, 25, 19, 0)),
        ("dans 20 min Live", datetime(2026, 11, 25, 10, 20)),
        ("in 20 min Live", datetime(2026, 11, 25, 10, 20)),
        ("maintenant Live", datetime(2026, 11, 25, 10, 0)),
        ("cet après-midi 15h Live", datetime(2026, 11, 25, 15, 0)),
        ("midi Live", datetime(2026, 11, 25, 12, 0)),
    ],
)
def test_work_phrases_lead_a_quick_add(store: Store, line: str, local: datetime) -> None:
    post = parse(store, line)
    assert post.title == "Live"
    assert post.scheduled == local.replace(tzinfo=PARIS)
