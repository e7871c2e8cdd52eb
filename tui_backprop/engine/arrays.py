"""Numbers from a scenario file: a TOML number or nested list becomes a float64 array, or
a clear error. Shared by the ``[inputs]``/``[params]`` tables (:mod:`.scenario`) and the
``[network]`` table (:mod:`.network`), which is why it lives apart from both.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

#: Refuse any one array with more elements than this.
MAX_ARRAY_ELEMENTS = 100_000
#: Refuse arrays nested deeper than this.
MAX_ARRAY_DIMS = 4


class _Sink(Protocol):
    """Where errors go (``scenario._Errors``)."""

    def add(self, message: str, line: int | None = None, col: int | None = None) -> None: ...


def _to_array(value, where: str, errs: _Sink, loc) -> np.ndarray | None:
    def bad(msg):
        if loc is None:
            errs.add(f"{where}: {msg}")
        else:
            errs.add(f"{where}: {msg}", *loc)
        return None

    if isinstance(value, bool):
        return bad("expected a number or nested list of numbers, got a boolean")
    if isinstance(value, int | float):
        return np.asarray(float(value))
    if not isinstance(value, list):
        return bad(f"expected a number or nested list of numbers, got {_tname(value)}")
    count = 0
    shape: list[int] = []
    stack = [(value, 0)]
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
        elif isinstance(v, bool) or not isinstance(v, int | float):
            return bad(f"arrays hold numbers only, got {_tname(v)}")
        else:
            if depth != len(shape):
                return bad("ragged array: rows have different lengths")
            count += 1
            if count > MAX_ARRAY_ELEMENTS:
                return bad(f"array is too large (more than {MAX_ARRAY_ELEMENTS:,} elements)")
    try:
        arr = np.array(value, dtype=np.float64)
    except (ValueError, OverflowError):
        return bad("ragged array: rows have different lengths")
    return arr


def _tname(v) -> str:
    return {str: "a string", dict: "a table", bool: "a boolean", list: "a list",
            int: "an integer", float: "a float"}.get(type(v), type(v).__name__)
