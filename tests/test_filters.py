"""The filter line: fields, aliases, several values, free text, and clear refusals."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from planterm.demo import write_demo
from planterm.filters import parse_filter
from planterm.model import ModelError, Status
from planterm.readiness import problems
from planterm.store import PostQuery, Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    return Store(write_demo(path, date(2026, 11, 25), ZoneInfo("Europe/Paris")))


def test_the_issue_example(store: Store) -> None:
    query = parse_filter("status:draft ch:ig obj:visites theme:prehistoire event:12 Musée", store)
    assert query == PostQuery(
        statuses=frozenset({Status.DRAFT}), channels=frozenset({"instagram"}),
        objectives=frozenset({"visites"}), themes=frozenset({"prehistoire"}),
        events=frozenset({12}), words=("Musée",),
    )


def test_long_names_several_values_and_names_for_keys(store: Store) -> None:
    query = parse_filter("status:draft,review channel:Mastodon theme:Préhistoire STATUS:idea",
                         store)
    assert query.statuses == {Status.DRAFT, Status.REVIEW, Status.IDEA}
    assert query.channels == {"mastodon"} and query.themes == {"prehistoire"}


def test_colons_in_free_text_are_not_fields(store: Store) -> None:
    assert parse_filter("18:30 https://musee.example", store).words == (
        "18:30", "https://musee.example")


def test_empty_filter_matches_everything(store: Store) -> None:
    assert parse_filter("  ", store) == PostQuery()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("colour:red", "unknown field 'colour'; known: status, ch (channel), obj (objective), "
                       "theme, event, warn"),
        ("status:done", "known: idea, draft, review"),
        ("ch:myspace", "myspace"),
        ("obj:nope", "known: visites"),
        ("theme:nope", "known: prehistoire"),
        ("event:9999", "no event with id 9999"),
        ("status:", "needs a value"),
        ("warn:yes", "warn: takes no value"),
        ("event:dinosaures", "no event title contains 'dinosaures'"),
    ],
)
def test_refusals_say_what_is_known(store: Store, text: str, says: str) -> None:
    with pytest.raises(ModelError) as err:
        parse_filter(text, store)
    assert says in str(err.value)


def test_filter_finds_posts(store: Store) -> None:
    found = store.posts(parse_filter("status:draft ch:ig", store))
    assert found and all(p.status is Status.DRAFT and "instagram" in p.channels for p in found)


def test_warn_selects_the_posts_with_problems(store: Store) -> None:
    query = parse_filter("warn:", store)
    assert query == PostQuery(warnings=True)
    found = store.posts(query)
    assert found
    assert all(problems(p) for p in found)
    assert {p.id for p in found} == {p.id for p in store.posts() if problems(p)}
    drafts = store.posts(parse_filter("WARN: status:draft", store))
    assert {p.id for p in drafts} == {p.id for p in found if p.status is Status.DRAFT}


@pytest.mark.parametrize(
    ("text", "events"),
    [
        ("event:21", {21}),
        ("event:vernissage", {21}),
        ("event:VERNISSAGE", {21}),
        ("event:néandertal", {6}),
        ("event:neandertal", {6}),
        ("event:vacances", {15, 26, 31}),
        ("event:vernissage,6", {21, 6}),
    ],
)
def test_event_takes_an_id_or_a_word_of_the_title(store: Store, text: str,
                                                   events: set[int]) -> None:
    assert parse_filter(text, store).events == events


def test_event_filter_finds_the_events_posts(store: Store) -> None:
    found = store.posts(parse_filter("event:vernissage", store))
    assert found and all(p.event == 21 for p in found)


@pytest.mark.parametrize("word", ["musee", "MUSÉE", "Musée", "musée"])
def test_free_text_ignores_case_and_accents(store: Store, word: str) -> None:
    found = store.posts(parse_filter(word, store))
    assert found
    assert {p.id for p in found} == {p.id for p in store.posts(parse_filter("musee", store))}
    assert any("Musée" in p.title or "musée" in p.body for p in found)
