"""The ``tui-backprop`` command line.

::

    tui-backprop [SCENARIO] [--precision N]      open the TUI (a path or a bundled name)
    tui-backprop list                            bundled scenarios with their titles
    tui-backprop check FILE...                   validate; every error, one line each
    tui-backprop trace FILE [--format text|json|markdown] [--iterations N] [--precision N]
    tui-backprop gradcheck FILE [--tolerance T]  analytic vs numerical gradients

Exit codes: 0 success; 2 a bad scenario or bad usage (one line per problem, never a
traceback); 1 a failed gradient check, or an internal bug (one line; set
``TUI_BACKPROP_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
from collections.abc import Sequence

from . import __version__
from .engine import MAX_ARRAY_ELEMENTS, ScenarioError, bundled, gradcheck, load, resolve
from .engine.parse import MAX_GATES
from .engine.scenario import MAX_ITERATIONS, parse_count
from .engine.timeline import MAX_RECORD_BYTES
from .numfmt import DEFAULT_PRECISION
from .text.escape import printable

PROG = "tui-backprop"
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
COMMANDS = ("list", "check", "trace", "gradcheck", "help")
FORMATS = ("text", "json", "markdown")
#: Significant digits the views may show (float64 holds 17).
MAX_PRECISION = 17
DEBUG_ENV = "TUI_BACKPROP_DEBUG"

HELP = f"""\
usage: {PROG} [SCENARIO] [--precision N]
       {PROG} list
       {PROG} check FILE...
       {PROG} trace FILE [--format text|json|markdown] [--iterations N] [--precision N]
       {PROG} gradcheck FILE [--tolerance T]

A terminal step-through debugger for backpropagation, gate by gate.

  SCENARIO            a scenario .toml file or the name of a bundled scenario; without
                      one the TUI opens its scenario picker
  --precision N       significant digits shown (1 to {MAX_PRECISION}; default 4)

commands:
  list                the bundled scenarios with their titles
  check FILE...       validate scenario files; print every error with its line
  trace FILE          the full step-by-step record of the first iteration, the loss
                      history and the final params (text, json or markdown)
  gradcheck FILE      analytic vs numerical (central difference) gradients; exit 1
                      if any relative error exceeds the tolerance (default 1e-6)

exit codes: 0 success, 1 gradient check failed or internal error, 2 bad scenario or usage.
limits: {MAX_ARRAY_ELEMENTS:,} elements per array, {MAX_GATES:,} gates, {MAX_ITERATIONS:,}
iterations, {MAX_RECORD_BYTES // 2**20} MiB to record one iteration step by step.
"""


class UsageError(Exception):
    """Bad command-line usage: reported as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage dump) and exit 2."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(message)


def _err(line: str) -> None:
    """One diagnostic: control characters from file names, keys or arguments are
    escaped, so it stays one line and cannot drive the terminal."""
    print(printable(line), file=sys.stderr)


# ------------------------------------------------------------------ argument types


def _shown(text: str) -> str:
    """A command-line argument quoted for a message: short, escaped, one line."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _int_in(name: str, lo: int, hi: int):
    def parse(text: str) -> int:
        try:
            return parse_count(text, lo, hi, name)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _tolerance(text: str) -> float:
    t = text.strip()
    if not t or len(t) > 100 or not t.isascii() or t.lower().lstrip("+-") in (
            "inf", "infinity", "nan"):
        raise argparse.ArgumentTypeError(f"tolerance must be a positive number, got "
                                         f"{_shown(text)}")
    try:
        value = float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tolerance must be a number, got "
                                         f"{_shown(text)}") from None
    if math.isinf(value):
        raise argparse.ArgumentTypeError("tolerance is too large (beyond float64's range)")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"tolerance must be a positive number, got "
                                         f"{_shown(text)}")
    return value


def _precision_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--precision", type=_int_in("precision", 1, MAX_PRECISION),
                        default=None, metavar="N",
                        help=f"significant digits shown (1 to {MAX_PRECISION}; default 4; "
                            "text and markdown only: JSON keeps full precision)")


DESCRIPTIONS = {
    "open": "Open the step-through TUI on a scenario (or the scenario picker).",
    "list": "List the bundled scenarios with their titles.",
    "check": "Validate scenario files: every error, one line each (exit 2 if any is bad).",
    "trace": "The step-by-step record of the first iteration (forward, seed, backward, "
             "update), the gradients, the loss history and the final params.",
    "gradcheck": "Analytic gradients against central differences for every leaf element; "
                 "exit 1 if any relative error exceeds the tolerance.",
    "help": "Show help for tui-backprop or one of its commands.",
}
FILE_HELP = "a scenario .toml file or the name of a bundled scenario (see 'tui-backprop list')"


def _parser(command: str) -> _Parser:
    p = _Parser(prog=f"{PROG} {command}" if command != "open" else PROG, allow_abbrev=False,
                description=DESCRIPTIONS[command])
    if command == "open":
        p.add_argument("scenario", nargs="?", metavar="SCENARIO", help=FILE_HELP)
        _precision_arg(p)
    elif command == "list":
        pass
    elif command == "check":
        p.add_argument("files", nargs="+", metavar="FILE", help=FILE_HELP)
    elif command == "trace":
        p.add_argument("file", metavar="FILE", help=FILE_HELP)
        p.add_argument("--format", choices=FORMATS, default="text",
                       help="text (a Rich rendering), json (the tui-backprop-trace/1 "
                            "contract) or markdown (a handout); default text")
        p.add_argument("--iterations", type=_int_in("iterations", 1, MAX_ITERATIONS),
                       default=None, metavar="N",
                       help="iterations to run (default: the scenario's [train] iterations)")
        _precision_arg(p)
    elif command == "gradcheck":
        p.add_argument("file", metavar="FILE", help=FILE_HELP)
        p.add_argument("--tolerance", type=_tolerance, default=1e-6, metavar="T",
                       help="the largest relative error that passes (default 1e-6)")
    elif command == "help":
        p.add_argument("topic", nargs="?")
    return p


# ------------------------------------------------------------------------ commands


def _load(name: str):
    """Load a scenario, or print its diagnostics (one line each) and return None."""
    try:
        return load(name)
    except ScenarioError as exc:
        for diag in exc.errors:
            _err(str(diag))
        return None


def _precision(value: int | None) -> int:
    return DEFAULT_PRECISION if value is None else value


def cmd_open(args: argparse.Namespace) -> int:
    precision = _precision(args.precision)
    scenario = None
    if args.scenario is not None:
        # validated before the TUI starts (a bad file exits 2 without a flash of the
        # TUI), then handed over as it is: the app does not read and parse it again
        scenario = _load(args.scenario)
        if scenario is None:
            return EXIT_USAGE
    try:
        from .tui.app import create_app
    except ImportError as exc:
        _err(f"{PROG}: note: the TUI is not available ({exc}); printing the trace instead")
        if scenario is None:
            return cmd_list(args)
        from .report import build_trace, make_console, print_text

        print_text(build_trace(scenario), make_console(sys.stdout), precision)
        return EXIT_OK
    app = create_app(scenario, precision)
    app.run()
    code = getattr(app, "return_code", None)
    return code if isinstance(code, int) else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    entries = bundled()
    width = max((len(name) for name, _ in entries), default=0)
    for name, title in entries:
        print(printable(f"{name:<{width}}  {title}"))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for name in args.files:
        if _load(name) is None:
            status = EXIT_USAGE
        else:
            print(printable(f"{resolve(name)}: ok"))
    return status


def cmd_trace(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    if scenario is None:
        return EXIT_USAGE
    if args.iterations is not None and not scenario.trains:
        _err(f"{resolve(args.file)}: error: --iterations needs a [train] table "
             "(this scenario has no learning_rate, so nothing is trained)")
        return EXIT_USAGE
    from .report import build_trace, make_console, print_text, render_json, render_markdown

    try:
        trace = build_trace(scenario, args.iterations)
    except ScenarioError as exc:  # e.g. the recording's memory budget
        for diag in exc.with_path(resolve(args.file)).errors:
            _err(str(diag))
        return EXIT_USAGE
    if args.format == "json":
        # JSON stays exact on a narrow terminal: \u escapes instead of replaced characters
        sys.stdout.write(render_json(trace, ascii_only=not _utf8(sys.stdout)))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(trace, _precision(args.precision)))
    else:
        print_text(trace, make_console(sys.stdout), _precision(args.precision))
    return EXIT_OK


def cmd_gradcheck(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    if scenario is None:
        return EXIT_USAGE
    from rich.text import Text

    from .report import gradcheck_summary, gradcheck_table, make_console, print_renderables

    rows = gradcheck(scenario.graph)
    notes = [Text(n) for r in rows if (n := r.note(args.tolerance))]
    print_renderables(make_console(sys.stdout), [gradcheck_table(rows, args.tolerance),
                                                 *notes,
                                                 gradcheck_summary(rows, args.tolerance)])
    return EXIT_OK if all(r.passed(args.tolerance) for r in rows) else EXIT_FAIL


def cmd_help(args: argparse.Namespace) -> int:
    if args.topic is None:
        sys.stdout.write(HELP)
        return EXIT_OK
    if args.topic not in COMMANDS:
        raise UsageError(f"no command {args.topic!r} (commands: {', '.join(COMMANDS)})")
    _parser(args.topic).print_help(sys.stdout)
    return EXIT_OK


HANDLERS = {"open": cmd_open, "list": cmd_list, "check": cmd_check, "trace": cmd_trace,
            "gradcheck": cmd_gradcheck, "help": cmd_help}


# ---------------------------------------------------------------------------- main


def _run(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(HELP)
        return EXIT_OK
    if argv and argv[0] == "--version":
        print(f"{PROG} {__version__}")
        return EXIT_OK
    command = argv[0] if argv and argv[0] in COMMANDS else "open"
    rest = argv[1:] if command != "open" else argv
    args = _parser(command).parse_args(rest)
    return HANDLERS[command](args)


def _utf8(stream) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "") == "utf8"


def _tolerate_narrow_encodings() -> None:
    """On an ASCII/latin-1 terminal (LANG=C, PYTHONIOENCODING=ascii) print ``?`` for
    characters like ∂ and × rather than fail with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if not _utf8(stream) and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 check failed/internal bug, 2 bad input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerate_narrow_encodings()
    try:
        return _run(argv)
    except UsageError as exc:
        _err(f"{PROG}: error: {exc}")
        return EXIT_USAGE
    except SystemExit as exc:  # argparse --help
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (``| head``): stop quietly, and keep Python's shutdown
        # flush of stdout from printing another BrokenPipeError
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK
    except Exception as exc:  # a bug in tui-backprop, not in the user's input
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        detail = " ".join(str(exc).split())[:300]
        _err(f"{PROG}: internal error: {type(exc).__name__}: {detail} (this is a bug in "
             f"{PROG}; please report it with the scenario file; {DEBUG_ENV}=1 shows the "
             "traceback)")
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
