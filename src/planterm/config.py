"""User settings: a TOML file read with tomllib, written with tomli-w, found through XDG paths.

The file lives at ``$PLANTERM_CONFIG`` or in the platform's user config directory. On
first run it is written with the defaults, with a comment above each key, so that the
user has something to edit. Every problem in it (an unknown key, a bad value, a file
that is not TOML) is a ``SettingsError`` whose one-line message names the key, the
value and the file, so the CLI can print it as is and exit.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
import tomli_w

from planterm.storage import StoreError, atomic_write, make_private_dirs

APP = "planterm"
"""The application name used for the XDG directories."""

CONFIG_ENV = "PLANTERM_CONFIG"
"""Environment variable naming the settings file, overriding the XDG location."""

STORE_ENV = "PLANTERM_STORE"
"""Environment variable naming the store, overriding the settings."""

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
"""Accepted values of ``week_start``, in ``datetime.weekday()`` order."""

LOCALES: tuple[str, ...] = ("fr", "en")
"""Accepted values of ``locale``."""


class SettingsError(ValueError):
    """Bad settings: message names the key, the value and the file, on one line."""


class _Bad(ValueError):
    """A value refused by a checker; the reason is completed with key, value and file."""

    def __init__(
        self, reason: str, hint: str = "", *, key: str | None = None, value: object = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.key = key
        self.value = value

    def message(self, key: str, value: object, path: Path | None) -> str:
        """The one-line SettingsError message for `key` = `value` in `path`."""
        if self.key is not None:
            key, value = self.key, self.value
        hint = f"; {self.hint}" if self.hint else ""
        return f"settings: {key} = {_show(value)} {self.reason}{_where(path)}{hint}"


def _default_store() -> Path:
    return platformdirs.user_data_path(APP) / "plan.json"


def _login_name() -> str:
    """The login name, the reviewer's name until the settings give another."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no LOGNAME and no passwd entry (a bare container)
        return "unknown"


@dataclass(frozen=True, slots=True)
class Settings:
    """What the user chose in the settings file, checked and typed."""

    timezone: str = "Europe/Paris"
    """The user's time zone, a zoneinfo key; times are stored in UTC and shown in it."""
    week_start: str = "monday"
    """The first day of the week, an English weekday name in lower case."""
    locale: str = "fr"
    """Language of weekday and month names in the UI: "fr" or "en"."""
    store: Path = field(default_factory=_default_store)
    """The store (JSON document file) used when neither --store nor $PLANTERM_STORE is given."""
    backups: int = 10
    """How many backups of the store are kept, at least one."""
    channels: tuple[str, ...] = ("instagram", "facebook", "mastodon", "bluesky")
    """Channels given to new posts; names are resolved against the channel table elsewhere."""
    reviewer: str = field(default_factory=_login_name)
    """The name a tick of a sensitive post's checklist is recorded under."""
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    """Textual binding id -> keys, applied with ``App.set_keymap``."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            try:
                checked = _CHECKS[f.name](value)
            except _Bad as exc:
                raise SettingsError(exc.message(f.name, value, None)) from None
            if checked is not value:
                object.__setattr__(self, f.name, checked)

    @property
    def tz(self) -> ZoneInfo:
        """The time zone as a ZoneInfo."""
        return ZoneInfo(self.timezone)

    @property
    def week_start_index(self) -> int:
        """The first day of the week as a ``weekday()`` number: monday=0 .. sunday=6."""
        return WEEKDAYS.index(self.week_start)


# --- checkers: take a raw value, return it typed and normalised, or raise _Bad ------------


def _check_timezone(value: object) -> str:
    if not isinstance(value, str):
        raise _Bad('must be a string such as "Europe/Paris"')
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise _Bad("is not a known time zone") from None
    return value


def _check_week_start(value: object) -> str:
    if not isinstance(value, str):
        raise _Bad('must be a weekday name such as "monday"')
    if value.lower() not in WEEKDAYS:
        raise _Bad("is not a weekday", f"use one of {', '.join(WEEKDAYS)}")
    return value if value in WEEKDAYS else value.lower()


def _check_locale(value: object) -> str:
    if not isinstance(value, str) or value.lower() not in LOCALES:
        raise _Bad("is not a supported locale", f"use one of {', '.join(LOCALES)}")
    return value if value in LOCALES else value.lower()


def _check_store(value: object) -> Path:
    if isinstance(value, Path):
        if not str(value) or value == Path():
            raise _Bad("must be a file path")
        return value
    if not isinstance(value, str):
        raise _Bad("must be a file path (a string)")
    if not value.strip():
        raise _Bad("must not be empty")
    return Path(value)


def _check_backups(value: object) -> int:
    # bool is an int in Python, but `backups = true` is a mistake, not a count.
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Bad("must be a whole number, at least 1")
    if value < 1:
        raise _Bad("must be at least 1")
    return value


def _check_channels(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise _Bad('must be a list of channel names, such as ["instagram", "mastodon"]')
    seen: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise _Bad(f"holds {_show(item)}, which is not a channel name")
        if item in seen:
            raise _Bad(f"lists {_show(item)} twice")
        seen.append(item)
    return tuple(seen)


def _check_reviewer(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise _Bad("must be a name on one line, such as \"Camille\"")
    return value if value == value.strip() else value.strip()


def _check_keymap(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise _Bad('must be a table of binding id = "keys", written as a [keymap] section')
    # An unquoted id is a dotted TOML key: app.quit = "ctrl+q" reads as {"app": {"quit": ...}}.
    value = {f"{group}.{name}" if isinstance(keys, Mapping) else group: k
             for group, keys in value.items()
             for name, k in (keys.items() if isinstance(keys, Mapping) else [("", keys)])}
    for binding, keys in value.items():
        if not isinstance(binding, str) or not binding:
            raise _Bad(f"has {_show(binding)}, which is not a binding id")
        if not isinstance(keys, str) or not keys.strip():
            raise _Bad(
                "is not a key string",
                'write keys as a string such as "ctrl+q" or "down,j"',
                key=f"keymap.{binding}",
                value=keys,
            )
    return MappingProxyType(value)


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "timezone": _check_timezone,
    "week_start": _check_week_start,
    "locale": _check_locale,
    "store": _check_store,
    "backups": _check_backups,
    "channels": _check_channels,
    "reviewer": _check_reviewer,
    "keymap": _check_keymap,
}

KNOWN_KEYS: tuple[str, ...] = tuple(_CHECKS)
"""The keys a settings file may hold, in file order."""


# --- messages ----------------------------------------------------------------------------


def _show(value: object) -> str:
    """A value written as in TOML, short enough for a one-line message."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str | Path):
        text = '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
        text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(_show(v) for v in value) + "]"
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _where(path: Path | None) -> str:
    return f" (in {path})" if path is not None else ""


# --- files -------------------------------------------------------------------------------


def config_path() -> Path:
    """$PLANTERM_CONFIG if set, else the user config directory's planterm/config.toml."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_config_path(APP) / "config.toml"


def load_settings(path: Path | None = None, *, create: bool = True) -> Settings:
    """Read the TOML file; write it with the defaults when it is missing and create is True.

    Parent directories that planterm creates are made 0700. If the defaults cannot be
    written (a read-only home, say) the defaults are still returned: a missing settings
    file never stops the planner. Unknown keys and bad values raise SettingsError naming
    the key, the value and the file; a file that is not valid TOML raises SettingsError
    naming the file and the line.
    """
    path = config_path() if path is None else Path(path).expanduser()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        settings = Settings()
        if create:
            with contextlib.suppress(OSError, StoreError):
                make_private_dirs(path.parent)
                atomic_write(path, to_toml(settings).encode())
        return settings
    except OSError as exc:
        raise SettingsError(f"settings: cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SettingsError(f"settings: {path} is not UTF-8 text (line {line})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings: {path} is not valid TOML: {exc}") from None
    return settings_from_dict(data, path)


def settings_from_dict(data: Mapping[str, Any], path: Path | None = None) -> Settings:
    """Build Settings from a parsed TOML document; errors name the key, value and `path`."""
    for key in data:
        if key not in _CHECKS:
            raise SettingsError(
                f"settings: unknown key {_show(key)}{_where(path)}; "
                f"known keys: {', '.join(KNOWN_KEYS)}"
            )
    values: dict[str, Any] = {}
    for key, value in data.items():
        try:
            values[key] = _CHECKS[key](value)
        except _Bad as exc:
            raise SettingsError(exc.message(key, value, path)) from None
    store = values.get("store")
    if isinstance(store, Path):
        # A relative store in the file means "next to the settings file", not "wherever
        # planterm happens to be started from".
        store = store.expanduser()
        if not store.is_absolute() and path is not None:
            store = path.parent / store
        values["store"] = store
    return Settings(**values)


_COMMENTS: dict[str, str] = {
    "timezone": "Time zone for showing and typing times (a tz database name).",
    "week_start": "First day of the week: monday, tuesday, ... sunday.",
    "locale": "Language of weekday and month names: fr or en.",
    "store": "The plan file. --store and $PLANTERM_STORE take precedence.",
    "backups": "How many backups of the plan file to keep (at least 1).",
    "channels": "Channels given to new posts.",
    "reviewer": "Your name, recorded with each tick of a sensitive post's checklist.",
    "keymap": 'Key overrides, binding id = "keys", e.g. app.quit = "ctrl+q"; '
                '"?" in the planner shows each key\'s id.',
}


def to_toml(settings: Settings) -> str:
    """The settings as the text of a settings file, with a comment above each key."""
    values: dict[str, Any] = {
        "timezone": settings.timezone,
        "week_start": settings.week_start,
        "locale": settings.locale,
        "store": str(settings.store),
        "backups": settings.backups,
        "channels": list(settings.channels),
        "reviewer": settings.reviewer,
        "keymap": dict(settings.keymap),
    }
    parts = ["# planterm settings. Delete this file to get the defaults back.\n"]
    for key, value in values.items():
        parts.append(f"\n# {_COMMENTS[key]}\n")
        parts.append(tomli_w.dumps({key: value}))
    return "".join(parts)


def resolve_store(settings: Settings, cli_store: str | None, env: Mapping[str, str]) -> Path:
    """--store beats $PLANTERM_STORE beats the settings; '~' expanded."""
    if cli_store:
        return Path(cli_store).expanduser()
    env_store = env.get(STORE_ENV)
    if env_store:
        return Path(env_store).expanduser()
    return settings.store.expanduser()
