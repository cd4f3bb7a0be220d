"""The matrix pane's picture: the grid with its totals and targets, then the tables and gaps.

Every word and sign comes from ``matrix_text`` (the bar, ``versus``, the differences, the
abbreviations, ``·`` for a gap), as ``planterm matrix`` prints them; this module only lays
them out for the pane's width and marks the selected cell. Under the grid, three lines
give each column's share, target and difference. Each row's bar, share against target and
difference stand beside the grid when the terminal is wide enough for a useful bar, else
in the command line's table under it; then the themes' table, the first gaps and the
free days (a tall terminal shows them, a short one scrolls to them).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Region

from planterm.config import Settings
from planterm.matrix import Line, Matrix
from planterm.matrix_text import (
    BELOW,
    EMPTY,
    LEGEND,
    NONE,
    abbreviations,
    bar,
    cell_text,
    days_text,
    difference_text,
    fit,
    gap_text,
    lines_table,
    number,
    symbol,
    versus,
)
from planterm.text import inert

CELL_MOST = 8
"""The widest a column gets (its heading is the theme's key cut to this)."""
BAR_LEAST, BAR_MOST = 10, 30
"""A row's bar beside the grid: narrower than this and the rows' table goes under it."""
LABEL_MOST = 14
GAPS_SHOWN = 5
"""Gaps listed under the tables; ``G`` lists them all."""
WARN, CURSOR, HEAD = "$text-warning", "reverse bold", "bold"


@dataclass(frozen=True, slots=True)
class Picture:
    """The lines to show, and where the selected cell is in them (to scroll it into view)."""

    lines: list[Content]
    cursor: Region


def _marked(text: str, signs: str = EMPTY + BELOW) -> Content:
    """Text with its gap and below-target signs in the warning colour (the signs carry the
    meaning; the colour only helps them be seen)."""
    content = Content(text)
    for at, char in enumerate(text):
        if char in signs:
            content = content.stylize(WARN, at, at + 1)
    return content


def short_difference(line: Line, width: int) -> str:
    """The signed difference with its symbol in ``width`` cells: ``▼-3.6``, else ``▼-4``."""
    difference = line.difference
    if difference is None:
        return ""
    sign = symbol(line)
    if sign == "=":
        return sign
    signed = "+" if difference > 0 else "-"
    text = f"{sign}{signed}{number(abs(difference))}"
    return text if len(text) <= width else f"{sign}{signed}{abs(difference):.0f}"


def _target(line: Line) -> str:
    """A column's target: a share, or the posts its count per month asks of the period."""
    if line.target_share is not None:
        return f"{number(line.target_share)}%"
    return "" if line.expected is None else number(line.expected)


UNDER = ("posts", "share", "target", "vs")
"""The lines under the grid: each column's total, share, target and difference."""


def _under(name: str, line: Line, cell: int) -> str:
    """A column's value on one of the lines ``UNDER`` the grid, in ``cell`` cells and one
    for a sign."""
    match name:
        case "posts":
            return f"{line.count:>{cell}}{BELOW if line.in_use and line.below else ' '}"
        case "share":
            return f"{line.share:>{cell - 1}.0f}% "
        case "target":
            return f"{_target(line):>{cell}} "
    return f"{short_difference(line, cell):>{cell}} "


def draw(matrix: Matrix, settings: Settings, width: int, row: int, column: int) -> Picture:
    """The matrix for a pane ``width`` cells wide, the cell (``row``, ``column``) selected."""
    rows, columns = matrix.objectives, matrix.themes
    if not rows or not columns:
        missing = " or ".join(kind for kind, lines in (("objective", rows), ("theme", columns))
                              if not lines)
        return Picture([Content(f"No {missing} to count yet: o adds one (or planterm "
                                "objective add / planterm theme add KEY NAME).")], Region())
    label = min(max(len("target"), *(len(r.key or NONE) for r in rows)), LABEL_MOST)
    digits = len(str(matrix.total))
    total = max(len("posts"), digits)
    fixed = label + 3 + total + 1  # " │ " and a cell for the total's ▼

    def grid_width(cell: int) -> int:
        return fixed + len(columns) * (cell + 1)

    vs_width = max(len(versus(r)) for r in rows)
    diff_width = max(len(difference_text(r)) for r in rows)
    side = 2 + 2 + vs_width + 2 + diff_width  # "  bar  versus  difference" but the bar
    sizes = range(CELL_MOST, max(4, digits + 1) - 1, -1)
    cell = next((c for c in sizes if grid_width(c) + side + BAR_LEAST <= width), 0)
    beside = min(BAR_MOST, width - grid_width(cell) - side) if cell else 0
    if not cell:
        cell = next((c for c in sizes if grid_width(c) <= width), sizes[-1])
    heads = abbreviations([c.key for c in columns], cell)
    scale = max([1.0, *(r.share for r in rows), *(r.target_share or 0.0 for r in rows)])

    def side_of(line: Line) -> Content:
        if not beside:
            return Content()
        return Content.assemble("  ", (bar(line.share / scale, beside), "$accent"),
                                f"  {versus(line):>{vs_width}}  ",
                                _marked(difference_text(line)))

    head = [Content(" " * label)]
    for j, c in enumerate(columns):
        head.append(Content.styled(f"{inert(heads[c.key]):>{cell}}",
                                   HEAD if j == column else ""))
        head.append(Content(" "))
    head.append(Content(f" │ {'posts':>{total}} "))
    if beside:
        share = "share of the posts" if beside >= len("share of the posts") else "share"
        head.append(Content(f"  {share:<{beside}}  {'vs target':>{vs_width}}"))
    lines = [Content.assemble(*head)]
    for i, r in enumerate(rows):
        parts = [
            Content.styled(fit(r.key or NONE, label), HEAD if i == row else "")]
        for j, c in enumerate(columns):
            text = cell_text(matrix, r, c)
            parts.append(Content.styled(f"{text:>{cell}}", CURSOR) if (i, j) == (row, column)
                         else _marked(f"{text:>{cell}}"))
            parts.append(Content(" "))
        mark = BELOW if r.in_use and r.below else " "
        parts += [Content(f" │ {r.count:>{total}}"), _marked(mark), side_of(r)]
        lines.append(Content.assemble(*parts))
    for name in UNDER:
        parts = [Content(fit(name, label)),
                 *(_marked(_under(name, c, cell)) for c in columns)]
        if name == "posts":
            parts.append(Content(f" │ {matrix.total:>{total}}"))
        lines.append(Content.assemble(*parts))
    cursor = Region(label + column * (cell + 1), 1 + row, cell, 1)
    tables = [("theme", columns)] if beside else [("objective", rows), ("theme", columns)]
    for kind, table in tables:
        heading, *table_lines = lines_table(kind, table, width)
        # a table's "·" separates a count from its target ("12% · 9 / 12"): not a gap
        lines += [Content(""), Content.styled(heading, HEAD),
                  *(_marked(t, BELOW) for t in table_lines)]
    return Picture([*lines, *_gaps(matrix, settings, width)], cursor)


def _gaps(matrix: Matrix, settings: Settings, width: int) -> list[Content]:
    """The first gaps, the free days and the legend."""
    gaps = matrix.gaps()
    out = [Content("")]
    if gaps:
        more = f" · G lists all {len(gaps)}" if len(gaps) > GAPS_SHOWN else ""
        out.append(Content.styled(f"Gaps, furthest below target first{more}:", HEAD))
        out += [_marked(fit(f"  {gap_text(gap)}", width)) for gap in gaps[:GAPS_SHOWN]]
        out.append(Content(fit("Free days (no post yet): "
                               f"{days_text(matrix.free_days, settings)}", width)))
    else:
        out.append(Content("No gap: every cell has a post and every target is met."))
    return [*out, Content(""), Content.styled(fit(LEGEND, width), "$text-muted")]
