"""Channels: the bundled table, counting rules per network, links, hashtags, bad tables."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planterm import channels
from planterm.channels import (
    ChannelTableError,
    Fit,
    Network,
    UnknownChannel,
    count,
    fit,
    networks,
    remaining,
    resolve,
)

LONG_URL = "https://www.museum.example.org/collections/anthropologie/objets/1234567890?lang=fr"
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # 👩‍👩‍👧
THUMBS = "\U0001f44d"  # 👍
THUMBS_DARK = "\U0001f44d\U0001f3fd"  # 👍🏽
FLAG_FR = "\U0001f1eb\U0001f1f7"  # 🇫🇷
E_ACUTE = "\u00e9"  # é, precomposed
E_COMBINING = "e\u0301"  # e + combining acute accent


# --- the bundled table ------------------------------------------------------------------


def test_bundled_networks_in_file_order() -> None:
    assert list(networks()) == [
        "instagram",
        "facebook",
        "x",
        "mastodon",
        "bluesky",
        "threads",
        "linkedin",
        "youtube",
        "tiktok",
    ]


def test_bundled_abbreviations_are_short_and_unique() -> None:
    abbrs = [net.abbr for net in networks().values()]
    assert abbrs == ["IG", "FB", "X", "MA", "BS", "TH", "LI", "YT", "TT"]
    assert all(1 <= len(abbr) <= 2 for abbr in abbrs)
    assert len({abbr.casefold() for abbr in abbrs}) == len(abbrs)


@pytest.mark.parametrize(
    ("key", "name", "limit", "counting", "link_length", "max_hashtags"),
    [
        ("instagram", "Instagram", 2200, "chars", None, 5),
        ("facebook", "Facebook", 63206, "chars", None, None),
        ("x", "X", 280, "weighted", 23, None),
        ("mastodon", "Mastodon", 500, "graphemes", 23, None),
        ("bluesky", "Bluesky", 300, "graphemes", None, None),
        ("threads", "Threads", 500, "chars", None, None),
        ("linkedin", "LinkedIn", 3000, "chars", None, None),
        ("youtube", "YouTube", 5000, "chars", None, None),
        ("tiktok", "TikTok", 2200, "chars", None, None),
    ],
)
def test_bundled_values(
    key: str,
    name: str,
    limit: int,
    counting: str,
    link_length: int | None,
    max_hashtags: int | None,
) -> None:
    net = networks()[key]
    assert isinstance(net, Network)
    assert (net.key, net.name, net.limit, net.counting) == (key, name, limit, counting)
    assert (net.link_length, net.max_hashtags) == (link_length, max_hashtags)


def test_networks_is_loaded_once() -> None:
    assert networks() is networks()


# --- resolve ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("instagram", "instagram"),
        ("ig", "instagram"),
        ("insta", "instagram"),
        ("@ig", "instagram"),
        ("IG", "instagram"),
        ("  @Insta ", "instagram"),
        ("fb", "facebook"),
        ("Facebook", "facebook"),
        ("x", "x"),
        ("twitter", "x"),
        ("@X", "x"),
        ("masto", "mastodon"),
        ("mastodon", "mastodon"),
        ("bsky", "bluesky"),
        ("th", "threads"),
        ("threads", "threads"),
        ("li", "linkedin"),
        ("yt", "youtube"),
        ("tt", "tiktok"),
        ("TikTok", "tiktok"),
    ],
)
def test_resolve(name: str, key: str) -> None:
    assert resolve(name) == key


@pytest.mark.parametrize("name", ["myspace", "", "@", "i g", "instagramm"])
def test_resolve_unknown_lists_known_names(name: str) -> None:
    with pytest.raises(UnknownChannel) as caught:
        resolve(name)
    message = str(caught.value)
    assert repr(name) in message
    for known in ("instagram", "ig", "insta", "x", "twitter", "bsky", "tiktok", "tt"):
        assert known in message
    assert caught.value.name == name
    assert {"instagram", "ig", "twitter", "bluesky", "bsky"} <= set(caught.value.known)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("function", [count, remaining, fit])
def test_counting_an_unknown_channel_raises(function: Callable[[str, str], object]) -> None:
    with pytest.raises(UnknownChannel, match="known channels"):
        function("hello", "myspace")


# --- counting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "network", "expected"),
    [
        # Plain ASCII is one per character everywhere.
        ("", "x", 0),
        ("Bonjour à tous", "x", 14),
        ("Hello museum!", "x", 13),
        ("Hello museum!", "bluesky", 13),
        ("Hello museum!", "mastodon", 13),
        ("Hello museum!", "instagram", 13),
        ("Hello museum!", "linkedin", 13),
        ("line\r\nnext", "bluesky", 9),  # CR LF is one grapheme
        ("line\r\nnext", "linkedin", 10),
        # French accents, precomposed and combining.
        (f"Pr{E_ACUTE}histoire", "x", 11),
        (f"Pr{E_COMBINING}histoire", "x", 11),  # NFC first
        (f"Pr{E_ACUTE}histoire", "bluesky", 11),
        (f"Pr{E_COMBINING}histoire", "bluesky", 11),
        (E_COMBINING, "bluesky", 1),
        (E_COMBINING, "x", 1),
        (E_COMBINING, "mastodon", 1),
        (E_COMBINING, "instagram", 2),  # code points as written
        ("Ça, c'est l'été à la Galerie", "x", 28),
        ("Œuvre — « musée »", "x", 17),  # U+2014 and guillemets weigh 1
        # Emoji.
        (THUMBS, "x", 2),
        (THUMBS, "bluesky", 1),
        (THUMBS, "mastodon", 1),
        (THUMBS, "instagram", 1),
        (THUMBS_DARK, "x", 2),  # skin tone: one emoji
        (THUMBS_DARK, "bluesky", 1),
        (FAMILY, "x", 2),  # ZWJ sequence: one emoji
        (FAMILY, "bluesky", 1),
        (FAMILY, "instagram", 5),
        (FLAG_FR, "x", 2),
        (FLAG_FR, "bluesky", 1),
        (FLAG_FR, "instagram", 2),
        ("\u2764\ufe0f", "x", 2),  # ❤️
        ("\u2764", "x", 2),  # ❤ text style
        ("1\ufe0f\u20e3", "x", 2),  # keycap 1️⃣
        ("\u00a9", "x", 1),  # © as text
        ("\u00a9\ufe0f", "x", 2),  # © as emoji
        (f"Vernissage ce soir {THUMBS}{FLAG_FR}", "x", 23),
        (f"Vernissage ce soir {THUMBS}{FLAG_FR}", "bluesky", 21),
        # CJK weighs 2 on X, 1 elsewhere.
        ("博物館", "x", 6),
        ("博物館", "bluesky", 3),
        ("博物館", "threads", 3),
        ("はい", "x", 4),
        ("한국", "x", 4),
        ("Musée 博物館", "x", 12),
        # Other scripts of the light range weigh 1.
        ("Музей", "x", 5),
        ("متحف", "x", 4),
    ],
)
def test_count(text: str, network: str, expected: int) -> None:
    assert count(text, network) == expected


@pytest.mark.parametrize(
    ("network", "expected"),
    [
        ("x", 23),
        ("mastodon", 23),
        ("bluesky", len(LONG_URL)),
        ("instagram", len(LONG_URL)),
        ("linkedin", len(LONG_URL)),
        ("twitter", 23),
    ],
)
def test_long_url(network: str, expected: int) -> None:
    assert len(LONG_URL) > 23
    assert count(LONG_URL, network) == expected


@pytest.mark.parametrize(
    ("text", "x_count"),
    [
        (f"Programme : {LONG_URL}", 12 + 23),
        (f"Programme : {LONG_URL}.", 12 + 23 + 1),  # the full stop is not part of the link
        (f"({LONG_URL})", 1 + 23 + 1),
        ("Voir www.museum.example.org/expo !", 5 + 23 + 2),
        ("http://a.fr et https://b.fr", 23 + 4 + 23),
        ("https://fr.wikipedia.org/wiki/Musée_(Paris) ok", 23 + 3),
        (f"{LONG_URL}{THUMBS}", 23 + 2),  # an emoji ends the link
        ("https:// nothing", 16),  # no link without anything after the scheme
        ("museum.example.org/expo", 23),  # bare domains are plain text
        ("HTTPS://MUSEUM.EXAMPLE.ORG", 23),
    ],
)
def test_links_on_x(text: str, x_count: int) -> None:
    assert count(text, "x") == x_count


def test_short_url_still_counts_link_length() -> None:
    assert count("https://a.fr", "x") == 23
    assert count("https://a.fr", "bluesky") == 12


@pytest.mark.parametrize(
    ("text", "network", "expected"),
    [
        ("a" * 280, "x", 0),
        ("a" * 281, "x", -1),
        ("a" * 300, "x", -20),
        ("博" * 141, "x", -2),
        (THUMBS * 141, "x", -2),
        (THUMBS * 300, "bluesky", 0),
        (THUMBS * 301, "bluesky", -1),
        ("a" * 2201, "ig", -1),
        ("", "facebook", 63206),
        ("Hello", "mastodon", 495),
    ],
)
def test_remaining(text: str, network: str, expected: int) -> None:
    assert remaining(text, network) == expected


# --- fit and hashtags -------------------------------------------------------------------


def _tags(n: int) -> str:
    return " ".join(f"#tag{i}" for i in range(n))


@pytest.mark.parametrize(
    ("text", "network", "hashtags", "over"),
    [
        (_tags(5), "instagram", 5, False),
        (_tags(6), "instagram", 6, True),
        (_tags(31), "instagram", 31, True),
        (_tags(31), "ig", 31, True),
        (_tags(31), "x", 31, False),  # X caps length only
        (_tags(31), "facebook", 31, False),
        ("#musée #préhistoire #NuitDesMusées", "instagram", 3, False),
        ("#1 #2024", "instagram", 0, False),  # digits only: not hashtags
        ("#expo2024 #_x", "instagram", 2, False),
        ("C# and a#b and &#38;", "instagram", 0, False),
        ("#\ufe0f\u20e3 keycap", "instagram", 0, False),
        ("full-width ＃hashtag", "instagram", 1, False),
        ("https://museum.example.org/page#section #real", "instagram", 1, False),
        ("##double", "instagram", 0, False),
    ],
)
def test_fit_hashtags(text: str, network: str, hashtags: int, over: bool) -> None:
    result = fit(text, network)
    assert result.hashtags == hashtags
    assert result.over is over


def test_fit_fields() -> None:
    result = fit(f"Ce soir au musée {LONG_URL}", "twitter")
    assert result == Fit(network="x", count=17 + 23, limit=280, hashtags=0, max_hashtags=None)
    assert result.remaining == 280 - 40
    assert result.over is False
    assert result.too_many_hashtags is False


@pytest.mark.parametrize(
    ("fit_", "remaining_", "over", "too_many"),
    [
        (Fit("x", 281, 280, 0), -1, True, False),
        (Fit("x", 280, 280, 0), 0, False, False),
        (Fit("instagram", 10, 2200, 31, 30), 2190, True, True),
        (Fit("instagram", 10, 2200, 30, 30), 2190, False, False),
        (Fit("instagram", 10, 2200, 31), 2190, False, False),  # no cap given
    ],
)
def test_fit_properties(fit_: Fit, remaining_: int, over: bool, too_many: bool) -> None:
    assert fit_.remaining == remaining_
    assert fit_.over is over
    assert fit_.too_many_hashtags is too_many


def test_fit_over_by_length() -> None:
    result = fit("a" * 301, "bsky")
    assert (result.network, result.count, result.limit) == ("bluesky", 301, 300)
    assert result.remaining == -1
    assert result.over is True


# --- properties -------------------------------------------------------------------------

_NO_LINKS = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="wWhH"),
    max_size=60,
)


@given(_NO_LINKS)
def test_counts_agree_with_each_other(text: str) -> None:
    chars = count(text, "linkedin")
    graphemes = count(text, "bluesky")
    weighted = count(text, "x")
    nfc = unicodedata.normalize("NFC", text)
    assert chars == len(text)
    assert 0 <= graphemes <= chars
    assert count(text, "mastodon") == graphemes  # no links: same rule
    assert weighted <= 2 * len(nfc)
    assert remaining(text, "x") == 280 - weighted
    assert fit(text, "bluesky").count == graphemes


# --- loading a table --------------------------------------------------------------------

GOOD = """
[one]
name = "One"
abbr = "O1"
aliases = ["uno", "@First", "one"]
limit = 100
counting = "chars"

[two]
name = "Two"
abbr = "T"
limit = 50
counting = "weighted"
link_length = 10
max_hashtags = 3
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "channels.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_good_table(tmp_path: Path) -> None:
    table = channels._load(_write(tmp_path, GOOD))
    assert list(table) == ["one", "two"]
    assert table["one"] == Network(
        key="one",
        name="One",
        abbr="O1",
        aliases=("uno", "first"),
        limit=100,
        counting="chars",
        link_length=None,
        max_hashtags=None,
    )
    assert (table["two"].aliases, table["two"].link_length, table["two"].max_hashtags) == (
        (),
        10,
        3,
    )


def test_unknown_channel_with_given_table(tmp_path: Path) -> None:
    table = channels._load(_write(tmp_path, GOOD))
    error = UnknownChannel("three", table)
    assert str(error) == "unknown channel 'three'; known channels: one (uno, first), two"
    assert error.known == ("one", "uno", "first", "two")


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ('[one\nname = "x"', None, "not valid TOML"),
        ("", None, "no networks"),
        ('one = "Instagram"', "one", "must be a table"),
        ('[One]\nname = "x"', "One", "lowercase"),
        ('[one]\nabbr = "O"\nlimit = 1\ncounting = "chars"', "one", "name: missing"),
        ('[one]\nname = "O"\nlimit = 1\ncounting = "chars"', "one", "abbr: missing"),
        ('[one]\nname = "O"\nabbr = "O"\ncounting = "chars"', "one", "limit: missing"),
        ('[one]\nname = "O"\nabbr = "O"\nlimit = 1', "one", "counting: missing"),
        ('[one]\nname = ""\nabbr = "O"\nlimit = 1\ncounting = "chars"', "one", "name:"),
        ('[one]\nname = "O"\nabbr = "ONE"\nlimit = 1\ncounting = "chars"', "one", "abbr:"),
        ('[one]\nname = "O"\nabbr = ""\nlimit = 1\ncounting = "chars"', "one", "abbr:"),
        ('[one]\nname = "O"\nabbr = "O"\nlimit = "280"\ncounting = "chars"', "one", "limit:"),
        ('[one]\nname = "O"\nabbr = "O"\nlimit = 0\ncounting = "chars"', "one", "limit:"),
        ('[one]\nname = "O"\nabbr = "O"\nlimit = true\ncounting = "chars"', "one", "limit:"),
        ('[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "bytes"', "one", "counting:"),
        (
            '[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "chars"\nlink_length = -1',
            "one",
            "link_length:",
        ),
        (
            '[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "chars"\nmax_hashtags = 1.5',
            "one",
            "max_hashtags:",
        ),
        (
            '[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "chars"\naliases = "o"',
            "one",
            "aliases:",
        ),
        (
            '[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "chars"\naliases = ["a b"]',
            "one",
            "aliases:",
        ),
        (
            '[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "chars"\nlimt = 2',
            "one",
            "unknown field 'limt'",
        ),
        (
            '[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "chars"\n'
            '[two]\nname = "T"\nabbr = "o"\nlimit = 1\ncounting = "chars"',
            "two",
            "abbr: 'o' is already the abbreviation of 'one'",
        ),
        (
            '[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "chars"\naliases = ["t"]\n'
            '[two]\nname = "T"\nabbr = "T"\nlimit = 1\ncounting = "chars"\naliases = ["T"]',
            "two",
            "aliases: 't' already names 'one'",
        ),
        (
            '[one]\nname = "O"\nabbr = "O"\nlimit = 1\ncounting = "chars"\naliases = ["two"]\n'
            '[two]\nname = "T"\nabbr = "T"\nlimit = 1\ncounting = "chars"',
            "one",
            "aliases: 'two' already names 'two'",
        ),
    ],
)
def test_bad_table(tmp_path: Path, text: str, key: str | None, fragment: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ChannelTableError) as caught:
        channels._load(path)
    message = str(caught.value)
    assert str(path) in message
    assert fragment in message
    assert caught.value.key == key
    if key is not None:
        assert f"[{key}]" in message
    assert isinstance(caught.value, ValueError)


def test_missing_table(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ValueError, match=r"nowhere\.toml: cannot read"):
        channels._load(path)


def test_networks_reads_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, GOOD)
    networks.cache_clear()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(channels, "data_dir", lambda: tmp_path)
            assert list(networks()) == ["one", "two"]
            assert resolve("@UNO") == "one"
            assert count("abc", "first") == 3
            assert count("https://example.org/a/b/c", "two") == 10
    finally:
        networks.cache_clear()
    assert "instagram" in networks()


TEXTS = st.text(st.characters(codec="utf-8"), max_size=400) | st.lists(
    st.sampled_from(["é", "e\u0301", "👍🏽", "🇫🇷", "#1️⃣", "漢", "©", "\u2014", "https://a.fr/x",
                     "www.b.org", "#tag", " ", "a" * 50, "’", "«"]), max_size=40).map("".join)


@given(TEXTS)
def test_weighted_count_without_emoji_matches_the_cluster_rule(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    rx = channels._rx()

    def weight(char: str) -> int:  # twitter-text's rule, one code point at a time
        return 1 if any(lo <= ord(char) <= hi for lo, hi in channels._LIGHT_RANGES) else 2

    by_cluster = sum(
        2 if rx.emoji.search(c) else sum(map(weight, c))
        for c in rx.cluster.findall(text))
    assert channels._weighted(text) == by_cluster


@given(TEXTS, st.sampled_from(list(channels.networks())))
def test_surely_fits_never_says_so_of_a_text_that_does_not(text: str, network: str) -> None:
    if channels.surely_fits(text, channels.networks()[network]):
        assert not channels.fit(text, network).over


_LONE = [c for c in map(chr, range(0x110000)) if not channels._rx().may_join.match(c)]
"""Every code point said never to share a grapheme cluster with a neighbour."""


def test_code_points_said_alone_are_of_no_joining_class() -> None:
    import regex

    joining = regex.compile(
        r"[\r\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
        r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}"
        r"\p{InCB=Linker}\p{InCB=Extend}]")
    assert {"a", "é", "\n", "©", "😀", "’", "Ж"} <= set(_LONE)
    assert [c for c in _LONE if joining.match(c)] == []


@pytest.mark.parametrize("seed", range(8))
def test_code_points_said_alone_are_one_cluster_each_in_any_order(seed: int) -> None:
    import random

    shuffled = _LONE[:]
    random.Random(seed).shuffle(shuffled)  # every neighbour of each, in turn
    text = "".join(shuffled)
    assert len(channels._rx().cluster.findall(text)) == len(text)
    assert channels._clusters(text) == shuffled


@given(TEXTS | st.text(st.sampled_from([*_LONE[::17], "\u200d", "\ufe0f", "\u0301", "🏽", "\r"]),
                       max_size=60))
def test_clusters_are_the_matched_clusters(text: str) -> None:
    found = channels._rx().cluster.findall(text)
    assert channels._clusters(text) == found
    assert channels._graphemes(text) == len(found)
