"""Helpers for the serving tests and the serving benchmark: start the real server as a
subprocess, read its log, look at the process table, and a terminal client (asyncssh +
the pyte terminal emulator) that shows what a student would see."""

from __future__ import annotations

import asyncio
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncssh
import pyte

from tui_backprop.text import en, zh

ROOT = Path(__file__).resolve().parents[1]
#: The banner's last line, in each language the server may speak (its locale, --lang).
BANNER_ENDS = tuple(table["serve.banner.stop"].encode() for table in (en.MESSAGES,
                                                                       zh.MESSAGES))
#: The banner's first line in any language: the command, then its address last
#: (``tui-backprop serve ssh: listening on 127.0.0.1:PORT``, or the Chinese of it).
BANNER_HEAD = re.compile(r"tui-backprop serve (?:ssh|web)\W.* (?P<host>\S+):(?P<port>\d+)")


# ---------------------------------------------------------------------- process table


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, ppid) of ``pid`` from /proc, or None if there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = raw[raw.rindex(")") + 2:].split()
    return rest[0], int(rest[1])


def exists(pid: int) -> bool:
    """Whether ``pid`` is in the process table at all (a zombie counts)."""
    return _stat(pid) is not None


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (zombies included)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st is not None:
                parents.setdefault(st[1], []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def pss_kb(pid: int) -> int | None:
    """Proportional set size of ``pid`` in kB (from /proc/PID/smaps_rollup)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def wait_gone(pids: list[int], timeout: float) -> float | None:
    """Seconds until none of ``pids`` exists (zombies count as existing), or None."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if not any(exists(p) for p in pids):
            return time.monotonic() - start
        time.sleep(0.005)
    return None


def interrupt(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a server started as a subprocess as ctrl+c would (SIGINT; SIGKILL if it has
    not ended after ``timeout`` s) and close its pipes."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


# ---------------------------------------------------------------------------- server


class Server:
    """``tui-backprop serve ssh --port 0 ...`` in a subprocess, started the way ``nohup``
    would (SIGHUP ignored), with its host key in ``state``."""

    def __init__(self, state: Path, *args: str, pythonpath: tuple[str, ...] = ()) -> None:
        """``pythonpath``: folders before the project's on the server's PYTHONPATH."""
        self.log_path = state / "server.log"
        env = dict(os.environ, XDG_STATE_HOME=str(state),
                   PYTHONPATH=os.pathsep.join([*pythonpath, str(ROOT)]))
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        cmd = [sys.executable, "-m", "tui_backprop", "serve", "ssh", "--port", "0",
               "--log", str(self.log_path), *args]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(state),
            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
        self.pid = self.proc.pid
        self.banner = ""
        self.port = 0

    def wait_started(self, timeout: float = 60.0) -> Server:
        """Read the banner (the port, the fingerprint) and wait for "ready"."""
        sel = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        buf = b""
        while not any(end in buf for end in BANNER_ENDS):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.poll() is not None else ""
                raise RuntimeError(f"server did not start: {buf.decode()!r} {err}")
            if sel.select(0.1):
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                buf += chunk
        sel.close()
        self.banner = buf.decode()
        head = BANNER_HEAD.fullmatch(self.banner.splitlines()[0])
        if head is None:
            raise RuntimeError(f"no address on the banner's first line: {self.banner!r}")
        self.port = int(head["port"])
        while not re.search(r" ready\b", self.log()):
            if time.monotonic() > deadline:
                raise RuntimeError("server never logged 'ready'")
            time.sleep(0.05)
        return self

    def log(self) -> str:
        try:
            return self.log_path.read_text()
        except OSError:
            return ""

    def wait_log(self, pattern: str, timeout: float = 10.0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(pattern, self.log())
            if m:
                return m
            time.sleep(0.02)
        raise AssertionError(f"no log line matching {pattern!r} in:\n{self.log()}")

    def session_pids(self) -> list[int]:
        return [int(p) for p in re.findall(r"connect \S+ .* pid (\d+)", self.log())]

    def stop(self, timeout: float = 15.0) -> list[int]:
        """SIGTERM, wait, and return whatever processes it left behind (must be [])."""
        below = descendants(self.pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        wait_gone(below, 3.0)
        left = [p for p in below if exists(p)]
        for p in left:  # never leave them behind, even when the test fails
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return left


# -------------------------------------------------------------------------- terminal


async def connect(port: int, **kwargs) -> asyncssh.SSHClientConnection:
    kwargs.setdefault("username", "student")
    kwargs.setdefault("known_hosts", None)
    kwargs.setdefault("client_keys", None)
    return await asyncssh.connect("127.0.0.1", port, **kwargs)


class Terminal:
    """A student's terminal: an SSH session with a pty, drawn by pyte."""

    def __init__(self, conn: asyncssh.SSHClientConnection, cols: int, rows: int) -> None:
        self.conn = conn
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.proc: asyncssh.SSHClientProcess | None = None
        self._reader: asyncio.Task | None = None
        self.changed = asyncio.Event()

    @classmethod
    async def open(cls, conn, cols: int = 80, rows: int = 24, term: str = "xterm-256color",
                   env: dict | None = None) -> Terminal:
        t = cls(conn, cols, rows)
        # like Debian's and macOS's OpenSSH client (SendEnv LANG LC_*): a UTF-8 locale
        env = {"LANG": "en_US.UTF-8"} if env is None else env
        t.proc = await conn.create_process(term_type=term, term_size=(cols, rows),
                                           encoding=None, env=env)
        t._reader = asyncio.get_running_loop().create_task(t._read())
        return t

    async def _read(self) -> None:
        assert self.proc is not None
        while True:
            try:
                data = await self.proc.stdout.read(65536)
            except Exception:
                break
            if not data:
                break
            self.raw += data
            self.stream.feed(data)
            self.changed.set()

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, pattern: str, timeout: float = 20.0, raw: bool = False) -> None:
        """Until ``pattern`` (a regex) is on the screen (or in the bytes, ``raw``)."""
        deadline = time.monotonic() + timeout
        while True:
            hay = self.raw.decode("utf-8", "replace") if raw else self.text
            if re.search(pattern, hay):
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{pattern!r} never appeared; the screen:\n{self.text}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), min(left, 0.2))
            except TimeoutError:
                pass

    async def type(self, data: str | bytes) -> None:
        assert self.proc is not None
        self.proc.stdin.write(data.encode() if isinstance(data, str) else data)

    def resize(self, cols: int, rows: int) -> None:
        assert self.proc is not None
        self.screen.resize(rows, cols)
        self.proc.change_terminal_size(cols, rows)

    async def closed(self, timeout: float = 10.0) -> int | None:
        """Wait for the server to end the session; its exit status."""
        assert self.proc is not None and self._reader is not None
        await asyncio.wait_for(self._reader, timeout)
        await asyncio.wait_for(self.proc.wait_closed(), timeout)
        return self.proc.exit_status

    async def close(self) -> None:
        if self.proc is not None:
            self.proc.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass
