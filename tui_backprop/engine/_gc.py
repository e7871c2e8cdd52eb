"""Pause the cyclic garbage collector while building large acyclic structures.

Parsing and recording allocate millions of small objects (AST nodes, steps, 0-d arrays)
and free none of them; each GC pass would rescan them all, making the work super-linear
in the number of gates. None of these objects form cycles, so pausing is safe.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def no_gc():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
