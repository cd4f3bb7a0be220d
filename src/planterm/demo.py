"""The bundled demo plan, laid out around the day it is opened.

``data/demo.json`` is a plan built around one anchor week. A copy is shifted
by whole weeks, in local wall-clock time, so that its anchor week becomes the
current week: weekdays and hours stay as the museum planned them, across DST.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from planterm.dates import shift_wall_clock
from planterm.model import iso
from planterm.paths import data_dir
from planterm.storage import atomic_write

SHIFTED = {"posts": ("scheduled", "created", "updated"), "events": ("start", "end")}


def _shift(value: str | None, weeks: int, tz: ZoneInfo) -> str | None:
    if not value:
        return value
    return iso(shift_wall_clock(datetime.fromisoformat(value), timedelta(weeks=weeks), tz))


def shifted_demo(today: date, tz: ZoneInfo) -> dict[str, Any]:
    """The demo tables with the anchor week moved onto the week of ``today``."""
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
    return tables


def write_demo(dest: Path, today: date, tz: ZoneInfo) -> Path:
    """Write a fresh demo store at ``dest`` (mode 0600) and return its path."""
    data = json.dumps(shifted_demo(today, tz), ensure_ascii=False).encode()
    atomic_write(dest, data)
    return dest
