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
from tui_backprop.tui.lines import Hanging, Prose, pad_cells

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


def help_lines(w: Words, class_keys: list[tuple[str, str]] | tuple = ()) -> list[Text]:
    """The help's own part (everything but the scenario's introduction), a ``Text`` per
    paragraph; ``class_keys`` are the served class's and the quiz's keys that apply to
    this session, as ``(key, catalogue key of what it does)``. A key's description
    wraps under itself, not under the keys."""
    lines = [Text("tui-backprop", style="bold"), Text(w("tui.help.intro")), Text()]
    lines.append(Text(w("tui.help.keys"), style="bold underline"))
    keys = [(w.s(k), w(what)) for k, what in KEYS]
    extra = [(w.s(k), w(what)) for k, what in class_keys]
    width = max(cell_len(k) for k, _ in keys + extra) + 2

    def rows(pairs: list[tuple[str, str]]) -> None:
        for k, what in pairs:
            row = Hanging(hang=2 + width, fallback=2)
            row.append("  " + pad_cells(k, width), style="bold")
            row.append(what)
            lines.append(row)

    rows(keys)
    if extra:
        lines += [Text(), Text(w("tui.help.class_keys"), style="bold underline")]
        rows(extra)
    lines += [Text(), Text(w("tui.help.reading"), style="bold underline"),
              Text(w("tui.help.click")), Text(w("tui.help.colours")),
              Text(w("tui.help.markers", marker=w.s("▶"), partial=w.g.partial))]
    return lines


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
            # Prose: Chinese breaks between characters, descriptions hang under their
            # column (a Static on its own breaks only at spaces)
            yield Static(Prose(help_lines(w, self._class_keys)), classes="help-text")
            if self._title:
                # scenario text is untrusted plain text: never markup, and control
                # characters escaped (the description keeps its line breaks)
                yield Static(Prose([Text(w.s(printable(self._title)), style="bold")]),
                             classes="scenario-title")
                lines = [Text(w.s(printable(line)))
                         for line in reflow(self._description).split("\n")]
                yield Static(Prose(lines), classes="scenario-description")
