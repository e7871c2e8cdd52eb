"""The Gate inspector: everything about the current gate (or a selected node) at the
cursor, in the lecture's vocabulary: formula, inputs, output, cache, local gradients
(``∂(q·z)/∂q = z = -4``), upstream, the chain-rule product per input and the ``+=``
accumulation listing every contribution the input has received so far.

A view of the presentation model: :func:`inspector_lines` draws a
:class:`~tui_backprop.model.view.StepView` (or, for a selected node, a
:class:`~tui_backprop.model.view.NodeView`) with the words of a
:class:`~tui_backprop.render.words.Words`; it computes no number. A number the model
hides (quiz mode) is drawn ``?``. Labels are padded in terminal cells, so the columns
line up in Chinese too.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from tui_backprop.engine import Timeline
from tui_backprop.model.view import (
    AccumulateView,
    Hide,
    InputView,
    Num,
    StepView,
    node_view,
    step_view,
)
from tui_backprop.render.words import Words
from tui_backprop.tui.lines import Hanging, LinesView, pad_cells
from tui_backprop.tui.look import Look

#: inf / -inf / nan in formatted numbers (highlighted wherever they appear)
NONFINITE = r"(?<![\w.])-?(?:inf|nan)\b"

#: A ``+=`` line lists at most this many contributions (the first and the latest).
MAX_TERMS = 8


def _shaped(num: Num, w: Words, *, max_items: int = 6) -> str:
    """A number as the inspector shows it: tensors lead with their shape (``5×3 [[…]]``,
    ``(3,) […]``), since the shapes tell which operand to transpose."""
    if num.is_scalar or num.hidden:
        return w.num(num)
    return f"{w.shape_label(num.shape)} {w.num(num, max_items=max_items)}"


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


def _labels(w: Words, *keys: str) -> dict[str, str]:
    """The labels ``keys`` padded to one column (in cells, two spaces after the widest)."""
    words = {k: w(k) for k in keys}
    width = max(cell_len(t) for t in words.values()) + 2
    return {k: pad_cells(t, width) for k, t in words.items()}


def _head(view: StepView, w: Words, look: Look, style) -> Hanging:
    gate = view.gate
    return _t((w(f"phase.{view.phase}.tag"), style + look.bold),
              "  " + w("tui.ins.gate", node=w.s(gate.node), label=w.s(gate.label)) + "  ",
              (f"{w.s(gate.node)} = {w.formula(gate.formula)}", look.bold), hang=2)


def _local_text(view: StepView, inp: InputView, w: Words) -> tuple[str, str | None]:
    """``∂q/∂x = formula`` and the local gradient's value when it says more."""
    formula = w.formula(inp.local.formula)
    text = f"{w.d(view.node, inp.name)} = {formula}"
    value = inp.local.value
    if value is None:
        return text, None
    shown = w.num(value)
    return text, (shown if shown != formula else None)


def forward_lines(view: StepView, w: Words, look: Look) -> list[Text]:
    lab = _labels(w, "tui.ins.in", "tui.ins.out", "tui.ins.cache", "tui.ins.local")
    out = [_head(view, w, look, look.value)]
    for inp in view.inputs:
        out.append(_t("  " + lab["tui.ins.in"], (w.s(inp.name), look.bold), " = ",
                      (_shaped(inp.value, w), look.value), hang=3))
    out.append(_t("  " + lab["tui.ins.out"], (w.s(view.node), look.bold), " = ",
                  (_shaped(view.output, w), look.value), hang=3))
    for c in view.cache:
        key = w(f"cache.{c.key}") if w.msgs.has(f"cache.{c.key}") else w.s(c.key)
        out.append(_t("  " + lab["tui.ins.cache"], f"{key} = ", (_shaped(c.value, w), look.value),
                      hang=2))
    for inp in view.inputs:
        text, value = _local_text(view, inp, w)
        line = _t("  " + lab["tui.ins.local"], text, hang=1)
        if value is not None:
            line.append(" = ")
            line.append(value, look.accent)
        out.append(line)
    return out


def _accumulation(acc: AccumulateView, w: Words, look: Look, label: str) -> Text:
    """``dx: -4 + 0.59 = -3.41``: every contribution ``acc.name`` received so far."""
    count = "  " + w("tui.ins.count", k=acc.k, n=acc.n)
    name = f"d{w.s(acc.name)}: "
    if all(t.is_scalar for t in acc.terms):
        terms = [w.num(t) for t in acc.terms]
        if len(terms) == 1:
            terms = [w.num(acc.grad_before)] + terms
        elif len(terms) > MAX_TERMS:  # a wide fan-out: the first and the latest ones
            hidden = len(terms) - MAX_TERMS + 1
            terms = terms[:2] + [w("tui.ins.more_terms", n=hidden, ellipsis=w.g.ellipsis)] \
                + terms[-(MAX_TERMS - 3):]
        text = _t(label, (name, look.bold), _signed_sum(terms), " = ",
                  (w.num(acc.grad_after), look.grad), (count, look.muted), hang=2)
        if len(acc.terms) > 2:
            text.append("  " + w("tui.ins.before", value=w.num(acc.grad_before)), look.muted)
        return text
    return _t(label, (name, look.bold), (w.num(acc.grad_before), look.grad), " + ",
              (w.num(acc.contribution), look.grad), " = ",
              (w.num(acc.grad_after), look.grad), (count, look.muted), hang=2)


def _chain(inp: InputView, w: Words, look: Look, label: str) -> Hanging:
    """``chain  local × upstream u = contribution`` (the words in the language's order;
    a wrapped contribution stays under itself)."""
    chain = inp.chain
    line = _t(label)
    line.fallback = line.cell_len
    styles = {"local": look.accent, "upstream": look.grad, "contribution": look.grad}
    if chain.how == "vjp" or chain.local is None:
        parts = w.parts("tui.ins.chain.vjp", contribution="\0")
    else:
        parts = w.parts("tui.ins.chain.scalar", local=w.num(chain.local), times=w.g.times,
                        upstream=w.num(chain.upstream), contribution="\0")
    for text, param in parts:
        if param == "contribution":
            line.hang = line.cell_len
            text = _shaped(chain.contribution, w)
        line.append(text, styles.get(param))
    return line


def backward_lines(view: StepView, w: Words, look: Look) -> list[Text]:
    lab = _labels(w, "tui.ins.chain", "tui.ins.local")
    acc_label = pad_cells("+=", cell_len(lab["tui.ins.chain"]))
    indent = " " * 9
    out = [_head(view, w, look, look.grad),
           _t("  " + w("tui.ins.upstream") + "  ", f"{w.d(view.output_name, view.node)} = ",
              (_shaped(view.upstream, w), look.grad), hang=2)]
    for inp in view.inputs:
        text, value = _local_text(view, inp, w)
        line = _t("  ", (w.s(inp.name), look.bold), "  " + w("tui.ins.local") + "  ", text,
                  hang=3)
        if value is not None:
            line.append(" = ")
            line.append(value, look.accent)
        out.append(line)
        out.append(_chain(inp, w, look, indent + lab["tui.ins.chain"]))
        out.append(_accumulation(inp.accumulate, w, look, indent + acc_label))
    return out


def seed_lines(view: StepView, w: Words, look: Look) -> list[Text]:
    seed = view.seed
    ones = w.num(seed) if seed.is_scalar or seed.hidden else \
        w("tui.ins.seed.ones", shape=w.shape_label(seed.shape))
    return [_t((w("phase.seed.tag"), look.grad + look.bold),
               "  " + w("tui.ins.seed.output", node=w.s(view.node))),
            _t("  ", f"{w.d(view.node, view.node)} = ", (ones, look.grad),
               "   " + w("tui.ins.seed.starts"))]


def update_lines(view: StepView, w: Words, look: Look) -> list[Text]:
    lr = w.num(view.learning_rate)
    out = [_t((w("phase.update.tag"), look.accent),
              "  " + w("tui.ins.update.rule", assign=w.g.assign, dot=w.g.dot, lr=lr))]
    if not view.updates:
        out.append(_t(("  " + w("tui.ins.update.none"), look.muted)))
    lab = _labels(w, "col.before", "col.grad", "col.after")
    for u in view.updates:
        name = (w.s(u.name), look.bold)
        if u.before.is_scalar:
            out.append(_t("  ", name, ": ", (w.num(u.before), look.value),
                          f" - {lr} {w.g.times} ", (w.num(u.grad), look.grad), " = ",
                          (w.num(u.after), look.value)))
        else:
            out.append(_t("  ", name, " " + w.shape_label(u.before.shape)))
            for key, num, style in (("col.before", u.before, look.value),
                                    ("col.grad", u.grad, look.grad),
                                    ("col.after", u.after, look.value)):
                out.append(_t("    " + lab[key][:-1], (w.num(num), style), hang=1))
    return out


def step_lines(view: StepView, w: Words, look: Look) -> list[Text]:
    """The inspector's lines for a step view."""
    if view.phase == "forward":
        return forward_lines(view, w, look)
    if view.phase == "backward":
        return backward_lines(view, w, look)
    if view.phase == "seed":
        return seed_lines(view, w, look)
    return update_lines(view, w, look)


def node_lines(timeline: Timeline, k: int, name: str, w: Words, look: Look,
               hide: Hide | None = None) -> list[Text]:
    """A selected node: its value, gradient and contributions at step ``k``, then the
    latest recorded step of a gate (its backward step if reached, else forward)."""
    nv = node_view(timeline, k, name, hide=hide)
    kind = w(f"kind.{nv.kind}") if nv.kind != "gate" else w("tui.ins.gate_kind",
                                                            label=w.s(nv.label))
    out = [_t((w("tui.ins.selected"), look.accent),
              "  " + w("tui.ins.selected.what", name=w.s(name), kind=kind,
                       shape=w.shape_label(nv.shape)),
              ("   " + w("tui.ins.selected.back"), look.muted))]
    lab = _labels(w, "col.value", "col.grad")
    out.append(_t("  " + lab["col.value"],
                  (_shaped(nv.value, w, max_items=50) if nv.value is not None
                   else w("tui.ins.not_computed"), look.value), hang=1))
    out.append(_t("  " + lab["col.grad"],
                  (_shaped(nv.grad, w, max_items=50) if nv.grad is not None
                   else w("tui.ins.no_gradient"), look.grad), hang=1))
    if nv.expected:
        out.append(_t("  " + w("tui.ins.received", k=len(nv.received), n=nv.expected)))
        for r in nv.received:
            out.append(_t(f"    += {w.num(r.contribution)}",
                          ("  " + w("tui.ins.received.from", gate=w.s(r.gate)), look.muted),
                          (" " + w("tui.ins.received.via", ref=w.s(r.ref))
                           if r.ref != name else "", look.muted),
                          ("  " + w("tui.ins.received.step", k=r.step + 1), look.muted)))
    if nv.kind == "gate":
        it = timeline.iteration_of(k).iteration
        b = timeline.backward_step_of(name, it)
        f = timeline.forward_step_of(name, it)
        # an earlier step's numbers are known by now: only step k's own may be hidden
        for step in (b, f):
            if step is not None and step <= k:
                out += step_lines(step_view(timeline, step, hide=hide if step == k else None),
                                  w, look)
                break
    return out


def inspector_lines(timeline: Timeline, view: StepView | None, selected: str | None,
                    w: Words, look: Look, hide: Hide | None = None) -> list[Text]:
    """What the inspector shows at the view's step (the selected node when one is)."""
    if view is None or not len(timeline):
        return [Text(w("tui.ins.nothing"))]
    if selected is not None and selected in timeline.graph.index and view.node != selected:
        return node_lines(timeline, view.index, selected, w, look, hide)
    return step_lines(view, w, look)


class Inspector(LinesView, can_focus=True):
    """The gate inspector panel (wraps long lines)."""

    def show(self, timeline: Timeline, view: StepView | None, selected: str | None,
             w: Words, look: Look, hide: Hide | None = None) -> None:
        lines = inspector_lines(timeline, view, selected, w, look, hide)
        for text in lines:  # inf and nan are data, and they should stand out
            plain = text.plain
            if "inf" in plain or "nan" in plain:  # the regex costs more than the test
                text.highlight_regex(NONFINITE, look.error)
        cursor = view.index if view is not None else -1
        if (cursor, selected) != self._shown and self.scroll_offset.y:
            self.scroll_home(animate=False, immediate=True)  # a new step reads from its top
        self._shown = (cursor, selected)
        self.set_lines(lines)

    _shown: tuple[int, str | None] = (-1, None)
