"""Exports, imports, the report and backups from the planner's command palette, with real
keys: ctrl+p, the command's name, Enter, the path, Enter; the work runs in a thread and
ends with a notification naming the file or the counts; an import is one step of undo."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from planterm.store import Store
from planterm.tui.screens.transfer import PathPrompt, ProblemsScreen
from planterm.tui.widgets.calendar import CalendarPane
from tui_support import app_on, demo_path, notes, ready, said, shown_text


async def command(pilot: Pilot[Any], name: str, path: Path) -> None:
    """Run a palette command on ``path`` (typed over the default), and wait for its end."""
    await pilot.press("ctrl+p", *name)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PathPrompt)
    await pilot.press(*str(path), "enter")  # the default is selected: typing replaces it
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_exports_report_and_backup_write_their_files_and_name_them(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for name, file, what in (("Export to iCalendar", "plan.ics", "as iCalendar"),
                                 ("Export to CSV", "plan.csv", "posts as CSV"),
                                 ("Export to JSON", "plan.json", "as JSON"),
                                 ("Handover report", "report.html", "handover report (html)"),
                                 ("Backup", "backup.json", "backed up the whole plan")):
            out = tmp_path / "out" / file
            out.parent.mkdir(exist_ok=True)
            await command(pilot, name, out)
            assert out.is_file(), name
            assert said(app).startswith(f"{out}: ") and what in said(app)
        assert (tmp_path / "out" / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
        assert (tmp_path / "out" / "plan.csv").read_text().startswith("uid,date,title")
        assert "<svg" in (tmp_path / "out" / "report.html").read_text()
        assert len(json.loads((tmp_path / "out" / "plan.json").read_text())["posts"]) > 300
        assert Store(tmp_path / "out" / "backup.json", readonly=True).post_count() > 300


async def test_an_existing_file_is_replaced_only_after_a_second_enter(tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    out.write_text("mine")
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await command(pilot, "Export to CSV", out)
        assert isinstance(app.screen, PathPrompt) and out.read_text() == "mine"
        assert "exists: Enter again replaces it" in shown_text(app.screen.query_one(
            "#transfer-error"))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.read_text().startswith("uid,")


SHEET = ("titre;date;statut;thème\n"
         "Atelier du jeudi;2026-11-26T15:00;draft;Ateliers d'hiver\n"
         "Atelier du vendredi;ven 16h;idea;\n")
"""Two new posts in the demo's week (one with a theme the store does not have)."""


async def test_an_imported_csv_shows_in_the_calendar_and_u_takes_it_back(
        tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET)
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        count, themes = Store(path, readonly=True).post_count(), len(app.store.themes())
        await command(pilot, "Import CSV", sheet)
        assert said(app) == ("imported sheet.csv: added 2 posts, updated 0, 0 already the "
                             "same; created 1 theme")
        assert pane.shown is not None
        titles = {p.title: day for day, posts in pane.shown.posts.items() for p in posts}
        assert titles["Atelier du jeudi"] == date(2026, 11, 26)
        assert titles["Atelier du vendredi"] == date(2026, 11, 27)
        assert len(app.store.themes()) == themes + 1
        await pilot.press("u")
        await pilot.pause()
        assert said(app).startswith("undid: imported sheet.csv")
        assert app.store.post_count() == count and len(app.store.themes()) == themes
        shown = app.query_one(CalendarPane).shown
        assert shown is not None
        assert not any(p.title.startswith("Atelier du") for ps in shown.posts.values()
                       for p in ps)
        assert Store(path, readonly=True).post_count() == count  # on disk too


async def test_a_bad_csv_lists_its_rows_and_imports_nothing(tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(SHEET + "Sans date;pas une date;draft;\nMauvais statut;ven 9h;fini;\n")
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        count = app.store.post_count()
        seen = notes(app)
        await command(pilot, "Import CSV", sheet)
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        assert screen.title_text == "bad.csv: 2 bad rows; nothing was imported"
        assert screen.lines[0].startswith("row 4, column 'date': ")
        assert screen.lines[1].startswith("row 5, column 'statut': unknown status 'fini'")
        await pilot.press("escape")
        await pilot.pause()
        assert seen == [("error", "bad.csv: 2 bad rows; nothing was imported")]
        assert app.store.post_count() == count
        assert Store(path, readonly=True).post_count() == count


async def test_a_missing_file_is_said_in_the_prompt(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await command(pilot, "Import iCalendar", tmp_path / "nowhere.ics")
        assert isinstance(app.screen, PathPrompt)
        assert "nowhere.ics: no such file" in shown_text(app.screen.query_one(
            "#transfer-error"))
