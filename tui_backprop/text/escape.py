"""Untrusted text made safe for one line of a terminal.

A scenario file chooses its own titles, names, keys and paths. Printed as they are, a
newline splits one diagnostic into two, and ESC/BEL/CR sequences can set the terminal's
title, clear the screen or inject colours. :func:`printable` escapes every control
character the way Python's ``repr`` does (``\\n``, ``\\x1b``, ``\\u2028``) and leaves
everything else, Chinese included, as it is.
"""

from __future__ import annotations

import unicodedata

__all__ = ["code_line", "printable", "printable_code", "prose"]

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _unsafe(ch: str) -> bool:
    # Cc: C0/C1 controls (ESC, BEL, CR, NEL...); Zl/Zp: line and paragraph separators;
    # Cf includes bidi overrides that reorder what the terminal shows; Cs: lone surrogates.
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs") or ch in _BIDI


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def printable(text: str) -> str:
    """``text`` with every control character escaped: always exactly one safe line."""
    if text.isprintable():  # fast path: the common case has nothing to escape
        return text
    return "".join(_escape_char(ch) if _unsafe(ch) else ch for ch in text)


def prose(text: str) -> str:
    """Untrusted multi-line text (a description): each line escaped, line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


def code_line(src: str) -> tuple[str, str]:
    """A line of a scenario's code as ``(code, comment)``, safe to print. A control
    character in the code (a form feed is valid Python whitespace) becomes one space, so
    the gates' columns stay right; the comment is escaped (it may hold ESC sequences that
    would drive the terminal)."""
    body = src.split("#", 1)[0]
    comment = src[len(body):].strip()
    if not body.isprintable():
        body = "".join(ch if printable(ch) == ch else " " for ch in body)
    return body.rstrip(), printable(comment)


def printable_code(code: str) -> str:
    """A scenario's whole code, every line made safe by :func:`code_line`."""
    out = []
    for src in code.split("\n"):
        body, comment = code_line(src)
        out.append(f"{body}  {comment}" if body and comment else body or comment)
    return "\n".join(out)
