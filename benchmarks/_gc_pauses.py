"""Child process of bench_tui.py --only gc: step a scenario 200 times headless and report
every garbage collection's pause, as JSON on stdout.

    python benchmarks/_gc_pauses.py SCENARIO STEPS launcher|default

``launcher`` starts the way the ``tui-backprop`` command does (tui_backprop/_startup.py:
collector paused through imports and start-up, frozen after the first frame);
``default`` leaves Python's collector as it is, for the same-run comparison.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time

scenario, steps, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if mode == "launcher":
    from tui_backprop import _startup

    _startup.prepare([scenario])

from tui_backprop.tui.app import FIRST_FRAME_SECONDS, create_app  # noqa: E402

pauses: list[tuple[int, float]] = []
_t0 = [0.0]


def _callback(phase: str, info: dict) -> None:
    if phase == "start":
        _t0[0] = time.perf_counter()
    else:
        pauses.append((info["generation"], time.perf_counter() - _t0[0]))


async def main() -> None:
    app = create_app(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await asyncio.sleep(FIRST_FRAME_SECONDS + 0.2)  # the launcher's GC resumes
        gc.callbacks.append(_callback)
        t = time.perf_counter()
        pressed = 0
        while pressed < steps:
            before = app.cursor
            await pilot.press("right")
            pressed += 1
            if app.cursor == before:  # end of the timeline: walk it again
                await pilot.press("home")
                pressed += 1
        gc.callbacks.remove(_callback)
        print(json.dumps({"pauses": pauses, "seconds": time.perf_counter() - t,
                          "enabled": gc.isenabled()}))


asyncio.run(main())
