"""Exports, imports, the handover report, backups and restores in the planner.

Each is a command of the palette that asks for a path (with a default), then does the
command line's work (``interop.jobs``) in a thread while the keys go on working; past a
second, the message line says how long it has been at it; it ends with a notification
naming the file written or the counts imported.

The thread reads the store as another process would: a read-only ``Store`` of its own,
from the disk (where every change of the planner already is), so that nothing in the
planner's own store is touched from a second thread. What an import or a restore writes
goes through the planner's store on the screen's thread: an import as one step of the
history (``u`` takes it all back), then the panes show the new plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Static

from planterm import backups
from planterm.history import History, Outcome
from planterm.interop import backup, jobs, report
from planterm.interop.common import BadFile, Incoming
from planterm.model import ModelError
from planterm.storage import StoreError, Tables, atomic_write
from planterm.store import Store
from planterm.templates import load_templates
from planterm.tui.widgets.inert_input import InertInput
from planterm.tui.widgets.plain import plain

if TYPE_CHECKING:
    from planterm.tui.app import PlantermApp

ENTER = {"export": "write this file", "report": "write this file",
         "backup": "write this file", "import": "import this file",
         "restore": "replace the whole plan with this backup"}
"""What Enter does on the path, said under it."""

SHOWN = 50
"""Refused rows listed one by one; the rest are counted."""


@dataclass(frozen=True, slots=True)
class Transfer:
    """One command of the palette: what it does, and to which kind of file."""

    name: str
    help: str
    does: Literal["export", "report", "backup", "import", "restore"]
    suffix: Literal["ics", "csv", "json", "html"]
    doing: str
    """What the message line says while it runs: ``exporting to``."""

    @property
    def reads(self) -> bool:
        """Whether the path is a file to read (else one to write)."""
        return self.does in ("import", "restore")


TRANSFERS = (
    Transfer("Export to iCalendar", "Every event and dated post as an .ics file, for the "
             "team's calendar apps", "export", "ics", "exporting to"),
    Transfer("Export to CSV", "Every post as a CSV file, for spreadsheets", "export", "csv",
             "exporting to"),
    Transfer("Export to JSON", "The whole plan as plain JSON, for other tools", "export",
             "json", "exporting to"),
    Transfer("Handover report", "The handover report as one HTML file (Markdown when the "
             "path ends in .md)", "report", "html", "writing the report to"),
    Transfer("Backup", "A snapshot of the whole store, which 'Restore a backup' takes back",
             "backup", "json", "backing up to"),
    Transfer("Import CSV", "Posts from a spreadsheet's CSV file; u undoes the whole import",
             "import", "csv", "importing"),
    Transfer("Import iCalendar", "Events from an agenda's .ics file; u undoes the whole "
             "import", "import", "ics", "importing"),
    Transfer("Restore a backup", "Put a backup in place of the whole plan; the store as it "
             "is now is kept as a backup first (not undone with u)", "restore", "json",
             "reading"),
)
"""Every export, import, report and backup, in the order the palette lists them."""


def shown(path: Path) -> str:
    """``path`` as the user reads it: under the home folder, with ``~``."""
    home = Path.home()
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)


def default_path(transfer: Transfer, app: PlantermApp) -> str:
    """Where a file goes (or comes from) unless the user types otherwise: a dated file in
    the home folder; the store's newest backup to restore; the home folder to import."""
    if transfer.does == "import":
        return "~/"
    if transfer.does == "restore":
        kept = backups.listing(app.store_path)
        return shown(kept[-1]) if kept else "~/"
    day = app.now().astimezone(app.settings.tz).date()
    name = {"export": "export", "report": "report", "backup": "backup"}[transfer.does]
    return f"~/planterm-{name}-{day.isoformat()}.{transfer.suffix}"


def commands(app: PlantermApp) -> list[SystemCommand]:
    """The palette's commands, one per ``Transfer``."""
    return [SystemCommand(t.name, t.help, partial(ask, app, t)) for t in TRANSFERS]


def ask(app: PlantermApp, transfer: Transfer) -> None:
    """Ask for the path, then run the transfer on it."""
    def chosen(path: Path | None) -> None:
        if path is not None:
            run(app, transfer, path)

    app.push_screen(PathPrompt(transfer, default_path(transfer, app)), chosen)


def path_problem(transfer: Transfer, path: Path) -> str:
    """What keeps ``path`` from being used, in words; empty when it can be."""
    if transfer.reads:
        if path.is_dir():
            return f"{shown(path)} is a folder; type a file's name"
        return "" if path.is_file() else f"{shown(path)}: no such file"
    if path.is_dir():
        return f"{shown(path)} is a folder; type a file's name"
    if not path.parent.is_dir():
        return f"{shown(path.parent)}: no such folder"
    return ""


class PathPrompt(ModalScreen[Path | None]):
    """Asks for the path of the file to write or read, its default typed in; dismisses
    with the path (``~`` expanded), or None on Escape. A file that exists is replaced only
    after a second Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="transfer.cancel",
                tooltip="Close without doing it"),
    ]

    def __init__(self, transfer: Transfer, default: str) -> None:
        super().__init__()
        self.transfer = transfer
        self.default = default
        self._replacing: Path | None = None
        """A file that exists, which a second Enter on the same path replaces."""

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-frame", classes="dialog") as frame:
            frame.border_title = self.transfer.name
            yield Static(plain(self.transfer.help), classes="hint")
            yield InertInput(self.default, id="transfer-path")
            yield Static(id="transfer-error")
            yield Static(f"Enter {ENTER[self.transfer.does]} · Escape cancel · ~ is your "
                         "home folder", classes="hint")

    def on_mount(self) -> None:
        """The path has the keyboard (its default selected: typing replaces it)."""
        self.query_one("#transfer-error", Static).display = False
        self.query_one(InertInput).focus()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._fail("type the path of a file")
            return
        path = Path(text).expanduser().absolute()
        problem = path_problem(self.transfer, path)
        if not problem and not self.transfer.reads and path.exists() \
                and self._replacing != path:
            self._replacing = path
            problem = f"{shown(path)} exists: Enter again replaces it"
        if problem:
            self._fail(problem)
            return
        self.dismiss(path)

    def _fail(self, message: str) -> None:
        error = self.query_one("#transfer-error", Static)
        error.update(plain(message))
        error.display = True


class ProblemsScreen(ModalScreen[None]):
    """What a refused import refused, row by row (or component by component)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "dismiss", "Back", id="problems.back",
                tooltip="Back to the planner"),
        Binding("down,j", "scroll('down')", "Down", id="problems.down", tooltip="Scroll down"),
        Binding("up,k", "scroll('up')", "Up", id="problems.up", tooltip="Scroll up"),
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-box", classes="dialog") as box:
            box.border_title = "Nothing was imported"
            yield Static(plain(self.title_text), id="problems-title")
            for line in self.lines:
                yield Static(plain(line), classes="problem")
            yield Static("Fix the file and import it again · Escape: back", classes="hint")

    def action_scroll(self, direction: str) -> None:
        """Scroll the list."""
        box = self.query_one(VerticalScroll)
        box.scroll_relative(y=1 if direction == "down" else -1, animate=False)


class Ticker:
    """Past a second of work, the message line says what is being done and for how long,
    every second, until ``stop``."""

    def __init__(self, app: PlantermApp, doing: str) -> None:
        self.app = app
        self.doing = doing
        self.started = time.monotonic()
        self.timer: Timer | None = app.set_interval(1.0, self._tick, name="transfer progress")

    def _tick(self) -> None:
        seconds = round(time.monotonic() - self.started)
        self.app.notify(f"{self.doing}… {seconds} s (the keys go on working)", timeout=2)

    def stop(self) -> None:
        """The work is over: no more ticks (before its result is said)."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None


Then = Callable[[], object]
"""What to do on the screen's thread once the thread's work is over."""


def run(app: PlantermApp, transfer: Transfer, path: Path) -> None:
    """Do ``transfer`` on ``path`` in a thread; the keys go on working meanwhile."""
    ticker = Ticker(app, f"{transfer.doing} {shown(path)}")
    app.run_worker(partial(_work, app, transfer, path, ticker), name=transfer.name,
                   group="transfer", thread=True, exit_on_error=False)


def _work(app: PlantermApp, transfer: Transfer, path: Path, ticker: Ticker) -> None:
    """The thread: the work, then its result said (or written) on the screen's thread. A
    refusal the user can act on (a file, a row, a full disk) is said in words; anything
    else reaches the app's handler of failed workers, which says it too."""
    try:
        then = _outcome(app, transfer, path)
    except (OSError, StoreError, BadFile, ModelError) as e:
        why = e.strerror or str(e) if isinstance(e, OSError) else str(e)
        then = partial(app.notify, f"{transfer.name}: {why}", severity="error")
    finally:
        app.call_from_thread(ticker.stop)  # before the result: a late tick would hide it
    app.call_from_thread(then)


def _outcome(app: PlantermApp, transfer: Transfer, path: Path) -> Then:
    """Do the work with a read-only store of this thread's own; what to do next."""
    settings = app.settings
    store = Store(app.store_path, readonly=True, create=False)
    if transfer.does == "export":
        made = jobs.export(cast(jobs.Kind, transfer.suffix), store, settings)
    elif transfer.does == "report":
        first, last = report.default_period(store, settings, app.now())
        made = jobs.report_file(store, settings, first, last, path.suffix.lower() not in
                                (".md", ".markdown"), app.now(), load_templates())
    elif transfer.does == "backup":
        done = backup.write_backup(store, path, settings.backups)
        return partial(app.notify, f"{shown(done)}: backed up the whole plan "
                                   f"({store.post_count()} posts)")
    elif transfer.does == "restore":
        tables = backup.checked_tables(path, app.store_path)
        # not a step of the history (the backup it keeps is the way back), but shown as a
        # change of structure is: every pane reads the whole plan again
        return partial(_write, app, lambda history: _restore(history.store, path, tables))
    else:
        return _import(app, transfer, path, store)
    atomic_write(path, made.data)
    return partial(app.notify, f"{shown(path)}: {made.what}{made.more}")


def _import(app: PlantermApp, transfer: Transfer, path: Path, store: Store) -> Then:
    """Read and check the file (the command line's reading); refused, list why; else take a
    backup and hand the changes to the screen's thread, to be written as one step."""
    kind: Literal["ics", "csv"] = "ics" if transfer.suffix == "ics" else "csv"
    what = "event" if kind == "ics" else "post"
    incoming: Incoming[Any] = jobs.read_import(kind, path.read_bytes(), path.name, store,
                                               app.settings, app.now())
    if incoming.refused:
        unit = "component" if kind == "ics" else "row"
        title = f"{path.name}: {incoming.bad} bad {unit}{'s' * (incoming.bad > 1)}; " \
                "nothing was imported"
        lines = [str(p) for p in incoming.refused[:SHOWN]]
        if len(incoming.refused) > SHOWN:
            lines.append(f"… and {len(incoming.refused) - SHOWN} more")

        # said again under the panes once the list is closed, to stay in sight
        return partial(app.push_screen, ProblemsScreen(title, lines),
                       lambda _: app.notify(title, severity="error"))
    if not (incoming.added or incoming.updated or incoming.categories):
        return partial(app.notify, f"{path.name}: nothing to import: {incoming.unchanged} "
                                   f"{what}{'s' * (incoming.unchanged != 1)} already as in "
                                   "the file")
    backup.write_backup(store, None, app.settings.backups, "import")  # a way back besides u
    message = f"imported {path.name}: {jobs.import_summary(incoming, what)}"
    return partial(_write, app, lambda history: history.bring_in(incoming, message))


def _write(app: PlantermApp, change: Callable[[History], Outcome]) -> None:
    """Write on the screen's thread, through the planner's store and history, as its other
    changes are (``change_structure``: a failed write says why, the panes show the plan)."""
    try:
        app.change_structure(change)
    except ModelError as e:  # a post the store refuses (checked as every write checks)
        app.notify(f"not saved: {e.field}: {e.problem}", severity="error")


def _restore(store: Store, path: Path, tables: Tables) -> Outcome:
    done, kept = jobs.restore(store, path, tables)
    return Outcome(f"{done}; the store as it was is in {shown(kept)}", structure=True)
