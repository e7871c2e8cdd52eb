"""The Explain panel: one or two plain sentences on what the current step does and why,
in the reader's language: the step view's explanation (catalogue messages) as one
paragraph, wrapped to the panel's width (Chinese breaks between characters)."""

from __future__ import annotations

from rich.text import Text

from tui_backprop.model.view import StepView
from tui_backprop.render.words import Words
from tui_backprop.tui.lines import LinesView


def explain_text(view: StepView | None, w: Words) -> str:
    """The sentences for a step."""
    return "" if view is None else w.sentences(view.explanation)


class ExplainPanel(LinesView, can_focus=False):
    """One or two sentences, wrapped to the panel's width."""

    def show(self, view: StepView | None, w: Words) -> None:
        self.set_lines([Text(explain_text(view, w))])
