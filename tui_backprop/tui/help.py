"""The ``?`` / F1 help screen: the keys, how to read the screen (what the colours and
markers mean), and the scenario's own introduction. Every word comes from the catalogue
in the app's language, every glyph from its glyph set; plain text (no Markdown), so an
ASCII terminal gets ASCII only and columns are padded in terminal cells."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_backprop.render.words import Words
from tui_backprop.text.escape import printable
from tui_backprop.tui.dialog import DialogScreen
from tui_backprop.tui.i18n import translate_bindings, words_of
from tui_backprop.tui.lines import pad_cells

#: ``(keys, catalogue key of what they do)``, in the order the help lists them.
KEYS = (
    ("→ n space", "tui.help.next"),
    ("← p", "tui.help.prev"),
    ("home / end", "tui.help.first_last"),
    ("f / b", "tui.help.fwd_bwd"),
    ("u", "tui.help.update"),
    ("t", "tui.help.train"),
    ("e", "tui.help.edit"),
    ("g", "tui.help.check"),
    ("v", "tui.help.view"),
    ("i", "tui.help.detail"),
    ("d", "tui.help.full"),  # also F, except in a class (there F is back to the presenter)
    ("!", "tui.help.nonfinite"),
    ("esc", "tui.help.follow"),
    ("r", "tui.help.reload"),
    ("o", "tui.help.open"),
    ("ctrl+p", "tui.help.palette"),
    ("? F1", "tui.help.help_quit"),
)


def help_text(w: Words, class_keys: list[tuple[str, str]] | tuple = ()) -> Text:
    """The help's own part (everything but the scenario's introduction); ``class_keys``
    are the served class's and the quiz's keys that apply to this session, as
    ``(key, catalogue key of what it does)``."""
    text = Text()
    text.append("tui-backprop\n", style="bold")
    text.append(w("tui.help.intro") + "\n\n")
    text.append(w("tui.help.keys") + "\n", style="bold underline")
    keys = [(w.s(k), w(what)) for k, what in KEYS]
    extra = [(w.s(k), w(what)) for k, what in class_keys]
    width = max(cell_len(k) for k, _ in keys + extra) + 2

    def rows(pairs: list[tuple[str, str]]) -> None:
        for k, what in pairs:
            text.append("  " + pad_cells(k, width), style="bold")
            text.append(what + "\n")

    rows(keys)
    if extra:
        text.append("\n" + w("tui.help.class_keys") + "\n", style="bold underline")
        rows(extra)
    text.append("\n" + w("tui.help.reading") + "\n", style="bold underline")
    text.append(w("tui.help.click") + "\n")
    text.append(w("tui.help.colours") + "\n")
    text.append(w("tui.help.markers", marker=w.s("▶"), partial=w.g.partial))
    return text


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

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "tui.key.close")]

    DEFAULT_CSS = """
    HelpScreen > VerticalScroll { width: 90%; max-width: 90; height: 90%; }
    HelpScreen .scenario-title { margin-top: 1; }
    """

    def __init__(self, title: str = "", description: str = "",
                 class_keys: list[tuple[str, str]] | tuple = ()) -> None:
        super().__init__()
        self._class_keys = class_keys
        self._w = words_of()
        translate_bindings(self, self._w)
        self._title = title
        self._description = description.strip()

    def compose(self) -> ComposeResult:
        w = self._w
        with VerticalScroll() as v:
            v.border_title = w("tui.help.title")
            yield Static(help_text(w, self._class_keys), classes="help-text")
            if self._title:
                # scenario text is untrusted plain text: never markup, and control
                # characters escaped (the description keeps its line breaks)
                yield Static(Text(w.s(printable(self._title)), style="bold"),
                             classes="scenario-title")
                text = "\n".join(w.s(printable(line))
                                 for line in reflow(self._description).split("\n"))
                yield Static(Text(text), classes="scenario-description")
