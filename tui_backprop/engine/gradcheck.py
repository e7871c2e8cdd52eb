"""Numerical gradient check: central differences for every element of every leaf.

The relative error is ``|a - n| / max(|a|, |n|, 1e-12)``, as the CS231n notes recommend.
A non-scalar output is checked as the sum of its elements (the seed of ones).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .graph import Graph
from .timeline import _Compiled, _pass, evaluate

#: The step of the central difference.
DEFAULT_STEP = 1e-5


@dataclass(frozen=True, slots=True)
class GradCheckRow:
    """One leaf element: analytic vs numerical gradient."""

    leaf: str
    index: tuple[int, ...]
    analytic: float
    numerical: float
    rel_error: float

    @property
    def name(self) -> str:
        if not self.index:
            return self.leaf
        return f"{self.leaf}[{','.join(str(i) for i in self.index)}]"

    def passed(self, tolerance: float) -> bool:
        return bool(self.rel_error <= tolerance)


def rel_error(a: float, n: float) -> float:
    """``|a - n| / max(|a|, |n|, 1e-12)``; nan when either side is not finite."""
    if not (np.isfinite(a) and np.isfinite(n)):
        return float("nan") if not (a == n) else 0.0
    return float(abs(a - n) / max(abs(a), abs(n), 1e-12))


def gradcheck(graph: Graph, step: float = DEFAULT_STEP) -> list[GradCheckRow]:
    """Analytic gradients from one backward pass against central differences.

    Leaves holding class indices (discrete) are skipped.
    """
    analytic = evaluate(graph).grads
    comp = _Compiled.of(graph)
    rows: list[GradCheckRow] = []

    def f(values) -> float:
        vals, _ = _pass(comp, values, backward=False)
        return float(np.sum(vals[comp.output]))

    base = dict(graph.leaf_values)
    with np.errstate(all="ignore"):
        for node in graph.leaves:
            if node.kind == "const" or node.name in graph.discrete:
                continue
            x = np.array(base[node.name], dtype=np.float64)
            for idx in np.ndindex(*x.shape) if x.shape else [()]:
                orig = x[idx]
                x[idx] = orig + step
                plus = f({**base, node.name: x.copy()})
                x[idx] = orig - step
                minus = f({**base, node.name: x.copy()})
                x[idx] = orig
                num = (plus - minus) / (2.0 * step)
                a = float(np.asarray(analytic[node.name])[idx])
                rows.append(GradCheckRow(node.name, tuple(int(i) for i in idx), a, num,
                                         rel_error(a, num)))
    return rows

