"""The words of DESIGN.md as typed dataclasses, with validation and status rules.

Nothing here touches the disk or the terminal. Documents (plain dicts, as TinyDB
stores them) are converted to and from these classes with ``to_doc`` and
``from_doc``; ``from_doc`` raises ``ModelError`` naming the field at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Self


class ModelError(ValueError):
    """A value that does not fit the model, naming the field and the problem."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


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


class EventKind(StrEnum):
    """The kinds of things an institution holds."""

    OPENING = "opening"
    MEDIATION = "mediation"
    TALK = "talk"
    WORKSHOP = "workshop"
    TOUR = "tour"
    FESTIVAL = "festival"


KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def utcnow() -> datetime:
    """The current time, aware, in UTC, to the second (as it is stored)."""
    return datetime.now(UTC).replace(microsecond=0)


def iso(dt: datetime | None) -> str | None:
    """Store a time as UTC ISO 8601 (``2026-12-03T18:00:00Z``)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        raise ModelError("time", f"{dt.isoformat()} has no time zone")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: Any, field_name: str) -> datetime | None:
    """Read a stored time back; a naive or malformed value is a ``ModelError``."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ModelError(field_name, f"expected an ISO 8601 time, got {value!r}")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise ModelError(field_name, f"{value!r} is not an ISO 8601 time") from None
    if dt.tzinfo is None:
        raise ModelError(field_name, f"{value!r} has no time zone")
    return dt.astimezone(UTC)


def _str_list(value: Any, field_name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ModelError(field_name, f"expected a list of strings, got {value!r}")
    return list(value)


def _str(value: Any, field_name: str, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ModelError(field_name, f"expected text, got {value!r}")
    if required and not value.strip():
        raise ModelError(field_name, "must not be empty")
    return value


def _opt_int(value: Any, field_name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelError(field_name, f"expected a whole number, got {value!r}")
    return value


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
        key = _str(doc.get("key"), "key", required=True)
        if not KEY_RE.match(key):
            raise ModelError("key", f"{key!r} must be lower-case letters, digits, - or _")
        share = doc.get("target_share")
        if share is not None and (
            isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 100
        ):
            raise ModelError("target_share", f"{share!r} is not a percentage between 0 and 100")
        per_month = _opt_int(doc.get("target_per_month"), "target_per_month")
        if per_month is not None and per_month < 0:
            raise ModelError("target_per_month", f"{per_month} is negative")
        colour = _str(doc.get("colour") or "#888888", "colour")
        if not COLOUR_RE.match(colour):
            raise ModelError("colour", f"{colour!r} is not a colour like #1f77b4")
        return cls(
            key=key,
            name=_str(doc.get("name"), "name", required=True),
            description=_str(doc.get("description"), "description"),
            colour=colour,
            target_share=None if share is None else float(share),
            target_per_month=per_month,
            archived=bool(doc.get("archived", False)),
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
        return cls(
            network=_str(doc.get("network"), "network", required=True),
            handle=_str(doc.get("handle"), "handle"),
        )


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
    """Review checklist items and whether each is done."""
    live: bool = False
    """Logged live during an event."""
    link: str = ""
    """Published link."""
    created: datetime = field(default_factory=utcnow)
    updated: datetime = field(default_factory=utcnow)
    id: int | None = None
    """TinyDB document id; ``None`` until stored."""

    def text_for(self, channel: str) -> str:
        """The text that goes out on a channel: its variant, or the body."""
        return self.variants.get(channel) or self.body

    def to_doc(self) -> dict[str, Any]:
        """The document stored in TinyDB (no id: that is the document's key)."""
        return {
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
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any], doc_id: int | None = None) -> Self:
        """Read a stored document, naming the field at fault."""
        try:
            status = Status(doc.get("status", "idea"))
        except ValueError:
            raise ModelError("status", f"{doc.get('status')!r} is not a status") from None
        variants = doc.get("variants") or {}
        if not isinstance(variants, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in variants.items()
        ):
            raise ModelError("variants", "expected a table of channel to text")
        checklist = doc.get("checklist") or {}
        if not isinstance(checklist, dict):
            raise ModelError("checklist", "expected a table of item to done")
        now = utcnow()
        return cls(
            id=doc_id,
            title=_str(doc.get("title"), "title", required=True),
            body=_str(doc.get("body"), "body"),
            variants=dict(variants),
            channels=_str_list(doc.get("channels"), "channels"),
            status=status,
            scheduled=parse_iso(doc.get("scheduled"), "scheduled"),
            objectives=_str_list(doc.get("objectives"), "objectives"),
            themes=_str_list(doc.get("themes"), "themes"),
            event=_opt_int(doc.get("event"), "event"),
            hashtags=_str_list(doc.get("hashtags"), "hashtags"),
            media=_str(doc.get("media"), "media"),
            notes=_str(doc.get("notes"), "notes"),
            flags=_str_list(doc.get("flags"), "flags"),
            checklist={str(k): bool(v) for k, v in checklist.items()},
            live=bool(doc.get("live", False)),
            link=_str(doc.get("link"), "link"),
            created=parse_iso(doc.get("created"), "created") or now,
            updated=parse_iso(doc.get("updated"), "updated") or now,
        )


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
    coverage: list[str] = field(default_factory=list)
    """Offsets of the coverage plan (``D-7``, ``D-1``, ``live``, ``D+1``)."""
    rrule: str = ""
    """RFC 5545 recurrence rule (``FREQ=WEEKLY;BYDAY=TH``), empty if single."""
    exdates: list[datetime] = field(default_factory=list)
    """Occurrences left out of the rule (aware, UTC)."""
    notes: str = ""
    id: int | None = None

    def to_doc(self) -> dict[str, Any]:
        """The document stored in TinyDB (no id: that is the document's key)."""
        return {
            "title": self.title,
            "start": iso(self.start),
            "end": iso(self.end),
            "kind": self.kind.value,
            "place": self.place,
            "hashtag": self.hashtag,
            "channels": list(self.channels),
            "coverage": list(self.coverage),
            "rrule": self.rrule,
            "exdates": [iso(d) for d in self.exdates],
            "notes": self.notes,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any], doc_id: int | None = None) -> Self:
        """Read a stored document, naming the field at fault."""
        start = parse_iso(doc.get("start"), "start")
        if start is None:
            raise ModelError("start", "an event needs a start time")
        try:
            kind = EventKind(doc.get("kind", "talk"))
        except ValueError:
            raise ModelError("kind", f"{doc.get('kind')!r} is not an event kind") from None
        exdates = [parse_iso(d, "exdates") for d in _str_list(doc.get("exdates"), "exdates")]
        return cls(
            id=doc_id,
            title=_str(doc.get("title"), "title", required=True),
            start=start,
            end=parse_iso(doc.get("end"), "end"),
            kind=kind,
            place=_str(doc.get("place"), "place"),
            hashtag=_str(doc.get("hashtag"), "hashtag"),
            channels=_str_list(doc.get("channels"), "channels"),
            coverage=_str_list(doc.get("coverage"), "coverage"),
            rrule=_str(doc.get("rrule"), "rrule"),
            exdates=[d for d in exdates if d is not None],
            notes=_str(doc.get("notes"), "notes"),
        )


# --- status rules ---------------------------------------------------------


class TransitionError(ValueError):
    """A status change that the rules refuse, with the reason."""


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
    scheduled → published; cancelled from any other status; from cancelled,
    back to draft only. A published post can only be cancelled. A flagged
    (sensitive) post cannot reach approved until its checklist is done, and a
    post cannot be scheduled without a time.
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
    if old is Status.PUBLISHED:
        raise TransitionError("a published post can only be cancelled")
    step = FLOW.index(new) - FLOW.index(old)
    if step not in (1, -1):
        near = ", ".join(
            s.value for s in (FLOW[i] for i in (FLOW.index(old) - 1, FLOW.index(old) + 1)
                              if 0 <= i < len(FLOW))
        )
        raise TransitionError(f"{old} cannot go to {new}: one step at a time ({near})")
    if step == 1:
        if new is Status.APPROVED and post.flags:
            undone = [item for item, done in post.checklist.items() if not done]
            if undone or not post.checklist:
                what = ", ".join(undone) if undone else "no checklist yet"
                raise TransitionError(f"sensitive post: review checklist not done ({what})")
        if new is Status.SCHEDULED and post.scheduled is None:
            raise TransitionError("a post needs a date before it is scheduled")


def with_status(post: Post, new: Status, now: datetime | None = None) -> Post:
    """A copy of ``post`` at status ``new``, or ``TransitionError``."""
    check_transition(post, new)
    return replace(post, status=new, updated=now or utcnow())
