"""The base of the week, month and agenda views: each draws one ``Shown`` period."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.widget import Widget

from planterm.tui.widgets.cells import Drawn, Grid
from planterm.tui.widgets.shown import Shown


class PeriodView(Widget):
    """A view of a period; the pane sets ``shown`` and the view draws it in ``draw``.

    A new ``shown`` repaints only the rows whose cells changed (``cell`` hands out the
    ``Text`` it made before, so an unchanged row is made of the very same cells): a triage
    key or j/k changes two or three rows of a week, and Textual then restyles and
    composes those rows alone rather than the whole view.
    """

    PREFIX: ClassVar[str] = ""
    """Prefix of the view's component classes (``week`` for ``week--today``)."""

    shown: reactive[Shown | None] = reactive(None, repaint=False)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.drawn: Drawn = {}
        """The rows of the last drawing, kept for the next (``cells.Grid``)."""
        self._made: tuple[Shown | None, Size, Text | Grid] | None = None
        """The drawing made for a new ``shown``, for ``render`` to hand to Textual."""
        self._on_screen: tuple[Size, list[list[Text]]] | None = None
        """The size and rows of the drawing last handed to Textual."""

    def draw(self) -> Text | Grid:
        """Draw ``shown`` to the widget's size."""
        raise NotImplementedError

    def warm(self, shown: Shown) -> None:
        """Prepare what drawing ``shown`` (read ahead) will need, where that is worth it."""

    def render(self) -> Text | Grid:
        """The drawing made for the new ``shown``, else a new one (a resize, a theme)."""
        made, self._made = self._made, None
        if made is not None and made[0] is self.shown and made[1] == self.size:
            drawing = made[2]
        else:
            drawing = self.draw()
        self._on_screen = (self.size, drawing.rows) if isinstance(drawing, Grid) else None
        return drawing

    def watch_shown(self, shown: Shown | None) -> None:
        """Repaint the rows that changed, or the whole view when its size did."""
        drawing = self.draw()
        self._made = (shown, self.size, drawing)
        before = self._on_screen
        if before is None or before[0] != self.size or not isinstance(drawing, Grid):
            self.refresh()
            return
        old, new = before[1], drawing.rows
        changed = [Region(0, y, self.size.width, 1) for y in range(max(len(old), len(new)))
                   if y >= len(old) or y >= len(new) or len(old[y]) != len(new[y])
                   or any(a is not b for a, b in zip(old[y], new[y], strict=True))]
        if changed:  # (none: a refresh without regions would repaint everything)
            self.refresh(*changed)

    def style_of(self, name: str) -> Style:
        """The Rich style of one of the view's component classes, as set in planterm.tcss."""
        return self.get_component_rich_style(f"{self.PREFIX}--{name}")
