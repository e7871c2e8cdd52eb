"""What the TUI says when something fails that is not the user's file's fault (a bug in
tui-backprop, or the machine running out of memory): one printable line, so the session
can show it and go on.
"""

from __future__ import annotations

from tui_backprop.text.escape import printable


def failure_text(exc: BaseException) -> str:
    """One line saying why something failed that is not the user's file's fault."""
    if isinstance(exc, MemoryError):
        return "not enough memory for this; try fewer iterations or smaller arrays"
    if isinstance(exc, RecursionError):
        return "nested too deeply to follow"
    detail = printable(str(exc))[:200]
    return (f"an unexpected error inside tui-backprop ({type(exc).__name__}"
            + (f": {detail}" if detail else "") + "); please report it")
