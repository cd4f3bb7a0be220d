"""Store benchmark: open and one-post-update cost at 1,000 / 20,000 / 50,000 posts.

Run from a checkout with the project installed:

    .venv/bin/python benchmarks/store.py            # all sizes
    .venv/bin/python benchmarks/store.py 20000      # one size

For each size it generates a store from the demo plan, then measures in the same run:
opening planterm's store (main file + journal replay) against a plain ``json.load`` of
the same compacted file, and one post update on disk (fsync included) against TinyDB's
stock ``JSONStorage``, and against stock TinyDB on a ``MemoryStorage`` (no disk at all),
which shows that TinyDB's own ``Table._update_table`` grows with the table. Machines are
noisy, so read the ratios, not the milliseconds.
Targets (issue 4): update p50 <= 15 ms and p95 <= 30 ms at 20,000, p50 <= 25 ms at
50,000; open <= 1.5x json.load at 20,000.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from tinydb import TinyDB
from tinydb.storages import JSONStorage, MemoryStorage

from planterm.demo import shifted_demo
from planterm.model import Status
from planterm.storage import atomic_write
from planterm.store import Store

SIZES = (1_000, 20_000, 50_000)


def make_store(path: Path, posts: int) -> None:
    """A store of ``posts`` posts: the demo's posts repeated with their own titles."""
    tables = shifted_demo(date(2026, 11, 25), ZoneInfo("Europe/Paris"))
    demo_posts = list(tables["posts"].values())
    tables["posts"] = {
        str(i + 1): {**demo_posts[i % len(demo_posts)], "title": f"post {i + 1}"}
        for i in range(posts)
    }
    atomic_write(path, json.dumps(tables, ensure_ascii=False).encode())


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call of ``fn``."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench(size: int, root: Path) -> dict[str, float]:
    """Every measure for one store size."""
    path = root / f"plan-{size}.json"
    make_store(path, size)
    mine = Store(path)
    statuses = [Status.DRAFT, Status.IDEA]

    def update_mine() -> None:
        post = mine.get_post(size // 2)
        assert post is not None
        post.status = statuses[post.status is Status.DRAFT]
        mine.update_post(post)

    ours = timed(update_mine, 200)
    # leave a journal of 200 records, as a day of work would, and open it
    opened = timed(lambda: Store(path), 5)
    mine.close()
    loads = timed(lambda: json.loads(path.read_bytes()), 5)

    stock_path = root / f"stock-{size}.json"
    stock_path.write_bytes(path.read_bytes())
    stock_db = TinyDB(stock_path, storage=JSONStorage)
    table = stock_db.table("posts")
    stock = timed(lambda: table.update({"status": "draft"}, doc_ids=[size // 2]),
                  20 if size <= 20_000 else 8)
    stock_db.close()
    # TinyDB's in-memory path alone: Table._update_table rebuilds the table dict twice
    memory_db = TinyDB(storage=MemoryStorage)
    memory_db.storage.write({"posts": json.loads(path.read_bytes())["posts"]})
    memory_table = memory_db.table("posts")
    memory = timed(lambda: memory_table.update({"status": "draft"}, doc_ids=[size // 2]), 20)
    return {
        "size_mb": path.stat().st_size / 1e6,
        "open": statistics.median(opened),
        "json_load": statistics.median(loads),
        "p50": p(ours, 0.5),
        "p95": p(ours, 0.95),
        "stock_p50": p(stock, 0.5),
        "memory_p50": p(memory, 0.5),
    }


def main() -> None:
    """Print one row per size: ratios first, milliseconds for reference."""
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    print(f"{'posts':>7} {'file MB':>8} {'open/json.load':>15} {'upd p50':>8} {'upd p95':>8} "
          f"{'stock p50':>10} {'stock/ours':>11} {'tinydb in-memory p50':>21}")
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        for size in sizes:
            r = bench(size, Path(tmp))
            print(f"{size:>7} {r['size_mb']:>8.1f} {r['open'] / r['json_load']:>14.2f}x "
                  f"{r['p50']:>6.1f}ms {r['p95']:>6.1f}ms {r['stock_p50']:>8.1f}ms "
                  f"{r['stock_p50'] / r['p50']:>10.0f}x {r['memory_p50']:>19.1f}ms")
    print("targets: update p50 <= 15 ms, p95 <= 30 ms at 20,000 (p50 <= 25 ms at 50,000); "
          "open <= 1.5x json.load at 20,000")


if __name__ == "__main__":
    main()
