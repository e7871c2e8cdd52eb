"""Engine benchmark: load, full record and memory for generated scalar graphs, and the
training fast path on the bundled 2-2-2 network.

Run: python benchmarks/bench_engine.py [--repeat 5] [--max-gates 100000]

Figures are medians over --repeat runs. The machine is shared and noisy, so each size
also prints a baseline measured in the same run (a plain Python loop doing one float
multiply-add per gate) and the ratio against it.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc

from tui_backprop.engine import load, load_text, record, train


def scenario_text(gates: int) -> str:
    """A chain of scalar gates cycling through mul, add, sigmoid, tanh, *const, +const,
    with fan-out (every gate also reads the input x) like a real expression."""
    ops = ["v{p} * x", "v{p} + y", "sigmoid(v{p})", "tanh(v{p})", "v{p} * 0.9", "v{p} + 0.1"]
    lines = ["v0 = x * y"]
    for i in range(1, gates):
        lines.append(f"v{i} = " + ops[i % len(ops)].format(p=i - 1))
    code = "\n".join(lines)
    return (f'title = "bench {gates}"\n[inputs]\nx = 0.5\ny = -0.25\n'
            f'[graph]\ncode = """\n{code}\n"""\n')


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def baseline(gates: int) -> None:
    acc = 0.5
    for _ in range(gates * 2):  # forward + backward
        acc = acc * 0.999 + 0.001


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--max-gates", type=int, default=100_000)
    args = ap.parse_args()

    print(f"{'gates':>8} {'load ms':>9} {'record ms':>10} {'total ms':>9} {'steps':>8} "
          f"{'peak MiB':>9} {'B/step':>7} {'baseline ms':>12} {'record/base':>12}")
    for gates in (100, 1_000, 10_000, 100_000):
        if gates > args.max_gates:
            break
        text = scenario_text(gates)
        rep = args.repeat if gates <= 10_000 else max(1, args.repeat // 2)
        t_load = median_time(lambda text=text: load_text(text), rep)
        graph = load_text(text).graph
        t_rec = median_time(lambda graph=graph: record(graph), rep)
        t_base = median_time(lambda gates=gates: baseline(gates), rep)
        gc.collect()
        tracemalloc.start()
        tl = record(graph)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        steps = len(tl)
        del tl
        print(f"{gates:>8,} {t_load * 1e3:>9.1f} {t_rec * 1e3:>10.1f} "
              f"{(t_load + t_rec) * 1e3:>9.1f} {steps:>8,} {peak / 2**20:>9.1f} "
              f"{peak / steps:>7.0f} {t_base * 1e3:>12.2f} {t_rec / t_base:>12.0f}x")

    net = load("network-2-2-2")
    lr = net.learning_rate
    t_fast = median_time(lambda: train(net.graph, 10_000, lr), args.repeat)
    t_rec1 = median_time(lambda: record(net.graph, learning_rate=lr), args.repeat)
    print()
    print(f"2-2-2 network ({len(net.graph.gates)} gates, neuron granularity): "
          f"10,000 SGD iterations on the fast path: {t_fast * 1e3:.0f} ms median "
          f"({t_fast / 10_000 * 1e6:.1f} us/iteration); one fully recorded iteration: "
          f"{t_rec1 * 1e3:.2f} ms ({t_rec1 * 10_000 / t_fast:.0f}x the fast path per "
          "iteration)")


if __name__ == "__main__":
    main()
