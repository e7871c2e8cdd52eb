"""``serve ssh --ready N``: sessions started ahead of their students, end to end (the real
server in a subprocess on 127.0.0.1, asyncssh's client, screens read with pyte, the
process table from /proc).

The numbers come from the add-mul scenario worked by hand (CS231n): x = -2, y = 5,
z = -4; q = x + y = 3, f = q * z = -12.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import time

import pytest
from serve_util import ROOT, Server, Terminal, connect, descendants, exists, wait_gone

from tui_backprop.text import en

SCENARIOS = ROOT / "scenarios"
PASSWORD = "chain-rule"
#: a UTF-8 locale in English, as a student's laptop would send it
ENV = {"LANG": "en_US.UTF-8"}


def lecture(base):
    folder = base / "lecture"
    folder.mkdir()
    shutil.copy(SCENARIOS / "add-mul.toml", folder / "add-mul.toml")
    return folder


def sessions_below(server: Server) -> set[int]:
    """The session processes: everything under the server except its own children
    (the zygote)."""
    below = descendants(server.pid)
    direct = set()
    for p in below:
        try:
            with open(f"/proc/{p}/stat") as fh:
                if int(fh.read().rsplit(")", 1)[1].split()[1]) == server.pid:
                    direct.add(p)
        except OSError:
            continue
    return {p for p in below if p not in direct}


async def wait_until(check, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def new_session(server: Server, before: int) -> int:
    """The pid of the session the server logs after the first ``before``."""
    await wait_until(lambda: len(server.session_pids()) > before)
    return server.session_pids()[before]


def connect_line(server: Server, pid: int) -> str:
    m = re.search(rf"connect [^\n]* pid {pid} [^\n]*", server.log())
    assert m, server.log()
    return m.group(0)


async def test_students_take_sessions_started_ahead_and_the_pool_refills(tmp_path):
    server = Server(tmp_path, "--no-auth", "--scenarios", str(lecture(tmp_path)),
                    "--open", "add-mul", "--ready", "2", "--lang", "en").wait_started()
    conns = []
    try:
        assert en.MESSAGES["serve.banner.limits.ready"].format(n=2) in server.banner
        server.wait_log(r"started ahead: 2 waiting", 30)
        ahead = sessions_below(server)
        assert len(ahead) == 2   # waiting before anyone connects

        # the first student gets one of them: the app's first screen, then its keys
        conn = await connect(server.port)
        conns.append(conn)
        a = await Terminal.open(conn, 80, 24, env=ENV)
        pid_a = await new_session(server, 0)
        await a.wait_for(r"FORWARD\s+step 1/5")
        await a.wait_for(r"quit")
        assert pid_a in ahead
        assert connect_line(server, pid_a).endswith("(started ahead)")
        await a.type("n")
        await a.wait_for(r"step 2/5")
        assert "f = -12" in a.text                     # 3 * -4

        # a bigger window: started at 80x24, the app is resized to the student's
        conn = await connect(server.port)
        conns.append(conn)
        b = await Terminal.open(conn, 100, 30, env=ENV)
        assert await new_session(server, 1) in ahead
        await b.wait_for(r"step 1/5")
        await wait_until(lambda: any("step 1/5" in line for line in b.screen.display[24:]))

        # the pool is empty: a third student starts from scratch, like without --ready,
        # and so does one whose terminal differs from the one sessions start ahead with
        for n, env in enumerate((ENV, {"LANG": "en_US.UTF-8", "NO_COLOR": "1"})):
            conn = await connect(server.port)
            conns.append(conn)
            t = await Terminal.open(conn, 80, 24, env=env)
            pid = await new_session(server, 2 + n)
            await t.wait_for(r"step 1/5")
            assert pid not in ahead
            assert not connect_line(server, pid).endswith("(started ahead)")

        # everyone leaves: their sessions are gone, and new ones are started ahead
        pids = server.session_pids()
        for c in conns:
            c.close()
        assert await asyncio.to_thread(wait_gone, pids, 5.0) is not None
        await wait_until(lambda: len(sessions_below(server)) == 2)
        assert not sessions_below(server) & set(pids)
    finally:
        for c in conns:
            c.close()
        left = server.stop()
    assert left == [], f"processes left behind after the server stopped: {left}"
    assert not any(exists(p) for p in ahead)


async def test_a_class_counts_a_session_started_ahead_only_once_taken(tmp_path):
    server = Server(tmp_path, "--no-auth", "--scenarios", str(lecture(tmp_path)),
                    "--open", "add-mul", "--presenter-password", PASSWORD,
                    "--ready", "1").wait_started()
    conns = []
    try:
        server.wait_log(r"started ahead: 1 waiting", 30)
        ahead = sessions_below(server)
        conn = await connect(server.port, username="presenter", password=PASSWORD)
        conns.append(conn)
        p = await Terminal.open(conn, 100, 30, env=ENV)
        assert await new_session(server, 0) not in ahead   # never one started ahead
        await p.wait_for("PRESENTER")
        # the waiting session is no student yet
        await p.wait_for(r"0 connected, 0 following, 0 exploring")
        await p.type("n")
        await p.wait_for(r"step 2/5")
        await asyncio.sleep(0.5)

        conn = await connect(server.port, username="ana")
        conns.append(conn)
        s = await Terminal.open(conn, 100, 30, env=ENV)
        assert await new_session(server, 1) in ahead
        # taken: it follows the presenter from the presenter's step, and counts
        await s.wait_for(r"FORWARD\s+step 2/5")
        await s.wait_for("FOLLOWING the presenter")
        await p.wait_for(r"1 connected, 1 following, 0 exploring")
        await p.type("n")
        await s.wait_for(r"SEED\s+step 3/5")
    finally:
        for c in conns:
            c.close()
        left = server.stop()
    assert left == [], f"processes left behind after the server stopped: {left}"


@pytest.mark.parametrize("value", ["-1", "x"])
def test_ready_must_be_a_count(tmp_path, value):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "tui_backprop", "serve", "ssh", "--no-auth",
                          "--port", "0", "--ready", value], capture_output=True, text=True,
                         timeout=60, cwd=str(tmp_path),
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                              "LANG": "C.UTF-8", "HOME": str(tmp_path)})
    assert out.returncode == 2
    assert "--ready" in out.stderr
    assert "Traceback" not in out.stderr
