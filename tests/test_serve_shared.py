"""Shared screens in a served class, end to end (serve/mirror.py): followers of one window
size and terminal are drawn by one renderer process, and each gets its own screen back
the moment it does something of its own. ``serve ssh`` runs in a subprocess; students and
the presenter connect with asyncssh's client and their screens are read with pyte.

The numbers are the add-mul scenario's (CS231n, worked by hand): x = -2, y = 5, z = -4;
q = 3, f = -12.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal

import pytest
from serve_util import ROOT, Server, Terminal, connect, exists, wait_gone

PASSWORD = "chain-rule"
SIZE = (100, 30)
ENV = {"LANG": "en_US.UTF-8"}
MARKER = b"\x1b]7717;"  # the server's private markers: never on a student's screen


def _class(tmp_path, bundled: str, name: str):
    """A --no-auth class with a presenter password, every session opening ``name`` (a
    copy of a bundled scenario); at the end no process may be left."""
    folder = tmp_path / "lecture"
    folder.mkdir()
    shutil.copy(ROOT / "scenarios" / f"{bundled}.toml", folder / f"{name}.toml")
    server = Server(tmp_path, "--no-auth", "--scenarios", str(folder), "--open", name,
                    "--presenter-password", PASSWORD).wait_started()
    yield server
    left = server.stop()
    assert left == [], f"processes left behind after the server stopped: {left}"


@pytest.fixture
def room(tmp_path):
    yield from _class(tmp_path, "add-mul", "add-mul")


async def _presenter(port: int):
    conn = await connect(port, username="presenter", password=PASSWORD)
    t = await Terminal.open(conn, *SIZE, env=ENV)
    await t.wait_for(r"step 1/\d+")
    return conn, t


async def _student(port: int, name: str, size=SIZE):
    conn = await connect(port, username=name)
    t = await Terminal.open(conn, *size, env=ENV)
    await t.wait_for("FOLLOWING the presenter")
    return conn, t


def _step(t: Terminal) -> int:
    m = re.search(r"step (\d+)/5", t.text)
    assert m, t.text
    return int(m.group(1))


async def _shared(room: Server, size=SIZE) -> int:
    """Wait until the group of ``size`` has its renderer and its students have had
    their first frame; the renderer's pid."""
    pattern = rf"class: shared screen for {size[0]}x{size[1]} \(.*\) started \(pid (\d+)\)"
    m = await asyncio.to_thread(room.wait_log, pattern, 30.0)
    await asyncio.sleep(2.0)  # the ask, the students' answers and the frame
    return int(m.group(1))


async def test_followers_share_a_screen_and_fall_back_when_its_renderer_is_stuck(room):
    pconn, p = await _presenter(room.port)
    aconn, a = await _student(room.port, "ana")
    bconn, b = await _student(room.port, "bo")
    try:
        renderer = await _shared(room)
        await p.type("n")
        for t in (a, b):
            await t.wait_for(r"FORWARD\s+step 2/5")
            await t.wait_for(r"f = -12")
        await asyncio.sleep(0.3)
        assert a.text == b.text                      # one screen, copied
        assert "FOLLOWING the presenter" in a.text
        # the followers' screens come from the renderer: stopped, it draws nothing ...
        os.kill(renderer, signal.SIGSTOP)
        await p.type("n")
        await p.wait_for(r"step 3/5")
        await asyncio.sleep(1.0)
        assert _step(a) == 2 and _step(b) == 2
        # ... and a renderer that draws nothing for a few seconds is ended: the
        # followers draw for themselves, at the presenter's step
        await asyncio.to_thread(room.wait_log, r"shared screen for 100x30 .*has not drawn "
                                r"for \d+ s: ended", 20.0)
        await asyncio.to_thread(room.wait_log, r"class: shared screen for 100x30 .*ended "
                                rf"\(pid {renderer}\)")
        for t in (a, b):
            await t.wait_for(r"SEED\s+step 3/5")
            assert "FOLLOWING the presenter" in t.text
        assert not exists(renderer)
        await p.type("n")
        for t in (a, b):
            await t.wait_for(r"step 4/5")
        for t in (a, b, p):
            assert MARKER not in t.raw
    finally:
        for c in (aconn, bconn, pconn):
            c.close()


async def test_a_mirrored_follower_explores_resizes_and_snaps_back(room):
    pconn, p = await _presenter(room.port)
    aconn, a = await _student(room.port, "ana")
    bconn, b = await _student(room.port, "bo")
    cconn = None
    try:
        await _shared(room)
        await p.type("n")
        await a.wait_for(r"step 2/5")
        # a key of her own: her own screen at once, and her own steps
        await a.type("x")
        await a.wait_for("EXPLORING on your own")
        await a.type("p")
        await a.wait_for(r"step 1/5")
        await p.type("n")
        await b.wait_for(r"step 3/5")                  # the group goes on without her
        await asyncio.sleep(0.3)
        assert _step(a) == 1
        # F: back to the presenter, and to the shared screen
        await a.type("F")
        await a.wait_for(r"SEED\s+step 3/5")
        await a.wait_for("FOLLOWING the presenter")
        await asyncio.sleep(2.0)
        await p.type("n")
        for t in (a, b):
            await t.wait_for(r"step 4/5")
        await asyncio.sleep(0.3)
        assert a.text == b.text
        # a mirrored follower's window changes: it is drawn for its new size, the same
        # as a follower who connected at that size
        a.resize(90, 28)
        await a.wait_for(r"step 4/5")
        cconn, c = await _student(room.port, "cy", size=(90, 28))
        await c.wait_for(r"step 4/5")
        await asyncio.sleep(1.0)
        assert a.text == c.text
        await p.type("p")
        for t in (a, b, c):
            await t.wait_for(r"step 3/5")
        await asyncio.sleep(0.3)
        assert a.text == c.text
        for t in (a, b, c):
            assert MARKER not in t.raw
    finally:
        for conn in (aconn, bconn, cconn, pconn):
            if conn is not None:
                conn.close()


async def test_the_class_quiz_reaches_mirrored_followers(room):
    pconn, p = await _presenter(room.port)
    aconn, a = await _student(room.port, "ana")
    bconn, b = await _student(room.port, "bo")
    try:
        await _shared(room)
        await p.type("z")
        for t in (a, b):
            await t.wait_for(r"Predict the forward output: q = \?")
        await a.type("3\r")
        await a.wait_for(r"Answer 3 sent")
        await p.wait_for(r"1 of 2 answered · 1 right")
        await p.type("a")
        await a.wait_for(r"Right! The answer: 3")
        await b.wait_for(r"No answer\. The answer: 3")
        await p.type("z")
        await p.wait_for(r"z: quiz off")
        await p.type("n")
        for t in (a, b):
            await t.wait_for(r"step 2/5")
            await t.wait_for(r"f = -12")
    finally:
        for c in (aconn, bconn, pconn):
            c.close()


async def test_a_group_renderer_is_gone_when_its_students_leave_and_the_server_stops(room):
    pconn, p = await _presenter(room.port)
    aconn, a = await _student(room.port, "ana")
    bconn, b = await _student(room.port, "bo")
    renderer = await _shared(room)
    for c in (aconn, bconn, pconn):
        c.close()
    await asyncio.sleep(1.0)
    left = room.stop()
    assert left == []
    await asyncio.to_thread(wait_gone, [renderer], 3.0)
    assert not exists(renderer)



@pytest.fixture
def network_room(tmp_path):
    yield from _class(tmp_path, "network-2-2-2", "net")


async def _answer_round(p: Terminal, students: list[Terminal]) -> None:
    await p.type("z")
    for t in students:
        await t.wait_for(r"Predict the ")
    for t in students:
        await t.type("0\r")
    await p.wait_for(rf"{len(students)} of {len(students)} answered")
    await p.type("a")
    await p.wait_for(r"revealed to everyone")
    await p.type("z")
    await p.wait_for(r"z: quiz off")


async def test_mirrored_followers_answer_the_prompt_of_the_presenters_latest_state(
        network_room):
    """A mirrored follower's own app does not show the presenter's steps, updates and
    edits; when the class quiz starts it must ask about the presenter's latest state and
    step, not the ones its app last showed (the broker drops an answer to any other
    prompt)."""
    room = network_room
    conn, p = await _presenter(room.port)
    aconn, a = await _student(room.port, "ana")
    bconn, b = await _student(room.port, "bo")
    try:
        await _shared(room)
        await _answer_round(p, [a, b])
        await asyncio.sleep(2.0)  # mirrored again
        for key in "uunnn":  # two updates (new states), three steps: all mirrored
            await p.type(key)
            await asyncio.sleep(0.3)
        await asyncio.sleep(1.0)
        await _answer_round(p, [a, b])
        assert "not asked" not in room.log(), room.log()
    finally:
        for c in (aconn, bconn, conn):
            c.close()


async def test_an_update_while_the_class_quiz_is_on_asks_the_new_states_prompt(network_room):
    """The presenter updates the parameters (a new state) while the quiz is on: the
    presenter's and the followers' prompts are keyed by the new state at once, so the
    followers' answers count (they went into the previous state's tally: 0 answered)."""
    room = network_room
    conn, p = await _presenter(room.port)
    aconn, a = await _student(room.port, "ana")
    bconn, b = await _student(room.port, "bo")
    try:
        await p.type("z")
        for t in (a, b):
            await t.wait_for(r"Predict the ")
        await p.type("u")
        await p.wait_for(r"iteration 2")
        for t in (a, b):
            await t.wait_for(r"iteration 2")
        await asyncio.sleep(0.5)
        for t in (a, b):
            await t.type("0\r")
        await p.wait_for(r"2 of 2 answered")
        assert "not asked" not in room.log()
    finally:
        for c in (aconn, bconn, conn):
            c.close()
