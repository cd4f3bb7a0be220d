"""Real programs read planterm's exports: calcurse and khal import the demo's iCalendar file
(every item, no warning, each at its local wall-clock time), and headless Chromium renders
the HTML report (a page that is not blank, no console message).

Each test skips, saying why, when its program is absent; under CI (``CI`` set) a missing
program fails the test instead, since .ci/run installs them.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from interop_support import PARIS, demo, need
from planterm.cli import run
from planterm.model import Post
from planterm.store import Store

SAMPLES = 6
"""Posts whose wall-clock time is checked in each client."""


def exported(tmp_path: Path) -> tuple[Path, Store]:
    """The demo exported to iCalendar by the command a user types."""
    store = demo(tmp_path / "data")
    target = tmp_path / "demo.ics"
    assert run(["--store", str(store), "export", "ics", "-o", str(target)]) == 0
    return target, Store(store, readonly=True)


def samples(store: Store) -> list[Post]:
    """Dated posts spread over the plan, both sides of the change to winter time."""
    dated = [p for p in store.posts() if p.scheduled]
    step = len(dated) // SAMPLES
    return dated[::step][:SAMPLES]


def local(post: Post) -> tuple[str, str]:
    """A post's local day (ISO) and time (HH:MM) in Paris."""
    assert post.scheduled is not None
    when = post.scheduled.astimezone(PARIS)
    return when.date().isoformat(), when.strftime("%H:%M")


def test_calcurse_imports_every_item_at_its_local_time(tmp_path: Path) -> None:
    need("calcurse", shutil.which("calcurse"))
    ics, store = exported(tmp_path)
    data = tmp_path / "calcurse"
    data.mkdir()
    env = {**os.environ, "TZ": "Europe/Paris"}
    done = subprocess.run(["calcurse", "-D", str(data), "-i", str(ics)], env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    dated = sum(1 for p in store.posts() if p.scheduled)
    events = len(store.events())
    assert f"{events + dated} apps / 0 events / 0 todos / 0 skipped" in done.stdout
    assert done.stderr == ""
    apts = (data / "apts").read_text()
    assert len(apts.splitlines()) == events + dated
    for post in samples(store):
        day, time = local(post)
        month_first = f"{day[5:7]}/{day[8:10]}/{day[:4]}"
        line = f"{month_first} @ {time} -> "
        assert any(row.startswith(line) and row.endswith(f"|{post.title} ({post.status})")
                   for row in apts.splitlines()), (post.title, line)


KHAL_CONFIG = """[calendars]
[[plan]]
path = {path}
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Paris
default_timezone = Europe/Paris
[default]
default_calendar = plan
"""


def test_khal_imports_every_item_without_a_warning(tmp_path: Path) -> None:
    # in the project's virtual environment, which need not be on PATH
    khal = shutil.which("khal") or shutil.which("khal", path=str(Path(sys.executable).parent))
    need("khal", khal)
    assert khal is not None
    ics, store = exported(tmp_path)
    cal = tmp_path / "khal" / "plan"
    cal.mkdir(parents=True)
    config = tmp_path / "khal" / "config"
    config.write_text(KHAL_CONFIG.format(path=cal))
    env = {**os.environ, "TZ": "Europe/Paris"}
    done = subprocess.run([khal, "-c", str(config), "import", "--batch", str(ics)], env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    assert (done.stdout, done.stderr) == ("", "")
    assert len(list(cal.iterdir())) == len(store.events()) + sum(
        1 for p in store.posts() if p.scheduled)
    for post in samples(store):
        day, time = local(post)
        listed = subprocess.run([khal, "-c", str(config), "list", "--format",
                                 "{start-time} {title}", day, "1d"], env=env,
                                capture_output=True, text=True, timeout=120, check=True)
        assert listed.stderr == ""
        assert f"{time} {post.title} ({post.status})" in listed.stdout.splitlines()


def png_pixels(path: Path) -> tuple[int, int, list[list[bytes]]]:
    """Width, height and the pixels (RGB), row by row, of an 8-bit RGB or RGBA PNG (what
    Chromium writes): enough to tell a blank page from a drawn one, with no imaging
    library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    size = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * size, [], bytes(width * size)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (
            stride + 1)])
        for x in range(stride):
            a = line[x - size] if x >= size else 0
            b, c = prev[x], prev[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                near = min((abs(p - a), 0, a), (abs(p - b), 1, b), (abs(p - c), 2, c))[2]
                line[x] = (line[x] + near) & 255
        prev = bytes(line)
        rows.append([prev[i:i + 3] for i in range(0, stride, size)])
    return width, height, rows


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    need("chromium", found)
    assert found is not None
    return subprocess.run([found, "--headless", "--no-sandbox", "--disable-gpu",
                           "--enable-logging=stderr", "--v=0", *args], capture_output=True,
                          text=True, timeout=120, check=True)


CONSOLE = re.compile(r":CONSOLE[:(]\d+\)?\] (.*)")
"""How Chromium logs a page's console message on standard error with --enable-logging."""


def test_console_messages_are_seen(tmp_path: Path) -> None:
    """The check below would see an error: a page that logs one is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<p>x</p><script>console.error("boom")</script>')
    done = chromium("--dump-dom", page.as_uri())
    assert CONSOLE.findall(done.stderr) == ['"boom", source: ' + page.as_uri() + " (1)"]


def test_the_html_report_renders_in_chromium(tmp_path: Path) -> None:
    store = demo(tmp_path / "data")
    page = tmp_path / "report.html"
    assert run(["--store", str(store), "report", "-o", str(page)]) == 0
    text = page.read_text()
    # nothing fetched: no script, no link, no source or url() pointing anywhere
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|@import", text, re.I)
    dom = chromium("--dump-dom", page.as_uri())
    assert CONSOLE.findall(dom.stderr) == []
    assert "<h2>Mix per objective against its target</h2>" in dom.stdout
    shot = tmp_path / "report.png"
    done = chromium(f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri())
    assert CONSOLE.findall(done.stderr) == []
    width, height, rows = png_pixels(shot)
    assert (width, height) == (1000, 1400)
    pixels = [pixel for row in rows for pixel in row]
    colours = set(pixels)
    assert len(colours) > 20  # text, headings, the charts' blues and orange
    assert pixels.count(b"\xff\xff\xff") < 0.97 * len(pixels)
