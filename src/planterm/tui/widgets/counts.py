"""Per-channel character counters: how a post's text fits each of its networks."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from planterm import channels
from planterm.model import Post
from planterm.readiness import outgoing_text

_GAP = 3
"""Blank cells between two counters on a row."""


def counter(fit: channels.Fit) -> Content:
    """One counter, e.g. ``X 291/280 ⚠ -11``: past the limit, a sign as well as a colour."""
    abbr = channels.networks()[fit.network].abbr
    parts: list[Content] = [Content.styled(abbr, "bold"), Content(f" {fit.count}/{fit.limit} ")]
    if fit.count > fit.limit:
        parts.append(Content.styled(f"⚠ {fit.remaining}", "bold $text-error"))
    else:
        parts.append(Content.styled(f"{fit.remaining} left", "$text-muted"))
    if fit.too_many_hashtags:
        parts.append(Content.styled(f" ⚠ #{fit.hashtags}/{fit.max_hashtags}", "bold $text-error"))
    return Content("").join(parts)


class ChannelCounts(Widget):
    """Counters for every channel of a post, laid out in as many columns as fit the width."""

    DEFAULT_CSS = """
    ChannelCounts { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._cells: list[Content] = []
        self.fits: list[channels.Fit] = []
        """How the post fits each of its channels, in the post's channel order."""

    def show(self, post: Post) -> None:
        """Count the post's text again (its body, or its variant, and its hashtags)."""
        self.fits = [channels.fit(outgoing_text(post, ch), ch) for ch in post.channels]
        self._cells = [counter(fit) for fit in self.fits]
        self.set_class(any(fit.over for fit in self.fits), "-over")
        self.refresh(layout=True)

    def _columns(self, width: int) -> int:
        widest = max((cell.cell_length for cell in self._cells), default=1) + _GAP
        return max(1, (width + _GAP) // widest)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as the counters need at this width."""
        columns = self._columns(width)
        return max(1, -(-len(self._cells) // columns))

    def render(self) -> Content:
        """The counters in aligned columns, or a hint when the post has no channel."""
        if not self._cells:
            return Content.styled("No channel yet: add one to see the counts.", "$text-muted")
        columns = self._columns(self.content_size.width)
        width = max(cell.cell_length for cell in self._cells)
        rows = [self._cells[i : i + columns] for i in range(0, len(self._cells), columns)]
        gap = " " * _GAP
        return Content("\n").join(
            Content(gap).join(cell.pad_right(width - cell.cell_length) for cell in row).rstrip()
            for row in rows
        )
