"""What the browser tools and the browser tests share: Debian's chromium, kept off every host but
127.0.0.1, and a quiet file-server handler that knows Pagefind's file types and answers a missing
page with the site's own 404 page (as a web server would be set up to)."""

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

    def send_error(self, code, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
