"""The scenario language: code -> gates, labels, names, and every kind of bad input.

Expected labels and gate orders come from the CS231n notes' circuit drawings; expected
error positions are counted by hand in the source strings (lines and columns 1-based,
relative to the ``code`` string for ``parse_graph`` and to the file for ``load_text``).
"""

from __future__ import annotations

import numpy as np
import pytest

from tui_backprop.engine import Diagnostic, ScenarioError, load, load_text
from tui_backprop.engine.graph import Node
from tui_backprop.engine.parse import MAX_DEPTH, parse_graph


def parse(code: str, output: str | None = None, **leaves):
    """``parse_graph`` over scalar/array input leaves given as keyword arguments."""
    nodes = [Node(k, "input", shape=np.shape(v)) for k, v in leaves.items()]
    values = {k: np.asarray(v, dtype=np.float64) for k, v in leaves.items()}
    return parse_graph(code, nodes, values, output)


def ok(code: str, **leaves):
    graph, errors = parse(code, **leaves)
    assert errors == [], [str(e) for e in errors]
    return graph


def errors_of(code: str, **leaves) -> list[Diagnostic]:
    graph, errors = parse(code, **leaves)
    assert graph is None and errors, "expected an error"
    return errors


def one_error(code: str, **leaves) -> Diagnostic:
    errs = errors_of(code, **leaves)
    assert len(errs) == 1, [str(e) for e in errs]
    return errs[0]


def labels(graph) -> list[str]:
    return [n.label for n in graph.gates]


NEURON = dict(w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0)


# --------------------------------------------------------------------- gates


def test_cs231n_circuit_has_the_eight_gates_of_the_drawing():
    g = ok("f = 1/(1+exp(-(w0*x0+w1*x1+w2)))", **NEURON)
    assert labels(g) == ["*", "*", "+", "+", "*-1", "exp", "+1", "1/x"]
    assert [n.op for n in g.gates] == ["mul", "mul", "add", "add", "mul_const", "exp",
                                       "add_const", "rdiv_const"]
    # wiring, inner first and left to right
    wiring = [(n.name, [r.name for r in n.inputs]) for n in g.gates]
    assert wiring == [("f_1", ["w0", "x0"]), ("f_2", ["w1", "x1"]), ("f_3", ["f_1", "f_2"]),
                      ("f_4", ["f_3", "w2"]), ("f_5", ["f_4"]), ("f_6", ["f_5"]),
                      ("f_7", ["f_6"]), ("f", ["f_7"])]
    assert [n.const for n in g.gates][4:] == [-1.0, None, 1.0, 1.0]
    assert g.output == "f"


def test_bundled_cs231n_scenario_draws_the_same_circuit():
    g = load("cs231n-sigmoid").graph
    assert labels(g) == ["*", "*", "+", "+", "*-1", "exp", "+1", "1/x"]


@pytest.mark.parametrize(("code", "op", "label", "const"), [
    ("f = x * -3", "mul_const", "*-3", -3.0),
    ("f = -3 * x", "mul_const", "*-3", -3.0),
    ("f = -x", "mul_const", "*-1", -1.0),
    ("f = 2 - x", "rsub_const", "2-x", 2.0),
    ("f = x - 2", "sub_const", "-2", 2.0),
    ("f = x / 4", "div_const", "/4", 4.0),
    ("f = 1 / x", "rdiv_const", "1/x", 1.0),
    ("f = x ** 2", "pow_const", "**2", 2.0),
    ("f = 2 ** x", "rpow_const", "2**x", 2.0),
    ("f = 1 + x", "add_const", "+1", 1.0),
    ("f = x + 0.5", "add_const", "+0.5", 0.5),
    ("f = x * (-(2))", "mul_const", "*-2", -2.0),
])
def test_constant_operand_makes_a_unary_gate_labelled_with_it(code, op, label, const):
    g = ok(code, x=3.0)
    (gate,) = g.gates
    assert (gate.op, gate.label, gate.const) == (op, label, const)
    assert [r.name for r in gate.inputs] == ["x"]


def test_binary_operators_and_functions_map_to_their_gates():
    g = ok("a = x + y\nb = x - y\nc = x * y\nd = x / y\ne = x ** y\nm = max(x, y)\n"
           "s = sigmoid(x)\nt = tanh(y)", x=2.0, y=3.0)
    assert [(n.name, n.op, n.label) for n in g.gates] == [
        ("a", "add", "+"), ("b", "sub", "-"), ("c", "mul", "*"), ("d", "div", "/"),
        ("e", "pow", "**"), ("m", "max", "max"), ("s", "sigmoid", "σ"),
        ("t", "tanh", "tanh")]


def test_matrix_gates_and_transpose():
    g = ok("d = W @ X\ne = d.T\nf = sum(e)", W=np.ones((5, 10)), X=np.ones((10, 3)))
    assert [(n.op, n.label, n.shape) for n in g.gates] == [
        ("matmul", "@", (5, 3)), ("transpose", ".T", (3, 5)), ("sum", "sum", ())]


def test_parentheses_and_unary_plus_make_no_gate():
    assert labels(ok("f = (+(x)) * ((y))", x=1.0, y=2.0)) == ["*"]


def test_constant_arithmetic_becomes_a_constant_leaf_and_a_gate():
    g = ok("f = 2 * 3", x=1.0)
    (gate,) = g.gates
    assert gate.label == "*3" and [r.name for r in gate.inputs] == ["2"]
    assert g.node("2").kind == "const" and float(g.leaf_values["2"]) == 2.0


# --------------------------------------------------------------------- names


def test_inner_gates_get_readable_deterministic_names():
    code = "q = (x + y) * z\nf = q * (x - y) + 1"
    first = ok(code, x=-2.0, y=5.0, z=-4.0)
    second = ok(code, x=-2.0, y=5.0, z=-4.0)
    assert [n.name for n in first.gates] == ["q_1", "q", "f_1", "f_2", "f"]
    assert [n.name for n in first.gates] == [n.name for n in second.gates]
    assert [n.named for n in first.gates] == [False, True, False, False, True]


def test_automatic_name_never_takes_a_name_the_user_assigns():
    g = ok("f = (x + y) * z\nf_1 = x * 2", x=1.0, y=2.0, z=3.0)
    names = [n.name for n in g.gates]
    assert "f_1" in names and names.count("f_1") == 1
    assert g.node("f_1").op == "mul_const" and g.node("f_1").const == 2.0
    assert g.node("f_1").inputs[0].name == "x"
    inner = g.node("f").inputs[0].name
    assert inner != "f_1" and g.node(inner).op == "add"


def test_output_defaults_to_the_last_assignment_and_can_be_named():
    code = "q = x + y\nf = q * z"
    assert parse(code, x=1.0, y=2.0, z=3.0)[0].output == "f"
    graph, errors = parse(code, output="q", x=1.0, y=2.0, z=3.0)
    assert errors == [] and graph.output == "q"
    graph, errors = parse(code, output="nope", x=1.0, y=2.0, z=3.0)
    assert graph is None and "output 'nope'" in errors[0].message


def test_output_key_in_a_scenario_file():
    text = ('title = "t"\n[inputs]\nx = 1.0\ny = 2.0\n[graph]\n'
            'code = """\nq = x * y\nf = q + 1\n"""\noutput = "q"\n')
    assert load_text(text).graph.output == "q"
    with pytest.raises(ScenarioError) as exc:
        load_text(text.replace('output = "q"', 'output = "r"'))
    (d,) = exc.value.errors
    assert d.line == 10 and "'r'" in d.message


# -------------------------------------------------------------- errors, located


@pytest.mark.parametrize(("code", "line", "col", "words"), [
    # reassigning: at the second assignment's target
    ("a = x * 2\na = x + 1", 2, 1, "reassigned"),
    ("a = x * 2\na += 1", 2, 1, "reassigned"),
    ("x = y * 2", 1, 1, "reassigned"),  # a leaf cannot be reassigned either
    # using before assigning: at the use
    ("a = b * 2\nb = x + 1", 1, 5, "before it is assigned"),
    # unknown name / function: at the name
    ("a = x * q", 1, 9, "unknown name 'q'"),
    ("a = x * 2\nb = foo(a)", 2, 5, "unknown function 'foo'"),
    ("a = __import__('os')", 1, 5, "unknown function '__import__'"),
    ("a = open(x)", 1, 5, "unknown function 'open'"),
    ("a = exp", 1, 5, "call it as exp(...)"),
    # forbidden syntax: at the offending expression
    ("a = x.foo", 1, 5, "attribute"),
    ("a = x.__class__", 1, 5, "attribute"),
    ("a = x * y[0]", 1, 9, "subscript"),
    ("a = (lambda: x)()", 1, 5, "only calls of the built-in functions"),
    ("a = sum(lambda: x)", 1, 9, "lambda"),
    ("a = x * 'abc'", 1, 9, "strings"),
    ("a = x * f'{y}'", 1, 9, "strings"),
    ("a = x < y", 1, 5, "comparisons"),
    ("a = sum([v for v in x])", 1, 9, "comprehension"),
    ("a = x if y else x", 1, 5, "conditional"),
    ("a = x and y", 1, 5, "boolean"),
    ("a = x % y", 1, 5, "'%' is not supported"),
    ("a = x * 1j", 1, 9, "1j is not allowed"),
    ("a = x * True", 1, 9, "True is not allowed"),
    ("a = max(x)", 1, 5, "takes 2 arguments, got 1"),
    ("a = sum(x, axis=0)", 1, 5, "keyword"),
    ("a = x @ 2", 1, 5, "needs two arrays"),
    ("a = (2).T", 1, 5, "needs an array"),
    ("import os", 1, 1, "expected an assignment"),
    ("a, b = x, y", 1, 1, "expected an assignment"),
    ("a = x", 1, 5, "no operation"),
    ("exp = x * 2", 1, 1, "function name"),
    ("a = x +* y", 1, 8, "syntax error"),
    ("a = x * 1" + "0" * 400, 1, 9, "too large"),  # an int no float can hold
])
def test_bad_code_gives_one_located_diagnostic(code, line, col, words):
    d = one_error(code, x=1.0, y=2.0)
    assert (d.line, d.col) == (line, col), str(d)
    assert words in d.message, str(d)
    assert str(d).startswith(f"<scenario>:{line}:{col}: error: ")
    assert "\n" not in str(d)


def test_columns_count_characters_not_bytes():
    # 'é' is two bytes in UTF-8; q is the 9th character of the line
    d = one_error("f = é * q", é=1.0)
    assert (d.line, d.col) == (1, 9)


def test_check_collects_every_error_without_cascades():
    code = "\n".join([
        "a = x * q",       # 1: unknown name q
        "b = a + 1",       # 2: uses a, whose line failed: no second error
        "c = foo(x)",      # 3: unknown function
        "d = c * b",       # 4: both inputs failed earlier: nothing new
        "e = x.bar",       # 5: attribute
        "f = x * 2",       # 6: fine
        "f = x + 1",       # 7: reassigned
        "g = sum(e) + d",  # 8: only poisoned names: nothing new
    ])
    errs = errors_of(code, x=1.0)
    assert [(d.line, d.col) for d in errs] == [(1, 9), (3, 5), (5, 5), (7, 1)]
    assert "unknown name 'q'" in errs[0].message
    assert "unknown function 'foo'" in errs[1].message
    assert "attribute" in errs[2].message
    assert "reassigned" in errs[3].message


def test_shape_mismatch_names_the_line():
    d = one_error("ok = a * 2\nbad = a + b", a=[1.0, 2.0], b=[1.0, 2.0, 3.0])
    assert (d.line, d.col) == (2, 7)
    assert "shape mismatch" in d.message and "(2,)" in d.message and "(3,)" in d.message


def test_matmul_shape_mismatch_says_which_dimensions():
    d = one_error("d = W @ X", W=np.ones((5, 10)), X=np.ones((3, 10)))
    assert d.line == 1 and "inner dimensions 10 and 3" in d.message


def test_cross_entropy_class_index_out_of_range():
    d = one_error("L = cross_entropy(z, t)", z=[1.0, 2.0, 3.0], t=3.0)
    assert d.line == 1 and "0 to 2" in d.message


@pytest.mark.parametrize("code", [
    "f = " + "-(" * 500 + "x" + ")" * 500,
    "f = " + "-" * 100_000 + "x",
    "f = " + "(" * 1000 + "x" + ")" * 1000,
    "f = " + "exp(" * 5000 + "x" + ")" * 5000,
    "f = x" + ".T" * 10_000,
])
def test_deep_nesting_is_refused_cleanly(code):
    d = one_error(code, x=1.0)  # no RecursionError escapes
    assert "nested too deeply" in d.message


def test_nesting_up_to_the_limit_is_accepted():
    depth = MAX_DEPTH // 2
    g = ok("f = " + "exp(" * depth + "x" + ")" * depth, x=0.0)
    assert len(g.gates) == depth


def test_null_byte_is_an_error_not_a_crash():
    assert errors_of("f = x\x00 * 2", x=1.0)


# ------------------------------------------------------ through the file loader


def _scenario(code: str) -> str:
    return ('title = "t"\n'           # 1
            "[inputs]\n"              # 2
            "x = 1.0\n"               # 3
            "[graph]\n"               # 4
            'code = """\n'            # 5  (TOML drops this newline: code line 1 = file 6)
            f'{code}\n"""\n')


def test_file_errors_use_the_files_own_line_numbers():
    with pytest.raises(ScenarioError) as exc:
        load_text(_scenario("a = x * 2\nb = a + 1\nc = b * q"), "s.toml")
    (d,) = exc.value.errors
    assert (d.path, d.line, d.col) == ("s.toml", 8, 9)
    assert str(d) == "s.toml:8:9: error: unknown name 'q'"


def test_single_line_code_column_is_shifted_by_the_key():
    text = 'title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = "f = x * q"\n'
    with pytest.raises(ScenarioError) as exc:
        load_text(text, "s.toml")
    (d,) = exc.value.errors
    # 'code = "' is 8 characters, so code column 9 is file column 17
    assert (d.line, d.col) == (5, 17)


def test_several_file_errors_each_with_its_line():
    with pytest.raises(ScenarioError) as exc:
        load_text(_scenario("a = x * q\nb = foo(x)\nc = x.y"), "s.toml")
    assert [(d.line, d.col) for d in exc.value.errors] == [(6, 9), (7, 5), (8, 5)]


def test_check_reports_every_syntax_error_and_still_checks_the_good_lines():
    code = "\n".join([
        "a = x * q",   # 1: unknown name (found by the walk after the syntax errors)
        "b = x +",     # 2: syntax error
        "c = b * 2",   # 3: uses b, whose line failed: nothing new
        "d = x +* 3",  # 4: syntax error
        "e = foo(x)",  # 5: unknown function
    ])
    errs = errors_of(code, x=1.0)
    assert [(d.line, d.col) for d in errs] == [(1, 9), (2, 8), (4, 8), (5, 5)]
    assert [("syntax error" in d.message) for d in errs] == [False, True, True, False]


def test_a_blanked_multi_line_statement_adds_no_spurious_error():
    code = "a = (x +\n     y\nb = x +* 2\nc = x * 2"
    errs = errors_of(code, x=1.0, y=2.0)
    assert [(d.line, d.col) for d in errs] == [(1, 5), (3, 8)]
    assert "never closed" in errs[0].message


def test_syntax_errors_are_capped():
    errs = errors_of("\n".join(f"a{i} = x +* 2" for i in range(100)), x=1.0)
    assert 1 < len(errs) <= 20


def test_a_long_flat_sum_is_not_deep_nesting():
    g = ok("f = " + " + ".join(["x"] * 500), x=1.0)
    assert len(g.gates) == 499 and g.output == "f"
    # a + b + c is (a + b) + c: the left pair first
    g = ok("f = x + y + z", x=1.0, y=2.0, z=3.0)
    assert [[r.name for r in n.inputs] for n in g.gates] == [["x", "y"], ["f_1", "z"]]


def test_file_with_several_syntax_errors_reports_each_at_its_file_line():
    with pytest.raises(ScenarioError) as exc:
        load_text(_scenario("a = x +\nb = x * 2\nc = x +* 1\nd = b * q"), "s.toml")
    assert [str(d) for d in exc.value.errors] == [
        "s.toml:6:8: error: syntax error: invalid syntax",
        "s.toml:8:8: error: syntax error: invalid syntax",
        "s.toml:9:9: error: unknown name 'q'",
    ]
