"""The ``t`` modal: ask how many iterations to train on the fast path, then show
progress while the app's worker runs ``engine.train``."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, ProgressBar

from tui_backprop.numfmt import fmt_scalar
from tui_backprop.tui.dialog import DialogScreen

#: The most iterations one ``t`` may ask for.
MAX_TRAIN = 1_000_000


#: ASCII digits, optionally grouped by ``,`` or ``_`` (``1,000``, ``10_000``). Not
#: ``str.isdigit``: that accepts ``１２`` and ``٣``, which nobody means to type here.
_COUNT = re.compile(r"[0-9]+(?:[,_][0-9]+)*")


def parse_count(text: str, maximum: int = MAX_TRAIN) -> int | str:
    """A whole number from 1 to ``maximum``, or an error message."""
    text = text.strip()
    ask = f"type a whole number from 1 to {maximum:,}"
    if not _COUNT.fullmatch(text):
        return ask
    digits = text.replace(",", "").replace("_", "").lstrip("0")
    if len(digits) > len(str(maximum)):  # before int(): 5,000 digits is a ValueError
        return f"too large: {ask}"
    n = int(digits or "0")
    if n > maximum:
        return f"too large: {ask}"
    return n if n >= 1 else ask


class TrainScreen(DialogScreen[int | None]):
    """Asks N; dismisses with it (the app then trains and calls :meth:`progress`)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    TrainScreen > Vertical { width: 90%; max-width: 70; height: auto; }
    TrainScreen Label { width: 100%; }
    TrainScreen #error { color: $text-error; height: auto; }
    """

    def __init__(self, learning_rate: float | None, default: int = 100,
                 maximum: int | None = None) -> None:
        super().__init__()
        self._lr = learning_rate
        self._max = MAX_TRAIN if maximum is None else min(maximum, MAX_TRAIN)
        self._default = min(default, self._max)

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = "Train N more iterations (fast path)"
            lr = fmt_scalar(self._lr) if self._lr is not None else "—"
            yield Label(f"Plain SGD with learning_rate {lr}: nothing is recorded "
                        "until the last iteration, which you can step through.")
            yield Input(str(self._default), id="count", select_on_focus=True)
            yield Label("", id="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        n = parse_count(event.value, self._max)
        if isinstance(n, str):
            self.query_one("#error", Label).update("✗ " + n)
        else:
            self.dismiss(n)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TrainingScreen(DialogScreen[None]):
    """Progress of a running training (the app dismisses it when done)."""

    DEFAULT_CSS = """
    TrainingScreen > Vertical { width: 60; height: auto; }
    """

    def __init__(self, total: int) -> None:
        super().__init__()
        self._total = total

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = f"Training {self._total:,} iterations"
            yield ProgressBar(total=self._total, id="progress")

    def progress(self, done: int) -> None:
        self.query_one(ProgressBar).update(progress=done)
