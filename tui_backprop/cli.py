"""The ``tui-backprop`` command line.

::

    tui-backprop [SCENARIO] [--precision N] [--lang en|zh] [--ascii] [--theme NAME]
                                                 open the TUI (a path or a bundled name)
    tui-backprop list                            bundled scenarios with their titles
    tui-backprop check FILE...                   validate; every error, one line each
    tui-backprop trace FILE [--format text|json|markdown] [--iterations N] [--precision N]
    tui-backprop gradcheck FILE [--tolerance T]  analytic vs numerical gradients
    tui-backprop export FILE --format html|svg [--step K] [-o OUT]   a handout

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
from .text.catalogue import resolve_language
from .text.escape import printable

PROG = "tui-backprop"
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
COMMANDS = ("list", "check", "trace", "gradcheck", "export", "serve", "help")
EXPORT_FORMATS = ("html", "svg")
FORMATS = ("text", "json", "markdown")
#: Significant digits the views may show (float64 holds 17).
MAX_PRECISION = 17
DEBUG_ENV = "TUI_BACKPROP_DEBUG"

HELP = f"""\
usage: {PROG} [SCENARIO] [--precision N] [--lang en|zh] [--ascii] [--theme NAME]
       {PROG} list
       {PROG} check FILE...
       {PROG} trace FILE [--format text|json|markdown] [--iterations N] [--precision N]
       {PROG} gradcheck FILE [--tolerance T]
       {PROG} export FILE --format html|svg [--step K] [--lang en|zh] [-o OUT]
       {PROG} serve ssh|web [options]

A terminal step-through debugger for backpropagation, gate by gate.

  SCENARIO            a scenario .toml file or the name of a bundled scenario; without
                      one the TUI opens its scenario picker
  --precision N       significant digits shown (1 to {MAX_PRECISION}; default 4)
  --lang en|zh        the language (default: from the locale, LC_ALL/LC_MESSAGES/LANG)
  --ascii, --no-ascii only ASCII characters, or not (default: ASCII when the locale
                      is not UTF-8)
  --theme NAME        a colour theme: Textual's, or projector (high contrast, for a
                      lecture hall); also in the command palette (ctrl+p)
  Theme, language, precision and ASCII are remembered in
  $XDG_CONFIG_HOME/tui-backprop/config.toml (~/.config/... by default); an option
  given on the command line wins. NO_COLOR=1 draws without any colour.

commands:
  list                the bundled scenarios with their titles
  check FILE...       validate scenario files; print every error with its line
  trace FILE          the full step-by-step record of the first iteration, the loss
                      history and the final params (text, json or markdown)
  gradcheck FILE      analytic vs numerical (central difference) gradients; exit 1
                      if any relative error exceeds the tolerance (default 1e-6)
  export FILE         a handout: a self-contained HTML page of every step (circuit,
                      numbers, explanation) or an SVG of the circuit at --step K
  serve ssh|web       serve the debugger to a room, over SSH or to browsers (see
                      '{PROG} serve --help')

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


def _quiz_kinds(text: str) -> str:
    from .model.quiz import QuizSettings

    try:
        QuizSettings.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


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
    "export": "A handout that opens offline: --format html, every step of the first "
              "iteration (the circuit, the numbers and the explanation), or --format svg, "
              "the circuit at one step for slides.",
    "help": "Show help for tui-backprop or one of its commands.",
}
FILE_HELP = "a scenario .toml file or the name of a bundled scenario (see 'tui-backprop list')"


def _parser(command: str) -> _Parser:
    p = _Parser(prog=f"{PROG} {command}" if command != "open" else PROG, allow_abbrev=False,
                description=DESCRIPTIONS[command])
    if command == "open":
        p.add_argument("scenario", nargs="?", metavar="SCENARIO", help=FILE_HELP)
        _precision_arg(p)
        p.add_argument("--lang", choices=("en", "zh"), default=None,
                       help="the language (default: remembered, else from the locale: "
                            "LC_ALL / LC_MESSAGES / LANG)")
        p.add_argument("--ascii", action=argparse.BooleanOptionalAction, default=None,
                       help="only ASCII characters (default: remembered, else ASCII when "
                            "the locale is not UTF-8)")
        p.add_argument("--theme", default=None, metavar="NAME",
                       help="the colour theme: Textual's themes or projector (default: "
                            "remembered, else textual-dark)")
        p.add_argument("--quiz", action="store_true",
                       help="predict each step's new number before it is shown")
        p.add_argument("--quiz-kinds", type=_quiz_kinds, default=None, metavar="KINDS",
                       help="what --quiz asks (comma-separated): output, local, upstream, "
                            "contribution, accumulate, update, or all (default: all but "
                            "upstream)")
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
        p.add_argument("--lang", choices=("en", "zh"), default=None,
                       help="language of the text and markdown traces (default: from the "
                            "locale, LC_ALL / LC_MESSAGES / LANG; JSON is language-free)")
        p.add_argument("--ascii", action="store_true",
                       help="only ASCII characters, in English (default when the locale "
                            "is not UTF-8)")
    elif command == "gradcheck":
        p.add_argument("file", metavar="FILE", help=FILE_HELP)
        p.add_argument("--tolerance", type=_tolerance, default=1e-6, metavar="T",
                       help="the largest relative error that passes (default 1e-6)")
    elif command == "export":
        p.add_argument("file", metavar="FILE", help=FILE_HELP)
        p.add_argument("--format", choices=EXPORT_FORMATS, required=True,
                       help="html (every step, one page) or svg (the circuit at one step)")
        p.add_argument("--step", type=_int_in("step", 1, 10**9), default=None, metavar="K",
                       help="the step the SVG shows (1 to the number of steps of the first "
                            "iteration; default 1)")
        p.add_argument("--lang", choices=("en", "zh"), default=None,
                       help="the language (default: from the locale)")
        p.add_argument("--ascii", action="store_true",
                       help="only ASCII characters, in English")
        _precision_arg(p)
        p.add_argument("-o", "--output", default=None, metavar="OUT",
                       help="the file to write (default: standard output)")
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


def _settings(args: argparse.Namespace):
    """The choices for this run: the command line's, then the remembered ones (which
    the command line's update). Notes about a broken config file go to stderr."""
    from .config import Settings, config_path, load_settings, save_settings
    from .tui.themes import theme_names

    names = theme_names()
    if args.theme is not None and args.theme not in names:
        raise UsageError(f"no theme '{printable(args.theme)}' (themes: {', '.join(names)})")
    path = config_path()
    saved, notes = load_settings(path, themes=frozenset(names))
    for note in notes:
        _err(f"{PROG}: {note}")
    given = Settings(theme=args.theme, lang=args.lang, precision=args.precision,
                     ascii=args.ascii)
    chosen = saved.merged(given)
    if chosen != saved:
        note = save_settings(chosen, path)
        if note:
            _err(f"{PROG}: {note}")

    def remember_theme(name: str) -> str | None:
        current, _ = load_settings(path, themes=frozenset(names))
        return save_settings(current.merged(Settings(theme=name)), path)

    return chosen, remember_theme


def cmd_open(args: argparse.Namespace) -> int:
    scenario = None
    if args.scenario is not None:
        # validated before the TUI starts (a bad file exits 2 without a flash of the
        # TUI), then handed over as it is: the app does not read and parse it again
        scenario = _load(args.scenario)
        if scenario is None:
            return EXIT_USAGE
    # remembered only for a session that starts
    try:
        chosen, remember_theme = _settings(args)
    except ImportError:  # no Textual: the fallback below says so
        from .config import Settings

        chosen, remember_theme = Settings(lang=args.lang, precision=args.precision), None
    precision = _precision(chosen.precision)
    try:
        from .tui.app import create_app
    except ImportError as exc:
        _err(f"{PROG}: note: the TUI is not available ({exc}); printing the trace instead")
        if scenario is None:
            return cmd_list(args)
        from .report import build_trace, make_console, print_text

        print_text(build_trace(scenario), make_console(sys.stdout), precision,
                   lang=resolve_language(chosen.lang))
        return EXIT_OK
    quiz = (args.quiz_kinds or True) if args.quiz or args.quiz_kinds else False
    app = create_app(scenario, precision, lang=chosen.lang, ascii=chosen.ascii,
                     theme=chosen.theme, on_theme=remember_theme,
                     **({"quiz": quiz} if quiz else {}))
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
    from .text.glyphs import locale_is_utf8

    try:
        trace = build_trace(scenario, args.iterations)
    except ScenarioError as exc:  # e.g. the recording's memory budget
        for diag in exc.with_path(resolve(args.file)).errors:
            _err(str(diag))
        return EXIT_USAGE
    ascii = args.ascii or not locale_is_utf8() or not _utf8(sys.stdout)
    lang = resolve_language(args.lang)
    if ascii and args.lang == "zh" and args.format != "json":
        from .text.catalogue import t

        _err(f"{PROG}: " + t("trace.note.ascii_english", lang="en"))
    if args.format == "json":
        # JSON stays exact on a narrow terminal: \u escapes instead of replaced characters
        sys.stdout.write(render_json(trace, ascii_only=ascii))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(trace, _precision(args.precision), lang=lang,
                                         ascii=ascii))
    else:
        print_text(trace, make_console(sys.stdout), _precision(args.precision), lang=lang,
                   ascii=ascii)
    return EXIT_OK


def cmd_gradcheck(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    if scenario is None:
        return EXIT_USAGE
    from rich.text import Text

    from .report import gradcheck_summary, gradcheck_table, make_console, print_renderables

    rows = gradcheck(scenario.graph)
    notes = [Text(n) for r in rows if (n := r.note(args.tolerance))]
    lang = resolve_language(getattr(args, "lang", None))
    print_renderables(make_console(sys.stdout), [gradcheck_table(rows, args.tolerance,
                                                                 lang=lang),
                                                 *notes,
                                                 gradcheck_summary(rows, args.tolerance,
                                                                   lang=lang)])
    return EXIT_OK if all(r.passed(args.tolerance) for r in rows) else EXIT_FAIL


def cmd_export(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    if scenario is None:
        return EXIT_USAGE
    from .export.handout import render_html, render_svg, step_count

    lang = resolve_language(args.lang)
    precision = _precision(args.precision)
    if args.format == "svg":
        n = step_count(scenario)
        step = 1 if args.step is None else args.step
        if step > n:
            raise UsageError(f"--step must be from 1 to {n} (the steps of the first "
                             f"iteration), got {step}")
        text = render_svg(scenario, step, lang=lang, ascii=args.ascii, precision=precision)
    else:
        if args.step is not None:
            raise UsageError("--step is for --format svg (the HTML shows every step)")
        text = render_html(scenario, lang=lang, ascii=args.ascii, precision=precision)
    if args.output is None:
        # UTF-8 whatever the locale: the file declares it (the HTML's meta, the SVG's XML)
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write(text.encode("utf-8"))
            out.flush()
        else:
            sys.stdout.write(text)
        return EXIT_OK
    try:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        _err(f"{printable(args.output)}: error: cannot write the handout "
             f"({printable(exc.strerror or str(exc))})")
        return EXIT_USAGE
    return EXIT_OK


def cmd_help(args: argparse.Namespace) -> int:
    if args.topic is None:
        sys.stdout.write(HELP)
        return EXIT_OK
    if args.topic == "serve":
        from .serve.cli import main as serve_main

        return serve_main(["--help"])
    if args.topic not in COMMANDS:
        raise UsageError(f"no command {args.topic!r} (commands: {', '.join(COMMANDS)})")
    _parser(args.topic).print_help(sys.stdout)
    return EXIT_OK


HANDLERS = {"open": cmd_open, "list": cmd_list, "check": cmd_check, "trace": cmd_trace,
            "gradcheck": cmd_gradcheck, "export": cmd_export, "help": cmd_help}


# ---------------------------------------------------------------------------- main


def _run(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(HELP)
        return EXIT_OK
    if argv and argv[0] == "--version":
        print(f"{PROG} {__version__}")
        return EXIT_OK
    if argv and argv[0] == "serve":  # its own parser: tui_backprop/serve/cli.py
        from .serve.cli import main as serve_main

        return serve_main(argv[1:])
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
