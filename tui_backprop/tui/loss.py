"""The Loss panel: a sparkline of the loss per iteration, for scenarios with [train]."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from tui_backprop.numfmt import fmt_scalar


class LossPanel(Vertical):
    """The loss history (one point per iteration run so far) and its latest value."""

    DEFAULT_CSS = """
    LossPanel { height: 4; }
    LossPanel > Sparkline { height: 1fr; }
    LossPanel > Static { height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="loss-label")
        yield Sparkline([], id="loss-spark")

    def show(self, history: tuple[tuple[int, float | None], ...], precision: int = 4) -> None:
        points = [(i, v) for i, v in history if v is not None]
        label = self.query_one("#loss-label", Static)
        if not points:
            label.update("no loss yet", layout=False)
            self.query_one(Sparkline).data = []
            return
        first, last = points[0], points[-1]
        if len(points) == 1:
            label.update(f"iteration {first[0]}: {fmt_scalar(first[1], precision)}   "
                         "(u: next iteration, t: train N)", layout=False)
        else:
            label.update(f"iteration {first[0]}: {fmt_scalar(first[1], precision)}  →  "
                         f"iteration {last[0]}: {fmt_scalar(last[1], precision)}",
                         layout=False)
        # inf/nan are data, but a sparkline cannot scale them: plot the finite ones
        self.query_one(Sparkline).data = [v for _, v in points if math.isfinite(v)]
