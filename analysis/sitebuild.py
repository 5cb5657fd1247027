"""Stage 4: build the generated Markdown with MkDocs (strict) and swap it into place atomically.

The site is built into a temporary directory next to the output; only when MkDocs succeeds is the
old output replaced, so a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from contextlib import nullcontext
from pathlib import Path

import jinja2

from .chapters import SITE_DIR
from .errors import SiteError
from .load import display_path


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


LINK_WARNING = re.compile(r"Doc file '([^']+)' contains a link '([^']+)'")


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


def import_mkdocs() -> None:
    """Import MkDocs, its Markdown extensions and the theme's template engine ahead of the build
    (build.py does this while it waits for the chart process)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import markdown.extensions.toc  # noqa: F401
    import material  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config.defaults  # noqa: F401
    import pymdownx.superfences  # noqa: F401


def mkdocs_build(config_file: Path, docs_dir: Path, site_dir: Path, nav: list,
                 site_url: str | None = None, search: str = "pagefind",
                 content_root: Path | None = None, template_root: Path | None = None,
                 memo=None, bytecode_cache=None, search_index: EarlySearchIndex | None = None,
                 page_split=None) -> None:
    """Run `mkdocs build --strict` on docs_dir into site_dir; warnings become a SiteError.

    With a PageMemo, pages whose inputs are unchanged since a successful build are not
    converted again (see pagememo.py); with a Jinja bytecode cache, the theme's templates are
    not compiled again; with an EarlySearchIndex, Pagefind starts once the pages are converted
    (the caller waits for it); with a PageSplit, a forked copy converts pages too (see
    pagesplit.py)."""
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
        config.theme.get_env = _theme_environment(config.theme.get_env)
        if bytecode_cache is not None:
            config.plugins["project-bytecode-cache"] = _ThemeBytecode(bytecode_cache)
        if search_index is not None:  # after the bytecode cache: it compiles some templates
            config.plugins["project-early-search-index"] = search_index
        if page_split is not None:
            config.plugins["project-page-split"] = page_split
        # the memo's Page.render around the split's: a page the memo has is not converted at all
        with page_split.installed() if page_split is not None else nullcontext(), \
                memo.installed(config) if memo is not None else nullcontext():
            build(config)
    except (Abort, ConfigurationError) as exc:
        detail = collector.messages[0] if collector.messages else str(exc)
        raise _site_error(detail, config_file, content_root, template_root) from None
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
    if collector.messages:
        raise _site_error(collector.messages[0], config_file, content_root, template_root)
    if memo is not None:
        memo.save()


def _theme_environment(make_environment):
    """The theme's Jinja environment, made by MkDocs, with a loader that lists no file in a
    hidden directory.

    Before the navigation, MkDocs lists every file of the theme to copy its static files, and
    drops what lies in a directory whose name starts with a dot. Material keeps 14,000 icons in
    .icons, so that took 0.12 s of every build, before any page is converted. The list MkDocs
    keeps is the same (a test compares them); templates load as before."""
    def get_env():
        env = make_environment()
        env.loader = _UnhiddenLoader(env.loader.searchpath, encoding=env.loader.encoding,
                                     followlinks=env.loader.followlinks)
        return env
    return get_env


class _UnhiddenLoader(jinja2.FileSystemLoader):
    """jinja2's loader for files in folders, listing none in a hidden folder."""

    def list_templates(self) -> list[str]:
        found = set()
        for root in self.searchpath:
            for folder, subfolders, names in os.walk(root, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                prefix = os.path.relpath(folder, root).replace(os.path.sep, "/")
                found.update(names if prefix == "." else (f"{prefix}/{name}" for name in names))
        return sorted(found)


class _ThemeBytecode:
    """A plugin for one build: the theme's templates compiled once, kept as bytecode."""

    def __init__(self, bytecode_cache) -> None:
        self.bytecode_cache = bytecode_cache

    def on_env(self, env, config, files):  # noqa: ARG002 - MkDocs signature
        env.bytecode_cache = self.bytecode_cache
        return env


def _site_error(detail: str, config_file: Path, content_root, template_root) -> SiteError:
    file, line = locate_warning(detail, content_root, template_root)
    return SiteError(f"mkdocs build --strict failed: {detail}",
                     file=file or config_file.name, line=line)


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


# The page language Material writes into <html lang>, from the theme's translation.
THEME_LANGUAGE = '{% import "partials/language.html" as lang with context %}{{ lang.t("language") }}'


class EarlySearchIndex:
    """A plugin for one MkDocs build: Pagefind indexes the pages while the theme makes them.

    Pagefind reads only a page's language and its article (data-pagefind-body). Once every page
    is converted (MkDocs's on_env), each page's article is rendered alone, through the template
    the theme puts it in the page with (partials/search-body.html, wrapped by
    partials/search-page.html), into a directory of its own, and Pagefind starts on that,
    writing its index into the site. It runs on the
    other core while MkDocs makes the pages, instead of after them. Its index is the one it makes
    of the finished site (a test compares the two byte for byte).
    """

    def __init__(self, site_dir: Path) -> None:
        self.output = site_dir / "pagefind"
        self.pages_dir = Path(tempfile.mkdtemp(prefix="search-pages-"))
        self.process = None
        self.nav = None

    def on_nav(self, nav, config, files):  # noqa: ARG002 - MkDocs signature
        self.nav = nav
        return nav

    def on_env(self, env, config, files):
        from mkdocs.commands.build import get_context

        template = env.get_template("partials/search-page.html")
        language = env.from_string(THEME_LANGUAGE).render(config=config)  # once, not per page
        for file in files.documentation_pages():
            page = file.page
            if page.meta.get("template", "main.html") != "main.html":
                continue  # a page of another kind may have no article for search
            target = self.pages_dir / file.dest_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            context = get_context(self.nav, files, config, page)
            target.write_text(template.render({**context, "language": language}),
                              encoding="utf-8")
        self.process = start_pagefind(self.pages_dir, self.output)
        return env

    def finish(self) -> None:
        """Wait for Pagefind; a failure raises a SiteError."""
        try:
            if self.process is None:
                raise SiteError("Pagefind was not started: MkDocs converted no pages")
            stdout, stderr = self.process.communicate()
            if self.process.returncode != 0:
                detail = (stderr or stdout).strip().splitlines()
                raise SiteError("Pagefind could not index the site: "
                                + (detail[0] if detail else f"exit {self.process.returncode}"))
        finally:
            shutil.rmtree(self.pages_dir, ignore_errors=True)

    def stop(self) -> None:
        """The build failed: stop Pagefind, if it started, and clear up."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.pages_dir, ignore_errors=True)


def start_pagefind(site_dir: Path, output: Path):
    """Pagefind on site_dir, its index written to output (Norwegian stemming from
    <html lang="nb">). The binary from pagefind_bin is run directly: going through
    `python -m pagefind` costs another interpreter start."""
    import subprocess

    from pagefind_bin import get_executable

    return subprocess.Popen(
        [str(get_executable()), "--site", str(site_dir), "--output-path", str(output),
         "--exclude-selectors", PAGEFIND_EXCLUDE, "--silent"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
