"""Run a graph gate by gate and record every step in an immutable :class:`Timeline`.

One iteration records: one :class:`ForwardStep` per gate (in evaluation order), one
:class:`SeedStep`, one :class:`BackwardStep` per gate (exactly the reverse order) and,
when training, one :class:`UpdateStep`. The UI only moves a cursor over ``steps``.

:func:`train` runs the same per-gate code without recording (the fast path).
All numeric blow-ups (overflow, 0-division, log 0, NaN) become inf/nan, never errors;
the first step where one appears is recorded.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType
from typing import ClassVar

import numpy as np

from .._frozen import frozen
from ..text.catalogue import Msg
from ._gc import no_gc
from .errors import Diagnostic, ScenarioError, english
from .gates import GATES, GateSpec, unbroadcast
from .graph import Graph, replace_values

Array = np.ndarray

#: The most array data one call of :func:`record` may keep (its estimate, checked before
#: any work starts): every recorded step holds its own copies of the values it shows, so
#: a large array through many gates multiplies. (Each step also costs about 1.8 KB of
#: Python objects; that part is bounded by the gate limit: ~350 MiB at 100,000 gates.)
MAX_RECORD_BYTES = 128 * 2**20


def recording_bytes(graph: Graph, iterations: int = 1) -> int:
    """An upper estimate of the array data :func:`record` keeps for ``iterations``
    iterations of ``graph``: per gate its output, cache and local gradients (forward),
    and per input its contribution, grad_before and grad_after (backward; an element
    reference such as ``W1[0,1]`` keeps a copy of the whole accumulated gradient), plus
    the params' before, grad and after in the update."""
    size = {n.name: math.prod(n.shape) for n in graph.nodes}
    elements = 0
    for n in graph.nodes:
        if n.is_leaf:
            continue
        elements += 2 * size[n.name]  # the output and (at most) a cache of its size
        for r in n.inputs:
            inp = 1 if r.index is not None else size[r.node]
            elements += inp * 3 + size[r.node]  # local_grad, contribution, before; after
    elements += 3 * sum(size[n.name] for n in graph.nodes if n.kind == "param")
    return 8 * elements * max(1, iterations)


def budget_msg(need: int, iterations: int) -> Msg:
    """Why a recording is refused, with how much it would need and how to shrink it."""
    if iterations == 1:
        return Msg("diag.budget.one", need=_mib(need), budget=_mib(MAX_RECORD_BYTES))
    return Msg("diag.budget.many", n=f"{iterations:,}", need=_mib(need),
               budget=_mib(MAX_RECORD_BYTES))


def budget_message(need: int, iterations: int) -> str:
    """:func:`budget_msg` in English."""
    return english(budget_msg(need, iterations))


def _mib(n: int) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**30 else f"{max(1, round(n / 2**20)):,} MiB"


class RecordingTooLarge(ScenarioError):
    """:func:`record` was asked for more than :data:`MAX_RECORD_BYTES`."""


def _ro(a) -> Array:
    a = np.asarray(a, dtype=np.float64)
    if a.flags.writeable:
        if a.base is not None or not a.flags.owndata:
            a = a.copy()
        a.setflags(write=False)
    return a


# ---------------------------------------------------------------------------- steps


@frozen(slots=True)
class InputValue:
    """A forward step's view of one input: its value and the local gradient."""

    name: str
    value: Array
    local_grad: Array | None


@frozen(slots=True)
class ForwardStep:
    """The forward pass computes one gate: ``node = op(inputs)``, its ``output``, the
    local gradient of each input, and what the gate keeps for the backward pass."""

    phase: ClassVar[str] = "forward"
    index: int
    iteration: int
    node: str
    op: str
    label: str
    inputs: tuple[InputValue, ...]
    output: Array
    cache: Mapping[str, Array]


@frozen(slots=True)
class SeedStep:
    """The backward pass starts: the output's gradient is seeded (``dL/dL = 1``)."""

    phase: ClassVar[str] = "seed"
    index: int
    iteration: int
    node: str
    grad: Array


@frozen(slots=True)
class InputGrad:
    """A backward step's work on one input: ``grad_after = grad_before + contribution``
    where ``contribution = upstream × local_grad`` (a vector-Jacobian product for tensor
    gates). For an element reference (``W1[0,1]``) before/after are that element's."""

    name: str
    node: str
    local_grad: Array | None
    contribution: Array
    grad_before: Array
    grad_after: Array


@frozen(slots=True)
class BackwardStep:
    """The backward pass goes through one gate: its ``upstream`` gradient times each
    input's local gradient, added to that input's gradient."""

    phase: ClassVar[str] = "backward"
    index: int
    iteration: int
    node: str
    op: str
    label: str
    upstream: Array
    inputs: tuple[InputGrad, ...]


@frozen(slots=True)
class ParamUpdate:
    """One param's SGD update: ``after = before - learning_rate × grad``."""

    name: str
    before: Array
    grad: Array
    after: Array


@frozen(slots=True)
class UpdateStep:
    """The end of an iteration: every param updated with its gradient."""

    phase: ClassVar[str] = "update"
    index: int
    iteration: int
    learning_rate: float
    params: tuple[ParamUpdate, ...]


Step = ForwardStep | SeedStep | BackwardStep | UpdateStep


@frozen(slots=True)
class Contribution:
    """One ``+=`` a node received: at ``step`` the gate ``gate`` added ``contribution``
    through the input reference ``ref`` (``W1[0,1]`` or the node's own name)."""

    step: int
    gate: str
    ref: str
    contribution: Array
    grad_before: Array
    grad_after: Array


@frozen(slots=True)
class IterationInfo:
    """Where one recorded iteration's steps are, and its loss (the output's value)."""

    iteration: int
    start: int  # index of its first step
    end: int  # index one past its last step
    loss: Array


# ------------------------------------------------------------------------ compiled


@frozen
class _Compiled:
    """The graph as slot-indexed instructions, built once per graph."""

    graph: Graph
    names: tuple[str, ...]
    slot: Mapping[str, int]
    gates: tuple[tuple[int, GateSpec, tuple[tuple[int, tuple | None], ...], float | None], ...]
    leaf_slots: tuple[int, ...]
    output: int
    param_slots: tuple[int, ...]

    @classmethod
    def of(cls, graph: Graph) -> _Compiled:
        names = tuple(n.name for n in graph.nodes)
        slot = {n: i for i, n in enumerate(names)}
        gates = tuple(
            (slot[n.name], GATES[n.op], tuple((slot[r.node], r.index) for r in n.inputs), n.const)
            for n in graph.nodes if not n.is_leaf
        )
        return cls(graph, names, slot, gates,
                   tuple(slot[n.name] for n in graph.nodes if n.is_leaf),
                   slot[graph.output], tuple(slot[p] for p in graph.params))


def _finite(a) -> bool:
    return bool(np.isfinite(a).all())


def _forward_gate(vals, spec, ins_ref, c):
    ins = [vals[s] if idx is None else vals[s][idx] for s, idx in ins_ref]
    ins = [np.asarray(v, dtype=np.float64) for v in ins]
    out, cache = spec.forward(ins, c)
    out = np.asarray(out, dtype=np.float64)
    local = spec.local(ins, out, cache, c)
    return ins, out, cache, local


def _contributions(spec, upstream, ins, out, cache, local, c):
    if spec.vjp is not None:
        return [np.asarray(g, dtype=np.float64) for g in spec.vjp(upstream, ins, out, cache,
                                                                  local, c)]
    if spec.kind == "scalar":
        return [upstream * lg for lg in local]
    return [unbroadcast(upstream * lg, x.shape) for lg, x in zip(local, ins, strict=True)]


def _accumulate(grads, shapes, s, idx, contribution):
    """``grad[s] += contribution`` (element ``idx`` only when given); returns
    ``(grad_before, grad_after)`` of what was added to and the new full gradient."""
    before_full = grads[s]
    if before_full is None:
        before_full = np.zeros(shapes[s])
    if idx is None:
        after_full = before_full + contribution
        grads[s] = after_full
        return before_full, after_full, after_full
    after_full = np.array(before_full, dtype=np.float64)
    after_full[idx] += contribution
    grads[s] = after_full
    return np.asarray(before_full[idx]), np.asarray(after_full[idx]), after_full


# ------------------------------------------------------------------------ timeline


@frozen
class Timeline:
    """Every recorded step of one or more iterations, with lookups for views.

    ``value_at``, ``grad_at`` and ``contributions_at`` answer "what did node X hold at
    cursor k", so a view never recomputes a number.
    """

    graph: Graph
    steps: tuple[Step, ...]
    iterations: tuple[IterationInfo, ...]
    #: the graph with the params after the last recorded update (the next iteration's)
    next_graph: Graph
    first_nonfinite_forward: int | None
    first_nonfinite_backward: int | None
    _values: Mapping[str, tuple[tuple[int, ...], tuple[Array, ...]]] = field(repr=False)
    _grads: Mapping[str, tuple[tuple[int, ...], tuple[Array, ...]]] = field(repr=False)
    _contribs: Mapping[str, tuple[Contribution, ...]] = field(repr=False)
    _forward_index: Mapping[tuple[int, str], int] = field(repr=False)
    _backward_index: Mapping[tuple[int, str], int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, k: int) -> Step:
        return self.steps[k]

    @property
    def first_nonfinite(self) -> int | None:
        """The first step where a non-finite value or gradient appeared."""
        found = [k for k in (self.first_nonfinite_forward, self.first_nonfinite_backward)
                 if k is not None]
        return min(found) if found else None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(it.start for it in self.iterations))

    def iteration_of(self, k: int) -> IterationInfo:
        """The iteration that step ``k`` belongs to."""
        return self.iterations[max(0, bisect.bisect_right(self._starts, k) - 1)]

    def _lookup(self, table, name: str, k: int) -> Array | None:
        idxs, arrays = table.get(name, ((), ()))
        pos = bisect.bisect_right(idxs, k) - 1
        if pos < 0 or idxs[pos] < self.iteration_of(k).start:
            return None
        return arrays[pos]

    def value_at(self, name: str, k: int) -> Array | None:
        """The node's value as of step ``k`` (``None`` if not yet computed this iteration)."""
        return self._lookup(self._values, name, k)

    def grad_at(self, name: str, k: int) -> Array | None:
        """dOutput/dnode accumulated as of step ``k`` (``None`` if nothing arrived yet)."""
        return self._lookup(self._grads, name, k)

    def contributions_at(self, name: str, k: int) -> tuple[Contribution, ...]:
        """Every ``+=`` node ``name`` received this iteration up to and including step k."""
        start = self.iteration_of(k).start
        return tuple(c for c in self._contribs.get(name, ()) if start <= c.step <= k)

    def expected_contributions(self, name: str) -> int:
        """How many ``+=`` a node receives per iteration: one per use by a gate."""
        return sum(1 for c in self._contribs.get(name, ())
                   if c.step < self.iterations[0].end)

    def forward_step_of(self, node: str, iteration: int | None = None) -> int | None:
        it = iteration if iteration is not None else self.iterations[0].iteration
        return self._forward_index.get((it, node))

    def backward_step_of(self, node: str, iteration: int | None = None) -> int | None:
        it = iteration if iteration is not None else self.iterations[0].iteration
        return self._backward_index.get((it, node))

    def phase_end(self, k: int, phase: str) -> int:
        """The last step of ``phase`` in the iteration holding step ``k`` (``k`` itself
        when the iteration has no such phase)."""
        it = self.iteration_of(k)
        for j in range(it.end - 1, it.start - 1, -1):
            if self.steps[j].phase == phase:
                return j
        return k

    @property
    def losses(self) -> tuple[Array, ...]:
        return tuple(it.loss for it in self.iterations)


def record(graph: Graph, *, iterations: int = 1, learning_rate: float | None = None,
           first_iteration: int = 1) -> Timeline:
    """Run ``iterations`` iterations of ``graph`` and record every step.

    Without a ``learning_rate`` one iteration is recorded (forward, seed, backward) and
    nothing is updated. Raises :class:`RecordingTooLarge` (before any work) when the
    recording would need more than :data:`MAX_RECORD_BYTES`.
    """
    n = iterations if learning_rate is not None else 1
    need = recording_bytes(graph, n)
    if need > MAX_RECORD_BYTES:
        raise RecordingTooLarge([Diagnostic(None, None, None, budget_msg(need, n))])
    with no_gc():
        return _record(graph, iterations, learning_rate, first_iteration)


def _record(graph: Graph, iterations: int, learning_rate: float | None,
            first_iteration: int) -> Timeline:
    comp = _Compiled.of(graph)
    steps: list[Step] = []
    infos: list[IterationInfo] = []
    values: dict[str, tuple[list, list]] = {n: ([], []) for n in comp.names}
    gradsh: dict[str, tuple[list, list]] = {n: ([], []) for n in comp.names}
    contribs: dict[str, list[Contribution]] = {n: [] for n in comp.names}
    fwd_index: dict[tuple[int, str], int] = {}
    bwd_index: dict[tuple[int, str], int] = {}
    nf_forward: int | None = None
    nf_backward: int | None = None
    shapes = [n.shape for n in graph.nodes]
    names = comp.names
    current = graph
    if learning_rate is None:
        iterations = 1
    with np.errstate(all="ignore"):
        for it in range(first_iteration, first_iteration + iterations):
            start = len(steps)
            vals: list = [None] * len(names)
            for s in comp.leaf_slots:
                v = current.leaf_values[names[s]]
                vals[s] = v
                values[names[s]][0].append(start)
                values[names[s]][1].append(v)
            saved = []
            for s, spec, ins_ref, c in comp.gates:
                ins, out, cache, local = _forward_gate(vals, spec, ins_ref, c)
                out = _ro(out)
                vals[s] = out
                saved.append((ins, out, cache, local))
                k = len(steps)
                node = graph.nodes[s]
                step = ForwardStep(
                    k, it, names[s], spec.op, node.label,
                    tuple(InputValue(_refname(names, si, idx), _ro(v),
                                     None if lg is None else _ro(lg))
                          for (si, idx), v, lg in zip(ins_ref, ins, local, strict=True)),
                    out, MappingProxyType({key: _ro(v) for key, v in cache.items()}))
                steps.append(step)
                fwd_index[(it, names[s])] = k
                values[names[s]][0].append(k)
                values[names[s]][1].append(out)
                if nf_forward is None and not (_finite(out) and all(
                        _finite(v) for v in cache.values())):
                    nf_forward = k
            loss = vals[comp.output]
            # seed
            grads: list = [None] * len(names)
            seed = _ro(np.ones(shapes[comp.output]))
            grads[comp.output] = seed
            k = len(steps)
            steps.append(SeedStep(k, it, names[comp.output], seed))
            gradsh[names[comp.output]][0].append(k)
            gradsh[names[comp.output]][1].append(seed)
            # backward, exactly the reverse of the forward order
            for (s, spec, ins_ref, c), (ins, out, cache, local) in zip(
                    reversed(comp.gates), reversed(saved), strict=True):
                if grads[s] is not None:
                    upstream = grads[s]
                    contributions = _contributions(spec, upstream, ins, out, cache, local, c)
                else:  # a dead branch: nothing flows back, exactly (0 × inf would be nan)
                    upstream = _ro(np.zeros(shapes[s]))
                    contributions = [np.zeros(np.shape(x)) for x in ins]
                k = len(steps)
                entries = []
                bad = not _finite(upstream)
                for (si, idx), lg, contrib in zip(ins_ref, local, contributions, strict=True):
                    contrib = _ro(contrib)
                    before, after, full = _accumulate(grads, shapes, si, idx, contrib)
                    before, after, full = _ro(before), _ro(after), _ro(full)
                    grads[si] = full
                    ref = _refname(names, si, idx)
                    entries.append(InputGrad(ref, names[si], None if lg is None else _ro(lg),
                                             contrib, before, after))
                    contribs[names[si]].append(Contribution(k, names[s], ref, contrib, before,
                                                            after))
                    gradsh[names[si]][0].append(k)
                    gradsh[names[si]][1].append(full)
                    bad = bad or not _finite(contrib)
                steps.append(BackwardStep(k, it, names[s], spec.op, graph.nodes[s].label,
                                          _ro(upstream), tuple(entries)))
                bwd_index[(it, names[s])] = k
                if nf_backward is None and bad:
                    nf_backward = k
            if learning_rate is not None:
                k = len(steps)
                updates = []
                new_values = dict(current.leaf_values)
                for s in comp.param_slots:
                    before = current.leaf_values[names[s]]
                    g = grads[s] if grads[s] is not None else _ro(np.zeros(shapes[s]))
                    after = _ro(before - learning_rate * g)
                    updates.append(ParamUpdate(names[s], before, g, after))
                    new_values[names[s]] = after
                    values[names[s]][0].append(k)
                    values[names[s]][1].append(after)
                steps.append(UpdateStep(k, it, float(learning_rate), tuple(updates)))
                current = replace_values(current, new_values)
            infos.append(IterationInfo(it, start, len(steps), _ro(loss)))

    def freeze(table):
        return MappingProxyType({n: (tuple(a), tuple(b)) for n, (a, b) in table.items()})

    return Timeline(graph, tuple(steps), tuple(infos), current, nf_forward, nf_backward,
                    freeze(values), freeze(gradsh),
                    MappingProxyType({n: tuple(v) for n, v in contribs.items()}),
                    MappingProxyType(fwd_index), MappingProxyType(bwd_index))


def _refname(names, s, idx) -> str:
    if idx is None:
        return names[s]
    return f"{names[s]}[{','.join(str(i) for i in idx)}]"


# ------------------------------------------------------------------------ fast path


@frozen
class Evaluation:
    """Values and gradients of every node after one forward and backward pass."""

    values: Mapping[str, Array]
    grads: Mapping[str, Array]
    output: Array


def evaluate(graph: Graph, *, backward: bool = True) -> Evaluation:
    """One forward (and backward) pass without recording steps."""
    comp = _Compiled.of(graph)
    vals, grads = _pass(comp, graph.leaf_values, backward)
    names = comp.names
    shapes = [n.shape for n in graph.nodes]
    return Evaluation(
        MappingProxyType({names[i]: v for i, v in enumerate(vals)}),
        MappingProxyType({names[i]: (g if g is not None else np.zeros(shapes[i]))
                          for i, g in enumerate(grads)}),
        vals[comp.output])


def _pass(comp: _Compiled, leaf_values, backward: bool):
    names = comp.names
    vals: list = [None] * len(names)
    for s in comp.leaf_slots:
        vals[s] = leaf_values[names[s]]
    saved = []
    with np.errstate(all="ignore"):
        for s, spec, ins_ref, c in comp.gates:
            ins, out, cache, local = _forward_gate(vals, spec, ins_ref, c)
            vals[s] = out
            saved.append((ins, out, cache, local))
        grads: list = [None] * len(names)
        if not backward:
            return vals, grads
        shapes = [n.shape for n in comp.graph.nodes]
        grads[comp.output] = np.ones(shapes[comp.output])
        for (s, spec, ins_ref, c), (ins, out, cache, local) in zip(
                reversed(comp.gates), reversed(saved), strict=True):
            upstream = grads[s]
            if upstream is None:
                continue  # nothing flows back through a dead branch
            for (si, idx), contrib in zip(
                    ins_ref, _contributions(spec, upstream, ins, out, cache, local, c),
                    strict=True):
                _accumulate(grads, shapes, si, idx, contrib)
    return vals, grads


@frozen
class TrainResult:
    """What :func:`train` returns: the trained graph and the loss of each iteration."""

    graph: Graph  # with the params after the last update
    losses: tuple[Array, ...]  # the output value at each iteration (before its update)


#: ``train`` reports progress (and may be stopped) at least every this many iterations.
PROGRESS_EVERY = 1000


def train(graph: Graph, iterations: int, learning_rate: float,
          progress=None) -> TrainResult:
    """Run ``iterations`` SGD iterations on the fast path (nothing recorded):
    ``p = p - learning_rate * dL/dp`` for every param.

    Graphs whose values are all scalars run on plain floats (:class:`_ScalarProgram`);
    others, or a scalar run that meets an arithmetic exception (overflow, log 0, …),
    continue on the numpy path, which turns such blow-ups into inf/nan.
    ``progress(done, total)``, when given, is called after every ``PROGRESS_EVERY``
    iterations (every 1% of a shorter run) and at the end; when it returns a true value
    training stops there and the result holds the ``done`` iterations run so far (a
    cancelled run in the TUI). The calls cost next to nothing (one per ~40 ms of
    training on the slowest graphs); a caller in another thread may use them to yield.
    """
    values = dict(graph.leaf_values)
    losses: list[Array] = []
    every = max(1, min(iterations // 100, PROGRESS_EVERY))
    done = 0
    stopped = False
    program = _ScalarProgram.of(graph)
    if program is not None:
        done, stopped = program.run(values, iterations, learning_rate, losses, progress,
                                    every)
    if done < iterations and not stopped:
        comp = _Compiled.of(graph)
        names = comp.names
        with np.errstate(all="ignore"):
            for i in range(done, iterations):
                vals, grads = _pass(comp, values, True)
                loss = np.asarray(vals[comp.output])
                losses.append(np.float64(loss) if loss.ndim == 0 else loss)
                for s in comp.param_slots:
                    g = grads[s]
                    if g is not None:
                        values[names[s]] = values[names[s]] - learning_rate * g
                if progress is not None and ((i + 1) % every == 0 or i + 1 == iterations):
                    if progress(i + 1, iterations):
                        break
    return TrainResult(replace_values(graph, values), tuple(losses))


class _ScalarProgram:
    """A graph whose every gate value is a scalar, compiled to plain-float slots.

    Each distinct scalar input (a 0-d leaf or one element ``W1[0,1]`` of an array leaf)
    gets its own slot; gradients accumulate per slot exactly as ``+=`` does in the
    recorded path, and the params are written back into their arrays at the end.
    """

    def __init__(self, graph, slots, leaf_slots, prog, backward, output, params):
        self.graph = graph
        self.n = len(slots)
        self.leaf_slots = leaf_slots  # (slot, leaf name, index or None)
        self.prog = prog  # (out slot, forward, local, input slots, c)
        self.backward = backward  # indices into prog of gates that reach the output
        self.output = output
        self.params = params  # slots of param elements

    @classmethod
    def of(cls, graph: Graph) -> _ScalarProgram | None:
        slots: dict[tuple[str, tuple | None], int] = {}
        leaf_slots = []
        kinds = {n.name: n for n in graph.nodes}

        def slot(name, idx):
            key = (name, idx)
            if key not in slots:
                slots[key] = len(slots)
                if kinds[name].is_leaf:
                    leaf_slots.append((slots[key], name, idx))
            return slots[key]

        prog = []
        for n in graph.nodes:
            if n.is_leaf:
                continue
            spec = GATES[n.op]
            if spec.scalar is None or n.shape != ():
                return None
            ins = []
            for r in n.inputs:
                if r.index is None and kinds[r.node].shape != ():
                    return None
                ins.append(slot(r.node, r.index))
            prog.append((slot(n.name, None), spec.scalar[0], spec.scalar[1], tuple(ins),
                         n.const))
        if graph.node(graph.output).shape != ():
            return None
        out = slot(graph.output, None)
        live = {out}
        backward = []
        for k in range(len(prog) - 1, -1, -1):
            if prog[k][0] in live:
                backward.append(k)
                live.update(prog[k][3])
        params = [s for s, name, idx in leaf_slots if kinds[name].kind == "param"]
        return cls(graph, slots, leaf_slots, prog, tuple(backward), out, params)

    def run(self, values, iterations, lr, losses, progress, every) -> tuple[int, bool]:
        """Train in place on ``values`` (leaf arrays); returns the iterations completed
        and whether ``progress`` asked to stop."""
        v = [0.0] * self.n
        for s, name, idx in self.leaf_slots:
            a = values[name]
            v[s] = float(a if idx is None else a[idx])
        prog, backward, out, params = self.prog, self.backward, self.output, self.params
        done = 0
        stopped = False
        try:
            for i in range(iterations):
                locs = [None] * len(prog)
                for k, (o, fwd, loc, ins, c) in enumerate(prog):
                    if len(ins) == 2:
                        a, b = v[ins[0]], v[ins[1]]
                        r = fwd(a, b, c)
                        v[o] = r
                        locs[k] = loc(a, b, r, c)
                    else:
                        a = v[ins[0]]
                        r = fwd(a, c)
                        v[o] = r
                        locs[k] = loc(a, r, c)
                g = [0.0] * self.n
                g[out] = 1.0
                for k in backward:
                    o, _, _, ins, _ = prog[k]
                    up = g[o]
                    for s, lg in zip(ins, locs[k], strict=True):
                        g[s] += up * lg
                loss = v[out]
                for s in params:
                    v[s] = v[s] - lr * g[s]
                losses.append(np.float64(loss))  # 32 bytes; a 0-d array is ~100
                done = i + 1
                if progress is not None and (done % every == 0 or done == iterations):
                    if progress(done, iterations):
                        stopped = True
                        break
        except (ArithmeticError, ValueError):
            pass  # this iteration is redone on the numpy path, which yields inf/nan
        arrays = {name: np.array(values[name], dtype=np.float64) for _, name, _ in
                  self.leaf_slots}
        for s, name, idx in self.leaf_slots:
            if s in params:
                if idx is None:
                    arrays[name] = np.asarray(v[s])
                else:
                    arrays[name][idx] = v[s]
        for name, a in arrays.items():
            if self.graph.node(name).kind == "param":
                values[name] = a
        return done, stopped
