"""The ``t`` modal: ask how many iterations to train on the fast path, then show
progress while the app's worker runs ``engine.train``."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, ProgressBar

from tui_backprop.numfmt import fmt_scalar
from tui_backprop.render.words import Words
from tui_backprop.tui.dialog import DialogScreen
from tui_backprop.tui.i18n import translate_bindings, words_of

#: The most iterations one ``t`` may ask for.
MAX_TRAIN = 1_000_000


#: ASCII digits, optionally grouped by ``,`` or ``_`` (``1,000``, ``10_000``). Not
#: ``str.isdigit``: that accepts ``１２`` and ``٣``, which nobody means to type here.
_COUNT = re.compile(r"[0-9]+(?:[,_][0-9]+)*")


def parse_count(text: str, w: Words | None = None, maximum: int = MAX_TRAIN) -> int | str:
    """A whole number from 1 to ``maximum``, or an error message (in the language of
    ``w``; English by default)."""
    w = w if w is not None else Words.of("en")
    text = text.strip()
    ask = w("tui.train.ask", max=f"{maximum:,}")
    if not _COUNT.fullmatch(text):
        return ask
    digits = text.replace(",", "").replace("_", "").lstrip("0")
    if len(digits) > len(str(maximum)):  # before int(): 5,000 digits is a ValueError
        return w("tui.train.too_large", ask=ask)
    n = int(digits or "0")
    if n > maximum:
        return w("tui.train.too_large", ask=ask)
    return n if n >= 1 else ask


class TrainScreen(DialogScreen[int | None]):
    """Asks N; dismisses with it (the app then trains and calls :meth:`progress`)."""

    BINDINGS = [Binding("escape", "cancel", "tui.key.cancel")]

    DEFAULT_CSS = """
    TrainScreen > Vertical { width: 90%; max-width: 70; height: auto; }
    TrainScreen Label { width: 100%; }
    TrainScreen #error { color: $text-error; height: auto; }
    """

    def __init__(self, learning_rate: float | None, default: int = 100,
                 maximum: int | None = None) -> None:
        super().__init__()
        self._w = words_of()
        translate_bindings(self, self._w)
        self._lr = learning_rate
        self._max = MAX_TRAIN if maximum is None else min(maximum, MAX_TRAIN)
        self._default = min(default, self._max)

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            w = self._w
            v.border_title = w("tui.train.title")
            lr = fmt_scalar(self._lr) if self._lr is not None else w.g.missing
            yield Label(Text(w("tui.train.body", lr=lr)))
            yield Input(str(self._default), id="count", select_on_focus=True)
            yield Label("", id="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        n = parse_count(event.value, self._w, self._max)
        if isinstance(n, str):
            self.query_one("#error", Label).update(
                Text(self._w("tui.edit.refused", mark=self._w.s("✗"), why=n)))
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
        self._w = words_of()

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = self._w("tui.train.running", n=f"{self._total:,}")
            yield ProgressBar(total=self._total, id="progress")

    def progress(self, done: int) -> None:
        self.query_one(ProgressBar).update(progress=done)
