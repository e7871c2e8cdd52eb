"""Style roles: what a piece of text *is* (a forward value, a gradient, the current gate),
named once and mapped to a style once.

Every renderer asks for a role, never a colour: forward values are green and gradients
red everywhere (as in the CS231n figures and in the TUI's help), local gradients are the
accent colour, and the phases take the colour of what they compute (forward: values;
seed and backward: gradients; update: accent). :data:`ANSI` maps each role to a Rich
style string in the terminal's own named colours, for terminal output such as the text
trace; the TUI's themed styles (``tui/look.py``) follow the same roles.

Pure: plain strings, no Rich import (Rich parses the strings where it draws).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["ANSI", "ROLES", "phase_role"]

#: Every role, with what it marks.
ROLES: Mapping[str, str] = MappingProxyType({
    "value": "a forward value (inputs, outputs, cached intermediates, params)",
    "gradient": "a gradient (upstream, contributions, grad_before/grad_after, the seed)",
    "local": "a local gradient (the chain rule's other factor)",
    "current": "the current gate or line",
    "name": "a node or variable name, an equation",
    "heading": "a section heading or table header",
    "muted": "secondary text (step numbers, counts, notes)",
    "explain": "an explanation sentence",
    "warn": "a warning",
    "error": "an error, or inf/nan",
    "ok": "a passed check",
})

#: Rich style strings in the 16 named ANSI colours (they survive every terminal; with
#: NO_COLOR Rich drops the colours and keeps bold/dim/italic/reverse).
ANSI: Mapping[str, str] = MappingProxyType({
    "value": "green",
    "gradient": "red",
    "local": "yellow",
    "current": "bold reverse",
    "name": "bold",
    "heading": "bold",
    "muted": "dim",
    "explain": "dim italic",
    "warn": "bold yellow",
    "error": "bold red",
    "ok": "green",
})

_PHASE_ROLES = MappingProxyType({"forward": "value", "seed": "gradient",
                                 "backward": "gradient", "update": "local"})


def phase_role(phase: str) -> str:
    """The role a phase's name is drawn in: the colour of what that phase computes."""
    return _PHASE_ROLES[phase]
