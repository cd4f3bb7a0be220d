"""The iCalendar export, byte for byte: a small plan holding each thing the export writes
(rules with COUNT, UNTIL as a day and as a time, EXDATEs, both sides of the change of
time, every status, variants, hashtags, links, an event not exported, accents, emoji,
characters to escape, lines long enough to fold within a multi-byte character) gives the
bytes of tests/fixtures/golden.ics, which the plain ``Component.add`` and
``Calendar.to_ical`` export of commit 68af7b5 wrote. A faster export must not change one
byte: calendar apps key updates on what they read, and calcurse and khal were tried on
these bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from planterm.config import Settings
from planterm.interop.ics import export_ics
from planterm.model import Event, EventKind, Post, Status

GOLDEN = Path(__file__).with_name("fixtures") / "golden.ics"
SETTINGS = Settings(timezone="Europe/Paris")
LONG = ("Les élèves de CM2 de l'école Jules-Ferry ont réalisé leurs propres parures 💎🧶, "
        "avec des perles; des coquillages, et un fil\\de coton — merci à elles ! ") * 3


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def plan() -> tuple[list[Event], list[Post], dict[int, str]]:
    """The events, the posts, and every event id's uid (one event is not exported)."""
    events = [
        Event("Visite guidée « Parures du monde » 🔎", start=utc(2026, 12, 2, 16, 0),
              end=utc(2026, 12, 2, 17, 30), kind=EventKind.TOUR, place="Hall Lévi-Strauss",
              hashtag="#Parures", channels=["instagram", "mastodon"],
              objectives=["visites"], themes=["parures", "textiles"], template="visite",
              rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=6",
              exdates=[utc(2026, 12, 12, 16, 0), utc(2026, 12, 26, 16, 0)],
              notes=LONG, id=1, uid="11111111-1111-4111-8111-111111111111"),
        Event("Nocturne", start=utc(2026, 3, 5, 18, 0), end=utc(2026, 3, 5, 21, 0),
              kind=EventKind.MEDIATION, rrule="RRULE:FREQ=WEEKLY;UNTIL=20260430",
              exdates=[utc(2026, 4, 2, 17, 0)], id=2,
              uid="22222222-2222-4222-8222-222222222222"),
        Event("Fête de la musique 🎶", start=utc(2026, 6, 21, 12, 0), kind=EventKind.FESTIVAL,
              rrule="FREQ=YEARLY;UNTIL=20300621T235900", cancelled=True, place="Jardin",
              id=3, uid="33333333-3333-4333-8333-333333333333"),
        Event("Conférence : premiers peuplements", start=utc(2026, 10, 24, 23, 30),
              end=utc(2026, 10, 25, 2, 30), id=4, uid="44444444-4444-4444-8444-444444444444"),
    ]
    uids = {e.id: e.uid for e in events if e.id is not None}
    uids[5] = "55555555-5555-4555-8555-555555555555"  # an event left out of this export
    posts = []
    for n, status in enumerate(Status):
        posts.append(Post(
            f"Objet de la semaine n°{n} : la calebasse gravée ✨", status=status,
            body=f"Un objet, une histoire ; ligne {n}.\nDeuxième ligne, avec une virgule.",
            variants={"x": "Court 🐦", "instagram": LONG} if n % 2 else {},
            channels=["instagram", "x"][: n % 3], objectives=["visites"] * (n % 2),
            themes=["parures"] if n > 3 else [], hashtags=["#Musée", "#Parures"][: n % 3],
            link="https://musee.example/objet?n=1&lang=fr" if n == 2 else "",
            event=[None, 1, 2, 5][n % 4],
            scheduled=utc(2026, 3, 28, 23, 45, n) + timedelta(days=40 * n),
            created=utc(2026, 1, 2, 3, 4, 5).replace(microsecond=123456),
            updated=utc(2026, 2, 1, 8, n, 0), id=10 + n,
            uid=f"{n:08d}-aaaa-4aaa-8aaa-aaaaaaaaaaaa"))
    posts.append(Post(LONG[:140], status=Status.DRAFT, body=LONG, channels=["facebook"],
                      scheduled=utc(2026, 10, 25, 0, 30), updated=utc(2026, 2, 9, 0, 0),
                      created=utc(2026, 1, 1), id=30, uid="bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"))
    posts.append(Post("Sans date", created=utc(2026, 1, 1), updated=utc(2027, 1, 1), id=31,
                      uid="cccccccc-cccc-4ccc-8ccc-cccccccccccc"))
    return events, posts, uids


def documents(posts: list[Post]) -> list[dict[str, Any]]:
    """The posts as the store holds them, which the export reads."""
    return [post.to_doc() for post in posts]


def test_the_export_is_the_golden_files_bytes() -> None:
    events, posts, uids = plan()
    exported = export_ics(events, documents(posts), SETTINGS, uids)
    assert (exported.events, exported.posts, exported.undated) == (4, 8, 1)
    assert exported.data == GOLDEN.read_bytes()


def test_each_export_gives_the_same_bytes() -> None:
    events, posts, uids = plan()
    first = export_ics(events, documents(posts), SETTINGS, uids).data
    assert export_ics(events, documents(posts), SETTINGS, uids).data == first
    assert export_ics(plan()[0], documents(plan()[1]), SETTINGS, uids).data == first


def test_posts_alone_are_the_golden_file_without_its_events() -> None:
    """The VTIMEZONE comes with posts alone too (``--posts-only``), and none when the
    calendar holds nothing."""
    _, posts, uids = plan()
    blocks = GOLDEN.read_bytes().split(b"BEGIN:VEVENT\r\n")
    posts_only = [b for b in blocks[1:] if b"X-PLANTERM-TYPE:event\r\n" not in b]
    expected = b"BEGIN:VEVENT\r\n".join([blocks[0], *posts_only])
    assert len(posts_only) == 8 and b"BEGIN:VTIMEZONE" in expected
    assert export_ics([], documents(posts), SETTINGS, uids).data == expected
    assert b"VTIMEZONE" not in export_ics([], [], SETTINGS, {}).data
