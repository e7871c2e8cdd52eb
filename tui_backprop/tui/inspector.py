"""The Gate inspector: everything about the current gate (or a selected node) at the
cursor, in the lecture's vocabulary: formula, inputs, output, cache, local gradients
(``∂(q·z)/∂q = z = -4``), upstream, the chain-rule product per input and the ``+=``
accumulation listing every contribution the input has received so far.

:func:`inspector_lines` is pure text building from timeline lookups; no numbers are
computed here.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text

from tui_backprop.engine import (
    GATES,
    BackwardStep,
    ForwardStep,
    SeedStep,
    Timeline,
    UpdateStep,
)
from tui_backprop.numfmt import fmt_value
from tui_backprop.render.shapes import shape_label
from tui_backprop.tui.lines import Hanging, LinesView
from tui_backprop.tui.look import Look

#: inf / -inf / nan in formatted numbers (highlighted wherever they appear)
NONFINITE = r"(?<![\w.])-?(?:inf|nan)\b"


#: A ``+=`` line lists at most this many contributions (the first and the latest).
MAX_TERMS = 8


def _scalar(x) -> bool:
    return x is not None and np.ndim(x) == 0


def _shaped(x, look: Look) -> str:
    """A value as the inspector shows it: tensors lead with their shape (``5×3 [[…]]``,
    ``(3,) […]``), since the shapes tell which operand to transpose."""
    if _scalar(x):
        return look.num(x)
    return f"{shape_label(np.shape(x))} {look.num(x)}"


def _signed_sum(parts: list[str]) -> str:
    """``["-4", "0.59", "-1"]`` -> ``"-4 + 0.59 + (-1)"`` (formatted terms, summed)."""
    out = parts[0] if parts else "0"
    for p in parts[1:]:
        out += f" + ({p})" if p.startswith("-") else f" + {p}"
    return out


def _t(*parts, hang: int | None = None) -> Hanging:
    """Text from ``str`` or ``(str, style)`` parts. With ``hang``, wrapped lines continue
    under part number ``hang`` (a value), not at column 0."""
    text = Hanging(no_wrap=False)
    for i, p in enumerate(parts):
        if i == hang:
            text.hang = text.cell_len
        if i == 1:  # too little room under the value: under the label's text instead
            text.fallback = text.cell_len
        if isinstance(p, tuple):
            text.append(*p)
        else:
            text.append(p)
    return text


def _formula(timeline: Timeline, node_name: str, input_names) -> str:
    node = timeline.graph.node(node_name)
    return GATES[node.op].formula(list(input_names), node.const)


def _local(timeline: Timeline, node_name: str, i: int, input_names) -> str:
    node = timeline.graph.node(node_name)
    return GATES[node.op].local_formula(i, list(input_names), node.const)


def forward_lines(timeline: Timeline, step: ForwardStep, look: Look) -> list[Text]:
    names = [iv.name for iv in step.inputs]
    out = [_t(("forward", look.value + look.bold), f"  gate {step.node} ({step.label})  ",
              (f"{step.node} = {_formula(timeline, step.node, names)}", look.bold), hang=2)]
    for iv in step.inputs:
        out.append(_t("  in     ", (iv.name, look.bold), " = ",
                      (_shaped(iv.value, look), look.value), hang=3))
    out.append(_t("  out    ", (step.node, look.bold), " = ",
                  (_shaped(step.output, look), look.value), hang=3))
    for key, val in step.cache.items():
        out.append(_t("  cache  ", f"{key} = ", (_shaped(val, look), look.value), hang=2))
    for i, iv in enumerate(step.inputs):
        formula = _local(timeline, step.node, i, names)
        text = _t("  local  ", f"∂{step.node}/∂{iv.name} = {formula}", hang=1)
        if iv.local_grad is not None and look.num(iv.local_grad) != formula:
            text.append(" = ")
            text.append(look.num(iv.local_grad), look.accent)
        out.append(text)
    return out


def _accumulation(timeline: Timeline, step: BackwardStep, ig, look: Look) -> Text:
    """``dx: -4 + 0.59 = -3.41``: every contribution ``ig.name`` received so far."""
    received = [c for c in timeline.contributions_at(ig.node, step.index) if c.ref == ig.name]
    it = timeline.iteration_of(step.index)
    total = [c for c in timeline.contributions_at(ig.node, it.end - 1) if c.ref == ig.name]
    count = f"  ({len(received)} of {len(total)})"
    if all(_scalar(c.contribution) for c in received):
        terms = [look.num(c.contribution) for c in received]
        if len(terms) == 1:
            terms = [look.num(ig.grad_before)] + terms
        elif len(terms) > MAX_TERMS:  # a wide fan-out: the first and the latest ones
            hidden = len(terms) - MAX_TERMS + 1
            terms = terms[:2] + [f"…{hidden} more…"] + terms[-(MAX_TERMS - 3):]
        text = _t("         +=     ", (f"d{ig.name}: ", look.bold), _signed_sum(terms), " = ",
                  (look.num(ig.grad_after), look.grad), (count, look.muted), hang=2)
        if len(received) > 2:
            text.append(f"  (before {look.num(ig.grad_before)})", look.muted)
        return text
    return _t("         +=     ", (f"d{ig.name}: ", look.bold),
              (look.num(ig.grad_before), look.grad), " + ",
              (look.num(ig.contribution), look.grad), " = ",
              (look.num(ig.grad_after), look.grad), (count, look.muted), hang=2)


def backward_lines(timeline: Timeline, step: BackwardStep, look: Look) -> list[Text]:
    names = [ig.name for ig in step.inputs]
    out_name = timeline.graph.output
    out = [_t(("backward", look.grad + look.bold), f"  gate {step.node} ({step.label})  ",
              (f"{step.node} = {_formula(timeline, step.node, names)}", look.bold), hang=2),
           _t("  upstream  ", f"∂{out_name}/∂{step.node} = ",
              (_shaped(step.upstream, look), look.grad), hang=2)]
    for i, ig in enumerate(step.inputs):
        formula = _local(timeline, step.node, i, names)
        text = _t("  ", (ig.name, look.bold), "  local  ", f"∂{step.node}/∂{ig.name} = {formula}",
                  hang=3)
        chain = _t("         chain  ")
        chain.fallback = chain.cell_len
        if ig.local_grad is not None:
            local = look.num(ig.local_grad)
            if local != formula:
                text.append(" = ")
                text.append(local, look.accent)
            chain.append(local, look.accent)
            chain.append(" × upstream ")
            chain.append(look.num(step.upstream), look.grad)
            chain.append(" = ")
        else:
            chain.append("vector-Jacobian product = ")
        chain.hang = chain.cell_len  # a wrapped contribution stays under itself
        chain.append(_shaped(ig.contribution, look), look.grad)
        out.append(text)
        out.append(chain)
        out.append(_accumulation(timeline, step, ig, look))
    return out


def seed_lines(timeline: Timeline, step: SeedStep, look: Look) -> list[Text]:
    ones = "1" if _scalar(step.grad) else f"ones {shape_label(np.shape(step.grad))}"
    return [_t(("seed", look.grad + look.bold), f"  output {step.node}"),
            _t("  ", f"∂{step.node}/∂{step.node} = ", (ones, look.grad),
               "   the backward pass starts here")]


def update_lines(timeline: Timeline, step: UpdateStep, look: Look) -> list[Text]:
    lr = look.num(step.learning_rate)
    out = [_t(("update", look.accent), f"  p ← p - learning_rate · dp   (learning_rate = {lr})")]
    if not step.params:
        out.append(_t(("  (no params to update)", look.muted)))
    for p in step.params:
        if _scalar(p.before):
            out.append(_t("  ", (p.name, look.bold), ": ", (look.num(p.before), look.value),
                          f" - {lr} × ", (look.num(p.grad), look.grad), " = ",
                          (look.num(p.after), look.value)))
        else:
            out.append(_t("  ", (p.name, look.bold), f" {shape_label(np.shape(p.before))}"))
            out.append(_t("    before ", (look.num(p.before), look.value), hang=1))
            out.append(_t("    grad   ", (look.num(p.grad), look.grad), hang=1))
            out.append(_t("    after  ", (look.num(p.after), look.value), hang=1))
    return out


def step_lines(timeline: Timeline, k: int, look: Look) -> list[Text]:
    step = timeline[k]
    if isinstance(step, ForwardStep):
        return forward_lines(timeline, step, look)
    if isinstance(step, BackwardStep):
        return backward_lines(timeline, step, look)
    if isinstance(step, SeedStep):
        return seed_lines(timeline, step, look)
    return update_lines(timeline, step, look)


def _full(x, look: Look) -> str:
    """A selected value in full: every element (up to a generous limit)."""
    if look.full or _scalar(x) or x is None:
        return look.num(x)
    return fmt_value(x, look.precision, max_items=50)


def node_lines(timeline: Timeline, k: int, name: str, look: Look) -> list[Text]:
    """A selected node: its value, gradient and contributions at step ``k``, then the
    latest recorded step of a gate (its backward step if reached, else forward)."""
    node = timeline.graph.node(name)
    value = timeline.value_at(name, k)
    grad = timeline.grad_at(name, k)
    kind = node.kind if node.is_leaf else f"gate {node.label}"
    out = [_t(("selected", look.accent), f"  {name}  ({kind}, {shape_label(node.shape)})",
              ("   esc: back to the current step", look.muted))]
    out.append(_t("  value  ", (_full(value, look) if value is not None else "not computed yet",
                                look.value), hang=1))
    out.append(_t("  grad   ", (_full(grad, look) if grad is not None else "no gradient yet",
                                look.grad), hang=1))
    received = timeline.contributions_at(name, k)
    expected = timeline.expected_contributions(name)
    if expected:
        out.append(_t(f"  received {len(received)} of {expected} contributions"))
        for c in received:
            out.append(_t(f"    += {look.num(c.contribution)}", (f"  from {c.gate}", look.muted),
                          (f" via {c.ref}" if c.ref != name else "", look.muted),
                          (f"  (step {c.step + 1})", look.muted)))
    if not node.is_leaf:
        it = timeline.iteration_of(k).iteration
        b = timeline.backward_step_of(name, it)
        f = timeline.forward_step_of(name, it)
        if b is not None and b <= k:
            out += backward_lines(timeline, timeline[b], look)
        elif f is not None and f <= k:
            out += forward_lines(timeline, timeline[f], look)
    return out


def inspector_lines(timeline: Timeline, k: int, selected: str | None,
                    look: Look) -> list[Text]:
    """What the inspector shows at step ``k`` (the selected node when one is)."""
    if not len(timeline):
        return [Text("nothing recorded")]
    if selected is not None and selected in timeline.graph.index:
        step = timeline[k]
        if getattr(step, "node", None) != selected:
            return node_lines(timeline, k, selected, look)
    return step_lines(timeline, k, look)


class Inspector(LinesView, can_focus=True):
    """The gate inspector panel (wraps long lines)."""

    def show(self, timeline: Timeline, cursor: int, selected: str | None, look: Look) -> None:
        lines = inspector_lines(timeline, cursor, selected, look)
        for text in lines:  # inf and nan are data, and they should stand out
            text.highlight_regex(NONFINITE, look.error)
        if (cursor, selected) != self._shown and self.scroll_offset.y:
            self.scroll_home(animate=False, immediate=True)  # a new step reads from its top
        self._shown = (cursor, selected)
        self.set_lines(lines)

    _shown: tuple[int, str | None] = (-1, None)
