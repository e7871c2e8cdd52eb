"""The engine, the number formatter, the presentation model, the message catalogue and
the style roles are pure: importing them pulls in no UI library.

Checked in a fresh interpreter, because this test process may already have imported
Textual for other tests.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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
    "tui_backprop.model",
    "tui_backprop.model.view",
    "tui_backprop.text",
    "tui_backprop.text.catalogue",
    "tui_backprop.text.glyphs",
    "tui_backprop.text.wrap",
    "tui_backprop.text.escape",
    "tui_backprop.render.roles",
    "tui_backprop.config",
])
def test_pure_modules_import_no_ui_library(module):
    assert _loaded_after_import(module) == []


def test_the_check_can_see_a_ui_import():
    """The probe itself works: importing Rich directly is reported."""
    assert "rich" in _loaded_after_import("rich")


@pytest.mark.parametrize("module", ["tui_backprop.engine", "tui_backprop.model.view",
                                    "tui_backprop.text.catalogue"])
def test_pure_packages_do_not_import_the_ui_package(module):
    code = (f"import sys, {module}\n"
            "print(any(m.startswith('tui_backprop.tui') for m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert proc.stdout.strip() == "False"
