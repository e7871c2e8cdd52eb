"""The keys panel (command palette: Keys) in the app's language.

Textual's keys panel lists the bindings of the focused widget, the screen and the app,
with each binding's description. The app's own bindings are catalogue keys already
(:func:`tui_backprop.tui.i18n.translate_bindings`), but Textual's built-in ones (scroll
keys, tab / shift+tab, ctrl+c, ctrl+q, a text box's editing keys) are English literals
in Textual's classes. :class:`KeysHelpPanel` gives those the catalogue's words
(``tui.tkey.*``, found by the binding's action) before the panel lists them, without
changing Textual: the bindings of each node in the screen's binding chain are replaced
on that node, as :func:`translate_bindings` does for the app's own widgets.
"""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.widgets import HelpPanel, KeyPanel, Markdown
from textual.widgets._key_panel import BindingsTable

from tui_backprop.render.words import Words
from tui_backprop.tui.i18n import words_of

#: Textual's built-in actions -> the catalogue key of what they do (``tui.tkey.*``).
TEXTUAL_ACTIONS: dict[str, str] = {
    "quit": "quit",
    "command_palette": "command_palette",
    "app.command_palette": "command_palette",
    "app.focus_next": "focus_next",
    "app.focus_previous": "focus_previous",
    "screen.copy_text": "copy",
    "copy": "copy",
    "cut": "cut",
    "paste": "paste",
    "scroll_up": "scroll_up",
    "scroll_down": "scroll_down",
    "scroll_left": "scroll_left",
    "scroll_right": "scroll_right",
    "scroll_home": "scroll_home",
    "scroll_end": "scroll_end",
    "page_up": "page_up",
    "page_down": "page_down",
    "page_left": "page_left",
    "page_right": "page_right",
    "cursor_up": "cursor_up",
    "cursor_down": "cursor_down",
    "cursor_left": "cursor_left",
    "cursor_right": "cursor_right",
    "cursor_left(True)": "cursor_left_select",
    "cursor_right(True)": "cursor_right_select",
    "cursor_left_word": "cursor_left_word",
    "cursor_right_word": "cursor_right_word",
    "cursor_left_word(True)": "cursor_left_word_select",
    "cursor_right_word(True)": "cursor_right_word_select",
    "first": "first",
    "last": "last",
    "scroll_top": "top",
    "scroll_bottom": "bottom",
    "select": "select",
    "select_cursor": "select",
    "select_all": "select_all",
    "home": "home",
    "end": "end",
    "home(True)": "home_select",
    "end(True)": "end_select",
    "delete_left": "delete_left",
    "delete_right": "delete_right",
    "delete_left_word": "delete_left_word",
    "delete_right_word": "delete_right_word",
    "delete_left_all": "delete_left_all",
    "delete_right_all": "delete_right_all",
    "submit": "submit",
}


def translate_textual_bindings(node: DOMNode, w: Words) -> None:
    """Give ``node``'s bindings from Textual (a description that is no message of the
    app's language) the catalogue's words for their action, tooltip included. The
    app's own bindings, already in its language, are left alone. Idempotent."""
    known = _known_words(w)
    changed = False
    bindings = []
    for group in node._bindings.key_to_bindings.values():
        for b in group:
            key = TEXTUAL_ACTIONS.get(b.action)
            if key is not None and b.description and b.description not in known:
                tooltip = f"tui.tkey.{key}.tooltip"
                b = replace(b, description=w(f"tui.tkey.{key}"),
                            tooltip=w(tooltip) if b.tooltip and w.msgs.has(tooltip) else "")
                changed = True
            bindings.append(b)
    if changed:
        node._bindings = BindingsMap(bindings)


_KNOWN: dict[tuple[str, bool], frozenset[str]] = {}


def _known_words(w: Words) -> frozenset[str]:
    """Every message of ``w``'s language as it shows (what a translated binding says)."""
    lang = (w.msgs.lang, w.g.ascii)
    if lang not in _KNOWN:
        _KNOWN[lang] = frozenset(w.s(text) for text in w.msgs.table.values())
    return _KNOWN[lang]


class _BindingsTable(BindingsTable):
    """Textual's table of the screen's active bindings, listed after the bindings in
    its binding chain have their catalogue words."""

    def render_bindings_table(self) -> Table:
        w = words_of(self)
        for node, _ in self.screen._modal_binding_chain:
            translate_textual_bindings(node, w)
        return super().render_bindings_table()


class _KeyPanel(KeyPanel):
    def compose(self) -> ComposeResult:
        yield _BindingsTable(shrink=True, expand=False)


class KeysHelpPanel(HelpPanel):
    """Textual's keys panel (the help of the focused widget and the keys that apply),
    every description in the app's language."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="widget-help")
        yield _KeyPanel(id="keys-help")
