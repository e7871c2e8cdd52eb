"""``tui-backprop serve ssh`` end to end: the real server in a subprocess on 127.0.0.1
(started as under ``nohup``: SIGHUP ignored), asyncssh's client, the screen read with the
pyte terminal emulator, the process table read from /proc.

The numbers asserted come from the add-mul scenario worked by hand (CS231n):
x = -2, y = 5, z = -4; q = x + y = 3, f = q * z = -12.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import asyncssh
import pytest
from serve_util import ROOT, Server, Terminal, connect, descendants, exists, wait_gone

SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A scenarios folder (two scenarios, one in a subfolder, and a symlink that points
    outside it), a secret scenario outside it, and a --no-auth server on loopback."""
    base = tmp_path_factory.mktemp("room")
    folder = base / "lecture"
    (folder / "week2").mkdir(parents=True)
    shutil.copy(SCENARIOS / "add-mul.toml", folder / "add-mul.toml")
    shutil.copy(SCENARIOS / "cs231n-sigmoid.toml", folder / "week2" / "sigmoid.toml")
    secret = base / "secret.toml"
    text = (SCENARIOS / "add-mul.toml").read_text().replace(
        'title = "f = (x + y) * z"', 'title = "TOP SECRET"')
    assert "TOP SECRET" in text
    secret.write_text(text)
    (folder / "leak.toml").symlink_to(secret)
    server = Server(base, "--no-auth", "--scenarios", str(folder)).wait_started()
    server.base = base
    yield server
    left = server.stop()
    assert left == [], f"processes left behind after the server stopped: {left}"


def zygote_children(server: Server) -> list[int]:
    """Session processes still under the server (zombies included)."""
    return [p for p in descendants(server.pid) if p not in _helpers(server)]


def _helpers(server: Server) -> set[int]:
    """The server's direct children (the zygote)."""
    out = set()
    for p in descendants(server.pid):
        try:
            with open(f"/proc/{p}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid == server.pid:
            out.add(p)
    return out


async def test_banner_shows_fingerprint_and_host_key_persists(room):
    assert "ssh -p" in room.banner and "localhost" in room.banner
    key_file = room.base / "tui-backprop" / "ssh_host_ed25519_key"
    assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600
    key = asyncssh.read_private_key(str(key_file))
    assert key.algorithm == b"ssh-ed25519"
    assert key.get_fingerprint("sha256") in room.banner
    # what a client sees is that key
    conn = await connect(room.port)
    try:
        served = conn.get_server_host_key()
        assert served.get_fingerprint("sha256") == key.get_fingerprint("sha256")
    finally:
        conn.close()


async def test_picker_lists_only_the_scenarios_folder_and_keys_step(room):
    conn = await connect(room.port)
    try:
        t = await Terminal.open(conn, 80, 24)
        await t.wait_for("Open a scenario")
        await t.wait_for(r"week2/sigmoid")
        screen = t.text
        assert "add-mul" in screen
        assert "TOP SECRET" not in screen and "leak" not in screen   # the symlink out
        assert "cs231n-staged" not in screen                          # not bundled ones
        await t.type("\r")  # the first entry: add-mul
        await t.wait_for(r"FORWARD\s+step 1/5")
        assert "q = 3" in t.text                                     # -2 + 5
        await t.type("n")
        await t.wait_for(r"step 2/5")
        assert "f = -12" in t.text                                     # 3 * -4
        await t.type("p")
        await t.wait_for(r"step 1/5")
        await t.type("q")
        assert await t.closed() == 0
    finally:
        conn.close()


async def test_resize_reflows_to_the_wide_layout(room):
    conn = await connect(room.port)
    try:
        t = await Terminal.open(conn, 80, 24)
        await t.wait_for("Open a scenario")
        await t.type("add-mul\r")
        await t.wait_for(r"step 1/5")
        assert "Code " not in t.text          # narrow: circuit only ("v: code")
        t.resize(120, 40)
        await t.wait_for(r"Circuit ─+.*─ Code ─")  # wide: side by side
        await t.wait_for(r"Values")
        t.resize(60, 20)
        await t.wait_for(r"step 1/5")
        assert all(len(line.rstrip()) <= 60 for line in t.screen.display)
    finally:
        conn.close()


async def test_outside_paths_cannot_be_opened_by_typing_in_the_picker(room):
    conn = await connect(room.port)
    try:
        t = await Terminal.open(conn, 100, 30)
        await t.wait_for("Open a scenario")
        await t.type("add-mul\r")
        await t.wait_for(r"step 1/5")
        for attempt in ("../secret", str(room.base / "secret.toml"), "leak",
                        "/etc/passwd", "~/x"):
            await t.type("o")
            await t.wait_for("Open a scenario")
            await t.type(attempt + "\r")   # the text field has the focus
            await t.wait_for("only the scenarios of this server")
            assert "TOP SECRET" not in t.text
        assert "f = (x + y) * z" in t.text   # still on the good scenario
    finally:
        conn.close()


async def test_disconnect_leaves_no_process_behind(room):
    conn = await connect(room.port)
    t = await Terminal.open(conn, 80, 24)
    await t.wait_for("Open a scenario")
    room.wait_log(r"connect \S+ .*pid (\d+) \(")
    pid = room.session_pids()[-1]
    assert exists(pid)
    conn.close()  # the student closes the laptop
    took = await asyncio.to_thread(wait_gone, [pid], 10.0)
    assert took is not None, f"session {pid} still in the process table"
    assert zygote_children(room) == []
    room.wait_log(r"disconnect \S+ after \d+s \(client left\)")


async def test_session_without_a_pty_is_refused(room):
    conn = await connect(room.port)
    try:
        result = await asyncio.wait_for(conn.run("", term_type=None), 20)
        assert result.exit_status == 1
        assert "needs a terminal" in result.stdout
        room.wait_log(r"refused \S+: no terminal")
    finally:
        conn.close()


async def test_client_environment_colorterm_and_no_color(room):
    conn = await connect(room.port)
    try:
        true = await Terminal.open(conn, 80, 24, env={"COLORTERM": "truecolor"})
        plain = await Terminal.open(conn, 80, 24)
        mono = await Terminal.open(conn, 80, 24, env={"NO_COLOR": "1"})
        for t in (true, plain, mono):
            await t.wait_for("Open a scenario")
            await asyncio.sleep(0.3)
        # an SGR sequence's parameters may start with a reset (0;38;2;...)
        def sgr(raw: bytes, colour: bytes) -> bool:
            return re.search(rb"\x1b\[(?:[0-9]+;)*" + colour, bytes(raw)) is not None

        assert sgr(true.raw, rb"38;2;")                                # 24-bit colour
        assert not sgr(plain.raw, rb"38;2;") and sgr(plain.raw, rb"38;5;")  # 256
        assert not sgr(mono.raw, rb"[34]8;") and not sgr(mono.raw, rb"[3-49][0-7]m")
    finally:
        conn.close()


async def test_client_locale_picks_language_and_ascii(room):
    """A client that sends no UTF-8 locale (PuTTY, Windows' ssh) gets ASCII only; one that
    sends a Chinese UTF-8 locale gets the Chinese debugger."""
    conn = await connect(room.port)
    try:
        bare = await Terminal.open(conn, 80, 24, env={})
        zh = await Terminal.open(conn, 80, 24, env={"LANG": "zh_CN.UTF-8"})
        for t in (bare, zh):
            await t.wait_for(r"add-mul")
            await t.type("add-mul\r")
        await bare.wait_for(r"step 1/5")
        await zh.wait_for(r"1/5")
        assert bare.text.isascii()
        assert "前向传播" in zh.text
    finally:
        conn.close()


async def test_a_crashing_session_ends_alone(room):
    conn = await connect(room.port)
    try:
        a = await Terminal.open(conn, 80, 24)
        b = await Terminal.open(conn, 80, 24)
        await a.wait_for("Open a scenario")
        await b.wait_for("Open a scenario")
        pid_a = room.session_pids()[-2]
        os.kill(pid_a, signal.SIGSEGV)
        room.wait_log(rf"crash \S+ pid {pid_a}: killed by SIGSEGV")
        victim, other = (a, b)
        status = await victim.closed()
        assert status == 1
        assert "stopped unexpectedly" in victim.raw.decode("utf-8", "replace")
        # the other session and the server carry on
        await other.type("add-mul\r")
        await other.wait_for(r"step 1/5")
        fresh = await connect(room.port)
        t = await Terminal.open(fresh, 80, 24)
        await t.wait_for("Open a scenario")
        fresh.close()
    finally:
        conn.close()


# ------------------------------------------------------------- servers of their own


@pytest.fixture
def state(tmp_path):
    return tmp_path


def _keyfile(path, key):
    path.write_bytes(key.export_private_key())
    return str(path)


async def test_password_login(state):
    server = Server(state, "--password", "correct horse").wait_started()
    try:
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(server.port, password="wrong")
        server.wait_log(r"refused \S+: authentication failed")
        conn = await connect(server.port, password="correct horse")
        t = await Terminal.open(conn, 80, 24)
        await t.wait_for("Open a scenario")
        conn.close()
    finally:
        assert server.stop() == []


async def test_authorized_keys_login_without_the_zygote(state):
    """Key login; and sessions started as new processes (--no-zygote) work the same."""
    known = asyncssh.generate_private_key("ssh-ed25519")
    stranger = asyncssh.generate_private_key("ssh-ed25519")
    (state / "authorized_keys").write_bytes(known.export_public_key())
    server = Server(state, "--authorized-keys", str(state / "authorized_keys"),
                    "--no-zygote").wait_started()
    try:
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(server.port, client_keys=[stranger])
        conn = await connect(server.port, client_keys=[known])
        t = await Terminal.open(conn, 80, 24)
        await t.wait_for("Open a scenario")
        conn.close()
    finally:
        assert server.stop() == []


async def test_max_sessions_and_idle_timeout(state):
    server = Server(state, "--no-auth", "--max-sessions", "2", "--idle-timeout", "3s",
                    "--open", "add-mul").wait_started()
    try:
        conn = await connect(server.port)
        first = await Terminal.open(conn, 80, 24)
        second = await Terminal.open(conn, 80, 24)
        await first.wait_for(r"step 1/5")
        await second.wait_for(r"step 1/5")
        third = await Terminal.open(conn, 80, 24)
        assert await third.closed() == 1
        assert "the class is full (2 sessions" in third.raw.decode()
        server.wait_log(r"refused \S+: full \(2 sessions\)")
        # said in the language of the locale the student's client sends; in ASCII
        # English when that locale cannot show anything else
        chinese = await Terminal.open(conn, 80, 24, env={"LANG": "zh_CN.UTF-8"})
        assert await chinese.closed() == 1
        assert "抱歉，课堂已满（正在运行 2 个会话）" in chinese.raw.decode()
        plain = await Terminal.open(conn, 80, 24, env={"LANG": "C"})
        assert await plain.closed() == 1
        assert plain.raw.isascii() and b"the class is full (2 sessions" in plain.raw
        # keys keep `second` alive while `first` idles out
        start = time.monotonic()
        while time.monotonic() - start < 4.5:
            await second.type("n")
            await asyncio.sleep(0.5)
        assert await first.closed() == 1
        assert "no key was pressed for 3s" in first.raw.decode("utf-8", "replace")
        server.wait_log(r"disconnect \S+ after 3s \(idle\)")
        assert second.proc.exit_status is None   # still running
        await second.type("q")
        assert await second.closed() == 0
        conn.close()
    finally:
        assert server.stop() == []


def test_no_auth_refused_off_loopback(cli):
    r = cli("serve", "ssh", "--no-auth", "--host", "0.0.0.0")
    assert r.code == 2
    assert r.err_lines == [r.err_lines[0]] and "--no-auth on 0.0.0.0" in r.err
    r = cli("serve", "ssh", "--host", "127.0.0.1")
    assert r.code == 2 and "choose how students log in" in r.err


def test_bad_open_and_scenarios_arguments(cli, tmp_path):
    r = cli("serve", "ssh", "--no-auth", "--open", "../etc/passwd")
    assert r.code == 2 and "only the scenarios of this server" in r.err
    r = cli("serve", "ssh", "--no-auth", "--scenarios", str(tmp_path))
    assert r.code == 2 and "no .toml scenarios" in r.err
    r = cli("serve", "ssh", "--no-auth", "--idle-timeout", "soon")
    assert r.code == 2 and "duration" in r.err


def test_credential_and_log_files_are_bounded_and_checked_before_starting(cli, tmp_path):
    """/dev/zero as a password or keys file used to be read until memory ran out, and an
    unwritable --log was an internal error; each is now one line and exit 2."""
    for option in ("--password-file", "--authorized-keys"):
        r = cli("serve", "ssh", option, "/dev/zero")
        assert r.code == 2 and len(r.err_lines) == 1, r.err
        assert "/dev/zero" in r.err and ("longer than 4096 bytes" in r.err
                                         or "larger than 1024 KiB" in r.err)
    r = cli("serve", "ssh", "--no-auth", "--presenter-password-file", "/dev/zero")
    assert r.code == 2 and "longer than 4096 bytes" in r.err
    big = tmp_path / "keys"
    big.write_text("# a comment line\n" * 70_000)   # ~1.1 MiB
    r = cli("serve", "ssh", "--no-auth", "--presenter-key", str(big))
    assert r.code == 2 and "larger than 1024 KiB" in r.err
    short = tmp_path / "pw"
    short.write_text("x" * 4096 + "\nsecond line\n")  # exactly the longest password
    r = cli("serve", "ssh", "--password-file", str(short), "--log", str(tmp_path))
    assert r.code == 2 and len(r.err_lines) == 1
    assert f"--log {tmp_path}: Is a directory" in r.err
    r = cli("serve", "ssh", "--password", "x", "--log", str(tmp_path / "no" / "log"))
    assert r.code == 2 and "No such file or directory" in r.err


def test_server_stops_cleanly_on_sigterm_with_sessions_open(tmp_path):
    """A server stopped mid-lecture ends every session; nothing is left."""
    server = Server(tmp_path, "--no-auth").wait_started()

    async def open_two() -> None:
        conn = await connect(server.port)
        for _ in range(2):
            t = await Terminal.open(conn, 80, 24)
            await t.wait_for("Open a scenario")
        pids = server.session_pids()
        assert len(pids) == 2 and all(exists(p) for p in pids)
        left = await asyncio.to_thread(server.stop)
        assert left == []
        # the student's terminal is given back: the main screen, after the app's last
        # switch to the alternate one, and no more mouse reports
        for _ in range(50):
            if t.raw.rfind(b"\x1b[?1049l") > t.raw.rfind(b"\x1b[?1049h"):
                break
            await asyncio.sleep(0.05)
        raw = bytes(t.raw)
        assert raw.rfind(b"\x1b[?1049l") > raw.rfind(b"\x1b[?1049h") >= 0
        assert raw.rfind(b"\x1b[?1000l") > raw.rfind(b"\x1b[?1000h")
        assert b"the class server was stopped; your session has ended." in raw
        conn.close()

    asyncio.run(open_two())
    assert server.proc.returncode == 0


def test_serve_help_lists_both_commands():
    proc = subprocess.run([sys.executable, "-m", "tui_backprop", "serve", "--help"],
                          capture_output=True, text=True, timeout=60, cwd=str(ROOT))
    assert proc.returncode == 0
    assert "serve ssh" in proc.stdout and "serve web" in proc.stdout


@pytest.mark.parametrize("kind", ["ssh", "web"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_port_in_use_is_one_line_in_the_runs_language(kind, lang, tmp_path):
    """A port another program holds: exit 2 with one catalogue line (no traceback), in
    the language the command was run in; the reason is the system's own words. Nothing
    else is printed on either stream: no banner, no logo, no line about a zygote."""
    import socket

    from tui_backprop.text import en, zh

    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        extra = ["--no-auth"] if kind == "ssh" else []
        proc = subprocess.run(
            [sys.executable, "-m", "tui_backprop", "serve", kind, *extra, "--port", str(port),
             "--lang", lang], capture_output=True, text=True, timeout=120, cwd=str(ROOT),
            env=dict(os.environ, XDG_STATE_HOME=str(tmp_path)))
    finally:
        holder.close()
    assert proc.returncode == 2
    table = {"en": en.MESSAGES, "zh": zh.MESSAGES}[lang]
    head = table["serve.listen_failed"].split("{reason}")[0].format(
        address=f"127.0.0.1:{port}")
    error = table["diag.error"]
    first = proc.stderr.splitlines()[0]
    assert first.startswith("tui-backprop: ") and error in first and head in first, first
    # the reason: the system's words for the errno
    assert first.endswith(head + os.strerror(errno.EADDRINUSE)), first
    assert "Traceback" not in proc.stderr
    assert proc.stderr == first + "\n", proc.stderr
    assert proc.stdout == "", proc.stdout
