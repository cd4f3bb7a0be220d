"""Live mode's speed (issue 13), measured as the user waits.

    .venv/bin/python benchmarks/live.py [--posts 30] [--size 20000]

- Enter to the post shown: the planner runs as a whole process in a real pseudo-terminal
  (120x40, xterm-256color) with live mode open on an event of today; each post's text is
  typed and drawn, then Enter is written into the pty and the clock stops when the post's
  line in the list is drawn: the post was written and fsync'd before that
  (live mode draws it only then). On a store of ``--size`` posts against an empty store
  (the same event), in the same run, on the machine as it is and busy (every core but one
  spinning). Target: p95 <= 30 ms at 20,000 posts, busy.
- The draft: what saving the typed text costs the UI thread (starting the worker that
  writes it) and what the fsync'd write itself takes, in its thread, in this process.
  Target: the UI thread is held <= 5 ms.

Figures are p50 / p95. Machines differ: read the ratios.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import plans
import run
import terminal

from planterm import live
from planterm.model import Event
from planterm.store import Store

ENTER_BUDGET = 0.030
DRAFT_BUDGET = 0.005
TITLE = "Nocturne de mesure"


def with_event(path: Path) -> None:
    """Add today's running event (its start half an hour ago) to the store at ``path``."""
    store = Store(path)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    store.add_event(Event(TITLE, start, start + timedelta(hours=3), hashtag="#Mesure",
                          channels=["x", "instagram"]))
    store.close()


def enter_times(store: Path, posts: int) -> list[float]:
    """Seconds from Enter to the new count in the list, for ``posts`` posts in a row."""
    _, screen = run.started(run.planterm(store), TITLE[:8])
    try:
        screen.settle(0.5)
        for key, words in (("\x10", "Search for commands"), (f"Live: {TITLE}", TITLE[:8]),
                           ("\r", "Log the posts as"), ("p", "LIVE")):
            screen.press(key)
            screen.wait_for(words, timeout=run.KEY_TIMEOUT)
            screen.settle(0.3)  # the palette highlights its first hit a frame after drawing it
        seconds = []
        for n in range(1, posts + 1):
            text = f"Mesure {n:03d}"
            screen.press(text)
            screen.wait_for(text, timeout=run.KEY_TIMEOUT)
            screen.settle(run.KEY_QUIET)
            pressed = screen.press("\r")
            # the post's line in the list ("19:42 ● X IG  Mesure 007"), not the box's
            seconds.append(screen.wait_for(f"IG  {text}", timeout=run.KEY_TIMEOUT) - pressed)
            screen.settle(run.KEY_QUIET)
    finally:
        screen.close()
    return seconds


def draft_costs(runs: int) -> tuple[list[float], list[float]]:
    """(UI thread: the timer's callback starting the write in a thread; the write itself)."""
    from concurrent.futures import ThreadPoolExecutor

    ui, write = [], []
    with tempfile.TemporaryDirectory() as folder, ThreadPoolExecutor(1) as pool:
        keeper = live.DraftKeeper(Path(folder) / "plan.json.live" / "draft.txt")

        def timed_flush() -> float:
            start = time.perf_counter()
            keeper.flush()
            return time.perf_counter() - start

        for n in range(runs):
            keeper.update(f"Citation de Mme Dupont : « l'art pariétal » {n}" * 3)
            start = time.perf_counter()
            future = pool.submit(timed_flush)  # what the worker does off the UI thread
            ui.append(time.perf_counter() - start)
            write.append(future.result())
    return ui, write


def _ms2(values: list[float]) -> str:
    """``p50 / p95 ms`` with two decimals, for what takes well under a millisecond."""
    return f"{run.quantile(values, 0.5) * 1000:.2f} / {run.quantile(values, 0.95) * 1000:.2f} ms"


def main() -> None:
    """Build, measure, print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--size", type=int, default=20_000)
    args = parser.parse_args()
    today = date.today()
    work = Path(tempfile.mkdtemp(prefix="planterm-live-"))
    empty, big = work / "empty.json", work / "big.json"
    Store(empty).compact()
    big.write_bytes(plans.plan(args.size, today).path.read_bytes())
    for path in (empty, big):
        with_event(path)
    rows = []
    try:
        for load in ("quiet", "busy"):
            with run.machine(load):
                base = enter_times(empty, args.posts)
                mine = enter_times(big, args.posts)
            p95 = run.quantile(mine, 0.95)
            rows.append((f"Enter to shown, {args.size} posts, {load}", run.ms(mine),
                         run.ms(base), f"{run.p50_ratio(mine, base):.2f}",
                         f"p95 {'ok' if p95 <= ENTER_BUDGET else 'over'} (30 ms)"))
        ui, write = draft_costs(100)
        rows.append(("draft save, UI thread", _ms2(ui), _ms2(write) + " (write, thread)",
                     f"{run.quantile(ui, 0.5) / run.quantile(write, 0.5):.2f}",
                     f"p95 {'ok' if run.quantile(ui, 0.95) <= DRAFT_BUDGET else 'over'} (5 ms)"))
    finally:
        run.stop_spinners()
        terminal.kill_all()
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    header = ("measure", "figure p50/p95", "baseline p50/p95", "ratio", "target")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
