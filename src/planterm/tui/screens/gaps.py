"""The matrix's gaps (``G``): empty cells and rows or columns below target, furthest below
first, with the free days of the period to fill them on.

Enter on a gap closes the list with it (the matrix puts its cursor there and opens an empty
cell's list); ``n`` writes a post tagged for the highlighted gap, landing on its first free
day; the list is counted again when the plan changes, so a gap filled leaves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planterm.config import Settings
from planterm.matrix import Gap, Matrix
from planterm.matrix_text import days_text, gap_text
from planterm.tui.messages import PlanChanged
from planterm.tui.widgets.list_cursor import ListCursor
from planterm.tui.widgets.matrix_pane import landing, tags_of
from planterm.tui.widgets.pane import NewPostPlace
from planterm.tui.widgets.plain import plain


def _b(keys: str, action: str, description: str, id: str, tooltip: str) -> Binding:
    """A binding of the gaps list; its id is ``gaps.<id>`` (the key of the [keymap])."""
    return Binding(keys, action, description, id=f"gaps.{id}", tooltip=tooltip)


class GapsScreen(ListCursor, NewPostPlace, ModalScreen[Gap | None]):
    """The gaps of one matrix; dismissed with the gap chosen, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _b("escape", "dismiss(None)", "Back", "back", "Back to the matrix"),
        _b("down,j", "cursor(1)", "Down", "down", "Next gap"),
        _b("up,k", "cursor(-1)", "Up", "up", "Previous gap"),
        # a dialog keeps the app's keys out: n is the app's own action, reached from here
        _b("n", "app.new_post", "New", "new",
           "Write a new post for the gap: its objective and theme, on its first free day"),
    ]

    def __init__(self, matrix: Matrix, count: Callable[[], Matrix], settings: Settings,
                 today: date) -> None:
        super().__init__()
        self.matrix = matrix
        self.count = count
        """Counts the matrix's selection again (when the plan changed)."""
        self.settings = settings
        self.today = today
        self.gaps: list[Gap] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(id="gaps-title", classes="title")
            yield OptionList(id="gaps", compact=True)
            yield Static(id="gaps-detail")
            yield Static("Enter: the gap's cell · n: a new post for it · Escape: back",
                         classes="hint")

    def on_mount(self) -> None:
        """List the gaps; the list takes the keyboard."""
        self.show(self.matrix)
        self.query_one(OptionList).focus()

    @on(PlanChanged)
    def _plan_changed(self) -> None:
        self.show(self.count())

    def show(self, matrix: Matrix) -> None:
        """List the gaps of ``matrix``, keeping the highlight on the same gap if it is left."""
        before = self.highlighted()
        self.matrix, self.gaps = matrix, matrix.gaps()
        listing = self.query_one(OptionList)
        listing.set_options(Option(plain(gap_text(gap))) for gap in self.gaps)
        at = next((i for i, gap in enumerate(self.gaps) if before is not None and
                   (gap.kind, gap.objective, gap.theme) ==
                   (before.kind, before.objective, before.theme)), 0)
        listing.highlighted = at if self.gaps else None
        span = matrix.selection.span
        label = span.label(self.settings.week_start_index, self.settings.locale)
        self.query_one("#gaps-title", Static).update(plain(
            f"Gaps · {label} · {len(self.gaps)}, furthest below target first" if self.gaps
            else f"No gap · {label}: every cell has a post and every target is met"))
        self._show_detail()

    def highlighted(self) -> Gap | None:
        """The highlighted gap, if any."""
        at = self.query_one(OptionList).highlighted
        return self.gaps[at] if at is not None and at < len(self.gaps) else None

    @on(OptionList.OptionHighlighted)
    def _show_detail(self) -> None:
        gap = self.highlighted()
        free = days_text(gap.free_days if gap else self.matrix.free_days, self.settings)
        landing_day = self.landing_day()
        lands = f" · n lands on {landing_day:%d/%m}" if gap and landing_day else ""
        self.query_one("#gaps-detail", Static).update(plain(
            f"Free days of the period (no post yet): {free}{lands}"))

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        self.dismiss(self.highlighted())

    def landing_day(self) -> date | None:
        """The gap's first free day: where ``n`` puts the new post."""
        gap = self.highlighted()
        if gap is None:
            return None
        return landing(gap.free_days, self.matrix.selection.span, self.today)

    def new_post_tags(self) -> tuple[list[str], list[str]]:
        """The gap's objective and theme (one of them for a row's or a column's gap)."""
        gap = self.highlighted()
        return ([], []) if gap is None else tags_of(gap.objective, gap.theme)
