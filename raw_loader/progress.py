"""Progress lines on stderr for long loads (one line per step, never a redrawn bar, so
that logs of a scheduled load stay readable)."""
from __future__ import annotations

import sys
import time


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def human_bytes(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"


class ReadProgress:
    """A binary file wrapper that reports how much of it has been read, every
    `every_seconds`: used where the engine pulls the file through the client (COPY)."""

    def __init__(self, handle, total_bytes: int, label: str, every_seconds: float = 5.0):
        self._handle, self._total, self._label = handle, max(total_bytes, 1), label
        self._every, self._read = every_seconds, 0
        self._started = self._last = time.monotonic()

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        self._read += len(chunk)
        now = time.monotonic()
        if now - self._last >= self._every:
            self._last = now
            rate = self._read / max(now - self._started, 1e-9)
            say(f"  {self._label}: {100 * self._read / self._total:.0f}% "
                f"({human_bytes(self._read)} of {human_bytes(self._total)}, {human_bytes(rate)}/s)")
        return chunk

    def readline(self, size: int = -1) -> bytes:
        line = self._handle.readline(size)
        self._read += len(line)
        return line
