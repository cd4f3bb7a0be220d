"""Live mode's core (issue 13): logging, thread numbers, counters, the draft, templates,
the recap."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from planterm import live
from planterm.config import Settings
from planterm.model import Category, Event, ModelError, Post, Status, TransitionError
from planterm.storage import StoreError
from planterm.store import Store

SETTINGS = Settings()
START = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)  # 19:00 in Paris


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "plan.json")
    store.add_objective(Category("visites", "Faire venir"))
    store.add_theme(Category("prehistoire", "Préhistoire"))
    return store


@pytest.fixture
def event(store: Store) -> Event:
    return store.add_event(Event("Nocturne Lascaux", START, START + timedelta(hours=3),
                                 place="Auditorium", hashtag="#NocturneLascaux",
                                 channels=["x", "instagram"], objectives=["visites"],
                                 themes=["prehistoire"]))


def setup(event: Event, **kw: object) -> live.Setup:
    return live.Setup(event, event.start, ("x", "instagram"), **kw)  # type: ignore[arg-type]


def test_a_logged_post_is_tagged_stamped_and_stored(store: Store, event: Event) -> None:
    at = START + timedelta(minutes=42, seconds=7, microseconds=5)
    post = live.log(store, setup(event), "  Le conférencier arrive.\nSalle comble.  ", at,
                    SETTINGS)
    stored = store.get_post(post.id)  # type: ignore[arg-type]
    assert stored == post
    assert (post.title, post.body) == ("Le conférencier arrive.",
                                       "Le conférencier arrive.\nSalle comble.")
    assert post.scheduled == at.replace(microsecond=0)
    assert (post.event, post.live, post.status) == (event.id, True, Status.PUBLISHED)
    assert (post.objectives, post.themes) == (["visites"], ["prehistoire"])
    assert post.hashtags == ["#NocturneLascaux"] and post.channels == ["x", "instagram"]


def test_a_long_first_line_makes_a_cut_title(store: Store, event: Event) -> None:
    post = live.compose(setup(event), "a" * 100, START)
    assert len(post.title) == live.TITLE_WIDTH and post.title.endswith("…")


def test_an_empty_box_logs_nothing(store: Store, event: Event) -> None:
    with pytest.raises(ModelError, match="nothing to log"):
        live.log(store, setup(event), " \n ", START, SETTINGS)
    assert store.posts() == []


def test_only_published_or_approved(event: Event) -> None:
    with pytest.raises(ModelError, match="published or approved"):
        setup(event, status=Status.DRAFT)


def test_approved_must_fit_every_channel(store: Store, event: Event) -> None:
    with pytest.raises(TransitionError, match="too long"):
        live.log(store, setup(event, status=Status.APPROVED), "x" * 300, START, SETTINGS)
    assert store.posts() == []
    # already published from the phone: recorded as it went out, even too long for X
    assert live.log(store, setup(event), "x" * 300, START, SETTINGS).status is Status.PUBLISHED


def test_thread_numbers_count_per_channel_within_the_occurrence(store: Store,
                                                                event: Event) -> None:
    numbered = setup(event, numbered=True)
    first = live.log(store, numbered, "Un", START, SETTINGS)
    only_x = live.Setup(event, event.start, ("x",), numbered=True)
    live.log(store, only_x, "Deux", START + timedelta(minutes=1), SETTINGS)
    third = live.log(store, numbered, "Trois", START + timedelta(minutes=2), SETTINGS)
    assert first.variants == {"x": "1/ Un", "instagram": "1/ Un"}
    assert third.variants == {"x": "3/ Trois", "instagram": "2/ Trois"}
    assert live.compose(setup(event), "Sans", START).variants == {}


def test_live_posts_are_this_occurrences_newest_first(store: Store, event: Event) -> None:
    a = live.log(store, setup(event), "A", START, SETTINGS)
    b = live.log(store, setup(event), "B", START + timedelta(minutes=5), SETTINGS)
    store.add_post(Post("planned, not live", event=event.id, scheduled=START))
    assert [p.id for p in live.live_posts(store, setup(event), SETTINGS)] == [b.id, a.id]


def test_counters_count_the_hashtag_and_the_thread_number(event: Event) -> None:
    counts = live.counters(setup(event), "Bonjour")
    assert [(f.network, f.count, f.limit) for f in counts] == [
        ("x", len("Bonjour #NocturneLascaux"), 280),
        ("instagram", len("Bonjour #NocturneLascaux"), 2200)]
    numbered = live.counters(setup(event, numbered=True), "Bonjour")
    assert numbered[0].count == len("1/ Bonjour #NocturneLascaux")
    # a hashtag already typed is not added twice
    assert live.counters(setup(event), "#NocturneLascaux ce soir")[0].count == \
        len("#NocturneLascaux ce soir")
    assert live.counters(setup(event), "x" * 300)[0].remaining < 0
    assert live.counters(setup(event), "")[0].count == len("#NocturneLascaux")


def test_the_draft_is_kept_beside_the_store_and_cleared(store: Store, event: Event,
                                                        tmp_path: Path) -> None:
    path = live.draft_path(tmp_path / "plan.json", setup(event), SETTINGS)
    assert path.parent == tmp_path / "plan.json.live"
    assert path.name == f"{event.uid}@2026-11-26.txt"
    assert live.load_draft(path) is None
    live.save_draft(path, "Citation de Mme Dupont : « l'art")
    assert live.load_draft(path) == "Citation de Mme Dupont : « l'art"
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(path.parent).st_mode & 0o777 == 0o700
    live.save_draft(path, "   ")
    assert live.load_draft(path) is None and not path.exists()
    live.clear_draft(path)  # clearing twice is fine


def test_a_draft_save_that_cannot_write_raises_and_keeps_the_old_draft(
        store: Store, event: Event, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = live.draft_path(tmp_path / "plan.json", setup(event), SETTINGS)
    live.save_draft(path, "premier jet")

    def failing(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("os.fsync", failing)
    with pytest.raises(OSError, match="Input/output"):
        live.save_draft(path, "second jet")
    monkeypatch.undo()
    assert live.load_draft(path) == "premier jet"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


def test_a_draft_is_never_written_through_a_link(event: Event, tmp_path: Path) -> None:
    path = live.draft_path(tmp_path / "plan.json", setup(event), SETTINGS)
    path.parent.mkdir()
    target = tmp_path / "elsewhere.txt"
    target.write_text("theirs")
    path.symlink_to(target)
    with pytest.raises(StoreError, match="link"):
        live.save_draft(path, "mine")
    assert target.read_text() == "theirs"


def test_templates_are_numbered_and_filled(event: Event) -> None:
    templates, warnings = live.load_templates()
    assert warnings == [] and set(templates) >= {1, 2, 3, 4}
    assert templates[1].filled(setup(event), SETTINGS) == "En direct de Auditorium :"


def test_user_templates_replace_by_number(tmp_path: Path) -> None:
    user = tmp_path / "live.toml"
    user.write_text('[template.1]\nlabel = "Live"\ntext = "Live from {place}: "\n'
                    '[template.9]\nlabel = "Fin"\ntext = "C\'est fini ! {hashtag}"\n')
    templates, warnings = live.load_templates(user)
    assert warnings == []
    assert templates[1].label == "Live" and templates[9].label == "Fin"
    assert templates[2].label == "Question du public"


@pytest.mark.parametrize(("text", "expected"), [
    ('[template.0]\nlabel = "x"\ntext = "y"', "line 1: template 0: a template is numbered 1"),
    ('\n[template.2]\nlabel = "x"\ntext = "{speaker}"', "line 2: template 2: text: {'speaker'}"),
    ('[template.2]\nlabel = "x"', "template 2: text:"),
    ('[template.2]\nlabel = "x"\ntext = "y"\nkey = "z"', "unknown field 'key'"),
    ("[template.2\n", "not valid TOML"),
])
def test_a_broken_user_file_is_a_warning(tmp_path: Path, text: str, expected: str) -> None:
    user = tmp_path / "live.toml"
    user.write_text(text)
    templates, warnings = live.load_templates(user)
    assert len(warnings) == 1 and expected in warnings[0] and str(user) in warnings[0]
    assert templates == live.load_templates()[0]


def test_the_recap_groups_by_channel_oldest_first(store: Store, event: Event) -> None:
    numbered = setup(event, numbered=True)
    live.log(store, numbered, "Ouverture des portes", START, SETTINGS)
    live.log(store, live.Setup(event, event.start, ("x",), numbered=True),
             "Première question", START + timedelta(minutes=30), SETTINGS)
    recap = live.recap(live.live_posts(store, numbered, SETTINGS), SETTINGS)
    assert recap == {
        "x": "19:00 Ouverture des portes #NocturneLascaux\n\n"
             "19:30 Première question #NocturneLascaux",
        "instagram": "19:00 Ouverture des portes #NocturneLascaux",
    }
