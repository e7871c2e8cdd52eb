"""Issue 6, engine/loader/CLI half: hostile numbers, types, names, positions, printable
output, bounded cost, the recording budget, the neuron gate count and gradcheck kinks.

Through the real CLI (the ``cli`` fixture runs it in-process) where the CLI is the
contract; expected lines and numbers are derived by hand from the files written here.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import numpy as np
import pytest

from tui_backprop.engine import ScenarioError, gradcheck, load_text
from tui_backprop.engine.parse import MAX_GATES, const_name
from tui_backprop.engine.scenario import MAX_ITERATIONS, parse_count, parse_typed_value
from tui_backprop.engine.timeline import MAX_RECORD_BYTES, RecordingTooLarge, record

DIAG = re.compile(r"^[^\n]*?(:\d+(:\d+)?)?: error: \S.*$")


def write(tmp_path, text: str, name: str = "s.toml") -> str:
    p = tmp_path / name
    p.write_text(text, "utf-8")
    return str(p)


def errors(cli, tmp_path, text: str) -> list[str]:
    """``check`` a file that must be refused: exit 2, only well-formed one-line
    diagnostics, none mentioning Python internals."""
    result = cli("check", write(tmp_path, text))
    assert result.code == 2, (result.out, result.err)
    lines = result.err_lines
    assert lines
    for line in lines:
        assert DIAG.match(line), line
        assert line.isprintable(), line
        for word in ("internal error", "line None", "TypeError", "ValueError",
                     "OverflowError", "Traceback"):
            assert word not in line, line
    return lines


def at(lines: list[str], line: int) -> list[str]:
    """The diagnostics placed on file line ``line``."""
    return [d for d in lines if re.search(rf"\.toml:{line}(:\d+)?: error:", d)]


GRAPH = '[graph]\ncode = "y = x * 2"\n'

# ---------------------------------------------------------------------- too large

BIG_INT = "9" * 401  # > 1.8e308
HUGE_INT = "9" * 5000  # beyond what Python will even read as an int


@pytest.mark.parametrize("value", [BIG_INT, "-" + BIG_INT, "0x" + "F" * 300, "1e999",
                                   "-1e999", HUGE_INT],
                         ids=["401-digits", "-401-digits", "hex", "1e999", "-1e999",
                              "5000-digits"])
def test_a_number_beyond_float64_is_too_large_at_its_line(cli, tmp_path, value):
    lines = errors(cli, tmp_path, f'title = "t"\n[inputs]\nx = {value}\n{GRAPH}')
    assert len(lines) == 1 and "too large" in lines[0]
    assert at(lines, 3) == lines


@pytest.mark.parametrize("value", [BIG_INT, "1e999", HUGE_INT],
                         ids=["401-digits", "1e999", "5000-digits"])
def test_a_huge_number_inside_a_list_is_too_large_not_ragged(cli, tmp_path, value):
    lines = errors(cli, tmp_path,
                   f'title = "t"\n[params]\nw = [[1.0, 2.0],\n  [3.0, {value}]]\n{GRAPH}'
                   .replace("x * 2", "w * 2"))
    assert len(lines) == 1 and "too large" in lines[0] and "ragged" not in lines[0]
    assert at(lines, 3) or at(lines, 4)


def test_inf_and_nan_written_as_such_are_data(cli, tmp_path):
    path = write(tmp_path, 'title = "t"\n[inputs]\nx = [inf, -inf, nan]\n' + GRAPH)
    result = cli("trace", path, "--format", "json")
    assert result.code == 0, result.err
    assert '"-inf"' in result.out and '"nan"' in result.out


@pytest.mark.parametrize("key,value,line", [
    ("learning_rate", "1" + "0" * 400, 7), ("learning_rate", "1e999", 7),
    ("iterations", "9" * 30, 7), ("iterations", HUGE_INT, 7)],
    ids=["lr-401-digits", "lr-1e999", "iterations-30-digits", "iterations-5000-digits"])
def test_train_numbers_too_large(cli, tmp_path, key, value, line):
    lines = errors(cli, tmp_path, f'title = "t"\n[inputs]\nx = 1.0\n{GRAPH}[train]\n'
                   + ("learning_rate = 0.1\n" if key == "iterations" else "")
                   + f"{key} = {value}\n")
    assert len(lines) == 1 and "too large" in lines[0], lines
    assert at(lines, line + (key == "iterations")), lines


NET = ('title = "n"\n[network]\ninputs = {x}\ntargets = {t}\nloss = "half_sse"\nseed = {seed}\n'
       '[[network.layers]]\nactivation = "sigmoid"\n{layer}\n')


@pytest.mark.parametrize("field,line", [("x", 3), ("t", 4), ("seed", 6), ("w", 9), ("b", 9)])
def test_network_numbers_too_large(cli, tmp_path, field, line):
    parts = {"x": "[1.0, 2.0]", "t": "[0.5]", "seed": "1", "w": "[1.0, 2.0]", "b": "0.0"}
    parts[field] = parts[field].replace("1.0", "1e999").replace("0.5", BIG_INT).replace(
        "0.0", HUGE_INT) if field != "seed" else BIG_INT
    layer = f"weights = [{parts['w']}]" if field != "b" else f"units = 1\nbiases = [{parts['b']}]"
    text = NET.format(x=parts["x"], t=parts["t"], seed=parts["seed"], layer=layer)
    lines = errors(cli, tmp_path, text)
    assert any("too large" in d for d in lines), lines
    assert at(lines, line + (field == "b")), lines


# ---------------------------------------------------------------- typed values


def test_parse_typed_value_follows_the_file_rules():
    assert parse_typed_value("2.5") == 2.5
    assert np.isinf(parse_typed_value("-inf")) and np.isnan(parse_typed_value("nan"))
    assert parse_typed_value("[[1, 2], [3, 4]]").shape == (2, 2)
    for text, words in (("1e999", "too large"), ("[1, " + BIG_INT + "]", "too large"),
                        (HUGE_INT, "too large"), ("[1, [2]]", "ragged"), ("[]", "empty"),
                        ("true", "single number"), ('"x"', "single number"),
                        ("1\x1b[2J", "type a number"), ("", "type a number")):
        with pytest.raises(ScenarioError) as exc:
            parse_typed_value(text)
        assert words in str(exc.value), (text, str(exc.value))


def test_parse_count_takes_ascii_digits_only():
    assert parse_count("50") == 50 and parse_count(" 7 ") == 7
    for text in ("", "-1", "+3", "1_000", "٣", "1e3", "3.0", "0"):
        with pytest.raises(ValueError):
            parse_count(text)
    with pytest.raises(ValueError, match="too large"):
        parse_count("9" * 5000)
    with pytest.raises(ValueError):
        parse_count(str(MAX_ITERATIONS + 1))


@pytest.mark.parametrize("argv,words", [
    (("trace", "bce-neuron", "--iterations", "9" * 5000), "too large"),
    (("trace", "bce-neuron", "--iterations", "٣"), "digits 0-9"),
    (("trace", "bce-neuron", "--precision", "1" + "0" * 400), "too large"),
    (("gradcheck", "add-mul", "--tolerance", "1e999"), "too large"),
    (("gradcheck", "add-mul", "--tolerance", "\x1b]0;x\x07"), "tolerance")],
    ids=["iterations-5000-digits", "iterations-arabic", "precision-401-digits",
         "tolerance-1e999", "tolerance-escape"])
def test_cli_flags_refuse_huge_or_odd_numbers_on_one_line(cli, argv, words):
    result = cli(*argv)
    assert result.code == 2
    assert len(result.err_lines) == 1 and words in result.err, result.err
    assert result.err_lines[0].isprintable() and len(result.err_lines[0]) < 300


# ------------------------------------------------------------------------ types


@pytest.mark.parametrize("text,words,line", [
    ('title = []\n[inputs]\nx = 1.0\n' + GRAPH, "'title' must be a string, got a list", 1),
    ('title = "t"\ndescription = {a = 1}\n[inputs]\nx = 1.0\n' + GRAPH, "got a table", 2),
    ('title = "t"\ninputs = 3\n' + GRAPH, "[inputs] must be a table", 2),
    ('title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = ["y = x"]\n', "got a list", 5),
    ('title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = "y = x * 2"\noutput = 3\n',
     "output must be a string", 6),
    ('title = "t"\ntrain = [1]\n[inputs]\nx = 1.0\n' + GRAPH, "[train] must be a table", 2),
    ('title = "t"\n[inputs]\nx = 1.0\n' + GRAPH + '[train]\nlearning_rate = "fast"\n',
     "must be a number, got a string", 7),
    ('title = "t"\n[inputs]\nx = 1979-05-27\n' + GRAPH, "got a date", 3),
])
def test_wrong_types_are_one_line_errors(cli, tmp_path, text, words, line):
    lines = errors(cli, tmp_path, text)
    assert any(words in d for d in at(lines, line)), lines


@pytest.mark.parametrize("field,value,words", [
    ("loss", "[]", "loss must be one of"), ("loss", "{a = 1}", "loss must be one of"),
    ("granularity", "1", "granularity must be"), ("seed", '"x"', "seed must be"),
    ("activation", "{a = 1}", "activation must be one of"),
    ("activation", "[]", "activation must be one of"), ("units", '"3"', "give 'weights'"),
    ("units", "[2]", "give 'weights'")])
def test_network_wrong_types(cli, tmp_path, field, value, words):
    net = {"loss": '"half_sse"', "granularity": '"layer"', "seed": "0"}
    layer = {"activation": '"sigmoid"', "units": "1"}
    (net if field in net else layer)[field] = value
    text = ('title = "n"\n[network]\ninputs = [1.0, 2.0]\ntargets = [0.5]\n'
            + "".join(f"{k} = {v}\n" for k, v in net.items()) + "[[network.layers]]\n"
            + "".join(f"{k} = {v}\n" for k, v in layer.items()))
    lines = errors(cli, tmp_path, text)
    assert any(words in d for d in lines), lines


def test_layers_that_are_not_tables(cli, tmp_path):
    lines = errors(cli, tmp_path, 'title = "n"\n[network]\ninputs = [1.0]\ntargets = [1.0]\n'
                   'loss = "mse"\nlayers = [1, 2]\n')
    assert any("layer 1 must be a table" in d for d in at(lines, 6)), lines


# --------------------------------------------------------------- names and constants


def test_constants_never_collide_with_names():
    assert const_name(math.inf) == "+inf" and not const_name(math.inf).isidentifier()
    assert const_name(-math.inf) == "-inf"
    assert const_name(-0.0) == "-0" and const_name(0.0) == "0"
    # a leaf named inf is an ordinary leaf: 3 * 2 = 6
    s = load_text('title = "t"\n[inputs]\ninf = 3.0\n[graph]\ncode = "y = inf * 2"\n')
    assert float(record(s.graph).iterations[0].loss) == 6.0


def test_a_literal_beyond_float64_in_code_is_too_large(cli, tmp_path):
    lines = errors(cli, tmp_path, 'title = "t"\n[inputs]\ninf = 2.0\n[graph]\n'
                   'code = "y = inf * 1e999"\n')
    assert len(lines) == 1 and "too large" in lines[0]
    assert ":5:19:" in lines[0]  # 'code = "' is 8 characters; 1e999 is at column 11 of code


def test_negative_zero_keeps_its_sign(cli, tmp_path):
    # 1 / (-0.0 * 1) = 1 / -0.0 = -inf (IEEE 754), so y = x * -inf = -inf
    path = write(tmp_path, 'title = "t"\n[inputs]\nx = 1.0\n[graph]\n'
                           'code = "y = x * (1 / (-0.0 * 1))"\n')
    result = cli("trace", path, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["loss_history"][0] == "-inf"


def test_leaf_names_are_compared_as_python_compares_identifiers(cli, tmp_path):
    # the code's 'ﬁ' is the identifier 'fi' (NFKC), so the [inputs] key 'ﬁ' must be too
    path = write(tmp_path, 'title = "t"\n[inputs]\n"ﬁ" = 2.0\n[graph]\ncode = "y = ﬁ * 3"\n')
    result = cli("trace", path, "--format", "json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["loss_history"][0] == 6.0
    lines = errors(cli, tmp_path, 'title = "t"\n[inputs]\n"ﬁ" = 2.0\n[params]\nfi = 3.0\n'
                   '[graph]\ncode = "y = fi * 3"\n')
    assert "the same name once normalised" in lines[0] and at(lines, 5) == lines


def test_output_must_be_a_gate(cli, tmp_path):
    lines = errors(cli, tmp_path, 'title = "t"\n[inputs]\nx = 1.0\n[graph]\n'
                   'code = "y = x * 2"\noutput = "x"\n')
    assert len(lines) == 1 and "the output must be a gate" in lines[0]
    assert at(lines, 6) == lines


# ---------------------------------------------------------------------- positions


@pytest.mark.parametrize("text,line,col", [
    # dotted key: the code starts at column 15 of line 3
    ('title = "t"\ninputs.x = 1.0\ngraph.code = "y = q * 2"\n', 3, 19),
    # inline table
    ('title = "t"\ninputs = { x = 1.0 }\ngraph = { code = "y = q * 2" }\n', 3, 23),
    # \n escapes on one line: code line 2 is on file line 3, after 'y = x * 2\n'
    ('title = "t"\ninputs.x = 1.0\ngraph.code = "y = x * 2\\nz = q + 1"\n', 3, 30),
    # a multi-line string: code line 2 is file line 5
    ('title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = """\ny = x * 2\nz = q + 1\n"""\n', 7, 5),
])
def test_code_positions(cli, tmp_path, text, line, col):
    lines = errors(cli, tmp_path, text)
    assert len(lines) == 1 and "unknown name 'q'" in lines[0], lines
    assert f".toml:{line}:{col}: error:" in lines[0], lines


@pytest.mark.parametrize("text,line,words", [
    ('title = "t"\n[[inputs]]\nx = 1.0\n' + GRAPH, 2, "[inputs] must be a table"),
    ('title = "t"\n[inputs.x]\na = 1.0\n' + GRAPH, 2, "got a table"),
    ('title = "t"\n[inputs]\nx = 1.0\n"" = 2.0\n' + GRAPH, 4, "name '' is not a valid"),
    ('title = "t"\n[inputs]\nx = 1.0\n[graph.more]\na = 1\n[graph]\ncode = "y = x * 2"\n',
     4, "unknown key 'more'"),
    ('title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = "y = x * 2"\n[[network.layers]]\n'
     'units = 1\n', 6, "not both"),
])
def test_key_positions(cli, tmp_path, text, line, words):
    lines = errors(cli, tmp_path, text)
    assert any(words in d for d in at(lines, line)), lines


def test_errors_never_point_past_the_end_of_the_file(cli, tmp_path):
    for text in ('title = "t"\n[inputs]\nx = [1.0,\n', 'title = "t"\ngraph.code = """\ny = (',
                 'title = "t"\n[inputs]\nx = 1.0\ngraph.code = "y = (x"'):
        lines = errors(cli, tmp_path, text)
        n = text.count("\n") + (0 if text.endswith("\n") else 1)
        for d in lines:
            m = re.search(r"\.toml:(\d+)", d)
            assert m is None or 1 <= int(m.group(1)) <= n, (text, d)


def test_ten_thousand_errors_each_at_its_own_line(cli, tmp_path):
    text = 'title = "t"\n' + "".join(f"k{i} = {i}\n" for i in range(10_000)) + \
        '[inputs]\nx = 1.0\n' + GRAPH
    lines = errors(cli, tmp_path, text)
    assert len(lines) == 10_000
    for i in (0, 1, 4_999, 9_999):
        assert f".toml:{i + 2}:1: error: unknown key 'k{i}'" in lines[i]


def test_syntax_recovery_after_an_unclosed_line_followed_by_many_indented_lines(
        cli, tmp_path):
    body = "\n".join("    x + 1" for _ in range(25_000))
    text = f'title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = """\ny = (x +\n{body}\nz = q\n"""\n'
    lines = errors(cli, tmp_path, text)
    assert ":6:5: error: syntax error: '(' was never closed" in lines[0]
    assert len(lines) <= 21


def test_a_flat_sum_under_the_gate_limit_is_accepted():
    n = 25_000  # deeper than the recursion limit the parser uses by default
    s = load_text('title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = "y = '
                  + " + ".join("x" for _ in range(n)) + '"\n')
    assert len(s.graph.gates) == n - 1 < MAX_GATES
    assert float(record(s.graph).iterations[0].loss) == n


# ------------------------------------------------------------------ printable


def test_control_characters_are_escaped_in_diagnostics(cli, tmp_path):
    lines = errors(cli, tmp_path, 'title = "t"\n[inputs]\n"x\\u001b]0;pwned\\u0007" = 1.0\n'
                   '"a\\nb" = 2.0\n' + GRAPH)
    assert any("x\\x1b]0;pwned\\x07" in d for d in at(lines, 3)), lines
    assert any("a\\nb" in d for d in at(lines, 4)), lines


def test_control_characters_in_a_path_are_escaped(cli, tmp_path):
    path = write(tmp_path, "[oops\n", "bad\x1b[2Jname\n.toml")
    result = cli("check", path)
    assert result.code == 2 and len(result.err_lines) == 1
    assert "bad\\x1b[2Jname\\n.toml" in result.err


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_titles_and_descriptions_are_escaped_in_traces(cli, tmp_path, fmt):
    path = write(tmp_path, 'title = "evil\\u001b]0;pwned\\u0007\\r"\n'
                           'description = "line one\\nbell \\u0007 here"\n[inputs]\nx = 1.0\n'
                 + GRAPH)
    result = cli("trace", path, "--format", fmt)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out and "\r" not in result.out
    # markdown escapes the backslash and bracket once more, as it does any text
    escaped = {"text": "evil\\x1b]0;pwned\\x07\\r",
               "markdown": "evil\\\\x1b\\]0;pwned\\\\x07\\\\r"}[fmt]
    assert escaped in result.out
    assert "line one\n" in result.out


def test_no_syntax_warning_reaches_stderr(tmp_path):
    path = write(tmp_path, 'title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = "y = 1if x else 2"\n')
    proc = subprocess.run([sys.executable, "-W", "default", "-m", "tui_backprop", "check", path],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert "Warning" not in proc.stderr
    assert all(DIAG.match(line) for line in proc.stderr.splitlines()), proc.stderr


# -------------------------------------------------------------------- budgets


def test_a_large_array_through_many_gates_is_refused_up_front(cli, tmp_path):
    code = "\\n".join(["v0 = x * 1.5"] + [f"v{i} = v{i - 1} * 1.5" for i in range(1, 60)])
    text = ('title = "t"\n[inputs]\nx = [' + ", ".join(["0.5"] * 100_000) + ']\n[graph]\n'
            f'code = "{code}"\n')
    lines = errors(cli, tmp_path, text)
    assert len(lines) == 1
    m = re.search(r"would keep about (\d+) MiB of array values \(the budget is 128 MiB\): "
                  r"use smaller arrays or fewer gates", lines[0])
    assert m, lines
    # by hand: 60 gates x (output + cache + local + contribution + before + after) x
    # 100,000 x 8 bytes = 288,000,000 bytes = 275 MiB
    assert int(m.group(1)) == 275


def test_record_refuses_too_many_iterations_before_any_work():
    s = load_text('title = "t"\n[params]\nw = [' + ", ".join(["0.5"] * 20_000) + ']\n'
                  '[graph]\ncode = "y = sum(w * w)"\n[train]\nlearning_rate = 0.1\n')
    with pytest.raises(RecordingTooLarge) as exc:
        record(s.graph, iterations=100, learning_rate=0.1)
    assert "100 iterations" in str(exc.value) and "record fewer iterations" in str(exc.value)
    assert MAX_RECORD_BYTES == 128 * 2**20


def test_iterations_limit(cli):
    result = cli("trace", "bce-neuron", "--iterations", str(MAX_ITERATIONS + 1))
    assert result.code == 2 and f"{MAX_ITERATIONS:,}" in result.err


def _network(samples: int, inputs: int, units: int, loss: str = "half_sse") -> str:
    x = "[" + ", ".join("[" + ", ".join(["0.5"] * inputs) + "]" for _ in range(samples)) + "]"
    t = "[" + ", ".join(["[0.5]"] * samples) + "]"
    return (f'title = "n"\n[network]\ninputs = {x}\ntargets = {t}\nloss = "{loss}"\n'
            'granularity = "neuron"\n[[network.layers]]\nunits = ' + str(units)
            + '\nactivation = "sigmoid"\n[[network.layers]]\nunits = 1\n'
            'activation = "sigmoid"\n')


@pytest.mark.parametrize("loss", ["half_sse", "mse", "bce"])
def test_neuron_gate_count_includes_the_loss_gates(loss):
    # per sample: layer 1: 3 units x (2*4 mul/add + sigmoid) = 27; layer 2: 1 x (2*3 + 1)
    # = 7; loss: half_sse/mse (o - t) ** 2 and the 0.5* or /1 = 3, bce -(t*log(o) +
    # (1-t)*log(1-o)) = 8 and /1 = 9; the batch mean: 1 add + 1 div
    per_loss = {"half_sse": 3, "mse": 3, "bce": 9}[loss]
    s = load_text(_network(2, 4, 3, loss))
    assert len(s.graph.gates) == 2 * (27 + 7 + per_loss) + 2


def test_neuron_network_just_over_the_limit_gets_the_advice(cli, tmp_path, monkeypatch):
    from tui_backprop.engine import network

    # 2 samples x (27 + 7 + 3) + 2 = 76 gates (see above): 76 loads, 75 is over
    monkeypatch.setattr(network, "MAX_GATES", 76)
    assert cli("check", write(tmp_path, _network(2, 4, 3))).code == 0
    monkeypatch.setattr(network, "MAX_GATES", 75)
    lines = errors(cli, tmp_path, _network(2, 4, 3))
    assert 'would make 76 gates (at most 75); use granularity = "layer"' in lines[0]


# ------------------------------------------------------------------- gradcheck


def test_gradcheck_absolute_floor():
    # d/dx ((x + 0.1) * 10 - x * 10) = 10 - 10 = 0 exactly; the central difference is
    # rounding noise (about 4e-11), a relative error of 1
    s = load_text('title = "t"\n[inputs]\nx = 0.7\n[graph]\n'
                  'code = "y = (x + 0.1) * 10 - x * 10"\n')
    (row,) = gradcheck(s.graph)
    assert row.analytic == 0.0 and 0.0 < abs(row.numerical) < 1e-9
    assert row.rel_error == 1.0  # relative error alone would call it a failure
    assert row.abs_tolerance == 1e-8  # 1e-8 * max(1, |f| = 1)
    assert row.status(1e-6) == "pass"


def test_gradcheck_relu_kink_names_the_gate():
    s = load_text('title = "t"\n[inputs]\nx = 0.0\n[graph]\ncode = "y = relu(x) * 3"\n')
    (row,) = gradcheck(s.graph)
    # the central difference straddles the switch: (3h - 0) / 2h = 1.5; analytic 0 or 3
    assert row.numerical == pytest.approx(1.5) and row.analytic in (0.0, 3.0)
    assert row.status(1e-6) == "kink" and (row.kink, row.kink_op) == ("y_1", "relu")
    assert "not differentiable here: gate 'y_1' (relu)" in row.note(1e-6)


@pytest.mark.parametrize("code,expected", [("y = max(x, z) * 3", 1.5),
                                           ("y = min(x, z) * 3", 1.5),
                                           ("y = abs(x) * 3", 0.0)])
def test_gradcheck_ties_that_agree_pass(code, expected):
    # max/min split a tie evenly (3 * 1/2 = 1.5), abs'(0) is 0: both match the central
    # difference's average of the two sides, so there is nothing to explain
    s = load_text(f'title = "t"\n[inputs]\nx = 0.0\nz = 0.0\n[graph]\ncode = "{code}"\n')
    row = next(r for r in gradcheck(s.graph) if r.name == "x")
    assert row.analytic == pytest.approx(expected) and row.numerical == pytest.approx(expected)
    assert row.kink == "y_1" and row.status(1e-6) == "pass" and row.note(1e-6) is None


def test_gradcheck_away_from_a_kink_is_checked():
    s = load_text('title = "t"\n[inputs]\nx = -0.5\n[graph]\ncode = "y = relu(x) * 3"\n')
    (row,) = gradcheck(s.graph)
    assert row.kink is None and row.status(1e-6) == "pass"
