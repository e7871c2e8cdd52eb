"""The Code panel: the scenario's ``[graph]`` code (or a network's expansion) with the
current gate's line highlighted like a debugger's current line, each line annotated
with its value and, once the backward pass reached it, its gradient.

Only the visible lines are built, and a step repaints only the visible lines whose
text changed, so a 2,000-line scenario steps as fast as a 2-line one.

The annotations are views of the presentation model's node views (``?`` where it hides
a number); widths and alignment are measured in terminal cells.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_backprop.engine import Node, Timeline
from tui_backprop.model.view import Hide, StepView, node_view
from tui_backprop.render.words import Words
from tui_backprop.text.escape import code_line
from tui_backprop.tui._textual_patch import DirectLines
from tui_backprop.tui.inspector import NONFINITE
from tui_backprop.tui.lines import fit_cells, fit_str, pad_cells
from tui_backprop.tui.look import Look

#: Room for the `` = value  ∂ grad`` annotation at 4 significant digits.
ANNOTATION_WIDTH = 27


def _safe_split(src: str, text: Callable[[str], str] = str) -> tuple[str, str]:
    """A code line as ``(code, comment)``, safe to print (:func:`code_line`), in
    ``text``'s glyphs."""
    body, comment = code_line(src)
    return text(body), text(comment)


class CodeView(DirectLines, ScrollView, can_focus=True):
    """A view of ``(timeline, cursor)`` over the scenario's code."""

    DEFAULT_CSS = """
    CodeView { overflow-x: hidden; overflow-y: auto; }
    """

    class NodeSelected(Message):
        """Posted when the user clicks a gate's expression in the code."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._code_lines: list[str] = []
        self._split: list[tuple[str, str]] = []
        self._gutter: list[str] = []
        self._named: dict[int, list[str]] = {}
        self._gates_on: dict[int, list[Node]] = {}
        self._width = 0
        self._current_row = -1
        self._state: tuple | None = None
        self._rows: dict[int, tuple[Text, Style | None]] = {}
        #: each line's last rendered strip, with what it was rendered from
        self._drawn: dict[int, tuple[tuple, Strip]] = {}

    # ----------------------------------------------------------------- model

    def set_code(self, code: str, file_lines: list[int | None], timeline: Timeline,
                 text: Callable[[str], str] = str) -> None:
        """Set the code text; ``file_lines[i]`` is the file's line number for code line
        ``i + 1`` (None for generated code, then code lines are numbered). ``text``
        turns a line into what is drawn (ASCII escapes for an ASCII terminal)."""
        lines = code.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self._code_lines = lines
        nums = [str(f if f is not None else i + 1) for i, f in enumerate(file_lines[: len(lines)])]
        nums += [str(i + 1) for i in range(len(nums), len(lines))]
        pad = max((len(n) for n in nums), default=1)
        self._gutter = [n.rjust(pad) for n in nums]
        self._named, self._gates_on = {}, {}
        for node in timeline.graph.gates:
            if node.line is None:
                continue
            self._gates_on.setdefault(node.line, []).append(node)
            if node.named:
                self._named.setdefault(node.line, []).append(node.name)
        # the scenario language has no strings, so '#' always starts a comment; the
        # value annotation goes between the code and its comment, where it stays visible
        self._split = [_safe_split(src, text) for src in lines]
        self._width = max((cell_len(c) for c, _ in self._split), default=0)
        self._current_row = -1
        self._rows = {}
        self._drawn = {}
        self._state = None
        # the natural width (for ``width: auto``): gutter, code and the annotation
        self.virtual_size = Size(pad + 4 + self._width + ANNOTATION_WIDTH, len(lines))
        self.refresh()

    @property
    def plain_lines(self) -> list[str]:
        """Every line as plain text, uncropped (tests read these; builds all lines)."""
        return [self._line_text(i, None).plain.rstrip() for i in range(len(self._code_lines))]

    @property
    def plain(self) -> str:
        return "\n".join(self.plain_lines)

    # ----------------------------------------------------------------- stepping

    def show(self, timeline: Timeline, view: StepView | None, selected: str | None,
             look: Look, w: Words, hide: Hide | None = None) -> None:
        """Show the code as of the view's step; repaints only changed visible lines."""
        cursor = view.index if view is not None else 0
        node_name = view.node if view is not None else None
        if view is not None and view.phase == "seed":
            node_name = timeline.graph.output
        current = timeline.graph.node(node_name) if node_name else None
        sel = None
        if selected and selected in timeline.graph.index:
            n = timeline.graph.node(selected)
            sel = n if not n.is_leaf else None
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        old = {y: self._rows[y] for y in range(top, top + height) if y in self._rows}
        self._state = (timeline, cursor, current, sel, look, w, hide)
        self._rows = {}
        row = current.line - 1 if current is not None and current.line else -1
        if row >= 0 and row != self._current_row:
            self._current_row = row
            if height > 0 and not top <= row < top + height:
                # off the panel: the line lands a third of the way in from the edge it
                # left by, so the next steps that way need no scrolling (each scroll
                # repaints the whole panel and its scrollbar)
                margin = height // 3
                target = row - margin if row >= top + height else row - (height - 1 - margin)
                self.scroll_to(y=max(0, target), animate=False, immediate=True)
            if self.scroll_offset.y != top:
                return  # scrolling repaints the whole panel anyway
        dirty = [Region(0, y - top, self.size.width, 1)
                 for y in range(top, min(top + height, len(self._code_lines)))
                 if old.get(y) != self._row(y)]
        if dirty:
            self.refresh(*dirty)

    def _annotation_width(self, look: Look) -> int:
        return 3 + 2 * (look.precision + 6) + 4

    def _look(self) -> Look:
        return self._state[4]

    def _row(self, i: int) -> tuple:
        """Line ``i`` (0-based) as of the current state, built once per step:
        ``(prefix, code, annotation, comment, fill)``."""
        cached = self._rows.get(i)
        if cached is not None:
            return cached
        body, comment = self._split[i]
        if self._state is None:
            return Text("  " + self._gutter[i] + " "), Text(body or comment), Text(), "", None
        timeline, cursor, current, sel, look, w, hide = self._state
        lineno = i + 1
        is_current = current is not None and current.line == lineno
        prefix = Text(no_wrap=True)
        prefix.append(w.s("▶") + " " if is_current else "  ", look.accent)
        prefix.append(self._gutter[i] + " ", look.muted)
        code = Text(body, no_wrap=True)
        if not body and comment:  # a comment line: the comment is the code
            code, comment = Text(comment, look.muted, no_wrap=True), ""
        if sel is not None and sel.line == lineno and sel.col is not None:
            code.stylize("reverse", sel.col - 1, (sel.end_col or sel.col) - 1)
        if is_current and current.col is not None:
            code.stylize(Style(bold=True, underline=True), current.col - 1,
                         (current.end_col or current.col) - 1)
        note = Text(no_wrap=True)
        column = look.precision + 6
        for name in self._named.get(lineno, ())[:1]:
            nv = node_view(timeline, cursor, name, hide=hide)
            if nv.value is None:
                continue
            note.append(" = ", look.muted)
            note.append(pad_cells(fit_str(w.num(nv.value), column, w.g.ellipsis), column),
                        look.value)
            if nv.grad is not None:
                note.append(f"  {w.g.partial} ", look.grad)
                note.append(fit_str(w.num(nv.grad), column, w.g.ellipsis), look.grad)
        note.highlight_regex(NONFINITE, look.error)
        row = (prefix, code, note, comment, look.current_fill if is_current else None)
        self._rows[i] = row
        return row

    def _line_text(self, i: int, width: int | None) -> Text:
        """The whole line; with ``width``, the code is cropped so that the value and
        gradient stay visible at the panel's right."""
        prefix, code, note, comment, _fill = self._row(i)
        room = self._width
        if width is not None and self._state is not None:
            look = self._look()
            free = width - prefix.cell_len - 1
            if not note.plain.strip():  # a comment or a line not computed yet
                room = max(8, free)
            else:
                room = max(8, min(self._width, free - self._annotation_width(look)))
                if code.cell_len > room:  # give a long line the alignment padding
                    note = note.copy()  # the row is cached: never trim it in place
                    note.rstrip()
                    room = max(room, min(code.cell_len, free - note.cell_len))
        if code.cell_len > room:
            ellipsis = self._state[5].g.ellipsis if self._state is not None else "…"
            code = fit_cells(code, room, ellipsis)
        text = prefix.copy()
        text.append_text(code)
        text.append(" " * (room - code.cell_len))
        text.append_text(note)
        if comment and self._state is not None:
            text.append(" " * max(0, self._annotation_width(self._look()) - note.cell_len))
            text.append("  " + comment, self._look().muted)
        return text

    # ----------------------------------------------------------------- drawing

    def render_line(self, y: int) -> Strip:
        width, (_, scroll_y) = self.line_geometry()
        i = scroll_y + y
        base = self.base_style
        if not 0 <= i < len(self._code_lines):
            return Strip.blank(width, base)
        row = self._row(i)
        # a step changes two or three lines: the others are drawn as they were
        key = (width, base, row, self._state[4:6] if self._state is not None else None)
        drawn = self._drawn.get(i)
        if drawn is not None and drawn[0] == key:
            return drawn[1]
        fill = row[4]
        style = base + fill if fill is not None else base
        strip = Strip(self._line_text(i, width).render(self.app.console, end=""))
        strip = strip.apply_style(style).crop_extend(0, width, style)
        self._drawn[i] = (key, strip)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()

    def on_click(self, event: Click) -> None:
        """Clicking a gate's expression selects the innermost gate under the mouse."""
        offset = event.get_content_offset(self)
        if offset is None or self._state is None:
            return
        i = offset.y + self.scroll_offset.y
        col = offset.x + self.scroll_offset.x - (len(self._gutter[0]) + 3 if self._gutter else 0)
        hits = [n for n in self._gates_on.get(i + 1, ())
                if n.col is not None and n.col - 1 <= col < (n.end_col or n.col) - 1]
        if not hits:
            hits = [self._state[0].graph.node(n) for n in self._named.get(i + 1, ())]
        if hits:
            inner = min(hits, key=lambda n: (n.end_col or 0) - (n.col or 0))
            self.post_message(self.NodeSelected(inner.name))
