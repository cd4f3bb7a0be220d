"""The app shell: loading, header, panes, footer keys, help, palette, keymap, exits."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from textual.widgets import ContentSwitcher, Static
from textual.widgets._footer import FooterKey  # Textual is pinned exactly

from planterm.model import Status
from planterm.store import SCHEMA, Store
from planterm.tui.app import IDLE_SECONDS
from planterm.tui.screens.help import HelpScreen
from planterm.tui.widgets.calendar import CalendarPane
from tui_support import SETTINGS, app_on, demo_path, notes, ready


async def test_opens_on_this_week_with_the_store_name_in_the_header(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.sub_title == "loading…"  # the first frame comes before the store
        pane = await ready(pilot)
        assert app.title == "demo.json"
        assert app.sub_title == "semaine 48 · 23–29 nov. 2026"
        assert not pane.query_one("#loading").display and app.store is not None


def test_the_planner_loads_only_what_its_first_week_needs(tmp_path: Path) -> None:
    """Events, coverage, templates and the interop are loaded by what uses them, not by
    the planner's start (each module costs every start its import)."""
    path = demo_path(tmp_path)
    code = ("import asyncio, sys\n"
            "from pathlib import Path\n"
            "from planterm import cli, live  # as the planner starts\n"
            "from planterm.config import Settings\n"
            "from planterm.tui.app import make_app\n"
            "async def main():\n"
            f"    app = make_app(Path({str(path)!r}), Settings(timezone='Europe/Paris'))\n"
            "    async with app.run_test() as pilot:\n"
            "        for _ in range(50):\n"
            "            await app.workers.wait_for_complete()\n"
            "            await pilot.pause()\n"
            "            if app.store is not None:\n"
            "                break\n"
            "        assert app.store is not None\n"
            "asyncio.run(main())\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('planterm.'))))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert {"planterm.store", "planterm.tui.widgets.week"} <= loaded
    assert not loaded & {"planterm.events", "planterm.coverage", "planterm.templates",
                         "planterm.interop.common"}, loaded


async def test_quit_closes_the_store_into_one_json_file(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    count = Store(path).post_count()
    app = app_on(path)
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("D", "q")  # a write leaves a journal until the store is closed
    assert app.return_code == 0
    assert not path.with_name("demo.json.journal").exists()
    assert Store(path).post_count() == count + 1


async def test_an_empty_store_says_how_to_add_a_post_and_open_the_demo(tmp_path: Path) -> None:
    app = app_on(tmp_path / "new.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("y")  # there is no store there yet: create it
        pane = await ready(pilot)
        assert pane.has_class("-empty")
        text = str(pane.query_one("#empty", Static).render())
        assert "planterm objective add" in text and "write a post in the editor" in text
        assert "add one from a line" in text and "planterm --demo" in text


async def test_a_store_that_cannot_be_opened_ends_the_app_with_code_1(tmp_path: Path) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"meta": {"1": {"app": "planterm", "schema": SCHEMA + 1}}}))
    app = app_on(newer)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 1
    assert json.loads(newer.read_text())["meta"]["1"]["schema"] == SCHEMA + 1  # untouched


async def test_a_second_planner_is_told_who_else_has_the_store_open(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    first = app_on(path)
    async with first.run_test() as pilot:
        await ready(pilot)
        assert first.marker.path.exists()
        second = app_on(path)
        second.marker.path = second.marker.path.with_name("second.json")  # another process
        async with second.run_test() as pilot2:
            seen = notes(second)
            await ready(pilot2)
            (_, message), = [n for n in seen if "another planterm" in n[1]]
            assert f"pid {first.marker.pid} on {first.marker.host}" in message
    assert not first.marker.path.exists()  # a clean quit removes the marker


async def test_1_2_3_switch_panes_each_taking_the_keyboard(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        switcher = app.query_one("#panes", ContentSwitcher)
        await pilot.press("2")
        assert switcher.current == "matrix" and app.focused is app.query_one("#matrix")
        await pilot.press("3")
        assert switcher.current == "events" and app.focused is app.query_one("#events")
        await pilot.press("1")
        assert switcher.current == "calendar" and app.focused is app.query_one(CalendarPane)


async def test_footer_keys_follow_what_applies(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "u" not in app.active_bindings  # nothing to undo yet
        assert "escape" not in app.active_bindings  # no filter to clear
        await pilot.press("D")
        assert "u" in app.active_bindings
        await pilot.press("m")
        assert "s" in app.active_bindings  # the month view selects posts too (j walks in)


async def test_a_resize_chooses_the_footer_keys_and_the_height_class_again(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.screen.has_class("-tall") and not app.screen.has_class("-short")
        wide = len(app.query(FooterKey))
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        assert app.screen.has_class("-short") and not app.screen.has_class("-tall")
        assert len(app.query(FooterKey)) < wide


async def test_help_is_built_from_the_bindings_grouped_by_pane(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        titles = [group.title for group in help_screen.groups]
        assert titles[:2] == ["planner", "calendar"]
        texts = [str(s.render()) for s in help_screen.query(".help-group").results(Static)]
        calendar = next(t for t in texts if t.startswith("calendar"))
        for binding in CalendarPane.BINDINGS:
            assert binding.description in calendar  # type: ignore[union-attr]
        assert "↓ j" in calendar  # one line per action, every key bound to it
        assert "\n  [        Previous" in calendar  # a "[" key is text, never markup
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_keymap_setting_rebinds_keys_and_help_shows_it(tmp_path: Path) -> None:
    settings = replace(SETTINGS, keymap={"post.next_status": "x"})
    path = demo_path(tmp_path)
    app = app_on(path, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        assert pane.shown is not None
        post = next(p for p in pane.shown.ordered()
                    if p.status is Status.DRAFT and not pane.shown.problems(p))
        pane.select(pane.day, post.id)
        await pilot.press("x")
        stored = app.store.get_post(post.id or 0) if app.store else None
        assert stored is not None and stored.status != post.status
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        calendar = next(g for g in help_screen.groups if g.title == "calendar")
        status_key = next(k for k in calendar.keys if k.action == "status(1)")
        assert status_key.keys == ("x",)


async def test_command_palette_runs_pane_and_app_actions(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"calendar: Month")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert pane.view == "month"
        await pilot.press("ctrl+p", *"Help")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_collectors_full_pass_waits_for_a_pause_in_the_typing(tmp_path: Path) -> None:
    """No key waits for the garbage collector's full pass (15-80 ms at 20,000 posts once
    weeks and months were drawn): it runs as often as by default, once a second has gone
    by without input, or at the latest ten times later under keys that never pause."""
    before = gc.get_threshold()
    every = before[2]
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > 10**6
        gc.collect()
        for _ in range(every):  # the passes over the middle generation that make one due
            gc.collect(1)
        await pilot.press("]")
        app._idle()
        assert gc.get_count()[2] >= every  # a key just came: not now
        app._last_input -= IDLE_SECONDS
        app._idle()
        assert gc.get_count()[2] == 0
        for _ in range(10 * every):
            gc.collect(1)
        await pilot.press("[")
        app._idle()
        assert gc.get_count()[2] == 0
    assert gc.get_threshold() == before  # the collector as it was, once the planner ends
