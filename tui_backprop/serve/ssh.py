"""``tui-backprop serve ssh``: every student gets their own debugger over SSH.

A real SSH server (asyncssh). Each session runs the app in its own process on its own
pseudo-terminal, with the client's ``TERM`` and window size; window changes are passed
on; the process is the leader of its own session and process group, so ending it ends
everything it started. The relay between the SSH channel and the pty is this module's
job; what the app may do is :mod:`tui_backprop.serve.session`'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import fcntl
import hmac
import ipaddress
import os
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import asyncssh

from tui_backprop.serve.broker import Broker
from tui_backprop.serve.mirror import Mirrors, Viewer
from tui_backprop.serve.session import SessionOptions, client_env, session_env
from tui_backprop.serve.spawn import (
    Child,
    ExecSpawner,
    SpawnError,
    ZygoteSpawner,
    end_child,
)
from tui_backprop.text.catalogue import language_from_env, t
from tui_backprop.text.escape import printable
from tui_backprop.text.glyphs import locale_is_utf8, to_ascii

#: What the terminal is put back to when a session ends without the app doing it (a
#: crash, a kill): leave the alternate screen, show the cursor, stop mouse reports,
#: bracketed paste and focus events, pop the kitty keyboard mode, plain colours.
RESTORE_TERMINAL = (b"\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l"
                    b"\x1b[?1015l\x1b[?2004l\x1b[?1004l\x1b[<u\x1b[0m")
#: Stop reading a session's screen output while this much is waiting for a slow client.
HIGH_WATER = 256 * 1024
#: Connections (logged in or not) beyond the session cap that may wait for a slot.
EXTRA_CONNECTIONS = 16
HOST_KEY_NAME = "ssh_host_ed25519_key"
#: The user name the presenter logs in with.
PRESENTER = "presenter"
#: A session started ahead keeps what its app draws (to replay it to its student) up to
#: this much; an app that draws more while nobody watches is replaced.
READY_OUTPUT = 512 * 1024
#: Sessions are started ahead only after this long without a new connection (so that
#: starting them never competes with the students' own start-ups), one at a time.
READY_QUIET = 3.0
#: The window size sessions are started ahead at (a different client resizes it).
READY_SIZE = (80, 24)


# ------------------------------------------------------------------ options, host key


@dataclass
class SSHOptions:
    """Everything ``serve ssh`` was told (see :mod:`tui_backprop.serve.cli`)."""

    session: SessionOptions
    host: str = "127.0.0.1"
    port: int = 2222
    max_sessions: int = 60
    idle_timeout: float = 30 * 60
    password: str | None = None
    authorized_keys: str | None = None
    no_auth: bool = False
    host_key: str | None = None
    log: str | None = None
    zygote: bool = True
    #: the presenter's credentials (``presenter`` logs in with one of them, whatever the
    #: students' login is); either one makes this server a class (see broker.py)
    presenter_password: str | None = None
    presenter_keys: str | None = None
    #: sessions started ahead (``--ready N``): the first N students to connect get a
    #: session whose app is already up (see :class:`_Ready`)
    ready: int = 0
    #: followers with the same window and terminal share one drawing app (mirror.py)
    shared_screens: bool = True

    @property
    def has_presenter(self) -> bool:
        return self.presenter_password is not None or self.presenter_keys is not None


def state_dir() -> Path:
    """Where the host key lives: ``$XDG_STATE_HOME/tui-backprop`` or
    ``~/.local/state/tui-backprop``."""
    base = os.environ.get("XDG_STATE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "tui-backprop"


def load_or_create_host_key(path: Path | None = None) -> tuple[asyncssh.SSHKey, Path, bool]:
    """The server's ed25519 host key, generated (mode 600) on first use; returns the key,
    its file and whether it was just created. Keeping it is what keeps the students'
    ``known_hosts`` valid from one lecture to the next."""
    path = path or state_dir() / HOST_KEY_NAME
    if path.exists():
        return asyncssh.read_private_key(str(path)), path, False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = asyncssh.generate_private_key("ssh-ed25519", comment="tui-backprop host key")
    data = key.export_private_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    pub = path.with_name(path.name + ".pub")
    pub.write_bytes(key.export_public_key())
    return key, path, True


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def say(process: asyncssh.SSHServerProcess, key: str, **params: object) -> bytes:
    """``tui-backprop: …`` for a student's terminal, from the catalogue: in the language
    of the locale the client sent (``LANG``/``LC_*``), in ASCII English when that locale
    is not a UTF-8 one (the terminal could not show anything else)."""
    try:
        env = {k: v for k, v in dict(process.env).items() if isinstance(v, str)}
    except Exception:  # noqa: BLE001 - no environment: the default locale
        env = {}
    utf8 = locale_is_utf8(env)
    text = t(key, lang=language_from_env(env) if utf8 else "en", **params)
    return f"tui-backprop: {text if utf8 else to_ascii(text)}".encode()


def fmt_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


def describe_status(status: int | None) -> str:
    if status is None:
        return "ended"
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"


class KeysTooLarge(ValueError):
    """An authorized_keys file larger than :attr:`LIMIT` bytes."""

    LIMIT = 1024 * 1024


def read_keys(path: str) -> asyncssh.SSHAuthorizedKeys:
    """An authorized_keys file, read at most :attr:`KeysTooLarge.LIMIT` bytes of it (a
    class's keys are a few kB; the path could be /dev/zero)."""
    with open(path, "rb") as fh:
        raw = fh.read(KeysTooLarge.LIMIT + 1)
    if len(raw) > KeysTooLarge.LIMIT:
        raise KeysTooLarge(path)
    return asyncssh.import_authorized_keys(raw.decode("utf-8", "replace"))


class Log:
    """One line per event, with the time, to stderr or ``--log FILE``."""

    def __init__(self, path: str | None = None, stream: TextIO | None = None) -> None:
        self._own = path is not None
        self._stream = open(path, "a", encoding="utf-8", buffering=1) if path else (
            stream or sys.stderr)

    def __call__(self, line: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        try:
            self._stream.write(f"{stamp} {line}\n")
            self._stream.flush()
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        if self._own:
            self._stream.close()


#: Tasks nobody awaits, referenced until they are done.
_KEEP: set[asyncio.Task] = set()


def _resolve(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def set_winsize(fd: int, rows: int, cols: int) -> None:
    rows = rows if rows > 0 else 24
    cols = cols if cols > 0 else 80
    with contextlib.suppress(OSError):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


# ------------------------------------------------------------------------ the server


@dataclass
class _Session:
    who: str
    child: Child
    started: float
    ended_by_server: bool = False
    presenter: bool = False


@dataclass(eq=False)
class _Ready:
    """A session started ahead of its student (``--ready``): the app runs on its pty at
    :data:`READY_SIZE` with the environment most students send, and everything it writes
    is kept. A student whose terminal asks for the same environment takes it: the kept
    output is replayed to their terminal (the app's first screen, at once), the window
    size is set to theirs (the app redraws if it differs) and the relay takes over. In
    a class, its broker token stays *pending* until then: it is not counted, and gets the
    presenter's position when taken."""

    child: Child
    master: int
    key: tuple
    token: str | None
    output: bytearray = field(default_factory=bytearray)
    drawn: float | None = None  # when it last wrote (its first screen is up once quiet)


def _env_key(env: dict[str, str]) -> tuple:
    return tuple(sorted(env.items()))


def _default_ready_key() -> tuple:
    """The environment sessions are started ahead with until students show theirs:
    ``xterm-256color`` and the server's own locale when it is a UTF-8 one (a class
    usually shares its instructor's language), else ``en_US.UTF-8``."""
    lang = os.environ.get("LANG", "")
    if not lang.lower().replace("-", "").endswith(".utf8") or lang.startswith("C."):
        lang = "en_US.UTF-8"
    return _env_key(client_env({"LANG": lang}, "xterm-256color"))


@dataclass
class Room:
    """The running server: its options, log, spawner and sessions."""

    opts: SSHOptions
    log: Callable[[str], None]
    spawner: ZygoteSpawner | ExecSpawner
    sessions: dict[int, _Session] = field(default_factory=dict)
    reserved: int = 0
    connections: int = 0
    #: the class broker (a server with a presenter), and the keys logins are checked
    #: against (read once at start)
    broker: Broker | None = None
    student_keys: asyncssh.SSHAuthorizedKeys | None = None
    presenter_keys: asyncssh.SSHAuthorizedKeys | None = None
    #: sessions started ahead, and the environment they are started with (the most
    #: common one among the latest students)
    ready: list[_Ready] = field(default_factory=list)
    ready_key: tuple = field(default_factory=_default_ready_key)
    recent_keys: list[tuple] = field(default_factory=list)
    last_connect: float = 0.0
    _ready_task: asyncio.Task | None = None
    _ready_logged: bool = False
    #: a class's shared screens (see mirror.py) and their renderers' processes
    mirrors: Mirrors | None = None
    renderers: dict[int, Child] = field(default_factory=dict)

    @property
    def auth_required(self) -> bool:
        return not self.opts.no_auth

    # -------------------------------------------------------------- one session

    async def handle(self, process: asyncssh.SSHServerProcess) -> None:
        """asyncssh's process factory: one student's session, start to end."""
        conn = process.get_extra_info("connection")
        owner = conn.get_owner() if conn is not None else None
        who = getattr(owner, "who", "?")
        presenter = bool(getattr(owner, "presenter", False))
        try:
            await self._session(process, who, presenter)
        except Exception as exc:  # a bug here must not take the server down
            self.log(f"crash {who}: server-side {type(exc).__name__}: "
                     f"{printable(str(exc))[:200]}")
            with contextlib.suppress(Exception):
                process.stdout.write(RESTORE_TERMINAL + b"\r\n"
                                     + say(process, "serve.say.server_failed") + b"\r\n")
                process.exit(1)

    def _refuse(self, process: asyncssh.SSHServerProcess, who: str, why: str,
                message: bytes) -> None:
        self.log(f"refused {who}: {why}")
        with contextlib.suppress(Exception):
            process.stdout.write(message + b"\r\n")
            process.exit(1)

    async def _session(self, process: asyncssh.SSHServerProcess, who: str,
                       presenter: bool = False) -> None:
        term = process.get_terminal_type()
        if term is None:
            self._refuse(process, who, "no terminal (pty) requested",
                         say(process, "serve.say.no_pty", port=self.opts.port))
            return
        if len(self.sessions) + self.reserved >= self.opts.max_sessions:
            self._refuse(process, who, f"full ({self.opts.max_sessions} sessions)",
                         say(process, "serve.say.full", count=self.opts.max_sessions))
            return
        key = _env_key(client_env(dict(process.env), term))
        self._saw(key)
        ready = None if presenter else self._take_ready(key)
        if ready is not None:
            await self._run_session(process, who, presenter, term, ready.child, ready.master,
                                    ready.token, bytes(ready.output), ahead=True)
            return
        self._make_room_for_one()
        self.reserved += 1
        master = slave = -1
        options = self.opts.session
        token = None
        if self.broker is not None:
            role = "presenter" if presenter else "student"
            token = self.broker.new_token(role)
            options = dataclasses.replace(options, role=role, broker=self.broker.path,
                                          token=token)
        try:
            width, height = process.get_terminal_size()[:2]
            master, slave = os.openpty()
            set_winsize(master, height, width)
            env = session_env(dict(process.env), term)
            try:
                child = await self.spawner.spawn(slave, env, options)
            except SpawnError as exc:
                self.log(f"crash {who}: could not start a session: {exc}")
                process.stdout.write(say(process, "serve.say.start_failed") + b"\r\n")
                process.exit(1)
                return
            finally:
                os.close(slave)
        except BaseException:
            if master >= 0:
                os.close(master)
            raise
        finally:
            self.reserved -= 1
        await self._run_session(process, who, presenter, term, child, master, token, b"")

    async def _run_session(self, process: asyncssh.SSHServerProcess, who: str,
                           presenter: bool, term: str, child: Child, master: int,
                           token: str | None, replay: bytes, ahead: bool = False) -> None:
        """A started session, from the connect line to the disconnect line (``ahead``: it
        was started ahead, and ``replay`` is what it drew so far)."""
        width, height = process.get_terminal_size()[:2]
        started = time.monotonic()
        record = _Session(who, child, started, presenter=presenter)
        self.sessions[child.pid] = record
        viewer = None
        if self.mirrors is not None and token is not None and not presenter:
            viewer = self.mirrors.add(
                token, process.stdout.write, process.channel.get_write_buffer_size,
                (width, height), _env_key(client_env(dict(process.env), term)))
        role = " presenter" if presenter and self.broker is not None else ""
        self.log(f"connect{role} {who} TERM={printable(term)} {width}x{height} pid {child.pid} "
                 f"({len(self.sessions)}/{self.opts.max_sessions} sessions)"
                 + (" (started ahead)" if ahead else ""))
        reason = "client left"
        try:
            if ahead:
                process.stdout.write(replay)
                if (width, height) != READY_SIZE:
                    set_winsize(master, height, width)
                if self.broker is not None and token is not None:
                    self.broker.activate(token)
            reason = await self._relay(process, master, child, viewer)
        finally:
            if viewer is not None:
                self.mirrors.remove(viewer)
            with contextlib.suppress(OSError):
                os.close(master)
            if child.running:
                record.ended_by_server = True
                await end_child(child)
            self.sessions.pop(child.pid, None)
            if self.broker is not None:
                self.broker.forget(token)
        status = child.exited.result() if child.exited.done() else None
        crashed = (not record.ended_by_server and status is not None and status != 0)
        duration = fmt_duration(time.monotonic() - started)
        if crashed:
            self.log(f"crash {who} pid {child.pid}: {describe_status(status)}")
            reason = "the app crashed"
        self.log(f"disconnect {who} after {duration} ({reason})")
        if reason == "client left":
            return
        if crashed and status == -signal.SIGXCPU:
            note = say(process, "serve.say.cpu", seconds=self.opts.session.cpu_seconds)
        elif crashed:
            note = say(process, "serve.say.crashed")
        elif reason == "idle":
            note = say(process, "serve.say.idle",
                       duration=fmt_duration(self.opts.idle_timeout))
        elif record.ended_by_server:
            # the server is stopping: the app was ended before it could give the
            # student's terminal back (main screen, cursor, no mouse reports)
            note = say(process, "serve.say.stopped")
        else:
            note = b""
        with contextlib.suppress(Exception):
            if note:
                process.stdout.write(RESTORE_TERMINAL + b"\r\n" + note + b"\r\n")
            process.exit(1 if crashed or reason == "idle" else 0)

    # -------------------------------------------------------------- shared screens

    async def _spawn_renderer(self, size: tuple[int, int], env_key: tuple,
                              token: str) -> tuple[int, int, asyncio.Future]:
        """Start a shared screen's renderer (see mirror.py): a following session of
        the group's window size and environment that nobody types into. It has no CPU
        allowance of its own: it only ever follows the presenter."""
        master, slave = os.openpty()
        try:
            set_winsize(master, size[1], size[0])
            env = dict(env_key)
            options = dataclasses.replace(self.opts.session, role="mirror",
                                          broker=self.broker.path, token=token,
                                          cpu_seconds=0)
            child = await self.spawner.spawn(slave, session_env(env, env.get("TERM", "")),
                                             options)
        except (SpawnError, OSError) as exc:
            os.close(master)
            raise OSError(str(exc)) from None
        finally:
            os.close(slave)
        self.renderers[child.pid] = child
        child.exited.add_done_callback(lambda _f: self.renderers.pop(child.pid, None))
        return child.pid, master, child.exited

    async def _end_renderer(self, pid: int) -> None:
        child = self.renderers.get(pid)
        if child is not None:
            await end_child(child)

    # -------------------------------------------------------------- started ahead

    def _saw(self, key: tuple) -> None:
        """A student connected with environment ``key``: sessions are started ahead with
        the most common one among the latest 30 (the room's usual terminal)."""
        self.last_connect = time.monotonic()
        self.recent_keys = (self.recent_keys + [key])[-30:]
        self.ready_key = max(set(self.recent_keys), key=self.recent_keys.count)

    def _take_ready(self, key: tuple) -> _Ready | None:
        """A live session started ahead for environment ``key``, or None."""
        for ready in self.ready:
            if ready.key == key and ready.child.running:
                self.ready.remove(ready)
                asyncio.get_running_loop().remove_reader(ready.master)
                self._ready_output(ready, keep_reading=False)
                return ready
        return None

    def _make_room_for_one(self) -> None:
        """A session is about to start: sessions started ahead never hold a place a
        student needs (the cap counts every session process)."""
        while self.ready and (len(self.sessions) + self.reserved + len(self.ready)
                              >= self.opts.max_sessions):
            self._retire(self.ready[0])

    def _retire(self, ready: _Ready) -> None:
        """End a session started ahead that nobody took."""
        if ready in self.ready:
            self.ready.remove(ready)
        loop = asyncio.get_running_loop()
        loop.remove_reader(ready.master)
        with contextlib.suppress(OSError):
            os.close(ready.master)
        if self.broker is not None:
            self.broker.forget(ready.token)
        task = loop.create_task(end_child(ready.child))
        _KEEP.add(task)
        task.add_done_callback(_KEEP.discard)

    def _ready_output(self, ready: _Ready, keep_reading: bool = True) -> None:
        """Keep what a session started ahead draws (to replay it to its student)."""
        while True:
            try:
                data = os.read(ready.master, 65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if keep_reading and (not data or len(ready.output) + len(data) > READY_OUTPUT):
                self._retire(ready)  # it ended, or draws without a viewer: replace it
                return
            if not data:
                return
            ready.output += data
            ready.drawn = time.monotonic()

    async def _start_ready(self) -> _Ready | None:
        """Start one session ahead; returns it once its first screen is drawn."""
        loop = asyncio.get_running_loop()
        options = self.opts.session
        token = None
        if self.broker is not None:
            token = self.broker.new_token("student", pending=True)
            options = dataclasses.replace(options, role="student", broker=self.broker.path,
                                          token=token)
        key = self.ready_key
        master, slave = os.openpty()
        try:
            set_winsize(master, READY_SIZE[1], READY_SIZE[0])
            env = session_env(dict(key), dict(key).get("TERM", "xterm-256color"))
            child = await self.spawner.spawn(slave, env, options)
        except (SpawnError, OSError) as exc:
            os.close(master)
            if self.broker is not None:
                self.broker.forget(token)
            self.log(f"could not start a session ahead: {exc}")
            return None
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        ready = _Ready(child, master, key, token)
        self.ready.append(ready)
        loop.add_reader(master, self._ready_output, ready)
        child.exited.add_done_callback(lambda _f: ready in self.ready and self._retire(ready))
        # its first screen is up when it has drawn and then been quiet for a moment
        deadline = loop.time() + 10.0
        while loop.time() < deadline and ready in self.ready:
            await asyncio.sleep(0.1)
            if ready.drawn is not None and time.monotonic() - ready.drawn > 0.3:
                break
        return ready if ready in self.ready else None

    async def keep_ready(self) -> None:
        """Keep ``--ready N`` sessions up: sessions are started ahead until N students
        and the ones waiting make N (so a full room costs no more than N students would,
        and nothing is started while they work). One at a time, only when no student has
        connected for :data:`READY_QUIET` seconds, within ``--max-sessions``; ones
        started for an environment students no longer use are replaced."""
        failures = 0
        while True:
            await asyncio.sleep(0.2)
            if time.monotonic() - self.last_connect < READY_QUIET:
                continue
            stale = [r for r in self.ready if r.key != self.ready_key]
            if stale:
                self._retire(stale[0])
                continue
            students = sum(1 for r in self.sessions.values() if not r.presenter)
            want = max(0, self.opts.ready - students)
            if (len(self.ready) >= want
                    or len(self.sessions) + self.reserved + len(self.ready)
                    >= self.opts.max_sessions):
                if len(self.ready) >= want and not self._ready_logged:
                    self._ready_logged = True
                    self.log(f"started ahead: {len(self.ready)} waiting for students")
                continue
            if await self._start_ready() is None:
                failures += 1
                await asyncio.sleep(min(60.0, 2.0 ** failures))
            else:
                failures = 0

    def end_ready(self) -> list[Child]:
        """Stop starting sessions ahead; end the ones waiting (their children)."""
        if self._ready_task is not None:
            self._ready_task.cancel()
        children = [r.child for r in self.ready]
        for ready in list(self.ready):
            self._retire(ready)
        return children

    async def _relay(self, process: asyncssh.SSHServerProcess, master: int,
                     child: Child, viewer: Viewer | None = None) -> str:
        """Copy bytes both ways until the client leaves, the app ends or the session
        idles out; returns which ("client left", "app quit", "idle"). A class's
        ``viewer`` may be mirrored: then its app's own output is not passed on (the
        mirrors write its group's screen to the channel)."""
        loop = asyncio.get_running_loop()
        os.set_blocking(master, False)
        screen_done = loop.create_future()
        chan = process.channel
        reading = True

        def on_output() -> None:
            nonlocal reading
            try:
                data = os.read(master, 65536)
            except BlockingIOError:
                return
            except OSError:  # EIO: every process on the pty has gone
                data = b""
            if not data:
                loop.remove_reader(master)
                reading = False
                if not screen_done.done():
                    screen_done.set_result(None)
                return
            if viewer is not None:
                data = self.mirrors.own_output(viewer, data)
            try:
                if data:
                    process.stdout.write(data)
            except Exception:
                return
            if chan.get_write_buffer_size() > HIGH_WATER:
                loop.remove_reader(master)
                reading = False
                loop.create_task(resume())

        async def resume() -> None:
            nonlocal reading
            with contextlib.suppress(Exception):
                await process.stdout.drain()
            if not screen_done.done() and not reading:
                reading = True
                loop.add_reader(master, on_output)

        last_input = loop.time()

        async def write_all(data: bytes) -> None:
            view = memoryview(data)
            while view:
                try:
                    view = view[os.write(master, view):]
                except BlockingIOError:
                    ready = loop.create_future()
                    loop.add_writer(master, _resolve, ready)
                    try:
                        await ready
                    finally:
                        loop.remove_writer(master)

        async def keys() -> str:
            nonlocal last_input
            while True:
                try:
                    data = await process.stdin.read(4096)
                except asyncssh.TerminalSizeChanged as exc:
                    if viewer is not None:
                        self.mirrors.resized(viewer, (exc.width, exc.height))
                    set_winsize(master, exc.height, exc.width)
                    continue
                except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                    continue
                except Exception:
                    return "client left"
                if not data:
                    return "client left"
                last_input = loop.time()
                try:
                    await write_all(data)
                except OSError:
                    return "app quit"

        async def idle() -> str:
            timeout = self.opts.idle_timeout
            while True:
                remaining = last_input + timeout - loop.time()
                if remaining <= 0:
                    return "idle"
                await asyncio.sleep(min(remaining + 0.01, 60.0))

        async def closed() -> str:
            await chan.wait_closed()
            return "client left"

        async def app_ended() -> str:
            await asyncio.shield(child.exited)
            # pass on the app's last bytes (it restores the terminal) before closing
            with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(screen_done), 0.5)
            return "app quit"

        loop.add_reader(master, on_output)
        tasks = [loop.create_task(coro) for coro in (keys(), idle(), closed(), app_ended())]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            return next(iter(done)).result()
        finally:
            if reading:
                loop.remove_reader(master)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


class _Server(asyncssh.SSHServer):
    """Per-connection callbacks: authentication, the connection cap, the log."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self.who = "?"
        self.user: str | None = None
        self.authenticated = False
        self.refused = False
        #: logged in as the presenter (with the presenter's credential)
        self.presenter = False
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.who = f"{peer[0]}:{peer[1]}"
        self.room.connections += 1
        if self.room.connections > self.room.opts.max_sessions + EXTRA_CONNECTIONS:
            self.refused = True
            self.room.log(f"refused {self.who}: too many connections")
            conn.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.room.connections -= 1
        if not self.authenticated and not self.refused:
            why = ("authentication failed" if self.user is not None
                   else "left before logging in")
            self.room.log(f"refused {self.who}: {why}")

    def _is_presenter(self, username: str) -> bool:
        return username == PRESENTER and self.room.opts.has_presenter

    def begin_auth(self, username: str) -> bool:
        self.user = username
        self.who = f"{printable(username)[:32]}@{self.who.split('@')[-1]}"
        # each user name is checked against its own keys: the presenter's never let a
        # student in, and a student's key never makes anyone the presenter
        keys = (self.room.presenter_keys if self._is_presenter(username)
                else self.room.student_keys)
        if self.conn is not None:
            self.conn.set_authorized_keys(keys)
        if self._is_presenter(username):
            return True  # the presenter always logs in, even with --no-auth
        return self.room.auth_required

    def auth_completed(self) -> None:
        self.authenticated = True
        self.presenter = self.user is not None and self._is_presenter(self.user)

    def password_auth_supported(self) -> bool:
        if self.user is not None and self._is_presenter(self.user):
            return self.room.opts.presenter_password is not None
        return self.room.opts.password is not None

    def validate_password(self, username: str, password: str) -> bool:
        expected = (self.room.opts.presenter_password if self._is_presenter(username)
                    else self.room.opts.password)
        if expected is None:
            return False
        return hmac.compare_digest(password.encode(), expected.encode())


# ----------------------------------------------------------------------- start, stop


class ListenError(Exception):
    """The server's address cannot be bound (``error``: the system's reason)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


async def start(opts: SSHOptions, log: Callable[[str], None],
                host_key: asyncssh.SSHKey) -> tuple[asyncssh.SSHAcceptor, Room]:
    """Listen, then start the zygote (or not); returns the acceptor and the room.

    The port is bound before the zygote is started: a port in use raises
    :class:`ListenError` before anything has started, so nothing has to be ended and the
    error is all that is said. A session asked for in the moment before the zygote is up
    starts as a new process."""
    spawner: ZygoteSpawner | ExecSpawner = ZygoteSpawner(log) if opts.zygote else ExecSpawner()
    room = Room(opts, log, spawner)
    if opts.authorized_keys is not None:
        room.student_keys = read_keys(opts.authorized_keys)
    if opts.presenter_keys is not None:
        room.presenter_keys = read_keys(opts.presenter_keys)
    if opts.has_presenter:
        # (before listening: a presenter's session always has its class)
        room.broker = broker = Broker(log)
        await broker.start()
        if opts.shared_screens:
            room.mirrors = Mirrors(broker.send_token, lambda: broker.new_token("mirror"),
                                   broker.forget, room._spawn_renderer, room._end_renderer,
                                   log)
            broker.on_mirrorable = room.mirrors.eligible
            broker.on_view = room.mirrors.renderer_view
    try:
        acceptor = await asyncssh.create_server(
            lambda: _Server(room), opts.host, opts.port,
            server_host_keys=[host_key], process_factory=room.handle, encoding=None,
            line_editor=False, allow_scp=False, agent_forwarding=False,
            x11_forwarding=False, keepalive_interval=30, keepalive_count_max=3,
            login_timeout=60, reuse_address=True)
    except OSError as exc:
        if room.broker is not None:
            await room.broker.close()
        raise ListenError(exc) from None
    try:
        await spawner.start()
    except OSError:
        pass  # no zygote (wait_ready() says so in the log): sessions start as new processes
    if opts.ready > 0:
        room._ready_task = asyncio.get_running_loop().create_task(room.keep_ready())
    return acceptor, room


async def stop(acceptor: asyncssh.SSHAcceptor, room: Room) -> None:
    """Stop listening, end every session, stop the zygote."""
    acceptor.close()
    waiting = room.end_ready()
    for record in list(room.sessions.values()):
        record.ended_by_server = True
    await asyncio.gather(*(end_child(r.child) for r in list(room.sessions.values())),
                         *(end_child(c) for c in waiting), return_exceptions=True)
    if room.mirrors is not None:
        await room.mirrors.close()
    await room.spawner.close()
    if room.broker is not None:
        await room.broker.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(acceptor.wait_closed(), 2.0)


def key_type(key: asyncssh.SSHKey) -> str:
    """The key's type as ``ssh`` names it when it asks about a fingerprint (``ED25519``,
    ``RSA``, ``ECDSA``)."""
    name = key.algorithm.decode("ascii", "replace")
    return "ECDSA" if name.startswith("ecdsa-") else name.removeprefix("ssh-").upper()


def banner(opts: SSHOptions, key: asyncssh.SSHKey, key_path: Path, created: bool,
           scenario_count: int) -> str:
    """What the instructor sees at start, in the run's language: the students' command
    and the fingerprint (the words: :func:`tui_backprop.serve.cli.ssh_banner`)."""
    from tui_backprop.serve.cli import ssh_banner

    return ssh_banner(opts, key.get_fingerprint("sha256"), key_type(key), str(key_path),
                      created, scenario_count)


def run(opts: SSHOptions, scenario_count: int) -> int:
    """Serve until SIGINT/SIGTERM; returns the exit code."""
    log = Log(opts.log)
    key, key_path, created = load_or_create_host_key(
        Path(opts.host_key) if opts.host_key else None)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        stopping = loop.create_future()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: stopping.done() or stopping.set_result(None))
        # the instructor's terminal closing ends the server and its sessions, unless it
        # was started to outlive it (nohup: SIGHUP ignored)
        if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
            loop.add_signal_handler(signal.SIGHUP,
                                    lambda: stopping.done() or stopping.set_result(None))
        try:
            acceptor, room = await start(opts, log, key)
        except ListenError as exc:
            from tui_backprop.serve.cli import listen_failed

            listen_failed(opts.host, opts.port, exc.error)  # the one line, nothing else
            return 2
        if opts.port == 0:  # --port 0: the one the system picked
            opts.port = acceptor.get_port()
        print(banner(opts, key, key_path, created, scenario_count), flush=True)
        if isinstance(room.spawner, ZygoteSpawner) and not await room.spawner.wait_ready():
            log("zygote failed to start; sessions start as new processes (slower)")
        fast = isinstance(room.spawner, ZygoteSpawner) and room.spawner.alive
        log("ready" + (" (sessions fork from a pre-imported parent)" if fast else ""))
        await stopping
        log(f"stopping: ending {len(room.sessions)} sessions")
        await stop(acceptor, room)
        log("stopped")
        return 0

    try:
        return asyncio.run(main())
    finally:
        log.close()
