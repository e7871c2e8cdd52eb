"""Command palette providers (ctrl+p): go to a gate by name, open a scenario. The theme
switch comes from Textual's own system commands."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

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
