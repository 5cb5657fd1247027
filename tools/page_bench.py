"""Page benchmark: Lighthouse (mobile) on one page of each kind, served on 127.0.0.1.

    python tools/page_bench.py [--runs 3] [--site DIR] [--gzip]

Builds the site into build/page-bench/site with the URL it is served on (or serves --site as it
is), installs Lighthouse 12.2.3 from tools/page-bench/package-lock.json into build/page-bench/
(npm ci; outside the site build's own dependencies) and runs it with Debian's chromium in its
default mobile configuration (simulated slow 4G and CPU slowdown). Prints, per page, the medians
of the runs: the four category scores, largest contentful paint, total blocking time, the number
of requests and the bytes transferred (uncompressed: the local server sends files as they are;
with --gzip it compresses text files, as most web hosts do, and the bytes are the compressed
ones). A benchmark, not a test: the figures go in the README.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import shutil
import socket
import statistics
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "page-bench"
sys.path.insert(0, str(ROOT))

from tools.browser import CHROMIUM, CHROMIUM_ARGS, HOST, QuietHandler  # noqa: E402

PAGES = {  # kind -> path (the longest chapter is found in the built site)
    "home": "",
    "overview": "faktorer/",
    "factor": "faktorer/gevinstrealisering/",
    "area": "omrader/organisatoriske-faktorer/",
    "data quality": "datakvalitet/",
    "method": "metode/",
    "self-assessment": "hvor-star-var-kommune/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class GzipHandler(QuietHandler):
    """Text files compressed when the browser accepts it, as a web host serves them."""

    TEXT = ("text/", "application/json", "image/svg+xml", "application/xml")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.endswith("/"):
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if (not path.is_file() or not kind.startswith(self.TEXT)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def lighthouse() -> Path:
    """Lighthouse as pinned in tools/page-bench, installed into build/page-bench once."""
    binary = WORK / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(ROOT / "tools" / "page-bench" / name, WORK / name)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=WORK,
                       check=True)
    return binary


def longest_chapter(site: Path) -> str:
    pages = sorted((site / "oppgaver").rglob("index.html"), key=lambda p: p.stat().st_size)
    return pages[-1].parent.relative_to(site).as_posix() + "/"


def quoted(flag: str) -> str:
    """A chromium flag for Lighthouse's --chrome-flags, which splits at spaces outside quotes."""
    name, _, value = flag.partition("=")
    return f"{name}='{value}'" if " " in value else flag


def run_once(binary: Path, url: str, out: Path) -> dict:
    flags = " ".join(["--headless", *(quoted(arg) for arg in CHROMIUM_ARGS)])
    subprocess.run([str(binary), url, f"--chrome-path={CHROMIUM}", f"--chrome-flags={flags}",
                    "--output=json", f"--output-path={out}", "--quiet"], check=True,
                   timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        **{name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "bytes": audits["total-byte-weight"]["numericValue"] / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="serve this built site instead of building one")
    parser.add_argument("--gzip", action="store_true", help="serve text files compressed")
    args = parser.parse_args()
    binary = lighthouse()
    port = free_port()
    base = f"http://{HOST}:{port}/"
    site = args.site
    if site is None:
        site = WORK / "site"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--quiet", "--out", str(site),
                        "--site-url", base], check=True)
    handler = GzipHandler if args.gzip else QuietHandler
    server = ThreadingHTTPServer((HOST, port), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pages = {**PAGES, "longest chapter": longest_chapter(site)}
    rows = []
    try:
        for kind, path in pages.items():
            runs = [run_once(binary, base + path, WORK / "report.json") for _ in range(args.runs)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            rows.append((kind, path, median))
            print(f"  {kind}: {median}", flush=True)
    finally:
        server.shutdown()
        server.server_close()
    print()
    served = "compressed (gzip)" if args.gzip else "uncompressed"
    print(f"| page (median of {args.runs} runs, {served}) | performance | accessibility | best practices "
          "| SEO | LCP s | TBT ms | requests | KB transferred |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind, path, m in rows:
        print(f"| {kind} (`/{path}`) | {m['performance']:.0f} | {m['accessibility']:.0f} "
              f"| {m['best-practices']:.0f} | {m['seo']:.0f} | {m['lcp']:.1f} | {m['tbt']:.0f} "
              f"| {m['requests']:.0f} | {m['bytes']:.0f} |")


if __name__ == "__main__":
    main()
