"""`virtquest screenshot --view VIEW [--level ID] [--lang ko|en] [--theme light|dark] OUT.png`."""

from __future__ import annotations

import argparse
import os

VIEWS = ("map", "lab", "quiz", "review", "sandbox", "progress", "settings")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "screenshot", help="render one view of the app to a PNG file (offscreen)",
        description="Render one view of the app offscreen at a fixed size and save it as PNG. "
                    "Language and theme default to the current profile's settings.")
    parser.add_argument("--view", choices=VIEWS, default="map", help="the view (default: map)")
    parser.add_argument("--level", metavar="ID", help="the level to open (lab view)")
    parser.add_argument("--question", metavar="ID", help="the question to show (quiz view)")
    parser.add_argument("--lang", choices=("ko", "en"), help="interface language")
    parser.add_argument("--theme", choices=("light", "dark"), help="colour theme")
    parser.add_argument("--scale", type=_scale, metavar="PERCENT",
                        help="text size, 100–200 (default: the profile's)")
    parser.add_argument("--size", type=_size, default=(1280, 800), metavar="WxH",
                        help="window size in pixels (default 1280x800)")
    parser.add_argument("out", metavar="OUT.png", help="where to write the picture")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from virtquest.gui.screenshot import render  # Qt loads only for this command

    path = render(args.view, args.out, level=args.level, question=args.question,
                  lang=args.lang, theme=args.theme, scale=args.scale, size=args.size)
    print(path)
    return 0


def _scale(text: str) -> float:
    try:
        percent = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage, got {text!r}") from None
    if not 100 <= percent <= 200:
        raise argparse.ArgumentTypeError("the text size goes from 100 to 200")
    return percent / 100


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError("the size must lie between 320x240 and 7680x4320")
    return width, height
