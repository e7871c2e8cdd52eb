"""The app's language and glyphs as the widgets reach them: :func:`words_of` (the
running app's :class:`~tui_backprop.render.words.Words`) and :func:`translate_bindings`
(key descriptions written as catalogue keys, ``"tui.key.next"``, shown in the app's
language in the footer, the help and the command palette)."""

from __future__ import annotations

from dataclasses import replace

from textual._context import active_app
from textual.binding import BindingsMap
from textual.dom import DOMNode

from tui_backprop.render.words import Words

#: Binding descriptions starting with this are catalogue keys.
KEY_PREFIX = "tui.key."


def words_of(node: DOMNode | None = None) -> Words:
    """The Words of the running app (English and Unicode outside a ``BackpropApp``)."""
    try:
        app = node.app if node is not None else active_app.get()
    except Exception:  # noqa: BLE001 - no app running (a widget built alone)
        app = None
    words = getattr(app, "words", None)
    return words if isinstance(words, Words) else Words.of("en")


def translate_bindings(node: DOMNode, words: Words | None = None) -> None:
    """Give ``node``'s bindings their descriptions in the app's language (call it from
    ``__init__``, before anything reads them)."""
    w = words if words is not None else words_of()
    bindings = [replace(b, description=w(b.description))
                if b.description.startswith(KEY_PREFIX) else b
                for group in node._bindings.key_to_bindings.values() for b in group]
    node._bindings = BindingsMap(bindings)
