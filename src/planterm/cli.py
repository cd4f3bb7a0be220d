"""The command line: ``planterm [--store PATH | --demo] [COMMAND ...]``.

Exit codes: 0 done; 1 the store refused (busy, corrupt, newer) or ``check``
found problems; 2 bad input, with one line saying what and where. Nothing is
written when a command fails.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from planterm import agenda, backups, channels, matrix_text, storage
from planterm.config import Settings, SettingsError, load_settings, resolve_store
from planterm.dates import (
    DateParseError,
    parse_when,
    period_bounds,
    repeated_time_note,
)
from planterm.edits import (
    CATEGORY_FIELDS,
    FIELDS,
    category_line,
    check_category,
    find_events,
    parse_status,
    resolve_categories,
    resolve_channels,
    resolve_event,
    set_category_field,
    set_field,
)
from planterm.matrix import PERIODS, STATUS_GROUPS, Selection, count_store, span_in
from planterm.model import (
    CATEGORY,
    EVENT_FIELDS,
    LIVE_STATUSES,
    Category,
    Event,
    EventKind,
    ModelError,
    Post,
    ReviewOpen,
    Status,
    TransitionError,
    check_gates,
    utcnow,
)
from planterm.readiness import WARN_MARK, doc_problems, outgoing_text, problems
from planterm.sensitive import OPEN_MARK, find_item, open_items, tick, wording
from planterm.storage import StoreError, repair
from planterm.store import CategoryInUse, CategoryTable, PostQuery, Store
from planterm.text import inert

if TYPE_CHECKING:
    from planterm.events import Listed
    from planterm.templates import Template, Templates

# Events, coverage, templates, live mode, review, filters and the demo are imported by the
# commands that use them: a command loads only what it needs (20-50 ms of a 'set').

LOCK_TIMEOUT = 5.0
"""Seconds a command waits for another planterm's write before giving up."""


class InputError(Exception):
    """Bad input on the command line: exit 2 with this one line."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 2."""

    def error(self, message: str) -> NoReturn:
        # said after "planterm: ": a subcommand names itself ("add: ..."), the root nothing
        where = self.prog.removeprefix("planterm").strip()
        raise InputError(f"{where + ': ' if where else ''}{message} (see {self.prog} --help)")


def _common() -> _Parser:
    """--store and --demo, accepted before or after the subcommand."""
    common = _Parser(add_help=False)
    common.add_argument("--store", metavar="PATH", default=argparse.SUPPRESS,
                        help="store file (default: $PLANTERM_STORE, then the settings)")
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="work on a fresh temporary copy of the bundled demo plan")
    return common


def parse_args(argv: list[str]) -> argparse.Namespace:
    """``build_parser().parse_args(argv)``; the planner's command line (``--store`` and
    ``--demo`` alone, the planterm of every day) is read by those two options first:
    building every command's parser costs 15 ms of each start. A command's line is read
    by the parser of that command alone (``build_parser(name)``), for the same reason."""
    try:
        args, rest = _common().parse_known_args(argv)
    except InputError:  # said as the whole command line says it
        rest = argv
    if rest:
        return build_parser(rest[0]).parse_args(argv)
    args.command = None
    return args


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, one subparser per command; only ``command``'s when it names
    one (the others are left out, unknown to this parser)."""
    common = _common()
    parser = _Parser(prog="planterm", parents=[common],
                     description="Plan a cultural institution's social media from the terminal. "
                                 "With no command, opens the planner.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    known = any(command in names for names, _ in _PARSERS)
    for names, add in _PARSERS:
        if not known or command in names:
            add(sub, common)
    return parser


def _add_post_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm add``."""
    add = sub.add_parser("add", parents=[common], help="add a post",
                         description="Add a post. Dates as people type them: "
                                     "'fri 18:30', 'demain 9h', '3 déc 19h', '2026-12-03T19:00'.")
    add.add_argument("title")
    add.add_argument("--on", metavar="DATE", help="when it goes out")
    add.add_argument("--channel", action="append", default=[], metavar="C",
                     help="channel or alias (ig, fb, x, masto, bsky, ...); repeatable")
    add.add_argument("--objective", action="append", default=[], metavar="O")
    add.add_argument("--theme", action="append", default=[], metavar="T")
    add.add_argument("--event", metavar="E", help="event id or a piece of its title")
    add.add_argument("--status", default="idea", metavar="S")
    add.add_argument("--body", default="", metavar="TEXT")


def _add_week_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm week``."""
    week = sub.add_parser("week", parents=[common], help="print the agenda of a week")
    week.add_argument("date", nargs="?", help="a day in the week (default: today)")
    week.add_argument("--json", action="store_true", help="print a JSON array of posts")


def _add_list_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm list``."""
    lst = sub.add_parser("list", parents=[common], help="list posts matching filters")
    lst.add_argument("--from", dest="start", metavar="DATE")
    lst.add_argument("--to", dest="end", metavar="DATE")
    lst.add_argument("--status", action="append", default=[], metavar="S")
    _add_filters(lst)
    lst.add_argument("--json", action="store_true", help="print a JSON array of posts")


def _add_show_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm show``."""
    show = sub.add_parser(
        "show", parents=[common], help="print a post in full",
        description="Print a post in full, with its problems and what goes out on each "
                    "channel. With --channel, print exactly the text that goes out on that "
                    "channel and nothing else: raw when the output is a pipe or a file "
                    "(planterm show 12 --channel x | pbcopy), with control characters shown "
                    "as marks when it is a terminal.")
    show.add_argument("id", type=int)
    how = show.add_mutually_exclusive_group()
    how.add_argument("--channel", metavar="C", help="only the text that goes out on channel C")
    how.add_argument("--json", action="store_true", help="print the post as a JSON object")


def _add_delete_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm delete``."""
    delete = sub.add_parser(
        "delete", parents=[common], help="delete a post (asks first)",
        description="Delete a post. Asks first on a terminal; --yes deletes without asking "
                    "(needed when the input is not a terminal). A backup holding the post "
                    "is kept, and named, so that it can be got back.")
    delete.add_argument("id", type=int)
    delete.add_argument("--yes", action="store_true", help="delete without asking")


def _add_set_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm set``."""
    st = sub.add_parser("set", parents=[common], help="change fields of a post",
                        description=f"Change fields of a post: {', '.join(FIELDS)}.")
    st.add_argument("id", type=int)
    st.add_argument("assignments", nargs="+", metavar="field=value")


def _add_interop_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``export``, ``import``, ``report``, ``backup`` and ``restore`` (``cli_interop``)."""
    from planterm import cli_interop  # it builds on this module: loaded once this one is

    cli_interop.add_parsers(sub, common)


def _add_check_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm check``."""
    check = sub.add_parser("check", parents=[common], help="validate the store, change nothing",
                           description="Validate the store and list its backups; writes nothing "
                                       "unless --compact or --repair is given.")
    check.add_argument("--compact", action="store_true",
                       help="also fold the journal into the store file")
    check.add_argument("--repair", action="store_true",
                       help="salvage a damaged journal: keep a copy, save every intact record, "
                            "say what could not be saved")


def _add_event_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm events``, ``planterm event ...`` and ``planterm coverage``."""
    events = sub.add_parser(
        "events", parents=[common], help="list events with their coverage",
        description="List the occurrences of events (a repeating event once per occurrence) "
                    "with their coverage: upcoming ones by default (an event of today until "
                    "the day is over), past ones with --past, or those starting between "
                    "--from and --to.")
    events.add_argument("--past", action="store_true", help="past events, latest first")
    events.add_argument("--from", dest="start", metavar="DATE")
    events.add_argument("--to", dest="end", metavar="DATE")
    events.add_argument("--json", action="store_true", help="print a JSON array")

    event = sub.add_parser("event", parents=[common], help="manage events")
    esub = event.add_subparsers(dest="event_command", metavar="COMMAND", required=True,
                                parser_class=_Parser)
    eadd = esub.add_parser("add", parents=[common], help="add an event")
    eadd.add_argument("title")
    eadd.add_argument("--on", required=True, metavar="DATE", help="start")
    eadd.add_argument("--end", metavar="DATE")
    eadd.add_argument("--place", default="")
    eadd.add_argument("--kind", default=EventKind.TALK.value, metavar="KIND",
                      help=f"{', '.join(EventKind)} (default: {EventKind.TALK.value}); it "
                           "chooses the coverage template")
    eadd.add_argument("--hashtag", default="")
    eadd.add_argument("--rrule", default="", metavar="RULE",
                      help="RFC 5545 recurrence, e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=10")
    eadd.add_argument("--channel", action="append", default=[], metavar="C",
                      help="a channel of its coverage posts; repeatable")
    eadd.add_argument("--objective", action="append", default=[], metavar="O",
                      help="an objective its coverage posts serve; repeatable")
    eadd.add_argument("--theme", action="append", default=[], metavar="T",
                      help="a theme of its coverage posts; repeatable")
    eadd.add_argument("--template", default="", metavar="NAME",
                      help="its coverage template (default: the one for its kind)")
    eshow = esub.add_parser("show", parents=[common], help="print an event, its coverage "
                                                           "and its posts")
    eshow.add_argument("ref", metavar="E", help="an event id or words of its title")
    eshow.add_argument("--json", action="store_true", help="print a JSON object")
    eset = esub.add_parser(
        "set", parents=[common], help="change fields of an event",
        description=f"Change fields of an event: {', '.join(EVENT_FIELDS)}. When its date "
                    "changes and posts of it are not yet published, say what they do: "
                    "--move-posts moves them by the same amount (same local time), "
                    "--keep-posts leaves them; without either nothing is written.")
    eset.add_argument("ref", metavar="E", help="an event id or words of its title")
    eset.add_argument("assignments", nargs="+", metavar="field=value")
    follow = eset.add_mutually_exclusive_group()
    follow.add_argument("--move-posts", action="store_true",
                        help="a change of date moves its unpublished posts too")
    follow.add_argument("--keep-posts", action="store_true",
                        help="a change of date leaves its posts where they are")
    ecancel = esub.add_parser(
        "cancel", parents=[common], help="call an event off (asks first)",
        description="Mark an event cancelled, and cancel its posts not yet published. Asks "
                    "first on a terminal; --yes cancels without asking.")
    ecancel.add_argument("ref", metavar="E", help="an event id or words of its title")
    ecancel.add_argument("--yes", action="store_true", help="cancel without asking")

    cov = sub.add_parser(
        "coverage", parents=[common], help="make an event's coverage posts from its template",
        description="Make the draft posts of an event's coverage template, tagged with the "
                    "event. Run again, it makes only what is missing; a slot already past is "
                    "skipped. A repeating event gets the coverage of its next occurrence, or "
                    "of each occurrence between --from and --to.")
    cov.add_argument("ref", metavar="E", help="an event id or words of its title")
    cov.add_argument("--template", metavar="NAME", help="another template than the event's")
    cov.add_argument("--dry-run", action="store_true", help="show what would be made, "
                                                            "write nothing")
    cov.add_argument("--from", dest="start", metavar="DATE",
                     help="first day of the period (repeating events; default today)")
    cov.add_argument("--to", dest="end", metavar="DATE",
                     help="end of the period (default: 4 weeks after --from)")


def _add_live_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    lv = sub.add_parser(
        "live", parents=[common], help="log a live post for an event, or print its recap",
        description="Log one post live, as live mode does: stamped now, tagged with the "
                    "event, its objectives, themes and hashtag, on disk before the command "
                    "ends. The occurrence is today's (or the running one, else the next; "
                    "for a past event, the last).")
    lv.add_argument("ref", metavar="E", help="an event id or words of its title")
    lv.add_argument("text", nargs="?", help="the post's text (quote it)")
    lv.add_argument("--channel", action="append", default=[], metavar="C",
                    help="a channel (repeatable; default: the event's, else the settings')")
    lv.add_argument("--status", choices=[s.value for s in LIVE_STATUSES],
                    default=Status.PUBLISHED.value,
                    help="published (posted from the phone; the default) or approved "
                         "(a colleague posts it)")
    lv.add_argument("--numbered", action="store_true",
                    help="start the text with its number in each channel's thread (3/ )")
    lv.add_argument("--recap", action="store_true",
                    help="print the live posts by channel, to copy; write nothing")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    """The filters of ``list``, which ``matrix`` takes too."""
    parser.add_argument("--channel", action="append", default=[], metavar="C")
    parser.add_argument("--objective", action="append", default=[], metavar="O")
    parser.add_argument("--theme", action="append", default=[], metavar="T")
    parser.add_argument("--event", action="append", default=[], metavar="E",
                        help="an event's id or words of its title; repeatable")
    parser.add_argument("--text", default="", metavar="WORDS",
                        help="words in the title, body, notes or hashtags (case and accents "
                             "aside)")
    parser.add_argument("--warnings", action="store_true",
                        help=f"only posts not ready for their status (marked {WARN_MARK})")
    parser.add_argument("--filter", default="", metavar="LINE",
                        help="the planner's filter line: status:draft ch:ig event:12 flag: "
                             "terms: open: words")


STRUCTURE: dict[str, CategoryTable] = {"objective": "objectives", "theme": "themes"}
"""The commands that manage objectives and themes, and the table each works on."""


def _add_structure_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm objective ...`` and ``planterm theme ...``: the same commands for both."""
    for one, what in (("objective", "why the institution posts"),
                      ("theme", "what a post is about")):
        a = "an" if one == "objective" else "a"
        top = sub.add_parser(one, parents=[common], help=f"manage {one}s ({what})",
                             description=f"Manage {one}s: {what}.")
        cmds = top.add_subparsers(dest="structure_command", metavar="COMMAND", required=True,
                                  parser_class=_Parser)
        add = cmds.add_parser("add", parents=[common], help=f"add {a} {one}")
        add.add_argument("key", help="short key for commands and quick add: lower-case "
                                     "letters, digits, - or _")
        add.add_argument("name", help="the name people read")
        add.add_argument("--description", metavar="TEXT")
        add.add_argument("--colour", "--color", dest="colour", metavar="HEX",
                         help="e.g. #1f77b4 (never the only sign of anything)")
        target = add.add_mutually_exclusive_group()
        target.add_argument("--target-share", metavar="PCT",
                            help="target share of the posts, in percent")
        target.add_argument("--target-per-month", metavar="N", help="target posts per month")
        lst = cmds.add_parser("list", parents=[common], help=f"list the {one}s, archived too")
        lst.add_argument("--json", action="store_true", help="print a JSON array")
        st = cmds.add_parser("set", parents=[common], help=f"change fields of {a} {one}",
                             description=f"Change fields: {', '.join(CATEGORY_FIELDS)}; "
                                         "an empty value clears a target.")
        st.add_argument("key")
        st.add_argument("assignments", nargs="+", metavar="field=value")
        for name, does in (("archive", "hide from new posts; its history stays"),
                           ("unarchive", "offer again for new posts"),
                           ("delete", "delete, if no post uses it")):
            cmds.add_parser(name, parents=[common], help=does).add_argument("key")
        merge = cmds.add_parser("merge", parents=[common],
                                help=f"move every post of one {one} to another, delete the first")
        merge.add_argument("key", metavar="FROM")
        merge.add_argument("into", metavar="INTO")


def _add_matrix_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm matrix``: objectives × themes for a period."""
    mx = sub.add_parser("matrix", parents=[common], help="count posts per objective × theme",
                        description="Count the posts of a period per objective × theme, and "
                                    "compare each objective and theme with its target. "
                                    "Cancelled posts are not counted.")
    mx.add_argument("--period", choices=PERIODS, default="month")
    mx.add_argument("--from", dest="start", metavar="DATE",
                    help="a day in the period (default: today; not with --period all)")
    mx.add_argument("--status", choices=tuple(STATUS_GROUPS), default="all",
                    help="all, planned (not yet published) or published")
    _add_filters(mx)
    mx.add_argument("--json", action="store_true", help="print the matrix as JSON")


def _add_review_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """``planterm review``: sensitive posts; ``review tick`` and ``untick`` their items."""
    rv = sub.add_parser(
        "review", parents=[common], help="posts with glossary terms or flags; tick items",
        description="List the posts still to publish that hold glossary terms (as written, "
                    "with alternatives and the flags they suggest) or sensitivity flags "
                    "(with their checklist, numbered); reads only. 'review tick ID ITEM' and "
                    "'review untick ID ITEM' tick an item by its number or a part of its "
                    "text, recorded with your name (the settings' reviewer) and the time.")
    rv.add_argument("--from", dest="start", metavar="DATE")
    rv.add_argument("--to", dest="end", metavar="DATE")
    rv.add_argument("--json", action="store_true", help="print a JSON array")
    ticks = rv.add_subparsers(dest="review_command", metavar="tick|untick",
                              parser_class=_Parser)
    for name, does in (("tick", "tick a checklist item"), ("untick", "untick one")):
        one = ticks.add_parser(name, parents=[common], help=does)
        one.add_argument("id", type=int)
        one.add_argument("item", nargs="+", help="its number, or a part of its text")


READ_ONLY = frozenset({"week", "list", "check", "show", "matrix", "events"})
"""Commands that never write: no store is created, migrated, compacted or backed up."""


@dataclass
class Context:
    """What every command needs: settings, the store, now."""

    settings: Settings
    store: Store
    now: datetime

    def when(self, text: str, what: str) -> datetime:
        """Parse a typed date, or ``InputError`` naming the option."""
        try:
            return parse_when(text, now=self.now, tz=self.settings.tz)
        except DateParseError as e:
            raise InputError(f"{what}: {e}") from None

    def note_time(self, when: datetime | None, what: str) -> None:
        """Say when a time is in the past, and which of two equal wall-clock times was
        taken (clocks going back)."""
        if when is None:
            return
        if when < self.now.replace(second=0):
            say(f"planterm: note: {what}: {agenda.local_text(when, self.settings)} is in "
                "the past", err=True)
        note = repeated_time_note(when, self.settings.tz)
        if note:
            say(f"planterm: note: {what}: {note}", err=True)


ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that end planterm as if it returned: a demo's temporary folder is removed."""


def _end(signum: int, frame: object) -> NoReturn:
    """End now, through every ``finally`` on the way out."""
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def ended_cleanly(handler: Callable[[int, Any], None] = _end) -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP go to ``handler``: by default they raise
    ``SystemExit`` (exit code 128 + signal), so that every ``finally`` runs. The previous
    handlers are put back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; it is the one the signals stop
        return
    before = {sig: signal.signal(sig, handler) for sig in ENDING_SIGNALS}
    try:
        yield
    finally:
        for sig, previous in before.items():
            signal.signal(sig, previous)


@contextlib.contextmanager
def store_path(args: argparse.Namespace, settings: Settings) -> Iterator[Path]:
    """The store file to work on: a fresh --demo copy (removed afterwards, even when
    planterm is ended by SIGTERM or SIGHUP), --store, $PLANTERM_STORE, then the settings."""
    if not getattr(args, "demo", False):
        yield resolve_store(settings, getattr(args, "store", None), os.environ)
        return
    from planterm.demo import write_demo

    with ended_cleanly():
        tmp = Path(tempfile.mkdtemp(prefix="planterm-demo-"))
        try:
            now = utcnow()
            yield write_demo(tmp / "demo.json", now.astimezone(settings.tz).date(),
                             settings.tz, now)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def writes(args: argparse.Namespace) -> bool:
    """Whether the command may write: every command but the read-only ones, and ``check``
    with ``--compact`` or ``--repair``."""
    from planterm import cli_interop

    interop = cli_interop.writes(args)
    if interop is not None:
        return interop
    if args.command == "check":
        return bool(args.compact or args.repair)
    if args.command in STRUCTURE:
        return bool(args.structure_command != "list")
    if args.command == "event":
        return bool(args.event_command != "show")
    if args.command == "coverage":
        return not args.dry_run
    if args.command == "live":
        return not args.recap
    if args.command == "review":
        return args.review_command is not None
    return args.command not in READ_ONLY


@contextlib.contextmanager
def open_store(args: argparse.Namespace, settings: Settings) -> Iterator[Store]:
    """The store the command works on (see ``store_path``), closed cleanly afterwards.

    A read-only command opens it read-only and never creates one. A write command creates
    a missing store with its first write, and says so; on an existing store, the day's first
    backup is taken just before that write. A command that fails writes nothing.
    """
    write = writes(args)
    with store_path(args, settings) as path:
        new = write and not path.exists()
        if args.command == "check" and args.repair:
            report_repair(path)
        # a write folds into a new main file: it ends compacted anyway, no journal on the way
        store = Store(path, keep_backups=settings.backups, lock_timeout=LOCK_TIMEOUT,
                      create=write, readonly=not write, lenient=args.command == "check",
                      fold_writes=write)
        if write and not new and not getattr(args, "demo", False):
            store.daily_backup_before_writing()
        try:
            yield store
        except BaseException:
            with contextlib.suppress(StoreError, OSError):  # the first error is the one to say
                store.close()
            raise
        store.close()
        if new and path.exists():
            say(f"planterm: created a new store at {path}", err=True)


def report_repair(path: Path) -> None:
    """``check --repair``: salvage the journal and say what was kept and lost."""
    if not path.exists():
        raise StoreError(f"no store at {path}")
    report = repair(path)
    if report.copy is None:
        say(f"repair: the journal of {path} is intact ({report.kept} records); nothing to do")
        return
    say(f"repair: kept {report.kept} records; the damaged journal is kept as {report.copy}")
    for start, end in report.lost:
        say(f"repair: could not save bytes {start}-{end} of the journal")


def run_planner(args: argparse.Namespace, settings: Settings) -> int:
    """The planner (no command): the app opens the store itself, after its first frame."""
    from planterm import live

    # Textual draws a change at its next frame tick: at its default 60 per second a key
    # waits up to 17 ms for it, a third of the budget of a key; 120 halves that.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    import asyncio  # Textual's loop: a command never needs it (100 ms of imports)

    from planterm.tui.app import check_keymap, make_app  # Textual loads only when needed

    check_keymap(settings)
    with store_path(args, settings) as path:
        app = make_app(path, settings)

        def end(signum: int, frame: object) -> None:
            """Quit as ``q`` does, so that the terminal is given back as it was; first,
            live mode's typed text goes to disk (the terminal may be gone for good)."""
            live.flush_all()
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # not yet, or no longer, in the app's loop
                _end(signum, frame)
            loop.call_soon_threadsafe(partial(app.exit, return_code=128 + signum))

        with ended_cleanly(end):
            app.run()
        if app.exit_message:
            say(f"planterm: {inert(app.exit_message)}", err=True)
        return app.return_code or 0


def say(text: str, *, err: bool = False, end: str = "\n") -> None:
    """Print human-readable text: every control character and escape sequence in it, which
    may come from stored text, is shown as a visible mark (``planterm.text.inert``)."""
    print(inert(text, multiline=True), file=sys.stderr if err else sys.stdout, end=end,
          flush=bool(end != "\n"))


_JSON_UNSAFE = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
"""DEL, the C1 controls and the bidi overrides and isolates, in UTF-8."""
_JSON_UNSAFE_PARTS = (re.compile(rb"\xc2[\x80-\x9f]"), re.compile(rb"\xe2\x80[\xaa-\xae]"),
                      re.compile(rb"\xe2\x81[\xa6-\xa9]"))
"""The same, one literal start each: searched for four times faster than the union."""


def print_json(value: object) -> None:
    """Print JSON (UTF-8, indented by two) with the exact text: JSON escapes C0 controls
    itself, and DEL, the C1 controls and the bidi overrides are written as ``\\uXXXX``
    escapes too, so that no terminal acts on them."""
    import orjson  # not on the path of the commands that print no JSON

    try:  # orjson writes an aware datetime as isoformat() does
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:  # what orjson does not write (an integer beyond 64 bits)
        data = json.dumps(value, ensure_ascii=False, indent=2, default=datetime.isoformat
                          ).encode()
    if b"\x7f" in data or any(part.search(data) for part in _JSON_UNSAFE_PARTS):
        data = _JSON_UNSAFE.sub(lambda m: b"\\u%04x" % ord(m[0].decode()), data)
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        print(data.decode())
        return
    sys.stdout.flush()
    out.write(data + b"\n")


def post_json(post: Post, settings: Settings) -> dict[str, Any]:
    """A post as scripts read it: times in the user's zone with their offset, and its
    problems (``readiness.problems``, empty when it is ready)."""
    return docs_json([(post.id, post.to_doc(), problems(post))], settings.tz)[0]


def plural(n: int, word: str) -> str:
    """``1 post``, ``2 posts``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def docs_json(posts: Iterable[tuple[int | None, dict[str, Any], list[str]]], tz: tzinfo
              ) -> list[dict[str, Any]]:
    """``post_json`` of each (id, post's document as its ``to_doc`` writes it, its problems),
    its time left a ``datetime`` that ``print_json`` writes as ``isoformat`` would. One loop
    with the zone looked up once: a call per post cost ``list --json`` 90 ms at 20,000."""
    parse = datetime.fromisoformat
    return [{"id": post_id, **doc,
             "scheduled": parse(when).astimezone(tz) if (when := doc["scheduled"]) else None,
             "problems": found}
            for post_id, doc, found in posts]


def print_posts_json(ctx: Context, query: PostQuery) -> None:
    """Print the posts ``query`` finds as a JSON array."""
    docs = ctx.store.post_docs(query)  # as stored: not written again from a Post
    if docs is not None:
        # each document fits POST (the store checked it): its problems read from it whole
        print_json(docs_json([(i, d, doc_problems(d)) for i, d in docs], ctx.settings.tz))
    else:
        print_json([post_json(p, ctx.settings) for p in ctx.store.posts(query)])


def print_posts(ctx: Context, posts: list[Post], title: str,
                start: datetime | None, end: datetime | None) -> None:
    """Print posts as a readable agenda."""
    events = ctx.store.events() if start and end else []
    say(agenda.render(title, posts, events, start, end, ctx.settings))


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    """planterm add."""
    store = ctx.store
    post = Post(
        title=args.title.strip(),
        body=args.body,
        channels=resolve_channels(args.channel or list(ctx.settings.channels)),
        objectives=resolve_categories(args.objective, store.objectives(), "objectives",
                                      archived_ok=()),
        themes=resolve_categories(args.theme, store.themes(), "themes", archived_ok=()),
        event=resolve_event(store, args.event) if args.event else None,
        scheduled=ctx.when(args.on, "--on") if args.on else None,
    )
    if not post.title:
        raise InputError("title: must not be empty")
    status = parse_status(args.status)
    if status is Status.SCHEDULED and post.scheduled is None:
        raise InputError("--status scheduled: a post needs --on DATE before it is scheduled")
    try:
        check_gates(post, status)
    except TransitionError as e:
        raise InputError(f"--status {status}: {e}") from None
    post = store.add_post(replace(post, status=status))
    say(f"added post {post.id}: {agenda.post_line(post, ctx.settings)}")
    ctx.note_time(post.scheduled, "--on")
    return 0


def cmd_event(ctx: Context, args: argparse.Namespace) -> int:
    """planterm event add / show / set / cancel."""
    if args.event_command == "add":
        return event_add(ctx, args)
    event = the_event(ctx, args.ref)
    if args.event_command == "show":
        return event_show(ctx, args, event)
    if args.event_command == "set":
        return event_set(ctx, args, event)
    return event_cancel(ctx, args, event)


def the_event(ctx: Context, ref: str) -> Event:
    """The event ``ref`` names (an id or words of its title); ``ModelError`` (exit 2) when
    it names none, or several (listing them, as quick add does)."""
    found = resolve_event(ctx.store, ref)
    if found is None:
        raise InputError("E: give an event id or words of its title")
    event = ctx.store.get_event(found)
    assert event is not None  # just found in the same store
    return event


def templates(ctx: Context) -> Templates:
    """The coverage templates; a user's template left out is said on stderr."""
    from planterm.templates import load_templates

    loaded = load_templates()
    for warning in loaded.warnings:
        say(f"planterm: warning: {warning}", err=True)
    return loaded


def event_add(ctx: Context, args: argparse.Namespace) -> int:
    """planterm event add TITLE --on DATE [...]: each option set as ``event set`` would,
    so both say the same of a bad value (naming the option)."""
    from planterm.events import check_event, set_event_field
    from planterm.templates import load_templates

    options = [("end", args.end), ("place", args.place),
               ("kind", args.kind), ("hashtag", args.hashtag), ("rrule", args.rrule),
               ("channels", ",".join(args.channel)), ("objectives", ",".join(args.objective)),
               ("themes", ",".join(args.theme)), ("template", args.template)]
    event = Event(title=args.title.strip() or " ", start=ctx.when(args.on, "--on"))
    loaded = templates(ctx) if args.template else load_templates()
    try:
        for name, value in options:
            if value:
                event = set_event_field(ctx.store, event, name, value, now=ctx.now,
                                        tz=ctx.settings.tz, templates=loaded)
        event = replace(event, title=args.title.strip())
        check_event(event, ctx.settings)
    except ModelError as e:
        option = e.field if e.field == "title" else f"--{_OPTIONS.get(e.field, e.field)}"
        raise InputError(f"{option}: {e.problem}") from None
    event = ctx.store.add_event(event)
    say(f"added event {event.id}: {inert(event.title)} "
        f"({agenda.local_text(event.start, ctx.settings)})")
    ctx.note_time(event.start, "--on")
    return 0


_OPTIONS = {"channels": "channel", "objectives": "objective", "themes": "theme"}
"""The ``event add`` option of each event field whose name differs."""


def event_show(ctx: Context, args: argparse.Namespace, event: Event) -> int:
    """planterm event show E [--json]: reads only."""
    from planterm.events import template_of

    loaded = templates(ctx)
    listed = event_occurrences(ctx, event, loaded)
    if args.json:
        print_json({**event_json(event, ctx.settings),
                    "occurrences": [listed_json(item, ctx.settings) for item in listed],
                    "posts": [post_json(p, ctx.settings) for p in ctx.store.posts(
                        PostQuery(events=frozenset({cast(int, event.id)})))]})
        return 0
    say(event_text(ctx, event, template_of(event, loaded)))
    for item in listed:
        say("")
        say(listed_text(item, ctx.settings))
        for post in item.posts:
            slot = f"  [{post.slot.partition('@')[0]}]" if post.slot else ""
            say(f"    #{post.id:<5} {agenda.post_line(post, ctx.settings)}{slot}")
    return 0


SHOWN_OCCURRENCES = 5
"""How many upcoming occurrences ``event show`` lists for a repeating event."""


def event_occurrences(ctx: Context, event: Event, loaded: Templates) -> list[Listed]:
    """What ``event show`` lists: a single event's one occurrence; a repeating event's
    next few (or its last, when none is ahead)."""
    from planterm.events import listing

    if not event.rrule:
        return listing(ctx.store, ctx.settings, loaded, ctx.now, events=[event],
                       start=event.start, end=event.start + timedelta(seconds=1))
    ahead = listing(ctx.store, ctx.settings, loaded, ctx.now, events=[event])
    return ahead[:SHOWN_OCCURRENCES] or listing(ctx.store, ctx.settings, loaded, ctx.now,
                                                events=[event], past=True)[:1]


def event_text(ctx: Context, event: Event, template: Template | None) -> str:
    """An event in full, a field a line (made inert by ``say``)."""
    settings = ctx.settings
    end = f" – {agenda.local_text(event.end, settings)}" if event.end else ""
    used = (f"{template.key} ({template.name}, {plural(len(template.slots), 'post')}: "
            f"{', '.join(s.key for s in template.slots)})" if template else
            f"none for {event.template or event.kind}")
    rows = [
        ("when", agenda.local_text(event.start, settings) + end),
        ("kind", event.kind.value),
        ("place", event.place),
        ("hashtag", event.hashtag),
        ("channels", ", ".join(event.channels)),
        ("objectives", ", ".join(event.objectives)),
        ("themes", ", ".join(event.themes)),
        ("coverage", used),
        ("repeats", event.rrule),
        ("except", ", ".join(agenda.local_text(d, settings) for d in event.exdates)),
        ("cancelled", "yes" if event.cancelled else ""),
        ("uid", event.uid),
    ]
    lines = [f"event {event.id}: {inert(event.title)}"]
    lines += [f"  {name:<10} {inert(value)}" for name, value in rows if value]
    if event.notes:
        lines += ["", "notes:", *indented(event.notes)]
    return "\n".join(lines)


def listed_text(item: Listed, settings: Settings) -> str:
    """Two lines for an occurrence: when, what and where; then its coverage."""
    event = item.occurrence.event
    where = ", ".join(x for x in (event.kind.value, event.place) if x)
    tag = f"  {event.hashtag}" if event.hashtag else ""
    off = "  ✗ cancelled" if event.cancelled else ""
    cov = item.state
    counts = (f"planned {cov.planned} · written {cov.written} · approved {cov.approved} · "
              f"published {cov.published} · live {cov.live}")
    lines = [f"{agenda.local_text(item.occurrence.start, settings)}  event {event.id}: "
             f"{event.title} ({where}){tag}{off}", f"    {cov.mark} · {counts}",
             f"    next: {cov.next_step}"]
    return "\n".join(map(inert, lines))  # each line on its own: a title's line break is a mark


def local_iso(when: datetime | None, settings: Settings) -> str | None:
    """A time in the user's zone with its offset, as scripts read it."""
    return when.astimezone(settings.tz).isoformat() if when else None


def event_json(event: Event, settings: Settings) -> dict[str, Any]:
    """An event as scripts read it: its stored fields, times in the user's zone."""
    return {"id": event.id, **event.to_doc(), "start": local_iso(event.start, settings),
            "end": local_iso(event.end, settings),
            "exdates": [local_iso(d, settings) for d in event.exdates]}


def listed_json(item: Listed, settings: Settings) -> dict[str, Any]:
    """One occurrence for ``events --json``: the event with this occurrence's start and
    end, its template and its coverage counts."""
    cov = item.state
    return {**event_json(item.occurrence.event, settings),
            "start": local_iso(item.occurrence.start, settings),
            "end": local_iso(item.end, settings),
            "coverage": {"template": item.template.key if item.template else None,
                         **cov.counts(), "mark": cov.mark, "next": cov.next_step,
                         "posts": [p.id for p in item.posts]}}


def cmd_events(ctx: Context, args: argparse.Namespace) -> int:
    """planterm events [--past] [--from DATE] [--to DATE] [--json]: reads only."""
    from planterm.events import listing, period

    start = ctx.when(args.start, "--from") if args.start else None
    end = ctx.when(args.end, "--to") if args.end else None
    if start and end and end <= start:
        raise InputError(f"--to: {agenda.local_text(end, ctx.settings)} is not after --from "
                         f"{agenda.local_text(start, ctx.settings)}; swap them?")
    listed = listing(ctx.store, ctx.settings, templates(ctx), ctx.now, past=args.past,
                     start=start, end=end)
    if args.json:
        print_json([listed_json(item, ctx.settings) for item in listed])
        return 0
    which = "past" if args.past else "upcoming"
    if start or end:
        lo, hi = period(ctx.now, ctx.settings, past=args.past, start=start, end=end)
        first = "the first" if lo.year == 1900 else agenda.local_text(lo, ctx.settings)
        which = f"starting from {first} to {agenda.local_text(hi, ctx.settings)}"
    say(f"{plural(len(listed), 'event')}, {which}"
        + ("" if listed or ctx.store.events() else
           "; add one with: planterm event add TITLE --on DATE --kind KIND"))
    for item in listed:
        say(listed_text(item, ctx.settings))
    return 0


def event_set(ctx: Context, args: argparse.Namespace, event: Event) -> int:
    """planterm event set E field=value ... [--move-posts | --keep-posts]."""
    from planterm.events import date_shift, edit_event, posts_to_move, set_event_field, shift_text
    from planterm.templates import load_templates

    changed = event
    loaded = templates(ctx) if any(a.startswith("template=") for a in args.assignments) \
        else load_templates()
    for assignment in args.assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise InputError(f"{assignment!r}: expected field=value; fields: "
                             f"{', '.join(EVENT_FIELDS)}")
        changed = set_event_field(ctx.store, changed, name.strip(), value, now=ctx.now,
                                  tz=ctx.settings.tz, templates=loaded)
    shift = date_shift(event, changed, ctx.settings.tz)
    follow = posts_to_move(ctx.store, event) if shift is not None else []
    if follow and not (args.move_posts or args.keep_posts):
        ids = ", ".join(str(p.id) for p in follow)
        raise InputError(f"on: event {event.id} moves by {shift_text(cast(timedelta, shift))} "
                         f"and {plural(len(follow), 'post')} of it not yet published "
                         f"({ids}) would stay behind; add --move-posts to move them with it, "
                         "or --keep-posts to leave them")
    change = edit_event(ctx.store, event, changed, ctx.settings, move_posts=args.move_posts,
                        now=ctx.now)
    after = change.after
    say(f"event {after.id}: {inert(after.title)} ({agenda.local_text(after.start, ctx.settings)})")
    if shift is not None and change.posts:
        say(f"moved {plural(len(change.posts), 'post')} by {shift_text(shift)}:")
        for _, post in change.posts:
            say(f"  #{post.id:<5} {agenda.post_line(post, ctx.settings)}")
    elif follow:
        stayed = "it was" if len(follow) == 1 else "they were"
        say(f"kept {plural(len(follow), 'post')} where {stayed}")
    if shift is not None:
        ctx.note_time(after.start, "on")
    return 0


def event_cancel(ctx: Context, args: argparse.Namespace, event: Event) -> int:
    """planterm event cancel E [--yes]: asks first, as ``delete`` does."""
    from planterm.events import cancel_event

    if event.cancelled:
        raise InputError(f"event {event.id} is already cancelled")
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(f"cancel: the input is not a terminal to ask on; "
                             f"'planterm event cancel {event.id} --yes' cancels without asking")
        say(f"cancel event {event.id}: {event.title}, and its posts not yet published? [y/N] ",
            err=True, end="")
        if input().strip().lower() not in ("y", "yes", "o", "oui"):
            say(f"planterm: event {event.id} kept, nothing cancelled", err=True)
            return 1
    change = cancel_event(ctx.store, event, ctx.now)
    say(f"cancelled event {event.id}: {inert(event.title)}")
    if change.posts:
        say(f"and {plural(len(change.posts), 'post')} of it not yet published:")
        for _, post in change.posts:
            say(f"  #{post.id:<5} {agenda.post_line(post, ctx.settings)}")
    return 0


def cmd_coverage(ctx: Context, args: argparse.Namespace) -> int:
    """planterm coverage E [--template NAME] [--dry-run] [--from DATE] [--to DATE]."""
    from planterm.coverage import create, plan

    event = the_event(ctx, args.ref)
    if event.cancelled:
        raise InputError(f"event {event.id} is cancelled: it gets no new coverage")
    loaded = templates(ctx)
    template = loaded.find(args.template) if args.template else loaded.for_event(
        event.template, event.kind)
    starts = coverage_starts(ctx, args, event)
    posts = ctx.store.posts(PostQuery(events=frozenset({cast(int, event.id)})))
    planned = plan(event, starts, template, posts, ctx.now, ctx.settings)
    say(f"coverage of event {event.id}: {inert(event.title)} · template {template.key} "
        f"({template.name})")
    for start in starts:
        say(f"{agenda.local_text(start, ctx.settings)}:")
        for item in (p for p in planned if p.occurrence == start):
            say(f"  {inert(item.line(ctx.settings))}")
    made = [p for p in planned if p.creates]
    if not made:
        say("nothing to make: every slot is there already or past")
        return 0
    if args.dry_run:
        say(f"dry run: would make {plural(len(made), 'draft post')}; nothing was written")
        return 0
    created = create(ctx.store, event, planned)
    ids = ", ".join(str(p.id) for p in created)
    say(f"made {plural(len(created), 'draft post')} ({ids}), tagged with event {event.id}")
    return 0


COVERAGE_WEEKS = 4
"""How far ``coverage --from`` reaches when ``--to`` is not given."""


def coverage_starts(ctx: Context, args: argparse.Namespace, event: Event) -> list[datetime]:
    """The occurrences ``coverage`` works on: a single event's one; a repeating event's
    next one (today's counts), or each between --from and --to."""
    from planterm.coverage import occurrence_starts
    from planterm.events import listing, today_start
    from planterm.templates import load_templates

    if not event.rrule:
        if args.start or args.end:
            raise InputError(f"--from/--to: event {event.id} does not repeat; its coverage "
                             "is that of its one date")
        return [event.start]
    midnight = today_start(ctx.now, ctx.settings)
    if not (args.start or args.end):
        upcoming = listing(ctx.store, ctx.settings, load_templates(), ctx.now, events=[event])
        if not upcoming:
            raise InputError(f"event {event.id} has no occurrence ahead; give --from and --to "
                             "for past ones")
        return [upcoming[0].occurrence.start]
    start = ctx.when(args.start, "--from") if args.start else midnight
    end = ctx.when(args.end, "--to") if args.end else start + timedelta(weeks=COVERAGE_WEEKS)
    if end <= start:
        raise InputError(f"--to: {agenda.local_text(end, ctx.settings)} is not after --from "
                         f"{agenda.local_text(start, ctx.settings)}; swap them?")
    found = occurrence_starts(event, start, end, ctx.settings)
    if not found:
        raise InputError(f"event {event.id} has no occurrence from "
                         f"{agenda.local_text(start, ctx.settings)} to "
                         f"{agenda.local_text(end, ctx.settings)}")
    return found


def cmd_live(ctx: Context, args: argparse.Namespace) -> int:
    """planterm live E "text" [--channel C] [--status S] [--numbered] | E --recap."""
    from planterm import live
    from planterm.events import listing
    from planterm.templates import load_templates

    if (args.text is None) == (not args.recap):
        raise InputError("give the post's text, or --recap (not both)")
    event = the_event(ctx, args.ref)
    if event.cancelled and not args.recap:
        raise InputError(f"event {event.id} is cancelled: nothing to log live")
    loaded = load_templates()
    found = (listing(ctx.store, ctx.settings, loaded, ctx.now, events=[event])
             or listing(ctx.store, ctx.settings, loaded, ctx.now, events=[event], past=True))
    start = found[0].occurrence.start if found else event.start
    chosen = resolve_channels(args.channel, "--channel") if args.channel else \
        list(event.channels or ctx.settings.channels)
    try:
        setup = live.Setup(event, start, tuple(chosen), Status(args.status), args.numbered)
    except ModelError as e:
        raise InputError(f"{e.field}: {e.problem}") from None
    when = agenda.local_text(start, ctx.settings)
    if args.recap:
        posts = live.live_posts(ctx.store, setup, ctx.settings)
        recap = live.recap(posts, ctx.settings)
        if not recap:
            say(f"no live post for {inert(event.title)} ({when})")
        for channel, text in recap.items():
            name = channels.networks()[channel].name if channel in channels.networks() \
                else channel
            say(f"--- {name} · {inert(event.title)} · {when}")
            say(text)
        return 0
    try:
        post = live.log(ctx.store, setup, args.text, ctx.now, ctx.settings)
    except ModelError as e:
        raise InputError(f"{e.field}: {e.problem}") from None
    except TransitionError as e:
        raise InputError(str(e)) from None
    say(f"logged post {post.id} live for {inert(event.title)} ({when}): "
        f"{post.status.symbol} {post.status} on {agenda.abbrs(post.channels) or '-'}")
    return 0


def cmd_week(ctx: Context, args: argparse.Namespace) -> int:
    """planterm week."""
    day = ctx.when(args.date, "date").date() if args.date else ctx.now.astimezone(
        ctx.settings.tz).date()
    start, end = period_bounds("week", day, ctx.settings.tz, ctx.settings.week_start_index)
    query = PostQuery(start=start, end=end)
    if args.json:
        print_posts_json(ctx, query)
    else:
        posts = ctx.store.posts(query)
        print_posts(ctx, posts, agenda.week_title(day, ctx.settings), start, end)
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """planterm list."""
    query = list_query(ctx, args)
    if args.json:
        print_posts_json(ctx, query)
    else:
        posts = ctx.store.posts(query)
        print_posts(ctx, posts, plural(len(posts), "post"), query.start, query.end)
    return 0


def list_query(ctx: Context, args: argparse.Namespace) -> PostQuery:
    """The query of ``list``'s options (--from, --to, --status and the filters), which the
    exports take too."""
    from planterm.filters import parse_filter

    start = ctx.when(args.start, "--from") if args.start else None
    end = ctx.when(args.end, "--to") if args.end else None
    if start and end and end <= start:
        raise InputError(f"--to: {agenda.local_text(end, ctx.settings)} is not after --from "
                         f"{agenda.local_text(start, ctx.settings)}; swap them?")
    query = parse_filter(args.filter, ctx.store, base=filter_query(ctx.store, args))
    return replace(query, start=start, end=end,
                   statuses=query.statuses | {parse_status(s) for s in args.status})


def filter_query(store: Store, args: argparse.Namespace) -> PostQuery:
    """The query of the filters ``list`` and ``matrix`` share (``_add_filters``)."""
    return PostQuery(
        channels=frozenset(resolve_channels(args.channel, "--channel")),
        objectives=frozenset(resolve_categories(args.objective, store.objectives(),
                                                "objectives")),
        themes=frozenset(resolve_categories(args.theme, store.themes(), "themes")),
        events=frozenset(i for e in args.event for i in find_events(store, e)),
        words=tuple(args.text.split()),
        warnings=args.warnings,
    )


def the_post(ctx: Context, post_id: int) -> Post:
    """The post with this id, or ``InputError``."""
    post = ctx.store.get_post(post_id)
    if post is None:
        raise InputError(f"no post with id {post_id}")
    return post


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """planterm show ID [--channel C | --json]."""
    post = the_post(ctx, args.id)
    if args.channel:
        channel = resolve_channels([args.channel], "--channel")[0]
        if channel not in post.channels:
            on = ", ".join(post.channels) or "no channel"
            raise InputError(f"--channel: post {post.id} does not go out on {channel} "
                             f"(its channels: {on})")
        write_raw(outgoing_text(post, channel))
        return 0
    if args.json:
        texts = {c: outgoing_text(post, c) for c in post.channels}
        print_json({**post_json(post, ctx.settings), "outgoing": texts})
        return 0
    say(show_text(ctx, post))
    return 0


def write_raw(text: str) -> None:
    """``text`` exactly, for a pipe or a file; on a terminal, inert (control characters
    shown as marks) and ended by a line break."""
    if sys.stdout.isatty():
        say(text)
        return
    sys.stdout.write(text)


def show_text(ctx: Context, post: Post) -> str:
    """A post in full, as ``planterm show`` prints it (made inert by ``say``)."""
    settings, known = ctx.settings, channels.networks()
    event = ctx.store.get_event(post.event) if post.event is not None else None
    rows = [
        ("status", f"{post.status.symbol} {post.status}"),
        ("when", agenda.local_text(post.scheduled, settings) if post.scheduled else
         "unscheduled"),
        ("channels", ", ".join(known[c].name if c in known else c for c in post.channels)),
        ("objectives", ", ".join(post.objectives)),
        ("themes", ", ".join(post.themes)),
        ("event", f"{event.id} {event.title}" if event else ""),
        ("hashtags", " ".join(post.hashtags)),
        ("flags", ", ".join(post.flags)),
        ("checklist", ", ".join(f"{'✓' if done else '○'} {item}"
                                for item, done in post.checklist.items())),
        ("live", "yes" if post.live else ""),
        ("link", post.link),
        ("media", post.media),
        ("created", agenda.local_text(post.created, settings)),
        ("updated", agenda.local_text(post.updated, settings)),
        ("uid", post.uid),
    ]
    lines = [f"post {post.id}: {inert(post.title)}"]
    lines += [f"  {name:<10} {inert(value)}" for name, value in rows if value]
    lines += [f"  {WARN_MARK} {problem}" for problem in problems(post)]
    for channel in post.channels:
        fit = channels.fit(outgoing_text(post, channel), channel) if channel in known else None
        count = f" ({fit.count}/{fit.limit}{' ' + WARN_MARK if fit.over else ''})" if fit else ""
        name = known[channel].name if channel in known else channel
        lines += ["", f"on {name}{count}:", *indented(outgoing_text(post, channel))]
    if not post.channels:
        lines += ["", "body:", *indented(post.body)]
    if post.notes:
        lines += ["", "notes:", *indented(post.notes)]
    return "\n".join(lines)


def indented(text: str) -> list[str]:
    """Text on its own lines, indented; each made inert (tabs and all)."""
    return [f"  {inert(line)}" for line in text.split("\n")] if text else ["  (empty)"]


def cmd_delete(ctx: Context, args: argparse.Namespace) -> int:
    """planterm delete ID [--yes]: asks first, keeps a backup holding the post, names it."""
    store = ctx.store
    post = the_post(ctx, args.id)
    line = agenda.post_line(post, ctx.settings)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(f"delete: the input is not a terminal to ask on; "
                             f"'planterm delete {post.id} --yes' deletes without asking")
        say(f"delete post {post.id}: {line}? [y/N] ", err=True, end="")
        if input().strip().lower() not in ("y", "yes", "o", "oui"):
            say(f"planterm: post {post.id} kept, nothing deleted", err=True)
            return 1
    if getattr(args, "demo", False):
        store.replace_post(post, None)
        say(f"deleted post {post.id} from this temporary copy of the demo: {line}")
        return 0
    store.daily_backup()
    backup = holding_backup(store, post) or store.backup("delete")
    store.replace_post(post, None)  # refused if it changed meanwhile: nothing deleted then
    say(f"deleted post {post.id}: {line}")
    say(f"to get it back: the backup {backup} holds it "
        f"('planterm --store {backup} show {post.id}')")
    return 0


def holding_backup(store: Store, post: Post) -> Path | None:
    """The newest backup, if it holds ``post`` exactly as it is now."""
    kept = backups.listing(store.path)
    if not kept or post.id is None:
        return None
    try:
        doc = json.loads(kept[-1].read_bytes()).get("posts", {}).get(str(post.id))
        same = doc is not None and Post.from_doc(doc, post.id) == post
    except (OSError, ValueError, AttributeError):
        return None
    return kept[-1] if same else None


def cmd_set(ctx: Context, args: argparse.Namespace) -> int:
    """planterm set ID field=value ..."""
    post = original = the_post(ctx, args.id)
    for assignment in args.assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise InputError(f"{assignment!r}: expected field=value; fields: {', '.join(FIELDS)}")
        try:
            post = set_field(ctx.store, post, name.strip(), value, now=ctx.now,
                             tz=ctx.settings.tz)
        except ReviewOpen as e:
            return refused_approval(post, e)
    # compared and written under one lock: a change made meanwhile elsewhere is not lost
    stored = ctx.store.replace_post(original, replace(post, updated=utcnow()))
    assert stored is not None
    say(f"post {stored.id}: {agenda.post_line(stored, ctx.settings)}")
    if any(a.partition("=")[0].strip() == "on" for a in args.assignments):
        ctx.note_time(stored.scheduled, "on")
    return 0


def refused_approval(post: Post, refused: ReviewOpen) -> int:
    """Exit 1: a flagged post is not approved while items of its checklist are open;
    each one named, with the command that ticks it."""
    numbered = {item: n for n, item in enumerate(post.checklist, 1)}
    if not refused.missing:
        say(f"planterm: post {post.id} not approved: it is flagged ({', '.join(post.flags)}) "
            f"but has no checklist; set its flags again: planterm set {post.id} "
            f"flags={','.join(post.flags)}", err=True)
        return 1
    say(f"planterm: post {post.id} not approved: {plural(len(refused.missing), 'item')} of "
        "its review checklist not ticked:", err=True)
    for item in refused.missing:
        say(f"  {OPEN_MARK} {numbered[item]}. {item}", err=True)
    say(f"tick each with: planterm review tick {post.id} NUMBER", err=True)
    return 1


def cmd_review(ctx: Context, args: argparse.Namespace) -> int:
    """planterm review [--from] [--to] [--json]; review tick|untick ID ITEM."""
    from planterm.review import needs_review, review_json, review_text

    if args.review_command is not None:
        return review_tick(ctx, args, args.review_command == "tick")
    start = ctx.when(args.start, "--from") if args.start else None
    end = ctx.when(args.end, "--to") if args.end else None
    known = wording()
    for warning in known.warnings:
        say(f"planterm: warning: {warning}", err=True)
    posts = [p for p in ctx.store.posts(PostQuery(start=start, end=end))
             if needs_review(p, known)]
    if args.json:
        print_json([{**review_json(p, known), "scheduled": local_iso(p.scheduled, ctx.settings)}
                    for p in posts])
        return 0
    if not posts:
        say("no post to review: no glossary term and no flag on a post still to publish")
    for n, post in enumerate(posts):
        when = agenda.local_text(post.scheduled, ctx.settings) if post.scheduled \
            else "unscheduled"
        say(("\n" if n else "") + review_text(post, known, ctx.settings, when))
    return 0


def review_tick(ctx: Context, args: argparse.Namespace, done: bool) -> int:
    """planterm review tick|untick ID ITEM: recorded with the reviewer's name and now."""
    from planterm.review import DONE_MARK

    post = the_post(ctx, args.id)
    item = find_item(post, " ".join(args.item))
    number = list(post.checklist).index(item) + 1
    after = tick(post, item, done, ctx.settings.reviewer, ctx.now)
    verb = "ticked" if done else "unticked"
    if after is post:
        say(f"post {post.id}: {number}. {item} is already {verb}; nothing changed")
        return 0
    stored = ctx.store.replace_post(post, replace(after, updated=utcnow()))
    assert stored is not None
    left = open_items(stored)
    state = f"{plural(len(left), 'item')} open" if left else "checklist done"
    say(f"post {stored.id}: {DONE_MARK if done else OPEN_MARK} {number}. {item} — {verb} by "
        f"{ctx.settings.reviewer}; {state}")
    return 0


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """planterm check: reads only, unless --compact or --repair. Posts not ready for their
    status are warnings: they do not make it fail."""
    store = ctx.store
    wrong = store.check()
    for warning in store.report.warnings:
        say(f"warning: {inert(warning)}")
    unready = store.unready()
    for post, found in unready:
        when = agenda.local_text(post.scheduled, ctx.settings) if post.scheduled else \
            "unscheduled"
        say(f"warning: post {post.id} ({when}, {post.status}) {WARN_MARK} "
            f"{'; '.join(found)}: {inert(post.title)}")
    if args.compact:
        store.compact()
        say(f"compacted: {store.path} is one JSON file")
    kept = backups.listing(store.path)
    say(f"backups: {len(kept)} in {backups.folder(store.path)}")
    for path in kept:
        say(f"  {path.name}")
    if wrong:
        say(f"{store.path}: {plural(len(wrong), 'problem')}")
        for problem in wrong:
            say(f"  {inert(str(problem))}")
        return 1
    summary = ", ".join(plural(len(store.db.table(f"{name}s")), name)
                        for name in ("post", "event", "objective", "theme"))
    ready = f"; {plural(len(unready), 'post')} not ready ({WARN_MARK})" if unready else ""
    say(f"{store.path}: ok ({summary}){ready}")
    return 0


def cmd_matrix(ctx: Context, args: argparse.Namespace) -> int:
    """planterm matrix: reads only."""
    from planterm.filters import parse_filter

    tz = ctx.settings.tz
    if args.start and args.period == "all":
        raise InputError("--from: not with --period all, which runs from the first post "
                         "to the last")
    today = ctx.now.astimezone(tz).date()
    anchor = ctx.when(args.start, "--from").astimezone(tz).date() if args.start else today
    query = parse_filter(args.filter, ctx.store, base=filter_query(ctx.store, args))
    span = span_in(ctx.store, args.period, anchor, tz, ctx.settings.week_start_index)
    counted = count_store(ctx.store, Selection(span, query, args.status), today)
    shown = " ".join(_filter_words(args))
    if args.json:
        print_json(matrix_text.to_json(counted, ctx.settings, shown))
    else:
        width = min(max(shutil.get_terminal_size().columns, 60), 160)
        say(matrix_text.render(counted, ctx.settings, width, shown))
    return 0


def _filter_words(args: argparse.Namespace) -> list[str]:
    """The filters given, as the filter line writes them, for the heading."""
    words = [f"{name}:{value}" for name, values in (
        ("ch", args.channel), ("obj", args.objective), ("theme", args.theme)) for value in values]
    return [*words, *args.text.split(), *args.filter.split()]


def cmd_structure(ctx: Context, args: argparse.Namespace) -> int:
    """planterm objective ... and planterm theme ...: the same commands on either table."""
    table = STRUCTURE[args.command]
    if args.structure_command == "add":
        return structure_add(ctx, args, table)
    if args.structure_command == "list":
        return structure_list(ctx, args, table)
    (key,) = resolve_categories([args.key], ctx.store.categories(table), table)
    cat = ctx.store.category(table, key)
    assert cat is not None  # just resolved from the same store
    if args.structure_command == "set":
        return structure_set(ctx, args, table, cat)
    if args.structure_command in ("archive", "unarchive"):
        return structure_archive(ctx, table, cat, args.structure_command == "archive")
    if args.structure_command == "delete":
        return structure_delete(ctx, table, cat)
    return structure_merge(ctx, args, table, cat)


def structure_add(ctx: Context, args: argparse.Namespace, table: CategoryTable) -> int:
    """planterm objective add KEY NAME [--description] [--colour] [--target-...]."""
    cat = Category(key=args.key.strip(), name=args.name.strip())
    for name in ("description", "colour", "target_share", "target_per_month"):
        value = getattr(args, name)
        if value is not None:
            cat = set_category_field(cat, name, value)
    CATEGORY.fit(cat.to_doc())  # a bad key or an empty name, named, before anything else
    check_category(table, cat, ctx.store.categories(table))
    ctx.store.add_category(table, cat)
    say(f"added {table[:-1]} {category_line(cat, 0)}")
    return 0


def structure_list(ctx: Context, args: argparse.Namespace, table: CategoryTable) -> int:
    """planterm objective list [--json]: archived ones too, with the posts that use each."""
    cats, used = ctx.store.categories(table), ctx.store.usage(table)
    if args.json:
        print_json([{**c.to_doc(), "posts": used[c.key]} for c in cats])
    elif not cats:
        say(f"no {table} yet; add one with: planterm {table[:-1]} add KEY NAME "
            "[--target-share PCT | --target-per-month N]")
    for cat in [] if args.json else cats:
        say(category_line(cat, used[cat.key], max(len(c.key) for c in cats)))
    return 0


def structure_set(ctx: Context, args: argparse.Namespace, table: CategoryTable,
                  cat: Category) -> int:
    """planterm objective set KEY field=value ..."""
    new = cat
    for assignment in args.assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise InputError(f"{assignment!r}: expected field=value; fields: "
                             f"{', '.join(CATEGORY_FIELDS)}")
        new = set_category_field(new, name.strip(), value)
    check_category(table, new, ctx.store.categories(table))
    ctx.store.update_category(table, cat, new)
    say(f"{table[:-1]} {category_line(new, ctx.store.usage(table)[new.key])}")
    return 0


def structure_archive(ctx: Context, table: CategoryTable, cat: Category, archive: bool) -> int:
    """planterm objective archive / unarchive KEY; already so, nothing is written."""
    one, done = table[:-1], "archived" if archive else "unarchived"
    if cat.archived == archive:
        say(f"{one} {cat.key} is {'already archived' if archive else 'not archived'}; "
            "nothing to do")
        return 0
    ctx.store.update_category(table, cat, replace(cat, archived=archive))
    what = ("hidden from new posts; its posts keep it, and past matrices show it" if archive
            else "offered again for new posts")
    say(f"{done} {one} {cat.key}: {what}")
    return 0


def structure_delete(ctx: Context, table: CategoryTable, cat: Category) -> int:
    """planterm objective delete KEY: only when no post uses it."""
    one = table[:-1]
    try:
        ctx.store.delete_category(table, cat)
    except CategoryInUse as e:
        raise InputError(f"{e.problem}, so it stays; archive it instead (planterm {one} "
                         f"archive {cat.key}), or merge it (planterm {one} merge {cat.key} "
                         "INTO)") from None
    say(f"deleted {one} {cat.key}")
    return 0


def structure_merge(ctx: Context, args: argparse.Namespace, table: CategoryTable,
                    cat: Category) -> int:
    """planterm theme merge FROM INTO: FROM's posts move to INTO, FROM is deleted."""
    (into,) = resolve_categories([args.into], ctx.store.categories(table), table)
    merge = ctx.store.merge_categories(table, cat.key, into)
    n = len(merge.posts)
    say(f"merged {table[:-1]} {cat.key} into {into}: {n} post{'s' if n != 1 else ''} "
        f"moved, {cat.key} deleted")
    return 0


_PARSERS: tuple[tuple[tuple[str, ...], Callable[[Any, argparse.ArgumentParser], None]],
                ...] = (
    (("add",), _add_post_parser),
    (("events", "event", "coverage"), _add_event_parsers),
    (("week",), _add_week_parser),
    (("list",), _add_list_parser),
    (("show",), _add_show_parser),
    (("delete",), _add_delete_parser),
    (("set",), _add_set_parser),
    (("objective", "theme"), _add_structure_parsers),
    (("matrix",), _add_matrix_parser),
    (("review",), _add_review_parser),
    (("live",), _add_live_parser),
    (("export", "import", "report", "backup", "restore"), _add_interop_parsers),
    (("check",), _add_check_parser),
)
"""Each command's parser, by the names of the commands it adds, in the order of the help."""


COMMANDS = {"add": cmd_add, "live": cmd_live,
            "event": cmd_event, "events": cmd_events, "coverage": cmd_coverage,
            "week": cmd_week, "list": cmd_list,
            "set": cmd_set, "check": cmd_check, "show": cmd_show, "delete": cmd_delete,
            "objective": cmd_structure, "theme": cmd_structure, "matrix": cmd_matrix,
            "review": cmd_review}


def command(name: str) -> Callable[[Context, argparse.Namespace], int]:
    """The function of a command: this module's, or handover and interop's."""
    from planterm import cli_interop

    return COMMANDS.get(name) or cli_interop.COMMANDS[name]


def check_utf8(argv: Sequence[str]) -> None:
    """Refuse an argument that is not valid UTF-8 (Python keeps its bad bytes as surrogates)."""
    for arg in argv:
        try:
            arg.encode()
        except UnicodeEncodeError as e:
            shown = arg.encode(errors="surrogateescape").decode(errors="replace")
            raise InputError(f"argument {inert(shown)!r} is not valid UTF-8 "
                             f"(byte {e.object[e.start].encode(errors='surrogateescape')!r} "
                             f"at {e.start})") from None


def run(argv: Sequence[str] | None = None) -> int:
    """Parse, open, dispatch; every expected failure becomes one line and an exit code."""
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        check_utf8(argv)
        args = parse_args(argv)
        # reading never writes: not even the settings file a first run would create
        settings = load_settings(create=args.command is None or writes(args))
        if args.command is None:
            return run_planner(args, settings)
        with open_store(args, settings) as store:
            for warning in store.report.warnings:
                say(f"planterm: warning: {inert(warning)}", err=True)
            if store.report.backup:
                say(f"planterm: migrated the store from version {store.report.migrated_from};"
                    f" backup in {store.report.backup}", err=True)
            ctx = Context(settings, store, utcnow())
            return command(args.command)(ctx, args)
    except (InputError, SettingsError, ModelError, TransitionError, channels.UnknownChannel,
            DateParseError) as e:
        say(f"planterm: {inert(str(e))}", err=True)
        return 2
    except StoreError as e:
        say(f"planterm: {inert(str(e))}", err=True)
        return 1
    except BrokenPipeError:
        raise
    except OSError as e:
        say(f"planterm: {inert(str(e.filename or 'store'))}: {e.strerror}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130


_OWN_PROCESS = False
"""Whether this process is planterm's alone (``main``), not a caller's (tests, scripts)."""


def main() -> None:
    """Console-script entry point; a closed pipe (``planterm week | head``) ends quietly."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    storage.FREEZE_LOADED = True  # this process is planterm: its store lives as long as it
    # What planterm builds until its store is open (modules, the planner's widgets, the
    # store) lives as long as the process: the collector's passes over it cost the planner
    # a tenth of its start. A command keeps it off to the end (its objects live until it
    # ends: the collector would add a third to a 'list --json'); the planner turns it back
    # on once the store is open (``PlantermApp._opened``).
    gc.disable()
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    if threading.active_count() == 1:
        # A command: every file is written and fsync'd, stdout flushed. Leaving at once
        # spares freeing the parsed store object by object (50 ms at 20,000 posts).
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)  # the planner: its threads (a backup being written) are waited for
