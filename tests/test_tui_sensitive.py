"""Sensitive content in the planner: terms marked in the editor and in live mode, an
alternative put in a term's place in two keys, a term kept on purpose, the checklist
ticked (who and when) and the post approved; snapshots of the marks and the checklist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from planterm.model import Post, Status
from planterm.sensitive import set_flags, wording
from planterm.store import Store
from planterm.tui.screens.editor import PostEditor
from planterm.tui.screens.review import ReviewScreen
from planterm.tui.widgets.wording import AlternativePicker, KeepPrompt, WordingArea, WordingNote
from test_tui_editor import ScreenHarness
from test_tui_live_mode import open_live, plan, stored, type_text
from tui_support import NOW, SETTINGS, SIZES, app_on, shown_text, size_id

DRAFT = "Ces objets primitifs ont été découverts en 1931"
HUMAN = wording().flags.flags["human-remains"].checklist


class ClockedHarness(ScreenHarness):
    """The editor's harness with the planner's fixed clock: ticks are stamped ``NOW``."""

    def now(self) -> datetime:
        return NOW


def store_with(tmp_path: Path, post: Post) -> Store:
    """A fresh store holding ``post`` (id 1)."""
    store = Store(tmp_path / "plan.json")
    store.add_post(post)
    return store


def editor_on(store: Store) -> ScreenHarness:
    """The editor on post 1, with Camille as the reviewer."""
    settings = SETTINGS.__class__(**{**{f: getattr(SETTINGS, f) for f in (
        "timezone", "locale", "week_start", "channels")}, "reviewer": "Camille"})
    return ClockedHarness(lambda: PostEditor(store, settings, store.get_post(1), NOW))


def underlined(area: WordingArea, row: int = 0) -> str:
    """The characters of a line drawn underlined: the marked terms."""
    strip = area.render_line(row)
    return "".join(seg.text for seg in strip if seg.style and seg.style.underline)


async def test_the_editor_marks_the_terms_and_replaces_one_in_two_keys(tmp_path: Path) -> None:
    store = store_with(tmp_path, Post(title="Objets", body=DRAFT, status=Status.DRAFT))
    async with editor_on(store).run_test(size=(80, 24)) as pilot:
        editor = pilot.app.screen
        body = editor.query_one("#body", WordingArea)
        assert underlined(body) == "primitifsdécouverts"
        note = shown_text(editor.query_one("#wording", WordingNote))
        assert "‽ primitifs: Ranks societies" in note and "→ anciens · early" in note
        assert "‽ découverts: " in note and "→ atteints · collectés · acquis" in note
        assert "tone: 0 of 1 sentence ask (0%)" in note
        assert "suggested flags (not set): collection-origin" in note
        body.focus()
        await pilot.press("ctrl+l")
        assert isinstance(pilot.app.screen, AlternativePicker)
        await pilot.press("1")
        await pilot.pause()
        assert body.text == "Ces objets anciens ont été découverts en 1931"
        assert underlined(body) == "découverts"
        await pilot.press("ctrl+l", "enter")  # the next one, its first alternative
        await pilot.pause()
        assert body.text == "Ces objets anciens ont été atteints en 1931"
        assert underlined(body) == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = pilot.app.results
    assert saved.body == "Ces objets anciens ont été atteints en 1931"


async def test_a_term_kept_on_purpose_is_recorded_with_its_reason(tmp_path: Path) -> None:
    store = store_with(tmp_path, Post(title="Objets", body=DRAFT, status=Status.DRAFT))
    async with editor_on(store).run_test(size=(120, 40)) as pilot:
        editor = pilot.app.screen
        body = editor.query_one("#body", WordingArea)
        body.focus()
        body.move_cursor((0, 35))  # in « découverts »
        await pilot.press("ctrl+b")
        assert isinstance(pilot.app.screen, KeepPrompt)
        await type_text(pilot, "un fossile")
        await pilot.press("enter")
        await pilot.pause()
        assert underlined(body) == "primitifs"
        assert "découverts" not in shown_text(editor.query_one("#wording", WordingNote))
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = pilot.app.results
    assert saved.kept == {"decouverte": "un fossile"} and saved.body == DRAFT


async def test_flags_set_by_hand_gate_approval_until_the_checklist_is_ticked(
        tmp_path: Path) -> None:
    store = store_with(tmp_path, Post(title="Crânes", body=DRAFT, status=Status.REVIEW))
    async with editor_on(store).run_test(size=(80, 24)) as pilot:
        editor = pilot.app.screen
        assert isinstance(editor, PostEditor)
        await pilot.press("ctrl+f")
        review = pilot.app.screen
        assert isinstance(review, ReviewScreen)
        flags = review.query_one("#review-flags", OptionList)
        assert "· suggested" in str(flags.get_option_at_index(1).prompt)  # not set
        assert editor.post.flags == []
        await pilot.press("space")  # human-remains, the first flag
        assert review.post.flags == ["human-remains"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert list(editor.post.checklist) == list(HUMAN)
        editor.query_one("#status", Select).value = Status.APPROVED
        await pilot.pause()
        error = shown_text(editor.query_one("#error-status"))
        assert "review checklist not done" in error and "Curator consulted" in error
        await pilot.press("ctrl+f")
        review = pilot.app.screen
        assert isinstance(review, ReviewScreen)
        assert review.query_one("#review-items", OptionList).has_focus
        for _ in HUMAN:
            await pilot.press("space", "down")
        assert "Checklist done" in shown_text(review.query_one("#review-state"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not shown_text(editor.query_one("#error-status"))
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = pilot.app.results
    assert saved.status is Status.APPROVED and all(saved.checklist.values())
    assert [(e.item, e.done, e.by, e.at) for e in saved.review] == \
        [(item, True, "Camille", NOW) for item in HUMAN]


async def test_an_untick_is_recorded_too(tmp_path: Path) -> None:
    post = set_flags(Post(title="Crânes", status=Status.REVIEW), ["human-remains"],
                     wording().flags)
    store = store_with(tmp_path, post)
    async with editor_on(store).run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f", "space", "space", "ctrl+s", "ctrl+s")
        await pilot.pause()
    [saved] = pilot.app.results
    assert [(e.item, e.done) for e in saved.review] == [(HUMAN[0], True), (HUMAN[0], False)]


async def test_live_mode_marks_replaces_and_keeps(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        box = screen.query_one(WordingArea)
        await type_text(pilot, "Des objets primitifs")
        await pilot.pause()
        assert underlined(box) == "primitifs"
        assert "‽primitifs → anciens" in shown_text(screen.query_one("#live-wording"))
        await pilot.press("ctrl+l", "1")
        await pilot.pause()
        assert box.text == "Des objets anciens"
        await type_text(pilot, " et une tribu")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(pilot.app.screen, KeepPrompt)
        pilot.app.screen.query_one(Input).value = "une citation"
        await pilot.press("enter")
        await pilot.pause()
        assert underlined(box) == ""
        await pilot.press("enter")  # logs the post
        await pilot.pause()
    [post] = stored(path)
    assert post.body.startswith("Des objets anciens et une tribu")
    assert post.kept == {"tribu": "une citation"}


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_snapshot_editor_with_marked_terms(snap_compare: Callable[..., bool], tmp_path: Path,
                                           size: tuple[int, int]) -> None:
    store = store_with(tmp_path, Post(title="Objets", body=DRAFT, status=Status.DRAFT,
                                      scheduled=NOW + timedelta(hours=5)))

    async def in_the_text(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#body", WordingArea).focus()
        await pilot.pause()

    assert snap_compare(editor_on(store), terminal_size=size, run_before=in_the_text)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_snapshot_checklist(snap_compare: Callable[..., bool], tmp_path: Path,
                            size: tuple[int, int]) -> None:
    post = set_flags(Post(title="Crânes", body=DRAFT, status=Status.REVIEW),
                     ["human-remains", "collection-origin"], wording().flags)
    store = store_with(tmp_path, post)

    async def two_ticked(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+f", "space", "down", "down", "space")
        await pilot.pause()

    assert snap_compare(editor_on(store), terminal_size=size, run_before=two_ticked)
