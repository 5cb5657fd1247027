"""Take screenshots of built pages in Debian's chromium (for looking at the site, not a test).

Usage: python tools/screenshot.py URL OUT.png [--width 1280] [--full] [--clip Y HEIGHT]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--clip", type=int, nargs=2, metavar=("Y", "HEIGHT"))
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--no-js", action="store_true")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": args.width, "height": args.height},
                                      color_scheme="dark" if args.dark else "light",
                                      java_script_enabled=not args.no_js)
        page = context.new_page()
        page.goto(args.url, wait_until="networkidle")
        page.wait_for_timeout(800)
        if args.clip:
            page.screenshot(path=args.out, full_page=True,
                            clip={"x": 0, "y": args.clip[0], "width": args.width,
                                  "height": args.clip[1]})
        else:
            page.screenshot(path=args.out, full_page=args.full)
        browser.close()


if __name__ == "__main__":
    main()
