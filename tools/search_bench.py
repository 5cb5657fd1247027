"""Search relevance benchmark: type each query into the site's own search box and score the results.

Usage:
    python tools/search_bench.py [--queries FILE] [--engine pagefind|material|both] [--site DIR]
                                 [--rebuild]

The queries file has one query a line, `query<TAB>expected title[|another acceptable title]`; blank
lines and lines starting with `#` are ignored. A title matches when it equals a result's title after
case-folding and turning punctuation into spaces ("5 Resultater" matches "5. Resultater").

Without --site the site is built with build.py into build/bench-<engine>/ (with that --search and a
--site-url for the port it is served on, the same port as last time where it is free). build.py
runs every time: its own content-hash cache makes that a no-op when no input changed; --rebuild
passes it --clean. With --site DIR an already built site is
served as it is, and the engine is read from it (a pagefind/ folder or search/search_index.json).

The site is served on 127.0.0.1 from a small thread-bounded http.server; Debian's chromium (headless,
through playwright) opens the home page, and each query is typed into the search box key by key.
When the results have settled, the top-level result titles are read in the order shown.

Output, per engine: one line per query (the rank of the first expected title, or MISS, then the first
three titles), then exactly `hit@1 X.XX hit@3 Y.YY`. With --engine both, Material runs first and
Pagefind (the site's default) last, so the last line is always the figures for Pagefind.

Exit status: 0 after a run; 1 when the build, the server or the browser fails; 2 for a malformed
queries file or bad arguments (one error line naming the file and line).
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QUERIES = ROOT / "search" / "queries.tsv"
ENGINES = ("pagefind", "material")

sys.path.insert(0, str(ROOT))
from tools.browser import CHROMIUM, CHROMIUM_ARGS, QuietHandler  # noqa: E402

BUILD_TIMEOUT_S = 300       # one site build
SETTLE_TIMEOUT_S = 10.0     # one query's results
SETTLE_QUIET_S = 0.3        # results unchanged this long (and final) count as settled
POLL_S = 0.1
TYPING_DELAY_MS = 20        # between key presses
SERVER_THREADS = 8          # at most this many requests handled at once
REQUEST_TIMEOUT_S = 15      # socket timeout of one connection


class QueryFileError(Exception):
    """A malformed queries file; str() is the one-line message with file and line."""


class BenchError(Exception):
    """The build, the server or the browser failed."""


# ---- queries ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    line: int
    text: str
    expected: tuple[str, ...]


def normalize(title: str) -> str:
    """Compare titles without case, punctuation or spacing differences."""
    words = re.sub(r"[\W_]+", " ", title.casefold())
    return " ".join(words.split())


def read_queries(path: Path) -> list[Query]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise QueryFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    queries: list[Query] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue

        def fail(problem: str, number: int = number, line: str = line) -> QueryFileError:
            return QueryFileError(f"{path}:{number}: {problem} "
                                  f"(expected 'query<TAB>title[|title]', got {line!r})")

        parts = line.split("\t")
        if len(parts) < 2:
            raise fail("no tab between the query and the expected title")
        if len(parts) > 2:
            raise fail("more than one tab")
        query, titles = parts[0].strip(), [t.strip() for t in parts[1].split("|")]
        if not query:
            raise fail("empty query")
        if not all(titles):
            raise fail("empty expected title")
        key = normalize(query)
        if key in seen:
            raise fail(f"duplicate query (first on line {seen[key]})")
        seen[key] = number
        queries.append(Query(number, query, tuple(titles)))
    if not queries:
        raise QueryFileError(f"{path}:1: no queries in the file")
    return queries


# ---- the site ----------------------------------------------------------------------------------

_HEADERLINK = re.compile(r'<a[^>]*class="headerlink"[^>]*>.*?</a>', re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def page_titles(site: Path) -> dict[str, list[str]]:
    """normalized title -> the pages (paths) whose first heading it is."""
    titles: dict[str, list[str]] = {}
    for page in sorted(site.rglob("index.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        article = text.split('class="md-content__inner', 1)[-1]
        match = _H1.search(_HEADERLINK.sub("", article))
        if match:
            title = html.unescape(_TAG.sub("", match.group(1)))
            titles.setdefault(normalize(title), []).append(str(page.parent.relative_to(site)))
    return titles


def check_titles(queries: list[Query], titles: dict[str, list[str]], path: Path) -> list[str]:
    """Fail on an expected title no page has; return warnings for titles several pages share."""
    warnings = []
    for query in queries:
        for title in query.expected:
            pages = titles.get(normalize(title))
            if not pages:
                raise QueryFileError(f"{path}:{query.line}: no page in the built site is titled "
                                     f"{title!r}")
            if len(pages) > 1:
                warnings.append(f"{path}:{query.line}: {len(pages)} pages are titled {title!r} "
                                f"({', '.join(pages)}); any of them counts as a hit")
    return warnings


def detect_engine(site: Path) -> str | None:
    if (site / "pagefind" / "pagefind.js").is_file():
        return "pagefind"
    if (site / "search" / "search_index.json").is_file():
        return "material"
    return None


class _Handler(QuietHandler):
    timeout = REQUEST_TIMEOUT_S


class BoundedServer(ThreadingHTTPServer):
    """http.server on a thread per request, but never more than SERVER_THREADS at once."""

    daemon_threads = True

    def __init__(self, address, handler) -> None:
        self._slots = threading.BoundedSemaphore(SERVER_THREADS)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def bind_server(site: Path, preferred_port: int = 0) -> BoundedServer:
    """Bind 127.0.0.1 (the preferred port if it is free, else any free port); not yet serving."""
    handler = functools.partial(_Handler, directory=str(site))
    if preferred_port:
        try:
            return BoundedServer(("127.0.0.1", preferred_port), handler)
        except OSError:
            pass
    return BoundedServer(("127.0.0.1", 0), handler)


class Serving:
    """Serve a bound server in a background thread for the duration of a with-block."""

    def __init__(self, server: BoundedServer) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                       name="search-bench-http", daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def prepare_site(engine: str, rebuild: bool) -> tuple[Path, BoundedServer]:
    """The bench build for engine and a server bound to the port it was built for (the last
    run's port where it is free). build.py's own cache skips an unchanged build."""
    site = ROOT / "build" / f"bench-{engine}"
    stamp = ROOT / "build" / f"bench-{engine}.json"
    try:
        previous_port = int(json.loads(stamp.read_text(encoding="utf-8"))["port"])
    except (OSError, ValueError, KeyError, TypeError):
        previous_port = 0
    server = bind_server(site, previous_port)
    port = server.server_address[1]
    url = f"http://127.0.0.1:{port}/"
    print(f"building {site.relative_to(ROOT)} (--search {engine}, --site-url {url}) ...",
          file=sys.stderr, flush=True)
    command = [sys.executable, str(ROOT / "build.py"), "--quiet", "--search", engine,
               "--out", str(site), "--site-url", url, *(["--clean"] if rebuild else [])]
    try:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                                timeout=BUILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        server.server_close()
        raise BenchError(f"build.py took longer than {BUILD_TIMEOUT_S} s") from None
    if result.returncode != 0:
        server.server_close()
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BenchError("build.py failed: " + (detail[-1] if detail
                                                else f"exit {result.returncode}"))
    stamp.write_text(json.dumps({"engine": engine, "port": port, "site_url": url}) + "\n",
                     encoding="utf-8")
    return site, server


# ---- the browser -------------------------------------------------------------------------------

# Each returns {ready, titles}: ready once the engine shows the final results for the typed query.
SNAPSHOT_JS = {
    "pagefind": """(query) => {
        const panel = document.getElementById("site-search");
        const input = panel && panel.querySelector(".site-search__input");
        const status = panel && panel.querySelector(".site-search__status");
        const titles = Array.from(panel ? panel.querySelectorAll(".site-search__title") : [])
            .map((title) => title.textContent.trim());
        // assets/search.js marks the panel done, with the query it answered, once it has shown
        // that query's results.
        const ready = !!input && input.value === query && panel.dataset.state === "done" &&
            panel.dataset.query === query;
        return { ready: ready, titles: titles, message: status ? status.textContent.trim() : "" };
    }""",
    "material": """(query) => {
        const input = document.querySelector(".md-search__input");
        const meta = document.querySelector(".md-search-result__meta");
        const text = meta ? meta.textContent.trim() : "";
        const titles = Array.from(document.querySelectorAll(
                ".md-search-result__list > li.md-search-result__item"))
            .map((item) => {
                const article = item.querySelector("article");
                const heading = article && article.querySelector("h1, h2, h3, h4, h5, h6");
                return heading ? heading.textContent.trim() : "";
            });
        // Material's nb texts: "Starter søk", "Skriv søkeord" before results; "N treff" or "Ingen treff".
        const ready = !!input && input.value === query && /^(\\d+ treff|Ingen treff)$/.test(text);
        return { ready: ready, titles: titles, message: text };
    }""",
}


@dataclass
class Result:
    query: Query
    titles: list[str]
    rank: int | None   # 1-based rank of the first expected title among the titles shown
    note: str = ""


def open_search(page, engine: str):
    """Open the site's search box as a reader would and return its input."""
    if engine == "pagefind":
        page.click(".site-search__toggle")
        box = page.locator(".site-search__input")
    else:
        box = page.locator(".md-search__input")
        box.click()
    box.wait_for(state="visible", timeout=15_000)
    return box


def settle(page, engine: str, query: str) -> tuple[list[str], str]:
    """Wait until the shown results are final and unchanged for SETTLE_QUIET_S; return the titles."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        snap = page.evaluate(SNAPSHOT_JS[engine], query)
        key = (snap["ready"], tuple(snap["titles"]), snap["message"])
        if key != last:
            last, since = key, time.monotonic()
        elif snap["ready"] and time.monotonic() - since >= SETTLE_QUIET_S:
            return snap["titles"], ""
        time.sleep(POLL_S)
    titles = list(last[1]) if last else []
    return titles, f"(not settled after {SETTLE_TIMEOUT_S:.0f} s: {last[2] if last else ''!r})"


def run_queries(engine: str, base_url: str, queries: list[Query]) -> tuple[list[Result], list[str]]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    results: list[Result] = []
    page_errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                        headless=True, timeout=30_000)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900},
                                              locale="nb-NO")
                page = context.new_page()
                page.set_default_timeout(15_000)
                page.on("pageerror", lambda exc: page_errors.append(str(exc)))
                page.goto(base_url, wait_until="load")
                box = open_search(page, engine)
                for query in queries:
                    box.click()
                    box.press("Control+a")
                    box.press("Backspace")
                    box.press_sequentially(query.text, delay=TYPING_DELAY_MS)
                    titles, note = settle(page, engine, query.text)
                    wanted = {normalize(t) for t in query.expected}
                    rank = next((i for i, t in enumerate(titles, start=1)
                                 if normalize(t) in wanted), None)
                    results.append(Result(query, titles, rank, note))
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise BenchError(f"browser: {str(exc).splitlines()[0]}") from None
    return results, page_errors


# ---- report ------------------------------------------------------------------------------------

def report(results: list[Result]) -> str:
    width = min(34, max(len(r.query.text) for r in results))
    lines = []
    for r in results:
        status = str(r.rank) if r.rank else "MISS"
        shown = " | ".join(r.titles[:3]) if r.titles else "(no results)"
        line = f"{status:>4}  {r.query.text:<{width}}  -> {shown}"
        if not r.rank:
            line += f"   [want: {' | '.join(r.query.expected)}]"
        if r.note:
            line += f"   {r.note}"
        lines.append(line)
    n = len(results)
    hit1 = sum(1 for r in results if r.rank == 1) / n
    hit3 = sum(1 for r in results if r.rank and r.rank <= 3) / n
    lines.append(f"hit@1 {hit1:.2f} hit@3 {hit3:.2f}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="search_bench.py",
        description="Search relevance benchmark: types each query into the site's search box in "
                    "headless chromium and reports hit@1 and hit@3.")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES,
                        help="TSV file: query<TAB>expected title[|title] (default: "
                             "search/queries.tsv)")
    parser.add_argument("--engine", choices=(*ENGINES, "both"), default=None,
                        help="search engine to test (default: pagefind, or the one in --site)")
    parser.add_argument("--site", type=Path, default=None,
                        help="serve this already built site instead of building one")
    parser.add_argument("--rebuild", action="store_true",
                        help="build the bench site from scratch (build.py --clean)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        queries = read_queries(args.queries)
    except QueryFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if args.site is not None:
        site = args.site.resolve()
        detected = detect_engine(site)
        if detected is None:
            print(f"error: {args.site}: not a built site with Pagefind or Material search",
                  file=sys.stderr)
            return 2
        if args.engine == "both":
            print("error: --engine both builds a site per engine; it cannot be used with --site",
                  file=sys.stderr)
            return 2
        if args.engine not in (None, detected):
            print(f"error: {args.site}: was built with --search {detected}, not {args.engine}",
                  file=sys.stderr)
            return 2
        engines = [detected]
    elif args.engine == "both":
        engines = ["material", "pagefind"]   # Pagefind last: its figures are the last line
    else:
        engines = [args.engine or "pagefind"]

    try:
        for engine in engines:
            engine_started = time.monotonic()
            if args.site is not None:
                server = bind_server(site)
            else:
                site, server = prepare_site(engine, args.rebuild)
            try:
                for warning in check_titles(queries, page_titles(site), args.queries):
                    print(f"warning: {warning}", file=sys.stderr)
            except QueryFileError as exc:
                server.server_close()
                print(f"error: {exc}", file=sys.stderr)
                return 2
            with Serving(server) as base_url:
                if len(engines) > 1:
                    print(f"== {engine} ({base_url})", flush=True)
                results, page_errors = run_queries(engine, base_url, queries)
            for error in page_errors[:5]:
                print(f"warning: {engine}: JavaScript error on the page: {error}", file=sys.stderr)
            # Timing first (stderr), so that the figures stay the last line even in a terminal.
            print(f"{engine}: {len(queries)} queries in {time.monotonic() - engine_started:.1f} s",
                  file=sys.stderr, flush=True)
            print(report(results), flush=True)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
