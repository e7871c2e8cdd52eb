"""Numbers from a scenario file: a TOML number or nested list becomes a float64 array, or
a clear error. Shared by the ``[inputs]``/``[params]`` tables (:mod:`.scenario`) and the
``[network]`` table (:mod:`.network`), which is why it lives apart from both.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import datetime
import math
from typing import Protocol

import numpy as np

#: Refuse any one array with more elements than this.
MAX_ARRAY_ELEMENTS = 100_000
#: Refuse arrays nested deeper than this.
MAX_ARRAY_DIMS = 4


class _Sink(Protocol):
    """Where errors go (``scenario._Errors``)."""

    def add(self, message: str, line: int | None = None, col: int | None = None) -> None: ...

    def at(self, message: str, table: str | None, key: str, *more) -> None: ...


class TooLarge:
    """A TOML float literal beyond float64's range (``1e999``): TOML reads it as inf,
    but ``inf`` is only data when it is written as ``inf``."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def _parse_float(text: str):
    value = float(text)
    if math.isinf(value) and "inf" not in text:
        return TooLarge(text)
    return value


TOO_LARGE = "number too large (float64 holds at most about 1.8e308)"


def _as_float(v) -> float | None:
    """A TOML number as a float; None when it is outside float64's range."""
    if isinstance(v, TooLarge):
        return None
    if isinstance(v, int):
        try:
            return float(v)
        except OverflowError:
            return None
    return float(v)


def _is_number(v) -> bool:
    return isinstance(v, int | float | TooLarge) and not isinstance(v, bool)


def _to_array(value, where: str, errs: _Sink, loc) -> np.ndarray | None:
    """``value`` as a float64 array, or None after saying why not. ``loc`` is
    ``(table, key[, occurrence])`` for :meth:`_Errors.locate` (looked up only on an
    error), or None for no position."""
    def bad(msg):
        if loc is None:
            errs.add(f"{where}: {msg}")
        else:
            errs.at(f"{where}: {msg}", *loc)
        return None

    if isinstance(value, bool):
        return bad("expected a number or nested list of numbers, got a boolean")
    if _is_number(value):
        f = _as_float(value)
        return bad(TOO_LARGE) if f is None else np.asarray(f)
    if not isinstance(value, list):
        return bad(f"expected a number or nested list of numbers, got {_tname(value)}")
    count = 0
    shape: list[int] = []
    stack = [(value, 0)]
    convert = False  # ints and too-large numbers need converting element by element
    while stack:
        v, depth = stack.pop()
        if isinstance(v, list):
            if depth >= MAX_ARRAY_DIMS:
                return bad(f"arrays may have at most {MAX_ARRAY_DIMS} dimensions")
            if len(v) == 0:
                return bad("empty arrays are not allowed")
            if len(shape) <= depth:
                shape.append(len(v))
            elif shape[depth] != len(v):
                return bad("ragged array: rows have different lengths")
            stack.extend((x, depth + 1) for x in v)
        elif not _is_number(v):
            return bad(f"arrays hold numbers only, got {_tname(v)}")
        else:
            if depth != len(shape):
                return bad("ragged array: rows have different lengths")
            if type(v) is not float:
                if _as_float(v) is None:
                    return bad(TOO_LARGE)
                convert = True
            count += 1
            if count > MAX_ARRAY_ELEMENTS:
                return bad(f"array is too large (more than {MAX_ARRAY_ELEMENTS:,} elements)")
    if convert:
        value = _floats(value)
    try:
        arr = np.array(value, dtype=np.float64)
    except (ValueError, OverflowError):  # (checked above: cannot happen)
        return bad("ragged array: rows have different lengths")
    if arr.shape != tuple(shape):
        return bad("ragged array: rows have different lengths")
    return arr


def _floats(v):
    return [_floats(x) for x in v] if isinstance(v, list) else _as_float(v)


def _number(value, what: str, errs: _Sink, table: str | None, key: str) -> float | None:
    """A scalar number from the file, or None (with an error said at its line)."""
    if not _is_number(value):
        errs.at(f"{what} must be a number, got {_tname(value)}", table, key)
        return None
    f = _as_float(value)
    if f is None:
        errs.at(f"{what}: {TOO_LARGE}", table, key)
    return f


def _tname(v) -> str:
    if isinstance(v, TooLarge):
        return "a number too large for float64"
    if isinstance(v, datetime.datetime):
        return "a date and time"
    if isinstance(v, datetime.date):
        return "a date"
    if isinstance(v, datetime.time):
        return "a time of day"
    return {str: "a string", dict: "a table", bool: "a boolean", list: "a list",
            int: "an integer", float: "a float"}.get(type(v), "a value of another kind")


def _say(value) -> str:
    """A value from the file quoted for a message: short and on one line."""
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "...'"
    return _tname(value)
