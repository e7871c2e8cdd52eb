"""Glyph sets: every non-ASCII character a view draws, with its ASCII form, in one place.

A renderer asks :func:`glyphs` for the set of its mode and draws with its fields
(``g.partial``, ``g.times``, ``g.arrow`` ...). Text it did not write itself (gate
formulas such as ``σ(x)·(1-σ(x))``, catalogue sentences, formatted numbers with ``…``)
goes through :meth:`Glyphs.text`, which in ASCII mode rewrites the known glyphs
(:data:`ASCII_FORMS`) and escapes anything else that is not ASCII (a Chinese title, a
non-ASCII name) as ``\\uXXXX``, so ASCII output holds not one non-ASCII character.

Whether to draw ASCII is decided from the locale variables the process was started with
(:func:`locale_is_utf8`), not from Python's own encoding: Python switches a ``LANG=C``
process to UTF-8 by itself (PEP 538/540). Pure: no Textual, no Rich.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping

from .._frozen import frozen

__all__ = ["ASCII", "ASCII_FORMS", "UNICODE", "Glyphs", "glyphs", "locale_is_utf8",
           "to_ascii"]

#: Each non-ASCII glyph the views use, and what ASCII output writes instead. Longer
#: keys come first where one is a prefix of another (``½Σ`` before ``½``).
ASCII_FORMS: Mapping[str, str] = {
    "½Σ": "0.5*sum",
    "∂": "d",
    "×": "x",  # in shapes (2x3); products are drawn with Glyphs.times
    "·": "*",
    "⊙": "*",
    "²": "^2",
    "ᵀ": ".T",
    "σ": "sigmoid",
    "Σ": "sum ",
    "½": "1/2",
    "√": "sqrt",
    "→": "->",
    "←": "<-",
    "…": "...",
    "—": "-",
    "–": "-",
    "−": "-",  # the minus sign
    "─": "-",
    "━": "=",
    "═": "=",
    "│": "|",
    "⚠": "!",
    "●": "*",
    "▶": ">",  # the current line / row marker
    "✗": "x",  # a refusal in a dialog
    "±": "+/-",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "≈": "~=",
    "⁻": "^-",
    "¹": "1",
}

# √x and √(...) become sqrt(x) and sqrt(...): a bare "sqrtx" would not read as a call.
_SQRT_NAME = r"√([A-Za-z0-9_][A-Za-z0-9_.]*(?:\[[0-9,]*\])?)"
# The lecture writes a product by juxtaposition: σ(1 - σ) is σ times (1 - σ), σ being the
# gate's output, and σ(z)(1 - σ(z)) is σ(z) times (1 - σ(z)). Spelled out as
# "sigmoid(1 - sigmoid)" the first reads as sigmoid applied to (1 - sigmoid), so ASCII
# writes the product: sigmoid*(1 - sigmoid), sigmoid(z)*(1 - sigmoid(z)).
#: σ(...) whose parentheses hold a bare σ (a value, not a call): a product
_SIGMA_TIMES = r"(?<![\w'])σ(\([^()]*(?<![\w'])σ(?![\w(])[^()]*\))"
#: σ(...) followed at once by "(": a product
_SIGMA_CALL_TIMES = r"(σ\([^()]*\))(?=\()"
#: every glyph of ASCII_FORMS, as one pattern: compiled on the first ASCII conversion
#: (``re`` caches it), not on every start-up
_glyph_pattern: list[str] = []


def to_ascii(text: str) -> str:
    """``text`` with every glyph in its ASCII form; any other non-ASCII character (a
    Chinese title, a non-ASCII identifier) escaped as ``\\uXXXX``. Idempotent."""
    if text.isascii():
        return text
    if not _glyph_pattern:
        _glyph_pattern.append("|".join(re.escape(k) for k in ASCII_FORMS))
    text = re.sub(_SQRT_NAME, r"sqrt(\1)", text)
    if "σ" in text:
        text = re.sub(_SIGMA_TIMES, r"σ*\1", text)
        text = re.sub(_SIGMA_CALL_TIMES, r"\1*", text)
    text = re.sub(_glyph_pattern[0], lambda m: ASCII_FORMS[m.group(0)], text)
    text = text.replace("sum  ", "sum ").replace("sum (", "sum(")
    return text.encode("ascii", "backslashreplace").decode("ascii")


@frozen
class Glyphs:
    """The characters one output mode draws with."""

    ascii: bool
    partial: str  # ∂f/∂x
    times: str  # a product of two numbers: 1 × -4
    dot: str  # p - lr · ∂f/∂p
    arrow: str  # grad_before → grad_after
    assign: str  # p ← p - lr · dp
    ellipsis: str
    missing: str  # a value not computed yet
    rule: str  # a section rule
    heavy_rule: str  # the title rule
    header_rule: str  # under a table's header
    warning: str
    hadamard: str  # upstream ⊙ local_grad

    def text(self, s: str) -> str:
        """``s`` as this mode may print it (unchanged unless ASCII)."""
        return to_ascii(s) if self.ascii else s

    def d(self, out: str, wrt: str) -> str:
        """The partial derivative ``∂out/∂wrt``."""
        return self.text(f"{self.partial}{out}/{self.partial}{wrt}")


UNICODE = Glyphs(ascii=False, partial="∂", times="×", dot="·", arrow="→", assign="←",
                 ellipsis="…", missing="—", rule="─", heavy_rule="═", header_rule="─",
                 warning="⚠", hadamard="⊙")
ASCII = Glyphs(ascii=True, partial="d", times="*", dot="*", arrow="->", assign="<-",
               ellipsis="...", missing="-", rule="-", heavy_rule="=", header_rule="-",
               warning="!", hadamard="*")


def glyphs(ascii: bool) -> Glyphs:
    """The glyph set of a mode."""
    return ASCII if ascii else UNICODE


def locale_is_utf8(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the locale the process was started with can show UTF-8: the first set of
    ``LC_ALL``, ``LC_CTYPE``, ``LANG`` names a UTF-8 codeset (``en_US.UTF-8``,
    ``zh_CN.utf8``, ``C.UTF-8``). Unset (the POSIX locale), ``C``, ``POSIX`` or another
    codeset (``zh_CN.GB2312``) is not."""
    env = os.environ if environ is None else environ
    names = ("LC_ALL", "LC_CTYPE", "LANG")
    if environ is None and _coerced_c_locale():
        names = ("LC_ALL", "LANG")  # LC_CTYPE=C.UTF-8 is Python's, not the user's
    for var in names:
        value = env.get(var)
        if value:
            codeset = value.partition(".")[2].partition("@")[0]
            return codeset.lower().replace("-", "").replace("_", "") == "utf8"
    return False


def _coerced_c_locale() -> bool:
    """Whether Python itself set ``LC_CTYPE=C.UTF-8`` because the process started in the
    C/POSIX locale (PEP 538 coercion, which also turns on PEP 540's UTF-8 mode): then the
    terminal the user started us in was not declared UTF-8."""
    return (bool(sys.flags.utf8_mode) and os.environ.get("LC_CTYPE") == "C.UTF-8"
            and "PYTHONUTF8" not in os.environ)
