"""Serving benchmark: a room of SSH clients on one machine (loopback only).

Run: python benchmarks/bench_serve.py [--clients 30] [--duration 60] [--rate 5]
                                      [--baseline 20] [--no-exec-compare]

Starts the real server (``tui-backprop serve ssh --no-auth --port 0 --open SCENARIO``)
as a subprocess and drives it with asyncssh clients in this process, all on 127.0.0.1.

Every client is an 80x24 terminal with ``LANG=en_US.UTF-8`` (English, Unicode borders).
The first client emulates the whole screen and learns which rows hold the status bar
and the footer; the others then keep only those rows' cells (the cursor is still
followed through every byte), so 31 emulators stay cheap; their CPU is reported.

1. Baseline, one session: time from the start of the connection to its first full
   screen (the emulated status bar shows ``step 1/N`` and the footer ``quit``), then
   keys at ``--rate`` per second for ``--baseline`` seconds (keystroke-to-echo below).
2. Connection storm: ``--clients`` clients connect at once. For each, the time from the
   moment the storm started to its first full screen; the figure is the slowest.
3. Room load: every session presses a step key ``--rate`` times a second for
   ``--duration`` seconds, each with its own random phase. The keys walk the timeline
   (``n`` to the last step, then ``p`` back), so every key must change the step shown.
   *Keystroke to echo*: from just before the key is written to the SSH channel to the
   arrival of the bytes after which the client's terminal (a pyte screen fed every byte
   the session sends) shows that key's step in the status bar (so it includes encryption
   both ways, the server's relay, the app and its rendering). The app's encoder sends
   only changed cells (a step from 12 to 13 may send one digit), so the step is read
   from the emulated screen, never from the bytes.
   *Merged*: a key whose step never appeared because the next key's did first (two keys
   drawn in one frame). *Errors*: keys never echoed within 2 s, and failed sessions.
4. Memory: proportional set size (``Pss`` from /proc/PID/smaps_rollup) of every
   session, of the zygote, and of the server process, while the room is connected.
5. Exit: every client disconnects at once; the time until every session process is gone
   from the process table (zombies count as present). Then the server is stopped and
   nothing it started may remain.
5b. (Unless ``--no-ready``) the storm again against a server started with ``--ready
   CLIENTS`` once it has started them ahead: the time to start them, the storm's first
   screens, the PSS of a waiting session.
6. (Unless ``--no-exec-compare``) the storm again against a server started with
   ``--no-zygote`` (a new Python per session), to show what the zygote buys.
7. (Unless ``--no-follow``) a class: a server with ``--presenter-password``, one
   presenter and ``--clients`` followers; the presenter presses a step key ``--rate``
   times a second for ``--follow-duration`` seconds. *Presenter step to follower
   screen*: from just before the presenter's key is written to the arrival, at each
   follower, of the bytes after which its emulated status bar shows that step (every
   follower's, for every key). The same
   run first measures one presenter with a single follower, as the baseline. All the
   followers have the same window and terminal, as a room of laptops mostly does, so
   the server shares their screens (serve/mirror.py: one renderer draws, the server
   copies); the part is then run again against a server started with
   ``--no-shared-screens`` (every follower draws every step), the comparison
   (``--follow-modes shared`` skips it). The CPU per step counts the renderers too.
   ``--follow-only`` runs just this part.

``--room-only`` runs parts 1 to 5. ``--minimal-app`` runs them with every session
running the smallest Textual app that steps like the debugger (``MinimalStepApp`` in
benchmarks/minimal_app.py: a header, a ``step N/M`` line and a footer; the server is
unchanged, benchmarks/minimal_session/sitecustomize.py swaps the app in): the floor of
one Textual app per session over SSH on this machine, against which the room's figures
are read.

Every process this starts is ended (and checked) before it exits; every wait is bounded.
The machine is shared: the load average at the start and end is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyte

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from serve_util import Server, connect, descendants, exists, pss_kb, wait_gone  # noqa: E402

STEP = re.compile(r"step (\d+)/(\d+)")
#: The clients' terminal size.
COLS, LINES = 80, 24
#: What every client sends: a UTF-8 English locale (like OpenSSH's ``SendEnv LANG``), so
#: the app speaks English and the step reads ``step N/M``.
CLIENT_ENV = {"LANG": "en_US.UTF-8"}


class RowScreen(pyte.Screen):
    """A pyte screen that keeps the characters of only some ``rows`` (None: all).

    The app's frames place every span with an absolute cursor move (its encoder rewrites
    only changed cells), so a client that only needs the status row must still follow the
    cursor through every byte, but need not store the cells of other rows or any colour:
    on other rows a run of text only moves the cursor. That keeps 31 emulated terminals
    cheap on a 2-core machine. Colours are ignored everywhere."""

    def __init__(self, columns: int, lines: int, rows: set[int] | None = None) -> None:
        super().__init__(columns, lines)
        self.rows = rows

    def draw(self, data: str) -> None:
        if self.rows is None or self.cursor.y in self.rows:
            super().draw(data)
        else:  # the English screen has no wide characters
            self.cursor.x = min(self.cursor.x + len(data), self.columns)

    def select_graphic_rendition(self, *attrs, **kwargs) -> None:
        pass

    def row(self, y: int) -> str:
        line = self.buffer[y]
        return "".join(line[x].data for x in range(self.columns))


#: The two sequences that make up most of the app's output: a colour (ignored here) and
#: an absolute cursor move; and a run of printable text.
_FAST = re.compile(r"(\x1b\[[0-9;:]*m)|\x1b\[(\d*);(\d*)H|([^\x00-\x1f\x7f-\x9f]+)")
#: Any other complete control sequence or control character (handed to pyte's parser).
_OTHER = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                    r"|\x1b[()#%].|\x1b[^\[\]()#%]|[\x00-\x1a\x1c-\x1f\x7f-\x9f]", re.S)


class FastStream:
    """Feeds a session's bytes to a pyte screen: colours and cursor moves (most of the
    app's output) are applied directly, text goes to the screen's ``draw``, and every
    other sequence through pyte's own parser, one complete sequence at a time (a
    sequence cut at the end of a chunk waits for the next chunk). The result is the
    screen pyte's ``ByteStream`` would draw, at a fraction of the CPU: the benchmark's
    baseline client checks that, chunk by chunk, against a plain ``ByteStream``."""

    def __init__(self, screen: pyte.Screen) -> None:
        self.screen = screen
        self.stream = pyte.Stream(screen)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.carry = ""

    def feed(self, data: bytes) -> None:
        text = self.carry + self.decoder.decode(data)
        self.carry = ""
        screen, fast, other = self.screen, _FAST.match, _OTHER.match
        pos, end = 0, len(text)
        while pos < end:
            m = fast(text, pos)
            if m is not None:
                if m.group(4) is not None:
                    screen.draw(m.group(4))
                elif m.group(1) is None:
                    screen.cursor_position(int(m.group(2) or 1), int(m.group(3) or 1))
                pos = m.end()
                continue
            m = other(text, pos)
            if m is not None:
                self.stream.feed(m.group())
                pos = m.end()
            elif end - pos < 256:  # a sequence cut at the end of the chunk
                self.carry = text[pos:]
                break
            else:  # not a sequence pyte knows either: let it decide
                self.stream.feed(text[pos])
                pos += 1


#: (status row, footer row) of the first full screen, learned by the first client that
#: emulates the whole screen; later clients then emulate only those rows.
LAYOUT: dict[str, tuple[int, int]] = {}


class Client:
    """One student: an SSH session at 80x24 whose output drives a terminal emulator
    (pyte); the step shown is read from the status row of the emulated screen."""

    def __init__(self, port: int, layout: str = "student", check: bool = False,
                 **login) -> None:
        self.port = port
        self.login = login
        self.layout = layout
        known = LAYOUT.get(layout)
        self.screen = RowScreen(COLS, LINES, set(known) if known else None)
        self.stream = FastStream(self.screen)
        # ``check``: a plain pyte terminal beside it, compared after every chunk
        self.reference = pyte.Screen(COLS, LINES) if check else None
        self.reference_stream = pyte.ByteStream(self.reference) if check else None
        self.compared = self.mismatches = 0
        self.status_row: int | None = None
        self.parse_seconds = 0.0   # CPU this client spent in the emulator
        self.arrivals: list[tuple[int, float]] = []   # (step shown, time): a follower
        self.sent: list[tuple[int, float]] = []       # (step asked for, time): every key
        self.first_screen: float | None = None
        self.total_steps = 0
        self.shown = 1
        self.pending: list[tuple[int, float]] = []   # (expected step, time sent)
        self.latencies: list[float] = []
        self.merged = 0
        self.dropped = 0           # keys not echoed within 2 s
        self.error: str | None = None
        self.conn = None
        self.proc = None
        self.reader: asyncio.Task | None = None
        self.ready = asyncio.Event()

    async def start(self) -> None:
        try:
            self.conn = await connect(self.port, **self.login)
            self.proc = await self.conn.create_process(
                term_type="xterm-256color", term_size=(COLS, LINES), encoding=None,
                env=CLIENT_ENV)
        except Exception as exc:
            self.error = f"connect: {type(exc).__name__}: {exc}"
            self.ready.set()
            return
        self.reader = asyncio.get_running_loop().create_task(self._read())

    def _find_first_screen(self) -> bool:
        """Whether the whole first screen is up: a row shows ``step N/M`` and a row
        below it the footer's ``quit``."""
        known = LAYOUT.get(self.layout)
        rows = known if known else range(LINES)
        status = footer = None
        for y in rows:
            text = self.screen.row(y)
            if status is None and STEP.search(text):
                status = y
            elif status is not None and "quit" in text:
                footer = y
        if status is None or footer is None:
            return False
        m = STEP.search(self.screen.row(status))
        self.total_steps = int(m.group(2))
        self.shown = int(m.group(1))
        self.status_row = status
        LAYOUT.setdefault(self.layout, (status, footer))
        self.screen.rows = {status}  # from now on, only the status row is kept
        return True

    def _compare(self, data: bytes) -> None:
        """The check: the rows this client keeps, as a plain pyte terminal shows them."""
        self.reference_stream.feed(data)
        if self.stream.carry:
            return
        rows = range(LINES) if self.screen.rows is None else self.screen.rows
        self.compared += 1
        if any(self.screen.row(y) != "".join(self.reference.buffer[y][x].data
                                             for x in range(COLS)) for y in rows):
            self.mismatches += 1

    async def _read(self) -> None:
        while True:
            try:
                data = await self.proc.stdout.read(65536)
            except Exception as exc:
                self.error = self.error or f"read: {exc}"
                break
            if not data:
                break
            now = time.perf_counter()
            c0 = time.thread_time()
            self.stream.feed(data)
            if self.reference is not None:
                self._compare(data)
            if self.first_screen is None:
                if self._find_first_screen():
                    self.first_screen = now
                    self.ready.set()
                self.parse_seconds += time.thread_time() - c0
                continue
            m = STEP.search(self.screen.row(self.status_row))
            self.parse_seconds += time.thread_time() - c0
            if m is None or int(m.group(1)) == self.shown:
                continue
            shown = self.shown = int(m.group(1))
            self.arrivals.append((shown, now))
            for i, (want, sent) in enumerate(self.pending):
                if want == shown:
                    self.merged += i
                    self.latencies.append(now - sent)
                    del self.pending[: i + 1]
                    break
        self.ready.set()

    def next_key(self, position: int) -> tuple[bytes, int]:
        """The key for walk position ``position``: n up to the end, then p back."""
        span = self.total_steps - 1
        if span <= 0:
            return b"n", 1
        cycle = position % (2 * span)
        return (b"n", cycle + 2) if cycle < span else (b"p", 2 * span - cycle)

    async def press_for(self, seconds: float, rate: float) -> None:
        period = 1.0 / rate
        start = time.perf_counter() + random.random() * period
        k = 0
        while True:
            at = start + k * period
            if at - start > seconds:
                break
            delay = at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.error or self.proc is None:
                return
            key, want = self.next_key(k)
            now = time.perf_counter()
            # a key still unanswered after 2 s is an error, not a wait
            while self.pending and now - self.pending[0][1] > 2.0:
                self.pending.pop(0)
                self.dropped += 1
            self.pending.append((want, now))
            self.sent.append((want, now))
            try:
                self.proc.stdin.write(key)
            except Exception as exc:
                self.error = f"write: {exc}"
                return
            k += 1
        await asyncio.sleep(1.0)  # the last echoes

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.reader is not None:
            try:
                await asyncio.wait_for(self.reader, 5.0)
            except (TimeoutError, asyncio.CancelledError):
                self.reader.cancel()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def ms(x: float) -> str:
    return f"{x * 1000:7.1f} ms"


def private_kb(pid: int) -> int | None:
    """Memory only ``pid`` uses (Private_Clean + Private_Dirty), in kB."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None
    return sum(int(line.split()[1]) for line in lines if line.startswith("Private_"))


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (its own threads, not its children)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = raw[raw.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_split(server: Server, sessions: list[int]) -> dict[str, float]:
    me = os.times()
    return {"server": cpu_seconds(server.pid),
            "sessions": sum(cpu_seconds(p) for p in sessions),
            "clients (this process)": me.user + me.system}


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def storm_line(what: str, clients: list[Client], t0: float) -> str:
    """A storm's figures: the last and the median first screen after ``t0``, and how
    many clients never got one."""
    firsts = [c.first_screen - t0 for c in clients if c.first_screen is not None]
    failed = sum(1 for c in clients if c.first_screen is None)
    return (f"{what:<28} last first screen {ms(max(firsts))}  "
            f"median {ms(statistics.median(firsts))}  failed {failed}")


async def storm(port: int, n: int, layout: str = "student", check: bool = False
                ) -> tuple[list[Client], float]:
    clients = [Client(port, layout, check) for _ in range(n)]
    t0 = time.perf_counter()
    await asyncio.gather(*(c.start() for c in clients))
    try:
        await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in clients)), 60)
    except TimeoutError:
        pass
    return clients, t0


def session_pids(server: Server) -> list[int]:
    return [p for p in server.session_pids() if exists(p)]


def session_pids_below(server: Server) -> list[int]:
    """Session processes under the server (everything but the zygote)."""
    zyg = zygote_pid(server)
    return [p for p in descendants(server.pid) if p != zyg]


def zygote_pid(server: Server) -> int | None:
    for p in descendants(server.pid):
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes()
        except OSError:
            continue
        if b"tui_backprop.serve.zygote" in cmd:
            return p
    return None


def latency_line(name: str, clients: list[Client]) -> str:
    lat = [x for c in clients for x in c.latencies]
    merged = sum(c.merged for c in clients)
    dropped = sum(c.dropped + len(c.pending) for c in clients)
    errors = sum(1 for c in clients if c.error)
    parse = sum(c.parse_seconds for c in clients)
    return (f"{name:<28} keys {len(lat) + merged + dropped:5d}  p50 {ms(pct(lat, 50))}  "
            f"p95 {ms(pct(lat, 95))}  max {ms(max(lat) if lat else float('nan'))}  "
            f"merged {merged}  not echoed in 2 s {dropped}  failed sessions {errors}  "
            f"(emulators: {parse:.1f} CPU-s)")


PRESENTER_PASSWORD = "bench-presenter"


def stop_server(server: Server, problems: list[str], what: str = "") -> None:
    """Stop ``server``; anything it left running is a problem."""
    left = server.stop()
    if left:
        problems.append(f"left behind after stop{f' ({what})' if what else ''}: {left}")


def finish(problems: list[str]) -> int:
    """The closing lines of a run; its exit code."""
    print(f"load average at end: {loadavg()}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


async def follow_room(server: Server, followers: int, seconds: float, rate: float
                      ) -> tuple[list[float], int, int, Client, float]:
    """One presenter stepping, ``followers`` following: the delays from each presenter
    key to each follower's screen showing its step; keys not shown within 2 s; the
    presenter (its own keystroke-to-echo in ``latencies``); the CPU each session used
    per presenter step (all sessions' CPU over the keys / sessions)."""
    port = server.port
    clients, _t0 = await storm(port, followers, "follower")
    presenter = Client(port, "presenter", username="presenter", password=PRESENTER_PASSWORD)
    await presenter.start()
    await asyncio.wait_for(presenter.ready.wait(), 60)
    if presenter.first_screen is None:
        raise RuntimeError(f"the presenter never showed a screen: {presenter.error}")
    # (a shared screen starts once a group has two followers: its renderer, then the
    # ask, the answers and a first frame)
    await asyncio.sleep(4.0)
    start_cpu = [cpu_seconds(p) for p in session_pids(server)]
    print(f"{f'  presenter + {followers} following':<28} CPU per session from start to "
          f"following: median {ms(statistics.median(start_cpu))}")
    for c in clients:
        c.arrivals.clear()
    pids = session_pids(server)
    renderers = [p for p in renderer_pids(server) if exists(p)]
    if renderers:
        print(f"{'  shared screens':<28} {len(renderers)} renderer(s) drawing for "
              f"{followers} followers")
    cpu0 = sum(cpu_seconds(p) for p in pids + renderers)
    await presenter.press_for(seconds, rate)
    # the CPU of every process that draws, over the sessions (a renderer is not one)
    per_step = ((sum(cpu_seconds(p) for p in pids + renderers) - cpu0)
                / max(1, len(presenter.sent)) / max(1, len(pids)))
    keys = presenter.sent
    delays: list[float] = []
    missed = 0
    for i, (want, sent) in enumerate(keys):
        # this key's step, before a later key asks for the same step again (the walk
        # goes back and forth) and within 2 s
        until = min([sent + 2.0] + [t for w, t in keys[i + 1:] if w == want][:1])
        for c in clients:
            shown = next((t for step, t in c.arrivals if step == want and sent <= t < until),
                         None)
            if shown is None:
                missed += 1
            else:
                delays.append(shown - sent)
    failed = sum(1 for c in clients if c.error) + (1 if presenter.error else 0)
    await asyncio.gather(*(c.close() for c in clients), presenter.close())
    return delays, missed, failed, presenter, per_step


def renderer_pids(server: Server) -> list[int]:
    """The shared screens' renderers the server has started (from its log)."""
    return [int(p) for p in re.findall(r"shared screen for .*? started \(pid (\d+)\)",
                                       server.log())]


async def run_follow(args: argparse.Namespace, state: Path) -> list[str]:
    problems: list[str] = []
    for mode in args.follow_modes.split(","):
        if mode not in ("shared", "unshared"):
            raise SystemExit(f"--follow-modes: shared or unshared, not {mode!r}")
        extra = ("--no-shared-screens",) if mode == "unshared" else ()
        print(f"class, {mode} screens" + (" (--no-shared-screens)" if extra else ""))
        problems += await _run_follow(args, state, extra)
    return problems


async def _run_follow(args: argparse.Namespace, state: Path, extra: tuple[str, ...]
                      ) -> list[str]:
    problems: list[str] = []
    server = Server(state, "--no-auth", "--open", args.scenario, "--max-sessions",
                    str(args.clients + 5), "--presenter-password",
                    PRESENTER_PASSWORD, *extra).wait_started()
    try:
        for n in (1, args.clients):
            delays, missed, failed, presenter, per_step = await follow_room(
                server, n, args.follow_duration, args.rate)
            print(f"{f'class: 1 presenter, {n} following':<28} presenter step -> follower "
                  f"screen: p50 {ms(pct(delays, 50))}  p95 {ms(pct(delays, 95))}  "
                  f"max {ms(max(delays) if delays else float('nan'))}  "
                  f"({len(delays)} screens; skipped or not shown in 2 s {missed}; "
                  f"failed sessions {failed})")
            print(latency_line("  the presenter's own echo", [presenter]))
            print(f"{'  CPU per step per session':<28} {ms(per_step)} (the presenter's and "
                  f"the followers' CPU during the steps / steps / sessions)")
            # Every follower draws every step: with all of them woken by the same
            # presenter key, the CPUs need sessions x CPU-per-step / CPUs to draw the
            # last one, however they are scheduled (a floor for the max; the 95th
            # percentile follower cannot come before ~95% of it).
            sessions, cpus = n + 1, os.cpu_count() or 1
            print(f"{'  CPU floor per step':<28} {sessions} sessions x {ms(per_step).strip()} "
                  f"/ {cpus} CPUs = {ms(sessions * per_step / cpus).strip()} (the last "
                  f"follower's screen cannot come sooner)")
            if missed or failed:
                problems.append(f"class with {n} followers: {missed} screens not updated, "
                                f"{failed} failed sessions")
            wait_gone(server.session_pids(), 5.0)
    finally:
        stop_server(server, problems, "class")
    return problems


async def run(args: argparse.Namespace) -> int:
    state = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    print(f"load average at start: {loadavg()}  ({os.cpu_count()} CPUs)")
    if args.follow_only:
        return finish(await run_follow(args, state))
    common = ["--no-auth", "--open", args.scenario, "--max-sessions", str(args.clients + 5)]
    extra = (str(Path(__file__).resolve().parent / "minimal_session"),) \
        if args.minimal_app else ()
    if args.minimal_app:
        print("sessions run benchmarks/minimal_app.py's MinimalStepApp, not the debugger "
              "(--minimal-app: the floor of one Textual app per session)")
    server = Server(state, *common, pythonpath=extra).wait_started()
    problems: list[str] = []
    try:
        # 1. baseline
        clients, t0 = await storm(server.port, 1, check=True)
        base = clients[0]
        if base.first_screen is None:
            raise RuntimeError(f"baseline session never showed a screen: {base.error}")
        print(f"scenario {args.scenario}: {base.total_steps} steps")
        print(f"{'baseline: first screen':<28} {ms(base.first_screen - t0)}")
        await base.press_for(args.baseline, args.rate)
        print(latency_line(f"baseline: 1 session, {args.baseline:.0f} s", [base]))
        print(f"{'emulator check':<28} {base.mismatches} of {base.compared} chunks differ "
              "from a plain pyte terminal")
        if base.mismatches:
            problems.append(f"the fast emulator differs from pyte in {base.mismatches} chunks")
        base_pss = [pss_kb(p) for p in session_pids(server)]
        await base.close()
        wait_gone(server.session_pids(), 5.0)

        # 2. storm
        clients, t0 = await storm(server.port, args.clients)
        failed = [c.error for c in clients if c.first_screen is None]
        print(storm_line(f"storm: {args.clients} at once", clients, t0))
        await asyncio.sleep(1.0)
        start_cpu = [cpu_seconds(p) for p in session_pids(server)]
        print(f"{'CPU per session start-up':<28} median {ms(statistics.median(start_cpu))}"
              f"  (all {args.clients}: {sum(start_cpu):.1f} CPU-s on {os.cpu_count()} CPUs)")
        if failed:
            problems.append(f"storm failures: {failed[:3]}")

        # 3. load
        live = [c for c in clients if c.first_screen is not None]
        pids = session_pids(server)
        cpu0, t_load = cpu_split(server, pids), time.perf_counter()
        await asyncio.gather(*(c.press_for(args.duration, args.rate) for c in live))
        cpu1, wall = cpu_split(server, pids), time.perf_counter() - t_load
        print(latency_line(f"room: {len(live)} sessions, {args.duration:.0f} s", live))
        keys = sum(len(c.sent) for c in live)
        print(f"{'session CPU per key':<28} "
              f"{ms((cpu1['sessions'] - cpu0['sessions']) / max(keys, 1))} (all sessions' CPU "
              f"during the load / keys sent)")
        print(f"{'CPU used during the load':<28} " + ", ".join(
            f"{k} {(cpu1[k] - cpu0[k]) / wall:.2f} cores" for k in cpu0)
            + f" (wall {wall:.0f} s)")

        # 4. memory
        pids = session_pids(server)
        pss = [v for v in (pss_kb(p) for p in pids) if v is not None]
        zyg = zygote_pid(server)
        private = [v for v in (private_kb(p) for p in pids) if v is not None]
        print(f"{'private memory per session':<28} median "
              f"{statistics.median(private) / 1024:6.1f} MB (pages no other process shares)")
        print(f"{'PSS per session':<28} median {statistics.median(pss) / 1024:6.1f} MB "
              f"({statistics.median(pss):,.0f} kB; MB = 1,024 kB here)  "
              f"max {max(pss) / 1024:6.1f} MB  ({len(pss)} sessions; baseline single "
              f"session {base_pss[0] / 1024 if base_pss and base_pss[0] else float('nan'):.1f}"
              f" MB)")
        print(f"{'server process PSS':<28} {pss_kb(server.pid) / 1024:6.1f} MB;  zygote "
              f"{(pss_kb(zyg) or 0) / 1024:6.1f} MB")
        print(f"{'sum of all PSS':<28} "
              f"{(sum(pss) + pss_kb(server.pid) + (pss_kb(zyg) or 0)) / 1024:6.1f} MB")

        # 5. exit
        t_close = time.perf_counter()
        await asyncio.gather(*(c.close() for c in clients))
        gone = await asyncio.to_thread(wait_gone, pids, 10.0)
        after = time.perf_counter() - t_close
        print(f"{'all sessions gone after':<28} "
              + (ms(after) if gone is not None else "NOT within 10 s"))
        if gone is None:
            problems.append("sessions outlived their clients")
    finally:
        stop_server(server, problems)

    if args.minimal_app or args.room_only:
        return finish(problems)

    # 5b. the same storm against sessions started ahead
    if args.ready:
        server = Server(state, *common, "--ready", str(args.clients)).wait_started()
        try:
            t_fill = time.perf_counter()
            await asyncio.to_thread(server.wait_log, r"started ahead: \d+ waiting", 180.0)
            fill = time.perf_counter() - t_fill
            waiting = session_pids_below(server)
            pss = [v for v in (pss_kb(p) for p in waiting) if v is not None]
            clients, t0 = await storm(server.port, args.clients)
            ahead = server.log().count("(started ahead)")
            print(storm_line(f"storm, --ready {args.clients}", clients, t0)
                  + f"  ({ahead} of {args.clients} started ahead; starting them took "
                  f"{fill:.1f} s; PSS median of a waiting session "
                  f"{statistics.median(pss) / 1024:.1f} MB)")
            await asyncio.gather(*(c.close() for c in clients))
        finally:
            stop_server(server, problems, "--ready")

    # 6. the same storm without the zygote
    if not args.no_exec_compare:
        server = Server(state, *common, "--no-zygote").wait_started()
        try:
            clients, t0 = await storm(server.port, args.clients)
            await asyncio.sleep(1.0)
            start_cpu = [cpu_seconds(p) for p in session_pids(server)]
            pss = [v for v in (pss_kb(p) for p in session_pids(server)) if v is not None]
            print(storm_line("storm, --no-zygote", clients, t0)
                  + f"  PSS median {statistics.median(pss) / 1024:.1f} MB  start-up CPU "
                  f"median {ms(statistics.median(start_cpu))}")
            await asyncio.gather(*(c.close() for c in clients))
        finally:
            stop_server(server, problems, "--no-zygote")
    if not args.no_follow:
        problems += await run_follow(args, state)
    return finish(problems)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=30)
    p.add_argument("--duration", type=float, default=60.0)
    p.add_argument("--rate", type=float, default=5.0)
    p.add_argument("--baseline", type=float, default=20.0)
    p.add_argument("--scenario", default="cs231n-sigmoid")
    p.add_argument("--no-exec-compare", action="store_true")
    p.add_argument("--no-ready", dest="ready", action="store_false",
                   help="skip the storm against sessions started ahead (--ready)")
    p.add_argument("--follow-duration", type=float, default=30.0)
    p.add_argument("--no-follow", action="store_true")
    p.add_argument("--follow-only", action="store_true")
    p.add_argument("--follow-modes", default="shared,unshared",
                   help="the class part with shared screens (the default server), "
                   "without (--no-shared-screens), or both, in that order")
    p.add_argument("--room-only", action="store_true",
                   help="only parts 1 to 5 (baseline, storm, room load, memory, exit)")
    p.add_argument("--minimal-app", action="store_true",
                   help="parts 1 to 5 with every session running the minimal Textual app "
                   "(benchmarks/minimal_app.py's MinimalStepApp) instead of the debugger: "
                   "the floor of one Textual app per session on this machine")
    args = p.parse_args()
    limit = args.baseline + args.duration + 4 * args.follow_duration + 600
    try:
        return asyncio.run(asyncio.wait_for(run(args), limit))
    except TimeoutError:
        print(f"benchmark did not finish within {limit:.0f} s")
        return 1


if __name__ == "__main__":
    sys.exit(main())
