"""The filter line: fields, aliases, several values, free text, and clear refusals."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from planterm.demo import write_demo
from planterm.filters import parse_filter
from planterm.model import ModelError, Status
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
        events=frozenset({12}), words=("musée",),
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
        ("colour:red", "unknown field 'colour'; known: status, ch (channel)"),
        ("status:done", "known: idea, draft, review"),
        ("ch:myspace", "myspace"),
        ("obj:nope", "known: visites"),
        ("theme:nope", "known: prehistoire"),
        ("event:9999", "no event with id 9999"),
        ("status:", "needs a value"),
    ],
)
def test_refusals_say_what_is_known(store: Store, text: str, says: str) -> None:
    with pytest.raises(ModelError) as err:
        parse_filter(text, store)
    assert says in str(err.value)


def test_filter_finds_posts(store: Store) -> None:
    found = store.posts(parse_filter("status:draft ch:ig", store))
    assert found and all(p.status is Status.DRAFT and "instagram" in p.channels for p in found)
