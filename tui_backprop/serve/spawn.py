"""Starting session processes on a pty, and ending them.

Two spawners with one interface (``await spawner.spawn(slave_fd, env, options)`` gives a
:class:`Child`):

* :class:`ZygoteSpawner` forks sessions from the pre-imported zygote (~0.05 CPU-s and
  ~18 MB each instead of ~0.5 CPU-s and ~34 MB); if the zygote dies, the server carries
  on with :class:`ExecSpawner`;
* :class:`ExecSpawner` starts ``python -m tui_backprop.serve.session`` per session.

Either way a session is the leader of its own session and process group, with its pty as
controlling terminal, so :func:`end_child` can end it and anything it started at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tui_backprop.serve.session import SessionOptions, base_env

#: The folder holding the ``tui_backprop`` package: children import it from there even
#: when it is not installed (a source checkout).
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


_WAITERS: set[asyncio.Task] = set()


def _python_env(env: Mapping[str, str]) -> dict[str, str]:
    out = dict(env)
    out["PYTHONPATH"] = _PACKAGE_ROOT
    return out


@dataclass
class Child:
    """A running session process. ``exited`` resolves to its exit status (negative: the
    signal that ended it; None: unknown, its parent went away)."""

    pid: int
    exited: asyncio.Future = field(repr=False)

    @property
    def running(self) -> bool:
        return not self.exited.done()


class SpawnError(Exception):
    """A session process could not be started."""


class ExecSpawner:
    """A new Python process per session."""

    name = "exec"

    async def start(self) -> None:
        pass

    async def spawn(self, slave: int, env: Mapping[str, str], opts: SessionOptions) -> Child:
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-X", "utf8", "-m", "tui_backprop.serve.session", "--tty",
                *opts.argv(), stdin=slave, stdout=slave, stderr=slave,
                env=_python_env(env), start_new_session=True, close_fds=True)
        except OSError as exc:
            raise SpawnError(str(exc)) from exc
        loop = asyncio.get_running_loop()
        exited = loop.create_future()

        async def wait() -> None:
            code = await proc.wait()
            if not exited.done():
                exited.set_result(code)

        task = loop.create_task(wait())
        _WAITERS.add(task)  # a reference, so the task is not collected while it waits
        task.add_done_callback(_WAITERS.discard)
        return Child(proc.pid, exited)

    async def close(self) -> None:
        pass


class ZygoteSpawner:
    """Forks sessions from :mod:`tui_backprop.serve.zygote`; falls back to exec."""

    name = "zygote"

    def __init__(self, log=None) -> None:
        self._log = log or (lambda line: None)
        self._sock: socket.socket | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._ready: asyncio.Future | None = None
        self._pending: dict[int, asyncio.Future] = {}
        self._children: dict[int, asyncio.Future] = {}
        self._next_id = 0
        self._reader: asyncio.Task | None = None
        self._fallback = ExecSpawner()
        self._closing = False
        self.pid: int | None = None

    @property
    def alive(self) -> bool:
        return self._sock is not None

    async def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-X", "utf8", "-m", "tui_backprop.serve.zygote",
                str(theirs.fileno()), pass_fds=[theirs.fileno()],
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                env=_python_env(base_env()))
        finally:
            theirs.close()
        ours.setblocking(False)
        self._sock = ours
        loop = asyncio.get_running_loop()
        self._ready = loop.create_future()
        self._reader = loop.create_task(self._read())

    async def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until the zygote has imported everything (False: it failed)."""
        if self._ready is None:
            return False
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), timeout)
        except TimeoutError:
            return False
        return self._ready.done() and not self._ready.cancelled() and self._ready.result()

    async def _read(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._sock is not None
        while True:
            try:
                data = await loop.sock_recv(self._sock, 65536)
            except (OSError, asyncio.CancelledError):
                data = b""
            if not data:
                break
            try:
                msg = json.loads(data)
            except ValueError:
                continue
            if msg.get("ready"):
                self.pid = msg.get("pid")
                if self._ready is not None and not self._ready.done():
                    self._ready.set_result(True)
            elif "exit" in msg:
                fut = self._children.pop(msg["exit"], None)
                if fut is not None and not fut.done():
                    fut.set_result(msg["status"])
            elif "id" in msg:
                fut = self._pending.pop(msg["id"], None)
                if "pid" in msg:
                    # registered here, not in spawn(): the exit report may follow at once
                    self._children[msg["pid"]] = loop.create_future()
                if fut is not None and not fut.done():
                    if "pid" in msg:
                        fut.set_result(msg["pid"])
                    else:
                        fut.set_exception(SpawnError(str(msg.get("error"))))
        self._gone()

    def _gone(self) -> None:
        """The zygote ended: fail what waits on it; watch its orphans by polling."""
        if self._sock is None:
            return
        self._sock.close()
        self._sock = None
        if self._ready is not None and not self._ready.done():
            self._ready.set_result(False)
        for fut in self._pending.values():
            if not fut.done():
                fut.set_exception(SpawnError("the zygote process ended"))
        self._pending.clear()
        if not self._closing:
            self._log("zygote ended; new sessions start as new processes (slower)")
        for pid, fut in self._children.items():
            asyncio.get_running_loop().create_task(_poll_gone(pid, fut))
        self._children.clear()

    async def spawn(self, slave: int, env: Mapping[str, str], opts: SessionOptions) -> Child:
        if self._ready is not None and not self._ready.done():
            await self.wait_ready()
        if self._sock is None:
            return await self._fallback.spawn(slave, env, opts)
        loop = asyncio.get_running_loop()
        self._next_id += 1
        ident = self._next_id
        fut = loop.create_future()
        self._pending[ident] = fut
        payload = json.dumps({"id": ident, "env": dict(env),
                              "options": opts.to_dict()}).encode()
        for _ in range(1000):
            try:
                socket.send_fds(self._sock, [payload], [slave])
                break
            except BlockingIOError:
                await asyncio.sleep(0.002)
            except OSError:
                self._pending.pop(ident, None)
                return await self._fallback.spawn(slave, env, opts)
        try:
            pid = await asyncio.wait_for(fut, 10.0)
        except SpawnError:
            if self._sock is None:
                return await self._fallback.spawn(slave, env, opts)
            raise
        except TimeoutError as exc:
            self._pending.pop(ident, None)
            raise SpawnError("the zygote did not answer") from exc
        exited = self._children.get(pid)
        if exited is None:  # reported already
            exited = loop.create_future()
            exited.set_result(None)
        return Child(pid, exited)

    async def close(self) -> None:
        """Stop the zygote (it ends whatever sessions remain) and reap it."""
        self._closing = True
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
        if self._proc is not None:
            try:
                await asyncio.wait_for(self._proc.wait(), 3.0)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self._proc.kill()
                await self._proc.wait()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader


async def _poll_gone(pid: int, fut: asyncio.Future) -> None:
    """Resolve ``fut`` when ``pid`` no longer exists (its reaper is not us)."""
    while not fut.done():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            fut.set_result(None)
            return
        except PermissionError:
            pass
        await asyncio.sleep(0.05)


async def end_child(child: Child, grace: float = 0.4) -> str:
    """End a session's process group: SIGTERM, then SIGKILL after ``grace`` seconds;
    waits until it has been reaped. Returns how it ended ("exited", "terminated",
    "killed")."""
    if not child.running:
        return "exited"
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        for kill in (os.killpg, os.kill):
            try:
                kill(child.pid, sig)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            await asyncio.wait_for(asyncio.shield(child.exited), wait)
            return "terminated" if sig == signal.SIGTERM else "killed"
        except TimeoutError:
            continue
    return "killed"
