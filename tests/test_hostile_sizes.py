"""Hostile sizes: code, names, strings and comments big enough to cost seconds and
gigabytes if the loader handled them naively. Each must be refused (or read) quickly
with a one-line ``path:line:col`` error; the timings are in the lead's report and in
``benchmarks/``, the tests check the messages and the positions (derived by hand from
how the text is built)."""

from __future__ import annotations

import tracemalloc

import pytest

from tui_backprop.engine import load_text
from tui_backprop.engine.errors import ScenarioError
from tui_backprop.engine.graph import Node
from tui_backprop.engine.parse import MAX_GATES, MAX_NAME, gate_floor, parse_graph
from tui_backprop.engine.tomlpos import KeyIndex
from tui_backprop.render.circuit_canvas import Canvas
from tui_backprop.render.circuit_layout import build_structure, place, text_width

HEAD = 'title = "t"\n[inputs]\nx = 1.0\n[graph]\ncode = """\n'  # code line 1 = file line 6


def errors(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        load_text(text, "s.toml")
    return [str(d) for d in exc.value.errors]


def test_each_ast_node_kind_is_counted_as_gates_or_not():
    # a line with k names/numbers needs k - 1 gates; '.T' is one more; a comment, the
    # assigned name, a called function's name and keywords are not operands
    assert gate_floor("a = x + y", limit=1) is None
    assert gate_floor("a = x + y\nb = a * 2", limit=1) == (2, 9)  # the '2' is gate 2
    assert gate_floor("a = x.T", limit=0) == (1, 6)  # '.T' starts in column 6
    assert gate_floor("a = exp(x) # y z w v", limit=0) is None
    assert gate_floor("a = x * 1e-5 + 0x1f", limit=2) is None  # three numbers, not five
    assert gate_floor("a = max(x, y); b = a * 2", limit=2) is None  # ';' ends a statement
    assert gate_floor("a = not x", limit=0) is None


def test_the_count_stops_exactly_at_the_gate_limit():
    # 100,001 terms are 100,000 gates: allowed; one more term crosses the limit
    assert gate_floor("f = " + "+".join(["x"] * (MAX_GATES + 1))) is None
    # term k starts in column 5 + 2(k - 1); term 100,002 is the 100,001st gate
    assert gate_floor("f = " + "+".join(["x"] * (MAX_GATES + 2))) == (
        1, 5 + 2 * (MAX_GATES + 1))


def test_a_flat_sum_past_the_limit_is_too_many_gates_at_the_crossing_term():
    n = 2 * MAX_GATES  # (was: "expression nested too deeply", after seconds)
    code = "f = " + "+".join(["x"] * n)
    # term k starts at code column 5 + 2(k - 1); term 100,002 is the 100,001st gate
    col = 5 + 2 * (MAX_GATES + 1)
    assert errors(HEAD + code + '\n"""\n') == [
        f"s.toml:6:{col}: error: the code has too many gates (at most {MAX_GATES:,})"]


def test_a_sum_split_over_lines_is_refused_on_the_line_that_crosses_the_limit():
    lines = [f"a{i} = " + "+".join(["x"] * 40_000) for i in range(4)]
    # lines 1 and 2 need 39,999 gates each; line 3 crosses at its term k with
    # 79,998 + k - 1 > 100,000, k = 20,004, in column len("a2 = ") + 1 + 2(k - 1)
    col = 6 + 2 * (20_004 - 1)
    assert errors(HEAD + "\n".join(lines) + '\n"""\n') == [
        f"s.toml:8:{col}: error: the code has too many gates (at most {MAX_GATES:,})"]


@pytest.mark.parametrize("call", ["sum([{}])", "max({})"])
def test_a_huge_call_is_refused_before_parsing(call):
    code = "f = " + call.format(",".join(["x"] * 150_000))
    (line,) = errors(HEAD + code + '\n"""\n')
    assert line.startswith("s.toml:6:") and "too many gates" in line


def test_many_short_lines_past_the_limit_are_refused_at_the_first_line_too_many():
    code = "\n".join(f"a{i} = x * 2" for i in range(MAX_GATES + 1))
    # line k holds gate k; line 100,001 is the first gate too many, its '2' in column
    # len("a100000 = x * ") + 1
    assert errors(HEAD + code + '\n"""\n') == [
        f"s.toml:{5 + MAX_GATES + 1}:15: error: the code has too many gates "
        f"(at most {MAX_GATES:,})"]


def test_a_long_comment_and_a_long_description_do_not_count_as_code():
    text = ('title = "t"\ndescription = "' + "c " * 500_000 + '"\n# ' + "y " * 500_000
            + "\n[inputs]\nx = 1.0\n[graph]\ncode = \"\"\"\nf = x * 2  # "
            + "z + " * 300_000 + '\n"""\n')
    s = load_text(text)
    assert len(s.graph.gates) == 1 and s.description.startswith("c c")


# -------------------------------------------------------------------------- names


def test_a_long_leaf_name_is_refused_where_it_is_written_and_silences_its_uses():
    name = "n" * (MAX_NAME + 1)
    text = f'title = "t"\n[inputs]\n{name} = 1.0\nx = 2.0\n[graph]\ncode = "f = {name} * x"\n'
    assert errors(text) == [
        f"s.toml:3:1: error: [inputs] name '{'n' * 36}...' is too long (at most "
        f"{MAX_NAME} characters)"]


def test_a_name_of_the_longest_length_is_accepted():
    name = "w" * MAX_NAME
    s = load_text(f'title = "t"\n[params]\n{name} = 1.0\n[graph]\ncode = "f = {name} * 3"\n')
    assert name in {n.name for n in s.graph.nodes if n.kind == "param"}


def test_a_long_assigned_name_is_refused_and_long_unknown_names_are_cut():
    long = "a" * (MAX_NAME + 1)
    unknown = "q" * 1000
    code = f"{long} = x * 2\ny = {long} * 3\nz = x + {unknown}"
    # the second line uses the refused name: no second error for it
    assert errors(HEAD + code + '\n"""\n') == [
        f"s.toml:6:1: error: the name is too long (at most {MAX_NAME} characters)",
        f"s.toml:8:9: error: unknown name '{'q' * MAX_NAME}...'"]


def test_a_too_long_integer_literal_has_its_column():
    code = "f=x*1" + "0" * 5000
    assert errors(HEAD + "y = x\n" + code + '\n"""\n')[-1] == (
        "s.toml:7:5: error: syntax error: number literal too long")


def test_a_long_name_is_drawn_in_full_across_chunks():
    # the loader refuses such a name; the renderer must still be linear in it (it was
    # quadratic: each 256-column chunk converted the whole label)
    for name in ("n" * 5000, "中" * 3000):
        graph, errs = parse_graph(f"f = {name} * 2", [Node(name, "input", shape=())],
                                  {name: 1.0})
        assert not errs
        st = build_structure(graph)
        geo = place(st, [0] * len(st.vnodes))
        canvas = Canvas(geo)
        rows = ["".join(canvas.span(y, 0, canvas.width)[0]) for y in range(canvas.height)]
        assert any(name in r for r in rows)
        assert canvas.width >= text_width(name)


# -------------------------------------------------------------------------- TOML


def test_key_positions_after_huge_strings_and_comments_are_right():
    s1 = "c" * 1_000_000
    esc = "\\n" * 200_000
    text = (f'a = "{s1}"\n# {s1}\nb = """{esc}"""\n' + f"e = '''{s1}'''\n"
            + "[t]\n" + "".join(f"k{i} = {i}\n" for i in range(1000)))
    index = KeyIndex(text)
    assert index.line_col(index.get(("a",)).key) == (1, 1)
    assert index.line_col(index.get(("b",)).key) == (3, 1)
    assert index.line_col(index.get(("e",)).key) == (4, 1)
    assert index.line_col(index.get(("t", "k999")).key) == (6 + 999, 1)
    assert index.get(("b",)).kind == "mlb"


def test_the_key_index_of_a_long_string_holds_no_copy_per_character():
    text = 'a = "' + "c" * 2_000_000 + '"\n# ' + "d" * 2_000_000 + "\nb = 1\n"
    tracemalloc.start()
    try:
        index = KeyIndex(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert index.get(("b",)) is not None
    assert peak < 20 * 2**20  # loose: ~2 copies of a 2 MB token at most (was ~600 MB)
