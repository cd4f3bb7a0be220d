"""The footer of the planner: Textual's, keeping to the keys that fit the width."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual is pinned exactly

FIRST = ("help", "quick_add", "undo", "status(1)", "edit", "filter")
"""Actions whose keys stay longest on a narrow terminal (``?`` leads to every other key);
the others fill the room that is left, in their order."""


def _width(key: FooterKey) -> int:
    """Cells a compact key takes: ``s Status+`` and the space after it."""
    return len(key.key_display) + 1 + len(key.description) + 1


class KeyFooter(Footer):
    """Textual's footer cut to whole keys: on a narrow terminal the keys that do not fit
    are left out (the palette's first) rather than run into each other."""

    def compose(self) -> ComposeResult:
        """The keys Textual would show, as many as fit, in their order."""
        keys = [k for k in super().compose() if isinstance(k, FooterKey)]
        palette = [k for k in keys if k.has_class("-command-palette")]
        keys = [k for k in keys if k not in palette]
        room = self.app.size.width - 1
        kept: list[FooterKey] = []
        for key in sorted(keys, key=lambda k: FIRST.index(k.action) if k.action in FIRST
                          else len(FIRST)):
            if _width(key) <= room:
                kept.append(key)
                room -= _width(key)
        yield from (k for k in keys if k in kept)
        if palette and room >= _width(palette[0]) + 1:  # its border takes a cell
            yield from palette

    def on_resize(self, event: events.Resize) -> None:
        """Choose the keys again for the new width."""
        self.call_after_refresh(self.recompose)
