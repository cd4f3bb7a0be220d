"""The calendar pane: week, month and agenda views, moving around, go to, sizes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import ContentSwitcher, Static
from textual.widgets._header import HeaderTitle  # Textual is pinned exactly

from planterm.model import Post
from planterm.sensitive import FLAG_MARK, OPEN_MARK, set_flags, wording
from planterm.store import Store
from planterm.tui.screens.detail import PostDetail
from planterm.tui.widgets.message_line import MessageLine
from planterm.tui.widgets.prompt import PromptBar
from planterm.tui.widgets.week import WeekView
from tui_support import PARIS, SETTINGS, app_on, demo_path, ready


def week_text(app: object) -> str:
    from planterm.tui.app import PlantermApp

    assert isinstance(app, PlantermApp)
    return str(app.query_one(WeekView).render())


async def test_week_columns_are_headed_by_weekday_and_today_is_marked(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        heading = week_text(app).splitlines()[0]
        for name in ("lun 23", "mar 24", "• mer 25", "jeu 26", "ven 27", "sam 28", "dim 29"):
            assert name in heading


async def test_english_locale_heads_columns_in_english(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path), replace(SETTINGS, locale="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert "Mon 23" in week_text(app) and "• Wed 25" in week_text(app)
        assert app.sub_title == "week 48 · 23–29 Nov 2026"


async def test_week_start_setting_moves_the_first_column(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path), replace(SETTINGS, week_start="sunday"))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        heading = week_text(app).splitlines()[0]
        assert heading.split()[:2] == ["dim", "22"]
        assert heading.rstrip().endswith("sam 28")


async def test_posts_show_time_channels_and_status_sign(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(200, 60)) as pilot:
        pane = await ready(pilot)
        post = pane.shown.selected if pane.shown else None
        assert post is not None and post.scheduled is not None
        text = week_text(app)
        assert f"{post.scheduled.astimezone(PARIS):%H:%M} {post.status.value}" in text
        assert f"{post.status.symbol} {post.title[:10]}" in text
        detail = str(pane.query_one("#detail", Static).render())
        assert post.title in detail and post.status.value in detail


async def test_hjkl_and_arrows_move_between_days_and_posts(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        assert pane.day == date(2026, 11, 25)
        first = pane.post_id
        await pilot.press("j")
        second = pane.post_id
        assert second not in (None, first)
        await pilot.press("k")
        assert pane.post_id == first
        await pilot.press("down", "up")
        assert pane.post_id == first
        await pilot.press("l")
        assert pane.day == date(2026, 11, 26)
        await pilot.press("right", "h", "left")
        assert pane.day == date(2026, 11, 25)
        await pilot.press("h", "h", "h")  # past Monday: the week before is read
        assert pane.day == date(2026, 11, 22) and app.sub_title.startswith("semaine 47")


async def test_brackets_change_the_period_and_t_comes_back(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("right_square_bracket")
        assert app.sub_title == "semaine 49 · 30 nov. – 6 déc. 2026"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.sub_title.startswith("semaine 47")
        await pilot.press("t")
        assert pane.day == date(2026, 11, 25) and app.sub_title.startswith("semaine 48")


async def test_g_goes_to_a_typed_date_and_says_what_is_wrong(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("g", *"3 déc", "enter")
        assert pane.day == date(2026, 12, 3)
        assert not pane.query_one(PromptBar).display
        await pilot.press("g", *"blurb", "enter")
        prompt = pane.query_one(PromptBar)
        error = str(prompt.query_one("#prompt-error", Static).render())
        assert prompt.display and 'Cannot read the date "blurb"' in error
        await pilot.press("escape")
        assert not prompt.display and pane.day == date(2026, 12, 3)


async def test_m_switches_to_the_month_and_enter_opens_the_week(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        await pilot.press("m")
        assert pane.query_one("#views", ContentSwitcher).current == "month"
        assert app.sub_title == "novembre 2026"
        assert pane.shown is not None and pane.shown.selected is None  # the day alone
        entries = pane.shown.entries()
        await pilot.press("j")  # into the day: its first event or post
        assert pane.shown.is_selected(entries[0]) and pane.day == date(2026, 11, 25)
        await pilot.press("k", "k")  # back to the day alone, then the week before
        assert pane.day == date(2026, 11, 18) and pane.shown.selected is None
        await pilot.press("j", *["j"] * len(pane.shown.entries()))  # past its last: a week on
        assert pane.day == date(2026, 11, 25)
        await pilot.press(*["j"] * (len(entries) + 1))
        assert pane.day == date(2026, 12, 2) and app.sub_title == "décembre 2026"
        await pilot.press("right_square_bracket")
        assert app.sub_title == "janvier 2027"
        await pilot.press("t", "enter")
        assert pane.view == "week" and pane.day == date(2026, 11, 25)


async def test_v_lists_the_week_as_an_agenda_with_unscheduled_posts(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        await pilot.press("v")
        assert pane.view == "agenda"
        assert pane.shown is not None and pane.shown.unscheduled
        ids = [p.id for p in pane.shown.ordered()]
        at = ids.index(pane.post_id)
        await pilot.press("j")  # j walks the list, across days
        assert pane.post_id == ids[at + 1]
        await pilot.press("k")
        assert pane.post_id == ids[at]
        await pilot.press("v")
        assert pane.view == "week"


async def test_events_show_on_their_days_and_recurring_ones_on_each(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        assert pane.shown is not None
        saturday = [o.event.title for o in pane.shown.events[date(2026, 11, 28)]]
        assert any(t.startswith("Visite guidée du samedi") for t in saturday)
        await pilot.press("right_square_bracket")
        saturday = [o.event.title for o in pane.shown.events[date(2026, 12, 5)]]
        assert any(t.startswith("Visite guidée du samedi") for t in saturday)
        assert "◆ 11:00" in week_text(app).splitlines()[1]


async def test_enter_opens_the_post_read_only(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await ready(pilot)
        post = pane.shown.selected if pane.shown else None
        assert post is not None
        await pilot.press("enter")
        assert isinstance(app.screen, PostDetail) and post.title in app.screen.text
        await pilot.press("escape")
        assert not isinstance(app.screen, PostDetail)


@pytest.mark.parametrize("size", [(50, 16), (80, 24), (200, 60)])
async def test_every_view_renders_at_small_and_large_sizes(tmp_path: Path,
                                                           size: tuple[int, int]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=size) as pilot:
        pane = await ready(pilot)
        for key in ("j", "m", "j", "m", "v", "j", "question_mark", "escape", "v"):
            await pilot.press(key)
        assert pane.view == "week" and app.is_running


async def test_a_write_shows_the_posts_new_marks_in_the_period_drawn(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        post = pane.shown.selected if pane.shown else None
        assert post is not None and post.id is not None and not post.flags
        assert pane.shown is not None and pane.shown.marks(post) == ""  # found, and kept
        flagged = set_flags(post, ["human-remains"], wording().flags)
        app.write(post, flagged)
        await pilot.pause()
        first_word = post.title.split()[0]
        assert f"{post.status.symbol} {FLAG_MARK}{OPEN_MARK} {first_word}" in week_text(app)


async def test_the_period_read_ahead_shows_what_was_written_since(tmp_path: Path) -> None:
    path = demo_path(tmp_path)
    app = app_on(path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        await pilot.pause()
        assert pane._ahead is not None and pane._ahead.covers(date(2026, 12, 2))
        app.write(None, Post(title="Écrit ici", scheduled=datetime(2026, 12, 1, 9, tzinfo=PARIS)))
        await pilot.pause()  # the new post is selected, in its week: the one read ahead
        assert app.sub_title.startswith("semaine 49") and "Écrit ici" in week_text(app)
        await pilot.pause()
        assert pane._ahead is not None and pane._ahead.covers(date(2026, 12, 9))
        other = Store(path)  # a second planterm, or a script
        other.add_post(Post(title="Écrit ailleurs",
                            scheduled=datetime(2026, 12, 9, 9, tzinfo=PARIS)))
        other.close()
        app._poll()  # what the half-second timer does
        await pilot.pause()
        await pilot.press("right_square_bracket")
        assert app.sub_title.startswith("semaine 50") and "Écrit ailleurs" in week_text(app)


async def test_a_post_without_a_date_written_here_is_counted_in_the_next_week(
        tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await ready(pilot)
        assert pane.shown is not None
        undated = len(pane.shown.unscheduled)
        app.write(None, Post(title="Sans date"))
        await pilot.pause()
        await pilot.press("right_square_bracket")
        assert f"{undated + 1} undated" in app.query_one(MessageLine).status
        await pilot.press("v")  # the list of the week ends with them
        assert "Sans date" in [p.title for p in pane.shown.unscheduled]


@pytest.mark.parametrize("keys", [("j",), ("s",), ("l", "j", "S")], ids="-".join)
async def test_rows_kept_from_the_last_drawing_are_those_drawn_afresh(
        tmp_path: Path, keys: tuple[str, ...]) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = app.query_one(WeekView)
        await pilot.press(*keys)
        await pilot.pause()
        region = Region(0, 0, *view.size)
        kept = [list(strip) for strip in view.render_lines(region)]
        assert view.drawn and view._posts  # rows and posts' lines were kept
        view.drawn.clear()
        view._posts.clear()
        view.refresh()
        await pilot.pause()
        assert [list(strip) for strip in view.render_lines(region)] == kept


async def test_the_header_shows_the_new_period_without_a_new_layout(tmp_path: Path) -> None:
    app = app_on(demo_path(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause()
        layouts: list[object] = []
        screen = app.screen
        original = screen._refresh_layout
        screen._refresh_layout = lambda *a, **k: layouts.append(a) or original(*a, **k)  # type: ignore[method-assign]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "semaine 49" in str(app.query_one(HeaderTitle).render()) and not layouts


async def test_the_month_read_ahead_has_its_cells_made_and_draws_the_same(
        tmp_path: Path) -> None:
    """``]`` in the month draws from cells made while the month before was looked at, and
    draws what a month drawn afresh shows."""
    from planterm.tui.widgets.cells import cell
    from planterm.tui.widgets.month import MonthView

    app = app_on(demo_path(tmp_path))
    made: list[int] = []
    draw = MonthView.draw

    def counted(view: MonthView) -> object:
        before = cell.cache_info().misses
        drawing = draw(view)
        made.append(cell.cache_info().misses - before)
        return drawing

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.pause()  # the next month read ahead
        view = app.query_one(MonthView)
        view.draw = lambda: counted(view)  # type: ignore[method-assign]
        await pilot.press("]")
        await pilot.pause()
        assert made and made[0] <= 12, made  # but the selected day's few lines
        region = Region(0, 0, *view.size)
        shown = [list(strip) for strip in view.render_lines(region)]
        cell.cache_clear()
        view.drawn.clear()
        view.refresh()
        await pilot.pause()
        assert [list(strip) for strip in view.render_lines(region)] == shown
