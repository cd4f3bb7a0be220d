"""The bundled demo plan, laid out around the moment it is opened.

``data/demo.json`` is a plan built around one anchor week. A copy is shifted
by whole weeks, in local wall-clock time, so that its anchor week becomes the
current week: weekdays and hours stay as the museum planned them, across DST.

The plan was written as seen on the anchor week's Thursday evening, so once shifted
it is then made honest about the moment it is opened (``now``): a post due before the
current minute is no longer "scheduled" but published; a published post due at or
after it goes back to scheduled (and loses its link); a live post logged after it is
dropped, so live posts belong only to events under way or over; and no post was
created or changed after it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from planterm.coverage import parse_slot_id, slot_id
from planterm.dates import shift_wall_clock
from planterm.model import Status, iso
from planterm.paths import data_dir
from planterm.storage import atomic_write

SHIFTED = {"posts": ("scheduled", "created", "updated"), "events": ("start", "end")}


def _shift(value: str | None, weeks: int, tz: ZoneInfo) -> str | None:
    if not value:
        return value
    return iso(shift_wall_clock(datetime.fromisoformat(value), timedelta(weeks=weeks), tz))


def _honest(posts: dict[str, dict[str, Any]], now: datetime) -> None:
    """Statuses and times made true at ``now`` (see the module's docstring)."""
    minute = iso(now.replace(second=0, microsecond=0))
    assert minute is not None
    for key, doc in list(posts.items()):
        due, status = doc["scheduled"], doc["status"]
        if due and due >= minute and doc["live"]:
            del posts[key]
            continue
        if due and due >= minute and status == Status.PUBLISHED:
            doc["status"], doc["link"] = Status.SCHEDULED.value, ""
        elif due and due < minute and status == Status.SCHEDULED:
            doc["status"] = Status.PUBLISHED.value
        doc["updated"] = min(doc["updated"], minute)
        doc["created"] = min(doc["created"], doc["updated"])
        for entry in doc["review"]:  # a tick is part of a change: never after it
            entry["at"] = min(entry["at"], doc["updated"])


def shifted_demo(today: date, tz: ZoneInfo, now: datetime | None = None) -> dict[str, Any]:
    """The demo tables with the anchor week moved onto the week of ``today``, and made
    honest about ``now`` (aware) when it is given."""
    tables: dict[str, Any] = json.loads((data_dir() / "demo.json").read_text(encoding="utf-8"))
    meta = tables["meta"]["1"]
    anchor = date.fromisoformat(meta.pop("demo_anchor"))
    weeks = ((today - timedelta(days=today.weekday())) - anchor).days // 7
    for table, names in SHIFTED.items():
        for doc in tables[table].values():
            for name in names:
                doc[name] = _shift(doc.get(name), weeks, tz)
            if "exdates" in doc:
                doc["exdates"] = [_shift(d, weeks, tz) for d in doc["exdates"]]
            for entry in doc.get("review", ()):  # who ticked what moves with the rest
                entry["at"] = _shift(entry["at"], weeks, tz)
            slot = parse_slot_id(doc.get("slot") or "")
            if slot is not None:  # the occurrence it names moved with the rest
                template, _, key = slot[0].partition("/")
                doc["slot"] = slot_id(template, key, slot[1] + timedelta(weeks=weeks))
    if now is not None:
        _honest(tables["posts"], now.astimezone(UTC))
    return tables


def write_demo(dest: Path, today: date, tz: ZoneInfo, now: datetime | None = None) -> Path:
    """Write a fresh demo store at ``dest`` (mode 0600) and return its path; ``now``: as
    ``shifted_demo``."""
    data = json.dumps(shifted_demo(today, tz, now), ensure_ascii=False).encode()
    atomic_write(dest, data)
    return dest
