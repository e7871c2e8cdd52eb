"""``tui-backprop trace``: the JSON contract (``tui-backprop-trace/1``) and its numbers,
checked against values derived here by hand or with independent numpy formulas; and
the text and markdown renderings."""

from __future__ import annotations

import json
import math
import tomllib

import numpy as np
import pytest

from tui_backprop.engine import bundled
from tui_backprop.engine.scenario import bundled_dir

BUNDLED = [name for name, _ in bundled()]


def strict_loads(text: str):
    """json.loads that refuses NaN/Infinity constants (they are not JSON)."""
    def reject(const):
        raise ValueError(f"non-standard JSON constant {const}")
    return json.loads(text, parse_constant=reject)


def trace_json(cli, path, *extra):
    result = cli("trace", path, "--format", "json", *extra)
    assert result.code == 0, result.err
    assert result.err == ""
    return strict_loads(result.out)


def write(tmp_path, text: str, name: str = "s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------- shape


FORWARD_KEYS = {"index", "phase", "node", "op", "label", "inputs", "output", "cache"}
BACKWARD_KEYS = {"index", "phase", "node", "op", "label", "upstream", "inputs"}


@pytest.mark.parametrize("name", BUNDLED)
def test_contract_shape_for_every_bundled_scenario(cli, name):
    doc = trace_json(cli, name)
    raw = tomllib.loads((bundled_dir() / f"{name}.toml").read_text("utf-8"))
    trains = "train" in raw

    assert set(doc) == {"format", "title", "output", "nodes", "steps", "gradients",
                        "loss_history", "params_final"}
    assert doc["format"] == "tui-backprop-trace/1"
    assert doc["title"] == raw["title"]

    nodes = doc["nodes"]
    for n in nodes:
        assert set(n) == {"name", "kind", "op", "label", "inputs", "value", "grad"}
        assert n["kind"] in ("input", "param", "const", "gate")
        assert (n["op"] is None) == (n["kind"] != "gate")
    names = [n["name"] for n in nodes]
    assert len(set(names)) == len(names)
    assert doc["output"] in names
    gates = [n["name"] for n in nodes if n["kind"] == "gate"]
    leaves = {n["name"]: n["kind"] for n in nodes if n["kind"] != "gate"}

    steps = doc["steps"]
    assert [s["index"] for s in steps] == list(range(len(steps)))
    assert len(steps) == 2 * len(gates) + 1 + (1 if trains else 0)
    phases = [s["phase"] for s in steps]
    assert phases == (["forward"] * len(gates) + ["seed"] + ["backward"] * len(gates)
                      + (["update"] if trains else []))
    forward, backward = steps[:len(gates)], steps[len(gates) + 1:2 * len(gates) + 1]
    assert [s["node"] for s in forward] == gates
    assert [s["node"] for s in backward] == gates[::-1]
    seed = steps[len(gates)]
    assert set(seed) == {"index", "phase", "node", "grad"} and seed["node"] == doc["output"]
    for s in forward:
        assert set(s) == FORWARD_KEYS
        for i in s["inputs"]:
            assert set(i) == {"name", "value", "local"} | ({"formula"} if i["local"] is None
                                                           else set())
    for s in backward:
        assert set(s) == BACKWARD_KEYS
        for i in s["inputs"]:
            assert set(i) - {"formula"} == {"name", "local", "contribution", "before", "after"}
    if trains:
        update = steps[-1]
        assert set(update) == {"index", "phase", "params"}
        assert [p["name"] for p in update["params"]] == [
            n for n, k in leaves.items() if k == "param"]
        for p in update["params"]:
            assert set(p) == {"name", "before", "grad", "after"}

    # gradients: every input and param (targets included), never a const
    assert set(doc["gradients"]) == {n for n, k in leaves.items() if k in ("input", "param")}
    iterations = raw.get("train", {}).get("iterations", 1) if trains else 1
    assert len(doc["loss_history"]) == iterations
    assert set(doc["params_final"]) == {n for n, k in leaves.items() if k == "param"}


# --------------------------------------------------------------------- the numbers


def test_add_mul_numbers_by_hand(cli, tmp_path):
    # f = (x + y) * z at x=-2, y=5, z=-4: q = 3, f = -12; df/dz = q = 3,
    # df/dq = z = -4, and the add gate hands -4 to both x and y (CS231n).
    path = write(tmp_path, 'title = "t"\n[inputs]\nx = -2\ny = 5\nz = -4\n'
                           '[graph]\ncode = """\nq = x + y\nf = q * z\n"""\n')
    doc = trace_json(cli, path)
    assert doc["output"] == "f"
    assert doc["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}
    assert doc["loss_history"] == [-12.0] and doc["params_final"] == {}
    by_name = {n["name"]: n for n in doc["nodes"]}
    assert by_name["q"] == {"name": "q", "kind": "gate", "op": "add", "label": "+",
                            "inputs": ["x", "y"], "value": 3.0, "grad": -4.0}
    assert by_name["f"]["value"] == -12.0 and by_name["f"]["grad"] == 1.0
    assert doc["steps"] == [
        {"index": 0, "phase": "forward", "node": "q", "op": "add", "label": "+",
         "inputs": [{"name": "x", "value": -2.0, "local": 1.0},
                    {"name": "y", "value": 5.0, "local": 1.0}],
         "output": 3.0, "cache": {}},
        {"index": 1, "phase": "forward", "node": "f", "op": "mul", "label": "*",
         "inputs": [{"name": "q", "value": 3.0, "local": -4.0},
                    {"name": "z", "value": -4.0, "local": 3.0}],
         "output": -12.0, "cache": {}},
        {"index": 2, "phase": "seed", "node": "f", "grad": 1.0},
        {"index": 3, "phase": "backward", "node": "f", "op": "mul", "label": "*",
         "upstream": 1.0,
         "inputs": [{"name": "q", "local": -4.0, "contribution": -4.0, "before": 0.0,
                     "after": -4.0},
                    {"name": "z", "local": 3.0, "contribution": 3.0, "before": 0.0,
                     "after": 3.0}]},
        {"index": 4, "phase": "backward", "node": "q", "op": "add", "label": "+",
         "upstream": -4.0,
         "inputs": [{"name": "x", "local": 1.0, "contribution": -4.0, "before": 0.0,
                     "after": -4.0},
                    {"name": "y", "local": 1.0, "contribution": -4.0, "before": 0.0,
                     "after": -4.0}]},
    ]


def test_bundled_add_mul_matches_cs231n(cli):
    doc = trace_json(cli, "add-mul")
    assert doc["loss_history"] == [-12.0]
    assert doc["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}


def cs231n_neuron():
    """The CS231n 2-D neuron by its closed form: f = σ(w·[x, 1]),
    df/dz = (1 - f) f, dx = w[:2] df/dz, dw = [x, 1] df/dz."""
    w, x = np.array([2.0, -3.0, -3.0]), np.array([-1.0, -2.0])
    f = sigmoid(w[0] * x[0] + w[1] * x[1] + w[2])
    dz = (1.0 - f) * f
    return f, w[:2] * dz, np.array([x[0], x[1], 1.0]) * dz


@pytest.mark.parametrize("name", ["cs231n-sigmoid", "cs231n-sigmoid-fused"])
def test_cs231n_sigmoid_neuron(cli, name):
    f, dx, dw = cs231n_neuron()
    assert f == pytest.approx(0.73, abs=0.005)  # the notes' rounded numbers
    assert dx == pytest.approx([0.39, -0.59], abs=0.005)
    assert dw == pytest.approx([-0.20, -0.39, 0.20], abs=0.005)
    doc = trace_json(cli, name)
    g = doc["gradients"]
    assert doc["loss_history"][0] == pytest.approx(f, rel=1e-12)
    assert [g["x0"], g["x1"]] == pytest.approx(dx, rel=1e-12)
    assert [g["w0"], g["w1"], g["w2"]] == pytest.approx(dw, rel=1e-12)


def test_eight_gate_circuit_of_the_notes(cli):
    doc = trace_json(cli, "cs231n-sigmoid")
    forward = [s for s in doc["steps"] if s["phase"] == "forward"]
    assert [s["label"] for s in forward] == ["*", "*", "+", "+", "*-1", "exp", "+1", "1/x"]
    # the notes' backward numbers along the chain: 1/x gets upstream 1, its local
    # gradient -1/d² with d = 1 + e^-1; exp's upstream is then -1/d² and so on.
    d = 1.0 + math.exp(-1.0)
    backward = {s["label"]: s for s in doc["steps"] if s["phase"] == "backward"}
    assert backward["1/x"]["upstream"] == 1.0
    assert backward["1/x"]["inputs"][0]["local"] == pytest.approx(-1.0 / d**2, rel=1e-12)
    assert backward["exp"]["upstream"] == pytest.approx(-1.0 / d**2, rel=1e-12)
    assert backward["*-1"]["upstream"] == pytest.approx(-math.exp(-1.0) / d**2, rel=1e-12)


def test_fan_out_accumulates_with_plus_equals(cli):
    # CS231n staged example at x=3, y=-4; dx and dy from the closed-form derivative of
    # f = (x + σ(y)) / (σ(x) + (x + y)²).
    x, y = 3.0, -4.0
    sx, sy = sigmoid(x), sigmoid(y)
    den = sx + (x + y) ** 2
    num = x + sy
    dx = 1.0 / den - num / den**2 * (sx * (1 - sx) + 2 * (x + y))
    dy = sy * (1 - sy) / den - num / den**2 * (2 * (x + y))
    doc = trace_json(cli, "cs231n-staged")
    assert doc["loss_history"][0] == pytest.approx(num / den, rel=1e-12)
    assert doc["gradients"]["x"] == pytest.approx(dx, rel=1e-12)
    assert doc["gradients"]["y"] == pytest.approx(dy, rel=1e-12)
    for leaf, uses in (("x", 3), ("y", 2)):
        entries = [i for s in doc["steps"] if s["phase"] == "backward"
                   for i in s["inputs"] if i["name"] == leaf]
        assert len(entries) == uses
        assert entries[0]["before"] == 0.0
        for prev, cur in zip(entries, entries[1:], strict=False):
            assert cur["before"] == prev["after"]
        for e in entries:
            assert e["after"] == pytest.approx(e["before"] + e["contribution"], rel=1e-15)
        assert entries[-1]["after"] == doc["gradients"][leaf]


def test_network_2_2_2_matches_the_worked_example(cli):
    # The classic worked example (inputs .05/.10, targets .01/.99, lr .5) published
    # these updated weights after one SGD step: w5 = 0.35891648, w1 = 0.149780716.
    doc = trace_json(cli, "network-2-2-2")
    W1, W2 = np.array(doc["params_final"]["W1"]), np.array(doc["params_final"]["W2"])
    assert W2[0, 0] == pytest.approx(0.35891648, abs=1e-8)
    assert W1[0, 0] == pytest.approx(0.149780716, abs=1e-9)
    # targets get their true derivative: d(½Σ(h2 - t)²)/dt = t - h2
    x, t = np.array([0.05, 0.10]), np.array([0.01, 0.99])
    h1 = sigmoid(np.array([[0.15, 0.20], [0.25, 0.30]]) @ x + 0.35)
    h2 = sigmoid(np.array([[0.40, 0.45], [0.50, 0.55]]) @ h1 + 0.60)
    assert doc["gradients"]["target"] == pytest.approx(t - h2, rel=1e-12)
    assert doc["loss_history"] == [pytest.approx(0.5 * np.sum((h2 - t) ** 2), rel=1e-12)]


def test_matmul_local_is_null_with_a_formula(cli):
    doc = trace_json(cli, "vectorised-matmul")
    mm = [s for s in doc["steps"] if s["phase"] == "forward" and s["op"] == "matmul"]
    assert mm
    for entry in mm[0]["inputs"]:
        assert entry["local"] is None
        assert isinstance(entry["formula"], str) and entry["formula"]
    # the vjp of D = W @ X: dW = dD @ X.T, dX = W.T @ dD (independent numpy check)
    back = next(s for s in doc["steps"] if s["phase"] == "backward" and s["op"] == "matmul")
    nodes = {n["name"]: n for n in doc["nodes"]}
    upstream = np.array(back["upstream"])
    (w_in, x_in) = back["inputs"]
    W, X = np.array(nodes[w_in["name"]]["value"]), np.array(nodes[x_in["name"]]["value"])
    assert np.allclose(w_in["contribution"], upstream @ X.T, rtol=1e-12, atol=0)
    assert np.allclose(x_in["contribution"], W.T @ upstream, rtol=1e-12, atol=0)


# ---------------------------------------------------------------- non-finite + precision


def test_nan_and_inf_are_strings_in_strict_json(cli, tmp_path):
    # log(0) = -inf; -inf * 0 = nan; d/dx log(x) at 0 = 1/0 = inf
    path = write(tmp_path, 'title = "t"\n[inputs]\nx = 0.0\nzero = 0.0\n'
                           '[graph]\ncode = """\nl = log(x)\nf = l * zero\n"""\n')
    result = cli("trace", path, "--format", "json")
    assert result.code == 0
    assert "NaN" not in result.out and "Infinity" not in result.out
    doc = strict_loads(result.out)
    log_step = doc["steps"][0]
    assert log_step["output"] == "-inf"
    assert log_step["inputs"][0]["local"] == "inf"
    assert doc["steps"][1]["output"] == "nan"
    assert doc["loss_history"] == ["nan"]
    assert doc["gradients"]["zero"] == "-inf"  # df/dzero = l = -inf


def test_bundled_nan_scenario_is_strict_json(cli):
    result = cli("trace", "nan-explosion", "--format", "json")
    assert result.code == 0
    doc = strict_loads(result.out)
    flat = json.dumps(doc)
    assert '"nan"' in flat or '"inf"' in flat or '"-inf"' in flat


def test_full_precision_round_trips(cli, tmp_path):
    path = write(tmp_path, 'title = "t"\n[inputs]\na = 0.1\nb = 0.2\nc = 1.0\n'
                           '[graph]\ncode = """\ns = a + b\nt = c / 3\nf = s * t\n"""\n')
    doc = trace_json(cli, path)
    values = {n["name"]: n["value"] for n in doc["nodes"]}
    assert values["s"] == 0.1 + 0.2 == 0.30000000000000004
    assert values["t"] == 1.0 / 3.0
    assert values["f"] == (0.1 + 0.2) * (1.0 / 3.0)
    assert doc["gradients"]["a"] == 1.0 / 3.0


# ------------------------------------------------------------------------ iterations


TINY = """\
title = "tiny regression"
[inputs]
x = 1.5
t = 0.5
[params]
w = 0.8
b = -0.3
[graph]
code = \"\"\"
p = w * x + b
f = (p - t) ** 2
\"\"\"
[train]
learning_rate = 0.1
iterations = 3
"""


def manual_sgd(iterations: int, w=0.8, b=-0.3, x=1.5, t=0.5, lr=0.1):
    losses = []
    for _ in range(iterations):
        p = w * x + b
        losses.append((p - t) ** 2)
        dw, db = 2 * (p - t) * x, 2 * (p - t)
        w, b = w - lr * dw, b - lr * db
    return losses, w, b


@pytest.mark.parametrize("n", [1, 2, 7, 250])
def test_iterations_match_manual_sgd(cli, tmp_path, n):
    doc = trace_json(cli, write(tmp_path, TINY), "--iterations", str(n))
    losses, w, b = manual_sgd(n)
    assert len(doc["loss_history"]) == n
    assert doc["loss_history"] == pytest.approx(losses, rel=1e-12, abs=1e-300)
    assert doc["params_final"]["w"] == pytest.approx(w, rel=1e-12)
    assert doc["params_final"]["b"] == pytest.approx(b, rel=1e-12)
    # only the first iteration is recorded, step by step
    assert sum(s["phase"] == "update" for s in doc["steps"]) == 1
    update = doc["steps"][-1]["params"]
    _, w1, b1 = manual_sgd(1)
    assert [u["after"] for u in update] == pytest.approx([w1, b1], rel=1e-12)


def test_iterations_default_to_the_scenario(cli, tmp_path):
    doc = trace_json(cli, write(tmp_path, TINY))
    assert len(doc["loss_history"]) == 3
    assert doc["params_final"]["w"] == pytest.approx(manual_sgd(3)[1], rel=1e-12)


def test_no_train_keeps_params_as_given(cli, tmp_path):
    doc = trace_json(cli, write(tmp_path, TINY.split("[train]")[0]))
    assert doc["params_final"] == {"w": 0.8, "b": -0.3}
    assert doc["loss_history"] == [pytest.approx((0.8 * 1.5 - 0.3 - 0.5) ** 2, rel=1e-12)]
    assert all(s["phase"] != "update" for s in doc["steps"])


# ------------------------------------------------------------------ text and markdown


def test_text_format_shows_every_step(cli):
    result = cli("trace", "add-mul")
    assert result.code == 0 and result.err == ""
    out = result.out
    assert "\x1b[" not in out  # NO_COLOR / not a terminal: plain text
    for phase in ("Forward pass", "Seed", "Backward pass"):
        assert phase in out
    assert "f = -12" in out
    assert "upstream" in out and "contribution" in out and "local_grad" in out
    # the mul gate's backward step and the add gate's += into x (before → after)
    assert "1 × -4 = -4" in out
    assert "+= -4:  0 → -4" in out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_text_format_sigmoid_numbers(cli):
    f, dx, dw = cs231n_neuron()
    out = cli("trace", "cs231n-sigmoid").out
    for v in (f, *dx, *dw):
        assert f"{v:.4g}" in out
    out6 = cli("trace", "cs231n-sigmoid", "--precision", "6").out
    assert f"{f:.6g}" in out6


def test_text_format_shows_update_and_loss_history(cli, tmp_path):
    out = cli("trace", write(tmp_path, TINY), "--iterations", "30").out
    losses, w, b = manual_sgd(30)
    assert "Parameter update" in out and "Loss history" in out and "Final params" in out
    assert f"{losses[-1]:.4g}" in out and f"{w:.4g}" in out
    assert "iterations 2 to 30 ran on the fast path" in out
    assert "20 of 30 iterations shown" in out


def test_text_marks_the_first_non_finite_step(cli, tmp_path):
    path = write(tmp_path, 'title = "t"\n[inputs]\nx = 0.0\n'
                           '[graph]\ncode = """\nl = log(x)\nf = l * 2\n"""\n')
    out = cli("trace", path).out
    assert "first non-finite value" in out and "-inf" in out


def test_markdown_handout(cli):
    f, dx, dw = cs231n_neuron()
    result = cli("trace", "cs231n-sigmoid", "--format", "markdown")
    assert result.code == 0
    md = result.out
    assert md.startswith("# 2-D sigmoid neuron")
    for heading in ("## Forward pass", "## Seed", "## Backward pass", "## Gradients",
                    "## Loss history"):
        assert f"\n{heading}\n" in md
    assert "| input | local_grad | contribution | grad_before | grad_after |" in md
    for v in (f, *dx, *dw):
        assert f"{v:.4g}" in md


def test_markdown_has_update_table(cli):
    md = cli("trace", "network-2-2-2", "--format", "markdown").out
    assert "## Parameter update" in md and "| param | before | grad | after |" in md
    assert "0.3589" in md  # W2[0,0] after one step (the worked example: 0.35891648)


def test_untrusted_title_is_not_rich_markup(cli, tmp_path):
    path = write(tmp_path, 'title = "[bold]x[/] [/nope] :smile: *a* | b"\n[inputs]\nx = 1\n'
                           '[graph]\ncode = "f = x * 2"\n')
    result = cli("trace", path)
    assert result.code == 0, result.err
    assert "[bold]x[/] [/nope] :smile:" in result.out
    md = cli("trace", path, "--format", "markdown").out
    assert md.splitlines()[0] == r"# \[bold\]x\[/\] \[/nope\] :smile: \*a\* | b"


def test_broadcast_contribution_is_summed_back(cli, tmp_path):
    # f = sum(a + b) with a (2, 2) and b (2,): b is broadcast over 2 rows, so its
    # gradient is [2, 2] (each element is used twice), a's is all ones.
    path = write(tmp_path, 'title = "t"\n[inputs]\na = [[1.0, 2.0], [3.0, 4.0]]\n'
                           'b = [10.0, 20.0]\n[graph]\ncode = "f = sum(a + b)"\n')
    doc = trace_json(cli, path)
    assert doc["gradients"] == {"a": [[1.0, 1.0], [1.0, 1.0]], "b": [2.0, 2.0]}
    out = " ".join(cli("trace", path).out.split())  # undo the table's line wrapping
    assert "summed to shape (2,) = [2, 2]" in out
    assert "grad b += contribution: [0, 0] → [2, 2]" in out
