"""Lay out a circuit the way the CS231n figures do: inputs on the left, one box per gate
labelled with its op, wires to the consumers, each wire carrying its forward value above
and its gradient below. This module decides where everything goes;
:mod:`.circuit_canvas` draws it and puts the numbers on it.

Pure: no Textual and no Rich (plain data: lists, ints, strings).

Two stages, each cached by the widget on what it depends on:

1. :func:`build_structure` (graph topology only): visual nodes (gates, one leaf box per
   distinct input reference such as ``W1[0,1]``, and *dummy* wire-through nodes for
   wires that skip columns), longest-path layering, crossing reduction (barycenter
   sweeps, sifting, adjacent swaps), row positions (isotonic alignment passes) and the
   vertical routing tracks between columns.
2. :func:`place` (plus the label widths from
   :func:`~.circuit_canvas.label_widths`): column x positions, each column as wide as
   the longest label that can appear in it, so a label is never cut off.

Widths are terminal cells (:func:`text_width`), never ``len()``: a box around a
non-ASCII label (``σ``, a Chinese name) fits it.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

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


def build_structure(graph, text: Callable[[str], str] = str) -> Structure:
    """Lay out ``graph`` (an ``engine.Graph``): layers, order, rows and tracks. ``text``
    turns a label or a name into what is drawn (``to_ascii`` for an ASCII terminal);
    boxes are as wide as what is drawn."""
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
                    vid = add("leaf", r.name, r.node, r.index, text(r.name), src.kind)
            else:
                vid = by_name[r.node]
            ins.append(vid)
        g = add("gate", n.name, n.name, None, text(n.label))
        if n.named and n.name != n.label:
            vnodes[g].caption = text(n.name)
        vnodes[g].ins = ins
        for port, src in enumerate(ins):
            vnodes[src].outs.append((g, port))
    for n in graph.nodes:  # a leaf no gate reads still gets its box
        if n.is_leaf and n.name not in used:
            add("leaf", n.name, n.name, None, text(n.name), n.kind)

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
