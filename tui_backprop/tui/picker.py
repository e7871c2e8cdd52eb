"""The ``o`` picker: bundled scenarios and local ``.toml`` files, or a typed path.
Confined to a :class:`ScenarioDir` (a served session), it offers that folder's scenarios
only, and a typed text is a name in it.

The text field has the focus: typing filters the list (names and titles containing the
text), the arrow keys move through what is left, and enter opens the highlighted entry,
or, when nothing in the list matches, the typed path (a name, in a served session).

Dismisses with the chosen name or path (the app loads it), or None.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui_backprop.engine import ScenarioError, bundled, load
from tui_backprop.model.session import local_scenarios
from tui_backprop.text.escape import printable
from tui_backprop.tui.dialog import DialogScreen
from tui_backprop.tui.failure import failure_text
from tui_backprop.tui.i18n import translate_bindings, words_of
from tui_backprop.tui.lines import pad_cells
from tui_backprop.tui.scenario_dir import ScenarioDir


class PickerScreen(DialogScreen[str | None]):
    """Choose a scenario; the preview shows its description or its errors."""

    BINDINGS = [Binding("escape", "dismiss", "tui.key.cancel")]
    #: no auto-focus: the list takes the focus when mounted (Textual's auto-focus could
    #: otherwise move it to the path field, first in the dialog, after on_mount)
    AUTO_FOCUS = None

    DEFAULT_CSS = """
    PickerScreen > Vertical { width: 90%; max-width: 110; height: 90%; }
    PickerScreen OptionList { height: 1fr; min-height: 4; text-wrap: nowrap;
                              text-overflow: ellipsis; }
    PickerScreen #preview { height: 5; width: 100%; color: $text-muted; }
    PickerScreen Input { margin: 0; }
    """

    def __init__(self, folders: list[Path] | None = None, *,
                 scenarios: ScenarioDir | None = None) -> None:
        super().__init__()
        self._w = words_of()
        translate_bindings(self, self._w)
        self._folders = folders if folders is not None else [Path.cwd()]
        self._scenarios = scenarios

    def compose(self) -> ComposeResult:
        # one line per scenario: a long title ends in … rather than wrapping under the names
        # file names and titles are shown as Text (never markup), control characters escaped
        # (an ASCII session crops instead: the ellipsis is not ASCII)
        w = self._w
        cut = "crop" if w.g.ascii else "ellipsis"
        entries = bundled() if self._scenarios is None else self._scenarios.entries()
        #: every entry as (id, the text a filter searches, its option)
        self._all: list[tuple[str, str, Option]] = [
            (name, f"{name} {title}".casefold(),
             Option(Text(f"{pad_cells(w.s(printable(name)), 24)} {w.s(printable(title))}",
                         no_wrap=True, overflow=cut), id=name))
            for name, title in entries]
        local = local_scenarios(self._folders) if self._scenarios is None else []
        self._local = [(path, str(path).casefold(),
                        Option(Text(w.s(printable(path)), no_wrap=True, overflow=cut),
                               id=path)) for path in local]
        options = self._options("")
        with Vertical() as v:
            v.border_title = w("tui.picker.title")
            yield Input(placeholder=w("tui.picker.placeholder" if self._scenarios is None
                                      else "tui.picker.placeholder_name"), id="path")
            yield OptionList(*options, id="choices")
            yield Label("", id="preview")

    def _options(self, typed: str) -> list[Option | None]:
        want = typed.strip().casefold()
        found = [o for _i, text, o in self._all if want in text]
        local = [o for _i, text, o in self._local if want in text]
        # None: a separator (a line Textual draws in box characters: not in ASCII)
        rule = found and local and not self._w.g.ascii
        return found + ([None] if rule else []) + local

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()
        choices = self.query_one(OptionList)
        if choices.option_count:
            choices.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        choices = self.query_one(OptionList)
        choices.clear_options()
        choices.add_options(self._options(event.value))
        if choices.option_count:
            choices.highlighted = 0
        else:
            self.query_one("#preview", Label).update("")

    def on_key(self, event) -> None:
        # the arrows move through the list while the text field keeps the focus
        moves = {"down": "cursor_down", "up": "cursor_up", "pagedown": "page_down",
                 "pageup": "page_up"}
        if event.key in moves and self.focused is self.query_one("#path", Input):
            getattr(self.query_one(OptionList), f"action_{moves[event.key]}")()
            event.stop()
            event.prevent_default()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        ident = event.option.id
        preview = self.query_one("#preview", Label)
        if ident is None:
            return
        try:
            sc = load(ident if self._scenarios is None else self._scenarios.path_of(ident))
        except ScenarioError as exc:
            w = self._w
            preview.update(Text(w.s(exc.errors[0].render(w.msgs)) if exc.errors
                                else w("tui.picker.cannot_load")))
            return
        except Exception as exc:  # noqa: BLE001 - a loader bug must not end the session
            preview.update(Text(failure_text(exc, self._w)))
            return
        first = sc.description.strip().split("\n\n")[0].replace("\n", " ")
        preview.update(Text(self._w.s(f"{printable(sc.title)}\n{printable(first)}")))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        ids = {str(i) for i, _t, _o in self._all + self._local}
        choices = self.query_one(OptionList)
        if typed in ids or not typed and choices.highlighted is None:
            chosen = typed or None
        elif choices.highlighted is not None:
            chosen = choices.get_option_at_index(choices.highlighted).id
        else:
            chosen = typed  # matches nothing listed: a path (or a name) to try
        if chosen:
            self.dismiss(chosen)


__all__ = ["PickerScreen", "local_scenarios"]
