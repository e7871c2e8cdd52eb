"""Load a scenario ``.toml`` file into a :class:`Scenario` (see docs/scenario-format.md).

Scenario files are untrusted: they are read with :mod:`tomllib` and the ``code`` string
is parsed (never evaluated) by :mod:`.parse`. Every problem becomes a
:class:`~.errors.Diagnostic` with the file's own line and column where there is one.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from ._gc import no_gc
from .arrays import MAX_ARRAY_DIMS, MAX_ARRAY_ELEMENTS, _tname, _to_array  # noqa: F401 (re-exported limits)
from .errors import Diagnostic, ScenarioError
from .gates import FUNCTIONS
from .graph import Graph, Node
from .network import expand_network
from .parse import parse_graph

#: Refuse scenario files larger than this many bytes.
MAX_FILE_BYTES = 5_000_000
#: The most iterations a [train] table may ask for.
MAX_ITERATIONS = 1_000_000

TOP_KEYS = {"title", "description", "inputs", "params", "graph", "network", "train"}
GRAPH_KEYS = {"code", "output"}
TRAIN_KEYS = {"learning_rate", "iterations"}


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: its graph plus everything needed to show and train it."""

    title: str
    description: str
    graph: Graph
    path: str | None = None
    source: str = ""
    #: the file line holding line 1 of the graph's code (generated code: 0)
    code_line: int = 0
    learning_rate: float | None = None
    iterations: int = 1
    kind: str = "graph"  # graph | network

    @property
    def code(self) -> str:
        return self.graph.code

    @property
    def trains(self) -> bool:
        return self.learning_rate is not None

    def file_line(self, code_line: int | None) -> int | None:
        """The file's own line number for a line of the graph's code."""
        if code_line is None or self.kind != "graph":
            return None
        return self.code_line + code_line - 1

    def with_leaf(self, name: str, value) -> Scenario:
        """A copy with leaf ``name`` set to ``value`` (shape-checked)."""
        errs = _Errors(None, "")
        value = _to_array(value, name, errs, None)
        if value is None:  # ragged, too large, not numbers: say which
            raise ScenarioError(errs.items)
        return replace(self, graph=self.graph.with_leaf(name, value))


# -------------------------------------------------------------------------- locating


class _Errors:
    """Collects diagnostics and finds where keys sit in the TOML text."""

    def __init__(self, path: str | None, text: str):
        self.path = path
        self.lines = text.split("\n")
        self.items: list[Diagnostic] = []

    def add(self, message: str, line: int | None = None, col: int | None = None) -> None:
        self.items.append(Diagnostic(self.path, line, col, message))

    def locate(self, table: str | None, key: str | None = None,
               occurrence: int = 0) -> tuple[int | None, int | None]:
        """Line/column of ``key`` inside ``[table]`` (its ``occurrence``-th one for an
        array of tables), or of the table's header when ``key`` is None or not found."""
        header = re.compile(r"^\s*\[\[?\s*([A-Za-z_\"][\w.\-\" ]*?)\s*\]\]?\s*(#.*)?$")
        key_re = re.compile(r"^(\s*)(\"?)" + re.escape(key) + r"\2\s*=") if key else None
        current, counts = "", {"": 0}
        for i, line in enumerate(self.lines, 1):
            m = header.match(line)
            if m:
                current = m.group(1).replace(" ", "").replace('"', "")
                counts[current] = counts.get(current, -1) + 1
                if key is None and current == table and counts[current] == occurrence:
                    return i, line.index("[") + 1
                continue
            if key_re and current == (table or "") and counts[current] == occurrence:
                km = key_re.match(line)
                if km:
                    return i, len(km.group(1)) + 1
        if key is not None and table:
            return self.locate(table, None, occurrence)
        return None, None

    def at(self, message: str, table: str | None, key: str | None = None,
           occurrence: int = 0) -> None:
        self.add(message, *self.locate(table, key, occurrence))


def _code_start(errs: _Errors) -> tuple[int, int]:
    """(file line, column) where the first character of ``[graph] code`` sits."""
    line, col = errs.locate("graph", "code")
    if line is None:
        return 1, 1
    text = errs.lines[line - 1]
    m = re.search(r"=\s*(\"\"\"|'''|\"|')", text)
    if not m:
        return line, 1
    quote = m.group(1)
    rest = text[m.end():]
    if len(quote) == 3 and rest.strip() == "":
        return line + 1, 1  # TOML drops the newline right after an opening """
    return line, m.end() + 1


# ------------------------------------------------------------------------ values


def _check_name(name: str, table: str, errs: _Errors) -> bool:
    if not name.isidentifier() or keyword.iskeyword(name):
        errs.at(f"[{table}] name '{name}' is not a valid identifier", table, name)
        return False
    if name in FUNCTIONS or name == "T":
        errs.at(f"[{table}] name '{name}' is a function name", table, name)
        return False
    return True


# -------------------------------------------------------------------------- loading


def load_text(text: str, path: str | None = None) -> Scenario:
    """Parse a scenario's TOML ``text``; raises :class:`ScenarioError` with every error."""
    with no_gc():
        return _load_text(text, path)


def _load_text(text: str, path: str | None) -> Scenario:
    errs = _Errors(path, text)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        errs.add("invalid TOML: arrays or tables nested too deeply")
        raise ScenarioError(errs.items) from None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        msg = re.sub(r"\s*\(at end of document\)", "", msg)
        if m:
            errs.add(f"invalid TOML: {msg}", int(m.group(1)), int(m.group(2)))
        else:
            errs.add(f"invalid TOML: {msg}", len(errs.lines) if "end of document" in str(exc)
                     else None)
        raise ScenarioError(errs.items) from None
    if not data:
        errs.add("empty scenario: it needs at least a title and a [graph] or [network]")
        raise ScenarioError(errs.items)

    for key in data:
        if key not in TOP_KEYS:
            errs.at(f"unknown key '{key}' (expected one of: {', '.join(sorted(TOP_KEYS))})",
                    None if not isinstance(data[key], dict) else key,
                    key if not isinstance(data[key], dict) else None)
    title = data.get("title")
    if title is None:
        errs.add("missing required key 'title'", 1 if errs.lines else None)
    elif not isinstance(title, str):
        errs.at(f"'title' must be a string, got {_tname(title)}", None, "title")
    description = data.get("description", "")
    if not isinstance(description, str):
        errs.at(f"'description' must be a string, got {_tname(description)}", None,
                "description")
        description = ""

    learning_rate, iterations = _train(data.get("train"), errs)

    has_graph, has_net = "graph" in data, "network" in data
    if has_graph == has_net:
        errs.add("a scenario needs exactly one of [graph] or [network]"
                 if not has_graph else "use either [graph] or [network], not both",
                 *(errs.locate("network") if has_net else (None, None)))
        raise ScenarioError(errs.items)

    if has_net:
        for t in ("inputs", "params"):
            if t in data:
                errs.at(f"[{t}] cannot be used with [network] (it defines x, target, W and b)",
                        t)
        graph = expand_network(data["network"], errs)
        if errs.items or graph is None:
            raise ScenarioError(errs.items)
        return Scenario(title, description, graph, path, text, 0, learning_rate, iterations,
                        "network")

    leaves, values, bad = [], {}, set()
    for table, kind in (("inputs", "input"), ("params", "param")):
        section = data.get(table, {})
        if not isinstance(section, dict):
            errs.at(f"[{table}] must be a table", None, table)
            continue
        for name, raw in section.items():
            if not _check_name(name, table, errs):
                continue
            if name in values:
                errs.at(f"'{name}' is defined in both [inputs] and [params]", table, name)
                continue
            arr = _to_array(raw, f"[{table}] {name}", errs, errs.locate(table, name))
            if arr is None:
                bad.add(name)  # reported once here, not again wherever the code uses it
            else:
                values[name] = arr
                leaves.append(Node(name, kind, shape=arr.shape))

    g = data["graph"]
    if not isinstance(g, dict):
        errs.at("[graph] must be a table", None, "graph")
        raise ScenarioError(errs.items)
    for key in g:
        if key not in GRAPH_KEYS:
            errs.at(f"unknown key '{key}' in [graph] (expected code, output)", "graph", key)
    code = g.get("code")
    output = g.get("output")
    if not isinstance(code, str):
        errs.at("[graph] needs 'code', a string of assignments" if code is None else
                f"[graph] code must be a string, got {_tname(code)}", "graph",
                None if code is None else "code")
        raise ScenarioError(errs.items)
    if output is not None and not isinstance(output, str):
        errs.at(f"[graph] output must be a string, got {_tname(output)}", "graph", "output")
        output = None
    line0, col0 = _code_start(errs)
    graph, diags = parse_graph(code, leaves, values, output, poisoned=frozenset(bad))
    for d in diags:
        if d.line is None and d.message.startswith("output "):
            errs.at(d.message, "graph", "output")
        elif d.line is None:
            errs.add(d.message, *errs.locate("graph", "code"))
        else:
            errs.items.append(d.shifted(path, line0 - 1, col0 - 1))
    if errs.items:
        raise ScenarioError(errs.items)
    return Scenario(title, description, graph, path, text, line0, learning_rate, iterations)


def _train(section, errs: _Errors) -> tuple[float | None, int]:
    if section is None:
        return None, 1
    if not isinstance(section, dict):
        errs.at("[train] must be a table", None, "train")
        return None, 1
    for key in section:
        if key not in TRAIN_KEYS:
            errs.at(f"unknown key '{key}' in [train] (expected learning_rate, iterations)",
                    "train", key)
    lr = section.get("learning_rate")
    if lr is None:
        errs.at("[train] needs 'learning_rate'", "train")
    elif isinstance(lr, bool) or not isinstance(lr, int | float) or not np.isfinite(lr):
        errs.at("[train] learning_rate must be a finite number", "train", "learning_rate")
        lr = None
    it = section.get("iterations", 1)
    if isinstance(it, bool) or not isinstance(it, int) or not 1 <= it <= MAX_ITERATIONS:
        errs.at(f"[train] iterations must be a whole number from 1 to {MAX_ITERATIONS:,}",
                "train", "iterations")
        it = 1
    return (None if lr is None else float(lr)), it


def bundled_dir():
    """The folder of bundled scenarios: installed with the package as
    ``tui_backprop.scenarios``, or the checkout's top-level ``scenarios/``."""
    try:
        return resources.files("tui_backprop.scenarios")
    except ModuleNotFoundError:  # running from a source checkout
        return Path(__file__).resolve().parents[2] / "scenarios"


def bundled() -> list[tuple[str, str]]:
    """``(name, title)`` of every bundled scenario, sorted by name."""
    out = []
    for entry in sorted(bundled_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            try:
                title = tomllib.loads(entry.read_text("utf-8")).get("title", "")
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                title = "(unreadable)"
            out.append((entry.name[:-5], str(title)))
    return out


def resolve(name_or_path: str) -> str:
    """A path for a file path or the name of a bundled scenario (``cs231n-sigmoid``)."""
    p = Path(name_or_path)
    if p.exists() or "/" in name_or_path or name_or_path.endswith(".toml"):
        return str(p)
    entry = bundled_dir() / f"{name_or_path}.toml"
    if entry.is_file():
        return str(entry)
    return str(p)


def load(name_or_path: str) -> Scenario:
    """Load a scenario file (or bundled scenario by name); every failure is a
    :class:`ScenarioError` with a one-line message per problem."""
    path = resolve(name_or_path)
    p = Path(path)
    try:
        if p.is_dir():
            raise ScenarioError([Diagnostic(path, None, None, "is a directory, not a file")])
        if p.exists() and not p.is_file():  # a device or FIFO: could read forever
            raise ScenarioError([Diagnostic(path, None, None, "is not a regular file")])
        with p.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioError([Diagnostic(
                path, None, None, f"file is too large (at most {MAX_FILE_BYTES:,} bytes)")])
    except FileNotFoundError:
        raise ScenarioError([Diagnostic(path, None, None, "no such file (and no bundled "
                                        "scenario of that name; see 'tui-backprop list')")]
                            ) from None
    except PermissionError:
        raise ScenarioError([Diagnostic(path, None, None, "permission denied")]) from None
    except OSError as exc:
        raise ScenarioError([Diagnostic(path, None, None, exc.strerror or str(exc))]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError([Diagnostic(path, line, col,
                                        "file is not valid UTF-8 text")]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return load_text(text, path)
