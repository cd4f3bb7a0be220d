"""The matrix pane (key 2): objectives × themes for a period, each against its target.

The counting is the core's (``matrix.count_store``, the same call as ``planterm matrix``),
so the pane and the command line show the same numbers; the picture is
``matrix_grid.draw``. A key that only moves the cell cursor draws again from the counts
it has; the store is counted again when the period, the status group or the filter
changes, and when the plan changed (here, in another pane or in another process) as
soon as the pane is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.widgets import Static

from planterm.config import Settings
from planterm.matrix import (
    PERIODS,
    STATUS_GROUPS,
    Gap,
    Key,
    Line,
    Matrix,
    PeriodKind,
    Selection,
    Span,
    StatusGroup,
    cell_posts,
    count_store,
    posts_of,
    shift_anchor,
    span_in,
)
from planterm.matrix_text import EMPTY, GROUPS, fit, number, posts
from planterm.tui.messages import PlanChanged, WhenIdle
from planterm.tui.widgets.matrix_grid import draw
from planterm.tui.widgets.period_pane import PeriodPane, filter_bindings, period_bindings
from planterm.tui.widgets.plain import plain
from planterm.tui.widgets.prompt import PromptBar


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """A matrix binding; its id is ``matrix.<id>`` (the key of the [keymap] setting)."""
    return Binding(keys, action, description, show=show, id=f"matrix.{id}", tooltip=tooltip)


def landing(free_days: tuple[date, ...], span: Span, today: date) -> date:
    """Where a post written from the matrix lands: the period's first free day from today,
    else today if the period holds it, else the period's first day."""
    if free_days:
        return free_days[0]
    return today if span.start.date() <= today < span.end.date() else span.start.date()


def tags_of(objective: Key, theme: Key) -> tuple[list[str], list[str]]:
    """A cell's objective and theme as a new post's (``—``, None, is none)."""
    return [objective] if objective else [], [theme] if theme else []


def cell_name(row: Line, column: Line, width: int) -> str:
    """``Faire venir au musée × Préhistoire``, or by keys (``visites × prehistoire``) when
    the names take more than ``width``; ``no objective``, ``no theme`` for ``—``."""
    names = [f"no {kind}" if line.key is None else line.name
             for kind, line in (("objective", row), ("theme", column))]
    if len(" × ".join(names)) > width:
        names = [f"no {kind}" if line.key is None else line.key
                 for kind, line in (("objective", row), ("theme", column))]
    return " × ".join(names)


class MatrixPane(PeriodPane):
    """Objectives × themes for a period: counts, targets, gaps, and the posts behind them."""

    TITLE = "matrix"
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("up,k", "cursor(-1, 0)", "Up", "up", "The objective above"),
        _b("down,j", "cursor(1, 0)", "Down", "down", "The objective below"),
        _b("left,h", "cursor(0, -1)", "Left", "left", "The theme to the left"),
        _b("right,l", "cursor(0, 1)", "Right", "right", "The theme to the right"),
        _b("enter", "open", "Posts", "open",
           "List the cell's posts; the calendar's triage keys work there", show=True),
        _b("p", "cycle_period", "Period", "period",
           "Count a week, a month (the default), a quarter or the whole plan", show=True),
        *period_bindings("matrix", "period"),
        _b("P", "cycle_status", "Statuses", "status",
           "Count every status, the planned posts (not yet published) or the published ones",
           show=True),
        _b("G", "gaps", "Gaps", "gaps",
           "List the gaps, furthest below target first, with the free days", show=True),
        _b("o", "structure", "Obj & themes", "structure",
           "Objectives & themes: add, rename, set targets, archive, merge (u undoes)"),
        *filter_bindings("matrix", "Count every post again"),
    ]
    LOADING_HIDES = ("matrix-heading", "matrix-scroll", "matrix-cell")

    def __init__(self, settings: Settings, now: Callable[[], datetime], *, id: str) -> None:
        super().__init__(settings, now, id=id)
        self.kind: PeriodKind = "month"
        self.group: StatusGroup = "all"
        self.matrix: Matrix | None = None
        self.row = self.column = 0
        """The selected cell, as indexes into the matrix's objectives and themes."""
        self.stale = True
        """The plan changed since it was last counted."""

    def compose(self) -> ComposeResult:
        yield Static("loading…", id="loading")
        yield Static(id="filter-line")
        yield Static(id="matrix-heading")
        with ScrollableContainer(id="matrix-scroll"):
            yield Static(id="matrix-grid")
        yield Static(id="matrix-cell")
        yield PromptBar(id="prompt")

    # --- counting ------------------------------------------------------------

    @on(PlanChanged)
    def _plan_changed(self, message: PlanChanged) -> None:
        if self.store is None:  # the rows a count reads (150 ms at 20,000 posts), built at
            # the first pause in the typing, not under the first keys; or when first shown
            self.post_message(WhenIdle(partial(posts_of, message.store)))
        self.store = message.store
        self.loaded = True
        self.stale = True
        if self.display:
            self.reload()

    def showing(self) -> None:
        """Count again if the plan changed while another pane was shown."""
        if self.stale:
            self.reload()
        else:
            super().showing()

    def selection(self) -> Selection:
        """What is counted now: the period around ``day``, the filter, the status group."""
        assert self.store is not None
        span = span_in(self.store, self.kind, self.day, self.settings.tz,
                       self.settings.week_start_index)
        return Selection(span, self.filter, self.group)

    def count(self) -> Matrix:
        """Count the store for the selection (free days from today on, as the CLI)."""
        assert self.store is not None
        return count_store(self.store, self.selection(), self.today())

    def reload(self) -> None:
        """Count the store again and draw it, the cursor kept on the same objective and
        theme when they are still there."""
        if self.store is None:
            return
        before = self.cell()
        self.matrix = self.count()
        self.stale = False
        if before is not None:
            self.place(*before)
        self.draw()

    # --- drawing -------------------------------------------------------------

    def cell(self) -> tuple[Line, Line] | None:
        """The selected row and column (the cursor brought inside the matrix if it
        shrank); None when there are none."""
        matrix = self.matrix
        if matrix is None or not matrix.objectives or not matrix.themes:
            return None
        self.row = min(self.row, len(matrix.objectives) - 1)
        self.column = min(self.column, len(matrix.themes) - 1)
        return matrix.objectives[self.row], matrix.themes[self.column]

    def place(self, row: Line | None, column: Line | None) -> None:
        """Put the cursor on this objective and theme (either may be left as it is)."""
        matrix = self.matrix
        if matrix is None:
            return
        rows = [r.key for r in matrix.objectives]
        columns = [c.key for c in matrix.themes]
        if row is not None and row.key in rows:
            self.row = rows.index(row.key)
        if column is not None and column.key in columns:
            self.column = columns.index(column.key)

    def draw(self) -> None:
        """Show the counts, the heading and the selected cell."""
        matrix = self.matrix
        if matrix is None:
            return
        width = max(self.size.width - 3, 40)  # the grid's padding, and a scrollbar's cell
        picture = draw(matrix, self.settings, width, self.row, self.column)
        self.query_one("#matrix-grid", Static).update(Content("\n").join(picture.lines))
        scroll = self.query_one("#matrix-scroll", ScrollableContainer)
        self.call_after_refresh(scroll.scroll_to_region, picture.cursor.translate((1, 0)),
                                animate=False, immediate=True)
        span = matrix.selection.span
        label = span.label(self.settings.week_start_index, self.settings.locale)
        last = span.end.date() - timedelta(days=1)
        dates = "" if span.kind == "all" else f" ({span.start.date():%d/%m} – {last:%d/%m})"
        self.query_one("#matrix-heading", Static).update(plain(fit(
            f"{span.kind}: {label}{dates} · {posts(matrix.total)}, "
            f"{GROUPS[matrix.selection.status]}", width).rstrip()))
        self.query_one("#matrix-cell", Static).update(plain(self._cell_text(width).rstrip()))
        self.show_period(f"matrix · {label}")

    def _cell_text(self, width: int) -> str:
        """The selected cell in words, and what Enter and n do there."""
        matrix, cell = self.matrix, self.cell()
        if matrix is None or cell is None:
            return "o adds objectives and themes"
        row, column = cell
        what = cell_name(row, column, width // 2)
        n = matrix.count(row.key, column.key)
        if n:
            return fit(f"{what}: {posts(n)} · Enter: the posts · n: one more", width)
        if row.in_use and column.in_use:
            expected = number(matrix.cell_expected(row, column))
            return fit(f"{EMPTY} {what}: empty, {expected} expected · n: write one",
                       width)
        return fit(f"{what}: no post · n: write one", width)

    def on_resize(self) -> None:
        """The layout follows the width (a bar beside each row when there is room)."""
        self.draw()

    # --- keys ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """As ``PeriodPane``; ``[`` ``]`` do not apply to the whole plan."""
        if action == "period" and self.loaded:
            return self.kind != "all"
        return super().check_action(action, parameters)

    def shifted(self, delta: int) -> date:
        """The anchor day moved by ``delta`` periods (the whole plan does not move)."""
        return shift_anchor(self.kind, self.day, delta)

    def go_to(self, day: date) -> None:
        """Count the period around ``day``."""
        self.day = day
        self.reload()

    def landing_day(self) -> date | None:
        """The first free day of the period: where a post written from a cell lands."""
        matrix = self.matrix
        if matrix is None or not self.loaded:
            return None
        return landing(matrix.free_days, matrix.selection.span, self.today())

    def new_post_tags(self) -> tuple[list[str], list[str]]:
        """The selected cell's objective and theme (none for ``—``)."""
        cell = self.cell()
        return ([], []) if cell is None else tags_of(cell[0].key, cell[1].key)

    def action_cursor(self, rows: int, columns: int) -> None:
        """Move the cell cursor, stopping at the edges."""
        matrix = self.matrix
        if matrix is None:
            return
        self.row = max(0, min(self.row + rows, len(matrix.objectives) - 1))
        self.column = max(0, min(self.column + columns, len(matrix.themes) - 1))
        self.draw()

    def action_cycle_period(self) -> None:
        """Count the next kind of period: week, month, quarter, the whole plan."""
        self.kind = PERIODS[(PERIODS.index(self.kind) + 1) % len(PERIODS)]
        self.refresh_bindings()
        self.reload()

    def action_cycle_status(self) -> None:
        """Count every status, the planned posts, or the published ones."""
        groups = list(STATUS_GROUPS)
        self.group = groups[(groups.index(self.group) + 1) % len(groups)]
        self.reload()

    def action_open(self) -> None:
        """List the selected cell's posts, where the triage keys work."""
        from planterm.tui.screens.post_list import PostListScreen  # loaded on use

        matrix, cell = self.matrix, self.cell()
        if matrix is None or cell is None:
            return
        row, column = cell
        selection = matrix.selection
        title = (f"{cell_name(row, column, self.size.width // 2)} · "
                 f"{selection.span.label(self.settings.week_start_index, self.settings.locale)}")
        self.app.push_screen(PostListScreen(
            title, lambda store: cell_posts(store, selection, row.key, column.key)))

    def action_gaps(self) -> None:
        """List the gaps; Enter on one brings the cursor to it (and opens a cell's)."""
        from planterm.tui.screens.gaps import GapsScreen  # loaded on use

        if self.matrix is not None:
            self.app.push_screen(GapsScreen(self.matrix, self.count, self.settings,
                                            self.today()), self._gap_chosen)

    def _gap_chosen(self, gap: Gap | None) -> None:
        matrix = self.matrix
        if gap is None or matrix is None:
            return
        row = next((r for r in matrix.objectives if r.key == gap.objective), None)
        column = next((c for c in matrix.themes if c.key == gap.theme), None)
        self.place(row, column)
        self.draw()
        if gap.kind == "cell":
            self.action_open()

    def action_structure(self) -> None:
        """Objectives and themes: add, rename, set targets, archive, merge."""
        from planterm.tui.screens.structure import StructureScreen  # loaded on use

        self.app.push_screen(StructureScreen())
