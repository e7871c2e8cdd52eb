"""The ``?`` / F1 help screen: the keys, what the colours mean, and the scenario's own
introduction."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from tui_backprop.text.escape import printable
from tui_backprop.tui.dialog import DialogScreen

KEYS = """\
| key | what it does |
|---|---|
| `→` `n` `space` | next step |
| `←` `p` | previous step (stepping back undoes exactly) |
| `home` / `end` | first / last step |
| `f` / `b` | end of the forward / backward pass |
| `u` | run the update and start the next iteration |
| `t` | train N more iterations on the fast path |
| `e` | edit the selected leaf's value (number or nested list) |
| `g` | gradient check: analytic vs numerical |
| `v` | switch circuit / code (narrow terminals) |
| `i` | switch inspector / values (narrow terminals) |
| `F` | full precision in the inspector |
| `!` | jump to the first non-finite value or gradient |
| `esc` | back to following the current step |
| `r` | reload the scenario from disk (also automatic) |
| `o` | open another scenario |
| `ctrl+p` | command palette: go to a gate, open a scenario, theme |
| `?` `F1` | this help · `q` quit |

Click a node in the circuit or a row in the values table to select it.
Forward values are **green**, gradients **red**, as in the CS231n notes.
"""


def reflow(text: str) -> str:
    """Join a description's hard-wrapped lines into paragraphs (list items keep their own
    lines), so the dialog wraps them at its own width."""
    out: list[str] = []
    for para in text.split("\n\n"):
        lines: list[str] = []
        for raw in para.split("\n"):
            line = raw.strip()
            starts_item = line[:2] in ("- ", "* ") or line[:1].isdigit() and ". " in line[:4]
            if lines and line and not starts_item:
                lines[-1] += " " + line
            elif line:
                lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


class HelpScreen(DialogScreen[None]):
    """Keys and the scenario's introduction; any of esc, q, ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    DEFAULT_CSS = """
    HelpScreen > VerticalScroll { width: 90%; max-width: 90; height: 90%; }
    """

    def __init__(self, title: str = "", description: str = "") -> None:
        super().__init__()
        self._title = title
        self._description = description.strip()

    def compose(self) -> ComposeResult:
        with VerticalScroll() as v:
            v.border_title = "Help · esc to close"
            yield Markdown("# tui-backprop\n\nStep gate by gate through the forward pass, "
                           "the backward pass and the update.\n\n## Keys\n\n" + KEYS)
            if self._title:
                # scenario text is untrusted plain text: never markup, and control
                # characters escaped (the description keeps its line breaks)
                yield Static(Text(printable(self._title), style="bold"),
                             classes="scenario-title")
                text = "\n".join(printable(line) for line in reflow(self._description).split("\n"))
                yield Static(Text(text), classes="scenario-description")
