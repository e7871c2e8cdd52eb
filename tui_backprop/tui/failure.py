"""What the TUI says when something fails that is not the user's file's fault (a bug in
tui-backprop, or the machine running out of memory): one printable line in the app's
language, so the session can show it and go on.
"""

from __future__ import annotations

from tui_backprop.render.words import Words
from tui_backprop.text.escape import printable


def failure_text(exc: BaseException, w: Words | None = None) -> str:
    """One line saying why something failed that is not the user's file's fault."""
    w = w if w is not None else Words.of("en")
    if isinstance(exc, MemoryError):
        return w("tui.fail.memory")
    if isinstance(exc, RecursionError):
        return w("tui.fail.recursion")
    detail = printable(str(exc))[:200]
    what = type(exc).__name__ + (f": {detail}" if detail else "")
    return w("tui.fail.bug", what=w.s(what))
