"""``planterm live E "text"`` and ``planterm live E --recap`` (issue 13): the same rules and
durability as live mode; a refusal leaves every file as it was; the recap writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from planterm.cli import run
from planterm.store import Store
from test_cli_promises import all_files
from test_cli_structure import contents, ran

NOW = datetime(2030, 11, 1, 19, 30, tzinfo=UTC)  # 20:30 in Paris


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("planterm.cli.utcnow", lambda: NOW)
    monkeypatch.setattr("planterm.agenda.utcnow", lambda: NOW)


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "data" / "plan.json"
    monkeypatch.setenv("PLANTERM_STORE", str(path))
    monkeypatch.setenv("PLANTERM_CONFIG", str(tmp_path / "config.toml"))
    ran(["objective", "add", "visites", "Faire venir"], capsys)
    ran(["event", "add", "Nocturne Lascaux", "--on", "2030-11-01T19:00", "--end",
         "2030-11-01T23:00", "--hashtag", "NocturneLascaux", "--channel", "x", "--channel",
         "ig", "--objective", "visites"], capsys)
    ran(["event", "add", "Nocturne des enfants", "--on", "2030-11-08T18:00"], capsys)
    return path


def posts(path: Path) -> list:  # type: ignore[type-arg]
    store = Store(path, readonly=True)
    try:
        return sorted(store.posts(), key=lambda p: p.id)
    finally:
        store.close()


def test_live_logs_a_post_tagged_with_the_event(store_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = ran(["live", "Lascaux", "La file d'attente dehors"], capsys)
    assert out == ("logged post 1 live for Nocturne Lascaux (ven 01/11 19:00): "
                   "● published on X IG\n")
    (post,) = posts(store_path)
    assert (post.live, post.event, post.objectives) == (True, 1, ["visites"])
    assert post.hashtags == ["#NocturneLascaux"] and post.scheduled == NOW


def test_status_channels_and_numbering(store_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    ran(["live", "1", "Un", "--numbered"], capsys)
    ran(["live", "1", "Deux", "--numbered", "--channel", "x", "--status", "approved"], capsys)
    first, second = posts(store_path)
    assert first.variants == {"x": "1/ Un", "instagram": "1/ Un"}
    assert second.variants == {"x": "2/ Deux"} and second.status.value == "approved"


def test_the_recap_prints_each_channel_and_writes_nothing(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ran(["live", "1", "Ouverture"], capsys)
    before = all_files(store_path.parent)
    out = ran(["live", "1", "--recap"], capsys)
    assert out == ("--- X · Nocturne Lascaux · ven 01/11 19:00\n"
                   "20:30 Ouverture #NocturneLascaux\n"
                   "--- Instagram · Nocturne Lascaux · ven 01/11 19:00\n"
                   "20:30 Ouverture #NocturneLascaux\n")
    assert all_files(store_path.parent) == before


@pytest.mark.parametrize(("argv", "message"), [
    (["live", "Nocturne", "x"], "'Nocturne' matches 2 events"),
    (["live", "zzz", "x"], "no event title contains 'zzz'"),
    (["live", "1"], "give the post's text, or --recap"),
    (["live", "1", "x", "--recap"], "give the post's text, or --recap"),
    (["live", "1", "   "], "nothing to log"),
    (["live", "1", "x", "--channel", "myspace"], "myspace"),
    (["live", "1", "y" * 300, "--status", "approved"], "too long to be approved"),
    (["live", "1", "x", "--status", "draft"], "invalid choice"),
])
def test_bad_input_exits_2_and_writes_nothing(store_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              argv: list[str], message: str) -> None:
    before = contents(store_path.parent)
    assert run(argv) == 2
    assert message in capsys.readouterr().err
    assert contents(store_path.parent) == before


def test_a_past_event_logs_on_its_last_occurrence(store_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    ran(["event", "add", "Hier", "--on", "2030-10-31T18:00"], capsys)
    out = ran(["live", "Hier", "Après coup"], capsys)
    assert "(jeu 31/10 18:00)" in out
    assert posts(store_path)[0].scheduled == NOW
