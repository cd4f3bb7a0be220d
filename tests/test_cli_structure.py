"""``planterm objective``, ``planterm theme`` and ``planterm matrix`` from the command line:
the README's first steps on a fresh store, every command with good and bad input (a
refusal leaves every file as it was), and the matrix agreeing with ``list --json``."""

from __future__ import annotations

import json
import re
import shlex
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from planterm.cli import run
from planterm.store import Store
from test_cli_promises import all_files

README = Path(__file__).parents[1] / "README.md"


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with two objectives, two themes and three posts, given by $PLANTERM_STORE."""
    path = tmp_path / "data" / "plan.json"
    monkeypatch.setenv("PLANTERM_STORE", str(path))
    for argv in (["objective", "add", "visites", "Faire venir", "--target-share", "50"],
                 ["objective", "add", "recherche", "Recherche", "--target-per-month", "4"],
                 ["theme", "add", "prehistoire", "Préhistoire"],
                 ["theme", "add", "expo", "Exposition"],
                 ["add", "Un", "--on", "2026-11-03T10:00", "--objective", "visites",
                  "--theme", "expo"],
                 ["add", "Deux", "--on", "2026-11-04T10:00", "--objective", "visites",
                  "--objective", "recherche", "--theme", "expo", "--theme", "prehistoire"],
                 ["add", "Trois", "--on", "2026-11-05T10:00"]):
        assert run(argv) == 0, argv
    return path


def contents(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` and its bytes (a write command's refusal may take the lock,
    so the lock file's time changes; no file's bytes do)."""
    return {name: data for name, (data, _) in all_files(folder).items()}


def ran(argv: list[str], capsys: pytest.CaptureFixture[str], code: int = 0) -> str:
    """Run a command that must end with ``code``; its standard output."""
    assert run(argv) == code, capsys.readouterr()
    return capsys.readouterr().out


def readme_first_steps() -> list[list[str]]:
    """The README's commands up to its first post: objectives, themes, then ``add``."""
    text = README.read_text().replace("\\\n", " ")
    lines = [line.split("  #")[0] for line in text.splitlines()
             if line.startswith(("planterm objective add", "planterm theme add", "planterm add"))]
    first_add = next(i for i, line in enumerate(lines) if line.startswith("planterm add"))
    return [shlex.split(line)[1:] for line in lines[:first_add + 1]]


def test_the_readmes_first_commands_work_on_a_fresh_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLANTERM_STORE", str(tmp_path / "plan.json"))
    steps = readme_first_steps()
    assert [s[0] for s in steps[:2]] == ["objective", "theme"]
    for argv in steps:
        assert run(argv) == 0, (argv, capsys.readouterr())
    capsys.readouterr()
    store = Store(tmp_path / "plan.json")
    (post,) = store.posts()
    assert post.objectives == [store.objectives()[0].key]
    assert post.themes == [store.themes()[0].key]
    data = json.loads(ran(["matrix", "--json", "--from", post.scheduled.isoformat()], capsys))
    assert {"objective": post.objectives[0], "theme": post.themes[0], "count": 1} in data["cells"]


def test_a_fresh_store_says_how_to_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLANTERM_STORE", str(tmp_path / "plan.json"))
    assert run(["add", "Teaser", "--objective", "visites"]) == 2
    assert capsys.readouterr().err.strip() == (
        "planterm: objectives: unknown objective 'visites': there are no objectives yet; add "
        "one with: planterm objective add visites NAME")
    assert not (tmp_path / "plan.json").exists()
    assert run(["theme", "add", "expo", "Expo"]) == 0
    assert "no objectives yet; add one with: planterm objective add KEY NAME" in ran(
        ["objective", "list"], capsys)


def test_add_list_set(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ran(["objective", "list"], capsys)
    assert text.splitlines() == [
        "visites    Faire venir · target 50% · 2 posts",
        "recherche  Recherche · target 4/month · 1 post"]
    said = ran(["objective", "set", "Recherche", "target_share=12,5", "colour=1f77b4",
                "description=Les chercheurs"], capsys)
    assert said.strip() == "objective recherche  Recherche · target 12.5% · 1 post"
    (rec,) = [c for c in json.loads(ran(["objective", "list", "--json"], capsys))
              if c["key"] == "recherche"]
    assert rec == {"key": "recherche", "name": "Recherche", "description": "Les chercheurs",
                   "colour": "#1f77b4", "target_share": 12.5, "target_per_month": None,
                   "archived": False, "posts": 1}


def test_archive_hides_from_new_posts_and_keeps_history(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "archived theme expo" in ran(["theme", "archive", "expo"], capsys)
    before = contents(store_path.parent)
    assert "already archived; nothing to do" in ran(["theme", "archive", "expo"], capsys)
    assert contents(store_path.parent) == before
    assert run(["add", "Nouveau", "--theme", "expo"]) == 2
    assert "planterm theme unarchive expo" in capsys.readouterr().err
    assert len(json.loads(ran(["list", "--theme", "expo", "--json"], capsys))) == 2
    data = json.loads(ran(["matrix", "--json", "--from", "2026-11-10"], capsys))
    (expo,) = [t for t in data["themes"] if t["key"] == "expo"]
    assert expo["archived"] and expo["posts"] == 2
    assert not [g for g in data["gaps"] if "expo" in (g["objective"], g["theme"])]
    assert "unarchived theme expo" in ran(["theme", "unarchive", "expo"], capsys)
    assert run(["add", "Nouveau", "--theme", "expo"]) == 0


def test_delete_and_merge(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["theme", "delete", "expo"]) == 2
    assert capsys.readouterr().err.strip() == (
        "planterm: theme 'expo' is used by 2 posts, so it stays; archive it instead (planterm "
        "theme archive expo), or merge it (planterm theme merge expo INTO)")
    said = ran(["theme", "merge", "expo", "Préhistoire"], capsys)
    assert said.strip() == "merged theme expo into prehistoire: 2 posts moved, expo deleted"
    posts = json.loads(ran(["list", "--json"], capsys))
    assert [p["themes"] for p in posts] == [["prehistoire"], ["prehistoire"], []]
    assert run(["theme", "add", "vide", "Vide"]) == 0
    assert "deleted theme vide" in ran(["theme", "delete", "vide"], capsys)
    assert [t["key"] for t in json.loads(ran(["theme", "list", "--json"], capsys))] == [
        "prehistoire"]


@pytest.mark.parametrize(
    ("argv", "said"),
    [(["objective", "add", "visites", "Encore"], "objective 'visites' exists already"),
     (["objective", "add", "Visites 2", "x"], "key: 'Visites 2' must be lower-case"),
     (["objective", "add", "autre", "  "], "name: must not be empty"),
     (["objective", "add", "autre", "FAIRE VENIR"], "already names objective 'visites'"),
     (["objective", "add", "autre", "x", "--target-share", "150"], "percentage"),
     (["objective", "add", "autre", "x", "--target-share", "5", "--target-per-month", "2"],
      "not allowed with"),
     (["objective", "add", "autre", "x", "--colour", "rouge"], "colour"),
     (["theme", "add", "autre", "x", "--target-per-month", "beaucoup"], "whole number"),
     (["objective", "set", "inconnu", "name=x"], "unknown objective 'inconnu'; known: "
                                                 "visites, recherche; add one with"),
     (["objective", "set", "visites", "key=autre"], "unknown field"),
     (["objective", "set", "visites", "name"], "expected field=value"),
     (["objective", "set", "visites", "name=Recherche"], "already names objective"),
     (["objective", "archive", "nulle"], "unknown objective 'nulle'"),
     (["objective", "delete", "visites"], "used by 2 posts"),
     (["theme", "merge", "expo", "expo"], "into itself"),
     (["theme", "merge", "expo", "nulle"], "unknown theme 'nulle'"),
     (["theme", "frobnicate"], "invalid choice"),
     (["matrix", "--period", "year"], "invalid choice"),
     (["matrix", "--status", "draft"], "invalid choice"),
     (["matrix", "--from", "bientôt"], "--from"),
     (["matrix", "--period", "all", "--from", "today"], "not with --period all"),
     (["matrix", "--filter", "couleur:rouge"], "unknown field 'couleur'"),
     (["matrix", "--objective", "fantome"], "unknown objective 'fantome'")],
)
def test_bad_input_is_one_line_exit_2_and_changes_no_file(
    store_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    before = contents(store_path.parent)
    assert run(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and said in captured.err, captured.err
    assert contents(store_path.parent) == before


@pytest.mark.parametrize("argv", [["objective", "list"], ["theme", "list", "--json"],
                                  ["matrix"], ["matrix", "--json", "--period", "all"]])
def test_reading_commands_change_no_file(store_path: Path, capsys: pytest.CaptureFixture[str],
                                         argv: list[str]) -> None:
    Store(store_path).close()  # the journal folded in; no lock file left
    store_path.with_name("plan.json.lock").unlink(missing_ok=True)
    before = all_files(store_path.parent)
    ran(argv, capsys)
    assert all_files(store_path.parent) == before
    missing = store_path.with_name("typo.json")
    assert run(["--store", str(missing), *argv]) == 1
    assert not missing.exists()


def in_cell(post: dict[str, Any], objective: str | None, theme: str | None) -> bool:
    """Whether a ``list --json`` post belongs to a matrix cell (``None``: untagged)."""
    objectives, themes = post["objectives"] or [None], post["themes"] or [None]
    return objective in objectives and theme in themes


@pytest.mark.parametrize("period", ["week", "month", "quarter", "all"])
def test_the_demos_json_cells_agree_with_list_json(
    capsys: pytest.CaptureFixture[str], period: str
) -> None:
    matrix = json.loads(ran(["--demo", "matrix", "--period", period, "--json"], capsys))
    posts = json.loads(ran(["--demo", "list", "--json"], capsys))
    start, end = (datetime.fromisoformat(matrix[k]) for k in ("from", "to"))
    assert start.utcoffset() is not None and end > start
    counted = [p for p in posts if p["scheduled"] and p["status"] != "cancelled"
               and start <= datetime.fromisoformat(p["scheduled"]) < end]
    assert matrix["posts"] == len(counted) > 0
    rows = [line["key"] for line in matrix["objectives"]]
    columns = [line["key"] for line in matrix["themes"]]
    assert len(matrix["cells"]) == len(rows) * len(columns)
    for cell in matrix["cells"]:
        expected = sum(in_cell(p, cell["objective"], cell["theme"]) for p in counted)
        assert cell["count"] == expected, cell
    for line in matrix["objectives"]:
        assert line["posts"] == sum(line["key"] in (p["objectives"] or [None]) for p in counted)
    targets = {line["key"]: line["target_share"] for line in matrix["objectives"]}
    assert targets["visites"] == 25.0


def cells(text: str) -> int:
    """The terminal cells a line takes."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@pytest.mark.parametrize("period", ["week", "month", "quarter", "all"])
def test_the_demos_table_reads_at_80_columns(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch,
                                             period: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = ran(["--demo", "matrix", "--period", period], capsys)
    assert max(cells(line) for line in text.splitlines()) <= 80
    assert re.search(r"█+[▏▎▍▌▋▊▉]? +\d+% / \d+%  [▲▼=] [+-]\d", text)
    assert "Gaps, furthest below target first" in text
    grid_rows = [line for line in text.splitlines() if line.startswith("visites ") and "│" in line]
    assert grid_rows, text
    data = json.loads(ran(["--demo", "matrix", "--period", period, "--json"], capsys))
    total = re.search(r"^posts .*│ +(\d+)", text, re.MULTILINE)
    assert total and int(total[1]) == data["posts"]


def test_the_text_marks_gaps_and_untagged_posts(store_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = ran(["matrix", "--from", "2026-11-10"], capsys)
    lines = text.splitlines()
    assert lines[:2] == ["novembre 2026 · 2026-11-01 – 2026-11-30",
                         "3 posts, every status but cancelled"]
    grid = {line.split()[0]: line.split() for line in lines if "│" in line}
    assert grid["visites"] == ["visites", "1", "2", "│", "2"]
    assert grid["recherche"] == ["recherche", "1", "1", "│", "1▼"]  # below its 4 a month
    assert grid["—"] == ["—", "1", "│", "1"]  # "Trois": no objective, no theme
    assert "·" not in " ".join(grid["—"])  # nothing is expected of untagged posts: no gap
    assert "▼ objective recherche: 1 post, 4 expected, 3 short" in text
    assert "33% · 1 / 4  ▼ -3" in text  # its share (the bar), then posts against 4 a month
    planned = ran(["matrix", "--from", "2026-11-10", "--status", "published"], capsys)
    assert "0 posts, published" in planned and "·" in planned
