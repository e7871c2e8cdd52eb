"""A debugging session: one scenario, the graph the timeline starts from, the recorded
timeline and the loss history; and the parsing of values a user types. Pure (no Textual,
no Rich): the TUI holds one :class:`Session` plus a cursor, and every panel is a view of
``(timeline, cursor)``; a server or an export can hold one just the same.

A session is immutable; every action (update, train, edit, reload) returns a new one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from tui_backprop._frozen import frozen
from tui_backprop.engine import (
    Graph,
    Scenario,
    Timeline,
    TrainResult,
    UpdateStep,
    record,
)
from tui_backprop.numfmt import to_json

#: At most this many iterations are kept recorded (a window that moves on as the cursor
#: does); older ones move to the loss history. Every iteration can still be reached:
#: stepping past the window's end records the next one.
MAX_RECORDED_ITERATIONS = 10


def _loss_float(loss) -> float | None:
    """The loss as a plain float for the history (None when the output is not scalar)."""
    a = np.asarray(loss)
    return float(a.reshape(())) if a.size == 1 else None


@frozen
class Session:
    """Everything the debugger shows, except the cursor."""

    scenario: Scenario
    #: the graph at the start of the timeline's first iteration
    graph: Graph
    timeline: Timeline
    #: ``(iteration, loss)`` of iterations run before the recorded ones
    earlier: tuple[tuple[int, float | None], ...] = ()

    @classmethod
    def start(cls, scenario: Scenario) -> Session:
        """Record the first iterations the scenario asks for (up to the window) from its
        initial values; :meth:`next_iteration` records the rest on demand."""
        n = min(scenario.iterations, MAX_RECORDED_ITERATIONS) if scenario.trains else 1
        timeline = record(scenario.graph, iterations=n, learning_rate=scenario.learning_rate)
        return cls(scenario, scenario.graph, timeline)

    # ------------------------------------------------------------------ queries

    @property
    def first_iteration(self) -> int:
        return self.timeline.iterations[0].iteration

    @property
    def last_iteration(self) -> int:
        return self.timeline.iterations[-1].iteration

    @property
    def planned_iterations(self) -> int:
        """How many iterations the scenario asks for (1 without ``[train]``)."""
        return max(1, self.scenario.iterations) if self.scenario.trains else 1

    @property
    def more_planned(self) -> bool:
        """Whether the scenario asks for iterations after the last recorded one."""
        return self.scenario.trains and self.last_iteration < self.planned_iterations

    @property
    def loss_history(self) -> tuple[tuple[int, float | None], ...]:
        """``(iteration, loss)`` for every iteration run so far, oldest first."""
        return self.earlier + tuple(
            (it.iteration, _loss_float(it.loss)) for it in self.timeline.iterations)

    # ------------------------------------------------------------------ actions

    def next_iteration(self) -> Session:
        """Record one more iteration (after the last recorded update).

        Raises ValueError when the scenario has no ``[train]`` table."""
        if not self.scenario.trains:
            raise ValueError("this scenario has no [train] table, so there is no update")
        tl = self.timeline
        graph, earlier, first = self.graph, self.earlier, self.first_iteration
        n = len(tl.iterations)
        if n + 1 > MAX_RECORDED_ITERATIONS:
            # drop the oldest recorded iteration: start from the params after its update
            oldest = tl.iterations[0]
            update = tl.steps[oldest.end - 1]
            assert isinstance(update, UpdateStep)
            for p in update.params:
                graph = graph.with_leaf(p.name, p.after)
            earlier = earlier + ((oldest.iteration, _loss_float(oldest.loss)),)
            first += 1
            n -= 1
        timeline = record(graph, iterations=n + 1, learning_rate=self.scenario.learning_rate,
                          first_iteration=first)
        return replace(self, graph=graph, timeline=timeline, earlier=earlier)

    def after_training(self, result: TrainResult) -> Session:
        """The session after ``result`` (``engine.train`` run from ``timeline.next_graph``):
        the recorded iterations and the trained ones join the history, and one fresh
        iteration is recorded from the trained params."""
        history = self.loss_history
        last = self.last_iteration
        trained = tuple((last + 1 + i, _loss_float(loss)) for i, loss in enumerate(result.losses))
        first = last + len(result.losses) + 1
        timeline = record(result.graph, iterations=1,
                          learning_rate=self.scenario.learning_rate, first_iteration=first)
        return replace(self, graph=result.graph, timeline=timeline, earlier=history + trained)

    def with_leaf(self, name: str, value) -> Session:
        """Set leaf ``name`` (at the start of the recorded iterations) and record again.

        Raises :class:`ScenarioError` for a value of the wrong type or shape."""
        graph = replace(self.scenario, graph=self.graph).with_leaf(name, value).graph
        timeline = record(graph, iterations=len(self.timeline.iterations),
                          learning_rate=self.scenario.learning_rate,
                          first_iteration=self.first_iteration)
        return replace(self, graph=graph, timeline=timeline)


def value_text(value) -> str:
    """A leaf's value as text the edit box accepts back (TOML numbers and lists)."""
    import json  # only the edit box needs it: not imported at start-up

    text = json.dumps(to_json(value))
    return text.replace('"-inf"', "-inf").replace('"inf"', "inf").replace('"nan"', "nan")


def local_scenarios(folders: list[Path]) -> list[str]:
    """``.toml`` files in ``folders`` (not recursive), as paths, without duplicates."""
    seen: set[Path] = set()
    out: list[str] = []
    for folder in folders:
        try:
            entries = sorted(folder.glob("*.toml"))
        except OSError:
            continue
        for p in entries:
            rp = p.resolve()
            if rp not in seen and p.name != "pyproject.toml":
                seen.add(rp)
                out.append(str(p))
    return out
