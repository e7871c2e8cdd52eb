"""Regenerate the README's SVG screenshots from the current code:
``python docs/screens/regenerate.py`` (English, Unicode glyphs, the default theme)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui_backprop.tui.app import create_app

HERE = Path(__file__).resolve().parent

#: file name: (scenario, terminal size, keys pressed)
SCREENS = {
    "staged-fanout-120x40.svg": ("cs231n-staged", (120, 40), ["b", "left", "left"]),
    "sigmoid-backward-120x40.svg": ("cs231n-sigmoid", (120, 40), ["b"] + ["left"] * 5),
    "network-update-120x40.svg": ("network-2-2-2", (120, 40), ["end"]),
    "add-mul-backward-80x24.svg": ("add-mul", (80, 24), ["b"]),
    "nan-jump-80x24.svg": ("nan-explosion", (80, 24), ["exclamation_mark"]),
}


async def shoot(scenario: str, size: tuple[int, int], keys: list[str]) -> str:
    app = create_app(scenario, lang="en", ascii=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        return app.export_screenshot(title="tui-backprop")


def main() -> None:
    for name, (scenario, size, keys) in SCREENS.items():
        (HERE / name).write_text(asyncio.run(shoot(scenario, size, keys)), encoding="utf-8")
        print(name)


if __name__ == "__main__":
    main()
