"""Triage keys on the selected post: written at once, shown, and undoable across panes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from planterm.model import Post, Status
from planterm.store import Store
from planterm.tui.app import PlantermApp
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.widgets.calendar import CalendarPane
from tui_support import PARIS, app_on, demo_path, notes, ready


def selected(pane: CalendarPane) -> Post:
    post = pane.shown.selected if pane.shown else None
    assert post is not None and post.id is not None
    return post


def stored(app: PlantermApp, post_id: int | None) -> Post | None:
    assert app.store is not None and post_id is not None
    return app.store.get_post(post_id)


async def goto_status(pilot: object, pane: CalendarPane, status: Status) -> Post:
    """Select the first post of the shown week with this status."""
    assert pane.shown is not None
    post = next(p for p in pane.shown.ordered() if p.status is status)
    pane.select(pane.day, post.id)
    return selected(pane)


async def test_s_and_S_step_the_status_on_disk_and_on_screen(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        post = await goto_status(pilot, pane, Status.DRAFT)
        await pilot.press("s")
        assert Store(path).get_post(post.id or 0).status is Status.REVIEW  # type: ignore[union-attr]
        assert selected(pane).status is Status.REVIEW and selected(pane).id == post.id
        await pilot.press("S", "S")
        assert stored(app, post.id).status is Status.IDEA  # type: ignore[union-attr]


async def test_a_refused_transition_says_why(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        seen = notes(app)
        post = await goto_status(pilot, pane, Status.PUBLISHED)
        await pilot.press("s")
        assert seen == [("warning", "published is the last status")]
        assert stored(app, post.id) == post


async def test_angle_brackets_move_a_day_keeping_the_local_time(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        post = selected(pane)
        assert post.scheduled is not None
        await pilot.press("greater_than_sign")
        moved = stored(app, post.id)
        assert moved is not None and moved.scheduled == post.scheduled + timedelta(days=1)
        assert selected(pane).id == post.id and pane.day == moved.scheduled.astimezone(
            PARIS).date()  # the selection follows the post
        await pilot.press("less_than_sign", "less_than_sign")
        back = stored(app, post.id)
        assert back is not None and back.scheduled == post.scheduled - timedelta(days=1)


async def test_D_duplicates_as_a_new_draft_and_selects_it(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        post = selected(pane)
        assert app.store is not None
        count = app.store.post_count()
        await pilot.press("D")
        assert app.store.post_count() == count + 1
        copy = selected(pane)
        assert copy.id != post.id and copy.title == post.title
        assert copy.status is Status.DRAFT and copy.scheduled == post.scheduled


async def test_delete_confirm_undo_brings_it_back_with_its_id_and_redo_deletes(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        seen = notes(app)
        post = selected(pane)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep
        assert stored(app, post.id) == post
        await pilot.press("d", "y")
        assert stored(app, post.id) is None and selected(pane).id != post.id
        await pilot.press("u")
        assert stored(app, post.id) == post and selected(pane).id == post.id
        await pilot.press("ctrl+r")
        assert stored(app, post.id) is None
        assert [m for _, m in seen] == [f"deleted '{post.title[:39]}…'",
                                        f"undid: deleted '{post.title[:39]}…'",
                                        f"redid: deleted '{post.title[:39]}…'"]


async def test_undo_works_across_panes(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        post = await goto_status(pilot, pane, Status.DRAFT)
        await pilot.press("s", "2", "u")
        assert stored(app, post.id) == post
        await pilot.press("3", "ctrl+r", "1")
        assert stored(app, post.id).status is Status.REVIEW  # type: ignore[union-attr]


async def test_filter_narrows_is_shown_and_escape_clears_it(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        everything = len(pane.shown.ordered()) if pane.shown else 0
        await pilot.press("slash", *"status:draft ch:ig", "enter")
        assert pane.shown is not None
        shown = pane.shown.ordered()
        assert 0 < len(shown) < everything
        assert all(p.status is Status.DRAFT and "instagram" in p.channels for p in shown)
        line = pane.query_one("#filter-line")
        assert line.display and "status:draft ch:ig" in str(line.render())
        await pilot.press("escape")
        assert len(pane.shown.ordered()) == everything and not line.display


async def test_an_unknown_filter_field_or_value_says_what_is_known(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("slash", *"colour:red", "enter")
        error = str(pane.query_one("#prompt-error").render())
        assert "unknown field 'colour'; known: status, ch (channel), obj" in error
        await pilot.press("escape")
        await pilot.press("slash", *"theme:zzz", "enter")
        assert "known: prehistoire" in str(pane.query_one("#prompt-error").render())


async def test_a_change_under_a_filter_leaves_the_view_when_it_no_longer_matches(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("slash", *"status:draft", "enter")
        assert pane.shown is not None
        drafts = [p.id for p in pane.shown.ordered()]
        post = selected(pane) if pane.post_id else await goto_status(pilot, pane, Status.DRAFT)
        await pilot.press("s")  # now in review: the draft filter hides it
        assert post.id not in [p.id for p in pane.shown.ordered()]
        assert len(pane.shown.ordered()) == len(drafts) - 1
        await pilot.press("u")
        assert post.id in [p.id for p in pane.shown.ordered()]


async def test_a_triage_key_on_a_post_changed_elsewhere_is_refused(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        seen = notes(app)
        post = await goto_status(pilot, pane, Status.DRAFT)
        assert app.store is not None
        app.store.changed = lambda: False  # type: ignore[method-assign]  # the poll sees nothing
        other = Store(path)  # changes it before our poll has seen it
        other.update_post(replace(post, title="Their title"))
        other.close()
        await pilot.press("s")
        assert seen and seen[-1][0] == "error" and "changed elsewhere" in seen[-1][1]
        assert stored(app, post.id).title == "Their title"  # type: ignore[union-attr]
        assert selected(pane).title == "Their title"  # and the calendar shows theirs


async def test_S_takes_a_published_post_back_to_scheduled_keeping_its_link(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        assert pane.shown is not None
        post = next(p for p in pane.shown.ordered() if p.status is Status.PUBLISHED and p.link)
        pane.select(pane.day, post.id)
        await pilot.press("S")
        back = stored(app, post.id)
        assert back is not None and back.status is Status.SCHEDULED
        assert back.link == "" and post.link in back.notes  # kept in the notes
        await pilot.press("u")
        assert stored(app, post.id) == post  # undo brings the link itself back
