"""A follower's link to the class broker (tui/follow.py), against a stand-in broker on a
unix socket: the presenter's state is rebuilt only when it differs from what the
follower shows, and a differing one (an edit) is rebuilt and followed."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile

from tui_backprop.engine.scenario import bundled_dir
from tui_backprop.text import en
from tui_backprop.tui.app import create_app
from tui_backprop.tui.follow import ClassOptions
from tui_backprop.tui.quiz import ClassBar


async def _until(pilot, condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached")


async def test_a_follower_reuses_the_state_it_shows_and_rebuilds_an_edited_one():
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "broker.sock")
    writers: list[asyncio.StreamWriter] = []
    said: list[dict] = []

    async def client(reader, writer) -> None:
        writers.append(writer)
        while line := await reader.readline():
            said.append(json.loads(line))

    broker = await asyncio.start_unix_server(client, path)

    def send(msg: dict) -> None:
        writers[0].write(json.dumps(msg).encode() + b"\n")

    app = create_app("add-mul", lang="en", ascii=False, scenarios=str(bundled_dir()),
                     classroom=ClassOptions("student", path, "t" * 32))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _until(pilot, lambda: writers and any(m.get("t") == "hello" for m in said))
            opened = app.session
            assert opened is not None
            count = len(opened.timeline.iterations)
            same = {"id": "p-1", "scenario": "add-mul", "edits": {}, "first": 1,
                    "count": count, "earlier": []}
            # the presenter at the step the follower shows: nothing moves, but the class
            # bar must stop saying it waits for the presenter
            send({"t": "state", "state": same})
            send({"t": "position", "position": {"state": "p-1", "step": 0, "iteration": 1}})
            bar = app.debugger._panel(ClassBar)
            await _until(pilot, lambda: bar._text == en.MESSAGES["class.following"])
            assert app.session is opened  # followed without loading and recording again
            assert app.classroom.state_id == "p-1"
            send({"t": "position", "position": {"state": "p-1", "step": 3, "iteration": 1}})
            await _until(pilot, lambda: app.cursor == 3)
            assert app.session is opened

            leaf = next(iter(opened.scenario.graph.leaf_values))
            edited = dict(same, id="p-2", edits={leaf: 5.0})
            send({"t": "state", "state": edited})
            send({"t": "position", "position": {"state": "p-2", "step": 1, "iteration": 1}})
            await _until(pilot, lambda: app.classroom.state_id == "p-2")
            assert app.session is not opened
            assert float(app.session.graph.leaf_values[leaf]) == 5.0
            assert app.cursor == 1
    finally:
        broker.close()
        await broker.wait_closed()
