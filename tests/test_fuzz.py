"""Property-based fuzzing of the loader through the real ``check`` command.

Mutants of the bundled scenarios (byte flips, deleted and duplicated lines, extreme
numbers, swapped tokens, inserted control characters) must always give exit 0 or exit 2,
and every line on stderr must be one well-formed diagnostic without control characters or
Python internals. Bounded to a few seconds; CI replays the same examples (the ``ci``
profile in conftest.py derandomises hypothesis).
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_backprop.cli import main

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.toml"))
TEXTS = [p.read_text("utf-8") for p in SCENARIOS]
EXTREME = ["1e999", "-1e999", "9" * 401, "9" * 5000, "0x" + "f" * 300, "1e-400", "nan",
           "-inf", "-0.0", "[]", "{}", '""', "[[1], [2, 3]]", "true", "1979-05-27",
           "[1, 1e999]", '"\\u001b]0;x\\u0007"', "{ code = 1 }"]
INSERTS = ["\n", "\\n", '"', "'", "[", "]", "[[", "=", ".", " ", "\x1b", "\r", "\x07", "ﬁ",
           "(", ")", "#", "\t", '"""', "\\", "\x00", "\u2028"]
DIAG = re.compile(r"^\S.*?(:\d+(:\d+)?)?: error: \S.*$")
INTERNALS = re.compile(r"internal error|line None|Error\b|Exception|Traceback|Warning")
WORKDIR = Path(tempfile.mkdtemp(prefix="tui-backprop-fuzz-"))


@st.composite
def mutant(draw) -> str:
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "delete", "duplicate", "number", "swap",
                                     "insert"]))
        lines = text.split("\n")
        if kind == "flip":
            raw = bytearray(text.encode("utf-8"))
            i = draw(st.integers(0, len(raw) - 1))
            raw[i] = draw(st.integers(0, 255))
            text = raw.decode("utf-8", "replace")
        elif kind == "delete" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
            text = "\n".join(lines)
        elif kind == "duplicate":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif kind == "number":
            numbers = list(re.finditer(r"-?\d+(\.\d+)?(e-?\d+)?", text))
            if numbers:
                m = draw(st.sampled_from(numbers))
                text = text[:m.start()] + draw(st.sampled_from(EXTREME)) + text[m.end():]
        elif kind == "swap":
            tokens = list(re.finditer(r"[A-Za-z_]\w*|\d+|[\[\]{}=,\"]", text))
            if len(tokens) > 1:
                a = draw(st.sampled_from(tokens))
                b = draw(st.sampled_from(tokens))
                if a.end() <= b.start():
                    text = (text[:a.start()] + b.group() + text[a.end():b.start()] + a.group()
                            + text[b.end():])
        else:
            i = draw(st.integers(0, len(text)))
            text = text[:i] + draw(st.sampled_from(INSERTS)) + text[i:]
    return text


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutant())
def test_mutated_scenarios_give_exit_0_or_2_and_clean_diagnostics(text):
    path = WORKDIR / "mutant.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path)])
    assert code in (0, 2), err.getvalue()
    lines = err.getvalue().splitlines()
    assert (code == 2) == bool(lines), err.getvalue()
    n_lines = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    for line in lines:
        assert DIAG.match(line), line
        assert line.isprintable(), line
        assert not INTERNALS.search(line), line
        m = re.match(re.escape(str(path)) + r":(\d+)", line)
        assert m is None or 1 <= int(m.group(1)) <= n_lines, line
