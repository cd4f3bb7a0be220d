"""The command line: ``planterm [--store PATH | --demo] [COMMAND ...]``.

Exit codes: 0 done; 1 the store refused (busy, corrupt, newer) or ``check``
found problems; 2 bad input, with one line saying what and where. Nothing is
written when a command fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from planterm import agenda, backups, channels
from planterm.config import Settings, SettingsError, load_settings, resolve_store
from planterm.dates import DateParseError, parse_when, period_bounds, validate_rrule
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
from planterm.storage import StoreError
from planterm.store import PostQuery, Store

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

    check = sub.add_parser("check", parents=[common], help="validate the store, change nothing")
    check.add_argument("--compact", action="store_true",
                       help="also fold the journal into the store file")
    return parser


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


@contextlib.contextmanager
def open_store(args: argparse.Namespace, settings: Settings) -> Iterator[Store]:
    """The store the command works on (see ``store_path``), closed cleanly afterwards."""
    with store_path(args, settings) as path:
        store = Store(path, keep_backups=settings.backups, lock_timeout=LOCK_TIMEOUT)
        try:
            if not getattr(args, "demo", False):
                store.daily_backup()
            yield store
        finally:
            store.close()


def run_planner(args: argparse.Namespace, settings: Settings) -> int:
    """The planner (no command): the app opens the store itself, after its first frame."""
    from planterm.tui.app import make_app  # Textual loads only when the planner runs

    with store_path(args, settings) as path:
        app = make_app(path, settings)
        app.run()
        return app.return_code or 0


def post_json(post: Post, settings: Settings) -> dict[str, Any]:
    """A post as scripts read it: times in the user's zone with their offset."""
    doc = post.to_doc()
    local = post.scheduled.astimezone(settings.tz).isoformat() if post.scheduled else None
    return {"id": post.id, **doc, "scheduled": local}


def print_posts(ctx: Context, posts: list[Post], as_json: bool, title: str,
                start: datetime | None, end: datetime | None) -> None:
    """Print posts as JSON or as a readable agenda."""
    if as_json:
        print(json.dumps([post_json(p, ctx.settings) for p in posts], ensure_ascii=False,
                         indent=2))
        return
    events = ctx.store.events() if start and end else []
    print(agenda.render(title, posts, events, start, end, ctx.settings))


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
    print(f"added post {post.id}: {agenda.post_line(post, ctx.settings)}")
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
    print(f"added event {event.id}: {event.title} ({agenda.local_text(start, ctx.settings)})")
    return 0


def cmd_week(ctx: Context, args: argparse.Namespace) -> int:
    """planterm week."""
    day = ctx.when(args.date, "date").date() if args.date else ctx.now.astimezone(
        ctx.settings.tz).date()
    start, end = period_bounds("week", day, ctx.settings.tz, ctx.settings.week_start_index)
    posts = ctx.store.posts(PostQuery(start=start, end=end))
    print_posts(ctx, posts, args.json, agenda.week_title(day, ctx.settings), start, end)
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
    posts = store.posts(query)
    print_posts(ctx, posts, args.json, f"{len(posts)} posts", query.start, query.end)
    return 0


def cmd_set(ctx: Context, args: argparse.Namespace) -> int:
    """planterm set ID field=value ..."""
    post = ctx.store.get_post(args.id)
    if post is None:
        raise InputError(f"no post with id {args.id}")
    for assignment in args.assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise InputError(f"{assignment!r}: expected field=value; fields: {', '.join(FIELDS)}")
        post = set_field(ctx.store, post, name.strip(), value, now=ctx.now, tz=ctx.settings.tz)
    post = ctx.store.update_post(post)
    print(f"post {post.id}: {agenda.post_line(post, ctx.settings)}")
    return 0


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """planterm check."""
    store = ctx.store
    problems = store.check()
    for warning in store.report.warnings:
        print(f"warning: {warning}")
    if args.compact:
        store.compact()
        print(f"compacted: {store.path} is one JSON file")
    kept = backups.listing(store.path)
    print(f"backups: {len(kept)} in {backups.folder(store.path)}")
    for path in kept:
        print(f"  {path.name}")
    if problems:
        print(f"{store.path}: {len(problems)} problems")
        for problem in problems:
            print(f"  {problem}")
        return 1
    counts = {name: len(store.db.table(name)) for name in ("posts", "events", "objectives",
                                                            "themes")}
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    print(f"{store.path}: ok ({summary})")
    return 0


COMMANDS = {"add": cmd_add, "event": cmd_event, "week": cmd_week, "list": cmd_list,
            "set": cmd_set, "check": cmd_check}


def run(argv: Sequence[str] | None = None) -> int:
    """Parse, open, dispatch; every expected failure becomes one line and an exit code."""
    try:
        args = build_parser().parse_args(argv)
        settings = load_settings()
        if args.command is None:
            return run_planner(args, settings)
        with open_store(args, settings) as store:
            for warning in store.report.warnings:
                print(f"planterm: warning: {warning}", file=sys.stderr)
            if store.report.backup:
                print(f"planterm: migrated the store from version {store.report.migrated_from};"
                      f" backup in {store.report.backup}", file=sys.stderr)
            ctx = Context(settings, store, utcnow())
            return COMMANDS[args.command](ctx, args)
    except (InputError, SettingsError, ModelError, TransitionError, channels.UnknownChannel,
            DateParseError) as e:
        print(f"planterm: {e}", file=sys.stderr)
        return 2
    except StoreError as e:
        print(f"planterm: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise
    except OSError as e:
        print(f"planterm: {e.filename or 'store'}: {e.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def main() -> None:
    """Console-script entry point; a closed pipe (``planterm week | head``) ends quietly."""
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    sys.exit(code)
