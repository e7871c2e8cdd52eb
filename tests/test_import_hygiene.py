"""The engine, the number formatter, the presentation model (views and the session), the
message catalogue, the style roles and the circuit layout and canvas are pure: importing
them pulls in no UI library.

Checked in a fresh interpreter, because this test process may already have imported
Textual for other tests.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[1])

UI_LIBRARIES = ("textual", "rich")


def _loaded_after_import(module: str) -> list[str]:
    code = (
        "import json, sys\n"
        f"import {module}\n"
        f"ui = {UI_LIBRARIES!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ui)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", [
    "tui_backprop.engine",
    "tui_backprop.numfmt",
    "tui_backprop.engine.scenario",
    "tui_backprop.engine.timeline",
    "tui_backprop.engine.network",
    "tui_backprop.engine.gradcheck",
    "tui_backprop.engine.errors",
    "tui_backprop.engine.foreign",
    "tui_backprop.model",
    "tui_backprop.model.view",
    "tui_backprop.text",
    "tui_backprop.text.catalogue",
    "tui_backprop.text.glyphs",
    "tui_backprop.text.wrap",
    "tui_backprop.text.escape",
    "tui_backprop.render.roles",
    "tui_backprop.config",
    "tui_backprop.render.shapes",
    "tui_backprop.render.circuit_layout",
    "tui_backprop.render.circuit_canvas",
    "tui_backprop.model.session",
])
def test_pure_modules_import_no_ui_library(module):
    assert _loaded_after_import(module) == []


def test_the_check_can_see_a_ui_import():
    """The probe itself works: importing Rich directly is reported."""
    assert "rich" in _loaded_after_import("rich")


@pytest.mark.parametrize("module", ["tui_backprop.engine", "tui_backprop.model.view",
                                    "tui_backprop.model.session",
                                    "tui_backprop.render.circuit_layout",
                                    "tui_backprop.render.circuit_canvas",
                                    "tui_backprop.text.catalogue"])
def test_pure_packages_do_not_import_the_ui_package(module):
    code = (f"import sys, {module}\n"
            "print(any(m.startswith('tui_backprop.tui') for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert proc.stdout.strip() == "False"


def _relative_imports(path: Path) -> set[str]:
    """The sibling modules a module imports, anywhere in it (a function-level import
    too: that is how an import circle is usually papered over)."""
    tree = ast.parse(path.read_text("utf-8"))
    return {node.module for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}


def test_no_import_circle_between_scenario_and_network():
    engine = Path(_ROOT) / "tui_backprop" / "engine"
    assert "network" in _relative_imports(engine / "scenario.py")
    assert "scenario" not in _relative_imports(engine / "network.py")
