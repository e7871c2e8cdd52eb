"""The Values panel: a table of every node with its kind, value, gradient and the number
of gradient contributions received / expected. Tensors show their shape and a compact
preview; selecting a row (enter or a click) shows the full array in the inspector.

A Line-API widget rather than a ``DataTable``: a DataTable re-renders every visible
cell whenever any cell changes (its render caches are keyed by one update counter), but
a step changes two or three rows. Rows are built only when visible, and a step repaints
only the visible rows (and within them only the cells) whose content changed.

Each row is a view of the presentation model's
:class:`~tui_backprop.model.view.NodeView` (``?`` where it hides a number); headers and
kinds come from the catalogue, and columns are measured in terminal cells.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click, Leave, MouseMove, Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_backprop.engine import Timeline
from tui_backprop.model.view import Hide, Num, StepView, node_view
from tui_backprop.render.words import Words
from tui_backprop.tui._textual_patch import DirectLines
from tui_backprop.tui.i18n import translate_bindings
from tui_backprop.tui.inspector import NONFINITE
from tui_backprop.tui.lines import changed_span, fit_cells
from tui_backprop.tui.look import Look

#: ``(header label's catalogue key, column key, width)``; the node column fits the names
#: (up to 16 cells).
COLUMNS = (("", "mark", 1), ("tui.col.node", "node", 12), ("col.kind", "kind", 6),
           ("col.value", "value", 14), ("col.grad", "grad", 14), ("+=", "count", 5))
#: Blank cells left and right of every cell (as a DataTable draws them).
PAD = 1


class _Row(NamedTuple):
    """What one row shows as of a step: equal rows render to the same line."""

    current: bool
    value: str | None
    grad: str | None
    count: str
    look: Look
    words: Words


class ValuesTable(DirectLines, ScrollView, can_focus=True):
    """One row per node; a view of ``(timeline, cursor)``.

    | Key | Description |
    | :- | :- |
    | up / down | Move the row cursor. |
    | pageup / pagedown | Move the row cursor a page. |
    | ctrl+home / ctrl+end | Move the row cursor to the first / last node. |
    | enter | Select the node under the row cursor (the inspector shows it). |

    The header row stays in place when the rows scroll. The row cursor follows the
    selected node, else the current step's node; the view scrolls only when that row
    leaves it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "tui.key.select", show=False),
        Binding("up", "cursor_up", "tui.key.cursor_up", show=False),
        Binding("down", "cursor_down", "tui.key.cursor_down", show=False),
        Binding("pageup", "page_up", "tui.key.page_up", show=False),
        Binding("pagedown", "page_down", "tui.key.page_down", show=False),
        Binding("ctrl+home", "cursor_first", "tui.key.first_node", show=False),
        Binding("ctrl+end", "cursor_last", "tui.key.last_node", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"values--header", "values--cursor",
                                             "values--hover"}

    # the DataTable's look, so that the panel looks like the other tables in the app
    DEFAULT_CSS = """
    ValuesTable {
        background: $surface;
        color: $foreground;
        overflow-x: auto;
        overflow-y: auto;
        &:focus {
            background-tint: $foreground 5%;
            & > .values--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .values--header {
                background-tint: $foreground 5%;
            }
        }
        & > .values--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .values--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .values--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .values--hover {
            background: $block-hover-background;
        }
    }
    """

    class NodeSelected(Message):
        """Posted when the user picks a row (enter or click)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        translate_bindings(self)
        self._timeline: Timeline | None = None
        self._names: list[str] = []
        self._kinds: list[str] = []
        self._shapes: list[tuple[int, ...]] = []
        self._widths: list[int] = [w for _, _, w in COLUMNS]
        self._shown_names: list[str] = []
        #: ``(timeline, cursor, current node, look, words, hide)`` of the last ``show``
        self._state: tuple[Timeline, int, str | None, Look, Words, Hide | None] | None = None
        self._words: Words | None = None
        #: rows built for the current state (only the ones asked for)
        self._rows: dict[int, _Row] = {}
        #: the line last rendered for each row, with what it was rendered from
        self._strips: dict[int, tuple[tuple, Strip]] = {}
        self._header_strip: tuple[tuple, Strip] | None = None
        self._cursor_row = 0
        self._hover_row = -1
        self._styles: dict[str, Style] = {}

    # ----------------------------------------------------------------- model

    def _set_timeline(self, timeline: Timeline, w: Words) -> None:
        """Take a new timeline; the rows are laid out again only if the nodes changed."""
        nodes = timeline.graph.nodes
        names = [n.name for n in nodes]
        self._timeline = timeline
        if names == self._names and w == self._words:
            return
        self._names = names
        self._words = w
        self._shown_names = [w.s(n) for n in names]
        self._kinds = [w(f"kind.{n.kind}") if n.is_leaf else w.s(n.label) for n in nodes]
        self._shapes = [n.shape for n in nodes]
        node_width = min(16, max([4, *(Text(n).cell_len for n in self._shown_names)]))
        self._widths = [node_width if key == "node" else w for _, key, w in COLUMNS]
        self._strips.clear()
        self._cursor_row = 0
        self._hover_row = -1
        self.virtual_size = Size(sum(w + 2 * PAD for w in self._widths), len(names) + 1)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _row(self, i: int) -> _Row | None:
        """Row ``i`` as of the current state (None before the first ``show``)."""
        row = self._rows.get(i)
        if row is not None or self._state is None:
            return row
        tl, k, current, look, w, hide = self._state
        name = self._names[i]
        nv = node_view(tl, k, name, hide=hide)

        def fmt(num: Num | None) -> str | None:
            if num is None:
                return None
            if num.is_scalar or num.hidden:
                return w.num(num)
            return f"{w.shape_label(num.shape)} {w.num(num, max_items=3, full=False)}"

        count = f"{len(nv.received)}/{nv.expected}" if nv.expected else ""
        row = _Row(name == current, fmt(nv.value), fmt(nv.grad), count, look, w)
        self._rows[i] = row
        return row

    def _cells(self, i: int) -> list[Text]:
        """Row ``i``'s cells, one ``Text`` per column (uncropped)."""
        row = self._row(i)
        name, kind = self._shown_names[i], self._kinds[i]
        if row is None:
            return [Text(), Text(name), Text(kind), Text(), Text(), Text()]
        look, w = row.look, row.words

        def number(s: str | None, style: Style) -> Text:
            if s is None:
                return Text.styled(w.g.missing, look.muted)
            text = Text.styled(s, style)
            text.highlight_regex(NONFINITE, look.error)
            return text

        return [Text.styled(w.s("▶"), look.accent) if row.current else Text(), Text(name),
                Text(kind), number(row.value, look.value), number(row.grad, look.grad),
                Text(row.count)]

    # ----------------------------------------------------------------- public

    def show(self, timeline: Timeline, view: StepView | None, selected: str | None,
             look: Look, w: Words, hide: Hide | None = None) -> None:
        """Show the nodes as of the view's step; repaints only the visible rows whose
        content changed (and the row cursor's old and new rows)."""
        if timeline is not self._timeline or w != self._words:
            self._set_timeline(timeline, w)
        cursor = view.index if view is not None else 0
        current = view.node if view is not None and view.phase != "seed" else None
        self._state = (timeline, cursor, current, look, w, hide)
        self._rows = {}
        focus = selected or current
        moved = False
        if focus is not None and focus in timeline.graph.index:
            moved = timeline.graph.index[focus] != self._cursor_row
            self._cursor_row = timeline.graph.index[focus]
        if not self.is_attached or self.size.width == 0:
            return  # hidden: drawn when shown (on_resize)
        # scroll only for a new cursor row: a user who scrolled away to read other rows
        # stays there while the cursor row stays the same
        if moved and self._scroll_to_row(self._cursor_row, look_ahead=True):
            return  # scrolling repaints the whole panel anyway
        self._refresh_changed()

    @property
    def cursor_row(self) -> int:
        """The index of the row under the row cursor."""
        return self._cursor_row

    def move_cursor(self, *, row: int) -> None:
        """Put the row cursor on row ``row`` (scrolling it into view)."""
        if not self._names:
            return
        self._hover_row = -1
        self._cursor_row = max(0, min(row, len(self._names) - 1))
        if self.size.width and not self._scroll_to_row(self._cursor_row):
            self._refresh_changed()

    def get_row(self, name: str) -> list[Text]:
        """The cells of node ``name``'s row (mark, node, kind, value, grad, +=)."""
        return self._cells(self._names.index(name))

    def get_cell(self, name: str, column: str) -> Text:
        """One cell: ``column`` is a key of :data:`COLUMNS` (``"value"``, ``"grad"`` ...)."""
        keys = [key for _, key, _ in COLUMNS]
        return self.get_row(name)[keys.index(column)]

    @property
    def plain_lines(self) -> list[str]:
        """The header and every row as plain text, cells cropped to their columns (tests
        read these; builds every row)."""
        header = self._header_cells()
        return [self._plain(cells) for cells in
                [header, *(self._cells(i) for i in range(len(self._names)))]]

    def _plain(self, cells: list[Text]) -> str:
        return "".join(" " * PAD + self._fit(c, w).plain + " " * PAD
                       for c, w in zip(cells, self._widths, strict=True)).rstrip()

    # ----------------------------------------------------------------- drawing

    def _fit(self, text: Text, width: int) -> Text:
        # (cells carry their colours as spans: ``Text.render`` ignores ``Text.style``)
        ellipsis = self._words.g.ellipsis if self._words is not None else "…"
        return fit_cells(text, width, ellipsis, pad=True)

    def _header_cells(self) -> list[Text]:
        w = self._words
        return [Text(w(key) if w is not None and key.startswith(("col.", "tui.")) else key)
                for key, _, _ in COLUMNS]

    def _style(self, component: str) -> Style:
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_rich_style(component)
        return style

    def _render_cells(self, cells: list[Text], pre: Style, post: Style | None) -> Strip:
        console = self.app.console
        pad = Segment(" " * PAD)
        segments: list[Segment] = []
        for text, width in zip(cells, self._widths, strict=True):
            segments.append(pad)
            segments.extend(self._fit(text, width).render(console, end=""))
            segments.append(pad)
        styled = Segment.apply_style(segments, pre)
        if post is not None:  # the cursor's colour wins over the numbers' colours
            styled = Segment.apply_style(styled, post_style=post)
        return Strip(Segment.simplify(styled))

    def _key(self, i: int) -> tuple:
        hover = i == self._hover_row
        return (self._row(i), i == self._cursor_row, hover)

    def _highlight(self, is_cursor: bool, is_hover: bool) -> Style:
        """The row cursor's and the mouse hover's style (as a DataTable combines them)."""
        style = Style()
        if is_hover:
            style += self._style("values--hover")
        if is_cursor:
            style += self._style("values--cursor")
        return style

    def _strip(self, i: int) -> Strip:
        """Row ``i``'s whole line (uncropped), built again only when its content, the
        cursor or the hover changed."""
        key = self._key(i)
        cached = self._strips.get(i)
        if cached is not None and cached[0] == key:
            return cached[1]
        highlight = self._highlight(key[1], key[2])
        post = Style.from_color(highlight.color) if highlight.color is not None else None
        strip = self._render_cells(self._cells(i), self.base_style + highlight, post)
        self._strips[i] = (key, strip)
        return strip

    def _header(self) -> Strip:
        style = self.base_style + self._style("values--header")
        key = (tuple(self._widths), style, self._words)
        if self._header_strip is None or self._header_strip[0] != key:
            self._header_strip = (key, self._render_cells(self._header_cells(), style, None))
        return self._header_strip[1]

    def _data_height(self) -> int:
        """How many rows fit under the header."""
        return max(0, self.scrollable_content_region.height - 1)

    def _visible(self) -> range:
        top = self.scroll_offset.y
        return range(top, min(top + self._data_height(), len(self._names)))

    def _refresh_changed(self) -> None:
        """Repaint the cells of the visible rows whose line changed."""
        top, scroll_x = self.scroll_offset.y, self.scroll_offset.x
        dirty: list[Region] = []  # one refresh for all: each call has its own overhead
        for i in self._visible():
            old = self._strips.get(i)
            key = self._key(i)
            if old is not None and old[0] == key:
                continue
            new = self._strip(i)
            y = i - top + 1
            if old is None or old[0][1:] != key[1:]:
                # new to the view, or the cursor or hover came or went: the whole row
                dirty.append(Region(0, y, self.size.width, 1))
                continue
            first, end = changed_span(old[1], new)
            if end > first:
                dirty.append(Region(first - scroll_x, y, end - first, 1))
        if dirty:
            self.refresh(*dirty)

    def _scroll_to_row(self, i: int, look_ahead: bool = False) -> bool:
        """Scroll row ``i`` into view if it is out of it; True if the view scrolled.

        With ``look_ahead`` (following the steps) the row lands a third of the way in
        from the edge it left by, so that the next steps in that direction need no
        scrolling (each scroll repaints the panel)."""
        rows = self._data_height()
        top = self.scroll_offset.y
        if rows <= 0 or top <= i < top + rows:
            return False
        margin = rows // 3 if look_ahead else 0
        if i < top:
            target = i - (rows - 1 - margin)
        else:
            target = i - margin
        self.scroll_to(y=max(0, target), animate=False, immediate=True)
        return self.scroll_offset.y != top

    def render_line(self, y: int) -> Strip:
        width, (scroll_x, scroll_y) = self.line_geometry()
        base = self.base_style
        if y == 0:  # the header's background runs the panel's whole width
            header = base + self._style("values--header")
            return self._header().crop_extend(scroll_x, scroll_x + width, header)
        i = scroll_y + y - 1
        if i >= len(self._names):
            return Strip.blank(width, base)
        # the cursor's (and hover's) background runs the panel's whole width too
        fill = base + self._highlight(i == self._cursor_row, i == self._hover_row)
        return self._strip(i).crop_extend(scroll_x, scroll_x + width, fill)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # focus, theme or hover styles changed: every line is drawn again
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self._scroll_to_row(self._cursor_row)
        self.refresh()

    # ----------------------------------------------------------------- mouse and keys

    def _row_at(self, event: Click | MouseMove) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None  # outside the rows, or the header
        i = self.scroll_offset.y + offset.y - 1
        return i if i < len(self._names) else None

    def on_click(self, event: Click) -> None:
        """A click selects the node (like a click on the circuit or the code)."""
        i = self._row_at(event)
        if i is None:
            return
        event.stop()
        self.move_cursor(row=i)
        self.post_message(self.NodeSelected(self._names[i]))

    def on_mouse_move(self, event: MouseMove) -> None:
        i = self._row_at(event)
        self._set_hover(-1 if i is None else i)

    def on_leave(self, event: Leave) -> None:
        self._set_hover(-1)

    def _set_hover(self, i: int) -> None:
        if i != self._hover_row:
            self._hover_row = i
            self._refresh_changed()

    def _move(self, delta: int) -> None:
        self.move_cursor(row=self._cursor_row + delta)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self._data_height() - 1))

    def action_page_down(self) -> None:
        self._move(max(1, self._data_height() - 1))

    def action_cursor_first(self) -> None:
        self.move_cursor(row=0)

    def action_cursor_last(self) -> None:
        self.move_cursor(row=len(self._names) - 1)

    def action_select_cursor(self) -> None:
        if 0 <= self._cursor_row < len(self._names):
            self.post_message(self.NodeSelected(self._names[self._cursor_row]))
