"""The bundled scenarios: each loads, passes the gradient check, and reproduces the
numbers its source publishes (CS231n notes, the 2-2-2 worked example) or an independent
numpy computation written here. Nothing below is copied from the engine's own output.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from tui_backprop.engine import (
    bundled,
    evaluate,
    gradcheck,
    load,
    load_text,
    record,
    train,
)

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
NAMES = sorted(p.stem for p in SCENARIOS.glob("*.toml"))

#: Scenarios that break on purpose: they are checked for where the NaN appears instead.
NON_FINITE = {"nan-explosion"}

REQUIRED = {"add-mul", "cs231n-sigmoid", "cs231n-sigmoid-fused", "cs231n-staged",
            "gate-routing", "vectorised-matmul", "network-2-2-2", "softmax-classifier",
            "nan-explosion"}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def grads_of(name):
    s = load(name)
    ev = evaluate(s.graph)
    return s, float(np.asarray(ev.output)), ev.grads


# ---------------------------------------------------------------------- all of them


def test_the_required_scenarios_are_bundled():
    assert REQUIRED <= set(NAMES)
    assert sorted(n for n, _ in bundled()) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_scenario_loads_with_a_teaching_description(name):
    s = load(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert s.title.strip()
    # a description that teaches: several lines, in the lecture's vocabulary
    assert len(s.description.strip().splitlines()) >= 4
    assert re.search(r"upstream|local gradient|\+=|contribution|distribut|swap|rout",
                     s.description)


@pytest.mark.parametrize("name", sorted(set(NAMES) - NON_FINITE))
def test_scenario_passes_the_gradient_check(name):
    s = load(name)
    rows = gradcheck(s.graph)
    assert rows, "nothing was checked"
    worst = max(rows, key=lambda r: r.rel_error)
    assert all(r.passed(1e-6) for r in rows), (
        f"{worst.name}: analytic {worst.analytic} vs numerical {worst.numerical}")


@pytest.mark.parametrize("name", sorted(set(NAMES) - NON_FINITE))
def test_scenario_records_finite_steps_in_order(name):
    s = load(name)
    tl = record(s.graph, iterations=1, learning_rate=s.learning_rate)
    assert tl.first_nonfinite is None
    phases = [st.phase for st in tl.steps]
    gates = len(s.graph.gates)
    expected = ["forward"] * gates + ["seed"] + ["backward"] * gates
    assert phases == expected + (["update"] if s.trains else [])
    forward = [st.node for st in tl.steps if st.phase == "forward"]
    backward = [st.node for st in tl.steps if st.phase == "backward"]
    assert backward == forward[::-1]


# ------------------------------------------------------------------------ add-mul


def test_add_mul_matches_the_cs231n_notes():
    s, f, g = grads_of("add-mul")
    assert f == -12.0
    assert (float(g["x"]), float(g["y"]), float(g["z"])) == (-4.0, -4.0, 3.0)
    assert [n.label for n in s.graph.gates] == ["+", "*"]


# ---------------------------------------------------------------- sigmoid neuron


@pytest.mark.parametrize("name,labels", [
    ("cs231n-sigmoid", ["*", "*", "+", "+", "*-1", "exp", "+1", "1/x"]),
    ("cs231n-sigmoid-fused", ["*", "*", "+", "+", "σ"]),
])
def test_sigmoid_neuron_matches_the_cs231n_notes(name, labels):
    s, f, g = grads_of(name)
    assert [n.label for n in s.graph.gates] == labels
    # the notes' figures
    assert f == pytest.approx(0.73, abs=0.005)
    assert [float(g["x0"]), float(g["x1"])] == pytest.approx([0.39, -0.59], abs=0.005)
    assert [float(g["w0"]), float(g["w1"]), float(g["w2"])] == pytest.approx(
        [-0.20, -0.39, 0.20], abs=0.005)
    # and exactly, from the notes' own code: ddot = (1 - f) * f
    w, x = np.array([2.0, -3.0, -3.0]), np.array([-1.0, -2.0])
    fx = sigmoid(w[0] * x[0] + w[1] * x[1] + w[2])
    ddot = (1 - fx) * fx
    assert f == pytest.approx(fx, rel=1e-14)
    np.testing.assert_allclose([g["x0"], g["x1"]], [w[0] * ddot, w[1] * ddot], rtol=1e-13)
    np.testing.assert_allclose([g["w0"], g["w1"], g["w2"]],
                               [x[0] * ddot, x[1] * ddot, 1.0 * ddot], rtol=1e-13)


def test_eight_gate_backward_passes_the_notes_intermediate_gradients():
    s = load("cs231n-sigmoid")
    tl = record(s.graph)
    up = {st.label: float(st.upstream) for st in tl.steps if st.phase == "backward"}
    d = 1 + np.exp(-1.0)
    assert up["1/x"] == 1.0
    assert up["+1"] == pytest.approx(-1 / d**2, rel=1e-14)  # ≈ -0.53
    assert up["exp"] == pytest.approx(-1 / d**2, rel=1e-14)
    assert up["*-1"] == pytest.approx(-np.exp(-1.0) / d**2, rel=1e-14)  # ≈ -0.20


# --------------------------------------------------------------------- staged


def _staged_by_hand(x, y):
    """The CS231n notes' staged forward and backward code, in numpy."""
    sigy = 1.0 / (1 + np.exp(-y))
    num = x + sigy
    sigx = 1.0 / (1 + np.exp(-x))
    xpy = x + y
    xpysqr = xpy**2
    den = sigx + xpysqr
    invden = 1.0 / den
    f = num * invden
    dnum = invden
    dinvden = num
    dden = (-1.0 / (den**2)) * dinvden
    dsigx = dden
    dxpysqr = dden
    dxpy = (2 * xpy) * dxpysqr
    dx_from_xpy = dxpy
    dy_from_xpy = dxpy
    dx_from_sigx = ((1 - sigx) * sigx) * dsigx
    dx_from_num = dnum
    dsigy = dnum
    dy_from_sigy = ((1 - sigy) * sigy) * dsigy
    return f, [dx_from_xpy, dx_from_sigx, dx_from_num], [dy_from_xpy, dy_from_sigy]


def test_staged_example_matches_the_notes_backprop_code():
    s, f, g = grads_of("cs231n-staged")
    ef, dxs, dys = _staged_by_hand(3.0, -4.0)
    assert f == pytest.approx(ef, rel=1e-14)
    assert float(g["x"]) == pytest.approx(sum(dxs), rel=1e-13)
    assert float(g["y"]) == pytest.approx(sum(dys), rel=1e-13)
    assert [n.name for n in s.graph.gates] == ["sigy", "num", "sigx", "xpy", "xpysqr", "den",
                                               "invden", "f"]


def test_staged_example_shows_every_plus_equals():
    s = load("cs231n-staged")
    tl = record(s.graph)
    last = len(tl) - 1
    _, dxs, dys = _staged_by_hand(3.0, -4.0)
    for name, expected, gates in (("x", dxs, ["xpy", "sigx", "num"]),
                                  ("y", dys, ["xpy", "sigy"])):
        contribs = tl.contributions_at(name, last)
        assert [c.gate for c in contribs] == gates  # reverse forward order
        assert tl.expected_contributions(name) == len(gates)
        running = 0.0
        for c, e in zip(contribs, expected, strict=True):
            assert float(c.contribution) == pytest.approx(e, rel=1e-13)
            assert float(c.grad_before) == pytest.approx(running, rel=1e-13, abs=0)
            running += e
            assert float(c.grad_after) == pytest.approx(running, rel=1e-13)


# ---------------------------------------------------------------- gate routing


def test_gate_routing_distributes_swaps_and_routes():
    s, f, g = grads_of("gate-routing")
    x, y, z, w = 3.0, -4.0, 2.0, -1.0
    assert f == 2 * (x * y + max(z, w))
    assert float(g["x"]) == 2 * y  # mul swaps: -8
    assert float(g["y"]) == 2 * x  # 6
    assert float(g["z"]) == 2.0  # max routes all of it to the larger input
    assert float(g["w"]) == 0.0
    tl = record(s.graph)
    add = tl[tl.backward_step_of("s")]
    assert [float(i.contribution) for i in add.inputs] == [2.0, 2.0]  # add distributes


def test_gate_routing_max_follows_the_larger_input():
    s = load("gate-routing").with_leaf("w", 5.0)
    g = evaluate(s.graph).grads
    assert (float(g["z"]), float(g["w"])) == (0.0, 2.0)


# ------------------------------------------------------------- vectorised matmul


def test_vectorised_arrays_are_generated_as_the_description_says():
    data = tomllib.loads((SCENARIOS / "vectorised-matmul.toml").read_text("utf-8"))
    assert "default_rng(231)" in data["description"]
    rng = np.random.default_rng(231)
    np.testing.assert_array_equal(data["params"]["W"], rng.standard_normal((5, 10)).round(4))
    np.testing.assert_array_equal(data["inputs"]["X"], rng.standard_normal((10, 3)).round(4))
    np.testing.assert_array_equal(data["inputs"]["G"], rng.standard_normal((5, 3)).round(4))


def test_vectorised_matmul_gradients_are_dD_times_transposes():
    s, f, g = grads_of("vectorised-matmul")
    W, X, G = (np.asarray(s.graph.leaf_values[k]) for k in ("W", "X", "G"))
    assert s.graph.node("D").shape == (5, 3)
    assert f == pytest.approx(np.sum((W @ X) * G), rel=1e-13)
    np.testing.assert_allclose(g["W"], G @ X.T, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(g["X"], W.T @ G, rtol=1e-13, atol=1e-14)
    tl = record(s.graph)
    step = tl[tl.backward_step_of("D")]
    np.testing.assert_allclose(step.upstream, G, rtol=0, atol=0)  # the mul gate swapped
    assert [i.contribution.shape for i in step.inputs] == [(5, 10), (10, 3)]


# ------------------------------------------------------------------- 2-2-2 network


def test_network_2_2_2_reproduces_the_worked_example():
    s = load("network-2-2-2")
    assert s.kind == "network" and s.learning_rate == 0.5 and s.iterations == 1
    tl = record(s.graph, iterations=s.iterations, learning_rate=s.learning_rate)
    # the worked example's published figures
    assert float(tl.losses[0]) == pytest.approx(0.298371109, abs=5e-10)
    outs = [float(tl.value_at(n, len(tl) - 1)) for n in ("h2_0", "h2_1")]
    assert outs == pytest.approx([0.75136507, 0.772928465], abs=5e-9)
    update = {p.name: p.after for p in tl[len(tl) - 1].params}
    assert update["W2"] == pytest.approx(np.array([[0.35891648, 0.408666186],
                                                   [0.511301270, 0.561370121]]), abs=5e-9)
    assert update["W1"] == pytest.approx(np.array([[0.149780716, 0.19956143],
                                                   [0.24975114, 0.29950229]]), abs=5e-9)
    # the fast path agrees with the recorded one
    fast = train(s.graph, 1, 0.5).graph.leaf_values
    for name, after in update.items():
        np.testing.assert_array_equal(fast[name], after)


def test_network_2_2_2_hidden_activations_fan_out():
    # each hidden activation feeds both output units: two += per backward pass, adding
    # up to the delta rule's sum_j W2[j,i] * delta_j, delta_j = (out_j - t_j) out_j (1-out_j)
    s = load("network-2-2-2")
    tl = record(s.graph)
    last = len(tl) - 1
    x, t = np.array([0.05, 0.10]), np.array([0.01, 0.99])
    W1, b1 = np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35])
    W2, b2 = np.array([[0.40, 0.45], [0.50, 0.55]]), np.array([0.60, 0.60])
    out = sigmoid(W2 @ sigmoid(W1 @ x + b1) + b2)
    delta = (out - t) * out * (1 - out)
    for i in range(2):
        readers = [g.name for g in s.graph.gates if any(r.node == f"h1_{i}" for r in g.inputs)]
        contribs = tl.contributions_at(f"h1_{i}", last)
        assert len(readers) == 2
        assert [c.gate for c in contribs] == readers[::-1]
        assert [float(c.contribution) for c in contribs] == pytest.approx(
            [W2[1, i] * delta[1], W2[0, i] * delta[0]], rel=1e-12)
        assert float(contribs[-1].grad_after) == pytest.approx(W2[:, i] @ delta, rel=1e-12)


# --------------------------------------------------------------- trained scenarios


@pytest.mark.parametrize("name", ["softmax-classifier", "relu-mlp", "bce-neuron"])
def test_training_scenarios_lower_the_loss(name):
    s = load(name)
    assert s.trains and s.iterations >= 20
    losses = [float(v) for v in train(s.graph, s.iterations, s.learning_rate).losses]
    assert len(losses) == s.iterations
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.2 * losses[0]
    # the recorded iterations give the same losses as the fast path
    tl = record(s.graph, iterations=3, learning_rate=s.learning_rate)
    assert [float(v) for v in tl.losses] == pytest.approx(losses[:3], rel=1e-12)


def test_softmax_classifier_loss_falls_every_iteration_from_a_numpy_start():
    s = load("softmax-classifier")
    assert s.iterations == 50 and s.graph.node("x").shape == (6, 3)
    x = np.asarray(s.graph.leaf_values["x"])
    y = np.asarray(s.graph.leaf_values["target"]).astype(int)
    # layer 1 drawn from the seed as documented: default_rng(7), std 1/sqrt(3), zero bias
    W = np.random.default_rng(7).standard_normal((3, 3)) / np.sqrt(3)
    b = np.zeros(3)
    losses = [float(v) for v in train(s.graph, s.iterations, s.learning_rate).losses]
    for it in range(s.iterations):  # plain SGD by hand
        z = x @ W.T + b
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        assert losses[it] == pytest.approx(-np.mean(np.log(p[np.arange(6), y])), rel=1e-10)
        dz = (p - np.eye(3)[y]) / 6
        W, b = W - s.learning_rate * dz.T @ x, b - s.learning_rate * dz.sum(axis=0)
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))


def test_bce_neuron_gradient_at_z_is_the_prediction_error():
    s = load("bce-neuron")
    X, t = np.asarray(s.graph.leaf_values["X"]), np.asarray(s.graph.leaf_values["t"])
    w, b = np.asarray(s.graph.leaf_values["w"]), float(s.graph.leaf_values["b"])
    p = sigmoid(X @ w + b)
    g = evaluate(s.graph).grads
    np.testing.assert_allclose(g["z"], (p - t) / 4, rtol=1e-12)
    np.testing.assert_allclose(g["w"], X.T @ ((p - t) / 4), rtol=1e-12)


# -------------------------------------------------------------------- nan-explosion


def test_nan_scenario_points_at_the_log_gate():
    s = load("nan-explosion")
    tl = record(s.graph)
    log_step = tl.forward_step_of("log_q")
    assert tl[log_step].op == "log"
    assert tl.first_nonfinite_forward == log_step
    assert tl.first_nonfinite == log_step
    assert tl.first_nonfinite_backward == tl.backward_step_of("log_q")
    # sigmoid(40) rounds to exactly 1 in float64, so 1 - p is 0 and log(0) = -inf
    assert float(tl.value_at("q", log_step)) == 0.0
    assert float(tl[log_step].output) == -np.inf
    # inf times the saturated sigmoid's local gradient 0 is nan
    sig = tl[tl.backward_step_of("p")]
    assert float(sig.upstream) == np.inf and float(sig.inputs[0].local_grad) == 0.0
    assert np.isnan(float(sig.inputs[0].contribution))
    g = evaluate(s.graph).grads
    assert np.isnan(float(g["w"])) and np.isnan(float(g["b"]))


def test_nan_scenario_is_finite_with_a_smaller_weight():
    s = load("nan-explosion").with_leaf("w", 2.0)
    tl = record(s.graph)
    assert tl.first_nonfinite is None
    assert all(r.passed(1e-6) for r in gradcheck(s.graph))


# ------------------------------------------------------ the format reference agrees


DOC = Path(__file__).resolve().parents[1] / "docs" / "scenario-format.md"


def test_format_reference_lists_every_bundled_scenario():
    doc = DOC.read_text("utf-8")
    for name in NAMES:
        assert f"| `{name}` |" in doc, name


def test_format_reference_limits_are_the_enforced_ones():
    from tui_backprop.engine import parse, scenario

    doc = DOC.read_text("utf-8")
    for const, value in (("MAX_FILE_BYTES", scenario.MAX_FILE_BYTES),
                         ("MAX_ARRAY_ELEMENTS", scenario.MAX_ARRAY_ELEMENTS),
                         ("MAX_ARRAY_DIMS", scenario.MAX_ARRAY_DIMS),
                         ("MAX_ITERATIONS", scenario.MAX_ITERATIONS)):
        assert re.search(rf"\| {value:,}( bytes)? \(`{const}`\) \|", doc), const
    assert f"| expression nesting | {parse.MAX_DEPTH} levels |" in doc
    from tui_backprop.engine import network

    assert f"| layers | {network.MAX_LAYERS} (`MAX_LAYERS`) |" in doc
    assert f"| gates | {parse.MAX_GATES:,} (`MAX_GATES`) |" in doc


def test_format_reference_toml_examples_load():
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text("utf-8"), re.S)
    complete = [b for b in blocks if b.startswith("title")]
    assert complete
    for block in complete:
        load_text(block)
