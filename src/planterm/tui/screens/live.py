"""Live mode: logging posts during an event, full screen, never losing one.

Enter logs the box's text (``live.log`` through the app's history, so ``u`` undoes it):
the post is on disk before it appears in the list. A write that is refused (disk full,
store busy, too long to be approved) leaves the text in the box and says why. The text
being typed is kept by a ``live.DraftKeeper``: in memory at every key, on disk every 2
seconds and once a post is logged (its draft removed) from a worker thread (never on the
UI thread), and when planterm is ended by a signal; opening live mode on the same
occurrence again brings it back.

Keys a plain xterm-256color sends over SSH: ctrl+j for a new line in the box (Enter
logs), ctrl+t then 1-9 for a template, ctrl+o the channels, ctrl+n thread numbering,
ctrl+g the recap, Tab to the list (e edits a logged post, u undoes the last one),
Escape to leave.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import SelectionList, Static

from planterm import channels, live
from planterm.agenda import abbrs
from planterm.datafiles import user_file
from planterm.history import HistoryError
from planterm.model import Event, ModelError, Post, Status
from planterm.readiness import WARN_MARK
from planterm.sensitive import Found, keep, wording
from planterm.storage import StoreError
from planterm.tui.messages import PlanChanged
from planterm.tui.screens.copy_text import CopyScreen, channel_name
from planterm.tui.widgets.key_footer import KeyFooter
from planterm.tui.widgets.logged_list import LoggedList
from planterm.tui.widgets.message_line import MessageLine
from planterm.tui.widgets.plain import plain
from planterm.tui.widgets.wording import WordingArea, WordingNote

if TYPE_CHECKING:
    from planterm.tui.app import PlantermApp

DRAFT_SECONDS = 2.0
"""How often the typed text is written to disk: at most this much typing is lost to a kill."""


def since(now: datetime, start: datetime) -> str:
    """``+1:42 since start``, or ``starts in 0:18``, in hours and minutes."""
    seconds = int((now - start).total_seconds())
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"+{hours}:{minutes:02d} since start" if seconds >= 0 else \
        f"starts in {hours}:{minutes:02d}"


def ago(now: datetime, then: datetime | None) -> str:
    """``last post 3 min ago`` (the cadence hint), or ``no post yet``."""
    if then is None:
        return "no post yet"
    minutes = max(0, int((now - then).total_seconds()) // 60)
    return "last post just now" if minutes == 0 else f"last post {minutes} min ago"


class LiveBox(WordingArea):
    """The text box: Enter logs, ctrl+j is a new line, and after ctrl+t a digit chooses a
    template instead of being typed; the glossary's terms are marked, as in the editor."""

    class Submitted(Message):
        """Enter: log what is in the box."""

    class TemplateChosen(Message):
        """ctrl+t then a digit."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    leader = False
    """ctrl+t was pressed: the next digit chooses a template."""

    async def _on_key(self, event: events.Key) -> None:
        if self.leader:
            self.leader = False
            if event.key in "123456789" and len(event.key) == 1:
                event.stop()
                event.prevent_default()
                self.post_message(self.TemplateChosen(int(event.key)))
                return
        if event.key in ("enter", "ctrl+j"):
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                self.post_message(self.Submitted())
            else:
                self.replace("\n", *self.selection)
            return
        await super()._on_key(event)


class ChannelPicker(ModalScreen[list[str] | None]):
    """The channels of this coverage: space ticks, Enter keeps, Escape leaves them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # before the list's own Enter (which would tick): space ticks, Enter keeps
        Binding("enter", "keep", "Keep", id="live_channels.keep", priority=True,
                tooltip="Use these channels"),
        Binding("escape", "dismiss_none", "Back", id="live_channels.back",
                tooltip="Leave the channels as they were"),
    ]

    def __init__(self, offered: list[str], chosen: tuple[str, ...]) -> None:
        super().__init__()
        self.offered = offered
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="live-channels", classes="dialog"):
            yield Static("Channels of this coverage", classes="title")
            yield SelectionList[str](*((channel_name(c), c, c in self.chosen)
                                       for c in self.offered), id="live-channel-list")
            yield Static("space tick · Enter keep · Escape back", classes="hint")

    def action_keep(self) -> None:
        """Keep the ticked channels (at least one)."""
        picked = self.query_one(SelectionList).selected
        if picked:
            self.dismiss([c for c in self.offered if c in picked])
        else:
            self.notify("tick at least one channel", severity="warning")

    def action_dismiss_none(self) -> None:
        """Leave the channels as they were."""
        self.dismiss(None)


class LiveStart(ModalScreen[Status | None]):
    """Before live mode: the status posts are logged with, and a question when the
    occurrence is neither today nor running."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p,enter", "choose('published')", "Published", id="live_start.published",
                tooltip="Log posts as published: you post them yourself from the phone"),
        Binding("a", "choose('approved')", "Approved", id="live_start.approved",
                tooltip="Log posts as approved: a colleague at the desk posts them"),
        Binding("escape", "choose('')", "Back", id="live_start.back", tooltip="Not now"),
    ]

    def __init__(self, event: Event, when: str, warning: str) -> None:
        super().__init__()
        self.event = event
        self.when = when
        self.warning = warning

    def compose(self) -> ComposeResult:
        with Vertical(id="live-start", classes="dialog"):
            yield Static(plain(f"Live: {self.event.title} · {self.when}"), classes="title")
            if self.warning:
                yield Static(plain(f"{WARN_MARK} {self.warning}"), id="live-start-warning")
            yield Static("Log the posts as:\n  p (or Enter)  ✓ published: you post them from "
                         "the phone\n  a              approved: a colleague posts them\n"
                         "  Escape         not now", id="live-start-choice")

    def action_choose(self, status: str) -> None:
        """Open live mode with this status, or not at all."""
        self.dismiss(Status(status) if status else None)


class LiveScreen(Screen[None]):
    """Live mode on one occurrence of an event."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave", id="live.leave", show=True,
                tooltip="Back to the planner (everything logged is already saved)"),
        Binding("ctrl+t", "template", "Template", id="live.template", show=True,
                tooltip="Then 1-9: put a template's text in the box"),
        Binding("ctrl+o", "channels", "Channels", id="live.channels", show=True,
                tooltip="Choose the channels of this coverage"),
        Binding("ctrl+n", "numbering", "Numbers", id="live.numbering", show=True,
                tooltip="Thread numbering (1/ 2/ ...) per channel, on or off"),
        Binding("ctrl+g", "recap", "Recap", id="live.recap", show=True,
                tooltip="The live posts by channel, to copy"),
        Binding("e", "edit", "Edit", id="live.edit",
                tooltip="Edit the post selected in the list (Tab goes to the list)"),
    ]

    def __init__(self, setup: live.Setup) -> None:
        super().__init__()
        self.setup = setup
        self.logged: list[Post] = []
        """This occurrence's live posts, newest first."""
        self.templates: dict[int, live.Template] = {}
        self.keeper: live.DraftKeeper | None = None
        self.wording = wording()
        self.kept: dict[str, str] = {}
        """Terms kept on purpose in the text being typed, with the reasons: logged with it."""

    @property
    def planner(self) -> PlantermApp:
        """The app, typed: it owns the store and the history."""
        from planterm.tui.app import PlantermApp  # the app imports this screen on use

        assert isinstance(self.app, PlantermApp)
        return self.app

    def compose(self) -> ComposeResult:
        with Horizontal(id="live-head"):
            yield Static(plain(f"● LIVE  {self.setup.event.title}"), id="live-title")
            yield Static(id="live-clock")
        yield Static(id="live-counters")
        yield LiveBox(id="live-box", soft_wrap=True, show_line_numbers=False, compact=True,
                      glossary=self.wording.glossary)
        yield WordingNote(id="live-wording")
        yield Static(id="live-hint")
        yield LoggedList(id="live-posts")
        yield MessageLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        """Read the posts logged so far and the draft; start the clock and the saving."""
        app = self.planner
        assert app.store is not None
        self.keeper = live.DraftKeeper(live.draft_path(app.store_path, self.setup,
                                                       app.settings))
        live.KEEPERS.add(self.keeper)
        self.templates, warnings = live.load_templates(user_file(live.FILE))
        for warning in warnings:
            self.notify(warning, severity="warning")
        box = self.query_one(LiveBox)
        self._reload()
        if live.logged_already(self.keeper.text, self.logged):
            self.keeper.update("")
            self._flush_in_thread()
            self.notify("your draft was logged already: it is the newest post below",
                        timeout=6)
        elif self.keeper.text:
            box.load_text(self.keeper.text)
            box.move_cursor(box.document.end)
            self.notify("your draft is back: the text you were typing when live mode "
                        "closed", title="draft restored", timeout=6)
        self._tick()
        self.set_interval(1, self._tick, name="live clock")
        self.set_interval(DRAFT_SECONDS, self._save_draft, name="live draft")
        box.focus()

    def on_unmount(self) -> None:
        """Write the draft one last time and stop keeping it."""
        if self.keeper is not None:
            live.KEEPERS.discard(self.keeper)
            self._flush()

    # --- what is shown ------------------------------------------------------

    def _reload(self) -> None:
        """Read this occurrence's live posts from the store and show them."""
        app = self.planner
        assert app.store is not None
        self.logged = live.live_posts(app.store, self.setup, app.settings)
        self._show_posts()
        self._count()

    def _show_posts(self) -> None:
        tz = self.planner.settings.tz
        self.query_one(LoggedList).show([
            f"{p.scheduled.astimezone(tz):%H:%M} {p.status.symbol} {abbrs(p.channels)}  "
            f"{p.body}" if p.scheduled else p.body for p in self.logged])
        self._title(self.planner.now())  # the clock: at its next second, not in this frame

    def _tick(self) -> None:
        now = self.planner.now()
        local = now.astimezone(self.planner.settings.tz)
        clock = self.query_one("#live-clock", Static)
        text = f"{local:%H:%M:%S}  {since(now, self.setup.start)}"
        # its width changes with the hours' digits only (9:59, 10:00): laid out then only
        _put(clock, text, layout=len(text) != len(str(clock.content)))
        self._title(now)

    def _title(self, now: datetime) -> None:
        """The list's title: how many posts, and how long since the last one."""
        last = self.logged[0].scheduled if self.logged else None
        posts = self.query_one(LoggedList)
        title = f"Logged ({len(self.logged)}), newest first · {ago(now, last)}"
        if posts.border_title != title:  # set, it draws the whole list again: every second
            posts.border_title = title

    def _count(self) -> None:
        text = self.query_one(LiveBox).text
        fits = live.counters(self.setup, text, self.logged)
        parts = [f"{channels.networks()[f.network].abbr} {f.count}/{f.limit}"
                 + (f" {WARN_MARK}{-f.remaining} over" if f.remaining < 0 else "")
                 for f in fits]
        tag = f"  +{self.setup.event.hashtag}" if self.setup.event.hashtag else ""
        numbers = "  1/ 2/" if self.setup.numbered else ""
        _put(self.query_one("#live-counters", Static), plain(
            f"{'  '.join(parts)}{tag}{numbers}  as {self.setup.status.symbol} "
            f"{self.setup.status}"))
        box = self.query_one(LiveBox)
        _put(self.query_one("#live-hint", Static),
             "template: 1-9 · " + " · ".join(
                 f"{n} {t.label}" for n, t in self.templates.items())
             if box.leader else
             "Enter log · ctrl+j new line · ctrl+t 1-9 template · Tab the list")
        note = self.query_one("#live-wording", WordingNote)
        found = [Found("body", m) for m in box.matches()]
        if found or text.strip():
            note.display = True
            note.show(found, self.wording.glossary.tone(text), [], short=True)
        elif note.display:
            # Emptied (a post logged): blank now, hidden once the frame that shows the post
            # is drawn. Hiding it lays out the screen, which would hold that frame back.
            note.update("", layout=False)
            self.call_after_refresh(self._hide_note)

    def _hide_note(self) -> None:
        """The note goes while the box is empty (typing again shows it)."""
        if not self.query_one(LiveBox).text.strip():
            self.query_one("#live-wording", WordingNote).display = False

    @on(WordingArea.Kept)
    def _kept(self, event: WordingArea.Kept) -> None:
        """A term kept on purpose: logged with the post, no longer marked in the box."""
        self.kept[event.key] = event.reason
        self._count()

    @on(LiveBox.Changed)
    def _typed(self) -> None:
        if self.keeper is not None:
            self.keeper.update(self.query_one(LiveBox).text)
        self._count()

    # --- the draft ----------------------------------------------------------

    def _save_draft(self) -> None:
        """Every 2 seconds: write the typed text, in a thread (fsync can take a while)."""
        self._flush_in_thread()

    @work(thread=True, exclusive=True, group="live-draft", exit_on_error=False)
    def _flush_in_thread(self) -> None:
        self._flush()

    def _flush(self) -> None:
        assert self.keeper is not None
        try:
            self.keeper.flush()
        except (OSError, StoreError) as e:
            self.planner.notify(f"the draft could not be saved: {e}; it stays in the box "
                                "and is tried again", severity="warning", timeout=3)

    # --- actions ------------------------------------------------------------

    @on(LiveBox.Submitted)
    def _log(self) -> None:
        app = self.planner
        box = self.query_one(LiveBox)
        assert app.store is not None
        try:
            composed = live.compose(self.setup, box.text, app.now(), self.logged)
            for key, reason in self.kept.items():
                composed = keep(composed, key, reason)
            post = app.write_now(None, composed)
        except (ModelError, StoreError, HistoryError, ValueError) as e:
            self.notify(f"not logged: {e}; your text stays in the box", severity="error",
                        timeout=6)
            return
        box.load_text("")  # its Changed counts the empty box again
        self.kept = {}
        box.set_terms(self.wording.glossary, frozenset())
        assert self.keeper is not None
        # the logged text's draft is removed in a thread once the post's line is drawn: a
        # second fsync (the folder's), or a thread starting, would hold the line back
        self.keeper.update("")
        self.call_after_refresh(self._flush_in_thread)
        assert post is not None
        self.logged.insert(0, post)  # on disk already; no need to read the store again
        self._show_posts()

    @on(PlanChanged)
    def _plan_changed(self, message: PlanChanged) -> None:
        """An undo, an edit, another process: read the live posts again (a post this
        screen just logged is shown already)."""
        before, after = message.written or (None, None)
        if before is None and after is not None and any(p.id == after.id
                                                        for p in self.logged):
            return
        self._reload()

    @on(LiveBox.TemplateChosen)
    def _template(self, message: LiveBox.TemplateChosen) -> None:
        template = self.templates.get(message.number)
        if template is None:
            self.notify(f"no template {message.number}", severity="warning", timeout=3)
        else:
            box = self.query_one(LiveBox)
            box.replace(template.filled(self.setup, self.planner.settings), *box.selection)
        self._count()

    def action_template(self) -> None:
        """The next digit in the box chooses a template."""
        box = self.query_one(LiveBox)
        box.leader = True
        box.focus()
        self._count()

    def action_channels(self) -> None:
        """Choose the channels among the event's (or the settings')."""
        offered = list(dict.fromkeys([*(self.setup.event.channels
                                        or self.planner.settings.channels),
                                      *self.setup.channels]))

        def chosen(picked: list[str] | None) -> None:
            if picked:
                self.setup = live.Setup(self.setup.event, self.setup.start, tuple(picked),
                                        self.setup.status, self.setup.numbered)
                self._count()

        self.app.push_screen(ChannelPicker(offered, self.setup.channels), chosen)

    def action_numbering(self) -> None:
        """Thread numbering on or off, for this coverage."""
        s = self.setup
        self.setup = live.Setup(s.event, s.start, s.channels, s.status, not s.numbered)
        self._count()
        self.notify(f"thread numbering {'on' if self.setup.numbered else 'off'}", timeout=2)

    def action_recap(self) -> None:
        """The live posts by channel, copy-ready (y copies, as in the calendar)."""
        recap = live.recap(self.logged, self.planner.settings)
        if not recap:
            self.notify("no live post yet", timeout=3)
            return
        self.app.push_screen(CopyScreen(Post(f"Recap: {self.setup.event.title}",
                                             variants=dict(recap), channels=list(recap))))

    def action_edit(self) -> None:
        """Edit the post selected in the list (the newest when none is)."""
        from planterm.tui.screens.editor import PostEditor

        posts = self.query_one(LoggedList)
        if not self.logged:
            return
        index = posts.highlighted if posts.highlighted is not None else 0
        before = self.logged[index]
        app = self.planner
        assert app.store is not None

        def saved(after: Post | None) -> None:
            if after is not None:
                app.write(before, after, edited=True)  # the list follows (PlanChanged)

        app.push_screen(PostEditor(app.store, app.settings, before, app.now()), saved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``e`` works from the list; in the box it is a letter."""
        if action == "edit":
            return self.query_one(LoggedList).has_focus and bool(self.logged)
        return True

    def on_descendant_focus(self) -> None:
        """The footer follows the focus (e applies in the list only)."""
        self.refresh_bindings()

    def action_leave(self) -> None:
        """Back to the planner; the draft is written as the screen closes."""
        self.dismiss(None)


def _put(static: Static, content: str | Content, layout: bool = False) -> None:
    """Give ``static`` this content unless it has it already: each update draws the widget
    again, and with ``layout`` the whole screen (the live lines are one row high: not
    laid out unless told)."""
    if static.content != content:
        static.update(content, layout=layout)


def start_warning(now: datetime, start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """Why live mode asks first: the occurrence is neither today nor running ("" when it
    is one or the other)."""
    if start <= now <= end or start.astimezone(tz).date() == now.astimezone(tz).date():
        return ""
    day = f"{start.astimezone(tz):%d/%m/%Y}"
    if now < start:
        return f"this event is on {day}, not today; log live posts for it now anyway?"
    return f"this event was on {day} and is over; log live posts for it anyway?"
