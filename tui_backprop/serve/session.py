"""One student's session: the debugger app, confined and limited, on a terminal.

A session runs in its own process, either forked from the pre-imported zygote
(:mod:`tui_backprop.serve.zygote`, the fast path of ``serve ssh``) or started as::

    python -m tui_backprop.serve.session --scenarios DIR [--open NAME] [--tty] ...

(``serve web`` runs that command for every browser; ``serve ssh --no-zygote`` too). Both
paths call :func:`prepare` and then :func:`run`, so a session is the same whichever way
it started.

What a session may do is decided here and in the app's options, not by the student:

* the app opens only scenarios under ``--scenarios`` (:class:`ScenarioDir`);
* ``--max-train`` caps one ``t``; a capped app trains at the lowest CPU priority;
* ``--cpu-seconds`` is the session's RLIMIT_CPU: past it the kernel ends the process
  (SIGXCPU, then SIGKILL), so a session cannot use more than that much CPU in total;
* ``--nice`` lowers the session's threads below the server's. Where the kernel groups
  processes by session ("autogroup", on by default on most Linux desktops) every session,
  being its own session leader, is a group of its own, and groups share the CPU equally
  whatever the nice values inside them: the server and each session then get equal
  shares, and the nice values only order a session's own threads (its screen before its
  training). Lowering the sessions' group priority too (``/proc/self/autogroup``) was
  measured and left out: in 20 s classes, alternating three runs each, it took the
  presenter's echo from a median 122-136 ms to 63-82 ms, but every follower's screen from
  135-152 ms to 158-200 ms (p50), since the whole room then yields to anything else the
  machine runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass

#: Environment variables a client may set for its session (besides TERM, which comes
#: from its pty request). Anything else a client sends is ignored.
CLIENT_ENV = ("COLORTERM", "LANG", "NO_COLOR")
#: How long a client-sent value may be, and which characters it may hold.
MAX_ENV_VALUE = 64
_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+=:,")

#: Variables of the server's own environment a session never inherits: Textual's
#: switches (devtools, driver, screenshots) and the size names textual-serve uses.
_DROP_PREFIXES = ("TEXTUAL", "PYTHON")
_DROP = {"COLUMNS", "LINES", "ROWS", "LD_PRELOAD", "LD_LIBRARY_PATH", "SSH_AUTH_SOCK"}


@dataclass
class SessionOptions:
    """What the server allows a session; passed to the child as arguments."""

    scenarios: str
    open: str | None = None
    precision: int = 4
    max_train: int = 20_000
    cpu_seconds: int = 600
    nice: int = 5
    #: a served class (``serve ssh --presenter-...``): ``presenter``, ``student`` or
    #: ``mirror`` (a shared screen's renderer, see :mod:`.mirror`), the broker's socket
    #: and this session's one-time token (see :mod:`.broker`)
    role: str | None = None
    broker: str | None = None
    token: str | None = None

    def argv(self) -> list[str]:
        out = ["--scenarios", self.scenarios, "--precision", str(self.precision),
               "--max-train", str(self.max_train), "--cpu-seconds", str(self.cpu_seconds),
               "--nice", str(self.nice)]
        if self.open is not None:
            out += ["--open", self.open]
        if self.role is not None and self.broker is not None and self.token is not None:
            out += ["--role", self.role, "--broker", self.broker, "--token", self.token]
        return out

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> SessionOptions:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _safe_value(value: str) -> bool:
    return 0 < len(value) <= MAX_ENV_VALUE and all(ch in _SAFE for ch in value)


def client_env(sent: Mapping[str, str], term: str) -> dict[str, str]:
    """The variables a client sent that its session honours: ``COLORTERM``, ``LANG``,
    ``LC_*`` and ``NO_COLOR``, with short plain values only (anything else is dropped, so
    a client cannot set ``LD_PRELOAD``, ``PYTHONPATH`` or Textual's switches)."""
    out: dict[str, str] = {}
    if _safe_value(term):
        out["TERM"] = term
    for key, value in sent.items():
        if key in CLIENT_ENV or (key.startswith("LC_") and key[3:].isalpha()
                                 and key[3:].isupper()):
            if key == "NO_COLOR" and value == "":
                out[key] = "1"  # NO_COLOR means "set to anything"
            elif _safe_value(value):
                out[key] = value
    out.setdefault("TERM", "xterm-256color")
    return out


def base_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The server's environment minus what a session must not inherit, plus one
    OpenBLAS thread (a second one costs start-up CPU and nothing a session needs)."""
    environ = os.environ if environ is None else environ
    out = {k: v for k, v in environ.items()
           if k not in _DROP and not k.startswith(_DROP_PREFIXES) and not k.startswith("LC_")
           and k not in ("LANG", "COLORTERM", "NO_COLOR", "TERM")}
    out["OPENBLAS_NUM_THREADS"] = "1"
    out["PYTHONIOENCODING"] = "utf-8"
    return out


def session_env(sent: Mapping[str, str], term: str) -> dict[str, str]:
    """The full environment of an SSH session's app."""
    env = base_env()
    env.update(client_env(sent, term))
    return env


def prepare(opts: SessionOptions, tty: bool) -> None:
    """In the session's process, before the app: default signal dispositions (a server
    started under ``nohup`` would otherwise leave SIGHUP ignored, and a dropped client's
    app would live on), the controlling terminal, the CPU limit and the priority."""
    for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT, signal.SIGCHLD,
                signal.SIGXCPU):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if tty:
        import fcntl
        import termios

        if os.getsid(0) != os.getpid():
            os.setsid()
        try:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        except OSError:
            pass  # already our controlling terminal
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if opts.cpu_seconds > 0:
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        want = opts.cpu_seconds
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        # SIGXCPU at the soft limit (fatal by default), SIGKILL a few seconds later
        new_hard = want + 5 if hard == resource.RLIM_INFINITY else hard
        resource.setrlimit(resource.RLIMIT_CPU, (want, new_hard))
    if opts.nice > 0:
        try:
            os.nice(opts.nice)
        except OSError:
            pass
    try:
        os.chdir(opts.scenarios)
    except OSError:
        os.chdir("/")


def _settle(app) -> None:
    """A second after start-up: freeze what start-up allocated (later full collections
    skip it; they were seen taking ~190 ms in a busy room), turn the collector back on,
    and give the C heap's free pages back (start-up frees much of what it allocates;
    ~0.4 MB less private memory a session, measured)."""
    gc.collect()
    gc.freeze()
    gc.enable()
    _trim_heap()


def _trim_heap() -> None:
    """glibc's ``malloc_trim(0)``: return free heap pages to the system (a no-op
    elsewhere)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def run(opts: SessionOptions) -> int:
    """Run the debugger app for one session; returns its exit code."""
    from tui_backprop.tui.app import create_app

    gc.collect()
    gc.freeze()
    gc.disable()  # no full collection during start-up: it finds nothing to collect
    classroom = None
    if opts.role is not None and opts.broker is not None and opts.token is not None:
        from tui_backprop.tui.follow import ClassOptions

        classroom = ClassOptions(opts.role, opts.broker, opts.token)
    app = create_app(opts.open, opts.precision, scenarios=opts.scenarios,
                     max_train=opts.max_train, classroom=classroom)

    async def after_start(pilot) -> None:
        pilot.app.set_timer(1.0, lambda: _settle(pilot.app))

    try:
        app.run(auto_pilot=after_start)
    finally:
        gc.enable()
    code = getattr(app, "return_code", None)
    return code if isinstance(code, int) else 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tui_backprop.serve.session",
                                description="One served session of the debugger.")
    p.add_argument("--scenarios", required=True)
    p.add_argument("--open", default=None)
    p.add_argument("--precision", type=int, default=4)
    p.add_argument("--max-train", type=int, default=20_000)
    p.add_argument("--cpu-seconds", type=int, default=600)
    p.add_argument("--nice", type=int, default=5)
    p.add_argument("--role", choices=("presenter", "student", "mirror"), default=None)
    p.add_argument("--broker", default=None, help="the class broker's socket")
    p.add_argument("--token", default=None)
    p.add_argument("--tty", action="store_true",
                   help="stdin is the session's own pty: make it the controlling terminal")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    opts = SessionOptions(scenarios=os.path.abspath(args.scenarios), open=args.open,
                          precision=args.precision,
                          max_train=args.max_train, cpu_seconds=args.cpu_seconds,
                          nice=args.nice, role=args.role, broker=args.broker,
                          token=args.token)
    prepare(opts, tty=args.tty)
    return run(opts)


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.exit(main())
