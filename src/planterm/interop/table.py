"""Posts as CSV for spreadsheets, out and in (named ``table`` so as not to hide ``csv``).

Out: UTF-8 (a BOM on request, for spreadsheet programs that need one), a header row, one
row per post; lists joined with ``;``; the date in the user's zone, ISO 8601 with its
offset. A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is written with a ``'`` before it, which the
import takes off again: stored text stays text in the team's spreadsheet too.

In: columns found by their header, in French or English (``COLUMNS``), in any order and
case, accents aside; the separator is the one of ``,``, ``;`` or tab that makes the header
most columns planterm knows (a French spreadsheet writes ``;``). Every row is checked
before anything is written; each bad cell is named by its row (the header is row 1), its
column and why. Only the columns a file has are set: a sheet of titles and dates updates
those, and leaves a stored post's body alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from planterm.config import Settings
from planterm.dates import DateParseError, parse_when
from planterm.edits import parse_status, resolve_channels
from planterm.interop.common import BadFile, Incoming, NewCategories, Refused
from planterm.model import ModelError, Post, Status, new_uid, one_line_link
from planterm.storage import no_collector
from planterm.store import Store
from planterm.text import fold

HEADER = ("uid", "date", "title", "body", "status", "channels", "objectives", "themes",
          "hashtags", "event", "event_uid", "flags", "checklist", "media", "link", "notes")
"""The columns of an export, in order."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "uid": ("uid", "identifiant", "id unique"),
    "date": ("date", "jour", "day", "when", "quand", "scheduled", "publication",
             "date de publication", "date et heure"),
    "time": ("time", "heure", "hour", "horaire"),
    "title": ("title", "titre", "sujet", "subject", "nom"),
    "body": ("body", "texte", "text", "contenu", "content", "message", "corps"),
    "status": ("status", "statut", "etat", "état", "state"),
    "channels": ("channels", "channel", "réseau", "réseaux", "reseau", "reseaux", "network",
                 "networks", "canal", "canaux", "plateforme", "plateformes"),
    "objectives": ("objectives", "objective", "objectif", "objectifs"),
    "themes": ("themes", "theme", "thème", "thèmes"),
    "hashtags": ("hashtags", "hashtag", "mots-dièse", "mots-clés"),
    "event": ("event", "événement", "evenement", "évènement", "evenements", "événements"),
    "event_uid": ("event_uid", "event uid", "uid événement", "uid evenement"),
    "flags": ("flags", "flag", "sensible", "sensibilité", "drapeaux"),
    "checklist": ("checklist", "vérifications", "verifications", "relecture"),
    "media": ("media", "média", "médias", "visuel", "visuels"),
    "link": ("link", "lien", "url"),
    "notes": ("notes", "note", "remarques", "commentaire", "commentaires"),
}
"""Each column planterm reads and the header names it answers to (the first is the name an
export writes; ``time`` is only read, and joins ``date`` when a sheet keeps them apart)."""

_NAMES = {fold(alias).replace("_", " "): column for column, aliases in COLUMNS.items()
          for alias in aliases}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_DONE, _TODO = "[x] ", "[ ] "
_LIST = re.compile(r"\s*;\s*")
_WORDS = re.compile(r"[\s;,]+")


def _guard(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA) else text


def _unguard(text: str) -> str:
    """A cell as it was before ``_guard``."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA) else text


def post_row(post: Mapping[str, Any], settings: Settings,
             events: dict[int, tuple[str, str]]) -> list[str]:
    """One post's document (as ``Post.to_doc`` writes it) as a row of ``HEADER``;
    ``events``: each event id's (title, uid)."""
    title, uid = events.get(post["event"], ("", ""))
    when = post["scheduled"]
    cells = [
        post["uid"],
        datetime.fromisoformat(when).astimezone(settings.tz).isoformat() if when else "",
        post["title"], post["body"], post["status"], ";".join(post["channels"]),
        ";".join(post["objectives"]), ";".join(post["themes"]), ";".join(post["hashtags"]),
        title, uid, ";".join(post["flags"]),
        ";".join(f"{_DONE if done else _TODO}{item}" for item, done in post["checklist"].items()),
        post["media"], post["link"], post["notes"],
    ]
    return [_guard(cell) for cell in cells]


@no_collector()
def export_csv(posts: Iterable[Mapping[str, Any]], settings: Settings,
               events: dict[int, tuple[str, str]], *, bom: bool = False) -> bytes:
    """The posts (their documents, ``post_row``) as CSV (RFC 4180 line ends), with a header
    row; a BOM first when asked."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(post_row(p, settings, events) for p in posts)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


# --- import -------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    """The file as text; ``BadFile`` naming the row and byte that are not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = data[: e.start].count(b"\n") + 1
        raise BadFile(f"{name}: row {row}: not UTF-8 (byte {data[e.start]:#04x}); save it as "
                      "CSV UTF-8 and import it again") from None


def _columns(header: Sequence[str]) -> int:
    """How many cells of a header row name a column planterm knows."""
    return sum(_column_of(cell) is not None for cell in header)


def _column_of(name: str) -> str | None:
    return _NAMES.get(" ".join(fold(name).replace("_", " ").split()))


def _dialect(text: str) -> str:
    """The separator that makes the header row the most known columns."""
    first = text.split("\n", 1)[0]
    return max(",;\t", key=lambda sep: (_columns(next(csv.reader([first], delimiter=sep))),
                                        sep == ","))


@dataclass(frozen=True, slots=True)
class Sheet:
    """A CSV file read: its header's columns (index, header as written, column) and rows
    (their row number and cells)."""

    columns: tuple[tuple[int, str, str], ...]
    rows: tuple[tuple[int, list[str]], ...]


def read_sheet(data: bytes, name: str) -> Sheet:
    """Header and rows of a CSV file; ``BadFile`` when it cannot be read as planterm's."""
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text), strict=True)
    try:
        rows = list(enumerate(reader, 1))  # a spreadsheet's rows: a cell may span lines
    except csv.Error as e:
        raise BadFile(f"{name}: row {reader.line_num}: {e}") from None
    if not rows:
        raise BadFile(f"{name}: empty file: a header row is needed ({', '.join(HEADER)})")
    header = rows[0][1]
    if not _columns(header):
        raise BadFile(f"{name}: row 1: no column name planterm knows, so no header row; the "
                      f"first row names the columns ({', '.join(HEADER)})")
    columns: list[tuple[int, str, str]] = []
    for i, cell in enumerate(header):
        column = _column_of(cell)
        if column is None and cell.strip():
            raise BadFile(f"{name}: row 1, column {i + 1}: unknown column {cell!r}; columns: "
                          f"{', '.join(HEADER)} (and their French names, see the README)")
        if column is None:
            if any(i < len(row) and row[i].strip() for _, row in rows[1:]):
                raise BadFile(f"{name}: column {i + 1} has values but no name in row 1")
            continue
        twice = next((h for j, h, c in columns if c == column), None)
        if twice is not None:
            raise BadFile(f"{name}: row 1, column {i + 1}: {cell!r} is the column {twice!r} "
                          "again")
        columns.append((i, cell, column))
    named = {c for _, _, c in columns}
    if not named & {"title", "uid"}:
        raise BadFile(f"{name}: row 1: no title column (title, titre...), nor uid to update "
                      "stored posts")
    if "time" in named and "date" not in named:
        raise BadFile(f"{name}: row 1: a time column needs a date column beside it")
    return Sheet(tuple(columns), tuple((n, row) for n, row in rows[1:] if any(
        c.strip() for c in row)))


class _Cell(ValueError):
    """A cell that cannot be read: its column and why."""

    def __init__(self, header: str, why: str) -> None:
        super().__init__(f"{header}: {why}")
        self.header = header
        self.why = why


class Reader:
    """Turns the rows of a sheet into posts, with the store's names and the user's zone."""

    def __init__(self, store: Store, settings: Settings, now: datetime) -> None:
        self.store = store
        self.settings = settings
        self.now = now
        self.cats = NewCategories(store)
        self.events = {e.uid: e for e in store.events()}
        by_title: dict[str, list[int]] = {}
        for event in self.events.values():
            by_title.setdefault(fold(event.title.strip()), []).append(event.id or 0)
        self.by_title = by_title
        self.posts = store.uid_index("posts")

    def when(self, text: str) -> datetime | None:
        """A date cell: our own exports' ISO times exactly (to the second), anything else
        as people type it (``dates.parse_when``)."""
        text = text.strip()
        if not text:
            return None
        if len(text) >= 20 and text[10] == "T":
            try:
                found = datetime.fromisoformat(text)
            except ValueError:
                found = None
            if found is not None and found.tzinfo is not None:
                return found
        try:
            return parse_when(text, now=self.now, tz=self.settings.tz)
        except DateParseError as e:
            raise ValueError(str(e)) from None

    def event(self, cells: dict[str, str], notes: list[str], row: int) -> int | None:
        """The stored event a row names by ``event_uid``, else by its exact title; one the
        store does not have is left off the post, with a note."""
        uid = cells.get("event_uid", "").strip()
        if uid in self.events:
            return self.events[uid].id
        title = cells.get("event", "").strip()
        found = self.by_title.get(fold(title), []) if title else []
        if len(found) == 1:
            return found[0]
        if title or uid:
            why = "names several events" if found else "is not in this store"
            notes.append(f"row {row}: event {title or uid!r} {why}: left off the post")
        return None


def _list(text: str) -> list[str]:
    return [v for v in _LIST.split(text.strip()) if v]


Setter = Callable[[Post, str], Any]
"""How a column sets the post field of its name from its cell: the field's new value, from
the cell and the post as it was (an empty status keeps it). A ``ValueError`` or
``ModelError`` says what is wrong with the cell."""


def _setters(reader: Reader) -> dict[str, Setter]:
    """Each column's ``Setter`` (the fields of a row are gathered, then set at once: 20,000
    rows are not copied a dozen times each)."""
    cats = reader.cats

    def title(post: Post, text: str) -> str:
        if not text.strip():
            raise ValueError("must not be empty")
        return text.strip()

    def checklist(post: Post, text: str) -> dict[str, bool]:
        items = {}
        for item in _list(text):
            done = item.lower().startswith(_DONE.strip())
            items[item[3:].strip() if item.startswith(("[x]", "[X]", "[ ]")) else item] = done
        return items

    return {
        "title": title,
        "body": lambda p, t: t,
        "status": lambda p, t: parse_status(t) if t.strip() else p.status,
        "channels": lambda p, t: resolve_channels([w for w in _WORDS.split(t) if w]),
        "objectives": lambda p, t: cats.keys("objectives", _list(t)),
        "themes": lambda p, t: cats.keys("themes", _list(t)),
        "hashtags": lambda p, t: ["#" + w.lstrip("#") for w in _WORDS.split(t) if w.lstrip("#")],
        "flags": lambda p, t: _list(t),
        "checklist": checklist,
        "media": lambda p, t: t,
        "link": lambda p, t: one_line_link(t.strip()),
        "notes": lambda p, t: t,
    }


@no_collector()
def read_csv(data: bytes, name: str, store: Store, settings: Settings,
             now: datetime) -> Incoming[Post]:
    """What importing the CSV ``data`` (read from ``name``) into ``store`` would change.

    ``BadFile`` when the file cannot be read at all; every bad cell is in ``refused``,
    named by row and column. A uid the store holds updates that post (only the file's
    columns change); a new uid is kept, so that importing again updates.
    """
    sheet = read_sheet(data, name)
    reader = Reader(store, settings, now)
    setters = _setters(reader)
    incoming: Incoming[Post] = Incoming()
    seen: dict[str, int] = {}
    headers = {column: header for _, header, column in sheet.columns}
    for row, cells in sheet.rows:
        count = len(cells)
        values = {column: _unguard(cells[i]) if i < count else ""
                  for i, _, column in sheet.columns}
        made = len(reader.cats.made)
        notes: list[str] = []
        try:
            stored, post = _row_post(values, headers, reader, setters, seen, row, notes)
        except _Cell as e:
            reader.cats.forget_after(made)
            incoming.refused.append(Refused(f"row {row}, column {e.header!r}", e.why))
            continue
        incoming.notes += notes
        if stored is None:
            incoming.added.append(post)
        elif _same(stored, post):
            incoming.unchanged += 1
        else:
            incoming.updated.append((stored, replace(post, updated=now)))
    incoming.categories = list(reader.cats.made)
    return incoming


def _same(one: Post, other: Post) -> bool:
    """Whether two posts hold the same, their last change aside."""
    return replace(one, updated=other.updated) == other


def _row_post(values: dict[str, str], headers: dict[str, str], reader: Reader,
              setters: dict[str, Setter], seen: dict[str, int], row: int,
              notes: list[str]) -> tuple[Post | None, Post]:
    """The stored post a row updates (None for a new one) and the post it makes; ``_Cell``
    for the first cell that cannot be read."""
    uid = values.get("uid", "").strip()
    if uid and uid in seen:
        raise _Cell(headers["uid"], f"{uid} is row {seen[uid]}'s too")
    stored = None
    if uid and uid in reader.posts:
        stored = reader.store.get_post(reader.posts[uid])
    post = stored or Post(title="", uid=uid or new_uid(), created=reader.now,
                          updated=reader.now)
    changes: dict[str, Any] = {}
    for column, text in values.items():
        setter = setters.get(column)
        if setter is not None:
            try:
                changes[column] = setter(post, text)
            except (ValueError, ModelError) as e:
                raise _Cell(headers[column], getattr(e, "problem", str(e))) from None
    if "date" in values:
        typed = f"{values['date'].strip()} {values.get('time', '').strip()}".strip()
        try:
            changes["scheduled"] = reader.when(typed)
        except ValueError as e:
            raise _Cell(headers["date"], str(e)) from None
    if "event" in values or "event_uid" in values:
        changes["event"] = reader.event(values, notes, row)
    if stored is None:  # a post of its own: set in place, not copied
        for field, value in changes.items():
            setattr(post, field, value)
    else:
        post = replace(stored, **changes)
    if not post.title:
        raise _Cell(headers.get("title", "title"), "must not be empty: a new post needs a title")
    if post.status is Status.SCHEDULED and post.scheduled is None:
        raise _Cell(headers.get("date", "date"), "a scheduled post needs a date")
    if uid:
        seen[uid] = row
    return stored, post
