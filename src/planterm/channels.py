"""Per-network text limits and the way each network counts a post's length.

The table of networks lives in ``data/channels.toml`` (see the comments there);
this module loads it once and measures text by each network's rule:

``weighted`` (X, twitter-text v3)
    The text is NFC-normalised. Every link counts ``link_length`` (23). A grapheme
    cluster that is an emoji (with its skin tone, ZWJ sequence, flag or keycap)
    weighs 2 in total. Any other code point weighs 1 if it lies in U+0000–U+10FF,
    U+2000–U+200D, U+2010–U+201F or U+2032–U+2037, and 2 otherwise (so CJK and
    most symbols weigh 2).
``graphemes`` (Bluesky, Mastodon)
    Unicode extended grapheme clusters, what a reader sees as one character:
    ``e`` + U+0301, 👍🏽 and 🇫🇷 are each 1.
``chars`` (the others)
    Unicode code points of the text as written (no normalisation).

When a network has ``link_length``, every link counts that many whatever its
length; otherwise a link counts like any other text.

Link detection is deliberately simpler than twitter-text: only links that start
with ``http://``, ``https://`` or ``www.`` are found. Bare domains such as
``example.org/path`` are counted as plain text (which over-counts on X and
Mastodon, never under-counts). A link runs over ASCII URL characters and Latin,
Greek and Cyrillic letters, up to a space, an emoji or other script, and drops
trailing punctuation (``.,;:!?'"*``) and unbalanced closing brackets, so that
"see https://musee.fr/expo." keeps its final full stop as text.

Hashtags are ``#`` (or the full-width ``＃``) followed by word characters with at
least one that is not a digit, not preceded by a word character or ``&``, and
not inside a link.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from .paths import data_dir

COUNTINGS = ("weighted", "graphemes", "chars")
"""The counting rules a network may use."""

_FIELDS = ("name", "abbr", "aliases", "limit", "counting", "link_length", "max_hashtags")
_KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
_TRAILING = frozenset(".,;:!?'\"*")
_CLOSERS = {")": "(", "]": "["}
# The code points that weigh 2 on X outside an emoji: those out of _LIGHT_RANGES. A plain
# class of code points, so the stdlib's re: the bound that spares ``regex`` needs no ``regex``.
_HEAVY_RE = re.compile("[^\x00-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")


@dataclass(frozen=True, slots=True)
class _Patterns:
    """The patterns that measure text, compiled with ``regex`` on first use: importing it
    and compiling them costs 30-50 ms, which no command that only lists posts needs."""

    cluster: Any
    """One user-perceived character."""
    emoji: Any
    """A grapheme cluster that twitter-text (through twemoji) counts as one emoji.
    Text-style pictographs without U+FE0F that it also matches (❤, ☀) weigh 2 by code
    point anyway; © and ® weigh 1 unless followed by U+FE0F, as in twemoji."""
    url: Any
    url_prefix: Any
    hashtag: Any
    may_join: re.Pattern[str]
    """A code point that may share a grapheme cluster with a neighbour: out of these ranges
    (Latin, Greek and Cyrillic letters, punctuation, symbols, emoji pictographs without
    their modifiers), where none does. Every rule of UAX #29 that keeps two code points
    together (CR LF, Hangul, Extend, ZWJ, spacing marks, Prepend, regional indicators,
    Indic conjuncts) needs one out of them, so a text of these alone is one cluster per
    code point. The standard library's ``re``, compiled here with the others: 1-5 ms,
    which a command that measures no text does without."""


@functools.cache
def _rx() -> _Patterns:
    import regex

    url_char = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%|\p{Latin}\p{Greek}\p{Cyrillic}\p{M}]"
    return _Patterns(
        cluster=regex.compile(r"\X"),
        emoji=regex.compile(
            r"\p{Emoji_Presentation}"
            r"|\p{Extended_Pictographic}[\uFE0F\u200D\p{Emoji_Modifier}]"
            r"|\p{Regional_Indicator}"
            r"|[#*0-9]\uFE0F?\u20E3"
        ),
        url=regex.compile(rf"(?<![\w@.\-/])(?:https?://|www\.){url_char}+",
                          regex.IGNORECASE | regex.VERSION0),
        url_prefix=regex.compile(r"(?:https?://|www\.)", regex.IGNORECASE),
        hashtag=regex.compile(r"(?<![\w&#＃])[#＃](?![\uFE0F\u20E3])(?=\w*[^\W\d])\w+"),
        may_join=re.compile("[^\x00-\x0c\x0e-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205f"
                            "\u20a0-\u20cf\u2100-\u2bff\u3000-\u3029\U0001f000-\U0001f1e5"
                            "\U0001f200-\U0001f3fa\U0001f400-\U0001faff]"),
    )
# twitter-text v3: code points in these ranges weigh 1, all others 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


@dataclass(frozen=True, slots=True)
class Network:
    """One social network: its names, its text limit and how it counts."""

    key: str
    name: str
    abbr: str
    aliases: tuple[str, ...]
    limit: int
    counting: str
    link_length: int | None
    max_hashtags: int | None


class ChannelTableError(ValueError):
    """A malformed channel table, naming the file, the network and the field at fault."""

    def __init__(self, path: Path, key: str | None, problem: str) -> None:
        where = f"{path}" if key is None else f"{path}: [{key}]"
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.key = key
        self.problem = problem


class UnknownChannel(ValueError):
    """Names the unknown channel and lists the known ones (keys and aliases)."""

    def __init__(self, name: str, known: Mapping[str, Network] | None = None) -> None:
        table = networks() if known is None else known
        listed = [
            f"{key} ({', '.join(net.aliases)})" if net.aliases else key
            for key, net in table.items()
        ]
        super().__init__(f"unknown channel {name!r}; known channels: {', '.join(listed)}")
        self.name = name
        self.known = tuple(name for key, net in table.items() for name in (key, *net.aliases))


@dataclass(frozen=True, slots=True)
class Fit:
    """How a text fits one network: its length, the limit and its hashtags."""

    network: str
    count: int
    limit: int
    hashtags: int
    max_hashtags: int | None = None

    @property
    def remaining(self) -> int:
        """Characters left before the limit (negative when over)."""
        return self.limit - self.count

    @property
    def too_many_hashtags(self) -> bool:
        """True when the network caps hashtags and the text has more."""
        return self.max_hashtags is not None and self.hashtags > self.max_hashtags

    @property
    def over(self) -> bool:
        """True when the text is too long or has too many hashtags for the network."""
        return self.count > self.limit or self.too_many_hashtags


@functools.cache
def networks() -> dict[str, Network]:
    """The bundled networks by key, in file order (loaded once; treat as read-only)."""
    return _load(data_dir() / "channels.toml")


def resolve(name: str) -> str:
    """The key of a network named by key or alias (any case, optional leading '@')."""
    table = networks()
    if name in table:  # a key as stored (a post's channels): nothing to normalise
        return name
    wanted = _normalise_name(name)
    if wanted in table:
        return wanted
    for key, net in table.items():
        if wanted in net.aliases:
            return key
    raise UnknownChannel(name, table)


def count(text: str, network: str) -> int:
    """The length of ``text`` by the counting rule of ``network`` (key or alias)."""
    return _count(text, networks()[resolve(network)])


def remaining(text: str, network: str) -> int:
    """The network's limit minus the length of ``text`` (negative when over)."""
    net = networks()[resolve(network)]
    return net.limit - _count(text, net)


def surely_fits(text: str, net: Network) -> bool:
    """True when ``text`` fits the network ``net`` by a bound that is quick to compute; False
    means "measure it" (``fit``), not "it does not fit". It takes the network itself, not
    its name: ``list --json`` and ``check`` ask it 15,000 times at 20,000 posts.

    The bound: on a ``weighted`` network a code point weighs 1, or 2 out of the light
    ranges (an emoji, whose code points are all heavy but one at most, weighs 2 in all);
    a grapheme or a code point counts at most 1 elsewhere; and each possible link (every
    ``http`` or ``www.``) adds at most ``link_length``.
    """
    bound = len(text)
    if net.counting == "weighted" and not text.isascii():
        bound += len(_HEAVY_RE.findall(text))
    if net.link_length is not None:
        low = text.lower()
        bound += net.link_length * (low.count("http") + low.count("www."))
    if bound > net.limit:
        return False
    return net.max_hashtags is None or text.count("#") + text.count("＃") <= net.max_hashtags


def fit(text: str, network: str) -> Fit:
    """Length, limit and hashtag count of ``text`` on ``network`` (key or alias)."""
    net = networks()[resolve(network)]
    return Fit(
        network=net.key,
        count=_count(text, net),
        limit=net.limit,
        hashtags=_hashtags(text),
        max_hashtags=net.max_hashtags,
    )


# --- counting ---------------------------------------------------------------------------


def _count(text: str, net: Network) -> int:
    if net.counting == "weighted":
        text = unicodedata.normalize("NFC", text)
    measure = _MEASURES[net.counting]
    if net.link_length is None:
        return measure(text)
    total = 0
    start = 0
    for begin, end in _links(text):
        total += measure(text[start:begin]) + net.link_length
        start = end
    return total + measure(text[start:])


def _chars(text: str) -> int:
    return len(text)


def _graphemes(text: str) -> int:
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(_clusters(text))


def _clusters(text: str) -> list[str]:
    """The grapheme clusters of ``text``: its code points when none of them may join a
    neighbour (``_Patterns.may_join``; most text, accented letters and emoji included),
    which costs a tenth of matching them."""
    rx = _rx()
    return rx.cluster.findall(text) if rx.may_join.search(text) else list(text)


def _weighted(text: str) -> int:
    if text.isascii():
        return len(text)
    rx = _rx()
    # Every code point weighs on its own (one regex over the text, not a test per code
    # point: a long post has thousands)...
    total = len(text) + len(_HEAVY_RE.findall(text))
    emoji = [found.start() for found in rx.emoji.finditer(text)]
    if not emoji:
        return total
    # ...but a cluster that is an emoji weighs 2 in all. No emoji match crosses the end of a
    # cluster (all its code points after the first are Extend or ZWJ), so the clusters that
    # hold one are those where a match over the whole text starts.
    clusters = _clusters(text)
    ends = list(accumulate(map(len, clusters)))
    for at in {bisect_right(ends, start) for start in emoji}:
        total += 2 - len(clusters[at]) - len(_HEAVY_RE.findall(clusters[at]))
    return total


_MEASURES = {"weighted": _weighted, "graphemes": _graphemes, "chars": _chars}


def _links(text: str) -> list[tuple[int, int]]:
    """Spans of the http(s):// and www. links in ``text``."""
    spans = []
    rx = _rx()
    for match in rx.url.finditer(text):
        url = _trim_url(match.group())
        prefix = rx.url_prefix.match(url)
        if prefix is not None and len(url) > prefix.end():
            spans.append((match.start(), match.start() + len(url)))
    return spans


def _trim_url(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last])):
            url = url[:-1]
        else:
            break
    return url


def _hashtags(text: str) -> int:
    """How many hashtags ``text`` holds, links left aside."""
    pieces = []
    start = 0
    for begin, end in _links(text):
        pieces.append(text[start:begin])
        start = end
    pieces.append(text[start:])
    hashtag = _rx().hashtag
    return sum(len(hashtag.findall(piece)) for piece in pieces)


# --- loading ----------------------------------------------------------------------------


def _normalise_name(name: str) -> str:
    name = name.strip()
    if name.startswith("@"):
        name = name[1:]
    return name.strip().casefold()


def _load(path: Path) -> dict[str, Network]:
    """Read and check a channel table; ChannelTableError names the file and key at fault."""
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise ChannelTableError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ChannelTableError(path, None, f"not valid TOML: {exc}") from exc
    if not raw:
        raise ChannelTableError(path, None, "no networks defined")
    table: dict[str, Network] = {}
    taken: dict[str, str] = {key: key for key in raw}  # every accepted name -> its key
    abbrs: dict[str, str] = {}
    for key, entry in raw.items():
        net = _network(path, key, entry)
        folded = net.abbr.casefold()
        if folded in abbrs:
            raise ChannelTableError(
                path, key, f"abbr: {net.abbr!r} is already the abbreviation of {abbrs[folded]!r}"
            )
        abbrs[folded] = key
        for alias in net.aliases:
            if alias in taken:
                raise ChannelTableError(
                    path, key, f"aliases: {alias!r} already names {taken[alias]!r}"
                )
            taken[alias] = key
        table[key] = net
    return table


def _network(path: Path, key: str, entry: Any) -> Network:
    if not _KEY_RE.fullmatch(key):
        raise ChannelTableError(
            path,
            key,
            "a network key must be lowercase letters, digits or '_', starting with a letter",
        )
    if not isinstance(entry, dict):
        raise ChannelTableError(path, key, "must be a table of fields")

    def bad(field: str, problem: str) -> ChannelTableError:
        return ChannelTableError(path, key, f"{field}: {problem}")

    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise ChannelTableError(
            path, key, f"unknown field {unknown[0]!r}; expected one of {', '.join(_FIELDS)}"
        )
    for field in ("name", "abbr", "limit", "counting"):
        if field not in entry:
            raise bad(field, "missing")

    name = entry["name"]
    if not isinstance(name, str) or not name.strip():
        raise bad("name", f"must be a non-empty string, not {name!r}")
    abbr = entry["abbr"]
    if (
        not isinstance(abbr, str)
        or not 1 <= len(abbr) <= 2
        or not abbr.isprintable()
        or (abbr != abbr.strip())
    ):
        raise bad("abbr", f"must be 1 or 2 printable characters, not {abbr!r}")

    raw_aliases = entry.get("aliases", [])
    if not isinstance(raw_aliases, list):
        raise bad("aliases", f"must be a list of strings, not {raw_aliases!r}")
    aliases: list[str] = []
    for alias in raw_aliases:
        if (
            not isinstance(alias, str)
            or not _normalise_name(alias)
            or any(char.isspace() for char in alias.strip())
        ):
            raise bad("aliases", f"{alias!r} is not a name (a word without spaces)")
        folded = _normalise_name(alias)
        if folded != key and folded not in aliases:
            aliases.append(folded)

    limit = entry["limit"]
    if not _is_int(limit) or limit <= 0:
        raise bad("limit", f"must be a positive integer, not {limit!r}")
    counting = entry["counting"]
    if counting not in COUNTINGS:
        raise bad("counting", f"must be one of {', '.join(COUNTINGS)}, not {counting!r}")
    link_length = entry.get("link_length")
    if link_length is not None and (not _is_int(link_length) or link_length < 0):
        raise bad("link_length", f"must be an integer of 0 or more, not {link_length!r}")
    max_hashtags = entry.get("max_hashtags")
    if max_hashtags is not None and (not _is_int(max_hashtags) or max_hashtags < 0):
        raise bad("max_hashtags", f"must be an integer of 0 or more, not {max_hashtags!r}")

    return Network(
        key=key,
        name=name.strip(),
        abbr=abbr,
        aliases=tuple(aliases),
        limit=limit,
        counting=counting,
        link_length=link_length,
        max_hashtags=max_hashtags,
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
