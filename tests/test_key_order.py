"""Keys typed in one burst act in the order they were typed, in a real terminal.

A fast typist, a paste, or an SSH packet carrying several keys delivers them in one
read. The debugger's keys used to be a mix of priority bindings (the arrows) and
ordinary ones (``f``, ``b`` ...); an ordinary key goes through the focused widget's queue
first, so ``f →`` typed together ran as ``→ f``: the arrow was lost. Each test sends a
burst in a single write to a real pty and compares the status bar with the order the
lecture gives (``f`` ends the forward pass, and the step after it is the backward
pass's seed, df/df = 1), and with where the same keys land typed one at a time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _pty import PtyProcess, Screen  # noqa: E402  (the benchmarks' small emulator)

APP = ("from tui_backprop.tui.app import create_app; "
       "create_app('add-mul', lang='en', ascii=False).run()")
RIGHT, LEFT = b"\x1b[C", b"\x1b[D"


def _status_after(burst: bytes) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "LC_ALL", "LC_CTYPE", "TEXTUAL_COLOR_SYSTEM")}
    env.update({"LANG": "en_US.UTF-8", "TERM": "xterm-256color",
                "XDG_CONFIG_HOME": "/nonexistent-tui-backprop-test"})
    with PtyProcess([sys.executable, "-c", APP], 80, 24, env=env) as p:
        p.read_until_quiet(0.5, 30, ready=lambda: b"quit" in p.output_since(0))
        os.write(p.master, burst)  # one write: the keys arrive together
        p.read_until_quiet(0.5, 10)
        screen = Screen(80, 24)
        screen.feed(p.output_since(0))
    return next(line for line in reversed(screen.lines()) if "step " in line)


def _step(status: str) -> int:
    return int(status.split("step ")[1].split("/")[0])


def test_forward_end_then_next_is_the_seed():
    status = _status_after(b"f" + RIGHT)
    assert "SEED" in status, status


@pytest.mark.parametrize(("key", "arrows", "delta"), [
    (b"f", RIGHT + RIGHT, 2),
    (b"b", LEFT + LEFT, -2),
])
def test_a_burst_equals_the_same_keys_typed_slowly(key, arrows, delta):
    alone = _step(_status_after(key))  # where `f` (`b`) alone lands, whatever the graph
    burst = _step(_status_after(key + arrows))
    assert burst == alone + delta, (alone, burst)
