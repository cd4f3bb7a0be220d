"""Text cut to cells: the small layout helpers the week, month and agenda views share.

Every line those views draw goes through ``cell``, which makes it inert: the one place
where their stored text becomes screen text (a Rich ``Text``, never read as markup).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from planterm.text import inert


def cell(text: str, width: int, style: Style | str = "") -> Text:
    """``text``, inert, on exactly ``width`` cells: cut with … when too long, padded when
    short."""
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


def join_columns(columns: list[list[Text]], widths: list[int], height: int, gap: int) -> Text:
    """Columns of lines set side by side into ``height`` lines (short columns padded)."""
    spacer = Text(" " * gap)
    lines: list[Text] = []
    for row in range(height):
        parts: list[Text] = []
        for i, (column, width) in enumerate(zip(columns, widths, strict=True)):
            if i:
                parts.append(spacer)
            parts.append(column[row] if row < len(column) else Text(" " * width))
        lines.append(Text("").join(parts))
    return Text("\n").join(lines)


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
