"""``tui-backprop serve ssh`` and ``tui-backprop serve web``: the arguments.

Bad usage is one line and exit 2, as everywhere in the CLI; a bad ``--open`` scenario
prints its diagnostics, one per line.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import socket
import sys

from tui_backprop import cli as _cli
from tui_backprop.cli import MAX_PRECISION, UsageError, _help_arg, _int_in, _Parser
from tui_backprop.engine import ScenarioError, load
from tui_backprop.engine.scenario import bundled_dir
from tui_backprop.numfmt import DEFAULT_PRECISION
from tui_backprop.serve.session import SessionOptions
from tui_backprop.text.catalogue import Msg
from tui_backprop.text.escape import printable
from tui_backprop.text.wrap import cells, wrap

PROG = "tui-backprop serve"
#: The defaults the issue asks for: a room of 60, half an hour without a key.
DEFAULT_MAX_SESSIONS = 60
DEFAULT_IDLE = "30m"
DEFAULT_MAX_TRAIN = 20_000
DEFAULT_CPU_SECONDS = 600

#: ``serve --help``'s usage lines: commands, so literal in every language (and no
#: wider than an 80-column terminal); the rest is the catalogue's ``serve.help.body``.
USAGE = f"""\
usage: {PROG} ssh [--host H] [--port P] [--scenarios DIR]
         (--password PW | --password-file F | --authorized-keys F | --no-auth)
         [--presenter-password PW | --presenter-key F] [--open NAME]
         [--max-sessions N] [--ready N] [--idle-timeout T] [--log FILE] ...
       {PROG} web [--host H] [--port P] [--scenarios DIR]
         [--open NAME] [--public-url URL]
"""


def _help() -> str:
    """``tui-backprop serve --help`` in this run's language."""
    return USAGE + "\n" + _say("serve.help.body", prog=PROG) + "\n"


def _say(key: str, /, **params) -> str:
    """A message in the language :func:`tui_backprop.cli.main` chose for this run."""
    return _cli._msgs(key, **params)


def listen_failed(host: str, port: int, exc: OSError) -> None:
    """The server could not bind ``host:port``: one line on stderr, in the run's language
    (``tui-backprop: error: cannot listen on 127.0.0.1:2222: Address already in use``)."""
    # the system's words for the errno (asyncio's strerror wraps them in a sentence of
    # its own: "error while attempting to bind on address (...): address already in
    # use"); a host name that does not resolve has getaddrinfo's own words
    if exc.errno and exc.errno > 0 and not isinstance(exc, socket.gaierror):
        reason = os.strerror(exc.errno)
    else:
        reason = str(exc.strerror or exc)
    _cli._error(_cli.PROG, Msg("serve.listen_failed", address=f"{host}:{port}",
                               reason=reason))


# ------------------------------------------------------------------ start-up banners

#: No banner line is wider than an 80-column terminal, unless one path or command is.
BANNER_WIDTH = 80
#: The first of the private-use characters that stand for literal parts while a value
#: is wrapped (see :class:`_Fitter`).
_MARK, _MARK_LAST = 0xE000, 0xF8FF


class _Fitter:
    """A banner value wrapped to its column, its literal parts never cut.

    Paths, commands and the fingerprint are what an instructor copies: each is replaced
    by a run of one private-use character (as wide as the part, at most a line) while
    :func:`~tui_backprop.text.wrap.wrap` lays the words out, so a literal moves to the
    next line whole, and one wider than a line stays whole on a line of its own."""

    def __init__(self) -> None:
        self.literals: list[str] = []

    def lit(self, value: object) -> str:
        """``value`` (escaped: one safe line) as a part to keep whole."""
        # (private-use characters, which no font shows, are escaped too: here they
        # stand for the literals)
        text = "".join(f"\\u{ord(ch):04x}" if _MARK <= ord(ch) <= _MARK_LAST else ch
                       for ch in printable(str(value)))
        if not text:
            return ""
        mark = chr(_MARK + len(self.literals))
        self.literals.append(text)
        return mark * cells(text)

    def lines(self, text: str, width: int) -> list[str]:
        """``text`` (with the marks of :meth:`lit`) in lines of at most ``width`` cells,
        the literals put back."""
        for i in range(len(self.literals)):  # a literal wider than a line: a line of it
            mark = chr(_MARK + i)
            text = re.sub(f"{mark}{{{width + 1},}}", mark * width, text)
        joined = "\n".join(wrap(text, width))
        for i, part in enumerate(self.literals):
            mark = chr(_MARK + i)
            # (a mark cut by wrap() is joined again: the literal stays on one line)
            joined = re.sub(f"{mark}[{mark}\n]*{mark}|{mark}", lambda _m, p=part: p, joined)
        return joined.split("\n")


def _banner(head: str, rows: list[tuple[str, str]], fit: _Fitter) -> str:
    """The head line, then ``label  value`` rows (labels padded in terminal cells, a CJK
    character being two, so the values start in one column in every language), then
    how to stop."""
    labels = [_say(key) for key, _ in rows]
    column = 2 + max(cells(label) for label in labels) + 3
    lines = [head]
    for label, (_, value) in zip(labels, rows, strict=True):
        for i, line in enumerate(fit.lines(value, BANNER_WIDTH - column)):
            lead = "  " + label if i == 0 else ""
            lines.append((lead + " " * (column - cells(lead)) + line).rstrip())
    lines.append("  " + _say("serve.banner.stop"))
    return "\n".join(lines)


def _address(host: str, port: int) -> str:
    """``127.0.0.1:2222``, ``[::1]:2222``: the same in every language (tests and scripts
    read it from the banner's first line)."""
    host = printable(host)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _reach(host: str) -> str:
    """The name students reach ``host`` by: ``localhost`` for a loopback address, this
    machine's name for a wildcard one."""
    from tui_backprop.serve.ssh import is_loopback

    if is_loopback(host):
        return "localhost"
    if host in ("0.0.0.0", "::", ""):
        return socket.gethostname() or _say("serve.banner.this_machine")
    return host


def _scenarios_row(fit: _Fitter, opts: SessionOptions, count: int) -> tuple[str, str]:
    n = _say("serve.banner.count.one" if count == 1 else "serve.banner.count.many", n=count)
    folder = fit.lit(opts.scenarios)
    if opts.open:
        value = _say("serve.banner.scenarios.open", folder=folder, count=n,
                     name=fit.lit(opts.open))
    else:
        value = _say("serve.banner.scenarios", folder=folder, count=n)
    return "serve.banner.label.scenarios", value


def _work(opts: SessionOptions) -> str:
    return _say("serve.banner.limits.work", iterations=f"{opts.max_train:,}",
                cpu=opts.cpu_seconds)


def ssh_banner(opts, fingerprint: str, key_type: str, key_path: str, created: bool,
               scenario_count: int) -> str:
    """What ``serve ssh`` prints at start, in the run's language: the students'
    command, the host key's fingerprint, the scenarios, the login and the limits
    (``opts``: :class:`tui_backprop.serve.ssh.SSHOptions`)."""
    from tui_backprop.serve.ssh import fmt_duration

    fit = _Fitter()
    where = _reach(opts.host)
    port = "" if opts.port == 22 else f"-p {opts.port} "
    if opts.no_auth:
        login = _say("serve.banner.login.none")
    elif opts.password is not None and opts.authorized_keys is not None:
        login = _say("serve.banner.login.both", path=fit.lit(opts.authorized_keys))
    elif opts.password is not None:
        login = _say("serve.banner.login.password")
    else:
        login = _say("serve.banner.login.key", path=fit.lit(opts.authorized_keys))
    limits = [_say("serve.banner.limits.sessions", n=opts.max_sessions,
                   idle=fmt_duration(opts.idle_timeout)), _work(opts.session)]
    if opts.ready:
        limits.append(_say("serve.banner.limits.ready", n=opts.ready))
    path = fit.lit(key_path)
    rows = [
        ("serve.banner.label.students", fit.lit(f"ssh {port}{where}")),
        ("serve.banner.label.host_key", _say("serve.banner.host_key",
                                              fingerprint=fit.lit(fingerprint),
                                              algorithm=key_type)),
        ("serve.banner.label.key_file",
         _say("serve.banner.key_file.new", path=path) if created else path),
        _scenarios_row(fit, opts.session, scenario_count),
        ("serve.banner.label.login", login),
        ("serve.banner.label.limits", "\n".join(limits)),
    ]
    if opts.has_presenter:
        password = (_say("serve.banner.presenter.password")
                    if opts.presenter_password is not None else None)
        key = (_say("serve.banner.login.key", path=fit.lit(opts.presenter_keys))
               if opts.presenter_keys is not None else None)
        how = (_say("serve.banner.presenter.either", password=password, key=key)
               if password and key else password or key)
        rows.append(("serve.banner.label.presenter",
                     _say("serve.banner.presenter", how=how,
                          command=fit.lit(f"ssh {port}presenter@{where}"))))
    head = _say("serve.banner.listening", prog=f"{PROG} ssh",
                address=_address(opts.host, opts.port))
    return _banner(head, rows, fit)


def web_banner(opts: SessionOptions, host: str, port: int, url: str,
               public_url: str | None, scenario_count: int) -> str:
    """What ``serve web`` prints once it listens, in the run's language: the address
    students open (``url``, textual-serve's), the scenarios and the limits."""
    fit = _Fitter()
    students = fit.lit(url)
    if public_url is None and host in ("0.0.0.0", "::", ""):
        # the page tells the browser to connect back to the address it was served for:
        # on another machine, a wildcard one is that machine itself
        students += "\n" + _say("serve.banner.web.public_url",
                                url=fit.lit(f"http://{_reach(host)}:{port}"))
    rows = [
        ("serve.banner.label.browsers", students),
        _scenarios_row(fit, opts, scenario_count),
        ("serve.banner.label.limits", _work(opts)),
    ]
    head = _say("serve.banner.listening", prog=f"{PROG} web", address=_address(host, port))
    return _banner(head, rows, fit)


def _duration(text: str) -> float:
    """``30m``, ``90s``, ``1h``, ``1.5s``; a bare number is minutes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(_say("serve.duration.format", got=repr(text)))
    value = float(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "": 60}[m.group(2)]
    if not (math.isfinite(value) and 0 < value <= 7 * 24 * 3600):
        raise argparse.ArgumentTypeError(_say("serve.duration.range", got=text))
    return value


def _common(p: argparse.ArgumentParser, default_port: int, lang_help: str) -> None:
    h = _help_arg
    p.add_argument("--host", default="127.0.0.1", help=h("serve.opt.host"))
    p.add_argument("--port", type=_int_in("port", 0, 65535), default=default_port,
                   help=h("serve.opt.port", port=default_port))
    p.add_argument("--scenarios", metavar="DIR", default=None, help=h("serve.opt.scenarios"))
    p.add_argument("--open", metavar="NAME", default=None, help=h("serve.opt.open"))
    p.add_argument("--precision", type=_int_in("precision", 1, MAX_PRECISION),
                   default=DEFAULT_PRECISION, metavar="N",
                   help=h("cli.opt.precision", most=MAX_PRECISION, default=DEFAULT_PRECISION))
    p.add_argument("--max-train", type=_int_in("max-train", 1, 1_000_000),
                   default=DEFAULT_MAX_TRAIN, metavar="N",
                   help=h("serve.opt.max_train", most=f"{DEFAULT_MAX_TRAIN:,}"))
    p.add_argument("--cpu-limit", type=_int_in("cpu-limit", 10, 86_400),
                   default=DEFAULT_CPU_SECONDS, metavar="SECONDS",
                   help=h("serve.opt.cpu_limit", seconds=DEFAULT_CPU_SECONDS))
    # the run's language was taken from it already (tui_backprop.cli._language); the
    # sessions' language is theirs (their locale), whatever this says
    p.add_argument("--lang", choices=("en", "zh"), default=None,
                   help=h(lang_help))


def _parser(kind: str) -> _Parser:
    """The parser of ``serve ssh`` or ``serve web``, its help in this run's language."""
    h = _help_arg
    if kind == "ssh":
        p = _Parser(prog=f"{PROG} ssh", description=_say("serve.desc.ssh"))
        _common(p, 2222, "serve.opt.lang.ssh")
        auth = p.add_argument_group(_say("serve.group.login"))
        auth.add_argument("--password", metavar="PW", default=None,
                          help=h("serve.opt.password"))
        auth.add_argument("--password-file", metavar="FILE", default=None,
                          help=h("serve.opt.password_file"))
        auth.add_argument("--authorized-keys", metavar="FILE", default=None,
                          help=h("serve.opt.authorized_keys"))
        auth.add_argument("--no-auth", action="store_true", help=h("serve.opt.no_auth"))
        auth.add_argument("--i-know-this-is-open", action="store_true",
                          help=h("serve.opt.i_know_this_is_open"))
        teach = p.add_argument_group(_say("serve.group.presenter"))
        teach.add_argument("--presenter-password", metavar="PW", default=None,
                           help=h("serve.opt.presenter_password"))
        teach.add_argument("--presenter-password-file", metavar="FILE", default=None,
                           help=h("serve.opt.presenter_password_file"))
        teach.add_argument("--presenter-key", metavar="FILE", default=None,
                           help=h("serve.opt.presenter_key"))
        teach.add_argument("--no-shared-screens", action="store_true",
                           help=h("serve.opt.no_shared_screens"))
        p.add_argument("--max-sessions", type=_int_in("max-sessions", 1, 10_000),
                       default=DEFAULT_MAX_SESSIONS, metavar="N",
                       help=h("serve.opt.max_sessions", n=DEFAULT_MAX_SESSIONS))
        p.add_argument("--ready", type=_int_in("ready", 0, 10_000), default=0, metavar="N",
                       help=h("serve.opt.ready"))
        p.add_argument("--idle-timeout", type=_duration, default=_duration(DEFAULT_IDLE),
                       metavar="T", help=h("serve.opt.idle_timeout", default=DEFAULT_IDLE))
        p.add_argument("--host-key", metavar="FILE", default=None, help=h("serve.opt.host_key"))
        p.add_argument("--log", metavar="FILE", default=None, help=h("serve.opt.log"))
        p.add_argument("--no-zygote", action="store_true", help=h("serve.opt.no_zygote"))
    else:
        p = _Parser(prog=f"{PROG} web", description=_say("serve.desc.web"))
        _common(p, 8000, "serve.opt.lang.web")
        p.add_argument("--public-url", default=None, metavar="URL",
                       help=h("serve.opt.public_url"))
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


#: the longest password a ``--password-file`` may hold (its first line)
MAX_PASSWORD_BYTES = 4096


def _password(args: argparse.Namespace, option: str = "password") -> str | None:
    given, file = getattr(args, option), getattr(args, option + "_file")
    name = "--" + option.replace("_", "-")
    if given is not None and file is not None:
        raise UsageError(Msg("serve.password.both", name=name))
    if file is not None:
        try:
            with open(file, "rb") as fh:
                # a password is one short line: never read more than that (the file
                # could be /dev/zero, or a log someone named by mistake)
                raw = fh.read(MAX_PASSWORD_BYTES + 1)
            first = raw.split(b"\n", 1)[0]
            if len(first) > MAX_PASSWORD_BYTES:
                raise UsageError(Msg("serve.password.file_long", name=name,
                                     file=printable(file), limit=MAX_PASSWORD_BYTES))
            text = first.decode("utf-8").rstrip("\r")
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


def _check_log(path: str | None) -> None:
    """``--log FILE`` must be a file the server can append to: say so now, in one line,
    not when the first student connects."""
    if path is None:
        return
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(Msg("serve.log.bad", path=printable(path),
                             why=exc.strerror or type(exc).__name__)) from None


def _check_keys(option: str, path: str | None) -> None:
    if path is None:
        return
    import asyncssh

    from tui_backprop.serve.ssh import KeysTooLarge, read_keys

    try:
        read_keys(path)
    except KeysTooLarge:
        raise UsageError(Msg("serve.keys.large", option=option, path=printable(path),
                             limit=KeysTooLarge.LIMIT // 1024)) from None
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
    _check_log(args.log)
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
                          presenter_keys=args.presenter_key, ready=args.ready,
                          shared_screens=not args.no_shared_screens)
    return ssh.run(opts, count)


def cmd_web(argv: list[str]) -> int:
    from tui_backprop.serve import web

    args = _parser("web").parse_args(argv)
    session, count = _session_options(args)
    return web.run(session, args.host, args.port, args.public_url, count)


def main(argv: list[str]) -> int:
    """``tui-backprop serve ...``; raises :class:`UsageError` for bad usage."""
    # ``serve --lang zh ssh ...``: the run's language was taken from it already; it goes
    # after the command, whose parser checks it
    lang: list[str] = []
    while argv and (argv[0] == "--lang" or argv[0].startswith("--lang=")):
        n = 2 if argv[0] == "--lang" else 1
        lang, argv = lang + argv[:n], argv[n:]
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(_help())
        return 0 if argv else 2
    if argv[0] == "ssh":
        return cmd_ssh(argv[1:] + lang)
    if argv[0] == "web":
        return cmd_web(argv[1:] + lang)
    raise UsageError(Msg("serve.usage.choose", what=printable(argv[0])))
