"""The storage alone, in the harness's own process (the ratios of issue 4).

One post update written to disk (fsync included), back and forth, as the triage keys do
it without the screen; and opening planterm's store against a ``json.loads`` of the
same bytes, once the store was closed cleanly.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from planterm.model import Status
from planterm.store import Store


def updates(path: Path, post_id: int, runs: int) -> list[float]:
    """Seconds to write ``post_id`` with its status stepped, ``runs`` times."""
    store = Store(path)
    out = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            post = store.get_post(post_id)
            assert post is not None
            post.status = Status.REVIEW if post.status is Status.DRAFT else Status.DRAFT
            store.update_post(post)
            out.append(time.perf_counter() - start)
    finally:
        store.close()
    return out


def opens(path: Path, runs: int) -> list[float]:
    """Seconds to open the store (its close is not timed), ``runs`` times."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        store = Store(path)
        out.append(time.perf_counter() - start)
        store.close()
    return out


def parses(path: Path, runs: int) -> list[float]:
    """Seconds for ``json.loads`` of the store file's bytes, ``runs`` times."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        json.loads(path.read_bytes())
        out.append(time.perf_counter() - start)
    return out
