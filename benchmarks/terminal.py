"""A whole process in a real pseudo-terminal, its screen bytes read back as text.

The child runs in a pty of a fixed size with TERM=xterm-256color. Everything it writes
is drained as it comes (so it never blocks on a full pty), decoded, stripped of escape
sequences (Textual draws a line in pieces: cursor moves and colours between them) and
kept as one growing text, in which the harness waits for words to appear. Times are
taken when the read that completed a word returned, never on a placeholder frame.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence
from pathlib import Path

COLUMNS, ROWS = 120, 40
"""The terminal the planner is measured in."""

ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window title and the like
    r"|\x1b[P_^X][^\x1b]*\x1b\\"  # DCS, APC, PM, SOS strings
    r"|\x1b[ -/]*[0-OQ-WYZ\\`-~]"  # any other escape (not the openers above)
)

LIVE: set[int] = set()
"""Pids of the children still running, killed by ``kill_all`` whatever happens."""


class Timeout(RuntimeError):
    """The screen did not show what was waited for in time."""


class Terminal:
    """One child process in a pseudo-terminal, its output kept as plain text."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the program can ask, then run it
            try:
                size = struct.pack("HHHH", ROWS, COLUMNS, 0, 0)
                fcntl.ioctl(0, termios.TIOCSWINSZ, size)
                os.execve(argv[0], list(argv), env)
            finally:
                os._exit(127)
        LIVE.add(pid)
        self.pid, self.fd = pid, fd
        self.argv = argv
        self.text = ""
        self.mark = 0
        self.pending = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.status: int | None = None
        self.seen = self.started
        """When the last read returned (perf_counter)."""

    def _read(self, timeout: float) -> bool:
        """Read what the child wrote within ``timeout`` seconds; False if nothing came."""
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        if not chunk:
            self._reap(block=True)
            raise Timeout(f"{' '.join(self.argv[1:])}: the program ended (status "
                          f"{self.status}); its screen ended with: {self.text[-300:]!r}")
        self.seen = time.perf_counter()
        self._take(self.pending + self.decoder.decode(chunk))
        return True

    def _take(self, raw: str) -> None:
        """Add decoded output to the text, holding back an escape sequence cut in two."""
        cut = raw.rfind("\x1b")
        if cut >= 0 and not ESCAPE.match(raw, cut) and len(raw) - cut < 4096:
            raw, self.pending = raw[:cut], raw[cut:]
        else:
            self.pending = ""
        self.text += ESCAPE.sub("", raw)

    def wait_for(self, *words: str, timeout: float) -> float:
        """When (perf_counter) the last of ``words`` appeared after the mark; then mark."""
        deadline = time.perf_counter() + timeout
        while True:
            found = [self.text.find(w, self.mark) for w in words]
            if min(found) >= 0:
                self.mark = max(at + len(w) for at, w in zip(found, words, strict=True))
                return self.seen
            left = deadline - time.perf_counter()
            if left <= 0:
                missing = [w for w, at in zip(words, found, strict=True) if at < 0]
                raise Timeout(f"{missing} not on screen after {timeout:.0f} s; the screen "
                              f"ended with: {self.text[-300:]!r}")
            self._read(left)

    def settle(self, quiet: float = 0.05, limit: float = 5.0) -> None:
        """Drain output until none came for ``quiet`` seconds (or ``limit`` passed); mark."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self._read(quiet):
            pass
        self.mark = len(self.text)

    def press(self, keys: str) -> float:
        """Write ``keys`` as the terminal would send them; the perf_counter time of writing."""
        self.mark = len(self.text)
        at = time.perf_counter()
        os.write(self.fd, keys.encode())
        return at

    def peak_rss(self) -> int:
        """The child's peak resident memory so far (VmHWM), in bytes."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        kib = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if kib is None:
            raise RuntimeError(f"no VmHWM in /proc/{self.pid}/status")
        return int(kib.group(1)) * 1024

    def _reap(self, block: bool) -> bool:
        """Collect the child's exit status; True once it has ended."""
        if self.status is not None:
            return True
        pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid == 0:
            return False
        self.status = os.waitstatus_to_exitcode(status)
        LIVE.discard(self.pid)
        return True

    def quit(self, timeout: float = 10.0) -> None:
        """Press ``q`` and wait for the child to end, killing it if it will not."""
        with contextlib.suppress(OSError):
            os.write(self.fd, b"q")
        deadline = time.perf_counter() + timeout
        try:
            while not self._reap(block=False) and time.perf_counter() < deadline:
                self._read(0.05)
        except Timeout:
            pass  # the child closed the terminal: it has ended
        finally:
            self.close()

    def close(self) -> None:
        """Kill the child if it still runs and close the terminal."""
        if not self._reap(block=False):
            kill(self.pid)
            self._reap(block=True)
        os.close(self.fd)


def kill(pid: int) -> None:
    """SIGKILL one of our children, if it is still there."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def kill_all() -> None:
    """Kill every child still running (on any exit of the harness)."""
    for pid in list(LIVE):
        kill(pid)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        LIVE.discard(pid)
