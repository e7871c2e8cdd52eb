"""The Timeline / status bar: phase, step k of N, iteration, loss, a compact bar showing
where in the run the cursor is, and messages (the first non-finite step, hints).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from tui_backprop.engine import Timeline
from tui_backprop.tui.lines import LinesView
from tui_backprop.tui.look import Look

PHASE_NAMES = {"forward": "FORWARD", "seed": "SEED", "backward": "BACKWARD", "update": "UPDATE"}


def phase_style(phase: str, look: Look) -> Style:
    if phase == "forward":
        return look.value
    if phase == "update":
        return look.accent
    return look.grad


def progress_bar(timeline: Timeline, cursor: int, width: int, look: Look) -> Text:
    """One character per slice of the run, coloured by phase; ``●`` marks the cursor."""
    n = len(timeline)
    bar = Text()
    if n == 0 or width <= 0:
        return bar
    width = min(width, n)
    at = cursor * width // n
    runs: list[tuple[str, Style]] = []  # one escape sequence per run, not per cell
    for x in range(width):
        style = phase_style(timeline[x * n // width].phase, look)
        if x == at:
            char, style = "●", style + Style(bold=True)
        elif x < at:
            char = "━"
        else:
            char, style = "─", style + look.muted
        if runs and runs[-1][1] == style and runs[-1][0][-1] == char:
            runs[-1] = (runs[-1][0] + char, style)
        else:
            runs.append((char, style))
    for text, style in runs:
        bar.append(text, style)
    return bar


def iteration_text(iteration: int, planned: int | None) -> str:
    """``iteration 3/50`` (of the scenario's planned count); past it, ``iteration 51
    (past 50)``."""
    if planned is None:
        return f"iteration {iteration}"
    if iteration <= planned:
        return f"iteration {iteration}/{planned}"
    return f"iteration {iteration} (past {planned})"


def _where(timeline: Timeline, cursor: int, look: Look, planned: int | None,
           compact: bool) -> Text:
    """The first line: phase, step, iteration, gate and the output's value. ``compact``
    drops the words and puts the value before the gate (the inspector names the gate
    too), so what a narrow terminal cuts is never a number."""
    step = timeline[cursor]
    it = timeline.iteration_of(cursor)
    out_name = timeline.graph.output
    line = Text()
    phase = PHASE_NAMES[step.phase]
    line.append(f" {phase}" if compact else f" {phase:<8}",
                phase_style(step.phase, look) + look.bold)
    line.append(f" {cursor + 1}/{len(timeline)}" if compact
                else f" step {cursor + 1}/{len(timeline)}")
    iteration = iteration_text(it.iteration, planned)
    line.append("  " + (iteration.replace("iteration", "it", 1) if compact else iteration))
    gate = Text()
    node = getattr(step, "node", None)
    if node is not None:
        label = timeline.graph.node(node).label
        if not compact:
            gate.append("  gate " if step.phase != "seed" else "  output ")
        else:
            gate.append("  ")
        gate.append(f"{node} ({label})", look.bold)
    loss = timeline.value_at(out_name, cursor)
    value = Text(f"  {out_name} = ")
    value.append(look.num(loss) if loss is not None else "?", look.value)
    for part in ((value, gate) if compact else (gate, value)):
        line.append_text(part)
    return line


def status_text(timeline: Timeline, cursor: int, look: Look, width: int,
                message: Text | str | None = None, title: str = "",
                planned: int | None = None) -> Text:
    """Two lines: where the cursor is, then the bar and a message. ``planned`` is how
    many iterations the scenario asks for; ``title`` is shown when there is room."""
    if not len(timeline):
        return Text("no scenario loaded: press o to open one")
    line = _where(timeline, cursor, look, planned, compact=False)
    if line.cell_len > width:  # a narrow terminal: short words, the loss before the gate
        line = _where(timeline, cursor, look, planned, compact=True)
    if title and len(line.plain) + len(title) + 4 <= width:
        line.append(" " * (width - len(line.plain) - len(title) - 1))
        line.append(title, look.muted)
    line.append("\n")
    nf = timeline.first_nonfinite
    tail = Text()
    if message:
        tail = message if isinstance(message, Text) else Text(str(message), look.warn)
    elif nf is not None:
        parts = []
        for what, k in (("value", timeline.first_nonfinite_forward),
                        ("gradient", timeline.first_nonfinite_backward)):
            if k is not None:
                parts.append(f"{what} step {k + 1} ({getattr(timeline[k], 'node', '')})")
        # the key comes first: on a narrow terminal the details are what gets cut
        tail.append("⚠ press ! → non-finite " + ", ".join(parts), look.error)
    room = width - tail.cell_len - 4
    if room >= 8 or not tail.plain:
        line.append(" ")
        line.append_text(progress_bar(timeline, cursor, max(8, min(40, room)), look))
        line.append("  ")
    else:  # a message wider than the bar leaves room for: the message wins
        line.append(" ")
    line.append_text(tail)
    line.no_wrap = True
    line.overflow = "ellipsis"
    return line


class StatusBar(LinesView, can_focus=False):
    """Two fixed lines; a step repaints only the cells that changed."""

    WRAP = False

    DEFAULT_CSS = """
    StatusBar { overflow-x: hidden; overflow-y: hidden; }
    """

    def show(self, timeline: Timeline, cursor: int, look: Look,
             message: Text | str | None = None, title: str = "",
             planned: int | None = None) -> None:
        self.text = status_text(timeline, cursor, look, self.size.width or 80, message, title,
                                planned)
        self.set_text(self.text)

    def set_text(self, text: Text) -> None:
        """Show ``text`` (two lines), each cut with an ellipsis at the bar's width."""
        self.text = text
        width = self.size.width or 80
        lines = text.split("\n", allow_blank=True)
        for line in lines:
            if line.cell_len > width:
                line.truncate(width, overflow="ellipsis")
        self.set_lines(list(lines))

    text: Text = Text()
    """What the bar shows now (tests read ``text.plain``)."""
