"""A scenarios folder the app is confined to (``serve --scenarios DIR``).

A served session must open only the instructor's files. :class:`ScenarioDir` lists the
``.toml`` files under one folder by *name* (the path relative to the folder, without
``.toml``: ``week3/sigmoid``) and turns a name back into a file, refusing absolute paths,
``..``, hidden parts and anything (a symlink included) whose real path leaves the folder.
The app sends every open (picker, typed name, ``o``, command palette, ``--open``) through
:meth:`ScenarioDir.path_of`, so there is one gate to get right.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from tui_backprop.engine import MAX_FILE_BYTES, Diagnostic, ScenarioError
from tui_backprop.text.escape import printable

#: The picker lists at most this many files, from at most this deep in the folder.
MAX_ENTRIES = 500
MAX_DEPTH = 4


def _within(root: str, real: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


class ScenarioDir:
    """The scenarios under ``root``; nothing else can be opened through it."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = os.path.realpath(os.fspath(root))

    def __repr__(self) -> str:
        return f"ScenarioDir({self.root!r})"

    def names(self) -> list[str]:
        """Every scenario name, sorted (files whose real path stays inside the folder)."""
        out: list[str] = []
        root = self.root
        for folder, dirs, files in os.walk(root, followlinks=False):
            rel = os.path.relpath(folder, root)
            depth = 0 if rel == "." else rel.count(os.sep) + 1
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if depth < MAX_DEPTH else []
            for f in sorted(files):
                if f.startswith(".") or not f.endswith(".toml") or f == "pyproject.toml":
                    continue
                full = os.path.join(folder, f)
                real = os.path.realpath(full)
                if not _within(root, real) or not os.path.isfile(real):
                    continue
                name = os.path.relpath(full, root)[: -len(".toml")]
                out.append(name.replace(os.sep, "/"))
                if len(out) >= MAX_ENTRIES:
                    return sorted(out)
        return sorted(out)

    def entries(self) -> list[tuple[str, str]]:
        """``(name, title)`` for the picker and the command palette."""
        return [(name, self._title(name)) for name in self.names()]

    def _title(self, name: str) -> str:
        try:
            with open(self.path_of(name), "rb") as fh:
                raw = fh.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                return "(too large)"
            title = tomllib.loads(raw.decode("utf-8")).get("title", "")
        except (OSError, ScenarioError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return "(unreadable)"
        return printable(str(title))

    def path_of(self, name: str) -> str:
        """The real path of scenario ``name`` (``.toml`` optional), or a
        :class:`ScenarioError` saying why it is not one of this folder's scenarios."""
        shown = printable(name)

        def refuse(why: str) -> ScenarioError:
            return ScenarioError([Diagnostic(shown, None, None, why)])

        name = name.strip()
        if not name or "\x00" in name or "\\" in name:
            raise refuse("not a scenario name")
        if os.path.isabs(name) or name.startswith("~"):
            raise refuse("only the scenarios of this server can be opened (no paths)")
        parts = name.split("/")
        if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            raise refuse("only the scenarios of this server can be opened (no '..' "
                         "or hidden parts)")
        rel = name if name.endswith(".toml") else name + ".toml"
        real = os.path.realpath(os.path.join(self.root, rel))
        if not _within(self.root, real):
            raise refuse("only the scenarios of this server can be opened (it links "
                         "outside the scenarios folder)")
        if not os.path.isfile(real):
            raise refuse("no such scenario in the scenarios folder")
        return real

    def name_of(self, path: str | os.PathLike[str]) -> str | None:
        """The scenario name of ``path`` (a file in the folder), None if it is not one:
        what a served session shows instead of the server's own paths."""
        real = os.path.realpath(os.fspath(path))
        if not _within(self.root, real):
            return None
        rel = os.path.relpath(real, self.root)
        return (rel[: -len(".toml")] if rel.endswith(".toml") else rel).replace(os.sep, "/")

    def contains(self, path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` (a file) is inside the folder."""
        return _within(self.root, os.path.realpath(os.fspath(path)))


def as_scenario_dir(value: str | os.PathLike[str] | ScenarioDir | None) -> ScenarioDir | None:
    """``value`` as a :class:`ScenarioDir` (None stays None: no restriction)."""
    if value is None or isinstance(value, ScenarioDir):
        return value
    return ScenarioDir(Path(value))
