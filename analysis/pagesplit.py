"""MkDocs converts the pages' Markdown on both cores: a forked copy takes pages from the end.

MkDocs converts one page after another in one process: about a second of a clean build, while
the second core has finished the charts. So a build run once as a command forks a copy of
itself when MkDocs has made the navigation (on_nav); the copy has the configuration, the files
and the pages just as the main process has them. The copy converts pages from the end of the
list and the main process from the front, each claiming a page (in memory both share) before
converting it, until they meet.

For each page the copy sends what `Page.render` makes (pagememo.rendered: the HTML, the table of
contents, the title, the anchors and the links to check), with the warnings MkDocs logged
meanwhile. The main
process takes them when MkDocs reaches that page, and logs those warnings then, so the pages and
the warnings come in the order of a build on one core; `mkdocs build --strict` fails on them as
before. A page the copy could not convert (an exception), or whose Markdown is not what the main
process read, is converted by the main process, which then raises or warns as it always did.

Only a build run as a command uses this: it has no other thread to break by forking. The build
server and `make serve` run threads, and reuse most pages anyway (pagememo.py).
"""

from __future__ import annotations

import hashlib
import logging
import queue
import signal
import time
from contextlib import contextmanager

from .pagememo import rendered, set_rendered

FREE, MAIN, COPY = 0, 1, 2  # who has claimed a page
WAIT_SECONDS = 0.5  # between checks that the copy is still running, while waiting for a page
GIVE_UP_SECONDS = 60  # a copy silent this long is stopped; the main process converts the rest


class _Warnings(logging.Handler):
    """In the copy: what MkDocs logs while converting the page in hand."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _digest(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


class PageSplit:
    """A plugin for one MkDocs build, used inside `installed()`.

    needed(page, files): whether a page's Markdown must be converted (the page memo's answer; the
    copy skips pages it would only look up). `taken` counts the pages the copy converted."""

    def __init__(self, needed=None) -> None:
        self.needed = needed
        self.taken = 0
        self._render = None  # Page.render itself, not a wrapper
        self._process = None
        self._index: dict[str, int] = {}
        self._results: dict[int, tuple | None] = {}

    @contextmanager
    def installed(self):
        """Page.render goes through take() for the length of one build; the copy ends with it."""
        from mkdocs.structure.pages import Page

        self._render = Page.render

        def render(page, config, files) -> None:
            if not self.take(page, files):
                self._render(page, config, files)

        Page.render = render
        try:
            yield self
        finally:
            Page.render = self._render
            self.close()

    def on_nav(self, nav, config, files):
        import multiprocessing

        pages = [file.page for file in files.documentation_pages()]
        if len(pages) < 2 or any(page is None for page in pages):
            return nav
        context = multiprocessing.get_context("fork")
        self._index = {page.file.src_uri: number for number, page in enumerate(pages)}
        self._claims = context.RawArray("b", len(pages))
        self._lock = context.Lock()
        # A queue, not a pipe: its thread in the copy sends while the main process is busy
        # converting (a pipe's buffer would fill and stop the copy).
        self._queue = context.Queue()
        self._process = context.Process(target=self._convert_from_the_end,
                                        args=(pages, config, files), daemon=True, name="pages")
        self._process.start()
        return nav

    def _claim(self, number: int, who: int) -> bool:
        with self._lock:
            if self._claims[number] != FREE:
                return False
            self._claims[number] = who
            return True

    def _convert_from_the_end(self, pages, config, files) -> None:
        """In the copy: convert pages from the last one down, until one is the main process's."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C: the main process stops this one
        logger = logging.getLogger("mkdocs")
        for handler in list(logger.handlers):  # the main process's counters; it counts these
            logger.removeHandler(handler)
        warnings = _Warnings()
        logger.addHandler(warnings)
        for number in range(len(pages) - 1, -1, -1):
            if not self._claim(number, COPY):
                break
            page, warnings.records = pages[number], []
            try:
                page = config.plugins.on_pre_page(page, config=config, files=files)
                page.read_source(config)
                page.markdown = config.plugins.on_page_markdown(page.markdown, page=page,
                                                               config=config, files=files)
                if self.needed is not None and not self.needed(page, files):
                    result = None
                else:
                    self._render(page, config, files)
                    result = (_digest(page.markdown), rendered(page), warnings.records)
            except Exception:  # noqa: BLE001 - the main process converts it, and raises
                result = None
            self._queue.put((number, result))
        self._queue.close()
        self._queue.join_thread()

    def take(self, page, files) -> bool:
        """In the main process: True when the copy converted this page (now set on it); False
        when the main process converts it."""
        number = self._index.get(page.file.src_uri) if self._process is not None else None
        if number is None or self._claim(number, MAIN):
            return False
        while number not in self._results:
            if not self._receive():
                return False  # the copy ended without sending it
        result = self._results.pop(number)
        if result is None or result[0] != _digest(page.markdown):
            return False
        _, stored, records = result
        set_rendered(page, stored, files)
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        self.taken += 1
        return True

    def _receive(self) -> bool:
        """Wait for the copy's next page; False if the copy has ended and sent everything, or
        has been silent so long that it is stopped."""
        started = time.monotonic()
        while True:
            try:
                number, result = self._queue.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                if self._process.is_alive() and time.monotonic() - started < GIVE_UP_SECONDS:
                    continue
                self._process.terminate()
                try:
                    number, result = self._queue.get_nowait()
                except queue.Empty:
                    return False
            self._results[number] = result
            return True

    def close(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._queue.close()
            self._process = None
