"""Renderers of a trace (the recorded first iteration plus the fast-path rest) for
``tui-backprop trace`` and ``tui-backprop gradcheck``: JSON (the stable
``tui-backprop-trace/1`` contract), markdown (a handout) and text (Rich, for a terminal).

Each step is drawn from its :class:`~tui_backprop.model.view.StepView` (the same model the
TUI's panels show), its words from the message catalogue in the chosen language
(``lang``), its glyphs from :mod:`tui_backprop.text.glyphs` (``ascii``) and its colours
from the style roles of :mod:`tui_backprop.render.roles`. The JSON is language-free.
Nothing numeric is computed here. Scenario text (titles, descriptions, names) is
untrusted, so it is never passed to Rich as markup: it always goes in as plain
:class:`rich.text.Text`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .engine import GradCheckRow, Scenario, Timeline, record, train
from .model.view import (
    AccumulateView,
    ChainView,
    InputView,
    LocalView,
    Num,
    StepView,
    node_view,
    step_view,
)
from .numfmt import DEFAULT_PRECISION, fmt_scalar, to_json
from .render.roles import ANSI, phase_role
from .render.words import Words
from .text.escape import printable, printable_code, prose
from .text.glyphs import glyphs
from .text.wrap import wrap

#: The ``format`` field of the JSON trace; bump it when the contract changes.
TRACE_FORMAT = "tui-backprop-trace/1"
#: Loss history rows shown by the text and markdown traces (the JSON has all of them).
MAX_LOSS_ROWS = 20


# ------------------------------------------------------------------------- the trace


@dataclass(frozen=True)
class Trace:
    """A scenario's first iteration, recorded step by step, plus the losses and final
    params of all ``iterations`` (the rest ran on the fast path, unrecorded)."""

    scenario: Scenario
    timeline: Timeline
    iterations: int
    losses: tuple[np.ndarray, ...]
    params_final: dict[str, np.ndarray]

    @property
    def output(self) -> str:
        return self.scenario.graph.output

    @property
    def backward_end(self) -> int:
        """The last backward step of the first iteration: values and gradients as of here
        are the first iteration's (params not yet updated)."""
        return self.timeline.phase_end(0, "backward")

    def value(self, name: str) -> np.ndarray | None:
        return self.timeline.value_at(name, self.backward_end)

    def grad(self, name: str) -> np.ndarray:
        """d(output)/d(name) after the first backward pass; zeros where nothing flowed."""
        g = self.timeline.grad_at(name, self.backward_end)
        if g is None:
            return np.zeros(self.scenario.graph.node(name).shape)
        return g


def build_trace(scenario: Scenario, iterations: int | None = None) -> Trace:
    """Record the first iteration fully and run iterations 2..N on the fast path.

    ``iterations`` defaults to the scenario's ``[train] iterations``; a scenario without
    ``[train]`` runs exactly one (forward and backward, no update).
    """
    lr = scenario.learning_rate
    if lr is None:
        if iterations not in (None, 1):
            raise ValueError("iterations need a [train] table with a learning_rate")
        n = 1
    else:
        n = scenario.iterations if iterations is None else iterations
    if n < 1:
        raise ValueError("iterations must be at least 1")
    timeline = record(scenario.graph, learning_rate=lr)
    losses = list(timeline.losses)
    final = timeline.next_graph
    if lr is not None and n > 1:
        result = train(timeline.next_graph, n - 1, lr)
        losses.extend(result.losses)
        final = result.graph
    params = {p: final.leaf_values[p] for p in scenario.graph.params}
    return Trace(scenario, timeline, n, tuple(losses), params)


# ------------------------------------------------------------------------------ JSON
# The JSON is language-free: numbers in full and formulas as the gate table writes them.


def _input_json(inp: InputView, i: int, phase: str) -> dict[str, Any]:
    local = inp.local.value
    if phase == "forward":
        entry: dict[str, Any] = {"name": inp.name, "value": to_json(inp.value.value),
                                 "local": to_json(None if local is None else local.value)}
    else:
        acc = inp.accumulate
        entry = {"name": inp.name, "local": to_json(None if local is None else local.value),
                 "contribution": to_json(acc.contribution.value),
                 "before": to_json(acc.grad_before.value), "after": to_json(acc.grad_after.value)}
    if local is None:
        entry["formula"] = inp.local.formula.text
    return entry


def _step_json(view: StepView) -> dict[str, Any]:
    if view.phase == "forward":
        gate = view.gate
        return {"index": view.index, "phase": "forward", "node": gate.node, "op": gate.op,
                "label": gate.label,
                "inputs": [_input_json(inp, i, "forward") for i, inp in enumerate(view.inputs)],
                "output": to_json(view.output.value),
                "cache": {c.key: to_json(c.value.value) for c in view.cache}}
    if view.phase == "seed":
        return {"index": view.index, "phase": "seed", "node": view.node,
                "grad": to_json(view.seed.value)}
    if view.phase == "backward":
        gate = view.gate
        return {"index": view.index, "phase": "backward", "node": gate.node, "op": gate.op,
                "label": gate.label, "upstream": to_json(view.upstream.value),
                "inputs": [_input_json(inp, i, "backward") for i, inp in enumerate(view.inputs)]}
    return {"index": view.index, "phase": "update",
            "params": [{"name": u.name, "before": to_json(u.before.value),
                        "grad": to_json(u.grad.value), "after": to_json(u.after.value)}
                       for u in view.updates]}


def trace_json(trace: Trace) -> dict[str, Any]:
    """The ``tui-backprop-trace/1`` document as plain Python data (JSON-safe)."""
    graph = trace.scenario.graph
    nodes = {n.name: node_view(trace.timeline, trace.backward_end, n.name) for n in graph.nodes}
    return {
        "format": TRACE_FORMAT,
        "title": trace.scenario.title,
        "output": graph.output,
        # a gate input is named as in the steps: the node, or one element ("W1[0,1]")
        "nodes": [{"name": n.name, "kind": n.kind, "op": n.op if not n.is_leaf else None,
                   "label": n.label, "inputs": [r.name for r in n.inputs],
                   "value": to_json(_raw(nodes[n.name].value)),
                   "grad": to_json(trace.grad(n.name))}
                  for n in graph.nodes],
        "steps": [_step_json(v) for v in _first_views(trace)],
        "gradients": {n.name: to_json(trace.grad(n.name)) for n in graph.leaves
                      if n.kind in ("input", "param")},
        "loss_history": [to_json(x) for x in trace.losses],
        "params_final": {k: to_json(v) for k, v in trace.params_final.items()},
    }


def _raw(num: Num | None):
    return None if num is None else num.value


def render_json(trace: Trace, ascii_only: bool = False) -> str:
    """The JSON trace text. ``allow_nan=False``: non-finite numbers are already strings,
    so the output is strict JSON; floats are written with ``repr`` (full precision).
    ``ascii_only`` escapes non-ASCII characters (for a stream that cannot encode them)."""
    return json.dumps(trace_json(trace), indent=2, ensure_ascii=ascii_only,
                      allow_nan=False) + "\n"


def _first_views(trace: Trace) -> list[StepView]:
    """The step views of the first (recorded) iteration."""
    first = trace.timeline.iterations[0]
    return [step_view(trace.timeline, k) for k in range(first.start, first.end)]


# ------------------------------------------------------------ words for text and markdown
# Both the text and the markdown renderers show the same rows; only the framing differs.


def _equation(w: Words, view: StepView) -> str:
    return f"{w.s(view.gate.node)} = {w.formula(view.gate.formula)}"


def _local_cell(w: Words, local: LocalView) -> str:
    words = w.formula(local.formula)
    if local.value is None:
        return w("step.jacobian", formula=words)
    value = w.num(local.value)
    return value if words == value else f"{words} = {value}"


def _forward_rows(w: Words, view: StepView) -> list[tuple[str, ...]]:
    return [(w.s(inp.name), w.num(inp.value),
             f"{w.d(view.node, inp.name)} = {_local_cell(w, inp.local)}")
            for inp in view.inputs]


def _chain_cell(w: Words, chain: ChainView) -> str:
    if chain.how == "vjp":
        how = w("step.how.vjp")
    elif chain.how == "scalar":
        how = f"{w.num(chain.upstream)} {w.g.times} {w.num(chain.local)}"
    else:  # arrays: name the product rather than print both arrays again
        how = w("step.how.elementwise", op=w.g.hadamard)
        if chain.summed_to is not None:
            # the input was broadcast forward, so its contribution is summed back
            how = w("step.how.summed", how=how, shape=str(chain.summed_to))
    return f"{how} = {w.num(chain.contribution)}"


def _backward_rows(w: Words, view: StepView) -> list[tuple[str, ...]]:
    return [(w.s(inp.name), _local_cell(w, inp.local), _chain_cell(w, inp.chain),
             w.num(inp.accumulate.grad_before), w.num(inp.accumulate.grad_after))
            for inp in view.inputs]


def _update_rows(w: Words, view: StepView) -> list[tuple[str, ...]]:
    return [(w.s(u.name), w.num(u.before), w.num(u.grad), w.num(u.after))
            for u in view.updates]


def _update_rule(w: Words, view: StepView) -> str:
    return w("step.update.rule", lr=fmt_scalar(view.learning_rate.value, 6), dot=w.g.dot,
             partial=w.d(view.output_name, "p"))


def _seed_text(w: Words, view: StepView) -> str:
    partial = w.d(view.node, view.node)
    if view.seed.is_scalar:
        return f"{partial} = {w.num(view.seed)}"
    return w("step.seed.tensor", partial=partial, shape=w.shape(view.seed.shape))


def _leaf_rows(w: Words, trace: Trace) -> list[tuple[str, ...]]:
    graph = trace.scenario.graph
    return [(w.s(n.name), w(f"kind.{n.kind}"), w.shape(n.shape),
             w.value(graph.leaf_values[n.name]))
            for n in graph.leaves]


def _gradient_rows(w: Words, trace: Trace) -> list[tuple[str, ...]]:
    return [(w.s(n.name), w(f"kind.{n.kind}"), w.value(trace.grad(n.name)))
            for n in trace.scenario.graph.leaves if n.kind in ("input", "param")]


def _loss_rows(w: Words, trace: Trace) -> list[tuple[str, str]]:
    """(iteration, loss) rows; a long history is thinned to MAX_LOSS_ROWS evenly spaced
    iterations, always keeping the first and the last."""
    n = len(trace.losses)
    if n <= MAX_LOSS_ROWS:
        keep: Iterable[int] = range(n)
    else:
        keep = sorted({round(i * (n - 1) / (MAX_LOSS_ROWS - 1)) for i in range(MAX_LOSS_ROWS)})
    return [(str(i + 1), w.value(trace.losses[i])) for i in keep]


def _iterations_note(w: Words, trace: Trace) -> str | None:
    if trace.iterations <= 1:
        return None
    return w("trace.iterations_note", n=trace.iterations)


# ------------------------------------------------------------------------- markdown


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_text(text: str) -> str:
    """Scenario prose for markdown: emphasis, links and HTML characters are escaped so
    ``*-1, exp, +1`` stays as written (line breaks and list dashes are kept)."""
    for ch in "\\`*_[]<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def _md_code(text: str) -> str:
    """An inline code span that survives backticks in ``text``."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def render_markdown(trace: Trace, precision: int = DEFAULT_PRECISION, *, lang: str = "en",
                    ascii: bool = False) -> str:
    """A handout: the scenario, then one section per phase with a table per step, in
    ``lang``; ``ascii`` writes only ASCII characters (and English)."""
    w = Words.of(lang, ascii, precision)
    sc, out = trace.scenario, trace.output
    lines = [f"# {_md_text(w.s(printable(sc.title)))}", ""]
    if sc.description.strip():
        lines += [_md_text(w.s(prose(sc.description.strip()))), ""]
    code_title = w("trace.code.network" if sc.kind == "network" else "trace.code")
    lines += [f"## {w('trace.scenario')}", "", _md_text(code_title) + ":", "", "```python",
              w.s(printable_code(sc.code.strip("\n"))), "```", ""]
    summary = w("trace.output_is", name=_md_code(w.s(out)))
    if sc.trains:
        summary += w("sep.sentence") + w("trace.learning_rate_is",
                                         lr=fmt_scalar(sc.learning_rate, 6))
    lines += [summary, ""]
    lines += _md_table((w("col.leaf"), w("col.kind"), w("col.shape"), w("col.value")),
                       _leaf_rows(w, trace))
    phase = None
    for view in _first_views(trace):
        if view.phase != phase:
            phase = view.phase
            lines += [f"## {w(f'phase.{phase}.title')}", ""]
        if view.phase == "forward":
            lines += [w("step.heading.forward", k=view.index,
                        equation=_md_code(_equation(w, view)),
                        label=_md_code(w.s(view.gate.label))).join(("### ", "")), "",
                      w.sentences(view.explanation), ""]
            lines += _md_table((w("col.input"), w("col.value"), w("col.local_grad")),
                               _forward_rows(w, view))
            lines += [w("step.output_line",
                        value=_md_code(f"{w.s(view.node)} = {w.num(view.output)}")), ""]
            if view.cache:
                lines += [w("step.cached_for_backward", items=w("sep.list").join(
                    _md_code(f"{w(f'cache.{c.key}')} = {w.num(c.value)}") for c in view.cache)), ""]
        elif view.phase == "seed":
            lines += [w("step.heading.plain", k=view.index,
                        text=_md_code(_seed_text(w, view))), "",
                      w.sentences(view.explanation), ""]
        elif view.phase == "backward":
            lines += [w("step.heading.backward", k=view.index,
                        equation=_md_code(_equation(w, view)),
                        label=_md_code(w.s(view.gate.label))).join(("### ", "")), "",
                      w.sentences(view.explanation), "",
                      w("step.upstream") + " " + _md_code(
                          f"{w.d(out, view.node)} = {w.num(view.upstream)}"), ""]
            lines += _md_table((w("col.input"), w("col.local_grad"), w("col.contribution"),
                                w("col.grad_before"), w("col.grad_after")),
                               _backward_rows(w, view))
        else:
            lines += [w("step.heading.update", k=view.index,
                        rule=_md_code(_update_rule(w, view))), "",
                      w.sentences(view.explanation), ""]
            lines += _md_table((w("col.param"), w("col.before"), w("col.grad"), w("col.after")),
                               _update_rows(w, view))
        if view.nonfinite is not None:
            lines += ["> " + w("step.warning_line", note=w(view.nonfinite.key)), ""]
    lines += [f"## {w('trace.gradients')}", ""]
    lines += _md_table((w("col.leaf"), w("col.kind"), w("col.grad_of_leaf", partial=w.d(out, ""))),
                       _gradient_rows(w, trace))
    lines += [f"## {w('trace.loss_history')}", ""]
    note = _iterations_note(w, trace)
    if note:
        lines += [note, ""]
    if len(trace.losses) > MAX_LOSS_ROWS:
        lines += [w("trace.loss_rows.markdown", shown=MAX_LOSS_ROWS, total=len(trace.losses)),
                  ""]
    lines += _md_table((w("col.iteration"), w.s(out)), _loss_rows(w, trace))
    if trace.params_final:
        lines += [f"## {w('trace.final_params')}", ""]
        lines += _md_table((w("col.param"), w("col.value")),
                           [(w.s(k), w.value(v)) for k, v in trace.params_final.items()])
    return "\n".join(lines).rstrip("\n") + "\n"


# ----------------------------------------------------------------------- text (Rich)

#: ``box.SIMPLE_HEAD`` drawn with ASCII: a row of dashes under the header only.
ASCII_SIMPLE_HEAD = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)


def _style(*roles: str) -> str:
    """A Rich style string for the given roles (:mod:`tui_backprop.render.roles`)."""
    return " ".join(ANSI[r] for r in roles)


def _table(w: Words, *columns: str, title: str | None = None,
           roles: Sequence[str | None] = ()) -> Table:
    t = Table(box=ASCII_SIMPLE_HEAD if w.g.ascii else box.SIMPLE_HEAD, show_edge=False,
              pad_edge=False, title=title, title_justify="left", header_style=_style("heading"),
              title_style=_style("heading"))
    for i, c in enumerate(columns):
        role = roles[i] if i < len(roles) else None
        t.add_column(c, overflow="fold", style=_style(role) if role else None)
    return t


def _rows(table: Table, rows: Iterable[Sequence[str]]) -> Table:
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    return table


def _step_header(w: Words, view: StepView, what: str, label: str | None = None) -> Text:
    t = Text()
    t.append(f"[{view.index}] ", style=_style("muted"))
    t.append(w(f"phase.{view.phase}.tag"), style=_style(phase_role(view.phase), "heading"))
    t.append("  ")
    t.append(what, style=_style("name"))
    if label is not None:
        t.append(f"   {w('step.gate')} ", style=_style("muted"))
        t.append(w.s(label), style=_style("name"))
    return t


class _Paragraph:
    """Prose wrapped to the width it is drawn at, breaking Chinese between characters
    (Rich breaks only at spaces, which Chinese does not have)."""

    def __init__(self, text: str, style: str | None = None) -> None:
        self.text, self.style = text, style

    def __rich_console__(self, console: Console, options):
        for line in wrap(self.text, options.max_width):
            yield Text(line, style=self.style or "")


def _indent(*renderables) -> Padding:
    return Padding(Group(*renderables), (0, 0, 1, 4), expand=False)


def _rule(w: Words, title: str, heavy: bool = False) -> Rule:
    return Rule(Text(title, style=_style("heading")),
                characters=w.g.heavy_rule if heavy else w.g.rule, align="left")


def text_renderables(trace: Trace, precision: int = DEFAULT_PRECISION, *, lang: str = "en",
                     ascii: bool = False) -> list:
    """The text trace as a list of Rich renderables (print them with any Console), in
    ``lang``; ``ascii`` draws only ASCII characters (and writes English)."""
    w = Words.of(lang, ascii, precision)
    sc, out = trace.scenario, trace.output
    parts: list = [_rule(w, w.s(printable(sc.title)), heavy=True)]
    if sc.description.strip():
        parts.append(_Paragraph(w.s(prose(sc.description.strip())) + "\n"))
    code = Text()
    for i, line in enumerate(sc.code.strip("\n").split("\n"), 1):
        code.append(f"{i:>3}  ", style=_style("muted"))
        code.append(w.s(printable_code(line)) + "\n")
    code.rstrip()
    parts.append(Text(w("trace.code.network" if sc.kind == "network" else "trace.code"),
                      style=_style("heading")))
    parts.append(Padding(code, (0, 0, 1, 2), expand=False))
    parts.append(_rows(_table(w, w("col.leaf"), w("col.kind"), w("col.shape"), w("col.value"),
                              roles=(None, None, None, "value")), _leaf_rows(w, trace)))
    summary = Text("\n" + w("trace.summary.output", name=w.s(out)))
    if sc.trains:
        summary.append("   " + w("trace.summary.learning_rate",
                                 lr=fmt_scalar(sc.learning_rate, 6)))
        summary.append("   " + w("trace.summary.iterations", n=trace.iterations))
    parts.append(summary)
    parts.append(Text(""))
    phase = None
    for view in _first_views(trace):
        if view.phase != phase:
            phase = view.phase
            parts.append(_rule(w, w(f"phase.{phase}.title")))
        parts.extend(_step_renderables(w, view))
    parts.append(_rule(w, w("trace.result")))
    parts.append(_rows(_table(w, w("col.leaf"), w("col.kind"),
                              w("col.grad_of_leaf", partial=w.d(out, "")),
                              title=w("trace.gradients"), roles=(None, None, "gradient")),
                       _gradient_rows(w, trace)))
    parts.append(Text(""))
    note = _iterations_note(w, trace)
    if note:
        parts.append(Text(note, style=_style("muted")))
    if len(trace.losses) > MAX_LOSS_ROWS:
        parts.append(Text(w("trace.loss_rows.text", shown=MAX_LOSS_ROWS,
                            total=len(trace.losses)), style=_style("muted")))
    parts.append(_rows(_table(w, w("col.iteration"), w.s(out), title=w("trace.loss_history"),
                              roles=(None, "value")), _loss_rows(w, trace)))
    if trace.params_final:
        parts.append(Text(""))
        parts.append(_rows(_table(w, w("col.param"), w("col.value"), title=w("trace.final_params"),
                                  roles=(None, "value")),
                           [(w.s(k), w.value(v)) for k, v in trace.params_final.items()]))
    return parts


def _labelled(label: str, value: str, *roles: str) -> Text:
    """``label  value`` with the value in its roles' style."""
    t = Text(label + "  ")
    t.append(value, style=_style(*roles))
    return t


def _step_renderables(w: Words, view: StepView) -> list:
    out = view.output_name
    body: list = []
    if view.explanation:
        explanation = _Paragraph(w.sentences(view.explanation), _style("explain"))
    if view.phase == "forward":
        head = _step_header(w, view, _equation(w, view), view.gate.label)
        body.append(explanation)
        body.append(_rows(_table(w, w("col.input"), w("col.value"), w("col.local_grad"),
                                 roles=(None, "value")), _forward_rows(w, view)))
        body.append(_labelled(w("step.output"), f"{w.s(view.node)} = {w.num(view.output)}",
                              "value", "name"))
        for c in view.cache:
            body.append(Text(f"{w('step.cache')}  {w(f'cache.{c.key}')} = {w.num(c.value)}",
                             style=_style("muted")))
    elif view.phase == "seed":
        head = _step_header(w, view, _seed_text(w, view))
        body.append(explanation)
    elif view.phase == "backward":
        head = _step_header(w, view, _equation(w, view), view.gate.label)
        body.append(explanation)
        body.append(_labelled(w("step.upstream"),
                              f"{w.d(out, view.node)} = {w.num(view.upstream)}",
                              "gradient", "name"))
        body.append(_rows(_table(w, w("col.input"), w("col.local_grad"),
                                 w("col.contribution_chain", times=w.g.times),
                                 roles=(None, None, "gradient")),
                          [row[:3] for row in _backward_rows(w, view)]))
        for inp in view.inputs:
            body.append(_accumulate_text(w, inp.accumulate))
    else:
        head = _step_header(w, view, _update_rule(w, view))
        body.append(explanation)
        body.append(_rows(_table(w, w("col.param"), w("col.before"), w("col.grad"),
                                 w("col.after"), roles=(None, "value", "gradient", "value")),
                          _update_rows(w, view)))
    if view.nonfinite is not None:
        body.append(Text(f"{w.g.warning} {w(view.nonfinite.key)}", style=_style("error")))
    return [head, _indent(*body)]


def _accumulate_text(w: Words, acc: AccumulateView) -> Text:
    """``grad x += -4:  0 → -4`` (grad_before → grad_after) plus, when the input receives
    more than one ``+=``, which of them this is."""
    # an array contribution is already in the table above: name it rather than repeat it
    added = w.num(acc.contribution) if acc.contribution.is_scalar \
        else w("step.accumulate.contribution")
    params = {"name": w.s(acc.name), "added": added, "before": w.num(acc.grad_before),
              "arrow": w.g.arrow, "after": w.num(acc.grad_after)}
    roles = {"added": ("gradient",), "before": ("gradient",), "after": ("gradient", "name")}
    t = Text()
    for text, param in w.msgs.parts("step.accumulate", **params):
        t.append(w.s(text), style=_style(*roles[param]) if param in roles else None)
    if acc.n > 1:
        t.append("   " + w("step.accumulate.count", k=acc.k, n=acc.n, name=w.s(acc.name)),
                 style=_style("muted"))
    return t


def make_console(file=None, width: int | None = None) -> Console:
    """A Console for CLI output: no markup/emoji/auto-highlighting surprises; colour only
    on a terminal and never with NO_COLOR (Rich reads NO_COLOR and isatty itself)."""
    return Console(file=file, width=width, highlight=False, emoji=False, markup=False,
                   soft_wrap=False)


def print_renderables(console: Console, parts: Iterable, ascii: bool = False) -> None:
    """Print Rich renderables. Off a terminal (a pipe, a handout file) the lines are
    stripped of the trailing spaces Rich pads them with. ``ascii``: whatever Rich itself
    might add (an ellipsis) is made ASCII too, so not one other character is written."""
    if console.is_terminal and not ascii:
        for part in parts:
            console.print(part)
        return
    with console.capture() as capture:
        for part in parts:
            console.print(part)
    text = capture.get()
    if ascii:
        text = glyphs(True).text(text)
    if not console.is_terminal:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    console.file.write(text)
    console.file.flush()


def print_text(trace: Trace, console: Console, precision: int = DEFAULT_PRECISION, *,
               lang: str = "en", ascii: bool = False) -> None:
    """Print the text trace in ``lang`` (``ascii``: ASCII characters only, English)."""
    print_renderables(console, text_renderables(trace, precision, lang=lang, ascii=ascii),
                      ascii=ascii)


# ----------------------------------------------------------------------- gradcheck


def gradcheck_table(rows: Sequence[GradCheckRow], tolerance: float, *, lang: str = "en",
                    ascii: bool = False) -> Table:
    """Analytic vs numerical gradient, one row per leaf element."""
    w = Words.of(lang, ascii)
    t = _table(w, w("gradcheck.col.element"), w("gradcheck.col.analytic"),
               w("gradcheck.col.numerical"), w("gradcheck.col.rel_error"),
               w("gradcheck.col.result"))
    for r in rows:
        status = r.status(tolerance)  # pass, kink or FAIL
        t.add_row(Text(w.s(printable(r.name))), Text(fmt_scalar(r.analytic, 10)),
                  Text(fmt_scalar(r.numerical, 10)), Text(fmt_scalar(r.rel_error, 2)),
                  Text(w(f"gradcheck.{status.lower()}"),
                       style=_style({"pass": "ok", "kink": "warn"}.get(status, "error"))))
    return t


def gradcheck_summary(rows: Sequence[GradCheckRow], tolerance: float, *, lang: str = "en",
                      ascii: bool = False) -> Text:
    """``n of N leaf elements pass``, red when any fails, yellow when some sit at a kink."""
    w = Words.of(lang, ascii)
    bad = sum(1 for r in rows if r.status(tolerance) == "FAIL")
    kinks = sum(1 for r in rows if r.status(tolerance) == "kink")
    text = w("gradcheck.summary", passed=len(rows) - bad - kinks, total=len(rows),
             tolerance=fmt_scalar(tolerance, 3),
             abs_tolerance=fmt_scalar(rows[0].abs_tolerance if rows else 0.0, 3))
    if kinks:
        text = w("gradcheck.summary.kinks", summary=text, kinks=kinks)
    if bad:
        return Text(w("gradcheck.summary.failed", summary=text, failed=bad),
                    style=_style("error"))
    return Text(text, style=_style("warn" if kinks else "ok"))
