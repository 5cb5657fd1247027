"""Printed page numbers from page breaks: calibration on the printed numbers, known facts, uncertain ranges.

Expectations come from reading the seeds (their printed numbers and the reading guides), never from
running the function under test.
"""

import re
from pathlib import Path

import pytest

from report.inputs.printed_pages import FRONT_MATTER, cite_pages, page_map

SOURCES = Path(__file__).resolve().parent.parent / "sources"

# Bare page-number lines as they stand in the text: {line: printed number}.
PRINTED_004 = {171: 2, 1889: 22, 2829: 33, 6264: 75, 6781: 81, 6865: 82, 6935: 83, 7018: 84, 7091: 85,
               7166: 86, 7500: 90, 7940: 95}
PRINTED_000 = {1080: 13, 1384: 17, 3243: 43}
# Bare numbers that are table cells, not pages: county counts "5" and "3" in the list at 4978-5022.
TABLE_CELLS_004 = {5008, 5016}
# The appendix list (7172-7184) printed "Vedlegg X ....page"; the headings are at these lines.
TOC_004 = {7190: 86, 7311: 88, 7944: 95, 7945: 96, 7946: 104, 7947: 106, 8034: 107}


def read(name: str) -> list[str]:
    return (SOURCES / name).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def lines004() -> list[str]:
    return read("004_7fb928c46b35f9ed.txt")


@pytest.fixture(scope="module")
def lines000() -> list[str]:
    return read("000_aa1a458bfad4e8c4.txt")


def hide_number(lines: list[str], line: int) -> list[str]:
    """Copy of `lines` where the printed number at `line` is lost but its page break survives.

    An unnumbered break is a line starting with a space right after a text line, as elsewhere in the seeds.
    """
    copy = list(lines)
    copy[line - 2], copy[line - 1] = "(text)", " (first line of the page)"
    return copy


def exact(page: int) -> tuple[int, int]:
    return page, page


# (a) calibration -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("seed", "printed", "cells"), [
    ("004_7fb928c46b35f9ed.txt", PRINTED_004, TABLE_CELLS_004),
    ("000_aa1a458bfad4e8c4.txt", PRINTED_000, set()),
])
def test_every_printed_number_is_on_its_page(seed, printed, cells):
    lines = read(seed)
    bare = {i for i, line in enumerate(lines, 1) if re.fullmatch(r"\s*\d{1,3}\s*", line)}
    assert bare == set(printed) | cells  # the lists above are complete
    pm = page_map(lines)
    for line, number in printed.items():
        assert pm.pages(line) == exact(number), line


@pytest.mark.parametrize(("seed", "printed"), [
    ("004_7fb928c46b35f9ed.txt", PRINTED_004),
    ("000_aa1a458bfad4e8c4.txt", PRINTED_000),
])
def test_each_printed_number_is_predicted_by_the_others(seed, printed):
    # Leave one out: with its number gone, the breaks counted from the other numbers must land on it.
    lines = read(seed)
    for line, number in printed.items():
        assert page_map(hide_number(lines, line)).pages(line) == exact(number), line


def test_appendix_list_agrees_with_bare_numbers(lines004):
    # Without the appendix list, the bare numbers alone place Vedlegg A-D where the list says. This is
    # what shows that a bare number opens its page (86 at 7166 is the page of the list and of Vedlegg A).
    without_toc = [line if i not in range(7170, 7185) else "" for i, line in enumerate(lines004, 1)]
    pm = page_map(without_toc)
    for line in (7190, 7311, 7944, 7945):
        assert pm.pages(line) == exact(TOC_004[line]), line
    # Vedlegg E is after the last bare number (95) and behind image-only pages: counting alone is not
    # checked there, and the map says so.
    assert not pm.calibrated(7946)


def test_appendix_headings_are_on_listed_pages(lines004):
    pm = page_map(lines004)
    for line, page in TOC_004.items():
        assert pm.pages(line) == exact(page), line


@pytest.mark.parametrize("seed", ["004_7fb928c46b35f9ed.txt", "000_aa1a458bfad4e8c4.txt"])
def test_breaks_agree_with_numbers_everywhere(seed):
    # Between two printed numbers every line has one page: the counted breaks fit every pair of numbers.
    lines = read(seed)
    pm = page_map(lines)
    for line in range(1, len(lines) + 1):
        if pm.calibrated(line):
            lo, hi = pm.pages(line)
            assert lo == hi, line


# (b) known facts -----------------------------------------------------------------------------------------
# Seed 004: breaks (a text line starting with a space after a text line, most mid-sentence) read back
# from the printed "75" at 6264: 6166, 6072, 5977, 5882, 5786, 5693, 5600, 5507, 5425, 5330, 5238,
# 5151 (6 Diskusjon), 5101 (Tabell 13 header), 5023 (5.2.1) -> 5023 opens page 75 - 14 = 61, and
# 4951 (5.2) 60, 4861, 4772, 4687, 4598, 4514, 4427, 4342, 4259, 4170, 4081, 3969 -> 49.
# Forward from 75: 6361 (76), 6456 (6.3, 77), 6556 (78, inside Tabell 15), 6673 (7, 79), 6761 (80),
# and the printed 81 at 6781 confirms the count.

@pytest.mark.parametrize(("what", "first", "last", "expected"), [
    ("Tabell 12 (rows and caption)", 5034, 5073, (61, 61)),  # the issue's own example: s. 61, Tabell 12
    ("Tabell 13", 5101, 5142, (62, 62)),
    ("Tabell 14", 5186, 5227, (63, 63)),  # 6 Diskusjon opens page 63 at 5151
    ("Tabell 15", 6461, 6645, (77, 78)),
    ("Tabell 15 caption", 6645, 6645, (78, 78)),
    ("5.1.3", 4038, 4950, (49, 59)),  # 3969 opens 49; Tabell 11 caption at 4950, 5.2 opens 60
    ("6.2.3", 5771, 6311, (69, 75)),  # 5693 opens 69; 6.2.4 at 6312 follows printed 75 at 6264
    ("6.4", 6647, 6672, (78, 78)),
    ("Vedlegg B text", 7311, 7930, (88, 94)),  # list: B 88, C 95
    ("1. Innledning", 92, 170, (1, 1)),  # the only break before printed 2 at 171
    ("Sammendrag", 1, 91, exact(FRONT_MATTER)),
])
def test_known_pages_004(lines004, what, first, last, expected):
    assert page_map(lines004).pages(first, last) == expected, what


# Seed 000: printed 13 at 1080; breaks read back: 1002, 927, 854, 783 (Kapittel 2), 718, 653, 578, 505,
# 432, 361, 286, 213 (Kapittel 1) -> 13 - 12 = 1. Between 13 and 17 the breaks 1158, 1241, 1308 make
# 14, 15, 16. After printed 43 at 3243: 3325, 3404, 3481, 3552 (Kapittel 5) -> 47.

@pytest.mark.parametrize(("what", "first", "last", "expected"), [
    ("Kapittel 1 heading", 213, 213, (1, 1)),
    ("Forord and Resymé", 65, 212, exact(FRONT_MATTER)),
    ("Intervju (section after printed 13)", 1083, 1083, (13, 13)),
    ("Dokumentanalyse", 1241, 1307, (15, 15)),
    ("Kapittel 5", 3552, 3772, (47, 49)),
])
def test_known_pages_000(lines000, what, first, last, expected):
    assert page_map(lines000).pages(first, last) == expected, what


def test_front_matter_and_extrapolation_are_flagged(lines000):
    pm = page_map(lines000)
    assert not pm.calibrated(213)  # counted back from 13, no earlier number to test against
    assert pm.calibrated(2000)
    assert not pm.calibrated(3552)  # counted on from 43


def test_cite_pages():
    assert cite_pages(61, 61) == "s. 61"
    assert cite_pages(77, 78) == "s. 77\u201378"
    with pytest.raises(ValueError):
        cite_pages(FRONT_MATTER, FRONT_MATTER)
    with pytest.raises(ValueError):
        cite_pages(5, 4)


def test_bad_line_range(lines000):
    pm = page_map(lines000)
    for args in [(0,), (5, 4), (1, len(lines000) + 1)]:
        with pytest.raises(ValueError):
            pm.pages(*args)


# (c) uncertainty widens the range ------------------------------------------------------------------------

def unmodified(lines: list[str]) -> list[tuple[int, int]]:
    pm = page_map(lines)
    return [pm.pages(n) for n in range(1, len(lines) + 1)]


def widened(truth: list[tuple[int, int]], lines: list[str], first: int, last: int) -> int:
    """Lines strictly between first and last whose range is one page wide; each range holds the truth."""
    pm = page_map(lines)
    ranges = [pm.pages(n) for n in range(first + 1, last)]
    assert all(lo <= true <= hi <= lo + 1 for (lo, hi), (true, _) in zip(ranges, truth[first:], strict=False))
    assert pm.pages(first) == truth[first - 1] and pm.pages(last) == truth[last - 1]
    return sum(hi > lo for lo, hi in ranges)


def test_missing_break_widens(lines004):
    truth = unmodified(lines004)
    lost = list(lines004)
    lost[1953] = ""  # 1955 " Teknologi og forretning..." now follows a blank line: its break is lost
    # 9 breaks for the 10 pages between printed 22 (1889) and 33 (2829): every line there may be one later
    assert widened(truth, lost, 1889, 2829) == 2829 - 1889 - 1
    pm = page_map(lost)
    assert pm.pages(2000) == (22, 23) and pm.pages(2050) == (23, 24)


def test_false_break_widens(lines004):
    truth = unmodified(lines004)
    extra = list(lines004)
    extra[4198] = " indented text"  # line 4199 follows the text line 4198: a false break inside page 51
    # 42 breaks for the 41 pages between printed 33 (2829) and 75 (6264): a line after k of them is on
    # page 33 + k - 1 or 33 + k; only the first page (no break passed) and the last stay certain
    assert widened(truth, extra, 2829, 6264) == 6166 - 2872
    assert page_map(extra).pages(4200) == (51, 52)


def test_disagreeing_number_is_outvoted(lines004):
    wrong = list(lines004)
    wrong[1888] = "23 "  # printed 22 at 1889 misread as 23: it disagrees with the breaks on both sides,
    # while 2 and 33 agree with the 30 breaks between them, so 23 is dropped and 1889 is a plain break
    assert unmodified(wrong) == unmodified(lines004)


def test_small_document():
    doc = ["Tittel", "", "", "1", "", " ", "", "a", "", "b", " c", "", "d", "", "", "3", "", " ", "", "e"]
    assert [page_map(doc).pages(n) for n in (1, 8, 11, 13, 20)] == [(0, 0), (1, 1), (2, 2), (2, 2), (3, 3)]
    lost = doc[:10] + ["c"] + doc[11:]  # the break before "c" is lost: a to d may be on page 1 or 2
    assert [page_map(lost).pages(n) for n in (4, 8, 11, 13, 20)] == [(1, 1), (1, 2), (1, 2), (1, 2), (3, 3)]


# (d) monotonicity ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", ["004_7fb928c46b35f9ed.txt", "000_aa1a458bfad4e8c4.txt"])
def test_monotone(seed):
    lines = read(seed)
    wrong = list(lines)
    middle = len(lines) // 2
    wrong[middle - 1: middle + 1] = ["text", " false break"]
    for pm in (page_map(lines), page_map(wrong)):
        ranges = [pm.pages(n) for n in range(1, len(lines) + 1)]
        assert all(lo <= hi for lo, hi in ranges)
        assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(ranges, ranges[1:], strict=False))
        assert pm.pages(1, len(lines)) == (ranges[0][0], ranges[-1][1])
