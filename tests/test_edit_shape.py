"""An edit changes a leaf's numbers, never its shape (QA: ``w0 = [1, 2]`` in
cs231n-sigmoid was accepted and turned the graph's scalars into vectors).

The rule lives in the engine (``Graph.with_leaf``), so every way a value reaches a leaf
goes through it: the ``e`` dialog, ``Session.with_leaf`` and a presenter's edits that a
follower rebuilds with ``Scenario.with_leaf``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_tui_robust import shown_in
from textual.widgets import Input, Label

from tui_backprop.engine import ScenarioError, load, parse_typed_value
from tui_backprop.model.session import Session
from tui_backprop.text.catalogue import messages
from tui_backprop.tui.app import create_app
from tui_backprop.tui.edit import EditScreen


def refusal(scenario, name, value, lang="en") -> str:
    with pytest.raises(ScenarioError) as info:
        scenario.with_leaf(name, value)
    (d,) = info.value.errors
    return d.text(messages(lang))


@pytest.mark.parametrize("name,value,en,zh", [
    ("w0", [1, 2], "w0 is a scalar: enter one number, not a list of 2 numbers",
     "w0 是标量：请输入一个数，而不是含 2 个数的列表"),
    ("w0", [[1.0]], "w0 is a scalar: enter one number, not a 1×1 nested list",
     "w0 是标量：请输入一个数，而不是 1×1 的嵌套列表"),
])
def test_a_scalar_leaf_refuses_a_list(name, value, en, zh):
    s = load("cs231n-sigmoid")
    assert refusal(s, name, value) == en
    assert refusal(s, name, value, "zh") == zh


@pytest.mark.parametrize("name,value,en", [
    ("W1", [[1, 2], [3, 4], [5, 6]],
     "W1 is 2×2: enter a 2×2 nested list, not a 3×2 nested list"),
    ("W1", 7.0, "W1 is 2×2: enter a 2×2 nested list, not one number"),
    ("b1", [1.0], "b1 is a vector of 2: enter a list of 2 numbers, not a list of 1 number"),
    ("b1", [[1, 2]], "b1 is a vector of 2: enter a list of 2 numbers, not a 1×2 nested list"),
])
def test_array_leaves_refuse_other_shapes(name, value, en):
    assert refusal(load("network-2-2-2"), name, value) == en


def test_the_shape_rule_covers_the_session_and_keeps_the_last_good_state():
    scenario = load("cs231n-sigmoid")
    session = Session.start(scenario)
    g = scenario.graph
    with pytest.raises(ScenarioError):
        g.with_leaf("w0", np.array([1.0, 2.0]))
    # the graph the refusal came from is untouched: w0 still the scalar 2
    assert g.node("w0").shape == () and float(g.leaf_values["w0"]) == 2.0
    assert all(n.shape == () for n in g.nodes)
    with pytest.raises(ScenarioError):
        session.with_leaf("w0", [1, 2])
    assert float(session.graph.leaf_values["w0"]) == 2.0


def test_values_of_the_right_shape_are_taken_exactly_inf_and_nan_included():
    s = load("cs231n-sigmoid")
    for typed in ("nan", "inf", "-inf", "0.1"):
        v = float(s.with_leaf("w0", parse_typed_value(typed)).graph.leaf_values["w0"])
        want = float(typed)
        assert (math.isnan(v) and math.isnan(want)) or v == want
    n = load("network-2-2-2")
    w = n.with_leaf("W1", parse_typed_value("[[0.1, inf], [nan, -3]]")).graph.leaf_values["W1"]
    assert w.shape == (2, 2) and w[0, 0] == 0.1 and w[0, 1] == np.inf
    assert np.isnan(w[1, 0]) and w[1, 1] == -3.0


@pytest.mark.parametrize("lang,words", [
    ("en", "w0 is a scalar: enter one number"),
    ("zh", "w0 是标量：请输入一个数"),
])
async def test_the_dialog_says_the_shape_and_stays_open(lang, words):
    app = create_app("cs231n-sigmoid", lang=lang, ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.selected = "w0"
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, EditScreen)
        dialog.query_one(Input).value = "[1, 2]"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog                         # still open
        assert dialog.query_one(Input).value == "[1, 2]"    # with the text
        assert shown_in(app, dialog.query_one("#error", Label), words)
        graph = app.session.graph
        assert graph.node("w0").shape == () and float(graph.leaf_values["w0"]) == 2.0
        # a number is taken: w0 = 3 gives f = 1 / (1 + e^-(3*-1 + -3*-2 + -3)) = 1/2
        dialog.query_one(Input).value = "3"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, EditScreen)
        assert float(app.session.graph.leaf_values["w0"]) == 3.0
        assert float(app.session.timeline.value_at("f", len(app.session.timeline) - 1)) == 0.5
