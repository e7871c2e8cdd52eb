"""The ``tui-backprop`` commands: list, check, gradcheck, the TUI launcher, usage errors
(exit 2, one line, no usage dump) and the internal-error boundary (exit 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import types

import pytest

from tui_backprop import cli as cli_module
from tui_backprop.engine import Scenario
from tui_backprop.engine.scenario import bundled_dir

GOOD = 'title = "good"\n[inputs]\nx = 3\n[params]\nw = 2\n[graph]\ncode = "f = w * x"\n'
TRAINS = GOOD + "[train]\nlearning_rate = 0.1\niterations = 4\n"


def write(tmp_path, text: str, name: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one_usage_error(result, contains: str = "") -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.out == ""
    (line,) = result.err_lines
    assert "Traceback" not in line and "usage:" not in line
    assert contains in line, line
    return line


# ------------------------------------------------------------------------------ list


def test_list_shows_every_bundled_scenario_with_its_title(cli):
    result = cli("list")
    assert result.code == 0 and result.err == ""
    files = sorted(p.name for p in bundled_dir().iterdir() if p.name.endswith(".toml"))
    assert len(files) >= 3
    lines = result.out.splitlines()
    assert len(lines) == len(files)
    for line, file in zip(lines, files, strict=True):
        title = tomllib.loads((bundled_dir() / file).read_text("utf-8"))["title"]
        name = file.removesuffix(".toml")
        assert line.startswith(name + " ") and line.endswith(title)


# ----------------------------------------------------------------------------- check


def test_check_good_files(cli, tmp_path):
    a, b = write(tmp_path, GOOD, "a.toml"), write(tmp_path, TRAINS, "b.toml")
    result = cli("check", a, b)
    assert result.code == 0 and result.err == ""
    assert result.out.splitlines() == [f"{a}: ok", f"{b}: ok"]


def test_check_every_bundled_scenario(cli):
    names = [p.name.removesuffix(".toml") for p in bundled_dir().iterdir()
             if p.name.endswith(".toml")]
    result = cli("check", *names)
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == len(names)
    assert all(line.endswith(": ok") for line in result.out.splitlines())


def test_check_mixed_files_reports_all_and_exits_2(cli, tmp_path):
    good = write(tmp_path, GOOD, "good.toml")
    bad = write(tmp_path, GOOD.replace("w * x", "w * q") + 'colour = "red"\n', "bad.toml")
    missing = tmp_path / "missing.toml"
    result = cli("check", bad, good, missing)
    assert result.code == 2
    assert result.out.splitlines() == [f"{good}: ok"]
    errs = result.err_lines
    # bad.toml: the code is on line 7 ('code = "f = w * q"', q at column 17); the
    # unknown key (in [graph]) on line 8; then the missing file without a line
    assert len(errs) == 3
    assert any(e.startswith(f"{bad}:7:17: error:") and "'q'" in e for e in errs[:2])
    assert any(e.startswith(f"{bad}:8:1: error:") and "colour" in e for e in errs[:2])
    assert errs[2].startswith(f"{missing}: error:")


def test_check_needs_a_file(cli):
    one_usage_error(cli("check"), "tui-backprop: error:")


# ------------------------------------------------------------------------- gradcheck


def test_gradcheck_passes(cli, tmp_path):
    result = cli("gradcheck", write(tmp_path, GOOD, "g.toml"))
    assert result.code == 0, result.out
    assert "relative error" in result.out
    # df/dx = w = 2 and df/dw = x = 3
    rows = {line.split()[0]: line.split() for line in result.out.splitlines()
            if line.split() and line.split()[0] in ("x", "w")}
    assert float(rows["x"][1]) == 2.0 and float(rows["w"][1]) == 3.0
    assert rows["x"][-1] == "pass" and rows["w"][-1] == "pass"
    assert "2 of 2 leaf elements pass" in result.out


@pytest.mark.parametrize("name", ["cs231n-sigmoid", "network-2-2-2"])
def test_gradcheck_bundled(cli, name):
    result = cli("gradcheck", name)
    assert result.code == 0, result.out
    assert "FAIL" not in result.out


def test_gradcheck_at_a_kink_names_the_gate(cli, tmp_path):
    # relu at exactly 0: the central difference gives 3 * 0.5 = 1.5, the analytic side
    # 0 or 3: not a wrong gradient but a point where there is none, so no bare FAIL
    path = write(tmp_path, 'title = "kink"\n[inputs]\nx = 0.0\n[graph]\n'
                           'code = "f = relu(x) * 3"\n', "kink.toml")
    result = cli("gradcheck", path)
    assert result.code == 0, result.out
    assert "FAIL" not in result.out
    rows = [line.split() for line in result.out.splitlines() if line.startswith("x ")]
    assert rows[0][2] == "1.5" and rows[0][-1] == "kink"
    text = " ".join(result.out.split())  # Rich wraps long lines at the console width
    assert "x: not differentiable here: gate 'f_1' (relu) is at its switching point " \
           "(its input is 0)" in text
    assert "0 of 1 leaf elements pass" in text and "1 at a kink" in text


def test_gradcheck_nan_fails(cli, tmp_path):
    path = write(tmp_path, 'title = "nan"\n[inputs]\nx = -1.0\n[graph]\n'
                           'code = "f = sqrt(x)"\n', "nan.toml")
    result = cli("gradcheck", path)
    assert result.code == 1 and "FAIL" in result.out and "nan" in result.out


@pytest.mark.parametrize("value", ["-1", "0", "abc", "nan", "inf"])
def test_gradcheck_bad_tolerance(cli, tmp_path, value):
    one_usage_error(cli("gradcheck", write(tmp_path, GOOD, "g.toml"), "--tolerance", value),
                    "tolerance")


# ---------------------------------------------------------------------- usage errors


@pytest.mark.parametrize("argv, contains", [
    (("trace",), "tui-backprop: error:"),
    (("trace", "add-mul", "--format", "xml"), "--format"),
    (("trace", "add-mul", "--iterations", "0"), "iterations"),
    (("trace", "add-mul", "--iterations", "many"), "iterations"),
    (("trace", "add-mul", "--precision", "0"), "precision"),
    (("trace", "add-mul", "--bogus"), "--bogus"),
    (("trace", "add-mul", "extra.toml"), "extra.toml"),
    (("gradcheck",), "tui-backprop: error:"),
    (("list", "extra"), "extra"),
    (("--precision", "99"), "precision"),
    (("--frobnicate",), "--frobnicate"),
    (("help", "nope"), "nope"),
])
def test_usage_errors_are_one_line(cli, argv, contains):
    line = one_usage_error(cli(*argv), contains)
    assert line.startswith("tui-backprop: error:")


def test_iterations_without_train_is_a_usage_error(cli):
    line = one_usage_error(cli("trace", "add-mul", "--iterations", "3"), "[train]")
    assert ": error: --iterations" in line


def test_help(cli):
    for argv in (("--help",), ("help",), ("-h",)):
        result = cli(*argv)
        assert result.code == 0 and "usage: tui-backprop" in result.out
        for command in ("list", "check", "trace", "gradcheck"):
            assert command in result.out
    result = cli("trace", "--help")
    assert result.code == 0 and "--iterations" in result.out


def test_version(cli):
    from tui_backprop import __version__

    assert cli("--version").out.strip() == f"tui-backprop {__version__}"


# ------------------------------------------------------------------- the TUI launcher


@pytest.fixture
def fake_tui(monkeypatch):
    """A stand-in for tui_backprop.tui.app recording what create_app was given."""
    calls = []

    class App:
        return_code = 0

        def __init__(self, path, precision, **options):
            calls.append((path, precision))

        def run(self):
            calls.append("run")

    module = types.ModuleType("tui_backprop.tui.app")
    module.create_app = App
    monkeypatch.setitem(sys.modules, "tui_backprop.tui.app", module)
    return calls


def test_open_passes_the_loaded_scenario_and_precision(cli, fake_tui):
    # the CLI validated the file: the app gets that Scenario instead of reading it again
    result = cli("cs231n-sigmoid", "--precision", "6")
    assert result.code == 0, result.err
    (scenario, precision), run = fake_tui
    assert isinstance(scenario, Scenario) and (precision, run) == (6, "run")
    assert scenario.path == str(bundled_dir() / "cs231n-sigmoid.toml")
    with open(scenario.path, "rb") as f:
        assert scenario.title == tomllib.load(f)["title"]


def test_open_without_a_scenario_opens_the_picker(cli, fake_tui):
    assert cli().code == 0
    assert fake_tui == [(None, 4), "run"]


def test_open_validates_first(cli, fake_tui, tmp_path):
    bad = write(tmp_path, GOOD.replace("w * x", "w * q"), "bad.toml")
    result = cli(bad)
    assert result.code == 2 and fake_tui == []
    assert result.err_lines == [f"{bad}:7:17: error: unknown name 'q'"]


def test_open_falls_back_to_the_text_trace_without_a_tui(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "tui_backprop.tui.app", None)  # import -> ImportError
    result = cli("add-mul")
    assert result.code == 0
    assert "Backward pass" in result.out and "f = -12" in result.out
    assert "TUI is not available" in result.err


# -------------------------------------------------------------------- internal errors


def test_internal_error_is_one_line_and_exit_1(cli, monkeypatch):
    def boom(graph):
        raise RuntimeError("simulated\nbug")

    monkeypatch.delenv("TUI_BACKPROP_DEBUG", raising=False)
    monkeypatch.setattr(cli_module, "gradcheck", boom)
    result = cli("gradcheck", "add-mul")
    assert result.code == 1
    (line,) = result.err_lines
    assert line.startswith("tui-backprop: internal error: RuntimeError: simulated bug")
    assert "report" in line and "TUI_BACKPROP_DEBUG=1" in line
    assert "Traceback" not in result.err

    monkeypatch.setenv("TUI_BACKPROP_DEBUG", "1")
    result = cli("gradcheck", "add-mul")
    assert result.code == 1 and "Traceback" in result.err


def test_console_script_and_module_agree(tmp_path):
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "tui_backprop", "trace", "add-mul",
                           "--format", "json"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""
    assert '"format": "tui-backprop-trace/1"' in proc.stdout
    script = os.path.join(os.path.dirname(sys.executable), "tui-backprop")
    if os.path.exists(script):
        proc2 = subprocess.run([script, "trace", "add-mul", "--format", "json"],
                               capture_output=True, text=True, env=env, timeout=120)
        assert proc2.returncode == 0 and proc2.stdout == proc.stdout


def test_broken_pipe_is_quiet(tmp_path):
    # `tui-backprop trace ... | head -1`: no BrokenPipeError noise on stderr
    env = dict(os.environ, NO_COLOR="1")
    cmd = [sys.executable, "-m", "tui_backprop", "trace", "softmax-classifier",
           "--format", "json"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env) as proc:
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_ascii_terminal_does_not_crash():
    # LANG=C-style output streams cannot encode ∂, ×, σ: text degrades, JSON escapes
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="ascii")
    base = [sys.executable, "-m", "tui_backprop", "trace", "cs231n-staged"]
    text = subprocess.run(base, capture_output=True, env=env, timeout=120)
    assert text.returncode == 0 and text.stderr == b""
    assert b"Backward pass" in text.stdout
    js = subprocess.run(base + ["--format", "json"], capture_output=True, env=env, timeout=120)
    assert js.returncode == 0
    assert js.stdout.isascii()
    assert json.loads(js.stdout)["title"] == "Staged computation: (x + σ(y)) / (σ(x) + (x + y)²)"


def test_help_is_in_the_chosen_language(cli):
    """The main help is catalogue text: ``--lang zh`` (or a Chinese locale) gives the
    Chinese help, with the standard terms; the usage lines (commands) stay literal."""
    zh = cli("--help", "--lang", "zh")
    assert zh.code == 0 and "usage: tui-backprop" in zh.out
    assert "反向传播" in zh.out and "前向传播" in zh.out and "梯度检验" in zh.out
    en = cli("--help", "--lang", "en")
    assert "A terminal step-through debugger for backpropagation" in en.out
    assert "反向传播" not in en.out
