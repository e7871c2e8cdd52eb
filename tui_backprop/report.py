"""Renderers of a trace (the recorded first iteration plus the fast-path rest) for
``tui-backprop trace`` and ``tui-backprop gradcheck``: JSON (the stable
``tui-backprop-trace/1`` contract), markdown (a handout) and text (Rich, for a terminal).

Everything numeric comes from the engine's timeline; this module only arranges it.
Scenario text (titles, descriptions, names) is untrusted, so it is never passed to Rich
as markup: it always goes in as plain :class:`rich.text.Text`.
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

from .engine import (
    GATES,
    BackwardStep,
    ForwardStep,
    GradCheckRow,
    Scenario,
    SeedStep,
    Step,
    Timeline,
    UpdateStep,
    explain,
    record,
    train,
)
from .numfmt import DEFAULT_PRECISION, fmt_scalar, fmt_shape, fmt_value, to_json
from .text.escape import printable


def _prose(text: str) -> str:
    """Untrusted multi-line text (a description): each line escaped, line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))

#: The ``format`` field of the JSON trace; bump it when the contract changes.
TRACE_FORMAT = "tui-backprop-trace/1"
#: Loss history rows shown by the text and markdown traces (the JSON has all of them).
MAX_LOSS_ROWS = 20

PHASE_TITLES = {"forward": "Forward pass", "seed": "Seed", "backward": "Backward pass",
                "update": "Parameter update"}


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


def _const(trace: Trace, node: str) -> float | None:
    return trace.scenario.graph.node(node).const


def _local_words(trace: Trace, step: ForwardStep | BackwardStep, i: int) -> str:
    names = [inp.name for inp in step.inputs]
    return GATES[step.op].local_formula(i, names, _const(trace, step.node))


def _step_json(trace: Trace, step: Step) -> dict[str, Any]:
    if isinstance(step, ForwardStep):
        inputs = []
        for i, inp in enumerate(step.inputs):
            entry: dict[str, Any] = {"name": inp.name, "value": to_json(inp.value),
                                     "local": to_json(inp.local_grad)}
            if inp.local_grad is None:
                entry["formula"] = _local_words(trace, step, i)
            inputs.append(entry)
        return {"index": step.index, "phase": "forward", "node": step.node, "op": step.op,
                "label": step.label, "inputs": inputs, "output": to_json(step.output),
                "cache": {k: to_json(v) for k, v in step.cache.items()}}
    if isinstance(step, SeedStep):
        return {"index": step.index, "phase": "seed", "node": step.node,
                "grad": to_json(step.grad)}
    if isinstance(step, BackwardStep):
        inputs = []
        for i, inp in enumerate(step.inputs):
            entry = {"name": inp.name, "local": to_json(inp.local_grad),
                     "contribution": to_json(inp.contribution),
                     "before": to_json(inp.grad_before), "after": to_json(inp.grad_after)}
            if inp.local_grad is None:
                entry["formula"] = _local_words(trace, step, i)
            inputs.append(entry)
        return {"index": step.index, "phase": "backward", "node": step.node, "op": step.op,
                "label": step.label, "upstream": to_json(step.upstream), "inputs": inputs}
    if isinstance(step, UpdateStep):
        return {"index": step.index, "phase": "update",
                "params": [{"name": p.name, "before": to_json(p.before),
                            "grad": to_json(p.grad), "after": to_json(p.after)}
                           for p in step.params]}
    raise TypeError(f"unknown step type {type(step).__name__}")


def trace_json(trace: Trace) -> dict[str, Any]:
    """The ``tui-backprop-trace/1`` document as plain Python data (JSON-safe)."""
    graph = trace.scenario.graph
    first = trace.timeline.iterations[0]
    return {
        "format": TRACE_FORMAT,
        "title": trace.scenario.title,
        "output": graph.output,
        # a gate input is named as in the steps: the node, or one element ("W1[0,1]")
        "nodes": [{"name": n.name, "kind": n.kind, "op": n.op if not n.is_leaf else None,
                   "label": n.label, "inputs": [r.name for r in n.inputs],
                   "value": to_json(trace.value(n.name)), "grad": to_json(trace.grad(n.name))}
                  for n in graph.nodes],
        "steps": [_step_json(trace, s) for s in trace.timeline.steps[first.start:first.end]],
        "gradients": {n.name: to_json(trace.grad(n.name)) for n in graph.leaves
                      if n.kind in ("input", "param")},
        "loss_history": [to_json(x) for x in trace.losses],
        "params_final": {k: to_json(v) for k, v in trace.params_final.items()},
    }


def render_json(trace: Trace, ascii_only: bool = False) -> str:
    """The JSON trace text. ``allow_nan=False``: non-finite numbers are already strings,
    so the output is strict JSON; floats are written with ``repr`` (full precision).
    ``ascii_only`` escapes non-ASCII characters (for a stream that cannot encode them)."""
    return json.dumps(trace_json(trace), indent=2, ensure_ascii=ascii_only,
                      allow_nan=False) + "\n"


# ---------------------------------------------------------------- shared row builders
# Both the text and the markdown renderers show the same rows; only the framing differs.


def _partial(out: str, wrt: str) -> str:
    return f"∂{out}/∂{wrt}"


def _equation(trace: Trace, step: ForwardStep | BackwardStep) -> str:
    names = [inp.name for inp in step.inputs]
    return f"{step.node} = {GATES[step.op].formula(names, _const(trace, step.node))}"


def _local_cell(trace: Trace, step: ForwardStep | BackwardStep, i: int, local,
                p: int) -> str:
    words = _local_words(trace, step, i)
    if local is None:
        return f"{words} (a Jacobian: see the contribution)"
    value = fmt_value(local, p)
    return value if words == value else f"{words} = {value}"


def _forward_rows(trace: Trace, step: ForwardStep, p: int) -> list[tuple[str, ...]]:
    return [(inp.name, fmt_value(inp.value, p),
             f"{_partial(step.node, inp.name)} = {_local_cell(trace, step, i, inp.local_grad, p)}")
            for i, inp in enumerate(step.inputs)]


def _backward_rows(trace: Trace, step: BackwardStep, p: int) -> list[tuple[str, ...]]:
    up = fmt_value(step.upstream, p)
    rows: list[tuple[str, ...]] = []
    for i, inp in enumerate(step.inputs):
        local = _local_cell(trace, step, i, inp.local_grad, p)
        if inp.local_grad is None:
            how = "vector-Jacobian product"
        elif np.ndim(step.upstream) == 0 and np.ndim(inp.local_grad) == 0:
            how = f"{up} × {fmt_value(inp.local_grad, p)}"
        else:  # arrays: name the product rather than print both arrays again
            how = "upstream ⊙ local_grad"
            product = np.broadcast_shapes(np.shape(step.upstream), np.shape(inp.local_grad))
            if product != np.shape(inp.contribution):
                # the input was broadcast forward, so its contribution is summed back
                how += f" summed to shape {tuple(np.shape(inp.contribution))}"
        rows.append((inp.name, local, f"{how} = {fmt_value(inp.contribution, p)}",
                     fmt_value(inp.grad_before, p), fmt_value(inp.grad_after, p)))
    return rows


def _update_rows(step: UpdateStep, p: int) -> list[tuple[str, ...]]:
    return [(u.name, fmt_value(u.before, p), fmt_value(u.grad, p), fmt_value(u.after, p))
            for u in step.params]


def _leaf_rows(trace: Trace, p: int) -> list[tuple[str, ...]]:
    graph = trace.scenario.graph
    return [(n.name, n.kind, fmt_shape(n.shape), fmt_value(graph.leaf_values[n.name], p))
            for n in graph.leaves]


def _gradient_rows(trace: Trace, p: int) -> list[tuple[str, ...]]:
    return [(n.name, n.kind, fmt_value(trace.grad(n.name), p))
            for n in trace.scenario.graph.leaves if n.kind in ("input", "param")]


def _loss_rows(trace: Trace, p: int) -> list[tuple[str, str]]:
    """(iteration, loss) rows; a long history is thinned to MAX_LOSS_ROWS evenly spaced
    iterations, always keeping the first and the last."""
    n = len(trace.losses)
    if n <= MAX_LOSS_ROWS:
        keep: Iterable[int] = range(n)
    else:
        keep = sorted({round(i * (n - 1) / (MAX_LOSS_ROWS - 1)) for i in range(MAX_LOSS_ROWS)})
    return [(str(i + 1), fmt_value(trace.losses[i], p)) for i in keep]


def _nonfinite_note(trace: Trace, step: Step) -> str | None:
    tl = trace.timeline
    if step.index == tl.first_nonfinite_forward:
        return "first non-finite value (inf or nan) of the forward pass appears here"
    if step.index == tl.first_nonfinite_backward:
        return "first non-finite gradient (inf or nan) of the backward pass appears here"
    return None


def _seed_text(trace: Trace, step: SeedStep, p: int) -> str:
    if np.ndim(step.grad) == 0:
        return f"{_partial(step.node, step.node)} = {fmt_value(step.grad, p)}"
    return (f"{_partial(step.node, step.node)} = ones of shape {fmt_shape(np.shape(step.grad))}"
            " (the output is not a scalar: every element is seeded with 1, as for its sum)")


def _iterations_note(trace: Trace) -> str | None:
    if trace.iterations <= 1:
        return None
    return (f"Iteration 1 is shown step by step; iterations 2 to {trace.iterations} ran on "
            "the fast path (not recorded).")


def _first_steps(trace: Trace) -> Sequence[Step]:
    first = trace.timeline.iterations[0]
    return trace.timeline.steps[first.start:first.end]


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


def render_markdown(trace: Trace, precision: int = DEFAULT_PRECISION) -> str:
    """A handout: the scenario, then one section per phase with a table per step."""
    p = precision
    sc, out = trace.scenario, trace.output
    lines = [f"# {_md_text(printable(sc.title))}", ""]
    if sc.description.strip():
        lines += [_md_text(_prose(sc.description.strip())), ""]
    lines += ["## Scenario", "",
              "Code" + (" (generated from the [network] table)" if sc.kind == "network" else "")
              + ":", "", "```python", sc.code.strip("\n"), "```", "",
              f"Output: {_md_code(out)}." + (f" Learning rate {fmt_scalar(sc.learning_rate, 6)}."
                                            if sc.trains else ""), ""]
    lines += _md_table(("leaf", "kind", "shape", "value"), _leaf_rows(trace, p))
    phase = None
    for step in _first_steps(trace):
        if step.phase != phase:
            phase = step.phase
            lines += [f"## {PHASE_TITLES[phase]}", ""]
        if isinstance(step, ForwardStep):
            lines += [f"### Step {step.index}: {_md_code(_equation(trace, step))} "
                      f"(gate {_md_code(step.label)})", "",
                      explain(step.op, "forward", _const(trace, step.node),
                              [i.name for i in step.inputs]), ""]
            lines += _md_table(("input", "value", "local_grad"), _forward_rows(trace, step, p))
            lines += [f"Output: {_md_code(f'{step.node} = {fmt_value(step.output, p)}')}", ""]
            if step.cache:
                lines += ["Cached for the backward pass: " + ", ".join(
                    _md_code(f"{k} = {fmt_value(v, p)}") for k, v in step.cache.items()), ""]
        elif isinstance(step, SeedStep):
            lines += [f"Step {step.index}: {_md_code(_seed_text(trace, step, p))}", ""]
        elif isinstance(step, BackwardStep):
            lines += [f"### Step {step.index}: back through {_md_code(_equation(trace, step))} "
                      f"(gate {_md_code(step.label)})", "",
                      explain(step.op, "backward", _const(trace, step.node),
                              [i.name for i in step.inputs]), "",
                      "upstream " + _md_code(f"{_partial(out, step.node)} = "
                                             f"{fmt_value(step.upstream, p)}"), ""]
            lines += _md_table(("input", "local_grad", "contribution", "grad_before",
                                "grad_after"), _backward_rows(trace, step, p))
        elif isinstance(step, UpdateStep):
            lines += [f"Step {step.index}: `p = p - {fmt_scalar(step.learning_rate, 6)} · "
                      f"∂{out}/∂p` for every param.", ""]
            lines += _md_table(("param", "before", "grad", "after"), _update_rows(step, p))
        note = _nonfinite_note(trace, step)
        if note:
            lines += [f"> **Warning:** {note}.", ""]
    lines += ["## Gradients", ""]
    lines += _md_table(("leaf", "kind", f"∂{out}/∂leaf"), _gradient_rows(trace, p))
    lines += ["## Loss history", ""]
    if _iterations_note(trace):
        lines += [_iterations_note(trace), ""]
    if len(trace.losses) > MAX_LOSS_ROWS:
        lines += [f"{MAX_LOSS_ROWS} of {len(trace.losses)} iterations shown "
                  "(the JSON trace has every one).", ""]
    lines += _md_table(("iteration", out), _loss_rows(trace, p))
    if trace.params_final:
        lines += ["## Final params", ""]
        lines += _md_table(("param", "value"), [(k, fmt_value(v, p))
                                                for k, v in trace.params_final.items()])
    return "\n".join(lines).rstrip("\n") + "\n"


# ----------------------------------------------------------------------- text (Rich)


def _table(*columns: str, title: str | None = None) -> Table:
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=title,
              title_justify="left", header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


def _rows(table: Table, rows: Iterable[Sequence[str]]) -> Table:
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    return table


def _step_header(step: Step, what: str, label: str | None = None) -> Text:
    t = Text()
    t.append(f"[{step.index}] ", style="dim")
    t.append(step.phase, style={"forward": "bold cyan", "seed": "bold magenta",
                                "backward": "bold yellow", "update": "bold green"}[step.phase])
    t.append("  ")
    t.append(what, style="bold")
    if label is not None:
        t.append("   gate ", style="dim")
        t.append(label, style="bold")
    return t


def _indent(*renderables) -> Padding:
    return Padding(Group(*renderables), (0, 0, 1, 4), expand=False)


def text_renderables(trace: Trace, precision: int = DEFAULT_PRECISION) -> list:
    """The text trace as a list of Rich renderables (print them with any Console)."""
    p = precision
    sc, out = trace.scenario, trace.output
    parts: list = []
    parts.append(Rule(Text(printable(sc.title), style="bold"), characters="═", align="left"))
    if sc.description.strip():
        parts.append(Text(_prose(sc.description.strip()) + "\n"))
    code = Text()
    for i, line in enumerate(sc.code.strip("\n").split("\n"), 1):
        code.append(f"{i:>3}  ", style="dim")
        code.append(line + "\n")
    code.rstrip()
    parts.append(Text("Code" + (" (generated from [network])" if sc.kind == "network" else ""),
                      style="bold"))
    parts.append(Padding(code, (0, 0, 1, 2), expand=False))
    parts.append(_rows(_table("leaf", "kind", "shape", "value"), _leaf_rows(trace, p)))
    summary = Text(f"\nOutput: {out}")
    if sc.trains:
        summary.append(f"   learning rate: {fmt_scalar(sc.learning_rate, 6)}"
                       f"   iterations: {trace.iterations}")
    parts.append(summary)
    parts.append(Text(""))
    phase = None
    for step in _first_steps(trace):
        if step.phase != phase:
            phase = step.phase
            parts.append(Rule(Text(PHASE_TITLES[phase], style="bold"), align="left"))
        parts.extend(_step_renderables(trace, step, p))
    parts.append(Rule(Text("Result", style="bold"), align="left"))
    parts.append(_rows(_table("leaf", "kind", f"∂{out}/∂leaf", title="Gradients"),
                       _gradient_rows(trace, p)))
    parts.append(Text(""))
    if _iterations_note(trace):
        parts.append(Text(_iterations_note(trace), style="dim"))
    if len(trace.losses) > MAX_LOSS_ROWS:
        parts.append(Text(f"{MAX_LOSS_ROWS} of {len(trace.losses)} iterations shown "
                          "(--format json has every one).", style="dim"))
    parts.append(_rows(_table("iteration", out, title="Loss history"), _loss_rows(trace, p)))
    if trace.params_final:
        parts.append(Text(""))
        parts.append(_rows(_table("param", "value", title="Final params"),
                           [(k, fmt_value(v, p)) for k, v in trace.params_final.items()]))
    return parts


def _step_renderables(trace: Trace, step: Step, p: int) -> list:
    out = trace.output
    body: list = []
    if isinstance(step, ForwardStep):
        head = _step_header(step, _equation(trace, step), step.label)
        body.append(Text(explain(step.op, "forward", _const(trace, step.node),
                                 [i.name for i in step.inputs]), style="dim italic"))
        body.append(_rows(_table("input", "value", "local_grad"), _forward_rows(trace, step, p)))
        result = Text("output  ")
        result.append(f"{step.node} = {fmt_value(step.output, p)}", style="bold")
        body.append(result)
        for k, v in step.cache.items():
            body.append(Text(f"cache   {k} = {fmt_value(v, p)}", style="dim"))
    elif isinstance(step, SeedStep):
        head = _step_header(step, _seed_text(trace, step, p))
    elif isinstance(step, BackwardStep):
        head = _step_header(step, _equation(trace, step), step.label)
        body.append(Text(explain(step.op, "backward", _const(trace, step.node),
                                 [i.name for i in step.inputs]), style="dim italic"))
        up = Text("upstream  ")
        up.append(f"{_partial(out, step.node)} = {fmt_value(step.upstream, p)}", style="bold")
        body.append(up)
        body.append(_rows(_table("input", "local_grad", "contribution (upstream × local_grad)"),
                          [row[:3] for row in _backward_rows(trace, step, p)]))
        for inp in step.inputs:
            body.append(_accumulate_text(trace, step, inp, p))
    elif isinstance(step, UpdateStep):
        head = _step_header(step, f"p = p - {fmt_scalar(step.learning_rate, 6)} · ∂{out}/∂p")
        body.append(_rows(_table("param", "before", "grad", "after"), _update_rows(step, p)))
    else:  # pragma: no cover - the engine has exactly four step types
        raise TypeError(f"unknown step type {type(step).__name__}")
    note = _nonfinite_note(trace, step)
    if note:
        body.append(Text(f"⚠ {note}", style="bold red"))
    return [head, _indent(*body)] if body else [head, Text("")]


def _accumulate_text(trace: Trace, step: BackwardStep, inp, p: int) -> Text:
    """``grad x += -4:  grad_before 0 → grad_after -4`` plus, when the variable fans out,
    which of its ``+=`` this is."""
    added = fmt_value(inp.contribution, p) if np.ndim(inp.contribution) == 0 \
        else "contribution"  # an array is already in the table above
    t = Text(f"grad {inp.name} += {added}:  {fmt_value(inp.grad_before, p)} → ")
    t.append(fmt_value(inp.grad_after, p), style="bold")
    total = trace.timeline.expected_contributions(inp.node)
    if total > 1:
        done = len(trace.timeline.contributions_at(inp.node, step.index))
        t.append(f"   (+= {done} of {total} into {inp.node})", style="dim")
    return t


def make_console(file=None, width: int | None = None) -> Console:
    """A Console for CLI output: no markup/emoji/auto-highlighting surprises; colour only
    on a terminal and never with NO_COLOR (Rich reads NO_COLOR and isatty itself)."""
    return Console(file=file, width=width, highlight=False, emoji=False, markup=False,
                   soft_wrap=False)


def print_renderables(console: Console, parts: Iterable) -> None:
    """Print Rich renderables. Off a terminal (a pipe, a handout file) the lines are
    stripped of the trailing spaces Rich pads them with."""
    if console.is_terminal:
        for part in parts:
            console.print(part)
        return
    with console.capture() as capture:
        for part in parts:
            console.print(part)
    console.file.write("\n".join(line.rstrip() for line in capture.get().split("\n")))
    console.file.flush()


def print_text(trace: Trace, console: Console, precision: int = DEFAULT_PRECISION) -> None:
    """Print the text trace."""
    print_renderables(console, text_renderables(trace, precision))


# ----------------------------------------------------------------------- gradcheck


def gradcheck_table(rows: Sequence[GradCheckRow], tolerance: float) -> Table:
    """Analytic vs numerical gradient, one row per leaf element."""
    t = _table("leaf element", "analytic", "numerical", "relative error", "result")
    for r in rows:
        status = r.status(tolerance)
        t.add_row(Text(r.name), Text(fmt_scalar(r.analytic, 10)),
                  Text(fmt_scalar(r.numerical, 10)), Text(fmt_scalar(r.rel_error, 2)),
                  Text(status, style={"pass": "green", "kink": "yellow"}.get(status,
                                                                             "bold red")))
    return t


def gradcheck_summary(rows: Sequence[GradCheckRow], tolerance: float) -> Text:
    bad = sum(1 for r in rows if r.status(tolerance) == "FAIL")
    kinks = sum(1 for r in rows if r.status(tolerance) == "kink")
    good = len(rows) - bad - kinks
    text = f"{good} of {len(rows)} leaf elements pass " \
           f"(relative error <= {fmt_scalar(tolerance, 3)}, or absolute error <= " \
           f"{fmt_scalar(rows[0].abs_tolerance if rows else 0.0, 3)})"
    if kinks:
        text += f"; {kinks} at a kink (not differentiable there, not checked)"
    if bad:
        return Text(f"{text}; {bad} FAIL", style="bold red")
    return Text(text, style="yellow" if kinks else "green")
