"""The base of every pop-up (edit, train, gradient check, help, picker): centred, one
framed container. Subclasses style only their own size and contents."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

T = TypeVar("T")


class DialogScreen(ModalScreen[T]):
    """A centred modal whose single top container gets the dialog frame (``$box``: round,
    or ASCII in an ASCII session)."""

    DEFAULT_CSS = """
    DialogScreen { align: center middle; }
    DialogScreen > * {
        border: $box $primary; background: $surface; padding: 0 1;
    }
    """
