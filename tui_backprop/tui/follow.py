"""The session side of a served class: follow the presenter, explore, snap back.

A served session whose server has a presenter (``serve ssh --presenter-password ...``)
gets :class:`ClassOptions` (its role, the broker's socket, its one-time token) and the app
makes a :class:`ClassLink`. The link connects to the broker
(:mod:`tui_backprop.serve.broker`) in the app's own event loop and:

* for the **presenter**: publishes the app's state and position after every change of
  cursor or session (:meth:`ClassLink.changed`);
* for a **student**: applies the presenter's position while *following* (the default, and
  again after a reconnect); ``x`` switches to *exploring* (the student's own cursor,
  edits and training) and ``F`` snaps back to the presenter's latest position.

Positions are exchanged as ``(scenario, edits, iteration, step)``: a *state* (the scenario's
name in the served folder, the leaves whose values differ from the file's - an edit, or
the params after training -, the first recorded iteration, how many are recorded and
the earlier loss history) with an id, and a *position* (that state's id, the step, the
iteration). A follower rebuilds the same timeline from the state (float64 values go
through JSON exactly) and only moves its cursor while the state stays the same, so a
step costs a follower one redraw.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from tui_backprop.engine import load, record
from tui_backprop.numfmt import to_json
from tui_backprop.serve.mirror import MIRROR_OFF, MIRROR_ON
from tui_backprop.text.catalogue import Msg

if TYPE_CHECKING:
    from tui_backprop.tui.app import BackpropApp

#: The longest line a session reads from the broker (it never sends more itself).
MAX_MESSAGE = 1024 * 1024
#: The earlier loss history a state carries (the most recent iterations).
MAX_HISTORY = 500


def _session_class():
    from tui_backprop.model.session import Session

    return Session


@dataclass(frozen=True)
class ClassOptions:
    """What the server tells a session about its class."""

    role: str  # "presenter" or "student"
    broker: str  # the broker's unix socket
    token: str


def _from_json(value):
    """A leaf value from JSON (``"nan"``, ``"inf"``, ``"-inf"`` as :func:`to_json`
    writes them); raises ValueError on anything else."""
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if isinstance(value, str):
        if value in ("nan", "inf", "-inf"):
            return float(value)
        raise ValueError(f"not a number: {value[:20]!r}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("not a number")
    return float(value)


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))


class ClassLink:
    """One session's connection to the class broker, and its follow/explore state."""

    def __init__(self, app: BackpropApp, options: ClassOptions) -> None:
        self.app = app
        self.options = options
        self.role = options.role
        #: a student: following the presenter (True) or exploring (False)
        self.following = True
        #: the presenter's room: connected / following / exploring students
        self.room = {"connected": 0, "following": 0, "exploring": 0}
        self.connected = False
        self.failed = False
        #: the latest state and position the presenter sent (students)
        self.states: dict[str, dict] = {}
        self.position: dict | None = None
        #: students: whether the presenter is connected (the broker says when it leaves)
        self.presenter_here = True
        #: the state id the app shows (followers: applied; presenter: published)
        self.state_id: str | None = None
        self._applied: str | None = None
        self._writer: asyncio.StreamWriter | None = None
        # the presenter's state ids: a new id whenever the session object changes
        self._session_ref: object | None = None
        self._counter = 0
        self._sent_position: dict | None = None
        #: called on every message that changes what the class widgets show
        self.on_change = lambda: None
        #: quiz messages are handed to the app's quiz controller
        self.on_quiz = lambda msg: None
        #: a student's screen is drawn by its group's renderer (see serve/mirror.py):
        #: this app does not draw the presenter's steps until :meth:`unmirror`
        self.mirrored = False
        self._said_mirrorable: bool | None = None
        #: a mirrored student: where its group's renderer has the panels scrolled
        #: (adopted when it draws for itself again); a renderer: what it last said
        self.view: dict | None = None

    @property
    def presenter(self) -> bool:
        return self.role == "presenter"

    @property
    def renderer(self) -> bool:
        """The process that draws a shared screen for a group of followers."""
        return self.role == "mirror"

    # ------------------------------------------------------------------ connection

    def start(self) -> None:
        self.app.run_worker(self._run(), group="class", exit_on_error=False)

    async def _run(self) -> None:
        try:
            reader, writer = await asyncio.open_unix_connection(self.options.broker,
                                                                limit=MAX_MESSAGE + 1)
        except OSError:
            self.failed = True
            self.on_change()
            return
        self._writer = writer
        self.connected = True
        self.send({"t": "hello", "token": self.options.token})
        if self.presenter:
            self.changed(force=True)
        elif not self.renderer:
            self.send({"t": "mode", "following": self.following})
        else:  # its students adopt its panels' scroll offsets when they draw again
            self.app.set_interval(0.1, self._report_view)
        try:
            while True:
                try:
                    line = await reader.readline()
                except ValueError:
                    continue  # too long: dropped (the broker never sends such a line)
                if not line:
                    break
                try:
                    msg = json.loads(line)
                except ValueError:
                    continue
                if isinstance(msg, dict):
                    self._handle(msg)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.connected = False
            self.failed = True
            self._writer = None
            with contextlib.suppress(Exception):
                writer.close()
            self.on_change()

    _apply_pending = False

    def _apply_latest(self) -> None:
        self._apply_pending = False
        if self.following and not self.mirrored:
            self.apply()
            self.report_mirrorable()

    def send(self, msg: dict) -> None:
        if self._writer is None or self._writer.transport.is_closing():
            return
        try:
            data = json.dumps(msg, separators=(",", ":"), allow_nan=False).encode() + b"\n"
        except ValueError:
            return
        if len(data) > MAX_MESSAGE:
            self.app.say("the class server cannot take this state: it is too large")
            return
        self._writer.write(data)

    # ------------------------------------------------------------------ messages in

    def _handle(self, msg: dict) -> None:
        kind = msg.get("t")
        if kind == "room" and self.presenter:
            self.room = {k: int(msg.get(k, 0)) for k in self.room}
            self.on_change()
        elif kind == "state" and not self.presenter:
            state = msg.get("state")
            if isinstance(state, dict) and isinstance(state.get("id"), str):
                self.states = {state["id"]: state}  # only the latest is kept
        elif kind == "position" and not self.presenter:
            pos = msg.get("position")
            if isinstance(pos, dict):
                self.position = pos
                if self.following and not self._apply_pending:
                    # applied once the messages already here are read: a follower that
                    # has fallen behind (a busy machine) jumps to the latest position
                    # instead of drawing every step it missed
                    self._apply_pending = True
                    self.app.call_later(self._apply_latest)
        elif kind == "presenter" and not self.presenter:
            self.presenter_here = msg.get("here") is not False
            self.on_change()
        elif kind in ("welcome", "quiz", "reveal", "tally"):
            if kind == "welcome" and not self.presenter:
                self.presenter_here = msg.get("presenter") is not False
            if not self.renderer:  # a shared screen is never in a quiz
                self.on_quiz(msg)
            self.on_change()
        elif kind == "mirror" and self.role == "student":
            if msg.get("on") is True:
                self._mirror()
            else:  # the renderer ended: its last view may be steps old, not adopted
                self.view = None
                self.unmirror()
        elif kind == "frame" and self.renderer:
            self.app.draw_frame()
        elif kind == "view" and self.role == "student" and isinstance(msg.get("view"), dict):
            self.view = msg["view"]
        if self.mirrored and not self.app.mirrorable():
            self.unmirror()  # e.g. the class went into a quiz: this screen is its own

    # ------------------------------------------------------------------ shared screens

    def report_mirrorable(self) -> None:
        """Tell the server whether this student's screen could be shared now."""
        if self.role != "student" or not self.connected:
            return
        able = self.app.mirrorable()
        if able != self._said_mirrorable:
            self._said_mirrorable = able
            self.send({"t": "mirrorable", "on": able})

    def _mirror(self) -> None:
        """The server shares its group's screen with this student: stop drawing the
        presenter's steps (if the screen is still the group's)."""
        if self.mirrored:
            return
        if not self.app.mirrorable():
            self.report_mirrorable()
            return
        self.mirrored = True
        self.view = None  # the group's comes from the server
        self.app.write_marker(MIRROR_ON)

    def unmirror(self) -> None:
        """Draw for yourself again: from the presenter's latest position, in full."""
        if not self.mirrored:
            return
        self.mirrored = False
        self.app.write_marker(MIRROR_OFF)
        if self.following:
            self.apply()
        view = self.view
        if view is not None:  # what the student was looking at, not where this app was
            self.app.adopt_view(view)
            self.app.call_after_refresh(self.app.adopt_view, view)  # after a rebuild too
        self.app.redraw_all()
        self.report_mirrorable()

    def _report_view(self) -> None:
        """A renderer: tell the server where its panels are scrolled, when it changed."""
        if not self.connected or len(self.app.screen_stack) != 1:
            return
        view = self.app.view_offsets()
        if view != self.view:
            self.view = view
            self.send({"t": "view", "view": view})

    # ------------------------------------------------------------------ presenter

    def state_of_session(self) -> dict | None:
        """The app's state as the broker carries it (None: nothing loaded)."""
        app = self.app
        session = app.session
        if session is None:
            return None
        if session is self._session_ref:
            return self._state
        self._session_ref = session
        self._counter += 1
        self._state = self._make_state(session)
        return self._state

    _state: dict | None = None

    def _make_state(self, session) -> dict | None:
        scenario = session.scenario
        name = self._name_of(scenario.path)
        if name is None:
            return None
        initial = scenario.graph.leaf_values
        edits = {k: to_json(v) for k, v in session.graph.leaf_values.items()
                 if k not in initial or not _same(v, initial[k])}
        earlier = [[i, loss] for i, loss in session.earlier[-MAX_HISTORY:]]
        return {"id": f"{self.options.token[:8]}-{self._counter}", "scenario": name,
                "edits": edits, "first": session.first_iteration,
                "count": len(session.timeline.iterations),
                "earlier": [[i, None if loss is None or not np.isfinite(loss) else loss]
                            for i, loss in earlier]}

    def _name_of(self, path: str | None) -> str | None:
        folder = self.app.scenarios
        if path is None or folder is None:
            return None
        return folder.name_of(path)

    def changed(self, force: bool = False) -> None:
        """After the presenter's cursor or session changed: publish them."""
        if not self.presenter or not self.connected:
            return
        app = self.app
        if app.session is None:
            return
        before = self._counter
        state = self.state_of_session()
        if state is None:
            return
        if force or self._counter != before or self.state_id != state["id"]:
            self.state_id = state["id"]
            self.send({"t": "state", "state": state})
        k = app.cursor
        pos = {"state": state["id"], "step": k,
               "iteration": app.session.timeline[k].iteration}
        if force or pos != self._sent_position:
            self._sent_position = pos
            self.send({"t": "position", "position": pos})

    # ------------------------------------------------------------------ student

    def explore(self) -> None:
        """``x``: on your own (the cursor, edits and training are the student's)."""
        if self.presenter or not self.following:
            return
        self.following = False
        self.send({"t": "mode", "following": False})
        self.on_change()
        self.report_mirrorable()

    def snap_back(self) -> None:
        """``F``: follow the presenter again, from its current position."""
        if self.presenter:
            return
        self.following = True
        self.send({"t": "mode", "following": True})
        self.apply()
        self.on_change()
        self.app.own_view = False  # the class's view again, until the student changes it
        self.report_mirrorable()

    def apply(self) -> None:
        """Show the presenter's latest position (rebuilding the state if it changed)."""
        pos = self.position
        if pos is None:
            return
        state = self.states.get(pos.get("state"))
        if state is None:
            return
        app = self.app
        if state["id"] != self._applied and self._shows(state):
            # the presenter's state is the one on screen (a follower that opened the same
            # scenario): follow it without loading and recording it again
            self._applied = self.state_id = state["id"]
            self._close_picker()
            self.on_change()  # the class bar: following, no longer waiting
        if state["id"] != self._applied:
            session = app._attempt("cannot follow the presenter; still showing the last "
                                   "good state", lambda: self._build(state))
            if session is None:
                return
            self._close_picker()
            app.set_reactive(type(app).selected, None)
            step = self._step(pos, session)
            # the quiz keys its prompt by state_id as the session is adopted (_adopt ->
            # class_hook -> quiz.refresh): the new state's id, before it
            before = self._applied, self.state_id
            self._applied = self.state_id = state["id"]
            # the new state is adopted already at the presenter's step: one redraw
            if not app._adopt("cannot follow the presenter", session, cursor=step):
                self._applied, self.state_id = before
                app.class_hook()  # the old session's prompt again
                return
            app.sub_title = _title(session.scenario.title)
            app.loaded_from_file(session.scenario.path)
            return
        if app.session is not None:
            step = self._step(pos, app.session)
            if app.cursor != step:
                app.cursor = step

    def _shows(self, state: dict) -> bool:
        """Whether the app's session is ``state`` already: the same scenario, leaf
        values, recorded iterations and loss history."""
        session = self.app.session
        if session is None:
            return False
        try:
            mine = self._make_state(session)
        except Exception:  # noqa: BLE001 - cannot tell: rebuild, as before
            return False
        if mine is None:
            return False
        return all(mine[k] == state.get(k) for k in mine if k != "id")

    @staticmethod
    def _step(pos: dict, session) -> int:
        step = pos.get("step")
        if not isinstance(step, int):
            return 0
        return max(0, min(step, len(session.timeline) - 1))

    def _build(self, state: dict):
        """The presenter's session, rebuilt here (raises on a bad state)."""
        app = self.app
        folder = app.scenarios
        if folder is None:
            raise ValueError("not a served session")
        scenario = self._scenario(folder.path_of(str(state["scenario"])))
        graph = scenario.graph
        edits = state.get("edits") or {}
        if not isinstance(edits, dict):
            raise ValueError("bad edits")
        for name, value in edits.items():
            graph = replace(scenario, graph=graph).with_leaf(str(name), _from_json(value)).graph
        first, count = int(state.get("first", 1)), int(state.get("count", 1))
        if not (1 <= count <= 1000 and first >= 1):
            raise ValueError("bad iteration counts")
        timeline = record(graph, iterations=count, learning_rate=scenario.learning_rate,
                          first_iteration=first)
        earlier = tuple((int(i), None if loss is None else float(loss))
                        for i, loss in (state.get("earlier") or [])[-MAX_HISTORY:])
        return _session_class()(scenario, graph, timeline, earlier)

    _scenarios: dict[str, tuple[tuple[int, int], object]] = {}

    def _scenario(self, path: str):
        """The scenario at ``path``, loaded once (again when the file changes)."""
        import os

        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
        cached = self._scenarios.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        scenario = load(path)
        self._scenarios = {path: (stamp, scenario)}
        return scenario

    def _close_picker(self) -> None:
        from tui_backprop.tui.picker import PickerScreen

        app = self.app
        while len(app.screen_stack) > 1 and isinstance(app.screen, PickerScreen):
            app.pop_screen()

    # ------------------------------------------------------------------ what it says

    def status(self) -> Msg:
        """The follow marker (in words, not only colour)."""
        if self.presenter:
            return Msg("class.presenter", **self.room)
        if self.failed and not self.connected:
            return Msg("class.offline")
        if not self.following:
            return Msg("class.exploring")
        if self.position is None:
            return Msg("class.following.waiting")
        if not self.presenter_here:
            return Msg("class.following.left")
        return Msg("class.following")


def _title(title: str) -> str:
    from tui_backprop.text.escape import printable

    return printable(title)
