"""Control characters in a scenario's code comments and description never reach a
terminal or a handout raw: the traces and exports print them escaped (as the TUI does).
"""

from __future__ import annotations

import re

import pytest

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202e]")

SCENARIO = '''title = "t"
description = "D\\u001b]0;pwned\\u0007 \\u001b[2J\\u202e \\u0008\\n\\nsecond"
[inputs]
x = 1
[graph]
code = "f = x*2 # \\u001b[31m comment\\u0007"
'''


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_trace_escapes_code_comments_and_description(cli, hostile, fmt):
    r = cli("trace", str(hostile), "--format", fmt, "--lang", "en")
    assert r.code == 0
    assert not RAW.search(r.out), repr(RAW.search(r.out))
    assert "\\x1b[31m comment\\x07" in r.out
    assert "f = x*2" in r.out


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_exports_escape_code_comments_and_description(cli, hostile, tmp_path, fmt):
    out = tmp_path / f"h.{fmt}"
    r = cli("export", str(hostile), "--format", fmt, "-o", str(out), "--lang", "en")
    assert r.code == 0, r.err
    page = out.read_text(encoding="utf-8")
    assert not RAW.search(page), repr(RAW.search(page))
    if fmt == "html":
        assert "\\x1b]0;pwned\\x07" in page and "\\x1b[31m comment" in page
