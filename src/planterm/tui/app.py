"""The planterm application shell: it owns the store, the panes draw it.

The first frame holds the panes, the calendar showing this week from a glimpse of the
store (a few of its parts, read at once); the whole store is then opened before any key is
taken. When no glimpse can be had (a store missing, busy, of an older planterm), the
calendar says "loading…" and the store is opened in a thread worker meanwhile. Every write goes
through the session's ``History`` (so it can be undone) and is then announced to the panes
with one ``PlanChanged`` message; writes by other processes are picked up by a cheap poll.
What the planner says goes to one line under the panes, each message replacing the last
(over a dialog, one toast replaces the last), so that nothing piles up over the calendar.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher
from textual.worker import Worker, WorkerState

from planterm.agenda import local_text
from planterm.config import Settings, SettingsError, config_path
from planterm.history import History, HistoryError, Outcome
from planterm.model import Event, ModelError, Post, Status, utcnow
from planterm.sessions import Marker, Session
from planterm.storage import StoreBusy, StoreError
from planterm.store import BadDocuments, PostQuery, Store, StoreMissing
from planterm.text import inert
from planterm.triage import free_slot
from planterm.tui.commands import PaneCommands
from planterm.tui.keys import key_groups
from planterm.tui.messages import (
    LiveRequested,
    PeriodShown,
    PlanChanged,
    Said,
    ShowInCalendar,
    WhenIdle,
    WriteRequested,
)
from planterm.tui.screens.help import HelpScreen
from planterm.tui.widgets.calendar import CalendarPane
from planterm.tui.widgets.events_pane import EventsPane
from planterm.tui.widgets.header import PlanHeader
from planterm.tui.widgets.key_footer import KeyFooter
from planterm.tui.widgets.matrix_pane import MatrixPane
from planterm.tui.widgets.message_line import MessageLine
from planterm.tui.widgets.pane import NewPostPlace, Pane

CSS_FILE = Path(__file__).with_name("planterm.tcss")
"""Every style of the planner, parsed once with Textual's own at start."""

POLL_SECONDS = 0.5
"""How often the store file is looked at (a stat) for other processes' writes."""

HEARTBEAT_SECONDS = 60.0
"""How often this session's marker is touched, so others know it is alive."""

WRITE_LOCK_SECONDS = 0.25
"""How long a write from the planner waits for another process's lock; past that the
change waits in a queue and is retried, so keys never freeze behind a busy store."""

LIVE_AHEAD_DAYS = 8
"""The command palette offers live mode on the occurrences from today to a week ahead."""

IDLE_SECONDS = 1.0
"""Seconds without a key or a click that make a pause in the typing, when work that no key
should wait for is done (``PlantermApp._idle``)."""

RETRY_SECONDS = 1.0
"""How often changes waiting for a busy store are tried again."""

Pending = tuple[Post | None, Post | None, bool]
"""A change waiting for a busy store: before, after, typed in the editor."""


def _b(keys: str, action: str, description: str, id: str, tooltip: str,
       show: bool = False) -> Binding:
    """An app binding; its id is ``app.<id>`` (the key of the [keymap] setting)."""
    return Binding(keys, action, description, show=show, id=f"app.{id}", tooltip=tooltip)


class PlantermApp(App[None]):
    """The planner, over one store."""

    CSS_PATH = CSS_FILE
    COMMANDS = App.COMMANDS | {PaneCommands}
    # Textual types this as a plain attribute: a ClassVar annotation here fails mypy
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]  # noqa: RUF012
    """A tall terminal (120×40) shows a preview of the selection under the calendar."""
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("1", "pane('calendar')", "Calendar", "calendar", "Show the calendar"),
        _b("2", "pane('matrix')", "Matrix", "matrix", "Show the objectives × themes matrix"),
        _b("3", "pane('events')", "Events", "events", "Show the events"),
        _b("n", "new_post", "New", "new",
           "Write a new post in the editor (dated on the selected day)"),
        _b("a", "quick_add", "Add", "quick_add",
           "Add a post from one line of text (no date: on the selected day)", show=True),
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
        self._pending: list[Pending] = []
        """Changes not written yet because another process held the store's lock."""
        self._busy = ""
        """Who held the store's lock at the last busy write (``pid N on HOST``)."""
        self._retry_timer: Timer | None = None
        self.exit_message = ""
        """Why the planner could not go on (the store refused, …), said once it has quit."""
        self._poll_error = ""
        """The last error of the background poll, said once rather than every half second."""
        self._live = False
        """Live mode covers the panes: they are told of changes once it closes."""
        self._glimpsed = False
        """The calendar shows a glimpse of the store (``_glimpse``): the whole store is to
        be opened once that week is on screen, or at the first key if sooner."""
        self._last_input = 0.0
        """When the last key or click came (``monotonic``)."""
        self._thresholds: tuple[int, int, int] | None = None
        """The collector's thresholds before the planner deferred its full passes."""
        self._idle_work: list[Callable[[], object]] = []
        """What the panes asked to have done at the next pause in the typing."""
        self.title = inert(store_path.name)
        self.sub_title = "loading…"

    def get_default_screen(self) -> Screen[object]:
        """The planner's screen, with the class of the terminal's height from the start:
        given by the first resize instead, it restyled every widget (15-20 ms before the
        store could start opening). A resize still sets it, as on any screen."""
        screen = super().get_default_screen()
        height = self.size.height
        screen.add_class(*[name for at, name in sorted(self.VERTICAL_BREAKPOINTS)
                           if height >= at][-1:], update=False)
        return screen

    def compose(self) -> ComposeResult:
        # Everything in the first frame, styled once: the week replaces the calendar's
        # "loading…" as soon as the store is open (a second frame of panes, mounted and
        # styled after a first one, cost more than the whole store at 20,000 posts).
        yield PlanHeader()
        yield ContentSwitcher(
            CalendarPane(self.settings, self.now, id="calendar"),
            MatrixPane(self.settings, self.now, id="matrix"),
            EventsPane(self.settings, self.now, id="events"),
            initial="calendar", id="panes")
        yield MessageLine(id="message")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Apply the user's keys, give the calendar the keyboard, and draw this week from a
        glimpse of the store when it gives one (``_glimpse``); else open the store once
        the first frame is out."""
        self.set_keymap(self.settings.keymap)
        calendar = self.query_one(CalendarPane)
        calendar.focus()
        glimpse = self._glimpse(calendar.window())
        if glimpse is None:
            self.call_after_refresh(self.open_store)  # the parse then has the processor alone
        else:
            self._glimpsed = True  # the store is opened once the week is drawn from it
            calendar.post_message(PlanChanged(glimpse, None))

    def _glimpse(self, window: tuple[datetime, datetime]) -> Store | None:
        """The store read for the posts of ``window`` only (a few of its parts: tens of
        milliseconds where the whole takes hundreds), so that the first frame shows this
        week; None when it cannot be read so (missing, busy, damaged, an older file). It
        is only a head start: whatever fails here, the whole opening is tried as without it,
        and says what is wrong."""
        try:
            return Store(self.store_path, create=False, lock_timeout=0.0, within=window)
        except Exception:
            return None

    async def on_event(self, event: events.Event) -> None:
        """A key (or a click) that comes while the calendar shows a glimpse has the whole
        store opened first: none acts on a glimpse (it would at most see the glimpse's
        weeks, which hold every post of theirs: ``CalendarPane.window``)."""
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self._last_input = monotonic()
            if self._glimpsed:
                self._open_after_glimpse()
        await super().on_event(event)

    def _open_after_glimpse(self) -> None:
        """The week is on screen from a glimpse: open the whole store now, on this thread, so
        that the keys typed meanwhile wait for it and then act on the whole plan."""
        if not self._glimpsed:  # opened already (by a key, or an earlier call)
            return
        self._glimpsed = False
        try:
            store, others, backup = self._open(create=False)
        except Exception as e:  # as the worker's (``_worker_changed``): said
            self._refuse(e)
            return
        self._opened(store, others)
        if backup is not None:
            self.run_worker(backup, thread=True, group="backup", exit_on_error=False)

    def _open(self, create: bool) -> tuple[Store, list[Session], Callable[[], object] | None]:
        """The store opened (and if needed migrated) for the planner, the other sessions on
        it, and the day's first backup to write once the week is on screen."""
        store = Store(self.store_path, keep_backups=self.settings.backups, create=create)
        if create:
            store.compact()  # the user said yes: the new, empty store is on disk now
        backup = store.daily_backup_taker()  # of the store as it is now...
        others = self.marker.open()
        store.storage.lock_timeout = WRITE_LOCK_SECONDS
        store.storage.auto_compact = False  # folded in on quit, never under a key press
        return store, others, backup

    @work(thread=True, exit_on_error=False, group="store")
    def open_store(self, create: bool = False) -> None:
        """Open the store away from the screen's thread (it says "loading…" meanwhile).

        A missing store is created only once the user has said yes, so that a mistyped
        ``--store`` path creates nothing.
        """
        try:
            store, others, backup = self._open(create)
        except StoreMissing:
            self.call_from_thread(self._ask_create)
            return
        except (StoreError, OSError) as e:
            self.call_from_thread(self._refuse, e)
            return
        self.call_from_thread(self._opened, store, others)
        if backup is not None:
            backup()  # ...written once the week is on screen: a copy in the kernel

    def _ask_create(self) -> None:
        from planterm.tui.screens.confirm import ConfirmScreen

        gc.enable()  # off since planterm started (``cli.main``); the user may take a while

        def answer(yes: bool | None) -> None:
            if yes:
                self.open_store(create=True)
            else:
                self._leave(f"no store at {self.store_path}")

        self.push_screen(ConfirmScreen(f"There is no store at {self.store_path}. Create a new, "
                                       "empty one there?", "Create"), answer)

    def _refuse(self, error: BaseException) -> None:
        """The store cannot be opened: leave with its one-line reason (exit code 1)."""
        self._leave(str(error))

    def _leave(self, why: str) -> None:
        """Quit with exit code 1; the command line prints ``why`` as its one line."""
        self.exit_message = why
        self.exit(return_code=1)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every message, the panes' included: plain, inert text (messages quote stored
        titles, which must neither act on the terminal nor be read as markup). Posted, as
        Textual's own, so that any thread may call it."""
        text = f"{title}: {message}" if title else message
        self.post_message(Said(inert(text), severity, timeout))

    @on(Said)
    def _said(self, said: Said) -> None:
        """On a screen with a message line (the planner, a list of posts, live mode), it
        takes the message in place of the last one; over a dialog, one toast replaces the
        last."""
        lines = self.screen.query(MessageLine)
        if lines:
            lines.first().say(said.text, said.severity, said.timeout)
            return
        self.clear_notifications()
        super().notify(said.text, severity=said.severity, timeout=said.timeout, markup=False)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """No worker fails in silence: before the store is open, planterm leaves with the
        reason; afterwards the reason is shown and the planner stays."""
        error = event.worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        if self.store is None:
            self._refuse(error)
        else:
            self.notify(f"{type(error).__name__}: {error}", title="error",
                        severity="error")

    def _opened(self, store: Store, others: list[Session]) -> None:
        # The store's documents live as long as the session: taking them out of the
        # garbage collector's full scans keeps 50-100 ms pauses out of key presses. The
        # collector, off since planterm started (``cli.main``), then runs again, its full
        # passes left to a pause in the typing.
        gc.freeze()
        self._thresholds = gc.get_threshold()
        gc.set_threshold(*self._thresholds[:2], 1 << 30)
        gc.enable()
        self.set_interval(IDLE_SECONDS, self._idle, name="idle work")
        self.store = store
        self.history = History(store, self.settings)
        for warning in store.report.warnings:
            self.notify(warning, title="store", severity="warning")
        if store.report.backup:
            self.notify(f"migrated from version {store.report.migrated_from}; backup in "
                        f"{store.report.backup}", title="store")
        for other in others:
            self.notify(f"another planterm has this store open ({other.describe()}); "
                        "its changes show up here, and neither overwrites the other's",
                        title="shared store", severity="warning", timeout=15)
        self.set_interval(POLL_SECONDS, self._poll, name="poll store")
        self.set_interval(HEARTBEAT_SECONDS, self.marker.heartbeat, name="session heartbeat")
        self._announce(None)

    async def action_quit(self) -> None:
        """Quit; changes still waiting for a busy store are tried once more, and if the
        store is still busy the user is asked before they are dropped."""
        from planterm.tui.screens.confirm import ConfirmScreen

        if self._pending:
            self._retry()
        if not self._pending:
            self.exit()
            return
        n = len(self._pending)

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(f"{n} change{'s' * (n > 1)} could not be saved: the "
                                       f"store is busy (held by {self._busy}). Quit and drop "
                                       f"{'them' if n > 1 else 'it'}?", "Quit"), answer)

    @on(WhenIdle)
    def _when_idle(self, message: WhenIdle) -> None:
        self._idle_work.append(message.work)

    def _idle(self) -> None:
        """Once a second: at a pause in the typing, the work the panes left for it
        (``WhenIdle``), and the collector's full pass when it is due.

        The full pass comes as often as the collector would make it (once in ten passes
        over its middle generation), but at a pause: it walks every object the planner made
        since the store opened (15-80 ms at 20,000 posts, after a few dozen weeks and months
        drawn), which a key would otherwise wait for now and then. Keys that never pause
        meet it ten times less often than by default."""
        idle = monotonic() - self._last_input >= IDLE_SECONDS
        if idle:
            work, self._idle_work = self._idle_work, []
            for each in work:
                each()
        assert self._thresholds is not None  # set, with this timer, once the store opened
        due, every = gc.get_count()[2], self._thresholds[2]
        if due >= 10 * every or (due >= every and idle):
            gc.collect()

    def on_unmount(self) -> None:
        """Close the store cleanly: the journal is folded in, one JSON file remains."""
        if self._thresholds is not None:  # the collector as it was (the tests' process)
            gc.set_threshold(*self._thresholds)
        if self._retry_timer is not None:
            self._retry_timer.stop()
        if self.store is not None:
            self.store.close()
            self.marker.close()

    def _poll(self) -> None:
        """Show other processes' writes; only a stat unless something changed. A store
        that another process holds locked is skipped this turn, never waited for."""
        if self.store is None or not self.store.changed():
            return
        try:
            changed = self.store.refresh(wait=False)
        except BadDocuments as e:  # written into the file by hand or by another program
            self._leave(str(e))
            return
        except StoreError as e:
            if str(e) != self._poll_error:
                self._poll_error = str(e)
                self.notify(str(e), title="store", severity="error")
            return
        self._poll_error = ""
        if changed:
            self._announce(None)

    def _announce(self, focus: Post | None,
                  written: tuple[Post | None, Post | None] | None = None) -> None:
        """Tell every pane, and every screen above the planner, that the plan changed
        (those that list posts read them again; editors on top ignore it)."""
        assert self.store is not None
        # Under live mode the panes are hidden, and one drawn again there makes Textual
        # draw all of live mode again at each post logged: they catch up when it closes.
        panes = [] if self._live else [*self.query(Pane)]
        for node in [*panes, *self.screen_stack[1:]]:
            node.post_message(PlanChanged(self.store, focus, written))
        undo = self.history is not None and (self.history.can_undo, self.history.can_redo)
        if undo != self._undo_keys:  # the footer is rebuilt only when u / ^r come or go
            self._undo_keys = undo
            self.refresh_bindings()

    # --- writing -------------------------------------------------------------

    def _done(self, outcome: Outcome | None, alone: bool) -> None:
        """Say what was done and show it; ``alone`` when no other process wrote meanwhile."""
        if outcome is not None:
            self.notify(outcome.message, timeout=3)
            # a change to objectives or themes carries no post: the panes read the plan again
            written = (outcome.gone, outcome.post) if alone and not outcome.structure else None
            self._announce(outcome.post or outcome.gone, written)

    def change_structure(self, change: Callable[[History], Outcome]) -> bool:
        """Apply a change to objectives, themes or events (or a coverage plan's posts)
        through the history (undoable with ``u``, across panes) and show it; False when it
        was refused and said so.

        The store's rules (``ModelError``: a key taken, posts that use what is deleted)
        are left to the caller, to show beside what was typed. Unlike a post's change,
        one met by a busy store is not queued: it is said, and the screen keeps it.
        """
        if self.history is None or self.store is None:
            return False
        alone = not self.store.changed()
        try:
            self._done(change(self.history), alone)
        except (StoreError, HistoryError) as e:
            self.notify(f"not saved: {e}", severity="error")
            self._announce(None)  # show what the store holds now
            return False
        return True

    def write(self, before: Post | None, after: Post | None, edited: bool = False) -> None:
        """Write a change through the history (undoable); problems become notifications.

        A change typed in the editor or quick add (``edited``) is never lost: when it is
        refused (changed elsewhere, disk full, no permission) the editor opens again with
        the user's text. A store held by another process keeps the change in a queue that
        is retried every second, while the keys go on working.
        """
        if self.history is None or self.store is None:
            return
        if self._pending:  # behind changes already waiting, in the order they were made
            self._pending.append((before, after, edited))
            self._say_pending()
            return
        if not self._try(before, after, edited):
            self._pending.append((before, after, edited))
            self._say_pending()
            self._retry_later()

    def write_now(self, before: Post | None, after: Post | None) -> Post | None:
        """Write a change through the history at once (undoable) and show it; errors are
        raised, not queued: for a screen that keeps the user's text itself (live mode)."""
        assert self.history is not None and self.store is not None
        alone = not self.store.changed()
        outcome = self.history.apply(before, after)
        self._done(outcome, alone)
        return outcome.post

    def _retry_later(self) -> None:
        self._retry_timer = self.set_timer(RETRY_SECONDS, self._retry, name="retry busy store")

    def _try(self, before: Post | None, after: Post | None, edited: bool) -> bool:
        """Write one change; False only when the store is busy (to be tried again)."""
        assert self.history is not None and self.store is not None
        alone = not self.store.changed()  # if others wrote, the panes read the plan again
        try:
            self._done(self.history.apply(before, after), alone)
        except StoreBusy as e:
            self._busy = e.holder
            return False
        except (ModelError, StoreError, HistoryError) as e:
            self.notify(f"not saved: {e}", severity="error")
            self._announce(None)  # show what the store holds now
            if edited and after is not None:
                self._edit_again(after, "changed elsewhere" if isinstance(e, HistoryError)
                                 else "not saved")
        return True

    def _retry(self) -> None:
        """Try the waiting changes again, oldest first, until the store is busy again."""
        while self._pending:
            if not self._try(*self._pending[0]):
                self._say_pending()
                self._retry_later()
                return
            self._pending.pop(0)
        self.notify("the store is free again: every waiting change is saved", timeout=3)

    def _say_pending(self) -> None:
        n = len(self._pending)
        self.notify(f"store busy (held by {self._busy}): {n} change{'s' * (n > 1)} "
                    "waiting, tried again every second; u drops the last one",
                    title="not saved yet", severity="warning", timeout=RETRY_SECONDS * 2)

    def _edit_again(self, draft: Post, why: str) -> None:
        """Reopen the editor on the stored post with the user's version, so none is lost."""
        from planterm.tui.screens.editor import PostEditor

        assert self.store is not None
        current = self.store.get_post(draft.id) if draft.id is not None else None
        if current is None:  # new, or deleted elsewhere: what was typed can be a new post
            draft = replace(draft, id=None)

        def saved(post: Post | None) -> None:
            if post is not None:
                self.write(current, post, edited=True)

        self.push_screen(PostEditor(self.store, self.settings, current, self.now(), draft), saved)
        # said over the editor, where the user's eyes are now
        self.notify(f"{why}: your version is kept in the editor; ctrl+s tries again, Escape "
                    "drops it", title="kept", severity="warning")

    @on(LiveRequested)
    def _live_requested(self, message: LiveRequested) -> None:
        self.open_live(message.event, message.start)

    @on(ShowInCalendar)
    def _show_in_calendar(self, message: ShowInCalendar) -> None:
        self.action_pane("calendar")
        self.query_one(CalendarPane).show_post(message.post)

    @on(WriteRequested)
    def _write_requested(self, message: WriteRequested) -> None:
        self.write(message.before, message.after, message.edited)

    @on(PeriodShown)
    def _period_shown(self, message: PeriodShown) -> None:
        if self._glimpsed:  # the first week, drawn from a glimpse: open the store once it is out
            self.call_after_refresh(self._open_after_glimpse)
        self.sub_title = message.label
        # the planner's own screen, even when a dialog is on top of it (or it is closing)
        for line in self.screen_stack[0].query(MessageLine) if self.screen_stack else ():
            line.status = message.status

    def _saved(self, post: Post | None) -> None:
        if post is not None:
            self.write(None, post, edited=True)

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
        if undo and self._pending:  # the last change never reached the disk: drop it
            self._pending.pop()
            self.notify(f"dropped the change that was waiting; {len(self._pending)} still "
                        "waiting", timeout=3)
            return
        alone = self.store is not None and not self.store.changed()
        try:
            self._done(self.history.undo() if undo else self.history.redo(), alone)
        except (HistoryError, StoreError) as e:
            self.notify(str(e), severity="warning")
            self._announce(None)

    def _place(self) -> NewPostPlace:
        """What says where a new post lands: a screen of places on top (the matrix's gaps),
        else the pane shown."""
        if isinstance(self.screen, NewPostPlace):
            return self.screen
        pane = self.query_one("#panes", ContentSwitcher).visible_content
        return pane if isinstance(pane, Pane) else NewPostPlace()

    def _landing(self) -> datetime | None:
        """Where a new post without a typed date lands: on the selected day, at the first
        free half hour after its last post (``triage.free_slot``)."""
        day = self._place().landing_day()
        if day is None or self.store is None:
            return None
        tz = self.settings.tz
        start = datetime.combine(day, time(), tz)
        end = datetime.combine(day + timedelta(days=1), time(), tz)
        return free_slot(day, self.store.posts(PostQuery(start=start, end=end)), tz)

    def action_new_post(self) -> None:
        """Write a new post in the editor, dated on the selected day (tagged with the
        matrix's selected cell)."""
        from planterm.tui.screens.editor import PostEditor  # written alongside, loaded on use

        if self.store is not None:
            self.push_screen(PostEditor(self.store, self.settings, None, self.now(),
                                        when=self._landing(),
                                        tags=self._place().new_post_tags()), self._saved)

    def action_quick_add(self) -> None:
        """Add a post from one line of text; without a date, it lands on the selected day."""
        from planterm.tui.screens.quick_add import QuickAddScreen  # loaded on use

        if self.store is not None:
            self.push_screen(QuickAddScreen(self.store, self.settings, self.now(),
                                            self._landing()), self._saved)

    def action_structure(self) -> None:
        """Show the objectives and themes, to add, edit, archive, merge or delete them."""
        from planterm.tui.screens.structure import StructureScreen  # loaded on use

        if self.store is not None:
            self.push_screen(StructureScreen())

    def action_help(self) -> None:
        """Show every key, grouped by pane, read from the bindings."""
        self.push_screen(HelpScreen(key_groups(self.screen, self.settings.keymap)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The app's own actions, from its bindings, beside Textual's (theme, keys...),
        exports, imports, the report and backups, and live mode on each occurrence of the
        coming week."""
        yield from super().get_system_commands(screen)
        planner = key_groups(screen, {})[0]
        for key in planner.keys:
            if key.action != "quit" and planner.enabled(key):
                yield SystemCommand(key.description, key.tooltip,
                                    lambda action=key.action: self.run_action(action))
        if self.store is not None:
            from planterm.tui.screens import transfer  # loaded on use

            yield SystemCommand("Objectives and themes", "Add, edit, archive, merge or delete "
                                "the objectives and themes", self.action_structure)
            yield from transfer.commands(self)
        yield from self._live_commands()

    def _live_commands(self) -> Iterator[SystemCommand]:
        if self.store is None:
            return
        from planterm.events import listing, today_start  # loaded on use
        from planterm.templates import load_templates

        now = self.now()
        week = today_start(now, self.settings) + timedelta(days=LIVE_AHEAD_DAYS)
        for item in listing(self.store, self.settings, load_templates(), now, end=week):
            event, start = item.occurrence.event, item.occurrence.start
            yield SystemCommand(f"Live: {inert(event.title)} · "
                                f"{local_text(start, self.settings)}",
                                "Log posts live during this event (live mode)",
                                lambda e=event, s=start: self.open_live(e, s))

    def open_live(self, event: Event, start: datetime) -> None:
        """Live mode on one occurrence of an event, once its status is chosen (and, for an
        occurrence neither today nor running, once the user has said yes)."""
        from planterm import live
        from planterm.coverage import occurrence_end
        from planterm.tui.screens.live import LiveScreen, LiveStart, start_warning

        if event.cancelled:
            self.notify(f"'{event.title}' is cancelled: no live mode", severity="warning")
            return
        warning = start_warning(self.now(), start, occurrence_end(event, start),
                                self.settings.tz)

        def chosen(status: Status | None) -> None:
            if status is not None:
                channels = tuple(event.channels or self.settings.channels)
                self._live = True
                self.push_screen(LiveScreen(live.Setup(event, start, channels, status)),
                                 closed)

        def closed(_: None) -> None:
            self._live = False
            self._announce(None)  # the panes show what was logged (they kept their place)

        self.push_screen(LiveStart(event, local_text(start, self.settings), warning), chosen)


def _planner_classes() -> Iterator[type[DOMNode]]:
    """Every app, screen and widget class of the planner (its modules are imported)."""
    from planterm import tui

    for info in pkgutil.walk_packages(tui.__path__, f"{tui.__name__}."):
        importlib.import_module(info.name)
    todo: list[type[DOMNode]] = [DOMNode]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith(f"{tui.__name__}."):
            yield cls


def binding_ids() -> list[str]:
    """The ids a ``[keymap]`` may rebind: those the help screen shows next to each key."""
    return sorted({b.id for cls in _planner_classes()
                   for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", []))
                   if b.id is not None})


def check_keymap(settings: Settings) -> None:
    """``SettingsError`` (exit 2) for a ``[keymap]`` id that no key of the planner has."""
    if not settings.keymap:
        return
    known = binding_ids()
    for name in settings.keymap:
        if name not in known:
            # the keys on a post were calendar.* before the matrix's cells shared them
            moved = f"post.{name.removeprefix('calendar.')}"
            hint = f"; it is now {moved}" if name.startswith("calendar.") and \
                moved in known else f"; known: {', '.join(known)}"
            raise SettingsError(f"settings: keymap.{name} is not a binding id (in "
                                f"{config_path()}){hint}")


def make_app(store_path: Path, settings: Settings, *,
             now: Callable[[], datetime] | None = None) -> PlantermApp:
    """The one factory used by the command line and the tests; ``now`` fixes the clock."""
    return PlantermApp(store_path, settings, now or utcnow)
