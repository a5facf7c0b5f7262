"""How the grader's processes talk: framed JSON over pipes, and signed lines between the parent and its workers.

- ``write_frame`` / ``FrameReader``: an 8-byte length, then that many bytes of
  JSON (the worker <-> kernel pipes).  The reader keeps partial data across
  timeouts and refuses frames over ``MAX_FRAME``.
- ``sign`` / ``verify``: one JSON line per message between the parent and a
  worker, authenticated with HMAC-SHA256 under a key the parent gives the
  worker on its private stdin before any kernel exists.  A line that does not
  verify is not a message.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import select
import struct
import time
from typing import Any

HEADER = struct.Struct(">Q")
MAX_FRAME = 96 * 2**20
MAX_LINE = 4 * 2**20
ATOMIC = 4000  # bytes: a write up to PIPE_BUF (4096 on Linux) reaches the reader in one piece


class FrameError(Exception):
    """A frame that cannot be read (over the size limit, or not JSON)."""


def write_frame(fd: int, data: Any) -> None:
    """Send ``data`` as one frame (blocking until written)."""
    payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
    view = memoryview(HEADER.pack(len(payload)) + payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_frame_until(fd: int, data: Any, deadline: float) -> None:
    """Send ``data`` as one frame, giving up (TimeoutError) if the reader does not take it before ``deadline``."""
    payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
    view = memoryview(HEADER.pack(len(payload)) + payload)
    os.set_blocking(fd, False)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        _, ready, _ = select.select([], [fd], [], remaining)
        if not ready:
            raise TimeoutError
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            continue
        view = view[written:]


def read_frame(fd: int) -> Any:
    """Read one frame, blocking (the kernel's side)."""
    return FrameReader(fd).read(None)


class FrameReader:
    """Reads frames from a pipe with a deadline, keeping what arrived of a frame when time runs out."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()

    def read(self, deadline: float | None) -> Any:
        """The next frame's data; ``TimeoutError`` at ``deadline`` (monotonic), ``EOFError`` if the pipe closed."""
        header = self._take(HEADER.size, deadline)
        (size,) = HEADER.unpack(header)
        if size > MAX_FRAME:
            raise FrameError(f"frame of {size} bytes is over the limit")
        payload = self._take(size, deadline)
        try:
            return json.loads(payload)
        except (ValueError, RecursionError, UnicodeDecodeError):
            raise FrameError("frame is not JSON") from None

    def _take(self, size: int, deadline: float | None) -> bytes:
        while len(self.buffer) < size:
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                ready, _, _ = select.select([self.fd], [], [], remaining)
                if not ready:
                    raise TimeoutError
            chunk = os.read(self.fd, max(size - len(self.buffer), 1 << 16))
            if not chunk:
                raise EOFError
            self.buffer += chunk
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data


def mac(key: bytes, body: str) -> str:
    """The HMAC-SHA256 of ``body`` under ``key``, in hex."""
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(key: bytes, kind: str, job: int, value: Any) -> bytes:
    """One authenticated line, ``{"body": json, "mac": hmac(body)}``, between newlines: whatever a third party
    wrote into the pipe before it (without a newline of its own) ends up on a line of its own."""
    body = json.dumps({"kind": kind, "job": job, "value": value}, separators=(",", ":"), ensure_ascii=False)
    envelope = json.dumps({"body": body, "mac": mac(key, body)}, ensure_ascii=False)
    return ("\n" + envelope + "\n").encode("utf-8")


def verify(key: bytes, line: bytes, limit: int = MAX_LINE) -> dict[str, Any] | None:
    """The message of an authenticated line, or None for anything else (forged, malformed, over ``limit`` bytes)."""
    if len(line) > limit:
        return None
    try:
        envelope = json.loads(line)
        body, tag = envelope["body"], envelope["mac"]
        if not (isinstance(body, str) and isinstance(tag, str)) or not hmac.compare_digest(mac(key, body), tag):
            return None
        message = json.loads(body)
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    if not (isinstance(message, dict) and isinstance(message.get("kind"), str) and type(message.get("job")) is int):
        return None
    return message
