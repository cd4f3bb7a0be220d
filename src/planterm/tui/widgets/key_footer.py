"""The footer of the planner: Textual's compact one, keeping to the keys that fit the width,
built without restyling every key once it is mounted."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual is pinned exactly

FIRST = ("help", "quick_add", "undo", "status(1)", "edit", "filter")
"""Actions whose keys stay longest on a narrow terminal (``?`` leads to every other key);
the others fill the room that is left, in their order."""


def _width(key: FooterKey) -> int:
    """Cells a compact key takes: ``s Status+`` and the space after it."""
    return len(key.key_display) + 1 + len(key.description) + 1


def _said(key: FooterKey) -> tuple[object, ...]:
    """What a key shows and does."""
    return (key.key, key.key_display, key.description, key.action, key.disabled, key.tooltip,
            key.has_class("-command-palette"))


class KeyFooter(Footer):
    """``Footer(compact=True)`` cut to whole keys: on a narrow terminal the keys that do not
    fit are left out (the palette's first) rather than run into each other.

    Drawn as Textual draws it, rebuilt at a fraction of the cost: Textual gives each key
    its ``-compact`` class from a watcher once the key is mounted, and each class change
    restyles the key through the whole stylesheet (~100 ms per rebuild of the footer, which
    happens on every change of the keys that apply). Here each key has the class from
    birth, so the watcher finds nothing to change.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._rebuilding = False
        self._width = 0
        """The terminal's width the keys were last chosen for."""
        self._shown: list[tuple[object, ...]] = []
        """What the keys shown say (``_said``)."""

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
        """Build the footer again, unless its keys would say the same (a change of focus
        or of keys that are not shown)."""
        self._rebuilding = False
        if self.is_attached and [_said(k) for k in self._keys(self.app.size.width)] != self._shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        """The keys Textual would show, as many as fit, in their order."""
        self._width = self.app.size.width
        keys = self._keys(self._width)
        self._shown = [_said(k) for k in keys]
        yield from keys

    def _keys(self, width: int) -> list[FooterKey]:
        """The keys to show on a terminal ``width`` wide."""
        keys = [k for k in super().compose() if isinstance(k, FooterKey)]
        palette = [k for k in keys if k.has_class("-command-palette")]
        keys = [k for k in keys if k not in palette]
        for key in keys:
            key.set_class(self.compact, "-compact", update=False)
        room = width - 1
        kept: list[FooterKey] = []
        for key in sorted(keys, key=lambda k: FIRST.index(k.action) if k.action in FIRST
                          else len(FIRST)):
            if _width(key) <= room:
                kept.append(key)
                room -= _width(key)
        shown = [k for k in keys if k in kept]
        if palette and room >= _width(palette[0]) + 1:  # its border takes a cell
            shown += palette
        return shown

    def on_resize(self, event: events.Resize) -> None:
        """Choose the keys again for a new width (not on the first resize, which gives the
        width they were chosen for: a rebuild while the store opens)."""
        if self.app.size.width != self._width:
            self.call_after_refresh(self.recompose)
