"""Stored text is inert in the planner: escape sequences in titles, bodies and places are
drawn as visible marks in every view, and never reach the terminal as themselves.

The last test runs the real planner in a pseudo-terminal and reads the bytes it writes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual import events
from textual.app import App
from textual.widgets import Input, Static, TextArea

from planterm.model import Event, Post, Status
from planterm.store import Store
from planterm.text import inert
from planterm.tui.screens.confirm import ConfirmScreen
from planterm.tui.screens.detail import PostDetail
from planterm.tui.screens.editor import PostEditor
from planterm.tui.screens.quick_add import QuickAddScreen
from planterm.tui.widgets.agenda_view import AgendaView
from planterm.tui.widgets.message_line import MessageLine
from planterm.tui.widgets.month import MonthView
from planterm.tui.widgets.period_view import PeriodView
from planterm.tui.widgets.week import WeekView
from pty_support import Terminal
from tui_support import PARIS, TODAY, app_on, ready

SEQUENCES = ("\x1b]0;PWNED\x07", "\x1b[2J", "\x1b]52;c;SGVsbG8=\x07", "\x1b]8;;http://x\x07",
             "a\rb", "\u202eevil", "\x9b31m", "[b]x[/b]")  # fmt: skip
"""What a hostile title may hold: window title, clear screen, clipboard, link, carriage
return, right-to-left override, a one-byte CSI, and Rich markup."""
HOSTILE = " ".join(SEQUENCES)
RAW = frozenset("\x1b\x07\r\x9b\u202e")
"""Characters of the sequences above that must never be drawn as themselves."""
SIZE = (120, 40)


def hostile_store(path: Path, day: date, tz: ZoneInfo) -> Path:
    """A store holding, on ``day``, an event with every sequence in its title and place,
    and a post per sequence (all of them in its body and notes) covering that event."""
    store = Store(path)
    at = datetime.combine(day, time(9), tz)
    event = store.add_event(Event(title=f"E {HOSTILE}", start=at + timedelta(hours=8),
                                  place=f"P {HOSTILE}"))  # fmt: skip
    for i, sequence in enumerate(SEQUENCES):
        store.add_post(Post(
            title=f"T{i} {sequence}", body=f"Body {HOSTILE}\nline 2", notes=f"Notes {HOSTILE}",
            channels=["instagram"], status=Status.IDEA, scheduled=at + timedelta(minutes=i),
            event=event.id))
    store.close()
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The hostile store on the tests' fixed day."""
    return hostile_store(tmp_path / "hostile.json", TODAY, PARIS)


def plain_text(widget: Static) -> str:
    """What a Static shows, as plain text."""
    return str(widget.render())


def assert_inert(text: str) -> None:
    """Nothing in ``text`` can act on a terminal, and the marks are there."""
    assert not RAW & set(text), [c for c in text if c in RAW]
    assert "␛" in text


@pytest.mark.parametrize("view", [WeekView, MonthView, AgendaView])
async def test_every_view_draws_marks(hostile: Path, view: type[PeriodView]) -> None:
    keys = {WeekView: (), MonthView: ("m",), AgendaView: ("v",)}[view]
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*keys)
        drawn = str(pilot.app.query_one(view).render())
        assert_inert(drawn)
        assert "T0 ␛]0;PWNED␇" in drawn
        if view is not MonthView:  # a month's cells are too narrow for more than a sign
            assert "T4 a␍b" in drawn and "T5 ⇆evil" in drawn and "T6 �31m" in drawn
            assert "T7 [b]x[/b]" in drawn


async def test_the_detail_line_under_the_week_is_inert(hostile: Path) -> None:
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        pane = await ready(pilot)
        line = plain_text(pane.query_one("#detail", Static))
        assert_inert(line)
        assert "T0 ␛]0;PWNED␇" in line


async def test_the_detail_screen_shows_marks_and_brackets_as_typed(hostile: Path) -> None:
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, PostDetail)
        shown = plain_text(pilot.app.screen.query_one(Static))
        assert_inert(shown)
        assert "T0 ␛]0;PWNED␇" in shown
        assert f"event  1 E {inert(HOSTILE)}" in shown
        assert f"Body {inert(HOSTILE)}\nline 2" in shown  # the body keeps its line break
        assert "[b]x[/b]" in shown  # markup in stored text stays literal


async def test_the_editor_holds_marks_and_says_so(hostile: Path) -> None:
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("e")
        editor = pilot.app.screen
        assert isinstance(editor, PostEditor)
        assert editor.query_one("#title", Input).value == "T0 ␛]0;PWNED␇"
        assert editor.query_one("#body", TextArea).text == f"Body {inert(HOSTILE)}\nline 2"
        assert editor.query_one("#notes", TextArea).text == f"Notes {inert(HOSTILE)}"
        assert "saved as marks" in plain_text(editor.query_one("#marked", Static))
        assert f"E {inert(HOSTILE)}" in plain_text(editor.query_one("#hint-event", Static))
        assert not editor.changed  # marks are not something the user typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = pilot.app.store.get_post(1) if pilot.app.store else None
        assert saved is not None and saved.title == "T0 ␛]0;PWNED␇"
        assert saved.body == f"Body {inert(HOSTILE)}\nline 2"


async def test_the_editor_has_no_note_for_a_plain_post(hostile: Path) -> None:
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n")
        assert isinstance(pilot.app.screen, PostEditor)
        assert not pilot.app.screen.query("#marked")


async def test_pasted_controls_become_marks_in_the_editor(hostile: Path) -> None:
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n")
        editor = pilot.app.screen
        title = editor.query_one("#title", Input)
        pilot.app.post_message(events.Paste("Hi \x1b]0;PWNED\x07 \u202e"))  # to the focus
        await pilot.pause()
        assert title.value == "Hi ␛]0;PWNED␇ ⇆"
        assert title.cursor_position == len(title.value)
        body = editor.query_one("#body", TextArea)
        body.focus()
        pilot.app.post_message(events.Paste("a\x1b[2J\nb\tc"))
        await pilot.pause()
        assert body.text == "a␛[2J\nb\tc"


async def test_a_pasted_filter_is_shown_inert(hostile: Path) -> None:
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        pane = await ready(pilot)
        await pilot.press("slash")
        pilot.app.post_message(events.Paste("T0 \x1b]0;PWNED\x07"))
        await pilot.pause()
        await pilot.press("enter")
        line = plain_text(pane.query_one("#filter-line", Static))
        assert line.startswith("filter: T0 ␛]0;PWNED␇")


async def test_the_delete_question_quotes_the_title_inert(hostile: Path) -> None:
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*["j"] * 7, "d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        question = plain_text(pilot.app.screen.query_one("#confirm-question", Static))
        assert question == "Delete 'T7 [b]x[/b]'?"
        await pilot.press("n", "k", "d")
        question = plain_text(pilot.app.screen.query_one("#confirm-question", Static))
        assert question == "Delete 'T6 �31m'?"


async def test_a_notification_quotes_the_title_inert(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_on(hostile)
    seen: list[tuple[str, dict[str, Any]]] = []
    textual_notify = App.notify

    def notify(self: App[Any], message: str, **options: Any) -> None:
        seen.append((message, options))
        textual_notify(self, message, **options)

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        monkeypatch.setattr(App, "notify", notify)  # what reaches Textual, after planterm's
        await pilot.press("S")  # an idea has no status before it: refused, quoting the title
        await pilot.pause()
        line = app.query_one(MessageLine)
        assert line.message == "⚠ 'T0 ␛]0;PWNED␇' stays idea: idea is the first status"
        assert seen == []  # said in the message line, not in a toast
        await pilot.press("question_mark")  # over a dialog, the one toast is inert too
        app.notify("'T0 \x1b]0;PWNED\x07' [b]x", title="t")
        await pilot.pause()
        message, options = seen[-1]
        assert message == "t: 'T0 ␛]0;PWNED␇' [b]x" and options["markup"] is False


async def test_quick_add_takes_pasted_controls_as_marks(hostile: Path) -> None:
    async with app_on(hostile).run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a")
        assert isinstance(pilot.app.screen, QuickAddScreen)
        line = pilot.app.screen.query_one("#quick-line", Input)
        assert line.has_focus
        pilot.app.post_message(events.Paste("demain 10h Teaser \x1b]52;c;SGVsbG8=\x07 [b]x"))
        await pilot.pause()
        await pilot.press("enter")
        preview = plain_text(pilot.app.screen.query_one("#quick-preview", Static))
        assert "Teaser ␛]52;c;SGVsbG8=␇ [b]x" in preview


# --- the bytes written to a real terminal ------------------------------------------------

FORBIDDEN = (b"\x1b]0;PWNED", b"\x1b]52;c;SGVsbG8=", b"\x1b]8;;http://x", b"\x1b[2J", b"a\rb",
             "\u202e".encode(), "\x9b".encode())  # fmt: skip
"""What only the stored text could have put in the planner's output (Textual clears the
screen with 2J only in inline mode)."""


def test_the_terminal_never_receives_a_stored_sequence(tmp_path: Path) -> None:
    today = datetime.now(PARIS).date()  # the planner's default zone, as no settings are set
    store = hostile_store(tmp_path / "hostile.json", today, PARIS)
    terminal = Terminal(store, SIZE)
    try:
        # each step waits for text drawn with or without marks, so that without them the
        # test fails on what was written, not on a wait
        terminal.read_until(b"T7 [b]x[/b]")  # the week
        terminal.press(b"m", b"Enter opens the week")  # the month
        terminal.press(b"v", f"{today:%d/%m/%Y}  (".encode())  # the agenda
        # the agenda's event line is hidden under a dialog: drawn again, the dialog is gone
        # (and the next key cannot be read with the Escape as alt+key)
        back = "17:00  ◆ E ".encode()
        terminal.press(b"\r", "Notes ␛".encode())  # the detail (the preview shows no notes)
        terminal.press(b"\x1b", back)
        terminal.press(b"e", b"Edit post #1")  # the editor
        terminal.press(b"\x1b", back)
        terminal.quit()
    finally:
        terminal.close()
    written = terminal.output
    for sequence in FORBIDDEN:
        assert sequence not in written, sequence
    for mark in ("␛]52;c;SGVsbG8=␇", "␛]8;;http://x␇", "a␍b", "⇆evil", "�31m", "␛[2J"):
        assert mark.encode() in written, mark
