"""Time and peak memory of ``check`` on hostile scenario files (untrusted input that
cost minutes and gigabytes before the loader bounded it). Each file is generated here
(under the 5 MB file cap) and checked in a fresh interpreter, which prints its own wall
time and peak RSS (VmHWM); the interpreter's start-up is included (compare with ``tiny``).

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HEAD = 'title = "d"\n[inputs]\nx = 1\n[graph]\n'

CASES = {
    "tiny": HEAD + 'code = "f = x * 2"\n',
    "flat sum, 2.4M terms on one line": HEAD + 'code = "f = ' + "+".join(["x"] * 2_400_000)
    + '"\n',
    "flat sum, 51 lines of 45,000 terms": HEAD + 'code = """\n' + "\n".join(
        f"a{i} = " + "+".join(["x"] * 45_000) for i in range(51)) + '\n"""\n',
    "sum([x, ...]) of 2.4M": HEAD + 'code = "f = sum([' + ",".join(["x"] * 2_300_000)
    + '])"\n',
    "max(x, ...) of 2.4M": HEAD + 'code = "f = max(' + ",".join(["x"] * 2_300_000) + ')"\n',
    "4 MB description": 'title = "t"\ndescription = "' + "c" * 4_000_000 + '"\n'
    + HEAD[12:] + 'code = "f = x * 2"\n',
    "4 MB code comment": HEAD + 'code = """\nf = x * 2 # ' + "c" * 4_000_000 + '\n"""\n',
    "400,000 [inputs] keys": 'title = "t"\n[inputs]\n' + "".join(
        f"x{i}=1\n" for i in range(400_000)) + '[graph]\ncode = "f = x0 * 2"\n',
    "80,000-character name": 'title = "t"\n[inputs]\n' + "n" * 80_000 + " = 1\n"
    + '[graph]\ncode = "f = ' + "n" * 80_000 + ' * 2"\n',
    "5,000-digit literal": HEAD + 'code = "f = x * 1' + "0" * 5_000 + '"\n',
}

CHILD = """
import resource, sys, time
t = time.perf_counter()
from tui_backprop import cli
try:
    rc = cli.main(["check", sys.argv[1]])
except SystemExit as exc:
    rc = exc.code
dt = time.perf_counter() - t
try:  # VmHWM: ru_maxrss would keep the parent's peak across fork/exec on Linux
    kb = int(next(ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")).split()[1])
except (OSError, StopIteration):
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{dt:.2f} {kb // 1024} {rc}")
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'file':38} {'MB':>5} {'s':>6} {'peak MB':>8}  result")
        for name, text in CASES.items():
            path = Path(tmp) / "s.toml"
            path.write_text(text, encoding="utf-8")
            out = subprocess.run([sys.executable, "-c", CHILD, str(path)],
                                 capture_output=True, text=True, timeout=600)
            dt, rss, rc = out.stdout.split()[-3:]
            first = (out.stderr.strip().splitlines() or ["ok"])[0]
            first = first.replace(str(path), "s.toml")[:70]
            size = len(text.encode()) / 1e6
            print(f"{name:38} {size:5.1f} {float(dt):6.2f} {int(rss):8d}  {first}")


if __name__ == "__main__":
    main()
