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

from ..text.catalogue import Msg

#: Refuse any one array with more elements than this.
MAX_ARRAY_ELEMENTS = 100_000
#: Refuse arrays nested deeper than this.
MAX_ARRAY_DIMS = 4


class _Sink(Protocol):
    """Where errors go (``scenario._Errors``)."""

    def add(self, message: Msg, line: int | None = None, col: int | None = None) -> None: ...

    def at(self, message: Msg, table: str | None, key: str, *more) -> None: ...


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


#: A number beyond float64's range, as a message (:data:`TOO_LARGE` in English).
TOO_LARGE_MSG = Msg("diag.number.too_large")
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


def _to_array(value, where: str | Msg | None, errs: _Sink, loc) -> np.ndarray | None:
    """``value`` as a float64 array, or None after saying why not, prefixed by
    ``where`` (``[inputs] x``; None for no prefix). ``loc`` is ``(table, key[,
    occurrence])`` for :meth:`_Errors.locate` (looked up only on an error), or None for
    no position."""
    def bad(msg: Msg):
        if where is not None:
            msg = Msg("diag.value.at", where=where, problem=msg)
        if loc is None:
            errs.add(msg)
        else:
            errs.at(msg, *loc)
        return None

    if isinstance(value, bool):
        return bad(Msg("diag.array.expected", got=_tname(value)))
    if _is_number(value):
        f = _as_float(value)
        return bad(TOO_LARGE_MSG) if f is None else np.asarray(f)
    if not isinstance(value, list):
        return bad(Msg("diag.array.expected", got=_tname(value)))
    count = 0
    shape: list[int] = []
    stack = [(value, 0)]
    convert = False  # ints and too-large numbers need converting element by element
    while stack:
        v, depth = stack.pop()
        if isinstance(v, list):
            if depth >= MAX_ARRAY_DIMS:
                return bad(Msg("diag.array.dims", n=MAX_ARRAY_DIMS))
            if len(v) == 0:
                return bad(Msg("diag.array.empty"))
            if len(shape) <= depth:
                shape.append(len(v))
            elif shape[depth] != len(v):
                return bad(Msg("diag.array.ragged"))
            stack.extend((x, depth + 1) for x in v)
        elif not _is_number(v):
            return bad(Msg("diag.array.not_number", got=_tname(v)))
        else:
            if depth != len(shape):
                return bad(Msg("diag.array.ragged"))
            if type(v) is not float:
                if _as_float(v) is None:
                    return bad(TOO_LARGE_MSG)
                convert = True
            count += 1
            if count > MAX_ARRAY_ELEMENTS:
                return bad(Msg("diag.array.too_many", n=f"{MAX_ARRAY_ELEMENTS:,}"))
    if convert:
        value = _floats(value)
    try:
        arr = np.array(value, dtype=np.float64)
    except (ValueError, OverflowError):  # (checked above: cannot happen)
        return bad(Msg("diag.array.ragged"))
    if arr.shape != tuple(shape):
        return bad(Msg("diag.array.ragged"))
    return arr


def _floats(v):
    return [_floats(x) for x in v] if isinstance(v, list) else _as_float(v)


def _number(value, what: str, errs: _Sink, table: str | None, key: str) -> float | None:
    """A scalar number from the file, or None (with an error said at its line)."""
    if not _is_number(value):
        errs.at(Msg("diag.number.expected", what=what, got=_tname(value)), table, key)
        return None
    f = _as_float(value)
    if f is None:
        errs.at(Msg("diag.value.at", where=what, problem=TOO_LARGE_MSG), table, key)
    return f


#: The kind of a TOML value, as a message says it ("got a string").
_KINDS = {str: "diag.kind.string", dict: "diag.kind.table", bool: "diag.kind.boolean",
          list: "diag.kind.list", int: "diag.kind.integer", float: "diag.kind.float"}


def _tname(v) -> Msg:
    """What kind of value ``v`` is, as a message ("a string", "a table")."""
    if isinstance(v, TooLarge):
        return Msg("diag.kind.too_large")
    if isinstance(v, datetime.datetime):
        return Msg("diag.kind.datetime")
    if isinstance(v, datetime.date):
        return Msg("diag.kind.date")
    if isinstance(v, datetime.time):
        return Msg("diag.kind.time")
    return Msg(_KINDS.get(type(v), "diag.kind.other"))


def _say(value) -> str | Msg:
    """A value from the file quoted for a message: short and on one line (a string is
    quoted as ``repr`` quotes it; any other value is named by its kind)."""
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "...'"
    return _tname(value)
