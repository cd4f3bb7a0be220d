"""e, n and a: the editor and quick add hand back a post, the app saves it, u undoes it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from planterm.store import Store
from planterm.tui.screens.editor import PostEditor
from planterm.tui.screens.quick_add import QuickAddScreen
from tui_support import app_on, demo_path, notes, ready


async def test_e_edits_the_selected_post_and_u_undoes_the_edit(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        post = pane.shown.selected if pane.shown else None
        assert post is not None and post.id is not None
        await pilot.press("e")
        assert isinstance(app.screen, PostEditor)
        app.screen.query_one("#title", Input).value = "Retitled in the editor"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Store(path).get_post(post.id).title == "Retitled in the editor"  # type: ignore[union-attr]
        assert pane.post_id == post.id
        await pilot.press("u")
        assert Store(path).get_post(post.id) == post


async def test_n_writes_a_new_post_that_the_app_saves(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, PostEditor) and app.screen.original.id is None
        app.screen.query_one("#title", Input).value = "A brand new post"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store is not None
        assert [p.title for p in app.store.posts() if p.title == "A brand new post"]


async def test_a_quick_adds_a_post_from_one_line_and_u_removes_it(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        assert app.store is not None
        count = app.store.post_count()
        seen = notes(app)
        await pilot.press("a")
        assert isinstance(app.screen, QuickAddScreen)
        await pilot.press(*"ven 10h @ig +prehistoire Teaser du vernissage", "enter", "enter")
        await pilot.pause()
        assert app.store.post_count() == count + 1
        added = pane.shown.selected if pane.shown else None
        assert added is not None and added.title == "Teaser du vernissage"
        assert seen[-1] == ("information", "added 'Teaser du vernissage'")
        await pilot.press("u")
        assert app.store.post_count() == count


async def test_a_save_refused_by_a_change_elsewhere_keeps_the_typed_text(tmp_path: Path) -> None:
    from dataclasses import replace

    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        post = pane.shown.selected if pane.shown else None
        assert post is not None and post.id is not None
        await pilot.press("e")
        app.screen.query_one("#title", Input).value = "Typed while the other wrote"
        await pilot.pause()
        other = Store(path)  # a second session changes the same post meanwhile
        other.update_post(replace(other.get_post(post.id), notes="their note"))  # type: ignore[arg-type]
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, PostEditor)  # opened again, nothing typed is lost
        assert editor.query_one("#title", Input).value == "Typed while the other wrote"
        assert editor.original.notes == "their note"
        await pilot.press("ctrl+s")  # the user chooses to save over the other version
        await pilot.pause()
        assert Store(path).get_post(post.id).title == "Typed while the other wrote"  # type: ignore[union-attr]
