"""The words of DESIGN.md as typed dataclasses, with validation and status rules.

Nothing here touches the disk or the terminal. Documents (plain dicts, as TinyDB
stores them) are converted to and from these classes with ``to_doc`` and
``from_doc``; ``from_doc`` raises ``ModelError`` naming the field at fault.
"""

from __future__ import annotations

import re
import reprlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, Self


class ModelError(ValueError):
    """A value that does not fit the model, naming the field and the problem."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


def one_line_link(link: str) -> str:
    """``link`` if it is one line (a URI holds no line break: iCalendar refuses one);
    ``ModelError`` otherwise."""
    if "\n" in link or "\r" in link:
        raise ModelError("link", "a link is one line; this one holds a line break")
    return link


class Status(StrEnum):
    """Where a post stands on its way to publication."""

    IDEA = "idea"
    DRAFT = "draft"
    REVIEW = "review"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    CANCELLED = "cancelled"

    @property
    def symbol(self) -> str:
        """A one-cell sign, so that status never rests on colour alone."""
        return _SYMBOLS[self]


_SYMBOLS = {
    Status.IDEA: "○",
    Status.DRAFT: "✎",
    Status.REVIEW: "?",
    Status.APPROVED: "✓",
    Status.SCHEDULED: "◷",
    Status.PUBLISHED: "●",
    Status.CANCELLED: "✗",
}

FLOW: tuple[Status, ...] = (
    Status.IDEA,
    Status.DRAFT,
    Status.REVIEW,
    Status.APPROVED,
    Status.SCHEDULED,
    Status.PUBLISHED,
)
LIVE_STATUSES = (Status.PUBLISHED, Status.APPROVED)
"""What a live post can be logged as (here, not in ``live``: the command line offers them
without loading live mode)."""


class EventKind(StrEnum):
    """The kinds of things an institution holds."""

    OPENING = "opening"
    MEDIATION = "mediation"
    TALK = "talk"
    WORKSHOP = "workshop"
    TOUR = "tour"
    FESTIVAL = "festival"


_STATUSES: dict[str, Status] = {s.value: s for s in Status}
"""``Status(value)`` as a dict: the enum's own lookup costs more than the rest of a post."""
_KINDS: dict[str, EventKind] = {k.value: k for k in EventKind}

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def utcnow() -> datetime:
    """The current time, aware, in UTC, to the second (as it is stored)."""
    return datetime.now(UTC).replace(microsecond=0)


def new_uid() -> str:
    """A fresh stable identifier for a post or an event (a uuid4 string)."""
    return str(uuid.uuid4())


def iso(dt: datetime | None) -> str | None:
    """Store a time as zero-padded UTC ISO 8601 (``2026-12-03T18:00:00Z``)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        raise ModelError("time", f"{dt.isoformat()} has no time zone")
    try:
        u = dt.astimezone(UTC)
    except OverflowError:
        raise ModelError("time", f"{dt.isoformat()} is out of range") from None
    # not strftime: glibc's %Y does not pad years before 1000, and Python cannot read that back
    return (f"{u.year:04d}-{u.month:02d}-{u.day:02d}"
            f"T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z")


def parse_iso(value: Any, field_name: str) -> datetime | None:
    """Read a stored time back; a naive or malformed value is a ``ModelError``."""
    problem = _time_problem(value)
    if problem is not None:
        raise ModelError(field_name, problem)
    return _to_time(value)


# --- document shapes ------------------------------------------------------
#
# Each kind of stored document has a Shape: the fields it may hold and a check of
# each value. The store runs them on every document when it opens (50,000 posts on
# each start), so a check is a plain function on the raw value that returns what is
# wrong, or None; from_doc runs the same checks, then converts without checking again.

Check = Callable[[Any], str | None]
"""What is wrong with a stored value, or None when it fits."""


def _short(value: Any) -> str:
    """A value as a message shows it: its repr, cut short and on one line."""
    return reprlib.repr(value)


def _text(value: Any) -> str | None:
    if value is None or type(value) is str:
        return None
    return f"expected text, got {_short(value)}"


def _required_text(value: Any) -> str | None:
    if type(value) is str and value.strip():
        return None
    return _text(value) or "must not be empty"


def _text_list(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is list:
        for item in value:
            if type(item) is not str:
                break
        else:
            return None
    return f"expected a list of text, got {_short(value)}"


def _table_of(kind: type, what: str) -> Check:
    def check(value: Any) -> str | None:
        if type(value) is dict:
            for item in value.values():
                if type(item) is not kind:
                    break
            else:
                return None
        elif value is None:
            return None
        return f"expected a table of {what}, got {_short(value)}"

    return check


def _flag(value: Any) -> str | None:
    return None if type(value) is bool else f"expected true or false, got {_short(value)}"


def _whole(value: Any) -> str | None:
    return None if value is None or type(value) is int else \
        f"expected a whole number, got {_short(value)}"


def _time_problem(value: Any, required: bool = False) -> str | None:
    if type(value) is not str:
        if value is None:
            return "must not be empty" if required else None
        return f"expected an ISO 8601 time, got {_short(value)}"
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        if value:
            return f"{_short(value)} is not an ISO 8601 time"
        return "must not be empty" if required else None
    if dt.tzinfo is None:
        return f"{_short(value)} has no time zone"
    if value[-1] != "Z":  # only an offset can carry a time out of range once in UTC
        try:
            dt.astimezone(UTC)
        except OverflowError:
            return f"{_short(value)} is out of range"
    return None


def _required_time(value: Any) -> str | None:
    return _time_problem(value, required=True)


def _time_list(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not list:
        return f"expected a list of times, got {_short(value)}"
    return next((p for p in map(_time_problem, value) if p), None)


def _utc(value: str) -> datetime:
    """A time already checked by ``_time_problem``, as an aware UTC datetime."""
    return datetime.fromisoformat(value).astimezone(UTC)


def _to_time(value: str | None) -> datetime | None:
    """An optional time already checked by ``_time_problem``."""
    return _utc(value) if value else None


def _one_of(values: Iterable[str], what: str) -> Check:
    allowed = frozenset(values)

    def check(value: Any) -> str | None:
        # the type test first: a list or a table is not hashable
        return None if type(value) is str and value in allowed else \
            f"{_short(value)} is not {what}"

    return check


def _matching(pattern: re.Pattern[str], what: str, *, required: bool = False) -> Check:
    def check(value: Any) -> str | None:
        if (type(value) is str and pattern.match(value)) or (
            not required and (value is None or value == "")
        ):
            return None
        return f"{_short(value)} must be {what}"

    return check


def _share(value: Any) -> str | None:
    if value is None or (type(value) in (int, float) and 0 <= value <= 100):
        return None
    return f"{_short(value)} is not a percentage between 0 and 100"


def _count(value: Any) -> str | None:
    if value is None or (type(value) is int and value >= 0):
        return None
    return f"{_short(value)} is not a count (a whole number, 0 or more)"


def _review_log(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is list:
        for entry in value:
            if (type(entry) is not dict or entry.keys() != REVIEW_KEYS
                    or type(entry["item"]) is not str or type(entry["done"]) is not bool
                    or type(entry["by"]) is not str or _time_problem(entry["at"], True)):
                break
        else:
            return None
    return f"expected a list of {{item, done, by, at}}, got {_short(value)}"


def _next_ids(value: Any) -> str | None:
    if type(value) is dict and all(type(v) is int and v > 0 for v in value.values()):
        return None
    return f"expected a table of table names to ids, got {_short(value)}"


class Shape:
    """The fields a kind of stored document may hold, and what each value must be."""

    def __init__(self, checks: dict[str, Check], required: Iterable[str],
                 plain: dict[str, type]) -> None:
        # A field in ``plain`` holding a value of that type passes its check: it is
        # tested inline, without a call, which is most of the time saved on 50,000 posts.
        self.fields = {name: (plain.get(name), check) for name, check in checks.items()}
        self.required = frozenset(required)

    def problem(self, doc: dict[str, Any]) -> tuple[str, str] | None:
        """The first field at fault and what is wrong with it; None when ``doc`` fits."""
        known = self.fields
        for name, value in doc.items():
            try:
                plain, check = known[name]
            except KeyError:
                return name, "not a field of this table"
            if type(value) is plain:
                continue
            said = check(value)
            if said is not None:
                return name, said
        if doc.keys() >= self.required:
            return None
        return min(self.required - doc.keys()), "missing"

    def fit(self, doc: dict[str, Any]) -> None:
        """Raise ``ModelError`` naming the first field at fault."""
        found = self.problem(doc)
        if found is not None:
            raise ModelError(*found)


_TEXTS = _table_of(str, "text")
_FLAGS = _table_of(bool, "true or false")
CATEGORY = Shape(
    {"key": _matching(KEY_RE, "lower-case letters, digits, - or _", required=True),
     "name": _required_text, "description": _text,
     "colour": _matching(COLOUR_RE, "a colour like #1f77b4"),
     "target_share": _share, "target_per_month": _count, "archived": _flag},
    {"key", "name"}, {"description": str, "archived": bool})
ACCOUNT = Shape({"network": _required_text, "handle": _text}, {"network"}, {"handle": str})
POST = Shape(
    {"uid": _required_text, "title": _required_text, "body": _text, "variants": _TEXTS,
     "channels": _text_list, "status": _one_of(Status, "a status"), "scheduled": _time_problem,
     "objectives": _text_list, "themes": _text_list, "event": _whole, "hashtags": _text_list,
     "media": _text, "notes": _text, "flags": _text_list, "checklist": _FLAGS,
     "live": _flag, "link": _text, "created": _required_time, "updated": _required_time,
     "slot": _text, "review": _review_log, "kept": _TEXTS},
    {"uid", "title", "created", "updated"},
    {"body": str, "media": str, "notes": str, "link": str, "live": bool, "event": int,
     "slot": str})
EVENT = Shape(
    {"uid": _required_text, "title": _required_text, "start": _required_time,
     "end": _time_problem, "kind": _one_of(EventKind, "an event kind"), "place": _text,
     "hashtag": _text, "channels": _text_list, "objectives": _text_list, "themes": _text_list,
     "template": _text, "rrule": _text, "exdates": _time_list, "notes": _text,
     "cancelled": _flag},
    {"uid", "title", "start"},
    {"place": str, "hashtag": str, "template": str, "rrule": str, "notes": str,
     "cancelled": bool})
EVENT_FIELDS = ("title", "on", "end", "place", "kind", "hashtag", "channels", "objectives",
                "themes", "template", "rrule", "exdates", "notes")
"""Fields that ``events.set_event_field`` (and so ``planterm event set``) can change (here,
not in ``events``: the command line names them without loading events and coverage)."""
META = Shape({"app": _required_text, "schema": _whole, "next_ids": _next_ids},
             {"app", "schema"}, {"schema": int})
"""The store's own document (``meta`` 1): what wrote it and the ids already given."""


POST_FIELDS = ("uid", "title", "body", "variants", "channels", "status", "scheduled",
               "objectives", "themes", "event", "hashtags", "media", "notes", "flags",
               "checklist", "live", "link", "created", "updated", "slot", "review", "kept")
"""The fields of ``Post.to_doc``, in its order."""
REVIEW_KEYS = frozenset({"item", "done", "by", "at"})
"""The fields of one entry of a post's review log."""
_NONE = type(None)
_TEXT: set[type] = {str}
_AS_WRITTEN: dict[str, set[type]] = {
    "variants": {dict}, "channels": {list}, "scheduled": {str, _NONE}, "objectives": {list},
    "themes": {list}, "event": {int, _NONE}, "hashtags": {list}, "flags": {list},
    "checklist": {dict}, "live": {bool}, "review": {list}, "kept": {dict}}
"""The types ``Post.to_doc`` gives each field (text for the others)."""
_UTC_TIMES = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)*")
_TIMES = itemgetter("scheduled", "created", "updated")


def as_written(posts: Sequence[dict[str, Any]]) -> bool:
    """Whether each of these documents, which fit ``POST``, is what ``to_doc`` gives back
    for the post it holds (every field, in order, times as ``iso`` writes them), as for
    every post planterm wrote: then the document can stand for the post, unconverted.

    Checked over all documents at once in C loops (the fields, the distinct tuples of
    value types, the times joined): milliseconds for 20,000 posts, where converting them
    to posts and back takes a second.
    """
    if not all(map(POST_FIELDS.__eq__, map(tuple, posts))):
        return False
    kinds = set(map(tuple, map(map, repeat(type), map(dict.values, posts))))
    for kind in kinds:
        for name, found in zip(POST_FIELDS, kind, strict=True):
            if found not in _AS_WRITTEN.get(name, _TEXT):
                return False
    times = list(filter(None, chain.from_iterable(map(_TIMES, posts))))
    return set(map(len, times)) <= {20} and _UTC_TIMES.fullmatch("".join(times)) is not None


@dataclass(slots=True)
class Category:
    """An objective or a theme: both have the same shape (DESIGN.md)."""

    key: str
    """Short slug used on the command line and in quick add (``!visites``, ``+prehistoire``)."""
    name: str
    """Name shown to people."""
    description: str = ""
    colour: str = "#888888"
    """Hex colour; never the only carrier of meaning."""
    target_share: float | None = None
    """Target share of posts, in percent."""
    target_per_month: int | None = None
    """Target count of posts per month."""
    archived: bool = False

    def to_doc(self) -> dict[str, Any]:
        """The document stored in TinyDB."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Read a stored document, naming the field at fault."""
        CATEGORY.fit(doc)
        share = doc.get("target_share")
        return cls(
            key=doc["key"],
            name=doc["name"],
            description=doc.get("description") or "",
            colour=doc.get("colour") or "#888888",
            target_share=None if share is None else float(share),
            target_per_month=doc.get("target_per_month"),
            archived=doc.get("archived", False),
        )


@dataclass(slots=True)
class Account:
    """One network account of the institution: the network and its handle."""

    network: str
    """Key of the network in the channel table (``instagram``, ``x``...)."""
    handle: str = ""

    def to_doc(self) -> dict[str, Any]:
        """The document stored in TinyDB."""
        return {"network": self.network, "handle": self.handle}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Read a stored document, naming the field at fault."""
        ACCOUNT.fit(doc)
        return cls(network=doc["network"], handle=doc.get("handle") or "")


@dataclass(slots=True)
class Post:
    """One piece of content."""

    title: str
    body: str = ""
    variants: dict[str, str] = field(default_factory=dict)
    """Per-channel text that replaces the body on that channel."""
    channels: list[str] = field(default_factory=list)
    status: Status = Status.IDEA
    scheduled: datetime | None = None
    """When it goes out, aware, UTC."""
    objectives: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    event: int | None = None
    """Id of the event it covers."""
    hashtags: list[str] = field(default_factory=list)
    media: str = ""
    """Notes on the pictures or video to go with it."""
    notes: str = ""
    flags: list[str] = field(default_factory=list)
    """Sensitivity flags (``human-remains``...); each gates approval on the checklist."""
    checklist: dict[str, bool] = field(default_factory=dict)
    """Review checklist items, in their flags' order, and whether each is done (the last
    entry of ``review`` for the item says who did it and when)."""
    live: bool = False
    """Logged live during an event."""
    link: str = ""
    """Published link."""
    created: datetime = field(default_factory=utcnow)
    updated: datetime = field(default_factory=utcnow)
    id: int | None = None
    """TinyDB document id; ``None`` until stored."""
    uid: str = ""
    """Stable identifier (uuid4), given by the store when the post is added, kept through
    every edit; ids may be renumbered by other tools, the uid is what exports key on."""
    slot: str = ""
    """The coverage slot it was made for, ``template/slot@YYYY-MM-DD`` (the occurrence's
    local date), so that generating the coverage again never makes it twice; empty for a
    post written by hand (``coverage.slot_id``)."""
    review: list[ReviewEntry] = field(default_factory=list)
    """Every tick and untick of the checklist, oldest first: kept, never rewritten, so
    that who reviewed what, and when, stays on record."""
    kept: dict[str, str] = field(default_factory=dict)
    """Glossary terms kept on purpose in this post (term key -> the reason, maybe empty):
    no longer flagged here."""

    def text_for(self, channel: str) -> str:
        """The text that goes out on a channel: its variant, or the body."""
        return self.variants.get(channel) or self.body

    def to_doc(self) -> dict[str, Any]:
        """The document stored in TinyDB (no id: that is the document's key)."""
        return {
            "uid": self.uid,
            "title": self.title,
            "body": self.body,
            "variants": dict(self.variants),
            "channels": list(self.channels),
            "status": self.status.value,
            "scheduled": iso(self.scheduled),
            "objectives": list(self.objectives),
            "themes": list(self.themes),
            "event": self.event,
            "hashtags": list(self.hashtags),
            "media": self.media,
            "notes": self.notes,
            "flags": list(self.flags),
            "checklist": dict(self.checklist),
            "live": self.live,
            "link": self.link,
            "created": iso(self.created),
            "updated": iso(self.updated),
            "slot": self.slot,
            "review": [e.to_doc() for e in self.review],
            "kept": dict(self.kept),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any], doc_id: int | None = None, *,
                 checked: bool = False) -> Self:
        """Read a stored document, naming the field at fault; ``checked``: the caller
        knows it fits ``POST`` (the store checked it), so it is not checked again."""
        if not checked:
            POST.fit(doc)
        return cls(
            id=doc_id,
            uid=doc["uid"],
            title=doc["title"],
            body=doc.get("body") or "",
            variants=dict(doc.get("variants") or {}),
            channels=list(doc.get("channels") or ()),
            status=_STATUSES[doc.get("status", "idea")],
            scheduled=_to_time(doc.get("scheduled")),
            objectives=list(doc.get("objectives") or ()),
            themes=list(doc.get("themes") or ()),
            event=doc.get("event"),
            hashtags=list(doc.get("hashtags") or ()),
            media=doc.get("media") or "",
            notes=doc.get("notes") or "",
            flags=list(doc.get("flags") or ()),
            checklist=dict(doc.get("checklist") or {}),
            live=doc.get("live", False),
            link=doc.get("link") or "",
            created=_utc(doc["created"]),
            updated=_utc(doc["updated"]),
            slot=doc.get("slot") or "",
            review=[ReviewEntry.from_doc(e) for e in doc.get("review") or ()],
            kept=dict(doc.get("kept") or {}),
        )


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One tick (or untick) of a checklist item: who, and when."""

    item: str
    done: bool
    by: str
    """The reviewer's name (the settings' ``reviewer``)."""
    at: datetime
    """Aware, UTC."""

    def to_doc(self) -> dict[str, Any]:
        """The entry as stored in the post's ``review`` list."""
        return {"item": self.item, "done": self.done, "by": self.by, "at": iso(self.at)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """An entry already checked by ``POST``."""
        return cls(doc["item"], doc["done"], doc["by"], _utc(doc["at"]))


@dataclass(slots=True)
class Event:
    """Something the institution holds, possibly recurring."""

    title: str
    start: datetime
    """Aware, UTC; for a recurring event, the first occurrence."""
    end: datetime | None = None
    kind: EventKind = EventKind.TALK
    place: str = ""
    hashtag: str = ""
    channels: list[str] = field(default_factory=list)
    """Channels its coverage posts go out on (the settings' channels when empty)."""
    objectives: list[str] = field(default_factory=list)
    """Objectives its coverage posts are tagged with."""
    themes: list[str] = field(default_factory=list)
    """Themes its coverage posts are tagged with."""
    template: str = ""
    """Key of its coverage template; empty: the template for its kind (``templates``)."""
    rrule: str = ""
    """RFC 5545 recurrence rule (``FREQ=WEEKLY;BYDAY=TH``), empty if single."""
    exdates: list[datetime] = field(default_factory=list)
    """Occurrences left out of the rule (aware, UTC)."""
    notes: str = ""
    cancelled: bool = False
    """Called off: kept for its history, never given new coverage."""
    id: int | None = None
    uid: str = ""
    """Stable identifier (uuid4), given by the store when the event is added."""

    def to_doc(self) -> dict[str, Any]:
        """The document stored in TinyDB (no id: that is the document's key)."""
        return {
            "uid": self.uid,
            "title": self.title,
            "start": iso(self.start),
            "end": iso(self.end),
            "kind": self.kind.value,
            "place": self.place,
            "hashtag": self.hashtag,
            "channels": list(self.channels),
            "objectives": list(self.objectives),
            "themes": list(self.themes),
            "template": self.template,
            "rrule": self.rrule,
            "exdates": [iso(d) for d in self.exdates],
            "notes": self.notes,
            "cancelled": self.cancelled,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any], doc_id: int | None = None) -> Self:
        """Read a stored document, naming the field at fault."""
        EVENT.fit(doc)
        return cls(
            id=doc_id,
            uid=doc["uid"],
            title=doc["title"],
            start=_utc(doc["start"]),
            end=_to_time(doc.get("end")),
            kind=_KINDS[doc.get("kind", "talk")],
            place=doc.get("place") or "",
            hashtag=doc.get("hashtag") or "",
            channels=list(doc.get("channels") or ()),
            objectives=list(doc.get("objectives") or ()),
            themes=list(doc.get("themes") or ()),
            template=doc.get("template") or "",
            rrule=doc.get("rrule") or "",
            exdates=[_utc(d) for d in doc.get("exdates") or () if d],
            notes=doc.get("notes") or "",
            cancelled=doc.get("cancelled", False),
        )


# --- status rules ---------------------------------------------------------


class TransitionError(ValueError):
    """A status change that the rules refuse, with the reason."""


class ReviewOpen(TransitionError):
    """Approval refused: the post is flagged and these checklist items are not ticked
    (none listed: the post has flags but no checklist yet)."""

    def __init__(self, missing: list[str]) -> None:
        what = "; ".join(missing) if missing else "no checklist yet"
        super().__init__(f"sensitive post: review checklist not done ({what})")
        self.missing = missing


def next_status(status: Status) -> Status:
    """The status after this one in the flow (``s``)."""
    if status is Status.CANCELLED:
        return Status.DRAFT
    i = FLOW.index(status)
    if i + 1 == len(FLOW):
        raise TransitionError("published is the last status")
    return FLOW[i + 1]


def previous_status(status: Status) -> Status:
    """The status before this one in the flow (``S``)."""
    if status is Status.CANCELLED:
        return Status.DRAFT
    i = FLOW.index(status)
    if i == 0:
        raise TransitionError("idea is the first status")
    return FLOW[i - 1]


def check_transition(post: Post, new: Status) -> None:
    """Raise ``TransitionError`` saying why ``post`` cannot move to ``new``.

    Allowed: one step forward or back along idea → draft → review → approved →
    scheduled → published (so ``S`` takes a published post back to scheduled);
    cancelled from any other status; from cancelled, back to draft only. Forward
    into approved or scheduled, a post must fit every channel (the refusal names
    each channel and by how much, ``readiness.over_limits``); a flagged (sensitive)
    post cannot reach approved until its checklist is done; a post cannot be
    scheduled without a time.
    """
    old = post.status
    if new is old:
        raise TransitionError(f"the post is already {old}")
    if new is Status.CANCELLED:
        return
    if old is Status.CANCELLED:
        if new is not Status.DRAFT:
            raise TransitionError(f"a cancelled post goes back to draft, not {new}")
        return
    step = FLOW.index(new) - FLOW.index(old)
    if step not in (1, -1):
        raise TransitionError(f"{old} cannot go to {new}: one step at a time "
                              f"({', '.join(s.value for s in _flow_steps(old))})")
    if step == 1:
        check_gates(post, new)


def check_gates(post: Post, status: Status) -> None:
    """Raise ``TransitionError`` when ``post`` does not meet what ``status`` asks of it:
    a flagged post's checklist done for approved, a time for scheduled, and the text
    fitting every channel for both. A step forward runs these; so does a new post."""
    if status is Status.APPROVED and post.flags:
        undone = [item for item, done in post.checklist.items() if not done]
        if undone or not post.checklist:
            raise ReviewOpen(undone)
    if status is Status.SCHEDULED and post.scheduled is None:
        raise TransitionError("a post needs a date before it is scheduled")
    if status in (Status.APPROVED, Status.SCHEDULED):
        from planterm.readiness import over_limits  # readiness reads the model: not at the top

        over = over_limits(post)
        if over:
            raise TransitionError(f"too long to be {status}: {'; '.join(over)}")


def _flow_steps(status: Status) -> list[Status]:
    """The statuses one step back and forward along the flow from ``status``."""
    i = FLOW.index(status)
    return [FLOW[j] for j in (i - 1, i + 1) if 0 <= j < len(FLOW)]


def reachable_statuses(post: Post) -> list[Status]:
    """The statuses ``post`` may move to in one step, in flow order (cancelled last).

    Only the shape of the flow counts here, not the gates on the post's content (its
    length, checklist or date), which an editor may be fixing in the same change:
    ``check_transition`` says why a gated step is refused.
    """
    if post.status is Status.CANCELLED:
        return [Status.DRAFT]
    return [*_flow_steps(post.status), Status.CANCELLED]


PUBLISHED_LINK_NOTE = "published at"
"""How the notes keep the link of a post taken back from published to scheduled."""


def with_status(post: Post, new: Status, now: datetime | None = None) -> Post:
    """A copy of ``post`` at status ``new``, or ``TransitionError``.

    A published post taken back to scheduled is no longer out, so its published link
    is cleared, and kept at the end of its notes (``published at https://…``), so that
    nothing the user typed is lost; undo restores the link itself.
    """
    check_transition(post, new)
    changed = replace(post, status=new, updated=now or utcnow())
    if post.status is Status.PUBLISHED and new is Status.SCHEDULED and post.link:
        kept = f"{PUBLISHED_LINK_NOTE} {post.link}"
        notes = f"{post.notes.rstrip()}\n{kept}" if post.notes.strip() else kept
        changed = replace(changed, link="", notes=notes)
    return changed
