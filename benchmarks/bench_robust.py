"""Robustness benchmark (issue 6): the cost of hostile input through the real CLI.

Run: python benchmarks/bench_robust.py [--repeat 3] [--root PATH]

Each case runs ``python -m tui_backprop ...`` in a fresh process; figures are the median
wall time and the median peak RSS over --repeat runs. ``--root`` puts another copy of
the package first on PYTHONPATH (e.g. a checkout of the previous commit) to measure a
baseline in the same run. Cases:

- check-inputs10k: a ~150 KB file with 10,000 [inputs] entries (valid).
- check-unknown10k: a ~125 KB file with 10,000 unknown top-level keys (10,000 errors).
- check-unclosed25k: one unclosed line followed by 25,000 indented lines of code.
- trace-bigarr60: a 100,000-element array through 60 gates (refused up front now).
- trace-2gate-max: a 2-gate scalar scenario traced with the most iterations allowed.
- trace-<bundled>-max: the bundled training scenarios traced with the most iterations.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_files(d: Path) -> None:
    n = 10_000
    (d / "inputs10k.toml").write_text('title="t"\n[inputs]\n' + "".join(
        f"x{i} = {i}.5\n" for i in range(n)) + '[graph]\ncode = "y = x0 * x1"\n')
    (d / "unknown10k.toml").write_text('title="t"\n' + "".join(
        f"k{i} = {i}\n" for i in range(n)) + '[inputs]\nx=1.0\n[graph]\ncode = "y = x * 2"\n')
    body = "\n".join("    x + 1" for _ in range(25_000))
    (d / "unclosed.toml").write_text('title="t"\n[inputs]\nx=1.0\n[graph]\ncode = """\n'
                                     f'y = (x +\n{body}\n"""\n')
    code = "\n".join(["v0 = x * 1.0001"] + [f"v{i} = v{i - 1} * 1.0001" for i in range(1, 60)])
    (d / "bigarr.toml").write_text('title="t"\n[inputs]\nx = [' + ",".join(["0.5"] * 100_000)
                                   + f']\n[graph]\ncode = """\n{code}\n"""\n')
    (d / "twogate.toml").write_text('title = "two gates"\n[params]\nw = 0.5\n[inputs]\n'
                                    'x = 2.0\n[graph]\ncode = """\ny = w * x\nloss = y ** 2\n'
                                    '"""\n[train]\nlearning_rate = 0.01\n')


def run(argv: list[str], env: dict, repeat: int, cwd: str) -> tuple[float, float, int, str]:
    times, rss = [], []
    code, err = 0, b""
    for _ in range(repeat):
        with tempfile.TemporaryFile() as errf:
            t = time.perf_counter()
            p = subprocess.Popen([sys.executable, "-m", "tui_backprop", *argv], env=env,
                                 stdout=subprocess.DEVNULL, stderr=errf, cwd=cwd)
            _, status, usage = os.wait4(p.pid, 0)
            times.append(time.perf_counter() - t)
            rss.append(usage.ru_maxrss / 1024)
            code = os.waitstatus_to_exitcode(status)
            errf.seek(0)
            err = errf.read(200)
    return statistics.median(times), statistics.median(rss), code, err.decode(errors="replace")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--root", default=None, help="package root for a baseline")
    ap.add_argument("--iterations", type=int, default=None,
                    help="iterations for the trace cases (default: the current limit)")
    ap.add_argument("--skip", action="append", default=[],
                    help="skip cases whose name contains this (repeatable); e.g. the "
                    "baseline of trace-bigarr60 ran 15 minutes and 4.9 GB before it was stopped")
    args = ap.parse_args()
    from tui_backprop.engine.scenario import MAX_ITERATIONS

    its = str(args.iterations or MAX_ITERATIONS)
    d = Path(tempfile.mkdtemp(prefix="bench-robust-"))
    make_files(d)
    env = dict(os.environ)
    if args.root:
        env["PYTHONPATH"] = args.root
    cases = {
        "check-inputs10k": ["check", str(d / "inputs10k.toml")],
        "check-unknown10k": ["check", str(d / "unknown10k.toml")],
        "check-unclosed25k": ["check", str(d / "unclosed.toml")],
        "trace-bigarr60": ["trace", str(d / "bigarr.toml"), "--format", "json"],
        f"trace-2gate-{its}": ["trace", str(d / "twogate.toml"), "--iterations", its,
                               "--format", "json"],
    }
    for name in ("bce-neuron", "network-2-2-2", "relu-mlp", "softmax-classifier"):
        cases[f"trace-{name}-{its}"] = ["trace", name, "--iterations", its, "--format", "json"]
    print(f"{'case':34s} {'median s':>9s} {'peak MiB':>9s}  exit  stderr")
    for name, argv in cases.items():
        if any(k in name for k in args.skip):
            continue
        # (from the temporary folder: "python -m" puts the current folder first on
        # sys.path, which would shadow --root with a checkout)
        t, rss, code, err = run(argv, env, args.repeat, str(d))
        first = err.splitlines()[0][:70] if err else ""
        print(f"{name:34s} {t:9.2f} {rss:9.0f}  {code:4d}  {first}", flush=True)


if __name__ == "__main__":
    main()
