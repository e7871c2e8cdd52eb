"""The tui-backprop application: a step-through debugger for backpropagation.

All state lives here: the :class:`~tui_backprop.model.session.Session` (scenario,
timeline, loss history), the reactive ``cursor`` and the ``selected`` node. Every panel
is a view of ``(timeline, cursor)``: the app builds the presentation model's step view
once per change and hands it (with ``hide``, the quiz mode's mask, and the
:class:`~tui_backprop.render.words.Words` of the chosen language and glyphs) to every
panel's ``show``.

:func:`create_app` is the one factory used by the CLI and the tests.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Offset, Region
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.worker import get_current_worker

from tui_backprop._startup import first_frame_shown
from tui_backprop.engine import Scenario, ScenarioError, load, parse_typed_value, train
from tui_backprop.model.session import MAX_RECORDED_ITERATIONS, Session, value_text
from tui_backprop.model.view import Hide, Num, step_view
from tui_backprop.render.words import Words
from tui_backprop.text.catalogue import Messages, messages, resolve_language
from tui_backprop.text.escape import printable
from tui_backprop.text.glyphs import Glyphs, glyphs, locale_is_utf8
from tui_backprop.tui import _textual_patch
from tui_backprop.tui.circuit import CircuitView
from tui_backprop.tui.code_view import CodeView
from tui_backprop.tui.debugger import DebuggerScreen, typing_in_box
from tui_backprop.tui.failure import failure_text
from tui_backprop.tui.i18n import translate_bindings
from tui_backprop.tui.lines import Fitted, pad_cells
from tui_backprop.tui.look import Look, colour_mode, standard_colours
from tui_backprop.tui.scenario_dir import ScenarioDir, as_scenario_dir
from tui_backprop.tui.terminal import StrictNoColor, install_scrollbar_glyphs
from tui_backprop.tui.themes import BOLD_NUMBERS, EXTRA_THEMES, NO_COLOR_THEME
from tui_backprop.tui.values import ValuesTable

if TYPE_CHECKING:
    from tui_backprop.model.quiz import QuizSettings
    from tui_backprop.model.view import Hide
    from tui_backprop.tui.follow import ClassLink, ClassOptions
    from tui_backprop.tui.quiz import QuizController
    from tui_backprop.tui.train import TrainingScreen

# The modal screens are imported when first opened: start-up time is a feature here.

#: How often the scenario file is checked for changes (seconds).
POLL_SECONDS = 1.0
#: The error banner lists at most this many of a file's diagnostics.
MAX_BANNER_ERRORS = 5

T = TypeVar("T")
#: After this long the first frame is on screen and the garbage collector may resume.
FIRST_FRAME_SECONDS = 1.0


def _file_stamp(path: str | None) -> tuple[int, int] | None:
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _goto_provider():
    # loaded with the palette: textual.command costs start-up time otherwise
    from tui_backprop.tui.commands import GotoNodeProvider

    return GotoNodeProvider


def _open_provider():
    from tui_backprop.tui.commands import OpenScenarioProvider

    return OpenScenarioProvider


class BackpropApp(App):
    """Step gate by gate through forward, backward and update."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-backprop"
    COMMANDS = App.COMMANDS | {_goto_provider, _open_provider}
    BINDINGS = [
        Binding("question_mark,f1", "help", "tui.key.help", show=False),
        Binding("q", "quit", "tui.key.quit", show=False),
        # a served class and the quiz (tui/follow.py, tui/quiz.py); check_action lets
        # each through only where it applies, so elsewhere the key does what it did
        # (F: full precision) or reaches the answer box
        Binding("x", "explore", "tui.key.explore", show=False, priority=True),
        Binding("F", "snap_back", "tui.key.snap_back", show=False, priority=True),
        Binding("s", "skip", "tui.key.skip", show=False, priority=True),
        Binding("z", "class_quiz", "tui.key.class_quiz", show=False, priority=True),
        Binding("a", "reveal", "tui.key.reveal", show=False, priority=True),
        # priority, as the debugger screen's keys are (see DebuggerScreen.BINDINGS)
        Binding("d", "full_precision", "tui.key.full", show=False, priority=True),
    ]

    #: the step shown (index into ``session.timeline.steps``)
    cursor: var[int] = var(0, init=False)
    #: a node the user picked (None: follow the current step's gate)
    selected: var[str | None] = var(None, init=False)

    def __init__(self, scenario: str | Scenario | None = None, precision: int = 4, *,
                 lang: str | None = None, ascii: bool | None = None,
                 scenarios: ScenarioDir | None = None, max_train: int | None = None,
                 theme: str | None = None,
                 on_theme: Callable[[str], str | None] | None = None,
                 quiz: QuizSettings | None = None,
                 classroom: ClassOptions | None = None) -> None:
        # NO_COLOR: native ANSI colours, so that Textual picks its no-colour filter (with
        # a truecolor theme it would paint in greys), and the ANSI theme (in on_mount)
        #: the characters every panel draws with (``--ascii``; default: ASCII when the
        #: locale the process started with is not UTF-8); set first, as Textual reads
        #: the CSS variables ($box) while it initialises
        self.glyphs: Glyphs = glyphs(not locale_is_utf8() if ascii is None else ascii)
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        for extra in EXTRA_THEMES:
            self.register_theme(extra)
        if self.no_color:
            # Textual's filter still writes "default colour" escapes (SGR 39/49): this
            # one writes none at all, only bold/underline/italic/reverse/dim
            self._filters = [StrictNoColor() if type(f).__name__ == "NoColor" else f
                             for f in self._filters]
        #: ``color``, ``16`` (TERM=xterm, TERM=linux) or ``mono`` (NO_COLOR): how values,
        #: gradients and the current gate are told apart (see tui/look.py)
        self.colour_mode = colour_mode(self.console.color_system, self.no_color)
        self.stylesheet.set_variables(self.get_css_variables())  # with the colour mode
        self._theme_choice = theme
        #: called with the new theme's name when the user picks one (the CLI remembers
        #: it in the config file); returns a note to show when that failed
        self._on_theme = on_theme
        #: the language every panel speaks (``--lang``; default from the locale). ASCII
        #: is English, as the traces are: Chinese has no ASCII form.
        self.messages: Messages = messages("en" if self.glyphs.ascii
                                           else resolve_language(lang))
        #: Chinese asked for (``--lang zh`` or the locale) on an ASCII terminal: said
        #: once the app is up, rather than switched to English without a word
        self._lang_note = self.glyphs.ascii and resolve_language(lang) == "zh"
        #: which numbers the panels hide (drawn ``?``): None shows every number. Quiz
        #: mode sets it; every panel passes it to the presentation model, the one place
        #: a number is masked.
        self.hide: Hide | None = None
        install_scrollbar_glyphs()
        self._mode_classes()
        self.precision = precision
        #: when set, the only scenarios that can be opened (a served session)
        self.scenarios = scenarios
        #: the most iterations one ``t`` may train (None: the train dialog's own limit);
        #: a capped session also trains at the lowest CPU priority
        self.max_train = max_train
        self.full_precision = False
        translate_bindings(self, self.words)
        self.session: Session | None = None
        self.message: Text | str | None = None
        self.load_error: Text | None = None
        self._initial = scenario
        self._stamp: tuple[int, int] | None = None
        self._look: Look | None = None
        #: the screen size the views were last drawn for, and whether a redraw for a
        #: new size is already scheduled
        self._views_size: tuple[int, int] | None = None
        self._resize_pending = False
        #: the served class this session belongs to (None: on its own)
        self.classroom: ClassLink | None = None
        #: the quiz (``--quiz``, or a served class that can be switched into one)
        self.quiz: QuizController | None = None
        self._class_options = classroom
        self._quiz_settings = quiz

    # ----------------------------------------------------------------- start-up

    def get_default_screen(self) -> DebuggerScreen:
        return DebuggerScreen()

    def _mode_classes(self) -> None:
        self.set_class(self.colour_mode == "mono", "-mono")
        self.set_class(self.colour_mode == "16", "-c16")
        self.set_class(self.glyphs.ascii, "-ascii")

    def on_mount(self) -> None:
        if self.is_headless and self.colour_mode == "16":
            # tests and snapshots draw the same whatever TERM the test run has
            self.colour_mode = "color"
            self._mode_classes()
            self.refresh_css(animate=False)
        if self._theme_choice is not None:
            self.theme = self._theme_choice
        elif self.no_color and not self.current_theme.ansi:
            self.theme = NO_COLOR_THEME
        self._theme_at_start = self.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        # the collector was paused for start-up by the launcher (no-op otherwise)
        self.set_timer(FIRST_FRAME_SECONDS, first_frame_shown)
        if self._lang_note:
            self.notify(self.tr("tui.note.zh_needs_utf8"), severity="warning", timeout=10,
                        markup=False)

    def _theme_changed(self, theme) -> None:
        self._restyle()
        if self._on_theme is not None and theme.name != self._theme_at_start:
            self._theme_at_start = theme.name
            note = self._on_theme(theme.name)
            if note:
                self.notify(note, severity="warning", markup=False)

    # ----------------------------------------------------------------- the terminal

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, plus ``$box`` (the border type: ``ascii`` or
        ``round``) and, on a 16-colour terminal, text colours that stay distinct there."""
        variables = super().get_css_variables()
        glyph_set = getattr(self, "glyphs", None)
        variables["box"] = "ascii" if glyph_set is not None and glyph_set.ascii else "round"
        if getattr(self, "colour_mode", None) == "16":
            variables.update(standard_colours(self.current_theme.dark))
        return variables

    def get_key_display(self, binding: Binding) -> str:
        """Key names as the footer and help show them; in ASCII ``←``/``→`` are
        ``left``/``right``."""
        shown = super().get_key_display(binding)
        if self.glyphs.ascii and not shown.isascii():
            key = binding.key.split(",")[0]
            shown = key if key.isascii() else self.glyphs.text(shown)
        return shown

    def place_cursor(self, repaint: bool = False) -> None:
        """Put the terminal's cursor on the current gate (its label, inside its box), so
        that screen readers and braille displays, which follow the cursor, follow the
        step. When the circuit is not on screen (a narrow terminal showing the code),
        the cursor goes to the status bar, which names the step.

        Textual moves the cursor at the end of each frame; ``repaint`` asks for a frame
        (one cell of the circuit) when nothing else will draw one."""
        if not self.screen_stack or self.screen is not self.debugger:
            return  # a dialog's own input owns the cursor
        spot = self._gate_spot()
        if spot is None:
            status = self.debugger.status
            spot = status.content_region.offset if status.display else Offset(0, 0)
        if spot == self.cursor_position:
            return
        self.cursor_position = spot
        if repaint:
            circuit = self.debugger.circuit
            view = circuit.scrollable_content_region
            if view.contains_point(spot):
                circuit.refresh(Region(spot.x - view.x, spot.y - view.y, 1, 1))
            else:
                self.debugger.status.refresh(Region(0, 0, 1, 1))

    def _gate_spot(self) -> Offset | None:
        """Where the current gate's label is on the screen, if it is in view."""
        circuit = self.debugger.circuit
        frame, geometry = circuit.frame, circuit.geometry
        if not circuit.display or frame is None or geometry is None or len(frame.current) != 1:
            return None
        view = circuit.scrollable_content_region
        if view.width <= 0 or view.height <= 0:
            return None
        x, y, w, h = geometry.box(frame.current[0])
        sx, sy = circuit.scroll_offset
        # inside the border: the middle row, the first cell of the label
        spot = Offset(view.x + x - sx + min(2, max(w - 1, 0)), view.y + y - sy + h // 2)
        return spot if view.contains_point(spot) else None

    def start(self) -> None:
        """Called once by the debugger screen when its panels exist."""
        self.debugger.circuit.precision = self.precision
        if self._class_options is not None or self._quiz_settings is not None:
            self._start_class()
        if self._initial is None or not self.open_scenario(self._initial):
            self.refresh_views()
        if self._initial is None:
            self.action_open()
        self.set_interval(POLL_SECONDS, self.poll_file)

    @property
    def debugger(self) -> DebuggerScreen:
        screen = self.screen_stack[0] if self.screen_stack else self.screen
        assert isinstance(screen, DebuggerScreen)
        return screen

    @property
    def look(self) -> Look:
        if self._look is None:
            theme = self.current_theme
            self._look = Look.of(self.get_css_variables(), self.precision, self.full_precision,
                                 ansi=bool(theme is not None and theme.ansi),
                                 mode=self.colour_mode, glyphs=self.glyphs,
                                 dark=theme is None or theme.dark,
                                 bold_numbers=theme is not None and theme.name in BOLD_NUMBERS)
        return self._look

    @property
    def words(self) -> Words:
        """How the panels write: the language, the glyphs and the number format."""
        return Words(self.messages, self.glyphs, self.precision, self.full_precision)

    def tr(self, key: str, /, **params) -> str:
        """Message ``key`` in the app's language and glyphs."""
        return self.words(key, **params)

    def _restyle(self) -> None:
        self._look = None
        self.refresh_views()

    # ----------------------------------------------------------------- loading
    #
    # Every call into the loader, the recorder and the trainer goes through _attempt (and
    # every new session through _adopt): whatever they raise - a bad file, or a bug in
    # tui-backprop itself - the session stays on its last good state and the banner says
    # why. A classroom session that dies is a student who has lost the lecture.

    def _attempt(self, headline: str, fn: Callable[[], T]) -> T | None:
        """``fn()``, or None after showing ``headline`` and why it failed."""
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - any failure keeps the session alive
            self._show_failure(headline, exc)
            return None

    def _adopt(self, headline: str, session: Session, cursor: int) -> bool:
        """Show ``session`` at ``cursor``; should drawing it fail, go back to the state
        shown before and say why."""
        old, old_cursor = self.session, self.cursor
        try:
            self._set_session(session, cursor)
            return True
        except Exception as exc:  # noqa: BLE001 - a view that cannot draw it: keep the old
            try:
                if old is not None:
                    self._set_session(old, old_cursor)
            except Exception:  # noqa: BLE001 - nothing left to fall back on
                self.session = None
                self.refresh_views()
            self._show_failure(headline, exc)
            return False

    def open_scenario(self, name_or_path: str | Scenario) -> bool:
        """Load a scenario (a path or a bundled name; or an already loaded one) and start
        at step 1. A bad file keeps what is on screen and shows its errors."""
        w = self.words
        if isinstance(name_or_path, Scenario):
            scenario: Scenario | None = name_or_path
            headline = w("tui.fail.open", name=w.s(printable(name_or_path.title)))
        else:
            headline = w("tui.fail.open", name=w.s(printable(name_or_path)))
            scenario = self._attempt(self._still(headline),
                                     lambda: load(self._confined(name_or_path)))
        if scenario is None:
            return False
        headline = self._still(headline)
        session = self._attempt(headline, lambda: Session.start(scenario))
        if session is None:
            return False
        self.set_reactive(BackpropApp.selected, None)
        if not self._adopt(headline, session, cursor=0):
            return False
        self.loaded_from_file(scenario.path)
        self.sub_title = self.glyphs.text(printable(scenario.title))
        return True

    def loaded_from_file(self, path: str | None) -> None:
        """The session shown now was read from ``path``: a later change of the file on
        disk reloads it (:meth:`poll_file`), an earlier one does not."""
        self._stamp = _file_stamp(path)

    def _shown_path(self, path: str) -> str:
        """``path`` as the user should read it: in a served session the scenario's name
        in the server's folder (never the server's own paths)."""
        if self.scenarios is not None:
            name = self.scenarios.name_of(path)
            if name is not None:
                return name
        return path

    def _confined(self, name_or_path: str) -> str:
        """The path to load: in a served session only a name inside its folder."""
        return name_or_path if self.scenarios is None else self.scenarios.path_of(name_or_path)

    def _still(self, headline: str) -> str:
        if self.session is None:
            return headline
        return self.tr("tui.fail.still_scenario", headline=headline)

    def reload(self) -> bool:
        """Read the scenario file again; keep the cursor on the same step (clamped)."""
        if self.session is None or not self.session.scenario.path:
            return False
        path = self.session.scenario.path
        self._stamp = _file_stamp(path)
        headline = self.tr("tui.fail.reload")
        scenario = self._attempt(headline, lambda: load(path))
        if scenario is None:
            return False
        session = self._attempt(headline, lambda: Session.start(scenario))
        if session is None:
            return False
        selected = self.selected
        if selected is not None and selected not in scenario.graph.index:
            self.set_reactive(BackpropApp.selected, None)
        if not self._adopt(headline, session, cursor=self.cursor):
            self.set_reactive(BackpropApp.selected, selected)
            return False
        self.sub_title = self.glyphs.text(printable(scenario.title))
        self.say(self.tr("tui.say.reloaded",
                         path=self.glyphs.text(printable(self._shown_path(path)))), "value")
        return True

    def poll_file(self) -> None:
        """Reload when the scenario file changed on disk (called every second)."""
        if self.session is None or not self.session.scenario.path:
            return
        link = self.classroom
        if link is not None and not link.presenter and link.following:
            return  # a follower's state is the presenter's (who reloads, and is followed)
        stamp = _file_stamp(self.session.scenario.path)
        if stamp is not None and stamp != self._stamp:
            self.reload()

    def _show_failure(self, headline: str, exc: BaseException) -> None:
        """The banner above the status bar: ``headline`` and why (a bad file's
        diagnostics, one per line, or what went wrong inside tui-backprop)."""
        w = self.words
        text = Text(headline + "\n", self.look.error)
        if isinstance(exc, ScenarioError):
            shown = exc.errors[:MAX_BANNER_ERRORS]
            for diag in shown:
                text.append(w.s(diag.render(w.msgs)) + "\n")
            if len(exc.errors) > len(shown):
                text.append(w("tui.fail.more", ellipsis=w.g.ellipsis,
                              n=len(exc.errors) - len(shown)) + "\n", self.look.muted)
        else:
            text.append(failure_text(exc, w) + "\n")
        text.rstrip()
        self.load_error = text
        self.debugger.show_error(text)

    def _set_session(self, session: Session, cursor: int) -> None:
        self.session = session
        self.load_error = None
        self.message = None
        self.debugger.show_error(None)
        screen = self.debugger
        scenario = session.scenario
        lines = len(scenario.code.split("\n"))
        screen.code.set_code(scenario.code, [scenario.file_line(i + 1) for i in range(lines)],
                             session.timeline, self.glyphs.text)
        screen.set_class(scenario.trains, "-trains")
        new = max(0, min(cursor, len(session.timeline) - 1))
        if new != self.cursor:
            self.set_reactive(BackpropApp.cursor, new)
        self.class_hook()
        self.refresh_views(history=True)

    # ----------------------------------------------------------------- views

    def watch_cursor(self) -> None:
        self.message = None
        self.class_hook()
        self.refresh_views()

    def watch_selected(self) -> None:
        self.refresh_views()

    def refresh_views(self, history: bool = False) -> None:
        """Show ``(timeline, cursor)`` in every panel."""
        screen = self.debugger
        look = self.look
        w = self.words
        if self.session is None:
            screen.status.set_text(Text(" " + w("tui.status.no_scenario")))
            return
        tl = self.session.timeline
        k = self.cursor
        sel = self.selected
        hide = self.hide
        # the one model of this step every panel draws (masked here, and only here)
        view = step_view(tl, k, hide=hide) if len(tl) else None
        screen.circuit.show(tl, k, sel, hide=hide, words=w)
        screen.code.show(tl, view, sel, look, w, hide)
        screen.inspector.show(tl, view, sel, w, look, hide)
        screen.values.show(tl, view, sel, look, w, hide)
        screen.explain.show(view, w)
        screen.status.show(tl, view, w, look, self.message,
                           w.s(printable(self.session.scenario.title))
                           if screen.has_class("-no-header") else "",
                           planned=self.session.planned_iterations)
        if history:
            screen.loss.show(self.session.loss_history, self.precision)
        if screen.status.size.width:  # laid out: the widths the views used are real
            self._views_size = (self.size.width, self.size.height)
        self.place_cursor()
        # the circuit may scroll, or the layout settle, only once this frame is laid out
        self.call_after_refresh(self._place_cursor_repaint)

    def _place_cursor_repaint(self) -> None:
        # a method, not a partial: Textual inspects the signature of every new callable
        self.place_cursor(True)

    def refresh_views_after_resize(self) -> None:
        """Draw the views again once laid out at a new terminal size (the status bar's
        progress bar and title depend on its width); same-size Resize events cost nothing.
        """
        if self.session is None or self._resize_pending:
            return
        if self._views_size == (self.size.width, self.size.height):
            return
        self._resize_pending = True

        def redraw() -> None:
            self._resize_pending = False
            self.refresh_views()

        self.call_after_refresh(redraw)

    def say(self, message: str, style: str = "warn") -> None:
        """A one-line message in the status bar (until the next step)."""
        self.message = Text(message, getattr(self.look, style))
        self.refresh_views()

    # ----------------------------------------------------------------- stepping

    def _move(self, k: int) -> None:
        if self.session is None:
            return
        self.cursor = max(0, min(k, len(self.session.timeline) - 1))

    def action_step(self, delta: int) -> None:
        """``→``/``←``: one step. Past the last recorded step the next iteration the
        scenario asks for is recorded; before the first, older ones are history only."""
        session = self.session
        if session is None:
            return
        last = len(session.timeline) - 1
        if delta > 0 and self.cursor == last:
            if session.more_planned:
                self._record_next()
            elif session.scenario.trains:
                self.say(self.tr("tui.say.last_planned", i=session.last_iteration), "value")
            return
        if delta < 0 and self.cursor == 0 and session.first_iteration > 1:
            self.say(self.tr("tui.say.history", i=session.first_iteration,
                             n=MAX_RECORDED_ITERATIONS), "value")
            return
        self._move(self.cursor + delta)

    def _record_next(self) -> bool:
        """Record the iteration after the last recorded one and move to its first step."""
        assert self.session is not None
        nxt = self.session.last_iteration + 1
        headline = self.tr("tui.fail.record", i=nxt)
        session = self._attempt(headline, self.session.next_iteration)
        if session is None:
            return False
        return self._adopt(headline, session, cursor=session.timeline.iterations[-1].start)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        if self.session is not None:
            self._move(len(self.session.timeline) - 1)

    def action_end_of(self, phase: str) -> None:
        if self.session is not None:
            self._move(self.session.timeline.phase_end(self.cursor, phase))

    def action_jump_nonfinite(self) -> None:
        """``!``: to the first non-finite value; again: to the first non-finite gradient."""
        if self.session is None:
            return
        tl = self.session.timeline
        targets = sorted({k for k in (tl.first_nonfinite_forward, tl.first_nonfinite_backward)
                          if k is not None})
        if not targets:
            self.say(self.tr("tui.say.all_finite"))
            return
        later = [k for k in targets if k > self.cursor]
        self.selected = None
        self._move(later[0] if later and self.cursor in targets else targets[0])

    def action_clear_selection(self) -> None:
        self.selected = None

    def goto_node(self, name: str) -> None:
        """Select ``name``; for a gate also move to its forward step (its backward step
        when the cursor is past the forward pass)."""
        if self.session is None or name not in self.session.timeline.graph.index:
            return
        tl = self.session.timeline
        it = tl.iteration_of(self.cursor).iteration
        phase = tl[self.cursor].phase
        target = (tl.forward_step_of(name, it) if phase == "forward"
                  else tl.backward_step_of(name, it))
        if target is not None:
            self._move(target)
        self.selected = name

    def on_circuit_view_node_selected(self, event: CircuitView.NodeSelected) -> None:
        self.selected = event.name

    def on_code_view_node_selected(self, event: CodeView.NodeSelected) -> None:
        self.selected = event.name

    def on_values_table_node_selected(self, event: ValuesTable.NodeSelected) -> None:
        self.selected = event.name

    def action_full_precision(self) -> None:
        self.full_precision = not self.full_precision
        self._look = None
        self.refresh_views()

    # ----------------------------------------------------------------- update / train

    def action_update(self) -> None:
        """``u``: run the update and start the next iteration (recorded, so stepping
        back across iterations still works). Always possible, past the planned count too.
        """
        if self.session is None:
            return
        if not self.session.scenario.trains:
            self.say(self.tr("tui.say.no_update"))
            return
        tl = self.session.timeline
        it = tl.iteration_of(self.cursor)
        if it is not tl.iterations[-1]:
            self._move(tl.iterations[tl.iterations.index(it) + 1].start)
            return
        if self._record_next():
            self.say(self.tr("tui.say.updated", i=self.session.last_iteration,
                             arrow=self.glyphs.text("←")), "value")

    def action_train(self) -> None:
        if self.session is None:
            return
        if not self.session.scenario.trains:
            self.say(self.tr("tui.say.no_training"))
            return

        def chosen(n: int | None) -> None:
            if n:
                self.run_training(n)

        from tui_backprop.tui.train import TrainScreen

        self.push_screen(TrainScreen(self.session.scenario.learning_rate,
                                     maximum=self.max_train), chosen)

    def run_training(self, n: int) -> None:
        """Train ``n`` iterations in a worker thread, then land on the new state."""
        from tui_backprop.tui.train import TrainingScreen

        assert self.session is not None
        progress = TrainingScreen(n)
        self.push_screen(progress)
        self._train_worker(self.session, n, progress)

    # exit_on_error=False: a failure is reported by the worker itself, never by ending
    # the app
    @work(thread=True, exclusive=True, group="train", exit_on_error=False)
    def _train_worker(self, session: Session, n: int, progress: TrainingScreen) -> None:
        worker = get_current_worker()
        if self.max_train is not None:
            # a capped (served) session trains at the lowest CPU priority: on Linux the
            # nice value is per thread, so the student's own screen and everyone else's
            # sessions get the CPU first and training uses what is left
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
            except (AttributeError, OSError):
                pass

        def report(done: int, total: int) -> bool:
            # only stored: the screen shows it on a timer (a call_from_thread here would
            # wait for the UI thread every time); True stops the training (Esc)
            return progress.report(done, total) or worker.is_cancelled

        lr = session.scenario.learning_rate
        try:
            if lr is None:
                raise ValueError(self.tr("tui.fail.no_learning_rate"))
            result = train(session.timeline.next_graph, n, lr, progress=report)
            new = session.after_training(result)
        except Exception as exc:  # noqa: BLE001 - shown by the app, the session goes on
            if not worker.is_cancelled:
                self.call_from_thread(self._training_failed, exc, progress)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._trained, new, progress)

    def _trained(self, session: Session, progress: TrainingScreen) -> None:
        progress.dismiss()
        if self._adopt(self.tr("tui.fail.training"), session, 0):
            self.say(self.tr("tui.say.trained", done=session.last_iteration - 1,
                             now=session.last_iteration), "value")

    def _training_failed(self, exc: Exception, progress: TrainingScreen) -> None:
        progress.dismiss()
        self._show_failure(self.tr("tui.fail.training"), exc)

    # ----------------------------------------------------------------- edit

    def _edit_target(self) -> str | None:
        if self.session is None:
            return None
        graph = self.session.timeline.graph
        if self.selected is not None and graph.node(self.selected).is_leaf:
            return self.selected
        return None

    def action_edit(self) -> None:
        """``e``: edit the selected leaf, or choose one first."""
        if self.session is None:
            return
        from tui_backprop.tui.edit import LeafChooser

        name = self._edit_target()
        if name is not None:
            self.edit_leaf(name)
            return
        w = self.words
        values = self.session.graph.leaf_values
        kinds = {n.name: w(f"kind.{n.kind}") for n in self.session.timeline.graph.leaves}
        width = max((cell_len(k) for k in kinds.values()), default=0)
        leaves = [(n.name, pad_cells(kinds[n.name], width) + f" {w.s(printable(n.name))} = "
                   + w.num(Num(values[n.name], "value", "leaf"), max_items=4, full=False))
                  for n in self.session.timeline.graph.leaves]

        def chosen(leaf: str | None) -> None:
            if leaf is not None:
                self.selected = leaf
                self.edit_leaf(leaf)

        self.push_screen(LeafChooser(leaves), chosen)

    def edit_leaf(self, name: str) -> None:
        """Open the edit modal for leaf ``name``."""
        from tui_backprop.tui.edit import EditScreen

        assert self.session is not None
        w = self.words
        node = self.session.timeline.graph.node(name)
        current = value_text(self.session.graph.leaf_values[name])
        self.push_screen(EditScreen(name, w(f"kind.{node.kind}"), w.shape_label(node.shape),
                                    current, lambda text: self.apply_edit(name, text)))

    def apply_edit(self, name: str, text: str) -> str | None:
        """Set leaf ``name`` from typed text; returns an error message or None."""
        assert self.session is not None
        w = self.words
        try:
            session = self.session.with_leaf(name, parse_typed_value(text))
        except ScenarioError as exc:
            return w.s(printable("; ".join(d.text(w.msgs) for d in exc.errors)))
        except Exception as exc:  # noqa: BLE001 - said in the dialog, the session goes on
            return failure_text(exc, w)
        shown = w.s(printable(name))
        if not self._adopt(w("tui.fail.show_edit", name=shown), session, cursor=self.cursor):
            return (self.load_error.plain.replace("\n", ": ") if self.load_error
                    else w("tui.fail.unknown"))
        self.say(w("tui.say.changed", name=shown), "value")
        return None

    # ----------------------------------------------------------------- class, quiz

    def _start_class(self) -> None:
        from tui_backprop.model.quiz import QuizSettings
        from tui_backprop.tui.follow import ClassLink
        from tui_backprop.tui.quiz import QuizController, mount_class_widgets

        opts = self._class_options
        if opts is not None:
            self.classroom = ClassLink(self, opts)
            settings = self._quiz_settings or QuizSettings(precision=self.precision)
            # (a shared screen's renderer is a student who is never in a quiz)
            mode = "student" if opts.role == "mirror" else opts.role
            self.quiz = QuizController(self, mode, settings)
            self.classroom.on_quiz = self.quiz.on_message
            self.classroom.on_change = self.class_hook
        else:
            self.quiz = QuizController(self, "solo", self._quiz_settings)
        mount_class_widgets(self)
        if self.classroom is not None:
            self.classroom.start()

    def class_hook(self) -> None:
        """After every change of cursor or session (before the views are drawn): the
        quiz picks the step's prompt and sets :attr:`hide`; the presenter publishes its
        position; the class bar says where this session stands."""
        if self.classroom is not None:
            # the presenter: a new session gets its state id before the quiz keys its
            # prompt by it (a no-op for students)
            self.classroom.changed()
        if self.quiz is not None:
            self.quiz.refresh()
        keys = (self.classroom is not None and self.classroom.following,
                self.quiz is not None and self.quiz.waiting)
        if keys != self._keys_state:  # which keys apply has changed: the footer too
            self._keys_state = keys
            self.refresh_bindings()
        if self.classroom is not None:
            try:
                from tui_backprop.tui.quiz import ClassBar

                bar = self.debugger._panel(ClassBar)  # looked up once
            except Exception:  # noqa: BLE001 - not mounted yet
                return
            bar.show(self.class_status() or "")

    def class_status(self) -> str | None:
        """The follow marker in the app's language: "following" / "exploring" for a
        student, the room's counts for the presenter (None: not in a class)."""
        if self.classroom is None:
            return None
        text = self.messages.render(self.classroom.status())
        if self.classroom.presenter and self.quiz is not None:
            state = self.messages("class.quiz.on" if self.quiz.on else "class.quiz.off")
            text += " · " + self.messages("class.presenter.quiz", state=state)
        return self.glyphs.text(text)

    _keys_state: tuple[bool, bool] = (False, False)

    #: what a following student cannot do (the presenter drives)
    _DRIVING = frozenset({"step", "first", "last", "end_of", "update", "train", "edit",
                          "open", "reload", "jump_nonfinite"})
    #: the debugger screen's keys that act on the app (its bindings are priority keys)
    #: (all but the keys no text box types: esc, F1), derived from the bindings themselves
    _TYPED = frozenset(
        b.action.removeprefix("app.").split("(")[0] for b in DebuggerScreen.BINDINGS
        if b.action.startswith("app.") and not set(b.key.split(",")) <= {"escape", "f1"})
    #: the stepping keys that go to the answer box while it is open
    _STEPPING = frozenset({"step", "first", "last"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        link, quiz = self.classroom, self.quiz
        student = link is not None and not link.presenter
        if action == "explore":
            return student and link.following
        if action == "snap_back":
            return student
        if action == "skip":
            return quiz is not None and quiz.waiting
        if action in ("class_quiz", "reveal"):
            return link is not None and link.presenter
        if action in self._TYPED and typing_in_box(self.focused):
            return False  # the debugger's keys are priority keys: a text box types them
        if student and link.following and action in self._DRIVING:
            self._driven = True  # run_action says why nothing happens
            return None  # shown, but the presenter drives
        if quiz is not None and quiz.waiting and action in self._STEPPING:
            return False  # the key goes to the answer box
        return True

    _driven = False

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        # A following student's stepping keys are the presenter's to press: say so,
        # rather than let the key do nothing at all.
        self._driven = False
        handled = await super().run_action(action, default_namespace, namespaces)
        if not handled and self._driven:
            self.say(self.tr("class.say.presenter_drives"))
        self._driven = False
        return handled

    def action_explore(self) -> None:
        if self.classroom is not None:
            self.message = None  # a message of the state left behind
            self.classroom.explore()
            self.class_hook()
            self.refresh_views()

    def action_snap_back(self) -> None:
        if self.classroom is not None:
            self.message = None
            self.classroom.snap_back()
            self.class_hook()
            self.refresh_views()

    def action_skip(self) -> None:
        if self.quiz is not None:
            self.quiz.skip()

    # ----------------------------------------------------------------- shared screens

    #: a student changed the view in a way nothing else records (a scroll, a click, a
    #: focus move): their screen is their own until ``F`` (see :meth:`mirrorable`)
    own_view = False
    #: what a student does that makes their screen their own at once (see on_event)
    _OWN_INPUT = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
                  events.MouseScrollLeft, events.MouseScrollRight, events.Paste, events.Resize)
    _OWN_VIEW_INPUT = (events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
                       events.MouseScrollLeft, events.MouseScrollRight)

    async def on_event(self, event: events.Event) -> None:
        link = self.classroom
        if link is not None and isinstance(event, self._OWN_INPUT) and link.role == "student":
            if isinstance(event, self._OWN_VIEW_INPUT) or (
                    isinstance(event, events.Key) and event.key in ("tab", "shift+tab")):
                self.own_view = True
            link.unmirror()  # the student's own screen, before the input acts on it
        await super().on_event(event)

    def mirrorable(self) -> bool:
        """Whether this student's screen is, now, exactly what a renderer of its group
        draws (see :mod:`tui_backprop.serve.mirror`): following, on the debugger screen
        with nothing of its own (no dialog, selection, message, notification, quiz, full
        precision, other view, scroll or focus)."""
        link, quiz, screen = self.classroom, self.quiz, self.screen
        return (link is not None and link.role == "student" and link.following
                and link.connected and not self.own_view and len(self.screen_stack) == 1
                and isinstance(screen, DebuggerScreen) and self.selected is None
                and self.message is None and not self.full_precision
                and not len(self._notifications) and (quiz is None or not quiz.on)
                and not screen.has_class("-show-code") and not screen.has_class("-show-values"))

    def write_marker(self, marker: bytes) -> None:
        """Write a shared-screen marker to the terminal, in order with the drawing."""
        if self._driver is not None and not self.is_headless:
            self._driver.write(marker.decode("ascii"))

    def redraw_all(self) -> None:
        """Draw the whole screen now, whatever the terminal shows."""
        screen = self.screen
        self._display(screen, screen._compositor.render_update(
            full=True, screen_stack=self._background_screens))

    def view_offsets(self) -> dict[str, list[int]]:
        """Where every scrolling panel of the debugger screen is scrolled to."""
        return {w.id: [w.scroll_offset.x, w.scroll_offset.y]
                for w in self.debugger.query(ScrollView) if w.id}

    def adopt_view(self, view: dict) -> None:
        """Scroll the panels to ``view`` (a renderer's :meth:`view_offsets`: what a
        mirrored student was looking at, so that their own screen does not jump)."""
        for w in self.debugger.query(ScrollView):
            xy = view.get(w.id)
            if xy is not None:
                w.scroll_to(xy[0], xy[1], animate=False, immediate=True)
                if isinstance(w, CircuitView):
                    w.remember_offset()

    def draw_frame(self) -> None:
        """A renderer, asked by the server: a full frame between markers."""
        if self._batch_count:  # nothing is drawn in a batch: right after it
            self.call_later(self.draw_frame)
            return
        from tui_backprop.serve.mirror import FRAME_BEGIN, FRAME_END

        self.write_marker(FRAME_BEGIN)
        self.redraw_all()
        self.write_marker(FRAME_END)

    def action_class_quiz(self) -> None:
        if self.quiz is not None:
            self.quiz.toggle()

    def action_reveal(self) -> None:
        if self.quiz is not None:
            self.quiz.reveal()

    # ----------------------------------------------------------------- other keys

    def action_gradcheck(self) -> None:
        from tui_backprop.tui.gradcheck_view import GradCheckScreen

        if self.session is not None:
            self.push_screen(GradCheckScreen(self.session.timeline.graph, self.precision))

    def action_reload(self) -> None:
        if self.session is None or not self.session.scenario.path:
            self.say(self.tr("tui.say.nothing_to_reload"))
            return
        self.reload()

    def action_open(self) -> None:
        from tui_backprop.tui.picker import PickerScreen

        folders = [Path.cwd()]
        if self.session is not None and self.session.scenario.path:
            folders.append(Path(self.session.scenario.path).parent)

        def chosen(target: str | None) -> None:
            if target:
                self.open_scenario(target)

        self.push_screen(PickerScreen(folders, scenarios=self.scenarios), chosen)

    def get_system_commands(self, screen):
        """Textual's palette commands in the app's language, without the screenshot (it
        writes a file on the machine running the app) when the app is confined to a
        scenarios folder."""
        from tui_backprop.tui.commands import SYSTEM_COMMANDS

        w = self.words
        for command in super().get_system_commands(screen):
            if self.scenarios is not None and command.title == "Screenshot":
                continue
            keys = SYSTEM_COMMANDS.get((command.title, (command.help.split() or [None])[0]),
                                       SYSTEM_COMMANDS.get((command.title, None)))
            if keys is not None:
                command = command._replace(title=w(keys[0]), help=w(keys[1]))
            yield command

    def action_command_palette(self) -> None:
        """ctrl+p: the palette, in the app's language (and glyphs)."""
        from textual.command import CommandPalette

        from tui_backprop.tui.commands import Palette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(self.words("tui.cmd.placeholder"),
                                     ascii=self.glyphs.ascii, id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's theme list, in the app's language."""
        from textual.theme import ThemeProvider

        from tui_backprop.tui.commands import Palette

        self.push_screen(Palette(self.words("tui.cmd.theme_placeholder"),
                                 ascii=self.glyphs.ascii, providers=[ThemeProvider]))

    def action_show_help_panel(self) -> None:
        """The keys panel (palette: Keys), Textual's own keys in the app's language."""
        from textual.widgets import HelpPanel

        from tui_backprop.tui.keys_panel import KeysHelpPanel

        if not self.screen.query(HelpPanel):
            self.screen.mount(KeysHelpPanel())

    def action_help_anywhere(self) -> None:
        """F1: the help, even while a text box has the keys."""
        self.action_help()

    def action_help(self) -> None:
        from tui_backprop.tui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        sc = self.session.scenario if self.session is not None else None
        self.push_screen(HelpScreen(sc.title if sc else "", sc.description if sc else "",
                                    class_keys=self._class_keys()))

    def _class_keys(self) -> list[tuple[str, str]]:
        """The served class's and the quiz's keys that apply to this session, for the
        help: ``(key, catalogue key of what it does)``."""
        link, keys = self.classroom, []
        if link is not None and link.presenter:
            keys += [("z", "tui.key.class_quiz"), ("a", "tui.key.reveal")]
        elif link is not None:
            keys += [("x", "tui.key.explore"), ("F", "tui.key.snap_back")]
        if self.quiz is not None or link is not None:
            keys.append(("s", "tui.key.skip"))
        return keys

    def format_title(self, title: str, sub_title: str) -> Fitted:
        """The header: the scenario's title first (what a room needs to read), then the
        app's name, which is what a narrow terminal cuts, ending in ``…`` (``...`` in
        ASCII) where it does."""
        text = self.glyphs.text
        if not sub_title:
            return Fitted(Content(text(title)), self.glyphs.ellipsis)
        return Fitted(Content.assemble((text(sub_title), "bold"), (text(" — " + title), "dim")),
                      self.glyphs.ellipsis)


def create_app(scenario: str | Scenario | None = None, precision: int = 4, *,
               lang: str | None = None, ascii: bool | None = None, theme: str | None = None,
               on_theme: Callable[[str], str | None] | None = None,
               scenarios: str | os.PathLike[str] | ScenarioDir | None = None,
               max_train: int | None = None, quiz: bool | str | QuizSettings = False,
               classroom: ClassOptions | None = None) -> BackpropApp:
    """The application for ``scenario`` (a path or a bundled name, or a Scenario the
    caller already loaded; None opens the picker). The one factory shared by the CLI, the
    servers and the tests. ``lang`` (``en``/``zh``) and ``ascii`` default from the locale;
    ``theme`` (a name from :func:`~tui_backprop.tui.themes.theme_names`) from Textual's
    default, or the ANSI theme under ``NO_COLOR``. ``on_theme`` is called with the name of
    a theme the user picks (the CLI remembers it).

    ``scenarios`` confines the app to one folder (a served session): the picker, ``o``
    and the command palette offer only its files, ``scenario`` and anything typed are
    names inside it, and nothing outside it can be opened. ``max_train`` caps one ``t``
    and runs training at the lowest CPU priority, so one student's training cannot starve
    a room.

    ``quiz`` (True, or the kinds of number to ask: ``"output,contribution"``) runs the
    predict-then-reveal quiz for one learner; ``classroom`` makes the app a session of a
    served class (:mod:`tui_backprop.tui.follow`).
    """
    _textual_patch.install()
    settings = None
    if quiz is not False and quiz is not None:
        from tui_backprop.model.quiz import QuizSettings

        settings = (quiz if isinstance(quiz, QuizSettings)
                    else QuizSettings.parse(None if quiz is True else quiz, precision))
    return BackpropApp(scenario, precision, lang=lang, ascii=ascii, theme=theme,
                       on_theme=on_theme, scenarios=as_scenario_dir(scenarios),
                       max_train=max_train, quiz=settings, classroom=classroom)
