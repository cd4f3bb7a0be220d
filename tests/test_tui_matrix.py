"""The matrix pane (key 2) on the demo plan, fixed clock (Wednesday 25 November 2026): the
cell cursor, the period, the filter and the status group, the gaps, a cell's posts, a new
post from a cell or a gap, and the same numbers as ``planterm matrix --json``."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from planterm.cli import run
from planterm.matrix import _KEPT, Matrix, cell_posts
from planterm.matrix_text import gap_text, to_json
from planterm.model import Post, Status
from planterm.store import PostQuery, Store
from planterm.tui import app as app_module
from planterm.tui.screens.editor import PostEditor
from planterm.tui.screens.gaps import GapsScreen
from planterm.tui.screens.post_list import PostListScreen
from planterm.tui.widgets.calendar import CalendarPane
from planterm.tui.widgets.matrix_pane import MatrixPane, tags_of
from tui_support import PARIS, SETTINGS, SIZES, TODAY, app_on, demo_path, ready, size_id

NOVEMBER = (datetime(2026, 11, 1, tzinfo=PARIS), datetime(2026, 12, 1, tzinfo=PARIS))


async def shown(pilot: Pilot[Any]) -> MatrixPane:
    """The planner on the demo, the matrix pane shown (key 2) and counted."""
    await ready(pilot)
    await pilot.press("2")
    pane = pilot.app.query_one(MatrixPane)
    assert pane.matrix is not None and pane.has_focus
    return pane


def counted(pane: MatrixPane) -> Matrix:
    assert pane.matrix is not None
    return pane.matrix


def text(pane: MatrixPane, part: str) -> str:
    """What one part of the pane says: ``grid``, ``heading``, ``cell``."""
    return str(pane.query_one(f"#matrix-{part}", Static).render())


def selected(pane: MatrixPane) -> tuple[str | None, str | None]:
    matrix = counted(pane)
    return matrix.objectives[pane.row].key, matrix.themes[pane.column].key


def in_november(store: Store, **query: Any) -> list[Post]:
    """Posts scheduled in November, cancelled ones aside (they are not counted)."""
    found = store.posts(PostQuery(start=NOVEMBER[0], end=NOVEMBER[1], **query))
    return [p for p in found if p.status is not Status.CANCELLED]


def grid_numbers(pane: MatrixPane) -> dict[str, list[int]]:
    """Each row of the grid as drawn: its cells (``·`` is 0) and then its total."""
    matrix = counted(pane)
    lines = text(pane, "grid").splitlines()[1:1 + len(matrix.objectives)]
    rows = {}
    for line in lines:
        cells, total = line.split("│")
        label, *values = cells.split()
        total_drawn = int(total.split()[0].strip("▼"))
        rows[label] = [0 if v == "·" else int(v) for v in values] + [total_drawn]
    return rows


async def test_the_rows_a_count_reads_are_built_at_the_first_pause_in_the_typing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first keys do not wait for them (150 ms at 20,000 posts); pressing 2 then counts
    from rows already built."""
    monkeypatch.setattr(app_module, "IDLE_SECONDS", 60.0)  # no pause but the test's own
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("]", "[")
        store = app.query_one(MatrixPane).store
        assert store is not None
        assert getattr(_KEPT.get(store), "posts", None) is None  # not under the keys
        app._last_input -= 60.0
        app._idle()
        kept = _KEPT.get(store)
        assert kept is not None and kept.posts is not None
        built = kept.posts
        assert len(built.rows) == sum(
            1 for d in store.post_documents().values() if d.get("scheduled"))
        await pilot.press("2")
        assert app.query_one(MatrixPane).matrix is not None and kept.posts is built


async def test_hjkl_and_arrows_move_the_cell_cursor_and_stop_at_the_edges(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await shown(pilot)
        assert selected(pane) == ("visites", "prehistoire")
        assert "Faire venir au musée × Préhistoire: 4 posts" in text(pane, "cell")
        await pilot.press("l", "j", "right", "down")
        assert selected(pane) == ("debat", "societes")
        # names too long for the line: the keys say it
        assert text(pane, "cell").startswith("debat × societes: 7 posts")
        await pilot.press("h", "k", "left", "up", "k", "h")
        assert selected(pane) == ("visites", "prehistoire")  # the edges hold
        await pilot.press(*"jjjjjjjjj", *"llllllllllll")
        matrix = counted(pane)
        assert (pane.row, pane.column) == (len(matrix.objectives) - 1, len(matrix.themes) - 1)


async def test_p_cycles_the_period_brackets_move_it_and_t_comes_back(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await shown(pilot)
        span = counted(pane).selection.span
        assert span.kind == "month" and (span.start, span.end) == NOVEMBER
        assert text(pane, "heading").startswith("month: novembre 2026")
        assert app.sub_title == "matrix · novembre 2026"
        await pilot.press("p")
        assert counted(pane).selection.span.label(0, "fr") == "T4 2026"
        assert text(pane, "heading").startswith("quarter: T4 2026")
        await pilot.press("p")
        whole = counted(pane)
        assert whole.selection.span.kind == "all"
        assert app.store is not None
        assert whole.total == len([p for p in app.store.posts()
                                   if p.scheduled and p.status is not Status.CANCELLED])
        await pilot.press("right_square_bracket")
        assert counted(pane).selection.span == whole.selection.span  # the whole plan stays
        await pilot.press("p")
        assert counted(pane).selection.span.kind == "week"
        assert counted(pane).selection.span.start.date() == date(2026, 11, 23)
        await pilot.press("p", "right_square_bracket")
        assert counted(pane).selection.span.label(0, "fr") == "décembre 2026"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert counted(pane).selection.span.label(0, "fr") == "octobre 2026"
        assert app.sub_title == "matrix · octobre 2026"
        await pilot.press("t")
        assert (counted(pane).selection.span.start, counted(pane).selection.span.end) == NOVEMBER


async def test_the_filter_line_restricts_what_is_counted_and_escape_clears_it(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await shown(pilot)
        assert app.store is not None
        everything = counted(pane).total
        assert everything == len(in_november(app.store))
        await pilot.press("slash", *"ch:ig", "enter")
        on_instagram = in_november(app.store, channels=frozenset({"instagram"}))
        assert 0 < counted(pane).total == len(on_instagram) < everything
        line = pane.query_one("#filter-line", Static)
        assert line.display and "filter: ch:ig" in str(line.render())
        assert pane.has_focus
        await pilot.press("slash", *" colour:red", "enter")  # the same code as the calendar's
        error = str(pane.query_one("#prompt-error").render())
        assert "unknown field 'colour'" in error and counted(pane).total == len(on_instagram)
        await pilot.press("escape")  # the question closes and the filter goes
        assert counted(pane).total == everything and not line.display
        await pilot.press("slash", *"ch:ig", "enter", "escape")
        assert counted(pane).total == everything and not line.display


async def test_P_counts_every_status_then_the_planned_then_the_published(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await shown(pilot)
        assert app.store is not None
        november = in_november(app.store)
        published = [p for p in november if p.status is Status.PUBLISHED]
        assert 0 < len(published) < len(november)
        await pilot.press("P")
        assert counted(pane).total == len(november) - len(published)
        assert "planned (not yet published)" in text(pane, "heading")
        await pilot.press("P")
        assert counted(pane).total == len(published)
        assert text(pane, "heading").endswith("published")
        await pilot.press("P")
        assert counted(pane).total == len(november)
        assert "every status but cancelled" in text(pane, "heading")


async def test_enter_on_a_cell_lists_its_posts_and_a_change_there_is_counted(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await shown(pilot)
        assert app.store is not None
        await pilot.press("l", "j")  # recherche × evolution
        selection = counted(pane).selection
        expected = cell_posts(app.store, selection, "recherche", "evolution")
        assert len(expected) == counted(pane).count("recherche", "evolution") == 3
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PostListScreen)
        assert [p.id for p in screen.posts] == [p.id for p in expected]
        assert screen.heading == "recherche × evolution · novembre 2026"
        await pilot.press("d", "y")  # deleted from the list: the matrix under it follows
        assert len(screen.posts) == 2 and counted(pane).count("recherche", "evolution") == 2
        await pilot.press("escape")
        assert app.screen is not screen and "2 posts" in text(pane, "cell")


async def test_G_lists_the_gaps_furthest_below_first_and_enter_opens_a_gaps_cell(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await shown(pilot)
        await pilot.press("G")
        screen = app.screen
        assert isinstance(screen, GapsScreen)
        gaps = counted(pane).gaps()
        assert screen.gaps == gaps and len(gaps) > 5
        shortfalls = [g.shortfall for g in gaps]
        assert shortfalls == sorted(shortfalls, reverse=True)
        listing = screen.query_one(OptionList)
        assert listing.option_count == len(gaps)
        assert gaps[0].kind == "theme" and gaps[0].theme == "evolution"
        assert str(listing.get_option_at_index(0).prompt) == gap_text(gaps[0])
        assert "lun 30/11" in str(screen.query_one("#gaps-detail").render())
        cell = next(i for i, g in enumerate(gaps) if g.kind == "cell")
        await pilot.press(*"j" * cell, "enter")
        gap = gaps[cell]
        assert selected(pane) == (gap.objective, gap.theme)
        assert isinstance(app.screen, PostListScreen) and app.screen.posts == []
        await pilot.press("escape")
        assert app.screen.query_one(MatrixPane) is pane and f"{gap.objective}" in text(pane,
                                                                                     "grid")
        await pilot.press("G", "enter")  # a theme below target: the cursor goes to its column
        assert selected(pane)[1] == "evolution" and not isinstance(app.screen, PostListScreen)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
async def test_n_in_an_empty_cell_writes_a_post_tagged_for_it_on_a_free_day(
        tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await shown(pilot)
        await pilot.press("j", "j")  # debat × prehistoire: a gap
        assert selected(pane) == ("debat", "prehistoire")
        assert counted(pane).count("debat", "prehistoire") == 0
        assert text(pane, "cell").startswith(("· debat × prehistoire: empty",  # 80 columns
                                              "· Ouvrir le débat sur les collections × "
                                              "Préhistoire: empty"))
        free = counted(pane).free_days[0]
        await pilot.press("n")
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert editor.query_one("#objectives", Input).value == "debat"
        assert editor.query_one("#themes", Input).value == "prehistoire"
        assert editor.query_one("#on", Input).value.startswith(free.isoformat())
        editor.query_one("#title", Input).value = "Les débats de la préhistoire"
        await pilot.press("ctrl+s")
        assert app.store is not None
        [post] = [p for p in app.store.posts() if p.title == "Les débats de la préhistoire"]
        assert (post.objectives, post.themes) == (["debat"], ["prehistoire"])
        assert post.scheduled is not None and post.scheduled.astimezone(PARIS).date() == free
        assert counted(pane).count("debat", "prehistoire") == 1
        assert grid_numbers(pane)["debat"][0] == 1


async def test_n_on_a_gap_tags_the_post_with_the_gaps_objective_or_theme(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot)
        await pilot.press("G", "n")  # the first gap: the theme evolution, below target
        editor = app.screen
        assert isinstance(editor, PostEditor)
        assert editor.query_one("#themes", Input).value == "evolution"
        assert editor.query_one("#objectives", Input).value == ""
        await pilot.press("escape")  # nothing typed: the editor closes without asking
        assert isinstance(app.screen, GapsScreen)


@pytest.mark.parametrize(("objective", "theme", "tags"), [
    ("debat", "prehistoire", (["debat"], ["prehistoire"])),
    (None, "prehistoire", ([], ["prehistoire"])),  # the "—" row: no objective
    ("debat", None, (["debat"], [])),
    (None, None, ([], [])),
])
def test_a_cells_tags_leave_out_the_none_row_and_column(
        objective: str | None, theme: str | None, tags: tuple[list[str], list[str]]) -> None:
    assert tags_of(objective, theme) == tags


async def test_a_change_in_another_pane_or_process_shows_when_the_matrix_is_shown(
        tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await shown(pilot)
        assert counted(pane).count("debat", "prehistoire") == 0
        await pilot.press("1")
        assert app.query_one(CalendarPane).has_focus
        app.write(None, Post(title="Du calendrier", objectives=["debat"], themes=["prehistoire"],
                             scheduled=datetime(2026, 11, 26, 9, tzinfo=PARIS)))
        await pilot.pause()
        assert pane.stale and grid_numbers(pane)["debat"][0] == 0  # hidden: not counted yet
        other = Store(path)  # a second planterm, or a script
        other.add_post(Post(title="D'ailleurs", objectives=["debat"], themes=["prehistoire"],
                            scheduled=datetime(2026, 11, 27, 9, tzinfo=PARIS)))
        other.close()
        app._poll()  # what the half-second timer does
        await pilot.press("2")
        assert not pane.stale and counted(pane).count("debat", "prehistoire") == 2
        assert grid_numbers(pane)["debat"][0] == 2
        assert app.sub_title == "matrix · novembre 2026"
        await pilot.press("1")
        assert app.sub_title.startswith("semaine 48")  # the calendar's header comes back


async def test_the_pane_shows_the_numbers_of_planterm_matrix_json(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    path = demo_path(tmp_path)
    monkeypatch.setenv("PLANTERM_CONFIG", str(tmp_path / "config.toml"))
    assert run(["matrix", "--store", str(path), "--from", TODAY.isoformat(), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await shown(pilot)
        assert app.store is not None
        pane_json = to_json(counted(pane), SETTINGS)
        for key in ("from", "to", "posts", "cells", "objectives", "themes"):
            assert pane_json[key] == cli[key], key
        # and the grid as drawn says the same: each row's cells, then its total
        drawn = grid_numbers(pane)
    themes = [t["key"] for t in cli["themes"]]
    assert len(drawn) == len(cli["objectives"]) > 3
    for row in cli["objectives"]:
        counts = {c["theme"]: c["count"] for c in cli["cells"] if c["objective"] == row["key"]}
        assert drawn[row["key"] or "—"] == [counts[t] for t in themes] + [row["posts"]]

