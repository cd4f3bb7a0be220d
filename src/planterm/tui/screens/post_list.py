"""A list of posts (a matrix cell's, a gap's) where the calendar's triage keys work.

The screen is given a title and a way to read its posts from the store; it reads them
again whenever the plan changes, so a post that no longer belongs (its theme changed,
it was moved out of the period, deleted) leaves the list, and one that now belongs
comes in. Every change goes through the app's history: ``u`` undoes it here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planterm.agenda import post_line
from planterm.model import Post
from planterm.readiness import WARN_MARK, problems
from planterm.store import Store
from planterm.text import inert
from planterm.tui.messages import PlanChanged
from planterm.tui.widgets.key_footer import KeyFooter
from planterm.tui.widgets.list_cursor import ListCursor
from planterm.tui.widgets.message_line import MessageLine
from planterm.tui.widgets.plain import plain
from planterm.tui.widgets.triage_keys import TRIAGE_BINDINGS, TriageKeys

if TYPE_CHECKING:
    from planterm.tui.app import PlantermApp


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """A binding of the list; its id is ``posts.<id>`` (the key of the [keymap] setting)."""
    return Binding(keys, action, description, show=show, id=f"posts.{id}", tooltip=tooltip)


class PostListScreen(ListCursor, TriageKeys, Screen[Post | None]):
    """Posts under a title, one a line; the triage keys act on the highlighted one (it
    dismisses with None; a screen built on it may dismiss with a post)."""

    TITLE = "posts"
    """The group the help screen lists these keys under."""
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("escape", "back", "Back", "back", "Back to where the list was opened", show=True),
        _b("down,j", "cursor(1)", "Down", "down", "Next post"),
        _b("up,k", "cursor(-1)", "Up", "up", "Previous post"),
        _b("enter", "open", "Open", "open", "Show the post in full"),
        *TRIAGE_BINDINGS,
    ]

    def __init__(self, title: str, load: Callable[[Store], list[Post]]) -> None:
        super().__init__()
        self.heading = title
        self.load = load
        """Reads the posts to list, in the order they are shown."""
        self.posts: list[Post] = []
        self.store = None

    @property
    def planner(self) -> PlantermApp:
        """The app, with its store, settings and clock."""
        return cast("PlantermApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="posts-title")
        yield OptionList(id="posts", compact=True)
        yield Static("No post here (any more) · Escape goes back", id="posts-none")
        yield Static(id="posts-problems")
        yield MessageLine(id="posts-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Read the posts; the list takes the keyboard."""
        planner = self.planner
        self.settings, self.now = planner.settings, planner.now
        if planner.store is not None:
            self.show(planner.store)
        self.query_one(OptionList).focus()

    @on(PlanChanged)
    def _plan_changed(self, message: PlanChanged) -> None:
        self.show(message.store, message.focus)

    def show(self, store: Store, focus: Post | None = None) -> None:
        """Read the posts again and list them, keeping the highlight on the same post (or
        on ``focus``, the post a change was about, when it is listed)."""
        self.store = store
        listing = self.query_one(OptionList)
        before = self.highlighted()
        at = listing.highlighted or 0
        self.posts = self.load(store)
        listing.set_options(Option(Content(post_line(p, self.settings))) for p in self.posts)
        ids = [p.id for p in self.posts]
        for wanted in (focus, before):
            if wanted is not None and wanted.id in ids:
                at = ids.index(wanted.id)
                break
        listing.highlighted = min(at, len(self.posts) - 1) if self.posts else None
        count = len(self.posts)
        self.query_one("#posts-title", Static).update(
            plain(f"{self.heading} · {count} post{'s' * (count != 1)}"))
        self.set_class(not self.posts, "-empty")
        self._show_problems()

    def highlighted(self) -> Post | None:
        """The highlighted post, if any."""
        at = self.query_one(OptionList).highlighted
        return self.posts[at] if at is not None and at < len(self.posts) else None

    @on(OptionList.OptionHighlighted)
    def _show_problems(self) -> None:
        post = self.highlighted()
        found = problems(post) if post is not None else []
        self.query_one("#posts-problems", Static).update(
            Content.styled(inert(f"{WARN_MARK} {'; '.join(found)}"), "$text-warning")
            if found else "")

    def selected_post(self) -> Post | None:
        """The highlighted post; in an empty list, a word saying so."""
        post = self.highlighted()
        if post is None:
            self.notify("no post here: Escape goes back, n writes one", severity="warning")
        return post

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        self.action_open()  # through the name, so that a screen built on this one decides

    def action_open(self) -> None:
        """Show the highlighted post in full."""
        if (post := self.selected_post()) is not None:
            self.open_post(post)

    def action_back(self) -> None:
        """Back to where the list was opened."""
        self.dismiss()
