"""Run a terminal program in a real pseudo-terminal and watch what it writes.

`PtyProcess` starts a command on the slave side of `os.openpty()` (window size set with
TIOCSWINSZ, the pty made the child's controlling terminal, TERM passed in the
environment), records every chunk the program writes with the `time.perf_counter()`
at which it was read, and sends keys. `Screen` is a deliberately small terminal emulator:
it understands what Textual writes for a frame (cursor positioning, erase, SGR colours,
which it ignores, and text) well enough to tell which characters are on the screen.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence

from rich.cells import cell_len

#: Escape sequences for the keys the benchmarks press (xterm, normal cursor mode).
KEYS = {"right": b"\x1b[C", "left": b"\x1b[D", "q": b"q"}


def _become_controlled() -> None:
    """preexec_fn: make the pty (already stdin) the child's controlling terminal.

    subprocess runs setsid() for start_new_session=True before this, so the child leads
    a new session without a controlling terminal; TIOCSCTTY gives it the pty, as a
    terminal emulator or sshd would. SIGHUP goes back to its default in case the
    benchmark itself runs under nohup."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


class PtyProcess:
    """A command running in a fresh pty of `cols` x `rows`.

    `t_start` is the perf_counter() just before the process is spawned, so times
    measured against it include fork/exec and the whole interpreter start-up.
    `chunks` holds every (perf_counter time, bytes) read from the master side.
    """

    def __init__(self, argv: Sequence[str], cols: int = 80, rows: int = 24,
                 env: dict[str, str] | None = None, cwd: str | None = None) -> None:
        self.cols, self.rows = cols, rows
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.master = master
        self.chunks: list[tuple[float, bytes]] = []
        self.t_start = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
            start_new_session=True, preexec_fn=_become_controlled, close_fds=True)
        os.close(slave)

    # ----------------------------------------------------------------- reading

    def _read_available(self, timeout: float) -> bool:
        """Read whatever arrives within `timeout` seconds; False on timeout or EOF."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the slave side (it exited)
            return False
        if not data:
            return False
        self.chunks.append((time.perf_counter(), data))
        return True

    def read_until_quiet(self, quiet: float, timeout: float,
                         ready: Callable[[], bool] | None = None) -> tuple[int, float | None]:
        """Read until `ready()` holds (if given) and then nothing arrives for `quiet`
        seconds, or until `timeout` seconds have passed, or the child exits.

        Returns (index of the first chunk read by this call, time of the last chunk read
        by this call or None if nothing came)."""
        first = len(self.chunks)
        deadline = time.perf_counter() + timeout
        while True:
            now = time.perf_counter()
            if now >= deadline:
                break
            waiting_for_content = ready is not None and not ready()
            wait = deadline - now if waiting_for_content else min(quiet, deadline - now)
            if not self._read_available(wait):
                if waiting_for_content and self.proc.poll() is None and \
                        time.perf_counter() < deadline:
                    continue
                break
        last = self.chunks[-1][0] if len(self.chunks) > first else None
        return first, last

    def output_since(self, index: int) -> bytes:
        """Every byte read from chunk `index` on."""
        return b"".join(data for _, data in self.chunks[index:])

    # ----------------------------------------------------------------- writing

    def press(self, key: str) -> float:
        """Send one key; returns the perf_counter() just before the write."""
        t = time.perf_counter()
        os.write(self.master, KEYS.get(key, key.encode()))
        return t

    def close(self) -> None:
        """Stop the child (SIGTERM to its process group, then SIGKILL) and close the pty."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                # keep draining so the child never blocks writing its exit sequences
                deadline = time.perf_counter() + 3
                while self.proc.poll() is None and time.perf_counter() < deadline:
                    self._read_available(0.05)
            finally:
                if self.proc.poll() is None:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        os.close(self.master)

    def __enter__(self) -> PtyProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------ a tiny emulator

_CSI = re.compile(r"\x1b\[([0-9;?<>=$]*)([ -/]*)([@-~])")
_OTHER_ESC = re.compile(r"\x1b(?:[()][0-9A-Za-z]|[=>78DEMc]|P.*?\x1b\\|\].*?(?:\x07|\x1b\\))",
                        re.S)


class Screen:
    """The characters on a `cols` x `rows` terminal after some output.

    Handles what Textual's frames are made of: CUP/HVP (`ESC[r;cH`), the relative cursor
    moves, EL/ED erases, CR/LF/BS, and printable text (wide characters take two cells).
    Colours and modes are parsed and ignored. Enough to check what a frame shows; not a
    general terminal."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""

    def feed(self, data: bytes) -> None:
        """Apply more output (may end in the middle of an escape sequence)."""
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch == "\x1b":
                m = _CSI.match(text, i) or _OTHER_ESC.match(text, i)
                if m is None:
                    if n - i < 64 and "\x1b" not in text[i + 1:]:
                        self._pending = text[i:]  # incomplete: wait for the rest
                        return
                    i += 1
                    continue
                if m.re is _CSI:
                    self._csi(m.group(1), m.group(3))
                i = m.end()
                continue
            if ch == "\r":
                self.x = 0
            elif ch == "\n":
                self.y = min(self.rows - 1, self.y + 1)
            elif ch == "\b":
                self.x = max(0, self.x - 1)
            elif ch >= " ":
                self._put(ch)
            i += 1

    def _put(self, ch: str) -> None:
        width = cell_len(ch)
        if width == 0 or not (0 <= self.y < self.rows):
            return
        if self.x < self.cols:
            self.grid[self.y][self.x] = ch
            if width == 2 and self.x + 1 < self.cols:
                self.grid[self.y][self.x + 1] = ""
        self.x = min(self.cols, self.x + width)

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", ">", "<", "=")):
            return  # private modes and queries: no effect on the cells
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def arg(i: int, default: int) -> int:
            return nums[i] if len(nums) > i and nums[i] else default

        if final in "Hf":
            self.y = min(self.rows - 1, arg(0, 1) - 1)
            self.x = min(self.cols - 1, arg(1, 1) - 1)
        elif final == "A":
            self.y = max(0, self.y - arg(0, 1))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + arg(0, 1))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + arg(0, 1))
        elif final == "D":
            self.x = max(0, self.x - arg(0, 1))
        elif final == "G":
            self.x = min(self.cols - 1, arg(0, 1) - 1)
        elif final == "K":
            mode = arg(0, 0) if nums else 0
            row = self.grid[self.y]
            lo, hi = {0: (self.x, self.cols), 1: (0, self.x + 1)}.get(mode, (0, self.cols))
            for x in range(lo, min(hi, self.cols)):
                row[x] = " "
        elif final == "J":
            mode = arg(0, 0) if nums else 0
            rows = {0: range(self.y + 1, self.rows), 1: range(0, self.y)}.get(
                mode, range(self.rows))
            for y in rows:
                self.grid[y] = [" "] * self.cols
            if mode in (0, 1):
                self._csi(str(mode), "K")
        # m (SGR) and everything else: no effect on which characters are shown

    def lines(self) -> list[str]:
        """The screen as text, one string per row (trailing blanks kept)."""
        return ["".join(row) for row in self.grid]

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines())
