"""The graph IR: a single-assignment equation list, in evaluation order.

Leaves (inputs, params, constants) come first, then one :class:`Node` per gate in the
order the source evaluates them. The trace, the code view and the circuit are all views
of this one list. A gate's inputs are :class:`Ref` s: a whole node, or (for networks at
neuron granularity) one element of an array leaf such as ``W1[0,1]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, replace
from types import MappingProxyType

import numpy as np

from .._frozen import frozen
from ..text.catalogue import Msg
from .errors import ScenarioError, diag
from .gates import GATES, ShapeError, gate_label


@frozen(slots=True)
class Ref:
    """A gate input: node ``node``, or its element ``index`` when one is given."""

    node: str
    index: tuple[int, ...] | None = None

    @property
    def name(self) -> str:
        if self.index is None:
            return self.node
        return f"{self.node}[{','.join(str(i) for i in self.index)}]"


@frozen(slots=True)
class Node:
    """One equation ``name = op(inputs)`` (a gate) or one leaf."""

    name: str
    kind: str  # input | param | const | gate
    op: str | None = None
    inputs: tuple[Ref, ...] = ()
    const: float | None = None  # the constant operand of a unary const gate
    shape: tuple[int, ...] = ()
    line: int | None = None  # 1-based line in the graph's code
    col: int | None = None  # 1-based column of the gate's expression
    end_col: int | None = None
    named: bool = False  # True when the source names it (the last gate of a line)

    @property
    def label(self) -> str:
        if self.kind != "gate":
            return self.name
        return gate_label(self.op, self.const)

    @property
    def is_leaf(self) -> bool:
        return self.kind != "gate"


@frozen
class Graph:
    """An immutable equation list plus the leaves' values."""

    nodes: tuple[Node, ...]
    output: str
    leaf_values: Mapping[str, np.ndarray]
    code: str = ""
    #: leaves that hold class indices: not differentiable, skipped by gradcheck
    discrete: frozenset[str] = field(default_factory=frozenset)
    index: Mapping[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index",
                           MappingProxyType({n.name: i for i, n in enumerate(self.nodes)}))
        frozen = {}
        for k, v in self.leaf_values.items():
            a = np.array(v, dtype=np.float64)
            a.setflags(write=False)
            frozen[k] = a
        object.__setattr__(self, "leaf_values", MappingProxyType(frozen))

    def node(self, name: str) -> Node:
        return self.nodes[self.index[name]]

    @property
    def leaves(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.is_leaf)

    @property
    def gates(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if not n.is_leaf)

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.nodes if n.kind == "param")

    def with_leaf(self, name: str, value) -> Graph:
        """A new graph with leaf ``name`` set to ``value``, which must have the leaf's
        shape: an edit changes numbers, never the graph (a scalar that became a list
        would silently turn every gate after it into a vector one).

        Raises :class:`ScenarioError` for a value of another shape (the message says
        what to enter) or, for a leaf of class indices, for values that are not ones.
        """
        if name not in self.index or not self.node(name).is_leaf:
            raise ScenarioError([diag(None, None, None, "diag.leaf.not_leaf", name=repr(name))])
        arr = np.array(value, dtype=np.float64)
        want = self.node(name).shape
        if arr.shape != want:
            raise ScenarioError([diag(None, None, None, "diag.leaf.shape", name=name,
                                      what=shape_words(want, "is"),
                                      want=shape_words(want, "enter"),
                                      got=shape_words(arr.shape, "enter"))])
        if name in self.discrete and not np.all(np.isfinite(arr) & (arr == np.round(arr))
                                                & (arr >= 0)):
            raise ScenarioError([diag(None, None, None, "diag.leaf.class_indices", name=name)])
        values = dict(self.leaf_values)
        values[name] = arr
        return infer_shapes(replace_values(self, values))


def shape_words(shape: tuple[int, ...], role: str) -> Msg:
    """A shape in words, as a message: ``role`` ``"is"`` names what a leaf is (``a
    scalar``, ``a vector of 3``, ``2×3``), ``"enter"`` what to type for it (``one
    number``, ``a list of 3 numbers``, ``a 2×3 nested list``)."""
    # the keys spelt out whole: a test finds every catalogue key in the sources
    enter = role == "enter"
    if not shape:
        return Msg("diag.leaf.enter.scalar" if enter else "diag.leaf.is.scalar")
    if len(shape) == 1:
        if shape[0] == 1:
            return Msg("diag.leaf.enter.vector1" if enter else "diag.leaf.is.vector1", n=1)
        return Msg("diag.leaf.enter.vector" if enter else "diag.leaf.is.vector", n=shape[0])
    text = "×".join(str(d) for d in shape)
    return Msg("diag.leaf.enter.array" if enter else "diag.leaf.is.array", shape=text)


def replace_values(graph: Graph, values: Mapping[str, np.ndarray]) -> Graph:
    nodes = tuple(
        replace(n, shape=tuple(np.shape(values[n.name]))) if n.is_leaf else n
        for n in graph.nodes
    )
    return Graph(nodes, graph.output, values, graph.code, graph.discrete)


def ref_shape(shapes: Mapping[str, tuple[int, ...]], ref: Ref) -> tuple[int, ...]:
    shape = shapes[ref.node]
    if ref.index is None:
        return shape
    if len(ref.index) != len(shape) or any(
        not 0 <= i < d for i, d in zip(ref.index, shape, strict=False)
    ):
        raise ShapeError("diag.shape.index", name=ref.name, shape=str(shape))
    return ()


def infer_shapes(graph: Graph) -> Graph:
    """Propagate shapes through every gate; a mismatch is an error naming the line."""
    shapes: dict[str, tuple[int, ...]] = {}
    nodes = []
    for n in graph.nodes:
        if n.is_leaf:
            shapes[n.name] = n.shape
            nodes.append(n)
            continue
        spec = GATES[n.op]
        try:
            out = spec.shape([ref_shape(shapes, r) for r in n.inputs], n.const)
        except ShapeError as exc:
            raise ScenarioError(
                [diag(None, n.line, n.col, "diag.shape.mismatch", label=repr(n.label),
                      detail=exc.msg)]
            ) from None
        shapes[n.name] = tuple(out)
        nodes.append(replace(n, shape=tuple(out)) if tuple(out) != n.shape else n)
    return Graph(tuple(nodes), graph.output, graph.leaf_values, graph.code, graph.discrete)

