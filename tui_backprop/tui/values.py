"""The Values panel: a table of every node with its kind, value, gradient and the number
of gradient contributions received / expected. Tensors show their shape and a compact
preview; selecting a row shows the full array in the inspector.

Stepping updates only the cells that changed (never rebuilds the table).
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from tui_backprop.engine import BackwardStep, ForwardStep, SeedStep, Timeline, UpdateStep
from tui_backprop.numfmt import fmt_shape, fmt_value
from tui_backprop.tui.look import Look

COLUMNS = (("", "mark", 1), ("node", "node", 12), ("kind", "kind", 6), ("value", "value", 14),
           ("grad", "grad", 14), ("+=", "count", 5))


def touched(step) -> set[str]:
    """The nodes whose value or gradient a step changes."""
    if isinstance(step, ForwardStep):
        return {step.node}
    if isinstance(step, SeedStep):
        return {step.node}
    if isinstance(step, BackwardStep):
        return {ig.node for ig in step.inputs}
    if isinstance(step, UpdateStep):
        return {p.name for p in step.params}
    return set()


class ValuesTable(DataTable):
    """One row per node; a view of ``(timeline, cursor)``."""

    class NodeSelected(Message):
        """Posted when the user picks a row (enter or click)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self._cells: dict[tuple[str, str], object] = {}
        self._timeline: Timeline | None = None
        self._cursor = -1
        self._focus_node: str | None = None
        self._look: Look | None = None
        self._expected: dict[str, int] = {}

    def set_timeline(self, timeline: Timeline) -> None:
        """Rebuild the rows for a new graph (only when the node list changes)."""
        names = [n.name for n in timeline.graph.nodes]
        same = self._timeline is not None and [
            n.name for n in self._timeline.graph.nodes] == names
        self._timeline = timeline
        self._cursor = -1
        self._expected = {n: timeline.expected_contributions(n) for n in names}
        if same:
            return
        self.clear(columns=True)
        self._cells.clear()
        width = min(16, max([4, *(len(n) for n in names)]))
        for label, key, w in COLUMNS:
            self.add_column(label, key=key, width=width if key == "node" else w)
        for node in timeline.graph.nodes:
            kind = node.kind if node.is_leaf else node.label
            self.add_row("", node.name, kind, "", "", "", key=node.name)

    def _row(self, name: str, k: int, look: Look, current: str | None) -> dict[str, object]:
        tl = self._timeline
        assert tl is not None
        v = tl.value_at(name, k)
        g = tl.grad_at(name, k)
        shape = tl.graph.node(name).shape

        def cell(x, style) -> Text:
            if x is None:
                return Text("—", look.muted)
            text = look.num(x) if not shape else (
                f"{fmt_shape(shape)} {fmt_value(x, look.precision, max_items=3)}")
            return Text(text, style, overflow="ellipsis", no_wrap=True)

        expected = self._expected.get(name, 0)
        received = len(tl.contributions_at(name, k)) if expected else 0
        return {
            "mark": Text("▶", look.accent) if name == current else "",
            "value": cell(v, look.value),
            "grad": cell(g, look.grad),
            "count": f"{received}/{expected}" if expected else "",
        }

    def show(self, timeline: Timeline, cursor: int, selected: str | None, look: Look) -> None:
        """Update the cells that changed since the last call."""
        if timeline is not self._timeline:
            self.set_timeline(timeline)
        step = timeline[cursor] if len(timeline) else None
        current = getattr(step, "node", None)
        if step is not None and step.phase == "seed":
            current = None
        old = self._cursor
        if (look is self._look and old >= 0 and abs(cursor - old) == 1
                and timeline.iteration_of(cursor) is timeline.iteration_of(old)):
            names = touched(timeline[max(cursor, old)]) | {
                n for n in (self._focus_node, current) if n is not None}
        else:
            names = [n.name for n in timeline.graph.nodes]
            if look is not self._look:
                self._cells.clear()  # new colours: Text equality ignores the style
        self._look = look
        self._cursor = cursor
        changed: list[str] = []
        for name in names:
            dirty = False
            for key, val in self._row(name, cursor, look, current).items():
                if self._cells.get((name, key)) != val:
                    self._cells[(name, key)] = val
                    # DataTable.update_cell repaints the whole table for every cell; write
                    # the cells and repaint only the rows that changed (Textual 8 internals:
                    # _data holds the cells, _update_count keys the render caches).
                    self._data[RowKey(name)][ColumnKey(key)] = val
                    dirty = True
            if dirty:
                changed.append(name)
        if changed:
            self._update_count += 1
            if len(changed) > 20:
                self.refresh()
            else:
                index = timeline.graph.index
                for name in changed:
                    self.refresh_row(index[name])
        focus = selected or current
        self._focus_node = current
        if focus is not None and focus in timeline.graph.index:
            row = timeline.graph.index[focus]
            if row != self.cursor_row:
                self.move_cursor(row=row, animate=False, scroll=True)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.NodeSelected(event.row_key.value))
