"""The matrix as people and scripts read it: a text table for 80 columns, and JSON.

Used by ``planterm matrix``; the bar, the signs and the abbreviations are here so that a
pane drawing the same matrix says the same thing the same way. Meaning never rests on
colour: a difference is a signed number and a symbol (``▼`` below target, ``▲`` above,
``=`` on it), an empty cell that is a gap is ``·``. Every line is ``inert``.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any

from planterm.config import Settings
from planterm.dates import weekday_abbr
from planterm.matrix import Gap, Key, Line, Matrix
from planterm.text import inert

BELOW, ABOVE, ON = "▼", "▲", "="
EMPTY = "·"
"""An empty cell of an objective and a theme in use: a gap."""
NONE = "—"
"""The row of posts with no objective, the column of posts with no theme."""
_EIGHTHS = " ▏▎▍▌▋▊▉"
GAPS_SHOWN = 10
"""Gaps listed in the text; ``--json`` gives them all."""
GROUPS = {"all": "every status but cancelled", "planned": "planned (not yet published)",
          "published": "published"}


def bar(fraction: float, width: int) -> str:
    """A bar of ``width`` cells filled to ``fraction`` (0 to 1), in eighths of a cell."""
    eighths = round(max(0.0, min(fraction, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(width)


def number(value: float) -> str:
    """A count as short as it is exact enough: ``12``, ``2.8``."""
    return f"{value:.1f}".removesuffix(".0")


def posts(n: int) -> str:
    """``1 post``, ``3 posts``."""
    return f"{n} post{'' if n == 1 else 's'}"


def symbol(line: Line) -> str:
    """``▼`` below its target, ``▲`` above, ``=`` on it; nothing without a target."""
    difference = line.difference
    if difference is None:
        return ""
    return BELOW if line.below else ON if round(difference, 9) == 0 else ABOVE


def difference_text(line: Line) -> str:
    """``▼ -4.2 pts`` for a share, ``▲ +3`` (posts) for a count per month; '' without target."""
    difference = line.difference
    if difference is None:
        return ""
    unit = " pts" if line.target_share is not None else ""
    sign = "" if symbol(line) == ON else "+" if difference > 0 else "-"
    return f"{symbol(line)} {sign}{number(abs(difference))}{unit}"


def versus(line: Line) -> str:
    """What is compared: ``37% / 25%`` for a share target; for a count per month, the share
    (what the bar shows) then the posts against the period's target, ``12% · 9 / 12``."""
    share = f"{line.share:.0f}%"
    if line.target_share is not None:
        return f"{share} / {number(line.target_share)}%"
    if line.expected is not None:
        return f"{share} · {line.count} / {number(line.expected)}"
    return share


VERSUS_WIDTH = 16
"""Cells for ``versus`` in a line: ``100% · 120 / 12.5``."""


def abbreviations(keys: list[Key], width: int) -> dict[Key, str]:
    """Each key cut to ``width`` characters, a digit in place of the last one where two
    would read the same; None is ``—``."""
    found: dict[Key, str] = {}
    for i, key in enumerate(keys):
        short = NONE if key is None else key[:width]
        if short in found.values():
            short = f"{short[:width - len(str(i))]}{i}"
        found[key] = short
    return found


def cell_text(matrix: Matrix, row: Line, column: Line) -> str:
    """A cell's count, ``·`` for a gap, nothing for an empty cell no one is meant to fill."""
    n = matrix.count(row.key, column.key)
    if n:
        return str(n)
    return EMPTY if row.in_use and column.in_use else ""


def _width(text: str) -> int:
    """Terminal cells ``text`` takes: wide characters two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: cut with ``…``, or padded."""
    text = inert(text)
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


def render(matrix: Matrix, settings: Settings, width: int = 80, filter_text: str = "") -> str:
    """The whole matrix as text ``width`` columns wide: heading, grid, rows and columns
    against their targets, gaps."""
    parts = [*_heading(matrix, settings, width, filter_text), *_grid(matrix, width), "",
             *_lines("objective", matrix.objectives, width), "",
             *_lines("theme", matrix.themes, width), "", *_gaps(matrix, settings, width),
             "", f"{EMPTY} empty cell (a gap)  {BELOW} below target  {ABOVE} above  "
                 f"{ON} on target  {NONE} none",
             "A post counts in every cell it serves, and once in a total."]
    return "\n".join(line.rstrip() for line in parts)


def _heading(matrix: Matrix, settings: Settings, width: int, filter_text: str) -> list[str]:
    """The period and its dates; what was counted, and the filter."""
    span = matrix.selection.span
    period = [span.label(settings.week_start_index, settings.locale)]
    if span.kind != "all":  # the whole plan's label is its dates already
        last = span.end.date() - timedelta(days=1)
        period.append(f"{span.start.date().isoformat()} – {last.isoformat()}")
    counted = [f"{posts(matrix.total)}, {GROUPS[matrix.selection.status]}"]
    if filter_text.strip():
        counted.append(f"filter: {filter_text.strip()}")
    return [fit(" · ".join(period), width), fit(" · ".join(counted), width)]


def _grid(matrix: Matrix, width: int) -> list[str]:
    """Rows × columns with totals, in as many blocks of columns as the width needs.

    Each column is a number right-aligned and one cell for a sign after it, so that the
    ``▼`` of a total below target never pushes its digits out of line.
    """
    rows, columns = matrix.objectives, matrix.themes
    if not rows or not columns:
        missing = [kind for kind, lines in (("objective", rows), ("theme", columns))
                   if not lines]
        return ["", *(f"No {kind} to count yet; add one with: planterm {kind} add KEY NAME"
                      for kind in missing)]
    digits = len(str(matrix.total))  # no cell or total exceeds the posts counted
    cell = max(4, digits + 1)
    label = min(max(len("posts"), *(len(r.key or NONE) for r in rows)), 14)
    total = max(len("posts"), digits)
    per_block = max(1, (width - label - total - 4) // (cell + 1))
    heads = abbreviations([c.key for c in columns], cell)
    out = []
    for start in range(0, len(columns), per_block):
        block = columns[start:start + per_block]
        totals = start + per_block >= len(columns)  # the totals close the last block
        rows_text = [
            (" " * label, [f"{heads[c.key]} " for c in block], f" │ {'posts':>{total}}"),
            *((fit(row.key or NONE, label), [f"{cell_text(matrix, row, c)} " for c in block],
               f" │ {row.count:>{total}}{_mark(row)}") for row in rows),
            (fit("posts", label), [f"{c.count}{_mark(c)}" for c in block],
             f" │ {matrix.total:>{total}}")]
        out.append("")
        out += [head + "".join(f"{t:>{cell + 1}}" for t in texts) + (tail if totals else "")
                for head, texts, tail in rows_text]
    return out


def _mark(line: Line) -> str:
    """The sign beside a total in the grid: ``▼`` when below target (a blank otherwise)."""
    return BELOW if line.in_use and line.below else " "


def _lines(kind: str, lines: tuple[Line, ...], width: int) -> list[str]:
    """One line per objective (or theme): a bar of its share, its target, the difference."""
    if not lines:
        return []
    key_width = min(max(len(line.key or NONE) for line in lines), 14)
    numbers = VERSUS_WIDTH + 15  # " … ▼ -100.0 pts"
    rest = max(width - key_width - 1 - numbers, 20)
    name_width = min(24, rest // 2)
    bar_width = rest - name_width - 1
    scale = max([1.0, *(line.share for line in lines),
                 *(line.target_share or 0.0 for line in lines)])
    out = [f"{kind + 's':<{key_width}} {'name':<{name_width}} "
           f"{'share of the posts':<{bar_width}} {'vs target':>{VERSUS_WIDTH}}"]
    for line in lines:
        name = f"no {kind}" if line.key is None else line.name + (
            " (archived)" if line.archived else " (unknown)" if line.unknown else "")
        out.append(f"{fit(line.key or NONE, key_width)} {fit(name, name_width)} "
                   f"{bar(line.share / scale, bar_width)} {versus(line):>{VERSUS_WIDTH}}  "
                   f"{difference_text(line)}")
    return out


def _gaps(matrix: Matrix, settings: Settings, width: int) -> list[str]:
    """The gaps, furthest below target first, and the free days to fill them on."""
    gaps = matrix.gaps()
    if not gaps:
        return ["No gap: every cell has a post and every target is met."]
    out = [f"Gaps, furthest below target first ({len(gaps)}):"]
    for gap in gaps[:GAPS_SHOWN]:
        out.append(fit(f"  {gap_text(gap)}", width))
    if len(gaps) > GAPS_SHOWN:
        out.append(f"  … {len(gaps) - GAPS_SHOWN} more (planterm matrix --json lists them all)")
    out.append(fit(f"Free days (no post yet): {days_text(matrix.free_days, settings)}", width))
    return out


def gap_text(gap: Gap) -> str:
    """``▼ theme evolution: 6 posts of 11 expected, 5 short`` or ``· debat × coulisses: …``."""
    if gap.kind == "cell":
        what = f"{EMPTY} {gap.objective} × {gap.theme}: empty"
    else:
        what = f"{BELOW} {gap.kind} {gap.objective or gap.theme}: {posts(gap.count)}"
    return f"{what}, {number(gap.expected)} expected, {number(gap.shortfall)} short"


def days_text(days: tuple[date, ...], settings: Settings, most: int = 12) -> str:
    """``jeu 26, ven 27, lun 30 nov`` (at most ``most`` days, then how many more)."""
    if not days:
        return "none"
    shown = ", ".join(f"{weekday_abbr(d, settings.locale)} {d.day}/{d.month}"
                      for d in days[:most])
    return shown + (f", … ({len(days) - most} more)" if len(days) > most else "")


def to_json(matrix: Matrix, settings: Settings, filter_text: str = "") -> dict[str, Any]:
    """The matrix for scripts: bounds with their offset, lines with targets, every cell."""
    span = matrix.selection.span
    return {
        "period": span.kind,
        "label": span.label(settings.week_start_index, settings.locale),
        "from": span.start.isoformat(),
        "to": span.end.isoformat(),
        "status": matrix.selection.status,
        "statuses": sorted(matrix.selection.statuses),
        "filter": filter_text.strip(),
        "posts": matrix.total,
        "objectives": [_line_json(line) for line in matrix.objectives],
        "themes": [_line_json(line) for line in matrix.themes],
        "cells": [{"objective": row.key, "theme": column.key,
                   "count": matrix.count(row.key, column.key)}
                  for row in matrix.objectives for column in matrix.themes],
        "gaps": [{"kind": g.kind, "objective": g.objective, "theme": g.theme,
                  "posts": g.count, "expected": round(g.expected, 2),
                  "short": round(g.shortfall, 2)} for g in matrix.gaps()],
        "free_days": [d.isoformat() for d in matrix.free_days],
    }


def _line_json(line: Line) -> dict[str, Any]:
    """A row or column for scripts: its posts, share, targets and difference."""
    difference = line.difference
    return {"key": line.key, "name": line.name, "posts": line.count,
            "share": round(line.share, 2), "target_share": line.target_share,
            "target_per_month": line.target_per_month,
            "expected": None if line.expected is None else round(line.expected, 2),
            "difference": None if difference is None else round(difference, 2),
            "below": line.below, "archived": line.archived, "unknown": line.unknown}
