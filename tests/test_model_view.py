"""The presentation model: step views and node views say what the lecture notes say, with
numbers derived here by hand or in closed form, and the quiz masking hook hides exactly
the numbers a step computes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tui_backprop.engine import load, load_text, record
from tui_backprop.model.view import (
    Num,
    hide_new,
    hide_slots,
    node_view,
    node_views,
    step_view,
)
from tui_backprop.text.catalogue import messages

ADD_MUL = '''title = "t"
[inputs]
x = -2
y = 5
z = -4
[graph]
code = """
q = x + y
f = q * z
"""
'''

TINY = '''title = "tiny regression"
[inputs]
x = 1.5
t = 0.5
[params]
w = 0.8
b = -0.3
[graph]
code = """
p = w * x + b
f = (p - t) ** 2
"""
[train]
learning_rate = 0.1
iterations = 3
'''


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def scalar(num: Num | None) -> float:
    assert num is not None
    return float(num.value)


@pytest.fixture(scope="module")
def add_mul():
    return record(load_text(ADD_MUL).graph)


# ----------------------------------------------------------------- the CS231n numbers


def test_add_mul_forward_views(add_mul):
    # q = x + y = 3 with local gradients 1 and 1; f = q·z = -12 with dq = z, dz = q
    q, f = step_view(add_mul, 0), step_view(add_mul, 1)
    assert (q.phase, q.gate.node, q.gate.op, q.gate.label) == ("forward", "q", "add", "+")
    assert q.gate.formula.text == "x + y"
    assert [(i.name, scalar(i.value)) for i in q.inputs] == [("x", -2.0), ("y", 5.0)]
    assert [scalar(i.local.value) for i in q.inputs] == [1.0, 1.0]
    assert scalar(q.output) == 3.0
    assert f.gate.formula.text == "q·z"
    assert [(i.local.formula.text, scalar(i.local.value)) for i in f.inputs] == [
        ("z", -4.0), ("q", 3.0)]
    assert scalar(f.output) == -12.0 and f.loss is f.output
    assert (f.index, f.count, f.iteration, f.output_name) == (1, 5, 1, "f")


def test_add_mul_backward_views(add_mul):
    seed, back_f, back_q = (step_view(add_mul, k) for k in (2, 3, 4))
    assert seed.phase == "seed" and seed.node == "f" and scalar(seed.seed) == 1.0
    # the mul gate: upstream 1, contributions dq = z·1 = -4 and dz = q·1 = 3
    assert scalar(back_f.upstream) == 1.0
    assert [(i.name, scalar(i.chain.contribution)) for i in back_f.inputs] == [
        ("q", -4.0), ("z", 3.0)]
    # the add gate: upstream -4 reaches x and y unchanged: dx = dy = -4
    assert scalar(back_q.upstream) == -4.0
    for inp in back_q.inputs:
        assert inp.chain.how == "scalar" and inp.chain.upstream is back_q.upstream
        assert scalar(inp.chain.local) == 1.0
        acc = inp.accumulate
        assert (scalar(acc.grad_before), scalar(acc.contribution), scalar(acc.grad_after)) == (
            0.0, -4.0, -4.0)
        assert (acc.k, acc.n) == (1, 1)
    final = {v.name: v for v in node_views(add_mul, 4)}
    assert {n: scalar(final[n].grad) for n in "xyz"} == {"x": -4.0, "y": -4.0, "z": 3.0}
    assert scalar(final["f"].value) == -12.0


def test_views_carry_the_engines_own_numbers(add_mul):
    """No number is copied or reformatted: renderers format it with numfmt."""
    step = add_mul[1]
    view = step_view(add_mul, 1)
    assert view.output.value is step.output
    assert view.inputs[0].local.value.value is step.inputs[0].local_grad
    assert view.output.text() == "-12" and view.output.text(full=True) == "-12.0"


def test_explanations_are_messages(add_mul):
    fwd, seed, back = step_view(add_mul, 1), step_view(add_mul, 2), step_view(add_mul, 3)
    assert [m.key for m in fwd.explanation] == ["gate.mul.forward", "explain.forward.local_now"]
    assert dict(fwd.explanation[0].params) == {"a": "q", "b": "z", "c": ""}
    assert [m.key for m in seed.explanation] == ["explain.seed.scalar"]
    assert [m.key for m in back.explanation] == ["gate.mul.backward"]
    en, zh = messages("en"), messages("zh")
    assert "swaps its inputs" in en.sentences(back.explanation)
    assert "交换" in zh.sentences(back.explanation)


def test_sigmoid_neuron_along_the_chain():
    # f = 1/(1 + exp(-(w0·x0 + w1·x1 + w2))) at w = (2, -3, -3), x = (-1, -2): the
    # weighted sum is 1, f = σ(1) ≈ 0.73; back through 1/x the local gradient is -1/d²
    # with d = 1 + e^-1, and exp's contribution is e^-1 · (-1/d²) (the CS231n notes)
    tl = record(load("cs231n-sigmoid").graph)
    d = 1.0 + math.exp(-1.0)
    views = [step_view(tl, k) for k in range(len(tl))]
    last_forward = [v for v in views if v.phase == "forward"][-1]
    assert scalar(last_forward.output) == pytest.approx(sigmoid(1.0), rel=1e-12)
    assert scalar(last_forward.output) == pytest.approx(0.73, abs=0.005)
    backward = {v.gate.label: v for v in views if v.phase == "backward"}
    inv = backward["1/x"].inputs[0]
    assert scalar(inv.local.value) == pytest.approx(-1.0 / d**2, rel=1e-12)
    exp = backward["exp"]
    assert scalar(exp.upstream) == pytest.approx(-1.0 / d**2, rel=1e-12)
    assert scalar(exp.inputs[0].chain.contribution) == pytest.approx(
        -math.exp(-1.0) / d**2, rel=1e-12)


def test_fused_sigmoid_local_gradient_is_f_times_one_minus_f():
    tl = record(load("cs231n-sigmoid-fused").graph)
    sig = next(step_view(tl, k) for k in range(len(tl))
               if tl[k].phase == "forward" and tl[k].op == "sigmoid")
    f = sigmoid(1.0)
    assert scalar(sig.output) == pytest.approx(f, rel=1e-12)
    assert scalar(sig.inputs[0].local.value) == pytest.approx(f * (1 - f), rel=1e-12)
    assert sig.inputs[0].local.formula.text.startswith("σ(")
    assert [c.key for c in sig.cache] == ["out"]


def test_fan_out_is_k_of_n_with_before_and_after():
    # CS231n staged example at x = 3, y = -4: x feeds three gates, so dx arrives in three
    # += steps; dx in closed form from f = (x + σ(y)) / (σ(x) + (x + y)²)
    x, y = 3.0, -4.0
    sx, sy = sigmoid(x), sigmoid(y)
    den, num = sx + (x + y) ** 2, x + sy
    dx = 1.0 / den - num / den**2 * (sx * (1 - sx) + 2 * (x + y))
    tl = record(load("cs231n-staged").graph)
    accs = [i.accumulate for k in range(len(tl)) if tl[k].phase == "backward"
            for i in step_view(tl, k).inputs if i.name == "x"]
    assert [(a.k, a.n) for a in accs] == [(1, 3), (2, 3), (3, 3)]
    assert scalar(accs[0].grad_before) == 0.0
    for prev, cur in zip(accs, accs[1:], strict=False):
        assert scalar(cur.grad_before) == scalar(prev.grad_after)
    assert scalar(accs[-1].grad_after) == pytest.approx(dx, rel=1e-12)
    assert [scalar(t) for t in accs[-1].terms] == [scalar(a.contribution) for a in accs]
    # the backward step that first adds into a fanned-out input says so
    first = next(step_view(tl, k) for k in range(len(tl)) if tl[k].phase == "backward"
                 and any(i.name == "x" for i in tl[k].inputs))
    fan_out = [dict(m.params) for m in first.explanation if m.key == "explain.backward.fan_out"]
    assert fan_out == [{"name": "x", "uses": 3}]
    end = node_view(tl, len(tl) - 1, "x")
    assert (len(end.received), end.expected) == (3, 3)


def test_one_gate_adding_twice_into_the_same_input():
    # f = x·x at x = 3: df/dx = 2x = 6, arriving as two += of 3 in the same step
    tl = record(load_text('title = "t"\n[inputs]\nx = 3\n[graph]\ncode = "f = x * x"\n').graph)
    back = step_view(tl, len(tl) - 1)
    first, second = (i.accumulate for i in back.inputs)
    assert [(a.k, a.n) for a in (first, second)] == [(1, 2), (2, 2)]
    assert [scalar(a.grad_before) for a in (first, second)] == [0.0, 3.0]
    assert scalar(second.grad_after) == 6.0
    assert second.terms == (first.contribution, second.contribution)


def test_update_view_is_one_sgd_step():
    # p = w·x + b = 0.9, f = (p - t)² = 0.16; dw = 2(p - t)·x = 1.2, db = 2(p - t) = 0.8;
    # with learning rate 0.1: w = 0.8 - 0.12 = 0.68, b = -0.3 - 0.08 = -0.38
    sc = load_text(TINY)
    tl = record(sc.graph, learning_rate=sc.learning_rate)
    view = step_view(tl, len(tl) - 1)
    assert view.phase == "update" and scalar(view.learning_rate) == 0.1
    got = {u.name: (scalar(u.before), scalar(u.grad), scalar(u.after)) for u in view.updates}
    assert got["w"] == pytest.approx((0.8, 1.2, 0.68), rel=1e-12)
    assert got["b"] == pytest.approx((-0.3, 0.8, -0.38), rel=1e-12)
    assert [m.key for m in view.explanation] == ["explain.update"]


def test_jacobian_gates_have_no_local_array_but_a_formula():
    tl = record(load("vectorised-matmul").graph)
    mm = next(step_view(tl, k) for k in range(len(tl))
              if tl[k].phase == "backward" and tl[k].op == "matmul")
    for inp in mm.inputs:
        assert inp.local.value is None and inp.chain.how == "vjp"
        assert "upstream" in inp.local.formula.text  # the JSON's (language-free) words
        assert "上游梯度" in inp.local.formula.render(messages("zh"))


def test_broadcast_input_is_summed_back():
    sc = load_text('title = "t"\n[inputs]\na = [[1.0, 2.0], [3.0, 4.0]]\nb = [10.0, 20.0]\n'
                   '[graph]\ncode = "f = sum(a + b)"\n')
    tl = record(sc.graph)
    add = next(step_view(tl, k) for k in range(len(tl))
               if tl[k].phase == "backward" and tl[k].op == "add")
    a, b = add.inputs
    assert a.chain.how == "elementwise" and a.chain.summed_to is None
    assert b.chain.summed_to == (2,)
    np.testing.assert_array_equal(b.chain.contribution.value, [2.0, 2.0])  # used twice


# ----------------------------------------------------------------------- masking


def test_hide_new_hides_what_a_forward_step_computes(add_mul):
    view = step_view(add_mul, 1, hide=hide_new)
    hidden = {n.slot for n in view.numbers() if n.hidden}
    assert hidden == {"output", "input.0.local", "input.1.local"}
    assert view.output.text() == "?" and view.loss.text() == "?"  # the loss is the output
    assert [i.value.text() for i in view.inputs] == ["3", "-4"]  # what it reads stays
    assert [n.slot for n in view.new_numbers()] == ["input.0.local", "input.1.local", "output"]


def test_hide_new_hides_what_a_backward_step_computes(add_mul):
    view = step_view(add_mul, 4, hide=hide_new)
    shown = {n.slot: n.text() for n in view.numbers() if not n.hidden}
    hidden = {n.slot for n in view.numbers() if n.hidden}
    assert hidden == {f"input.{i}.{what}" for i in (0, 1) for what in
                      ("contribution", "grad_after")}
    assert shown == {"upstream": "-4", "input.0.local": "1", "input.1.local": "1",
                     "input.0.grad_before": "0", "input.1.grad_before": "0", "loss": "-12"}
    # the chain line and the += line show the same hidden number
    inp = view.inputs[0]
    assert inp.chain.contribution is inp.accumulate.contribution is inp.accumulate.terms[-1]


def test_masking_changes_nothing_but_the_hidden_flag(add_mul):
    for k in range(len(add_mul)):
        plain = list(step_view(add_mul, k).numbers())
        masked = list(step_view(add_mul, k, hide=hide_new).numbers())
        assert [(n.slot, n.role, n.new) for n in plain] == [
            (n.slot, n.role, n.new) for n in masked]
        assert all(a.value is b.value for a, b in zip(plain, masked, strict=True))
        assert not any(n.hidden for n in plain)
        assert [n.hidden for n in masked] == [n.new for n in masked]


def test_hide_slots_hides_one_number(add_mul):
    view = step_view(add_mul, 1, hide=hide_slots("output"))
    assert [n.slot for n in view.numbers() if n.hidden] == ["output"]


def test_node_views_follow_the_same_mask(add_mul):
    # at step 1 (f = q·z) the values table must not give f away; q, z stay visible
    nodes = {v.name: v for v in node_views(add_mul, 1, hide=hide_new)}
    assert nodes["f"].value.hidden and nodes["f"].current
    assert not nodes["q"].value.hidden and nodes["q"].value.text() == "3"
    # at step 4 the gradients x and y receive are new; z's (from step 3) is not
    nodes = {v.name: v for v in node_views(add_mul, 4, hide=hide_new)}
    assert nodes["x"].grad.hidden and nodes["y"].grad.hidden
    assert not nodes["z"].grad.hidden and nodes["z"].grad.text() == "3"
    assert nodes["x"].received[0].contribution.hidden
    # nothing reached x before step 4
    assert node_view(add_mul, 3, "x").grad is None


def test_update_masks_the_new_params():
    sc = load_text(TINY)
    tl = record(sc.graph, learning_rate=sc.learning_rate)
    k = len(tl) - 1
    view = step_view(tl, k, hide=hide_new)
    assert all(u.after.hidden and not u.before.hidden and not u.grad.hidden
               for u in view.updates)
    assert node_view(tl, k, "w", hide=hide_new).value.hidden
    assert not node_view(tl, k, "x", hide=hide_new).value.hidden
