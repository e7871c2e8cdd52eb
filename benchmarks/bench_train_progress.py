"""What reporting progress costs a long training run (``t`` in the TUI).

    PYTHONPATH=. python benchmarks/bench_train_progress.py [N] [REPEATS]

Prints the medians (of REPEATS runs, 3 by default) of ``engine.train`` on network-2-2-2
for N iterations (1,000,000 by default: the most one ``t`` may ask for) without a progress
callback and with one like the app's (it stores the count for the screen and returns
whether to stop); the two are interleaved so a change of machine load hits both alike.

Run the same script against an older checkout (``PYTHONPATH=/path/to/old``) for a
before/after figure. Prints figures only: no pass/fail.
"""

from __future__ import annotations

import statistics
import sys
import time

from tui_backprop.engine import load, train


def engine(n: int, repeats: int) -> None:
    scenario = load("network-2-2-2")
    plain, reported = [], []
    state = {"done": 0}

    def report(done: int, total: int) -> bool:  # what TrainingScreen.report does
        state["done"] = done
        return False

    for _ in range(repeats):
        t = time.perf_counter()
        train(scenario.graph, n, scenario.learning_rate)
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        train(scenario.graph, n, scenario.learning_rate, progress=report)
        reported.append(time.perf_counter() - t)
    a, b = statistics.median(plain), statistics.median(reported)
    print(f"engine  {n:,} iterations: no progress {a:.2f} s, with progress {b:.2f} s "
          f"({(b - a) / a:+.1%}); runs {[round(x, 2) for x in plain]} / "
          f"{[round(x, 2) for x in reported]}")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    engine(n, repeats)
