"""Helpers for the browser tests: build and serve the site, launch Chromium, record page traffic.

Nothing here needs a browser except `launch_chromium`; the link checker works on the files.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from tools.browser import CHROMIUM, CHROMIUM_ARGS, HOST, QuietHandler  # noqa: F401


def build_site(root: Path, out: Path, base_url: str) -> subprocess.CompletedProcess:
    """Run `build.py --quiet --out OUT --site-url URL` (each build stages its own Markdown)."""
    return subprocess.run(
        [sys.executable, str(root / "build.py"), "--quiet", "--out", str(out),
         "--site-url", base_url],
        capture_output=True, text=True, cwd=root, timeout=300)


class SiteServer:
    """http.server over the built site on 127.0.0.1, in a daemon thread.

    The port is bound at once (port 0: a free one), so the site can be built afterwards with
    the final URL; files are looked up per request, so the directory may appear later.
    """

    def __init__(self, directory: Path, port: int = 0) -> None:
        handler = functools.partial(QuietHandler, directory=str(directory))
        self.httpd = ThreadingHTTPServer((HOST, port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://{HOST}:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name="site-server")

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)


@dataclass
class Traffic:
    """What one browser context did: every request URL, console errors and page errors."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", self._failed)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _failed(self, request) -> None:
        # A fetch cancelled by the next navigation is not an error the reader sees.
        if request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.url} ({request.failure})")

    def _console(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(f"{message.text} [{location.get('url', '')}]")

    def other_hosts(self) -> list[str]:
        return [url for url in self.requests
                if urlparse(url).scheme not in ("data", "blob", "about")
                and urlparse(url).hostname != HOST]

    def assert_clean(self) -> None:
        """No request to any host but 127.0.0.1, no console error, no uncaught exception."""
        assert not self.other_hosts(), f"requests to other hosts: {self.other_hosts()}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.page_errors, f"page errors: {self.page_errors}"
        assert not self.failed, f"failed requests: {self.failed}"


# ---- internal links, checked on the files ---------------------------------------------------

class PageLinks(HTMLParser):
    """Collects a page's element ids and the URLs it links to or loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        if tag == "base" and attrs.get("href"):
            self.base = attrs["href"]
        if tag in ("a", "link", "area") and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag in ("img", "script", "source", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])


def parse_page(path: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_url(site: Path, file: Path, base_url: str) -> str:
    relative = file.relative_to(site).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return urljoin(base_url, relative)


def target_file(site: Path, base_url: str, url: str) -> Path | None:
    """The file a URL on our own origin points at (directory URLs -> index.html), or None."""
    base_path = urlparse(base_url).path
    path = unquote(urlparse(url).path)
    if not path.startswith(base_path):
        return None
    relative = path[len(base_path):]
    candidate = site / relative
    if relative == "" or relative.endswith("/"):
        candidate = candidate / "index.html"
    return candidate


def broken_links(site: Path, base_url: str) -> tuple[int, list[str]]:
    """How many internal href/src were checked, and those pointing to a missing file or anchor."""
    own = urlparse(base_url)
    parsed: dict[Path, PageLinks] = {}

    def page(path: Path) -> PageLinks:
        if path not in parsed:
            parsed[path] = parse_page(path)
        return parsed[path]

    problems, checked = [], 0
    for file in sorted(site.rglob("*.html")):
        here = page_url(site, file, base_url)
        links = page(file)
        for raw in links.urls:
            url = urljoin(urljoin(here, links.base) if links.base else here, raw)
            parts = urlparse(url)
            if parts.scheme not in ("http", "https") or parts.netloc != own.netloc:
                continue  # mailto:, javascript:, data: and other hosts are not ours
            checked += 1
            target = target_file(site, base_url, url)
            where = f"{file.relative_to(site)}: {raw}"
            if target is None or not target.is_file():
                problems.append(f"{where} -> 404")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in page(target).ids:
                problems.append(f"{where} -> missing anchor #{fragment}")
    return checked, problems
