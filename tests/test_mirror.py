"""Shared screens, the server side (serve/mirror.py): the markers are found in a byte
stream however it is split, and :class:`Mirrors` groups students, starts one renderer per
group, copies its frames and updates to the students who are in step, holds back a
student whose channel is backed up, and hands every student back its own screen when a
renderer ends. The renderer here is a pipe the test writes to, standing in for the pty
of a real one (tests/test_serve_shared.py runs real ones over SSH)."""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_backprop.serve import mirror
from tui_backprop.serve.mirror import (
    FRAME_BEGIN,
    FRAME_END,
    MIRROR_OFF,
    MIRROR_ON,
    Mirrors,
    Scanner,
)

# ------------------------------------------------------------------------- the scanner

PIECES = [b"plain", b"\x1b[2J", b"\x1b]0;title\x07", b"\x1b]7717;other\x07", b"\x1b]7717;",
          b"\x1b]", b"\x1b", "mirror-on", "mirror-off", "frame-begin", "frame-end",
          "\u4e2d\u6587".encode()]
BY_NAME = {"mirror-on": MIRROR_ON, "mirror-off": MIRROR_OFF, "frame-begin": FRAME_BEGIN,
           "frame-end": FRAME_END}


def _scan(chunks: list[bytes]) -> list[bytes | str]:
    """Feed chunks; return the parts with adjacent bytes joined (a split may cut a run
    of plain bytes anywhere, and that is allowed)."""
    scanner, parts = Scanner(), []
    for chunk in chunks:
        parts += scanner.feed(chunk)
    parts.append(scanner._carry)  # what is held at the end (a marker's unfinished start)
    joined: list[bytes | str] = []
    for part in parts:
        if isinstance(part, bytes) and joined and isinstance(joined[-1], bytes):
            joined[-1] += part
        elif part != b"":
            joined.append(part)
    return joined


def test_markers_are_taken_out_and_everything_else_passes_unchanged():
    data = b"a" + MIRROR_ON + b"\x1b]0;t\x07b" + FRAME_BEGIN + FRAME_END + b"\x1b]7717;x\x07"
    assert _scan([data]) == [b"a", "mirror-on", b"\x1b]0;t\x07b", "frame-begin",
                             "frame-end", b"\x1b]7717;x\x07"]


@given(st.lists(st.sampled_from(PIECES), max_size=12), st.data())
def test_any_split_of_the_stream_gives_the_same_parts(pieces, data):
    stream = b"".join(BY_NAME.get(p, p) if isinstance(p, str) else p for p in pieces)
    whole = _scan([stream])
    # the expected parts, built from the pieces (not from the scanner)
    expected: list[bytes | str] = []
    for p in pieces:
        if isinstance(p, str):
            expected.append(p)
        elif expected and isinstance(expected[-1], bytes):
            expected[-1] += p
        else:
            expected.append(p)
    assert whole == [p for p in expected if p != b""]
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    assert _scan(chunks) == whole


# ------------------------------------------------------------------------- the groups


class Student:
    """What the server knows of a student's session: its channel and the messages its
    app is sent through the broker."""

    def __init__(self, mirrors: Mirrors, token: str, size=(80, 24), env=(("TERM", "x"),)):
        self.token, self.got, self.backlog = token, bytearray(), 0
        self.viewer = mirrors.add(token, self.got.extend, lambda: self.backlog, size, env)


class Room:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []
        self.spawned: list[tuple] = []
        self.pipes: dict[int, tuple[int, asyncio.Future]] = {}  # pid -> write end, exited
        self.forgotten: list[str] = []
        self.ended: list[int] = []
        self.log: list[str] = []
        self.fail = False
        self.mirrors = Mirrors(lambda token, msg: self.sent.append((token, msg)),
                               lambda: f"r{len(self.spawned)}", self.forgotten.append,
                               self._spawn, self._end, self.log.append)

    async def _spawn(self, size, env, token):
        self.spawned.append((size, env, token))
        if self.fail:
            raise OSError("no ptys left")
        r, w = os.pipe()
        exited = asyncio.get_running_loop().create_future()
        pid = 1000 + len(self.spawned)
        self.pipes[pid] = (w, exited)
        return pid, r, exited

    async def _end(self, pid: int) -> None:
        self.ended.append(pid)
        w, exited = self.pipes[pid]
        if not exited.done():
            exited.set_result(0)

    def draw(self, pid: int, data: bytes) -> None:
        os.write(self.pipes[pid][0], data)

    def to(self, token: str) -> list[dict]:
        return [msg for t, msg in self.sent if t == token]


async def _settle(seconds: float = 0.05) -> None:
    await asyncio.sleep(seconds)


@pytest.fixture
async def room():
    r = Room()
    yield r
    await r.mirrors.close()
    for w, _exited in r.pipes.values():
        os.close(w)


async def _mirrored_pair(room: Room) -> tuple[Student, Student, int]:
    """Two eligible students of one size: a renderer starts, both are asked to be
    mirrored, both say yes, and the renderer is asked for a frame."""
    a, b = Student(room.mirrors, "a"), Student(room.mirrors, "b")
    room.mirrors.eligible("a", True)
    await _settle()
    assert room.spawned == []  # one eligible student draws for itself
    room.mirrors.eligible("b", True)
    await _settle()
    assert [(size, token) for size, _env, token in room.spawned] == [((80, 24), "r0")]
    pid = 1001
    for s in (a, b):
        assert room.to(s.token) == [{"t": "mirror", "on": True}]
        assert room.mirrors.own_output(s.viewer, b"own" + MIRROR_ON + b"dropped") == b"own"
    assert room.to("r0") == [{"t": "frame"}]
    return a, b, pid


async def test_a_group_shares_one_renderer_and_gets_its_frame_then_its_updates(room):
    a, b, pid = await _mirrored_pair(room)
    room.draw(pid, b"before the frame" + FRAME_BEGIN + b"FULL" + FRAME_END + b"+step")
    await _settle()
    for s in (a, b):
        assert bytes(s.got) == b"FULL+step"
    # a student's own output is dropped while mirrored ...
    assert room.mirrors.own_output(a.viewer, b"own drawing") == b""
    # ... and passed again from its MIRROR_OFF; the group's updates stop reaching it
    assert room.mirrors.own_output(a.viewer, b"x" + MIRROR_OFF + b"mine") == b"mine"
    room.draw(pid, b"+next")
    await _settle()
    assert bytes(a.got) == b"FULL+step" and bytes(b.got) == b"FULL+step+next"


async def test_a_late_joiner_waits_for_a_full_frame_and_skips_the_updates_before_it(room):
    a, b, pid = await _mirrored_pair(room)
    room.draw(pid, FRAME_BEGIN + b"F1" + FRAME_END)
    await _settle()
    c = Student(room.mirrors, "c")
    room.mirrors.eligible("c", True)
    await _settle()
    assert room.to("c") == [{"t": "mirror", "on": True}]
    room.mirrors.own_output(c.viewer, MIRROR_ON)
    room.draw(pid, b"+u1")  # an update before c's frame: c cannot use it
    await _settle(mirror.TICK * 3)
    assert room.to("r0")[-1] == {"t": "frame"}  # asked again for c
    room.draw(pid, FRAME_BEGIN + b"F2" + FRAME_END + b"+u2")
    await _settle()
    assert bytes(c.got) == b"F2+u2"
    assert bytes(a.got) == b"F1+u1+u2"  # in step already: the frame is skipped


async def test_a_backed_up_student_is_held_back_then_jumps_to_a_new_frame(room):
    a, b, pid = await _mirrored_pair(room)
    room.draw(pid, FRAME_BEGIN + b"F" + FRAME_END)
    await _settle()
    b.backlog = mirror.HIGH_WATER + 1  # congested Wi-Fi
    room.draw(pid, b"+u1")
    await _settle()
    room.draw(pid, b"+u2")
    await _settle(mirror.TICK * 2)
    assert bytes(b.got) == b"F+u1"  # u1 went out before the backlog was seen; u2 did not
    assert bytes(a.got) == b"F+u1+u2"
    room.draw(pid, FRAME_BEGIN + b"E" + FRAME_END)  # a frame while b is still backed up
    await _settle()
    assert bytes(b.got) == b"F+u1"
    b.backlog = 0  # drained
    await _settle(mirror.TICK * 3)
    room.draw(pid, FRAME_BEGIN + b"G" + FRAME_END + b"+u3")
    await _settle()
    assert bytes(b.got) == b"F+u1G+u3"
    assert bytes(a.got) == b"F+u1+u2+u3"  # in step: neither frame was for it


async def test_other_sizes_and_resized_students_are_not_in_the_group(room):
    a, b, pid = await _mirrored_pair(room)
    wide = Student(room.mirrors, "w", size=(120, 40))
    room.mirrors.eligible("w", True)
    await _settle()
    assert room.to("w") == [] and len(room.spawned) == 1  # a group of one at 120x40
    room.draw(pid, FRAME_BEGIN + b"F" + FRAME_END)
    await _settle()
    room.mirrors.resized(a.viewer, (100, 30))
    room.draw(pid, b"+u")
    await _settle()
    assert bytes(a.got) == b"F" and bytes(b.got) == b"F+u" and bytes(wide.got) == b""


async def test_when_a_renderer_ends_its_students_draw_for_themselves(room):
    a, b, pid = await _mirrored_pair(room)
    room.pipes[pid][1].set_result(-9)  # it crashed
    await _settle()
    for s in (a, b):
        assert room.to(s.token)[-1] == {"t": "mirror", "on": False}
    assert "r0" in room.forgotten
    assert any("ended" in line for line in room.log)
    # not started again at once, though both are still eligible
    await _settle(mirror.TICK * 3)
    assert len(room.spawned) == 1


async def test_a_renderer_that_cannot_start_leaves_everyone_drawing_for_themselves(room):
    room.fail = True
    Student(room.mirrors, "a"), Student(room.mirrors, "b")
    room.mirrors.eligible("a", True)
    room.mirrors.eligible("b", True)
    await _settle(mirror.TICK * 3)
    assert len(room.spawned) == 1  # tried once; the group waits before trying again
    assert room.to("a") == [] and room.to("b") == []
    assert room.forgotten == ["r0"]
    assert any("could not start" in line for line in room.log)


async def test_a_student_no_longer_eligible_is_not_asked(room):
    _a, b = Student(room.mirrors, "a"), Student(room.mirrors, "b")
    room.mirrors.eligible("a", True)
    room.mirrors.eligible("a", False)
    room.mirrors.eligible("b", True)
    await _settle(mirror.TICK * 2)
    assert room.spawned == [] and room.sent == []
    room.mirrors.remove(b.viewer)
    room.mirrors.eligible("b", True)  # gone: nothing happens
    await _settle()
    assert room.sent == []


async def test_close_ends_every_renderer(room):
    await _mirrored_pair(room)
    await room.mirrors.close()
    assert room.ended == [1001]


async def test_a_renderer_that_stops_drawing_is_ended_and_its_students_draw(room, monkeypatch):
    monkeypatch.setattr(mirror, "HEARTBEAT", 0.2)
    monkeypatch.setattr(mirror, "RENDERER_STUCK", 0.4)
    a, b, pid = await _mirrored_pair(room)
    room.draw(pid, FRAME_BEGIN + b"F" + FRAME_END)
    await _settle(0.1)
    asks = len(room.to("r0"))
    await _settle(0.3)  # no frame for longer than a heartbeat: asked again
    assert len(room.to("r0")) > asks and room.ended == []
    room.draw(pid, FRAME_BEGIN + b"G" + FRAME_END)  # it answers: all is well
    await _settle(0.3)
    assert room.ended == []
    await _settle(1.0)  # it answers no more (stopped, starved)
    assert room.ended == [pid]
    for s in (a, b):
        assert room.to(s.token)[-1] == {"t": "mirror", "on": False}
    assert any("has not drawn" in line and "TERM=x" in line for line in room.log)
    await _settle(mirror.TICK * 3)
    assert len(room.spawned) == 1  # not again at once


async def test_a_renderers_view_reaches_its_students_and_late_joiners(room):
    a, b, pid = await _mirrored_pair(room)
    view = {"circuit": [12, 3], "code": [0, 7]}
    room.mirrors.renderer_view("r0", view)
    room.mirrors.renderer_view("nobody", {"circuit": [99, 99]})  # not a renderer: ignored
    for s in (a, b):
        assert room.to(s.token)[-1] == {"t": "view", "view": view}
    c = Student(room.mirrors, "c")
    room.mirrors.eligible("c", True)
    await _settle()
    room.mirrors.own_output(c.viewer, MIRROR_ON)
    assert room.to("c")[-1] == {"t": "view", "view": view}
    assert all(msg.get("view") != {"circuit": [99, 99]} for _t, msg in room.sent)


# ------------------------------------------------------------------------- the broker


async def test_the_broker_gives_a_renderer_the_class_and_takes_only_its_view():
    from tui_backprop.serve.broker import Broker, encode

    lines: list[str] = []
    broker = Broker(lines.append)
    views, able = [], []
    broker.on_view = lambda token, view: views.append((token, view))
    broker.on_mirrorable = lambda token, on: able.append((token, on))
    path = await broker.start()
    try:
        ptok, stok, rtok = (broker.new_token("presenter"), broker.new_token("student"),
                            broker.new_token("mirror"))
        conns = {}
        for token in (ptok, stok, rtok):
            r, w = await asyncio.open_unix_connection(path, limit=2 ** 21)
            w.write(encode({"t": "hello", "token": token}))
            conns[token] = (r, w)

        async def next_of(token, kind):
            r = conns[token][0]
            while True:
                msg = json.loads(await asyncio.wait_for(r.readline(), 5))
                if msg["t"] == kind:
                    return msg

        room = await next_of(ptok, "room")
        while room["connected"] != 1:
            room = await next_of(ptok, "room")
        assert room["connected"] == 1  # the student; a renderer is no student
        pw, sw, rw = (conns[t][1] for t in (ptok, stok, rtok))
        pw.write(encode({"t": "position", "position": {"state": "s", "step": 3,
                                                        "iteration": 1}}))
        assert (await next_of(rtok, "position"))["position"]["step"] == 3
        rw.write(encode({"t": "view", "view": {"circuit": [4, 2]}}))
        rw.write(encode({"t": "view", "view": {"circuit": [-1, 2]}}))       # dropped
        rw.write(encode({"t": "view", "view": {"c": [1.5, 2]}}))            # dropped
        rw.write(encode({"t": "mode", "following": False}))                 # dropped
        sw.write(encode({"t": "view", "view": {"circuit": [0, 0]}}))       # dropped
        sw.write(encode({"t": "mirrorable", "on": True}))
        sw.write(encode({"t": "mirrorable", "on": "yes"}))                  # dropped
        for w in (rw, sw):
            await w.drain()
        for _ in range(100):
            if broker.dropped >= 5 and able:
                break
            await asyncio.sleep(0.02)
        assert views == [(rtok, {"circuit": [4, 2]})]
        assert able == [(stok, True)]
        assert broker.dropped == 5
        for _r, w in conns.values():
            w.close()
    finally:
        await broker.close()
