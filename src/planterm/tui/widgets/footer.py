"""Textual's compact footer, built without restyling every key once it is mounted."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class CompactFooter(Footer):
    """``Footer(compact=True)``, drawn the same, rebuilt at a fraction of the cost.

    Textual gives each key its ``-compact`` class from a watcher once the key is mounted,
    and each class change restyles the key through the whole stylesheet: ~100 ms per
    rebuild of the footer, which happens on every change of the keys that apply. Here
    each key has the class from birth, so the watcher finds nothing to change.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._rebuilding = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """One rebuild for the changes of keys that come together (Textual rebuilds once
        per change: three times as the planner starts, twice after a first write)."""
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuilding:
            return
        if self.is_attached and screen is self.screen:
            self._rebuilding = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuilding = False
        await self.recompose()

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
