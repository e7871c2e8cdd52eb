"""Numerical gradient check: central differences for every element of every leaf.

The relative error is ``|a - n| / max(|a|, |n|, 1e-12)``, as the CS231n notes recommend.
A row passes when its relative error is within the tolerance **or** its absolute error
``|a - n|`` is within ``ABS_TOLERANCE · max(1, |f|)``: central differences carry
rounding noise of about ``1e-16 · |f| / step`` (``~1e-11``), so an analytic 0 against a
numerical ``1e-12`` is agreement, not a relative error of 1.

At a kink (``relu``, ``abs`` at 0; ``max``/``min`` with equal inputs) the function is not
differentiable: the two sides of the central difference take different branches and the
numerical value is their average, while the analytic gradient takes one side. Such a
row names the gate (``kink``) instead of failing.

A non-scalar output is checked as the sum of its elements (the seed of ones).
"""

from __future__ import annotations

import numpy as np

from .._frozen import frozen
from ..text.catalogue import Msg
from .errors import english
from .graph import Graph
from .timeline import _Compiled, _pass, evaluate

#: The step of the central difference.
DEFAULT_STEP = 1e-5
#: The absolute error that always passes, scaled by ``max(1, |f|)`` (see above).
ABS_TOLERANCE = 1e-8
#: Gates with a kink: a switching point where they are not differentiable.
KINK_GATES = frozenset({"relu", "abs", "max", "min"})


@frozen(slots=True)
class GradCheckRow:
    """One leaf element: analytic vs numerical gradient."""

    leaf: str
    index: tuple[int, ...]
    analytic: float
    numerical: float
    rel_error: float
    #: ``|analytic - numerical|``
    abs_error: float = float("nan")
    #: the absolute error that passes for this graph (``ABS_TOLERANCE · max(1, |f|)``)
    abs_tolerance: float = 0.0
    #: the gate whose kink the central difference straddled (not differentiable here)
    kink: str | None = None
    #: that gate's operation (``relu``, ``abs``, ``max``, ``min``)
    kink_op: str | None = None

    @property
    def name(self) -> str:
        if not self.index:
            return self.leaf
        return f"{self.leaf}[{','.join(str(i) for i in self.index)}]"

    def agrees(self, tolerance: float) -> bool:
        """Within the relative tolerance, or within the absolute floor."""
        return bool(self.rel_error <= tolerance or self.abs_error <= self.abs_tolerance)

    def status(self, tolerance: float) -> str:
        """``pass``; ``kink`` (disagrees, but at a point where the function is not
        differentiable, so there is no gradient to check); or ``FAIL``."""
        if self.agrees(tolerance):
            return "pass"
        return "kink" if self.kink is not None else "FAIL"

    def passed(self, tolerance: float) -> bool:
        """Not a failure: it agrees, or it sits at a kink."""
        return self.status(tolerance) != "FAIL"

    def note_msg(self, tolerance: float) -> Msg | None:
        """Why a ``kink`` row is not checked, as a message (None for other rows)."""
        if self.status(tolerance) != "kink":
            return None
        where = {"relu": "gradcheck.note.zero", "abs": "gradcheck.note.zero",
                 "max": "gradcheck.note.equal", "min": "gradcheck.note.equal"}
        key = where.get(self.kink_op)
        return Msg("gradcheck.note.kink", name=self.name, gate=repr(self.kink), op=self.kink_op,
                   where=Msg(key) if key else "")

    def note(self, tolerance: float) -> str | None:
        """One line saying why a ``kink`` row is not checked (None otherwise), in
        English."""
        msg = self.note_msg(tolerance)
        return None if msg is None else english(msg)


def rel_error(a: float, n: float) -> float:
    """``|a - n| / max(|a|, |n|, 1e-12)``; nan when either side is not finite."""
    if not (np.isfinite(a) and np.isfinite(n)):
        return float("nan") if not (a == n) else 0.0
    return float(abs(a - n) / max(abs(a), abs(n), 1e-12))


def _abs_error(a: float, n: float) -> float:
    if not (np.isfinite(a) and np.isfinite(n)):
        return float("nan") if not (a == n) else 0.0
    return float(abs(a - n))


def gradcheck(graph: Graph, step: float = DEFAULT_STEP) -> list[GradCheckRow]:
    """Analytic gradients from one backward pass against central differences.

    Leaves holding class indices (discrete) are skipped.
    """
    ev = evaluate(graph)
    analytic = ev.grads
    comp = _Compiled.of(graph)
    rows: list[GradCheckRow] = []
    kinks = [(comp.slot[n.name], n) for n in graph.gates if n.op in KINK_GATES]
    with np.errstate(all="ignore"):
        f0 = float(np.sum(ev.output))
    atol = ABS_TOLERANCE * max(1.0, abs(f0)) if np.isfinite(f0) else 0.0

    def branches(vals) -> list:
        """Which side of its kink every kink gate is on."""
        out = []
        for _, n in kinks:
            ins = [vals[comp.slot[r.node]] if r.index is None else
                   vals[comp.slot[r.node]][r.index] for r in n.inputs]
            d = ins[0] if len(ins) == 1 else np.subtract(ins[0], ins[1])
            out.append(np.sign(d))
        return out

    def f(values) -> tuple[float, list]:
        vals, _ = _pass(comp, values, backward=False)
        return float(np.sum(vals[comp.output])), branches(vals)

    base = dict(graph.leaf_values)
    with np.errstate(all="ignore"):
        for node in graph.leaves:
            if node.kind == "const" or node.name in graph.discrete:
                continue
            x = np.array(base[node.name], dtype=np.float64)
            for idx in np.ndindex(*x.shape) if x.shape else [()]:
                orig = x[idx]
                x[idx] = orig + step
                plus, b_plus = f({**base, node.name: x.copy()})
                x[idx] = orig - step
                minus, b_minus = f({**base, node.name: x.copy()})
                x[idx] = orig
                num = (plus - minus) / (2.0 * step)
                a = float(np.asarray(analytic[node.name])[idx])
                kink = next(((n.name, n.op) for (_, n), p, m in zip(kinks, b_plus, b_minus,
                                                                    strict=True)
                             if not np.array_equal(p, m)), (None, None))
                rows.append(GradCheckRow(node.name, tuple(int(i) for i in idx), a, num,
                                         rel_error(a, num), _abs_error(a, num), atol,
                                         *kink))
    return rows

