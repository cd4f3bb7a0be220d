"""A pane of the planner (switched with 1 2 3), and where a new post lands from it."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.widget import Widget


class NewPostPlace:
    """What says where a new post (``n``, ``a``) lands and what it carries: the pane shown,
    or a screen over it that lists places (the matrix's gaps)."""

    def landing_day(self) -> date | None:
        """The day a new post without a typed date lands on, if a day is selected."""
        return None

    def new_post_tags(self) -> tuple[list[str], list[str]]:
        """The objectives and themes a new post starts with (the matrix's selected cell)."""
        return [], []


class Pane(NewPostPlace, Widget, can_focus=True):
    """A top-level pane; its BINDINGS are listed under ``TITLE`` in help and the palette."""

    TITLE: ClassVar[str] = ""
    """The pane's name in the help screen and the command palette."""


    LOADING_HIDES: ClassVar[tuple[str, ...]] = ()
    """The ids of the parts that ``#loading`` ("loading…") stands in for until the store
    is open."""

    def show_loading(self, loading: bool) -> None:
        """Show ``#loading`` in place of the ``LOADING_HIDES`` parts, or (``False``) give
        their display back to the stylesheet.

        Set on these widgets alone: a class on the pane restyled all of it, 20-25 ms of the
        first week's wait at 20,000 posts.
        """
        self.query_one("#loading").styles.display = "block" if loading else None
        for part in self.LOADING_HIDES:
            self.query_one(f"#{part}").styles.display = "none" if loading else None
