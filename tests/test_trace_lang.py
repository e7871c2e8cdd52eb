"""``trace --lang zh`` and ``trace --ascii``: a Chinese trace has no English words left, an
ASCII trace has no other character at all, and the JSON is the same in every language.
The text trace's colours follow the style roles: values green, gradients red."""

from __future__ import annotations

import dataclasses
import io
import os
import re

import pytest
from rich.console import Console

from tui_backprop.engine import GATES, bundled, load
from tui_backprop.engine.gates import FUNCTIONS
from tui_backprop.report import build_trace, print_text, render_markdown

BUNDLED = [name for name, _ in bundled()]

#: Words a Chinese trace may still show: formula identifiers and function names (as the
#: lecture notes write them, untranslated), non-finite numbers, the markdown code fence's
#: language, the scenario file's [network] table and the --format json option.
ALLOWED = (
    {"ln", "exp", "log", "sqrt", "max", "min", "mean", "sum", "sign", "tanh", "sigmoid",
     "relu", "ReLU", "softmax", "log_softmax", "diag", "stack", "T", "e", "n", "N", "i", "p",
     "s", "t", "D", "W", "X", "dD", "dW", "dX", "dz", "dp", "nan", "inf"}
    | {"python", "network", "format", "json", "JSON"}
    | set(FUNCTIONS)
    | {w for spec in GATES.values() for w in re.findall(r"[A-Za-z_]+", spec.label)}
)


def chinese_trace(name: str) -> tuple[str, set[str]]:
    """The zh text and markdown traces of a bundled scenario with its own prose (title,
    description, code: the author's words, in whatever language) left out; and the names
    the trace may show (nodes and their ``d`` gradients)."""
    sc = load(name)
    sc = dataclasses.replace(sc, title="T", description="",
                             graph=dataclasses.replace(sc.graph, code=""))
    trace = build_trace(sc)
    out = io.StringIO()
    print_text(trace, Console(file=out, width=100, color_system=None), lang="zh")
    names = {n.name for n in sc.graph.nodes}
    return out.getvalue() + render_markdown(trace, lang="zh"), names | {f"d{n}" for n in names}


@pytest.mark.parametrize("name", BUNDLED)
def test_chinese_trace_has_no_english_words(name):
    text, names = chinese_trace(name)
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    assert words - names - ALLOWED == set()
    for term in ("前向传播", "反向传播", "局部梯度", "上游梯度"):
        assert term in text


def test_the_english_probe_finds_english(cli):
    """The check above can fail: the English trace is full of words it would report."""
    sc = load("add-mul")
    sc = dataclasses.replace(sc, description="", graph=dataclasses.replace(sc.graph, code=""))
    out = io.StringIO()
    print_text(build_trace(sc), Console(file=out, width=100), lang="en")
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", out.getvalue()))
    assert {"gate", "upstream", "contribution"} <= words - ALLOWED


@pytest.mark.parametrize("name", BUNDLED)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_ascii_trace_is_all_ascii(cli, name, fmt):
    result = cli("trace", name, "--ascii", "--format", fmt)
    assert result.code == 0 and result.err == ""
    bad = sorted({ch for ch in result.out if not ch.isascii()})
    assert bad == [], bad


def test_ascii_trace_keeps_the_numbers_and_words(cli):
    out = cli("trace", "add-mul", "--ascii").out
    assert "Backward pass" in out and "f = q*z" in out
    assert "1 * -4 = -4" in out and "+= -4:  0 -> -4" in out
    assert "df/dq = -4" in out


def test_a_non_utf8_locale_draws_ascii(cli, monkeypatch):
    monkeypatch.setenv("LANG", "C")
    assert cli("trace", "cs231n-staged").out.isascii()


def test_ascii_in_chinese_falls_back_to_english_and_says_so(cli):
    result = cli("trace", "add-mul", "--ascii", "--lang", "zh")
    assert result.code == 0 and result.out.isascii() and "Forward pass" in result.out
    assert "ASCII output is in English" in result.err


def test_language_comes_from_the_locale(cli, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "反向传播" in cli("trace", "add-mul").out
    assert "Backward pass" in cli("trace", "add-mul", "--lang", "en").out
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL overrides LANG
    assert "Backward pass" in cli("trace", "add-mul").out


def test_markdown_in_chinese(cli):
    md = cli("trace", "network-2-2-2", "--format", "markdown", "--lang", "zh").out
    for heading in ("## 前向传播", "## 初始梯度", "## 反向传播", "## 参数更新", "## 梯度",
                    "## 损失变化", "## 最终参数"):
        assert f"\n{heading}\n" in md
    assert "| 输入 | 局部梯度 | 贡献 | 累加前梯度 | 累加后梯度 |" in md
    assert "0.3589" in md  # W2[0,0] after one step (the worked example: 0.35891648)


@pytest.mark.parametrize("name", ["add-mul", "softmax-classifier"])
def test_json_is_language_free(cli, name):
    en = cli("trace", name, "--format", "json", "--lang", "en").out
    assert cli("trace", name, "--format", "json", "--lang", "zh").out == en


# ------------------------------------------------------------------------- colours

SGR = r"\x1b\[([0-9;]*)m"


def coloured_trace(name: str) -> str:
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=True, color_system="standard",
                      highlight=False, markup=False, emoji=False)
    print_text(build_trace(load(name)), console)
    return out.getvalue()


def colour_of(text: str, target: str) -> set[str]:
    """The SGR parameters in force where ``target`` is printed."""
    codes = set()
    for m in re.finditer(SGR + re.escape(target), text):
        codes.update(m.group(1).split(";"))
    return codes


def test_values_green_gradients_red_as_in_the_tui():
    text = coloured_trace("add-mul")
    assert "32" in colour_of(text, "f = -12")  # the forward output: a value, green
    assert "31" in colour_of(text, "\u2202f/\u2202q = -4")  # the upstream: a gradient, red
    assert "32" in colour_of(text, "forward")
    assert "31" in colour_of(text, "backward")
    # the text trace used to draw the phases cyan (36) and yellow (33)
    assert "36" not in colour_of(text, "forward") and "33" not in colour_of(text, "backward")


def test_a_c_locale_process_draws_ascii_despite_pythons_coercion():
    """Python turns a ``LANG=C`` process's LC_CTYPE into C.UTF-8 (PEP 538) before any of
    our code runs; the terminal is still not declared UTF-8, so the output is ASCII."""
    import subprocess
    import sys

    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C", "NO_COLOR": "1",
           "HOME": os.environ.get("HOME", "/tmp")}
    out = subprocess.run([sys.executable, "-m", "tui_backprop", "trace", "cs231n-staged"],
                         capture_output=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout and out.stdout.isascii()
    env["LANG"] = "en_US.UTF-8"
    out = subprocess.run([sys.executable, "-m", "tui_backprop", "trace", "cs231n-staged"],
                         capture_output=True, env=env, timeout=120)
    assert not out.stdout.isascii()  # the control: a UTF-8 locale draws ∂ and σ
