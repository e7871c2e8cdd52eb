"""Shared fixtures, and the hypothesis profile CI uses."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings

# CI (which sets CI=true) replays the same examples every run, so a red build always
# means a change, never a newly drawn input; local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """Run ``tui-backprop`` in-process: ``cli("trace", path, "--format", "json")``."""
    from tui_backprop.cli import main

    monkeypatch.setenv("NO_COLOR", "1")
    # the remembered settings live in a fresh config directory, never the user's
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    # tests that assert on words read English: pin the locale the language (and the
    # ASCII choice) is taken from; a test of another language passes --lang or sets it
    for var in ("LC_ALL", "LC_MESSAGES", "LC_CTYPE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")

    def run(*argv: str) -> CliResult:
        capsys.readouterr()  # drop anything printed before
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
