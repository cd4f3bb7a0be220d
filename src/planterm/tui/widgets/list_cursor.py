"""j/k on a screen whose keys move one list: written once for every such screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import OptionList

if TYPE_CHECKING:
    from textual.widget import Widget

    # typed as a widget for mypy, without being a DOM class of its own (as TriageKeys)
    _Host = Widget
else:
    _Host = object


class ListCursor(_Host):
    """``action_cursor``: j and k move the screen's list as the arrows do."""

    def action_cursor(self, delta: int) -> None:
        """Move the highlight one option down (``delta`` > 0) or up."""
        listing = self.query_one(OptionList)
        if delta > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()
