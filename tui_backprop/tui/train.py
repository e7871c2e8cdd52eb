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
    """Progress of a running training: a bar, ``done / total iterations`` and how to
    cancel (the app dismisses it when done).

    The worker thread only stores :attr:`done` (:meth:`report`); the screen reads it
    ten times a second. So training never waits for the UI thread, and the UI never
    waits for a report: both stay as fast as the GIL lets them.
    """

    BINDINGS = [Binding("escape", "cancel", "tui.key.cancel")]

    DEFAULT_CSS = """
    TrainingScreen > Vertical { width: 90%; max-width: 70; height: auto; }
    TrainingScreen > Vertical > Label { width: 100%; }
    TrainingScreen #hint { color: $text-muted; }
    """

    #: how often (seconds) the bar and the count are brought up to date
    POLL = 0.1

    def __init__(self, total: int) -> None:
        super().__init__()
        self._total = total
        self._w = words_of()
        translate_bindings(self, self._w)
        #: iterations done so far, written by the training thread
        self.done = 0
        #: set by Esc: the training thread stops at its next report
        self.cancelled = False
        self._shown = -1
        self._dismissed = False

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            w = self._w
            v.border_title = w("tui.train.running", n=f"{self._total:,}")
            yield ProgressBar(total=self._total, id="progress")
            yield Label(self._count_text(0), id="count")
            yield Label(Text(w("tui.train.cancel_hint")), id="hint")

    def on_mount(self) -> None:
        self.set_interval(self.POLL, self._poll)

    def _count_text(self, done: int) -> Text:
        return Text(self._w("tui.train.progress", done=f"{done:,}", total=f"{self._total:,}"))

    def report(self, done: int, total: int) -> bool:
        """Called by the training thread (``engine.train``'s ``progress``): remember how
        far it got; True asks it to stop."""
        self.done = done
        return self.cancelled

    def _poll(self) -> None:
        done = self.done
        if done != self._shown:
            self._shown = done
            self.progress(done)

    def progress(self, done: int) -> None:
        """Show ``done`` iterations of the total."""
        self.query_one(ProgressBar).update(progress=done)
        self.query_one("#count", Label).update(self._count_text(done))

    def action_cancel(self) -> None:
        """Esc: stop the training; the session stays as it was before it."""
        if self._dismissed:
            return
        self.cancelled = True
        # the worker is told too: whatever it finishes now is thrown away
        self.app.workers.cancel_group(self.app, "train")
        done = self.done
        self.dismiss()
        say = getattr(self.app, "say", None)
        if say is not None:
            say(self._w("tui.say.train_cancelled", done=f"{done:,}", total=f"{self._total:,}"))

    def dismiss(self, result=None):  # noqa: D102 - once only
        # the app dismisses it when training ends, Esc when cancelled: whichever comes
        # second must not pop the screen under it
        if self._dismissed:
            return None
        self._dismissed = True
        return super().dismiss(result)
