"""Command palette providers (ctrl+p): go to a gate by name, open a scenario. The theme
switch comes from Textual's own system commands (their words from the catalogue). The
palette itself (:class:`Palette`) speaks the app's language and, in an ASCII session,
draws no emoji."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.command import (
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
    SearchIcon,
)
from textual.markup import escape
from textual.widgets.option_list import Option

from tui_backprop.engine import GATES, bundled
from tui_backprop.model.session import local_scenarios
from tui_backprop.text.escape import printable
from tui_backprop.tui.i18n import words_of

if TYPE_CHECKING:
    from tui_backprop.tui.app import BackpropApp


class _ListProvider(Provider):
    """A fixed list of ``(text, help, target)`` commands, each running :meth:`run`."""

    def _commands(self) -> list[tuple[str, str, str]]:
        raise NotImplementedError

    def run(self, target: str) -> None:
        raise NotImplementedError

    def _safe_commands(self) -> list[tuple[str, str, str]]:
        # the palette reads its texts as markup: names, titles and paths come from files,
        # so they are escaped (control characters and markup both)
        return [(escape(printable(text)), escape(printable(help_text)), target)
                for text, help_text, target in self._commands()]

    async def discover(self) -> Hits:
        for text, help_text, target in self._safe_commands():
            yield DiscoveryHit(text, partial(self.run, target), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, target in self._safe_commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self.run, target),
                          help=help_text)


class GotoNodeProvider(_ListProvider):
    """``go to f (*): f_1·z``: moves the cursor to that gate and selects it."""

    def _commands(self) -> list[tuple[str, str, str]]:
        app: BackpropApp = self.app  # type: ignore[assignment]
        session = app.session
        if session is None:
            return []
        w = words_of(app)
        out = []
        for node in session.timeline.graph.nodes:
            if node.is_leaf:
                help_text = w("tui.cmd.leaf", kind=w(f"kind.{node.kind}"))
            else:
                names = [r.name for r in node.inputs]
                help_text = w.s(f"{node.name} = " + GATES[node.op].formula(names, node.const))
            out.append((w("tui.cmd.goto", name=w.s(node.name), label=w.s(node.label)),
                        help_text, node.name))
        return out

    def run(self, target: str) -> None:
        self.app.goto_node(target)  # type: ignore[attr-defined]


class OpenScenarioProvider(_ListProvider):
    """``open cs231n-sigmoid``: bundled scenarios and local .toml files (or, in an app
    confined to a scenarios folder, that folder's scenarios only)."""

    def _commands(self) -> list[tuple[str, str, str]]:
        w = words_of(self.app)
        scenarios = getattr(self.app, "scenarios", None)
        if scenarios is not None:
            return [(w("tui.cmd.open", name=name), w.s(title), name)
                    for name, title in scenarios.entries()]
        out = [(w("tui.cmd.open", name=name), w.s(title), name) for name, title in bundled()]
        out += [(w("tui.cmd.open", name=w.s(path)), w("tui.cmd.local_file"), path)
                for path in local_scenarios([Path.cwd()])]
        return out

    def run(self, target: str) -> None:
        self.app.open_scenario(target)  # type: ignore[attr-defined]


class Palette(CommandPalette):
    """Textual's command palette with a placeholder in the app's language and, in an
    ASCII session, ``>`` for its search icon (Textual's is an emoji)."""

    def __init__(self, placeholder: str, *, ascii: bool, **kwargs) -> None:
        super().__init__(placeholder=placeholder, **kwargs)
        self._ascii = ascii

    def on_mount(self) -> None:
        if self._ascii:
            self.query_one(SearchIcon).icon = ">"

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own (textual/command.py), with its "No matches found" in the app's
        # language: a search that finds nothing says so after a short pause
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(words_of(self.app)("tui.cmd.no_match"),
                                      style="not bold")),
                    disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


#: Textual's system commands, by their English title (and the first word of their help,
#: where one title has two helps): the catalogue keys of the title and of the help. A
#: command not listed keeps Textual's words.
SYSTEM_COMMANDS = {
    ("Theme", None): ("tui.cmd.theme", "tui.cmd.theme_help"),
    ("Quit", None): ("tui.cmd.quit", "tui.cmd.quit_help"),
    ("Keys", "Hide"): ("tui.cmd.keys", "tui.cmd.keys_hide_help"),
    ("Keys", "Show"): ("tui.cmd.keys", "tui.cmd.keys_help"),
    ("Maximize", None): ("tui.cmd.maximize", "tui.cmd.maximize_help"),
    ("Minimize", None): ("tui.cmd.minimize", "tui.cmd.minimize_help"),
    ("Screenshot", None): ("tui.cmd.screenshot", "tui.cmd.screenshot_help"),
}
