"""The matrix's full recompute on 20,000 posts and 10 × 12 cells (issue 11: ≤ 50 ms).

    .venv/bin/python benchmarks/matrix.py [--size 20000] [--runs 30]

A plan is built through planterm's own ``Store`` (plans.py's posts, each tagged with one
or two of 10 objectives and one or two of 12 themes, a few untagged), in a temporary
folder. Timed: what the pane does when it is shown after a change (``span_of``,
``count_store``, the gaps), for the whole plan (every post counted) and for this month.
Before each run, untimed, one post is written (moved a day, its tags changed):
- ``all``, ``month``: through the store itself; the count brings its rows up to date with
  that write (``matrix.posts_of``), inside the time;
- ``other``: by another process, ending as every command's write does, with a new main
  file; the planner's poll reads it (its time printed apart: it is paid whatever pane is
  shown) and is told the one post it changed, the count's rows brought up to date with it;
- ``opened``: the store is opened anew, as by ``planterm matrix`` or the planner starting,
  and counted once: for the whole plan, the rows are built from every document first (the
  planner does that once, at the first pause in the typing); for this month
  (``opened month``, the default period), only the month's posts are read, through the
  store's index by time (``matrix.count_store``).
The collector is set as in the planner's own process (``cli.main``, ``PlannerApp._opened``):
the documents loaded are out of its full scans.
Each against a plain loop over the store's documents that only adds up the cells of every
post, measured in the same run, interleaved. Read the ratio: machines differ.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import plans

from planterm import matrix, storage
from planterm.model import Category, Post
from planterm.store import Store

OBJECTIVES = 10
THEMES = 12
BUDGET_MS = 50.0


def tagged(rng: random.Random, post: Post, objectives: list[str], themes: list[str]) -> Post:
    """``post`` with the benchmark's keys: one or two of each, one post in 50 untagged."""
    if rng.random() < 0.02:
        return replace(post, objectives=[], themes=[])
    return replace(post, objectives=rng.sample(objectives, rng.randint(1, 2)),
                   themes=rng.sample(themes, rng.randint(1, 2)))


def build(path: Path, size: int, today: date) -> Store:
    """A store of ``size`` posts spread around ``today``, with 10 objectives and 12 themes."""
    rng = random.Random(size)
    store = Store(path)
    objectives = [f"objectif-{i}" for i in range(OBJECTIVES)]
    themes = [f"theme-{i}" for i in range(THEMES)]
    for i, key in enumerate(objectives):
        store.add_objective(Category(key, f"Objectif {i}", target_share=100 / OBJECTIVES))
    for i, key in enumerate(themes):
        store.add_theme(Category(key, f"Thème {i}", target_per_month=10 + i))
    now = datetime.now(UTC).replace(microsecond=0)
    posts = plans.spread(rng, size, today, now, events=0)
    store.add_posts([tagged(rng, p, objectives, themes) for p in posts])
    return store


def plain_loop(posts: Mapping[str, Mapping[str, Any]]) -> Counter[tuple[Any, Any]]:
    """The baseline: every post's cells added up, nothing else."""
    cells: Counter[tuple[Any, Any]] = Counter()
    for doc in posts.values():
        for o in doc.get("objectives") or (None,):
            for t in doc.get("themes") or (None,):
                cells[o, t] += 1
    return cells


def timed(work: Callable[[Store], object], runs: int,
          baseline: Callable[[Store], object], before: Callable[[], Store]
          ) -> tuple[list[float], list[float], list[float]]:
    """Seconds for ``work`` and ``baseline``, interleaved, ``runs`` times each, on the store
    ``before`` gives (untimed) before each; and the processor time of ``work`` (what it takes
    when the machine has a core free for it: another process busy on the other core
    stretches the wall clock, not this)."""
    mine, base, cpu = [], [], []
    for _ in range(runs):
        store = before()
        start, started = time.perf_counter(), time.process_time()
        work(store)
        mine.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started)
        start = time.perf_counter()
        baseline(store)
        base.append(time.perf_counter() - start)
    return mine, base, cpu


def changer(store: Store, objectives: list[str], themes: list[str]
            ) -> Callable[[], object]:
    """A write as the planner makes one: a post moved a day and retagged, a new one each time."""
    rng = random.Random(0)
    ids = [int(i) for i, doc in store.post_documents().items() if doc.get("scheduled")]

    def change() -> object:
        post = store.get_post(rng.choice(ids))
        assert post is not None and post.scheduled is not None
        return store.update_post(replace(post, scheduled=post.scheduled + timedelta(days=1),
                                         objectives=rng.sample(objectives, 1),
                                         themes=rng.sample(themes, 2)))

    return change


def main() -> None:
    """Build, time, print one line per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    today = date.today()
    storage.FREEZE_LOADED = True
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        store = build(path, args.size, today)
        gc.freeze()
        objectives, themes = (sorted(c.key for c in cats)
                              for cats in (store.objectives(), store.themes()))
        other = Store(path)
        write_theirs = changer(other, objectives, themes)
        reads: list[float] = []
        opened: list[Store] = []

        def ours() -> Store:
            """A write in this process."""
            write_ours()
            return store

        def another() -> Store:
            """A command's write in another process (a new main file), then the planner's
            poll reading it (its time kept aside: it is paid whatever pane is shown)."""
            other.refresh()
            write_theirs()
            other.compact()
            start = time.perf_counter()
            assert store.refresh()
            reads.append(time.perf_counter() - start)
            return store

        def fresh() -> Store:
            """The store opened anew, as the planner is started."""
            while opened:
                opened.pop().close()
            opened.append(Store(path, readonly=True))
            return opened[-1]

        write_ours = changer(store, objectives, themes)
        cases: tuple[tuple[str, matrix.PeriodKind, Callable[[], Store]], ...] = (
            ("all", "all", ours), ("month", "month", ours), ("other", "all", another),
            ("opened", "all", fresh), ("opened month", "month", fresh))
        print(f"{len(store.post_documents())} posts, {OBJECTIVES} × {THEMES} cells; "
              f"p50 over {args.runs} runs")
        for name, kind, before in cases:
            def recompute(counted_store: Store, kind: matrix.PeriodKind = kind) -> matrix.Matrix:
                """What the pane does when shown after a change: the period, the counts, the
                gaps."""
                span = matrix.span_in(counted_store, kind, today, plans.TZ)
                counted = matrix.count_store(counted_store, matrix.Selection(span), today)
                counted.gaps()
                return counted

            counted = recompute(before())
            mine, base, cpu = timed(recompute, args.runs,
                                      lambda s: plain_loop(s.post_documents()), before)
            p50, b50 = statistics.median(mine) * 1000, statistics.median(base) * 1000
            c50 = statistics.median(cpu) * 1000
            verdict = "ok" if p50 <= BUDGET_MS else f"over ({'ok' if c50 <= BUDGET_MS else 'over'}"\
                f" in processor time)"
            print(f"{name:>12}: {counted.total:>6} counted  matrix {p50:6.1f} ms (processor "
                  f"{c50:5.1f} ms)  plain loop {b50:6.1f} ms  ratio {p50 / b50:4.2f}  budget "
                  f"{BUDGET_MS:.0f} ms: {verdict}")
        print(f"(other: the planner's poll reading the new main file took "
              f"{statistics.median(reads) * 1000:.0f} ms p50 before the count, untimed above)")
        for each in (*opened, other, store):
            each.close()


if __name__ == "__main__":
    main()
