"""Stage 4: build the generated Markdown with MkDocs (strict) and swap it into place atomically.

The site is built into a temporary directory next to the output; only when MkDocs succeeds is the
old output replaced, so a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from .errors import SiteError


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def mkdocs_build(config_file: Path, docs_dir: Path, site_dir: Path, nav: list,
                 site_url: str | None = None, search: str = "pagefind") -> None:
    """Run `mkdocs build --strict` on docs_dir into site_dir; warnings become a SiteError."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    previous_level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        overrides = {"docs_dir": str(docs_dir), "site_dir": str(site_dir), "nav": nav,
                     "strict": True}
        if site_url:
            overrides["site_url"] = site_url
        if search == "pagefind":
            overrides["plugins"] = []  # Material's search off; Pagefind indexes the site
        config = load_config(str(config_file), **overrides)
        build(config)
    except (Abort, ConfigurationError) as exc:
        detail = collector.messages[0] if collector.messages else str(exc)
        raise SiteError(f"mkdocs build --strict failed: {detail}",
                        file=str(config_file.name)) from None
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
    if collector.messages:
        raise SiteError(f"mkdocs build --strict failed: {collector.messages[0]}",
                        file=str(config_file.name))


def publish(build_into, out_dir: Path) -> None:
    """Call build_into(tmp_dir) and, if it succeeds, replace out_dir with tmp_dir atomically."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
    try:
        build_into(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = None
    if out_dir.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
        retired.rmdir()
        out_dir.rename(retired)
    staging.rename(out_dir)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


PAGEFIND_EXCLUDE = ".headerlink, .chart-data, .md-source-file, .chart-fallback"


def pagefind_index(site_dir: Path) -> None:
    """Index the built site with Pagefind (Norwegian stemming from <html lang="nb">)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--exclude-selectors",
         PAGEFIND_EXCLUDE, "--silent"], capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SiteError("Pagefind could not index the site: "
                        + (detail[0] if detail else f"exit {result.returncode}"))
