"""Process start-up for the ``tui-backprop`` command: the cheapest path to a first frame.

Two measured costs are avoided before anything heavy is imported:

- OpenBLAS starts a thread per core when numpy is imported (~50 ms of CPU on a 2-core
  machine, for matrices of a few elements). One thread is set unless the user chose.
- Importing Textual, Rich, numpy and the engine allocates hundreds of thousands of
  long-lived objects; the cyclic garbage collector rescans them in full collections
  (40-65 ms each, collecting nothing) during start-up and later while stepping. The
  collector is off from here until the first frame is on screen; then everything alive
  is moved to the permanent generation (``gc.freeze``) and collection resumes, so the
  step path only ever scans what the session allocates itself.

Only the command-line entry point does this: importing ``tui_backprop`` as a library, or
running the tests, leaves the interpreter's settings alone.
"""

from __future__ import annotations

import gc
import os

#: Environment variables with which a user chooses BLAS threading themselves.
_BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

_gc_paused = False


#: Sub-commands that never open the TUI: they keep the collector running (a long
#: ``trace --iterations`` must not grow without it).
_NO_TUI = frozenset({"list", "check", "trace", "gradcheck", "help", "serve", "export",
                     "-h", "--help", "--version"})


def prepare(argv: list[str] | None = None) -> None:
    """Call first thing in a process that will show the TUI (before numpy is imported)."""
    global _gc_paused
    if not any(name in os.environ for name in _BLAS_THREAD_VARS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    if argv and argv[0] in _NO_TUI:
        return
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def first_frame_shown() -> None:
    """Resume garbage collection once the first frame is up (no-op unless paused here)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


def main() -> int:
    """The console-script entry point: prepare, then run the CLI."""
    import sys

    prepare(sys.argv[1:])
    try:
        from .cli import main as cli_main

        return cli_main()
    finally:
        first_frame_shown()  # a command that never drew a frame (trace, check) ends here
