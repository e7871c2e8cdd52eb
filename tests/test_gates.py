"""Every gate in ``GATES`` against references that do not share its code.

For each gate (the registry is iterated, so a new gate without a case here fails
``test_every_gate_has_a_case``) hypothesis draws inputs, with shapes where the gate takes
arrays, and checks:

* forward: the output against an independent formula written here with ``math``
  (scalar functions applied element by element), ``einsum`` or explicit loops;
* local gradients against central differences: elementwise d(out)/d(input) in the
  output's shape for "elementwise" gates, the gradient array in the input's shape for
  "scalar" gates;
* contributions (what the backward step adds with ``+=``) against the numerical
  Jacobian-transpose times a random upstream, ``d/dx sum(upstream * out(x))``, in each
  input's own shape (this is the vector-Jacobian product, and it covers broadcasting and
  the "jacobian" gates whose local gradient is ``None``).

The gates are driven through ``timeline._forward_gate`` and ``timeline._contributions``,
the exact functions ``record``, ``evaluate`` and ``train`` call, and once more through the
public path (``load_text`` + ``record``) per gate, where the expected numbers come from
the independent formulas only.

Tolerances. A central difference of F with step h has truncation error about
h²·|F'''|/6 and rounding error about eps·|F|/h (eps = 2.2e-16). With h = 1e-6, inputs
kept in [-3, 3] and at least 0.25 away from poles, upstream in [-1, 1] and at most 16
elements, |F| < ~1e3 and |F'''| < ~3e5 (the worst is x**-3 at x = 0.25), so the
truncation error is < 5e-8 and the rounding error < 2.5e-7, both absolute. Hence
``atol=1e-6`` (plus ``rtol=1e-5`` for large gradients), while a wrong formula (sign,
factor, missing term, transposition) is off by O(1). Forward values are compared at
``rtol=1e-12``: only the order of float operations differs there.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tui_backprop.engine import GATES, evaluate, load_text, record
from tui_backprop.engine.graph import Node
from tui_backprop.engine.parse import parse_graph
from tui_backprop.engine.timeline import _contributions, _forward_gate

H = 1e-6
RTOL = 1e-5
ATOL = 1e-6
FWD_RTOL = 1e-12
FWD_ATOL = 1e-12

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.filter_too_much,
                                           HealthCheck.too_slow])

# ------------------------------------------------------------------- running a gate


def run(op: str, inputs, c=None):
    """Forward the gate exactly as the timeline does: ``(ins, out, cache, local)``
    (under ``errstate(all="ignore")`` like ``record``: inf/nan are data, not warnings)."""
    vals = [np.asarray(x, dtype=np.float64) for x in inputs]
    refs = tuple((i, None) for i in range(len(vals)))
    with np.errstate(all="ignore"):
        return _forward_gate(vals, GATES[op], refs, c)


def contributions(op: str, inputs, upstream, c=None):
    ins, out, cache, local = run(op, inputs, c)
    return _contributions(GATES[op], np.asarray(upstream, dtype=np.float64), ins, out,
                          cache, local, c)


def out_of(op: str, inputs, c=None) -> np.ndarray:
    return run(op, inputs, c)[1]


def num_grad(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """Central differences of a scalar function, one element at a time, in x's shape."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += H
        xm[idx] -= H
        g[idx] = (f(xp) - f(xm)) / (2 * H)
    return g


def with_input(inputs, i, xi):
    ins = list(inputs)
    ins[i] = xi
    return ins


def numerical_vjp(fn, inputs, i, upstream, c=None) -> np.ndarray:
    """d/d(input i) of sum(upstream * fn(inputs)): Jacobianᵀ · upstream, numerically."""
    return num_grad(lambda xi: float(np.sum(upstream * fn(with_input(inputs, i, xi), c))),
                    inputs[i])


def close(actual, expected, rtol=RTOL, atol=ATOL, what=""):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


# ----------------------------------------------------------- independent references


def ew(fn):
    """A scalar ``math`` formula applied element by element (numpy broadcasting)."""
    vec = np.vectorize(fn, otypes=[np.float64])

    def ref(ins, c=None):
        args = list(ins) + ([c] if c is not None else [])
        return np.asarray(vec(*args), dtype=np.float64)
    return ref


def _rows(z):
    z = np.asarray(z, dtype=np.float64)
    return [z] if z.ndim == 1 else list(z)


def ref_softmax(ins, c=None):
    z = np.asarray(ins[0], dtype=np.float64)
    rows = []
    for row in _rows(z):
        e = [math.exp(v) for v in row]
        total = math.fsum(e)
        rows.append([v / total for v in e])
    return np.array(rows[0] if z.ndim == 1 else rows)


def ref_log_softmax(ins, c=None):
    z = np.asarray(ins[0], dtype=np.float64)
    rows = []
    for row in _rows(z):
        lse = math.log(math.fsum(math.exp(v) for v in row))
        rows.append([v - lse for v in row])
    return np.array(rows[0] if z.ndim == 1 else rows)


def ref_cross_entropy(ins, c=None):
    z, t = (np.asarray(x, dtype=np.float64) for x in ins)
    zr = _rows(z)
    if t.shape == z.shape:
        tr = _rows(t)
    else:  # class indices -> one-hot, built by hand
        idx = [int(t)] if z.ndim == 1 else [int(v) for v in t]
        tr = [[1.0 if k == j else 0.0 for k in range(z.shape[-1])] for j in idx]
    losses = []
    for row, trow in zip(zr, tr, strict=True):
        lse = math.log(math.fsum(math.exp(v) for v in row))
        losses.append(-math.fsum(tk * (v - lse) for v, tk in zip(row, trow, strict=True)))
    return np.asarray(math.fsum(losses) / len(losses))


def ref_matmul(ins, c=None):
    a, b = (np.asarray(x, dtype=np.float64) for x in ins)
    sub = {(1, 1): "i,i->", (2, 1): "ij,j->i", (1, 2): "i,ij->j", (2, 2): "ij,jk->ik"}
    return np.asarray(np.einsum(sub[a.ndim, b.ndim], a, b))


def ref_transpose(ins, c=None):
    a = np.asarray(ins[0], dtype=np.float64)
    if a.ndim < 2:
        return a.copy()
    return np.array([[a[i][j] for i in range(a.shape[0])] for j in range(a.shape[1])])


def _pairs(ins):
    p, t = (np.asarray(x, dtype=np.float64) for x in ins)
    p, t = np.broadcast_arrays(p, t)
    return list(zip(p.ravel().tolist(), t.ravel().tolist(), strict=True))


def ref_mse(ins, c=None):
    pairs = _pairs(ins)
    return np.asarray(math.fsum((p - t) ** 2 for p, t in pairs) / len(pairs))


def ref_half_sse(ins, c=None):
    return np.asarray(0.5 * math.fsum((p - t) ** 2 for p, t in _pairs(ins)))


def ref_bce(ins, c=None):
    pairs = _pairs(ins)
    return np.asarray(math.fsum(-(t * math.log(p) + (1 - t) * math.log(1 - p))
                                for p, t in pairs) / len(pairs))


def ref_sum(ins, c=None):
    return np.asarray(math.fsum(np.asarray(ins[0]).ravel().tolist()))


def ref_mean(ins, c=None):
    a = np.asarray(ins[0])
    return np.asarray(math.fsum(a.ravel().tolist()) / a.size)


def ref_stack(ins, c=None):
    return np.array([float(x) for x in ins])


# ----------------------------------------------------------------------- strategies

ANY = st.floats(-3, 3, allow_nan=False, allow_infinity=False, allow_subnormal=False)
POS = st.floats(0.25, 3, allow_nan=False, allow_infinity=False)
AWAY = st.one_of(st.floats(-3, -0.25), st.floats(0.25, 3))  # away from a pole at 0
PROB = st.floats(0.05, 0.95)
UNIT = st.floats(0, 1)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=4)
BCAST = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=4)


def arr(data, shape, elements=ANY):
    return data.draw(hnp.arrays(np.float64, shape, elements=elements))


def unary(elements=ANY, *, kink=None):
    def draw(data):
        x = arr(data, data.draw(SHAPES), elements)
        if kink is not None:  # keep clear of a kink where the derivative jumps
            assume(np.all(np.abs(x - kink) > 1e-3))
        return [x], None
    return draw


def binary(ea=ANY, eb=ANY, *, apart=False):
    def draw(data):
        shapes = data.draw(BCAST).input_shapes
        a, b = arr(data, shapes[0], ea), arr(data, shapes[1], eb)
        if apart:  # max/min: no ties (tested separately by hand)
            assume(np.all(np.abs(np.subtract(a, b)) > 1e-3))
        return [a, b], None
    return draw


def with_const(elements, consts):
    def draw(data):
        x = arr(data, data.draw(SHAPES), elements)
        return [x], data.draw(consts)
    return draw


def draw_matmul(data):
    da, db = data.draw(st.sampled_from([(1, 1), (1, 2), (2, 1), (2, 2)]))
    m, k, n = (data.draw(st.integers(1, 4)) for _ in range(3))
    a = arr(data, (k,) if da == 1 else (m, k))
    b = arr(data, (k,) if db == 1 else (k, n))
    return [a, b], None


def draw_lastaxis(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5))
    return [arr(data, shape)], None


def draw_cross_entropy(data):
    k = data.draw(st.integers(2, 5))
    batch = data.draw(st.sampled_from([None, 1, 2, 3]))
    shape = (k,) if batch is None else (batch, k)
    z = arr(data, shape)
    classes = data.draw(st.lists(st.integers(0, k - 1), min_size=batch or 1,
                                 max_size=batch or 1))
    if data.draw(st.booleans()):  # class indices
        t = np.array(classes[0] if batch is None else classes, dtype=np.float64)
    else:  # one-hot rows
        t = np.eye(k)[classes]
        t = t[0] if batch is None else t
    return [z, t], None


def draw_stack(data):
    n = data.draw(st.integers(1, 5))
    return [np.asarray(data.draw(ANY)) for _ in range(n)], None


def _ce_discrete(ins):
    return {1} if np.shape(ins[1]) != np.shape(ins[0]) else set()


INT_CONSTS = st.sampled_from([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
NONZERO_CONSTS = st.one_of(st.floats(-4, -0.25), st.floats(0.25, 4))


def draw_pow_const(data):
    c = data.draw(st.one_of(INT_CONSTS, st.floats(-2.5, 2.5)))
    # an integer power is defined for negative bases; any other needs a positive base
    elements = AWAY if float(c).is_integer() else POS
    x = arr(data, data.draw(SHAPES), elements)
    return [x], c


@dataclass(frozen=True)
class Case:
    draw: Callable
    ref: Callable
    #: the gate in the scenario language: {0}, {1} are inputs, {c} the constant
    code: str | None
    discrete: Callable = field(default=lambda ins: set())


CASES: dict[str, Case] = {
    "add": Case(binary(), ew(lambda a, b: a + b), "{0} + {1}"),
    "sub": Case(binary(), ew(lambda a, b: a - b), "{0} - {1}"),
    "mul": Case(binary(), ew(lambda a, b: a * b), "{0} * {1}"),
    "div": Case(binary(ANY, AWAY), ew(lambda a, b: a / b), "{0} / {1}"),
    "pow": Case(binary(POS, ANY), ew(lambda a, b: math.exp(b * math.log(a))), "{0} ** {1}"),
    "add_const": Case(with_const(ANY, ANY), ew(lambda x, c: x + c), "{0} + ({c})"),
    "sub_const": Case(with_const(ANY, ANY), ew(lambda x, c: x - c), "{0} - ({c})"),
    "rsub_const": Case(with_const(ANY, ANY), ew(lambda x, c: c - x), "({c}) - {0}"),
    "mul_const": Case(with_const(ANY, ANY), ew(lambda x, c: x * c), "{0} * ({c})"),
    "div_const": Case(with_const(ANY, NONZERO_CONSTS), ew(lambda x, c: x / c),
                      "{0} / ({c})"),
    "rdiv_const": Case(with_const(AWAY, ANY), ew(lambda x, c: c / x), "({c}) / {0}"),
    "pow_const": Case(draw_pow_const, ew(lambda x, c: math.pow(x, c)), "{0} ** ({c})"),
    "rpow_const": Case(with_const(ANY, POS), ew(lambda x, c: math.exp(x * math.log(c))),
                       "({c}) ** {0}"),
    "exp": Case(unary(), ew(math.exp), "exp({0})"),
    "log": Case(unary(POS), ew(math.log), "log({0})"),
    "sqrt": Case(unary(POS), ew(math.sqrt), "sqrt({0})"),
    "abs": Case(unary(kink=0.0), ew(math.fabs), "abs({0})"),
    "sigmoid": Case(unary(st.floats(-30, 30)), ew(lambda x: 1 / (1 + math.exp(-x))),
                    "sigmoid({0})"),
    "tanh": Case(unary(), ew(lambda x: (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)),
                 "tanh({0})"),
    "relu": Case(unary(kink=0.0), ew(lambda x: x if x > 0 else 0.0), "relu({0})"),
    "max": Case(binary(apart=True), ew(lambda a, b: a if a > b else b), "max({0}, {1})"),
    "min": Case(binary(apart=True), ew(lambda a, b: a if a < b else b), "min({0}, {1})"),
    "transpose": Case(unary(), ref_transpose, "{0}.T"),
    "sum": Case(unary(), ref_sum, "sum({0})"),
    "mean": Case(unary(), ref_mean, "mean({0})"),
    "matmul": Case(draw_matmul, ref_matmul, "{0} @ {1}"),
    "dot": Case(draw_matmul, ref_matmul, "dot({0}, {1})"),
    "softmax": Case(draw_lastaxis, ref_softmax, "softmax({0})"),
    "log_softmax": Case(draw_lastaxis, ref_log_softmax, "log_softmax({0})"),
    "stack": Case(draw_stack, ref_stack, None),  # internal: network neuron granularity
    "mse": Case(binary(), ref_mse, "mse({0}, {1})"),
    "half_sse": Case(binary(), ref_half_sse, "half_sse({0}, {1})"),
    "bce": Case(binary(PROB, UNIT), ref_bce, "bce({0}, {1})"),
    "cross_entropy": Case(draw_cross_entropy, ref_cross_entropy, "cross_entropy({0}, {1})",
                          _ce_discrete),
}

ALL_OPS = sorted(GATES)


def case_of(op: str) -> Case:
    if op not in CASES:
        pytest.fail(f"gate {op!r} is in GATES but has no input strategy in tests/test_gates.py")
    return CASES[op]


def test_every_gate_has_a_case():
    missing = sorted(set(GATES) - set(CASES))
    assert not missing, f"gates without a test case: {missing}"
    stale = sorted(set(CASES) - set(GATES))
    assert not stale, f"test cases for gates that do not exist: {stale}"


# --------------------------------------------------------------------- properties


@pytest.mark.parametrize("op", ALL_OPS)
@SETTINGS
@given(data=st.data())
def test_forward_matches_independent_formula(op, data):
    case = case_of(op)
    inputs, c = case.draw(data)
    spec = GATES[op]
    ins, out, cache, local = run(op, inputs, c)
    close(out, case.ref(inputs, c), FWD_RTOL, FWD_ATOL, f"{op} forward")
    # the load-time shape rule agrees with what the gate really produces
    assert tuple(spec.shape([np.shape(x) for x in inputs], c)) == out.shape
    assert set(cache) == set(spec.cache_keys)
    assert len(local) == len(inputs)


@pytest.mark.parametrize("op", ALL_OPS)
@SETTINGS
@given(data=st.data())
def test_local_gradient_matches_central_differences(op, data):
    case = case_of(op)
    inputs, c = case.draw(data)
    spec = GATES[op]
    ins, out, cache, local = run(op, inputs, c)
    skip = case.discrete(inputs)
    for i, lg in enumerate(local):
        what = f"{op} local gradient of input {i}"
        if spec.kind == "elementwise":
            # d out[j] / d x[j] for the input broadcast to the output's shape: perturbing
            # every element at once is exact for an elementwise function.
            xb = np.broadcast_to(inputs[i], out.shape).copy()
            numeric = (out_of(op, with_input(inputs, i, xb + H), c)
                       - out_of(op, with_input(inputs, i, xb - H), c)) / (2 * H)
            close(lg, numeric, what=what)
        elif spec.kind == "scalar":
            assert out.shape == ()
            assert np.shape(lg) == np.shape(inputs[i]), what
            if i in skip:
                continue
            close(lg, num_grad(lambda xi, i=i: float(out_of(op, with_input(inputs, i, xi), c)),
                               inputs[i]), what=what)
        else:
            assert spec.kind == "jacobian" and spec.vjp is not None, op
            if lg is not None:  # e.g. the inner product of two vectors: a plain gradient
                assert out.shape == ()
                close(lg, num_grad(
                    lambda xi, i=i: float(out_of(op, with_input(inputs, i, xi), c)),
                    inputs[i]), what=what)


@pytest.mark.parametrize("op", ALL_OPS)
@SETTINGS
@given(data=st.data())
def test_contribution_is_jacobian_transpose_times_upstream(op, data):
    case = case_of(op)
    inputs, c = case.draw(data)
    out = out_of(op, inputs, c)
    upstream = arr(data, out.shape, st.floats(-1, 1))
    got = contributions(op, inputs, upstream, c)
    skip = case.discrete(inputs)
    assert len(got) == len(inputs)
    for i, contrib in enumerate(got):
        what = f"{op} contribution to input {i} (shape {np.shape(inputs[i])})"
        assert np.shape(contrib) == np.shape(inputs[i]), what
        if i in skip:  # class indices: nothing flows into them
            assert np.all(contrib == 0), what
            continue
        close(contrib, numerical_vjp(case.ref, inputs, i, upstream, c), what=what)


# ------------------------------------------------------------ through the public path


def _toml_value(x) -> str:
    return repr(np.asarray(x).tolist())


def _scenario(op: str, inputs, c, upstream) -> str:
    names = ["a", "b", "c", "d", "e"][: len(inputs)]
    code = CASES[op].code.format(*names, c=repr(c) if c is not None else "")
    lines = [f"{n} = {_toml_value(x)}" for n, x in zip(names, inputs, strict=True)]
    lines.append(f"v = {_toml_value(upstream)}")
    return ('title = "one gate"\n[inputs]\n' + "\n".join(lines)
            + f'\n[graph]\ncode = """\ng = {code}\nf = sum(g * v)\n"""\n')


@pytest.mark.parametrize("op", [op for op in ALL_OPS if op in CASES and CASES[op].code])
@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_gate_through_load_and_record(op, data):
    """The gate as a learner writes it: ``g = <gate>; f = sum(g * v)``. The recorded
    forward output, the upstream arriving at g (= v) and every contribution are checked
    against the independent formulas only."""
    case = CASES[op]
    inputs, c = case.draw(data)
    ref_out = case.ref(inputs, c)
    upstream = arr(data, ref_out.shape, st.floats(-1, 1))
    timeline = record(load_text(_scenario(op, inputs, c, upstream)).graph)
    g = timeline.graph.node("g")
    assert g.op == op
    fwd = timeline[timeline.forward_step_of("g")]
    close(fwd.output, ref_out, FWD_RTOL, FWD_ATOL, f"{op} recorded output")
    bwd = timeline[timeline.backward_step_of("g")]
    close(bwd.upstream, np.broadcast_to(upstream, ref_out.shape), 0, 0, f"{op} upstream")
    skip = case.discrete(inputs)
    assert [e.name for e in bwd.inputs] == ["a", "b"][: len(inputs)]
    for i, entry in enumerate(bwd.inputs):
        if i in skip:
            assert np.all(entry.contribution == 0)
            continue
        expected = numerical_vjp(case.ref, inputs, i, upstream, c)
        close(entry.contribution, expected, what=f"{op} recorded contribution {i}")
        # the only use of the leaf: its gradient is exactly this contribution
        assert np.all(entry.grad_before == 0)
        close(entry.grad_after, entry.contribution, 0, 0)


@settings(max_examples=30, deadline=None, database=None)
@given(data=st.data())
def test_stack_through_the_internal_parser(data):
    """``stack`` only appears in generated network code (parsed with internal=True)."""
    inputs, _ = draw_stack(data)
    n = len(inputs)
    names = [f"s{i}" for i in range(n)]
    leaves = [Node(nm, "input", shape=()) for nm in names] + [Node("v", "input", shape=(n,))]
    upstream = arr(data, (n,), st.floats(-1, 1))
    values = {nm: x for nm, x in zip(names, inputs, strict=True)} | {"v": upstream}
    graph, errors = parse_graph(f"g = stack({', '.join(names)})\nf = sum(g * v)", leaves,
                                values, internal=True)
    assert errors == []
    timeline = record(graph)
    close(timeline[timeline.forward_step_of("g")].output, ref_stack(inputs), 0, 0)
    bwd = timeline[timeline.backward_step_of("g")]
    for i, entry in enumerate(bwd.inputs):  # each scalar gets its own upstream element
        assert entry.name == names[i]
        close(entry.contribution, upstream[i], 0, 0)


# ----------------------------------------------------------------- broadcasting


def test_broadcast_add_column_plus_row():
    """(3,1) + (1,4): each operand's contribution sums the upstream over the axes it
    was stretched along, and keeps its own shape."""
    a = np.array([[1.0], [2.0], [3.0]])
    b = np.array([[10.0, 20.0, 30.0, 40.0]])
    up = np.arange(12.0).reshape(3, 4)
    out = out_of("add", [a, b])
    assert out.shape == (3, 4)
    assert out[2, 3] == 43.0
    da, db = contributions("add", [a, b], up)
    assert da.shape == (3, 1) and db.shape == (1, 4)
    # row sums 0+1+2+3, 4+..+7, 8+..+11; column sums 0+4+8, ...
    np.testing.assert_array_equal(da, [[6.0], [22.0], [38.0]])
    np.testing.assert_array_equal(db, [[12.0, 15.0, 18.0, 21.0]])


def test_broadcast_scalar_times_vector():
    s = np.asarray(2.0)
    x = np.array([1.0, -2.0, 3.0])
    up = np.array([0.5, 1.0, -1.0])
    ds, dx = contributions("mul", [s, x], up)
    assert ds.shape == () and dx.shape == (3,)
    assert float(ds) == 0.5 * 1.0 + 1.0 * -2.0 + -1.0 * 3.0  # Σ upstream·x = -4.5
    np.testing.assert_array_equal(dx, [1.0, 2.0, -2.0])  # s·upstream
    # the same numbers on the public path, where x's gradient arrives via a fan-out-free use
    text = ('title = "t"\n[inputs]\ns = 2.0\nx = [1.0, -2.0, 3.0]\nu = [0.5, 1.0, -1.0]\n'
            '[graph]\ncode = """\ng = s * x\nf = sum(g * u)\n"""\n')
    grads = evaluate(load_text(text).graph).grads
    assert float(grads["s"]) == -4.5
    np.testing.assert_array_equal(grads["x"], [1.0, 2.0, -2.0])


def test_broadcast_local_gradient_is_in_the_output_shape():
    """An elementwise gate's local gradient is d out / d input per output element."""
    a = np.array([[1.0], [2.0]])
    b = np.array([[3.0, 4.0, 5.0]])
    _, out, _, (la, lb) = run("mul", [a, b])
    assert la.shape == lb.shape == out.shape == (2, 3)
    np.testing.assert_array_equal(la, [[3.0, 4.0, 5.0]] * 2)  # d(a·b)/da = b
    np.testing.assert_array_equal(lb, [[1.0] * 3, [2.0] * 3])  # d(a·b)/db = a


# ------------------------------------------------------ kinks, by hand (as PyTorch)


def test_relu_derivative_at_zero_is_zero():
    _, out, _, (local,) = run("relu", [np.array([-1.0, 0.0, 2.0])])
    np.testing.assert_array_equal(out, [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(local, [0.0, 0.0, 1.0])


def test_abs_derivative_at_zero_is_zero():
    _, out, _, (local,) = run("abs", [np.array([-1.5, 0.0, 2.0])])
    np.testing.assert_array_equal(out, [1.5, 0.0, 2.0])
    np.testing.assert_array_equal(local, [-1.0, 0.0, 1.0])


@pytest.mark.parametrize("op", ["max", "min"])
def test_tie_splits_the_gradient_equally(op):
    a = np.array([2.0, 1.0, 5.0])
    b = np.array([2.0, 3.0, 4.0])
    da, db = contributions(op, [a, b], np.array([4.0, 4.0, 4.0]))
    if op == "max":
        np.testing.assert_array_equal(da, [2.0, 0.0, 4.0])
        np.testing.assert_array_equal(db, [2.0, 4.0, 0.0])
    else:
        np.testing.assert_array_equal(da, [2.0, 4.0, 0.0])
        np.testing.assert_array_equal(db, [2.0, 0.0, 4.0])


def test_max_of_a_variable_with_itself_gives_gradient_one():
    """max(x, x) = x: the two halves of the tie add up to the true derivative 1."""
    text = ('title = "t"\n[inputs]\nx = 2.0\n[graph]\ncode = "f = max(x, x)"\n')
    timeline = record(load_text(text).graph)
    entries = timeline[timeline.backward_step_of("f")].inputs
    assert [float(e.contribution) for e in entries] == [0.5, 0.5]
    assert float(timeline.grad_at("x", len(timeline) - 1)) == 1.0


# ------------------------------------------------------- edge values, by hand


def test_pow_at_zero_base_has_a_finite_exponent_gradient():
    """d(a^b)/db = a^b·ln a is 0·(-inf) at a = 0; for b > 0 the function is flat 0 there,
    so the derivative is 0 (PyTorch's convention), not NaN."""
    _, out, _, (la, lb) = run("pow", [np.asarray(0.0), np.asarray(2.0)])
    assert float(out) == 0.0 and float(la) == 0.0 and float(lb) == 0.0


def test_zeroth_power_has_zero_local_gradient_even_at_zero():
    _, out, _, (local,) = run("pow_const", [np.array([0.0, 2.0])], 0.0)
    np.testing.assert_array_equal(out, [1.0, 1.0])
    np.testing.assert_array_equal(local, [0.0, 0.0])


def test_relu_keeps_nan_visible():
    """A NaN reaching a ReLU must stay NaN, or the non-finite step finder loses it."""
    _, out, _, _ = run("relu", [np.array([np.nan, -1.0, 1.0])])
    assert np.isnan(out[0]) and out[1] == 0.0 and out[2] == 1.0


def test_sigmoid_is_stable_far_out():
    _, out, _, (local,) = run("sigmoid", [np.array([-800.0, 800.0])])
    np.testing.assert_array_equal(out, [0.0, 1.0])
    np.testing.assert_array_equal(local, [0.0, 0.0])


def test_softmax_is_stable_for_large_logits():
    _, out, _, _ = run("softmax", [np.array([1000.0, 1000.0])])
    np.testing.assert_array_equal(out, [0.5, 0.5])
    _, loss, _, _ = run("cross_entropy", [np.array([1000.0, 0.0]), np.asarray(0.0)])
    assert float(loss) == 0.0  # -log(softmax) of a class that takes everything


# ------------------------------------------------------------- the registry itself


@pytest.mark.parametrize("op", ALL_OPS)
def test_every_gate_entry_is_complete(op):
    """One entry holds everything a view needs: label, formulas, explanations."""
    from tui_backprop.engine import explain
    from tui_backprop.engine.gates import FUNCTIONS, OPERATORS

    spec = GATES[op]
    assert spec.op == op and spec.label
    assert spec.kind in ("elementwise", "scalar", "jacobian")
    assert spec.kind != "jacobian" or spec.vjp is not None
    n = spec.arity if spec.arity > 0 else 3
    names = ["p", "q", "r"][:n]
    c = 2.0 if "{c}" in spec.label else None
    texts = [spec.formula(names, c), explain(op, "forward", c, names),
             explain(op, "backward", c, names)]
    texts += [spec.local_formula(i, names, c) for i in range(n)]
    for text in texts:
        assert text and "{" not in text and "}" not in text, (op, text)
    assert all(f in GATES for f in FUNCTIONS.values())
    assert all(o in GATES for triple in OPERATORS.values() for o in triple if o)


def test_const_gate_formulas_read_as_the_lecture_writes_them():
    assert GATES["mul"].formula(["q", "z"]) == "q·z"
    assert GATES["mul"].local_formula(0, ["q", "z"]) == "z"
    assert GATES["rdiv_const"].formula(["x"], 1.0) == "1 / x"
    assert GATES["rdiv_const"].local_formula(0, ["x"], 1.0) == "-1/x²"
    assert GATES["sigmoid"].local_formula(0, ["x"]) == "σ(x)·(1-σ(x))"


def test_cross_entropy_ignores_a_masked_logit():
    """A logit of -inf (a masked class) has softmax 0; with the target on another class
    the loss is -log 1 = 0 and the logits' gradient softmax - onehot = 0 (0·log 0 = 0)."""
    z = np.array([0.0, -np.inf])
    for t in (np.asarray(0.0), np.array([1.0, 0.0])):
        _, loss, _, _ = run("cross_entropy", [z, t])
        assert float(loss) == 0.0
        dz, _ = contributions("cross_entropy", [z, t], np.asarray(1.0))
        np.testing.assert_array_equal(dz, [0.0, 0.0])
