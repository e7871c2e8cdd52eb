"""The ``e`` modals: choose a leaf (when none is selected), then type its new value
(a number or a nested list).

The text is handed to ``apply``, which returns None on success or an error message that
is shown inline (the modal stays open).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui_backprop.text.escape import printable
from tui_backprop.tui.dialog import DialogScreen
from tui_backprop.tui.i18n import translate_bindings, words_of


class EditScreen(DialogScreen[bool]):
    """Edit one leaf; dismisses True when the value was applied. ``kind`` and ``shape``
    are already in the app's language."""

    BINDINGS = [Binding("escape", "cancel", "tui.key.cancel")]

    DEFAULT_CSS = """
    EditScreen > Vertical { width: 90%; max-width: 90; height: auto; }
    EditScreen #error { color: $text-error; height: auto; }
    EditScreen Label { width: 100%; }
    EditScreen #hint { color: $text-muted; }
    """

    def __init__(self, name: str, kind: str, shape: str, current: str,
                 apply: Callable[[str], str | None]) -> None:
        super().__init__()
        self._w = words_of()
        translate_bindings(self, self._w)
        self._leaf = name
        self._kind = kind
        self._shape = shape
        self._current = current
        self._apply = apply

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            # a Text, never markup: the name comes from the scenario file
            w = self._w
            v.border_title = Text(w("tui.edit.title", kind=self._kind,
                                    name=w.s(printable(self._leaf)), shape=self._shape))
            yield Label(Text(w("tui.edit.hint")), id="hint")
            yield Input(self._current, id="value", select_on_focus=True)
            yield Label("", id="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        error = self._apply(event.value)
        if error is None:
            self.dismiss(True)
        else:
            # the refusal in words, on screen (Enter doing nothing would say nothing)
            w = self._w
            self.query_one("#error", Label).update(
                Text(w("tui.edit.refused", mark=w.s("✗"), why=w.s(printable(error)))))

    def action_cancel(self) -> None:
        self.dismiss(False)


class LeafChooser(DialogScreen[str | None]):
    """``e`` with no leaf selected: choose which input or param to edit."""

    BINDINGS = [Binding("escape", "cancel", "tui.key.cancel")]

    DEFAULT_CSS = """
    LeafChooser > Vertical { width: 90%; max-width: 70; height: auto; max-height: 80%; }
    LeafChooser OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, leaves: list[tuple[str, str]]) -> None:
        super().__init__()
        self._w = words_of()
        translate_bindings(self, self._w)
        self._leaves = leaves

    def compose(self) -> ComposeResult:
        with Vertical() as v:
            v.border_title = self._w("tui.edit.choose")
            yield OptionList(*[Option(Text(label), id=name) for name, label in self._leaves])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
