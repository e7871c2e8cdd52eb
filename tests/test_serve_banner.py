"""What the instructor sees when ``serve ssh`` and ``serve web`` start: the run's
language (``--lang``), labels padded in terminal cells (a CJK character is two), no line
wider than an 80-column terminal, and the literal parts (commands, paths, the host key's
fingerprint) whole and exact.

The expected words come from the catalogue tables; the fingerprint from the key file.
The servers run for real (``--no-zygote``: the banner does not depend on it, and it
spares the machine a zygote's start-up); the variants a test cannot cheaply start (a
presenter key, ``--ready``, a wildcard host, a path wider than a line) are rendered
in-process by the function the server prints.
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncssh
import pytest
from rich.cells import cell_len
from serve_util import BANNER_ENDS, ROOT, Server, connect, interrupt

from tui_backprop import cli as main_cli
from tui_backprop.serve import cli as serve_cli
from tui_backprop.serve.session import SessionOptions
from tui_backprop.serve.ssh import HOST_KEY_NAME, SSHOptions
from tui_backprop.text import en, zh
from tui_backprop.text.catalogue import messages

TABLES = {"en": en.MESSAGES, "zh": zh.MESSAGES}
LABELS = ("students", "host_key", "key_file", "scenarios", "login", "limits", "presenter")
_FORMATTER = string.Formatter()


def _squeezed(text: str) -> str:
    """Without white space: a wrapped line breaks English at a space, Chinese anywhere."""
    return re.sub(r"\s+", "", text)


def _pieces(template: str) -> list[str]:
    """The words of a template around its ``{parameters}``."""
    return [_squeezed(literal) for literal, *_ in _FORMATTER.parse(template)
            if _squeezed(literal)]


def _says(banner: str, table: dict, key: str) -> bool:
    """Whether every word of the template ``key`` is in ``banner``."""
    return all(piece in _squeezed(banner) for piece in _pieces(table[key]))


def _label_lines(banner: str, table: dict, names=LABELS) -> dict[str, str]:
    """The line of each label shown, by label name."""
    out = {}
    for name in names:
        label = table[f"serve.banner.label.{name}"]
        found = [line for line in banner.splitlines() if line.startswith("  " + label)]
        if found:
            assert len(found) == 1, (name, found)
            out[name] = found[0]
    return out


def _check_layout(banner: str, table: dict, allowed_wide: tuple[str, ...] = ()) -> None:
    """No line wider than 80 cells (but a line holding one of ``allowed_wide``, a path
    wider than the terminal, which is never cut); every value, first line of a row or
    continuation, starts in the same column, counted in cells."""
    lines = banner.splitlines()
    for line in lines:
        if not any(long in line for long in allowed_wide):
            assert cell_len(line) <= 80, (cell_len(line), line)
    assert lines[-1] == "  " + table["serve.banner.stop"]
    columns = set()
    for line in lines[1:-1]:
        labels = [table[f"serve.banner.label.{n}"] for n in (*LABELS, "browsers")]
        lead = next((lab for lab in labels if line.startswith("  " + lab)), "")
        rest = line[2 + len(lead):] if lead else line
        value = rest.lstrip(" ")
        assert value, line
        if lead:
            assert len(rest) - len(value) >= 2, line   # a gap after the label
        columns.add(cell_len(line) - cell_len(value))
    assert len(columns) == 1, (columns, banner)


# ------------------------------------------------------------------- the real server


@pytest.fixture
def short_state():
    """A state folder with a short path: the key file's path then fits a line, so the
    test sees the width the banner's own words take."""
    path = Path(tempfile.mkdtemp(prefix="tb-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_ssh_banner_speaks_the_runs_language(short_state, lang):
    table = TABLES[lang]
    folder = short_state / "lecture"
    folder.mkdir()
    for name in ("add-mul.toml", "cs231n-sigmoid.toml"):
        shutil.copy(ROOT / "scenarios" / name, folder / name)
    keys = short_state / "keys"
    keys.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
    server = Server(short_state, "--password", "class-pw", "--authorized-keys", str(keys),
                    "--presenter-password", "teach-pw", "--scenarios", str(folder),
                    "--open", "add-mul", "--no-zygote", "--lang", lang).wait_started()
    try:
        banner = server.banner.rstrip("\n")
        lines = banner.splitlines()
        assert lines[0] == table["serve.banner.listening"].format(
            prog="tui-backprop serve ssh", address=f"127.0.0.1:{server.port}")
        _check_layout(banner, table)
        rows = _label_lines(banner, table)
        assert set(rows) == set(LABELS)

        # the fingerprint printed is the key file's, and the one a client is served
        key_file = short_state / "tui-backprop" / HOST_KEY_NAME
        fingerprint = asyncssh.read_private_key(str(key_file)).get_fingerprint("sha256")
        assert fingerprint in rows["host_key"] and "ED25519" in rows["host_key"]
        conn = await connect(server.port, password="class-pw")
        try:
            assert conn.get_server_host_key().get_fingerprint("sha256") == fingerprint
        finally:
            conn.close()

        # the literal parts, whole on their lines
        assert rows["students"].endswith(f"ssh -p {server.port} localhost")
        assert f"ssh -p {server.port} presenter@localhost" in banner
        assert str(key_file) in rows["key_file"]
        assert str(folder) in rows["scenarios"]
        assert str(keys) in banner
        # the words, this language's (the key was created on this run)
        for key in ("serve.banner.host_key", "serve.banner.key_file.new",
                    "serve.banner.scenarios.open", "serve.banner.login.both",
                    "serve.banner.limits.sessions", "serve.banner.limits.work",
                    "serve.banner.presenter", "serve.banner.presenter.password"):
            assert _says(banner, table, key), key
        assert _squeezed(table["serve.banner.count.many"].format(n=2)) in _squeezed(banner)
        assert "30m00s" in rows["limits"] and "20,000" in banner  # the defaults
        if lang == "zh":
            _assert_no_english(banner, [
                str(p) for p in (key_file, folder, keys, short_state)] + [
                fingerprint, "tui-backprop serve ssh", f"ssh -p {server.port} localhost",
                f"ssh -p {server.port} presenter@localhost", "add-mul", "ED25519", "ctrl+c"])
    finally:
        assert server.stop() == []
    # a second start: the same key, no longer new
    again = Server(short_state, "--no-auth", "--no-zygote", "--lang", lang).wait_started()
    try:
        assert fingerprint in again.banner
        assert not _says(again.banner, table, "serve.banner.key_file.new")
        assert _says(again.banner, table, "serve.banner.login.none")
    finally:
        assert again.stop() == []


def _assert_no_english(banner: str, literals: list[str]) -> None:
    """Once its literal parts are taken out, a Chinese banner has no English word: no
    label, no sentence of the English table (``CPU`` is the unit both languages use,
    ``ssh`` the program students run)."""
    rest = banner
    for literal in sorted(literals, key=len, reverse=True):
        rest = rest.replace(literal, " ")
    words = set(re.findall(r"[A-Za-z]{2,}", rest)) - {"CPU", "ssh"}
    assert not words, (words, banner)
    for key, text in en.MESSAGES.items():
        if key.startswith("serve.banner.label."):
            assert text not in banner, text


def _read_until_banner(proc: subprocess.Popen, timeout: float = 60.0) -> str:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    buf = b""
    try:
        while not any(end in buf for end in BANNER_ENDS):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError(f"no banner: {buf!r}")
            if sel.select(0.1):
                buf += os.read(proc.stdout.fileno(), 4096)
    finally:
        sel.close()
    return buf.decode()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_web_banner_speaks_the_runs_language(short_state, lang):
    """textual-serve's own start-up text (its logo, "Serving ... on ...") is not printed:
    ours is, once the port is bound."""
    table = TABLES[lang]
    folder = short_state / "lecture"
    folder.mkdir()
    shutil.copy(ROOT / "scenarios" / "add-mul.toml", folder / "add-mul.toml")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_backprop", "serve", "web", "--port", str(port),
         "--scenarios", str(folder), "--lang", lang],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(short_state),
        env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        banner = _read_until_banner(proc).rstrip("\n")
        # bound by now: the address answers
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        interrupt(proc)
    lines = banner.splitlines()
    assert lines[0] == table["serve.banner.listening"].format(
        prog="tui-backprop serve web", address=f"127.0.0.1:{port}")
    _check_layout(banner, table)
    rows = _label_lines(banner, table, ("browsers", "scenarios", "limits"))
    assert rows["browsers"].endswith(f"http://127.0.0.1:{port}")
    assert str(folder) in rows["scenarios"]
    assert _squeezed(table["serve.banner.count.one"].format(n=1)) in _squeezed(banner)
    assert _says(banner, table, "serve.banner.limits.work")
    assert "Serving" not in banner and "textual" not in banner.lower()
    if lang == "zh":
        _assert_no_english(banner, [str(folder), "tui-backprop serve web",
                                    f"http://127.0.0.1:{port}", "ctrl+c"])


# ------------------------------------------------------------- rendered in-process


@pytest.fixture
def say_in(monkeypatch):
    """Make ``lang`` the run's language (what ``tui-backprop --lang`` chooses)."""
    def choose(lang: str) -> dict:
        monkeypatch.setattr(main_cli, "_msgs", messages(lang))
        return TABLES[lang]
    return choose


FINGERPRINT = "SHA256:Iuw+mR9xBN3+/fwA/uXMEH+XRjfvhHcpJvR4BiI4dKo"


def _opts(**kw) -> SSHOptions:
    session = SessionOptions(scenarios=kw.pop("scenarios", "/srv/lecture3"),
                             open=kw.pop("open", None))
    return SSHOptions(session=session, **kw)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_login_and_limit_fits_and_is_said(say_in, lang):
    """Each way in (none, password, keys, both; a presenter's password, key or both),
    port 22 or not, sessions started ahead: all in 80 columns, aligned, in words of
    this language."""
    table = say_in(lang)
    cases = [
        (_opts(no_auth=True, port=22), "serve.banner.login.none"),
        (_opts(password="pw"), "serve.banner.login.password"),
        (_opts(authorized_keys="/etc/tb/keys"), "serve.banner.login.key"),
        (_opts(password="pw", authorized_keys="/etc/tb/keys", presenter_password="t",
               presenter_keys="/etc/tb/teacher", ready=30, max_sessions=120,
               idle_timeout=5400, open="cs231n-sigmoid"), "serve.banner.login.both"),
        (_opts(password="pw", presenter_keys="/etc/tb/teacher"), "serve.banner.login.password"),
    ]
    for opts, login in cases:
        banner = serve_cli.ssh_banner(opts, FINGERPRINT, "ED25519", "/k/ssh_host_ed25519_key",
                                      False, 12)
        _check_layout(banner, table)
        rows = _label_lines(banner, table)
        assert _says(banner, table, login), (login, banner)
        assert FINGERPRINT in rows["host_key"]
        students = "ssh localhost" if opts.port == 22 else f"ssh -p {opts.port} localhost"
        assert rows["students"].endswith(students)
        assert ("presenter" in rows) == opts.has_presenter
        if opts.has_presenter:
            # the presenter's command and credentials, as the tables word them
            password = table["serve.banner.presenter.password"]
            key = table["serve.banner.login.key"].format(path="/etc/tb/teacher")
            how = (table["serve.banner.presenter.either"].format(password=password, key=key)
                   if opts.presenter_password is not None else key)
            expected = table["serve.banner.presenter"].format(
                command=f"ssh -p {opts.port} presenter@localhost", how=how)
            assert _squeezed(expected) in _squeezed(banner), (expected, banner)
            assert f"ssh -p {opts.port} presenter@localhost" in rows["presenter"]
        assert _says(banner, table, "serve.banner.limits.ready") == bool(opts.ready)
        if opts.ready:
            assert "1h30m00s" in banner and "120" in rows["limits"]
        if opts.session.open:
            assert _says(banner, table, "serve.banner.scenarios.open")
            assert "cs231n-sigmoid" in banner


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_path_wider_than_the_terminal_is_never_cut(say_in, lang):
    """The literal parts are what the instructor copies: a path wider than a line
    stays whole on a line of its own, the words around it still within 80 columns."""
    table = say_in(lang)
    keys = "/home/instructor/" + "very-long-folder-name/" * 4 + "authorized_keys"
    assert len(keys) > 80
    banner = serve_cli.ssh_banner(_opts(password="pw", authorized_keys=keys), FINGERPRINT,
                                  "ED25519", "/k/ssh_host_ed25519_key", True, 1)
    _check_layout(banner, table, allowed_wide=(keys,))
    (line,) = [line for line in banner.splitlines() if keys in line]
    assert line.strip() == keys
    assert _says(banner, table, "serve.banner.login.both")
    assert _says(banner, table, "serve.banner.key_file.new")
    assert _squeezed(table["serve.banner.count.one"].format(n=1)) in _squeezed(banner)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_wildcard_host_names_this_machine(say_in, lang):
    """On 0.0.0.0 students type this machine's name; the web page needs --public-url to
    be reachable from other machines, and the banner says so."""
    table = say_in(lang)
    name = socket.gethostname() or table["serve.banner.this_machine"]
    ssh = serve_cli.ssh_banner(_opts(host="0.0.0.0", no_auth=True), FINGERPRINT, "ED25519",
                               "/k/key", False, 3)
    assert ssh.splitlines()[0].endswith(" 0.0.0.0:2222")
    assert _label_lines(ssh, table)["students"].endswith(f"ssh -p 2222 {name}")
    web = serve_cli.web_banner(SessionOptions(scenarios="/srv/lecture3"), "0.0.0.0", 8000,
                               "http://0.0.0.0:8000", None, 3)
    _check_layout(web, table)
    assert _says(web, table, "serve.banner.web.public_url")
    assert f"--public-url http://{name}:8000" in web
    given = serve_cli.web_banner(SessionOptions(scenarios="/srv/lecture3"), "0.0.0.0", 8000,
                                 "https://class.example.org", "https://class.example.org", 3)
    assert not _says(given, table, "serve.banner.web.public_url")
    assert _label_lines(given, table, ("browsers",))["browsers"].endswith(
        "https://class.example.org")


def test_the_address_is_the_same_in_both_languages(say_in):
    """The first line ends with the address in every language (scripts read it)."""
    heads = {}
    for lang in ("en", "zh"):
        say_in(lang)
        banner = serve_cli.ssh_banner(_opts(host="::1", port=2222, no_auth=True),
                                      FINGERPRINT, "ED25519", "/k/key", False, 3)
        heads[lang] = banner.splitlines()[0]
    assert heads["en"] != heads["zh"]
    assert all(head.endswith(" [::1]:2222") for head in heads.values()), heads


def test_control_characters_in_a_path_are_escaped(say_in):
    table = say_in("en")
    banner = serve_cli.ssh_banner(_opts(scenarios="/srv/le\x1b[2Jcture", no_auth=True),
                                  FINGERPRINT, "ED25519", "/k/key", False, 3)
    assert "\x1b" not in banner and "/srv/le\\x1b[2Jcture" in banner
    _check_layout(banner, table)

