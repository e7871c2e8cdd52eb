"""Shared screens for a class's followers: one app draws, the server copies its bytes.

In a class every following student's screen shows the same thing: the presenter's
scenario, iteration and step, in the follower's layout. Letting 30 session processes
each redraw it costs 30 redraws per presenter step, which on a 2-core laptop is the
difference between a follower's screen updated in ~20 ms and in ~400 ms. So followers
whose screens would be identical (the same window size and terminal environment, and a
view the student has not changed) are *mirrored*: one extra session process of that
*group*, a **renderer**, follows the presenter and draws; the server copies what it
writes to every mirrored student's channel. A mirrored student's own app does not draw
the presenter's steps; it keeps the latest position and catches up, with a full redraw,
the moment the student does anything (a key, a click, a scroll, a resize), so exploring,
the quiz and every key work exactly as before.

The hand-over is in-band, in the byte stream each app writes to its pty, so it is
ordered with the drawing itself (private OSC sequences, which the server removes; an
app never writes one outside a served class):

* a student's app writes :data:`MIRROR_ON` when the server (through the broker) asked it
  to be mirrored and it still can be; the server drops that app's own output from then on
  and the student waits for the renderer's next full frame;
* a student's app writes :data:`MIRROR_OFF` before it draws for itself again, followed
  by a full redraw; the server passes its output on again from that byte;
* a renderer writes :data:`FRAME_BEGIN`, a full redraw, :data:`FRAME_END` when asked: the
  students waiting for a frame get it (and from then on every update); the ones already
  in step skip it.

A student whose channel backs up (congested Wi-Fi) is not sent the updates it cannot
take: it waits for the next full frame instead, so it jumps to the current screen rather
than replaying every step it missed. When a renderer ends for any reason its students are
told to draw for themselves.

This module is the server side: :class:`Scanner` (markers out of a byte stream) and
:class:`Mirrors` (groups, renderers and the copying). The app side is in
:mod:`tui_backprop.tui.follow`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from tui_backprop.text.escape import printable

_OSC = b"\x1b]7717;"
MIRROR_ON = _OSC + b"mirror-on\x07"
MIRROR_OFF = _OSC + b"mirror-off\x07"
FRAME_BEGIN = _OSC + b"frame-begin\x07"
FRAME_END = _OSC + b"frame-end\x07"
_MARKERS = {m: m[len(_OSC):-1].decode() for m in (MIRROR_ON, MIRROR_OFF, FRAME_BEGIN,
                                                   FRAME_END)}
_LONGEST = max(len(m) for m in _MARKERS)

#: A group gets a renderer once this many of its students can be mirrored (a group of
#: one draws for itself: a renderer would only add a process).
MIN_GROUP = 2
#: A renderer nobody has used for this long is ended.
RENDERER_IDLE = 60.0
#: After a renderer failed to start or ended on its own, its group waits this long.
RENDERER_BACKOFF = 10.0
#: A frame asked for and not begun after this long is asked for again.
FRAME_RETRY = 0.5
#: A renderer with students is asked for a frame at least this often (the students
#: already in step skip it): how the server knows it still draws.
HEARTBEAT = 2.0
#: A renderer that has not begun a frame this long after the first ask is stuck (stopped,
#: starved, looping): it is ended and its students draw for themselves.
RENDERER_STUCK = 5.0
#: A student whose channel holds more than this is not sent updates until it has drained
#: below :data:`LOW_WATER`, then gets a full frame.
HIGH_WATER = 64 * 1024
LOW_WATER = 8 * 1024
#: How often the groups are looked after (frames, backed-up students, idle renderers).
TICK = 0.1


def _describe(key: tuple) -> str:
    """A group for the log: its window size and the terminal environment it shares."""
    cols, rows, env = key
    said = " ".join(f"{name}={printable(value)}" for name, value in env)
    return f"{cols}x{rows}" + (f" ({said})" if said else "")


class Scanner:
    """Splits a byte stream into bytes and the markers in it (by name), across reads."""

    def __init__(self) -> None:
        self._carry = b""

    def feed(self, data: bytes) -> list[bytes | str]:
        if self._carry:
            data, self._carry = self._carry + data, b""
        out: list[bytes | str] = []
        start = 0
        while True:
            i = data.find(_OSC, start)
            if i < 0:
                end = len(data)
                # a marker may begin at the end of this read: keep that tail
                for k in range(min(len(_OSC) - 1, end - start), 0, -1):
                    if data.endswith(_OSC[:k]):
                        end -= k
                        self._carry = data[end:]
                        break
                if end > start:
                    out.append(data[start:end])
                return out
            j = data.find(b"\x07", i, i + _LONGEST)
            if j < 0 and len(data) - i < _LONGEST:
                if i > start:
                    out.append(data[start:i])
                self._carry = data[i:]
                return out
            name = _MARKERS.get(data[i:j + 1]) if j >= 0 else None
            if name is None:  # not one of ours: passed on as it is
                out.append(data[start:i + len(_OSC)])
                start = i + len(_OSC)
                continue
            if i > start:
                out.append(data[start:i])
            out.append(name)
            start = j + 1


@dataclass(eq=False)
class Viewer:
    """A student's session as the mirrors see it."""

    token: str
    write: Callable[[bytes], None]  # to the student's channel
    backlog: Callable[[], int]  # what the channel holds, unsent
    size: tuple[int, int]  # columns, rows
    env: tuple
    #: the app says it could be mirrored (following, nothing of its own on screen)
    eligible: bool = False
    #: asked to be mirrored, and not yet answered (it says so in-band)
    asked: float | None = None
    #: between the app's MIRROR_ON and MIRROR_OFF: its own output is dropped
    mirrored: bool = False
    group: Group | None = None
    #: in its group: "waiting" (for a full frame), "framing" (getting one) or "in step"
    phase: str = "waiting"
    scanner: Scanner = field(default_factory=Scanner)

    @property
    def key(self) -> tuple:
        return (*self.size, self.env)


@dataclass(eq=False)
class Renderer:
    """A group's renderer process: its pty, token and what it has drawn."""

    pid: int
    master: int
    token: str
    exited: asyncio.Future
    scanner: Scanner = field(default_factory=Scanner)
    in_frame: bool = False
    frame_asked: float | None = None  # the last ask (asked again after FRAME_RETRY)
    frame_wanted: float | None = None  # the first ask not yet answered
    last_frame: float = field(default_factory=time.monotonic)
    stopping: bool = False  # ended by the server (idle), not on its own


@dataclass(eq=False)
class Group:
    key: tuple
    renderer: Renderer | None = None
    starting: bool = False
    viewers: set[Viewer] = field(default_factory=set)
    idle_since: float = field(default_factory=time.monotonic)
    failed_at: float | None = None
    #: where the renderer has its panels scrolled (its students adopt it when they
    #: draw for themselves again, so that their screen does not jump)
    view: dict | None = None


#: spawn(size, env, token) -> (pid, master pty fd, exited future); raises OSError
SpawnRenderer = Callable[[tuple[int, int], tuple, str], Awaitable[tuple[int, int, asyncio.Future]]]


class Mirrors:
    """The server's mirrored groups.

    ``send(token, msg)`` reaches a session's app through the broker; ``new_token()`` and
    ``forget(token)`` make and end a renderer's broker token; ``spawn`` starts a renderer
    and ``end(pid)`` ends one."""

    def __init__(self, send: Callable[[str, dict], None], new_token: Callable[[], str],
                 forget: Callable[[str], None], spawn: SpawnRenderer,
                 end: Callable[[int], Awaitable[None]],
                 log: Callable[[str], None] = lambda line: None) -> None:
        self._send, self._new_token, self._forget = send, new_token, forget
        self._spawn, self._end, self.log = spawn, end, log
        self.viewers: dict[str, Viewer] = {}
        self.groups: dict[tuple, Group] = {}
        self._task: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        #: counts, for the log and the benchmark
        self.frames = 0

    # ------------------------------------------------------------------ viewers

    def add(self, token: str, write: Callable[[bytes], None], backlog: Callable[[], int],
            size: tuple[int, int], env: tuple) -> Viewer:
        viewer = Viewer(token, write, backlog, size, env)
        self.viewers[token] = viewer
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._tick())
        return viewer

    def remove(self, viewer: Viewer) -> None:
        self.viewers.pop(viewer.token, None)
        self._leave(viewer)

    def eligible(self, token: str, on: bool) -> None:
        """A student's app says whether it could be mirrored (through the broker)."""
        viewer = self.viewers.get(token)
        if viewer is None:
            return
        viewer.eligible = on
        if not on:
            viewer.asked = None
        else:
            self._consider(viewer)

    def renderer_view(self, token: str, view: dict) -> None:
        """A renderer says where its panels are scrolled (through the broker)."""
        for group in self.groups.values():
            if group.renderer is not None and group.renderer.token == token:
                group.view = view
                for viewer in group.viewers:
                    self._send(viewer.token, {"t": "view", "view": view})
                return

    def resized(self, viewer: Viewer, size: tuple[int, int]) -> None:
        """A student's window changed: it leaves its group (its app redraws for itself
        when it sees the change, after MIRROR_OFF)."""
        viewer.size = size
        self._leave(viewer)

    def own_output(self, viewer: Viewer, data: bytes) -> bytes:
        """What of a student's app's own output goes to the student."""
        if not viewer.mirrored and _OSC[:2] not in data and not viewer.scanner._carry:
            return data  # the usual case: nothing to look at
        out = []
        for part in viewer.scanner.feed(data):
            if part == "mirror-on":
                viewer.mirrored = True
                viewer.asked = None
                self._join(viewer)
            elif part == "mirror-off":
                viewer.mirrored = False
                self._leave(viewer)
            elif isinstance(part, bytes) and not viewer.mirrored:
                out.append(part)
        return b"".join(out)

    # ------------------------------------------------------------------ groups

    def _consider(self, viewer: Viewer) -> None:
        """Ask an eligible student's app to be mirrored once its group can be."""
        if viewer.mirrored or viewer.asked is not None or not viewer.eligible:
            return
        group = self.groups.get(viewer.key)
        if group is None:
            group = self.groups[viewer.key] = Group(viewer.key)
        if group.renderer is None:
            now = time.monotonic()
            if group.starting or (group.failed_at is not None
                                  and now - group.failed_at < RENDERER_BACKOFF):
                return
            wanting = sum(1 for v in self.viewers.values()
                          if v.key == group.key and v.eligible)
            if wanting >= MIN_GROUP:
                self._start_renderer(group)
            return
        viewer.asked = time.monotonic()
        self._send(viewer.token, {"t": "mirror", "on": True})

    def _join(self, viewer: Viewer) -> None:
        group = self.groups.get(viewer.key)
        if group is None or group.renderer is None:
            # the renderer went away between the ask and the answer: draw for yourself
            self._send(viewer.token, {"t": "mirror", "on": False})
            return
        viewer.group = group
        viewer.phase = "waiting"
        group.viewers.add(viewer)
        if group.view is not None:
            self._send(viewer.token, {"t": "view", "view": group.view})
        self._ask_frame(group)

    def _leave(self, viewer: Viewer) -> None:
        if viewer.group is not None:
            viewer.group.viewers.discard(viewer)
            if not viewer.group.viewers:
                viewer.group.idle_since = time.monotonic()
            viewer.group = None

    def _ask_frame(self, group: Group) -> None:
        renderer = group.renderer
        if renderer is None or renderer.in_frame:
            return
        now = time.monotonic()
        if renderer.frame_asked is not None and now - renderer.frame_asked < FRAME_RETRY:
            return
        renderer.frame_asked = now
        if renderer.frame_wanted is None:
            renderer.frame_wanted = now
        self._send(renderer.token, {"t": "frame"})

    def _start_renderer(self, group: Group) -> None:
        group.starting = True
        task = asyncio.get_running_loop().create_task(self._run_renderer(group))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_renderer(self, group: Group) -> None:
        token = self._new_token()
        loop = asyncio.get_running_loop()
        cols, rows, env = group.key
        try:
            pid, master, exited = await self._spawn((cols, rows), env, token)
        except OSError as exc:
            self.log(f"class: could not start a shared screen for {_describe(group.key)}: "
                 f"{exc}")
            self._forget(token)
            group.starting, group.failed_at = False, time.monotonic()
            return
        renderer = Renderer(pid, master, token, exited)
        group.renderer, group.starting = renderer, False
        os.set_blocking(master, False)
        loop.add_reader(master, self._renderer_output, group, renderer)
        self.log(f"class: shared screen for {_describe(group.key)} started (pid {pid})")
        for viewer in list(self.viewers.values()):
            if viewer.key == group.key:
                self._consider(viewer)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(exited)
        self._renderer_gone(group, renderer)

    def _renderer_output(self, group: Group, renderer: Renderer) -> None:
        try:
            data = os.read(renderer.master, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(renderer.master)
            return
        for part in renderer.scanner.feed(data):
            if part == "frame-begin":
                renderer.in_frame, renderer.frame_asked = True, None
                renderer.frame_wanted, renderer.last_frame = None, time.monotonic()
                self.frames += 1
                for viewer in group.viewers:
                    if viewer.phase == "waiting" and viewer.backlog() < LOW_WATER:
                        viewer.phase = "framing"
            elif part == "frame-end":
                renderer.in_frame = False
                for viewer in group.viewers:
                    if viewer.phase == "framing":
                        viewer.phase = "in step"
            elif isinstance(part, bytes):
                phase = "framing" if renderer.in_frame else "in step"
                for viewer in list(group.viewers):
                    if viewer.phase != phase:
                        continue
                    try:
                        viewer.write(part)
                    except Exception:  # noqa: BLE001 - the student left: its relay ends
                        continue
                    if viewer.backlog() > HIGH_WATER:
                        viewer.phase = "waiting"  # a full frame once it has drained

    def _renderer_gone(self, group: Group, renderer: Renderer) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(Exception):
            loop.remove_reader(renderer.master)
        with contextlib.suppress(OSError):
            os.close(renderer.master)
        self._forget(renderer.token)
        if group.renderer is renderer:
            group.renderer, group.view = None, None
            if not renderer.stopping:  # it ended on its own: not again at once
                group.failed_at = time.monotonic()
        for viewer in list(group.viewers) + [v for v in self.viewers.values()
                                             if v.asked is not None and v.key == group.key]:
            viewer.asked = None
            self._send(viewer.token, {"t": "mirror", "on": False})
        group.viewers.clear()
        self.log(f"class: shared screen for {_describe(group.key)} ended (pid {renderer.pid})")

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK)
            now = time.monotonic()
            for group in list(self.groups.values()):
                renderer = group.renderer
                if renderer is None:
                    continue
                if renderer.frame_wanted is not None and (
                        now - renderer.frame_wanted > RENDERER_STUCK) and not renderer.stopping:
                    self.log(f"class: shared screen for {_describe(group.key)} has not drawn "
                             f"for {RENDERER_STUCK:.0f} s: ended (pid {renderer.pid})")
                    group.failed_at = now  # not again at once
                    self._stop(renderer)
                    continue
                if group.viewers and (now - renderer.last_frame > HEARTBEAT or any(
                        v.phase == "waiting" and v.backlog() < LOW_WATER
                        for v in group.viewers)):
                    self._ask_frame(group)
                if not group.viewers and now - group.idle_since > RENDERER_IDLE and not any(
                        v.key == group.key and v.eligible for v in self.viewers.values()):
                    self._stop(renderer)
            for viewer in self.viewers.values():
                if viewer.asked is not None and now - viewer.asked > 2.0:
                    viewer.asked = None  # not answered: asked again below
                if viewer.eligible and not viewer.mirrored:
                    self._consider(viewer)

    def _stop(self, renderer: Renderer) -> None:
        if renderer.stopping:
            return
        renderer.stopping = True
        task = asyncio.get_running_loop().create_task(self._end(renderer.pid))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """End every renderer (the server is stopping)."""
        if self._task is not None:
            self._task.cancel()
        renderers = [g.renderer for g in self.groups.values() if g.renderer is not None]
        await asyncio.gather(*(self._end(r.pid) for r in renderers), return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
