"""Bad scenario files: every one exits 2 with one line per error naming the file and
(where there is one) the file's own line, and never a traceback.

Expected line numbers are counted from how each file is written below: the ``[graph]
code`` string of :func:`write_code` starts on file line 9, so code line ``i`` is file
line ``8 + i``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tui_backprop.engine import MAX_ARRAY_ELEMENTS

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
CODE_FIRST_LINE = 9  # the file line of the code's first line

DIAG = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?: error: (?P<msg>.+)$")


def write_code(tmp_path, *code_lines: str, name: str = "bad.toml"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(code_lines) + '\n"""\n', encoding="utf-8")
    return path


def file_line(code_line: int) -> int:
    return CODE_FIRST_LINE + code_line - 1


def diagnostics(result, path) -> list[re.Match]:
    """Every stderr line, parsed; asserts each is one well-formed diagnostic for ``path``."""
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err and "Traceback" not in result.out
    assert "usage:" not in result.err
    lines = result.err_lines
    assert lines, "no error printed"
    matches = []
    for line in lines:
        m = DIAG.match(line)
        assert m, f"not a one-line diagnostic: {line!r}"
        assert m["path"] == str(path)
        matches.append(m)
    return matches


def only_error(result, path, line: int | None, col: int | None = None,
               contains: str = "") -> re.Match:
    """Exactly one diagnostic, at ``line`` (and ``col`` when given)."""
    (m,) = diagnostics(result, path)
    assert (int(m["line"]) if m["line"] else None) == line, m.string
    if col is not None:
        assert int(m["col"]) == col, m.string
    assert contains.lower() in m["msg"].lower(), m.string
    return m


# ---------------------------------------------------------------------------- TOML level


def test_malformed_toml(tmp_path, cli):
    path = tmp_path / "bad.toml"
    path.write_text('title = "t"\n[inputs]\nx = = 1\n', encoding="utf-8")
    only_error(cli("check", path), path, 3, contains="invalid TOML")


def test_missing_title(tmp_path, cli):
    path = tmp_path / "bad.toml"
    path.write_text('[inputs]\nx = 1\n[graph]\ncode = "f = x * 2"\n', encoding="utf-8")
    (m,) = diagnostics(cli("check", path), path)
    assert m["line"] in (None, "1") and "title" in m["msg"]  # a missing key has no line


def test_unknown_key(tmp_path, cli):
    path = tmp_path / "bad.toml"
    path.write_text('title = "t"\ncolour = "red"\n[inputs]\nx = 1\n[graph]\n'
                    'code = "f = x * 2"\n', encoding="utf-8")
    only_error(cli("check", path), path, 2, 1, contains="unknown key 'colour'")


def test_unknown_key_in_graph_table(tmp_path, cli):
    path = tmp_path / "bad.toml"
    path.write_text('title = "t"\n[inputs]\nx = 1\n[graph]\ncode = "f = x * 2"\n'
                    'outptu = "f"\n', encoding="utf-8")
    only_error(cli("check", path), path, 6, 1, contains="outptu")


# ------------------------------------------------------------------------- code level


def test_reassigned_name(tmp_path, cli):
    path = write_code(tmp_path, "a = x * 2", "b = a + 1", "a = b * 3")
    only_error(cli("check", path), path, file_line(3), 1, contains="reassigned")


def test_reassigned_line_is_the_files_own(tmp_path, cli):
    # the brief's example: code starting on line 8, error in its 3rd line -> line 10
    path = tmp_path / "bad.toml"
    path.write_text('title = "t"\n[inputs]\nx = 1\ny = 2\n\n# comment\n[graph]\ncode = """\n'
                    'a = x * y\nb = a + x\na = b * 2\n"""\n', encoding="utf-8")
    assert path.read_text().split("\n")[7] == 'code = """'
    only_error(cli("check", path), path, 11, 1, contains="reassigned")


def test_unknown_name(tmp_path, cli):
    path = write_code(tmp_path, "a = x * 2", "b = a + q")
    only_error(cli("check", path), path, file_line(2), 9, contains="unknown name 'q'")


def test_unknown_function(tmp_path, cli):
    path = write_code(tmp_path, "a = x * 2", "b = a + 1", "c = frobnicate(b)")
    only_error(cli("check", path), path, file_line(3), 5, contains="frobnicate")


@pytest.mark.parametrize("expr, col", [
    ("x.real", 5),                     # attribute access
    ("y[0]", 5),                       # subscript
    ("(lambda q: q)(x)", 5),           # lambda (called: the call is refused)
    ("lambda q: q", 5),                # lambda
    ('x * "abc"', 9),                  # string
    ("__import__('os')", 5),           # __import__
])
def test_forbidden_syntax(tmp_path, cli, expr, col):
    path = write_code(tmp_path, "a = x * 2", f"b = {expr}", "c = a + 1")
    only_error(cli("check", path), path, file_line(2), col)


def test_forbidden_syntax_never_runs(tmp_path, cli):
    marker = tmp_path / "pwned"
    path = write_code(tmp_path, f"a = __import__('os').system('touch {marker}')")
    diagnostics(cli("trace", path), path)
    assert not marker.exists()


def test_shape_mismatch(tmp_path, cli):
    path = write_code(tmp_path, "a = W @ y", "b = a + v")
    only_error(cli("check", path), path, file_line(2), 5, contains="shape")


def test_every_error_in_a_file_is_reported(tmp_path, cli):
    path = write_code(tmp_path, "a = x * 2", "b = a + q", "c = a * 3", "d = nope(c)")
    lines = [int(m["line"]) for m in diagnostics(cli("check", path), path)]
    assert lines == [file_line(2), file_line(4)]


# ------------------------------------------------------------------------- file level


def test_non_utf8_file(tmp_path, cli):
    path = tmp_path / "bad.toml"
    path.write_bytes(b'title = "t"\n[inputs]\nx = 1 # caf\xe9\n')
    only_error(cli("check", path), path, 3, contains="UTF-8")


def test_empty_file(tmp_path, cli):
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    only_error(cli("check", path), path, None, contains="empty")


def test_directory(tmp_path, cli):
    only_error(cli("check", tmp_path), tmp_path, None, contains="directory")


def test_missing_file(tmp_path, cli):
    path = tmp_path / "nope.toml"
    only_error(cli("trace", path), path, None, contains="no such file")


def test_huge_array(tmp_path, cli):
    n = MAX_ARRAY_ELEMENTS + 1
    path = tmp_path / "huge.toml"
    path.write_text('title = "t"\n[inputs]\nbig = [' + ", ".join(["1.0"] * n) + "]\n"
                    "[graph]\ncode = \"f = sum(big)\"\n", encoding="utf-8")
    found = diagnostics(cli("check", path), path)
    # the array's own line comes first; a later line may only say that 'big' is unusable
    assert int(found[0]["line"]) == 3 and "too large" in found[0]["msg"]
    assert all("big" in m["msg"] or "too large" in m["msg"] for m in found)


def test_deeply_nested_parentheses(tmp_path, cli):
    path = write_code(tmp_path, "a = x * 2", "b = " + "(" * 500 + "a" + ")" * 500)
    only_error(cli("check", path), path, file_line(2), contains="nested too deeply")


def test_deep_chain_of_calls(tmp_path, cli):
    path = write_code(tmp_path, "a = " + "exp(" * 300 + "x" + ")" * 300)
    only_error(cli("trace", path), path, file_line(1), contains="nested too deeply")


def test_deeply_nested_toml_array(tmp_path, cli):
    # tomllib itself recurses here (RecursionError); it must still be one line, exit 2
    path = tmp_path / "deep.toml"
    path.write_text('title = "t"\n[inputs]\nx = ' + "[" * 3000 + "1" + "]" * 3000 + "\n",
                    encoding="utf-8")
    only_error(cli("check", path), path, None, contains="deep")


@pytest.mark.parametrize("command", [("trace",), ("trace", "--format", "json"),
                                     ("gradcheck",), ()])
def test_every_command_reports_a_bad_file_the_same_way(tmp_path, cli, command):
    path = write_code(tmp_path, "a = x * 2", "b = a + q")
    expected = cli("check", path).err
    result = cli(*command, path)
    only_error(result, path, file_line(2), 9, contains="unknown name")
    assert result.err == expected and result.out == ""


# ------------------------------------------------------------------ a real subprocess


def run_process(*argv):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("TUI_BACKPROP_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tui_backprop", *map(str, argv)],
                          capture_output=True, text=True, env=env, timeout=120)


def test_subprocess_reassigned_and_unknown_function(tmp_path):
    bad1 = write_code(tmp_path, "a = x * 2", "b = a + 1", "a = b * 3", name="one.toml")
    bad2 = write_code(tmp_path, "c = frobnicate(x)", name="two.toml")
    proc = run_process("check", bad1, bad2)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"{bad1}:{file_line(3)}:1: error: 'a' is reassigned: each name is assigned once",
        f"{bad2}:{file_line(1)}:5: error: unknown function 'frobnicate'",
    ]


@pytest.mark.parametrize("make", ["non_utf8", "directory", "deep", "toml"])
def test_subprocess_file_problems(tmp_path, make):
    if make == "non_utf8":
        path = tmp_path / "bad.toml"
        path.write_bytes(b"\xff\xfe title")
    elif make == "directory":
        path = tmp_path
    elif make == "deep":
        path = write_code(tmp_path, "a = " + "(" * 500 + "x" + ")" * 500)
    else:
        path = tmp_path / "bad.toml"
        path.write_text("title = \n", encoding="utf-8")
    proc = run_process("trace", path, "--format", "json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert DIAG.match(line) and line.startswith(f"{path}")
