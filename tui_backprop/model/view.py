"""What one step says: :func:`step_view` turns ``(timeline, k)`` into a :class:`StepView`,
and :func:`node_view` turns ``(timeline, k, node)`` into a :class:`NodeView`. Every
renderer (the inspector, the explain line, the status bar, the values table, the code
panel, the circuit labels, the text, markdown and JSON traces) draws one of these and
computes nothing numeric itself.

The views are plain frozen data: no Rich, no Textual, no language. Numbers are
:class:`Num` (the raw engine number plus what it is, where it sits and whether this step
produced it); words are :class:`~tui_backprop.text.catalogue.Msg` (a catalogue key and its
parameters) or language-free math (:class:`Formula`).

Masking (quiz mode) happens here and only here: pass ``hide`` (a predicate over
:class:`Num`) and every number it selects comes out with ``hidden=True``; renderers then
draw it as ``?`` (:meth:`Num.text`). :func:`hide_new` hides what the step computes (its
"next numbers"), :func:`hide_slots` hides chosen positions. A hidden local gradient takes
its formula with it when the formula gives the number away (:func:`gives_away`: the add
gate's ``1``, a constant's ``c``, ReLU's ``1 if x > 0 else 0``); the formula is then drawn
``?`` too (:meth:`Formula.render`), so no panel shows ``∂q/∂x = 1 = ?``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields

import numpy as np

from .._frozen import frozen
from ..engine import (
    GATES,
    BackwardStep,
    ForwardStep,
    SeedStep,
    Timeline,
    UpdateStep,
)
from ..numfmt import DEFAULT_PRECISION, fmt_full, fmt_value
from ..text.catalogue import Msg, gate_message, gate_params, local_message_key, messages

__all__ = [
    "AccumulateView", "CacheView", "ChainView", "Formula", "GateView", "Hide", "InputView",
    "LocalView", "NodeView", "Num", "ReceivedView", "StepView", "UpdateView", "gives_away",
    "hide_new", "uses_inputs", "hide_slots", "node_view", "node_views", "step_view",
]

#: The text a hidden number shows.
HIDDEN = "?"


# ----------------------------------------------------------------------------- numbers


@frozen(slots=True)
class Num:
    """One number of a view: the engine's own array or float (never reformatted here),
    its role (``value``, ``gradient`` or ``local``, see :mod:`tui_backprop.render.roles`),
    its ``slot`` (a stable position in the view, e.g. ``output``, ``input.0.local``,
    ``input.1.grad_after``), whether the step being viewed produced it (``new``) and
    whether it is masked (``hidden``)."""

    value: np.ndarray | float
    role: str
    slot: str
    new: bool = False
    hidden: bool = False

    @property
    def is_scalar(self) -> bool:
        return np.ndim(self.value) == 0

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(np.shape(self.value))

    def text(self, precision: int = DEFAULT_PRECISION, *, full: bool = False,
             max_items: int = 6) -> str:
        """The number as the views print it (``?`` when hidden); formatting is
        :mod:`tui_backprop.numfmt`'s."""
        if self.hidden:
            return HIDDEN
        return fmt_full(self.value) if full else fmt_value(self.value, precision, max_items)


#: A masking predicate: ``True`` hides the number.
Hide = Callable[[Num], bool]


def hide_new(num: Num) -> bool:
    """Hide every number the step computes (the output and local gradients of a forward
    step, the contributions and grad_after of a backward step, the seed, the updated
    params); what it reads (inputs, upstream, grad_before) stays visible."""
    return num.new


def hide_slots(*slots: str) -> Hide:
    """Hide the numbers in these slots only (e.g. ``hide_slots("output")``)."""
    chosen = frozenset(slots)
    return lambda num: num.slot in chosen


class _Numbers:
    """Makes the view's numbers; the one place ``hide`` is applied."""

    def __init__(self, hide: Hide | None) -> None:
        self.hide = hide

    def __call__(self, value, role: str, slot: str, new: bool = False) -> Num:
        num = Num(value, role, slot, new)
        if self.hide is not None and self.hide(num):
            num = Num(value, role, slot, new, hidden=True)
        return num

    def maybe(self, value, role: str, slot: str, new: bool = False) -> Num | None:
        return None if value is None else self(value, role, slot, new)


# ------------------------------------------------------------------------------- words


@frozen(slots=True)
class Formula:
    """A formula as math (``text``, language-free: ``q·z``, ``σ(x)·(1-σ(x))``, the text
    the JSON trace carries) and, where the gate describes it in words
    (``1 if x > 0 else 0``, ``d{a} = upstream @ {b}ᵀ``), the catalogue message that says
    it in the reader's language. ``hidden``: masked with the number it gives away (a
    quiz); ``text`` stays the real formula (the JSON trace and the quiz's feedback read
    it), every renderer draws :meth:`render`, which is then ``?``."""

    text: str
    msg: Msg | None = None
    hidden: bool = False

    def render(self, msgs) -> str:
        """The formula in the language of ``msgs`` (a :class:`Messages`); ``?`` when
        hidden."""
        if self.hidden:
            return HIDDEN
        return msgs.render(self.msg) if self.msg is not None else self.text


# ------------------------------------------------------------------------------- views


@frozen(slots=True)
class GateView:
    """The gate of a forward or backward step: ``node = formula``, drawn as ``label``."""

    node: str
    op: str
    label: str
    formula: Formula
    const: float | None


@frozen(slots=True)
class LocalView:
    """d(gate output)/d(input): its formula and value (``None``: a Jacobian, see the
    contribution)."""

    formula: Formula
    value: Num | None


@frozen(slots=True)
class ChainView:
    """The chain rule for one input: ``contribution = upstream × local_grad``. ``how`` is
    ``scalar`` (both factors scalars), ``elementwise`` (arrays, ``upstream ⊙ local_grad``)
    or ``vjp`` (a vector-Jacobian product: no local array). ``summed_to`` is the input's
    shape when a broadcast input's product was summed back down to it."""

    upstream: Num
    local: Num | None
    contribution: Num
    how: str
    summed_to: tuple[int, ...] | None


@frozen(slots=True)
class AccumulateView:
    """``grad[name] += contribution``: ``grad_before`` -> ``grad_after``; this is the
    ``k``-th of ``n`` ``+=`` that reach ``name`` in the iteration; ``terms`` are every
    contribution received so far (this one last)."""

    name: str
    node: str
    contribution: Num
    grad_before: Num
    grad_after: Num
    k: int
    n: int
    terms: tuple[Num, ...]


@frozen(slots=True)
class InputView:
    """One input of the step's gate. Forward: its ``value`` and ``local`` gradient.
    Backward: its ``local`` gradient, the ``chain`` product and the ``+=``."""

    name: str  # as the gate refers to it: a node, or one element ("W1[0,1]")
    node: str
    value: Num | None
    local: LocalView
    chain: ChainView | None = None
    accumulate: AccumulateView | None = None


@frozen(slots=True)
class CacheView:
    """One intermediate a gate keeps for the backward pass."""

    key: str
    value: Num


@frozen(slots=True)
class UpdateView:
    """``after = before - learning_rate × grad`` for one param."""

    name: str
    before: Num
    grad: Num
    after: Num


@frozen
class StepView:
    """Everything step ``index`` of a timeline says, in the lecture's vocabulary.

    Fields a phase does not have are ``None`` or empty: ``gate``, ``inputs`` for forward
    and backward; ``output``, ``cache`` for forward; ``upstream`` for backward; ``seed``
    for the seed; ``learning_rate``, ``updates`` for the update. ``explanation`` is the
    explain line as messages; ``nonfinite`` marks the first inf/nan of a pass.
    """

    index: int
    count: int
    iteration: int
    phase: str
    output_name: str
    node: str | None
    gate: GateView | None
    upstream: Num | None
    inputs: tuple[InputView, ...]
    output: Num | None
    cache: tuple[CacheView, ...]
    seed: Num | None
    learning_rate: Num | None
    updates: tuple[UpdateView, ...]
    loss: Num | None
    explanation: tuple[Msg, ...]
    nonfinite: Msg | None

    def numbers(self) -> Iterator[Num]:
        """Every number of the view, in reading order, each once."""
        seen: set[int] = set()
        for num in _walk(self):
            if id(num) not in seen:
                seen.add(id(num))
                yield num

    def new_numbers(self) -> tuple[Num, ...]:
        """The numbers this step computes, in reading order (what a quiz asks for)."""
        return tuple(n for n in self.numbers() if n.new)


def _walk(obj) -> Iterator[Num]:
    if isinstance(obj, Num):
        yield obj
    elif isinstance(obj, tuple):
        for item in obj:
            yield from _walk(item)
    elif hasattr(obj, "__dataclass_fields__") and not isinstance(obj, Formula | Msg):
        for f in fields(obj):
            yield from _walk(getattr(obj, f.name))


# ---------------------------------------------------------------------------- builders


def _formula(op: str, names: Sequence[str], c: float | None) -> Formula:
    return Formula(GATES[op].formula(names, c))


def _local_formula(op: str, i: int, names: Sequence[str], c: float | None,
                   local: Num | None = None) -> Formula:
    """Input ``i``'s local-gradient formula; hidden with ``local`` when that is hidden
    and the formula gives it away."""
    text = GATES[op].local_formula(i, names, c)
    key = local_message_key(op, i)
    msg = Msg(key, **gate_params(names, c)) if messages("en").has(key) else None
    hidden = local is not None and local.hidden and gives_away(text, local.value, names)
    return Formula(text, msg, hidden)


#: A number written in a formula (not part of a name such as ``x1`` or ``W1[0,1]``).
_NUMBER = re.compile(r"(?<![\w.\[,])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])")


def uses_inputs(text: str, names: Sequence[str]) -> bool:
    """Whether formula ``text`` names any of the inputs ``names`` (``1/x``: yes;
    ``1``, ``1/4``: no, the formula is a constant)."""
    return any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", text) for n in names if n)


def gives_away(text: str, value, names: Sequence[str]) -> bool:
    """Whether local-gradient formula ``text`` (of inputs ``names``) shows its value
    ``value`` to anyone who reads it: a formula of no input at all (``1``, ``-1``, a
    constant ``3``, ``1/4``, ``1/n``: it *is* the number), or one that writes the number
    itself (``1 if x > 0 else 0`` for ReLU, ``1-tanh²(x)`` at ``x = 0``)."""
    if not uses_inputs(text, names):
        return True
    if np.ndim(value) != 0:
        return False
    x = abs(float(value))
    if not math.isfinite(x):
        return False
    return any(math.isclose(float(t), x, rel_tol=1e-9, abs_tol=1e-12)
               for t in _NUMBER.findall(text))


def _nonfinite(timeline: Timeline, k: int) -> Msg | None:
    if k == timeline.first_nonfinite_forward:
        return Msg("step.nonfinite.value")
    if k == timeline.first_nonfinite_backward:
        return Msg("step.nonfinite.gradient")
    return None


def step_view(timeline: Timeline, k: int, *, hide: Hide | None = None) -> StepView:
    """The view of step ``k``; ``hide`` masks the numbers it selects (quiz mode)."""
    step = timeline[k]
    num = _Numbers(hide)
    graph = timeline.graph
    out_name = graph.output
    loss_value = timeline.value_at(out_name, k)
    loss = num.maybe(loss_value, "value", "loss")
    common = dict(index=k, count=len(timeline), iteration=step.iteration, phase=step.phase,
                  output_name=out_name, loss=loss, nonfinite=_nonfinite(timeline, k))
    empty = dict(node=None, gate=None, inputs=(), output=None, cache=(), upstream=None,
                 seed=None, learning_rate=None, updates=())

    def make(**fields) -> StepView:
        return StepView(**{**common, **empty, **fields})

    if isinstance(step, ForwardStep):
        c = graph.node(step.node).const
        names = [iv.name for iv in step.inputs]
        gate = GateView(step.node, step.op, step.label, _formula(step.op, names, c), c)
        locals_ = [num.maybe(iv.local_grad, "local", f"input.{i}.local", new=True)
                   for i, iv in enumerate(step.inputs)]
        inputs = tuple(
            InputView(iv.name, _node_of(iv.name), num(iv.value, "value", f"input.{i}.value"),
                      LocalView(_local_formula(step.op, i, names, c, local), local))
            for (i, iv), local in zip(enumerate(step.inputs), locals_, strict=True))
        output = num(step.output, "value", "output", new=True)
        if step.node == out_name:  # the loss is this output: one number, masked once
            common["loss"] = output
        cache = tuple(CacheView(key, num(v, "value", f"cache.{key}", new=True))
                      for key, v in step.cache.items())
        return make(node=step.node, gate=gate, inputs=inputs, output=output, cache=cache,
                    explanation=(gate_message(step.op, "forward", c, names),
                                 Msg("explain.forward.local_now")))

    if isinstance(step, SeedStep):
        key = "explain.seed.scalar" if np.ndim(step.grad) == 0 else "explain.seed.tensor"
        return make(node=step.node, seed=num(step.grad, "gradient", "seed", new=True),
                    explanation=(Msg(key, node=step.node),))

    if isinstance(step, BackwardStep):
        c = graph.node(step.node).const
        names = [ig.name for ig in step.inputs]
        gate = GateView(step.node, step.op, step.label, _formula(step.op, names, c), c)
        upstream = num(step.upstream, "gradient", "upstream")
        it = timeline.iteration_of(k)
        inputs = []
        explanation = [gate_message(step.op, "backward", c, names)]
        for i, ig in enumerate(step.inputs):
            local = num.maybe(ig.local_grad, "local", f"input.{i}.local")
            contribution = num(ig.contribution, "gradient", f"input.{i}.contribution", new=True)
            chain = ChainView(upstream, local, contribution, _how(step.upstream, ig),
                              _summed_to(step.upstream, ig))
            # the += into this reference so far: earlier steps', then this step's own
            # earlier inputs (x * x adds into x twice in one step), then this one
            earlier = [x for x in timeline.contributions_at(ig.node, k)
                       if x.ref == ig.name and x.step < k]
            terms = tuple(num(x.contribution, "gradient", f"input.{i}.term.{j}")
                          for j, x in enumerate(earlier))
            terms += tuple(prev.accumulate.contribution for prev in inputs
                           if prev.name == ig.name) + (contribution,)
            total = sum(1 for x in timeline.contributions_at(ig.node, it.end - 1)
                        if x.ref == ig.name)
            acc = AccumulateView(ig.name, ig.node, contribution,
                                 num(ig.grad_before, "gradient", f"input.{i}.grad_before"),
                                 num(ig.grad_after, "gradient", f"input.{i}.grad_after",
                                     new=True),
                                 len(terms), total, terms)
            inputs.append(InputView(ig.name, ig.node, None,
                                    LocalView(_local_formula(step.op, i, names, c, local),
                                              local),
                                    chain=chain, accumulate=acc))
            if total > 1 and len(explanation) == 1:
                explanation.append(Msg("explain.backward.fan_out", name=ig.name, uses=total))
        return make(node=step.node, gate=gate, inputs=tuple(inputs), upstream=upstream,
                    explanation=tuple(explanation))

    if isinstance(step, UpdateStep):
        updates = tuple(
            UpdateView(p.name, num(p.before, "value", f"param.{i}.before"),
                       num(p.grad, "gradient", f"param.{i}.grad"),
                       num(p.after, "value", f"param.{i}.after", new=True))
            for i, p in enumerate(step.params))
        lr = float(step.learning_rate)
        return make(learning_rate=num(lr, "value", "learning_rate"), updates=updates,
                    explanation=(Msg("explain.update", lr=lr),))

    raise TypeError(f"unknown step type {type(step).__name__}")  # pragma: no cover


def _node_of(ref: str) -> str:
    """The node an input reference names (``W1[0,1]`` -> ``W1``)."""
    return ref.split("[", 1)[0]


def _how(upstream, ig) -> str:
    if ig.local_grad is None:
        return "vjp"
    if np.ndim(upstream) == 0 and np.ndim(ig.local_grad) == 0:
        return "scalar"
    return "elementwise"


def _summed_to(upstream, ig) -> tuple[int, ...] | None:
    """The input's shape when its product was summed back to it (it was broadcast)."""
    if ig.local_grad is None or (np.ndim(upstream) == 0 and np.ndim(ig.local_grad) == 0):
        return None
    product = np.broadcast_shapes(np.shape(upstream), np.shape(ig.local_grad))
    shape = tuple(np.shape(ig.contribution))
    return shape if product != shape else None


# --------------------------------------------------------------------------- node view


@frozen(slots=True)
class ReceivedView:
    """One ``+=`` a node received: from gate ``gate`` through ``ref`` at step ``step``."""

    step: int
    gate: str
    ref: str
    contribution: Num


@frozen
class NodeView:
    """A node at step ``k``, for the values table, the code lines and the circuit labels:
    its value and gradient so far (``None``: not computed / nothing arrived yet), the
    ``+=`` it has received (``received``) of the ``expected`` per iteration, and whether
    it is the current step's node."""

    name: str
    kind: str  # input, param, const or gate
    op: str | None
    label: str
    shape: tuple[int, ...]
    value: Num | None
    grad: Num | None
    received: tuple[ReceivedView, ...]
    expected: int
    current: bool

    def numbers(self) -> Iterator[Num]:
        for n in (self.value, self.grad, *(r.contribution for r in self.received)):
            if n is not None:
                yield n


#: The unmasked node views of the last step asked for: every panel (code, values,
#: circuit labels) asks for the same nodes of the same step, once per step.
_memo: tuple[Timeline | None, int, object, dict[str, NodeView]] = (None, -1, None, {})


def node_view(timeline: Timeline, k: int, name: str, *, hide: Hide | None = None) -> NodeView:
    """The view of node ``name`` as of step ``k``; ``hide`` masks as for :func:`step_view`
    (a number is ``new`` when step ``k`` produced it, so a quiz hides the same number in
    every panel)."""
    global _memo
    if hide is not None:  # a mask may change within a step (a quiz answer reveals)
        return _node_view(timeline, k, name, hide)
    step = timeline[k]
    memo_tl, memo_k, memo_step, views = _memo
    # the step object too: a timeline that drops old iterations renumbers its steps
    if memo_tl is not timeline or memo_k != k or memo_step is not step:
        views = {}
        _memo = (timeline, k, step, views)
    view = views.get(name)
    if view is None:
        view = views[name] = _node_view(timeline, k, name, None)
    return view


def _node_view(timeline: Timeline, k: int, name: str, hide: Hide | None) -> NodeView:
    num = _Numbers(hide)
    node = timeline.graph.node(name)
    step = timeline[k]
    value_new = ((isinstance(step, ForwardStep) and step.node == name)
                 or (isinstance(step, UpdateStep) and any(p.name == name for p in step.params)))
    contributions = timeline.contributions_at(name, k)
    grad_new = ((isinstance(step, SeedStep) and step.node == name)
                or any(x.step == k for x in contributions))
    received = tuple(ReceivedView(x.step, x.gate, x.ref,
                                  num(x.contribution, "gradient", f"received.{j}",
                                      new=x.step == k))
                     for j, x in enumerate(contributions))
    return NodeView(name, node.kind, node.op, node.label, tuple(node.shape),
                    num.maybe(timeline.value_at(name, k), "value", "value", value_new),
                    num.maybe(timeline.grad_at(name, k), "gradient", "grad", grad_new),
                    received, timeline.expected_contributions(name),
                    getattr(step, "node", None) == name)


def node_views(timeline: Timeline, k: int, *, hide: Hide | None = None) -> tuple[NodeView, ...]:
    """Every node of the graph at step ``k``, in graph order."""
    return tuple(node_view(timeline, k, n.name, hide=hide) for n in timeline.graph.nodes)
