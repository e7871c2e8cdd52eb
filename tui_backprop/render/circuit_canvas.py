"""Draw a laid-out circuit (:mod:`.circuit_layout`) as a grid of cells and put the
numbers of one step on it: :class:`Canvas` (boxes and wires, no numbers), :class:`Labels`
(each node's value and gradient text, read from the presentation model's
:class:`~tui_backprop.model.view.NodeView`, so a masked number shows as ``?``) and
:class:`Frame` (the per-step overlays: the current gate drawn double, the wires it reads
and writes heavy, bold labels).

Pure: no Textual and no Rich. Each cell carries a small integer *style code* (``WIRE``,
``VALUE``, ``GRAD``...) that the widget maps to theme styles. Widths are terminal cells:
a wide character takes two cells (the second one ``""``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..model.view import Hide, NodeView, node_view
from ..numfmt import DEFAULT_PRECISION, fmt_scalar
from .circuit_layout import Geometry, Structure, VNode, cell_width, text_width, to_cells
from .shapes import shape_label

# ---------------------------------------------------------------------- style codes

BLANK, WIRE, GATE, LEAF, PARAM, VALUE, GRAD = 0, 1, 2, 3, 4, 5, 6
CURRENT, CURRENT_LABEL, HOT, SELECTED, VALUE_HOT, GRAD_HOT, CAPTION = 7, 8, 9, 10, 11, 12, 13
#: style code -> component-class suffix used by the widget (``circuit--<name>``)
STYLE_NAMES = ("blank", "wire", "gate", "leaf", "param", "value", "grad", "current",
               "current-label", "hot", "selected", "value-hot", "grad-hot", "caption")
CHUNK = 256  # columns of a canvas row built at a time


# ----------------------------------------------------------------------------- canvas


class Canvas:
    """The static drawing (boxes and wires, no numbers), one row at a time.

    Drawing operations are collected per row once; cells are built the first time
    they are asked for, ``CHUNK`` columns at a time, so a 2,000-gate graph only pays
    for what is on screen.
    """

    def __init__(self, geometry: Geometry) -> None:
        self.geometry = geometry
        self.width = geometry.width
        self.height = geometry.height
        #: per row: (phase, order, x, text, code); later phases draw over earlier ones
        self._ops: list[list[tuple[int, int, int, str, int]]] = [
            [] for _ in range(self.height)]
        #: per row: the ops sorted by x, their x, and an upper bound of their widths
        self._index: dict[int, tuple[list, list[int], int]] = {}
        self._chunks: dict[tuple[int, int], tuple[list[str], bytearray]] = {}
        self._long_cells: dict[str, list[str]] = {}
        self._draw()

    # -- recording
    def _op(self, phase: int, x: int, y: int, text: str, code: int) -> None:
        if text:
            ops = self._ops[y]
            ops.append((phase, len(ops), x, text, code))

    def _draw(self) -> None:
        g = self.geometry
        st = g.structure
        light = g.glyphs.light
        h_, v_, tl, tr, bl, br, lt, rt = light[:8]
        for v in st.vnodes:
            x = g.x[v.id]
            end = g.col_end[v.layer]
            if v.kind == "dummy":
                self._op(2, x, v.top, h_ * (end - x), WIRE)
                continue
            code = GATE if v.kind == "gate" else (PARAM if v.leaf_kind == "param" else LEAF)
            inner = v.w - 2
            self._op(0, x, v.top, tl + h_ * inner + tr, code)
            self._op(0, x, v.top + v.h - 1, bl + h_ * inner + br, code)
            ports = {v.port_row(p) for p in range(len(v.ins))}
            for y in range(v.top + 1, v.top + v.h - 1):
                left = rt if y in ports else v_
                right = lt if y == v.out_row else v_
                mid = " " * inner
                if y == v.out_row:
                    mid = " " + v.label + " " * (inner - 1 - text_width(v.label))
                self._op(0, x, y, left + mid + right, code)
            self._op(2, x + v.w, v.out_row, h_ * (end - x - v.w), WIRE)
            if v.caption:
                self._op(0, x + 1, v.top + v.h, v.caption, CAPTION)
        table = g.glyphs.table("light")
        for lay, nets in enumerate(st.nets):
            c0, c1 = g.col_end[lay], g.layer_x[lay + 1]
            for net in nets:
                tx = g.track_x(lay, net)
                if tx is None:
                    self._op(2, c0, net.row, h_ * (c1 - c0), WIRE)
                    continue
                target_rows = {r for r, _ in net.targets}
                for y in range(net.lo, net.hi + 1):
                    dirs = set()
                    if y > net.lo:
                        dirs.add("u")
                    if y < net.hi:
                        dirs.add("d")
                    if y == net.row:
                        dirs.add("l")
                    if y in target_rows:
                        dirs.add("r")
                    self._op(1, tx, y, table[frozenset(dirs)], WIRE)
                self._op(2, c0, net.row, h_ * (tx - c0), WIRE)
                for r, _ in net.targets:
                    self._op(2, tx + 1, r, h_ * (c1 - tx - 1), WIRE)

    # -- reading
    def _chunk(self, y: int, c: int) -> tuple[list[str], bytearray]:
        """Cells and codes of columns ``[c·CHUNK, (c+1)·CHUNK)`` of row ``y``, built on
        first use: a long chain is a few rows of hundreds of thousands of columns."""
        got = self._chunks.get((y, c))
        if got is None:
            x0 = c * CHUNK
            x1 = min(x0 + CHUNK, self.width)
            cells = [" "] * (x1 - x0)
            codes = bytearray(x1 - x0)
            if 0 <= y < self.height:
                index = self._index.get(y)
                if index is None:
                    ops = sorted(self._ops[y], key=lambda op: op[2])
                    index = self._index[y] = (ops, [op[2] for op in ops], 2 * max(
                        (len(op[3]) for op in ops), default=0))
                ops, xs, longest = index
                lo = bisect.bisect_left(xs, x0 - longest)
                hi = bisect.bisect_left(xs, x1)
                for _, _, x, text, code in sorted(ops[lo:hi]):  # by phase, then order
                    run = self._cells_of(text)
                    a, b = max(x, x0), min(x + len(run), x1)
                    if a < b:
                        cells[a - x0:b - x0] = run[a - x:b - x]
                        codes[a - x0:b - x0] = bytes((code,)) * (b - a)
            got = self._chunks[(y, c)] = (cells, codes)
        return got

    def _cells_of(self, text: str) -> list[str] | str:
        """:func:`to_cells` of an op's text, for slicing into a chunk. Text that spans
        several chunks is converted once, not once per chunk (that was quadratic in the
        length of a long wire or label)."""
        if text.isascii():  # one cell per character: slice the text itself
            return text
        if len(text) <= CHUNK:
            return to_cells(text)
        run = self._long_cells.get(text)
        if run is None:
            run = self._long_cells[text] = to_cells(text)
        return run

    def span(self, y: int, x0: int, x1: int) -> tuple[list[str], bytearray]:
        """``(cells, codes)`` of row ``y`` between columns ``x0 >= 0`` and ``x1`` (blank
        beyond the drawing); fresh lists the caller may change."""
        cells: list[str] = []
        codes = bytearray()
        x = x0
        while x < min(x1, self.width):
            c = x // CHUNK
            part_cells, part_codes = self._chunk(y, c)
            a, b = x - c * CHUNK, min(x1 - c * CHUNK, CHUNK)
            cells += part_cells[a:b]
            codes += part_codes[a:b]
            x = c * CHUNK + b
        if len(cells) < x1 - x0:
            pad = x1 - x0 - len(cells)
            cells += [" "] * pad
            codes += bytearray(pad)
        return cells, codes

    def row(self, y: int) -> tuple[list[str], bytearray]:
        """``(cells, codes)`` of the whole row ``y``."""
        return self.span(y, 0, self.width)

    def cell(self, y: int, x: int) -> str:
        """The character drawn at ``(x, y)`` (``""`` right of a wide character)."""
        return self._chunk(y, x // CHUNK)[0][x % CHUNK]


# ------------------------------------------------------------------------ the numbers


def _fmt(arr, index, precision: int) -> str:
    """A scalar's number; a tensor's shape (``5×3``; ``(5,)`` for a vector, so it does
    not read as the number 5) - the other panels show the elements."""
    a = np.asarray(arr)
    if index is not None:
        a = a[index]
    if a.ndim:
        return shape_label(a.shape)
    return fmt_scalar(a, precision)


def _element_steps(timeline, node: str) -> dict[str, list[int]]:
    steps: dict[str, list[int]] = {}
    for it in timeline.iterations:
        for c in timeline.contributions_at(node, it.end - 1):
            steps.setdefault(c.ref, []).append(c.step)
    return steps


def label_widths(timeline, structure: Structure, precision: int = DEFAULT_PRECISION,
                 text: Callable[[str], str] = str) -> list[int]:
    """The widest value or gradient label (in cells) each node can show over the whole
    timeline, as ``text`` draws it.

    Every value a node holds at the start and end of each iteration, every gradient
    after each ``+=`` it received, and the seed, are formatted once. (Only the widths
    of numbers, never a number itself, are worked out here: the labels on screen come
    from the node views.)
    """
    widths = [0] * len(structure.vnodes)
    seen: dict[tuple[str, tuple | None], int] = {}
    last = len(timeline.steps) - 1
    for v in structure.vnodes:
        if v.kind == "dummy":
            continue
        key = (v.node, v.index)
        if key in seen:
            widths[v.id] = seen[key]
            continue
        texts = set()
        for it in timeline.iterations:
            for k in (it.start, it.end - 1):
                val = timeline.value_at(v.node, k)
                if val is not None:
                    texts.add(_fmt(val, v.index, precision))
            for c in timeline.contributions_at(v.node, it.end - 1):
                if v.index is None:
                    texts.add(_fmt(c.grad_after, None, precision))
                elif c.ref == v.name:
                    texts.add(_fmt(c.grad_after, None, precision))
        if v.node == structure.output and last >= 0:
            for it in timeline.iterations:
                g = timeline.grad_at(v.node, it.end - 1)
                if g is not None:
                    texts.add(_fmt(g, None, precision))
        w = max((text_width(text(t)) for t in texts), default=1)
        seen[key] = widths[v.id] = w
    return widths


class Labels:
    """The value and gradient text of each node at one cursor, computed on demand from
    the presentation model's node views (``hide`` masks as :func:`node_view` does: a
    hidden number is drawn ``?``). ``text`` turns a label into what is drawn."""

    def __init__(self, timeline, cursor: int, structure: Structure,
                 precision: int = DEFAULT_PRECISION,
                 reach: dict[str, dict[str, list[int]]] | None = None, *,
                 hide: Hide | None = None, text: Callable[[str], str] = str) -> None:
        self.timeline = timeline
        self.cursor = cursor
        self.structure = structure
        self.precision = precision
        self.hide = hide
        self._text = text
        self._reach = reach if reach is not None else {}
        self._start = timeline.iteration_of(cursor).start if len(timeline.steps) else 0
        self._memo: dict[tuple[int, str], str] = {}
        self._views: dict[str, NodeView] = {}

    def view(self, name: str) -> NodeView:
        """The node view of graph node ``name`` at this cursor (built once)."""
        got = self._views.get(name)
        if got is None:
            got = self._views[name] = node_view(self.timeline, self.cursor, name,
                                                hide=self.hide)
        return got

    def _label(self, num, index) -> str:
        if num is None:
            return ""
        if num.hidden:
            return num.text()
        return self._text(_fmt(num.value, index, self.precision))

    def value(self, vid: int) -> str:
        key = (vid, "v")
        got = self._memo.get(key)
        if got is None:
            v = self.structure.vnodes[vid]
            got = self._memo[key] = self._label(self.view(v.node).value, v.index)
        return got

    def grad(self, vid: int) -> str:
        key = (vid, "g")
        got = self._memo.get(key)
        if got is None:
            v = self.structure.vnodes[vid]
            g = self.view(v.node).grad
            if g is not None and v.index is not None and not self._reached(v):
                g = None  # other elements got theirs; this one has not yet
            got = self._memo[key] = self._label(g, v.index)
        return got

    def _reached(self, v: VNode) -> bool:
        table = self._reach.get(v.node)
        if table is None:
            table = self._reach[v.node] = _element_steps(self.timeline, v.node)
        steps = table.get(v.name, [])
        i = bisect.bisect_right(steps, self.cursor) - 1
        return i >= 0 and steps[i] >= self._start


# ----------------------------------------------------------------------------- frame


def focus_of(timeline, cursor: int, structure: Structure) -> tuple[list[int], list[int]]:
    """``(current boxes, hot gates)`` at ``cursor``: the step's gate (the output for the
    seed, every parameter for the update), and the gates whose input and output wires
    are highlighted (the gate of a forward or backward step)."""
    if not (0 <= cursor < len(timeline.steps)):
        return [], []
    step = timeline.steps[cursor]
    phase = step.phase
    if phase == "update":
        names = [p.name for p in step.params]
        cur = [vid for n in names for vid in structure.by_node.get(n, [])]
        return cur, []
    vid = structure.by_name.get(step.node)
    if vid is None:
        return [], []
    return [vid], ([vid] if phase in ("forward", "backward") else [])


@dataclass
class Frame:
    """The per-step overlays on a canvas: highlighted cells and the label positions."""

    canvas: Canvas
    labels: Labels | None
    current: list[int]
    selected: list[int]
    overlay: dict[int, dict[int, tuple[str, int]]]  # row -> x -> (cell, code)
    hot: set[int]  # vnodes whose output labels are bold (read or written)

    def row(self, y: int, x0: int, x1: int) -> tuple[list[str], bytearray]:
        """Cells and style codes of row ``y`` between columns ``x0`` and ``x1``."""
        cells, codes = self.canvas.span(y, x0, x1)
        over = self.overlay.get(y)
        if over:
            for x, (c, code) in over.items():
                if x0 <= x < x1:
                    cells[x - x0] = c
                    codes[x - x0] = code
        if self.labels is not None:
            for x, text, code in self._labels_in_row(y, x0, x1):
                for i, c in enumerate(to_cells(text)):
                    if x0 <= x + i < x1:
                        cells[x + i - x0] = c
                        codes[x + i - x0] = code
        # never leave half of a wide character at the edges
        if cells and cells[0] == "":
            cells[0] = " "
        if cells and cell_width(cells[-1] or " ") == 2:
            cells[-1] = " "
        return cells, codes

    def _labels_in_row(self, y: int, x0: int, x1: int):
        g = self.canvas.geometry
        st = g.structure
        out = []
        # a label sits just after its box, one row above (value) or below (gradient)
        first = max(0, bisect.bisect_right(g.layer_x, x0) - 1)
        for lay in range(first, len(st.layers)):
            if g.layer_x[lay] >= x1:
                break
            for vid, kind in _label_rows(st, lay, y):
                v = st.vnodes[vid]
                lx = g.x[vid] + v.w + 1
                if lx >= x1 or lx + g.label_w[vid] <= x0:
                    continue
                hot = vid in self.hot
                if kind == "v":
                    text = self.labels.value(vid)
                    code = VALUE_HOT if hot else VALUE
                else:
                    text = self.labels.grad(vid)
                    code = GRAD_HOT if hot else GRAD
                if text:
                    out.append((lx, text, code))
        return out


def _label_rows(st: Structure, lay: int, y: int):
    """Nodes of layer ``lay`` with a label on row ``y`` (value above, grad below)."""
    cache = st.label_index
    index = cache.get(lay)
    if index is None:
        index = {}
        for vid in st.layers[lay]:
            v = st.vnodes[vid]
            if v.kind == "dummy":
                continue
            index.setdefault(v.out_row - 1, []).append((vid, "v"))
            index.setdefault(v.out_row + 1, []).append((vid, "g"))
        cache[lay] = index
    return index.get(y, ())


def wire_path(geometry: Geometry, source: int, target: int,
              port: int) -> list[tuple[int, int, str]]:
    """Cells ``(x, y, way)`` of the wire from ``source``'s output to ``target``'s input
    ``port`` through the dummies in between, ending on the target's port cell. ``way``
    is ``"h"``/``"v"`` on straight runs and ``""`` on corners and ends."""
    st = geometry.structure
    vn = st.vnodes
    hops = [source] + list(st.chains.get(source, []))
    hops = [h for h in hops if vn[h].layer < vn[target].layer]
    cells: list[tuple[int, int, str]] = []
    for i, h in enumerate(hops):
        node = vn[h]
        lay = node.layer
        y = node.out_row
        start = geometry.x[h] + node.w
        if node.kind != "dummy":
            cells.append((start - 1, y, ""))  # the box's output port
        cells.extend((x, y, "h") for x in range(start, geometry.col_end[lay]))
        nxt, nport = (hops[i + 1], 0) if i + 1 < len(hops) else (target, port)
        ty = vn[nxt].port_row(nport)
        net = next(n for n in st.nets[lay] if n.source == h)
        tx = geometry.track_x(lay, net)
        c0, c1 = geometry.col_end[lay], geometry.layer_x[lay + 1]
        if tx is None:
            cells.extend((x, y, "h") for x in range(c0, c1))
        else:
            cells.extend((x, y, "h") for x in range(c0, tx))
            step = 1 if ty >= y else -1
            cells.append((tx, y, ""))
            cells.extend((tx, yy, "v") for yy in range(y + step, ty, step))
            cells.append((tx, ty, ""))
            cells.extend((x, ty, "h") for x in range(tx + 1, c1))
    cells.append((geometry.x[target], vn[target].port_row(port), ""))
    return cells


def out_wire(geometry: Geometry, vid: int) -> list[tuple[int, int, str]]:
    """Cells of a node's own output wire in its column (where its labels are)."""
    v = geometry.structure.vnodes[vid]
    start = geometry.x[vid] + v.w
    return [(start - 1, v.out_row, "")] + [
        (x, v.out_row, "h") for x in range(start, geometry.col_end[v.layer])]


def make_frame(canvas: Canvas, labels: Labels | None, current: list[int],
               selected: list[int], hot_gates: list[int]) -> Frame:
    """Overlays for one step: the current boxes drawn double, the selected heavy, the
    wires the current gate reads and writes heavy, with bold labels."""
    g = canvas.geometry
    st = g.structure
    glyphs = g.glyphs
    to_heavy = glyphs.translate("heavy")
    to_double = glyphs.translate("double")
    straight = {"h": glyphs.heavy[0], "v": glyphs.heavy[1]}
    overlay: dict[int, dict[int, tuple[str, int]]] = {}
    hot: set[int] = set()

    def put(cells, trans, code):
        for x, y, way in cells:
            if not (0 <= x < canvas.width and 0 <= y < canvas.height):
                continue
            row = overlay.setdefault(y, {})
            if way == "v" and row.get(x, ("",))[0] == straight["h"]:
                continue  # two highlighted wires cross: the horizontal one stays whole
            c = straight[way] if way else canvas.cell(y, x).translate(trans)
            row[x] = (c, code)

    for gate in hot_gates:
        hot.add(gate)
        put(out_wire(g, gate), to_heavy, HOT)
        for src, port in st.edges_into(gate):
            hot.add(src)
            put(wire_path(g, src, gate, port), to_heavy, HOT)
    for vid in selected:
        put(_box_cells(g, vid), to_heavy, SELECTED)
    for vid in current:
        hot.add(vid)
        put(out_wire(g, vid), to_heavy, HOT)
        put(_box_cells(g, vid), to_double, CURRENT)
        v = st.vnodes[vid]
        x = g.x[vid] + 1
        for i, c in enumerate(to_cells(" " + v.label + " ")):
            overlay.setdefault(v.out_row, {})[x + i] = (c, CURRENT_LABEL)
    return Frame(canvas, labels, current, selected, overlay, hot)


def _box_cells(g: Geometry, vid: int) -> list[tuple[int, int, str]]:
    """The border cells of a box (the glyphs are translated, not replaced)."""
    x, y, w, h = g.box(vid)
    cells = [(xx, yy, "") for yy in (y, y + h - 1) for xx in range(x, x + w)]
    for yy in range(y + 1, y + h - 1):
        cells += [(x, yy, ""), (x + w - 1, yy, "")]
    return cells


def render_text(frame: Frame) -> str:
    """The whole frame as plain text: the drawing plus every label (for tests)."""
    w = frame.canvas.width
    return "\n".join("".join(frame.row(y, 0, w)[0]).rstrip()
                     for y in range(frame.canvas.height))
