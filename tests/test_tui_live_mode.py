"""Live mode in the planner (issue 13): open, type, log, new line, templates, channels,
numbering, edit, undo, the draft kept, a refused write keeping the text, the recap."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import SelectionList, Static

from planterm import live
from planterm.model import Category, Event, Status
from planterm.storage import StoreBusy
from planterm.store import Store
from planterm.tui.app import PlantermApp
from planterm.tui.screens.copy_text import CopyScreen
from planterm.tui.screens.editor import PostEditor
from planterm.tui.screens.live import LiveBox, LiveScreen, LiveStart, ago, since
from planterm.tui.widgets.logged_list import LoggedList
from planterm.tui.widgets.message_line import MessageLine
from tui_support import NOW, SETTINGS, app_on, ready

START = NOW - timedelta(hours=1)  # 09:00 in Paris: running


def plan(tmp_path: Path, start=START) -> tuple[Path, Event]:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.json"
    store = Store(path)
    store.add_objective(Category("visites", "Faire venir"))
    event = store.add_event(Event("Nocturne Lascaux", start, start + timedelta(hours=3),
                                  place="Auditorium", hashtag="#NocturneLascaux",
                                  channels=["x", "instagram"], objectives=["visites"]))
    store.close()
    return path, event


async def type_text(pilot: Pilot[Any], text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def open_live(pilot: Pilot[Any], event: Event, status_key: str = "p") -> LiveScreen:
    await ready(pilot)
    app = pilot.app
    assert isinstance(app, PlantermApp)
    app.open_live(event, event.start)
    await pilot.pause()
    assert isinstance(app.screen, LiveStart)
    await pilot.press(status_key)
    await pilot.pause()
    assert isinstance(app.screen, LiveScreen)
    return app.screen


def said_here(pilot: Pilot[Any]) -> str:
    """The message line of live mode's own screen."""
    return pilot.app.screen.query_one(MessageLine).message


def stored(path: Path) -> list[Any]:
    store = Store(path, readonly=True)
    try:
        return store.posts()
    finally:
        store.close()


async def test_enter_logs_a_post_on_disk_before_the_list_shows_it(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        await type_text(pilot, "Salle comble")
        await pilot.press("ctrl+j")
        await type_text(pilot, "ce soir")
        await pilot.press("enter")
        await pilot.pause()
        (post,) = stored(path)  # read by another Store: it is on disk
        assert post.body == "Salle comble\nce soir" and post.title == "Salle comble"
        assert (post.live, post.status, post.event) == (True, Status.PUBLISHED, event.id)
        assert post.objectives == ["visites"] and post.hashtags == ["#NocturneLascaux"]
        assert post.scheduled == NOW
        assert screen.query_one(LiveBox).text == ""
        assert len(screen.query_one(LoggedList).lines) == 1


async def test_approved_is_chosen_when_opening(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        await open_live(pilot, event, "a")
        await type_text(pilot, "Pour la desk")
        await pilot.press("enter")
        await pilot.pause()
        assert [p.status for p in stored(path)] == [Status.APPROVED]


async def test_an_empty_box_or_a_refused_write_keeps_the_text(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        await pilot.press("enter")
        await pilot.pause()
        assert "nothing to log" in said_here(pilot)
        await type_text(pilot, "Ne pas perdre")
        store = pilot.app.store  # type: ignore[attr-defined]

        def busy(*args: Any, **kwargs: Any) -> Any:
            raise StoreBusy(path, "pid 4242 on laptop")

        monkeypatch.setattr(store, "add_posts", busy)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(LiveBox).text == "Ne pas perdre"
        message = said_here(pilot)
        assert "not logged" in message and "stays in the box" in message
        assert stored(path) == []


async def test_a_template_then_numbering_then_channels(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "template: 1-9" in str(screen.query_one("#live-hint", Static).render())
        await pilot.press("1")
        assert screen.query_one(LiveBox).text == "En direct de Auditorium :"
        await pilot.press("ctrl+n")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        picker = pilot.app.screen.query_one(SelectionList)
        picker.deselect("instagram")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.setup.channels == ("x",)
        await type_text(pilot, "Deux")
        await pilot.press("enter")
        await pilot.pause()
        first, second = sorted(stored(path), key=lambda p: p.id)
        assert first.variants == {"x": "1/ En direct de Auditorium :",
                                  "instagram": "1/ En direct de Auditorium :"}
        assert second.channels == ["x"] and second.variants == {"x": "2/ Deux"}


async def test_counters_mark_a_text_over_the_limit(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        screen.query_one(LiveBox).load_text("x" * 270)
        await pilot.pause()
        counters = str(screen.query_one("#live-counters", Static).render())
        assert "X 287/280 ⚠7 over" in counters and "IG 287/2200" in counters


async def test_from_the_list_e_edits_and_u_undoes(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        for text in ("Un", "Deux"):
            await type_text(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert screen.query_one(LoggedList).has_focus
        await pilot.press("u")
        await pilot.pause()
        assert [p.body for p in stored(path)] == ["Un"]
        assert len(screen.query_one(LoggedList).lines) == 1
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PostEditor)
        await pilot.press("escape")
        await pilot.pause()
        # in the box, e and u are letters
        screen.query_one(LiveBox).focus()
        await type_text(pilot, "eu")
        assert screen.query_one(LiveBox).text == "eu"


async def test_the_draft_comes_back_when_live_mode_opens_again(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        await open_live(pilot, event)
        await type_text(pilot, "Citation de")
        await pilot.press("escape")  # leaving writes the draft
        await pilot.pause()
        setup = live.Setup(event, event.start, ("x",))
        assert live.load_draft(live.draft_path(path, setup, SETTINGS)) == "Citation de"
        screen = await open_live(pilot, event)
        assert screen.query_one(LiveBox).text == "Citation de"
        assert "draft restored" in said_here(pilot)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()  # removed in a thread once logged
        assert live.load_draft(live.draft_path(path, setup, SETTINGS)) is None


async def test_a_draft_logged_already_is_not_brought_back(tmp_path: Path) -> None:
    """The process ended after the post was written, before its draft was removed."""
    path, event = plan(tmp_path)
    setup = live.Setup(event, event.start, ("x",))
    store = Store(path)
    try:
        live.log(store, setup, "Déjà parti", NOW, SETTINGS)
    finally:
        store.close()
    live.save_draft(live.draft_path(path, setup, SETTINGS), "Déjà parti ")
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        assert screen.query_one(LiveBox).text == ""
        assert "logged already" in said_here(pilot)
        await pilot.app.workers.wait_for_complete()
        assert live.load_draft(live.draft_path(path, setup, SETTINGS)) is None
    assert [p.body for p in stored(path)] == ["Déjà parti"]


async def test_the_draft_is_saved_while_typing(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        await type_text(pilot, "en cours")
        screen._save_draft()  # what the 2-second timer does
        await pilot.app.workers.wait_for_complete()
        setup = live.Setup(event, event.start, ("x",))
        assert live.load_draft(live.draft_path(path, setup, SETTINGS)) == "en cours"


async def test_the_recap_shows_each_channel(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        await open_live(pilot, event)
        await type_text(pilot, "Ouverture")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CopyScreen)
        assert pilot.app.screen.post.variants == {
            "x": "10:00 Ouverture #NocturneLascaux",
            "instagram": "10:00 Ouverture #NocturneLascaux"}


async def test_an_event_of_another_day_asks_first(tmp_path: Path) -> None:
    path, event = plan(tmp_path, NOW + timedelta(days=3))
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pilot.app.open_live(event, event.start)  # type: ignore[attr-defined]
        await pilot.pause()
        assert "not today" in str(pilot.app.screen.query_one("#live-start-warning",
                                                             Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, (LiveStart, LiveScreen))


async def test_the_palette_offers_live_mode_on_this_weeks_events(tmp_path: Path) -> None:
    path, _ = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app = pilot.app
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Live: Nocturne Lascaux · mer 25/11 09:00" in titles


def test_clock_and_cadence_words() -> None:
    assert since(NOW, START) == "+1:00 since start"
    assert since(NOW, NOW + timedelta(minutes=18)) == "starts in 0:18"
    assert ago(NOW, None) == "no post yet"
    assert ago(NOW, NOW - timedelta(seconds=30)) == "last post just now"
    assert ago(NOW, NOW - timedelta(minutes=3)) == "last post 3 min ago"


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 20)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_live_mode(snap_compare: Callable[..., bool], tmp_path: Path,
                            size: tuple[int, int]) -> None:
    path, event = plan(tmp_path)

    async def logged_two_typing_a_third(pilot: Pilot[Any]) -> None:
        await open_live(pilot, event)
        for text in ("Le conférencier arrive", "Salle comble ce soir"):
            await type_text(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        await type_text(pilot, "Question du public")
        await pilot.press("ctrl+j")
        await type_text(pilot, "sur les parures")
        await pilot.pause()

    assert snap_compare(app_on(path), terminal_size=size, run_before=logged_two_typing_a_third)


async def test_l_on_an_event_in_the_calendar_opens_live_mode(tmp_path: Path) -> None:
    path, _ = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        calendar = await ready(pilot)
        await pilot.press("l")  # the next day: no event there
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, LiveStart)
        await pilot.press("h")  # today: its one entry, the event, is selected
        await pilot.pause()
        assert calendar.shown is not None and calendar.shown.selected_event is not None
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LiveStart)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LiveScreen)



async def test_the_calendar_hidden_under_live_mode_shows_its_posts_once_back(
        tmp_path: Path) -> None:
    """Under live mode the panes are not drawn again at each post (that made Textual draw
    all of live mode again); back from it, the calendar shows what was logged."""
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        calendar = await ready(pilot)
        await open_live(pilot, event)
        await type_text(pilot, "Salle comble")
        await pilot.press("enter")
        await pilot.pause()
        assert calendar.shown is not None and calendar.shown.ordered() == []  # kept stale
        await pilot.press("escape")
        await pilot.pause()
        assert [p.title for p in calendar.shown.ordered()] == ["Salle comble"]
        await pilot.pause()  # the planner's screen laid out again
        screen = "\n".join(s.text for s in pilot.app.screen._compositor.render_strips())
        assert "● Salle" in screen  # in today's column, as narrow as 80 columns make it


# --- the list of posts logged (LoggedList) -------------------------------------------------


def shown_rows(pilot: Pilot[Any]) -> list[str]:
    """The list's rows as the screen draws them, inside its border."""
    screen = pilot.app.screen
    lines = [strip.text for strip in screen._compositor.render_strips()]
    inside = screen.query_one(LoggedList).content_region
    return [lines[y][inside.x:inside.right].rstrip() for y in range(inside.y, inside.bottom)]


def logged_before(path: Path, event: Event, bodies: list[str]) -> None:
    """Posts logged in an earlier live session of this occurrence, oldest first."""
    setup = live.Setup(event, event.start, ("x", "instagram"))
    store = Store(path)
    try:
        for body in bodies:
            live.log(store, setup, body, NOW, SETTINGS)
    finally:
        store.close()


async def test_the_list_shows_the_posts_newest_first_and_the_arrows_move_in_it(
        tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        for text in ("Un", "Deux", "Trois"):
            await type_text(pilot, text)
            await pilot.press("enter")
            await pilot.pause()
        assert shown_rows(pilot)[:4] == ["10:00 ● X IG  Trois", "10:00 ● X IG  Deux",
                                         "10:00 ● X IG  Un", ""]
        posts = screen.query_one(LoggedList)
        blurred = posts.render_line(0)
        await pilot.press("tab")
        await pilot.pause()
        assert posts.has_focus and posts.highlighted is None
        focused = posts.render_line(0)  # tinted, as OptionList's lines were
        assert focused.text == blurred.text and focused != blurred
        await pilot.press("down", "down")
        assert posts.highlighted == 1
        await pilot.press("k")
        assert posts.highlighted == 0
        await pilot.press("up")  # round the top: the oldest
        assert posts.highlighted == 2
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PostEditor) and pilot.app.screen.post is not None
        assert pilot.app.screen.post.body == "Un"


async def test_a_long_list_scrolls_with_the_keys(tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    logged_before(path, event, [f"Post {n:02d}" for n in range(1, 41)])
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        posts = screen.query_one(LoggedList)
        rows = shown_rows(pilot)
        assert rows[0].startswith("10:00 ● X IG  Post 40") and len(rows) < 40
        assert not any("Post 01" in row for row in rows)
        await pilot.press("tab", "end")
        assert posts.highlighted == 39
        rows = shown_rows(pilot)
        assert rows[-1].startswith("10:00 ● X IG  Post 01")
        assert not any("Post 40" in row for row in rows)
        await pilot.press("home")
        assert posts.highlighted == 0 and shown_rows(pilot)[0].startswith("10:00 ● X IG  Post 40")
        await pilot.press("pagedown")
        page = posts.scrollable_content_region.height
        assert posts.highlighted == page
        assert any(row.startswith(f"10:00 ● X IG  Post {40 - page:02d}")
                   for row in shown_rows(pilot))
        await pilot.press("pageup")
        assert posts.highlighted == 0


async def test_a_long_post_wraps_and_its_escape_sequences_are_drawn_inert(
        tmp_path: Path) -> None:
    path, event = plan(tmp_path)
    long = "Salle comble " * 12
    logged_before(path, event, ["Avant", "Titre\x1b]0;pwned\x07 \x1b[2J" + long])
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        await open_live(pilot, event)
        rows = shown_rows(pilot)
        assert rows[0].startswith("10:00 ● X IG  Titre␛]0;pwned␇ ␛[2JSalle comble Salle")
        assert rows[1].startswith("comble Salle comble") and rows[2].endswith("Salle comble")
        assert rows[3] == "10:00 ● X IG  Avant"
        assert " ".join(rows[:3]).split() == (
            "10:00 ● X IG Titre␛]0;pwned␇ ␛[2JSalle" + " comble Salle" * 11 + " comble").split()
        assert not any(c in row for row in rows for c in "\x1b\x07")


async def test_logging_a_post_asks_no_layout_of_the_screen(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """The frame that shows the post is not held back by laying the screen out: the list
    keeps its size, and the wording note under the box goes only after that frame."""
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        await type_text(pilot, "Salle comble")
        await pilot.pause()
        note = screen.query_one("#live-wording")
        assert note.display
        happened: list[str] = []
        refresh, frame = Widget.refresh, screen._compositor_refresh

        def spied(self: Widget, *regions: Any, **options: Any) -> Widget:
            if options.get("layout"):
                happened.append(f"layout {self.id or type(self).__name__}")
            return refresh(self, *regions, **options)

        def drawn() -> None:
            happened.append("frame")
            frame()

        monkeypatch.setattr(Widget, "refresh", spied)
        monkeypatch.setattr(screen, "_compositor_refresh", drawn)
        screen._log()
        assert screen.query_one(LoggedList).lines[0].endswith("Salle comble")
        assert happened == []
        await pilot.pause()
        await pilot.pause()
        assert happened[0] == "frame" and "layout live-wording" in happened  # the note goes after
        assert not note.display
        assert shown_rows(pilot)[0] == "10:00 ● X IG  Salle comble"


async def test_the_clock_draws_the_list_again_only_when_its_title_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, event = plan(tmp_path)
    async with app_on(path).run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, event)
        posts = screen.query_one(LoggedList)
        drawn: list[bool] = []
        refresh = posts.refresh

        def spied(*regions: Any, **options: Any) -> Widget:
            drawn.append(True)
            return refresh(*regions, **options)

        monkeypatch.setattr(posts, "refresh", spied)
        screen._tick()  # a second later, the same title
        assert drawn == [] and posts.border_title == "Logged (0), newest first · no post yet"
        await type_text(pilot, "Un")
        await pilot.press("enter")
        await pilot.pause()
        assert drawn and posts.border_title == "Logged (1), newest first · last post just now"
