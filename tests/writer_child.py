"""A child process for the crash and parallel-writer tests (not collected by pytest).

usage: writer_child.py STORE MODE TAG COUNT
  insert:  insert COUNT posts tagged TAG, printing each id once it is acknowledged
  counter: add 1 to the shared counter document COUNT times (read-modify-write)
  compact: like insert, with a tiny compaction threshold so compactions happen often
  replay:  open the store (replaying its journal) COUNT times, printing n after each
  fsize:   insert a post TAG, then, under a file-size limit of COUNT bytes, a post of
           10 kB: print "failed: <message>" or "saved"; then close (a compaction)
  hold:    take the store's lock, print "held", and keep it COUNT seconds
"""

import resource
import signal
import sys
import time

from tinydb import TinyDB

from planterm import storage
from planterm.storage import JournalStorage, PlantermTable, StoreError


class DB(TinyDB):
    table_class = PlantermTable


def fsize(db: DB, tag: str, limit: int) -> None:
    """A write cut short by RLIMIT_FSIZE must fail cleanly (EFBIG, not SIGXFSZ's kill)."""
    posts = db.table("posts")
    posts.insert({"title": tag})
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        posts.insert({"title": "too big", "body": "x" * 10_000})
        print("saved", flush=True)
    except StoreError as e:
        print("failed:", e, flush=True)
    db.close()


def main() -> None:
    path, mode, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if mode == "compact":
        storage.COMPACT_MIN_BYTES = 1500
    if mode == "replay":
        for n in range(count):
            JournalStorage(path)
            print(n, "opened", flush=True)
        return
    db = DB(path, storage=JournalStorage)
    if mode == "fsize":
        fsize(db, tag, count)
        return
    if mode == "hold":
        with db.storage.transaction():
            print("held", flush=True)
            time.sleep(count)
        return
    posts = db.table("posts", cache_size=0)
    for n in range(count):
        if mode == "counter":
            def bump(doc: dict) -> None:
                doc["n"] = doc.get("n", 0) + 1

            posts.update(bump, doc_ids=[1])
            continue
        doc_id = posts.insert({"title": f"{tag}-{n}", "body": "x" * (n % 50)})
        print(doc_id, f"{tag}-{n}", flush=True)
    db.close()


if __name__ == "__main__":
    main()
