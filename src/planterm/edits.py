"""Changes to posts as people type them: names resolved, fields set by text.

Shared by the command line (``planterm set``, ``planterm add``) and the TUI
(quick add, the editor), so both apply the same validation and rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from planterm import channels
from planterm.dates import DateParseError, parse_when, split_leading_date
from planterm.matrix_text import number
from planterm.model import (
    CATEGORY,
    Category,
    ModelError,
    Post,
    ReviewOpen,
    Status,
    TransitionError,
    with_status,
)
from planterm.sensitive import flag_ids, set_flags, wording
from planterm.store import CategoryTable, Store, unknown_category
from planterm.text import fold

FIELDS = ("title", "body", "status", "on", "channels", "objectives", "themes", "event",
          "hashtags", "notes", "flags")
"""Fields that ``set_field`` (and so ``planterm set``) can change."""


def split_list(value: str) -> list[str]:
    """``"ig, fb"`` or ``"ig fb"`` as a list of names."""
    return [v for v in value.replace(",", " ").split() if v]


def resolve_channels(names: list[str], field: str = "channels") -> list[str]:
    """Channel names or aliases as network keys, in order, without repeats."""
    keys: list[str] = []
    for name in names:
        try:
            key = channels.resolve(name)
        except channels.UnknownChannel as e:
            raise ModelError(field, str(e)) from None
        if key not in keys:
            keys.append(key)
    return keys


def resolve_categories(names: list[str], known: list[Category], field: CategoryTable, *,
                       archived_ok: Collection[str] | None = None) -> list[str]:
    """Objective or theme keys from their keys or names (case and accents ignored).

    An archived one is refused for what a post is about to become, and named as such:
    ``archived_ok`` holds the archived keys still accepted (a post's own, so that editing
    it keeps its history; ``()`` for a new post); None accepts them all (a filter).
    """
    by_name = {}
    for cat in known:
        by_name[fold(cat.key)] = cat
        by_name[fold(cat.name)] = cat
    keys: list[str] = []
    for name in names:
        found = by_name.get(fold(name))
        if found is None:
            raise ModelError(field, unknown_category(field, name, known))
        if found.archived and archived_ok is not None and found.key not in archived_ok:
            one = field[:-1]
            raise ModelError(field, f"{one} {found.key!r} is archived; to use it again: "
                                    f"planterm {one} unarchive {found.key}")
        if found.key not in keys:
            keys.append(found.key)
    return keys


def find_events(store: Store, ref: str) -> list[int]:
    """Ids of the events ``ref`` names: an id, or words that all appear in the title (case
    and accents aside); ``ModelError`` when it names none."""
    ref = ref.strip()
    if ref.isdigit():
        if store.get_event(int(ref)) is None:
            raise ModelError("event", f"no event with id {ref}")
        return [int(ref)]
    words = fold(ref).split()
    found = [e.id for e in store.events()
             if e.id is not None and all(w in fold(e.title) for w in words)]
    if not found or not words:
        raise ModelError("event", f"no event title contains {ref!r}")
    return found


def resolve_event(store: Store, ref: str) -> int | None:
    """An event by id, or by words of its title that name exactly one event."""
    if not ref.strip():
        return None
    found = find_events(store, ref)
    if len(found) != 1:
        names = "; ".join(f"{e.id} {e.title}" for e in map(store.get_event, found[:5]) if e)
        raise ModelError("event", f"{ref!r} matches {len(found)} events ({names}); give the id")
    return found[0]


def parse_status(value: str) -> Status:
    """A status from its name, or ``ModelError`` listing the statuses."""
    try:
        return Status(value.strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise ModelError("status", f"unknown status {value!r}; known: {known}") from None


def set_field(
    store: Store, post: Post, name: str, value: str, *, now: datetime, tz: ZoneInfo
) -> Post:
    """``post`` with one field set from text, or ``ModelError`` naming the field."""
    match name:
        case "title":
            if not value.strip():
                raise ModelError("title", "must not be empty")
            return replace(post, title=value.strip())
        case "body":
            return replace(post, body=value)
        case "notes":
            return replace(post, notes=value)
        case "status":
            try:
                return with_status(post, parse_status(value), now)
            except ReviewOpen:
                raise  # the missing items are said one by one, not as bad input
            except TransitionError as e:
                raise ModelError("status", str(e)) from None
        case "on":
            if not value.strip():
                return replace(post, scheduled=None)
            try:
                return replace(post, scheduled=parse_when(value, now=now, tz=tz))
            except DateParseError as e:
                raise ModelError("on", str(e)) from None
        case "channels":
            return replace(post, channels=resolve_channels(split_list(value)))
        case "objectives":
            return replace(post, objectives=resolve_categories(
                split_list(value), store.objectives(), "objectives", archived_ok=post.objectives))
        case "themes":
            return replace(post, themes=resolve_categories(
                split_list(value), store.themes(), "themes", archived_ok=post.themes))
        case "event":
            return replace(post, event=resolve_event(store, value))
        case "hashtags":
            tags = ["#" + t.lstrip("#") for t in split_list(value)]
            return replace(post, hashtags=tags)
        case "flags":
            known = wording().flags
            return set_flags(post, flag_ids(split_list(value), known), known)
    raise ModelError(name, f"unknown field; fields: {', '.join(FIELDS)}")


CATEGORY_FIELDS = ("name", "description", "colour", "target_share", "target_per_month")
"""Fields of an objective or theme that ``set_category_field`` (and so ``planterm objective
set``) can change; the key stays, since posts refer to it."""


def set_category_field(cat: Category, name: str, value: str) -> Category:
    """``cat`` with one field set from text, or ``ModelError`` naming the field.

    A target is a share or a count per month, not both: setting one clears the other, and
    an empty value clears it.
    """
    value = value.strip()
    match name:
        case "name":
            changed = replace(cat, name=value)
        case "description":
            changed = replace(cat, description=value)
        case "colour" | "color":
            changed = replace(cat, colour="#" + value.lstrip("#") if value else "#888888")
        case "target_share":
            changed = replace(cat, target_share=_number(value.removesuffix("%"), name, float),
                              target_per_month=None)
        case "target_per_month":
            changed = replace(cat, target_per_month=_number(value, name, int),
                              target_share=None)
        case _:
            raise ModelError(name, f"unknown field; fields: {', '.join(CATEGORY_FIELDS)}")
    CATEGORY.fit(changed.to_doc())  # the stored shape's own checks name the field at fault
    return changed


def _number(text: str, field: str, kind: type[int] | type[float]) -> Any:
    """A number typed for ``field``, None for an empty value, else ``ModelError``."""
    if not text:
        return None
    try:
        return kind(text.replace(",", "."))  # "12,5": a decimal comma as French types it
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ModelError(field, f"{text!r} is not {what}") from None


def check_category(table: CategoryTable, cat: Category, known: list[Category]) -> None:
    """``ModelError`` if ``cat``'s key or name would read as another objective's (or theme's)
    key or name: names are resolved like keys, and one of the two would win silently."""
    one = table[:-1]
    for other in known:
        if other.key == cat.key:
            continue
        theirs = {fold(other.key), fold(other.name)}
        if fold(cat.name) in theirs:
            raise ModelError("name", f"{cat.name!r} already names {one} {other.key!r}")
        if fold(cat.key) in theirs:
            raise ModelError("key", f"{cat.key!r} already names {one} {other.key!r}")


def category_line(cat: Category, used: int, key_width: int = 0) -> str:
    """``visites  Faire venir au musée · target 25% · 12 posts · archived``."""
    said = [f"{cat.key:<{key_width}}  {cat.name}"]
    if cat.target_share is not None:
        unused = f" ({cat.target_per_month}/month not used)" if cat.target_per_month else ""
        said.append(f"target {number(cat.target_share)}%{unused}")
    elif cat.target_per_month is not None:
        said.append(f"target {cat.target_per_month}/month")
    said.append(f"{used} post{'s' if used != 1 else ''}")
    if cat.archived:
        said.append("archived")
    return " · ".join(said)


# A word right after the leading date that is shaped like a date or time ("25h", "31/02",
# "2026-02-30") means the date was mistyped: refusing it beats filing "25h" into the title.
_DATE_SHAPED = re.compile(r"\d{1,2}(h\d*|:\d+|/\d+(/\d+)?)|\d{4}-\d+-\d+", re.IGNORECASE)
_SIGILS = {"@": "channels", "+": "themes", "!": "objectives", "^": "event"}
REST_IS_TITLE = "--"
"""In quick add, every word after this one is the title, sigils and all."""
_REST_IS_TITLE = re.compile(rf"(?:^|\s){REST_IS_TITLE}(?:\s|$)")


def parse_quick_add(
    line: str, store: Store, *, now: datetime, tz: ZoneInfo, default_channels: Sequence[str]
) -> Post:
    """A new, unsaved post from one line: ``ven 10h @ig +prehistoire !visites ^12 Teaser``.

    A leading date (as ``dates.split_leading_date`` reads it), then words in any order:
    ``@channel``, ``+theme``, ``!objective`` (keys, names or aliases, case and accents
    ignored), ``^event`` (an id, or a word of one event's title); every other word is the
    title, and after ``--`` every word is, so ``-- Carte blanche @louvre`` is a title. A
    sigil counts only before a letter (or ``^`` before a digit), so "Vernissage !", "A + B"
    and "+1" stay in the title. Without ``@channel`` the post gets ``default_channels``.
    The post is an idea whatever its date: a line has no body yet, and the date only says
    when it is planned.
    ``ModelError`` names the field at fault: ``on``, ``channels``, ``themes``,
    ``objectives``, ``event`` or ``title``.
    """
    head, *tail = _REST_IS_TITLE.split(line, maxsplit=1)
    when, rest = split_leading_date(head, now=now, tz=tz)
    words = rest.split()
    if words and _DATE_SHAPED.fullmatch(words[0]):
        typed = head[: len(head.rstrip()) - len(rest)] + words[0]
        try:
            parse_when(typed, now=now, tz=tz)
        except DateParseError as e:
            raise ModelError("on", str(e)) from None
    tagged: dict[str, list[str]] = {name: [] for name in _SIGILS.values()}
    title: list[str] = []
    for word in words:
        field = _SIGILS.get(word[0])
        # a sigil counts before a letter (and ^ before an id): "A + B" and "+1" are title
        if field and (word[1:2].isalpha() or (field == "event" and word[1:2].isdigit())):
            tagged[field].append(word[1:])
        else:
            title.append(word)
    title += tail[0].split() if tail else []
    if not title:
        raise ModelError("title", "the line needs a title after the date and the tags")
    if len(tagged["event"]) > 1:
        raise ModelError("event", f"one event per post, not {len(tagged['event'])}")
    return Post(
        title=" ".join(title),
        channels=resolve_channels(tagged["channels"] or list(default_channels)),
        themes=resolve_categories(tagged["themes"], store.themes(), "themes", archived_ok=()),
        objectives=resolve_categories(tagged["objectives"], store.objectives(), "objectives",
                                      archived_ok=()),
        event=resolve_event(store, tagged["event"][0]) if tagged["event"] else None,
        scheduled=None if when is None else when.astimezone(UTC),
        status=Status.IDEA,
        created=now,
        updated=now,
    )
