"""The planner's header: Textual's, its title redrawn without laying the screen out again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import (  # Textual is pinned exactly
    HeaderClock,
    HeaderClockSpace,
    HeaderIcon,
    HeaderTitle,
)


class _Title(HeaderTitle):
    """The title and the period shown: the header's whole width, whatever the text."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Redraw the title alone: its size never changes with its text."""
        super().update(content, layout=False)


class PlanHeader(Header):
    """``Header`` with a ``_Title``: the period's label changes on every ``[`` ``]``, and
    Textual's title then laid the whole screen out again and redrew it in full, not only
    the header and the grid."""

    def compose(self) -> ComposeResult:
        """As ``Header.compose``, with the title above."""
        yield HeaderIcon().data_bind(Header.icon)
        yield _Title()
        yield (HeaderClock().data_bind(Header.time_format) if self._show_clock
               else HeaderClockSpace())
