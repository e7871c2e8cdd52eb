"""``tui-backprop serve web``: the page is served, and a websocket session (textual-serve's
protocol: JSON ``["stdin", text]`` / ``["resize", {...}]`` in, the app's terminal bytes
out) renders the confined app; stopping the server leaves no process behind."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import aiohttp
import pyte
import pytest
from serve_util import ROOT, descendants, exists, interrupt, wait_gone


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web(tmp_path):
    folder = tmp_path / "lecture"
    folder.mkdir()
    shutil.copy(ROOT / "scenarios" / "add-mul.toml", folder / "add-mul.toml")
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_backprop", "serve", "web", "--port", str(port),
         "--scenarios", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=str(tmp_path))
    proc.port = port
    yield proc
    below = descendants(proc.pid)
    interrupt(proc)
    wait_gone(below, 5.0)
    left = [p for p in below if exists(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert left == [], f"web server left processes behind: {left}"


async def _get_page(port: int, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{port}/") as resp:
                    assert resp.status == 200
                    return await resp.text()
            except aiohttp.ClientConnectorError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)


async def test_page_and_websocket_session(web):
    page = await _get_page(web.port)
    assert f"ws://127.0.0.1:{web.port}/ws" in page
    assert "tui-backprop" in page
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)

    async def until(ws, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in "\n".join(screen.display):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never appeared:\n" + "\n".join(screen.display))
            try:
                msg = await ws.receive(timeout=left)
            except TimeoutError:
                continue
            if msg.type == aiohttp.WSMsgType.BINARY:
                stream.feed(msg.data)
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                raise AssertionError("the websocket closed")

    before = set(descendants(web.pid))
    # a bound on the whole session, whatever the websocket does (never a hung test run)
    async with asyncio.timeout(120), aiohttp.ClientSession() as http:
        async with http.ws_connect(f"http://127.0.0.1:{web.port}/ws?width=80&height=24") as ws:
            await until(ws, "Open a scenario")
            # a browser terminal shows UTF-8: Unicode borders, not the ASCII fallback
            assert "─" in "\n".join(screen.display)
            assert "add-mul" in "\n".join(screen.display)
            assert "cs231n" not in "\n".join(screen.display)   # only --scenarios
            await ws.send_json(["stdin", "\r"])
            await until(ws, "step 1/5")
            await ws.send_json(["stdin", "n"])
            await until(ws, "step 2/5")
            assert "f = -12" in "\n".join(screen.display)      # (-2 + 5) * -4
            session = set(descendants(web.pid)) - before
            assert session, "no session process was started"
    # the browser tab closed: its app process ends
    assert await asyncio.to_thread(wait_gone, list(session), 15.0) is not None


async def test_stopping_the_server_ends_open_sessions(web):
    """SIGTERM (or ctrl+c) with a browser tab still open: the server stops, and the
    session's app process with it (textual-serve alone waits for every tab to close)."""
    await _get_page(web.port)
    before = set(descendants(web.pid))
    async with asyncio.timeout(120), aiohttp.ClientSession() as http:
        async with http.ws_connect(f"http://127.0.0.1:{web.port}/ws?width=80&height=24") as ws:
            screen = pyte.Screen(80, 24)
            stream = pyte.ByteStream(screen)
            deadline = time.monotonic() + 60
            while "Open a scenario" not in "\n".join(screen.display):
                assert time.monotonic() < deadline, "\n".join(screen.display)
                msg = await ws.receive(timeout=deadline - time.monotonic())
                if msg.type == aiohttp.WSMsgType.BINARY:
                    stream.feed(msg.data)
            session = set(descendants(web.pid)) - before
            assert session, "no session process was started"
            web.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(web.wait, 20)   # not the tab closing: the server
            assert code is not None
    assert await asyncio.to_thread(wait_gone, list(session), 10.0) is not None


async def test_port_zero_serves_on_the_port_the_system_picked(tmp_path):
    """``--port 0``: the banner and the page's websocket address name the real port."""
    import re

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_backprop", "serve", "web", "--port", "0",
         "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(tmp_path),
        text=True)
    try:
        loop = asyncio.get_running_loop()
        line = ""
        for _ in range(20):
            line = await asyncio.wait_for(loop.run_in_executor(None, proc.stdout.readline), 60)
            if re.search(r"http://127\.0\.0\.1:\d+", line):
                break
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)", line).group(1))
        assert port != 0
        page = await _get_page(port)
        assert f"ws://127.0.0.1:{port}/ws" in page
    finally:
        below = descendants(proc.pid)
        interrupt(proc)
        wait_gone(below, 5.0)
