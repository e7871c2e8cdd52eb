"""A served class end to end: ``serve ssh --presenter-password`` in a subprocess, the
presenter and students connected with asyncssh's client and their screens read with
pyte.

The numbers come from the add-mul scenario worked by hand (CS231n): x = -2, y = 5,
z = -4; q = x + y = 3, f = q * z = -12; backward dq = z = -4, dz = q = 3, dx = dy = -4.
With x edited to 1: q = 6, f = -24.
"""

from __future__ import annotations

import asyncio
import re
import shutil

import asyncssh
import pytest
from serve_util import ROOT, Server, Terminal, connect

SCENARIOS = ROOT / "scenarios"
PASSWORD = "chain-rule"
SIZE = (100, 30)
#: a UTF-8 locale in English, as a student's laptop would send it (no LANG: ASCII)
ENV = {"LANG": "en_US.UTF-8"}


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A --no-auth class on loopback (so students need no password) with a presenter
    password, every session opening add-mul."""
    base = tmp_path_factory.mktemp("class")
    folder = base / "lecture"
    folder.mkdir()
    shutil.copy(SCENARIOS / "add-mul.toml", folder / "add-mul.toml")
    server = Server(base, "--no-auth", "--scenarios", str(folder), "--open", "add-mul",
                    "--presenter-password", PASSWORD).wait_started()
    server.base = base
    yield server
    left = server.stop()
    assert left == [], f"processes left behind after the server stopped: {left}"


async def presenter(port: int) -> tuple[asyncssh.SSHClientConnection, Terminal]:
    conn = await connect(port, username="presenter", password=PASSWORD)
    t = await Terminal.open(conn, *SIZE, env=ENV)
    await t.wait_for("PRESENTER")
    await t.wait_for(r"step 1/5")
    return conn, t


async def student(port: int, name: str = "student") -> tuple[asyncssh.SSHClientConnection,
                                                             Terminal]:
    conn = await connect(port, username=name)
    t = await Terminal.open(conn, *SIZE, env=ENV)
    await t.wait_for("FOLLOWING")
    return conn, t


def step_of(t: Terminal) -> int:
    m = re.search(r"step (\d+)/5", t.text)
    assert m, t.text
    return int(m.group(1))


async def test_presenter_login_needs_the_presenter_password_even_without_auth(room):
    for password in (None, "wrong", ""):
        with pytest.raises(asyncssh.PermissionDenied):
            kwargs = {} if password is None else {"password": password}
            await connect(room.port, username="presenter", **kwargs)
    room.wait_log(r"refused presenter@\S+: authentication failed")
    conn = await connect(room.port, username="presenter", password=PASSWORD)
    conn.close()


async def test_a_presenter_step_and_edit_reach_two_followers_explore_and_snap_back(room):
    pconn, p = await presenter(room.port)
    aconn, a = await student(room.port, "ana")
    bconn, b = await student(room.port, "bo")
    try:
        await p.wait_for(r"2 connected, 2 following, 0 exploring")
        for t in (a, b):
            await t.wait_for(r"FORWARD\s+step 1/5")
            assert "FOLLOWING the presenter" in t.text
        # a step of the presenter's reaches both
        await p.type("n")
        await p.wait_for(r"step 2/5")
        for t in (a, b):
            await t.wait_for(r"step 2/5")
            assert "f = -12" in t.text                      # 3 * -4
        # a student's own step keys do nothing while following
        await a.type("p")
        await asyncio.sleep(0.5)
        assert step_of(a) == 2
        # x: exploring on her own; the presenter sees it
        await a.type("x")
        await a.wait_for("EXPLORING on your own")
        await p.wait_for(r"2 connected, 1 following, 1 exploring")
        await a.type("p")
        await a.wait_for(r"step 1/5")
        await p.type("n")                                  # the seed
        await b.wait_for(r"SEED\s+step 3/5")
        await asyncio.sleep(0.3)
        assert step_of(a) == 1                             # she stays where she is
        # F: back to the presenter's current step
        await a.type("F")
        await a.wait_for(r"SEED\s+step 3/5")
        await a.wait_for("FOLLOWING the presenter")
        await p.wait_for(r"2 connected, 2 following, 0 exploring")
        # the presenter edits x (e: the leaf chooser, x first; then the value)
        await p.type("p")
        await p.type("p")
        await p.wait_for(r"step 1/5")
        await p.type("e")
        await p.wait_for(r"input\s+x = -2")
        await p.type("\r")
        await asyncio.sleep(0.4)
        await p.type("1\r")
        await p.wait_for(r"x changed")
        for t in (a, b):
            await t.wait_for(r"q = 6\b")                  # 1 + 5
            assert step_of(t) == 1
        await p.type("n")
        for t in (a, b):
            await t.wait_for(r"f = -24\b")                # 6 * -4
    finally:
        for c in (aconn, bconn, pconn):
            c.close()


async def test_a_reconnecting_follower_follows_again(room):
    pconn, p = await presenter(room.port)
    aconn, a = await student(room.port)
    try:
        for _ in range(3):
            await p.type("n")
        await p.wait_for(r"step 4/5")
        await a.wait_for(r"step 4/5")
        await a.type("x")
        await a.wait_for("EXPLORING")
        aconn.close()                                      # the laptop lid
        await p.wait_for(r"0 connected")
        aconn, a = await student(room.port)
        await a.wait_for(r"step 4/5")
        assert "FOLLOWING the presenter" in a.text
        await p.wait_for(r"1 connected, 1 following")
    finally:
        aconn.close()
        pconn.close()


async def test_followers_are_told_what_the_presenter_does_and_see_no_server_path(room):
    folder = room.base / "lecture"
    shutil.copy(SCENARIOS / "cs231n-sigmoid.toml", folder / "neuron.toml")
    pconn, p = await presenter(room.port)
    aconn, a = await student(room.port)
    try:
        await a.wait_for(r"step 1/5")
        # a following student's step key says who drives (it used to do nothing at all)
        await a.type("n")
        await a.wait_for("the presenter is driving: press x")
        assert step_of(a) == 1
        # the presenter opens another scenario of the folder: the follower shows it,
        # and nothing says "reloaded" or shows where the server keeps its files
        await p.type("o")
        await p.wait_for("Open a scenario")
        await p.type("neuron\r")
        await p.wait_for(r"step 1/17")
        await a.wait_for(r"step 1/17")
        await asyncio.sleep(2.5)  # the follower's file poll runs every second
        assert "reloaded" not in a.text and "reloaded" not in p.text
        assert str(folder) not in a.text and "neuron.toml" not in a.text
        # the presenter leaves: the follower is told, in words
        await p.type("q")
        await a.wait_for("the presenter has left")
        assert "FOLLOWING the presenter" not in a.text
        # and is back to following when the presenter returns
        pconn.close()
        pconn, p = await presenter(room.port)
        await a.wait_for("FOLLOWING the presenter")
        await a.wait_for(r"step 1/5")   # the presenter's new session starts on add-mul
    finally:
        aconn.close()
        pconn.close()
        (folder / "neuron.toml").unlink()


def paste(text: str) -> str:
    """What a terminal sends when text is pasted (bracketed paste)."""
    return f"\x1b[200~{text}\x1b[201~"


async def test_class_quiz_answers_tally_reveal_and_hostile_answers(room):
    pconn, p = await presenter(room.port)
    aconn, a = await student(room.port, "ana")
    bconn, b = await student(room.port, "bo")
    cconn, c = await student(room.port, "cy")
    try:
        await p.wait_for(r"3 connected, 3 following")
        await p.type("z")                                   # the class into quiz mode
        await p.wait_for(r"z: quiz on")
        for t in (a, b, c):
            await t.wait_for(r"Predict the forward output: q = \?")
        await p.wait_for(r"0 of 3 answered")
        # hostile answers: refused with a reason, nothing evaluated, the session goes on
        await a.type(paste("__import__('os').system('touch /tmp/pwned')"))
        await a.type("\r")
        await a.wait_for(r"only numbers, \+ - \* / \*\* and parentheses")
        await a.type(paste("9" * 10_000))
        await a.type("\r")
        await a.wait_for(r"too long: at most 200 characters")
        await p.wait_for(r"0 of 3 answered")                  # none of that was an answer
        # an arithmetic answer (right), a number (wrong: the sign), the same wrong one
        await a.type("\x15")                                  # ctrl+u: clear the box
        await a.wait_for(re.escape("-4, 1/4, 0.73*(1-0.73)"))  # the empty box's hint
        await a.type("-2+5\r")
        await a.wait_for(r"Answer 3 sent")
        await b.type("-3\r")
        await b.wait_for(r"Answer -3 sent")
        await p.wait_for(r"2 of 3 answered · 1 right")
        await c.type("-3\r")
        await p.wait_for(r"3 of 3 answered · 1 right")
        await p.wait_for(r"most common wrong answer: -3 \(2\)")
        screen = p.text
        assert re.search(r"-3 █+ 2", screen), screen          # the histogram's bars
        assert re.search(r" 3 █+ 1", screen), screen
        # the presenter reveals it to everyone
        await p.type("a")
        await p.wait_for(r"revealed to everyone")
        await a.wait_for(r"Right! The answer: 3")
        await a.wait_for(r"q = x \+ y with x = -2, y = 5: 3")
        await b.wait_for(r"Not quite: you said -3\. The answer: 3")
        await a.wait_for(r"score 1/1")
        await b.wait_for(r"score 0/1")
        # the next step asks the next number
        await p.type("n")
        for t in (a, b):
            await t.wait_for(r"Predict the forward output: f = \?")
        await b.type("s")                                     # b skips
        await b.wait_for(r"Skipped")
        await a.type("3*-4\r")
        await p.wait_for(r"1 of 3 answered · 1 right")
        await p.type("a")
        await a.wait_for(r"Right! The answer: -12")
        await a.wait_for(r"score 2/2")
        await b.wait_for(r"score 0/2")
    finally:
        await p.type("z")  # the class quiz off again (the room is shared by the module)
        await p.wait_for(r"z: quiz off")
        for conn in (aconn, bconn, cconn, pconn):
            conn.close()


async def test_class_quiz_asks_the_local_gradients_after_the_output(room):
    """A forward step asks its output, then each local gradient: the reveal of one asks
    the next at once (the class agrees on the prompt through the reveals alone), the
    one just revealed stays above it, and the add gate's formula (``∂q/∂x = 1``) stays
    hidden with the number it is. q = x + y: ∂q/∂x = ∂q/∂y = 1 whatever x and y are."""
    pconn, p = await presenter(room.port)
    aconn, a = await student(room.port, "ana")
    bconn, b = await student(room.port, "bo")
    try:
        await p.wait_for(r"2 connected, 2 following")
        await p.type("z")
        await p.wait_for(r"z: quiz on")
        for t in (a, b):
            await t.wait_for(r"Predict the forward output: q = \?")
        await a.type("-2+5\r")
        await b.type("3\r")
        await p.wait_for(r"2 of 2 answered · 2 right")
        await p.type("a")
        for t in (a, b):                                     # asked the next number at once
            await t.wait_for(r"Predict the local gradient ∂q/∂x = \?")
            await t.wait_for(r"Right! The answer: 3 · q = x \+ y with x = -2, y = 5: 3")
            await t.wait_for(r"out +q = 3")                  # revealed in every panel
            await t.wait_for(r"local +∂q/∂x = \?\s")         # not "∂q/∂x = 1 = ?"
            assert not re.search(r"∂q/∂x = 1", t.text), t.text
        await p.wait_for(r"Predict the local gradient ∂q/∂x = \?")
        await p.wait_for(r"0 of 2 answered · 0 right")       # a new tally
        await p.wait_for(r"revealed to everyone · 2 of 2 answered · 2 right · 3 ×2 ✓")
        await a.type("1\r")
        await b.type("0\r")
        await p.wait_for(r"2 of 2 answered · 1 right")
        await p.type("a")
        for t in (a, b):
            await t.wait_for(r"Predict the local gradient ∂q/∂y = \?")
        await a.wait_for(r"Right! The answer: 1 · q = x \+ y, so ∂q/∂x = 1 whatever")
        await b.wait_for(r"Not quite: you said 0\. The answer: 1")
        await a.wait_for(r"score 2/2")
        await b.wait_for(r"score 1/2")
        await a.type("1\r")
        await a.wait_for(r"Answer 1 sent")
        await p.wait_for(r"1 of 2 answered · 1 right")
        await p.type("a")                                    # the step's last: feedback
        await a.wait_for(r"Right! The answer: 1")
        await a.wait_for(r"q = x \+ y, so ∂q/∂y = 1 whatever the inputs are")
        await a.wait_for(r"score 3/3")
        await b.wait_for(r"No answer\. The answer: 1")
        await b.wait_for(r"score 1/3")
        await p.type("n")                                    # the next step: its output
        for t in (a, b):
            await t.wait_for(r"Predict the forward output: f = \?")
    finally:
        await p.type("z")
        await p.wait_for(r"z: quiz off")
        for conn in (aconn, bconn, pconn):
            conn.close()
