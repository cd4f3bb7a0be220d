"""The post editor, driven with real keys on a copy of the demo plan with a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static, TextArea

import planterm.tui
from planterm.config import Settings
from planterm.model import Post, Status
from planterm.readiness import over_limits
from planterm.store import Store
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.editor import PostEditor
from planterm.tui.widgets.counts import ChannelCounts
from tui_support import NOW, demo_path

DRAFT_ID = 240
"""A draft of the demo plan: Instagram and X, Saturday 28 Nov 20:00, no event, no flag."""


class ScreenHarness(App[None]):
    """A bare app that pushes one screen and keeps what the screen was dismissed with."""

    CSS_PATH = Path(planterm.tui.__file__).parent / "planterm.tcss"

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A fresh copy of the demo plan around the week of NOW."""
    return Store(demo_path(tmp_path))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings made here, not read from a file."""
    return Settings(store=tmp_path / "demo.json", channels=("instagram", "facebook", "x"))


def editor_app(store: Store, settings: Settings, post_id: int | None = None) -> ScreenHarness:
    """The harness on the editor for a stored post, or for a new one."""
    post = None if post_id is None else store.get_post(post_id)
    return ScreenHarness(lambda: PostEditor(store, settings, post, NOW))


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Focus a field and replace what it holds by typing ``text`` key by key."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    if isinstance(widget, Input):
        await pilot.press("home", "ctrl+k")
    await pilot.press(*text)
    await pilot.pause()


def shown(pilot: Pilot[Any], selector: str) -> str:
    """The text of a Static as the user reads it, or '' when it is hidden."""
    widget = pilot.app.screen.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


async def test_tab_walks_the_form_in_order(store: Store, settings: Settings) -> None:
    async with editor_app(store, settings, DRAFT_ID).run_test(size=(80, 24)) as pilot:
        order = []
        for _ in range(11):
            order.append(pilot.app.focused.id if pilot.app.focused else None)
            await pilot.press("tab")
        assert order == ["title", "channels", "on", "status", "body", "variant-channel",
                         "objectives", "themes", "event", "hashtags", "notes"]  # fmt: skip


async def test_typing_the_body_updates_the_counters(store: Store, settings: Settings) -> None:
    async with editor_app(store, settings).run_test(size=(80, 24)) as pilot:
        counts = pilot.app.screen.query_one(ChannelCounts)
        assert [f.count for f in counts.fits] == [0, 0, 0]
        await type_into(pilot, "#body", "Néandertal 🦴")
        assert [(f.network, f.count) for f in counts.fits] == [
            ("instagram", 12), ("facebook", 12), ("x", 13)]  # the emoji weighs 2 on X
        assert "X 13/280 267 left" in str(counts.render())


async def test_an_over_limit_body_shows_a_sign_and_the_overshoot(
    store: Store, settings: Settings
) -> None:
    async with editor_app(store, settings).run_test(size=(80, 24)) as pilot:
        pilot.app.screen.query_one("#body").focus()
        pilot.app.post_message(events.Paste("a" * 275))  # as a terminal sends a paste
        await type_into(pilot, "#body", "b" * 16)
        counts = pilot.app.screen.query_one(ChannelCounts)
        assert "X 291/280 ⚠ -11" in str(counts.render())
        assert "IG 291/2200 1909 left" in str(counts.render())
        assert counts.has_class("-over")


async def test_a_variant_is_counted_on_its_channel(store: Store, settings: Settings) -> None:
    async with editor_app(store, settings, DRAFT_ID).run_test(size=(80, 24)) as pilot:
        pilot.app.screen.query_one("#variant-channel").focus()
        await pilot.press("enter", "down", "down", "enter")  # blank, Instagram, X
        await type_into(pilot, "#variant", "Court pour X")
        counts = pilot.app.screen.query_one(ChannelCounts)
        x_count = next(f.count for f in counts.fits if f.network == "x")
        assert x_count == len("Court pour X #Ethnologie")  # the post's hashtag goes out too
        await pilot.press("ctrl+s")
        assert pilot.app.results[0].variants == {"x": "Court pour X"}


async def test_an_unreadable_date_is_shown_under_the_field_and_blocks_saving(
    store: Store, settings: Settings
) -> None:
    async with editor_app(store, settings, DRAFT_ID).run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "#on", "ven 25h")
        assert '"25h" is not a time of day' in shown(pilot, "#error-on")
        assert shown(pilot, "#hint-on") == "→ not read: see below"
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, PostEditor)
        assert pilot.app.results == []
        assert pilot.app.focused is pilot.app.screen.query_one("#on")


async def test_the_status_field_offers_only_the_statuses_one_step_away(
    store: Store, settings: Settings
) -> None:
    async with editor_app(store, settings, DRAFT_ID).run_test(size=(80, 24)) as pilot:
        choices = pilot.app.screen.query_one("#status", Select).query_one(OptionList)
        offered = [str(choices.get_option_at_index(i).prompt)
                   for i in range(choices.option_count)]
        assert offered == ["○ idea", "✎ draft", "? review", "✗ cancelled"]


async def test_a_refused_status_says_why_under_the_field(
    store: Store, settings: Settings
) -> None:
    over = next(p for p in store.posts() if p.status is Status.REVIEW and over_limits(p))
    async with editor_app(store, settings, over.id).run_test(size=(80, 24)) as pilot:
        pilot.app.screen.query_one("#status").focus()
        await pilot.press("enter", "down", "enter")  # review -> approved, next in the list
        await pilot.pause()
        assert "too long to be approved" in shown(pilot, "#error-status")
        await pilot.press("ctrl+s")
        assert pilot.app.results == []


async def test_unknown_names_are_shown_under_their_fields(
    store: Store, settings: Settings
) -> None:
    async with editor_app(store, settings, DRAFT_ID).run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "#channels", "ig myspace")
        await type_into(pilot, "#themes", "dinosaures")
        assert "known channels: instagram (ig, insta)" in shown(pilot, "#error-channels")
        assert "known: prehistoire" in shown(pilot, "#error-themes")
        await type_into(pilot, "#title", "")
        assert "must not be empty" in shown(pilot, "#error-title")


async def test_a_valid_edit_is_handed_back_unsaved(store: Store, settings: Settings) -> None:
    before = store.get_post(DRAFT_ID)
    async with editor_app(store, settings, DRAFT_ID).run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "#title", "Écorces battues")
        await type_into(pilot, "#on", "3 déc 19h")
        assert shown(pilot, "#hint-on") == "→ jeu. 3 déc. 2026 19:00"
        await type_into(pilot, "#channels", "insta masto")
        await type_into(pilot, "#themes", "Sociétés coulisses")
        await type_into(pilot, "#event", "Néandertal")
        assert "Conférence : Néandertal, notre cousin" in shown(pilot, "#hint-event")
        pilot.app.screen.query_one("#status").focus()
        await pilot.press("enter", "down", "enter")  # draft -> review
        await pilot.press("ctrl+s")
        await pilot.pause()
        [post] = pilot.app.results
    assert isinstance(post, Post)
    assert post.id == DRAFT_ID
    assert post.title == "Écorces battues"
    assert post.scheduled == datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    assert post.channels == ["instagram", "mastodon"]
    assert post.themes == ["societes", "coulisses"]
    assert post.event == 6
    assert post.status is Status.REVIEW
    assert store.get_post(DRAFT_ID) == before  # the app saves, not the editor


async def test_a_new_post_keeps_no_id(store: Store, settings: Settings) -> None:
    async with editor_app(store, settings).run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "#title", "Idée")
        await pilot.press("ctrl+s")
        [post] = pilot.app.results
    assert (post.id, post.title, post.channels) == (None, "Idée", ["instagram", "facebook", "x"])


async def test_escape_without_changes_just_closes(store: Store, settings: Settings) -> None:
    async with editor_app(store, settings, DRAFT_ID).run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        assert pilot.app.results == [None]


async def test_escape_with_changes_asks_first(store: Store, settings: Settings) -> None:
    async with editor_app(store, settings, DRAFT_ID).run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "#title", "Autre titre")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert "Discard changes?" in shown(pilot, "#confirm-question")
        await pilot.press("n")
        assert isinstance(pilot.app.screen, PostEditor)
        assert pilot.app.screen.query_one("#title", Input).value == "Autre titre"
        await pilot.press("escape")
        await pilot.press("enter")  # No has the focus: a stray Enter keeps the edits
        assert isinstance(pilot.app.screen, PostEditor)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert pilot.app.results == [None]


SNAPSHOT_SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SNAPSHOT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_editor_over_the_limit(
    snap_compare: Any, store: Store, settings: Settings, size: tuple[int, int]
) -> None:
    async def overfill(pilot: Pilot[Any]) -> None:
        body = pilot.app.screen.query_one("#body", TextArea)
        body.focus()
        pilot.app.post_message(events.Paste("Ce soir au musée, on parle de Néandertal. " * 7))
        await pilot.pause()

    assert snap_compare(editor_app(store, settings, DRAFT_ID), terminal_size=size,
                        run_before=overfill)  # fmt: skip


async def test_ctrl_s_reads_text_typed_just_before_it(store: Store, settings: Settings) -> None:
    async with editor_app(store, settings).run_test(size=(80, 24)) as pilot:
        editor = pilot.app.screen
        assert isinstance(editor, PostEditor)
        editor.query_one("#title", Input).value = "Typed in a burst"
        editor.action_save()  # before the field's Changed message is handled
        await pilot.pause()
        [post] = pilot.app.results
    assert post.title == "Typed in a burst"
