"""planterm review, review tick / untick, set flags= and the refused approval (exit 1,
the missing items named, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planterm.cli import run
from planterm.store import Store
from test_cli_structure import contents, ran

DRAFT = "Ces objets primitifs ont été découverts en 1931"


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh store with the issue's draft (post 1) and a plain post (post 2); the
    reviewer is Camille."""
    path = tmp_path / "data" / "plan.json"
    monkeypatch.setenv("PLANTERM_STORE", str(path))
    config = Path(str(tmp_path / ".home" / "config.toml"))
    config.write_text('reviewer = "Camille"\n')
    assert run(["add", "Objets", "--on", "2026-12-03T10:00", "--status", "draft",
                "--body", DRAFT]) == 0
    assert run(["add", "Visite", "--on", "2026-12-04T10:00"]) == 0
    return path


def test_review_lists_the_terms_as_written_with_alternatives_and_suggested_flags(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = ran(["review"], capsys)
    assert out.startswith("post 1 · ")
    assert "«primitifs» (body)" in out and "instead: anciens · early" in out
    assert "«découverts» (body)" in out and "instead: atteints · collectés · acquis" in out
    assert "suggested flags (not set): collection-origin" in out
    assert "post 2" not in out
    [found] = json.loads(ran(["review", "--json"], capsys))
    assert [(t["text"], t["alternatives"][0]) for t in found["terms"]] == \
        [("primitifs", "anciens"), ("découverts", "atteints")]
    assert (found["flags"], found["open"], found["suggested_flags"]) == \
        ([], [], ["collection-origin"])
    assert ran(["review", "--from", "2026-12-04", "--to", "2026-12-05"], capsys).startswith(
        "no post to review")


def test_set_flags_fills_the_checklist_and_an_unknown_flag_is_exit_2(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = contents(store_path.parent)
    assert run(["set", "1", "flags=human-remains,bones"]) == 2
    err = capsys.readouterr().err
    assert "unknown flag 'bones'; known: human-remains, collection-origin" in err
    assert contents(store_path.parent) == before
    assert "⚑☐‽" in ran(["set", "1", "flags=human-remains,collection-origin"], capsys)
    post = Store(store_path, readonly=True).get_post(1)
    assert post is not None and post.flags == ["human-remains", "collection-origin"]
    assert len(post.checklist) == 9 and not any(post.checklist.values())


def test_approval_is_refused_with_the_missing_items_then_given_once_they_are_ticked(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ran(["set", "1", "flags=human-remains", "status=review"], capsys)
    ran(["review", "tick", "1", "3"], capsys)
    before = contents(store_path.parent)
    assert run(["set", "1", "status=approved"]) == 1
    err = capsys.readouterr().err
    assert "post 1 not approved: 5 items of its review checklist not ticked" in err
    for line in ("☐ 1. The image is necessary", "☐ 2. The person is named where known",
                 "☐ 6. Curator consulted", "tick each with: planterm review tick 1 NUMBER"):
        assert line in err
    assert "Restitution claims" not in err
    assert contents(store_path.parent) == before  # refused: not a byte written
    for item in ("1", "2", "content note", "second person", "curator"):
        ran(["review", "tick", "1", *item.split()], capsys)
    assert "✓ approved" in ran(["set", "1", "status=approved"], capsys)


def test_tick_and_untick_record_who_and_when(store_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    ran(["set", "1", "flags=human-remains"], capsys)
    out = ran(["review", "tick", "1", "Curator"], capsys)
    assert out.strip() == ("post 1: ☑ 6. Curator consulted — ticked by Camille; "
                           "5 items open")
    assert "already ticked; nothing changed" in ran(["review", "tick", "1", "6"], capsys)
    assert "unticked by Camille; 6 items open" in ran(["review", "untick", "1", "6"], capsys)
    post = Store(store_path, readonly=True).get_post(1)
    assert post is not None
    assert [(e.item, e.done, e.by) for e in post.review] == \
        [("Curator consulted", True, "Camille"), ("Curator consulted", False, "Camille")]
    listed = ran(["review"], capsys)
    assert "☐ 6. Curator consulted  (unticked by Camille, " in listed
    [found] = json.loads(ran(["review", "--json"], capsys))
    assert found["checklist"][5]["by"] == "Camille" and found["checklist"][5]["done"] is False


@pytest.mark.parametrize(("argv", "said"), [
    (["review", "tick", "1", "9"], "no item 9: the checklist has 6"),
    (["review", "tick", "1", "the"], "items of post 1 match 'the'"),
    (["review", "tick", "2", "1"], "post 2 has no checklist"),
    (["review", "tick", "7", "1"], "no post with id 7"),
])
def test_a_bad_item_is_exit_2_and_writes_nothing(
        store_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        said: str) -> None:
    ran(["set", "1", "flags=human-remains"], capsys)
    before = contents(store_path.parent)
    assert run(argv) == 2
    assert said in capsys.readouterr().err
    assert contents(store_path.parent) == before


def test_review_reads_only_and_list_takes_the_filter_words(
        store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ran(["set", "2", "flags=sacred-object"], capsys)
    before = contents(store_path.parent)
    ran(["review"], capsys)
    ran(["review", "--json"], capsys)
    assert contents(store_path.parent) == before
    assert "Objets" in ran(["list", "--filter", "terms:"], capsys)
    assert "Visite" not in ran(["list", "--filter", "terms:"], capsys)
    assert "Visite ⚑☐" in ran(["list", "--filter", "flag:sacred-object open:"], capsys)
    assert ran(["list", "--filter", "flag:human-remains"], capsys).startswith("0 posts")
    assert run(["list", "--filter", "flag:bones"]) == 2
