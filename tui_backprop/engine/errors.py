"""Scenario errors: one line each, ``path:line:col: error: message``."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..text.escape import printable


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a scenario. ``line``/``col`` are 1-based and the file's own."""

    path: str | None
    line: int | None
    col: int | None
    message: str

    def __str__(self) -> str:
        """``path:line:col: error: message``, always one line: control characters in the
        path or the message (a key, a name) are escaped as ``repr`` escapes them."""
        where = self.path or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return printable(f"{where}: error: {self.message}")

    def shifted(self, path: str | None, line_offset: int, col_offset: int = 0) -> Diagnostic:
        """Move a diagnostic from code-relative to file-relative coordinates."""
        line = None if self.line is None else self.line + line_offset
        col = self.col
        if col is not None and self.line == 1:
            col += col_offset
        return replace(self, path=path, line=line, col=col)


class ScenarioError(Exception):
    """A scenario that cannot be loaded. ``errors`` lists every problem found."""

    def __init__(self, errors: list[Diagnostic]):
        # in file order, so a long list reads top to bottom like the file
        self.errors = sorted(errors, key=lambda e: (e.line or 0, e.col or 0))
        super().__init__("\n".join(str(e) for e in self.errors))

    def with_path(self, path: str | None) -> ScenarioError:
        return ScenarioError([e if e.path else replace(e, path=path) for e in self.errors])
