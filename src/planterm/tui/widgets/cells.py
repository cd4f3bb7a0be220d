"""Text cut to cells: the small layout helpers the week, month and agenda views share.

Every line those views draw goes through ``cell``, which makes it inert: the one place
where their stored text becomes screen text (a Rich ``Text``, never read as markup).
"""

from __future__ import annotations

import functools

from rich.style import Style
from rich.text import Text
from textual._context import active_app
from textual.content import Content, Span, _FormattedLine  # Textual is pinned exactly
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual

from planterm.text import inert


@functools.lru_cache(maxsize=4096)
def cell(text: str, width: int, style: Style | str = "") -> Text:
    """``text``, inert, on exactly ``width`` cells: cut with … when too long, padded when
    short. Kept for the next redraw (a triage key draws the same week again): the Text
    returned is shared, never to be changed."""
    line = Text(inert(text), no_wrap=True)
    if style:
        line.stylize(style)
    line.truncate(max(width, 0), overflow="ellipsis", pad=True)
    return line


def fit_words(words: list[str], width: int) -> str:
    """As many whole ``words`` as fit in ``width`` cells, with … when some are left out."""
    shown: list[str] = []
    for i, word in enumerate(words):
        candidate = " ".join([*shown, word])
        rest = i + 1 < len(words)
        if len(candidate) + (1 if rest else 0) > width:
            return " ".join(shown) + "…" if shown else "…"[:width]
        shown.append(word)
    return " ".join(shown)


def split_words(text: str, width: int) -> tuple[str, str]:
    """``text`` cut in two at a space, the first part at most ``width`` cells when a word
    allows it (a longer first word is cut on the line instead)."""
    if len(text) <= width:
        return text, ""
    cut = text.rfind(" ", 0, width + 1)
    if cut <= 0:
        return text[:width], text[width:].lstrip()
    return text[:cut], text[cut + 1 :].lstrip()


def split_width(total: int, parts: int, gap: int) -> list[int]:
    """Widths of ``parts`` columns filling ``total`` cells with ``gap`` cells between them."""
    room = max(total - gap * (parts - 1), 0)
    base, extra = divmod(room, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


Drawn = dict[tuple[object, ...], tuple[list[Text], Strip]]
"""A view's rows as last drawn, by place and cells: the cells, and their strip (``Grid``)."""


class Grid(Visual):
    """Rows of cells already cut to the view's width (``cell``), drawn as they are.

    Returned as one Rich ``Text``, a week was joined, converted to Textual's ``Content``
    and laid out again (split, wrap, measure, divide: 12-16 ms for 120x37 cells, most of a
    key's redraw) into the very same lines. Here each row becomes the ``Content`` of that
    line directly, drawn by Textual's own line formatter: the same segments, each with the
    offset that mouse selection reads, as the ``Text`` gave. ``str()`` is the plain text,
    as for a ``Text``.

    A row made of the very same cells as a row of the view's last drawing (``cell``
    hands out the ``Text`` it made before), at the same place, keeps that row's strip
    (``drawn``, the view's): a triage key or j/k changes two or three rows of a week.
    """

    def __init__(self, rows: list[list[Text]], drawn: Drawn) -> None:
        self.rows = rows
        self.drawn = drawn

    def __str__(self) -> str:
        return "\n".join("".join(part.plain for part in row) for row in self.rows)

    def render_strips(self, width: int, height: int | None, style: VisualStyle,
                      options: RenderOptions) -> list[Strip]:
        """Each row as ``Content.render_strips`` draws the same line of a ``Text``."""
        app = active_app.get()
        get_style, theme = app.console.get_style, app.ansi_theme
        styles: dict[Style | str, VisualStyle] = {}

        def visual(rich: Style | str) -> VisualStyle:
            """A span's style as ``Content.from_rich_text`` converts it."""
            found = styles.get(rich)
            if found is None:
                parsed = get_style(rich) if isinstance(rich, str) else rich
                found = styles[rich] = VisualStyle.from_rich_style(parsed, theme)
            return found

        align = options.rules.get("text_align", "left")
        selection, selection_style = options.selection, options.selection_style
        strips = []
        last: Drawn = self.drawn
        drawn: Drawn = {}
        for y, row in enumerate(self.rows[:height]):
            # the row's cells are kept alive with its strip, so their ids are not reused
            key: tuple[object, ...] = (y, width, align, style, id(theme), *map(id, row))
            chosen = selection.get_span(y) if selection is not None else None
            found = last.get(key) if chosen is None else None  # text selected with the mouse
            if found is not None:
                strips.append(found[1])
                drawn[key] = found
                continue
            spans: list[Span] = []  # as Text.join places them
            at = 0
            for part in row:
                end = at + len(part.plain)
                if part.style:
                    spans.append(Span(at, end, visual(part.style)))
                spans += [Span(at + s.start, at + s.end, visual(s.style)) for s in part.spans]
                at = end
            line = Content("".join(part.plain for part in row), spans)
            if chosen is not None and selection_style is not None:
                start, stop = chosen
                line = line.stylize(selection_style, start, len(line) if stop == -1 else stop)
            strip = Strip(*_FormattedLine(options.get_style, line, width, y=y,
                                          align=align).to_strip(style))
            strips.append(strip)
            if chosen is None:
                drawn[key] = (row, strip)
        last.clear()  # only the last drawing is kept
        last.update(drawn)
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((sum(part.cell_len for part in row) for row in self.rows), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.rows)


def join_columns(columns: list[list[Text]], widths: list[int], height: int, gap: int,
                 drawn: Drawn) -> Grid:
    """Columns of lines set side by side into ``height`` rows (short columns padded)."""
    spacer = cell("", gap)
    rows: list[list[Text]] = []
    for row in range(height):
        parts: list[Text] = []
        for i, (column, width) in enumerate(zip(columns, widths, strict=True)):
            if i:
                parts.append(spacer)
            parts.append(column[row] if row < len(column) else cell("", width))
        rows.append(parts)
    return Grid(rows, drawn)


def scroll(lines: list[Text], selected: tuple[int, int] | None, height: int,
           width: int, style: Style | str = "") -> list[Text]:
    """At most ``height`` of ``lines``, scrolled so the selected [first, last) lines are seen.

    Hidden lines are counted on a mark line, "↑ 2" at the top and "↓ 3 more" at the
    bottom, so that the user knows the column goes on.
    """
    total = len(lines)
    if total <= height or height < 3:
        return lines[:height]
    first, last = selected or (0, 0)
    if last <= height - 1:  # seen from the top: only a "↓ more" mark
        start, end = 0, height - 1
    else:  # end the window on the selection, between the two marks
        start = max(last - (height - 2), 0)
        if start + height - 1 >= total:  # near the bottom: only an "↑" mark
            start = total - (height - 1)
            end = total
        else:
            start = min(start, first)
            end = start + height - 2
    top = [cell(f"↑ {start}", width, style)] if start > 0 else []
    bottom = [cell(f"↓ {total - end} more", width, style)] if end < total else []
    return [*top, *lines[start:end], *bottom]
