"""The ``tui-backprop`` command line.

::

    tui-backprop [SCENARIO] [--precision N] [--lang en|zh] [--ascii] [--theme NAME]
                                                 open the TUI (a path or a bundled name)
    tui-backprop list                            bundled scenarios with their titles
    tui-backprop check FILE... [--lang en|zh]    validate; every error, one line each
    tui-backprop trace FILE [--format text|json|markdown] [--iterations N] [--precision N]
    tui-backprop gradcheck FILE [--tolerance T]  analytic vs numerical gradients
    tui-backprop export FILE --format html|svg [--step K] [-o OUT]   a handout

Diagnostics and the CLI's own messages are in one language for the run: ``--lang``,
else (opening the TUI) the remembered one, else the locale's (``LC_ALL``,
``LC_MESSAGES``, ``LANG``); ``path:line:col: error: ...`` reads ``path:line:col: 错误：...``
in Chinese.

Exit codes: 0 success; 2 a bad scenario or bad usage (one line per problem, never a
traceback); 1 a failed gradient check, or an internal bug (one line; set
``TUI_BACKPROP_DEBUG=1`` for the traceback).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import traceback
from collections.abc import Sequence

from . import __version__
from .engine import MAX_ARRAY_ELEMENTS, ScenarioError, bundled, gradcheck, load, resolve
from .engine.errors import Diagnostic
from .engine.parse import MAX_GATES
from .engine.scenario import MAX_ITERATIONS, CountError, parse_count
from .engine.timeline import MAX_RECORD_BYTES
from .numfmt import DEFAULT_PRECISION
from .text.catalogue import LANGUAGES, Messages, Msg, messages, resolve_language
from .text.escape import printable
from .text.wrap import wrap

PROG = "tui-backprop"
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
COMMANDS = ("list", "check", "trace", "gradcheck", "export", "serve", "help")
EXPORT_FORMATS = ("html", "svg")
FORMATS = ("text", "json", "markdown")
#: Significant digits the views may show (float64 holds 17).
MAX_PRECISION = 17
DEBUG_ENV = "TUI_BACKPROP_DEBUG"

#: The main help's usage lines: commands, so literal in every language (and no wider
#: than an 80-column terminal).
USAGE = f"""\
usage: {PROG} [SCENARIO] [--precision N] [--lang en|zh] [--ascii]
         [--theme NAME] [--quiz]
       {PROG} list
       {PROG} check FILE... [--lang en|zh]
       {PROG} trace FILE [--format text|json|markdown] [--iterations N]
         [--precision N]
       {PROG} gradcheck FILE [--tolerance T] [--lang en|zh]
       {PROG} export FILE --format html|svg [--step K] [--lang en|zh]
         [-o OUT]
       {PROG} serve ssh|web [options]
"""


def _help() -> str:
    """The main help, in this run's language (the usage lines are commands: literal)."""
    return USAGE + "\n" + _say(
        "cli.help.body", prog=PROG, max_precision=MAX_PRECISION,
        elements=f"{MAX_ARRAY_ELEMENTS:,}", gates=f"{MAX_GATES:,}",
        iterations=f"{MAX_ITERATIONS:,}", mib=MAX_RECORD_BYTES // 2**20) + "\n"


class UsageError(Exception):
    """Bad command-line usage: reported as one line, exit 2. ``msg`` is a catalogue
    message (or text already in the reader's language)."""

    def __init__(self, msg: Msg | str):
        self.msg = msg
        super().__init__(msg if isinstance(msg, str) else messages("en").render(msg))


#: argparse's own one-line errors (Python 3.11-3.13), as catalogue messages (its --help
#: is :class:`_HelpFormatter`'s). (Patterns: compiled only when argparse reports an
#: error, not on every start-up.)
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (?P<names>.+)", "cli.argparse.required"),
    (r"unrecognized arguments: (?P<args>.+)", "cli.argparse.unrecognized"),
    (r"one of the arguments (?P<names>.+) is required", "cli.argparse.one_of"),
    (r"argument (?P<arg>[^:]+): invalid choice: (?P<value>.+?) \(choose from "
     r"(?P<choices>.+)\)", "cli.argparse.choice"),
    (r"argument (?P<arg>[^:]+): expected one argument", "cli.argparse.one_value"),
    (r"argument (?P<arg>[^:]+): ignored explicit argument (?P<value>.+)",
     "cli.argparse.explicit"),
    (r"argument (?P<arg>[^:]+): not allowed with argument (?P<other>.+)",
     "cli.argparse.not_with"),
    (r"argument (?P<arg>[^:]+): (?P<rest>.+)", "cli.argparse.argument"),
)


def _argparse_msg(text: str) -> Msg | str:
    """One of argparse's error messages as a catalogue message (its own words when it
    says something the table does not know)."""
    for pattern, key in _ARGPARSE_MESSAGES:
        m = re.fullmatch(pattern, text)
        if m:
            return Msg(key, **m.groupdict())
    return text


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's ``--help`` in this run's language: lines wrapped by terminal cells (a
    Chinese character takes two, so a Chinese line fits the terminal as an English one
    does) and never inside a word such as ``tui-backprop`` or ``--password-file``;
    section headings wrapped too, ending with the language's colon (``选项：``). The
    ``usage:`` lines are commands and stay literal, as in the main help."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line
                         for line in wrap(" ".join(text.split()), width - len(indent)))

    def _heading(self, title: str) -> str:
        """A section's heading lines, at the current indentation."""
        indent = " " * self._current_indent
        return "".join(f"{indent}{line}\n" for line in
                       wrap(_say("cli.help.heading", title=title),
                            self._width - self._current_indent))

    class _Section(argparse.HelpFormatter._Section):
        """argparse's section, with the heading written by :meth:`_heading`."""

        def format_help(self) -> str:
            heading, self.heading = self.heading, None
            try:
                body = super().format_help()  # "\n" + the items + "\n", or "" if empty
            finally:
                self.heading = heading
            if not body or heading is None or heading == argparse.SUPPRESS:
                return body
            return "\n" + self.formatter._heading(heading) + body.removeprefix("\n")


def _help_arg(key: str, /, **params) -> str:
    """An option's help from the catalogue, as argparse takes it (``%`` is its format
    character)."""
    return _say(key, **params).replace("%", "%%")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage dump) and exit 2, and
    whose ``--help`` is in this run's language (built after :func:`main` chose it)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(add_help=False, **kwargs)
        # argparse's own words: its two default groups and the -h line
        self._positionals.title = _say("cli.help.positionals")
        self._optionals.title = _say("cli.help.options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=_help_arg("cli.help.help"))

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(_argparse_msg(message))


def _err(line: str) -> None:
    """One diagnostic: control characters from file names, keys or arguments are
    escaped, so it stays one line and cannot drive the terminal."""
    print(printable(line), file=sys.stderr)


#: The language of this run's messages: chosen once, by :func:`main`, before the
#: arguments are parsed (their errors are said in it too).
_msgs: Messages = messages("en")


def _say(key: str, /, **params) -> str:
    """A message of the catalogue in this run's language."""
    return _msgs(key, **params)


def _error(where: str | None, msg: Msg | str) -> None:
    """``where: error: message`` on stderr, in this run's language."""
    _err(Diagnostic(where or PROG, None, None, msg).render(_msgs))


def _language(argv: Sequence[str]) -> str:
    """The language of this run: ``--lang`` from the command line (the last valid one),
    else the remembered one (the TUI's ``open``), else the locale's."""
    lang = None
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else \
            arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            lang = value
    if lang is None and not (argv and argv[0] in COMMANDS):
        try:  # quietly: the notes about a broken config file come later, in its language
            from .config import config_path, load_settings

            lang = load_settings(config_path())[0].lang
        except Exception:  # noqa: BLE001 - a broken config file only means the locale
            lang = None
    lang = resolve_language(lang if lang in LANGUAGES else None)
    if lang != "en" and not _can_write(sys.stderr, "错误"):
        lang = "en"  # (a terminal that cannot show Chinese reads English, not "???")
    return lang


def _can_write(stream, text: str) -> bool:
    """Whether ``stream``'s encoding can write ``text``."""
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# ------------------------------------------------------------------ argument types


def _shown(text: str) -> str:
    """A command-line argument quoted for a message: short, escaped, one line."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


#: A count's problems as an option's (argparse names the option: "argument --precision:
#: must be from 1 to 17, got 99").
_COUNT_KEYS = {"diag.count.digits": "cli.count.digits",
               "diag.count.too_large": "cli.count.too_large",
               "diag.count.range": "cli.count.range"}


def _int_in(name: str, lo: int, hi: int):
    """An argparse type: a whole number from ``lo`` to ``hi`` (errors in this run's
    language)."""
    def parse(text: str) -> int:
        try:
            return parse_count(text, lo, hi, name)
        except CountError as exc:
            raise argparse.ArgumentTypeError(
                _say(_COUNT_KEYS[exc.msg.key], **exc.msg.params)) from None
    return parse


def _tolerance(text: str) -> float:
    t = text.strip()
    if not t or len(t) > 100 or not t.isascii() or t.lower().lstrip("+-") in (
            "inf", "infinity", "nan"):
        raise argparse.ArgumentTypeError(_say("cli.tolerance.positive", got=_shown(text)))
    try:
        value = float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(_say("cli.tolerance.number",
                                              got=_shown(text))) from None
    if math.isinf(value):
        raise argparse.ArgumentTypeError(_say("cli.tolerance.too_large"))
    if not value > 0:
        raise argparse.ArgumentTypeError(_say("cli.tolerance.positive", got=_shown(text)))
    return value


def _quiz_kinds(text: str) -> str:
    from .model.quiz import ALL_KINDS, QuizSettings

    try:
        QuizSettings.parse(text)
    except ValueError:
        unknown = next((k for k in (k.strip() for k in text.split(","))
                        if k and k not in ALL_KINDS), text)
        raise argparse.ArgumentTypeError(_say("cli.quiz.kind", kind=_shown(unknown),
                                              kinds=", ".join(ALL_KINDS))) from None
    return text


def _precision_arg(parser: argparse.ArgumentParser, key: str = "cli.opt.precision") -> None:
    parser.add_argument("--precision", type=_int_in("precision", 1, MAX_PRECISION),
                        default=None, metavar="N",
                        help=_help_arg(key, most=MAX_PRECISION, default=DEFAULT_PRECISION))


def _lang_arg(parser: argparse.ArgumentParser, key: str = "cli.opt.lang") -> None:
    """``--lang``: the run's language was already taken from it (:func:`_language`);
    the parser checks its value and shows what it changes (``key``)."""
    parser.add_argument("--lang", choices=("en", "zh"), default=None, help=_help_arg(key))


#: Each command's description in ``--help`` (a catalogue key).
DESCRIPTIONS = {"open": "cli.desc.open", "list": "cli.desc.list", "check": "cli.desc.check",
                "trace": "cli.desc.trace", "gradcheck": "cli.desc.gradcheck",
                "export": "cli.desc.export", "help": "cli.desc.help"}


def _file_help() -> str:
    return _help_arg("cli.help.file", prog=PROG)


def _parser(command: str) -> _Parser:
    """The parser of ``command`` (``open`` is ``tui-backprop [SCENARIO]``), its help in
    this run's language."""
    p = _Parser(prog=f"{PROG} {command}" if command != "open" else PROG,
                description=_say(DESCRIPTIONS[command], prog=PROG))
    if command == "open":
        p.add_argument("scenario", nargs="?", metavar="SCENARIO", help=_file_help())
        _precision_arg(p)
        _lang_arg(p, "cli.opt.open.lang")
        p.add_argument("--ascii", action=argparse.BooleanOptionalAction, default=None,
                       help=_help_arg("cli.opt.open.ascii"))
        p.add_argument("--theme", default=None, metavar="NAME",
                       help=_help_arg("cli.opt.open.theme"))
        p.add_argument("--quiz", action="store_true", help=_help_arg("cli.opt.open.quiz"))
        p.add_argument("--quiz-kinds", type=_quiz_kinds, default=None, metavar="KINDS",
                       help=_help_arg("cli.opt.open.quiz_kinds"))
    elif command == "list":
        _lang_arg(p)
    elif command == "check":
        p.add_argument("files", nargs="+", metavar="FILE", help=_file_help())
        _lang_arg(p, "cli.opt.check.lang")
    elif command == "trace":
        p.add_argument("file", metavar="FILE", help=_file_help())
        p.add_argument("--format", choices=FORMATS, default="text",
                       help=_help_arg("cli.opt.trace.format"))
        p.add_argument("--iterations", type=_int_in("iterations", 1, MAX_ITERATIONS),
                       default=None, metavar="N", help=_help_arg("cli.opt.trace.iterations"))
        _precision_arg(p, "cli.opt.trace.precision")
        _lang_arg(p, "cli.opt.trace.lang")
        p.add_argument("--ascii", action="store_true", help=_help_arg("cli.opt.trace.ascii"))
    elif command == "gradcheck":
        p.add_argument("file", metavar="FILE", help=_file_help())
        p.add_argument("--tolerance", type=_tolerance, default=1e-6, metavar="T",
                       help=_help_arg("cli.opt.gradcheck.tolerance", default="1e-6"))
        _lang_arg(p, "cli.opt.gradcheck.lang")
    elif command == "export":
        p.add_argument("file", metavar="FILE", help=_file_help())
        p.add_argument("--format", choices=EXPORT_FORMATS, required=True,
                       help=_help_arg("cli.opt.export.format"))
        p.add_argument("--step", type=_int_in("step", 1, 10**9), default=None, metavar="K",
                       help=_help_arg("cli.opt.export.step"))
        _lang_arg(p, "cli.opt.export.lang")
        p.add_argument("--ascii", action="store_true", help=_help_arg("cli.opt.export.ascii"))
        _precision_arg(p)
        p.add_argument("-o", "--output", default=None, metavar="OUT",
                       help=_help_arg("cli.opt.export.output"))
    elif command == "help":
        p.add_argument("topic", nargs="?", metavar="COMMAND",
                       help=_help_arg("cli.opt.help.topic",
                                      commands=", ".join(COMMANDS)))
        _lang_arg(p)
    return p


# ------------------------------------------------------------------------ commands


def _load(name: str):
    """Load a scenario, or print its diagnostics (one line each, in this run's
    language) and return None."""
    try:
        return load(name)
    except ScenarioError as exc:
        for line in exc.lines(_msgs):
            _err(line)
        return None


def _precision(value: int | None) -> int:
    return DEFAULT_PRECISION if value is None else value


def _settings(args: argparse.Namespace):
    """The choices for this run: the command line's, then the remembered ones (which
    the command line's update). Notes about a broken config file go to stderr."""
    from dataclasses import replace

    from .config import Settings, config_path, load_settings, save_settings
    from .tui.themes import theme_names

    names = theme_names()
    if args.theme is not None and args.theme not in names:
        raise UsageError(Msg("cli.theme.unknown", theme=printable(args.theme),
                             themes=", ".join(names)))
    path = config_path()
    saved, notes = load_settings(path, themes=frozenset(names), msgs=_msgs)
    for note in notes:
        _err(f"{PROG}: {note}")
    given = Settings(theme=args.theme, lang=args.lang, precision=args.precision,
                     ascii=args.ascii)
    if args.lang == "zh" and args.ascii is None and saved.ascii:
        # Chinese has no ASCII form: asking for it on the command line outranks an ASCII
        # mode remembered from an earlier run (the locale decides, as with no memory)
        saved = replace(saved, ascii=None)
    chosen = saved.merged(given)
    if chosen != saved:
        note = save_settings(chosen, path, msgs=_msgs)
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
        _err(_say("cli.note", where=PROG, note=_say("cli.no_tui", why=str(exc))))
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
            print(printable(_say("cli.check.ok", path=resolve(name))))
    return status


def cmd_trace(args: argparse.Namespace) -> int:
    scenario = _load(args.file)
    if scenario is None:
        return EXIT_USAGE
    if args.iterations is not None and not scenario.trains:
        _error(resolve(args.file), Msg("cli.trace.untrained"))
        return EXIT_USAGE
    from .report import build_trace, make_console, print_text, render_json, render_markdown
    from .text.glyphs import locale_is_utf8

    try:
        trace = build_trace(scenario, args.iterations)
    except ScenarioError as exc:  # e.g. the recording's memory budget
        for line in exc.with_path(resolve(args.file)).lines(_msgs):
            _err(line)
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
    lang = _msgs.lang
    notes = [Text(_msgs.render(n)) for r in rows if (n := r.note_msg(args.tolerance))]
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

    lang = _msgs.lang
    precision = _precision(args.precision)
    if args.format == "svg":
        n = step_count(scenario)
        step = 1 if args.step is None else args.step
        if step > n:
            raise UsageError(Msg("cli.export.step_range", n=n, got=step))
        text = render_svg(scenario, step, lang=lang, ascii=args.ascii, precision=precision)
    else:
        if args.step is not None:
            raise UsageError(Msg("cli.export.step_html"))
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
        _error(printable(args.output), Msg("cli.export.cannot_write",
                                           why=printable(exc.strerror or str(exc))))
        return EXIT_USAGE
    return EXIT_OK


def cmd_help(args: argparse.Namespace) -> int:
    if args.topic is None:
        sys.stdout.write(_help())
        return EXIT_OK
    if args.topic == "serve":
        from .serve.cli import main as serve_main

        return serve_main(["--help"])
    if args.topic not in COMMANDS:
        raise UsageError(Msg("cli.help.unknown", topic=_shown(args.topic),
                             commands=", ".join(COMMANDS)))
    _parser(args.topic).print_help(sys.stdout)
    return EXIT_OK


HANDLERS = {"open": cmd_open, "list": cmd_list, "check": cmd_check, "trace": cmd_trace,
            "gradcheck": cmd_gradcheck, "export": cmd_export, "help": cmd_help}


# ---------------------------------------------------------------------------- main


def _run(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(_help())
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
    global _msgs
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerate_narrow_encodings()
    try:
        _msgs = messages(_language(argv))
        return _run(argv)
    except UsageError as exc:
        _error(PROG, exc.msg)
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
        _err(_say("cli.internal", prog=PROG, kind=type(exc).__name__, detail=detail,
                  env=DEBUG_ENV))
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
