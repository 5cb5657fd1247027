"""Run `mkdocs build --strict` on the generated Markdown; a warning becomes a SiteError naming the
source file and line that wrote the broken link, where there is one."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from ..errors import SiteError
from ..inputs.chapters import SITE_DIR
from ..inputs.files import display_path

LINK_WARNING = re.compile(r"Doc file '([^']+)' contains a link '([^']+)'")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def source_of(docs_path: str, content_root: Path | None) -> Path | None:
    """The file in content/ a generated page comes from, where there is one."""
    if content_root is None:
        return None
    parts = docs_path.split("/")
    if parts[0] == SITE_DIR and len(parts) == 3:
        return content_root / "theses" / parts[1] / parts[2]
    if parts[0] == "faktorer" and len(parts) == 2 and parts[1] != "index.md":
        return content_root / "factors" / parts[1]
    return None


def locate_warning(message: str, content_root: Path | None,
                   template_root: Path | None) -> tuple[str | None, int | None]:
    """Point a broken-link warning at the source file and line that wrote the link."""
    match = LINK_WARNING.search(message)
    if not match:
        return None, None
    docs_path, target = match.groups()
    candidates = [source_of(docs_path, content_root)]
    if template_root is not None:
        candidates += sorted(Path(template_root).rglob("*.j2"))
    for path in candidates:
        if path is None or not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if target in line:
                return display_path(path), number
    return f"generated page {docs_path}", None


def mkdocs_build(config_file: Path, docs_dir: Path, site_dir: Path, nav: list,
                 site_url: str, search: str, content_root: Path, template_root: Path) -> None:
    """MkDocs with the project's mkdocs.yml, these pages and this navigation, into site_dir.
    With search "pagefind", Material's own search plugin is off (Pagefind indexes the site)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner
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
                     "strict": True, "site_url": site_url}
        if search == "pagefind":
            overrides["plugins"] = []
        build(load_config(str(config_file), **overrides))
    except (Abort, ConfigurationError) as exc:
        detail = collector.messages[0] if collector.messages else str(exc)
        raise _site_error(detail, config_file, content_root, template_root) from None
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
    if collector.messages:
        raise _site_error(collector.messages[0], config_file, content_root, template_root)


def _site_error(detail: str, config_file: Path, content_root, template_root) -> SiteError:
    file, line = locate_warning(detail, content_root, template_root)
    return SiteError(f"mkdocs build --strict failed: {detail}",
                     file=file or config_file.name, line=line)
