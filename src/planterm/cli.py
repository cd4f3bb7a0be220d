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
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from planterm import agenda, backups, channels, storage
from planterm.config import Settings, SettingsError, load_settings, resolve_store
from planterm.dates import (
    DateParseError,
    parse_when,
    period_bounds,
    repeated_time_note,
    validate_rrule,
)
from planterm.demo import write_demo
from planterm.edits import (
    FIELDS,
    parse_status,
    resolve_categories,
    resolve_channels,
    resolve_event,
    set_field,
)
from planterm.model import Event, EventKind, ModelError, Post, Status, TransitionError, utcnow
from planterm.storage import StoreError, repair
from planterm.store import PostQuery, Store
from planterm.text import inert

LOCK_TIMEOUT = 5.0
"""Seconds a command waits for another planterm's write before giving up."""


class InputError(Exception):
    """Bad input on the command line: exit 2 with this one line."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise InputError(f"{self.prog}: {message} (see {self.prog} --help)")


def _common() -> _Parser:
    """--store and --demo, accepted before or after the subcommand."""
    common = _Parser(add_help=False)
    common.add_argument("--store", metavar="PATH", default=argparse.SUPPRESS,
                        help="store file (default: $PLANTERM_STORE, then the settings)")
    common.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="work on a fresh temporary copy of the bundled demo plan")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, one subparser per command."""
    common = _common()
    parser = _Parser(prog="planterm", parents=[common],
                     description="Plan a cultural institution's social media from the terminal. "
                                 "With no command, opens the planner.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

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

    event = sub.add_parser("event", parents=[common], help="manage events")
    esub = event.add_subparsers(dest="event_command", metavar="COMMAND", required=True,
                                parser_class=_Parser)
    eadd = esub.add_parser("add", parents=[common], help="add an event")
    eadd.add_argument("title")
    eadd.add_argument("--on", required=True, metavar="DATE", help="start")
    eadd.add_argument("--end", metavar="DATE")
    eadd.add_argument("--place", default="")
    eadd.add_argument("--kind", default="talk", choices=[k.value for k in EventKind])
    eadd.add_argument("--hashtag", default="")
    eadd.add_argument("--rrule", default="", metavar="RULE",
                      help="RFC 5545 recurrence, e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=10")

    week = sub.add_parser("week", parents=[common], help="print the agenda of a week")
    week.add_argument("date", nargs="?", help="a day in the week (default: today)")
    week.add_argument("--json", action="store_true", help="print a JSON array of posts")

    lst = sub.add_parser("list", parents=[common], help="list posts matching filters")
    lst.add_argument("--from", dest="start", metavar="DATE")
    lst.add_argument("--to", dest="end", metavar="DATE")
    lst.add_argument("--status", action="append", default=[], metavar="S")
    lst.add_argument("--channel", action="append", default=[], metavar="C")
    lst.add_argument("--objective", action="append", default=[], metavar="O")
    lst.add_argument("--theme", action="append", default=[], metavar="T")
    lst.add_argument("--text", default="", metavar="WORDS")
    lst.add_argument("--json", action="store_true", help="print a JSON array of posts")

    st = sub.add_parser("set", parents=[common], help="change fields of a post",
                        description=f"Change fields of a post: {', '.join(FIELDS)}.")
    st.add_argument("id", type=int)
    st.add_argument("assignments", nargs="+", metavar="field=value")

    check = sub.add_parser("check", parents=[common], help="validate the store, change nothing",
                           description="Validate the store and list its backups; writes nothing "
                                       "unless --compact or --repair is given.")
    check.add_argument("--compact", action="store_true",
                       help="also fold the journal into the store file")
    check.add_argument("--repair", action="store_true",
                       help="salvage a damaged journal: keep a copy, save every intact record, "
                            "say what could not be saved")
    return parser


READ_ONLY = frozenset({"week", "list", "check"})
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
        """Say which of two equal wall-clock times was taken (clocks going back)."""
        note = repeated_time_note(when, self.settings.tz) if when else None
        if note:
            say(f"planterm: note: {what}: {note}", err=True)


@contextlib.contextmanager
def store_path(args: argparse.Namespace, settings: Settings) -> Iterator[Path]:
    """The store file to work on: a fresh --demo copy (removed afterwards), --store,
    $PLANTERM_STORE, then the settings."""
    if not getattr(args, "demo", False):
        yield resolve_store(settings, getattr(args, "store", None), os.environ)
        return
    tmp = Path(tempfile.mkdtemp(prefix="planterm-demo-"))
    try:
        yield write_demo(tmp / "demo.json", date.today(), settings.tz)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def writes(args: argparse.Namespace) -> bool:
    """Whether the command may write: every command but the read-only ones, and ``check``
    with ``--compact`` or ``--repair``."""
    if args.command == "check":
        return bool(args.compact or args.repair)
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
        store = Store(path, keep_backups=settings.backups, lock_timeout=LOCK_TIMEOUT,
                      create=write, readonly=not write, lenient=args.command == "check")
        store.storage.fold_writes = True  # it ends compacted anyway: no journal on the way
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
    # Textual draws a change at its next frame tick: at its default 60 per second a key
    # waits up to 17 ms for it, a third of the budget of a key; 120 halves that.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from planterm.tui.app import check_keymap, make_app  # Textual loads only when needed

    check_keymap(settings)
    with store_path(args, settings) as path:
        app = make_app(path, settings)
        app.run()
        return app.return_code or 0


def say(text: str, *, err: bool = False) -> None:
    """Print human-readable text: every control character and escape sequence in it, which
    may come from stored text, is shown as a visible mark (``planterm.text.inert``)."""
    print(inert(text, multiline=True), file=sys.stderr if err else sys.stdout)


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
    """A post as scripts read it: times in the user's zone with their offset."""
    return post_doc_json(post.id, post.to_doc(), settings)


def post_doc_json(post_id: int | None, doc: dict[str, Any], settings: Settings
                  ) -> dict[str, Any]:
    """``post_json`` of a post's document as its ``to_doc`` writes it (without the Post),
    its time left a ``datetime`` that ``print_json`` writes as ``isoformat`` would."""
    when = doc["scheduled"]
    local = datetime.fromisoformat(when).astimezone(settings.tz) if when else None
    return {"id": post_id, **doc, "scheduled": local}


def print_posts_json(ctx: Context, query: PostQuery) -> None:
    """Print the posts ``query`` finds as a JSON array."""
    docs = ctx.store.post_docs(query)  # as stored: no Post for each of 50,000 posts
    if docs is not None:
        print_json([post_doc_json(i, d, ctx.settings) for i, d in docs])
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
        objectives=resolve_categories(args.objective, store.objectives(), "objectives"),
        themes=resolve_categories(args.theme, store.themes(), "themes"),
        event=resolve_event(store, args.event) if args.event else None,
        scheduled=ctx.when(args.on, "--on") if args.on else None,
    )
    if not post.title:
        raise InputError("title: must not be empty")
    status = parse_status(args.status)
    if status is Status.SCHEDULED and post.scheduled is None:
        raise InputError("--status scheduled: a post needs --on DATE before it is scheduled")
    post = store.add_post(replace(post, status=status))
    say(f"added post {post.id}: {agenda.post_line(post, ctx.settings)}")
    ctx.note_time(post.scheduled, "--on")
    return 0


def cmd_event(ctx: Context, args: argparse.Namespace) -> int:
    """planterm event add."""
    start = ctx.when(args.on, "--on")
    end = ctx.when(args.end, "--end") if args.end else None
    if end is not None and end <= start:
        raise InputError("--end: must be after --on")
    if args.rrule:
        try:
            validate_rrule(args.rrule)
        except DateParseError as e:
            raise InputError(f"--rrule: {e}") from None
    if not args.title.strip():
        raise InputError("title: must not be empty")
    hashtag = args.hashtag.strip()
    event = ctx.store.add_event(Event(
        title=args.title.strip(), start=start, end=end, kind=EventKind(args.kind),
        place=args.place, hashtag=("#" + hashtag.lstrip("#")) if hashtag else "",
        rrule=args.rrule.strip().upper(),
    ))
    say(f"added event {event.id}: {inert(event.title)} ({agenda.local_text(start, ctx.settings)})")
    ctx.note_time(start, "--on")
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
    store = ctx.store
    query = PostQuery(
        start=ctx.when(args.start, "--from") if args.start else None,
        end=ctx.when(args.end, "--to") if args.end else None,
        statuses=frozenset(parse_status(s) for s in args.status),
        channels=frozenset(resolve_channels(args.channel, "--channel")),
        objectives=frozenset(resolve_categories(args.objective, store.objectives(),
                                                "objectives")),
        themes=frozenset(resolve_categories(args.theme, store.themes(), "themes")),
        words=tuple(w.casefold() for w in args.text.split()),
    )
    if args.json:
        print_posts_json(ctx, query)
    else:
        posts = store.posts(query)
        print_posts(ctx, posts, f"{len(posts)} posts", query.start, query.end)
    return 0


def cmd_set(ctx: Context, args: argparse.Namespace) -> int:
    """planterm set ID field=value ..."""
    post = original = ctx.store.get_post(args.id)
    if post is None:
        raise InputError(f"no post with id {args.id}")
    for assignment in args.assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise InputError(f"{assignment!r}: expected field=value; fields: {', '.join(FIELDS)}")
        post = set_field(ctx.store, post, name.strip(), value, now=ctx.now, tz=ctx.settings.tz)
    # compared and written under one lock: a change made meanwhile elsewhere is not lost
    stored = ctx.store.replace_post(original, replace(post, updated=utcnow()))
    assert stored is not None
    say(f"post {stored.id}: {agenda.post_line(stored, ctx.settings)}")
    if any(a.partition("=")[0].strip() == "on" for a in args.assignments):
        ctx.note_time(stored.scheduled, "on")
    return 0


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """planterm check: reads only, unless --compact or --repair."""
    store = ctx.store
    problems = store.check()
    for warning in store.report.warnings:
        say(f"warning: {inert(warning)}")
    if args.compact:
        store.compact()
        say(f"compacted: {store.path} is one JSON file")
    kept = backups.listing(store.path)
    say(f"backups: {len(kept)} in {backups.folder(store.path)}")
    for path in kept:
        say(f"  {path.name}")
    if problems:
        say(f"{store.path}: {len(problems)} problems")
        for problem in problems:
            say(f"  {inert(str(problem))}")
        return 1
    counts = {name: len(store.db.table(name)) for name in ("posts", "events", "objectives",
                                                            "themes")}
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    say(f"{store.path}: ok ({summary})")
    return 0


COMMANDS = {"add": cmd_add, "event": cmd_event, "week": cmd_week, "list": cmd_list,
            "set": cmd_set, "check": cmd_check}


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
        args = build_parser().parse_args(argv)
        # reading never writes: not even the settings file a first run would create
        settings = load_settings(create=args.command is None or writes(args))
        if args.command is None:
            return run_planner(args, settings)
        if _OWN_PROCESS:
            # A command's objects live until it ends: the collector's passes over the
            # 20,000 posts it builds would only add a third to a 'list --json'.
            gc.disable()
        with open_store(args, settings) as store:
            for warning in store.report.warnings:
                say(f"planterm: warning: {inert(warning)}", err=True)
            if store.report.backup:
                say(f"planterm: migrated the store from version {store.report.migrated_from};"
                    f" backup in {store.report.backup}", err=True)
            ctx = Context(settings, store, utcnow())
            return COMMANDS[args.command](ctx, args)
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
