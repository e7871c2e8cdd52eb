"""Number formatting shared by every view (TUI panels, text and markdown traces).

Pure: no Textual, no Rich. ``precision`` is a count of significant digits.
"""

from __future__ import annotations

import numpy as np

DEFAULT_PRECISION = 4


def fmt_scalar(x, precision: int = DEFAULT_PRECISION) -> str:
    """``-4``, ``0.7311``, ``1.235e-05``, ``nan``, ``inf``: short and exact enough to read."""
    x = float(x)
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 10 ** precision:
        return str(int(x))
    text = f"{x:.{precision}g}"
    if "e" in text:
        mant, exp = text.split("e")
        return f"{mant}e{int(exp)}"
    return text


def fmt_full(x) -> str:
    """Every digit float64 holds (``repr``), for the inspector's full-precision view."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 0:
        return repr(float(a))
    return np.array2string(a, precision=17, floatmode="unique", max_line_width=100,
                           threshold=10_000)


def fmt_shape(shape) -> str:
    return "×".join(str(d) for d in shape) if shape else "scalar"


def fmt_value(x, precision: int = DEFAULT_PRECISION, max_items: int = 6) -> str:
    """A scalar as :func:`fmt_scalar`; an array as a compact nested-list preview,
    eliding the middle beyond ``max_items`` per axis (``[1, 2, …, 9]``)."""
    if x is None:
        return "—"
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 0:
        return fmt_scalar(a, precision)

    def row(v, depth):
        if v.ndim == 0:
            return fmt_scalar(v, precision)
        n = v.shape[0]
        if n > max_items:
            half = max_items // 2
            parts = [row(v[i], depth + 1) for i in range(half)] + ["…"] + [
                row(v[i], depth + 1) for i in range(n - half, n)]
        else:
            parts = [row(v[i], depth + 1) for i in range(n)]
        return "[" + ", ".join(parts) + "]"

    return row(a, 0)


def to_json(x):
    """An array as nested lists of floats; non-finite numbers become "nan"/"inf"/"-inf"."""
    if x is None:
        return None
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 0:
        v = float(a)
        if np.isnan(v):
            return "nan"
        if np.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    return [to_json(v) for v in a]
