"""How the main process takes pages from the copy that converts them (analysis/pagesplit.py).

The whole split is tested through real builds in test_rebuild.py (the same bytes as one process;
a warning on the copy's page fails the build). These tests give the main process's side answers
a real copy would rarely give: a copy that stops answering, a page whose Markdown changed."""

from __future__ import annotations

import logging
import multiprocessing
import queue
from types import SimpleNamespace

from analysis import pagesplit
from analysis.pagesplit import COPY, PageSplit, _digest


class FakeCopy:
    def __init__(self, alive: bool = True) -> None:
        self.alive, self.terminated = alive, False

    def is_alive(self) -> bool:
        return self.alive and not self.terminated

    def terminate(self) -> None:
        self.terminated = True


class Answers:
    """The copy's queue: the given answers, then nothing."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)

    def get(self, timeout=None):
        if self.answers:
            return self.answers.pop(0)
        raise queue.Empty

    get_nowait = get


def page(uri: str, markdown: str = "# Tittel\n"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri), markdown=markdown)


def split_with(copy: FakeCopy, answers: Answers, pages: int = 2) -> PageSplit:
    split = PageSplit()
    split._process, split._queue = copy, answers
    split._index = {f"side-{n}.md": n for n in range(pages)}
    split._claims = multiprocessing.RawArray("b", pages)
    split._lock = multiprocessing.Lock()
    for number in range(pages):
        split._claims[number] = COPY  # the copy has claimed every page
    return split


def result(markdown: str, warnings=()) -> tuple:
    return (_digest(markdown), ("<h1>Tittel</h1>", [], "Tittel", {"tittel"}, {}), list(warnings))


def test_a_copy_that_stops_answering_is_stopped_and_the_page_converted_here(monkeypatch):
    monkeypatch.setattr(pagesplit, "GIVE_UP_SECONDS", 0.2)
    monkeypatch.setattr(pagesplit, "WAIT_SECONDS", 0.05)
    copy = FakeCopy()
    split = split_with(copy, Answers())
    assert split.take(page("side-0.md"), files=None) is False  # converted by the main process
    assert copy.terminated
    assert split.take(page("side-1.md"), files=None) is False  # and every page after it
    assert split.taken == 0


def test_a_copy_that_ended_without_a_page_leaves_it_to_the_main_process():
    split = split_with(FakeCopy(alive=False), Answers((1, result("# Tittel\n"))))
    assert split.take(page("side-0.md"), files=None) is False
    assert split.take(page("side-1.md"), files=None) is True


def test_a_page_whose_markdown_differs_from_the_copys_is_converted_here():
    split = split_with(FakeCopy(), Answers((0, result("# Noe annet\n"))))
    assert split.take(page("side-0.md"), files=None) is False


def test_the_copys_page_and_its_warnings_arrive_in_the_main_process(caplog):
    warning = ("mkdocs.structure.pages", logging.WARNING, "Doc file 'side-0.md' contains a link")
    split = split_with(FakeCopy(), Answers((1, result("# B\n")), (0, result("# A\n", [warning]))))
    first = page("side-0.md", "# A\n")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        assert split.take(first, files=None) is True
    assert (first.content, first._title_from_render, first.present_anchor_ids) == (
        "<h1>Tittel</h1>", "Tittel", {"tittel"})
    assert [(r.name, r.getMessage()) for r in caplog.records] == [(warning[0], warning[2])]
    assert split.take(page("side-1.md", "# B\n"), files=None) is True  # kept while waiting
    assert split.taken == 2
