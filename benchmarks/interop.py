"""Exports and imports at the size of a long mission (issue 15: 20,000 posts to ICS or CSV
≤ 3 s each, 20,000 CSV rows imported ≤ 5 s).

    .venv/bin/python benchmarks/interop.py [--size 20000] [--runs 3]

The plan is plans.py's (built through planterm's own ``Store``, cached in benchmarks/out/),
copied into a temporary folder. Each figure is the whole user-facing work, store open to
bytes written or posts stored, measured as the CLI does it: the export reads the store and
builds the file (``jobs.export``: the planner's export, and the command line's without
filters); the import reads the CSV, checks every row, and writes the posts in one
transaction into an empty store. Each has a baseline measured in the same run, interleaved:
the csv module writing (for the exports) or reading (for the import) the same rows, with
nothing else. Read the ratio: machines differ.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import plans

from planterm.config import Settings
from planterm.interop import jobs
from planterm.interop.table import read_csv
from planterm.store import Store

BUDGETS = {"export ics": 3.0, "export csv": 3.0, "import csv": 5.0}
"""Seconds each may take on 20,000 posts."""


def timed(work: Callable[[], object], baseline: Callable[[], object], runs: int
          ) -> tuple[float, float]:
    """Median seconds of ``work`` and of ``baseline``, interleaved ``runs`` times."""
    mine, base = [], []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - start)
    return statistics.median(mine), statistics.median(base)


def main() -> None:
    """Build or reuse the plan, time each figure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings = Settings(timezone=plans.TZ.key)
    source = plans.plan(args.size, date.today()).path
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        shutil.copy(source, path)
        store = Store(path, readonly=True)
        events = store.events()
        csv_bytes = jobs.export("csv", store, settings).data
        table = list(csv.reader(io.StringIO(csv_bytes.decode())))

        def write_rows() -> bytes:
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerows(table)
            return out.getvalue().encode()

        def read_rows() -> list[list[str]]:
            return list(csv.reader(io.StringIO(csv_bytes.decode())))

        def ics() -> bytes:  # the whole plan, as the planner and 'export ics' write it
            return jobs.export("ics", Store(path, readonly=True), settings).data

        def to_csv() -> bytes:
            return jobs.export("csv", Store(path, readonly=True), settings).data

        count = [0]

        def import_csv() -> None:
            count[0] += 1
            target = Store(Path(folder) / f"empty-{count[0]}.json")
            read_csv(csv_bytes, "plan.csv", target, settings, datetime.now(UTC)).apply(target)
            target.close()

        print(f"{store.post_count()} posts, {len(events)} events; median of {args.runs} runs")
        print(f"{'':<12}{'planterm':>10}{'csv module':>12}{'ratio':>8}{'budget':>9}  verdict")
        for name, work, baseline in (("export ics", ics, write_rows),
                                     ("export csv", to_csv, write_rows),
                                     ("import csv", import_csv, read_rows)):
            mine, base = timed(work, baseline, args.runs)
            budget = BUDGETS[name] * args.size / 20_000
            print(f"{name:<12}{mine:>9.2f}s{base:>11.3f}s{mine / base:>8.1f}{budget:>8.1f}s  "
                  f"{'ok' if mine <= budget else 'over'}")


if __name__ == "__main__":
    main()
