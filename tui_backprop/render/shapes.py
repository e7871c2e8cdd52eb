"""How the TUI names a tensor's shape: ``5×3`` for a matrix, ``(5,)`` for a vector (a bare
``5`` next to ``[-0.12]`` would read as a number), ``scalar`` for a scalar.

Pure (no Textual, no Rich): the circuit layout uses it too.
"""

from __future__ import annotations


def shape_label(shape: tuple[int, ...]) -> str:
    """``(5,)``, ``5×3``, ``2×3×4`` or ``scalar``."""
    if not shape:
        return "scalar"
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "×".join(str(d) for d in shape)
