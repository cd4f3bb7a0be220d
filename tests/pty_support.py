"""The planner as a real process in a pseudo-terminal, for the tests that need real
bytes, real signals and a real kill. Not collected by pytest (no ``test_`` prefix)."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time as clock
from pathlib import Path


class Terminal:
    """The planner running in a pseudo-terminal of ``size``, and everything it wrote."""

    def __init__(self, store: Path, size: tuple[int, int],
                 env: dict[str, str] | None = None) -> None:
        self.master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**os.environ, **(env or {}), "TERM": "xterm-256color",
               "COLUMNS": str(columns), "LINES": str(rows)}  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planterm", "--store", str(store)],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.output = b""
        self.seen = 0
        """Where the output written since the last key press starts."""

    def read_until(self, needle: bytes, timeout: float = 20.0) -> None:
        """Read until ``needle`` is written after the last key press (or fail at timeout)."""
        deadline = clock.monotonic() + timeout
        while needle not in self.output[self.seen:]:
            left = deadline - clock.monotonic()
            if left <= 0:
                raise AssertionError(f"{needle!r} not written; last: {self.output[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the planner has ended: no more output
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{needle!r} not written before the planner ended; "
                                         f"last: {self.output[-2000:]!r}")
                self.output += chunk

    def press(self, key: bytes, then: bytes) -> None:
        """Press a key and wait until ``then`` is drawn."""
        self.seen = len(self.output)
        os.write(self.master, key)
        self.read_until(then)

    def quit(self) -> None:
        """Press q and read to the end."""
        os.write(self.master, b"q")
        deadline = clock.monotonic() + 20
        while clock.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], deadline - clock.monotonic())
            try:
                chunk = os.read(self.master, 65536) if ready else b""
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk
        assert self.process.wait(timeout=10) == 0

    def close(self) -> None:
        """Leave nothing running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
