"""The list of a matrix cell's posts: the calendar's triage keys work on it, each change is
on disk and undoable, and the list follows the plan (a post that no longer belongs leaves)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from planterm.model import Post, Status
from planterm.store import PostQuery, Store
from planterm.tui.app import PlantermApp
from planterm.tui.messages import WriteRequested
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.detail import PostDetail
from planterm.tui.screens.editor import PostEditor
from planterm.tui.screens.help import HelpScreen
from planterm.tui.screens.post_list import PostListScreen
from planterm.tui.widgets.calendar import CalendarPane
from planterm.tui.widgets.message_line import MessageLine
from tui_support import PARIS, SETTINGS, app_on, demo_path, ready

NOVEMBER = PostQuery(start=datetime(2026, 11, 1, tzinfo=PARIS),
                     end=datetime(2026, 12, 1, tzinfo=PARIS),
                     objectives=frozenset({"visites"}), themes=frozenset({"prehistoire"}))
TITLE = "visites × préhistoire · novembre 2026"


def cell_posts(store: Store) -> list[Post]:
    """The posts of one matrix cell, by date."""
    return sorted(store.posts(NOVEMBER), key=lambda p: (p.scheduled, p.id))


async def opened(pilot: Pilot[Any]) -> PostListScreen:
    """The planner on the demo, the cell's list of posts on top."""
    await ready(pilot)
    screen = PostListScreen(TITLE, cell_posts)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def highlighted(screen: PostListScreen) -> Post:
    post = screen.highlighted()
    assert post is not None and post.id is not None
    return post


def stored(app: PlantermApp, post: Post) -> Post | None:
    assert app.store is not None and post.id is not None
    return app.store.get_post(post.id)


async def pick(pilot: Pilot[Any], screen: PostListScreen, status: Status) -> Post:
    """Highlight the first listed post with this status, with j as a user would."""
    while highlighted(screen).status is not status:
        await pilot.press("j")
    return highlighted(screen)


async def test_it_lists_the_cells_posts_with_status_words_and_channels(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert app.store is not None
        expected = cell_posts(app.store)
        assert len(expected) >= 3 and [p.id for p in screen.posts] == [p.id for p in expected]
        listing = screen.query_one(OptionList)
        first = str(listing.get_option_at_index(0).prompt)
        post = expected[0]
        assert post.title[:20] in first and post.status.value in first
        assert post.status.symbol in first
        assert f"{len(expected)} posts" in str(screen.query_one("#posts-title").render())


async def test_s_S_and_angle_brackets_write_the_highlighted_post(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        post = await pick(pilot, screen, Status.DRAFT)
        await pilot.press("s")
        assert Store(path).get_post(post.id or 0).status is Status.REVIEW  # type: ignore[union-attr]
        assert highlighted(screen).id == post.id and highlighted(screen).status is Status.REVIEW
        await pilot.press("S", "S")
        assert stored(app, post).status is Status.IDEA  # type: ignore[union-attr]
        assert post.scheduled is not None
        await pilot.press("greater_than_sign")
        assert stored(app, post).scheduled == post.scheduled + timedelta(days=1)  # type: ignore[union-attr]
        await pilot.press("less_than_sign", "less_than_sign")
        assert stored(app, post).scheduled == post.scheduled - timedelta(days=1)  # type: ignore[union-attr]
        await pilot.press("u", "u", "u")  # app-level undo, from the list: < < > undone
        assert stored(app, post).scheduled == post.scheduled  # type: ignore[union-attr]
        assert app.screen is screen


async def test_D_duplicates_and_d_deletes_after_asking_and_u_brings_it_back(
        tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        count = len(screen.posts)
        post = highlighted(screen)
        await pilot.press("D")
        assert len(screen.posts) == count + 1  # same date and tags: the copy belongs here
        copy = highlighted(screen)
        assert copy.id != post.id and copy.title == post.title and copy.status is Status.DRAFT
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert app.screen is screen and Store(path).get_post(copy.id or 0) is None
        assert [p.id for p in screen.posts].count(copy.id) == 0 and len(screen.posts) == count
        await pilot.press("u")
        assert Store(path).get_post(copy.id or 0) is not None
        assert len(screen.posts) == count + 1


async def test_e_edits_the_highlighted_post_and_enter_shows_it(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        post = highlighted(screen)
        await pilot.press("e")
        assert isinstance(app.screen, PostEditor)
        app.screen.query_one("#title", Input).value = "Retitled from the cell"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert stored(app, post).title == "Retitled from the cell"  # type: ignore[union-attr]
        assert "Retitled from the cell" in str(screen.query_one(OptionList)
                                               .get_option_at_index(0).prompt)
        await pilot.press("enter")
        assert isinstance(app.screen, PostDetail) and "Retitled from the cell" in app.screen.text
        await pilot.press("escape", "escape")
        assert app.screen is app.screen_stack[0]  # Escape: back to the planner


async def test_a_post_that_no_longer_belongs_leaves_the_list(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        post = highlighted(screen)
        count = len(screen.posts)
        screen.post_message(WriteRequested(post, replace(post, themes=["coulisses"])))
        await pilot.pause()
        assert post.id not in [p.id for p in screen.posts] and len(screen.posts) == count - 1
        await pilot.press("u")
        assert post.id in [p.id for p in screen.posts]


async def test_refusals_and_help_speak_on_the_lists_own_lines(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = PostListScreen("nothing", lambda store: [])
        await ready(pilot)
        await pilot.app.push_screen(screen)
        await pilot.pause()
        await pilot.press("s")
        assert "no post here" in screen.query_one(MessageLine).message
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        posts = next(g for g in app.screen.groups if g.title == "posts")
        assert {k.id for k in posts.keys} >= {"post.next_status", "post.delete", "posts.back"}


async def test_one_keymap_entry_rebinds_the_key_in_the_calendar_and_the_list(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path), replace(SETTINGS, keymap={"post.next_status": "x"}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        post = await pick(pilot, screen, Status.DRAFT)
        await pilot.press("x")
        assert stored(app, post).status is Status.REVIEW  # type: ignore[union-attr]
        await pilot.press("escape")
        calendar = app.query_one(CalendarPane)
        assert calendar.shown is not None
        draft = next(p for p in calendar.shown.ordered() if p.status is Status.DRAFT)
        calendar.select(calendar.day, draft.id)
        await pilot.press("x")
        assert stored(app, draft).status is Status.REVIEW  # type: ignore[union-attr]
