"""For ``bench_serve.py --minimal-app`` only (this folder goes first on the server's
PYTHONPATH): every session the server starts runs ``minimal_app.MinimalStepApp``
instead of the debugger, so the room load measures the floor of one Textual app per
session over SSH on this machine.

Two replacements, each made when its module is first imported: in the server,
``tui_backprop.serve.spawn._python_env`` (which sets the sessions' PYTHONPATH to the
package alone) also puts this folder first, so the zygote and every session load this
file too; there, ``tui_backprop.tui.app.create_app`` returns the minimal app. Nothing
else changes: the same server, zygote, pty and SSH path."""

import importlib.abc
import importlib.util
import os
import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
_BENCHMARKS = str(Path(__file__).resolve().parents[1])


def _minimal_app(*args, **kwargs):
    if _BENCHMARKS not in sys.path:
        sys.path.insert(0, _BENCHMARKS)
    from minimal_app import MinimalStepApp

    return MinimalStepApp()


def _patch_app(module) -> None:
    module.create_app = _minimal_app


def _patch_spawn(module) -> None:
    original = module._python_env

    def _python_env(env):
        out = original(env)
        out["PYTHONPATH"] = os.pathsep.join([_HERE, out["PYTHONPATH"]])
        return out

    module._python_env = _python_env


_PATCHES = {"tui_backprop.tui.app": _patch_app, "tui_backprop.serve.spawn": _patch_spawn}


class _Patch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        patch = _PATCHES.get(name)
        if patch is None:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _Patch())
