"""A long ``t`` shows how far it got and can be cancelled (QA: ``t 1000000`` on
network-2-2-2 said nothing for a minute and could not be stopped).

The engine reports progress through a callback that may ask it to stop; the TUI's
training dialog shows ``done / total iterations`` and ``esc cancels``, and Esc keeps the
session as it was before the training.
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from test_tui_robust import screen_lines
from textual.widgets import Input

from tui_backprop.engine import load, train
from tui_backprop.tui.app import create_app
from tui_backprop.tui.train import TrainingScreen


@pytest.mark.parametrize("name", ["network-2-2-2", "relu-mlp"])  # plain floats; numpy
def test_train_stops_when_progress_asks_and_returns_what_it_ran(name):
    s = load(name)
    calls = []

    def stop_at_40(done, total):
        calls.append((done, total))
        return done >= 40

    stopped = train(s.graph, 400, s.learning_rate, progress=stop_at_40)
    assert calls[-1] == (40, 400) and len(stopped.losses) == 40
    # exactly the state of 40 iterations run on their own
    alone = train(s.graph, 40, s.learning_rate)
    for p in s.graph.params:
        np.testing.assert_array_equal(stopped.graph.leaf_values[p], alone.graph.leaf_values[p])
    np.testing.assert_array_equal(np.array(stopped.losses), np.array(alone.losses))


def test_train_reports_the_last_iteration_of_an_uneven_count():
    s = load("network-2-2-2")
    calls = []
    train(s.graph, 1234, s.learning_rate, progress=lambda d, t: calls.append(d))
    assert calls[-1] == 1234 and calls[:3] == [12, 24, 36]   # every 1% and the end


async def test_a_long_training_shows_its_count_and_esc_cancels_it():
    app = create_app("network-2-2-2", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        old, cursor = app.session, app.cursor
        await pilot.press("t")
        app.screen.query_one(Input).value = "1000000"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrainingScreen)
        for _ in range(200):  # until the first thousands are on screen
            await asyncio.sleep(0.05)
            await pilot.pause()
            rows = "\n".join(screen_lines(app))
            if "1,000,000 iterations" in rows and screen.done > 0:
                break
        assert "/ 1,000,000 iterations" in rows and "esc cancels" in rows
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(isinstance(s, TrainingScreen) for s in app.screen_stack)
        assert app.session is old and app.cursor == cursor      # nothing trained
        assert "training cancelled at" in screen_lines(app)[-2]
        assert screen.done < 1_000_000                          # it stopped early
