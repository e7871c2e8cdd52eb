"""The main screen: the panels, the stepping keys and the responsive layout.

Wide terminals (>= ``WIDE`` columns) show circuit and code side by side with the
inspector and the values table below; narrow ones show one of circuit/code (``v``) and
one of inspector/values (``i``). Short ones draw only top borders; very short ones
(under ``HEADER_ROWS``) drop the header too.
The stepping bindings live on this screen (with ``priority``, so a focused table cannot
swallow the arrows) and not on the app, so they are inactive under modal screens.

Titles and key descriptions come from the app's message catalogue (``screen.*``,
``key.*``); the header icon, the title separators and the circuit's box drawing from its
glyph set, so an ASCII session draws nothing else.
"""

from __future__ import annotations

import sys
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Static

from tui_backprop.tui.circuit import CircuitView
from tui_backprop.tui.code_view import CodeView
from tui_backprop.tui.explain import ExplainPanel
from tui_backprop.tui.i18n import translate_bindings, words_of
from tui_backprop.tui.inspector import Inspector
from tui_backprop.tui.keybar import KeyBar
from tui_backprop.tui.loss import LossPanel
from tui_backprop.tui.status import StatusBar
from tui_backprop.tui.values import ValuesTable

W = TypeVar("W", bound=Widget)

#: At least this many columns show circuit and code (and inspector and values) together.
WIDE = 110
#: Fewer columns than this give the explain line a fourth row: at 60 columns an English
#: explanation takes up to four lines, at 80 up to three.
TIGHT = 80
#: Fewer rows than this draw the panels with top borders only.
TALL = 32
#: Fewer rows than this hide the header (the status bar then shows the title if it fits).
#: 80x24 keeps it: on a projector the room must be able to read which scenario is open.
HEADER_ROWS = 24


def typing_in_box(widget: Widget | None) -> bool:
    """Whether ``widget`` is a text box (the quiz's answer), which gets the debugger's
    keys typed into it. (No box exists until Textual's input module is loaded: looking
    it up here costs start-up nothing.)"""
    module = sys.modules.get("textual.widgets._input")
    return module is not None and isinstance(widget, module.Input)


class DebuggerScreen(Screen):
    """Circuit, code, inspector, values, explain, loss and status: views of the app's
    ``(timeline, cursor)``."""

    # help and quit first, as nano does: the footer cuts from the right, and on a narrow
    # terminal the two keys nobody may miss must survive
    # descriptions are catalogue keys, shown in the app's language (see __init__).
    # Every key is a priority binding: keys of one burst (``f`` then ``→`` typed fast, or
    # pasted, or arriving in one packet over SSH) must act in the order they were typed,
    # and a priority binding acts as the key arrives while any other one first goes
    # through the focused widget's queue. A focused text box (the quiz's answer) still
    # gets its keys: ``check_action`` gives them back to it.
    BINDINGS = [
        Binding("question_mark", "app.help", "tui.key.help", priority=True),
        # F1 is no character: it opens the help even from the quiz's answer box
        Binding("f1", "app.help_anywhere", "tui.key.help", show=False, priority=True),
        Binding("q", "app.quit", "tui.key.quit", priority=True),
        # (prev before next: the key bar shows them in this order, ← before →)
        Binding("left,p", "app.step(-1)", "tui.key.prev", priority=True),
        Binding("right,n,space", "app.step(1)", "tui.key.next", priority=True),
        Binding("home", "app.first", "tui.key.first", show=False, priority=True),
        Binding("end", "app.last", "tui.key.last", show=False, priority=True),
        Binding("f", "app.end_of('forward')", "tui.key.fwd", priority=True),
        Binding("b", "app.end_of('backward')", "tui.key.bwd", priority=True),
        Binding("u", "app.update", "tui.key.update", priority=True),
        Binding("t", "app.train", "tui.key.train", priority=True),
        Binding("e", "app.edit", "tui.key.edit", priority=True),
        Binding("g", "app.gradcheck", "tui.key.check", priority=True),
        Binding("v", "toggle_view", "tui.key.view", priority=True),
        Binding("i", "toggle_detail", "tui.key.detail", show=False, priority=True),
        Binding("F", "app.full_precision", "tui.key.full", show=False, priority=True),
        Binding("exclamation_mark", "app.jump_nonfinite", "tui.key.nonfinite", show=False,
                priority=True),
        Binding("escape", "app.clear_selection", "tui.key.follow", show=False, priority=True),
        Binding("r", "app.reload", "tui.key.reload", show=False, priority=True),
        Binding("o", "app.open", "tui.key.open", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._words = words_of()
        translate_bindings(self, self._words)
        self._panels: dict[type, Widget] = {}

    def compose(self) -> ComposeResult:
        # classes for the terminal's size before anything mounts: set later, they would
        # restyle every widget once more during start-up
        width, height = self.app.size
        self._layout = self._layout_of(width, height)
        self.set_class(width < WIDE, "-narrow")
        self.set_class(width < TIGHT, "-tight")
        self.set_class(height < TALL, "-short")
        self.set_class(height < HEADER_ROWS, "-no-header")
        ascii = self._words.g.ascii
        yield Header(show_clock=False, icon="d" if ascii else "∂")
        with Horizontal(id="top"):
            circuit = CircuitView(id="circuit", classes="panel", ascii=ascii)
            circuit.border_title = self._words("tui.panel.circuit")
            yield circuit
            code = CodeView(id="code", classes="panel")
            code.border_title = self._words("tui.panel.code")
            yield code
        with Horizontal(id="bottom"):
            inspector = Inspector(id="inspector", classes="panel")
            inspector.border_title = self._words("tui.panel.inspector")
            yield inspector
            with Vertical(id="side"):
                values = ValuesTable(id="values", classes="panel")
                values.border_title = self._words("tui.panel.values")
                yield values
                loss = LossPanel(id="loss", classes="panel")
                loss.border_title = self._words("tui.panel.loss")
                yield loss
        yield ExplainPanel(id="explain")
        yield Static(id="load-error")
        yield StatusBar(id="status")
        yield KeyBar(id="keys")

    # ----------------------------------------------------------------- accessors

    def _panel(self, cls: type[W]) -> W:
        """The screen's one ``cls`` panel. Looked up once: the panels are composed with
        the screen and never replaced, and every step asks for each of them (a query
        walks the screen's widgets)."""
        panel = self._panels.get(cls)
        if panel is None or panel.parent is None:
            panel = self._panels[cls] = self.query_one(cls)
        return panel  # type: ignore[return-value]

    @property
    def circuit(self) -> CircuitView:
        return self._panel(CircuitView)

    @property
    def code(self) -> CodeView:
        return self._panel(CodeView)

    @property
    def inspector(self) -> Inspector:
        return self._panel(Inspector)

    @property
    def values(self) -> ValuesTable:
        return self._panel(ValuesTable)

    @property
    def explain(self) -> ExplainPanel:
        return self._panel(ExplainPanel)

    @property
    def status(self) -> StatusBar:
        return self._panel(StatusBar)

    @property
    def loss(self) -> LossPanel:
        return self._panel(LossPanel)

    # ----------------------------------------------------------------- layout

    def on_resize(self, event: Resize) -> None:
        self.reflow(event.size.width, event.size.height)
        # the status bar's bar and title fit the width: draw them again once laid out
        # (Textual sends several Resize events of the same size at start-up: only a
        # real change of size costs a redraw)
        self.app.refresh_views_after_resize()  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self._titles()
        self.reflow(self.size.width, self.size.height)
        # Filled before the first frame. (Drawing only the chrome first and the scenario
        # one refresh later was tried and measured: the chrome showed no sooner, as the
        # Footer composes its keys a refresh after mounting, and the complete frame came
        # ~20 ms later.)
        self.app.start()  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        # back from a dialog, whose input may have moved the terminal's cursor
        place = getattr(self.app, "place_cursor", None)
        if place is not None and self.app.screen_stack and self.is_current:
            self.app.call_after_refresh(place, True)

    def reflow(self, width: int, height: int) -> None:
        """Pick the layout for a terminal size (the cursor lives in the app, untouched).

        Classes change only when the layout does: each change restyles the screen."""
        layout = self._layout_of(width, height)
        if layout == self._layout:
            return
        self._layout = layout
        narrow, short, no_header, tight = layout
        self.set_classes(" ".join(
            c for c in self.classes if c not in ("-narrow", "-short", "-no-header", "-tight"))
            + (" -narrow" if narrow else "") + (" -short" if short else "")
            + (" -no-header" if no_header else "") + (" -tight" if tight else ""))
        self._titles()

    @staticmethod
    def _layout_of(width: int, height: int) -> tuple[bool, bool, bool, bool]:
        return width < WIDE, height < TALL, height < HEADER_ROWS, width < TIGHT

    def _titles(self) -> None:
        narrow = self._layout is not None and self._layout[0]
        w = self._words
        for panel, name in ((self.circuit, "circuit"), (self.code, "code"),
                            (self.inspector, "inspector"), (self.values, "values")):
            panel.border_title = w(f"tui.panel.{name}.swap" if narrow else f"tui.panel.{name}")

    _layout: tuple[bool, bool, bool, bool] | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if typing_in_box(self.focused):
            return False  # the key is typed into the box
        return True

    def action_toggle_view(self) -> None:
        """``v``: circuit or code (both are shown on wide terminals)."""
        self.toggle_class("-show-code")
        if not self.has_class("-narrow"):
            self.app.notify(self._words("tui.say.both_shown"), timeout=2)
        else:
            (self.code if self.has_class("-show-code") else self.circuit).focus()
        self.app.call_after_refresh(self.app.refresh_views)  # type: ignore[attr-defined]

    def action_toggle_detail(self) -> None:
        """``i``: inspector or values table (both are shown on wide terminals)."""
        self.toggle_class("-show-values")
        if self.has_class("-narrow"):
            (self.values if self.has_class("-show-values") else self.inspector).focus()
        self.app.call_after_refresh(self.app.refresh_views)  # type: ignore[attr-defined]

    # ----------------------------------------------------------------- errors

    def show_error(self, text: Text | None) -> None:
        """The banner saying why loading, editing or training failed (None hides it)."""
        banner = self.query_one("#load-error", Static)
        banner.set_class(text is not None, "-visible")
        banner.update(text if text is not None else "")
