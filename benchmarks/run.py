"""Every benchmark of issue 9, measured as the user waits, printed as one table.

    .venv/bin/python benchmarks/run.py                  # 1,000, 20,000 and 50,000 posts
    .venv/bin/python benchmarks/run.py --quick          # 1,000 and 20,000, few repetitions
    .venv/bin/python benchmarks/run.py --sizes 50000

Each size is measured twice: on the machine as it is ("quiet": the harness adds no
load) and busy (the harness keeps all cores but one spinning in other processes).
Every figure has a baseline measured in the same run, interleaved with it:

- start: ``python -m planterm --store X`` as a whole process in a real pseudo-terminal
  (120x40, xterm-256color), from before its fork until the bytes of two titles of this
  week (Monday's first post, today's first post) come back from the pty; against a
  minimal Textual app (Header, DataTable, Footer) until its row is drawn. The first open
  of the day (no backup of today yet) is timed once, on a fresh copy of the store. After
  each warm start, ``]`` is pressed as soon as the week shows, until the next week is
  drawn: the planner draws the week from a glimpse of the store and opens it whole before
  it takes a key, which that key waits for;
- keys: ``]`` next week, ``m`` then ``]`` next month, ``s`` / ``S`` on a draft, from the
  key's bytes written into the pty until the screen's bytes show the new week, month or
  status; their baseline is a fixed budget (50 ms, 30 ms), not a measure;
- command line: ``set ID status=review``, ``list --json`` and ``check`` as whole
  processes, against ``python -c "import json; json.load(open(X, 'rb'))"``; when 20,000
  runs too, the write at a larger size against the write at 20,000 scaled by file size;
- memory: the planner's peak RSS (VmHWM just before quitting) against the minimal
  app's plus five times the store file;
- storage alone, in this process: a post update on disk, opening against json.loads.

Figures are p50 / p95 over the repetitions. Machines differ: read the ratios.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import minimal_app
import plans
import storage
import terminal

from planterm.model import Status
from planterm.store import Store

PYTHON = sys.executable
RUNS = plans.OUT / "runs"
SETTINGS = plans.OUT / "settings.toml"
MiB = 1024 * 1024
START_TIMEOUT = 120.0
"""Seconds a start may take before the harness gives up on it."""
KEY_TIMEOUT = 10.0
KEY_QUIET = 0.15
"""Seconds without output after which the planner is taken as idle, ready for a key."""
CLI_TIMEOUT = 300.0
PERIOD_BUDGET, TRIAGE_BUDGET = 0.050, 0.030
START_TARGETS = {20_000: 1.5, 50_000: 2.0}
"""Start (first open of the day included) / the minimal app, by store size (issue 9)."""
KEYS_SIZE, KEYS_LOAD = 20_000, "busy"
"""Where the key budgets are targets: 20,000 posts, machine busy."""
THIS_WEEK = (plans.week_landmark(0), plans.TRIAGE)
"""Two titles of this week, on two days unless today is Monday: the week is drawn."""
SPINNERS: list[subprocess.Popen[bytes]] = []


@dataclass(frozen=True)
class Reps:
    """How many times each thing is measured."""

    starts: int
    cli: int
    weeks: int
    months: int
    triage: int
    updates: int


QUICK = Reps(starts=3, cli=3, weeks=12, months=6, triage=12, updates=20)
FULL = Reps(starts=15, cli=15, weeks=plans.WEEKS_AHEAD, months=plans.MONTHS_AHEAD,
            triage=60, updates=200)


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    measure: str
    figure: str
    baseline: str
    ratio: float
    target: float | None

    def verdict(self) -> str:
        """ok, over, or - where issue 9 sets no target."""
        if self.target is None:
            return "-"
        return "ok" if self.ratio <= self.target else "over"


Samples = dict[str, list[float]]


# --- statistics and formatting ---------------------------------------------------------


def quantile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    """``p50 / p95 ms`` of seconds (a single value alone)."""
    if len(values) == 1:
        return f"{values[0] * 1000:.0f} ms (1 run)"
    return f"{quantile(values, 0.5) * 1000:.0f} / {quantile(values, 0.95) * 1000:.0f} ms"


def p50_ratio(values: list[float], baseline: list[float]) -> float:
    """Median over median."""
    return quantile(values, 0.5) / quantile(baseline, 0.5)


# --- processes ---------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment of every measured process: our settings, a 256-colour xterm."""
    # PYTHONDONTWRITEBYTECODE: an installed planterm has its bytecode; without it every
    # start would compile planterm's modules again (Textual's come compiled with it).
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "LINES", "PLANTERM_STORE", "PYTHONDONTWRITEBYTECODE")
           and not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", PLANTERM_CONFIG=str(SETTINGS))
    return env


def planterm(store: Path, *args: str) -> list[str]:
    """The command line of planterm on ``store``."""
    return [PYTHON, "-m", "planterm", "--store", str(store), *args]


def whole(argv: list[str], out: Path | None = None) -> float:
    """Seconds for ``argv`` to run as a whole process (it must succeed); stdout to ``out``."""
    with open(out or os.devnull, "wb") as stdout:
        start = time.perf_counter()
        try:
            done = subprocess.run(argv, env=child_env(), stdin=subprocess.DEVNULL,
                                  stdout=stdout, stderr=subprocess.PIPE,
                                  timeout=CLI_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"{' '.join(argv[2:])}: no end after {CLI_TIMEOUT:.0f} s") from None
        elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(argv[2:])} failed ({done.returncode}): "
                         f"{done.stderr.decode(errors='replace')[-500:]}")
    return elapsed


@contextmanager
def machine(load: str) -> Iterator[None]:
    """The machine as it is ("quiet"), or with every core but one spinning ("busy")."""
    if load == "busy":
        for _ in range(max((os.cpu_count() or 2) - 1, 1)):
            SPINNERS.append(subprocess.Popen([PYTHON, "-c", "while True: pass"]))
        time.sleep(0.2)
    try:
        yield
    finally:
        stop_spinners()


def stop_spinners() -> None:
    """Kill the load processes."""
    while SPINNERS:
        spinner = SPINNERS.pop()
        spinner.kill()
        spinner.wait()


def cleanup() -> None:
    """Whatever happens, leave no child running."""
    stop_spinners()
    terminal.kill_all()


# --- folders -------------------------------------------------------------------------


def fresh(source: Path, name: str) -> Path:
    """A new folder under benchmarks/out/runs holding a copy of ``source``'s store folder
    (or of the store file alone when ``source`` is a file); the copied store's path."""
    folder = RUNS / name
    shutil.rmtree(folder, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, folder)
    else:
        folder.mkdir(parents=True)
        shutil.copy2(source, folder / "plan.json")
    os.sync()  # the copy's dirty pages are not the next measure's to write out
    return folder / "plan.json"


# --- the planner in a pseudo-terminal ------------------------------------------------------


def started(argv: list[str], *words: str) -> tuple[float, terminal.Terminal]:
    """Start ``argv`` in a pty; seconds until all ``words`` are drawn, and its terminal."""
    screen = terminal.Terminal(argv, child_env())
    try:
        return screen.wait_for(*words, timeout=START_TIMEOUT) - screen.started, screen
    except BaseException:
        screen.close()
        raise


def start_once(argv: list[str], *words: str, quiet: float = 0.3) -> tuple[float, int]:
    """Seconds from start to all ``words`` drawn, and peak RSS once the screen is quiet."""
    seconds, screen = started(argv, *words)
    try:
        screen.settle(quiet)
        return seconds, screen.peak_rss()
    finally:
        screen.quit()


def minimal() -> tuple[float, int]:
    """The minimal app's start and peak RSS."""
    return start_once([PYTHON, str(Path(minimal_app.__file__))], minimal_app.ROW)


def keyed(screen: terminal.Terminal, key: str, words: str) -> float:
    """Seconds from writing ``key`` into the pty to ``words`` coming back; then settle."""
    pressed = screen.press(key)
    seconds = screen.wait_for(words, timeout=KEY_TIMEOUT) - pressed
    screen.settle(KEY_QUIET)  # the next key comes once the planner is idle again
    return seconds


def keys(store: Path, plan: plans.Plan, reps: Reps) -> Samples:
    """Triage keys, next weeks and next months in one planner session; its peak RSS."""
    _, screen = started(planterm(store), *THIS_WEEK)
    try:
        screen.settle(0.5)
        draft, review = Status.DRAFT.symbol, Status.REVIEW.symbol
        triage = [keyed(screen, "S" if i % 2 else "s",
                        f"{draft if i % 2 else review} {plans.TRIAGE}")
                  for i in range(reps.triage)]
        weeks = [keyed(screen, "]", plans.week_landmark(k)) for k in range(1, reps.weeks + 1)]
        keyed(screen, "t", plans.week_landmark(0))
        keyed(screen, "m", plans.month_landmark(0))
        months = [keyed(screen, "]", plans.month_landmark(k))
                  for k in range(1, reps.months + 1)]
        rss = screen.peak_rss()
    finally:
        screen.quit()
    check_status(store, plan.triage_id, Status.REVIEW if reps.triage % 2 else Status.DRAFT)
    return {"triage": triage, "weeks": weeks, "months": months, "keys_rss": [rss]}


def check_status(store: Path, post_id: int, status: Status) -> None:
    """Stop if the triage keys were shown but not written."""
    opened = Store(store)
    try:
        post = opened.get_post(post_id)
    finally:
        opened.close()
    if post is None or post.status is not status:
        raise SystemExit(f"post {post_id} is {post and post.status} on disk, not {status}")


# --- one size on one machine -------------------------------------------------------------


def start_then_key(store: Path) -> tuple[float, int, float]:
    """A warm start: seconds until this week is drawn, peak RSS, and the seconds ``]``
    pressed as soon as the week shows takes to draw the next week (the planner finishes
    opening the store before it takes a key)."""
    seconds, screen = started(planterm(store), *THIS_WEEK)
    try:
        first_key = keyed(screen, "]", plans.week_landmark(1))
        return seconds, screen.peak_rss(), first_key
    finally:
        screen.quit()


def starts(store: Path, reps: Reps) -> Samples:
    """The first open of the day, then warm starts interleaved with the minimal app's."""
    seconds, rss = start_once(planterm(store), *THIS_WEEK, quiet=1.0)
    out: Samples = {"first_open": [seconds], "first_open_rss": [rss]}
    for _ in range(reps.starts):  # interleaved, so that both see the same machine
        seconds, rss = minimal()
        out.setdefault("minimal", []).append(seconds)
        out.setdefault("minimal_rss", []).append(rss)
        seconds, rss, first_key = start_then_key(store)
        out.setdefault("start", []).append(seconds)
        out.setdefault("start_rss", []).append(rss)
        out.setdefault("first_key", []).append(first_key)
    return out


def commands(store: Path, plan: plans.Plan, reps: Reps) -> Samples:
    """set (on a fresh copy each time), list --json and check, interleaved with json.load."""
    out: Samples = {}
    listed = store.parent.parent / f"{store.parent.name}-list.json"
    read = ["-c", f"import json; json.load(open({str(store)!r}, 'rb'))"]
    for _ in range(reps.cli):
        written = fresh(store.parent, f"{store.parent.name}-set")
        for key, argv, to in (
                ("json_load", [PYTHON, *read], None),
                ("set", planterm(written, "set", str(plan.triage_id), "status=review"), None),
                ("list", planterm(store, "list", "--json"), listed),
                ("check", planterm(store, "check"), None)):
            out.setdefault(key, []).append(whole(argv, to))
    if len(json.loads(listed.read_bytes())) != plan.size:  # the measure did the whole work
        raise SystemExit(f"list --json did not print the {plan.size} posts")
    return out


def in_process(store: Path, plan: plans.Plan, reps: Reps) -> Samples:
    """The storage alone, on a copy of ``store``."""
    copy = fresh(store.parent, f"{store.parent.name}-storage")
    runs = max(reps.cli // 2, 3)
    return {"update": storage.updates(copy, plan.triage_id, reps.updates),
            "open": storage.opens(copy, runs), "json_loads": storage.parses(copy, runs)}


def measure(plan: plans.Plan, reps: Reps, load: str) -> Samples:
    """Every measure of one store size, on the machine as ``load`` says."""
    store = fresh(plan.path, f"{plan.size}-{load}")  # no backup of today yet
    out = starts(store, reps)
    out |= keys(fresh(store.parent, f"{plan.size}-{load}-keys"), plan, reps)
    out |= commands(store, plan, reps)
    return out | in_process(store, plan, reps)


# --- the table -----------------------------------------------------------------------------


def start_rows(tag: str, size: int, s: Samples) -> list[Row]:
    """Start until this week is drawn, warm and on the first open of the day."""
    base = f"{ms(s['minimal'])} minimal app"
    return [Row(f"{tag}: start, week drawn", ms(s["start"]), base,
                p50_ratio(s["start"], s["minimal"]), START_TARGETS.get(size)),
            Row(f"{tag}: first open of the day", ms(s["first_open"]), base,
                p50_ratio(s["first_open"], s["minimal"]), START_TARGETS.get(size)),
            Row(f"{tag}: ] as soon as the week shows", ms(s["first_key"]),
                f"{PERIOD_BUDGET * 1000:.0f} ms budget (p95)",
                quantile(s["first_key"], 0.95) / PERIOD_BUDGET, None)]


def key_rows(tag: str, target: float | None, s: Samples) -> list[Row]:
    """Keys in the pty, against their fixed budgets."""
    return [Row(f"{tag}: {name}", ms(s[key]), f"{budget * 1000:.0f} ms budget (p95)",
                quantile(s[key], 0.95) / budget, target)
            for name, key, budget in (("] next week", "weeks", PERIOD_BUDGET),
                                      ("m ] next month", "months", PERIOD_BUDGET),
                                      ("s/S triage key", "triage", TRIAGE_BUDGET))]


def cli_rows(tag: str, plan: plans.Plan, s: Samples, set_20k: tuple[float, int] | None
             ) -> list[Row]:
    """Commands as whole processes against a json.load of the file; a write at 50k
    against the write at 20k scaled by file size."""
    base = f"{ms(s['json_load'])} json.load"
    rows = [Row(f"{tag}: planterm set", ms(s["set"]), base, p50_ratio(s["set"], s["json_load"]),
                1.0 if plan.size == 20_000 else None)]
    if set_20k and plan.size > 20_000:
        linear = set_20k[0] * plan.bytes() / set_20k[1]
        rows.append(Row(f"{tag}: planterm set vs 20,000", ms(s["set"]),
                        f"{linear * 1000:.0f} ms linear from 20,000",
                        quantile(s["set"], 0.5) / linear, 1.0))
    return rows + [Row(f"{tag}: planterm {name}", ms(s[key]), base,
                       p50_ratio(s[key], s["json_load"]), 1.5 if plan.size >= 20_000 else None)
                   for name, key in (("list --json", "list"), ("check", "check"))]


def memory_rows(tag: str, plan: plans.Plan, s: Samples) -> list[Row]:
    """Peak RSS against the minimal app's plus five times the store file."""
    minimal_rss = max(s["minimal_rss"])
    limit = minimal_rss + 5 * plan.bytes()
    base = f"{minimal_rss / MiB:.0f} + 5 x {plan.bytes() / MiB:.0f} MiB"
    target = 1.0 if plan.size == 50_000 else None
    return [Row(f"{tag}: {name}", f"{max(values) / MiB:.0f} MiB", base, max(values) / limit,
                target)
            for name, values in (("planner peak RSS", s["start_rss"] + s["keys_rss"]),
                                 ("peak RSS, first open", s["first_open_rss"]))]


def storage_rows(tag: str, size: int, s: Samples) -> list[Row]:
    """The storage alone, in-process (issue 4's budgets)."""
    target = 1.0 if size == 20_000 else None
    return [Row(f"{tag}: update on disk, in-process", ms(s["update"]), "30 ms budget (p95)",
                quantile(s["update"], 0.95) / TRIAGE_BUDGET, target),
            Row(f"{tag}: open store, in-process", ms(s["open"]), f"{ms(s['json_loads'])} "
                "json.loads", p50_ratio(s["open"], s["json_loads"]),
                1.5 if size == 20_000 else None)]


def size_rows(plan: plans.Plan, load: str, s: Samples, set_20k: tuple[float, int] | None
              ) -> list[Row]:
    """The rows of one size on one machine."""
    tag = f"{plan.size:,} {load}"
    keys_target = 1.0 if (plan.size, load) == (KEYS_SIZE, KEYS_LOAD) else None
    return [*start_rows(tag, plan.size, s), *key_rows(tag, keys_target, s),
            *cli_rows(tag, plan, s, set_20k), *memory_rows(tag, plan, s),
            *storage_rows(tag, plan.size, s)]


def print_table(rows: list[Row]) -> None:
    """measure, figure, baseline, ratio, target, ok/over."""
    head = ("measure", "figure p50 / p95", "baseline", "ratio", "target", "")
    cells = [(r.measure, r.figure, r.baseline, f"{r.ratio:.2f}x",
              "-" if r.target is None else f"<= {r.target:g}x", r.verdict()) for r in rows]
    widths = [max(len(c[i]) for c in [head, *cells]) for i in range(len(head))]
    for line in [head, *cells]:
        print("  ".join(c.ljust(w) if i < 3 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(line, widths, strict=True))).rstrip())


# --- main --------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    """--sizes and --quick."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated store sizes (default 1000,20000,50000)")
    parser.add_argument("--quick", action="store_true",
                        help="1000 and 20000 posts, few repetitions (a few minutes)")
    return parser.parse_args()


def measure_all(sizes: list[int], reps: Reps, today: date) -> list[Row]:
    """Build or reuse the stores, measure each size quiet then busy; the table's rows."""
    rows: list[Row] = []
    set_20k: dict[str, tuple[float, int]] = {}
    for size in sizes:
        plan = plans.plan(size, today)
        log(f"{size:,} posts, {plan.bytes() / 1e6:.1f} MB")
        if size == sizes[0]:  # Python's and the disk's caches, as for a user's second start
            start_once(planterm(fresh(plan.path, "warm-up")), *THIS_WEEK)
            minimal()
        for load in ("quiet", "busy"):
            log(f"{size:,} posts, machine {load}")
            with machine(load):
                samples = measure(plan, reps, load)
            if size == 20_000:
                set_20k[load] = (quantile(samples["set"], 0.5), plan.bytes())
            rows += size_rows(plan, load, samples, set_20k.get(load))
    return rows


def main() -> None:
    """Measure, whatever happens leave no child behind, print the table."""
    args = arguments()
    default = "1000,20000" if args.quick else "1000,20000,50000"
    sizes = [int(s) for s in (args.sizes or default).split(",")]
    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(1))
    SETTINGS.parent.mkdir(exist_ok=True)
    SETTINGS.write_text(f'timezone = "{plans.TZ.key}"\nweek_start = "monday"\nlocale = "fr"\n')
    today = datetime.now(plans.TZ).date()
    compile_planterm()
    began = time.perf_counter()
    try:
        rows = measure_all(sizes, QUICK if args.quick else FULL, today)
    except terminal.Timeout as e:
        raise SystemExit(f"planterm benchmarks: {e}") from None
    finally:
        cleanup()
        shutil.rmtree(RUNS, ignore_errors=True)
    log(f"done in {time.perf_counter() - began:.0f} s")
    print(f"planterm benchmarks, {today}, {os.cpu_count()} cores, terminal "
          f"{terminal.COLUMNS}x{terminal.ROWS}, {'quick' if args.quick else 'full'} run")
    print_table(rows)
    print("ratio: p50 / baseline p50 for starts, commands, open; p95 / budget for keys and "
          "update; peak / (minimal app + 5 x store) for RSS. Targets are issue 9's (and "
          "issue 4's for the storage rows), where it sets them; '-' has none.")


def compile_planterm() -> None:
    """Planterm's bytecode, as an installed planterm has it (pip compiles on install)."""
    import planterm

    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(planterm.__file__).parent)],
                   env=child_env(), stdout=subprocess.DEVNULL, check=True)


def log(text: str) -> None:
    """Progress, on stderr, so that stdout is the table alone."""
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
