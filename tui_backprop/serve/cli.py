"""``tui-backprop serve ssh`` and ``tui-backprop serve web``: the arguments.

Bad usage is one line and exit 2, as everywhere in the CLI; a bad ``--open`` scenario
prints its diagnostics, one per line.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys

from tui_backprop import cli as _cli
from tui_backprop.cli import MAX_PRECISION, UsageError, _int_in, _Parser
from tui_backprop.engine import ScenarioError, load
from tui_backprop.engine.scenario import bundled_dir
from tui_backprop.serve.session import SessionOptions
from tui_backprop.text.catalogue import Msg
from tui_backprop.text.escape import printable

PROG = "tui-backprop serve"
#: The defaults the issue asks for: a room of 60, half an hour without a key.
DEFAULT_MAX_SESSIONS = 60
DEFAULT_IDLE = "30m"
DEFAULT_MAX_TRAIN = 20_000
DEFAULT_CPU_SECONDS = 600

HELP = f"""\
usage: {PROG} ssh [--host H] [--port P] [--scenarios DIR] [--open NAME]
                          (--password PW | --password-file F | --authorized-keys F | --no-auth)
                          [--presenter-password PW | --presenter-key F]
                          [--max-sessions N] [--idle-timeout T] [--log FILE] ...
       {PROG} web [--host H] [--port P] [--scenarios DIR] [--open NAME] [--public-url URL]

Serve the debugger to a room: every student gets their own session.

  ssh     an SSH server: students type 'ssh -p 2222 HOST' (see '{PROG} ssh --help')
  web     a web server: students open http://HOST:8000 (see '{PROG} web --help')
"""


def _say(key: str, /, **params) -> str:
    """A message in the language :func:`tui_backprop.cli.main` chose for this run."""
    return _cli._msgs(key, **params)


def _duration(text: str) -> float:
    """``30m``, ``90s``, ``1h``, ``1.5s``; a bare number is minutes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(_say("serve.duration.format", got=repr(text)))
    value = float(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "": 60}[m.group(2)]
    if not (math.isfinite(value) and 0 < value <= 7 * 24 * 3600):
        raise argparse.ArgumentTypeError(_say("serve.duration.range", got=text))
    return value


def _common(p: argparse.ArgumentParser, default_port: int) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, this machine only; "
                        "0.0.0.0 for the room's network)")
    p.add_argument("--port", type=_int_in("port", 0, 65535), default=default_port,
                   help=f"port (default {default_port}; 0 picks a free one)")
    p.add_argument("--scenarios", metavar="DIR", default=None,
                   help="the folder of scenarios students may open (only files under it; "
                        "default: the bundled scenarios)")
    p.add_argument("--open", metavar="NAME", default=None,
                   help="start every session on this scenario of --scenarios "
                        "(default: the scenario picker)")
    p.add_argument("--precision", type=_int_in("precision", 1, MAX_PRECISION), default=4,
                   metavar="N", help="significant digits shown (default 4)")
    p.add_argument("--max-train", type=_int_in("max-train", 1, 1_000_000),
                   default=DEFAULT_MAX_TRAIN, metavar="N",
                   help=f"the most iterations one 't' may train (default "
                        f"{DEFAULT_MAX_TRAIN:,}); training runs at the lowest CPU priority")
    p.add_argument("--cpu-limit", type=_int_in("cpu-limit", 10, 86_400),
                   default=DEFAULT_CPU_SECONDS, metavar="SECONDS",
                   help=f"CPU seconds one session may use in all (default "
                        f"{DEFAULT_CPU_SECONDS}; stepping costs ~10 ms a key)")


def _parser(kind: str) -> _Parser:
    if kind == "ssh":
        p = _Parser(prog=f"{PROG} ssh", allow_abbrev=False,
                    description="Serve the debugger over SSH: one isolated session per "
                                "student, on its own terminal.")
        _common(p, 2222)
        auth = p.add_argument_group("login (choose at least one)")
        auth.add_argument("--password", default=None, help="a shared class password "
                          "(visible to other users of this machine in 'ps'; see "
                          "--password-file)")
        auth.add_argument("--password-file", metavar="FILE", default=None,
                          help="read the class password from the first line of FILE")
        auth.add_argument("--authorized-keys", metavar="FILE", default=None,
                          help="students' public keys, OpenSSH authorized_keys format")
        auth.add_argument("--no-auth", action="store_true",
                          help="no login at all: only on a loopback --host, or with "
                               "--i-know-this-is-open")
        auth.add_argument("--i-know-this-is-open", action="store_true",
                          help="allow --no-auth on an address others can reach")
        teach = p.add_argument_group("a presenter the class follows (user name 'presenter', "
                                     "whatever the students' login)")
        teach.add_argument("--presenter-password", metavar="PW", default=None,
                           help="the presenter's password (see --presenter-password-file)")
        teach.add_argument("--presenter-password-file", metavar="FILE", default=None,
                           help="read the presenter's password from the first line of FILE")
        teach.add_argument("--presenter-key", metavar="FILE", default=None,
                           help="the presenter's public key(s), authorized_keys format")
        p.add_argument("--max-sessions", type=_int_in("max-sessions", 1, 10_000),
                       default=DEFAULT_MAX_SESSIONS, metavar="N",
                       help=f"sessions at once (default {DEFAULT_MAX_SESSIONS}); the next "
                            "student is told the class is full")
        p.add_argument("--ready", type=_int_in("ready", 0, 10_000), default=0, metavar="N",
                       help="keep N sessions up (default 0): sessions are started ahead, "
                            "while nobody connects, until N students have one, so the first "
                            "N who connect at once get their screen at once (a waiting "
                            "session holds ~20 MB, as a student's does)")
        p.add_argument("--idle-timeout", type=_duration, default=_duration(DEFAULT_IDLE),
                       metavar="T", help="end a session after this long without a key "
                                         "(30m, 90s, 1h; default 30m)")
        p.add_argument("--host-key", metavar="FILE", default=None,
                       help="the server's private host key (default: an ed25519 key "
                            "generated on first run in $XDG_STATE_HOME/tui-backprop)")
        p.add_argument("--log", metavar="FILE", default=None,
                       help="append the connection log to FILE (default: stderr)")
        p.add_argument("--no-zygote", action="store_true",
                       help="start every session as a new Python process instead of "
                            "forking a pre-imported one (slower; for troubleshooting)")
    else:
        p = _Parser(prog=f"{PROG} web", allow_abbrev=False,
                    description="Serve the debugger to browsers (textual-serve).")
        _common(p, 8000)
        p.add_argument("--public-url", default=None, metavar="URL",
                       help="the address browsers use, if not http://HOST:PORT (behind a "
                            "proxy, or with --host 0.0.0.0)")
    return p


def _session_options(args: argparse.Namespace) -> tuple[SessionOptions, int]:
    """Check --scenarios and --open; the session options and the scenario count."""
    from tui_backprop.tui.scenario_dir import ScenarioDir

    folder = args.scenarios if args.scenarios is not None else str(bundled_dir())
    if not os.path.isdir(folder):
        raise UsageError(Msg("serve.scenarios.not_folder", folder=printable(folder)))
    scenarios = ScenarioDir(folder)
    count = len(scenarios.names())
    if count == 0:
        raise UsageError(Msg("serve.scenarios.empty", folder=printable(folder)))
    if args.open is not None:
        try:
            load(scenarios.path_of(args.open))
        except ScenarioError as exc:
            # one line each, as 'tui-backprop check' prints them, in the run's language
            for line in exc.lines(_cli._msgs):
                print(printable(line), file=sys.stderr)
            raise SystemExit(2) from None
    opts = SessionOptions(scenarios=scenarios.root, open=args.open, precision=args.precision,
                          max_train=args.max_train, cpu_seconds=args.cpu_limit)
    return opts, count


def _password(args: argparse.Namespace, option: str = "password") -> str | None:
    given, file = getattr(args, option), getattr(args, option + "_file")
    name = "--" + option.replace("_", "-")
    if given is not None and file is not None:
        raise UsageError(Msg("serve.password.both", name=name))
    if file is not None:
        try:
            with open(file, encoding="utf-8") as fh:
                text = fh.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(Msg("serve.password.file", name=name, file=printable(file),
                                 why=str(getattr(exc, "strerror", None) or exc))) from None
        if not text:
            raise UsageError(Msg("serve.password.file_empty", name=name,
                                 file=printable(file)))
        return text
    if given == "":
        raise UsageError(Msg("serve.password.empty", name=name))
    return given


def _check_keys(option: str, path: str | None) -> None:
    if path is None:
        return
    import asyncssh

    try:
        asyncssh.read_authorized_keys(path)
    except (OSError, ValueError, asyncssh.KeyImportError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise UsageError(Msg("serve.keys.bad", option=option, path=printable(path),
                             why=printable(detail))) from None


def cmd_ssh(argv: list[str]) -> int:
    from tui_backprop.serve import ssh

    args = _parser("ssh").parse_args(argv)
    password = _password(args)
    if args.no_auth and (password is not None or args.authorized_keys is not None):
        raise UsageError(Msg("serve.no_auth.combined"))
    if not args.no_auth and password is None and args.authorized_keys is None:
        raise UsageError(Msg("serve.auth.choose"))
    if args.no_auth and not ssh.is_loopback(args.host) and not args.i_know_this_is_open:
        raise UsageError(Msg("serve.no_auth.open", host=printable(args.host)))
    _check_keys("--authorized-keys", args.authorized_keys)
    presenter_password = _password(args, "presenter_password")
    _check_keys("--presenter-key", args.presenter_key)
    if presenter_password is not None and presenter_password == password:
        raise UsageError(Msg("serve.presenter.same"))
    session, count = _session_options(args)
    opts = ssh.SSHOptions(session=session, host=args.host, port=args.port,
                          max_sessions=args.max_sessions, idle_timeout=args.idle_timeout,
                          password=password, authorized_keys=args.authorized_keys,
                          no_auth=args.no_auth, host_key=args.host_key, log=args.log,
                          zygote=not args.no_zygote,
                          presenter_password=presenter_password,
                          presenter_keys=args.presenter_key, ready=args.ready)
    return ssh.run(opts, count)


def cmd_web(argv: list[str]) -> int:
    from tui_backprop.serve import web

    args = _parser("web").parse_args(argv)
    session, _count = _session_options(args)
    return web.run(session, args.host, args.port, args.public_url)


def main(argv: list[str]) -> int:
    """``tui-backprop serve ...``; raises :class:`UsageError` for bad usage."""
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(HELP)
        return 0 if argv else 2
    if argv[0] == "ssh":
        return cmd_ssh(argv[1:])
    if argv[0] == "web":
        return cmd_web(argv[1:])
    raise UsageError(Msg("serve.usage.choose", what=printable(argv[0])))
