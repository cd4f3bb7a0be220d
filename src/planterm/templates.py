"""Coverage templates: the posts an event gets, as offsets from its start (or end).

The bundled templates live in ``data/coverage.toml`` (its comments describe the format);
the user's own ``coverage.toml`` beside the settings file adds templates and replaces
bundled ones with the same key. One file per side, like ``data/channels.toml``: a single
file is what a user copies and edits, and one file to read keeps the start quick.

A bundled file that does not fit is a bug in planterm: ``TemplateError`` names the file,
the template, the field and the reason. The user's file is read more kindly: a template
that does not fit is left out with a warning saying the same, the others (and every
bundled one) keep working.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from planterm import channels
from planterm.config import config_path
from planterm.model import KEY_RE, EventKind, ModelError
from planterm.paths import data_dir
from planterm.text import fold

FILE = "coverage.toml"
"""The name of a templates file, bundled in data/ and the user's beside the settings."""

PATTERN_FIELDS = ("title", "hashtag", "place", "date", "time", "kind")
"""The event's fields a slot's title and body may name, as ``{title}``."""

_TEMPLATE_FIELDS = ("name", "kinds", "slots")
_SLOT_FIELDS = ("key", "day", "time", "hours", "from", "channels", "title", "body", "live")
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")


class TemplateError(ValueError):
    """A template that does not fit: the file, the template, the field and the reason."""

    def __init__(self, path: Path, template: str | None, field_name: str | None,
                 problem: str) -> None:
        where = str(path)
        if template is not None:
            where += f": template {template!r}"
        if field_name is not None:
            where += f", {field_name}"
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.template = template
        self.field = field_name
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Slot:
    """One post of a coverage plan, placed relative to an occurrence of the event."""

    key: str
    """Stable within its template: what a generated post remembers (``Post.slot``)."""
    day: int
    """Days from the occurrence's local start (or end) date."""
    title: str
    """A pattern naming the event's fields (``PATTERN_FIELDS``)."""
    at: time | None = None
    """Local time of day; None: ``hours`` from the start, or the event's own time."""
    hours: float | None = None
    """Hours from the occurrence's start (or end), in wall-clock time."""
    from_end: bool = False
    """Count from the end of the occurrence rather than its start."""
    channels: tuple[str, ...] = ()
    """Network keys; empty: the event's channels."""
    body: str = ""
    live: bool = False
    """The live block: posts logged live during the occurrence fill it too."""

    @property
    def label(self) -> str:
        """``D-7``, ``D+1``, ``D+0 +1h``, ``end+1``: where the slot falls, in short."""
        base = "end" if self.from_end else "D"
        text = f"{base}{self.day:+d}" if self.day or self.from_end else "D"
        if self.hours:
            text += f" {self.hours:+g}h"
        return text


@dataclass(frozen=True, slots=True)
class Template:
    """A coverage plan: its slots, and the event kinds it is the default for."""

    key: str
    name: str
    kinds: tuple[EventKind, ...]
    slots: tuple[Slot, ...]
    path: Path
    """The file it was read from."""


@dataclass(frozen=True, slots=True)
class Templates:
    """Every template in use (the user's over the bundled ones) and what was left out."""

    by_key: Mapping[str, Template]
    warnings: tuple[str, ...] = ()
    """The user's templates left out, each with the file, template, field and reason."""
    defaults: Mapping[EventKind, str] = field(default_factory=dict)
    """The template key used for each event kind."""

    def find(self, name: str) -> Template:
        """A template by key or name (case and accents aside); ``ModelError`` listing the
        templates there are."""
        wanted = fold(name.strip())
        for template in self.by_key.values():
            if wanted in (fold(template.key), fold(template.name)):
                return template
        known = ", ".join(self.by_key) or "none"
        raise ModelError("template", f"unknown coverage template {name!r}; known: {known}")

    def for_event(self, template: str, kind: EventKind) -> Template:
        """The template an event uses: its own (``template``), else its kind's default;
        ``ModelError`` when there is none."""
        if template:
            return self.find(template)
        key = self.defaults.get(kind)
        if key is None:
            raise ModelError("template", f"no coverage template for the kind {kind}; "
                                         "choose one with --template")
        return self.by_key[key]


def user_file() -> Path:
    """The user's templates file: ``coverage.toml`` beside the settings file."""
    return config_path().parent / FILE


def load_templates(user: Path | None = None) -> Templates:
    """The bundled templates with the user's file (default ``user_file()``) over them.

    A bundled file that does not fit raises ``TemplateError``; the user's bad templates are
    left out and named in ``Templates.warnings``, and a user's file that cannot be read as
    TOML is left out whole, with a warning.
    """
    bundled = _bundled()
    path = user_file() if user is None else user
    if not path.exists():
        return _combine(bundled, [], ())
    warnings: list[str] = []
    try:
        raw = _read(path)
    except TemplateError as e:
        return _combine(bundled, [], (f"{e}; the bundled templates are used",))
    mine = []
    for key, entry in raw.items():
        try:
            mine.append(_template(path, key, entry))
        except TemplateError as e:
            warnings.append(f"{e}; template left out")
    try:
        _check_kinds(path, mine)
    except TemplateError as e:
        return _combine(bundled, [], (*warnings, f"{e}; your templates are left out"))
    return _combine(bundled, mine, tuple(warnings))


@functools.cache
def _bundled() -> tuple[Template, ...]:
    """The bundled templates (read once)."""
    return read_file(data_dir() / FILE)


def read_file(path: Path) -> tuple[Template, ...]:
    """Every template of one file, checked; the first problem raises ``TemplateError``."""
    found = tuple(_template(path, key, entry) for key, entry in _read(path).items())
    _check_kinds(path, found)
    return found


def _combine(bundled: tuple[Template, ...], mine: list[Template],
             warnings: tuple[str, ...]) -> Templates:
    """The user's templates over the bundled ones; a kind's default is the user's if any."""
    by_key = {t.key: t for t in bundled}
    by_key.update({t.key: t for t in mine})
    defaults: dict[EventKind, str] = {}
    for template in (*bundled, *mine):  # the user's come last, so they win
        if by_key[template.key] is template:
            defaults.update(dict.fromkeys(template.kinds, template.key))
    return Templates(by_key, warnings, defaults)


def _read(path: Path) -> dict[str, Any]:
    """The file as TOML tables; ``TemplateError`` if it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise TemplateError(path, None, None, f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise TemplateError(path, None, None, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise TemplateError(path, None, None, f"not valid TOML: {e}") from None


def _check_kinds(path: Path, templates: tuple[Template, ...] | list[Template]) -> None:
    """A kind is the default of one template per file, else which one wins is a guess."""
    seen: dict[EventKind, str] = {}
    for template in templates:
        for kind in template.kinds:
            if kind in seen:
                raise TemplateError(path, template.key, "kinds",
                                    f"{kind} is already the default of {seen[kind]!r}")
            seen[kind] = template.key


def _template(path: Path, key: str, entry: Any) -> Template:
    """One template table, checked field by field."""
    def bad(field_name: str | None, problem: str) -> TemplateError:
        return TemplateError(path, key, field_name, problem)

    if not KEY_RE.fullmatch(key):
        raise bad(None, "a template key is lower-case letters, digits, - or _")
    if not isinstance(entry, dict):
        raise bad(None, "must be a table ([key] with name, kinds and [[key.slots]])")
    unknown = sorted(set(entry) - set(_TEMPLATE_FIELDS))
    if unknown:
        raise bad(unknown[0], f"unknown field; fields: {', '.join(_TEMPLATE_FIELDS)}")
    name = entry.get("name", key)
    if not isinstance(name, str) or not name.strip():
        raise bad("name", f"must be text, not {name!r}")
    kinds = entry.get("kinds", [])
    if not isinstance(kinds, list) or not all(k in set(EventKind) for k in kinds):
        raise bad("kinds", f"must be a list of event kinds ({', '.join(EventKind)}), "
                           f"not {kinds!r}")
    slots = entry.get("slots")
    if not isinstance(slots, list) or not slots:
        raise bad("slots", "missing: a template needs at least one [[" + key + ".slots]]")
    read = [_slot(bad, i, s) for i, s in enumerate(slots, 1)]
    keys = [s.key for s in read]
    twice = next((k for k in keys if keys.count(k) > 1), None)
    if twice is not None:
        raise bad("slots", f"the key {twice!r} is used twice")
    return Template(key, name.strip(), tuple(EventKind(k) for k in dict.fromkeys(kinds)),
                    tuple(read), path)


def _slot(bad: Callable[[str | None, str], TemplateError], number: int, entry: Any) -> Slot:
    """Slot ``number`` of a template (counted from 1, as the file reads)."""
    where = f"slot {number}"
    if not isinstance(entry, dict):
        raise bad(where, "must be a table of fields")
    if isinstance(entry.get("key"), str):
        where = f"slot {entry['key']!r}"
    unknown = sorted(set(entry) - set(_SLOT_FIELDS))
    if unknown:
        raise bad(f"{where}, {unknown[0]}", f"unknown field; fields: {', '.join(_SLOT_FIELDS)}")
    for required in ("key", "day", "title"):
        if required not in entry:
            raise bad(f"{where}, {required}", "missing")
    key = entry["key"]
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise bad(f"{where}, key", "must be lower-case letters, digits, - or _")
    day = entry["day"]
    if type(day) is not int or not -366 <= day <= 366:
        raise bad(f"{where}, day", f"must be a whole number of days (-366 to 366), not {day!r}")
    at = hours = None
    if "time" in entry and "hours" in entry:
        raise bad(f"{where}, hours", "give a time of day or hours from the start, not both")
    if "time" in entry:
        text = entry["time"]
        m = _TIME_RE.fullmatch(text) if isinstance(text, str) else None
        if m is None or int(m[1]) > 23 or int(m[2]) > 59:
            raise bad(f"{where}, time", f"must be a time of day such as \"10:00\", not {text!r}")
        at = time(int(m[1]), int(m[2]))
    if "hours" in entry:
        hours = entry["hours"]
        if type(hours) not in (int, float) or not -48 <= hours <= 48:
            raise bad(f"{where}, hours", f"must be a number of hours (-48 to 48), not {hours!r}")
    start = entry.get("from", "start")
    if start not in ("start", "end"):
        raise bad(f"{where}, from", f"must be \"start\" or \"end\", not {start!r}")
    nets = entry.get("channels", [])
    if not isinstance(nets, list) or not all(isinstance(n, str) for n in nets):
        raise bad(f"{where}, channels", f"must be a list of channel names, not {nets!r}")
    try:
        keys = tuple(dict.fromkeys(channels.resolve(n) for n in nets))
    except channels.UnknownChannel as e:
        raise bad(f"{where}, channels", str(e)) from None
    live = entry.get("live", False)
    if type(live) is not bool:
        raise bad(f"{where}, live", f"must be true or false, not {live!r}")
    texts = {name: entry.get(name, "") for name in ("title", "body")}
    for name, text in texts.items():
        problem = pattern_problem(text)
        if problem is None and name == "title" and not text.strip():
            problem = "must not be empty"
        if problem is not None:
            raise bad(f"{where}, {name}", problem)
    return Slot(key, day, texts["title"].strip(), at, hours, start == "end", keys, texts["body"],
                live)


def pattern_problem(text: Any) -> str | None:
    """What is wrong with a title or body pattern, or None: only the event's fields
    (``PATTERN_FIELDS``) by name, so that a pattern never reaches into an object."""
    if not isinstance(text, str):
        return f"must be text, not {text!r}"
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as e:
        return f"{e} (write {{{{ and }}}} for a brace)"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in PATTERN_FIELDS or spec or conversion:
            return (f"{{{name}}} is not a field of the event; fields: "
                    + ", ".join(f"{{{f}}}" for f in PATTERN_FIELDS))
    return None
