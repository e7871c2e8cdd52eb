"""The gate table: every operation the engine knows, each in exactly one entry.

An entry (:class:`GateSpec`) holds everything about one gate:

* ``forward(inputs, c)`` -> ``(output, cache)``: the value and what the gate keeps
  for the backward pass (e.g. sigmoid keeps its output);
* ``local(inputs, out, cache, c)`` -> one local gradient per input, computed as soon as
  the inputs arrive. For an elementwise gate it is d(out)/d(input) elementwise (in the
  output's shape); for a scalar-output gate it is the gradient array in the input's
  shape; ``None`` where the local derivative is a full Jacobian (matmul, softmax);
* ``vjp(upstream, inputs, out, cache, local, c)`` -> one contribution per input
  (optional: the default is ``upstream * local`` with broadcasting undone);
* ``expr`` / ``local_expr``: formula templates with ``{0}``, ``{1}`` for input names and
  ``{c}`` for a constant operand, e.g. ``"{0}·{1}"`` and ``["{1}", "{0}"]``;
* its explanation sentences are not here but in the message catalogue
  (:mod:`tui_backprop.text`), keyed ``gate.<op>.forward`` / ``gate.<op>.backward``, in
  every language;
* ``shape(shapes, c)``: the output shape, raising :class:`ShapeError` on a mismatch.

Adding a gate is adding one ``_gate(...)`` call below, plus its two sentences in each
language of the catalogue (a test names any that are missing). Nothing here imports
Textual or Rich.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import field

import numpy as np

from .._frozen import frozen

Array = np.ndarray


class ShapeError(ValueError):
    """Raised by a gate's shape rule when its operands do not fit. :attr:`msg` is the
    catalogue message (``str()`` the English sentence)."""

    def __init__(self, key: str, /, **params):
        from ..text.catalogue import Msg, t  # (pure; lazy: the catalogue imports us lazily)

        self.msg = Msg(key, **params)
        super().__init__(t(key, **params))


@frozen
class GateSpec:
    """One gate kind of the table: its label and expression, forward function, local
    gradients (or vector-Jacobian product), output shape and what it caches."""

    op: str
    label: str
    arity: int
    forward: Callable
    local: Callable
    expr: str
    local_expr: tuple[str | None, ...]
    shape: Callable
    vjp: Callable | None = None
    cache_keys: tuple[str, ...] = ()
    #: "elementwise" (local in the output's shape), "scalar" (scalar output, local in
    #: the input's shape) or "jacobian" (local is None, vjp required).
    kind: str = "elementwise"
    #: indices of inputs that are not differentiable (class indices)
    discrete: tuple[int, ...] = field(default=())
    #: optional plain-float twin ``(forward(*xs, c) -> out, local(*xs, out, c) -> tuple)``
    #: used by the training fast path on all-scalar graphs; may raise ArithmeticError or
    #: ValueError (the fast path then falls back to the numpy implementation above).
    scalar: tuple[Callable, Callable] | None = None

    def formula(self, names: Sequence[str], c: float | None = None) -> str:
        """The gate's output as a formula of its input names, e.g. ``q·z``."""
        return _fill(self.expr, names, c)

    def local_formula(self, i: int, names: Sequence[str], c: float | None = None) -> str:
        """The local derivative of the output with respect to input ``i`` in words."""
        template = self.local_expr[i] if i < len(self.local_expr) else None
        return _fill(template, names, c) if template else "(see formula)"


def fmt_const(c: float | None) -> str:
    """A constant as a label shows it: ``1`` not ``1.0``, ``-1``, ``0.5``."""
    if c is None:
        return ""
    if float(c).is_integer() and abs(c) < 1e15:
        return str(int(c))
    return repr(float(c))


def _fill(template: str, names: Sequence[str], c: float | None) -> str:
    out = template.replace("{c}", fmt_const(c))
    for i, n in enumerate(names):
        out = out.replace(f"{{{i}}}", n)
    return out


# ---------------------------------------------------------------------------- shapes


def _broadcast(shapes, c=None):
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError as exc:
        if len(shapes) == 2:
            raise ShapeError("diag.shape.broadcast", a=_sh(shapes[0]), b=_sh(shapes[1])
                             ) from exc
        raise ShapeError("diag.shape.broadcast.many", shapes=", ".join(_sh(s) for s in shapes)
                         ) from exc


def _same(shapes, c=None):
    return tuple(shapes[0])


def _scalar_of_broadcast(shapes, c=None):
    _broadcast(shapes)
    return ()


def _reduce(shapes, c=None):
    return ()


def _sh(s) -> str:
    return "(" + ", ".join(str(d) for d in s) + (",)" if len(s) == 1 else ")")


def _matmul_shape(shapes, c=None):
    a, b = shapes
    if len(a) == 0 or len(b) == 0:
        raise ShapeError("diag.shape.matmul_arrays", a=_sh(a), b=_sh(b))
    if len(a) > 2 or len(b) > 2:
        raise ShapeError("diag.shape.matmul_dims")
    if a[-1] != b[0]:
        raise ShapeError("diag.shape.matmul_inner", a=_sh(a), b=_sh(b), m=a[-1], n=b[0])
    return tuple(a[:-1]) + tuple(b[1:])


def _transpose_shape(shapes, c=None):
    return tuple(reversed(shapes[0]))


def _lastaxis_shape(shapes, c=None):
    if len(shapes[0]) == 0 or len(shapes[0]) > 2:
        raise ShapeError("diag.shape.last_axis", shape=_sh(shapes[0]))
    return tuple(shapes[0])


def _ce_shape(shapes, c=None):
    z, t = shapes
    if len(z) not in (1, 2):
        raise ShapeError("diag.shape.ce_logits", shape=_sh(z))
    if tuple(t) != tuple(z) and tuple(t) != tuple(z[:-1]):
        raise ShapeError("diag.shape.ce_target", shape=_sh(z), index_shape=_sh(z[:-1]),
                         got=_sh(t))
    return ()


def _stack_shape(shapes, c=None):
    if any(len(s) != 0 for s in shapes):
        raise ShapeError("diag.shape.stack")
    return (len(shapes),)


# ------------------------------------------------------------------------- helpers


def unbroadcast(g: Array, shape: tuple[int, ...]) -> Array:
    """Sum a gradient in a broadcast shape back down to an operand's ``shape``."""
    g = np.asarray(g, dtype=np.float64)
    if g.shape == tuple(shape):
        return g
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, dim in enumerate(shape):
        if dim == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g.reshape(shape)


def _sigmoid(x):
    # exp(-|x|) never overflows; both branches agree where they meet.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(z):
    m = np.max(z, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(z - m)
    return e / np.sum(e, axis=-1, keepdims=True)


def _log_softmax(z):
    m = np.max(z, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    s = z - m
    return s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))


def _onehot(t, z):
    """The target as a one-hot array in the logits' shape (class indices -> one-hot)."""
    if t.shape == z.shape:
        return t
    t = np.asarray(t, dtype=np.float64)
    if not np.all((t == np.round(t)) & (t >= 0) & (t < z.shape[-1])):
        # not a class index (a computed target, NaN, out of range): the loss is
        # undefined, so show NaN rather than pick some class or crash
        return np.full(z.shape, np.nan)
    oh = np.zeros(z.shape)
    idx = t.astype(np.int64)
    if z.ndim == 1:
        oh[int(idx)] = 1.0
    else:
        oh[np.arange(z.shape[0]), idx] = 1.0
    return oh


def _rows(z) -> int:
    return z.shape[0] if z.ndim == 2 else 1


def _dpow_base(a, b):
    """d(a^b)/da = b·a^(b-1), taken as 0 where b = 0: a^0 is flat, even at a = 0 where
    the formula gives 0·inf = NaN (PyTorch's convention)."""
    return np.where(b == 0, 0.0, b * a ** (b - 1.0))


def _dpow_exponent(a, b, out):
    """d(a^b)/db = a^b·ln a, taken as 0 where a = 0 and b >= 0 (0·ln 0 would be NaN;
    PyTorch's convention)."""
    return np.where((a == 0) & (b >= 0), 0.0, out * np.log(a))


def _matmul_vjp(g, ins, out, cache, local, c):
    a, b = ins
    if a.ndim == 1 and b.ndim == 1:
        return [g * b, g * a]
    if a.ndim == 2 and b.ndim == 1:
        return [np.outer(g, b), a.T @ g]
    if a.ndim == 1 and b.ndim == 2:
        return [b @ g, np.outer(a, g)]
    return [g @ b.T, a.T @ g]


def _matmul_local(ins, out, cache, c):
    a, b = ins
    if a.ndim == 1 and b.ndim == 1:  # inner product: the local gradient is a vector
        return [b, a]
    return [None, None]


# ---------------------------------------------------------------------- the table

GATES: dict[str, GateSpec] = {}


def _gate(op: str, label: str, arity: int, forward, local, expr, local_expr, *,
          shape=None, vjp=None, cache=(), kind="elementwise", discrete=()) -> None:
    if op in GATES:
        raise RuntimeError(f"gate {op!r} defined twice")
    if shape is None:
        shape = _broadcast if arity > 1 else _same
    GATES[op] = GateSpec(op, label, arity, forward, local, expr, tuple(local_expr),
                         shape, vjp, tuple(cache), kind, tuple(discrete))


def _nc(value):
    """A forward result with nothing cached."""
    return value, {}


def _keep(out):
    """A forward result that caches its own output (exp, sqrt, σ, tanh, softmax)."""
    return out, {"out": out}


# --- binary arithmetic ---------------------------------------------------------------
_gate("add", "+", 2,
      lambda i, c: _nc(i[0] + i[1]),
      lambda i, o, k, c: [np.ones_like(o), np.ones_like(o)],
      "{0} + {1}", ["1", "1"])
_gate("sub", "-", 2,
      lambda i, c: _nc(i[0] - i[1]),
      lambda i, o, k, c: [np.ones_like(o), -np.ones_like(o)],
      "{0} - {1}", ["1", "-1"])
_gate("mul", "*", 2,
      lambda i, c: _nc(i[0] * i[1]),
      lambda i, o, k, c: [np.broadcast_to(i[1], o.shape).copy(),
                          np.broadcast_to(i[0], o.shape).copy()],
      "{0}·{1}", ["{1}", "{0}"])
_gate("div", "/", 2,
      lambda i, c: _nc(i[0] / i[1]),
      lambda i, o, k, c: [np.broadcast_to(1.0 / i[1], o.shape).copy(),
                          np.broadcast_to(-i[0] / (i[1] * i[1]), o.shape).copy()],
      "{0} / {1}", ["1/{1}", "-{0}/{1}²"])
_gate("pow", "**", 2,
      lambda i, c: _nc(i[0] ** i[1]),
      lambda i, o, k, c: [np.broadcast_to(_dpow_base(i[0], i[1]), o.shape).copy(),
                          np.broadcast_to(_dpow_exponent(i[0], i[1], o), o.shape).copy()],
      "{0}^{1}", ["{1}·{0}^({1}-1)", "{0}^{1}·ln {0}"])

# --- binary operator with one constant operand: a unary gate labelled by the constant --
_gate("add_const", "+{c}", 1,
      lambda i, c: _nc(i[0] + c),
      lambda i, o, k, c: [np.ones_like(o)],
      "{0} + {c}", ["1"])
_gate("sub_const", "-{c}", 1,
      lambda i, c: _nc(i[0] - c),
      lambda i, o, k, c: [np.ones_like(o)],
      "{0} - {c}", ["1"])
_gate("rsub_const", "{c}-x", 1,
      lambda i, c: _nc(c - i[0]),
      lambda i, o, k, c: [-np.ones_like(o)],
      "{c} - {0}", ["-1"])
_gate("mul_const", "*{c}", 1,
      lambda i, c: _nc(i[0] * c),
      lambda i, o, k, c: [np.full_like(o, c)],
      "{0}·{c}", ["{c}"])
_gate("div_const", "/{c}", 1,
      lambda i, c: _nc(i[0] / c),
      lambda i, o, k, c: [np.full_like(o, np.divide(1.0, c))],  # x / 0: inf, not a crash
      "{0} / {c}", ["1/{c}"])
_gate("rdiv_const", "{c}/x", 1,
      lambda i, c: _nc(c / i[0]),
      lambda i, o, k, c: [-c / (i[0] * i[0])],
      "{c} / {0}", ["-{c}/{0}²"])
_gate("pow_const", "**{c}", 1,
      lambda i, c: _nc(i[0] ** c),
      lambda i, o, k, c: [_dpow_base(i[0], c)],
      "{0}^{c}", ["{c}·{0}^({c}-1)"])
_gate("rpow_const", "{c}**x", 1,
      lambda i, c: _nc(c ** i[0]),
      lambda i, o, k, c: [_dpow_exponent(c, i[0], o)],
      "{c}^{0}", ["{c}^{0}·ln {c}"])

# --- unary functions ----------------------------------------------------------------
_gate("exp", "exp", 1,
      lambda i, c: _keep(np.exp(i[0])),
      lambda i, o, k, c: [o],
      "exp({0})", ["exp({0})"], cache=("out",))
_gate("log", "log", 1,
      lambda i, c: _nc(np.log(i[0])),
      lambda i, o, k, c: [1.0 / i[0]],
      "ln({0})", ["1/{0}"])
_gate("sqrt", "sqrt", 1,
      lambda i, c: _keep(np.sqrt(i[0])),
      lambda i, o, k, c: [0.5 / o],
      "√{0}", ["1/(2√{0})"],
      cache=("out",))
_gate("abs", "abs", 1,
      lambda i, c: _nc(np.abs(i[0])),
      lambda i, o, k, c: [np.sign(i[0])],
      "|{0}|", ["sign({0})"])
_gate("sigmoid", "σ", 1,
      lambda i, c: _keep(_sigmoid(i[0])),
      lambda i, o, k, c: [o * (1.0 - o)],
      "σ({0})", ["σ({0})·(1-σ({0}))"],
      cache=("out",))
_gate("tanh", "tanh", 1,
      lambda i, c: _keep(np.tanh(i[0])),
      lambda i, o, k, c: [1.0 - o * o],
      "tanh({0})", ["1-tanh²({0})"],
      cache=("out",))
_gate("relu", "relu", 1,
      # NaN passes through (as in np.maximum) so the non-finite finder still sees it
      lambda i, c: (lambda m: (np.where(m | np.isnan(i[0]), i[0], 0.0),
                               {"mask": m.astype(np.float64)}))(i[0] > 0),
      lambda i, o, k, c: [k["mask"].copy()],
      "max(0, {0})", ["1 if {0} > 0 else 0"], cache=("mask",))
_gate("max", "max", 2,
      lambda i, c: _nc(np.maximum(i[0], i[1])),
      lambda i, o, k, c: [np.broadcast_to(np.where(i[0] > i[1], 1.0,
                                                   np.where(i[0] == i[1], 0.5, 0.0)),
                                          o.shape).copy(),
                          np.broadcast_to(np.where(i[1] > i[0], 1.0,
                                                   np.where(i[0] == i[1], 0.5, 0.0)),
                                          o.shape).copy()],
      "max({0}, {1})", ["1 if {0} > {1} else 0", "1 if {1} > {0} else 0"])
_gate("min", "min", 2,
      lambda i, c: _nc(np.minimum(i[0], i[1])),
      lambda i, o, k, c: [np.broadcast_to(np.where(i[0] < i[1], 1.0,
                                                   np.where(i[0] == i[1], 0.5, 0.0)),
                                          o.shape).copy(),
                          np.broadcast_to(np.where(i[1] < i[0], 1.0,
                                                   np.where(i[0] == i[1], 0.5, 0.0)),
                                          o.shape).copy()],
      "min({0}, {1})", ["1 if {0} < {1} else 0", "1 if {1} < {0} else 0"])
_gate("transpose", ".T", 1,
      lambda i, c: _nc(i[0].T.copy()),
      lambda i, o, k, c: [None],
      "{0}ᵀ", ["transposes the gradient back"],
      shape=_transpose_shape, vjp=lambda g, i, o, k, loc, c: [g.T.copy()], kind="jacobian")

# --- reductions and vector gates ----------------------------------------------------
_gate("sum", "sum", 1,
      lambda i, c: _nc(np.sum(i[0])),
      lambda i, o, k, c: [np.ones_like(i[0])],
      "Σ {0}", ["1"],
      shape=_reduce, kind="scalar")
_gate("mean", "mean", 1,
      lambda i, c: _nc(np.mean(i[0])),
      lambda i, o, k, c: [np.full_like(i[0], 1.0 / i[0].size)],
      "mean({0})", ["1/n"],
      shape=_reduce, kind="scalar")
_gate("matmul", "@", 2,
      lambda i, c: _nc(np.matmul(i[0], i[1])),
      _matmul_local,
      "{0} @ {1}", ["d{0} = upstream @ {1}ᵀ", "d{1} = {0}ᵀ @ upstream"],
      shape=_matmul_shape, vjp=_matmul_vjp, kind="jacobian")
_gate("dot", "·", 2,
      lambda i, c: _nc(np.matmul(i[0], i[1])),
      _matmul_local,
      "{0} · {1}", ["d{0} = upstream @ {1}ᵀ", "d{1} = {0}ᵀ @ upstream"],
      shape=_matmul_shape, vjp=_matmul_vjp, kind="jacobian")
_gate("softmax", "softmax", 1,
      lambda i, c: _keep(_softmax(i[0])),
      lambda i, o, k, c: [None],
      "softmax({0})", ["dz = s ⊙ (upstream - Σ upstream⊙s)"],
      shape=_lastaxis_shape, cache=("out",), kind="jacobian",
      vjp=lambda g, i, o, k, loc, c: [o * (g - np.sum(g * o, axis=-1, keepdims=True))])
_gate("log_softmax", "log_softmax", 1,
      lambda i, c: (lambda o: (o, {"softmax": np.exp(o)}))(_log_softmax(i[0])),
      lambda i, o, k, c: [None],
      "log_softmax({0})", ["dz = upstream - softmax ⊙ Σ upstream"],
      shape=_lastaxis_shape, cache=("softmax",), kind="jacobian",
      vjp=lambda g, i, o, k, loc, c: [g - k["softmax"] * np.sum(g, axis=-1, keepdims=True)])
_gate("stack", "stack", -1,
      lambda i, c: _nc(np.array([float(v) for v in i])),
      lambda i, o, k, c: [None] * len(i),
      "[{0}, …]", ["picks element i of upstream"],
      shape=_stack_shape, kind="jacobian",
      vjp=lambda g, i, o, k, loc, c: [np.asarray(g[j]) for j in range(len(i))])

# --- losses (scalar output; local gradients are arrays in each input's shape) -------


def _mse_local(i, o, k, c):
    p, t = i
    n = np.broadcast(p, t).size
    d = 2.0 * (p - t) / n
    return [unbroadcast(d, p.shape), unbroadcast(-d, t.shape)]


def _half_sse_local(i, o, k, c):
    p, t = i
    return [unbroadcast(p - t, p.shape), unbroadcast(t - p, t.shape)]


def _bce_forward(i, c):
    p, t = i
    return np.mean(-(t * np.log(p) + (1.0 - t) * np.log(1.0 - p))), {}


def _bce_local(i, o, k, c):
    p, t = i
    n = np.broadcast(p, t).size
    dp = (-(t / p) + (1.0 - t) / (1.0 - p)) / n
    # dt depends on p only: spread it over the broadcast shape before summing back to t's
    dt = np.broadcast_to((np.log(1.0 - p) - np.log(p)) / n, np.broadcast_shapes(p.shape,
                                                                                 t.shape))
    return [unbroadcast(dp, p.shape), unbroadcast(dt, t.shape)]


def _ce_forward(i, c):
    z, t = i
    ls = _log_softmax(z)
    oh = _onehot(t, z)
    # 0·log 0 = 0: a class the target gives no weight adds nothing, even at a logit of -inf
    loss = -np.sum(np.where(oh == 0, 0.0, oh * ls)) / _rows(z)
    return np.asarray(loss), {"softmax": np.exp(ls)}


def _ce_local(i, o, k, c):
    z, t = i
    oh = _onehot(t, z)
    n = _rows(z)
    s = k["softmax"]
    dz = (s * np.sum(oh, axis=-1, keepdims=True) - oh) / n
    if t.shape == z.shape:
        dt = -_log_softmax(z) / n
    else:  # class indices are discrete: no derivative flows into them
        dt = np.zeros_like(t)
    return [dz, dt]


_gate("mse", "mse", 2,
      lambda i, c: _nc(np.mean((i[0] - i[1]) ** 2)),
      _mse_local,
      "mean(({0} - {1})²)", ["2({0} - {1})/n", "-2({0} - {1})/n"],
      shape=_scalar_of_broadcast, kind="scalar")
_gate("half_sse", "½Σ²", 2,
      lambda i, c: _nc(0.5 * np.sum((i[0] - i[1]) ** 2)),
      _half_sse_local,
      "½Σ({0} - {1})²", ["{0} - {1}", "{1} - {0}"],
      shape=_scalar_of_broadcast, kind="scalar")
_gate("bce", "bce", 2,
      _bce_forward,
      _bce_local,
      "mean(-({1}·ln {0} + (1-{1})·ln(1-{0})))",
      ["(-{1}/{0} + (1-{1})/(1-{0}))/n", "(ln(1-{0}) - ln {0})/n"],
      shape=_scalar_of_broadcast, kind="scalar")
_gate("cross_entropy", "CE", 2,
      _ce_forward,
      _ce_local,
      "-mean Σ {1}·log_softmax({0})", ["(softmax({0}) - {1})/N", "-log_softmax({0})/N"],
      shape=_ce_shape, cache=("softmax",), kind="scalar", discrete=())

#: Functions the scenario language may call, mapped to gate ops and their arity.
FUNCTIONS: dict[str, str] = {
    "exp": "exp", "log": "log", "sqrt": "sqrt", "abs": "abs", "sigmoid": "sigmoid",
    "tanh": "tanh", "relu": "relu", "max": "max", "min": "min", "sum": "sum",
    "mean": "mean", "dot": "dot", "matmul": "matmul", "softmax": "softmax",
    "log_softmax": "log_softmax", "mse": "mse", "half_sse": "half_sse",
    "cross_entropy": "cross_entropy", "bce": "bce",
}

#: Binary operators (ast class name -> (two-variable op, const-on-right op, const-on-left op)).
OPERATORS: dict[str, tuple[str, str | None, str | None]] = {
    "Add": ("add", "add_const", "add_const"),
    "Sub": ("sub", "sub_const", "rsub_const"),
    "Mult": ("mul", "mul_const", "mul_const"),
    "Div": ("div", "div_const", "rdiv_const"),
    "Pow": ("pow", "pow_const", "rpow_const"),
    "MatMult": ("matmul", None, None),
}


def gate_label(op: str, c: float | None) -> str:
    """The label drawn on the gate's box, e.g. ``*``, ``*-1``, ``+1``, ``1/x``, ``σ``."""
    return GATES[op].label.replace("{c}", fmt_const(c))


def explain(op: str, phase: str, c: float | None = None, names: Sequence[str] = ()) -> str:
    """The gate's English sentence for ``phase`` (forward or backward), from the message
    catalogue. A compatibility path for callers not yet on the presentation model
    (:func:`tui_backprop.model.view.explanation` gives the language-free message)."""
    from ..text.catalogue import gate_message, messages  # text is pure; imported lazily

    return messages("en").render(gate_message(op, phase, c, names))


# ------------------------------------------------ scalar twins for the fast path
# Plain Python floats are ~10x cheaper than 0-d numpy arrays; the training fast path
# (timeline.train) uses these on graphs where every value is a scalar. Each twin must
# compute exactly what the numpy entry above computes.


def _scalar(op: str, forward: Callable, local: Callable) -> None:
    from dataclasses import replace

    GATES[op] = replace(GATES[op], scalar=(forward, local))


def _sig(x: float) -> float:
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


def _tie(a: float, b: float) -> float:
    return 1.0 if a > b else (0.5 if a == b else 0.0)


_scalar("add", lambda a, b, c: a + b, lambda a, b, o, c: (1.0, 1.0))
_scalar("sub", lambda a, b, c: a - b, lambda a, b, o, c: (1.0, -1.0))
_scalar("mul", lambda a, b, c: a * b, lambda a, b, o, c: (b, a))
_scalar("div", lambda a, b, c: a / b, lambda a, b, o, c: (1.0 / b, -a / (b * b)))
_scalar("add_const", lambda a, c: a + c, lambda a, o, c: (1.0,))
_scalar("sub_const", lambda a, c: a - c, lambda a, o, c: (1.0,))
_scalar("rsub_const", lambda a, c: c - a, lambda a, o, c: (-1.0,))
_scalar("mul_const", lambda a, c: a * c, lambda a, o, c: (c,))
_scalar("div_const", lambda a, c: a / c, lambda a, o, c: (1.0 / c,))
_scalar("rdiv_const", lambda a, c: c / a, lambda a, o, c: (-c / (a * a),))
_scalar("pow_const", lambda a, c: math.pow(a, c), lambda a, o, c: (c * math.pow(a, c - 1.0),))
_scalar("exp", lambda a, c: math.exp(a), lambda a, o, c: (o,))
_scalar("log", lambda a, c: math.log(a), lambda a, o, c: (1.0 / a,))
_scalar("sigmoid", lambda a, c: _sig(a), lambda a, o, c: (o * (1.0 - o),))
_scalar("tanh", lambda a, c: math.tanh(a), lambda a, o, c: (1.0 - o * o,))
_scalar("relu", lambda a, c: a if a > 0 else 0.0, lambda a, o, c: (1.0 if a > 0 else 0.0,))
_scalar("abs", lambda a, c: abs(a),
        lambda a, o, c: (1.0 if a > 0 else (-1.0 if a < 0 else (0.0 if a == 0 else a)),))
# like numpy.maximum/minimum, a NaN operand gives NaN (a + b)
_scalar("max", lambda a, b, c: a if a >= b else (b if b > a else a + b),
        lambda a, b, o, c: (_tie(a, b), _tie(b, a)))
_scalar("min", lambda a, b, c: a if a <= b else (b if b < a else a + b),
        lambda a, b, o, c: (_tie(b, a), _tie(a, b)))
