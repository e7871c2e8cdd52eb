"""Shared fixtures."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``tui-backprop`` in-process: ``cli("trace", path, "--format", "json")``."""
    from tui_backprop.cli import main

    monkeypatch.setenv("NO_COLOR", "1")

    def run(*argv: str) -> CliResult:
        capsys.readouterr()  # drop anything printed before
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
