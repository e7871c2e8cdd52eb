"""The Loss panel: a sparkline of the loss per iteration, for scenarios with [train].

Its words come from the app's catalogue (``loss.*``) and its bars from the glyph set:
``▁▂▃▄▅▆▇█``, or ``__..--^^`` in an ASCII session.
"""

from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.strip import Strip
from textual.widgets import Sparkline, Static

from tui_backprop.numfmt import fmt_scalar
from tui_backprop.text.catalogue import messages
from tui_backprop.text.glyphs import UNICODE
from tui_backprop.tui.look import SPARK_BARS


def spark_line(data: list[float], width: int, bars: str) -> str:
    """``data`` as ``width`` bars (each the largest value of its slice of the data,
    scaled between the smallest and the largest value), drawn with ``bars``."""
    if width <= 0 or not data:
        return ""
    lo, hi = min(data), max(data)
    span = hi - lo
    n = len(data)
    if n <= width:
        buckets = [[v] for v in data]
    else:  # each slice is non-empty as n > width
        buckets = [data[x * n // width:(x + 1) * n // width] for x in range(width)]
    out = []
    for bucket in buckets:
        level = 0 if span == 0 else round((max(bucket) - lo) / span * (len(bars) - 1))
        out.append(bars[level])
    return "".join(out)


class AsciiSparkline(Sparkline):
    """A sparkline in ASCII bars (``__..--^^``), coloured as Textual's (its
    max-colour), for sessions whose terminal can show only ASCII."""

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y != self.size.height - 1 or not self.data:
            return Strip.blank(width)
        line = spark_line(list(self.data), width, SPARK_BARS[True])
        colour = self.get_component_rich_style("sparkline--max-color", partial=True)
        return Strip([Segment(line, self.rich_style + Style(color=colour.color))], width)


class LossPanel(Vertical):
    """The loss history (one point per iteration run so far) and its latest value."""

    DEFAULT_CSS = """
    LossPanel { height: 4; }
    LossPanel > Sparkline { height: 1fr; }
    LossPanel > Static { height: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="loss-label")
        ascii = getattr(self.app, "glyphs", UNICODE).ascii
        yield (AsciiSparkline if ascii else Sparkline)([], id="loss-spark")

    def show(self, history: tuple[tuple[int, float | None], ...], precision: int = 4) -> None:
        msgs = getattr(self.app, "messages", None) or messages("en")
        glyph_set = getattr(self.app, "glyphs", UNICODE)
        points = [(i, v) for i, v in history if v is not None]
        label = self.query_one("#loss-label", Static)
        if not points:
            label.update(glyph_set.text(msgs("loss.none")), layout=False)
            self.query_one(Sparkline).data = []
            return
        first, last = points[0], points[-1]
        if len(points) == 1:
            text = msgs("loss.one", i=first[0], loss=fmt_scalar(first[1], precision))
        else:
            text = msgs("loss.range", i=first[0], loss=fmt_scalar(first[1], precision),
                        arrow=glyph_set.arrow, j=last[0], last=fmt_scalar(last[1], precision))
        label.update(glyph_set.text(text), layout=False)
        # inf/nan are data, but a sparkline cannot scale them: plot the finite ones
        self.query_one(Sparkline).data = [v for _, v in points if math.isfinite(v)]
