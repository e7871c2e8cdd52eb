"""Diagnostics in the reader's language: every loader, parser and command-line message is
a catalogue message, so a Chinese session reads ``path:line:col: 错误：...`` with no
English words left but names, keys, numbers and the file format's own words.

Two halves: the sources (every message key the engine and the CLI use exists in both
tables, with the parameters the code passes), and the screen (``check`` of many hostile
files, in Chinese, prints one line per problem and no English sentence).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tui_backprop.engine import MAX_ARRAY_ELEMENTS, ScenarioError, load_text
from tui_backprop.engine.errors import Diagnostic
from tui_backprop.engine.foreign import (
    PYTHON_MESSAGES,
    TOML_MESSAGES,
    python_detail,
    toml_detail,
)
from tui_backprop.engine.gates import FUNCTIONS
from tui_backprop.text.catalogue import LANGUAGES, Msg, messages, params_of

ROOT = Path(__file__).resolve().parents[1] / "tui_backprop"
#: The modules whose messages are diagnostics or the CLI's own words.
SOURCES = (sorted((ROOT / "engine").glob("*.py")) + sorted((ROOT / "serve").glob("*.py"))
           + [ROOT / "cli.py", ROOT / "config.py"])
KEY = re.compile(r"(?:diag|cli|serve|config\.(?:note|bad)|gradcheck\.note)"
                 r"\.[a-z_0-9]+(?:\.[a-z_0-9]+)*")
#: Keys the loader builds from parts (scenario.py: a name defined twice).
COMPOSED = {"diag.name.twice", "diag.name.twice.tables", "diag.name.twice.normalised",
            "diag.name.twice.normalised.tables"}


def _string_constants(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text("utf-8"))
    return [(n.value, n.lineno) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _keys_in_sources() -> dict[str, str]:
    """Every message key written as a string in the sources -> where it is."""
    found = {}
    for path in SOURCES:
        for value, line in _string_constants(path):
            if KEY.fullmatch(value):
                found[value] = f"{path.relative_to(ROOT)}:{line}"
    return found


def test_the_sources_use_message_keys():
    """The scan sees the keys (a broken pattern would make the next test pass vacuously)."""
    keys = _keys_in_sources()
    assert {"diag.code.unknown_name", "diag.array.ragged", "diag.network.expand",
            "cli.export.step_html", "serve.auth.choose"} <= set(keys)
    assert len(keys) > 150


def test_every_key_the_sources_use_is_in_both_languages():
    missing = {key: where for key, where in _keys_in_sources().items()
               if (key not in LANGUAGES["en"] or key not in LANGUAGES["zh"])
               and key not in {"diag.name.twice.normalised", "diag.name.twice.tables"}}
    assert not missing, missing
    for key in COMPOSED:
        assert key in LANGUAGES["en"] and key in LANGUAGES["zh"], key


def test_every_diagnostic_key_in_the_tables_is_used():
    """No dead or misspelt twin: a table key the code never says is a typo somewhere."""
    used = set(_keys_in_sources()) | COMPOSED
    for lang, table in LANGUAGES.items():
        unused = sorted(k for k in table if KEY.fullmatch(k) and k not in used
                        and not k.startswith(("cli.argparse.", "gradcheck.note.")))
        assert not unused, (lang, unused)


@pytest.mark.parametrize("pattern,key", TOML_MESSAGES + PYTHON_MESSAGES)
def test_foreign_patterns_fill_their_templates(pattern, key):
    """The named groups of each tomllib/Python pattern are exactly the parameters of
    its message, in both languages."""
    groups = set(re.compile(pattern).groupindex)
    for lang in LANGUAGES:
        assert params_of(LANGUAGES[lang][key]) == groups, (lang, key)


@pytest.mark.parametrize("text", [
    # tomllib's own sentences (CPython 3.11 tomllib/_parser.py), written out by hand
    "Invalid statement", "Expected '=' after a key in a key/value pair",
    "Expected ']' at the end of a table declaration", "Unclosed array",
    "Cannot declare ('inputs',) twice", "Illegal character '\\x07'",
    "Found invalid character '\\x00'", "Invalid value", "Unterminated string",
    "Duplicate inline table key 'a'", "Expected newline or end of document after a statement",
])
def test_tomllib_messages_keep_their_english_words(text):
    msg = toml_detail(text)
    assert msg.key != "diag.detail.toml", text  # known, so it has a Chinese form
    assert messages("en").render(msg) == text


@pytest.mark.parametrize("text", [
    "invalid syntax", "invalid syntax. Perhaps you forgot a comma?", "'(' was never closed",
    "unmatched ')'", "closing parenthesis ']' does not match opening parenthesis '('",
    "closing parenthesis ')' does not match opening parenthesis '[' on line 2",
    "unexpected indent", "invalid decimal literal",
    "unterminated string literal (detected at line 3)", "invalid character '…' (U+2026)",
])
def test_python_syntax_messages_keep_their_english_words(text):
    msg = python_detail(text)
    assert msg.key != "diag.detail.python", text
    assert messages("en").render(msg) == text


def test_an_unknown_foreign_message_is_kept_and_marked_in_chinese():
    msg = python_detail("some wording of a future Python")
    assert messages("en").render(msg) == "some wording of a future Python"
    assert messages("zh").render(msg) == "some wording of a future Python（Python 解析器的原话）"


def test_a_diagnostic_keeps_its_english_message_and_says_it_in_chinese():
    d = Diagnostic("s.toml", 3, 5, Msg("diag.code.unknown_name", name="q"))
    assert d.message == "unknown name 'q'"
    assert str(d) == "s.toml:3:5: error: unknown name 'q'"
    assert d.render(messages("zh")) == "s.toml:3:5: 错误：未知的名字 'q'"
    # escaped as before, in both languages
    bad = Diagnostic("a\x1b.toml", 1, None, Msg("diag.code.unknown_name", name="\x07"))
    for lang in LANGUAGES:
        line = bad.render(messages(lang))
        assert line.isprintable() and "\\x1b" in line and "\\x07" in line


def test_plain_text_diagnostics_are_shown_as_they_are():
    d = Diagnostic(None, None, None, "already in words")
    assert d.message == "already in words" and d.key is None
    assert d.render(messages("zh")) == "<场景>: 错误：already in words"


# ------------------------------------------------------------------ hostile files

HEADER = """\
title = "bad input"
[inputs]
x = 1.5
y = [1.0, 2.0]
v = [1.0, 2.0, 3.0]
W = [[1.0, 2.0], [3.0, 4.0]]
[graph]
code = \"\"\"
"""


def _code(*lines: str) -> str:
    return HEADER + "\n".join(lines) + '\n"""\n'


def _network(**fields: str) -> str:
    net = {"inputs": "[1.0, 2.0]", "targets": "[0.5]", "loss": '"half_sse"'}
    layer = {"activation": '"sigmoid"', "units": "1"}
    for k, v in fields.items():
        (layer if k in ("activation", "units", "weights", "biases", "dropout") else net)[k] = v
    return ('title = "n"\n[network]\n' + "".join(f"{k} = {v}\n" for k, v in net.items())
            + "[[network.layers]]\n" + "".join(f"{k} = {v}\n" for k, v in layer.items()))


#: Hostile files (from test_bad_input.py and test_robust_engine.py, and more): one
#: per kind of problem the loader reports.
HOSTILE = {
    "toml": 'title = "t"\n[inputs]\nx = = 1\n',
    "toml-table": 'title = "x"\n[inputs\nx = 1\n',
    "toml-twice": 'title = "x"\n[inputs]\nx = 1\n[inputs]\ny = 2\n',
    "toml-deep": 'title = "t"\n[inputs]\nx = ' + "[" * 3000 + "1" + "]" * 3000 + "\n",
    "empty": "",
    "kinds": 'title = []\ncolour = "red"\ndescription = {a = 1}\n[inputs]\nx = 1979-05-27\n'
             'y = true\n"1y" = 2\nexp = 3\n[graph]\ncode = "f = y * 2"\noutptu = "f"\n'
             '[train]\nlearning_rate = "fast"\niterations = 0\nmomentum = 1\n',
    "no-graph": 'title = "t"\n[inputs]\nx = 1\n',
    "both": 'title = "t"\n[graph]\ncode = "a = 1 * 2"\n[network]\ninputs = [1]\n',
    "graph-types": 'title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = ["y = x"]\n',
    "twice": 'title = "t"\n[inputs]\nﬁ = 1\n[params]\nfi = 2\n[graph]\ncode = "a = fi * 2"\n',
    "arrays": 'title = "t"\n[inputs]\na = [1, [2]]\nb = []\nc = [[[[[1]]]]]\nd = ["s"]\n'
              'e = 1e999\n[graph]\ncode = "z = a + b"\n',
    "huge": 'title = "t"\n[inputs]\nbig = [' + ", ".join(["1.0"] * (MAX_ARRAY_ELEMENTS + 1))
            + ']\n[graph]\ncode = "f = sum(big)"\n',
    "train": 'title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = "y = x * 2"\n'
             '[train]\nlearning_rate = inf\niterations = 99999999\n',
    "code-names": _code("a = x * 2", "b = a + q", "a = b * 3", "c = frobnicate(b)",
                        "d = sigmoid", "e = f2 + 1", "f2 = x * 2", "exp = x * 2", "g = x",
                        "h += 1", "x + 1"),
    "code-forbidden": _code("a = x.real", "b = y[0]", "c = (lambda q: q)(x)", 'd = x * "abc"',
                            "e = __import__('os')", "f = x < y", "g = [1, 2]", "h = (i := x)",
                            "k = x if x else y", "m = x and y", "n = {1: 2}", "o = (x, y)",
                            "p = x % 2", "r = None * x", "s = 1e999 * x", "t = exp(x, y)",
                            "u = exp(x=1)", "w = 2 @ y", "z = x.T"),
    "code-syntax": _code("a = (x + 1", "b = x)", "c = 2x", "d = 'abc", "e = x … 2",
                         "f = [x)", "    g = x"),
    "code-nested": _code("a = x * 2", "b = " + "(" * 500 + "a" + ")" * 500),
    "code-calls": _code("a = " + "exp(" * 300 + "x" + ")" * 300),
    "shapes": _code("a = W @ y", "b = a + v", "c = v @ W", "d = softmax(W @ W @ W)",
                    "e = cross_entropy(y, v)", "f = x @ x"),
    "output": 'title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = "y = x * 2"\noutput = "x"\n',
    "output-missing": 'title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = "y = x * 2"\n'
                      'output = "nope"\n',
    "indices": 'title = "t"\n[inputs]\nz = [1.0, 2.0]\nk = 5\n[graph]\n'
               'code = "loss = cross_entropy(z, k)"\n',
    "budget": 'title = "t"\n[inputs]\nx = [' + ", ".join(["0.5"] * 100_000) + ']\n[graph]\n'
              'code = "' + "\\n".join(["v0 = x * 1.5"] + [f"v{i} = v{i - 1} * 1.5"
                                                         for i in range(1, 60)]) + '"\n',
    "network-keys": _network(loss='"hinge"', granularity="1", seed='"x"', colour="1",
                             activation='"swish"', units="0", dropout="1"),
    "network-shapes": _network(inputs="[[[1.0]]]", targets="[1.0, 2.0]"),
    "network-weights": _network(weights="[[1.0]]", biases="[1.0, 2.0]"),
    "network-ce": _network(loss='"cross_entropy"', activation='"softmax"', units="2",
                           targets="[7]"),
    "network-layers": 'title = "n"\n[network]\ninputs = [1.0]\ntargets = [1.0]\n'
                      'loss = "mse"\nlayers = [1, 2]\n',
    "network-many": _network(units="1000", inputs="[" + ", ".join(["1.0"] * 200) + "]"),
    "network-with-inputs": 'title = "n"\n[inputs]\nx = 1\n' + _network().split("\n", 1)[1],
    "control": 'title = "t"\n"k\\u001b[2J" = 1\n[inputs]\nx = 1.0\n[graph]\n'
               'code = "y = x * 2"\n',
}

#: What may stay in Latin letters on a Chinese diagnostic: the scenario format's own
#: keys and table names, gate and function names, the file format's and number
#: format's names, and Python keywords the scenario language refuses by name.
ALLOWED_WORDS = (
    {"title", "description", "inputs", "params", "graph", "network", "train", "code",
     "output", "learning_rate", "iterations", "targets", "target", "loss", "granularity",
     "seed", "layers", "activation", "units", "weights", "biases", "layer", "neuron",
     "inf", "float64", "TOML", "UTF", "Python", "NUL", "lambda", "await", "yield", "logits",
     "one", "hot", "stack", "linear", "bce", "mse", "half_sse", "MiB", "GiB", "tui",
     "backprop", "list", "ssh", "web", "0o", "None"}
    | set(FUNCTIONS)
    | {"big"})  # the names the hostile files themselves define (printed unquoted)

_POSITION = re.compile(r"^(?P<path>.+?)(?::\d+(?::\d+)?)?: 错误：(?P<msg>.+)$")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\[\[?[\w.]+\]\]?")


def english_words(message: str) -> list[str]:
    """The Latin words of a message that are not quoted text, table names or allowed
    names (``'q'``, ``[inputs]``, ``sigmoid`` are fine; ``must`` or ``got`` are not)."""
    rest = _QUOTED.sub(" ", message)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]*[A-Za-z0-9_]*", rest)
            if len(w) > 1 and w not in ALLOWED_WORDS and not re.fullmatch(r"[A-Z]\d*|e\d+", w)]


@pytest.fixture
def hostile(tmp_path):
    paths = []
    for name, text in HOSTILE.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    paths.append(tmp_path / "no-such-file.toml")
    (tmp_path / "folder.toml").mkdir()
    paths.append(tmp_path / "folder.toml")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'title = "t"\n[inputs]\nx = 1 # caf\xe9\n')
    paths.append(latin1)
    return paths


@pytest.mark.parametrize("how", ["--lang", "locale"])
def test_a_chinese_check_of_hostile_files_has_no_english_sentence(cli, hostile, monkeypatch,
                                                                  how):
    if how == "locale":
        monkeypatch.setenv("LANG", "zh_CN.UTF-8")
        result = cli("check", *hostile)
    else:
        result = cli("check", *hostile, "--lang", "zh")
    assert result.code == 2 and "Traceback" not in result.err
    lines = result.err_lines
    files_with_errors = {m["path"] for m in map(_POSITION.match, lines) if m}
    assert files_with_errors == {str(p) for p in hostile}, sorted(files_with_errors)
    assert len(lines) > 80
    leftovers = {}
    for line in lines:
        m = _POSITION.match(line)
        assert m, f"not a one-line Chinese diagnostic: {line!r}"
        assert line.isprintable()
        words = english_words(m["msg"])
        if words:
            leftovers[line] = words
    assert not leftovers, "\n".join(f"{w}: {line}" for line, w in leftovers.items())


def test_the_same_files_in_english_say_the_same_number_of_things(cli, hostile):
    """The English run (the locale the fixture pins) reports the same lines at the same
    places: the language changes the words only."""
    zh = cli("check", *hostile, "--lang", "zh").err_lines
    en = cli("check", *hostile).err_lines
    assert len(zh) == len(en)
    for a, b in zip(zh, en, strict=True):
        assert a.split(": 错误：")[0] == b.split(": error: ")[0]
    assert not any("错误" in line for line in en)


def test_every_hostile_file_renders_in_both_languages():
    """Loading each file in-process: every diagnostic renders in both tables (a
    parameter the code forgot would be a KeyError here)."""
    for name, text in HOSTILE.items():
        with pytest.raises(ScenarioError) as info:
            load_text(text, f"{name}.toml")
        for d in info.value.errors:
            assert d.key is not None, (name, d)
            for lang in LANGUAGES:
                assert d.render(messages(lang)), (name, lang)


# ------------------------------------------------------------------ the CLI's own words

@pytest.mark.parametrize("argv", [
    ("trace", "add-mul", "--precision", "99"),
    ("trace", "add-mul", "--iterations", "٣"),
    ("trace", "add-mul", "--format", "pdf"),
    ("trace",),
    ("trace", "add-mul", "--bogus"),
    ("gradcheck", "add-mul", "--tolerance", "abc"),
    ("gradcheck", "add-mul", "--tolerance", "1e999"),
    ("gradcheck", "add-mul", "--tolerance", "-1"),
    ("export", "add-mul", "--format", "html", "--step", "2"),
    ("export", "add-mul", "--format", "svg", "--step", "999"),
    ("help", "frobnicate"),
    ("add-mul", "--theme", "nope"),
    ("add-mul", "--quiz-kinds", "output,guess"),
    ("serve", "telnet"),
    ("serve", "web", "--scenarios", "/nonexistent-folder"),
    ("serve", "ssh", "--no-auth", "--host", "0.0.0.0"),
    ("serve", "ssh"),
    ("serve", "ssh", "--password", ""),
    ("serve", "web", "--port", "99999"),
])
def test_cli_usage_errors_are_chinese_in_a_chinese_session(cli, monkeypatch, argv):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = cli(*argv)
    assert result.code == 2, result
    (line,) = result.err_lines
    m = re.fullmatch(r"tui-backprop: 错误：(?P<msg>.+)", line)
    assert m, line
    # the command's own vocabulary stays: option names, lists of choices (themes,
    # commands, quiz kinds), paths, metavars and format names (FILE, HTML, svg), the
    # words typed on the command line (serve telnet)
    rest = m["msg"]
    for own in (r"--[\w-]+", r"[\w-]+(?:, [\w-]+)+", r"/\S+", r"\b[A-Z]{2,}\b", r"\bsvg\b",
                r"\bserve \w+"):
        rest = re.sub(own, " ", rest)
    assert not english_words(rest), line


def test_cli_trace_without_train_is_chinese(cli):
    result = cli("trace", "add-mul", "--iterations", "3", "--lang", "zh")
    (line,) = result.err_lines
    assert result.code == 2 and ": 错误：--iterations 需要 [train] 表" in line


def test_check_ok_is_chinese(cli):
    result = cli("check", "add-mul", "--lang", "zh")
    assert result.code == 0 and result.out.strip().endswith("没有发现错误")


def test_config_notes_are_chinese(tmp_path):
    from tui_backprop.config import load_settings, save_settings

    path = tmp_path / "config.toml"
    path.write_text('theme = "nope"\nlang = "fr"\nprecision = 99\nascii = "yes"\ncolour = 1\n',
                    encoding="utf-8")
    _, notes = load_settings(path, themes=frozenset({"nord"}), msgs=messages("zh"))
    assert len(notes) == 5
    for note in notes:
        assert note.startswith(f"{path}: 注意：忽略"), note
        rest = re.sub(r"\b(theme|lang|precision|ascii|true|false|en|zh)\b", " ",
                      note.removeprefix(str(path)))
        assert not english_words(rest), note
    path.write_text("= broken", encoding="utf-8")
    (note,) = load_settings(path, msgs=messages("zh"))[1]
    assert "忽略配置文件：它不是有效的 TOML" in note
    blocker = tmp_path / "file"
    blocker.write_text("")
    from tui_backprop.config import Settings

    note = save_settings(Settings(lang="zh"), blocker / "config.toml", msgs=messages("zh"))
    assert note is not None and ": 注意：无法保存设置（" in note
