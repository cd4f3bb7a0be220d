"""The command line of handover and interop: ``export``, ``import``, ``report``, ``backup``
and ``restore``, on the core of ``planterm.interop``.

Kept apart from ``cli`` (which loads it when it builds the parser) so that each file stays
a size one can read. Exports, the report and backups only read the store; an import writes
in one transaction, all or nothing, after a backup; a refused file or row is exit code 2
with each problem named, and the store left byte for byte as it was.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planterm.agenda import local_text
from planterm.cli import (
    Context,
    InputError,
    _add_filters,
    list_query,
    plural,
    say,
    templates,
    write_raw,
)
from planterm.config import Settings
from planterm.model import Event, Post
from planterm.storage import StoreError, atomic_write, no_collector

if TYPE_CHECKING:
    from planterm.interop import jobs
    from planterm.interop.common import Incoming

# The interop modules (iCalendar above all: 100 ms of imports), coverage and the filters are
# imported by the commands that use them, not by this module: every command builds the
# parser that this module adds to, and a 'planterm set' has no use for them.

SHOWN = 12
"""Notes and refusals printed in full; the rest are counted."""


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``export``, ``import``, ``report``, ``backup`` and ``restore``."""
    export = sub.add_parser("export", parents=[common], help="write the plan as iCalendar, "
                                                             "CSV or JSON")
    _export_parsers(export, common)
    imp = sub.add_parser("import", parents=[common], help="bring in events (iCalendar) or "
                                                          "posts (CSV)")
    _import_parsers(imp, common)

    rep = sub.add_parser(
        "report", parents=[common], help="the handover report (Markdown or HTML)",
        description="The handover report: objectives and themes, the matrix for the period "
                    "and per month, events and their coverage, what is planned after the "
                    "end, posts waiting for review, sensitive posts, how to carry on. "
                    "--from and --to are days, both included (default: from the first post "
                    "to today).")
    rep.add_argument("--from", dest="start", metavar="DATE")
    rep.add_argument("--to", dest="end", metavar="DATE")
    rep.add_argument("--format", choices=("md", "html"), default=None,
                     help="md or html (default: from the -o file's suffix, else md)")
    rep.add_argument("-o", "--output", metavar="FILE", help="write it there (atomically)")
    rep.add_argument("--filter", default="", metavar="LINE",
                     help="only the posts the planner's filter line keeps: flag: open: "
                          "terms: status:draft ch:ig words")

    bak = sub.add_parser(
        "backup", parents=[common], help="write a consistent snapshot of the store",
        description="Write the whole store, as it is at one moment (also while a planner "
                    "writes to it), as a JSON file that 'planterm restore' takes back; "
                    "without -o, among the store's own backups.")
    bak.add_argument("-o", "--output", metavar="FILE")

    res = sub.add_parser(
        "restore", parents=[common], help="put a backup back as the store",
        description="Check FILE as a store is checked when it opens, keep a backup of the "
                    "store as it is, then replace the store with FILE atomically. A planner "
                    "open on the store shows the restored plan within a second.")
    res.add_argument("file", metavar="FILE")


def _export_parsers(export: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    kinds = export.add_subparsers(dest="export_kind", metavar="FORMAT", required=True,
                                  parser_class=type(export))
    for kind, does in (("ics", "events and dated posts as iCalendar (RFC 5545)"),
                       ("csv", "one row per post, for spreadsheets")):
        p = kinds.add_parser(kind, parents=[common], help=does, description=does.capitalize()
                             + "; the filters of 'planterm list' choose the posts.")
        p.add_argument("-o", "--output", metavar="FILE",
                       help="write it there (atomically); default: standard output")
        p.add_argument("--from", dest="start", metavar="DATE")
        p.add_argument("--to", dest="end", metavar="DATE")
        p.add_argument("--status", action="append", default=[], metavar="S")
        _add_filters(p)
        if kind == "ics":
            only = p.add_mutually_exclusive_group()
            only.add_argument("--events-only", action="store_true")
            only.add_argument("--posts-only", action="store_true")
        else:
            p.add_argument("--bom", action="store_true",
                           help="start with a byte order mark, for spreadsheet programs that "
                                "need one to read UTF-8")
    js = kinds.add_parser("json", parents=[common], help="the whole plan as plain JSON",
                          description="The whole plan (objectives, themes, accounts, events, "
                                      "posts) as plain JSON for other tools; times in your "
                                      "zone with their offset.")
    js.add_argument("-o", "--output", metavar="FILE")


def _import_parsers(imp: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    kinds = imp.add_subparsers(dest="import_kind", metavar="FORMAT", required=True,
                               parser_class=type(imp))
    for kind, does in (("ics", "events from an iCalendar file (an agenda's export)"),
                       ("csv", "posts from a CSV file (a spreadsheet)")):
        p = kinds.add_parser(
            kind, parents=[common], help=does,
            description=f"Import {does}. Every item is checked first; a uid the store has "
                        "is updated, not duplicated. Nothing is written when anything is "
                        "refused, unless --skip-bad.")
        p.add_argument("file", metavar="FILE")
        p.add_argument("--dry-run", action="store_true", help="say what would change; "
                                                              "write nothing")
        p.add_argument("--skip-bad", action="store_true",
                       help="import the good items and leave the refused ones out")


def writes(args: argparse.Namespace) -> bool | None:
    """Whether an interop command writes to the store; None for other commands."""
    if args.command in ("export", "report", "backup"):
        return False
    if args.command == "import":
        return not args.dry_run
    if args.command == "restore":
        return True
    return None


def output(data: bytes, dest: str | None) -> Path | None:
    """``data`` written atomically at ``dest``, or to standard output (None)."""
    if dest is None:
        write_raw(data.decode())
        return None
    path = Path(dest)
    if path.is_dir():
        raise InputError(f"-o: {dest} is a folder; give a file name")
    atomic_write(path, data)
    return path


def _write(made: jobs.Made, dest: str | None) -> None:
    """Write ``made`` (``output``) and say what was written: on standard error when the data
    went to standard output, so that a pipe gets the data alone."""
    path = output(made.data, dest)
    say(made.told(path) if path else f"planterm: {made.what}{made.more}", err=path is None)


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """planterm export ics | csv | json."""
    from planterm.interop import jobs

    store, settings = ctx.store, ctx.settings
    if args.export_kind == "json":
        _write(jobs.json_file(store, settings), args.output)
        return 0
    with no_collector():  # as jobs.export: the events read too
        query = replace(list_query(ctx, args), unscheduled=True)
        posts = jobs.post_documents(store, query)
        if args.export_kind == "csv":
            made = jobs.csv_file(store, settings, posts, bom=args.bom)
        else:
            chosen = [] if args.posts_only else _events_of(ctx, store.events(), query.events,
                                                           query)
            made = jobs.ics_file(store, settings, chosen, [] if args.events_only else posts)
    _write(made, args.output)
    return 0


def _events_of(ctx: Context, every: list[Event], named: frozenset[int], query: Any
               ) -> list[Event]:
    """The events an ICS export holds: those named by --event, else all; with a period,
    those with an occurrence in it."""
    from planterm.coverage import occurrence_starts

    chosen = [e for e in every if not named or e.id in named]
    if query.start is None and query.end is None:
        return chosen
    lo = query.start or datetime(1900, 1, 1, tzinfo=ctx.now.tzinfo)
    hi = query.end or ctx.now + timedelta(days=366 * 20)
    return [e for e in chosen if occurrence_starts(e, lo, hi, ctx.settings)]


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """planterm import ics | csv FILE [--dry-run] [--skip-bad]."""
    from planterm.interop import jobs
    from planterm.interop.common import BadFile

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{args.file}: cannot read it ({e.strerror})") from None
    try:
        incoming = jobs.read_import(args.import_kind, data, args.file, ctx.store,
                                    ctx.settings, ctx.now)
    except BadFile as e:
        raise InputError(str(e)) from None
    what = "event" if args.import_kind == "ics" else "post"
    for problem in incoming.refused:
        say(f"planterm: {args.file}: {problem}", err=True)
    _say_notes(incoming.notes)
    refused = incoming.bad
    kind = "component" if args.import_kind == "ics" else "row"
    if refused and not args.skip_bad:
        say(f"planterm: {args.file}: {plural(refused, f'bad {kind}')}; nothing was "
            "imported (fix them, or add --skip-bad to import the rest)", err=True)
        return 2
    if args.dry_run:
        _say_changes(incoming, what, "would ", ctx.settings)
        say("dry run: nothing was written")
        return 0
    if not (incoming.added or incoming.updated or incoming.categories):
        say(f"nothing to import: {plural(incoming.unchanged, what)} already as in the file")
        return 0
    kept = ctx.store.backup("import") if ctx.store.path.exists() else None
    incoming.apply(ctx.store)
    _say_changes(incoming, what, "", ctx.settings)
    if refused:
        say(f"left out {plural(refused, f'bad {kind}')} (listed above)")
    if kept:
        say(f"the store as it was before is in {kept}")
    return 0


def _say_notes(notes: list[str]) -> None:
    for note in notes[:SHOWN]:
        say(f"planterm: note: {note}", err=True)
    if len(notes) > SHOWN:
        say(f"planterm: note: … and {len(notes) - SHOWN} more notes", err=True)


def _say_changes(incoming: Incoming[Any], what: str, would: str, settings: Settings) -> None:
    """What an import does (or would do), item by item for the first ones, then counts."""
    for item in incoming.added[:SHOWN]:
        say(f"  {would}add {what}: {_label(item, settings)}")
    for before, after in incoming.updated[:SHOWN]:
        say(f"  {would}update {what} {before.id}: {_label(after, settings)} "
            f"({_changed(before, after)})")
    made = ", ".join(f"{t[:-1]} {c.key}" for t, c in incoming.categories)
    if made:
        say(f"  {would}create {made}")
    from planterm.interop import jobs

    say(jobs.import_summary(incoming, what, would))


def _label(item: Post | Event, settings: Settings) -> str:
    when = item.scheduled if isinstance(item, Post) else item.start
    return f"{item.title} ({local_text(when, settings) if when else 'no date'})"


def _changed(before: Post | Event, after: Post | Event) -> str:
    names = [n for n in type(before).__dataclass_fields__
             if n != "updated" and getattr(before, n) != getattr(after, n)]
    return ", ".join(names) or "no field"


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    """planterm report [--from DATE] [--to DATE] [--format md|html] [-o FILE] [--filter]."""
    from planterm.filters import parse_filter
    from planterm.interop import jobs, report

    tz = ctx.settings.tz
    first, last = report.default_period(ctx.store, ctx.settings, ctx.now)
    if args.start:
        first = ctx.when(args.start, "--from").astimezone(tz).date()
    if args.end:
        last = ctx.when(args.end, "--to").astimezone(tz).date()
    if last < first:
        raise InputError(f"--to: {last} is before --from {first}; swap them?")
    fmt = args.format or ("html" if args.output and args.output.lower().endswith(
        (".html", ".htm")) else "md")
    _write(jobs.report_file(ctx.store, ctx.settings, first, last, fmt == "html", ctx.now,
                            templates(ctx), parse_filter(args.filter, ctx.store)), args.output)
    return 0


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    """planterm backup [-o FILE]: reads only; a consistent snapshot."""
    if args.output and Path(args.output).is_dir():
        raise InputError(f"-o: {args.output} is a folder; give a file name")
    from planterm.interop import jobs

    say(jobs.backup_file(ctx.store, Path(args.output) if args.output else None,
                         ctx.settings.backups))
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    """planterm restore FILE: checked as a store is, then put in place of the store."""
    from planterm.interop import backup, jobs

    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"{args.file}: no such file")
    try:
        tables = backup.checked_tables(path, ctx.store.path)
    except StoreError as e:
        raise InputError(f"cannot restore: {e}") from None
    done, kept = jobs.restore(ctx.store, path, tables)
    say(done)
    say(f"the store as it was before is in {kept}")
    return 0


COMMANDS = {"export": cmd_export, "import": cmd_import, "report": cmd_report,
            "backup": cmd_backup, "restore": cmd_restore}
"""The commands this module adds to ``planterm``."""
