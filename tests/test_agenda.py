"""The agenda's lines: the warning mark and its reasons, and years outside this one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planterm import agenda
from planterm.agenda import day_text, local_text, post_line, render
from planterm.config import Settings
from planterm.model import Post, Status

SETTINGS = Settings()
THIS_YEAR = datetime.now(SETTINGS.tz).year


def at(year: int, month: int = 6, day: int = 15) -> datetime:
    """10:30 local on that day, in UTC."""
    return datetime(year, month, day, 10, 30, tzinfo=SETTINGS.tz).astimezone(UTC)


@pytest.mark.parametrize(
    ("year", "shown"),
    [(THIS_YEAR, "15/06 10:30"), (THIS_YEAR + 1, f"15/06/{THIS_YEAR + 1} 10:30"),
     (THIS_YEAR - 1, f"15/06/{THIS_YEAR - 1} 10:30")],
)
def test_a_time_shows_its_year_only_outside_this_one(year: int, shown: str) -> None:
    text = local_text(at(year), SETTINGS)
    assert text.endswith(f" {shown}")
    assert post_line(Post(title="A", scheduled=at(year)), SETTINGS).startswith(text)
    assert day_text(at(year).date(), SETTINGS) == text.removesuffix(" 10:30")


def test_this_year_is_the_users(monkeypatch: pytest.MonkeyPatch) -> None:
    # 23:30 UTC on 31 December is already the new year in Paris
    eve = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    monkeypatch.setattr(agenda, "utcnow", lambda: eve)
    assert agenda.this_year(SETTINGS) == 2027
    assert local_text(at(2027, 1, 2), SETTINGS) == "sam 02/01 10:30"
    assert local_text(at(2026, 12, 30), SETTINGS) == "mer 30/12/2026 10:30"


def test_a_post_not_ready_is_marked_and_the_agenda_says_why() -> None:
    when = at(THIS_YEAR)
    ready = Post(title="Prêt", body="ok", channels=["x"], status=Status.DRAFT, scheduled=when,
                 id=1)
    long = Post(title="Trop long", body="a" * 300, channels=["x"], status=Status.DRAFT,
                scheduled=when + timedelta(hours=1), id=2)
    assert "⚠" not in post_line(ready, SETTINGS)
    assert post_line(long, SETTINGS).endswith("X  ⚠ Trop long")
    lines = render("t", [ready, long], [], None, None, SETTINGS).splitlines()
    assert lines[-2].endswith("✎ draft      X  ⚠ Trop long")
    assert lines[-1] == "                ⚠ X 300/280 (20 over)"
    assert lines[-3].endswith("X  Prêt")
