"""The Circuit panel: layout properties, the numbers on the wires, and the widget.

Expected numbers come from the CS231n notes (``f = (x + y) * z`` with x=-2, y=5, z=-4;
the 2-D sigmoid neuron) and from Matt Mazur's worked 2-2-2 network example, never from
the code under test.
"""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from textual.app import App

from tui_backprop.engine import load, load_text, record
from tui_backprop.render.circuit_canvas import (
    CURRENT,
    GRAD,
    GRAD_HOT,
    Canvas,
    Labels,
    focus_of,
    label_widths,
    make_frame,
    render_text,
)
from tui_backprop.render.circuit_layout import ASCII, build_structure, place
from tui_backprop.tui.circuit import CircuitView

ADD_MUL = """
title = "add-mul"
[inputs]
x = -2
y = 5
z = -4
[graph]
code = '''
q = x + y
f = q * z
'''
"""

class CircuitApp(App):
    """A bare app holding one CircuitView, for pilot tests of the widget alone."""

    def compose(self):
        yield CircuitView()



def big_scenario_text(n_gates: int = 2000, seed: int = 7) -> str:
    """A random 2,000-gate DAG: each line reads two recent values, so wires fan out
    and skip columns."""
    rnd = random.Random(seed)
    lines = ['title = "big"', "[inputs]"]
    names = []
    for i in range(16):
        lines.append(f"a{i} = {rnd.uniform(-1, 1):.3f}")
        names.append(f"a{i}")
    code = []
    for i in range(n_gates // 2):
        a, b = rnd.choice(names[-20:]), rnd.choice(names[-50:])
        code.append(f"v{i} = tanh({a} {rnd.choice('+*-')} {b})")
        names.append(f"v{i}")
    lines.append('[graph]\ncode = """\n' + "\n".join(code) + '\n"""')
    return "\n".join(lines)


def draw(graph, timeline, cursor, selected=(), glyphs=None):
    st = build_structure(graph)
    widths = label_widths(timeline, st)
    geo = place(st, widths) if glyphs is None else place(st, widths, glyphs)
    canvas = Canvas(geo)
    current, hot = focus_of(timeline, cursor, st)
    return make_frame(canvas, Labels(timeline, cursor, st), current, list(selected), hot)


def label(frame, name: str, kind: str) -> str:
    """The text drawn where ``name``'s value ("v", above its wire) or gradient ("g",
    below) goes, read back from the rendered row."""
    geo = frame.canvas.geometry
    st = geo.structure
    vid = st.by_name[name]
    v = st.vnodes[vid]
    x = geo.x[vid] + v.w + 1
    y = v.out_row - 1 if kind == "v" else v.out_row + 1
    cells, _ = frame.row(y, x, x + geo.label_w[vid])
    return "".join(cells).strip()


@pytest.fixture(scope="module")
def big():
    graph = load_text(big_scenario_text()).graph
    return graph, record(graph)


SMALL = ["add-mul", "cs231n-sigmoid", "network-2-2-2"]


def _graph(name):
    return load_text(ADD_MUL).graph if name == "add-mul" else load(name).graph


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize("name", SMALL + ["big"])
def test_every_node_placed_exactly_once(name, big):
    graph = big[0] if name == "big" else _graph(name)
    st = build_structure(graph)
    drawn = [v for v in st.vnodes if v.kind != "dummy"]
    gates = [v.name for v in drawn if v.kind == "gate"]
    assert sorted(gates) == sorted(n.name for n in graph.gates)
    refs = [r for n in graph.gates for r in n.inputs]
    leaf_refs = {r.name for r in refs if graph.node(r.node).is_leaf}
    unused = {n.name for n in graph.leaves} - {r.node for r in refs}  # drawn, unconnected
    leaves = [v.name for v in drawn if v.kind == "leaf"]
    assert sorted(leaves) == sorted(leaf_refs | unused)
    in_layers = [v for layer in st.layers for v in layer]
    assert sorted(in_layers) == list(range(len(st.vnodes)))


def test_network_draws_one_box_per_element_reference():
    st = build_structure(load("network-2-2-2").graph)
    leaves = {v.name for v in st.vnodes if v.kind == "leaf"}
    assert {"W1[0,1]", "x[0]", "x[1]", "b2[1]", "target[0]"} <= leaves
    assert "W1" not in leaves and "x" not in leaves  # only used element by element
    assert len([v for v in st.vnodes if v.kind == "gate"]) == 26


@pytest.mark.parametrize("name", SMALL + ["big"])
def test_no_two_boxes_overlap(name, big):
    graph = big[0] if name == "big" else _graph(name)
    timeline = big[1] if name == "big" else record(graph)
    st = build_structure(graph)
    geo = place(st, label_widths(timeline, st))
    owner: dict[tuple[int, int], int] = {}
    for v in st.vnodes:
        if v.kind == "dummy":
            continue
        x, y, w, h = geo.box(v.id)
        assert x >= 0 and y >= 0 and x + w <= geo.width and y + h <= geo.height
        for cx in range(x, x + w):
            for cy in range(y, y + h):
                assert (cx, cy) not in owner, (v.name, st.vnodes[owner[(cx, cy)]].name)
                owner[(cx, cy)] = v.id


@pytest.mark.parametrize("name", SMALL + ["big"])
def test_every_edge_goes_left_to_right(name, big):
    graph = big[0] if name == "big" else _graph(name)
    timeline = big[1] if name == "big" else record(graph)
    st = build_structure(graph)
    geo = place(st, label_widths(timeline, st))
    for n in graph.gates:
        gate = st.by_name[n.name]
        for port, ref in enumerate(n.inputs):
            src = st.by_name[ref.name if graph.node(ref.node).is_leaf else ref.node]
            assert st.vnodes[src].layer < st.vnodes[gate].layer
            assert geo.x[src] + st.vnodes[src].w < geo.x[gate]
            # the drawn wire for this input really starts at the producer
            assert (src, port) in st.edges_into(gate)
    for v in st.vnodes:  # adjacent columns only, thanks to the dummies
        for s in v.ins:
            assert st.vnodes[s].layer == v.layer - 1


def test_cs231n_sigmoid_circuit_is_recognisable():
    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)
    frame = draw(graph, timeline, 0)
    st = frame.canvas.geometry.structure
    ops = [st.vnodes[st.by_name[n.name]].label for n in graph.gates]
    assert ops == ["*", "*", "+", "+", "*-1", "exp", "+1", "1/x"]
    text = render_text(frame)
    for op in ("│ * ", "│ + ", "*-1", "exp", "+1", "1/x"):
        assert op in text
    # the inputs of the two * gates sit in the left-most column; w2, which only the
    # second + reads, sits just before it instead of dragging a wire across the page
    assert {st.vnodes[st.by_name[n]].layer for n in ("w0", "x0", "w1", "x1")} == {0}
    assert st.vnodes[st.by_name["w2"]].layer == st.vnodes[st.by_name["z"]].layer - 1
    # the tail is one straight chain: *-1 -> exp -> +1 -> 1/x on one row
    rows = {st.vnodes[st.by_name[n]].out_row for n in ("f_1", "f_2", "f_3", "f")}
    assert len(rows) == 1


def test_layout_has_no_crossings_where_none_are_needed():
    for name in ("add-mul", "cs231n-sigmoid"):
        assert build_structure(_graph(name)).crossings == 0


# ---------------------------------------------------------------------- the numbers


def test_add_mul_end_of_backward_shows_the_cs231n_numbers():
    graph = load_text(ADD_MUL).graph
    timeline = record(graph)
    end = timeline.phase_end(0, "backward")
    frame = draw(graph, timeline, end)
    # forward values (q = 3, f = -12) and gradients (df/dx = df/dy = -4, df/dz = 3)
    assert label(frame, "q", "v") == "3"
    assert label(frame, "f", "v") == "-12"
    assert label(frame, "x", "g") == "-4"
    assert label(frame, "y", "g") == "-4"
    assert label(frame, "z", "g") == "3"
    assert label(frame, "q", "g") == "-4"
    assert label(frame, "z", "v") == "-4"
    text = render_text(frame)
    assert "-12" in text and "-4" in text


def test_gradients_are_absent_during_the_forward_phase():
    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)
    forward = [k for k, s in enumerate(timeline.steps) if s.phase == "forward"]
    assert forward
    for k in forward:
        frame = draw(graph, timeline, k)
        for y in range(frame.canvas.height):
            _, codes = frame.row(y, 0, frame.canvas.width)
            assert GRAD not in codes and GRAD_HOT not in codes, (k, y)
    # the value of a gate appears only once it is computed
    first = draw(graph, timeline, forward[0])
    assert label(first, "z_1", "v") == "-2"  # w0 * x0 = 2 * -1
    assert label(first, "f", "v") == ""


def test_gradients_appear_from_the_output_backwards():
    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)
    seed = next(k for k, s in enumerate(timeline.steps) if s.phase == "seed")
    frame = draw(graph, timeline, seed)
    assert label(frame, "f", "g") == "1"
    assert label(frame, "f_3", "g") == ""
    # after the 1/x gate: d(1/x)/dx at x = 1.37 is -1/1.37² = -0.53 (CS231n)
    after = draw(graph, timeline, seed + 1)
    assert label(after, "f_3", "g") == "-0.5344"
    end = draw(graph, timeline, timeline.phase_end(seed, "backward"))
    # the lecture's results: dw0 = -0.20, dx0 = 0.39, dw1 = -0.39, dx1 = -0.59, dw2 = 0.20
    assert label(end, "w0", "g") == "-0.1966"
    assert label(end, "x0", "g") == "0.3932"
    assert label(end, "w1", "g") == "-0.3932"
    assert label(end, "x1", "g") == "-0.5898"
    assert label(end, "w2", "g") == "0.1966"
    assert label(end, "f", "v") == "0.7311"


def test_element_reference_shows_its_element_and_waits_for_its_own_gradient():
    graph = load("network-2-2-2").graph
    timeline = record(graph, learning_rate=0.5)
    end = timeline.phase_end(0, "backward")
    frame = draw(graph, timeline, end)
    # Mazur's worked example: dE/dw5 = 0.082167041, dE/dw2 = 0.000877135,
    # total error 0.298371109
    assert label(frame, "W2[0,0]", "g") == "0.08217"
    assert label(frame, "W1[0,1]", "g") == "0.0008771"
    assert label(frame, "W1[0,1]", "v") == "0.2"
    assert label(frame, "x[1]", "v") == "0.1"
    assert label(frame, "loss", "v") == "0.2984"
    # the first W2 element to receive its gradient: W2's other elements stay blank
    backward = [k for k, s in enumerate(timeline.steps) if s.phase == "backward"]
    first = next(k for k in backward
                 if any(g.node == "W2" for g in timeline.steps[k].inputs))
    got = {g.name for g in timeline.steps[first].inputs if g.node == "W2"}
    assert len(got) == 1
    frame = draw(graph, timeline, first)
    for ref in ("W2[0,0]", "W2[0,1]", "W2[1,0]", "W2[1,1]"):
        assert (label(frame, ref, "g") != "") == (ref in got), ref


def test_labels_are_never_cut_off():
    for name in ("cs231n-sigmoid", "network-2-2-2"):
        sc = load(name)
        timeline = record(sc.graph, iterations=2, learning_rate=sc.learning_rate or 0.1)
        st = build_structure(sc.graph)
        geo = place(st, label_widths(timeline, st))
        canvas = Canvas(geo)
        for k in range(len(timeline.steps)):
            labels = Labels(timeline, k, st)
            for v in st.vnodes:
                if v.kind == "dummy":
                    continue
                for text in (labels.value(v.id), labels.grad(v.id)):
                    assert len(text) <= geo.label_w[v.id], (name, k, v.name, text)
        for v in st.vnodes:  # the label area is blank in the drawing and ends in time
            if v.kind == "dummy":
                continue
            x = geo.x[v.id] + v.w + 1
            assert x + geo.label_w[v.id] < geo.col_end[v.layer] + 1
            for y in (v.out_row - 1, v.out_row + 1):
                cells = canvas.row(y)[0][x:x + geo.label_w[v.id]]
                assert set(cells) <= {" "}, (name, v.name, y)


def test_tensor_values_show_their_shape():
    text = """
title = "t"
[inputs]
x = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3], [4, 5, 6]]
[graph]
code = '''
s = sum(x * x)
'''
"""
    graph = load_text(text).graph
    timeline = record(graph)
    frame = draw(graph, timeline, len(timeline.steps) - 1)
    assert label(frame, "x", "v") == "5×3"
    assert label(frame, "x", "g") == "5×3"
    # by hand: squares summed row by row are 14, 77, 194, 14, 77
    assert label(frame, "s", "v") == "376"


# --------------------------------------------------------------------- highlighting


def test_current_gate_is_visible_without_colour():
    """Under NO_COLOR the double border and the heavy wires carry the highlight."""
    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)
    k = timeline.forward_step_of("f_2")  # the exp gate
    frame = draw(graph, timeline, k)
    st = frame.canvas.geometry.structure
    assert frame.current == [st.by_name["f_2"]]
    text = render_text(frame)
    lines = text.splitlines()
    v = st.vnodes[st.by_name["f_2"]]
    x = frame.canvas.geometry.x[v.id]
    assert lines[v.top][x] == "╔" and lines[v.top + v.h - 1][x] == "╚"
    assert "exp" in lines[v.out_row][x:x + v.w]
    # its input wire (from *-1) and its output wire are heavy
    assert lines[v.out_row][x] == "╣"
    assert "━" in lines[v.out_row][x - 3:x]
    assert "━" in lines[v.out_row][x + v.w:x + v.w + 3]
    assert text.count("╔") == 1  # only one current gate
    _, codes = frame.row(v.top, x, x + 1)
    assert codes[0] == CURRENT


def test_update_step_highlights_every_parameter():
    graph = load("network-2-2-2").graph
    timeline = record(graph, learning_rate=0.5)
    k = next(i for i, s in enumerate(timeline.steps) if s.phase == "update")
    frame = draw(graph, timeline, k)
    st = frame.canvas.geometry.structure
    names = {st.vnodes[v].name for v in frame.current}
    assert names == {v.name for v in st.vnodes if v.kind == "leaf" and v.leaf_kind == "param"}
    assert "W1[0,1]" in names and "x[0]" not in names
    # the updated value is on the wire: 0.20 - 0.5 * 0.000877135 (Mazur: w2+ = 0.19956143)
    assert label(frame, "W1[0,1]", "v") == "0.1996"


def test_selected_node_is_drawn_heavy():
    graph = load_text(ADD_MUL).graph
    timeline = record(graph)
    frame = draw(graph, timeline, 0, selected=[build_structure(graph).by_name["z"]])
    lines = render_text(frame).splitlines()
    geo = frame.canvas.geometry
    vid = geo.structure.by_name["z"]
    x, y, _, _ = geo.box(vid)
    assert lines[y][x] == "┏"


def test_ascii_glyphs():
    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)
    frame = draw(graph, timeline, 3, glyphs=ASCII)
    text = render_text(frame)
    assert all(ord(c) < 128 for c in text.replace("σ", "")), set(c for c in text if ord(c) > 127)
    assert "+" in text and "|" in text and "#" in text


# ---------------------------------------------------------------------- big graphs


def test_2000_gate_graph_lays_out_and_renders_a_screen(big):
    graph, timeline = big
    assert len(graph.gates) == 2000
    k = timeline.backward_step_of("v700")
    frame = draw(graph, timeline, k)
    geo = frame.canvas.geometry
    vid = geo.structure.by_name["v700"]
    x, y, w, h = geo.box(vid)
    x0, y0 = max(0, x - 60), max(0, y - 12)
    screen = ["".join(frame.row(row, x0, x0 + 120)[0]) for row in range(y0, y0 + 24)]
    assert all(len(line) == 120 for line in screen)
    text = "\n".join(screen)
    assert "╔" in text and "tanh" in text
    assert screen[y - y0][x - x0] == "╔"  # the current gate, drawn double
    assert screen[y - y0 + h // 2][x - x0] == "╣"  # with its input port
    # its gradient is on screen and is the engine's number
    from tui_backprop.numfmt import fmt_scalar
    expected = fmt_scalar(timeline.grad_at("v700", k))
    assert label(frame, "v700", "g") == expected
    assert expected in text


# ------------------------------------------------------------------ import hygiene


def test_layout_module_imports_no_textual_or_rich():
    code = ("import sys, tui_backprop.render.circuit_layout, tui_backprop.render.circuit_canvas; "
            "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------------- widget


async def test_widget_shows_steps_follows_the_gate_and_posts_selection():
    from textual.app import App

    from tui_backprop.tui.circuit import CircuitView

    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)
    selected: list[tuple[str, str]] = []

    class Tiny(App):
        def compose(self):
            yield CircuitView()

        def on_circuit_view_node_selected(self, message: CircuitView.NodeSelected):
            selected.append((message.name, message.ref))

    app = Tiny()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(CircuitView)
        view.show(timeline, 0, None)
        await pilot.pause()

        def screen_text():
            return "\n".join("".join(s.text for s in view.render_line(y))
                             for y in range(view.size.height))

        assert "w0" in screen_text() and "╔" in screen_text()
        last = timeline.forward_step_of("f")  # 1/x, far right of an 80-column screen
        view.show(timeline, last, None)
        await pilot.pause()
        geo = view.geometry
        x, y, w, h = geo.box(geo.structure.by_name["f"])
        sx, sy = view.scroll_offset
        assert sx > 0
        assert sx <= x and x + w <= sx + view.size.width
        assert sy <= y and y + h <= sy + view.size.height
        text = screen_text()
        assert "1/x" in text and "0.7311" in text

        # click the middle of the exp box
        vid = geo.structure.by_name["f_2"]
        bx, by, bw, bh = geo.box(vid)
        await pilot.click(CircuitView, offset=(bx - sx + 2, by - sy + 1))
        await pilot.pause()
        assert selected == [("f_2", "f_2")]
        view.show(timeline, last, "f_2")
        await pilot.pause()
        assert "┏" in screen_text()


async def test_widget_click_on_element_box_names_the_node():
    from textual.app import App

    from tui_backprop.tui.circuit import CircuitView

    graph = load("network-2-2-2").graph
    timeline = record(graph, learning_rate=0.5)
    got = []

    class Tiny(App):
        def compose(self):
            yield CircuitView()

        def on_circuit_view_node_selected(self, message):
            got.append((message.name, message.ref))

    app = Tiny()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(CircuitView)
        view.show(timeline, 0, None)
        await pilot.pause()
        geo = view.geometry
        bx, by, _, _ = geo.box(geo.structure.by_name["W1[0,1]"])
        sx, sy = view.scroll_offset
        await pilot.click(CircuitView, offset=(bx - sx + 3, by - sy + 1))
        await pilot.pause()
        assert got == [("W1", "W1[0,1]")]


def test_node_at_finds_boxes_and_their_labelled_wires_only():
    graph = load_text(ADD_MUL).graph
    timeline = record(graph)
    geo = draw(graph, timeline, 0).canvas.geometry
    st = geo.structure
    for v in st.vnodes:
        if v.kind == "dummy":
            continue
        x, y, w, h = geo.box(v.id)
        assert geo.node_at(x, y) == v.id and geo.node_at(x + w - 1, y + h - 1) == v.id
        assert geo.node_at(x + w + 2, v.out_row - 1) == v.id  # on its value label
    # the channel between columns and the blank row under a box belong to nobody
    q = st.by_name["q"]
    x, y, w, h = geo.box(q)
    assert geo.node_at(geo.col_end[st.vnodes[q].layer], y) is None
    assert geo.node_at(x, y + h) is None


def test_a_value_used_twice_by_one_gate_gets_two_wires():
    text = """
title = "square"
[inputs]
x = 3
[graph]
code = '''
f = x * x
'''
"""
    graph = load_text(text).graph
    timeline = record(graph)
    frame = draw(graph, timeline, len(timeline.steps) - 1)
    st = frame.canvas.geometry.structure
    assert st.edges_into(st.by_name["f"]) == [(st.by_name["x"], 0), (st.by_name["x"], 1)]
    lines = render_text(frame).splitlines()
    v = st.vnodes[st.by_name["f"]]
    x = frame.canvas.geometry.x[v.id]
    assert lines[v.port_row(0)][x] in "┤╣" and lines[v.port_row(1)][x] in "┤╣"
    # f = x², df/dx = 2x = 6 (both uses summed), f = 9
    assert label(frame, "x", "g") == "6"
    assert label(frame, "f", "v") == "9"


def test_vector_values_show_a_shape_that_is_not_a_number():
    text = """
title = "v"
[inputs]
x = [1, 2, 3, 4, 5]
[graph]
code = '''
s = sum(x * 2)
'''
"""
    graph = load_text(text).graph
    timeline = record(graph)
    frame = draw(graph, timeline, len(timeline.steps) - 1)
    assert label(frame, "x", "v") == "(5,)"
    assert label(frame, "s", "v") == "30"  # 2 × (1 + 2 + 3 + 4 + 5)


async def test_hovering_a_box_shows_its_numbers_in_full():

    from tui_backprop.tui.circuit import CircuitView

    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)

    app = CircuitApp()
    async with app.run_test(size=(120, 30)) as pilot:
        view = app.query_one(CircuitView)
        view.show(timeline, timeline.phase_end(0, "backward"), None)
        await pilot.pause()
        geo = view.geometry
        bx, by, _, _ = geo.box(geo.structure.by_name["x0"])
        sx, sy = view.scroll_offset
        await pilot.hover(CircuitView, offset=(bx - sx + 2, by - sy + 1))
        await pilot.pause()
        tip = str(view.tooltip)
        # dx0 = w0 · σ(1)(1 − σ(1)) = 2 × 0.7310585786 × 0.2689414214 = 0.3932238665
        assert "x0" in tip and "value: -1.0" in tip and "0.393223866" in tip


async def test_stepping_reuses_the_layout():
    """A step changes only overlays; a re-recorded timeline of the same graph keeps the
    structure (and the canvas, when no label got wider)."""

    from tui_backprop.tui.circuit import CircuitView

    sc = load("network-2-2-2")
    timeline = record(sc.graph, learning_rate=sc.learning_rate)

    app = CircuitApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(CircuitView)
        view.show(timeline, 0, None)
        await pilot.pause()
        geometry, structure = view.geometry, view.geometry.structure
        for k in range(1, len(timeline.steps)):
            view.show(timeline, k, "W1" if k % 2 else None)
        await pilot.pause()
        assert view.geometry is geometry
        again = record(sc.graph, learning_rate=sc.learning_rate)
        view.show(again, 3, None)
        assert view.geometry is geometry
        # the next iteration (new leaf values, same topology): same structure
        nxt = record(timeline.next_graph, learning_rate=sc.learning_rate, first_iteration=2)
        view.show(nxt, 0, None)
        assert view.geometry.structure is structure


async def test_selecting_does_not_yank_the_view_but_a_new_selection_is_shown():

    from tui_backprop.tui.circuit import CircuitView

    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)

    app = CircuitApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(CircuitView)
        last = timeline.forward_step_of("f")
        view.show(timeline, last, None)
        await pilot.pause()
        assert view.scroll_offset.x > 0
        view.scroll_to(0, 0, animate=False, immediate=True)  # the user looks around
        await pilot.pause()
        view.show(timeline, last, None)  # a redraw for another panel's sake
        await pilot.pause()
        assert view.scroll_offset == (0, 0)
        view.show(timeline, last, "f_3")  # picked in the values table: bring it in
        await pilot.pause()
        geo = view.geometry
        x, y, w, h = geo.box(geo.structure.by_name["f_3"])
        sx, sy = view.scroll_offset
        assert sx <= x and x + w <= sx + view.size.width
        assert sy <= y and y + h <= sy + view.size.height


# ------------------------------------------------------------- random small graphs

@hs.composite
def small_scenarios(draw_):
    n_in = draw_(hs.integers(1, 4))
    names = [f"a{i}" for i in range(n_in)]
    lines = ['title = "fuzz"', "[inputs]"]
    lines += [f"{n} = {draw_(hs.sampled_from(['-2', '0.5', '3', '0.125']))}" for n in names]
    code = []
    for i in range(draw_(hs.integers(1, 14))):
        a = draw_(hs.sampled_from(names))
        b = draw_(hs.sampled_from(names))
        form = draw_(hs.sampled_from(["{a} + {b}", "{a} * {b}", "{a} - {b}", "tanh({a})",
                                      "sigmoid({a}) * {b}", "exp({a}) + 1", "{a} * {a}"]))
        code.append(f"g{i} = " + form.format(a=a, b=b))
        names.append(f"g{i}")
    lines.append('[graph]\ncode = """\n' + "\n".join(code) + '\n"""')
    return "\n".join(lines)


@settings(max_examples=40, deadline=None)
@given(small_scenarios())
def test_random_graphs_keep_every_layout_property(text):
    graph = load_text(text).graph
    timeline = record(graph)
    st = build_structure(graph)
    geo = place(st, label_widths(timeline, st))
    canvas = Canvas(geo)
    owner = {}
    for v in st.vnodes:
        if v.kind == "dummy":
            continue
        x, y, w, h = geo.box(v.id)
        for cx in range(x, x + w):
            for cy in range(y, y + h):
                assert (cx, cy) not in owner
                owner[(cx, cy)] = v.id
        for s in v.ins:
            assert st.vnodes[s].layer == v.layer - 1
    assert sorted(v.name for v in st.vnodes if v.kind == "gate") == sorted(
        n.name for n in graph.gates)
    # at every step the labels fit, and gradients only appear from the seed on
    seed = next(k for k, s in enumerate(timeline.steps) if s.phase == "seed")
    for k in range(len(timeline.steps)):
        current, hot = focus_of(timeline, k, st)
        frame = make_frame(canvas, Labels(timeline, k, st), current, [], hot)
        for v in st.vnodes:
            if v.kind != "dummy":
                assert len(frame.labels.value(v.id)) <= geo.label_w[v.id]
                assert len(frame.labels.grad(v.id)) <= geo.label_w[v.id]
                assert (frame.labels.grad(v.id) != "") <= (k >= seed)
        text_k = render_text(frame)
        assert text_k.count("╔") == len(current)


async def test_partial_repaints_leave_exactly_the_fresh_drawing_on_screen():
    """After stepping (with row caching and changed-span repaints), every line the
    compositor holds (Textual's line cache keeps a line until it is marked dirty) equals
    what a fresh drawing of that step shows."""
    from textual.geometry import Region

    from tui_backprop.tui.circuit import CircuitView

    sc = load("network-2-2-2")
    timeline = record(sc.graph, learning_rate=sc.learning_rate)

    app = CircuitApp()
    async with app.run_test(size=(70, 16)) as pilot:
        view = app.query_one(CircuitView)
        for k in list(range(len(timeline.steps))) + [5, 4, 30, 29, 0]:
            view.show(timeline, k, "h1_0" if k % 3 == 0 else None)
            await pilot.pause()
            fresh = draw(sc.graph, timeline, k,
                         selected=view.geometry.structure.by_node.get("h1_0", [])
                         if k % 3 == 0 else [])
            sx, sy = view.scroll_offset
            width = view.scrollable_content_region.width
            height = view.scrollable_content_region.height
            lines = view.render_lines(Region(0, 0, width, height))
            styles = view._style_table()
            for y in range(height):
                shown = "".join(s.text for s in lines[y])[:width]
                cells, codes = fresh.row(sy + y, sx, sx + width)
                expected = "".join(cells)
                if sy + y >= fresh.canvas.height:
                    expected = " " * width
                    codes = bytearray(width)
                assert shown == expected, (k, y)
                # and how each cell looks: a stale style is as wrong as a stale glyph
                looks = [(c, seg.style) for seg in lines[y] for c in seg.text][:width]
                for x, ((c, got), code) in enumerate(zip(looks, codes, strict=True)):
                    want = styles[code]
                    assert (got.bgcolor, bool(got.reverse)) == (
                        want.bgcolor, bool(want.reverse)), (k, y, x)
                    if c != " ":
                        assert (got.color, bool(got.bold)) == (
                            want.color, bool(want.bold)), (k, y, x, c)


async def test_resizing_keeps_the_current_gate_in_view():

    from tui_backprop.tui.circuit import CircuitView

    graph = load("cs231n-sigmoid").graph
    timeline = record(graph)

    app = CircuitApp()
    async with app.run_test(size=(120, 30)) as pilot:
        view = app.query_one(CircuitView)
        view.show(timeline, timeline.forward_step_of("f"), None)
        await pilot.pause()
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        await pilot.pause()
        geo = view.geometry
        x, y, w, h = geo.box(geo.structure.by_name["f"])
        sx, sy = view.scroll_offset
        region = view.scrollable_content_region
        assert sx <= x and x + w <= sx + region.width
        assert sy <= y and y + h <= sy + region.height


# ------------------------------------------------------- big graphs, bytes on the wire


def _chain_text(n: int) -> str:
    """``v0 = x * y``, then ``v_i = v_{i-1} * x`` or ``+ y``: every gate reads a leaf."""
    lines = ["v0 = x * y"] + [f"v{i} = v{i - 1} {'*' if i % 2 else '+'} {'x' if i % 2 else 'y'}"
                              for i in range(1, n)]
    return ('title = "chain"\n[inputs]\nx = 0.5\ny = -0.25\n[graph]\ncode = """\n'
            + "\n".join(lines) + '\n"""\n')


def test_long_rows_are_drawn_the_same_in_every_piece():
    """A long chain is far wider than one chunk of cells: reading any span of a row
    gives that part of the whole row, and every box's corners are where the geometry
    says, in every chunk."""
    from tui_backprop.render.circuit_canvas import CHUNK

    graph = load_text(_chain_text(60)).graph
    timeline = record(graph)
    canvas = draw(graph, timeline, 0).canvas
    geo = canvas.geometry
    assert canvas.width > 3 * CHUNK
    for y in range(canvas.height):
        whole = "".join(canvas.row(y)[0])
        assert len(whole) == canvas.width
        for a, b in [(0, 7), (CHUNK - 3, CHUNK + 4), (2 * CHUNK - 1, 3 * CHUNK + 1),
                     (canvas.width - 5, canvas.width + 6)]:
            cells, codes = canvas.span(y, a, b)
            assert len(cells) == len(codes) == b - a
            assert "".join(cells) == (whole + " " * 6)[a:b]
    for v in geo.structure.vnodes:
        if v.kind != "dummy":
            x, y, w, h = geo.box(v.id)
            corners = (canvas.cell(y, x), canvas.cell(y, x + w - 1),
                       canvas.cell(y + h - 1, x), canvas.cell(y + h - 1, x + w - 1))
            assert corners == ("┌", "┐", "└", "┘"), v.name


def test_vertical_tracks_in_one_channel_never_overlap():
    """Two wires sharing a vertical track of a channel span disjoint rows, also for a
    wide fan-in (64 leaves summed pairwise: thousands of nets share few tracks)."""
    leaves = [f"a{i}" for i in range(64)]
    code, level, k = [], leaves, 0
    while len(level) > 1:
        nxt = []
        for a, b in zip(level[::2], level[1::2], strict=True):
            code.append(f"s{k} = {a} + {b}")
            nxt.append(f"s{k}")
            k += 1
        level = nxt
    text = ('title = "fan"\n[inputs]\n' + "\n".join(f"{a} = 1" for a in leaves)
            + '\n[graph]\ncode = """\n' + "\n".join(code) + '\n"""\n')
    st = build_structure(load_text(text).graph)
    for lay, nets in enumerate(st.nets):
        used: dict[int, list[tuple[int, int]]] = {}
        for net in nets:
            rows = [net.row] + [r for r, _ in net.targets]
            assert (net.lo, net.hi) == (min(rows), max(rows))
            if net.track is None:
                assert net.lo == net.hi  # a straight wire
                continue
            assert 0 <= net.track < st.n_tracks[lay]
            for lo, hi in used.get(net.track, []):
                assert net.hi < lo or net.lo > hi
            used.setdefault(net.track, []).append((net.lo, net.hi))


async def test_stepping_scrolls_only_when_the_gate_leaves_the_view():
    """At 80x24 the panel shows a few rows of the 2-2-2 network: every step's gate is
    in view after the step, and the view never moves while the gate was already in
    view (a scroll repaints the whole panel)."""
    from textual.geometry import Region

    from tui_backprop.tui.circuit import CircuitView

    sc = load("network-2-2-2")
    timeline = record(sc.graph, learning_rate=sc.learning_rate)

    app = CircuitApp()
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(CircuitView)
        view.show(timeline, 0, None)
        await pilot.pause()
        geo = view.geometry
        scrolls = 0
        steps = [k for k in range(len(timeline.steps))
                 if len(focus_of(timeline, k, geo.structure)[0]) == 1]
        for k in steps + steps[::-1]:
            vid = focus_of(timeline, k, geo.structure)[0][0]
            box = Region(*geo.box(vid))
            size = view.scrollable_content_region.size
            before = view.scroll_offset
            in_view = Region(before.x, before.y, size.width, size.height).contains_region(box)
            view.show(timeline, k, None)
            await pilot.pause()
            after = view.scroll_offset
            assert Region(after.x, after.y, size.width, size.height).contains_region(box), k
            if in_view:
                assert after == before, k
            scrolls += after != before
        assert 0 < scrolls < len(steps)  # it does follow, and not on every step


async def test_blank_cells_join_a_neighbour_segment_without_changing_the_look():
    """Fewer segments (each is an escape sequence on the wire), same picture: every
    cell keeps its character and background, a non-blank its colour and weight, and
    a reverse-video blank (the current gate's label) stays reverse."""
    from textual.geometry import Region

    from tui_backprop.tui.circuit import CircuitView

    sc = load("cs231n-sigmoid")
    timeline = record(sc.graph)

    app = CircuitApp()
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(CircuitView)
        view.show(timeline, timeline.forward_step_of("f_3"), None)
        await pilot.pause()
        styles = view._style_table()
        sx, sy = view.scroll_offset
        width = view.scrollable_content_region.width
        merged = 0
        for y, strip in enumerate(view.render_lines(Region(0, 0, width, 15))):
            cells, codes = view.frame.row(sy + y, sx, sx + width)
            shown = [(c, seg.style) for seg in strip for c in seg.text]
            assert "".join(c for c, _ in shown) == "".join(cells)
            plain = 1 + sum(codes[i] != codes[i - 1] for i in range(1, len(codes)))
            merged += len(list(strip)) < plain
            for (c, got), code in zip(shown, codes, strict=True):
                want = styles[code]
                assert got.bgcolor == want.bgcolor and bool(got.reverse) == bool(want.reverse)
                if c != " ":
                    assert (got.color, bool(got.bold)) == (want.color, bool(want.bold))
        assert merged  # some row did get fewer segments


async def test_resizing_away_and_back_gives_the_same_view():
    """A wider terminal clamps the scroll; back at the old size the view is where the
    last step left it, not merely somewhere the gate is visible."""

    from tui_backprop.tui.circuit import CircuitView

    sc = load("cs231n-staged")
    timeline = record(sc.graph)

    app = CircuitApp()
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(CircuitView)
        for k in range(len(timeline.steps)):  # step until the view has moved right
            view.show(timeline, k, None)
            await pilot.pause()
            if view.scroll_offset.x > 0:
                break
        stepped = view.scroll_offset
        assert stepped.x > 0
        await pilot.resize_terminal(view.virtual_size.width + 10, 12)
        await pilot.pause()
        await pilot.pause()
        assert view.scroll_offset.x == 0  # everything fits across
        await pilot.resize_terminal(60, 12)
        await pilot.pause()
        await pilot.pause()
        assert view.scroll_offset == stepped


@pytest.mark.parametrize("k", [2, 3, 8, 20])  # few wires (pairwise count), many (tree)
def test_crossings_of_a_reversed_bundle_are_k_choose_2(k):
    """k wires from sources 0..k-1 to targets k-1..0: every pair crosses once; the same
    bundle in order crosses nothing, and wires of one source never cross each other."""
    from tui_backprop.render.circuit_layout import VNode, _crossings_between

    def layer(reverse: bool, fan: int = 1) -> int:
        nodes = [VNode(i, "gate", "", "", None, "") for i in range(2 * k)]
        for i in range(k):
            nodes[i].pos = i
            nodes[k + i].pos = i
            target = k + (k - 1 - i if reverse else i)
            nodes[i].outs = [(target, p) for p in range(fan)]
        return _crossings_between(nodes, list(range(k)))

    assert layer(reverse=True) == k * (k - 1) // 2
    assert layer(reverse=False) == 0
    # two ports per target: still one crossing per pair of sources, counted per wire
    assert layer(reverse=True, fan=2) == 4 * (k * (k - 1) // 2)
