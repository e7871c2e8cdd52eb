"""Lay out and draw a circuit the way the CS231n figures do: inputs on the left, one box
per gate labelled with its op, wires to the consumers, each wire carrying its forward
value above and its gradient below.

Pure: no Textual and no Rich. The drawing is a grid of cells, each with a small integer
*style code* (``WIRE``, ``VALUE``, ``GRAD``…) that the widget maps to theme styles.

Three stages, each cached by the widget on what it depends on:

1. :func:`build_structure` (graph topology only): visual nodes (gates, one leaf box per
   distinct input reference such as ``W1[0,1]``, and *dummy* wire-through nodes for
   wires that skip columns), longest-path layering, crossing reduction (barycenter
   sweeps, sifting, adjacent swaps), row positions (isotonic alignment passes) and the
   vertical routing tracks between columns.
2. :func:`place` (plus the label widths from :func:`label_widths`): column x positions,
   each column as wide as the longest label that can appear in it, so a label is never
   cut off.
3. :class:`Canvas` rows are materialised on demand; :class:`Frame` adds the per-step
   overlays (labels, highlighted gate and wires) for ``(timeline, cursor)``.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from tui_backprop.numfmt import DEFAULT_PRECISION, fmt_scalar
from tui_backprop.tui.shapes import shape_label

# ---------------------------------------------------------------------- style codes

BLANK, WIRE, GATE, LEAF, PARAM, VALUE, GRAD = 0, 1, 2, 3, 4, 5, 6
CURRENT, CURRENT_LABEL, HOT, SELECTED, VALUE_HOT, GRAD_HOT, CAPTION = 7, 8, 9, 10, 11, 12, 13
#: style code -> component-class suffix used by the widget (``circuit--<name>``)
STYLE_NAMES = ("blank", "wire", "gate", "leaf", "param", "value", "grad", "current",
               "current-label", "hot", "selected", "value-hot", "grad-hot", "caption")

#: A leaf stays in the left-most column (as in the lecture figures) when its wire skips
#: at most this many columns; otherwise it sits just before its first consumer, so a
#: deep graph does not drag hundreds of wires across the page.
LEAF_SLACK = 1
SWEEPS = 8  # barycenter ordering sweeps (down + up), at most
#: a budget (drawn nodes, dummies included, times sweeps or passes) that keeps the
#: layout near-linear: beyond 3,000 drawn nodes there are fewer sweeps and alignment
#: passes (at least 2 and 1). Nobody reads such a graph whole, and its first frame
#: should not wait.
SWEEP_WORK = 24_000
ALIGN_WORK = 18_000
CHUNK = 256  # columns of a canvas row built at a time
PORTS = 1 << 16  # input ports are sub-positions of a node when counting crossings
ALIGN_PASSES = 6  # row-alignment passes

# ---------------------------------------------------------------------------- glyphs

def _glyph_table(chars: str) -> dict[frozenset, str]:
    """Map a set of wire directions to a glyph, from 11 chars in this order:
    ``─ │ ┌ ┐ └ ┘ ├ ┤ ┬ ┴ ┼``."""
    keys = ["lr", "ud", "dr", "dl", "ur", "ul", "udr", "udl", "dlr", "ulr", "udlr"]
    table = {frozenset(k): c for k, c in zip(keys, chars, strict=True)}
    table[frozenset("l")] = table[frozenset("r")] = chars[0]
    table[frozenset("u")] = table[frozenset("d")] = chars[1]
    return table


@dataclass(frozen=True)
class Glyphs:
    """The line-drawing characters: Unicode box drawing, or plain ASCII."""

    light: str = "─│┌┐└┘├┤┬┴┼"
    heavy: str = "━┃┏┓┗┛┣┫┳┻╋"  # highlighted wires and the selected box
    double: str = "═║╔╗╚╝╠╣╦╩╬"  # the current gate's box

    def table(self, which: str = "light") -> dict[frozenset, str]:
        return _glyph_table(getattr(self, which))

    def translate(self, which: str) -> dict[int, int]:
        """A ``str.translate`` table from light glyphs to ``which``."""
        return str.maketrans(self.light, getattr(self, which))


UNICODE = Glyphs()
ASCII = Glyphs(light="-|+++++++++", heavy="=!#########", double="=##########")


_WIDTHS: dict[str, int] = {}
_NARROW: set[str] = set()  # characters known to take one cell


def cell_width(ch: str) -> int:
    w = _WIDTHS.get(ch)
    if w is None:
        w = _WIDTHS[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def text_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(cell_width(c) for c in text)


def to_cells(text: str) -> list[str]:
    """One entry per terminal cell: a wide character is followed by an empty cell."""
    # a drawing is mostly long runs of a few narrow glyphs: check each glyph once
    if text.isascii():
        return list(text)
    chars = set(text)
    if chars <= _NARROW:
        return list(text)
    _NARROW.update(c for c in chars if cell_width(c) == 1)
    if chars <= _NARROW:
        return list(text)
    out: list[str] = []
    for c in text:
        out.append(c)
        if cell_width(c) == 2:
            out.append("")
    return out


# ------------------------------------------------------------------------- structure


@dataclass(slots=True)
class VNode:
    """A drawn node: a gate box, a leaf box or a dummy (a wire passing a column)."""

    id: int
    kind: str  # "gate" | "leaf" | "dummy"
    name: str  # gate name, leaf ref name ("W1[0,1]", "x"); "" for a dummy
    node: str  # the graph node it shows (a dummy: its source's)
    index: tuple[int, ...] | None  # element of the leaf array, for element refs
    label: str  # the text in the box
    leaf_kind: str = ""  # input | param | const, for leaves
    caption: str = ""  # the name the code gives a gate, drawn under its box
    ins: list[int] = field(default_factory=list)  # predecessor per input port
    outs: list[tuple[int, int]] = field(default_factory=list)  # (successor, port)
    layer: int = 0
    pos: int = 0  # order within its layer
    top: int = 0  # first row
    h: int = 3  # rows
    w: int = 0  # columns of the box (0 for a dummy)

    @property
    def out_row(self) -> int:
        """The row of its output wire (the middle of the box)."""
        return self.top + self.h // 2

    def port_row(self, port: int) -> int:
        if self.kind == "dummy" or len(self.ins) <= 1:
            return self.out_row
        return self.top + 1 + 2 * port


@dataclass(slots=True)
class Net:
    """Everything one node's output wire reaches in the next channel."""

    source: int
    row: int  # the source's output row
    targets: list[tuple[int, int]]  # (row, vnode id) of each target port, by row
    track: int | None = None  # column index inside the channel, None if straight
    lo: int = field(init=False)  # the rows the net spans
    hi: int = field(init=False)

    def __post_init__(self) -> None:
        self.lo = min(self.row, self.targets[0][0])
        self.hi = max(self.row, self.targets[-1][0])


@dataclass
class Structure:
    """The graph's drawing topology; independent of the numbers shown."""

    vnodes: list[VNode]
    layers: list[list[int]]  # vnode ids per layer, top to bottom
    by_name: dict[str, int]  # visible node (gate or leaf ref) name -> vnode id
    by_node: dict[str, list[int]]  # graph node name -> its boxes
    chains: dict[int, list[int]]  # source vnode -> its dummies, one per skipped column
    nets: list[list[Net]]  # per channel (between layer l and l+1)
    n_tracks: list[int]
    height: int
    output: str
    crossings: int = 0
    #: per layer: row -> nodes with a label on it (built on first use)
    label_index: dict[int, dict[int, list[tuple[int, str]]]] = field(default_factory=dict)

    def edges_into(self, vid: int) -> list[tuple[int, int]]:
        """``(real source, port)`` for each input of a gate, following dummies back."""
        out = []
        for port, src in enumerate(self.vnodes[vid].ins):
            while self.vnodes[src].kind == "dummy":
                src = self.vnodes[src].ins[0]
            out.append((src, port))
        return out


def build_structure(graph) -> Structure:
    """Lay out ``graph`` (an ``engine.Graph``): layers, order, rows and tracks."""
    nodes = {n.name: n for n in graph.nodes}
    vnodes: list[VNode] = []
    by_name: dict[str, int] = {}

    def add(kind, name, node, index, label, leaf_kind="") -> int:
        v = VNode(len(vnodes), kind, name, node, index, label, leaf_kind)
        vnodes.append(v)
        if name:
            by_name[name] = v.id
        return v.id

    used: set[str] = set()
    for n in graph.nodes:
        if n.is_leaf:
            continue
        ins = []
        for r in n.inputs:
            src = nodes[r.node]
            used.add(r.node)
            if src.is_leaf:
                vid = by_name.get(r.name)
                if vid is None:
                    vid = add("leaf", r.name, r.node, r.index, r.name, src.kind)
            else:
                vid = by_name[r.node]
            ins.append(vid)
        g = add("gate", n.name, n.name, None, n.label)
        if n.named and n.name != n.label:
            vnodes[g].caption = n.name
        vnodes[g].ins = ins
        for port, src in enumerate(ins):
            vnodes[src].outs.append((g, port))
    for n in graph.nodes:  # a leaf no gate reads still gets its box
        if n.is_leaf and n.name not in used:
            add("leaf", n.name, n.name, None, n.name, n.kind)

    _assign_layers(vnodes)
    chains = _insert_dummies(vnodes)
    n_layers = 1 + max(v.layer for v in vnodes)
    layers: list[list[int]] = [[] for _ in range(n_layers)]
    for v in vnodes:
        layers[v.layer].append(v.id)
    crossings = _best_order(vnodes, layers)
    for v in vnodes:
        if v.kind == "dummy":
            v.h, v.w = 1, 0
        else:
            v.h = 2 * len(v.ins) + 1 if len(v.ins) > 1 else 3
            v.w = text_width(v.label) + 4
    height = _assign_rows(vnodes, layers)
    nets, n_tracks = _route(vnodes, layers)
    by_node: dict[str, list[int]] = {}
    for v in vnodes:
        if v.kind != "dummy":
            by_node.setdefault(v.node, []).append(v.id)
    return Structure(vnodes, layers, by_name, by_node, chains, nets, n_tracks, height,
                     graph.output, crossings)


def _assign_layers(vnodes: list[VNode]) -> None:
    # gates come in forward (topological) order; leaves start in column 0
    for v in vnodes:
        if v.kind == "gate":
            v.layer = 1 + max((vnodes[s].layer for s in v.ins), default=0)
    for v in vnodes:
        if v.kind == "leaf" and v.outs:
            first = min(vnodes[t].layer for t, _ in v.outs) - 1
            v.layer = 0 if first <= LEAF_SLACK else first


def _insert_dummies(vnodes: list[VNode]) -> dict[int, list[int]]:
    """Give every wire that skips columns one dummy per skipped column, shared by all
    the consumers of the same source, so every wire joins adjacent columns."""
    chains: dict[int, list[int]] = {}
    for s in range(len(vnodes)):
        src = vnodes[s]
        far = max((vnodes[t].layer for t, _ in src.outs), default=0)
        if far <= src.layer + 1:
            continue
        chain = []
        prev = s
        for layer in range(src.layer + 1, far):
            d = VNode(len(vnodes), "dummy", "", src.node, None, "", layer=layer)
            d.ins = [prev]
            vnodes.append(d)
            chain.append(d.id)
            prev = d.id
        chains[s] = chain
        outs = src.outs
        src.outs = []
        for t, port in outs:
            pred = s if vnodes[t].layer == src.layer + 1 else chain[vnodes[t].layer
                                                                  - src.layer - 2]
            vnodes[t].ins[port] = pred
            if pred != s:
                vnodes[pred].outs.append((t, port))
            else:
                src.outs.append((t, port))
        src.outs.insert(0, (chain[0], 0))
        for a, b in zip(chain, chain[1:], strict=False):
            vnodes[a].outs.insert(0, (b, 0))
    return chains


# -------------------------------------------------------------------------- ordering


def _port_frac(vnodes: list[VNode], t: int, port: int) -> float:
    k = len(vnodes[t].ins)
    return 0.0 if k <= 1 else (port - (k - 1) / 2) * 0.2


def _crossings_between(vnodes, upper: list[int]) -> int:
    """Crossings between a layer and the next, counting input ports as sub-positions."""
    pairs = []
    for u in upper:
        pu = vnodes[u].pos
        for t, port in vnodes[u].outs:
            pairs.append((pu, vnodes[t].pos * PORTS + port))
    pairs.sort()
    if len(pairs) <= 12:  # a few wires (a long chain's layers): pairwise is quicker
        return sum(1 for i, (a, b) in enumerate(pairs) for c, d in pairs[i + 1:]
                   if c != a and d < b)
    # count inversions of the second coordinate with a Fenwick tree
    seconds = sorted({b for _, b in pairs})
    rank = {b: i + 1 for i, b in enumerate(seconds)}
    tree = [0] * (len(seconds) + 1)
    count = 0
    seen = 0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        for _, b in pairs[i:j]:  # edges from one source never cross each other
            r = rank[b]
            le = 0
            while r > 0:
                le += tree[r]
                r -= r & -r
            count += seen - le
        for _, b in pairs[i:j]:
            r = rank[b]
            while r < len(tree):
                tree[r] += 1
                r += r & -r
            seen += 1
        i = j
    return count


def _total_crossings(vnodes, layers) -> int:
    return sum(_crossings_between(vnodes, layers[lay]) for lay in range(len(layers) - 1))


def _dfs_layers(vnodes: list[VNode], n_layers: int) -> list[list[int]]:
    """An initial order from a depth-first walk back from the sinks, inputs in port
    order: it keeps each gate's operands (and a neuron's weights) together."""
    layers: list[list[int]] = [[] for _ in range(n_layers)]
    seen = [False] * len(vnodes)
    sinks = [v.id for v in reversed(vnodes) if not v.outs]
    for root in sinks:
        stack = [(root, False)]
        while stack:
            v, done = stack.pop()
            if done:
                layers[vnodes[v].layer].append(v)
                continue
            if seen[v]:
                continue
            seen[v] = True
            stack.append((v, True))
            for s in reversed(vnodes[v].ins):
                if not seen[s]:
                    stack.append((s, False))
    return layers


#: above this many drawn nodes only one initial order is tried
SECOND_ORDER_LIMIT = 1500


def _best_order(vnodes: list[VNode], layers: list[list[int]]) -> int:
    """Order each layer from two starting orders (forward order, depth-first from the
    output) and keep the one with fewer crossings."""
    first = [list(layer) for layer in layers]
    best = _order(vnodes, layers)
    if best == 0 or len(vnodes) > SECOND_ORDER_LIMIT:
        return best
    kept = [list(layer) for layer in layers]
    other = _dfs_layers(vnodes, len(layers))
    if sorted(map(sorted, other)) != sorted(map(sorted, first)):
        other = first  # cannot happen: every node is reachable from some sink
    for i, layer in enumerate(other):
        layers[i] = layer
    crossings = _order(vnodes, layers)
    if crossings >= best:
        for i, layer in enumerate(kept):
            layers[i] = layer
            for j, v in enumerate(layer):
                vnodes[v].pos = j
        return best
    return crossings


def _order(vnodes: list[VNode], layers: list[list[int]]) -> int:
    """Barycenter sweeps down and up; keeps the order with the fewest crossings.

    Near-linear per sweep: only the layer pairs next to a layer whose order changed
    are recounted, and the sweeps stop once a sweep each way changed nothing (a
    fixed point: more sweeps would not change anything either)."""

    def set_pos(layer):
        for i, v in enumerate(layer):
            vnodes[v].pos = i

    for layer in layers:
        set_pos(layer)
    n = len(layers)
    pairs = [_crossings_between(vnodes, layers[lay]) for lay in range(n - 1)]
    best = sum(pairs)
    best_layers = [list(layer) for layer in layers]
    still = 0  # sweeps in a row that changed no layer
    for sweep in range(max(2, min(SWEEPS, SWEEP_WORK // len(vnodes)))):
        if best == 0 or still >= 2:
            break
        down = sweep % 2 == 0
        rng = range(1, n) if down else range(n - 2, -1, -1)
        changed = []
        for lay in rng:
            layer = layers[lay]
            if len(layer) < 2:
                continue
            keys = {}
            for v in layer:
                node = vnodes[v]
                if down:
                    nb = [vnodes[s].pos for s in node.ins]
                else:
                    nb = [vnodes[t].pos + _port_frac(vnodes, t, p) for t, p in node.outs]
                keys[v] = (sum(nb) / len(nb)) if nb else float(node.pos)
            new = sorted(layer, key=lambda v: (keys[v], vnodes[v].pos))
            if new != layer:
                layers[lay] = new
                set_pos(new)
                changed.append(lay)
        if not changed:
            still += 1
            continue
        still = 0
        for lay in {p for c in changed for p in (c - 1, c) if 0 <= p < n - 1}:
            pairs[lay] = _crossings_between(vnodes, layers[lay])
        c = sum(pairs)
        if c < best:
            best = c
            best_layers = [list(layer) for layer in layers]
    for i, layer in enumerate(best_layers):
        layers[i] = layer
        set_pos(layer)
    if best:
        if len(vnodes) <= SIFT_LIMIT:
            _sift(vnodes, layers)
        _transpose(vnodes, layers)
        best = _total_crossings(vnodes, layers)
    return best


#: sifting costs about (layer size)² per node; only for graphs a person reads whole
SIFT_LIMIT = 600


def _sift(vnodes: list[VNode], layers: list[list[int]], rounds: int = 3) -> None:
    """Move each node to the place in its layer with the fewest crossings (sifting):
    finds the regroupings barycenter sweeps cannot reach one swap at a time."""
    for _ in range(rounds):
        improved = False
        for layer in layers:
            if len(layer) < 3:
                continue
            for v in list(layer):
                i = vnodes[v].pos
                others = layer[:i] + layer[i + 1:]
                cost = sum(_pair_crossings(vnodes, v, u) for u in others)
                costs = [cost]
                for u in others:
                    cost += _pair_crossings(vnodes, u, v) - _pair_crossings(vnodes, v, u)
                    costs.append(cost)
                j = min(range(len(costs)), key=lambda k: (costs[k], k != i))
                if costs[j] < costs[i]:
                    others.insert(j, v)
                    layer[:] = others
                    for k, u in enumerate(layer):
                        vnodes[u].pos = k
                    improved = True
        if not improved:
            break


def _pair_crossings(vnodes: list[VNode], u: int, v: int) -> int:
    """Crossings between the wires of ``u`` and ``v`` when ``u`` is just above ``v``."""
    a, b = vnodes[u], vnodes[v]
    count = 0
    if a.ins and b.ins:
        pb = [vnodes[s].pos for s in b.ins]
        for s in a.ins:
            pa = vnodes[s].pos
            count += sum(1 for q in pb if q < pa)
    if a.outs and b.outs:
        kb = [vnodes[t].pos * PORTS + p for t, p in b.outs]
        for t, p in a.outs:
            ka = vnodes[t].pos * PORTS + p
            count += sum(1 for q in kb if q < ka)
    return count


def _transpose(vnodes: list[VNode], layers: list[list[int]], rounds: int = 4) -> None:
    """Swap neighbours in a layer while that removes crossings (the classic
    refinement after barycenter sweeps)."""
    for _ in range(rounds):
        improved = False
        for layer in layers:
            for i in range(len(layer) - 1):
                u, v = layer[i], layer[i + 1]
                if _pair_crossings(vnodes, u, v) > _pair_crossings(vnodes, v, u):
                    layer[i], layer[i + 1] = v, u
                    vnodes[u].pos, vnodes[v].pos = i + 1, i
                    improved = True
        if not improved:
            break


# ------------------------------------------------------------------------------ rows


def _separation(a: VNode, b: VNode) -> int:
    """Rows from the top of ``a`` to the top of ``b`` just below it: one blank row."""
    return a.h + 1


def _pava(desired: list[float], weights: list[float], seps: list[int]) -> list[float]:
    """Tops closest (weighted least squares) to ``desired`` keeping the order and
    ``top[i+1] >= top[i] + seps[i]``: isotonic regression after removing the offsets."""
    offsets = [0]
    for s in seps:
        offsets.append(offsets[-1] + s)
    blocks: list[list[float]] = []  # [weight, weighted sum, count]
    for d, w, o in zip(desired, weights, offsets, strict=True):
        blocks.append([w, w * (d - o), 1])
        while len(blocks) > 1 and (blocks[-2][1] / blocks[-2][0]
                                   >= blocks[-1][1] / blocks[-1][0]):
            w2, s2, c2 = blocks.pop()
            blocks[-1][0] += w2
            blocks[-1][1] += s2
            blocks[-1][2] += c2
    out = []
    for w, s, c in blocks:
        out.extend([s / w] * c)
    return [q + o for q, o in zip(out, offsets, strict=True)]


def _assign_rows(vnodes: list[VNode], layers: list[list[int]]) -> int:
    tops = [0.0] * len(vnodes)
    for layer in layers:
        y = 0
        for v in layer:
            tops[v] = y
            y += _separation(vnodes[v], vnodes[v])

    # what each node's rows depend on, worked out once: the top that lines a node up
    # with its input ``s`` is ``tops[s] + a - b``, with its consumer ``t``
    # ``tops[t] + a + b - c`` (the terms kept in the order of the original formulas,
    # so the floating-point results do not depend on this caching)
    ins: list[list[tuple[int, int, int]]] = []
    outs: list[list[tuple[int, int, int, int]]] = []
    for node in vnodes:
        half = node.h // 2
        single = node.kind == "dummy" or len(node.ins) <= 1
        ins.append([(s, vnodes[s].h // 2, half if single else 1 + 2 * p)
                    for p, s in enumerate(node.ins)])
        terms = []
        for t, p in node.outs:
            tn = vnodes[t]
            if tn.kind == "dummy" or len(tn.ins) <= 1:
                terms.append((t, tn.h // 2, 0, half))
            else:
                terms.append((t, 1, 2 * p, half))
        outs.append(terms)
    weights = [[4.0 if vnodes[v].kind == "dummy" else 1.0 for v in layer] for layer in layers]
    seps = [[_separation(vnodes[a], vnodes[b]) for a, b in zip(layer, layer[1:],
                                                                strict=False)]
            for layer in layers]

    def align(lay, use_in, use_out):
        layer = layers[lay]
        desired = []
        for v in layer:
            wants = []
            if use_in:
                wants += [tops[s] + a - b for s, a, b in ins[v]]
            if use_out:
                wants += [tops[t] + a + b - c for t, a, b, c in outs[v]]
            desired.append(sum(wants) / len(wants) if wants else tops[v])
        if len(layer) == 1:
            tops[layer[0]] = desired[0]
            return
        for v, t in zip(layer, _pava(desired, weights[lay], seps[lay]), strict=True):
            tops[v] = t

    n = len(layers)
    for _ in range(max(1, min(ALIGN_PASSES, ALIGN_WORK // len(vnodes)))):
        before = list(tops)
        for lay in range(1, n):
            align(lay, True, False)
        for lay in range(n - 2, -1, -1):
            align(lay, False, True)
        if tops == before:  # a fixed point: more passes change nothing
            break
    for lay in range(n):
        align(lay, True, True)
    for lay in range(1, n):
        align(lay, True, False)
    # whole rows, order and separation kept, starting at row 0
    for layer in layers:
        prev = None
        for v in layer:
            t = round(tops[v])
            if prev is not None:
                t = max(t, vnodes[prev].top + _separation(vnodes[prev], vnodes[v]))
            vnodes[v].top = t
            prev = v
    low = min(v.top for v in vnodes)
    for v in vnodes:
        v.top -= low
    # the blank row under each box holds its caption
    return max(v.top + v.h + (1 if v.caption else 0) for v in vnodes)


# --------------------------------------------------------------------------- routing


def _crossing_cost(a: Net, b: Net) -> int:
    """Crossings when ``a``'s vertical track is left of ``b``'s."""
    cost = sum(1 for r, _ in a.targets if b.lo <= r <= b.hi)
    cost += 1 if a.lo <= b.row <= a.hi else 0
    # a target stub of ``a`` on the row of ``b``'s source stub would overlap it
    if any(r == b.row for r, _ in a.targets):
        cost += 100
    return cost


def _route(vnodes: list[VNode], layers: list[list[int]]):
    """One net per source per channel; vertical tracks packed left-edge style."""
    from functools import cmp_to_key

    all_nets, n_tracks = [], []
    for lay in range(len(layers) - 1):
        nets = []
        for s in layers[lay]:
            node = vnodes[s]
            if not node.outs:
                continue
            targets = sorted((vnodes[t].port_row(p), t) for t, p in node.outs)
            nets.append(Net(s, node.out_row, targets))
        bent = [n for n in nets if n.lo != n.hi]

        def cmp(a, b):
            return _crossing_cost(a, b) - _crossing_cost(b, a)

        bent.sort(key=lambda n: n.lo)
        bent.sort(key=cmp_to_key(cmp))
        # first fit into the newest track, as before, but the overlap test is a bisect
        # in that track's (disjoint, sorted) intervals: a wide fan-out has thousands
        los: list[int] = []
        his: list[int] = []
        count = 0
        for n in bent:
            i = bisect.bisect_left(los, n.lo)
            if not count or (i and his[i - 1] >= n.lo) or (i < len(los)
                                                           and los[i] <= n.hi):
                count += 1
                los, his = [n.lo], [n.hi]
            else:
                los.insert(i, n.lo)
                his.insert(i, n.hi)
            n.track = count - 1
        all_nets.append(nets)
        n_tracks.append(count)
    return all_nets, n_tracks


# ----------------------------------------------------------------------------- place


def track_pitch(n_tracks: int) -> int:
    """Columns between vertical tracks: a blank column keeps a few parallel wires
    apart; a channel with many is packed tight so it stays on screen."""
    return 2 if n_tracks <= 12 else 1


@dataclass
class Geometry:
    """A structure with x positions; knows which cells each part occupies."""

    structure: Structure
    x: list[int]  # per vnode: left column of its box (a dummy: of its column)
    label_w: list[int]  # per vnode
    layer_x: list[int]
    col_end: list[int]  # per layer: first column of the channel after it
    width: int
    glyphs: Glyphs

    @property
    def height(self) -> int:
        return self.structure.height

    def track_x(self, lay: int, net: Net) -> int | None:
        if net.track is None:
            return None
        return self.col_end[lay] + net.track * track_pitch(self.structure.n_tracks[lay])

    def box(self, vid: int) -> tuple[int, int, int, int]:
        """``(x, y, w, h)`` of a node's box."""
        v = self.structure.vnodes[vid]
        return self.x[vid], v.top, v.w, v.h

    def node_at(self, x: int, y: int) -> int | None:
        """The node whose box, or whose labelled output wire, covers cell ``(x, y)``."""
        lay = bisect.bisect_right(self.layer_x, x) - 1
        if lay < 0 or x >= self.col_end[lay]:
            return None
        st = self.structure
        layer = st.layers[lay]
        tops = [st.vnodes[v].top for v in layer]
        i = bisect.bisect_right(tops, y) - 1
        if i < 0:
            return None
        v = st.vnodes[layer[i]]
        if v.kind == "dummy" or not (v.top <= y < v.top + v.h):
            return None
        bx = self.x[v.id]
        if bx <= x < bx + v.w:
            return v.id
        if x >= bx + v.w and abs(y - v.out_row) <= 1:
            return v.id
        return None


def place(structure: Structure, label_w: list[int], glyphs: Glyphs = UNICODE,
          margin: int = 1) -> Geometry:
    """Column positions: each column fits its widest box and its longest label."""
    vn = structure.vnodes
    x = [0] * len(vn)
    layer_x, col_end = [], []
    cx = margin
    for lay, layer in enumerate(structure.layers):
        width = 2
        for v in layer:
            node = vn[v]
            if node.kind != "dummy":
                # box, one space, the label, one space before the channel
                width = max(width, node.w + 1 + label_w[v] + 1,
                            1 + text_width(node.caption) + 1)
        layer_x.append(cx)
        for v in layer:
            x[v] = cx
        end = cx + width
        col_end.append(end)
        if lay < len(structure.n_tracks):
            n = structure.n_tracks[lay]
            cx = end + (n * track_pitch(n) if n else 1)
        else:
            cx = end
    return Geometry(structure, x, list(label_w), layer_x, col_end, cx + margin, glyphs)


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
                    run = to_cells(text)
                    a, b = max(x, x0), min(x + len(run), x1)
                    if a < b:
                        cells[a - x0:b - x0] = run[a - x:b - x]
                        codes[a - x0:b - x0] = bytes((code,)) * (b - a)
            got = self._chunks[(y, c)] = (cells, codes)
        return got

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


def label_widths(timeline, structure: Structure,
                 precision: int = DEFAULT_PRECISION) -> list[int]:
    """The longest value or gradient label each node can show over the whole timeline.

    Every value a node holds at the start and end of each iteration, every gradient
    after each ``+=`` it received, and the seed, are formatted once.
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
        w = max((text_width(t) for t in texts), default=1)
        seen[key] = widths[v.id] = w
    return widths


class Labels:
    """The value and gradient text of each node at one cursor, computed on demand."""

    def __init__(self, timeline, cursor: int, structure: Structure,
                 precision: int = DEFAULT_PRECISION,
                 reach: dict[str, dict[str, list[int]]] | None = None) -> None:
        self.timeline = timeline
        self.cursor = cursor
        self.structure = structure
        self.precision = precision
        self._reach = reach if reach is not None else {}
        self._start = timeline.iteration_of(cursor).start if len(timeline.steps) else 0
        self._memo: dict[tuple[int, str], str] = {}

    def value(self, vid: int) -> str:
        key = (vid, "v")
        got = self._memo.get(key)
        if got is None:
            v = self.structure.vnodes[vid]
            val = self.timeline.value_at(v.node, self.cursor)
            got = "" if val is None else _fmt(val, v.index, self.precision)
            self._memo[key] = got
        return got

    def grad(self, vid: int) -> str:
        key = (vid, "g")
        got = self._memo.get(key)
        if got is None:
            v = self.structure.vnodes[vid]
            g = self.timeline.grad_at(v.node, self.cursor)
            if g is not None and v.index is not None and not self._reached(v):
                g = None  # other elements got theirs; this one has not yet
            got = "" if g is None else _fmt(g, v.index, self.precision)
            self._memo[key] = got
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
