"""The Circuit panel: the graph drawn as the CS231n lecture figures draw it.

Inputs on the left, one box per gate labelled with its op, each wire carrying its forward
value above (green) and, once the backward pass reached it, its gradient below (red).
The current gate is drawn with a double border and the wires it reads and writes are
heavy, so the highlight survives ``NO_COLOR``.

The geometry lives in :mod:`tui_backprop.render.circuit_layout` and the drawing in
:mod:`tui_backprop.render.circuit_canvas` (pure, cached per graph); a step only
changes the overlays, only the rows on screen are ever drawn (``render_line``), and
only the cells a step changed are repainted. Hovering a box shows its numbers in full;
clicking it posts :class:`CircuitView.NodeSelected`.
"""

from __future__ import annotations

import bisect

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_backprop.model.view import Hide
from tui_backprop.numfmt import DEFAULT_PRECISION, fmt_full, fmt_value
from tui_backprop.render.circuit_canvas import (
    STYLE_NAMES,
    Canvas,
    Frame,
    Labels,
    focus_of,
    label_widths,
    make_frame,
)
from tui_backprop.render.circuit_layout import (
    ASCII,
    UNICODE,
    Geometry,
    Structure,
    build_structure,
    place,
)
from tui_backprop.render.words import Words
from tui_backprop.text.glyphs import to_ascii
from tui_backprop.tui._textual_patch import DirectLines


def _blank_looks_plain(style: Style, base: Style) -> bool:
    """Whether a blank cell under ``style`` looks like one under ``base``: same
    background, and nothing drawn on a blank (reverse video, underline, strike)."""
    return (style.bgcolor == base.bgcolor and not style.reverse and not style.underline
            and not style.underline2 and not style.strike and not style.overline)


def _merge_blanks(cells: list[str], runs: bytes, neutral: bytes) -> bytearray:
    """Style runs where each stretch of plain blanks takes the style of the cell to its
    left (else to its right) when that looks the same: fewer segments, fewer escapes."""
    out = bytearray(runs)
    n = len(out)
    i = 0
    while i < n:
        if cells[i] != " " or not neutral[out[i]]:
            i += 1
            continue
        j = i + 1
        while j < n and cells[j] == " " and neutral[out[j]]:
            j += 1
        if i > 0 and neutral[out[i - 1]]:
            out[i:j] = bytes((out[i - 1],)) * (j - i)
        elif j < n and neutral[out[j]]:
            out[i:j] = bytes((out[j],)) * (j - i)
        i = j
    return out


#: how many of the next steps' gates a scroll tries to bring into view as well
LOOKAHEAD = 32


def _graph_key(graph) -> tuple:
    """What the drawing's topology depends on (not the numbers)."""
    return (graph.output, tuple((n.name, n.kind, n.label, tuple(r.name for r in n.inputs))
                                for n in graph.nodes))


class CircuitView(DirectLines, ScrollView, can_focus=True):
    """A scrollable drawing of the circuit for ``(timeline, cursor)``.

    Call :meth:`show` whenever the cursor, the timeline or the selection changes. The
    view scrolls (minimally) to keep the current gate in sight. Clicking a box posts
    :class:`NodeSelected`.
    """

    COMPONENT_CLASSES = {f"circuit--{name}" for name in STYLE_NAMES}

    DEFAULT_CSS = """
    CircuitView {
        background: $surface;
        scrollbar-size-horizontal: 0;
        scrollbar-size-vertical: 1;
    }
    CircuitView > .circuit--wire { color: $foreground; }
    CircuitView > .circuit--gate { color: $foreground; }
    CircuitView > .circuit--leaf { color: $foreground; }
    CircuitView > .circuit--param { color: $text-primary; }
    CircuitView > .circuit--value { color: $text-success; }
    CircuitView > .circuit--grad { color: $text-error; }
    CircuitView > .circuit--current { color: $text-accent; text-style: bold; }
    CircuitView > .circuit--current-label { color: $text-accent; text-style: bold reverse; }
    CircuitView > .circuit--hot { color: $text-accent; text-style: bold; }
    CircuitView > .circuit--selected { color: $text-warning; text-style: bold; }
    CircuitView > .circuit--value-hot { color: $text-success; text-style: bold; }
    CircuitView > .circuit--grad-hot { color: $text-error; text-style: bold; }
    CircuitView > .circuit--caption { color: $foreground-muted; text-style: italic; }
    """

    class NodeSelected(Message):
        """Posted when the user clicks a node box.

        ``name`` is the graph node (``W1`` for the element box ``W1[0,1]``); ``ref`` is
        the box's own name (``W1[0,1]``, or the node name again).
        """

        def __init__(self, name: str, ref: str | None = None) -> None:
            super().__init__()
            self.name = name
            self.ref = ref if ref is not None else name

    def __init__(self, *, precision: int = DEFAULT_PRECISION, ascii: bool = False,
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._precision = precision
        self._glyphs = ASCII if ascii else UNICODE
        self._ascii = ascii
        self._words: Words = Words.of("en", ascii, precision)
        self._hide: Hide | None = None
        self._timeline = None
        self._cursor = 0
        self._selected: str | None = None
        self._structure: Structure | None = None
        self._structure_key: tuple | None = None
        self._graph = None
        self._canvas: Canvas | None = None
        self._canvas_key: tuple | None = None
        self._frame: Frame | None = None
        self._reach: dict = {}
        self._widths: list[int] | None = None
        self._hover: int | None = None
        self._styles: list[Style] | None = None
        self._style_run = bytes(range(256))  # bytes.translate tables (_style_table)
        self._neutral = bytes(256)
        self._pending_follow: tuple[Region, list[Region]] | None = None
        self._resized = False
        self._scrollbars_virtual: Size | None = None  # see _size_updated
        self._anchor: Offset | None = None  # the scroll offset of the last step
        #: the visible rows as last drawn (cells, codes), for repainting only changes
        self._rows: dict[int, tuple[list[str], bytearray]] = {}
        self._rows_key: tuple[int, int] | None = None

    # ------------------------------------------------------------------ public API

    @property
    def precision(self) -> int:
        """Significant digits of the numbers on the wires."""
        return self._precision

    @precision.setter
    def precision(self, value: int) -> None:
        self._precision = value
        self._canvas_key = None
        if self._timeline is not None:
            self._prepare(self._timeline, force=True)
            self.show(self._timeline, self._cursor, self._selected, hide=self._hide)

    @property
    def geometry(self) -> Geometry | None:
        """The current layout (for tests and for the app to query positions)."""
        return self._canvas.geometry if self._canvas is not None else None

    @property
    def frame(self) -> Frame | None:
        """What is drawn for the current step."""
        return self._frame

    def show(self, timeline, cursor: int, selected: str | None, *, hide: Hide | None = None,
             words: Words | None = None) -> None:
        """Draw the circuit as of step ``cursor``; ``selected`` (a node or ref name) is
        drawn with a heavy border. Cheap: the layout is cached per graph. The labels are
        the presentation model's node views (``hide`` masks numbers as ``?``), written
        with ``words`` (its glyph set must be this view's: ``ascii``)."""
        if words is not None:
            self._words = words
        self._hide = hide
        moved = timeline is not self._timeline or cursor != self._cursor
        previous, previous_cursor = self._timeline, self._cursor
        reselected = selected != self._selected
        self._resized = False
        if timeline is not self._timeline:
            self._prepare(timeline)
        self._cursor = cursor
        self._selected = selected
        st = self._structure
        assert st is not None and self._canvas is not None
        labels = Labels(timeline, cursor, st, self._precision, reach=self._reach, hide=hide,
                        text=self._text)
        current, hot = focus_of(timeline, cursor, st)
        chosen: list[int] = []
        if selected is not None:
            if selected in st.by_name:
                chosen = [st.by_name[selected]]
            else:
                chosen = list(st.by_node.get(selected, []))
        canvas_before = self._frame.canvas if self._frame is not None else None
        self._frame = make_frame(self._canvas, labels, current, chosen, hot)
        if self._hover is not None:  # keep a shown tooltip's numbers current
            self.tooltip = self._describe(self._hover)
        offset = self.scroll_offset
        # follow the step (not on the update, which touches every parameter); a new
        # selection made elsewhere (values table, palette) is brought into view too,
        # but redrawing alone never scrolls away from where the user is looking
        if moved and len(current) == 1:
            forward = timeline is not previous or cursor >= previous_cursor
            self._follow(current[0], self._ahead(cursor, 1 if forward else -1))
        elif reselected and chosen:
            self._follow(chosen[0])
        if (moved and len(current) == 1) or (reselected and chosen):
            # where a step (not a redraw for another panel's sake) left the view
            if self._resized:
                self.call_after_refresh(self._remember_offset)
            else:
                self._remember_offset()
        if (self._canvas is not canvas_before or self._resized
                or self.scroll_offset != offset):
            self._rows = {}
            self.refresh()
        else:
            self._refresh_changed_rows()

    def _refresh_changed_rows(self) -> None:
        """Repaint only the visible cells a step changed: a step usually touches a
        handful (the gate, its wires, their labels), and every repainted cell is bytes
        on the terminal (a classroom over SSH)."""
        width = self.scrollable_content_region.width
        height = self.scrollable_content_region.height
        sx, sy = self.scroll_offset
        if self._rows_key != (sx, width):
            self._rows = {}
            self.refresh()
            return
        self._style_table()
        run, neutral = self._style_run, self._neutral
        frame = self._frame
        old, rows = self._rows, {}
        dirty: list[Region] = []  # one refresh for all: each call has its own overhead
        for row in range(sy, min(sy + height, frame.canvas.height)):
            got = rows[row] = frame.row(row, sx, sx + width)
            before = old.get(row)
            if before == got:
                continue
            if before is None:
                dirty.append(Region(0, row - sy, width, 1))
                continue
            (cells, codes), (was_cells, was_codes) = got, before
            # a changed character, or a changed style unless on a blank that looks
            # like the background either way
            now, was = codes.translate(run), was_codes.translate(run)
            changed = [i for i in range(width) if cells[i] != was_cells[i] or (
                now[i] != was[i] and not (cells[i] == " " and neutral[now[i]]
                                          and neutral[was[i]]))]
            if not changed:
                continue
            # one span from the first to the last change (Textual writes a partial
            # line from the widget's left edge anyway: more spans would cost more)
            start, end = changed[0], changed[-1] + 1
            if cells[start] == "" and start > 0:  # half of a wide character
                start -= 1
            if end < width and cells[end] == "":
                end += 1
            dirty.append(Region(start, row - sy, end - start, 1))
        self._rows = rows
        if dirty:
            self.refresh(*dirty)

    def _prepare(self, timeline, force: bool = False) -> None:
        """New timeline: reuse the structure when the graph's topology is unchanged and
        the canvas when the label widths are unchanged too."""
        graph = timeline.graph
        if force or graph is not self._graph:
            key = (_graph_key(graph), self._ascii)
            if key != self._structure_key or self._structure is None:
                self._structure = build_structure(graph, self._text)
                self._structure_key = key
                self._canvas_key = None
                self._widths = None
                self._hover = None
            self._graph = graph
        self._timeline = timeline
        self._reach = {}
        st = self._structure
        widths = label_widths(timeline, st, self._precision, self._text)
        if self._widths is not None and len(self._widths) == len(widths) and not force:
            # same drawing, new numbers (an edit, the next iteration): columns only
            # grow, so the picture does not jump around between iterations
            widths = [max(a, b) for a, b in zip(self._widths, widths, strict=True)]
        self._widths = widths
        canvas_key = (id(st), tuple(widths), self._glyphs)
        if canvas_key != self._canvas_key:
            self._canvas = Canvas(place(st, widths, self._glyphs))
            self._canvas_key = canvas_key
            size = Size(self._canvas.width, self._canvas.height)
            if size != self.virtual_size:
                self.virtual_size = size
                self._resized = True

    def _ahead(self, cursor: int, direction: int) -> list[Region]:
        """What must be in view for each of the next steps in the direction of travel."""
        tl, st, g = self._timeline, self._structure, self._canvas.geometry
        width = self.scrollable_content_region.width
        out = []
        k = cursor + direction
        while len(out) < LOOKAHEAD and 0 <= k < len(tl.steps):
            current, _ = focus_of(tl, k, st)
            if len(current) != 1:
                break
            out.append(self._must_region(g, current[0], width))
            k += direction
        return out

    @staticmethod
    def _must_region(g: Geometry, vid: int, width: int) -> Region:
        """The least that counts as "the gate is in view": its box and, when the panel
        is wide enough, the value and gradient labels beside it."""
        v = g.structure.vnodes[vid]
        x, y, w, h = g.box(vid)
        right = g.col_end[v.layer]
        return Region(x, y, (right - x) if right - x <= width else w, h)

    @staticmethod
    def _want_regions(g: Geometry, vid: int) -> list[Region]:
        """What a scroll tries to show of the gate besides its box, most wanted first:
        its input channel (the wires coming in), a row of air above and below and its
        caption; then the labels of the column before it (the values it reads and the
        gradients it writes), or, in the first column, the margin."""
        v = g.structure.vnodes[vid]
        _, y, _, h = g.box(vid)
        right = g.col_end[v.layer]
        top = max(0, y - 1)
        height = y + h + 1 - top
        if v.layer == 0:
            return [Region(0, y, right, h), Region(0, top, right, height)]
        prev = v.layer - 1
        labels = g.col_end[prev] - 1 - max(
            (g.label_w[u] for u in g.structure.layers[prev]), default=0)
        return [Region(g.col_end[prev], y, right - g.col_end[prev], h),
                Region(g.col_end[prev], top, right - g.col_end[prev], height),
                Region(labels, top, right - labels, height)]

    def _follow(self, vid: int, ahead: list[Region] | None = None) -> None:
        """Keep the gate in view; when that needs a scroll, show as much of its
        surroundings and as many of the ``ahead`` regions (the next steps) as fit, so
        the next steps need none: a scroll repaints the whole panel, bytes on the wire
        on every step of a classroom demo over SSH."""
        g = self._canvas.geometry
        view = self.scrollable_content_region
        must = self._must_region(g, vid, view.width)
        want = self._want_regions(g, vid)
        if view.width <= 0 or view.height <= 0:
            self._pending_follow = (must, want)
            return
        self._pending_follow = None
        if self._resized:  # the scroll limits follow the new size after a refresh
            self.call_after_refresh(self._scroll_into_view, must, want, ahead or [])
        else:
            self._scroll_into_view(must, want, ahead or [])

    def _scroll_into_view(self, must: Region, want: list[Region] | None = None,
                          ahead: list[Region] | None = None) -> None:
        """Nothing if ``must`` is in view (a scroll repaints the whole panel, so the
        view does not move while the gate is on screen). Otherwise take in as many of
        the ``ahead`` regions as fit (the most next steps that can share one window),
        the ``want`` regions that cost none of them, then those that still fit; scroll
        only along the axes where that is not in view: vertically centre it,
        horizontally leave the room on the side the steps go and start the window at
        a column when possible."""
        window = self.scrollable_content_region.at_offset(self.scroll_offset)
        if window.contains_region(must):
            return

        def fits(r: Region) -> bool:
            return r.width <= window.width and r.height <= window.height

        ahead = ahead or []

        def reach(area: Region) -> tuple[int, Region]:
            """How many of the next steps fit with ``area``, and all of it."""
            for n, other in enumerate(ahead):
                if not fits(grown := area.union(other)):
                    return n, area
                area = grown
            return len(ahead), area

        # as many of the next steps as fit (each one is a scroll saved), and as much of
        # the gate's surroundings as costs none of them, then as still fits
        most, _ = reach(must)
        area = must
        for other in want or []:
            grown = area.union(other)
            if fits(grown) and reach(grown)[0] == most:
                area = grown
        area = reach(area)[1]
        for other in want or []:
            if fits(grown := area.union(other)):
                area = grown
        if not (window.y <= area.y and area.bottom <= window.bottom):
            self.scroll_to_region(area, animate=False, immediate=True, center=True,
                                  x_axis=False)
        x, width = window.x, window.width
        if area.x >= x and area.right <= x + width:
            return
        if ahead and ahead[0].x < must.x:  # the steps go left: the room on the left
            x = max(0, area.right - width)
        else:  # and on the right when they go right
            x = area.x
        # start the window at a column (one blank cell before it) when everything
        # still fits: first the column under the left edge, else the next one
        starts = self._canvas.geometry.layer_x
        i = max(0, bisect.bisect_right(starts, x) - 1)
        for snap in (starts[i] - 1, starts[min(i + 1, len(starts) - 1)] - 1):
            if 0 <= snap <= area.x and snap + width >= area.right:
                x = snap
                break
        self.scroll_to(x=x, animate=False, immediate=True)

    def _remember_offset(self) -> None:
        self._anchor = self.scroll_offset

    def remember_offset(self) -> None:
        """Take the current scroll offset as the step's (after a scroll from outside)."""
        self._remember_offset()

    def on_resize(self, event: events.Resize) -> None:
        """A first size, or a new one: bring the current gate (back) into view."""
        if self._pending_follow is not None:
            (must, want), self._pending_follow = self._pending_follow, None
            self.call_after_refresh(self._scroll_into_view, must, want, [])
        elif self._frame is not None and len(self._frame.current) == 1:
            self.call_after_refresh(self._refollow, self._frame.current[0])

    def _refollow(self, vid: int) -> None:
        """After a resize: back where the view was at the last step when the new size
        allows it (a narrower terminal clamps the scroll; resizing away and back gives
        the same picture), then make sure the gate is in view."""
        if self._anchor is not None:
            x, y = self._anchor
            if x <= self.max_scroll_x and y <= self.max_scroll_y:
                self.scroll_to(x, y, animate=False, immediate=True)
        self._follow(vid)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # Textual's ScrollView compares the compositor's virtual size (for a widget
        # without children: its content region) with the one set here, which always
        # differ, so every screen layout (another panel growing by a line) repainted
        # the scrollbar: about 250 bytes on a step that moved nothing here. Only a
        # new size of the drawing (or of the widget) is news to the scrollbars.
        if self.virtual_size == self._scrollbars_virtual:
            virtual_size = self.virtual_size
        self._scrollbars_virtual = self.virtual_size
        return super()._size_updated(size, virtual_size, container_size, layout)

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

    def _style_table(self) -> list[Style]:
        """Rich style per style code; ``_style_run``, a ``bytes.translate`` table (codes
        whose styles are equal share a number, so a row is cut into as few segments,
        i.e. escape codes, as the theme allows); and ``_neutral``: 1 for the styles
        under which a blank cell looks like the plain background (such a blank may
        join the segment beside it)."""
        if self._styles is None:
            base = self.rich_style
            self._styles = [base] + [
                base + self.get_component_rich_style(f"circuit--{name}", partial=True)
                for name in STYLE_NAMES[1:]]
            first: dict[Style, int] = {}
            runs = [first.setdefault(st, i) for i, st in enumerate(self._styles)]
            self._style_run = bytes(runs + list(range(len(runs), 256)))
            neutral = [_blank_looks_plain(st, base) for st in self._styles]
            self._neutral = bytes(neutral + [0] * (256 - len(neutral)))
        return self._styles

    def render_line(self, y: int) -> Strip:
        width, (sx, sy) = self.line_geometry()
        frame = self._frame
        styles = self._style_table()
        if frame is None or width <= 0:
            return Strip.blank(max(width, 0), styles[0])
        row = sy + y
        if row >= frame.canvas.height:
            return Strip.blank(width, styles[0])
        if self._rows_key != (sx, width):
            self._rows, self._rows_key = {}, (sx, width)
        got = self._rows.get(row)
        if got is None:
            got = self._rows[row] = frame.row(row, sx, sx + width)
        cells, codes = got
        runs = _merge_blanks(cells, codes.translate(self._style_run), self._neutral)
        segments = []
        n = len(runs)
        i = 0
        while i < n:
            code = runs[i]
            j = i + 1
            while j < n and runs[j] == code:
                j += 1
            segments.append(Segment("".join(cells[i:j]), styles[code]))
            i = j
        return Strip(segments, width)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Hovering a box (or its labelled wire) shows its numbers in full."""
        vid = self._node_under(event)
        if vid == self._hover:
            return
        self._hover = vid
        self.tooltip = None if vid is None else self._describe(vid)

    def on_leave(self, event: events.Leave) -> None:
        self._hover = None
        self.tooltip = None

    def _text(self, text: str) -> str:
        """What the drawing shows for ``text`` (ASCII forms on an ASCII terminal)."""
        return to_ascii(text) if self._ascii else text

    def _describe(self, vid: int) -> str:
        st = self._structure
        tl, frame = self._timeline, self._frame
        if st is None or tl is None or frame is None or frame.labels is None:
            return ""
        w = self._words
        v = st.vnodes[vid]
        nv = frame.labels.view(v.node)
        kind = w("tui.ins.gate_kind", label=w.s(nv.label)) if v.kind == "gate" else \
            w(f"kind.{nv.kind}")
        lines = [f"{w.s(v.name)}  ({kind})"]
        for what, num in (("col.value", nv.value), ("col.grad", nv.grad)):
            if num is None or (what == "col.grad" and v.index is not None
                               and not frame.labels.grad(vid)):
                lines.append(f"{w(what)}: {w.g.missing}")
                continue
            if num.hidden:
                lines.append(f"{w(what)}: {num.text()}")
                continue
            a = np.asarray(num.value)
            if v.index is not None:
                a = a[v.index]
            lines.append(f"{w(what)}: " + w.s(fmt_full(a) if a.ndim == 0
                                               else fmt_value(a, self._precision)))
        return "\n".join(lines)

    def _node_under(self, event: events.MouseEvent) -> int | None:
        if self._canvas is None:
            return None
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        sx, sy = self.scroll_offset
        return self._canvas.geometry.node_at(offset.x + sx, offset.y + sy)

    def on_click(self, event: events.Click) -> None:
        vid = self._node_under(event)
        if vid is None:
            return
        v = self._canvas.geometry.structure.vnodes[vid]
        event.stop()
        self.post_message(self.NodeSelected(v.node, v.name))
