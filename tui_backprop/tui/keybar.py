"""The key bar: the screen's shown bindings on one line, every key clickable.

Textual's ``Footer`` composes one ``FooterKey`` widget per binding and recomposes all of
them whenever the bindings signal fires (three times during start-up and on every focus
change): measured, that rebuild after the first frame was the largest single cost of
start-up (the settled first frame ~200 ms later at 80x24). This is one widget that
renders one line of text instead; a click on a key runs it, as a Footer key does
(``app.simulate_key``), and the mouse pointer highlights the key under it.

Keys that do not fit whole are left out from the right (help and quit come first in the
bindings, so they always fit); a disabled key is drawn dim. Key names come from
``App.get_key_display`` (ASCII names in an ASCII session), descriptions are already in
the app's language (:func:`tui_backprop.tui.i18n.translate_bindings`).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

#: Cells between two keys.
GAP = 1
#: Keys shown before all others.
FIRST = frozenset({"question_mark", "q"})


class KeyBar(Widget):
    """One line of ``key description`` pairs for the screen's shown bindings."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--hover"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        .keybar--key { color: $footer-key-foreground; background: $footer-key-background;
                       text-style: bold; }
        .keybar--description { color: $footer-description-foreground;
                               background: $footer-description-background; }
        .keybar--hover { background: $block-hover-background; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._hover: str | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """Every shown binding of the screen, in order: ``(key, key name shown,
        description, enabled)``."""
        out = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = binding.key.split(",")[0]
            out.append((key, self.app.get_key_display(binding), binding.description,
                        active.enabled))
        # help and quit first, as nano does: on a narrow terminal they must survive;
        # then the screen's own order (active_bindings starts with the focused widget's
        # keys, so its order would change with the focus: ← before → on a scroll view)
        order = {key: i for i, key in enumerate(self.screen._bindings.key_to_bindings)}
        return sorted(out, key=lambda item: (item[0] not in FIRST,
                                             order.get(item[0], len(order))))

    def shown(self) -> list[tuple[str, str]]:
        """``(key name, description)`` of the keys that fit the bar's width."""
        return [(name, desc) for _key, name, desc, _on in self._fitting(self.size.width)]

    def _fitting(self, width: int) -> list[tuple[str, str, str, bool]]:
        out, used = [], 0
        for item in self.keys():
            _key, name, desc, _on = item
            cells = Text(f"{name} {desc}").cell_len
            if used + cells > width:
                break  # later keys are left out whole, never cut mid-word
            out.append(item)
            used += cells + GAP
        return out

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        desc_style = self.get_component_rich_style("keybar--description", partial=True)
        hover_style = self.get_component_rich_style("keybar--hover", partial=True)
        text = Text(no_wrap=True, overflow="crop", end="")
        for i, (key, name, desc, enabled) in enumerate(self._fitting(self.size.width)):
            if i:
                text.append(" " * GAP)
            click = Style(meta={"@click": f"app.simulate_key({key!r})"})
            extra = Style(dim=True) if not enabled else Style()
            if key == self._hover:
                extra += hover_style
            text.append(name, key_style + extra + click)
            text.append(f" {desc}", desc_style + extra + click)
        return text

    def on_mouse_move(self, event: events.MouseMove) -> None:
        action = event.style.meta.get("@click") if event.style else None
        key = None
        if isinstance(action, str) and action.startswith("app.simulate_key("):
            key = action[len("app.simulate_key('"):-2]
        if key != self._hover:
            self._hover = key
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
