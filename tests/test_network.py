"""The ``[network]`` table: expansion, granularity, batches, seeded weights, targets, errors.

Expected values are independent of the engine: plain numpy forward/backward passes
written here (``_reference``), or another granularity / target form of the same network.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_backprop.engine import ScenarioError, evaluate, load_text, record

# ------------------------------------------------------------------------- helpers


def _toml_array(a) -> str:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return repr(float(a))
    return "[" + ", ".join(_toml_array(v) for v in a) + "]"


def network_toml(x, t, layers, *, loss, granularity="layer", seed=None,
                 train: tuple[float, int] | None = None) -> str:
    """A scenario text for a network. ``layers``: dicts with weights/biases (arrays),
    units (int) and activation (str)."""
    lines = ['title = "net"', "", "[network]", f"inputs = {_toml_array(x)}",
             f"targets = {_toml_array(t)}", f'loss = "{loss}"',
             f'granularity = "{granularity}"']
    if seed is not None:
        lines.append(f"seed = {seed}")
    for layer in layers:
        lines += ["", "[[network.layers]]"]
        if "weights" in layer:
            lines.append(f"weights = {_toml_array(layer['weights'])}")
        if "biases" in layer:
            lines.append(f"biases = {_toml_array(layer['biases'])}")
        if "units" in layer:
            lines.append(f"units = {layer['units']}")
        lines.append(f'activation = "{layer["activation"]}"')
    if train is not None:
        lines += ["", "[train]", f"learning_rate = {train[0]}", f"iterations = {train[1]}"]
    return "\n".join(lines) + "\n"


def _act(name, z):
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "softmax":
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return z


def _loss(name, y, t):
    """The loss of ONE sample (y, t are 1-D; t may be a class index for cross_entropy)."""
    if name == "half_sse":
        return 0.5 * np.sum((y - t) ** 2)
    if name == "mse":
        return np.mean((y - t) ** 2)
    if name == "bce":
        return np.mean(-(t * np.log(y) + (1 - t) * np.log(1 - y)))
    if name == "cross_entropy":
        logp = y - y.max() - np.log(np.sum(np.exp(y - y.max())))
        if np.ndim(t) == 0:
            return -logp[int(t)]
        return -np.sum(t * logp)
    raise AssertionError(name)


def reference_loss(x, t, weights, biases, acts, loss) -> float:
    """Forward pass by hand, one sample at a time; a batch's loss is the mean."""
    x = np.asarray(x, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    xs, ts = (x, t) if x.ndim == 2 else (x[None], t[None])
    total = 0.0
    for xi, ti in zip(xs, ts, strict=True):
        h = xi
        for w, b, a in zip(weights, biases, acts, strict=True):
            h = _act(a, np.asarray(w) @ h + np.asarray(b))
        total += _loss(loss, h, ti)
    return total / len(xs)


def numeric_grads(x, t, weights, biases, acts, loss, step=1e-6):
    """Central differences of :func:`reference_loss` for every W and b element."""
    out = {}
    params = [("W", weights), ("b", biases)]
    for prefix, arrays in params:
        for k, arr in enumerate(arrays, 1):
            arr = np.asarray(arr, dtype=np.float64)
            g = np.zeros_like(arr)
            for idx in np.ndindex(*arr.shape):
                def f(delta, idx=idx, k=k, prefix=prefix, arr=arr):
                    moved = arr.copy()
                    moved[idx] += delta
                    ws = [np.asarray(w, float) for w in weights]
                    bs = [np.asarray(b, float) for b in biases]
                    (ws if prefix == "W" else bs)[k - 1] = moved
                    return reference_loss(x, t, ws, bs, acts, loss)
                g[idx] = (f(step) - f(-step)) / (2 * step)
            out[f"{prefix}{k}"] = g
    return out


def loss_and_grads(text):
    s = load_text(text)
    ev = evaluate(s.graph)
    names = [n for n in s.graph.params]
    return float(ev.output), {n: np.asarray(ev.grads[n]) for n in names}, s


RNG = np.random.default_rng(20261121)


def _case(n_in, hidden, n_out, acts, loss, batch, index_targets=False, rng=RNG):
    sizes = [n_in, *hidden, n_out]
    weights = [rng.normal(0, 0.8, size=(sizes[i + 1], sizes[i])) for i in range(len(sizes) - 1)]
    biases = [rng.normal(0, 0.3, size=sizes[i + 1]) for i in range(len(sizes) - 1)]
    x = rng.normal(size=(batch, n_in)) if batch else rng.normal(size=n_in)
    shape = (batch, n_out) if batch else (n_out,)
    if loss == "cross_entropy":
        cls = rng.integers(0, n_out, size=batch if batch else None)
        t = cls if index_targets else np.eye(n_out)[cls]
    elif loss == "bce":
        t = rng.integers(0, 2, size=shape).astype(float)
    else:
        t = rng.normal(size=shape)
    return x, t, weights, biases, acts


CASES = [
    # (inputs, hidden sizes, outputs, activations, loss, batch size or 0 for one sample)
    (2, [2], 2, ["sigmoid", "sigmoid"], "half_sse", 0),
    (3, [4], 2, ["tanh", "linear"], "mse", 0),
    (3, [4], 2, ["relu", "sigmoid"], "bce", 3),
    (3, [], 3, ["linear"], "cross_entropy", 0),
    (3, [2], 3, ["tanh", "linear"], "cross_entropy", 4),
    (2, [3], 3, ["sigmoid", "softmax"], "half_sse", 0),
    (2, [3], 3, ["tanh", "softmax"], "mse", 2),
    (4, [3, 2], 2, ["relu", "tanh", "sigmoid"], "half_sse", 3),
]


def _layers(weights, biases, acts):
    return [{"weights": w, "biases": b, "activation": a}
            for w, b, a in zip(weights, biases, acts, strict=True)]


# ----------------------------------------------------------------- the expansion


def test_leaves_are_x_target_and_w_b_per_layer():
    x, t, w, b, acts = _case(3, [4], 2, ["tanh", "sigmoid"], "half_sse", 0)
    s = load_text(network_toml(x, t, _layers(w, b, acts), loss="half_sse"))
    kinds = {n.name: n.kind for n in s.graph.leaves if n.kind != "const"}
    assert kinds == {"x": "input", "target": "input", "W1": "param", "b1": "param",
                     "W2": "param", "b2": "param"}
    assert s.kind == "network"
    assert s.graph.output == "loss"
    assert s.graph.node("W1").shape == (4, 3) and s.graph.node("b2").shape == (2,)
    np.testing.assert_array_equal(s.graph.leaf_values["W1"], w[0])


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[3]}-{c[4]}-b{c[5]}")
@pytest.mark.parametrize("granularity", ["layer", "neuron"])
def test_loss_and_gradients_match_a_numpy_reference(case, granularity):
    x, t, w, b, acts = _case(*case)
    loss = case[4]
    value, grads, _ = loss_and_grads(network_toml(x, t, _layers(w, b, acts), loss=loss,
                                                  granularity=granularity))
    assert value == pytest.approx(reference_loss(x, t, w, b, acts, loss), rel=1e-12)
    expected = numeric_grads(x, t, w, b, acts, loss)
    for name, g in expected.items():
        np.testing.assert_allclose(grads[name], g, rtol=1e-5, atol=1e-8, err_msg=name)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[3]}-{c[4]}-b{c[5]}")
def test_layer_and_neuron_granularity_agree(case):
    x, t, w, b, acts = _case(*case)
    loss = case[4]
    layers = _layers(w, b, acts)
    lv, lg, ls = loss_and_grads(network_toml(x, t, layers, loss=loss, granularity="layer"))
    nv, ng, ns = loss_and_grads(network_toml(x, t, layers, loss=loss, granularity="neuron"))
    assert abs(lv - nv) <= 1e-12
    assert set(lg) == set(ng) == {f"{p}{k}" for p in "Wb" for k in range(1, len(acts) + 1)}
    for name in lg:
        assert ng[name].shape == lg[name].shape, name
        np.testing.assert_allclose(ng[name], lg[name], rtol=0, atol=1e-12, err_msg=name)
    # neuron granularity has many more, smaller gates: scalar ones outside the loss
    assert len(ns.graph.gates) > len(ls.graph.gates)


@settings(max_examples=15, deadline=None)
@given(n_in=st.integers(1, 3), hidden=st.integers(1, 3), n_out=st.integers(1, 3),
       act=st.sampled_from(["sigmoid", "tanh", "relu", "linear"]),
       loss=st.sampled_from(["half_sse", "mse"]), batch=st.integers(0, 3),
       seed=st.integers(0, 2**32 - 1))
def test_granularities_agree_on_random_networks(n_in, hidden, n_out, act, loss, batch, seed):
    x, t, w, b, acts = _case(n_in, [hidden], n_out, [act, "sigmoid"], loss, batch,
                             rng=np.random.default_rng(seed))
    layers = _layers(w, b, acts)
    lv, lg, _ = loss_and_grads(network_toml(x, t, layers, loss=loss, granularity="layer"))
    nv, ng, _ = loss_and_grads(network_toml(x, t, layers, loss=loss, granularity="neuron"))
    assert abs(lv - nv) <= 1e-12
    for name in lg:
        np.testing.assert_allclose(ng[name], lg[name], rtol=0, atol=1e-12, err_msg=name)


def test_neuron_granularity_has_one_gate_per_multiply_add_and_activation():
    # 2-2-2 sigmoid: each of the 4 units does 2 multiplies, 2 adds (two terms + bias)
    # and one sigmoid.
    x, t, w, b, acts = _case(2, [2], 2, ["sigmoid", "sigmoid"], "half_sse", 0)
    s = load_text(network_toml(x, t, _layers(w, b, acts), loss="half_sse",
                               granularity="neuron"))
    unit_gates = [g for g in s.graph.gates if not g.name.startswith(("e_", "loss"))]
    ops = [g.op for g in unit_gates]
    assert ops.count("mul") == 8
    assert ops.count("add") == 8
    assert ops.count("sigmoid") == 4
    assert len(ops) == 20
    # every weight element is read by exactly one multiply gate, by element reference
    refs = sorted(r.name for g in unit_gates if g.op == "mul" for r in g.inputs
                  if r.node.startswith("W"))
    assert refs == ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]",
                    "W2[0,0]", "W2[0,1]", "W2[1,0]", "W2[1,1]"]


def test_neuron_granularity_reports_params_as_whole_arrays():
    x, t, w, b, acts = _case(2, [2], 2, ["sigmoid", "sigmoid"], "half_sse", 0)
    s = load_text(network_toml(x, t, _layers(w, b, acts), loss="half_sse",
                               granularity="neuron", train=(0.5, 1)))
    tl = record(s.graph, iterations=1, learning_rate=0.5)
    update = tl.steps[-1]
    assert update.phase == "update"
    assert [p.name for p in update.params] == ["W1", "b1", "W2", "b2"]
    for p in update.params:
        assert p.before.shape == p.grad.shape == p.after.shape == s.graph.node(p.name).shape
        np.testing.assert_allclose(p.after, p.before - 0.5 * p.grad, rtol=0, atol=0)


# ------------------------------------------------------------------------- batches


@pytest.mark.parametrize("granularity", ["layer", "neuron"])
@pytest.mark.parametrize("loss,acts", [("half_sse", ["sigmoid", "sigmoid"]),
                                       ("mse", ["tanh", "linear"]),
                                       ("bce", ["relu", "sigmoid"]),
                                       ("cross_entropy", ["tanh", "linear"])])
def test_a_batch_is_the_mean_over_its_samples(granularity, loss, acts):
    x, t, w, b, acts = _case(3, [3], 2, acts, loss, 4)
    layers = _layers(w, b, acts)
    bv, bg, _ = loss_and_grads(network_toml(x, t, layers, loss=loss, granularity=granularity))
    singles = [loss_and_grads(network_toml(x[i], t[i], layers, loss=loss,
                                           granularity=granularity)) for i in range(4)]
    assert bv == pytest.approx(np.mean([v for v, _, _ in singles]), rel=1e-12)
    for name, g in bg.items():
        np.testing.assert_allclose(g, np.mean([sg[name] for _, sg, _ in singles], axis=0),
                                   rtol=1e-12, atol=1e-15, err_msg=name)


def test_batch_inputs_are_rows():
    x = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    t = [[0.0], [1.0], [0.0]]
    s = load_text(network_toml(x, t, [{"weights": [[0.1, -0.2]], "biases": [0.05],
                                       "activation": "linear"}], loss="mse"))
    assert s.graph.node("x").shape == (3, 2)
    assert s.graph.node("target").shape == (3, 1)
    # one linear unit: predictions are 0.1*a - 0.2*b + 0.05 per row, by hand
    pred = np.array([0.1 * 1 - 0.2 * 2, 0.1 * 3 - 0.2 * 4, 0.1 * 5 - 0.2 * 6]) + 0.05
    assert float(evaluate(s.graph).output) == pytest.approx(
        np.mean((pred - np.array([0.0, 1.0, 0.0])) ** 2), rel=1e-12)


# ------------------------------------------------------------------- seeded weights


def test_seeded_weights_follow_the_documented_rule():
    # docs/scenario-format.md: numpy.random.default_rng(seed), drawn layer by layer,
    # normal with mean 0 and standard deviation 1/sqrt(fan_in); zero biases.
    text = network_toml([0.5, -1.0, 2.0], [0.0, 1.0],
                        [{"units": 4, "activation": "tanh"},
                         {"units": 2, "activation": "sigmoid"}], loss="mse", seed=42)
    s = load_text(text)
    rng = np.random.default_rng(42)
    w1 = rng.standard_normal((4, 3)) * (1 / np.sqrt(3))
    w2 = rng.standard_normal((2, 4)) * (1 / np.sqrt(4))
    np.testing.assert_allclose(s.graph.leaf_values["W1"], w1, rtol=1e-15, atol=0)
    np.testing.assert_allclose(s.graph.leaf_values["W2"], w2, rtol=1e-15, atol=0)
    np.testing.assert_array_equal(s.graph.leaf_values["b1"], np.zeros(4))
    np.testing.assert_array_equal(s.graph.leaf_values["b2"], np.zeros(2))


def test_seed_defaults_to_zero_and_changes_the_weights():
    layers = [{"units": 3, "activation": "linear"}]
    default = load_text(network_toml([1.0, 2.0], [0.0, 0.0, 1.0], layers, loss="mse"))
    zero = load_text(network_toml([1.0, 2.0], [0.0, 0.0, 1.0], layers, loss="mse", seed=0))
    other = load_text(network_toml([1.0, 2.0], [0.0, 0.0, 1.0], layers, loss="mse", seed=1))
    np.testing.assert_array_equal(default.graph.leaf_values["W1"],
                                  zero.graph.leaf_values["W1"])
    assert not np.array_equal(zero.graph.leaf_values["W1"], other.graph.leaf_values["W1"])


def test_only_layers_without_weights_draw_from_the_seed():
    given_w = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    text = network_toml([1.0, -1.0], [1.0], [
        {"weights": given_w, "biases": [0.1, 0.2, 0.3], "activation": "relu"},
        {"units": 1, "activation": "sigmoid"}], loss="bce", seed=5)
    s = load_text(text)
    np.testing.assert_array_equal(s.graph.leaf_values["W1"], given_w)
    rng = np.random.default_rng(5)  # the first draw goes to layer 2
    np.testing.assert_allclose(s.graph.leaf_values["W2"],
                               rng.standard_normal((1, 3)) / np.sqrt(3), rtol=1e-15)


# ------------------------------------------------------------------------ targets


@pytest.mark.parametrize("granularity", ["layer", "neuron"])
@pytest.mark.parametrize("batch", [0, 5])
def test_class_index_and_one_hot_targets_agree(granularity, batch):
    x, idx, w, b, acts = _case(3, [4], 3, ["tanh", "linear"], "cross_entropy", batch,
                               index_targets=True)
    one_hot = np.eye(3)[np.asarray(idx, dtype=int)]
    layers = _layers(w, b, acts)
    iv, ig, s_idx = loss_and_grads(network_toml(x, idx, layers, loss="cross_entropy",
                                                granularity=granularity))
    ov, og, _ = loss_and_grads(network_toml(x, one_hot, layers, loss="cross_entropy",
                                            granularity=granularity))
    assert iv == pytest.approx(ov, rel=1e-14)
    assert iv == pytest.approx(reference_loss(x, idx, w, b, acts, "cross_entropy"), rel=1e-12)
    for name in ig:
        np.testing.assert_allclose(ig[name], og[name], rtol=0, atol=1e-14, err_msg=name)
    assert s_idx.graph.node("target").shape == ((batch,) if batch else ())


def test_class_index_targets_are_not_differentiated():
    s = load_text(network_toml([[1.0, 0.0], [0.0, 1.0]], [1, 0],
                               [{"units": 2, "activation": "linear"}], loss="cross_entropy"))
    assert "target" in s.graph.discrete
    np.testing.assert_array_equal(evaluate(s.graph).grads["target"], [0.0, 0.0])


# --------------------------------------------------------------------- bad tables


def _error(text) -> list:
    with pytest.raises(ScenarioError) as info:
        load_text(text, "net.toml")
    return info.value.errors


def _line_of(text, fragment, occurrence=0) -> int:
    lines = [i for i, line in enumerate(text.split("\n"), 1) if fragment in line]
    return lines[occurrence]


def test_cross_entropy_with_a_softmax_last_layer_says_use_linear():
    text = network_toml([1.0, 2.0], [1.0, 0.0, 0.0],
                        [{"units": 3, "activation": "tanh"},
                         {"units": 3, "activation": "softmax"}], loss="cross_entropy")
    errors = _error(text)
    assert len(errors) == 1
    msg = str(errors[0])
    assert '"linear"' in msg and "softmax" in msg
    assert errors[0].line == _line_of(text, 'activation = "softmax"')
    assert msg.startswith(f"net.toml:{errors[0].line}:")


def test_wrong_weight_shape_names_the_line():
    text = network_toml([1.0, 2.0], [1.0], [
        {"weights": [[0.1, 0.2]], "biases": [0.0], "activation": "tanh"},
        {"weights": [[0.1, 0.2, 0.3]], "biases": [0.0], "activation": "linear"}], loss="mse")
    errors = _error(text)
    assert len(errors) == 1
    assert errors[0].line == _line_of(text, "weights = [[0.1, 0.2, 0.3]]")
    assert "layer 2" in errors[0].message and "(units, 1)" in errors[0].message
    assert "(1, 3)" in errors[0].message


def test_wrong_bias_shape_names_the_line():
    text = network_toml([1.0, 2.0], [1.0], [
        {"weights": [[0.1, 0.2]], "biases": [0.0, 0.5], "activation": "linear"}], loss="mse")
    errors = _error(text)
    assert errors[0].line == _line_of(text, "biases =")
    assert "biases" in errors[0].message and "(1,)" in errors[0].message


def test_unknown_activation_names_the_line():
    text = network_toml([1.0, 2.0], [1.0], [{"units": 2, "activation": "tanh"},
                                             {"units": 1, "activation": "swish"}], loss="mse")
    errors = _error(text)
    assert len(errors) == 1
    assert errors[0].line == _line_of(text, 'activation = "swish"')
    assert "'swish'" in errors[0].message and "layer 2" in errors[0].message
    assert "sigmoid" in errors[0].message  # says what is allowed


def test_unknown_key_in_a_layer_names_the_line():
    text = network_toml([1.0, 2.0], [1.0], [{"units": 1, "activation": "linear"}],
                        loss="mse").replace("units = 1", "units = 1\ndropout = 0.5")
    errors = _error(text)
    assert len(errors) == 1
    assert errors[0].line == _line_of(text, "dropout")
    assert "'dropout'" in errors[0].message


def test_unknown_network_key_and_bad_loss_are_both_reported():
    text = network_toml([1.0, 2.0], [1.0], [{"units": 1, "activation": "linear"}],
                        loss="hinge").replace('granularity = "layer"',
                                              'granularity = "layer"\noptimizer = "adam"')
    errors = _error(text)
    by_line = {e.line: e.message for e in errors}
    assert "'optimizer'" in by_line[_line_of(text, "optimizer")]
    assert "'hinge'" in by_line[_line_of(text, "loss =")]


def test_bad_granularity_and_missing_units_name_their_lines():
    text = network_toml([1.0, 2.0], [1.0], [{"activation": "linear"}], loss="mse",
                        granularity="synapse")
    errors = _error(text)
    lines = {e.line for e in errors}
    assert _line_of(text, "granularity") in lines
    assert any("units" in e.message for e in errors)
    assert all(e.line is not None for e in errors)


def test_targets_of_the_wrong_shape_are_an_error():
    text = network_toml([[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [0.0, 1.0]],
                        [{"units": 3, "activation": "sigmoid"}], loss="half_sse")
    errors = _error(text)
    assert errors[0].line == _line_of(text, "targets =")
    assert "(2, 3)" in errors[0].message


def test_class_index_out_of_range_is_an_error():
    text = network_toml([1.0, 2.0], 3, [{"units": 3, "activation": "linear"}],
                        loss="cross_entropy")
    errors = _error(text)
    assert errors[0].line == _line_of(text, "targets =")
    assert "0 to 2" in errors[0].message


def test_inputs_table_cannot_be_used_with_network():
    text = network_toml([1.0], [1.0], [{"units": 1, "activation": "linear"}], loss="mse")
    text += "\n[inputs]\nx = 1\n"
    errors = _error(text)
    assert any("[inputs]" in e.message and e.line == _line_of(text, "[inputs]")
               for e in errors)


def test_a_network_without_layers_is_an_error():
    text = ('title = "t"\n[network]\ninputs = [1.0]\ntargets = [1.0]\nloss = "mse"\n')
    errors = _error(text)
    assert "[[network.layers]]" in errors[0].message
    assert errors[0].line == 2


def test_softmax_hidden_layer_in_neuron_granularity_is_handled():
    # A softmax hidden layer is one vector gate; the next layer reads its elements.
    x, t, w, b, acts = _case(2, [3], 2, ["softmax", "sigmoid"], "mse", 0)
    layers = _layers(w, b, acts)
    nv, ng, _ = loss_and_grads(network_toml(x, t, layers, loss="mse", granularity="neuron"))
    assert nv == pytest.approx(reference_loss(x, t, w, b, acts, "mse"), rel=1e-12)
