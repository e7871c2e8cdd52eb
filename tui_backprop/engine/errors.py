"""Scenario errors: one line each, ``path:line:col: error: message``.

A diagnostic holds its message as a catalogue :class:`~tui_backprop.text.catalogue.Msg`
(a key and its parameters), so the CLI and the TUI say it in the reader's language:
``path:line:col: error: ...`` in English, ``path:line:col: 错误：...`` in Chinese. Its
:attr:`Diagnostic.message` is the English text (what ``str()`` shows), kept for callers
and tests that read the words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .._frozen import frozen
from ..text.catalogue import Messages, Msg, messages
from ..text.escape import printable

_EN = messages("en")


def diag(path: str | None, line: int | None, col: int | None, key: str, /,
         **params: Any) -> Diagnostic:
    """A :class:`Diagnostic` of catalogue message ``key`` with its parameters."""
    return Diagnostic(path, line, col, Msg(key, **params))


def english(msg: Msg | str) -> str:
    """A message (or text already in words) in English."""
    return msg if isinstance(msg, str) else _EN.render(msg)


@frozen(slots=True)
class Diagnostic:
    """One problem in a scenario. ``line``/``col`` are 1-based and the file's own.

    ``msg`` is a catalogue message; plain text (a caller that has already put it in
    words, in the language it will be read in) is shown as it is."""

    path: str | None
    line: int | None
    col: int | None
    msg: Msg | str

    @property
    def message(self) -> str:
        """The message in English."""
        return english(self.msg)

    @property
    def key(self) -> str | None:
        """The catalogue key of the message (None for plain text)."""
        return None if isinstance(self.msg, str) else self.msg.key

    def text(self, msgs: Messages | None = None) -> str:
        """The message alone, in the language of ``msgs`` (English by default)."""
        if isinstance(self.msg, str):
            return self.msg
        return (msgs or _EN).render(self.msg)

    def render(self, msgs: Messages | None = None) -> str:
        """``path:line:col: error: message`` in the language of ``msgs`` (English by
        default), always one line: control characters in the path or the message (a
        key, a name) are escaped as ``repr`` escapes them. Only the word ``error`` and
        the message are translated; the position reads the same in every language."""
        m = msgs or _EN
        where = self.path or m("diag.where.scenario")
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return printable(m("diag.line", where=where, error=m("diag.error"),
                           message=self.text(m)))

    def __str__(self) -> str:
        return self.render()

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

    def lines(self, msgs: Messages | None = None) -> list[str]:
        """Every diagnostic as one line, in the language of ``msgs``."""
        return [e.render(msgs) for e in self.errors]
