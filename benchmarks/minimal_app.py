"""The baseline for bench_tui.py: the smallest sensible Textual app (Header, one Static
label, Footer) with a `right` binding that changes the label, as the TUI's stepping does.

Run it directly (`python benchmarks/minimal_app.py`) for the start-up and pty
measurements; bench_tui.py imports `MinimalApp` for the headless ones. It imports nothing
from tui_backprop, so its start-up is Python + Textual alone.

`python benchmarks/minimal_app.py --import-numpy` imports numpy first (with one OpenBLAS
thread, as the TUI does): the floor of any Textual app whose first frame needs numpy.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

TITLE = "Minimal Textual app"


class MinimalApp(App[None]):
    """Header + Static + Footer; `right` increments a counter shown in the label."""

    TITLE = TITLE
    BINDINGS = [
        Binding("right", "step", "Next", priority=True),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._label(), id="label")
        yield Footer()

    def _label(self) -> str:
        return f"step {self.count:>5}"

    def action_step(self) -> None:
        self.count += 1
        # Same width every time, so no re-layout is needed (the TUI's panels do the same).
        self.query_one("#label", Static).update(self._label(), layout=False)


class MinimalStepApp(MinimalApp):
    """The room baseline of bench_serve.py (``--minimal-app``): what every served session
    would cost if it were the smallest Textual app that steps like the TUI. Header, a
    status line ``step N/M`` and a footer whose first key is ``quit`` (what the
    benchmark's clients read); ``n`` and ``p`` move the step, as in the TUI."""

    STEPS = 17  # as the bundled cs231n-sigmoid
    BINDINGS = [
        Binding("q", "quit", "quit"),
        Binding("n,right", "move(1)", "next", priority=True),
        Binding("p,left", "move(-1)", "back", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.count = 1  # the step shown

    def _label(self) -> str:
        return f"step {self.count}/{self.STEPS}"

    def action_move(self, by: int) -> None:
        self.count = min(max(self.count + by, 1), self.STEPS)
        self.query_one("#label", Static).update(self._label())


if __name__ == "__main__":
    import sys

    if "--import-numpy" in sys.argv[1:]:
        import os

        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        import numpy  # noqa: F401

    MinimalApp().run()
