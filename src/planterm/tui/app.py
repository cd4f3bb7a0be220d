"""The planterm application shell: it owns the store, the panes draw it.

The first frame holds only the header, a "loading…" line and the footer; the panes are
mounted after it and the store is opened in a thread worker, so that the planner shows
at once even on a large plan. Every write goes through the session's
``History`` (so it can be undone) and is then announced to the panes with one
``PlanChanged`` message; writes by other processes are picked up by a cheap poll.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, Static

from planterm.config import Settings
from planterm.history import History, HistoryError, Outcome
from planterm.model import ModelError, Post, utcnow
from planterm.sessions import Marker, Session
from planterm.storage import StoreError
from planterm.store import Store
from planterm.tui.commands import PaneCommands
from planterm.tui.keys import key_groups
from planterm.tui.messages import PeriodShown, PlanChanged, WriteRequested
from planterm.tui.screens.help import HelpScreen
from planterm.tui.widgets.calendar import CalendarPane
from planterm.tui.widgets.pane import ComingSoon, Pane

CSS_FILE = Path(__file__).with_name("planterm.tcss")
"""Every style of the planner, read after the first frame (see ``_build``)."""

POLL_SECONDS = 0.5
"""How often the store file is looked at (a stat) for other processes' writes."""

HEARTBEAT_SECONDS = 60.0
"""How often this session's marker is touched, so others know it is alive."""


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """An app binding; its id is ``app.<id>`` (the key of the [keymap] setting)."""
    return Binding(keys, action, description, show=show, id=f"app.{id}", tooltip=tooltip)


class PlantermApp(App[None]):
    """The planner, over one store."""

    COMMANDS = App.COMMANDS | {PaneCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("1", "pane('calendar')", "Calendar", "calendar", "Show the calendar"),
        _b("2", "pane('matrix')", "Matrix", "matrix", "Show the objectives × themes matrix"),
        _b("3", "pane('events')", "Events", "events", "Show the events"),
        _b("n", "new_post", "New", "new", "Write a new post in the editor"),
        _b("a", "quick_add", "Add", "quick_add", "Add a post from one line of text", show=True),
        _b("u", "undo", "Undo", "undo", "Undo the last change", show=True),
        _b("ctrl+r", "redo", "Redo", "redo", "Redo the last undone change"),
        _b("question_mark", "help", "Help", "help", "Every key, by pane", show=True),
        _b("q", "quit", "Quit", "quit", "Quit planterm (everything is already saved)"),
    ]

    def __init__(self, store_path: Path, settings: Settings,
                 now: Callable[[], datetime]) -> None:
        super().__init__()
        self.store_path = store_path
        self.settings = settings
        self.now = now
        self.store: Store | None = None
        self.history: History | None = None
        self.marker = Marker(store_path)
        self._undo_keys: tuple[bool, bool] | bool = False
        """Whether undo and redo applied when the footer was last drawn."""
        self.title = store_path.name
        self.sub_title = "loading…"

    def compose(self) -> ComposeResult:
        # The first frame is as light as a minimal app; the panes come right after it.
        yield Header()
        yield Static("loading…", id="starting")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Apply the user's keys; once the first frame is out, add the panes, open the store."""
        self.set_keymap(self.settings.keymap)
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        # Parsing planterm.tcss is a fifth of a minimal first frame, and the first frame
        # needs none of it: read it now, with the panes that use it.
        self.stylesheet.read(CSS_FILE)
        self.refresh_css(animate=False)
        panes = ContentSwitcher(
            CalendarPane(self.settings, self.now, id="calendar"),
            ComingSoon("Matrix", "Objectives × themes for a period, with targets and gaps.",
                       id="matrix"),
            ComingSoon("Events", "Events with their coverage plans, and live mode.",
                       id="events"),
            initial="calendar", id="panes")
        await self.query_one("#starting").remove()
        await self.mount(panes, before=self.query_one(Footer))
        self.query_one(CalendarPane).focus()
        self.open_store()

    @work(thread=True, exit_on_error=False, group="store")
    def open_store(self) -> None:
        """Open (and if needed migrate) the store away from the screen's thread."""
        try:
            store = Store(self.store_path, keep_backups=self.settings.backups)
            store.daily_backup()
            others = self.marker.open()
        except (StoreError, OSError) as e:
            self.call_from_thread(self.exit, return_code=1, message=f"planterm: {e}")
            return
        self.call_from_thread(self._opened, store, others)

    def _opened(self, store: Store, others: list[Session]) -> None:
        # The store's documents live as long as the session: taking them out of the
        # garbage collector's full scans keeps 50-100 ms pauses out of key presses.
        gc.freeze()
        self.store = store
        self.history = History(store, self.settings)
        for warning in store.report.warnings:
            self.notify(warning, title="store", severity="warning")
        if store.report.backup:
            self.notify(f"migrated from version {store.report.migrated_from}; backup in "
                        f"{store.report.backup}", title="store")
        for other in others:
            self.notify(f"another planterm has this store open ({other.describe()}); its "
                        "changes show up here, and neither overwrites the other's",
                        title="shared store", severity="warning", timeout=15)
        self.set_interval(POLL_SECONDS, self._poll, name="poll store")
        self.set_interval(HEARTBEAT_SECONDS, self.marker.heartbeat, name="session heartbeat")
        self._announce(None)

    def on_unmount(self) -> None:
        """Close the store cleanly: the journal is folded in, one JSON file remains."""
        if self.store is not None:
            self.store.close()
            self.marker.close()

    def _poll(self) -> None:
        """Show other processes' writes; only a stat unless something changed."""
        if self.store is not None and self.store.changed() and self.store.refresh():
            self._announce(None)

    def _announce(self, focus: Post | None,
                  written: tuple[Post | None, Post | None] | None = None) -> None:
        """Tell every pane that the plan changed (editors on top are left alone)."""
        assert self.store is not None
        for pane in self.query(Pane):
            pane.post_message(PlanChanged(self.store, focus, written))
        undo = self.history is not None and (self.history.can_undo, self.history.can_redo)
        if undo != self._undo_keys:  # the footer is rebuilt only when u / ^r come or go
            self._undo_keys = undo
            self.refresh_bindings()

    # --- writing -------------------------------------------------------------

    def _done(self, outcome: Outcome | None, alone: bool) -> None:
        """Say what was done and show it; ``alone`` when no other process wrote meanwhile."""
        if outcome is not None:
            self.notify(outcome.message, timeout=3)
            written = (outcome.gone, outcome.post) if alone else None
            self._announce(outcome.post or outcome.gone, written)

    def write(self, before: Post | None, after: Post | None, edited: bool = False) -> None:
        """Write a change through the history (undoable); problems become notifications.

        When the post was changed elsewhere while it was ``edited`` in the editor, the
        editor opens again on the stored version with the user's text still in it.
        """
        if self.history is None or self.store is None:
            return
        # a write first takes in what other processes wrote; if they did, panes re-read
        alone = not self.store.changed()
        try:
            self._done(self.history.apply(before, after), alone)
        except (ModelError, StoreError, HistoryError) as e:
            self.notify(f"not saved: {e}", severity="error")
            self._announce(None)  # show what the store holds now
            if edited and after is not None and isinstance(e, HistoryError):
                self._edit_again(after)

    def _edit_again(self, draft: Post) -> None:
        """Reopen the editor on the stored post with the user's version, so none is lost."""
        from planterm.tui.screens.editor import PostEditor

        assert self.store is not None and draft.id is not None
        current = self.store.get_post(draft.id)
        if current is None:  # deleted elsewhere: what was typed can still be a new post
            draft = replace(draft, id=None)
        self.notify("your version is kept in the editor: ctrl+s saves it over the other "
                    "one, Escape drops it", title="changed elsewhere", severity="warning")

        def saved(post: Post | None) -> None:
            if post is not None:
                self.write(current, post, edited=True)

        self.push_screen(PostEditor(self.store, self.settings, current, self.now(), draft), saved)

    @on(WriteRequested)
    def _write_requested(self, message: WriteRequested) -> None:
        self.write(message.before, message.after, message.edited)

    @on(PeriodShown)
    def _period_shown(self, message: PeriodShown) -> None:
        self.sub_title = message.label

    def _saved(self, post: Post | None) -> None:
        if post is not None:
            self.write(None, post)

    # --- actions -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what does not apply: writing before the store is open, an empty undo."""
        if action in ("new_post", "quick_add"):
            return self.store is not None
        if action == "undo":
            return self.history is not None and self.history.can_undo
        if action == "redo":
            return self.history is not None and self.history.can_redo
        return True

    def action_pane(self, pane: str) -> None:
        """Switch to a pane and give it the keyboard."""
        self.query_one("#panes", ContentSwitcher).current = pane
        self.query_one(f"#{pane}", Pane).focus()

    def action_undo(self) -> None:
        """Undo the session's last change, whichever pane made it."""
        self._history_step(undo=True)

    def action_redo(self) -> None:
        """Redo the last undone change."""
        self._history_step(undo=False)

    def _history_step(self, undo: bool) -> None:
        if self.history is None:
            return
        alone = self.store is not None and not self.store.changed()
        try:
            self._done(self.history.undo() if undo else self.history.redo(), alone)
        except (HistoryError, StoreError) as e:
            self.notify(str(e), severity="warning")
            self._announce(None)

    def action_new_post(self) -> None:
        """Write a new post in the editor."""
        from planterm.tui.screens.editor import PostEditor  # written alongside, loaded on use

        if self.store is not None:
            self.push_screen(PostEditor(self.store, self.settings, None, self.now()), self._saved)

    def action_quick_add(self) -> None:
        """Add a post from one line of text."""
        from planterm.tui.screens.quick_add import QuickAddScreen  # loaded on use

        if self.store is not None:
            self.push_screen(QuickAddScreen(self.store, self.settings, self.now()), self._saved)

    def action_help(self) -> None:
        """Show every key, grouped by pane, read from the bindings."""
        self.push_screen(HelpScreen(key_groups(self.screen, self.settings.keymap)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The app's own actions, from its bindings, beside Textual's (theme, keys...)."""
        yield from super().get_system_commands(screen)
        planner = key_groups(screen, {})[0]
        for key in planner.keys:
            if key.action != "quit" and planner.enabled(key):
                yield SystemCommand(key.description, key.tooltip,
                                    lambda action=key.action: self.run_action(action))


def make_app(store_path: Path, settings: Settings, *,
             now: Callable[[], datetime] | None = None) -> PlantermApp:
    """The one factory used by the command line and the tests; ``now`` fixes the clock."""
    return PlantermApp(store_path, settings, now or utcnow)
