"""The tui-backprop application: a step-through debugger for backpropagation.

All state lives here: the :class:`~tui_backprop.tui.state.Session` (scenario, timeline,
loss history), the reactive ``cursor`` and the ``selected`` node. Every panel is a view
of ``(timeline, cursor)``; the app calls their ``show`` methods when either changes.

:func:`create_app` is the one factory used by the CLI and the tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import var
from textual.worker import get_current_worker

from tui_backprop._startup import first_frame_shown
from tui_backprop.engine import Scenario, ScenarioError, load, train
from tui_backprop.numfmt import fmt_shape, fmt_value
from tui_backprop.tui import _textual_patch
from tui_backprop.tui.circuit import CircuitView
from tui_backprop.tui.code_view import CodeView
from tui_backprop.tui.debugger import DebuggerScreen
from tui_backprop.tui.look import Look
from tui_backprop.tui.state import Session, parse_value, value_text
from tui_backprop.tui.values import ValuesTable

if TYPE_CHECKING:
    from tui_backprop.tui.train import TrainingScreen

# The modal screens are imported when first opened: start-up time is a feature here.

#: How often the scenario file is checked for changes (seconds).
POLL_SECONDS = 1.0
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
        Binding("question_mark,f1", "help", "help", show=False),
        Binding("q", "quit", "quit", show=False),
    ]

    #: the step shown (index into ``session.timeline.steps``)
    cursor: var[int] = var(0, init=False)
    #: a node the user picked (None: follow the current step's gate)
    selected: var[str | None] = var(None, init=False)

    def __init__(self, scenario: str | Scenario | None = None, precision: int = 4) -> None:
        super().__init__()
        self.precision = precision
        self.full_precision = False
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

    # ----------------------------------------------------------------- start-up

    def get_default_screen(self) -> DebuggerScreen:
        return DebuggerScreen()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())
        # the collector was paused for start-up by the launcher (no-op otherwise)
        self.set_timer(FIRST_FRAME_SECONDS, first_frame_shown)

    def start(self) -> None:
        """Called once by the debugger screen when its panels exist."""
        self.debugger.circuit.precision = self.precision
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
                                 ansi=bool(theme is not None and theme.ansi))
        return self._look

    def _restyle(self) -> None:
        self._look = None
        self.refresh_views()

    # ----------------------------------------------------------------- loading

    def open_scenario(self, name_or_path: str | Scenario) -> bool:
        """Load a scenario (a path or a bundled name; or an already loaded one) and start
        at step 1. A bad file keeps what is on screen and shows its errors."""
        if isinstance(name_or_path, Scenario):
            scenario = name_or_path
        else:
            try:
                scenario = load(name_or_path)
            except ScenarioError as exc:
                self._show_errors(f"cannot open {name_or_path}", exc)
                return False
        self.set_reactive(BackpropApp.selected, None)
        self._set_session(Session.start(scenario), cursor=0)
        self._stamp = _file_stamp(scenario.path)
        self.sub_title = scenario.title
        return True

    def reload(self) -> bool:
        """Read the scenario file again; keep the cursor on the same step (clamped)."""
        if self.session is None or not self.session.scenario.path:
            return False
        path = self.session.scenario.path
        self._stamp = _file_stamp(path)
        try:
            scenario = load(path)
        except ScenarioError as exc:
            self._show_errors("reload failed; still showing the last good version", exc)
            return False
        if self.selected is not None and self.selected not in scenario.graph.index:
            self.set_reactive(BackpropApp.selected, None)
        self._set_session(Session.start(scenario), cursor=self.cursor)
        self.sub_title = scenario.title
        self.say("reloaded " + path, "value")
        return True

    def poll_file(self) -> None:
        """Reload when the scenario file changed on disk (called every second)."""
        if self.session is None or not self.session.scenario.path:
            return
        stamp = _file_stamp(self.session.scenario.path)
        if stamp is not None and stamp != self._stamp:
            self.reload()

    def _show_errors(self, headline: str, exc: ScenarioError) -> None:
        text = Text(headline + "\n", self.look.error)
        for diag in exc.errors:
            text.append(str(diag) + "\n")
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
                             session.timeline)
        screen.set_class(scenario.trains, "-trains")
        new = max(0, min(cursor, len(session.timeline) - 1))
        if new != self.cursor:
            self.set_reactive(BackpropApp.cursor, new)
        self.refresh_views(history=True)

    # ----------------------------------------------------------------- views

    def watch_cursor(self) -> None:
        self.message = None
        self.refresh_views()

    def watch_selected(self) -> None:
        self.refresh_views()

    def refresh_views(self, history: bool = False) -> None:
        """Show ``(timeline, cursor)`` in every panel."""
        screen = self.debugger
        look = self.look
        if self.session is None:
            screen.status.set_text(Text(" no scenario loaded: press o to open one"))
            return
        tl = self.session.timeline
        k = self.cursor
        sel = self.selected
        screen.circuit.show(tl, k, sel)
        screen.code.show(tl, k, sel, look)
        screen.inspector.show(tl, k, sel, look)
        screen.values.show(tl, k, sel, look)
        screen.explain.show(tl, k, look)
        screen.status.show(tl, k, look, self.message,
                          self.session.scenario.title if screen.has_class("-short") else "")
        if history:
            screen.loss.show(self.session.loss_history, self.precision)
        if screen.status.size.width:  # laid out: the widths the views used are real
            self._views_size = (self.size.width, self.size.height)

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
        self._move(self.cursor + delta)

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
            self.say("every value and gradient is finite")
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
        back across iterations still works)."""
        if self.session is None:
            return
        if not self.session.scenario.trains:
            self.say("no update: this scenario has no [train] table (add one with a "
                     "learning_rate)")
            return
        tl = self.session.timeline
        it = tl.iteration_of(self.cursor)
        if it is not tl.iterations[-1]:
            self._move(tl.iterations[tl.iterations.index(it) + 1].start)
            return
        session = self.session.next_iteration()
        self._set_session(session, cursor=session.timeline.iterations[-1].start)
        self.say(f"updated the params: iteration {session.last_iteration} starts "
                 "(← shows the update)", "value")

    def action_train(self) -> None:
        if self.session is None:
            return
        if not self.session.scenario.trains:
            self.say("no training: this scenario has no [train] table")
            return

        def chosen(n: int | None) -> None:
            if n:
                self.run_training(n)

        from tui_backprop.tui.train import TrainScreen

        self.push_screen(TrainScreen(self.session.scenario.learning_rate), chosen)

    def run_training(self, n: int) -> None:
        """Train ``n`` iterations in a worker thread, then land on the new state."""
        from tui_backprop.tui.train import TrainingScreen

        assert self.session is not None
        progress = TrainingScreen(n)
        self.push_screen(progress)
        self._train_worker(self.session, n, progress)

    @work(thread=True, exclusive=True, group="train")
    def _train_worker(self, session: Session, n: int, progress: TrainingScreen) -> None:
        worker = get_current_worker()

        def report(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.call_from_thread(progress.progress, done)

        lr = session.scenario.learning_rate
        assert lr is not None
        result = train(session.timeline.next_graph, n, lr, progress=report)
        new = session.after_training(result)
        self.call_from_thread(self._trained, new, progress)

    def _trained(self, session: Session, progress: TrainingScreen) -> None:
        progress.dismiss()
        self._set_session(session, cursor=0)
        self.say(f"trained to iteration {session.last_iteration - 1}; stepping through "
                 f"iteration {session.last_iteration}", "value")

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
        values = self.session.graph.leaf_values
        leaves = [(n.name, f"{n.kind:<6} {n.name} = "
                   + fmt_value(values[n.name], self.precision, max_items=4))
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
        node = self.session.timeline.graph.node(name)
        current = value_text(self.session.graph.leaf_values[name])
        self.push_screen(EditScreen(name, node.kind, fmt_shape(node.shape), current,
                                    lambda text: self.apply_edit(name, text)))

    def apply_edit(self, name: str, text: str) -> str | None:
        """Set leaf ``name`` from typed text; returns an error message or None."""
        assert self.session is not None
        try:
            session = self.session.with_leaf(name, parse_value(text))
        except ScenarioError as exc:
            return "; ".join(d.message for d in exc.errors)
        self._set_session(session, cursor=self.cursor)
        self.say(f"{name} changed: the timeline was recorded again", "value")
        return None

    # ----------------------------------------------------------------- other keys

    def action_gradcheck(self) -> None:
        from tui_backprop.tui.gradcheck_view import GradCheckScreen

        if self.session is not None:
            self.push_screen(GradCheckScreen(self.session.timeline.graph, self.precision))

    def action_reload(self) -> None:
        if self.session is None or not self.session.scenario.path:
            self.say("nothing to reload")
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

        self.push_screen(PickerScreen(folders), chosen)

    def action_help(self) -> None:
        from tui_backprop.tui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        sc = self.session.scenario if self.session is not None else None
        self.push_screen(HelpScreen(sc.title if sc else "", sc.description if sc else ""))


def create_app(scenario: str | Scenario | None = None, precision: int = 4) -> BackpropApp:
    """The application for ``scenario`` (a path or a bundled name, or a Scenario the
    caller already loaded; None opens the picker). The one factory shared by the CLI and
    the tests."""
    _textual_patch.install()
    return BackpropApp(scenario, precision)
