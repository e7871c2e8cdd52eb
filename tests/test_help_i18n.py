"""Every command's ``--help`` in the run's language: the catalogue's words (English and
Chinese, argparse's own headings and ``-h`` line included), no English sentence left in
the Chinese help, and no line wider than an 80-column terminal.

Expected words come from the catalogue tables (:mod:`tui_backprop.text.en` and
:mod:`.zh`), never from the help the code printed."""

from __future__ import annotations

import re
import string
import unicodedata

import pytest

from tui_backprop.cli import COMMANDS
from tui_backprop.text import en, zh

#: Each help (the arguments before ``--help``) and the catalogue keys it must show.
_ARGPARSE = ("cli.help.help", "cli.help.options")
_SERVE_COMMON = ("serve.opt.host", "serve.opt.port", "serve.opt.scenarios", "serve.opt.open",
                 "cli.opt.precision", "serve.opt.max_train", "serve.opt.cpu_limit")
HELPS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("add-mul",): (*_ARGPARSE, "cli.help.positionals", "cli.desc.open", "cli.help.file",
                   "cli.opt.precision", "cli.opt.open.lang", "cli.opt.open.ascii",
                   "cli.opt.open.theme", "cli.opt.open.quiz", "cli.opt.open.quiz_kinds"),
    ("list",): (*_ARGPARSE, "cli.desc.list", "cli.opt.lang"),
    ("check",): (*_ARGPARSE, "cli.help.positionals", "cli.desc.check", "cli.help.file",
                 "cli.opt.check.lang"),
    ("trace",): (*_ARGPARSE, "cli.help.positionals", "cli.desc.trace", "cli.help.file",
                 "cli.opt.trace.format", "cli.opt.trace.iterations",
                 "cli.opt.trace.precision", "cli.opt.trace.lang", "cli.opt.trace.ascii"),
    ("gradcheck",): (*_ARGPARSE, "cli.help.positionals", "cli.desc.gradcheck",
                     "cli.help.file", "cli.opt.gradcheck.tolerance", "cli.opt.gradcheck.lang"),
    ("export",): (*_ARGPARSE, "cli.help.positionals", "cli.desc.export", "cli.help.file",
                  "cli.opt.export.format", "cli.opt.export.step", "cli.opt.export.lang",
                  "cli.opt.export.ascii", "cli.opt.precision", "cli.opt.export.output"),
    ("help",): (*_ARGPARSE, "cli.help.positionals", "cli.desc.help", "cli.opt.help.topic",
                "cli.opt.lang"),
    ("serve",): ("serve.help.body",),
    ("serve", "ssh"): (*_ARGPARSE, *_SERVE_COMMON, "serve.desc.ssh", "serve.opt.lang.ssh",
                       "serve.group.login", "serve.opt.password", "serve.opt.password_file",
                       "serve.opt.authorized_keys", "serve.opt.no_auth",
                       "serve.opt.i_know_this_is_open", "serve.group.presenter",
                       "serve.opt.presenter_password", "serve.opt.presenter_password_file",
                       "serve.opt.presenter_key", "serve.opt.max_sessions", "serve.opt.ready",
                       "serve.opt.idle_timeout", "serve.opt.host_key", "serve.opt.log",
                       "serve.opt.no_zygote", "serve.opt.no_shared_screens"),
    ("serve", "web"): (*_ARGPARSE, *_SERVE_COMMON, "serve.desc.web", "serve.opt.lang.web",
                       "serve.opt.public_url"),
}
TABLES = {"en": en.MESSAGES, "zh": zh.MESSAGES}
_FORMATTER = string.Formatter()


def _squeezed(text: str) -> str:
    """Text without any whitespace: a phrase wrapped over lines (a Chinese one may be cut
    between any two characters) is still found."""
    return "".join(text.split())


def _pieces(template: str) -> list[str]:
    """A template's own words, cut at its ``{placeholders}`` (squeezed; tiny ones,
    such as the ``:`` after a heading, left out)."""
    pieces = (_squeezed(literal) for literal, *_ in _FORMATTER.parse(template))
    return [p for p in pieces if len(p) >= 2]


def _cells(line: str) -> int:
    """Terminal cells: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _english_runs(text: str) -> list[str]:
    """Runs of three or more plain English words in a row (outside the usage lines,
    which are commands): prose, not an option, a metavar, a command's name or another
    literal value."""
    body = text.split("\n\n", 1)[1] if text.startswith("usage:") else text
    word = re.compile(r"[A-Za-z]{2,}[,.;:)]?")
    runs = []
    for line in body.splitlines():
        run: list[str] = []
        for token in [*line.split(), ""]:
            if word.fullmatch(token) and token.rstrip(",.;:)") not in COMMANDS:
                run.append(token)
                continue
            if len(run) >= 3:
                runs.append(" ".join(run))
            run = []
    return runs


@pytest.mark.parametrize("argv", sorted(HELPS), ids=" ".join)
def test_every_help_speaks_the_chosen_language(cli, argv):
    out = {}
    for lang in ("en", "zh"):
        result = cli(*argv, "--help", "--lang", lang)
        assert result.code == 0 and result.err == "", (lang, result.err)
        out[lang] = result.out
        squeezed = _squeezed(result.out)
        for key in HELPS[argv]:
            for piece in _pieces(TABLES[lang][key]):
                assert piece in squeezed, (lang, key, piece)
    # no English sentence of the catalogue left in the Chinese help
    zh_squeezed = _squeezed(out["zh"])
    for key in HELPS[argv]:
        for literal, *_ in _FORMATTER.parse(en.MESSAGES[key]):
            if len(re.findall(r"[A-Za-z]{2,}", literal)) >= 2 and \
                    _squeezed(literal) not in _squeezed(zh.MESSAGES[key]):
                assert _squeezed(literal) not in zh_squeezed, (key, literal)
    # nor any other English prose (the same check finds the English help's)
    assert _english_runs(out["zh"]) == []
    assert _english_runs(out["en"])
    if argv != ("serve",):  # argparse's headings end with each language's colon
        for lang, table in TABLES.items():
            heading = table["cli.help.heading"].format(title=table["cli.help.options"])
            assert f"\n{heading}\n" in out[lang], lang
        assert "\noptions:\n" not in out["zh"]
    assert "usage: tui-backprop" in out["zh"]  # usage lines are commands: literal


def test_the_tables_cover_every_help_key():
    """Every help key of the catalogue is shown by one of the helps above (a key added
    for a new option is tested once it is listed there)."""
    listed = {key for keys in HELPS.values() for key in keys}
    prefixes = ("cli.desc.", "cli.opt.", "serve.desc.", "serve.opt.", "serve.group.")
    in_catalogue = {key for key in en.MESSAGES if key.startswith(prefixes)}
    assert in_catalogue <= listed, sorted(in_catalogue - listed)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("argv", [(), *sorted(HELPS)], ids=lambda a: " ".join(a) or "main")
def test_no_help_line_is_wider_than_the_terminal(cli, monkeypatch, argv, lang):
    """At 80 columns (argparse reads COLUMNS) every line fits, counted in cells: a
    Chinese line wrapped by ``len()`` would take up to twice its width."""
    monkeypatch.setenv("COLUMNS", "80")
    result = cli(*argv, "--help", "--lang", lang)
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) > 3
    too_wide = [line for line in lines if _cells(line) > 80]
    assert too_wide == []


@pytest.mark.parametrize("command", ["trace", "check"])
def test_a_chinese_locale_gives_the_chinese_help(cli, monkeypatch, command):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = cli(command, "--help")
    assert result.code == 0
    assert _squeezed(zh.MESSAGES[f"cli.desc.{command}"]) in _squeezed(result.out)
    assert _squeezed(en.MESSAGES[f"cli.desc.{command}"]) not in _squeezed(result.out)


@pytest.mark.parametrize("argv", [
    ("help", "trace", "--lang", "zh"),
    ("help", "--lang", "zh", "trace"),
])
def test_help_command_speaks_the_chosen_language(cli, argv):
    result = cli(*argv)
    assert result.code == 0 and result.err == ""
    assert _squeezed(zh.MESSAGES["cli.desc.trace"]) in _squeezed(result.out)


def test_help_serve_speaks_the_chosen_language(cli):
    result = cli("help", "serve", "--lang", "zh")
    assert result.code == 0
    for piece in _pieces(zh.MESSAGES["serve.help.body"]):
        assert piece in _squeezed(result.out)


@pytest.mark.parametrize("argv", [
    ("serve", "ssh", "--lang", "zh", "--bogus"),
    ("serve", "--lang", "zh", "ssh", "--bogus"),
    ("serve", "--lang=zh", "web", "--bogus"),
    ("list", "--lang", "zh", "--bogus"),
])
def test_lang_is_an_option_of_every_command(cli, argv):
    """``--lang`` (which chose the run's language) is accepted wherever it is given:
    the one error is about the other argument, in Chinese."""
    result = cli(*argv)
    assert result.code == 2 and result.out == ""
    expected = zh.MESSAGES["cli.argparse.unrecognized"].format(args="--bogus")
    (line,) = result.err.splitlines()
    assert line.startswith("tui-backprop: ") and line.endswith(expected)


def test_list_takes_lang(cli):
    assert cli("list", "--lang", "zh").code == 0
    assert cli("list", "--lang", "fr").code == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_main_help_lists_every_option_of_the_tui(cli, lang):
    """Every option the TUI command accepts is in the main help body (``--quiz`` was
    only in ``--help``'s generated part)."""
    result = cli("--help", "--lang", lang)
    assert result.code == 0
    body = (en if lang == "en" else zh).MESSAGES["cli.help.body"]
    for option in ("--precision", "--lang", "--ascii", "--theme", "--quiz", "--quiz-kinds"):
        assert option in body
        assert option in result.out
