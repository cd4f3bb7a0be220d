"""What the calendar and the matrix share: a period around a day, moved with ``[`` ``]`` and
brought back with ``t``, and the filter line (``/`` to type it, Escape to clear it).

Both panes say the same thing with the same keys (DESIGN.md: a key is implemented once),
so the bindings are made here, each pane giving its own ids for the ``[keymap]``, and the
actions live on ``PeriodPane``. A pane built on it composes a ``Static#filter-line`` and a
``PromptBar``, and says how it shows a day (``go_to``) and reads the store (``reload``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from textual import on
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Static

from planterm.config import Settings
from planterm.dates import DateParseError
from planterm.filters import parse_filter
from planterm.model import ModelError
from planterm.store import PostQuery, Store
from planterm.tui.messages import PeriodShown
from planterm.tui.widgets.pane import Pane
from planterm.tui.widgets.plain import plain
from planterm.tui.widgets.prompt import PromptBar

FILTER_HINT = "status:draft ch:ig obj:… theme:… event:… warn: words"
"""The filter line's syntax, as the prompt's placeholder shows it."""


def period_bindings(pane: str, periods: str) -> list[Binding]:
    """``[`` ``]`` and ``t`` for a pane; ids ``<pane>.previous_period`` and so on."""
    return [
        Binding("left_square_bracket", "period(-1)", "Previous", id=f"{pane}.previous_period",
                show=False, tooltip=f"Show the previous {periods}"),
        Binding("right_square_bracket", "period(1)", "Next", id=f"{pane}.next_period",
                show=False, tooltip=f"Show the next {periods}"),
        Binding("t", "today", "Today", id=f"{pane}.today", show=False,
                tooltip="Go back to today"),
    ]


def filter_bindings(pane: str, shows: str) -> list[Binding]:
    """``/`` and Escape for a pane; ids ``<pane>.filter`` and ``<pane>.clear_filter``."""
    return [
        Binding("slash", "filter", "Filter", id=f"{pane}.filter", show=True,
                tooltip=f"Filter: {FILTER_HINT}"),
        Binding("escape", "clear_filter", "Clear filter", id=f"{pane}.clear_filter",
                show=False, tooltip=shows),
    ]


class PeriodPane(Pane):
    """A pane that shows a period around ``day``, restricted by the filter line."""

    filter_text: reactive[str] = reactive("", bindings=True)
    loaded: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, settings: Settings, now: Callable[[], datetime], *, id: str) -> None:
        super().__init__(id=id)
        self.settings = settings
        self.now = now
        self.store: Store | None = None
        self.filter = PostQuery()
        """The filter line read as a query (``filters.parse_filter``)."""
        self.day = self.today()
        """The day the shown period is around (the calendar's selected day)."""
        self._period_shown: tuple[str, str] | None = None
        """What the header says while the pane is shown (``show_period``)."""

    def today(self) -> date:
        """Today in the user's zone, by the app's clock."""
        return self.now().astimezone(self.settings.tz).date()

    def shifted(self, delta: int) -> date:
        """``day`` moved by ``delta`` of the periods shown (``[`` ``]``)."""
        raise NotImplementedError

    def go_to(self, day: date) -> None:
        """Show the period around ``day``."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read the shown period from the store again and draw it."""
        raise NotImplementedError

    def answer(self, purpose: str, value: str) -> None:
        """Act on a question of the pane's own, the filter aside (the calendar's go to);
        ``DateParseError`` or ``ModelError`` say what is wrong and keep it open."""

    def show_period(self, label: str, status: str = "") -> None:
        """Put the period in the header (and ``status`` at the end of the message line),
        now if the pane is shown, else when it is."""
        self._period_shown = (label, status)
        if self.display:
            # straight into the header, in the same frame as the grid (the message alone
            # reached the app after the grid was drawn: a second frame, 20-30 ms later); it
            # then changes nothing on screen unless the status did
            self.app.sub_title = label
            self.post_message(PeriodShown(label, status))

    def on_show(self) -> None:
        """The pane is shown (1 2 3): bring it up to date."""
        self.showing()

    def showing(self) -> None:
        """Put the pane's period back in the header, in place of the last pane's."""
        if self._period_shown is not None:
            self.post_message(PeriodShown(*self._period_shown))

    def watch_loaded(self, loaded: bool) -> None:
        """Say "loading…" until the store is open (called on mount too)."""
        self.show_loading(not loaded)

    def watch_filter_text(self, text: str) -> None:
        """Say which filter is on, in the pane itself."""
        line = self.query_one("#filter-line", Static)
        line.update(plain(f"filter: {text}   (Escape shows everything)" if text else ""))
        line.display = bool(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the keys that do not apply: nothing before the store is open, Escape without
        a filter.

        Keys on a selected post stay listed where none is selected (they say so when
        pressed): hiding them there would rebuild the footer on every move, the slowest part
        of a repaint.
        """
        if not self.loaded:
            return False
        if action == "clear_filter":
            return bool(self.filter_text)
        return True

    def action_period(self, delta: int) -> None:
        """Show the previous or next period."""
        self.go_to(self.shifted(delta))

    def action_today(self) -> None:
        """Go back to today."""
        self.go_to(self.today())

    def action_filter(self) -> None:
        """Ask for a filter (the current one, to change it)."""
        self.query_one(PromptBar).ask("filter", FILTER_HINT, self.filter_text)

    def action_clear_filter(self) -> None:
        """Show every post again."""
        self.filter, self.filter_text = PostQuery(), ""
        self.reload()

    @on(PromptBar.Submitted)
    def _answered(self, message: PromptBar.Submitted) -> None:
        prompt = self.query_one(PromptBar)
        if self.store is None:
            return
        try:
            if message.purpose == "filter":
                self.filter = parse_filter(message.value, self.store)
                self.filter_text = message.value.strip()
                prompt.close()
                self.reload()
            else:
                self.answer(message.purpose, message.value)
        except (DateParseError, ModelError) as e:
            prompt.fail(str(e))
            return
        self.focus()

    @on(PromptBar.Cancelled)
    def _cancelled(self, message: PromptBar.Cancelled) -> None:
        if message.purpose == "filter":
            self.action_clear_filter()
        self.focus()
