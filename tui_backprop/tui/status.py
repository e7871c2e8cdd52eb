"""The Timeline / status bar: phase, step k of N, iteration, loss, a compact bar showing
where in the run the cursor is, and messages (the first non-finite step, hints).

A view of the step view (:class:`~tui_backprop.model.view.StepView`): the loss is the
view's (``?`` when the model hides it), the words come from the catalogue and the bar's
glyphs from the glyph set. Widths are terminal cells.
"""

from __future__ import annotations

from itertools import groupby

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from tui_backprop.engine import Timeline
from tui_backprop.model.view import StepView
from tui_backprop.render.words import Words
from tui_backprop.tui.lines import LinesView, fit_cells
from tui_backprop.tui.look import Look


def phase_style(phase: str, look: Look) -> Style:
    if phase == "forward":
        return look.value
    if phase == "update":
        return look.accent
    return look.grad


#: (timeline, width, the phase under each cell of the bar): the last bar's slices
_BAR_PHASES: tuple | None = None
_BOLD = Style(bold=True)


def _bar_phases(timeline: Timeline, width: int) -> tuple[str, ...]:
    """The phase of the step under each of the bar's ``width`` cells (the same for
    every step of a timeline: worked out once, not for each step drawn)."""
    global _BAR_PHASES
    cached = _BAR_PHASES
    if cached is not None and cached[0] is timeline and cached[1] == width:
        return cached[2]
    n = len(timeline)
    phases = tuple(timeline[x * n // width].phase for x in range(width))
    _BAR_PHASES = (timeline, width, phases)
    return phases


def progress_bar(timeline: Timeline, cursor: int, width: int, look: Look,
                 w: Words | None = None) -> Text:
    """One character per slice of the run, coloured by phase; ``●`` marks the cursor
    (``*``, ``=`` and ``-`` in ASCII)."""
    n = len(timeline)
    bar = Text()
    if n == 0 or width <= 0:
        return bar
    text = w.s if w is not None else str
    here, done, todo = text("●"), text("━"), text("─")
    width = min(width, n)
    at = cursor * width // n
    phases = _bar_phases(timeline, width)
    # one escape sequence per run of one style, not per cell: the cells before the
    # cursor, the cursor, the cells after it
    for start, end, char, extra in ((0, at, done, None), (at, at + 1, here, _BOLD),
                                    (at + 1, width, todo, look.muted)):
        for style, cells in groupby(phases[start:end], key=lambda p, extra=extra: (
                phase_style(p, look) if extra is None else phase_style(p, look) + extra)):
            bar.append(char * len(list(cells)), style)
    return bar


def iteration_text(iteration: int, planned: int | None, w: Words,
                   compact: bool = False) -> str:
    """``iteration 3/50`` (of the scenario's planned count); past it, ``iteration 51
    (past 50)``; ``compact``: ``it 3/50``."""
    short = ".short" if compact else ""
    if planned is None:
        return w("tui.status.iteration" + short, i=iteration)
    if iteration <= planned:
        return w("tui.status.iteration.planned" + short, i=iteration, n=planned)
    return w("tui.status.iteration.past" + short, i=iteration, n=planned)


#: (words, the widest phase name in cells) of the last status line
_PHASE_WIDTH: tuple | None = None


def _phase_width(w: Words) -> int:
    global _PHASE_WIDTH
    if _PHASE_WIDTH is None or _PHASE_WIDTH[0] is not w:
        _PHASE_WIDTH = (w, max(cell_len(w(f"tui.status.phase.{p}"))
                               for p in ("forward", "seed", "backward", "update")))
    return _PHASE_WIDTH[1]


def _where(timeline: Timeline, view: StepView, w: Words, look: Look, planned: int | None,
           compact: bool) -> Text:
    """The first line: phase, step, iteration, gate and the output's value. ``compact``
    drops the words and puts the value before the gate (the inspector names the gate
    too), so what a narrow terminal cuts is never a number."""
    line = Text()
    line.append(" " + w(f"tui.status.phase.{view.phase}"),
                phase_style(view.phase, look) + look.bold)
    if compact:
        line.append(f" {view.index + 1}/{view.count}")
    else:
        width = _phase_width(w)
        line.append(" " * (width + 1 - line.cell_len))
        line.append(" " + w("tui.status.step", k=view.index + 1, n=view.count))
    line.append("  " + iteration_text(view.iteration, planned, w, compact))
    gate = Text()
    if view.node is not None:
        label = view.gate.label if view.gate is not None else \
            timeline.graph.node(view.node).label
        if not compact:
            gate.append("  " + w("tui.status.gate" if view.phase != "seed"
                                 else "tui.status.output") + " ")
        else:
            gate.append("  ")
        gate.append(w("tui.status.gate_name", node=w.s(view.node), label=w.s(label)), look.bold)
    value = Text(f"  {w.s(view.output_name)} = ")
    value.append(w.num(view.loss) if view.loss is not None else "?", look.value)
    for part in ((value, gate) if compact else (gate, value)):
        line.append_text(part)
    return line


def status_lines(timeline: Timeline, view: StepView | None, w: Words, look: Look,
                 width: int, message: Text | str | None = None, title: str = "",
                 planned: int | None = None) -> list[Text]:
    """Two lines: where the cursor is, then the bar and a message. ``planned`` is how
    many iterations the scenario asks for; ``title`` is shown when there is room."""
    if view is None or not len(timeline):
        return [Text(w("tui.status.no_scenario"))]
    line = _where(timeline, view, w, look, planned, compact=False)
    if line.cell_len > width:  # a narrow terminal: short words, the loss before the gate
        line = _where(timeline, view, w, look, planned, compact=True)
    title_len = cell_len(title)
    if title and line.cell_len + title_len + 4 <= width:
        line.append(" " * (width - line.cell_len - title_len - 1))
        line.append(title, look.muted)
    nf = timeline.first_nonfinite
    tail = Text()
    if message:
        tail = message if isinstance(message, Text) else Text(str(message), look.warn)
    elif nf is not None:
        parts = []
        for what, k in (("value", timeline.first_nonfinite_forward),
                        ("gradient", timeline.first_nonfinite_backward)):
            if k is not None:
                parts.append(w(f"tui.status.nonfinite.{what}", k=k + 1,
                               node=w.s(getattr(timeline[k], "node", ""))))
        # the key comes first: on a narrow terminal the details are what gets cut
        tail.append(w.g.warning + " " + w("tui.status.nonfinite", arrow=w.g.arrow,
                                          where=w("sep.list").join(parts)), look.error)
    second = Text()
    room = width - tail.cell_len - 4
    if room >= 8 or not tail.plain:
        second.append(" ")
        second.append_text(progress_bar(timeline, view.index, max(8, min(40, room)), look, w))
        second.append("  ")
    else:  # a message wider than the bar leaves room for: the message wins
        second.append(" ")
    second.append_text(tail)
    for text in (line, second):
        text.no_wrap = True
        text.overflow = "ellipsis"
    return [line, second]


def status_text(timeline: Timeline, view: StepView | None, w: Words, look: Look, width: int,
                message: Text | str | None = None, title: str = "",
                planned: int | None = None) -> Text:
    """:func:`status_lines` as one text."""
    return _joined(status_lines(timeline, view, w, look, width, message, title, planned))


def _joined(lines: list[Text]) -> Text:
    if len(lines) == 1:
        return lines[0]
    text = Text("\n").join(lines)
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class StatusBar(LinesView, can_focus=False):
    """Two fixed lines; a step repaints only the cells that changed."""

    WRAP = False

    DEFAULT_CSS = """
    StatusBar { overflow-x: hidden; overflow-y: hidden; }
    """

    def show(self, timeline: Timeline, view: StepView | None, w: Words, look: Look,
             message: Text | str | None = None, title: str = "",
             planned: int | None = None) -> None:
        self._show(status_lines(timeline, view, w, look, self.size.width or 80, message,
                                title, planned), w.g.ellipsis)

    def set_text(self, text: Text, ellipsis: str = "…") -> None:
        """Show ``text`` (two lines), each cut with ``ellipsis`` at the bar's width (in
        cells: never half of a wide character)."""
        self._show(text.split("\n", allow_blank=True), ellipsis)
        self._text = text

    def _show(self, lines: list[Text], ellipsis: str) -> None:
        self._lines, self._text = lines, None
        width = self.size.width or 80
        self.set_lines([fit_cells(line, width, ellipsis) if line.cell_len > width else line
                        for line in lines])

    _lines: list[Text] = []
    _text: Text | None = None

    @property
    def text(self) -> Text:
        """What the bar shows now (tests read ``text.plain``)."""
        if self._text is None:
            self._text = _joined(self._lines) if self._lines else Text()
        return self._text
