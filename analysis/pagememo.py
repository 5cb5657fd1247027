"""Reuse MkDocs's per-page work from the last build where its inputs are the same (not --clean).

Converting each page's Markdown and putting it through the theme's template is most of what
`mkdocs build` does, and a changed value in data/ changes the Markdown of only a few pages.
`PageMemo.installed()` wraps the two MkDocs functions that do this work per page, for the length
of one build, and looks each page up by a key made of everything the function reads:

- `Page.render` (Markdown to HTML, table of contents, title, anchors): the page's path and its
  Markdown; the path and URL of every file in the site (relative links are resolved and checked
  against these); and `setup`.
- `_build_page` (the theme template, written to site/): the page's path, URL, title, HTML,
  table of contents and metadata; the whole navigation (every title and URL); the build date
  (SOURCE_DATE_EPOCH), if a page template of the theme mentions it; and `setup`.

`setup` comes from build.py: the content hashes of mkdocs.yml, the theme overrides, the project's
code and the installed packages' versions, with the site URL and the navigation. Change any of
them and every page is made afresh.

The sanitising hook still runs on every page, and MkDocs still checks every link to an anchor
across the site (from the stored anchors and links). What a build used is saved only when the
whole build succeeded, so a page that gave a warning is made, and warns, again.
"""

from __future__ import annotations

import json
import os
import pickle
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .cache import combine

MEMO_FILE = "mkdocs-pages.pickle"


class PageMemo:
    """The pages of the last successful build, by key; `installed()` uses them for one build,
    `save()` keeps what this build used. reuse=False (build.py --clean) starts from nothing."""

    def __init__(self, cache_dir: Path, setup: str, reuse: bool = True) -> None:
        self.cache_dir = cache_dir
        self.setup = setup
        self.stored = self._read() if reuse else {}
        self.used: dict[str, object] = {}
        self.dates_shown = True  # whether a page can show the build date (see installed)
        self.converted = 0  # pages whose Markdown was converted in this build
        self.templated = 0  # pages put through the theme template in this build
        self._digests: dict[int, str] = {}

    def _read(self) -> dict:
        try:
            return pickle.loads((self.cache_dir / MEMO_FILE).read_bytes())
        except Exception:  # missing, stale or broken: convert every page
            return {}

    def _once(self, thing, describe) -> str:
        """A digest of this build's file list or navigation, made once per build."""
        if id(thing) not in self._digests:
            self._digests[id(thing)] = combine(describe(thing))
        return self._digests[id(thing)]

    def _render_key(self, page, files) -> str:
        return combine("render", self.setup, self._once(files, _file_listing),
                       page.file.src_uri, page.markdown)

    def needs_render(self, page, files) -> bool:
        """Whether this page's Markdown (read already) must be converted: the memo lacks it."""
        return self._render_key(page, files) not in self.stored

    def _template_key(self, page, nav) -> str:
        build_date = os.environ.get("SOURCE_DATE_EPOCH", "") if self.dates_shown else ""
        return combine("template", self.setup, build_date,
                       self._once(nav, _navigation), page.file.src_uri, page.url, page.title,
                       page.content, json.dumps(_toc(page.toc)),
                       repr(page.meta))

    @contextmanager
    def installed(self, config):
        """Wrap MkDocs's Page.render and _build_page for the duration of one build.

        _build_page is left alone when a plugin watches each page being templated (Material's
        search collects its index there): skipping it would leave pages out of that plugin."""
        from mkdocs import utils
        from mkdocs.commands import build as mkdocs_build
        from mkdocs.structure.pages import Page

        original_render, original_build_page = Page.render, mkdocs_build._build_page
        memo = self
        # The build date changes with every commit; only if a page template can show it
        # (MkDocs offers it as build_date_utc) must every page be templated again then.
        self.dates_shown = templates_show_build_date(config.theme.dirs)

        def render(page, config, files) -> None:
            key = memo._render_key(page, files)
            stored = memo.stored.get(key)
            if stored is None:
                original_render(page, config, files)
                memo.converted += 1
                stored = rendered(page)
            else:
                set_rendered(page, stored, files)
            memo.used[key] = stored

        def build_page(page, config, doc_files, nav, env, dirty=False, excluded=False) -> None:
            key = memo._template_key(page, nav)
            output = memo.stored.get(key)
            if output is None or excluded:
                original_build_page(page, config, doc_files, nav, env, dirty, excluded)
                memo.templated += 1
                written = Path(page.file.abs_dest_path)
                if excluded or not written.exists():
                    return
                output = written.read_bytes()
            else:
                utils.write_file(output, page.file.abs_dest_path)
            memo.used[key] = output

        watched = any(config.plugins.events[event] for event in ("page_context", "post_page"))
        Page.render = render
        if not watched:
            mkdocs_build._build_page = build_page
        try:
            yield self
        finally:
            Page.render, mkdocs_build._build_page = original_render, original_build_page

    def save(self) -> None:
        """Keep this build's pages (only these, so the file does not grow)."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.cache_dir, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(self.used, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.cache_dir / MEMO_FILE)


def rendered(page) -> tuple:
    """What Page.render set on a page, in a form that can be pickled: its HTML, table of
    contents, title, anchors, and links to anchors by the path of the page they point at."""
    return (page.content, page.toc, page._title_from_render, page.present_anchor_ids,
            {target.src_uri: links for target, links in (page.links_to_anchors or {}).items()})


def set_rendered(page, stored: tuple, files) -> None:
    """Set on a page what rendered() took from a page with the same inputs."""
    content, toc, title, anchors, links = stored
    page.content, page.toc, page._title_from_render = content, toc, title
    page.present_anchor_ids = set(anchors)
    page.links_to_anchors = {files.get_file_from_path(uri): dict(targets)
                             for uri, targets in links.items()}


def templates_show_build_date(theme_dirs) -> bool:
    """Whether any page template of the theme (its .html files, overrides first) mentions the
    build date. The sitemap shows it, but the sitemap is not a page: MkDocs makes it anew."""
    return any(b"build_date" in Path(parent, name).read_bytes()
               for folder in theme_dirs for parent, _, names in os.walk(folder)
               for name in names if name.endswith(".html"))


def _file_listing(files) -> str:
    """Every file's path and URL: what relative links are resolved and checked against."""
    return "\n".join(sorted(f"{f.src_uri}\0{f.url}" for f in files))


def _navigation(nav) -> str:
    """The whole navigation as the theme sees it: every section and page, title, URL and
    metadata."""
    def items(entries) -> list:
        # Material's sidebar also shows each page's icon, subtitle and status from its metadata
        return [[type(entry).__name__, entry.title, getattr(entry, "url", None),
                 repr(getattr(entry, "meta", None)),
                 items(getattr(entry, "children", None) or [])] for entry in entries]
    return json.dumps(items(nav.items))


def _toc(toc) -> list:
    return [[link.title, link.id, link.level, _toc(link.children)] for link in toc or []]
