"""Parse a scenario's ``[graph] code`` into gates with the ``ast`` module.

Nothing is ever evaluated: the source is only read as a syntax tree, and every node of
that tree must be one of a small fixed set (numbers, names, ``+ - * / ** @``, unary
``-``, parentheses, ``x.T`` and calls of the functions in :data:`gates.FUNCTIONS`).
Every operator or call becomes one gate; a binary operator with one constant operand
becomes a unary gate labelled with the constant (``*-1``, ``+1``, ``1/x``, ``**2``).
Errors are collected (not raised one by one) so ``check`` can report all of them.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import sys
import threading
import unicodedata
import warnings
from dataclasses import replace

from ..text.catalogue import Msg
from .errors import Diagnostic, diag
from .foreign import python_detail
from .gates import FUNCTIONS, GATES, OPERATORS, ShapeError, fmt_const
from .graph import Graph, Node, Ref, ref_shape

#: How deeply an expression may nest before it is refused (a runaway or hostile input).
MAX_DEPTH = 100
#: Stop reporting syntax errors after this many (the rest is likely one big mess).
MAX_SYNTAX_ERRORS = 20
#: The most gates one graph may have.
MAX_GATES = 100_000
#: The longest name (characters) a leaf or an assigned name may have: every name is
#: drawn in a box or under one, and a name a whole screen long helps nobody.
MAX_NAME = 64

#: The worker thread's stack for parsing a long flat chain (virtual memory: only the
#: pages a deep parse touches are used).
_DEEP_STACK = 1024 * 2**20

_POISON = object()  # the value of a name whose own line had an error: no cascades

#: What each refused kind of expression is called in "... not allowed" (catalogue keys).
_FORBIDDEN = {
    "Attribute": "diag.code.what.attribute",
    "Subscript": "diag.code.what.subscripts",
    "Lambda": "diag.code.what.lambda",
    "Compare": "diag.code.what.comparisons",
    "BoolOp": "diag.code.what.boolean",
    "IfExp": "diag.code.what.conditional",
    "List": "diag.code.what.list",
    "Tuple": "diag.code.what.tuples",
    "Dict": "diag.code.what.dicts",
    "Set": "diag.code.what.sets",
    "ListComp": "diag.code.what.comprehensions",
    "SetComp": "diag.code.what.comprehensions",
    "DictComp": "diag.code.what.comprehensions",
    "GeneratorExp": "diag.code.what.comprehensions",
    "JoinedStr": "diag.code.what.strings",
    "Await": "diag.code.what.await",
    "Yield": "diag.code.what.yield",
    "YieldFrom": "diag.code.what.yield",
    "NamedExpr": "diag.code.what.walrus",
    "Starred": "diag.code.what.starred",
    "Slice": "diag.code.what.slices",
}


#: One token of the cheap scan that runs before ``ast.parse`` (see :func:`gate_floor`):
#: what is ignored (a comment, an assignment's target, a called function's name, an
#: attribute such as ``.T``) or counted (a name or number operand), and the line and
#: statement ends. A number is a digit (or ``.digit``) and what follows it (letters for
#: ``1e5`` and ``0x1f``, a sign right after an exponent's ``e``).
_SCAN = re.compile(r"""
    (?P<comment>\#[^\n]*+)
  | (?P<target>[^\W\d]\w*+(?=[ \t]*=(?!=)))
  | (?P<call>[^\W\d]\w*+(?=[ \t]*\())
  | (?P<attr>\.[ \t]*[^\W\d]\w*+)
  | (?P<name>[^\W\d]\w*+)
  | (?P<number>(?:\d|\.\d)(?:[\w.]|(?<=[eE])[+-])*+)
  | (?P<end>[\n;])
""", re.VERBOSE)

_KEYWORDS = frozenset(keyword.kwlist)


def _nested() -> Msg:
    return Msg("diag.code.nested", n=MAX_DEPTH)


class _LineError(Exception):
    def __init__(self, node: ast.AST | None, message: Msg):
        self.node = node
        self.message = message


class _Parser:
    def __init__(self, code: str, leaves: list[Node], internal: bool):
        self.code = code
        self.lines = code.split("\n")
        self.internal = internal
        self.nodes: list[Node] = list(leaves)
        self.consts: dict[str, Node] = {}
        self.const_values: dict[str, float] = {}
        self.shapes = {n.name: n.shape for n in leaves}
        self.defined = set(self.shapes)
        self.poisoned: set[str] = set()
        self.errors: list[Diagnostic] = []
        self.last_assigned: str | None = None
        self.assigned_names: set[str] = set()
        self._utf8: dict[int, bytes] = {}

    # -- positions ---------------------------------------------------------------
    def _col(self, node: ast.AST | None) -> tuple[int | None, int | None]:
        if node is None or not hasattr(node, "lineno"):
            return None, None
        raw = self._utf8.get(node.lineno)
        if raw is None:  # ast columns count UTF-8 bytes; encode each line once
            line = self.lines[node.lineno - 1] if node.lineno - 1 < len(self.lines) else ""
            raw = self._utf8[node.lineno] = b"" if line.isascii() else line.encode("utf-8")
        if not raw:  # ASCII: bytes are characters
            return node.lineno, node.col_offset + 1
        col = len(raw[: node.col_offset].decode("utf-8", "replace")) + 1
        return node.lineno, col

    def error(self, node: ast.AST | None, message: Msg, line: int | None = None) -> None:
        ln, col = self._col(node)
        self.errors.append(Diagnostic(None, ln if ln is not None else line, col, message))

    # -- the walk ----------------------------------------------------------------
    def run(self) -> None:
        if not self.internal:  # (generated code is sized before it is written)
            crossed = gate_floor(self.code)
            if crossed is not None:
                self.errors.append(diag(None, *crossed, "diag.code.too_many_gates",
                                        n=f"{MAX_GATES:,}"))
                return
        try:
            tree = self._parse_deep()
            if tree is None:
                return
        except (RecursionError, MemoryError):
            self.errors.append(Diagnostic(None, None, None, _nested()))
            return
        except ValueError as exc:  # e.g. null bytes
            msg = " ".join(str(exc).split())
            detail = Msg("diag.code.null") if "null" in msg else python_detail(msg)
            self.errors.append(diag(None, None, None, "diag.code.syntax", detail=detail))
            return
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
                stmt.targets[0], ast.Name
            ):
                self.assigned_names.add(stmt.targets[0].id)
        for stmt in tree.body:
            self.statement(stmt)
        # syntax errors were found before the walk: report everything in line order
        self.errors.sort(key=lambda d: (d.line or 0, d.col or 0))

    def _parse_deep(self) -> ast.Module | None:
        """:meth:`_parse_recovering` with room for long flat chains.

        CPython builds the tree of a flat sum ``a + b + c + ...`` (a wide neuron's
        generated ``w*x + w*x + ...``) recursively, one level per term; true nesting
        stays capped by the C parser (200 parentheses) and by ``MAX_DEPTH``. A short
        chain parses under a raised recursion limit here; a long one (up to
        ``MAX_GATES`` terms) in a worker thread with a stack big enough for it."""
        limit = sys.getrecursionlimit()
        try:
            sys.setrecursionlimit(max(limit, 20_000))
            return self._parse_recovering()
        except RecursionError:
            if self.code.count("\n") + 1 > MAX_GATES and len(self.code) > 50 * MAX_GATES:
                raise
        finally:
            sys.setrecursionlimit(limit)
        self.errors.clear()
        self.poisoned.clear()
        result: dict = {}

        def work():
            try:
                result["tree"] = self._parse_recovering()
            except BaseException as exc:  # handed to the caller's thread
                result["error"] = exc

        old_stack = threading.stack_size()
        try:
            sys.setrecursionlimit(max(limit, 4 * MAX_GATES))
            threading.stack_size(_DEEP_STACK)
            worker = threading.Thread(target=work, name="tui-backprop-parse")
            worker.start()
            worker.join()
        finally:
            threading.stack_size(old_stack)
            sys.setrecursionlimit(limit)
        if "error" in result:
            raise result["error"]
        return result.get("tree")

    def _parse_recovering(self) -> ast.Module | None:
        """``ast.parse`` the code. After a syntax error the bad line is blanked (with the
        indented lines that continue it) and the rest parsed again, so ``check`` reports
        every bad line and the good lines are still checked; the name a blanked line
        assigns is poisoned (no cascade). At most ``MAX_SYNTAX_ERRORS`` reparses, so
        the cost stays linear in the code. Returns ``None`` when nothing more can be
        recovered."""
        lines = self.code.split("\n")
        blanked = 0
        for _ in range(MAX_SYNTAX_ERRORS + 1):
            try:
                with warnings.catch_warnings():
                    # "invalid decimal literal" and friends: the error (if any) is ours
                    # to report, and nothing else may reach stderr
                    warnings.simplefilter("ignore")
                    return ast.parse("\n".join(lines), mode="exec")
            except SyntaxError as exc:
                ln = exc.lineno
                if ln is None or not 1 <= ln <= len(lines) or not lines[ln - 1].strip():
                    if not blanked:
                        self._syntax_error(exc, len(lines))
                    return None
                # after a blanked line, an indented line is the tail of its statement
                if not (blanked and exc.msg == "unexpected indent"):
                    self._syntax_error(exc, len(lines))
                m = re.match(r"\s*([^\W\d]\w*)\s*=(?!=)", lines[ln - 1])
                if m:
                    self.poisoned.add(unicodedata.normalize("NFKC", m.group(1)))
                lines[ln - 1] = ""
                blanked += 1
                # the indented lines after it continue it: blank them in the same pass
                k = ln
                while k < len(lines) and (lines[k][:1] in (" ", "\t") or not lines[k].strip()):
                    lines[k] = ""
                    k += 1
                if len(self.errors) >= MAX_SYNTAX_ERRORS:
                    return None
        return None

    def _syntax_error(self, exc: SyntaxError, n_lines: int) -> None:
        msg = " ".join(str(exc.msg).split())
        if "parenthes" in msg and "nested" in msg:
            detail = _nested()
        elif msg.startswith("Exceeds the limit"):
            detail = Msg("diag.code.literal_long")
            if not (isinstance(exc.offset, int) and exc.offset > 0):  # Python gives none
                exc.offset = self._long_literal_col(exc.lineno)
        else:
            detail = python_detail(msg)
        line = exc.lineno
        if line is not None:
            line = max(1, min(line, n_lines))  # never past the end of the code
        # offset 0 means "somewhere on the line": columns are 1-based
        col = exc.offset if isinstance(exc.offset, int) and exc.offset > 0 else None
        self.errors.append(diag(None, line, col, "diag.code.syntax", detail=detail))

    def _long_literal_col(self, line: int | None) -> int | None:
        """The column of the first integer literal on ``line`` with more digits than
        Python converts (``sys.get_int_max_str_digits``), or None."""
        if line is None or not 1 <= line <= len(self.lines):
            return None
        most = sys.get_int_max_str_digits() or math.inf
        for m in re.finditer(r"(?<![\w.])\d[\d_]*", self.lines[line - 1]):
            if len(m.group()) - m.group().count("_") > most:
                return m.start() + 1
        return None

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            self.error(stmt, Msg("diag.code.reassigned", name=_short(stmt.target.id)))
            return
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)):
            self.error(stmt, Msg("diag.code.not_assignment"))
            return
        target = stmt.targets[0].id
        if target in self.defined or target in self.poisoned:
            self.error(stmt.targets[0], Msg("diag.code.reassigned", name=_short(target)))
            return
        if len(target) > MAX_NAME and not self.internal:
            self.error(stmt.targets[0], Msg("diag.code.name_long", n=MAX_NAME))
            self.poisoned.add(target)
            return
        if target in FUNCTIONS or target == "T":
            self.error(stmt.targets[0], Msg("diag.code.assign_function", name=target))
            self.poisoned.add(target)
            return
        start = len(self.nodes)
        try:
            result = self.expr(stmt.value, 0)
        except _LineError as exc:
            self.error(exc.node or stmt, exc.message, line=stmt.lineno)
            del self.nodes[start:]
            self.poisoned.add(target)
            return
        if result is _POISON:
            del self.nodes[start:]
            self.poisoned.add(target)
            return
        line_gates = [i for i in range(start, len(self.nodes)) if self.nodes[i].kind == "gate"]
        if not line_gates or not (isinstance(result, Ref) and result.node == self.nodes[
                line_gates[-1]].name):
            self.error(stmt.value, Msg("diag.code.no_operation", name=target))
            del self.nodes[start:]
            self.poisoned.add(target)
            return
        self._name_line(line_gates, target)
        self.defined.add(target)
        self.last_assigned = target

    def _name_line(self, line_gates: list[int], target: str) -> None:
        """Give the line's last gate the assigned name, inner gates ``target_1``, …"""
        renames: dict[str, str] = {}
        taken: set[str] = set()  # (a set: a long sum names thousands of inner gates)
        k = 0
        for pos in line_gates[:-1]:
            k += 1
            name = f"{target}_{k}"
            while name in self.assigned_names or name in self.defined or name in taken:
                name = "_" + name
            renames[self.nodes[pos].name] = name
            taken.add(name)
        renames[self.nodes[line_gates[-1]].name] = target
        for pos in line_gates:
            n = self.nodes[pos]
            inputs = tuple(Ref(renames.get(r.node, r.node), r.index) for r in n.inputs)
            self.nodes[pos] = replace(n, name=renames[n.name], inputs=inputs,
                                      named=renames[n.name] == target)
            self.shapes[renames[n.name]] = self.shapes.pop(n.name)
            self.defined.add(renames[n.name])

    def expr(self, node: ast.expr, depth: int):
        if depth > MAX_DEPTH:
            raise _LineError(node, _nested())
        kind = type(node).__name__
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, int | float):
                raise _LineError(node, Msg("diag.code.strings") if isinstance(v, str | bytes)
                                 else Msg("diag.code.constant", value=repr(v)))
            try:
                f = float(v)
            except OverflowError:  # an int literal beyond float range
                f = math.inf
            if math.isinf(f):  # 1e999 or a 400-digit integer: not a float64
                raise _LineError(node, Msg("diag.code.too_large"))
            return f
        if isinstance(node, ast.Name):
            if node.id in self.poisoned:
                return _POISON
            if node.id in self.defined:
                return Ref(node.id)
            if node.id in FUNCTIONS:
                raise _LineError(node, Msg("diag.code.function_name", name=node.id))
            if node.id in self.assigned_names:
                raise _LineError(node, Msg("diag.code.before_assigned", name=node.id))
            raise _LineError(node, Msg("diag.code.unknown_name", name=_short(node.id)))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return self.expr(node.operand, depth + 1)
            if not isinstance(node.op, ast.USub):
                raise _LineError(node, Msg("diag.code.operator", op=_opsym(node.op)))
            v = self.expr(node.operand, depth + 1)
            if v is _POISON:
                return v
            if isinstance(v, float):
                return -v
            return self.gate(node, "mul_const", [v], -1.0)
        if isinstance(node, ast.BinOp):
            # A flat chain a + b + c + ... nests to the left in the tree; walk it as a
            # loop so a long sum is not mistaken for deep nesting (same order: left first).
            chain = []
            while isinstance(node, ast.BinOp):
                chain.append(node)
                node = node.left
            a = self.expr(node, depth + 1)
            for binop in reversed(chain):
                a = self.binop(binop, a, self.expr(binop.right, depth + 1))
            return a
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Attribute):
            if node.attr != "T":
                raise _LineError(node, Msg("diag.code.attribute"))
            v = self.expr(node.value, depth + 1)
            if v is _POISON:
                return v
            if isinstance(v, float):
                raise _LineError(node, Msg("diag.code.transpose_number"))
            return self.gate(node, "transpose", [v])
        if isinstance(node, ast.Subscript) and self.internal:
            return self.subscript(node)
        what = Msg(_FORBIDDEN[kind]) if kind in _FORBIDDEN else Msg("diag.code.what.other",
                                                                   kind=kind)
        raise _LineError(node, Msg("diag.code.forbidden", what=what))

    def binop(self, node: ast.BinOp, a, b):
        """One binary operator: a gate, or a unary gate labelled by a constant operand."""
        opname = type(node.op).__name__
        if opname not in OPERATORS:
            raise _LineError(node, Msg("diag.code.operator", op=_opsym(node.op)))
        if a is _POISON or b is _POISON:
            return _POISON
        both, right_c, left_c = OPERATORS[opname]
        if isinstance(a, float) and isinstance(b, float):
            a = self.const(a)
        if isinstance(b, float):
            if right_c is None:
                raise _LineError(node, Msg("diag.code.matmul_number"))
            return self.gate(node, right_c, [a], b)
        if isinstance(a, float):
            if left_c is None:
                raise _LineError(node, Msg("diag.code.matmul_number"))
            return self.gate(node, left_c, [b], a)
        return self.gate(node, both, [a, b])

    def call(self, node: ast.Call, depth: int):
        if not isinstance(node.func, ast.Name):
            raise _LineError(node, Msg("diag.code.call"))
        fname = node.func.id
        allowed = FUNCTIONS.get(fname) or ("stack" if self.internal and fname == "stack" else None)
        if allowed is None:
            raise _LineError(node.func, Msg("diag.code.unknown_function", name=_short(fname)))
        if node.keywords:
            raise _LineError(node, Msg("diag.code.keywords", name=fname))
        spec = GATES[allowed]
        if spec.arity >= 0 and len(node.args) != spec.arity:
            raise _LineError(node, Msg("diag.code.arity.one" if spec.arity == 1
                                       else "diag.code.arity", name=fname, n=spec.arity,
                                       got=len(node.args)))
        args = [self.expr(a, depth + 1) for a in node.args]
        if any(a is _POISON for a in args):
            return _POISON
        refs = [self.const(a) if isinstance(a, float) else a for a in args]
        return self.gate(node, allowed, refs)

    def subscript(self, node: ast.Subscript):
        if not isinstance(node.value, ast.Name) or node.value.id not in self.defined:
            raise _LineError(node, Msg("diag.code.subscripts"))
        sl = node.slice
        elts = sl.elts if isinstance(sl, ast.Tuple) else [sl]
        if not all(isinstance(e, ast.Constant) and type(e.value) is int for e in elts):
            raise _LineError(node, Msg("diag.code.subscripts"))
        return Ref(node.value.id, tuple(e.value for e in elts))

    def const(self, c: float) -> Ref:
        name = const_name(c)
        if name not in self.consts:
            n = Node(name, "const", shape=())
            self.consts[name] = n
            self.const_values[name] = c
            self.shapes[name] = ()
        return Ref(name)

    def gate(self, node: ast.AST, op: str, inputs: list[Ref], c: float | None = None) -> Ref:
        spec = GATES[op]
        line, col = self._col(node)
        try:
            shape = spec.shape([ref_shape(self.shapes, r) for r in inputs], c)
        except ShapeError as exc:
            raise _LineError(node, Msg("diag.shape.mismatch", label=f"'{_label(op, c)}'",
                                       detail=exc.msg)) from None
        tmp = f"\0{len(self.nodes)}"
        end = getattr(node, "end_col_offset", None)
        self.nodes.append(Node(tmp, "gate", op, tuple(inputs), c, tuple(shape), line, col,
                               None if end is None else end + 1))
        self.shapes[tmp] = tuple(shape)
        return Ref(tmp)


def gate_floor(code: str, limit: int = MAX_GATES) -> tuple[int, int] | None:
    """Where ``code`` certainly needs more than ``limit`` gates: the code-relative
    ``(line, column)`` of the token that crosses the limit, or ``None``.

    A cheap scan, run before ``ast.parse`` (whose tree of a 2.5-million-term sum takes
    seconds and gigabytes). It counts a lower bound of the gates valid code would have:
    a statement with ``k`` name or number operands combines them with at least ``k - 1``
    gates (every operator and function takes at most two of them), and every ``.T`` is
    one more. Lines are counted apart (``k1 - 1 + k2 - 1`` never exceeds a two-line
    statement's ``k1 + k2 - 1``). Invalid code may be refused here instead of for its
    own error: it could not have fitted either. The scan stops at the crossing, so it
    reads at most about ``limit`` tokens (plus one per line)."""
    floor = 0  # gates certainly needed by the finished lines and every attribute
    k = 0  # operands on the current line (or statement, after a ';')
    line, line_start = 1, 0
    for m in _SCAN.finditer(code):
        kind = m.lastgroup
        if kind == "end":
            floor += max(0, k - 1)
            k = 0
            if m.group() == "\n":
                line, line_start = line + 1, m.end()
            continue
        if kind == "name":
            if m.group() in _KEYWORDS:
                continue
            k += 1
        elif kind == "number":
            k += 1
        elif kind == "attr":
            floor += 1
        else:
            continue
        if floor + max(0, k - 1) > limit:
            return line, m.start() - line_start + 1
    return None


def const_name(c: float) -> str:
    """The node name of a constant: its label (``2``, ``0.5``, ``-1``), never a valid
    identifier, so it cannot collide with a leaf or a name the code assigns (``inf``
    is named ``+inf``); ``-0.0`` is ``-0``, apart from ``0``."""
    name = fmt_const(c)
    if c == 0 and math.copysign(1.0, c) < 0:
        return "-0"
    if name.isidentifier():
        return "+" + name
    return name


def _short(name: str) -> str:
    """A name for a message: one longer than any valid name is cut (the message is one
    line, not a screenful)."""
    return name if len(name) <= MAX_NAME else name[:MAX_NAME] + "..."


def _label(op: str, c: float | None) -> str:
    return GATES[op].label.replace("{c}", fmt_const(c))


def _opsym(op: ast.AST) -> str:
    return {"Mod": "%", "FloorDiv": "//", "BitAnd": "&", "BitOr": "|", "BitXor": "^",
            "LShift": "<<", "RShift": ">>", "Not": "not", "Invert": "~"}.get(
        type(op).__name__, type(op).__name__)


def parse_graph(code: str, leaves: list[Node], leaf_values: dict, output: str | None = None,
                *, internal: bool = False, poisoned: frozenset[str] = frozenset()
                ) -> tuple[Graph | None, list[Diagnostic]]:
    """Parse ``code`` over ``leaves``. Returns the graph (``None`` on errors) and every
    diagnostic found, with code-relative lines and columns. Names in ``poisoned`` were
    declared but had an error of their own: lines using them are skipped silently."""
    p = _Parser(code, leaves, internal)
    p.poisoned.update(poisoned)
    p.run()
    if len([n for n in p.nodes if n.kind == "gate"]) > MAX_GATES:
        p.errors.append(diag(None, None, None, "diag.code.too_many_gates",
                             n=f"{MAX_GATES:,}"))
    if not p.errors and not p.assigned_names:
        p.errors.append(diag(None, None, None, "diag.code.empty"))
    if output is not None:
        output = unicodedata.normalize("NFKC", output)
        shown = repr(output) if len(output) <= 40 else repr(output[:36]) + "..."
        if any(n.name == output for n in leaves):
            p.errors.append(diag(None, None, None, "diag.output.leaf", name=shown))
        elif output not in p.defined and output not in p.poisoned:
            p.errors.append(diag(None, None, None, "diag.output.unassigned", name=shown))
    if p.errors or p.last_assigned is None:  # (None: every line used a poisoned name)
        return None, p.errors
    nodes = p.nodes[: len(leaves)] + list(p.consts.values()) + p.nodes[len(leaves):]
    values = dict(leaf_values)
    values.update(p.const_values)
    out = output or p.last_assigned
    errs, discrete = _check_indices(nodes, values)
    if errs:
        return None, errs
    return Graph(tuple(nodes), out, values, code, discrete), []


def _class_index_targets(nodes) -> list[tuple[Node, Ref]]:
    """``(gate, target ref)`` of every cross_entropy whose target is class indices
    (its shape is the logits' shape without the class axis)."""
    shapes = {n.name: n.shape for n in nodes}
    out = []
    for n in nodes:
        if n.kind == "gate" and n.op == "cross_entropy":
            z, t = n.inputs
            z_shape = shapes[z.node] if z.index is None else ()
            t_shape = shapes[t.node] if t.index is None else ()
            if t_shape != z_shape:
                out.append((n, t))
    return out


def _check_indices(nodes, values) -> tuple[list[Diagnostic], frozenset[str]]:
    """Class-index targets must be leaves holding whole numbers within the number of
    classes. Returns the errors and the names of the leaves used as class indices."""
    import numpy as np

    errs, discrete = [], set()
    kinds = {n.name: n.kind for n in nodes}
    shapes = {n.name: n.shape for n in nodes}
    for n, t in _class_index_targets(nodes):
        if kinds[t.node] == "gate":
            errs.append(diag(None, n.line, n.col, "diag.indices.computed"))
            continue
        idx = np.asarray(values[t.node], dtype=np.float64)
        if t.index is not None:
            idx = idx[t.index]
        z = n.inputs[0]
        k = (shapes[z.node] if z.index is None else ())[-1]
        if not np.all(np.isfinite(idx)) or np.any(idx != np.round(idx)) or np.any(
                idx < 0) or np.any(idx >= k):
            errs.append(diag(None, n.line, n.col, "diag.indices.range", name=t.node,
                             hi=k - 1))
        discrete.add(t.node)
    return errs, frozenset(discrete)
