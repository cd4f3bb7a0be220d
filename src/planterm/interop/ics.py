"""iCalendar (RFC 5545) out and in, with the icalendar library.

Out: events as VEVENTs (RRULE and EXDATE kept, DTSTART on the rule's first occurrence, local
times with the user's TZID and its VTIMEZONE), posts as short VEVENTs at their time
(calendar apps and khal ignore VTODOs), both with their planterm uid as UID. What
planterm alone reads (an event's kind, hashtag, channels; which VEVENTs are posts) rides in
``X-PLANTERM-*`` properties, which other programs ignore. Nothing in the output depends
on the moment of the export: DTSTAMP is a post's last change (for an event, the plan's),
so exporting an unchanged plan gives the same bytes, and a calendar app that imports it
again updates rather than duplicates.

In: the events of a museum's agenda file (or of our own export), with their recurrences
and exceptions; a moved occurrence (``RECURRENCE-ID``) becomes an exception of its series
and an event of its own. Each broken component is named by its line and why.
"""

from __future__ import annotations

import copy
import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Timezone, vCategory, vDatetime, vRecur, vText, vUri
from icalendar import Event as VEvent
from icalendar.parser import Contentline, Parameters

from planterm import __version__
from planterm.config import Settings
from planterm.dates import DateParseError, expand_rrule, validate_rrule
from planterm.edits import resolve_channels, split_list
from planterm.events import check_event, normal_hashtag
from planterm.interop.common import BadFile, Incoming, NewCategories, Refused
from planterm.model import Event, EventKind, ModelError, Status, iso, one_line_link
from planterm.storage import no_collector
from planterm.store import Store

FOLD_AT = 75
"""The octets (CRLF aside) from which the library folds a line (RFC 5545: lines SHOULD NOT
be longer than 75 octets; it folds one that would reach 75): each piece holds at most 74."""
_ESCAPED = re.compile(r"[\\;,\r\n]")
"""What ``vText`` escapes (and its ``\\N``, which starts with one)."""
POST_MINUTES = 15
"""How long a post's VEVENT lasts: long enough to be seen in a day view."""
PRODID = f"-//planterm//planterm {__version__}//EN"
X_TYPE = "X-PLANTERM-TYPE"
"""``post`` or ``event``: which VEVENTs planterm wrote as posts (left aside on import)."""
_CONFIRMED = frozenset({Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED})
_RULE_REACH = timedelta(days=366 * 20)
"""How far ahead the first occurrence of a rule is looked for."""
_EVENT_X = {"kind": "X-PLANTERM-KIND", "hashtag": "X-PLANTERM-HASHTAG",
            "channels": "X-PLANTERM-CHANNELS", "objectives": "X-PLANTERM-OBJECTIVES",
            "themes": "X-PLANTERM-THEMES", "template": "X-PLANTERM-TEMPLATE"}
"""The event fields that only planterm reads back, and their property."""


@dataclass(frozen=True, slots=True)
class Exported:
    """An export's bytes and what it holds."""

    data: bytes
    events: int
    posts: int
    undated: int
    """Posts left out because they have no date."""


def post_status(status: Status) -> str:
    """A post's STATUS: TENTATIVE before approved, CONFIRMED from approved on, CANCELLED."""
    if status is Status.CANCELLED:
        return "CANCELLED"
    return "CONFIRMED" if status in _CONFIRMED else "TENTATIVE"


@no_collector()
def export_ics(events: Sequence[Event], posts: Sequence[Mapping[str, Any]], settings: Settings,
               event_uids: dict[int, str]) -> Exported:
    """The calendar of ``events`` and the dated ``posts``; ``posts``: their documents as
    ``Post.to_doc`` writes them (``post_documents``); ``event_uids``: each event id's uid,
    for a post's RELATED-TO (its event may not be among those exported)."""
    tz = settings.tz
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    dated = [p for p in posts if p["scheduled"] is not None]
    # times as ``iso`` writes them sort as the times do
    last = max((p["updated"] for p in posts), default=None)
    stamp = datetime(2000, 1, 1, tzinfo=UTC) if last is None else datetime.fromisoformat(last)
    for event in events:
        cal.add_component(_event_component(event, tz, stamp))
    if events or dated:
        cal.subcomponents[0:0] = _timezones(tz)
    lines = [fold(line.encode()) for line in cal.content_lines() if line]
    writer = _PostLines(tz, event_uids)
    # The posts close the calendar, where ``to_ical`` would have written them.
    lines[-1:-1] = (line for post in dated for line in writer.lines(post))
    return Exported(b"\r\n".join(lines) + b"\r\n", len(events), len(dated),
                    len(posts) - len(dated))


def _timezones(tz: ZoneInfo) -> list[Timezone]:
    """The VTIMEZONE of ``tz``, the zone of every time in the file, as
    ``add_missing_timezones`` makes it (asked of one time rather than of a walk over every
    property of every component)."""
    event = VEvent()
    event.add("dtstart", datetime(2000, 1, 1, tzinfo=tz))
    probe = Calendar()
    probe.add_component(event)
    probe.add_missing_timezones()
    return probe.timezones


def fold(line: bytes) -> bytes:
    """A content line (UTF-8, no line break in it) folded as the library's
    ``Contentline.to_ical`` folds it, byte for byte: pieces of at most 74 octets (RFC 5545
    §3.1), each cut before a character, never inside its UTF-8 sequence, and before a
    ``\\`` or ``^`` that would end a piece (the library keeps an escape whole), joined by
    CRLF and a space. The library walks the line character by character, encoding each:
    a second of exporting 20,000 posts; here a piece is a slice, moved back over at most
    three continuation bytes."""
    size = len(line)
    if size < FOLD_AT:  # nine lines in ten
        return line
    pieces = []
    start = 0
    while size - start >= FOLD_AT:
        cut = start + FOLD_AT - 1
        while line[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        if line[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


def ical_text(value: str) -> bytes:
    """A TEXT value as the library's ``vText`` writes it (RFC 5545 §3.3.11: ``\\``, ``;``,
    ``,`` and line breaks escaped); text with none of them is its own encoding, and no
    ``vText`` is made for it (a post's uid, most titles: each ``vText`` makes a
    ``Parameters`` dictionary, a fifth of the time of a post's lines)."""
    if _ESCAPED.search(value) is None:
        return value.encode()
    return vText(value).to_ical()


def _ical(value: Any) -> bytes:
    """``value.to_ical()``: the library's encoding of a value or a line (untyped there)."""
    return cast(bytes, value.to_ical())


def _event_component(event: Event, tz: ZoneInfo, stamp: datetime) -> VEvent:
    """One event as a VEVENT; a repeating one starts on its rule's first occurrence (RFC
    5545 counts DTSTART as one, so it must be one), its end moved by as much."""
    start = event.start
    if event.rrule:
        first = expand_rrule(event.rrule, start, start, start + _RULE_REACH, tz)
        start = first[0] if first else start
    comp = VEvent()
    comp.add("uid", event.uid)
    comp.add("dtstamp", stamp)
    comp.add("summary", event.title)
    comp.add("dtstart", start.astimezone(tz))
    if event.end is not None:
        comp.add("dtend", (event.end + (start - event.start)).astimezone(tz))
    if event.rrule:
        comp.add("rrule", _rule_out(event.rrule, tz))
    if event.exdates:
        comp.add("exdate", [d.astimezone(tz) for d in event.exdates])
    if event.place:
        comp.add("location", event.place)
    if event.notes:
        comp.add("description", event.notes)
    comp.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    comp.add("categories", [event.kind.value, *event.objectives, *event.themes])
    comp.add(X_TYPE, "event")
    for name, prop in _EVENT_X.items():
        value = getattr(event, name)
        text = ",".join(value) if isinstance(value, list) else str(value)
        if text:
            comp.add(prop, text)
    return comp


def _rule_out(rule: str, tz: ZoneInfo) -> vRecur:
    """The stored rule for a DTSTART with a TZID: RFC 5545 wants its UNTIL in UTC."""
    recur = vRecur.from_ical(rule.removeprefix("RRULE:"))
    until = recur.get("UNTIL")
    if until:
        value = until[0]
        if not isinstance(value, datetime):  # a whole day: until its last second, local
            value = datetime.combine(value, time(23, 59, 59))
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        recur["UNTIL"] = [value.astimezone(UTC)]
    return cast(vRecur, recur)


class _PostLines:
    """Dated posts as short VEVENTs, written line by line with the library's encoding,
    from their documents.

    The lines are those ``Calendar.to_ical`` writes for a post's component (the golden file
    of tests/fixtures holds them), made without the component: each value is encoded by
    its icalendar type (``vText`` escapes, ``vDatetime``, ``vUri``), put after its name and
    parameters as ``Contentline.from_parts`` puts them, the properties in the library's
    order, each line folded as the library folds it (``fold``). A component per post,
    each property's type looked up by ``add`` and the whole walked by ``content_lines``,
    took more than half the time of exporting 20,000 posts; building a ``Post`` of each
    document, a fifth of what was left. What posts share (the TZID, the statuses, the
    events' uids, the categories) is encoded once.
    """

    def __init__(self, tz: ZoneInfo, event_uids: dict[int, str]) -> None:
        self.tz = tz
        # One value of each kind of time, its ``dt`` replaced for each post: making a
        # vDatetime per value looks the zone's id up again and costs three times as much.
        # The UTC one says so in its parameters, which the library reads before it looks
        # up which of its 32 names for UTC the zone has (the parameters are not written).
        self.local = vDatetime(datetime(2000, 1, 1, tzinfo=tz))
        self.utc = vDatetime(datetime(2000, 1, 1, tzinfo=UTC), params={"TZID": "UTC"})
        self.dtstart = _head("DTSTART", self.local.params)
        self.dtend = _head("DTEND", self.local.params)
        self.begin = _line("BEGIN", vText("VEVENT"))
        self.end = _line("END", vText("VEVENT"))
        self.status = {status.value: _line("STATUS", vText(post_status(status)))
                       for status in Status}
        self.transparent = _line("TRANSP", vText("TRANSPARENT"))  # never busy: takes no one's time
        self.post = _line(X_TYPE, vText("post"))
        self.related = {key: _line("RELATED-TO", vText(uid)) for key, uid in event_uids.items()}
        self.categories: dict[str, bytes] = {}
        """Each category as ``vCategory`` writes it in its list, made once: a plan has a
        few dozen channels, objectives and themes, and a post several of them."""

    def lines(self, post: Mapping[str, Any]) -> list[bytes]:
        """The content lines of one dated post's VEVENT (its document as ``to_doc`` writes
        it: every field there, times in UTC as ``iso`` writes them), BEGIN and END
        included, its properties in the library's order (``Event.canonical_order``, then
        by name)."""
        start = datetime.fromisoformat(post["scheduled"]).astimezone(self.tz)
        updated = self.at(self.utc, datetime.fromisoformat(post["updated"]))
        lines = [self.begin,
                 fold(b"SUMMARY:" + ical_text(f"{post['title']} ({post['status']})")),
                 fold(self.dtstart + self.at(self.local, start)),
                 fold(self.dtend + self.at(self.local, start + timedelta(minutes=POST_MINUTES))),
                 fold(b"DTSTAMP:" + updated),
                 fold(b"UID:" + ical_text(post["uid"]))]
        categories = [*post["channels"], *post["objectives"], *post["themes"]]
        if categories:
            lines.append(fold(b"CATEGORIES:" + b",".join(map(self.category, categories))))
        lines += [fold(b"CREATED:" + self.at(self.utc, datetime.fromisoformat(post["created"]))),
                  fold(b"DESCRIPTION:" + ical_text(post_description(post))),
                  fold(b"LAST-MODIFIED:" + updated)]
        related = self.related.get(post["event"])
        if related is not None:
            lines.append(related)
        lines += [self.status[post["status"]], self.transparent]
        if post["link"]:
            try:
                link = one_line_link(post["link"])
            except ModelError as e:  # stored by an older planterm's import, or by hand
                raise ModelError(f"post {post['title']!r}", f"{e}: put it on one line (import "
                                 "the post's row again, or edit the store) and export again"
                                 ) from None
            lines.append(fold(b"URL:" + _ical(vUri(link))))
        lines += [self.post, self.end]
        return lines

    @staticmethod
    def at(value: vDatetime, when: datetime) -> bytes:
        """``when`` as the library writes a DATE-TIME of ``value``'s zone."""
        value.dt = when
        return _ical(value)

    def category(self, name: str) -> bytes:
        """One category of a CATEGORIES list, escaped by the library."""
        if name not in self.categories:
            self.categories[name] = _ical(vCategory([name]))
        return self.categories[name]


def _head(name: str, params: Parameters) -> bytes:
    """What comes before a property's value on its line: ``NAME;PARAMS:``."""
    return cast(str, Contentline.from_parts(name, params, "")).encode()


def _line(name: str, value: vText) -> bytes:
    """A property's whole line, as the library writes it."""
    return fold(cast(str, Contentline.from_parts(name, value.params, value)).encode())


def post_description(post: Mapping[str, Any]) -> str:
    """The body of a post's document, then each channel's own text under the channel's
    name, then hashtags."""
    parts = [post["body"]] if post["body"] else []
    parts += [f"— {channel}:\n{text}" for channel, text in post["variants"].items()]
    if post["hashtags"]:
        parts.append(" ".join(post["hashtags"]))
    return "\n\n".join(parts)


# --- import -------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    """The file as text; ``BadFile`` naming the line and byte that are not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise BadFile(f"{name}: line {line}: not UTF-8 (byte {data[e.start]:#04x}); save it "
                      "as UTF-8 and import it again") from None


def _vevent_lines(text: str, name: str) -> list[int]:
    """The line of each VEVENT, in order; ``BadFile`` for a file that is not iCalendar or
    whose components do not close (a file cut short)."""
    stack: list[tuple[str, int]] = []
    starts: list[int] = []
    seen = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().upper()
        if not line or raw[:1] in (" ", "\t"):
            continue
        if not seen and line != "BEGIN:VCALENDAR":
            raise BadFile(f"{name}: line {number}: not an iCalendar file (it should start "
                          "with BEGIN:VCALENDAR)")
        seen = True
        if line.startswith("BEGIN:"):
            stack.append((line[6:], number))
            if line == "BEGIN:VEVENT" and len(stack) == 2:
                starts.append(number)
        elif line.startswith("END:"):
            if not stack or stack[-1][0] != line[4:]:
                opened = f"BEGIN:{stack[-1][0]} of line {stack[-1][1]}" if stack else "nothing"
                raise BadFile(f"{name}: line {number}: {raw.strip()} ends {opened}")
            stack.pop()
    if not seen:
        raise BadFile(f"{name}: empty file: no calendar in it")
    if stack:
        kind, number = stack[-1]
        raise BadFile(f"{name}: line {number}: BEGIN:{kind} is never ended: the file is cut "
                      "short")
    return starts


def _aware(value: date | datetime, tz: ZoneInfo) -> datetime:
    """A DTSTART-like value as aware UTC: a floating time is the user's, a whole day starts
    at local midnight."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC).replace(microsecond=0)


def _text(comp: Component, prop: str) -> str:
    """A text property, or ''."""
    value = comp.get(prop)
    return "" if value is None else str(value).strip() if prop == "SUMMARY" else str(value)


def _event_of(comp: Component, tz: ZoneInfo, cats: NewCategories) -> Event:
    """The event a VEVENT describes (uid as in the file); ``ModelError`` says what is wrong."""
    if comp.errors:
        raise ModelError("VEVENT", "; ".join(f"{p or 'property'}: {e}" for p, e in comp.errors))
    if comp.get("DTSTART") is None:
        raise ModelError("DTSTART", "missing: an event needs a start")
    start = _aware(comp.decoded("DTSTART"), tz)
    end: datetime | None = None
    if comp.get("DTEND") is not None:
        end = _aware(comp.decoded("DTEND"), tz)
    elif comp.get("DURATION") is not None:
        end = start + comp.decoded("DURATION")
    title = _text(comp, "SUMMARY")
    if not title:
        raise ModelError("SUMMARY", "missing: an event needs a title")
    rules = comp.get("RRULE")
    if isinstance(rules, list):
        raise ModelError("RRULE", "more than one rule; planterm keeps one per event")
    rule = "" if rules is None else rules.to_ical().decode()
    try:
        validate_rrule(rule)
    except DateParseError as e:
        raise ModelError("RRULE", str(e)) from None
    exdates = [_aware(d.dt, tz) for ex in _listed(comp.get("EXDATE")) for d in ex.dts]
    event = Event(title=title, start=start, end=end if end and end > start else None,
                  place=_text(comp, "LOCATION"), notes=_text(comp, "DESCRIPTION"),
                  rrule=rule, exdates=sorted(set(exdates)),
                  cancelled=_text(comp, "STATUS").upper() == "CANCELLED",
                  uid=_uid(comp, title, start))
    return _planterm_fields(comp, event, cats)


def _listed(value: Any) -> list[Any]:
    """A property that may appear once or several times, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _uid(comp: Component, title: str, start: datetime) -> str:
    """The file's UID; a component without one gets a uid drawn from its title and start,
    so that importing the same file twice still updates rather than duplicates."""
    uid = _text(comp, "UID").strip()
    if uid:
        return uid
    seed = f"{title}\n{iso(start)}".encode()
    return str(uuid.UUID(bytes=hashlib.sha256(seed).digest()[:16], version=4))


def _planterm_fields(comp: Component, event: Event, cats: NewCategories) -> Event:
    """The fields only planterm writes (``X-PLANTERM-*``), read back where present."""
    found = {name: str(comp[prop]) for name, prop in _EVENT_X.items() if prop in comp}
    if "kind" in found:
        try:
            event = replace(event, kind=EventKind(found["kind"].strip().lower()))
        except ValueError:
            raise ModelError(_EVENT_X["kind"], f"unknown kind {found['kind']!r}; kinds: "
                                               f"{', '.join(EventKind)}") from None
    if "hashtag" in found:
        event = replace(event, hashtag=normal_hashtag(found["hashtag"]))
    if "channels" in found:
        event = replace(event, channels=resolve_channels(split_list(found["channels"]),
                                                         _EVENT_X["channels"]))
    if "objectives" in found:
        event = replace(event, objectives=cats.keys("objectives",
                                                     split_list(found["objectives"])))
    if "themes" in found:
        event = replace(event, themes=cats.keys("themes", split_list(found["themes"])))
    if "template" in found:
        event = replace(event, template=found["template"].strip())
    return event


def read_ics(data: bytes, name: str, store: Store, settings: Settings) -> Incoming[Event]:
    """What importing the calendar ``data`` (read from ``name``) into ``store`` would change.

    ``BadFile`` when the file cannot be read at all; each VEVENT that cannot be an event
    is in ``refused`` with its line. A UID the store holds updates that event; the fields
    a foreign file does not carry (kind, hashtag, channels...) are kept as stored.
    """
    text = _decode(data, name)
    lines = _vevent_lines(text, name)
    try:
        cal = Calendar.from_ical(text)
    except ValueError as e:
        raise BadFile(f"{name}: not a calendar icalendar can read ({e})") from None
    if not isinstance(cal, Calendar):
        raise BadFile(f"{name}: holds more than one calendar; import them one at a time")
    comps = [c for c in cal.subcomponents if c.name == "VEVENT"]
    incoming: Incoming[Event] = Incoming()
    cats = NewCategories(store)
    found: Found = {}
    moved: list[tuple[int, Component]] = []
    posts = 0
    for line, comp in zip(lines, comps, strict=True):
        if str(comp.get(X_TYPE, "")).lower() == "post":
            posts += 1
            continue
        if comp.get("RECURRENCE-ID") is not None:
            moved.append((line, comp))
            continue
        _take(incoming, found, line, comp, settings, cats)
    for line, comp in moved:
        _take_moved(incoming, found, line, comp, settings, cats)
    incoming.categories = list(cats.made)
    _sort_out(incoming, [(event, ours) for _, event, ours in found.values()], store)
    if posts:
        incoming.notes.append(f"left aside {posts} post{'s' * (posts != 1)} planterm "
                              "exported (posts come in by CSV)")
    return incoming


Found = dict[str, tuple[int, Event, bool]]
"""The events read, by uid: the line of their VEVENT, the event, and whether planterm wrote
it (then its ``X-PLANTERM-*`` fields are all there: one absent is empty)."""


def _where(line: int, comp: Component) -> str:
    title = _text(comp, "SUMMARY")
    return f"line {line}, VEVENT {title!r}" if title else f"line {line}, VEVENT"


def _take(incoming: Incoming[Event], found: Found, line: int,
          comp: Component, settings: Settings, cats: NewCategories) -> None:
    """Read one VEVENT into ``found`` by uid, or refuse it with its line."""
    made = len(cats.made)
    try:
        event = _event_of(comp, settings.tz, cats)
        if event.uid in found:
            raise ModelError("UID", f"{event.uid} is the VEVENT's of line "
                                    f"{found[event.uid][0]} too")
        check_event(event, settings)
    except ModelError as e:
        cats.forget_after(made)
        incoming.refused.append(Refused(_where(line, comp), f"{e.field}: {e.problem}"))
        return
    found[event.uid] = line, event, str(comp.get(X_TYPE, "")).lower() == "event"


def _take_moved(incoming: Incoming[Event], found: Found, line: int,
                comp: Component, settings: Settings, cats: NewCategories) -> None:
    """A moved occurrence: an exception of its series, and an event of its own (uid drawn
    from the series' and the occurrence's, so that importing again updates it)."""
    series = _text(comp, "UID").strip()
    if series not in found:
        incoming.refused.append(Refused(_where(line, comp), f"RECURRENCE-ID: no repeating "
                                                            f"VEVENT with UID {series!r}"))
        return
    first, event, ours = found[series]
    moved_from = _aware(comp.decoded("RECURRENCE-ID"), settings.tz)
    base = replace(event, exdates=sorted({*event.exdates, moved_from}))
    try:
        check_event(base, settings)
    except ModelError as e:
        incoming.refused.append(Refused(_where(line, comp), f"RECURRENCE-ID: {e.problem}"))
        return
    found[series] = first, base, ours
    own = copy.deepcopy(comp)
    for prop in ("RRULE", "EXDATE", "UID", "RECURRENCE-ID"):
        own.pop(prop, None)
    own.add("uid", f"{series}/{iso(moved_from)}")
    _take(incoming, found, line, own, settings, cats)


def _sort_out(incoming: Incoming[Event], events: Iterable[tuple[Event, bool]],
              store: Store) -> None:
    """Each event read: new, an update of the stored event with its uid, or unchanged.
    An update from a file planterm did not write keeps the fields only planterm has."""
    index = store.uid_index("events")
    for event, ours in events:
        stored_id = index.get(event.uid)
        if stored_id is None:
            incoming.added.append(event)
            continue
        stored = store.get_event(stored_id)
        assert stored is not None
        new = replace(event, id=stored_id)
        if not ours:
            new = replace(new, **{name: getattr(stored, name) for name in _EVENT_X})
        if same_rule(new.rrule, stored.rrule):  # the library writes a rule's parts its own way
            new = replace(new, rrule=stored.rrule)
        if new == stored:
            incoming.unchanged += 1
        else:
            incoming.updated.append((stored, new))


def same_rule(one: str, other: str) -> bool:
    """Whether two RRULEs say the same, whatever the order of their parts."""
    if not (one and other):
        return one == other
    return bool(vRecur.from_ical(one.removeprefix("RRULE:"))
                == vRecur.from_ical(other.removeprefix("RRULE:")))
