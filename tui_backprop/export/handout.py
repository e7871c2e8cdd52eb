"""Handouts: a self-contained HTML page of a whole run, and an SVG of the circuit at one
step for slides.

Both are drawn by the code the TUI draws with: the circuit by the circuit layout and
canvas (through :func:`_circuit_layout`, the one place that names its module), each
step's text by the trace renderer from the presentation model's
:class:`~tui_backprop.model.view.StepView`, in the language of the catalogue. Rich
records what they draw and writes it out as HTML or SVG.

Nothing external: no web font, no script, no stylesheet or image to fetch. Rich's SVG
template links the Fira Code web font; the template here uses the reader's own
monospace fonts instead (a local font stack, CJK fonts included, so a Chinese title
lines up). A handout opens offline, from a USB stick, on a lecture-hall PC.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass

from rich.console import Console
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from rich.text import Text

from tui_backprop.engine import Scenario, Timeline
from tui_backprop.numfmt import DEFAULT_PRECISION
from tui_backprop.text.catalogue import Messages, messages
from tui_backprop.text.escape import printable, printable_code, prose
from tui_backprop.text.glyphs import glyphs

__all__ = ["FONT_STACK", "circuit_text", "render_html", "render_svg", "step_count"]

#: Monospace fonts found on the reader's own machine (no download), CJK ones included.
FONT_STACK = ("ui-monospace, 'DejaVu Sans Mono', 'Noto Sans Mono', 'Noto Sans Mono CJK SC', "
              "'Sarasa Mono SC', Menlo, Consolas, 'Liberation Mono', 'Courier New', monospace")

#: The page's colours (black on white, as a handout prints): forward values green,
#: gradients red, the current gate purple, as the TUI's roles.
CIRCUIT_STYLES = {
    "blank": Style(),
    "wire": Style(color="#24292f"),
    "gate": Style(color="#24292f"),
    "leaf": Style(color="#24292f"),
    "param": Style(color="#0550ae"),
    "value": Style(color="#116329"),
    "grad": Style(color="#a40e26"),
    "current": Style(color="#6639ba", bold=True),
    "current-label": Style(color="#6639ba", bold=True, reverse=True),
    "hot": Style(color="#6639ba", bold=True),
    "selected": Style(color="#7d4e00", bold=True),
    "value-hot": Style(color="#116329", bold=True),
    "grad-hot": Style(color="#a40e26", bold=True),
    "caption": Style(color="#57606a", italic=True),
}

#: The ANSI colours of the step text (the trace's roles) on white paper.
PAPER = TerminalTheme(
    (255, 255, 255), (36, 41, 47),
    [(36, 41, 47), (164, 14, 38), (17, 99, 41), (125, 78, 0), (5, 80, 174), (102, 57, 186),
     (27, 124, 131), (110, 119, 129)],
    [(87, 96, 106), (207, 34, 46), (26, 127, 55), (154, 103, 0), (9, 105, 218),
     (130, 80, 223), (49, 146, 170), (140, 149, 159)],
)

# The step text is drawn this wide (the circuit as wide as it is).
TEXT_WIDTH = 100


def _circuit_layout():
    """The circuit drawing code the TUI uses: layout and canvas, as one namespace."""
    from types import SimpleNamespace

    from tui_backprop.render import circuit_canvas, circuit_layout

    names = {k: v for k, v in vars(circuit_layout).items() if not k.startswith("__")}
    names.update((k, v) for k, v in vars(circuit_canvas).items() if not k.startswith("__"))
    return SimpleNamespace(**names)


def _report():
    """The trace renderer (words, step renderables) the text trace uses."""
    from tui_backprop import report

    return report


# ------------------------------------------------------------------ the circuit


@dataclass(frozen=True)
class _Drawing:
    """A circuit laid out once, drawn at any step."""

    timeline: Timeline
    canvas: object
    structure: object
    precision: int
    ascii: bool = False

    @classmethod
    def of(cls, timeline: Timeline, precision: int, ascii: bool) -> _Drawing:
        cl = _circuit_layout()
        text = glyphs(ascii).text  # labels as the TUI draws them in this mode
        st = cl.build_structure(timeline.graph, text)
        widths = cl.label_widths(timeline, st, precision, text)
        canvas = cl.Canvas(cl.place(st, widths, cl.ASCII if ascii else cl.UNICODE))
        return cls(timeline, canvas, st, precision, ascii)

    def at(self, k: int) -> Text:
        """The circuit as of step ``k`` (0-based), styled as the TUI styles it."""
        cl = _circuit_layout()
        labels = cl.Labels(self.timeline, k, self.structure, self.precision, reach={},
                           text=glyphs(self.ascii).text)
        current, hot = cl.focus_of(self.timeline, k, self.structure)
        frame = cl.make_frame(self.canvas, labels, current, [], hot)
        styles = [CIRCUIT_STYLES.get(name, Style()) for name in cl.STYLE_NAMES]
        out = Text(no_wrap=True, overflow="ignore", end="")
        width = self.canvas.width
        for y in range(self.canvas.height):
            cells, codes = frame.row(y, 0, width)
            # trailing blanks carry nothing: a narrower page
            end = len(cells)
            while end and cells[end - 1] in (" ", "") and codes[end - 1] == 0:
                end -= 1
            i = 0
            while i < end:
                j = i + 1
                while j < end and codes[j] == codes[i]:
                    j += 1
                out.append("".join(cells[i:j]), styles[codes[i]])
                i = j
            if y < self.canvas.height - 1:
                out.append("\n")
        return out


def circuit_text(timeline: Timeline, k: int, precision: int = DEFAULT_PRECISION,
                 ascii: bool = False) -> Text:
    """The circuit at step ``k`` (0-based) as a Rich Text, drawn as the TUI draws it."""
    return _Drawing.of(timeline, precision, ascii).at(k)


# ------------------------------------------------------------------ recording


def _console(width: int) -> Console:
    return Console(record=True, width=width, file=io.StringIO(), color_system="truecolor",
                   force_terminal=True, highlight=False, markup=False, emoji=False,
                   legacy_windows=False, soft_wrap=False, _environ={})


def _html_of(renderables, width: int) -> str:
    console = _console(width)
    for r in renderables:
        console.print(r)
    # inline styles: every fragment stands alone (no shared class names to clash)
    return console.export_html(theme=PAPER, code_format="{code}", inline_styles=True)


def step_count(scenario_or_timeline) -> int:
    """How many steps the recorded first iteration has (``--step`` goes 1..this)."""
    if isinstance(scenario_or_timeline, Scenario):
        return len(_report().build_trace(scenario_or_timeline).timeline)
    return len(scenario_or_timeline)


def _step_heading(msgs: Messages, g, timeline: Timeline, k: int) -> str:
    step = timeline[k]
    node = getattr(step, "node", None)
    head = msgs("handout.step", k=k + 1, n=len(timeline)) + " " + g.dot + " " + \
        msgs(f"phase.{step.phase}.title")
    if node is not None:
        head += f" {g.dot} {node} ({timeline.graph.node(node).label})"
    return g.text(printable(head))


# ------------------------------------------------------------------ HTML

_PAGE_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC',
       'PingFang SC', 'Microsoft YaHei', sans-serif; margin: 2rem auto; max-width: 72rem;
       padding: 0 1rem; color: #24292f; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
h2 { font-size: 1.15rem; margin: 0 0 .6rem; }
pre { font-family: FONTS; font-size: .85rem; line-height: 1.25; margin: 0 0 .8rem;
      overflow-x: auto; white-space: pre; }
pre.circuit { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px;
              padding: .6rem .8rem; }
section.step { border-top: 1px solid #d0d7de; padding-top: 1rem; margin-top: 1.2rem;
               break-inside: avoid-page; }
nav ol { columns: 14rem; font-size: .9rem; }
.legend, .description { color: #57606a; }
@media print { nav { display: none; } pre.circuit { background: none; } }
""".replace("FONTS", FONT_STACK)


def render_html(scenario: Scenario, *, lang: str = "en", ascii: bool = False,
                precision: int = DEFAULT_PRECISION) -> str:
    """A self-contained HTML page: the scenario, its code, then every step of the first
    iteration with the circuit at that step, the step's numbers and its explanation."""
    report = _report()
    trace = report.build_trace(scenario)
    timeline = trace.timeline
    w = report.Words.of(lang, ascii, precision)
    msgs, g = w.msgs, w.g
    drawing = _Drawing.of(timeline, precision, ascii)
    title = g.text(printable(scenario.title))
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-Hans" if msgs.lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_PAGE_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
    ]
    if scenario.description.strip():
        out.append(f'<p class="description">{esc(g.text(prose(scenario.description.strip())))}</p>')
    code = Text()
    for i, line in enumerate(scenario.code.strip("\n").split("\n"), 1):
        code.append(f"{i:>3}  ", style="dim")
        code.append(g.text(printable_code(line)) + "\n")
    code.rstrip()
    out.append(f'<pre class="code">{_html_of([code], TEXT_WIDTH)}</pre>')
    out.append(f'<p class="legend">{esc(g.text(msgs("help.colours.color")))}</p>')
    headings = [_step_heading(msgs, g, timeline, k) for k in range(len(timeline))]
    out.append(f"<nav><h2>{esc(g.text(msgs('handout.steps')))}</h2><ol>")
    out += [f'<li><a href="#step-{k + 1}">{esc(h)}</a></li>' for k, h in enumerate(headings)]
    out.append("</ol></nav>")
    views = report._first_views(trace)
    for k, view in enumerate(views):
        circuit = _html_of([drawing.at(k)], max(drawing.canvas.width, 20))
        text = _html_of(report._step_renderables(w, view), TEXT_WIDTH)
        if ascii:
            text = g.text(text)
        out += [f'<section class="step" id="step-{k + 1}">',
                f"<h2>{esc(headings[k])}</h2>",
                f'<pre class="circuit">{circuit}</pre>',
                f'<pre class="text">{text}</pre>',
                "</section>"]
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# ------------------------------------------------------------------ SVG


def _svg_format() -> str:
    """Rich's SVG template with the web font taken out and a local font stack in."""
    from rich._export_format import CONSOLE_SVG_FORMAT

    fmt = re.sub(r"@font-face \{\{.*?\}\}\s*", "", CONSOLE_SVG_FORMAT, flags=re.S)
    fmt = re.sub(r"<!--.*?-->\s*", "", fmt, flags=re.S)
    fmt = fmt.replace("font-family: Fira Code, monospace;", f"font-family: {FONT_STACK};")
    fmt = fmt.replace("font-family: arial;", "font-family: system-ui, sans-serif;")
    return fmt


def render_svg(scenario: Scenario, step: int = 1, *, lang: str = "en", ascii: bool = False,
               precision: int = DEFAULT_PRECISION) -> str:
    """The circuit at ``step`` (1-based) as an SVG image, titled with the step."""
    report = _report()
    timeline = report.build_trace(scenario).timeline
    if not 1 <= step <= len(timeline):
        raise ValueError(f"step must be from 1 to {len(timeline)}, got {step}")
    msgs = messages("en" if ascii else lang)
    g = glyphs(ascii)
    drawing = _Drawing.of(timeline, precision, ascii)
    console = _console(max(drawing.canvas.width, 40))
    console.print(drawing.at(step - 1))
    title = g.text(printable(scenario.title)) + f" {g.dot} " + \
        _step_heading(msgs, g, timeline, step - 1)
    return console.export_svg(title=title, theme=PAPER, code_format=_svg_format(),
                              unique_id="handout")
