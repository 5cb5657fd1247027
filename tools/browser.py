"""What the browser tools and the browser tests share: Debian's chromium, kept off every host but
127.0.0.1, and a quiet file-server handler that knows Pagefind's file types."""

from __future__ import annotations

from http.server import SimpleHTTPRequestHandler
from pathlib import Path

HOST = "127.0.0.1"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing but loopback resolves: a request to any other host fails instead of leaving.
    f"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE {HOST}",
]


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript",
                      ".json": "application/json"}

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass
