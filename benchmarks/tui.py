"""Planner benchmark: start-up, period repaint and triage on a store of 20,000 posts.

Run from a checkout with the project installed:

    python benchmarks/tui.py            # 20,000 posts
    python benchmarks/tui.py 50000      # another size

It builds a store from the demo plan (the demo's posts copied again and again, each
copy shifted by 40 weeks, so that the store spans decades and this week keeps the
demo's density), then drives the planner headless with Textual's Pilot and measures,
in the same run:

- start to first frame, against a minimal Textual app (Header, Footer, one Static);
- moving to the next week, and to the next month ("]"), until the new period is drawn;
- a triage key ("s" then "S" on a draft post) until it is on disk and drawn.

Machines are noisy, so it prints ratios against budgets measured in the same run, not
milliseconds to compare across machines. Budgets (issue 5): start ≤ 1.3× the minimal
app; repaint p95 < 50 ms; triage p95 < 30 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from planterm.config import Settings
from planterm.demo import shifted_demo
from planterm.model import Status, iso
from planterm.storage import atomic_write
from planterm.store import Store
from planterm.tui.app import PlantermApp, make_app
from planterm.tui.widgets.calendar import CalendarPane

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
SIZE = (120, 40)
STARTS = 15
MOVES = 60
TRIAGES = 100


class Minimal(App[None]):
    """The yardstick: a minimal Textual app with a header, a footer and one widget."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("hello")
        yield Footer()


def make_store(path: Path, posts: int) -> None:
    """A store of ``posts`` posts: the demo's posts in copies 40 weeks apart."""
    tables = shifted_demo(TODAY, PARIS)
    demo = list(tables["posts"].values())
    copies: dict[str, Any] = {}
    for i in range(posts):
        copy, k = dict(demo[i % len(demo)]), i // len(demo)
        shift = timedelta(weeks=40 * (k - posts // len(demo) // 2))
        if copy["scheduled"]:
            copy["scheduled"] = iso(datetime.fromisoformat(copy["scheduled"]) + shift)
        copies[str(i + 1)] = copy
    tables["posts"] = copies
    atomic_write(path, json.dumps(tables, ensure_ascii=False).encode())


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def first_frame(app: App[Any]) -> float:
    """Seconds from starting ``app`` to its first frame (run_test returns once it is up)."""
    start = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        elapsed = time.perf_counter() - start
        await pilot.app.workers.wait_for_complete()
    return elapsed


def planner(path: Path) -> PlantermApp:
    """The planner on ``path``, fixed clock and settings."""
    return make_app(path, Settings(locale="fr"), now=lambda: NOW)


async def drawn(app: PlantermApp, key: str, done: Callable[[], bool]) -> float:
    """Seconds from a key press to the end of the frame that shows its effect.

    The key goes in as the terminal would send it (``simulate_key``); once ``done()``
    says it was handled, ``call_after_refresh`` fires after the next screen refresh.
    Pilot's ``press`` is not used: its own waiting (~65 ms per key) would drown the
    measure.
    """
    start = time.perf_counter()
    app.simulate_key(key)
    while not done():
        await asyncio.sleep(0)
    frame = asyncio.Event()
    app.call_after_refresh(frame.set)
    await frame.wait()
    return time.perf_counter() - start


@contextlib.asynccontextmanager
async def opened(path: Path) -> AsyncIterator[tuple[PlantermApp, CalendarPane]]:
    """The planner running headless on ``path``, its store open and drawn."""
    app = planner(path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        yield app, app.query_one(CalendarPane)


async def timed_moves(path: Path, month: bool) -> list[float]:
    """Seconds to show the next period, ``MOVES`` times, in the week or month view."""
    times = []
    async with opened(path) as (app, pane):
        if month:
            await drawn(app, "m", lambda: pane.shown is not None and pane.shown.view == "month")
        for _ in range(MOVES):
            assert pane.shown is not None
            first = pane.shown.days[0]

            def moved(first: date = first) -> bool:
                return pane.shown is not None and pane.shown.days[0] != first

            times.append(await drawn(app, "right_square_bracket", moved))
    return times


async def timed_triage(path: Path) -> list[float]:
    """Seconds for s / S on a draft post to be on disk and drawn, ``TRIAGES`` times."""
    times = []
    async with opened(path) as (app, pane):
        assert pane.shown is not None
        draft = next(p for p in pane.shown.ordered() if p.status is Status.DRAFT)
        pane.select(pane.day, draft.id)
        for i in range(TRIAGES):
            key, want = ("s", Status.REVIEW) if i % 2 == 0 else ("S", Status.DRAFT)

            def shown_as(status: Status = want) -> bool:
                post = pane.shown.selected if pane.shown else None
                return post is not None and post.status is status

            times.append(await drawn(app, key, shown_as))
        assert app.store is not None
        on_disk = Store(path).get_post(draft.id or 0)  # written, not just shown
        assert on_disk is not None and on_disk.status is Status.DRAFT
    return times


async def main(posts: int) -> None:
    """Measure and print the ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        make_store(path, posts)
        minimal, ours = [], []
        for _ in range(STARTS):  # interleaved, so that both see the same machine
            minimal.append(await first_frame(Minimal()))
            ours.append(await first_frame(planner(path)))
        weeks = await timed_moves(path, month=False)
        months = await timed_moves(path, month=True)
        triage = await timed_triage(path)
        store = Store(path)
        assert store.post_count() == posts
        store.close()
    start_ratio = statistics.median(ours) / statistics.median(minimal)
    rows = [
        ("start to first frame / minimal app", start_ratio, 1.3),
        ("next week repaint p95 / 50 ms", p95(weeks) / 0.050, 1.0),
        ("next month repaint p95 / 50 ms", p95(months) / 0.050, 1.0),
        ("triage key on disk and shown p95 / 30 ms", p95(triage) / 0.030, 1.0),
    ]
    print(f"planterm TUI benchmark, {posts:,} posts, terminal {SIZE[0]}x{SIZE[1]}")
    for name, ratio, budget in rows:
        verdict = "ok" if ratio <= budget else "OVER"
        print(f"  {name:<44} {ratio:5.2f}  (budget {budget:.1f})  {verdict}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
