"""The themes ``--theme`` and the command palette offer: Textual's own, plus ``projector``.

``projector`` is for a lecture hall: black on white (a projector in a lit room washes
out a dark background), dark saturated green values and red gradients with a contrast
ratio of at least 7:1 on white, numbers drawn bold (``BOLD_NUMBERS``), and borders in
plain black.
"""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

__all__ = ["BOLD_NUMBERS", "DEFAULT_THEME", "NO_COLOR_THEME", "PROJECTOR", "theme_names"]

DEFAULT_THEME = "textual-dark"
#: What ``NO_COLOR`` runs with: an ANSI theme, whose colours Textual's no-colour filter
#: removes completely (a truecolor theme would still be painted in greys).
NO_COLOR_THEME = "ansi-dark"

PROJECTOR = Theme(
    name="projector",
    primary="#0030B0",
    secondary="#00206E",
    accent="#8A00B8",
    warning="#7A4000",
    error="#B00000",
    success="#006000",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E4E4E4",
    boost="#EDEDED",
    dark=False,
    variables={
        # the text colours the panels use, set rather than derived, so each keeps its
        # contrast on white: 9.4:1 green, 8.3:1 red, 9.1:1 purple, 8.6:1 brown
        "text-success": "#005000",
        "text-error": "#A00000",
        "text-accent": "#6E0096",
        "text-warning": "#6A3800",
        "text-primary": "#0030B0",
        "text-muted": "#303030",
        "foreground-muted": "#303030",
        "border": "#000000",
        "border-blurred": "#404040",
        "footer-key-foreground": "#0030B0",
        "footer-description-foreground": "#000000",
        "block-cursor-text-style": "bold",
    },
)

#: Themes whose numbers are drawn bold.
BOLD_NUMBERS = frozenset({PROJECTOR.name})

EXTRA_THEMES = (PROJECTOR,)


def theme_names() -> list[str]:
    """Every theme name ``--theme`` accepts, Textual's first."""
    return [*BUILTIN_THEMES, *(t.name for t in EXTRA_THEMES)]
