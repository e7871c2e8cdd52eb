"""Load a scenario ``.toml`` file into a :class:`Scenario` (see docs/scenario-format.md).

Scenario files are untrusted: they are read with :mod:`tomllib` and the ``code`` string
is parsed (never evaluated) by :mod:`.parse`. Every problem becomes a
:class:`~.errors.Diagnostic` with the file's own line and column where there is one.
"""

from __future__ import annotations

import keyword
import math
import re
import tomllib
import unicodedata
from dataclasses import replace
from importlib import resources
from pathlib import Path

import numpy as np

from .._frozen import frozen
from ..text.catalogue import Msg
from ._gc import no_gc
from .arrays import (  # noqa: F401 (re-exported limits)
    MAX_ARRAY_DIMS,
    MAX_ARRAY_ELEMENTS,
    TOO_LARGE,
    TOO_LARGE_MSG,
    TooLarge,
    _as_float,
    _is_number,
    _number,
    _parse_float,
    _say,
    _tname,
    _to_array,
)
from .errors import Diagnostic, ScenarioError, diag, english
from .foreign import toml_detail
from .gates import FUNCTIONS
from .graph import Graph, Node
from .network import expand_network
from .parse import MAX_NAME, parse_graph
from .timeline import MAX_RECORD_BYTES, budget_msg, recording_bytes
from .tomlpos import CodeMap, KeyIndex

#: Refuse scenario files larger than this many bytes.
MAX_FILE_BYTES = 5_000_000
#: The most iterations a [train] table may ask for.
#: (lowered from 1,000,000: a vector graph on the numpy path runs ~50-250 us per iteration
#: so the most a `trace` may ask for still finishes in seconds)
MAX_ITERATIONS = 10_000

TOP_KEYS = {"title", "description", "inputs", "params", "graph", "network", "train"}
GRAPH_KEYS = {"code", "output"}
TRAIN_KEYS = {"learning_rate", "iterations"}


@frozen
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
    #: the file line of each line of the graph's code (empty for generated code)
    line_map: tuple[int, ...] = ()

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
        if self.line_map:
            return self.line_map[min(max(code_line, 1), len(self.line_map)) - 1]
        return self.code_line + code_line - 1

    def with_leaf(self, name: str, value) -> Scenario:
        """A copy with leaf ``name`` set to ``value`` (shape-checked)."""
        errs = _Errors(None, "")
        if not isinstance(value, np.ndarray):
            value = _to_array(value, name, errs, None)
        if value is None:  # ragged, too large, not numbers: say which
            raise ScenarioError(errs.items)
        return replace(self, graph=self.graph.with_leaf(name, value))


# -------------------------------------------------------------------------- locating


class _Errors:
    """Collects diagnostics and finds where keys sit in the TOML text (through one
    :class:`~.tomlpos.KeyIndex` built in a single pass, so each lookup is O(1))."""

    def __init__(self, path: str | None, text: str):
        self.path = path
        self.text = text
        self.items: list[Diagnostic] = []
        self._index: KeyIndex | None = None
        self.n_lines = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))

    @property
    def index(self) -> KeyIndex:
        if self._index is None:
            self._index = KeyIndex(self.text)
        return self._index

    def add(self, message: Msg, line: int | None = None, col: int | None = None) -> None:
        if line is not None:  # never past the end of the file
            line = max(1, min(line, self.n_lines))
        self.items.append(Diagnostic(self.path, line, col, message))

    def locate(self, table: str | None, key: str | None = None,
               occurrence: int = 0) -> tuple[int | None, int | None]:
        """Line/column of ``key`` inside ``[table]`` (a dotted table name; its
        ``occurrence``-th one for an array of tables), or of the table itself when
        ``key`` is None or not found."""
        index = self.index
        path: tuple = tuple(table.split(".")) if table else ()
        if path and path in index.arrays:
            path += (occurrence,)
        for p in ((path + (key,)) if key is not None else path, path):
            pos = index.get(p) if p else None
            if pos is not None:
                return index.line_col(pos.key)
        return None, None

    def at(self, message: Msg, table: str | None, key: str | None = None,
           occurrence: int = 0) -> None:
        self.add(message, *self.locate(table, key, occurrence))


# ------------------------------------------------------------------------ values


def _check_name(name: str, table: str, errs: _Errors) -> str | None:
    """The leaf name as code would spell it (NFKC, as Python normalises identifiers),
    or None after saying why it is not a name."""
    shown = _say(name)
    if not name.isidentifier() or keyword.iskeyword(name):
        errs.at(Msg("diag.name.invalid", table=table, name=shown), table, name)
        return None
    if len(name) > MAX_NAME:
        errs.at(Msg("diag.name.long", table=table, name=shown, n=MAX_NAME), table, name)
        return None
    norm = unicodedata.normalize("NFKC", name)
    if keyword.iskeyword(norm):
        errs.at(Msg("diag.name.invalid", table=table, name=shown), table, name)
        return None
    if norm in FUNCTIONS or norm == "T":
        errs.at(Msg("diag.name.function", table=table, name=shown), table, name)
        return None
    return norm


# -------------------------------------------------------------------------- loading


def load_text(text: str, path: str | None = None) -> Scenario:
    """Parse a scenario's TOML ``text``; raises :class:`ScenarioError` with every error."""
    with no_gc():
        return _load_text(text, path)


def _read_toml(text: str, errs: _Errors) -> dict:
    try:
        return tomllib.loads(text, parse_float=_parse_float)
    except RecursionError:
        errs.add(Msg("diag.toml.nested"))
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        msg = re.sub(r"\s*\(at end of document\)", "", msg)
        invalid = Msg("diag.toml.invalid", detail=toml_detail(msg))
        if m:
            errs.add(invalid, int(m.group(1)), int(m.group(2)))
        else:
            errs.add(invalid, errs.n_lines if "end of document" in str(exc) else None)
    except ValueError:
        # Python refuses to read an integer of more than 4,300 digits (it would take
        # quadratic time): find the literal to say where it is
        m = re.search(r"(?<![\w.])[+-]?\d[\d_]{4299,}", text)
        if m:
            line, col = KeyIndex.line_col_of(text, m.start())
            errs.add(TOO_LARGE_MSG, line, col)
        else:
            errs.add(Msg("diag.toml.unreadable"))
    raise ScenarioError(errs.items)


def _load_text(text: str, path: str | None) -> Scenario:
    errs = _Errors(path, text)
    data = _read_toml(text, errs) if text.strip() else {}
    if not data:
        errs.add(Msg("diag.scenario.empty"))
        raise ScenarioError(errs.items)

    for key in data:
        if key not in TOP_KEYS:
            errs.at(Msg("diag.key.unknown", key=_say(key),
                        expected=", ".join(sorted(TOP_KEYS))), None, key)
    title = data.get("title")
    if title is None:
        errs.add(Msg("diag.title.missing"), 1)
        title = ""
    elif not isinstance(title, str):
        errs.at(Msg("diag.key.string", key="title", got=_tname(title)), None, "title")
        title = ""
    description = data.get("description", "")
    if not isinstance(description, str):
        errs.at(Msg("diag.key.string", key="description", got=_tname(description)), None,
                "description")
        description = ""

    learning_rate, iterations = _train(data.get("train"), errs)

    has_graph, has_net = "graph" in data, "network" in data
    if has_graph == has_net:
        errs.add(Msg("diag.scenario.no_graph" if not has_graph else "diag.scenario.both"),
                 *(errs.locate("network") if has_net else (None, None)))
        raise ScenarioError(errs.items)

    if has_net:
        for t in ("inputs", "params"):
            if t in data:
                errs.at(Msg("diag.network.with_table", table=t), t)
        graph = expand_network(data["network"], errs)
        if errs.items or graph is None:
            raise ScenarioError(errs.items)
        _check_budget(graph, errs, "network")
        if errs.items:
            raise ScenarioError(errs.items)
        return Scenario(title, description, graph, path, text, 0, learning_rate, iterations,
                        "network")

    leaves, values, bad = [], {}, set()
    raw_names: dict[str, tuple[str, str]] = {}
    for table, kind in (("inputs", "input"), ("params", "param")):
        section = data.get(table, {})
        if not isinstance(section, dict):
            errs.at(Msg("diag.table.names", table=table, got=_tname(section)), None, table)
            continue
        for raw, value in section.items():
            name = _check_name(raw, table, errs)
            if name is None:
                if len(raw) > MAX_NAME and raw.isidentifier():  # the code may use it:
                    bad.add(unicodedata.normalize("NFKC", raw))  # no second error there
                continue
            if name in raw_names:
                other, other_table = raw_names[name]
                key = "diag.name.twice" + ("" if other == raw else ".normalised") + (
                    ".tables" if other_table != table else "")
                errs.at(Msg(key, name=_say(raw), other=_say(other)), table, raw)
                continue
            raw_names[name] = (raw, table)
            arr = _to_array(value, f"[{table}] {name}", errs, (table, raw))
            if arr is None:
                bad.add(name)  # reported once here, not again wherever the code uses it
            else:
                values[name] = arr
                leaves.append(Node(name, kind, shape=arr.shape))

    g = data["graph"]
    if not isinstance(g, dict):
        errs.at(Msg("diag.table.type", table="graph", got=_tname(g)), None, "graph")
        raise ScenarioError(errs.items)
    for key in g:
        if key not in GRAPH_KEYS:
            errs.at(Msg("diag.key.unknown_in", key=_say(key), table="graph",
                        expected=", ".join(sorted(GRAPH_KEYS))), "graph", key)
    code = g.get("code")
    output = g.get("output")
    if not isinstance(code, str):
        errs.at(Msg("diag.graph.no_code") if code is None else
                Msg("diag.graph.code_type", got=_tname(code)), "graph",
                None if code is None else "code")
        raise ScenarioError(errs.items)
    if output is not None and not isinstance(output, str):
        errs.at(Msg("diag.graph.output_type", got=_tname(output)), "graph", "output")
        output = None
    pos = errs.index.get(("graph", "code"))
    cmap = CodeMap.of(errs.index, pos) if pos is not None else None
    graph, diags = parse_graph(code, leaves, values, output, poisoned=frozenset(bad))
    for d in diags:
        if d.line is None and (d.key or "").startswith("diag.output."):
            errs.at(d.msg, "graph", "output")
        elif d.line is None or cmap is None:
            errs.add(d.msg, *errs.locate("graph", "code"))
        else:
            errs.add(d.msg, *cmap.position(d.line, d.col))
    if not errs.items:
        _check_budget(graph, errs, "graph")
    if errs.items:
        raise ScenarioError(errs.items)
    code_lines = code.count("\n") + 1
    line_map = tuple(cmap.position(k, None)[0] for k in range(1, code_lines + 1)) \
        if cmap is not None else ()
    line0 = line_map[0] if line_map else 1
    return Scenario(title, description, graph, path, text, line0, learning_rate, iterations,
                    line_map=line_map)


def _check_budget(graph: Graph, errs: _Errors, where: str) -> None:
    need = recording_bytes(graph)
    if need > MAX_RECORD_BYTES:
        errs.at(budget_msg(need, 1), where, None)


def _train(section, errs: _Errors) -> tuple[float | None, int]:
    if section is None:
        return None, 1
    if not isinstance(section, dict):
        errs.at(Msg("diag.table.type", table="train", got=_tname(section)), None, "train")
        return None, 1
    for key in section:
        if key not in TRAIN_KEYS:
            errs.at(Msg("diag.key.unknown_in", key=_say(key), table="train",
                        expected=", ".join(sorted(TRAIN_KEYS))), "train", key)
    lr = section.get("learning_rate")
    if lr is None:
        errs.at(Msg("diag.key.needs", table="train", key="learning_rate"), "train")
    else:
        lr = _number(lr, "[train] learning_rate", errs, "train", "learning_rate")
        if lr is not None and not math.isfinite(lr):
            errs.at(Msg("diag.train.lr_finite"), "train", "learning_rate")
            lr = None
    it = section.get("iterations", 1)
    if isinstance(it, bool) or not isinstance(it, int) or not 1 <= it <= MAX_ITERATIONS:
        hi = f"{MAX_ITERATIONS:,}"
        if not _is_number(it) or isinstance(it, bool):
            msg = Msg("diag.train.iterations.got", hi=hi, got=_tname(it))
        elif isinstance(it, TooLarge) or (isinstance(it, int) and it > 0):
            msg = Msg("diag.train.iterations.too_large", hi=hi)
        else:
            msg = Msg("diag.train.iterations", hi=hi)
        errs.at(msg, "train", "iterations")
        it = 1
    return lr, it


# --------------------------------------------------------------------- typed values


def parse_typed_value(text: str):
    """A number or nested list typed by a user (the TUI's edit box), read with exactly
    the rules of a scenario file: TOML syntax (never eval), ``nan``/``inf``/``-inf``
    allowed, numbers beyond float64's range refused as too large, at most
    ``MAX_ARRAY_ELEMENTS`` elements. Returns a float64 array (0-d for a number).

    Raises :class:`ScenarioError` holding one diagnostic without a position."""
    text = text.strip()

    def fail(msg: Msg):
        raise ScenarioError([Diagnostic(None, None, None, msg)])

    if not text or any(not ch.isprintable() for ch in text):
        fail(Msg("diag.typed.empty"))
    if len(text) > MAX_FILE_BYTES:
        fail(Msg("diag.typed.too_long", n=f"{MAX_FILE_BYTES:,}"))
    try:
        data = tomllib.loads("v = " + text, parse_float=_parse_float)
    except RecursionError:
        fail(Msg("diag.typed.nested"))
    except tomllib.TOMLDecodeError as exc:
        fail(Msg("diag.typed.invalid", detail=toml_detail(str(exc).split(' (at ')[0])))
    except ValueError:
        fail(TOO_LARGE_MSG)
    value = data.get("v")
    if set(data) != {"v"} or not (_is_number(value) or isinstance(value, list)):
        fail(Msg("diag.typed.single"))
    errs = _Errors(None, "")
    arr = _to_array(value, None, errs, None)
    if arr is None:
        fail(errs.items[0].msg)
    return arr


class CountError(ValueError):
    """A typed count that is not one: ``str()`` is the English sentence, :attr:`msg`
    the catalogue message for any language."""

    def __init__(self, msg: Msg):
        self.msg = msg
        super().__init__(english(msg))


def parse_count(text: str, lo: int = 1, hi: int = MAX_ITERATIONS, what: str = "iterations"
                ) -> int:
    """A whole number typed by a user (the TUI's train box, CLI flags): ASCII digits
    only (no signs, spaces inside, underscores or other scripts' digits), from ``lo`` to
    ``hi``. Raises :class:`CountError` (a :class:`ValueError`) with a one-line message."""
    text = text.strip()
    if not text or not (text.isascii() and text.isdigit()):
        raise CountError(Msg("diag.count.digits", what=what, got=_say(text)))
    if len(text.lstrip("0")) > len(str(hi)):
        raise CountError(Msg("diag.count.too_large", what=what, lo=f"{lo:,}", hi=f"{hi:,}"))
    value = int(text)
    if not lo <= value <= hi:
        raise CountError(Msg("diag.count.range", what=what, lo=f"{lo:,}", hi=f"{hi:,}",
                             got=f"{value:,}"))
    return value


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
            raise ScenarioError([diag(path, None, None, "diag.file.directory")])
        if p.exists() and not p.is_file():  # a device or FIFO: could read forever
            raise ScenarioError([diag(path, None, None, "diag.file.not_regular")])
        with p.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioError([diag(path, None, None, "diag.file.too_large",
                                      n=f"{MAX_FILE_BYTES:,}")])
    except FileNotFoundError:
        raise ScenarioError([diag(path, None, None, "diag.file.missing")]) from None
    except PermissionError:
        raise ScenarioError([diag(path, None, None, "diag.file.permission")]) from None
    except OSError as exc:
        # the system's own words (strerror) are in the C library's language
        raise ScenarioError([diag(path, None, None, "diag.file.os",
                                  detail=exc.strerror or str(exc))]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError([diag(path, line, col, "diag.file.utf8")]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return load_text(text, path)
