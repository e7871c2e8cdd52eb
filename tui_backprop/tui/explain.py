"""The Explain panel: one or two plain sentences on what the current step does and why,
from the gate table's explanations plus phase-specific wording (seed, fan-out, update).
"""

from __future__ import annotations

import numpy as np
from rich.text import Text

from tui_backprop.engine import BackwardStep, ForwardStep, SeedStep, Timeline, explain
from tui_backprop.numfmt import fmt_scalar
from tui_backprop.tui.lines import LinesView
from tui_backprop.tui.look import Look


def explain_text(timeline: Timeline, k: int) -> str:
    """The sentences for step ``k``."""
    if not len(timeline):
        return ""
    step = timeline[k]
    graph = timeline.graph
    if isinstance(step, ForwardStep):
        node = graph.node(step.node)
        text = explain(step.op, "forward", node.const, [i.name for i in step.inputs])
        return text + " Its local gradients are computed now, for the backward pass."
    if isinstance(step, SeedStep):
        what = "1" if np.ndim(step.grad) == 0 else "a tensor of ones (one for each element)"
        return (f"The backward pass starts at the output: the gradient of {step.node} with "
                f"respect to itself is {what}. From here each gate, in reverse order, "
                "multiplies the upstream gradient by its local gradients.")
    if isinstance(step, BackwardStep):
        node = graph.node(step.node)
        text = explain(step.op, "backward", node.const, [i.name for i in step.inputs])
        it = timeline.iteration_of(k)
        for ig in step.inputs:
            # uses of this exact input (an element such as W1[0,1] counts on its own)
            uses = sum(1 for c in timeline.contributions_at(ig.node, it.end - 1)
                       if c.ref == ig.name)
            if uses > 1:
                text += (f" {ig.name} is used by {uses} gates, so d{ig.name} is the sum of "
                         "their contributions (+=).")
                break
        return text
    return ("The update moves each parameter against its gradient: p ← p - learning_rate · dp "
            f"(learning_rate = {fmt_scalar(step.learning_rate)}), a small step downhill on "
            "the loss.")


class ExplainPanel(LinesView, can_focus=False):
    """One or two sentences, wrapped to the panel's width."""

    def show(self, timeline: Timeline, cursor: int, look: Look) -> None:
        self.set_lines([Text(explain_text(timeline, cursor))])
