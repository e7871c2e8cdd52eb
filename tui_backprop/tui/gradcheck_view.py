"""The ``g`` panel: analytic vs numerical gradients (central differences) for every leaf
element, with the relative error and pass/fail colouring."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from tui_backprop.engine import GradCheckRow, Graph, gradcheck
from tui_backprop.numfmt import fmt_scalar
from tui_backprop.tui.dialog import DialogScreen
from tui_backprop.tui.failure import failure_text

#: A relative error above this fails (the CS231n notes: < 1e-7 is great, > 1e-4 is bad).
TOLERANCE = 1e-6


def summary(rows: list[GradCheckRow], tolerance: float = TOLERANCE) -> str:
    failed = [r for r in rows if not r.passed(tolerance)]
    if not rows:
        return "nothing to check: the graph has no differentiable leaves"
    if not failed:
        return f"all {len(rows)} gradients pass (relative error ≤ {fmt_scalar(tolerance)})"
    return (f"{len(failed)} of {len(rows)} fail (relative error > {fmt_scalar(tolerance)}): "
            + ", ".join(r.name for r in failed[:6]) + (" …" if len(failed) > 6 else ""))


class GradCheckScreen(DialogScreen[None]):
    """Runs ``engine.gradcheck`` in a worker thread and shows the table."""

    BINDINGS = [Binding("escape,q,g", "dismiss", "Close")]

    DEFAULT_CSS = """
    GradCheckScreen > Vertical { width: 95%; max-width: 100; height: 90%; }
    GradCheckScreen DataTable { height: 1fr; }
    GradCheckScreen #summary { height: auto; }
    """

    def __init__(self, graph: Graph, precision: int = 4) -> None:
        super().__init__()
        self._graph = graph
        self._precision = precision

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = "Gradient check: analytic vs numerical · esc closes"
            yield Label("checking…", id="summary")
            yield DataTable(id="gradcheck", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("leaf", "analytic", "numerical", "rel. error", ""):
            table.add_column(label, key=label or "ok")
        self._run()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _run(self) -> None:
        try:
            rows = gradcheck(self._graph)
        except Exception as exc:  # noqa: BLE001 - said in the panel, the session goes on
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, rows)

    def _failed(self, exc: Exception) -> None:
        self.query_one("#summary", Label).update(
            Text("the gradient check failed: " + failure_text(exc), "bold red"))

    def _show(self, rows: list[GradCheckRow]) -> None:
        table = self.query_one(DataTable)
        p = self._precision
        for r in rows:
            ok = r.passed(TOLERANCE)
            style = "bold green" if ok else "bold red"
            table.add_row(r.name, fmt_scalar(r.analytic, p), fmt_scalar(r.numerical, p),
                          Text(fmt_scalar(r.rel_error, 2), style),
                          Text("pass" if ok else "FAIL", style), key=r.name)
        self.query_one("#summary", Label).update(summary(rows))
