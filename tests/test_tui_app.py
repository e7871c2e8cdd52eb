"""Pilot tests of the Textual app on real bundled scenarios: every key, asserting on what
the panels show. Expected numbers are derived by hand or with plain ``math``/numpy
formulas here, never copied from the app's output.

(x + y) * z at x=-2, y=5, z=-4 (CS231n): q = 3, f = -12, dq = z = -4, dz = q = 3,
dx = dy = dq = -4.
"""

from __future__ import annotations

import math
import os
import re
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input, OptionList

from tui_backprop.engine import ScenarioError, bundled, load, record
from tui_backprop.engine import parse_typed_value as parse_value
from tui_backprop.engine.scenario import bundled_dir
from tui_backprop.model.session import MAX_RECORDED_ITERATIONS, Session, value_text
from tui_backprop.tui.app import BackpropApp, create_app
from tui_backprop.tui.edit import EditScreen, LeafChooser
from tui_backprop.tui.gradcheck_view import GradCheckScreen
from tui_backprop.tui.help import HelpScreen
from tui_backprop.tui.keybar import KeyBar
from tui_backprop.tui.picker import PickerScreen
from tui_backprop.tui.train import TrainScreen

WIDE = (120, 40)
NARROW = (80, 24)


def panels(app: BackpropApp) -> dict[str, str]:
    screen = app.debugger
    return {
        "inspector": screen.inspector.plain,
        "code": screen.code.plain,
        "explain": screen.explain.plain,
        "status": screen.status.text.plain,
        "values": "\n".join(
            " ".join(getattr(c, "plain", str(c)) for c in screen.values.get_row(n.name))
            for n in app.session.timeline.graph.nodes),
    }


def cell(app: BackpropApp, node: str, column: str) -> str:
    value = app.debugger.values.get_cell(node, column)
    return getattr(value, "plain", str(value))


async def test_add_mul_forward_seed_backward_numbers():
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        ins = app.debugger.inspector
        assert "forward" in ins.plain and "q = x + y" in ins.plain
        assert "out    q = 3" in ins.plain                       # q = -2 + 5
        await pilot.press("n")
        assert "out    f = -12" in ins.plain                       # f = q·z = 3·-4
        assert "∂f/∂q = z = -4" in ins.plain                     # mul swaps its inputs
        assert "∂f/∂z = q = 3" in ins.plain
        await pilot.press("space")
        assert "seed" in ins.plain and "∂f/∂f = 1" in ins.plain
        assert "itself is 1" in app.debugger.explain.plain
        await pilot.press("right")
        text = ins.plain
        assert "upstream  ∂f/∂f = 1" in text
        assert "dq: 0 + (-4) = -4" in text                       # dq = -4
        assert "dz: 0 + 3 = 3" in text                             # dz = q = 3
        assert "swaps its inputs" in app.debugger.explain.plain
        await pilot.press("n")
        text = ins.plain
        assert "dx: 0 + (-4) = -4" in text and "dy: 0 + (-4) = -4" in text
        assert "distributes" in app.debugger.explain.plain
        assert "BACKWARD" in app.debugger.status.text.plain
        assert "step 5/5" in app.debugger.status.text.plain
        assert cell(app, "x", "grad") == "-4" and cell(app, "z", "grad") == "3"
        # the add gate's line is current; each line is annotated with value and gradient
        code = app.debugger.code.plain_lines
        assert code[0].startswith("▶") and "q = x + y = 3" in code[0] and "∂ -4" in code[0]
        assert not code[1].startswith("▶") and "= -12" in code[1] and "∂ 1" in code[1]
        # u without [train] says so and changes nothing
        await pilot.press("u")
        assert app.cursor == 4
        # the whole hint survives the 80-column cut (plain_lines is what is drawn)
        assert "add a [train] table with a learning_rate" in app.debugger.status.plain_lines[1]


async def test_stepping_back_undoes_exactly():
    app = create_app("cs231n-staged", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        n = len(app.session.timeline)
        seen = [panels(app)]
        for _ in range(n - 1):
            await pilot.press("right")
            seen.append(panels(app))
        await pilot.press("right")  # past the end: stays
        assert app.cursor == n - 1
        for k in range(n - 2, -1, -1):
            await pilot.press("left")
            assert app.cursor == k
            assert panels(app) == seen[k], f"step {k + 1} differs after stepping back"
        # before the backward pass no gradient is shown anywhere
        assert all(cell(app, node.name, "grad") == "—"
                   for node in app.session.timeline.graph.nodes)


async def test_fan_out_lists_every_contribution():
    """x is used by three gates in the staged example: dx is the sum of three +=."""
    app = create_app("cs231n-staged", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("b")
        tl = app.session.timeline
        last_x = max(c.step for c in tl.contributions_at("x", app.cursor))
        while app.cursor != last_x:
            await pilot.press("p")
        line = next(s for s in app.debugger.inspector.plain_lines if "dx:" in s)
        m = re.search(r"dx: (.*) = (\S+)\s+\(3 of 3\)", line)
        assert m, line
        terms = [float(t.strip("() ")) for t in m.group(1).split(" + ")]
        assert len(terms) == 3

        def f(x, y):
            sig = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
            return (x + sig(y)) / (sig(x) + (x + y) ** 2)

        h = 1e-6
        dx = (f(3 + h, -4) - f(3 - h, -4)) / (2 * h)
        assert float(m.group(2)) == pytest.approx(dx, rel=1e-3)
        assert sum(terms) == pytest.approx(dx, rel=1e-3)
        assert "sum of their contributions" in app.debugger.explain.plain


async def test_jump_keys_and_full_precision():
    app = create_app("cs231n-sigmoid", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("f")
        tl = app.session.timeline
        assert tl[app.cursor].phase == "forward" and tl[app.cursor + 1].phase == "seed"
        sigmoid = 1 / (1 + math.exp(-(2 * -1 + -3 * -2 + -3)))   # w·x + b = 1
        assert f"out    f = {sigmoid:.4g}" in app.debugger.inspector.plain
        await pilot.press("F")
        assert f"out    f = {sigmoid!r}" in app.debugger.inspector.plain
        await pilot.press("F", "b")
        assert app.cursor == len(tl) - 1 and tl[app.cursor].phase == "backward"
        # dx = [w0, w1]·σ(1-σ), dw = [x0, x1, 1]·σ(1-σ)   (CS231n: dx ≈ [0.39, -0.59])
        s = sigmoid * (1 - sigmoid)
        assert cell(app, "x0", "grad") == f"{2 * s:.4g}"
        assert cell(app, "x1", "grad") == f"{-3 * s:.4g}"
        assert cell(app, "w2", "grad") == f"{s:.4g}"
        await pilot.press("home")
        assert app.cursor == 0
        await pilot.press("end")
        assert app.cursor == len(tl) - 1


async def test_edit_leaf_changes_downstream_values_and_gradients():
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("end")
        await pilot.press("e")  # nothing selected: choose the leaf first
        assert isinstance(app.screen, LeafChooser)
        await pilot.press("escape")
        app.debugger.values.focus()
        app.debugger.values.move_cursor(row=0)      # x
        await pilot.press("enter")                  # select the row
        assert app.selected == "x"
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        assert app.screen.query_one(Input).value == "-2.0"
        await pilot.press("x", "enter")    # not a number: error inline
        assert isinstance(app.screen, EditScreen)
        assert "not a number" in str(app.screen.query_one("#error").render())
        for key in ("ctrl+u", "1", "enter"):        # x = 1: q = 6, f = -24, dz = 6
            await pilot.press(key)
        assert not isinstance(app.screen, EditScreen)
        assert app.cursor == 4                     # same step
        assert cell(app, "f", "value") == "-24"
        assert cell(app, "q", "value") == "6"
        assert cell(app, "z", "grad") == "6"
        assert cell(app, "x", "grad") == "-4" and cell(app, "y", "grad") == "-4"


async def test_reload_broken_file_keeps_last_good_scenario(tmp_path):
    path = tmp_path / "mine.toml"
    shutil.copy(bundled_dir() / "add-mul.toml", path)
    app = create_app(str(path), lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("n")
        text = path.read_text()
        broken = text.replace("f = q * z", "f = q * w")
        path.write_text(broken)
        await pilot.press("r")
        error = str(app.debugger.query_one("#load-error").render())
        line = broken.split("\n").index("f = q * w") + 1
        assert f"{path}:{line}:9: error:" in error and "'w'" in error
        assert "out    f = -12" in app.debugger.inspector.plain   # still the old one
        # fixing the file is picked up by the automatic reload (mtime poll)
        path.write_text(text.replace("z = -4", "z = 2"))
        app.poll_file()
        await pilot.pause()
        assert not app.debugger.query_one("#load-error").display
        assert app.cursor == 1
        assert "out    f = 6" in app.debugger.inspector.plain     # (−2 + 5)·2


async def test_jump_to_first_nonfinite():
    # σ(40) rounds to exactly 1.0 in float64, so 1 - p = 0 and log(0) = -inf there
    assert 1 - 1 / (1 + math.exp(-40)) == 0.0
    app = create_app("nan-explosion", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        status = app.debugger.status.text.plain
        k = app.session.timeline.forward_step_of("log_q")
        assert f"press ! → non-finite value step {k + 1} (log_q)" in status
        await pilot.press("exclamation_mark")
        assert app.cursor == k
        text = app.debugger.inspector.plain
        assert "gate log_q (log)" in text and "in     q = 0" in text
        assert "out    log_q = -inf" in text
        # again: the first non-finite gradient. Backward reaches log_q second (after
        # loss = -log_q): upstream -1 times its local gradient 1/q = 1/0 = inf
        await pilot.press("exclamation_mark")
        assert app.cursor == app.session.timeline.backward_step_of("log_q")
        assert "chain  inf × upstream -1 = -inf" in app.debugger.inspector.plain


async def test_update_starts_next_iteration_and_steps_back_across():
    app = create_app("network-2-2-2", lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("end")
        assert "update" in app.debugger.inspector.plain
        # Mazur's worked example: w5 = 0.40 - 0.5 · 0.082167041 = 0.35891648
        assert "[[0.3589, 0.4087], [0.5113, 0.5614]]" in app.debugger.inspector.plain
        await pilot.press("u")
        tl = app.session.timeline
        assert tl.iteration_of(app.cursor).iteration == 2
        assert app.cursor == tl.iterations[1].start
        assert "iteration 2" in app.debugger.status.text.plain
        history = app.session.loss_history
        assert [i for i, _ in history] == [1, 2]
        assert history[0][1] == pytest.approx(0.298371109, abs=1e-8)
        assert history[1][1] < history[0][1]
        await pilot.press("p")
        assert tl[app.cursor].phase == "update"
        assert tl.iteration_of(app.cursor).iteration == 1


async def test_train_n_iterations_lands_on_new_state():
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        first = app.session.loss_history[0][1]
        # independent: mean softmax cross-entropy of the initial scores
        g = app.session.graph
        x, w, b = (np.asarray(g.leaf_values[n]) for n in ("x", "W1", "b1"))
        target = np.asarray(g.leaf_values["target"]).astype(int)
        z = x @ w.T + b
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        assert first == pytest.approx(-logp[np.arange(len(x)), target].mean(), rel=1e-9)
        recorded = app.session.last_iteration
        await pilot.press("t")
        assert isinstance(app.screen, TrainScreen)
        await pilot.press("ctrl+u", "4", "0", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert app.session.last_iteration == recorded + 41
        assert app.cursor == 0
        assert f"iteration {recorded + 41}" in app.debugger.status.text.plain
        history = app.session.loss_history
        assert [i for i, _ in history] == list(range(1, recorded + 42))
        assert history[-1][1] < first / 2


async def test_gradcheck_help_picker_views_and_quit():
    app = create_app("cs231n-sigmoid", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("g")
        assert isinstance(app.screen, GradCheckScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(app.screen.query_one("#summary").render())
        assert "all 5 gradients pass" in summary
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        screen = app.debugger
        assert screen.circuit.display and not screen.code.display
        await pilot.press("v")
        assert screen.code.display and not screen.circuit.display
        side = screen.query_one("#side")
        assert screen.inspector.display and not side.display
        await pilot.press("i")
        assert side.display and not screen.inspector.display
        await pilot.press("right")       # a focused table must not swallow stepping
        assert app.cursor == 1
        await pilot.press("o")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code == 0


async def test_no_argument_opens_picker_and_resize_keeps_cursor():
    app = create_app(None, lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")                 # the first bundled scenario
        assert app.session is not None
        assert app.session.scenario.path.endswith(".toml")
        await pilot.press("n", "n")
        before = app.debugger.inspector.plain
        assert app.debugger.code.display and app.debugger.circuit.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.cursor == 2 and app.debugger.inspector.plain == before
        assert not app.debugger.code.display


async def test_resize_redraws_the_status_bar_for_the_new_width():
    # below 24 rows there is no header: the status line ends with the scenario title,
    # right-aligned, when it fits: " FORWARD  step 1/17  iteration 1/1  gate z_1 (*)  f = ?"
    # is 55 cells and the title 32, so it fits in 120 columns but not in 80
    app = create_app("cs231n-sigmoid", lang="en", ascii=False)
    title = "2-D sigmoid neuron, gate by gate"
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert title not in app.debugger.status.plain_lines[0]
        await pilot.resize_terminal(120, 20)
        await pilot.pause()
        line = app.debugger.status.plain_lines[0]
        assert line.endswith(title) and len(line) == 120 - 1
        await pilot.resize_terminal(80, 20)
        await pilot.pause()
        assert title not in app.debugger.status.plain_lines[0]
        assert app.cursor == 0


async def test_footer_shows_the_stepping_keys_after_start_focus_changes_and_a_modal():
    # the footer recomposes only when its keys change: it must still show them all, in
    # one order whatever has the focus (help and quit first, then the screen's keys; a
    # served class's followers share one drawing of their screens, see serve/mirror.py)
    def shown(app: BackpropApp) -> list[str]:
        return [desc for _name, desc in app.debugger.query_one(KeyBar).shown()]

    expected = ["help", "quit", "prev", "next", "fwd", "bwd", "update", "train", "edit",
                "check", "view"]
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert shown(app) == expected
        await pilot.press("v")                     # focus moves to the code panel
        await pilot.pause()
        assert app.focused is app.debugger.code and shown(app) == expected
        for _ in range(4):                          # every panel in turn
            await pilot.press("tab")
            await pilot.pause()
            assert shown(app) == expected, app.focused
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.debugger and shown(app) == expected


async def test_a_click_on_a_key_in_the_key_bar_runs_it():
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        bar = app.debugger.query_one(KeyBar)
        line = "".join(seg.text for seg in bar.render_line(0))
        x = line.index("→ next")  # the key bar is one line: find the key's cell
        assert app.cursor == 0
        await pilot.click(KeyBar, offset=(x + 1, 0))
        await pilot.pause()
        assert app.cursor == 1
        x = line.index("← prev")
        await pilot.click(KeyBar, offset=(x + 2, 0))
        await pilot.pause()
        assert app.cursor == 0


async def test_command_palette_goes_to_gate():
    app = create_app("cs231n-sigmoid", lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        for key in "go to z_3":
            await pilot.press("space" if key == " " else key)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == "z_3"
        assert app.cursor == app.session.timeline.forward_step_of("z_3")
        assert "z_3 = z_1 + z_2" in app.debugger.inspector.plain
        await pilot.press("escape")
        assert app.selected is None


async def test_bad_file_at_start_and_open_keep_errors_in_app(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "t"\n[graph]\ncode = "f = x +"\n')
    app = create_app(str(bad), lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        banner = app.debugger.query_one("#load-error")
        assert banner.display and f"{bad}:3:" in str(banner.render())
        assert "no scenario loaded" in app.debugger.status.text.plain
        assert app.open_scenario("add-mul")
        assert not banner.display
        assert not app.open_scenario(str(bad))          # a bad file keeps the good one
        assert banner.display and app.session.scenario.title == "f = (x + y) * z"


async def test_click_in_code_selects_gate_and_theme_switch_restyles():
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("n")                         # the mul gate f is current
        code = app.debugger.code
        line = code.plain_lines[0]                     # "▶ 23 f = (x + y) * z ..."
        col = line.index("x + y")                      # inside the add gate
        await pilot.click(code, offset=(col + 1, 1))   # +1: the panel's border
        assert app.selected == "q"
        assert "selected" in app.debugger.inspector.plain
        before = app.look.value
        app.theme = "textual-light"
        await pilot.pause()
        assert app.look.value != before
        assert "selected  q" in app.debugger.inspector.plain


@pytest.mark.parametrize("name", [n for n, _ in bundled()])
async def test_every_step_and_node_of_every_bundled_scenario_renders(name):
    """Each panel renders every step of every bundled scenario, and every node when
    selected (no key presses: the cursor is set directly, to keep this fast)."""
    app = create_app(name, lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        tl = app.session.timeline
        for k in range(len(tl)):
            app.cursor = k
            head = app.debugger.inspector.plain_lines[0]
            assert head.startswith(tl[k].phase)
            node = getattr(tl[k], "node", None)
            if node is not None and tl[k].phase != "seed":
                assert f"gate {node} " in head
            assert f"step {k + 1}/{len(tl)}" in app.debugger.status.text.plain
        for node in tl.graph.nodes:
            app.selected = node.name
            assert f"selected  {node.name}" in app.debugger.inspector.plain or (
                getattr(tl[app.cursor], "node", None) == node.name)
        await pilot.pause()


def test_typed_values_are_parsed_as_toml_never_evaluated():
    assert np.array_equal(parse_value(" [[1, 2], [3, -4.5]] "), [[1, 2], [3, -4.5]])
    assert math.isnan(parse_value("nan")) and parse_value("-inf") == -math.inf
    for bad in ("__import__('os').system('true')", "1, w = 2", "1\n[evil]", "", "'a'", "true"):
        with pytest.raises(ScenarioError):
            parse_value(bad)
    a = np.array([[1.5, np.nan], [-np.inf, 2.0]])
    back = np.array(parse_value(value_text(a)), dtype=float)
    assert np.array_equal(back, a, equal_nan=True)


def test_session_keeps_a_window_of_recorded_iterations():
    session = Session.start(load("network-2-2-2"))
    for _ in range(MAX_RECORDED_ITERATIONS + 3):
        session = session.next_iteration()
    its = [it.iteration for it in session.timeline.iterations]
    assert len(its) == MAX_RECORDED_ITERATIONS and its[-1] == MAX_RECORDED_ITERATIONS + 4
    history = session.loss_history
    assert [i for i, _ in history] == list(range(1, MAX_RECORDED_ITERATIONS + 5))
    # the window starts from the params the dropped iterations' updates produced
    alone = Session.start(load("network-2-2-2"))
    for _ in range(MAX_RECORDED_ITERATIONS + 3):
        alone = Session(alone.scenario, alone.timeline.next_graph,
                        record(alone.timeline.next_graph, iterations=1, learning_rate=0.5))
    assert history[-1][1] == pytest.approx(float(alone.timeline.iterations[0].loss), rel=1e-12)


def test_changed_span_covers_every_cell_that_differs():
    """A step repaints only the differing span of a line; a shorter new line must
    still clear the old line's tail (positions are compared, not aligned suffixes)."""
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from tui_backprop.tui.lines import changed_span

    def strip(text: str, style: Style | None = None) -> Strip:
        return Strip([Segment(text, style)])

    assert changed_span(strip("x = 0.15"), strip("x = 0.25")) == (6, 7)  # the "1"
    # new "(1 of 3)" line shorter than the old one that also ends in "of 3)"
    assert changed_span(strip("dx: 3 (1 of 3)"), strip("dx: -4 + 0.59 (2 of 3)")) == (4, 22)
    assert changed_span(strip("ab"), strip("ab", Style(bold=True))) == (0, 2)


def _cells_of(strip) -> list[tuple[str, object]]:
    return [(ch, seg.style) for seg in strip for ch in seg.text]


_SPAN_STYLES = [None, "bold", "red", "bold red"]


@given(st.lists(st.tuples(st.text(" ab-", max_size=4), st.sampled_from(_SPAN_STYLES)),
                max_size=5),
       st.lists(st.tuples(st.text(" ab-", max_size=4), st.sampled_from(_SPAN_STYLES)),
                max_size=5))
@settings(max_examples=300)
def test_changed_span_is_the_first_to_the_last_differing_cell(a, b):
    """Against the definition, cell by cell: the span runs from the first to the last
    cell whose character or style differs (the shorter line padded with plain blanks);
    an empty span where none does."""
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from tui_backprop.tui.lines import changed_span

    def strip(parts) -> Strip:
        return Strip([Segment(text, Style.parse(style) if style else None)
                      for text, style in parts])

    sa, sb = strip(a), strip(b)
    ca, cb = _cells_of(sa), _cells_of(sb)
    n = max(len(ca), len(cb))
    ca += [(" ", None)] * (n - len(ca))
    cb += [(" ", None)] * (n - len(cb))
    differ = [i for i in range(n) if ca[i] != cb[i]]
    first, end = changed_span(sa, sb)
    if differ:
        assert (first, end) == (differ[0], differ[-1] + 1)
    else:
        assert end <= first


def _bar_by_cell(timeline, cursor: int, width: int, look) -> list[tuple[str, object]]:
    """The progress bar's definition, cell by cell: the step under each cell coloured
    by its phase (the update phase in the accent colour, forward in the value colour,
    the rest in the gradient colour), done cells before the cursor, muted ones after."""
    from rich.style import Style

    n = len(timeline)
    width = min(width, n)
    at = cursor * width // n
    colour = {"forward": look.value, "update": look.accent}
    cells = []
    for x in range(width):
        style = colour.get(timeline[x * n // width].phase, look.grad)
        if x == at:
            cells.append(("●", style + Style(bold=True)))
        elif x < at:
            cells.append(("━", style))
        else:
            cells.append(("─", style + look.muted))
    return cells


@given(st.integers(0, 10_000), st.integers(1, 60), st.booleans())
@settings(max_examples=150)
def test_progress_bar_is_its_cells_in_runs(where, width, same_colours):
    """The bar is one cell per slice of the run, and one span per run of cells that
    look the same (never two spans in a row with one style)."""
    import dataclasses

    from rich.style import Style

    from tui_backprop.tui.look import Look
    from tui_backprop.tui.status import progress_bar

    scenario = load(str(bundled_dir() / "network-2-2-2.toml"))
    timeline = record(scenario.graph, iterations=2, learning_rate=scenario.learning_rate)
    styles = {f.name: Style(color=f"color({i % 16})")
              for i, f in enumerate(dataclasses.fields(Look)) if "Style" in str(f.type)}
    if same_colours:  # two phases that look the same: their cells join one run
        styles["accent"] = styles["grad"]
    look = Look(precision=4, full=False, mode="test", glyphs=None, **styles)
    cursor = where % len(timeline)
    bar = progress_bar(timeline, cursor, width, look)
    cells = _bar_by_cell(timeline, cursor, width, look)
    assert bar.plain == "".join(ch for ch, _ in cells)
    assert [(ch, span.style) for span in bar.spans
            for ch in bar.plain[span.start:span.end]] == cells
    assert all(a.end == b.start and a.style != b.style
               for a, b in zip(bar.spans, bar.spans[1:], strict=False))


# ends on the backward step of xpy, after dx's longer "+=" line was on screen; with
# "i" first, the values table is on screen instead of the inspector
STEPS_FORTH_AND_BACK = ["f", "right", "right", "b", "left", "left", "left", "left", "right"]


@pytest.mark.parametrize("keys", [STEPS_FORTH_AND_BACK, ["i", *STEPS_FORTH_AND_BACK]],
                         ids=["inspector", "values"])
def test_incremental_repaints_leave_no_stale_cells_in_a_real_terminal(keys):
    """In a real pty, step forward and back (each step repaints only what changed),
    then force a full repaint (resize away and back): the screen must not change.
    A stale character left by a partial repaint would show up as a difference."""
    import fcntl
    import struct
    import sys
    import termios
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from _pty import PtyProcess, Screen  # the benchmarks' small terminal emulator

    def resize(p: PtyProcess, cols: int, rows: int) -> None:
        fcntl.ioctl(p.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("COLORTERM", None)
    argv = [sys.executable, "-c",
            "from tui_backprop.tui.app import create_app; "
            "create_app('cs231n-staged', lang='en', ascii=False).run()"]
    with PtyProcess(argv, 80, 24, env=env) as p:
        screen = Screen(80, 24)
        p.read_until_quiet(0.5, 30, ready=lambda: b"quit" in p.output_since(0))
        for key in keys:
            p.press(key)
            p.read_until_quiet(0.25, 10)
        screen.feed(p.output_since(0))
        stepped = screen.text()
        assert "step 14/17" in stepped, stepped.splitlines()[-3:]
        assert ("Values · i: inspector" in stepped) == (keys[0] == "i")  # the panel shown
        resize(p, 100, 24)
        p.read_until_quiet(0.4, 10)
        mark = len(p.chunks)
        resize(p, 80, 24)
        p.read_until_quiet(0.6, 10)
        fresh = Screen(80, 24)
        fresh.feed(p.output_since(mark))
        assert fresh.text() == stepped


# ---------------------------------------------------------------- the Values panel


def shown(app: BackpropApp) -> list[str]:
    """The Values panel's rows as the screen shows them (the header first), read from
    what the compositor draws: a row a step forgot to repaint shows here stale."""
    values = app.debugger.values
    region = values.scrollable_content_region
    strips = app.screen._compositor.render_strips()
    return ["".join(seg.text for seg in strip.crop(region.x, region.right)).rstrip()
            for strip in strips[region.y:region.bottom]]


def shown_row(app: BackpropApp, node: str) -> list[str]:
    """``[mark, name, kind, value, grad, +=]`` of ``node``'s row on screen ("" for an
    empty mark or count)."""
    for line in shown(app)[1:]:
        parts = line.split()
        mark = parts.pop(0) if parts and parts[0] == "▶" else ""
        if parts and parts[0] == node:
            return [mark, *parts] + [""] * (5 - len(parts))
    raise AssertionError(f"{node} is not on screen: {shown(app)}")


async def test_values_panel_numbers_after_stepping_and_stepping_back():
    """f = (x + y) * z at x=-2, y=5, z=-4 by hand: q = 3, f = -12; backward:
    dq = z = -4, dz = q = 3, then dx = dy = dq = -4 (the add gate distributes)."""
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert shown(app)[0].split() == ["node", "kind", "value", "grad", "+="]
        # step 1, forward q = x + y
        assert shown_row(app, "x") == ["", "x", "input", "-2", "—", "0/1"]
        assert shown_row(app, "q") == ["▶", "q", "+", "3", "—", "0/1"]
        assert shown_row(app, "f") == ["", "f", "*", "—", "—", ""]
        await pilot.press("n")                      # forward f = q * z
        assert shown_row(app, "f") == ["▶", "f", "*", "-12", "—", ""]
        assert shown_row(app, "q")[0] == ""       # the marker moved
        await pilot.press("n")                      # seed: df/df = 1, no gate current
        assert shown_row(app, "f") == ["", "f", "*", "-12", "1", ""]
        await pilot.press("n")                      # backward through the mul gate
        assert shown_row(app, "f") == ["▶", "f", "*", "-12", "1", ""]
        assert shown_row(app, "q") == ["", "q", "+", "3", "-4", "1/1"]
        assert shown_row(app, "z") == ["", "z", "input", "-4", "3", "1/1"]
        assert shown_row(app, "x") == ["", "x", "input", "-2", "—", "0/1"]
        await pilot.press("n")                      # backward through the add gate
        assert shown_row(app, "q")[0] == "▶"
        assert shown_row(app, "x") == ["", "x", "input", "-2", "-4", "1/1"]
        assert shown_row(app, "y") == ["", "y", "input", "5", "-4", "1/1"]
        await pilot.press("p")                      # back: dx and dy not arrived yet
        assert shown_row(app, "x") == ["", "x", "input", "-2", "—", "0/1"]
        assert shown_row(app, "y") == ["", "y", "input", "5", "—", "0/1"]
        assert shown_row(app, "f") == ["▶", "f", "*", "-12", "1", ""]
        await pilot.press("p", "p", "p")            # back to step 1: no gradient, no f
        assert shown_row(app, "q") == ["▶", "q", "+", "3", "—", "0/1"]
        assert shown_row(app, "f") == ["", "f", "*", "—", "—", ""]
        assert shown_row(app, "z") == ["", "z", "input", "-4", "—", "0/1"]


async def test_values_panel_repaints_every_changed_row_forward_and_back():
    """Stepping repaints only the rows that changed: what the screen shows must equal
    the table built from scratch at every step, forward and back."""
    app = create_app("cs231n-staged", lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        values = app.debugger.values
        n = len(app.session.timeline)
        for key in ["right"] * (n - 1) + ["left"] * (n - 1):
            await pilot.press(key)
            table, screen = values.plain_lines, shown(app)
            assert screen[:len(table)] == table, f"step {app.cursor + 1}"
            assert not any(screen[len(table):])     # blank below the last node


async def test_values_panel_click_and_keys_select_a_node():
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        values = app.debugger.values
        # rows start under the border and the header: z is the third row
        await pilot.click(values, offset=(6, 2 + 2))
        assert app.selected == "z"
        assert "selected  z" in app.debugger.inspector.plain
        assert values.has_focus and values.cursor_row == 2
        await pilot.press("n")                      # stepping keeps the selection
        assert app.selected == "z" and values.cursor_row == 2
        await pilot.press("up", "up", "enter")      # the keyboard selects too
        assert app.selected == "x"
        assert "selected  x" in app.debugger.inspector.plain


async def test_values_panel_keeps_the_current_node_in_view():
    """At 80×24 the table shows a few of the 2-2-2 network's nodes: stepping through
    the forward pass and back, the current node's row stays on screen."""
    app = create_app("network-2-2-2", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("i")                      # the values table instead
        tl = app.session.timeline
        rows = len(shown(app)) - 1
        assert rows < len(tl.graph.nodes) // 2      # the table does scroll
        for key in ["right"] * 12 + ["end"] + ["left"] * 6 + ["home"]:
            await pilot.press(key)
            step = tl[app.cursor]
            if step.phase in ("forward", "backward"):
                assert shown_row(app, step.node)[0] == "▶", (app.cursor, shown(app))


async def test_help_shows_the_description_as_literal_reflowed_text():
    # descriptions are untrusted plain text: Markdown emphasis and Rich markup must
    # appear literally, and hard-wrapped lines join into one paragraph
    from textual.widgets import Static

    from tui_backprop.engine import load_text

    text = ('title = "t"\ndescription = """\nw0*x0 + w1*x1 [bold]not markup[/bold]\n'
            'and more\n\n- a list item\n"""\n[inputs]\nx = 1\n[graph]\ncode = "f = x * 2"\n')
    app = create_app(load_text(text), lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one(".scenario-description", Static).render())
        assert shown == "w0*x0 + w1*x1 [bold]not markup[/bold] and more\n\n- a list item"


async def test_picker_filters_as_you_type_and_enter_opens_the_highlighted_match():
    app = create_app(None, lang="en", ascii=False)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        choices = app.screen.query_one(OptionList)
        everything = choices.option_count
        await pilot.press(*"network")      # the text field has the focus: it filters
        await pilot.pause()
        shown = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert 0 < len(shown) < everything
        assert all(i is None or "network" in i.casefold() for i in shown), shown
        await pilot.press("enter")         # the first match, not the text "network"
        await pilot.pause()
        assert app.session is not None and app.load_error is None
        assert "network" in app.session.scenario.path
