"""Live mode's list of the posts logged, newest first, drawn line by line.

A post logged puts a line at the top. The list fills the room the screen gives it, and
its size never depends on its lines: the post is shown by drawing the list's region
again, never by laying out the screen. (OptionList, used before, laid out the whole
screen at each post: its scrollable height is a reactive that asks for a layout; and it
forgot its lines at each ``set_options``.) Each post's line is drawn once, kept by its
text, style and width, and a row of the list is one look-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

from planterm.text import inert

LONGEST = 400
"""Characters of a post's line drawn at most (it wraps over a few rows)."""


class LoggedList(ScrollView, can_focus=True):
    """The posts' lines, newest first, each wrapped to the width; the arrows move a
    highlight (the post ``e`` edits). Stored text is drawn inert."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Down", id="logged.down", show=False,
                tooltip="Highlight the post below (an older one)"),
        Binding("up,k", "move(-1)", "Up", id="logged.up", show=False,
                tooltip="Highlight the post above (a newer one)"),
        Binding("pagedown", "page(1)", "Page down", id="logged.page_down", show=False,
                tooltip="Highlight the post a page below"),
        Binding("pageup", "page(-1)", "Page up", id="logged.page_up", show=False,
                tooltip="Highlight the post a page above"),
        Binding("home", "first", "Newest", id="logged.first", show=False,
                tooltip="Highlight the newest post"),
        Binding("end", "last", "Oldest", id="logged.last", show=False,
                tooltip="Highlight the oldest post"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"logged-list--highlighted"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: tuple[str, ...] = ()
        """What is shown, newest first, as given (drawn inert)."""
        self.highlighted: int | None = None
        """The index in ``lines`` of the highlighted post, if any."""
        self._drawn: LRUCache[tuple[str, Style, int], list[Strip]] = LRUCache(1024)
        self._drawn_with = (Style(), 0)
        """The style and width the posts are drawn with now (the tint follows the focus)."""
        self._posts: list[list[Strip]] = []
        """The rows of each post, drawn with that style at the list's width."""
        self._rows: list[tuple[int, int]] = []
        """Each row of the list: the post's index, the row within the post."""

    def show(self, lines: Sequence[str]) -> None:
        """Show these lines, newest first, from the top, none highlighted."""
        self.lines = tuple(lines)
        self.highlighted = None
        self._arrange()
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def _arrange(self) -> None:
        """Each post's rows at this width (a long post wraps over several)."""
        width = self.scrollable_content_region.width
        style = self.get_visual_style()
        self._drawn_with = (style, width)
        self._posts = [self._strips(line, style, width) for line in self.lines] \
            if width > 0 else []
        self._rows = [(index, n) for index, strips in enumerate(self._posts)
                      for n in range(len(strips))]
        size = Size(width, len(self._rows))
        if size != self.virtual_size:
            # As Widget._size_updated does without layout: assigned, the reactive would lay
            # out the screen. A scrollbar coming or going lays it out itself, and changes
            # the width the posts are wrapped to.
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
            if self.scrollable_content_region.width != width:
                self._arrange()

    def _strips(self, line: str, style: Style, width: int) -> list[Strip]:
        key = (line, style, width)
        strips = self._drawn.get(key)
        if strips is None:
            content = Content(inert(line)).truncate(LONGEST)
            strips = self._drawn[key] = [
                strip.extend_cell_length(width, style.rich_style)
                for strip in Visual.to_strips(self, content, width, None, style)]
        return strips

    def _on_resize(self, event: events.Resize) -> None:
        self._arrange()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows in ``crop``; the posts drawn again first if the focus changed their tint
        (or a frame comes before the Resize event)."""
        if self._drawn_with != (self.get_visual_style(), self.scrollable_content_region.width):
            self._arrange()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """One row of the list: a post's row, or blank below the last post."""
        style, width = self._drawn_with
        row = self.scroll_offset.y + y
        if row >= len(self._rows):
            return Strip.blank(width, style.rich_style)
        index, n = self._rows[row]
        if index == self.highlighted:
            return self._strips(self.lines[index],
                                self.get_visual_style("logged-list--highlighted"), width)[n]
        return self._posts[index][n]

    # --- keys -----------------------------------------------------------------------

    def _highlight(self, index: int) -> None:
        """Highlight the post at ``index`` and scroll it into view."""
        self.highlighted = index
        self.refresh()
        first = self._rows.index((index, 0))
        self.scroll_to_region(Region(0, first, self.virtual_size.width,
                                     len(self._posts[index])),
                              animate=False, force=True, immediate=True)

    def action_move(self, delta: int) -> None:
        """Highlight the next post (``delta`` 1) or the one before (-1), round the ends."""
        if not self._posts:
            return
        if self.highlighted is None:
            self._highlight(0 if delta > 0 else len(self._posts) - 1)
        else:
            self._highlight((self.highlighted + delta) % len(self._posts))

    def action_page(self, direction: int) -> None:
        """Highlight the post a page of rows below (1) or above (-1)."""
        if not self._posts:
            return
        if self.highlighted is None:
            self._highlight(0 if direction < 0 else len(self._posts) - 1)
            return
        row = self._rows.index((self.highlighted, 0)) \
            + direction * self.scrollable_content_region.height
        self._highlight(self._rows[max(0, min(row, len(self._rows) - 1))][0])

    def action_first(self) -> None:
        """Highlight the newest post."""
        if self._posts:
            self._highlight(0)

    def action_last(self) -> None:
        """Highlight the oldest post."""
        if self._posts:
            self._highlight(len(self._posts) - 1)
