"""Objectives and themes edited in the planner: each change on disk, said, and undone with
u (a merge puts every post back on its theme); a delete that posts forbid offers archive;
and a fresh store shows the first commands to type instead of an empty grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from planterm.model import Category
from planterm.store import Store
from planterm.tui.screens.category_form import CategoryForm, ChooseScreen
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.structure import StructureScreen
from planterm.tui.widgets.first_steps import OBJECTIVE, POST, THEME
from planterm.tui.widgets.message_line import MessageLine
from tui_support import app_on, demo_path, ready, shown_text


async def opened(pilot: Pilot[Any]) -> StructureScreen:
    """The planner on its store, the objectives and themes on top (as ctrl+p opens it)."""
    await ready(pilot)
    pilot.app.action_structure()  # type: ignore[attr-defined]
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StructureScreen)
    return screen


def goto(screen: StructureScreen, table: str, key: str) -> None:
    """Put the cursor on one objective or theme."""
    at = next(i for i, row in enumerate(screen.rows)
              if row.table == table and row.cat is not None and row.cat.key == key)
    screen.query_one(OptionList).highlighted = at


def fresh(tmp_path: Path) -> Path:
    """A new, empty store on disk (as the planner makes it once the user says yes)."""
    store = Store(tmp_path / "plan.json")
    store.compact()
    store.close()
    return store.path


def said(screen: StructureScreen) -> str:
    return screen.query_one(MessageLine).message


async def test_merge_two_themes_then_u_puts_every_post_back(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        before = {p.id: p.themes for p in Store(path).posts()}
        moved = [i for i, themes in before.items() if "restitutions" in themes]
        assert moved
        goto(screen, "themes", "restitutions")
        await pilot.press("m")
        assert isinstance(app.screen, ChooseScreen)
        choices = [str(app.screen.query_one(OptionList).get_option_at_index(i).prompt)
                   for i in range(app.screen.query_one(OptionList).option_count)]
        into = next(i for i, line in enumerate(choices) if line.startswith("collections"))
        app.screen.query_one(OptionList).highlighted = into
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen) and "9 posts" in app.screen.question
        await pilot.press("y")
        assert app.screen is screen
        store = Store(path)
        assert store.category("themes", "restitutions") is None
        assert all("collections" in p.themes and "restitutions" not in p.themes
                   for p in store.posts() if p.id in moved)
        assert "merged theme 'restitutions' into 'collections'" in said(screen)
        assert not any(r.cat and r.cat.key == "restitutions" for r in screen.rows)
        await pilot.press("u")
        assert {p.id: p.themes for p in Store(path).posts()} == before
        assert any(r.cat and r.cat.key == "restitutions" for r in screen.rows)
        assert said(screen).startswith("undid: merged theme")
        await pilot.press("ctrl+r")
        assert Store(path).category("themes", "restitutions") is None


async def test_n_adds_a_theme_through_the_form_and_u_takes_it_away(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        goto(screen, "themes", "prehistoire")
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, CategoryForm) and form.table == "themes"
        form.query_one("#key", Input).value = "Bad Key"
        form.query_one("#name", Input).value = "Archéologie"
        await pilot.press("ctrl+s")
        assert app.screen is form  # refused, named, what was typed kept
        assert "key" in shown_text(form.query_one("#category-error", Static))
        form.query_one("#key", Input).value = "archeo"
        form.query_one("#name", Input).value = "préhistoire"  # reads as another's name
        await pilot.press("ctrl+s")
        assert "already names theme 'prehistoire'" in shown_text(
            form.query_one("#category-error", Static))
        form.query_one("#name", Input).value = "Archéologie"
        form.query_one("#target_per_month", Input).value = "4"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        added = Store(path).category("themes", "archeo")
        assert added is not None and added.target_per_month == 4
        assert any(r.cat and r.cat.key == "archeo" for r in screen.rows)
        await pilot.press("u")
        assert Store(path).category("themes", "archeo") is None


async def test_A_archives_and_e_edits_each_undoable(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        goto(screen, "objectives", "debat")
        await pilot.press("A")
        assert Store(path).category("objectives", "debat").archived  # type: ignore[union-attr]
        assert "archived" in str(screen.query_one(OptionList).get_option_at_index(
            screen.query_one(OptionList).highlighted or 0).prompt)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, CategoryForm)
        form.query_one("#name", Input).value = "Débattre"
        await pilot.press("ctrl+s")
        assert Store(path).category("objectives", "debat").name == "Débattre"  # type: ignore[union-attr]
        await pilot.press("u", "u")
        debat = Store(path).category("objectives", "debat")
        assert debat is not None and not debat.archived and debat.name != "Débattre"


async def test_delete_is_refused_while_posts_use_it_and_offers_archive(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        goto(screen, "themes", "restitutions")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "used by 9 posts, so it stays" in app.screen.question
        await pilot.press("n")
        assert Store(path).category("themes", "restitutions") is not None
        await pilot.press("d", "y")  # yes: archive it instead
        kept = Store(path).category("themes", "restitutions")
        assert kept is not None and kept.archived


async def test_delete_of_an_unused_one_asks_then_u_brings_it_back(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    store = Store(path)
    store.add_objective(Category("essai", "Essai"))
    store.close()
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        goto(screen, "objectives", "essai")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen) and "Delete objective" in app.screen.question
        await pilot.press("y")
        assert Store(path).objectives() == []
        await pilot.press("u")
        assert [c.key for c in Store(path).objectives()] == ["essai"]


async def test_a_fresh_store_shows_the_first_commands(tmp_path: Path) -> None:
    path = fresh(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        assert pane.has_class("-empty")
        empty = shown_text(pane.query_one("#empty", Static))
        assert "planterm objective add visites" in empty
        assert "planterm theme add prehistoire" in empty and "planterm add" in empty
        assert "2 then o" in empty and "write a post in the editor" in empty
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Objectives and themes" in commands
        screen = await opened(pilot)
        assert [r.cat for r in screen.rows] == [None, None]  # the two headings, nothing yet
        await pilot.press("escape")
        assert pane.has_class("-empty")


async def test_once_objectives_and_themes_exist_the_steps_go_on_to_posts(
        tmp_path: Path) -> None:
    path = fresh(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        assert app.history is not None
        app.change_structure(lambda h: h.apply_category("objectives", None,
                                                        Category("visites", "Visites")))
        app.change_structure(lambda h: h.apply_category("themes", None,
                                                        Category("expo", "Expo")))
        await pilot.pause()
        empty = shown_text(pane.query_one("#empty", Static))
        assert "objective add" not in empty and "theme add" not in empty
        assert "planterm add" in empty and "Now write posts" in empty


def test_the_empty_state_shows_the_readmes_first_commands() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for command in (OBJECTIVE, THEME, POST):
        assert f"\n{command}\n" in readme
