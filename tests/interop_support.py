"""What the interop tests share: a demo plan in tmp_path, and a store's files as bytes."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planterm.demo import write_demo

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


def demo(folder: Path) -> Path:
    """A fresh copy of the demo plan in ``folder``, its anchor week on ``TODAY``'s."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_demo(folder / "plan.json", TODAY, PARIS, NOW)


def files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` and its bytes: what a refused import must leave alone."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".lock"}


def need(program: str, found: str | None) -> None:
    """Skip, saying why, when ``program`` is absent; under CI (``CI`` set) fail instead:
    .ci/run installs it, so a skip there would hide a test that never ran."""
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed, and CI must run this test")
        pytest.skip(f"{program} is not installed")
