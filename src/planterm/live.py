"""Live mode's logic: logging posts during an event, the typed draft, templates, the recap.

A live post is an ordinary post, written through the store (appended to the journal and
fsync'd before anything shows it): stamped with the time it was logged, tagged with the
event, its objectives and themes, its hashtag, marked ``live``, and given the status
chosen when live mode opened (published: already posted from the phone; approved: for a
colleague at the desk to post). With thread numbering on, each channel's text starts
with its number in this occurrence's thread ("3/ ").

The text being typed is a draft kept beside the store (``plan.json.live/``), one file
per event occurrence, replaced atomically and fsync'd on every save, so that a killed
process, a closed lid or a dropped SSH link loses at most what was typed since the last
save. Nothing here needs the network.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from planterm import channels
from planterm.config import Settings
from planterm.datafiles import (
    DataFileError,
    header_line,
    one_line,
    read_toml,
    tables,
)
from planterm.model import LIVE_STATUSES, Event, ModelError, Post, Status, check_gates
from planterm.paths import data_dir
from planterm.readiness import outgoing_text
from planterm.storage import StoreError, atomic_write, fsync_dir, make_private_dirs
from planterm.store import PostQuery, Store

TITLE_WIDTH = 60
"""A live post's title: its first line, cut to this many characters."""
_THREAD_RE = re.compile(r"^\d+/ ")


@dataclass(frozen=True, slots=True)
class Setup:
    """What live mode was opened with: the occurrence, its channels, the status to log."""

    event: Event
    start: datetime
    """The occurrence's start (aware); the event's own start unless it recurs."""
    channels: tuple[str, ...]
    status: Status = Status.PUBLISHED
    numbered: bool = False
    """Thread numbering ("1/", "2/" ...) per channel."""

    def __post_init__(self) -> None:
        if self.status not in LIVE_STATUSES:
            raise ModelError("status", f"a live post is logged as published or approved, "
                                       f"not {self.status}")
        if self.event.id is None:
            raise ModelError("event", "the event is not stored yet")


def live_posts(store: Store, setup: Setup, settings: Settings) -> list[Post]:
    """The posts logged live during this occurrence, newest first."""
    from planterm.coverage import tie  # loaded on use: the planner imports this module alone

    assert setup.event.id is not None  # Setup checks it
    posts = store.posts(PostQuery(events=frozenset({setup.event.id})))
    mine = tie(setup.event, [p for p in posts if p.live], settings).get(setup.start, [])
    return sorted(mine, key=lambda p: (p.scheduled or p.created, p.id or 0), reverse=True)


def thread_numbers(logged: Iterable[Post], setup: Setup) -> dict[str, int]:
    """The number the next post takes in each channel's thread (1 for a new thread)."""
    counts = dict.fromkeys(setup.channels, 1)
    for post in logged:
        for channel in post.channels:
            if channel in counts:
                counts[channel] += 1
    return counts


def compose(setup: Setup, text: str, now: datetime, logged: Sequence[Post] = ()) -> Post:
    """The post that logging ``text`` now would write (not stored): ``ModelError`` for an
    empty text, ``TransitionError`` when it is to be approved and does not fit a channel."""
    if not text.strip():
        raise ModelError("text", "nothing to log: the box is empty")
    post = _built(setup, text, now, logged)
    if setup.status is Status.APPROVED:  # a colleague posts it as it is: it must fit
        check_gates(post, setup.status)
    return post


def _built(setup: Setup, text: str, now: datetime, logged: Sequence[Post]) -> Post:
    text = text.strip()
    event = setup.event
    first = text.splitlines()[0].strip() if text else ""
    title = first if len(first) <= TITLE_WIDTH else first[:TITLE_WIDTH - 1] + "…"
    variants: dict[str, str] = {}
    if setup.numbered:
        variants = {ch: f"{n}/ {text}" for ch, n in thread_numbers(logged, setup).items()}
    return Post(title=title, body=text, variants=variants, channels=list(setup.channels),
                status=setup.status, scheduled=now.replace(microsecond=0),
                objectives=list(event.objectives), themes=list(event.themes),
                event=event.id, hashtags=[event.hashtag] if event.hashtag else [], live=True)


def log(store: Store, setup: Setup, text: str, now: datetime, settings: Settings) -> Post:
    """Write a live post; when this returns, it is on disk (journal appended, fsync'd)."""
    return store.add_post(compose(setup, text, now, live_posts(store, setup, settings)))


def counters(setup: Setup, text: str, logged: Sequence[Post] = ()) -> list[channels.Fit]:
    """How what would go out fits each channel of the coverage, the event's hashtag and
    the thread number counted (channels the table does not know are left out)."""
    post = _built(setup, text, datetime.now(UTC), logged)
    known = channels.networks()
    return [channels.fit(outgoing_text(post, ch), ch) for ch in setup.channels if ch in known]


# --- the draft ------------------------------------------------------------------------


def draft_path(store_path: Path, setup: Setup, settings: Settings) -> Path:
    """Where the draft of this occurrence's live mode is kept, beside the store."""
    day = setup.start.astimezone(settings.tz).date().isoformat()
    return store_path.with_name(store_path.name + ".live") / f"{setup.event.uid}@{day}.txt"


def logged_already(draft: str, logged: Sequence[Post]) -> bool:
    """Whether a draft is the text of the newest post logged: the process ended between the
    post's write and its draft's removal (done after the post is drawn). Brought back, the
    text would be logged twice."""
    return bool(logged) and logged[0].body == draft.strip()


def save_draft(path: Path, text: str) -> None:
    """Keep ``text`` durably (written, fsync'd, replaced atomically); an empty text clears
    the draft. Raises ``OSError`` or ``StoreError`` when it cannot be written."""
    if not text.strip():
        clear_draft(path)
        return
    make_private_dirs(path.parent)
    atomic_write(path, text.encode("utf-8"))


def load_draft(path: Path) -> str | None:
    """The draft kept for this occurrence, or None."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace") or None
    except FileNotFoundError:
        return None


def clear_draft(path: Path) -> None:
    """Forget the draft (once its text is logged)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
        fsync_dir(path.parent)


# --- templates ------------------------------------------------------------------------


FILE = "live.toml"


@dataclass(frozen=True, slots=True)
class Template:
    """A start of a live post, put in the box by ctrl+t then its number."""

    number: int
    label: str
    text: str
    """May name the event's fields: ``{title}``, ``{place}``, ``{hashtag}``..."""

    def filled(self, setup: Setup, settings: Settings) -> str:
        """The text with the event's fields."""
        from planterm.coverage import fill  # loaded on use, as in ``live_posts``

        return fill(self.text, setup.event, setup.start, settings)


def load_templates(user: Path | None = None) -> tuple[dict[int, Template], list[str]]:
    """The bundled live templates merged by number with the user's file (when it exists),
    and the warnings about a user file that cannot be used."""
    found = _read_templates(data_dir() / FILE)
    warnings: list[str] = []
    if user is not None and user.exists():
        try:
            found = {**found, **_read_templates(user)}
        except DataFileError as e:
            warnings.append(f"{e}; the bundled live templates are used without it")
    return dict(sorted(found.items())), warnings


def _read_templates(path: Path) -> dict[int, Template]:
    text, data = read_toml(path, "live templates")
    found = {}
    for key, entry in tables(path, "live templates", text, data, "template").items():
        def bad(what: str, key: str = key) -> DataFileError:
            return DataFileError(f"live templates {path}, line "
                                 f"{header_line(text, 'template.' + key)}: template {key}: "
                                 f"{what}")

        if not (key.isdigit() and 1 <= int(key) <= 9):
            raise bad("a template is numbered 1 to 9 ([template.1])")
        unknown = sorted(set(entry) - {"label", "text"})
        if unknown:
            raise bad(f"unknown field {unknown[0]!r}; known: label, text")
        label, body = entry.get("label"), entry.get("text")
        if not one_line(label) or not label.strip():
            raise bad("label: a few words on one line")
        if not isinstance(body, str) or not body.strip():
            raise bad("text: the start of a post")
        try:
            body.format(title="", hashtag="", place="", date="", time="", kind="")
        except (KeyError, IndexError, ValueError) as e:
            raise bad(f"text: {{{e}}} is not one of the event's fields (title, hashtag, "
                      "place, date, time, kind)") from None
        found[int(key)] = Template(int(key), label.strip(), body)
    return found


# --- after the event ------------------------------------------------------------------


def recap(posts: Iterable[Post], settings: Settings) -> Mapping[str, str]:
    """The live posts by channel, oldest first, as copy-ready text: one paragraph each,
    its local time first (``19:42``), as it went out on that channel."""
    by_channel: dict[str, list[str]] = {}
    for post in sorted(posts, key=lambda p: (p.scheduled or p.created, p.id or 0)):
        when = (post.scheduled or post.created).astimezone(settings.tz)
        for channel in post.channels:
            text = _THREAD_RE.sub("", outgoing_text(post, channel))
            by_channel.setdefault(channel, []).append(f"{when:%H:%M} {text}")
    return {channel: "\n\n".join(lines) for channel, lines in by_channel.items()}


class DraftKeeper:
    """The text being typed in live mode, kept in memory at every key and on disk when
    ``flush`` is called (every 2 seconds from a worker thread, and when planterm is ended
    by a signal: ``flush_all``). Thread-safe: one flush at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._wanted = load_draft(path) or ""
        self._saved = self._wanted
        self._lock = threading.Lock()

    @property
    def text(self) -> str:
        """The text last given to ``update`` (or the draft found on disk)."""
        return self._wanted

    def update(self, text: str) -> None:
        """Remember the text as it is now (memory only: cheap enough for every key)."""
        self._wanted = text

    def flush(self) -> bool:
        """Write the text if it changed since the last flush; True when it wrote. Raises
        ``OSError`` or ``StoreError`` when it cannot (the next flush tries again)."""
        with self._lock:
            wanted = self._wanted
            if wanted == self._saved:
                return False
            save_draft(self.path, wanted)
            self._saved = wanted
            return True


KEEPERS: set[DraftKeeper] = set()
"""The drafts of the live modes open now, for ``flush_all``."""


def flush_all() -> None:
    """Write every open live mode's draft now (planterm is being ended by a signal)."""
    for keeper in list(KEEPERS):
        with contextlib.suppress(OSError, StoreError):
            keeper.flush()
