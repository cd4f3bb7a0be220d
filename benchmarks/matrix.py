"""The matrix's full recompute on 20,000 posts and 10 × 12 cells (issue 11: ≤ 50 ms).

    .venv/bin/python benchmarks/matrix.py [--size 20000] [--runs 30]

A plan is built through planterm's own ``Store`` (plans.py's posts, each tagged with one
or two of 10 objectives and one or two of 12 themes, a few untagged), in a temporary
folder. Timed: what the pane does when it is shown after a change (``span_of``,
``count_store``, the gaps), for the whole plan (every post counted) and for this month.
Before each run, untimed, one post is written through the store (moved a day, its tags
changed): the count brings its rows up to date with that write (``matrix.posts_of``), inside
the time. The line ``built`` times the same after memory was read anew (on opening, or when
another process compacted the store), when the rows are built from every document first.
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


def timed(work: Callable[[], object], runs: int, baseline: Callable[[], object],
          before: Callable[[], object]) -> tuple[list[float], list[float], list[float]]:
    """Seconds for ``work`` and ``baseline``, interleaved, ``runs`` times each, ``before``
    done (untimed) before each ``work``; and the processor time of ``work`` (what it takes
    when the machine has a core free for it: another process busy on the other core
    stretches the wall clock, not this)."""
    mine, base, cpu = [], [], []
    for _ in range(runs):
        before()
        start, started = time.perf_counter(), time.process_time()
        work()
        mine.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started)
        start = time.perf_counter()
        baseline()
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
        store = build(Path(folder) / "plan.json", args.size, today)
        gc.freeze()
        objectives, themes = (sorted(c.key for c in cats)
                              for cats in (store.objectives(), store.themes()))
        cases: tuple[tuple[str, matrix.PeriodKind, Callable[[], object]], ...] = (
            ("all", "all", changer(store, objectives, themes)),
            ("month", "month", changer(store, objectives, themes)),
            ("built", "all", store.storage.reload))
        print(f"{len(store.post_documents())} posts, {OBJECTIVES} × {THEMES} cells; "
              f"p50 over {args.runs} runs")
        for name, kind, before in cases:
            def recompute(kind: matrix.PeriodKind = kind) -> matrix.Matrix:
                """What the pane does when shown after a change: the period, the counts, the
                gaps."""
                plan = matrix.posts_of(store) if kind == "all" else None
                span = matrix.span_of(kind, today, plans.TZ, posts=plan)
                counted = matrix.count_store(store, matrix.Selection(span), today)
                counted.gaps()
                return counted

            counted = recompute()
            mine, base, cpu = timed(recompute, args.runs,
                                    lambda: plain_loop(store.post_documents()), before)
            p50, b50 = statistics.median(mine) * 1000, statistics.median(base) * 1000
            c50 = statistics.median(cpu) * 1000
            verdict = "ok" if p50 <= BUDGET_MS else f"over ({'ok' if c50 <= BUDGET_MS else 'over'}"\
                f" in processor time)"
            print(f"{name:>5}: {counted.total:>6} counted  matrix {p50:6.1f} ms (processor "
                  f"{c50:5.1f} ms)  plain loop {b50:6.1f} ms  ratio {p50 / b50:4.2f}  budget "
                  f"{BUDGET_MS:.0f} ms: {verdict}")
        store.close()


if __name__ == "__main__":
    main()
