"""The base of the week, month and agenda views: each draws one ``Shown`` period."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual.reactive import reactive
from textual.widget import Widget

from planterm.tui.widgets.cells import Drawn
from planterm.tui.widgets.shown import Shown


class PeriodView(Widget):
    """A view of a period; the pane sets ``shown`` and the view draws it in ``render``."""

    PREFIX: ClassVar[str] = ""
    """Prefix of the view's component classes (``week`` for ``week--today``)."""

    shown: reactive[Shown | None] = reactive(None)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.drawn: Drawn = {}
        """The rows of the last drawing, kept for the next (``cells.Grid``)."""

    def style_of(self, name: str) -> Style:
        """The Rich style of one of the view's component classes, as set in planterm.tcss."""
        return self.get_component_rich_style(f"{self.PREFIX}--{name}")
