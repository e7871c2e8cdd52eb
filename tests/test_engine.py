"""Timeline semantics: what ``record`` writes down, step by step, and the lookups views use.

Expected numbers are derived by hand in the comments (CS231n notes' examples, Matt
Mazur's worked 2-2-2 network example) or computed by a separate numpy formula written
here; none is copied from the engine's output.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_backprop.engine import (
    BackwardStep,
    ForwardStep,
    SeedStep,
    UpdateStep,
    evaluate,
    gradcheck,
    load,
    load_text,
    record,
    rel_error,
    train,
)


def scenario(code: str, inputs: dict, params: dict | None = None, train_: str = "") -> str:
    def table(name, values):
        return f"[{name}]\n" + "".join(f"{k} = {v!r}\n" for k, v in values.items())
    text = 'title = "t"\n' + table("inputs", inputs)
    if params:
        text += table("params", params)
    return text + f'[graph]\ncode = """\n{code}\n"""\n' + train_


def graph_of(code: str, **inputs):
    return load_text(scenario(code, inputs)).graph


def phases(timeline) -> list[str]:
    return [s.phase for s in timeline.steps]


SIGMOID_NEURON = "f = 1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_VALUES = dict(w0=2.0, x0=-1.0, w1=-3.0, x1=-2.0, w2=-3.0)


# ------------------------------------------------------------------- step order


def test_forward_follows_source_order_and_backward_is_its_exact_reverse():
    t = record(graph_of(SIGMOID_NEURON, **NEURON_VALUES))
    order = ["f_1", "f_2", "f_3", "f_4", "f_5", "f_6", "f_7", "f"]  # inner first, left→right
    assert phases(t) == ["forward"] * 8 + ["seed"] + ["backward"] * 8
    assert [s.node for s in t.steps[:8]] == order
    assert [s.node for s in t.steps[9:]] == order[::-1]
    assert [s.index for s in t.steps] == list(range(len(t)))
    assert [s.label for s in t.steps[9:]] == ["1/x", "+1", "exp", "*-1", "+", "+", "*", "*"]
    assert all(s.iteration == 1 for s in t.steps)
    assert t.forward_step_of("f_3") == 2 and t.backward_step_of("f_3") == 14


def test_sigmoid_neuron_numbers_match_the_cs231n_notes():
    t = record(graph_of(SIGMOID_NEURON, **NEURON_VALUES))
    end = len(t) - 1
    # w·x = 2·-1 + -3·-2 + -3 = 1, f = σ(1) = 0.7311; σ'(1) = f(1-f) = 0.1966
    f = 1 / (1 + math.exp(-1.0))
    d = f * (1 - f)
    assert float(t.value_at("f", end)) == pytest.approx(f, rel=1e-15)
    for name, expected in [("w0", -1 * d), ("w1", -2 * d), ("w2", d), ("x0", 2 * d),
                           ("x1", -3 * d)]:
        assert float(t.grad_at(name, end)) == pytest.approx(expected, rel=1e-12), name
    # the notes' rounded figures: dx ≈ [0.39, -0.59], dw ≈ [-0.20, -0.39, 0.20]
    assert [round(float(t.grad_at(n, end)), 2) for n in ("x0", "x1")] == [0.39, -0.59]
    assert [round(float(t.grad_at(n, end)), 2) for n in ("w0", "w1", "w2")] == [
        -0.2, -0.39, 0.2]


def test_seed_is_one_for_a_scalar_output():
    t = record(graph_of("f = x * 3", x=2.0))
    seed = t.steps[1]
    assert isinstance(seed, SeedStep) and seed.node == "f"
    assert seed.grad.shape == () and float(seed.grad) == 1.0
    assert float(t[2].upstream) == 1.0


def test_seed_is_ones_for_a_non_scalar_output():
    t = record(graph_of("f = x * 3", x=[1.0, 2.0, 3.0]))
    seed = t.steps[1]
    assert seed.grad.shape == (3,)
    np.testing.assert_array_equal(seed.grad, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(t.grad_at("x", len(t) - 1), [3.0, 3.0, 3.0])


def test_forward_step_records_inputs_output_cache_and_local_gradients():
    t = record(graph_of("q = x + y\nf = sigmoid(q) * x", x=1.0, y=-1.0))
    fwd = t[t.forward_step_of("f_1")]  # sigmoid(q) with q = 0: output 0.5, keeps it
    assert isinstance(fwd, ForwardStep) and fwd.op == "sigmoid" and fwd.label == "σ"
    assert [(i.name, float(i.value)) for i in fwd.inputs] == [("q", 0.0)]
    assert float(fwd.output) == 0.5 and float(fwd.cache["out"]) == 0.5
    assert float(fwd.inputs[0].local_grad) == 0.25  # σ(0)(1-σ(0))
    mul = t[t.forward_step_of("f")]  # 0.5 * x: local gradients swap the inputs
    assert [(i.name, float(i.local_grad)) for i in mul.inputs] == [("f_1", 1.0), ("x", 0.5)]


# ------------------------------------------------------------------- fan-out


def test_staged_example_records_every_plus_equals_of_x_and_y():
    """CS231n staged backprop: f = (x + σ(y)) / (σ(x) + (x+y)²) at x = 3, y = -4."""
    code = "f = (x + sigmoid(y)) / (sigmoid(x) + (x + y) ** 2)"
    t = record(graph_of(code, x=3.0, y=-4.0))
    x, y = 3.0, -4.0
    sigy = 1 / (1 + math.exp(-y))
    num = x + sigy
    sigx = 1 / (1 + math.exp(-x))
    xpy = x + y
    den = sigx + xpy**2
    # backprop by hand, gate by gate (the notes' variable names)
    dnum = 1 / den
    dden = -num / den**2
    dsigx = dden
    dxpy = 2 * xpy * dden
    dx_from_xpy, dy_from_xpy = dxpy, dxpy  # the + gate distributes
    dx_from_sigx = sigx * (1 - sigx) * dsigx
    dx_from_num = dnum
    dy_from_sigy = sigy * (1 - sigy) * dnum

    assert [n.name for n in t.graph.gates] == ["f_1", "f_2", "f_3", "f_4", "f_5", "f_6", "f"]
    end = len(t) - 1
    xs = t.contributions_at("x", end)
    # x is used three times; backward meets x + y first, then σ(x), then x + σ(y)
    assert [(c.gate, c.ref) for c in xs] == [("f_4", "x"), ("f_3", "x"), ("f_2", "x")]
    expected = [dx_from_xpy, dx_from_sigx, dx_from_num]
    running = 0.0
    for c, e in zip(xs, expected, strict=True):
        assert float(c.contribution) == pytest.approx(e, rel=1e-13)
        assert float(c.grad_before) == running  # chained exactly: before = previous after
        running = float(c.grad_after)
        assert running == float(c.grad_before) + float(c.contribution)
    ys = t.contributions_at("y", end)
    assert [c.gate for c in ys] == ["f_4", "f_1"]
    assert float(ys[0].contribution) == pytest.approx(dy_from_xpy, rel=1e-13)
    assert float(ys[1].contribution) == pytest.approx(dy_from_sigy, rel=1e-13)
    assert float(ys[1].grad_before) == float(ys[0].grad_after)

    dx = dx_from_xpy + dx_from_sigx + dx_from_num
    dy = dy_from_xpy + dy_from_sigy
    assert float(t.grad_at("x", end)) == pytest.approx(dx, rel=1e-13)
    assert float(t.grad_at("y", end)) == pytest.approx(dy, rel=1e-13)

    # and an independent numerical reference on the plain formula
    def f(x, y):
        return (x + 1 / (1 + np.exp(-y))) / (1 / (1 + np.exp(-x)) + (x + y) ** 2)
    h = 1e-6
    assert dx == pytest.approx((f(3 + h, -4) - f(3 - h, -4)) / (2 * h), rel=1e-7)
    assert dy == pytest.approx((f(3, -4 + h) - f(3, -4 - h)) / (2 * h), rel=1e-7)
    assert t.expected_contributions("x") == 3 and t.expected_contributions("y") == 2

    # the backward step of the + gate x + y shows both += in its own entries
    step = t[t.backward_step_of("f_4")]
    assert isinstance(step, BackwardStep)
    assert [e.name for e in step.inputs] == ["x", "y"]
    assert float(step.upstream) == pytest.approx(dxpy, rel=1e-13)
    assert [float(e.local_grad) for e in step.inputs] == [1.0, 1.0]


def test_x_times_x_has_two_positional_entries():
    t = record(graph_of("f = x * x", x=3.0))
    (step,) = [s for s in t.steps if s.phase == "backward"]
    assert [e.name for e in step.inputs] == ["x", "x"]
    # each entry's local gradient is the *other* operand, 3; upstream is 1
    assert [float(e.local_grad) for e in step.inputs] == [3.0, 3.0]
    assert [float(e.contribution) for e in step.inputs] == [3.0, 3.0]
    assert [(float(e.grad_before), float(e.grad_after)) for e in step.inputs] == [
        (0.0, 3.0), (3.0, 6.0)]
    assert float(t.grad_at("x", len(t) - 1)) == 6.0  # d(x²)/dx = 2x


# ------------------------------------------------------- element refs (networks)


def _net_reference(W1, b1, W2, b2, x, target):
    """The 2-2-2 sigmoid network with ½Σ(o - t)², forward and backward in plain numpy."""
    h = 1 / (1 + np.exp(-(W1 @ x + b1)))
    o = 1 / (1 + np.exp(-(W2 @ h + b2)))
    loss = 0.5 * np.sum((o - target) ** 2)
    dz2 = (o - target) * o * (1 - o)
    dz1 = (W2.T @ dz2) * h * (1 - h)
    return loss, {"W1": np.outer(dz1, x), "b1": dz1, "W2": np.outer(dz2, h), "b2": dz2,
                  "x": W1.T @ dz1}


NET = dict(W1=np.array([[0.15, 0.20], [0.25, 0.30]]), b1=np.array([0.35, 0.35]),
           W2=np.array([[0.40, 0.45], [0.50, 0.55]]), b2=np.array([0.60, 0.60]),
           x=np.array([0.05, 0.10]), target=np.array([0.01, 0.99]))


def test_network_element_refs_accumulate_into_the_right_elements():
    s = load("network-2-2-2")
    t = record(s.graph, iterations=1, learning_rate=s.learning_rate)
    update = t.steps[-1]
    assert isinstance(update, UpdateStep)
    before_update = update.index - 1
    loss, grads = _net_reference(**NET)
    # Mazur's worked example: E_total = 0.298371109, dE/dw1 = 0.000438568,
    # dE/dw5 = 0.082167041
    assert float(t.losses[0]) == pytest.approx(0.298371109, abs=1e-9)
    assert float(t.grad_at("W1", before_update)[0, 0]) == pytest.approx(0.000438568, abs=1e-9)
    assert float(t.grad_at("W2", before_update)[0, 0]) == pytest.approx(0.082167041, abs=1e-9)
    for name in ("W1", "b1", "W2", "b2", "x"):
        np.testing.assert_allclose(t.grad_at(name, before_update), grads[name], rtol=1e-12,
                                   err_msg=name)
    # every weight is used once: one += each, into its own element
    w1 = t.contributions_at("W1", before_update)
    assert sorted(c.ref for c in w1) == ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]"]
    for c in w1:
        i, j = (int(v) for v in c.ref[3:-1].split(","))
        assert float(c.grad_before) == 0.0
        assert float(c.contribution) == pytest.approx(grads["W1"][i, j], rel=1e-12)
    # x[0] and x[1] each feed both hidden units: two += per element, chained per element
    xs = t.contributions_at("x", before_update)
    assert sorted(c.ref for c in xs) == ["x[0]", "x[0]", "x[1]", "x[1]"]
    for ref, k in (("x[0]", 0), ("x[1]", 1)):
        first, second = [c for c in xs if c.ref == ref]
        assert float(first.grad_before) == 0.0
        assert float(second.grad_before) == float(first.grad_after)
        assert float(second.grad_after) == pytest.approx(grads["x"][k], rel=1e-12)
        # each += is W1[j,k]·δ_j for one hidden unit j
        assert sorted([float(first.contribution), float(second.contribution)]) == \
            pytest.approx(sorted(NET["W1"][:, k] * (grads["b1"])), rel=1e-12)
    # the update: p - 0.5·dp; Mazur's new weights w1..w8
    params = {p.name: p for p in update.params}
    assert list(params) == ["W1", "b1", "W2", "b2"]
    np.testing.assert_allclose(params["W1"].after, [[0.149780716, 0.19956143],
                                                    [0.24975114, 0.29950229]], atol=1e-8)
    np.testing.assert_allclose(params["W2"].after, [[0.35891648, 0.408666186],
                                                    [0.511301270, 0.561370121]], atol=1e-8)
    for p in params.values():
        np.testing.assert_array_equal(p.after, p.before - 0.5 * p.grad)


# ------------------------------------------------------------------- immutability


def _arrays_of(step):
    for f in dataclasses.fields(step):
        v = getattr(step, f.name)
        if isinstance(v, np.ndarray):
            yield v
        elif isinstance(v, tuple):
            for item in v:
                if dataclasses.is_dataclass(item):
                    yield from _arrays_of(item)
        elif hasattr(v, "values"):  # the cache mapping
            yield from v.values()


def test_recorded_timeline_is_immutable():
    s = load("network-2-2-2")
    t = record(s.graph, iterations=2, learning_rate=0.5)
    count = 0
    for step in t.steps:
        for a in _arrays_of(step):
            count += 1
            assert not a.flags.writeable
        with pytest.raises(dataclasses.FrozenInstanceError):
            step.index = 99
    assert count > 200
    first = t[0]
    with pytest.raises(ValueError):
        first.output[...] = 1.0
    with pytest.raises(TypeError):
        first.cache["x"] = np.zeros(1)
    with pytest.raises(ValueError):
        t.grad_at("W1", len(t) - 1)[0, 0] = 0.0
    with pytest.raises(ValueError):
        t.graph.leaf_values["W1"][0, 0] = 0.0


def test_recording_does_not_share_state_between_timelines():
    g = graph_of("f = x * y", x=2.0, y=3.0)
    a = record(g)
    b = record(g.with_leaf("x", 5.0))  # changing an input rebuilds a new timeline
    assert float(a.value_at("f", 0)) == 6.0 and float(b.value_at("f", 0)) == 15.0
    assert float(a.grad_at("y", len(a) - 1)) == 2.0
    assert float(b.grad_at("y", len(b) - 1)) == 5.0


# ------------------------------------------------------------- lookups at a cursor


def test_value_grad_and_contributions_at_a_cursor():
    # (x + y) * z at x=-2, y=5, z=-4: q = 3, f = -12; dq = z = -4, dz = q = 3, dx = dy = -4
    t = record(graph_of("q = x + y\nf = q * z", x=-2.0, y=5.0, z=-4.0))
    assert phases(t) == ["forward", "forward", "seed", "backward", "backward"]
    assert float(t.value_at("x", 0)) == -2.0  # leaves hold their values from the start
    assert float(t.value_at("q", 0)) == 3.0
    assert t.value_at("f", 0) is None  # not computed yet at cursor 0
    assert float(t.value_at("f", 1)) == -12.0
    assert t.grad_at("f", 1) is None
    assert float(t.grad_at("f", 2)) == 1.0  # the seed
    assert t.grad_at("q", 2) is None
    assert float(t.grad_at("q", 3)) == -4.0 and float(t.grad_at("z", 3)) == 3.0
    assert t.grad_at("x", 3) is None and t.contributions_at("x", 3) == ()
    assert float(t.grad_at("x", 4)) == -4.0 and float(t.grad_at("y", 4)) == -4.0
    (c,) = t.contributions_at("x", 4)
    assert (c.step, c.gate, c.ref) == (4, "q", "x")
    assert (float(c.grad_before), float(c.contribution), float(c.grad_after)) == (
        0.0, -4.0, -4.0)
    assert t.phase_end(0, "forward") == 1 and t.phase_end(0, "backward") == 4


def test_lookups_restart_each_iteration():
    # f = w * x with w = 1, x = 2, lr = 0.25: df/dw = x = 2, so w goes 1 -> 0.5 -> 0
    text = scenario("f = w * x", {"x": 2.0}, {"w": 1.0},
                    "[train]\nlearning_rate = 0.25\niterations = 3\n")
    s = load_text(text)
    t = record(s.graph, iterations=s.iterations, learning_rate=s.learning_rate)
    assert [it.iteration for it in t.iterations] == [1, 2, 3]
    assert phases(t) == ["forward", "seed", "backward", "update"] * 3
    assert [float(v) for v in t.losses] == [2.0, 1.0, 0.0]
    second = t.iterations[1]
    assert t.iteration_of(second.start).iteration == 2
    assert float(t.value_at("w", second.start)) == 0.5
    assert float(t.value_at("w", second.start - 1)) == 0.5  # the update step's result
    assert float(t.value_at("w", second.start - 2)) == 1.0  # before that update
    assert t.grad_at("w", second.start) is None  # no gradient yet in iteration 2
    assert t.grad_at("f", second.start) is None
    assert float(t.grad_at("w", second.start + 2)) == 2.0
    assert len(t.contributions_at("w", second.end - 1)) == 1
    assert float(t.next_graph.leaf_values["w"]) == -0.5  # after the third update
    assert t.forward_step_of("f", 3) == t.iterations[2].start


def test_record_without_learning_rate_records_one_iteration():
    t = record(graph_of("f = x * 2", x=1.0), iterations=5)
    assert len(t.iterations) == 1 and phases(t) == ["forward", "seed", "backward"]


# ------------------------------------------------------------------- fast path


def test_train_fast_path_equals_recorded_iterations_and_numpy():
    s = load("network-2-2-2")
    n, lr = 25, 0.5
    fast = train(s.graph, n, lr)
    slow = record(s.graph, iterations=n, learning_rate=lr)
    assert len(fast.losses) == len(slow.losses) == n
    np.testing.assert_array_equal(np.array(fast.losses), np.array(slow.losses))
    for p in ("W1", "b1", "W2", "b2"):
        np.testing.assert_array_equal(fast.graph.leaf_values[p], slow.next_graph.leaf_values[p])
    # and against plain numpy SGD
    params = {k: NET[k].copy() for k in ("W1", "b1", "W2", "b2")}
    for i in range(n):
        loss, grads = _net_reference(**params, x=NET["x"], target=NET["target"])
        assert float(fast.losses[i]) == pytest.approx(loss, rel=1e-12)
        params = {k: v - lr * grads[k] for k, v in params.items()}
    for p, v in params.items():
        np.testing.assert_allclose(fast.graph.leaf_values[p], v, rtol=1e-12)


def test_train_reports_progress():
    seen = []
    train(load("network-2-2-2").graph, 200, 0.5, progress=lambda d, total: seen.append(
        (d, total)))
    assert seen and seen[-1] == (200, 200)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_evaluate_matches_the_recorded_pass():
    g = load("network-2-2-2").graph
    t = record(g)
    e = evaluate(g)
    end = len(t) - 1
    assert float(e.output) == float(t.losses[0])
    for leaf in ("W1", "b1", "W2", "b2", "x", "target"):
        np.testing.assert_array_equal(e.grads[leaf], t.grad_at(leaf, end))


# ----------------------------------------------------------- non-finite values


def _record_quietly(graph):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning escaping the engine fails
        return record(graph)


def test_log_of_zero_is_recorded_not_raised():
    t = _record_quietly(graph_of("a = x * 2\nb = log(a)\nc = b * 3\nd = exp(c)", x=0.0))
    # forward: a = 0 (finite), b = log 0 = -inf at step 1, c = -inf, d = exp(-inf) = 0
    assert float(t[0].output) == 0.0 and float(t[1].output) == -np.inf
    assert float(t[3].output) == 0.0
    assert t.first_nonfinite_forward == 1
    # backward: d (5) upstream 1, local exp(-inf) = 0 -> contribution 0; c (6) passes 0;
    # b (7): upstream 0 × local 1/a = 1/0 = inf -> 0·inf = NaN: the first bad gradient
    assert t[7].node == "b" and np.isnan(float(t[7].inputs[0].contribution))
    assert float(t[7].inputs[0].local_grad) == np.inf
    assert t.first_nonfinite_backward == 7
    assert t.first_nonfinite == 1


def test_exp_overflow_is_inf():
    t = _record_quietly(graph_of("f = exp(x)", x=1000.0))
    assert float(t[0].output) == np.inf and t.first_nonfinite_forward == 0
    assert float(t[2].inputs[0].contribution) == np.inf and t.first_nonfinite_backward == 2


def test_zero_over_zero_is_nan():
    t = _record_quietly(graph_of("f = x / y", x=0.0, y=0.0))
    assert np.isnan(float(t[0].output)) and t.first_nonfinite_forward == 0


def test_backward_only_blow_up_is_found_in_the_backward_phase():
    # sqrt(0) = 0 is finite, but its local gradient 1/(2·√0) is inf
    t = _record_quietly(graph_of("a = x * 1\nf = sqrt(a)", x=0.0))
    assert t.first_nonfinite_forward is None
    assert t[t.first_nonfinite_backward].node == "f"
    assert t.first_nonfinite == t.first_nonfinite_backward


def test_finite_run_has_no_nonfinite_step():
    t = _record_quietly(graph_of(SIGMOID_NEURON, **NEURON_VALUES))
    assert t.first_nonfinite_forward is None and t.first_nonfinite_backward is None
    assert t.first_nonfinite is None


def test_nan_input_propagates_through_relu_to_the_output():
    t = _record_quietly(graph_of("a = x * 2\nf = relu(a)", x=float("nan")))
    assert t.first_nonfinite_forward == 0 and np.isnan(float(t.losses[0]))


# ------------------------------------------------------------------- gradcheck


def test_rel_error_formula():
    # |a - n| / max(|a|, |n|, 1e-12)
    assert rel_error(1.0, 1.1) == pytest.approx(0.1 / 1.1, rel=1e-15)
    assert rel_error(-2.0, 2.0) == 2.0
    assert rel_error(0.0, 0.0) == 0.0
    assert rel_error(1e-13, 0.0) == pytest.approx(0.1, rel=1e-12)  # the 1e-12 floor
    assert rel_error(3.0, 3.0) == 0.0
    assert math.isnan(rel_error(float("nan"), 1.0))


def test_gradcheck_rows_for_the_sigmoid_neuron():
    rows = gradcheck(graph_of(SIGMOID_NEURON, **NEURON_VALUES))
    assert sorted(r.name for r in rows) == ["w0", "w1", "w2", "x0", "x1"]
    f = 1 / (1 + math.exp(-1.0))
    d = f * (1 - f)
    hand = {"w0": -d, "w1": -2 * d, "w2": d, "x0": 2 * d, "x1": -3 * d}
    for r in rows:
        assert r.analytic == pytest.approx(hand[r.name], rel=1e-12)
        assert r.numerical == pytest.approx(hand[r.name], rel=1e-8)
        assert r.rel_error == pytest.approx(
            abs(r.analytic - r.numerical) / max(abs(r.analytic), abs(r.numerical), 1e-12))
        assert r.passed(1e-7)


def test_gradcheck_catches_a_wrong_gradient():
    """Sanity of the checker itself: a graph whose analytic gradient we spoil is flagged."""
    g = graph_of("f = x * y", x=2.0, y=3.0)
    rows = {r.name: r for r in gradcheck(g)}
    assert rows["x"].analytic == 3.0 and rows["y"].analytic == 2.0
    assert rel_error(rows["x"].analytic + 0.01, rows["x"].numerical) > 1e-3


def test_gradcheck_covers_every_array_element():
    g = graph_of("f = sum(W @ v)", W=[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], v=[0.5, -1.0])
    rows = gradcheck(g)
    assert sorted(r.name for r in rows) == ["W[0,0]", "W[0,1]", "W[1,0]", "W[1,1]",
                                            "W[2,0]", "W[2,1]", "v[0]", "v[1]"]
    by = {r.name: r for r in rows}
    # d sum(W v)/dW[i,j] = v[j];  d/dv[j] = Σ_i W[i,j]
    assert by["W[2,1]"].analytic == -1.0 and by["v[0]"].analytic == 9.0
    assert all(r.passed(1e-8) for r in rows)


# ------------------------------------------- random programs: whole-graph gradients

_OPS = ["{a} + {b}", "{a} - {b}", "{a} * {b}", "sigmoid({a})", "tanh({a})", "{a} * -1.5",
        "2 - {a}", "{a} / (1 + {b} * {b})", "exp(tanh({a}))", "({a} + {b}) * {a}"]


@st.composite
def programs(draw):
    """A few lines over x, y, z, each reading earlier names (so fan-out is common)."""
    names = ["x", "y", "z"]
    lines = []
    for i in range(draw(st.integers(1, 7))):
        op = draw(st.sampled_from(_OPS))
        a, b = (draw(st.sampled_from(names)) for _ in range(2))
        lines.append(f"v{i} = " + op.format(a=a, b=b))
        names.append(f"v{i}")
    values = {n: draw(st.floats(-1.5, 1.5)) for n in ("x", "y", "z")}
    return "\n".join(lines), values


@settings(max_examples=60, deadline=None, database=None)
@given(programs())
def test_random_programs_record_equals_evaluate_and_central_differences(program):
    code, values = program
    g = graph_of(code, **values)
    t = record(g)
    end = len(t) - 1
    ev = evaluate(g)
    assert float(t.losses[0]) == float(ev.output)
    # backward is exactly the reverse of forward, one step per gate
    fwd = [s.node for s in t.steps if s.phase == "forward"]
    bwd = [s.node for s in t.steps if s.phase == "backward"]
    assert fwd == [n.name for n in g.gates] and bwd == fwd[::-1]
    for leaf in ("x", "y", "z"):
        got = t.grad_at(leaf, end)
        got = 0.0 if got is None else float(got)  # never used: no gradient arrived
        assert got == float(ev.grads[leaf])
        # the recorded += entries add up to the final gradient, chained in order
        running = 0.0
        for c in t.contributions_at(leaf, end):
            assert float(c.grad_before) == running
            running = float(c.grad_after)
        assert running == got

        def f(v, leaf=leaf):
            return float(evaluate(g.with_leaf(leaf, v), backward=False).output)
        h = 1e-6
        numeric = (f(values[leaf] + h) - f(values[leaf] - h)) / (2 * h)
        assert got == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_a_dead_branch_after_the_output_adds_nothing():
    text = ('title = "t"\n[inputs]\nx = 0.0\n[graph]\ncode = """\na = x * 2\nb = log(x)\n"""\n'
            'output = "a"\n')
    g = load_text(text).graph
    t = record(g)
    assert float(evaluate(g).grads["x"]) == 2.0
    assert float(t.grad_at("x", len(t) - 1)) == 2.0  # recorded: NaN
    assert t.first_nonfinite_backward is None
