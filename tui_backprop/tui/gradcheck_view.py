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
from tui_backprop.render.words import Words
from tui_backprop.tui.dialog import DialogScreen
from tui_backprop.tui.failure import failure_text
from tui_backprop.tui.i18n import translate_bindings, words_of

#: A relative error above this fails (the CS231n notes: < 1e-7 is great, > 1e-4 is bad).
TOLERANCE = 1e-6


def summary(rows: list[GradCheckRow], tolerance: float = TOLERANCE,
            w: Words | None = None) -> str:
    """One line on the check's result, in the language of ``w`` (English by default)."""
    w = w if w is not None else Words.of("en")
    failed = [r for r in rows if r.status(tolerance) == "FAIL"]
    kinks = [r for r in rows if r.status(tolerance) == "kink"]
    if not rows:
        return w("tui.gradcheck.nothing")
    if not failed:
        text = w("tui.gradcheck.all_pass", n=len(rows) - len(kinks), le=w.s("≤"),
                 tolerance=fmt_scalar(tolerance))
        if kinks:
            text = w("gradcheck.summary.kinks", summary=text, kinks=len(kinks))
        return text
    names = w("sep.list").join(w.s(r.name) for r in failed[:6]) + (
        " " + w.g.ellipsis if len(failed) > 6 else "")
    return w("tui.gradcheck.some_fail", failed=len(failed), n=len(rows),
             tolerance=fmt_scalar(tolerance), names=names)


class GradCheckScreen(DialogScreen[None]):
    """Runs ``engine.gradcheck`` in a worker thread and shows the table."""

    BINDINGS = [Binding("escape,q,g", "dismiss", "tui.key.close")]

    DEFAULT_CSS = """
    GradCheckScreen > Vertical { width: 95%; max-width: 100; height: 90%; }
    GradCheckScreen DataTable { height: 1fr; }
    GradCheckScreen #summary { height: auto; }
    """

    def __init__(self, graph: Graph, precision: int = 4) -> None:
        super().__init__()
        self._w = words_of()
        translate_bindings(self, self._w)
        self._graph = graph
        self._precision = precision

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = self._w("tui.gradcheck.title")
            yield Label(self._w("tui.gradcheck.running", ellipsis=self._w.g.ellipsis),
                        id="summary")
            yield DataTable(id="gradcheck", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        w = self._w
        for key in ("element", "analytic", "numerical", "rel_error", "result"):
            table.add_column(w(f"gradcheck.col.{key}"), key=key)
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
            Text(self._w("tui.gradcheck.failed", why=failure_text(exc, self._w)), "bold red"))

    def _show(self, rows: list[GradCheckRow]) -> None:
        table = self.query_one(DataTable)
        p = self._precision
        for r in rows:
            status = r.status(TOLERANCE)  # pass, kink (not differentiable there) or FAIL
            style = {"pass": "bold green", "kink": "bold yellow"}.get(status, "bold red")
            table.add_row(Text(self._w.s(r.name)), fmt_scalar(r.analytic, p),
                          fmt_scalar(r.numerical, p), Text(fmt_scalar(r.rel_error, 2), style),
                          Text(self._w(f"gradcheck.{status.lower()}"), style),
                          key=r.name)
        self.query_one("#summary", Label).update(Text(summary(rows, TOLERANCE, self._w)))
