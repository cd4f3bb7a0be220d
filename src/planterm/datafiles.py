"""Planterm's TOML data files: bundled in data/, and the user's own beside the settings.

The glossary, the flags and the live templates each come as a bundled file merged by key
with the user's file of the same name in the settings folder. A bundled file that does
not fit is a bug in planterm; a user's file that does not fit is a warning naming the
file and the line, and the bundled file is used alone. Every message says which file,
which line and which field.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeGuard

from planterm.config import config_path


class DataFileError(ValueError):
    """A data file that cannot be used; the message names the file, the line, the field."""


def user_file(name: str) -> Path:
    """The user's own data file ``name``, beside the settings file."""
    return config_path().parent / name


def read_toml(path: Path, what: str) -> tuple[str, dict[str, Any]]:
    """A data file's text and its TOML; ``DataFileError`` names the file and the line."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataFileError(f"{what} {path}: cannot read it: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise DataFileError(f"{what} {path}, line {line}: not UTF-8 text") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DataFileError(f"{what} {path}: not valid TOML: {e}") from None


def tables(path: Path, what: str, text: str, data: dict[str, Any], name: str,
           others: tuple[str, ...] = ()) -> dict[str, Any]:
    """The ``[name.KEY]`` tables of a data file, refusing any other top-level name."""
    known = (name, *others)
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise DataFileError(f"{what} {path}, line {header_line(text, unknown[0])}: unknown "
                            f"table {unknown[0]!r}; known: {', '.join(known)}")
    entries = data.get(name, {})
    if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()):
        raise DataFileError(f"{what} {path}: {name!r} must be tables ([{name}.KEY])")
    return entries


def header_line(text: str, table: str) -> int:
    """The line of ``[table]`` (or ``[a.b]``) in a TOML text; 1 when it has no header."""
    header = re.compile(r"^[ \t]*\[[ \t]*" + r"[ \t]*\.[ \t]*".join(
        rf"(?:{re.escape(p)}|\"{re.escape(p)}\")" for p in table.split(".", 1)) + r"[ \t]*\]",
        re.M)
    found = header.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def strings(values: Any) -> TypeGuard[list[str]]:
    """Whether ``values`` is a list of texts that are not blank."""
    return isinstance(values, list) and all(isinstance(v, str) and v.strip() for v in values)


def one_line(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a text of one line (blank allowed)."""
    return isinstance(value, str) and "\n" not in value.strip()
