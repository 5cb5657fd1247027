"""The PDFs people circulate: a one-page faktaark per factor and the report, read back with pypdf."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from report.analysis.results import RATINGS
from report.pages.pdf import REPORT_PATH, sheet_path


@pytest.fixture(scope="module")
def site(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "site"
    result = subprocess.run([sys.executable, str(root / "build.py"), "--quiet", "--out", str(out),
                             "--site-url", "https://example.org/rapport/"],
                            capture_output=True, text=True, cwd=root, timeout=600)
    assert result.returncode == 0, result.stderr
    return out


def letters(text: str) -> str:
    """Text without spaces, punctuation and hyphens: a word broken over two lines of a justified
    paragraph ("automati-" "seringen") reads the same as the word whole."""
    return re.sub(r"[\W_]+", "", text).lower()


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """{font name: embedded?} for every font the pages use."""
    fonts = {}
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font.get("/BaseFont"))] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def test_every_factor_has_a_one_page_faktaark_with_its_rating_and_recommendation(site, results):
    for factor in results.factors.itertuples():
        reader = PdfReader(site / sheet_path(factor.factor_id))
        assert len(reader.pages) == 1, factor.factor_id
        text = letters(reader.pages[0].extract_text())
        assert letters(factor.name) in text
        assert letters(RATINGS[factor.rating].label) in text, factor.factor_id
        assert letters(factor.recommendation) in text, factor.factor_id
        assert letters("https://example.org/rapport/faktorer/" + factor.factor_id) in text
        assert "s61tabell12" in text  # sources by printed page
        fonts = embedded_fonts(reader)
        assert fonts and all(fonts.values()), fonts
        assert any("Libertinus" in name for name in fonts)  # Typst's own font, not the machine's
        assert reader.metadata.title == f"Faktaark: {factor.name}"


def test_norwegian_numbers_on_the_faktaark(site):
    text = PdfReader(site / sheet_path("leverandormarked")).pages[0].extract_text()
    assert "\u22120,032" in text  # true minus and decimal comma
    assert "0.032" not in text


def test_the_report_has_a_title_page_contents_every_sheet_and_the_method(site, results):
    reader = PdfReader(site / REPORT_PATH)
    pages = [letters(page.extract_text()) for page in reader.pages]
    assert letters("Automatisering i norske kommuner") in pages[0]
    assert letters("Olsen") in pages[0] and letters("Ruud") in pages[0]  # both theses cited
    assert "*" not in reader.pages[0].extract_text()  # the titles in italics, not in Markdown
    assert letters("Innhold") in pages[1]
    whole = "".join(pages)
    for heading in ("Problemstilling og utvalg", "Hovedfunnene", "Faktorene i oversikt",
                    "Metode og datakvalitet i korte trekk", "Kilder"):
        assert letters(heading) in whole, heading
    assert letters("Hvor utbredt er automatisering i norske kommuner") in whole
    for factor in results.factors.itertuples():
        assert letters(factor.recommendation) in whole, factor.factor_id
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Hovedfunnene" in outline  # a table of contents a PDF reader shows
    numbered = [page for page in pages[2:] if re.search(r"\d+$", page)]
    assert len(numbered) >= len(pages) - 3  # page numbers on every page after the title


def test_the_pages_link_to_the_pdfs(site):
    factor = (site / "faktorer/gevinstrealisering/index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/faktaark-gevinstrealisering.pdf"' in factor
    assert "Last ned faktaark (PDF" in factor
    for page, prefix in (("index.html", ""), ("faktorer/index.html", "../")):
        assert f'href="{prefix}{REPORT_PATH}"' in (site / page).read_text(encoding="utf-8")


def test_a_preview_build_sends_no_reader_to_this_machine(built):
    """Built without --site-url, the PDFs say where on the site a factor is, with no address."""
    sheet = PdfReader(built / sheet_path("gevinstrealisering")).pages[0].extract_text()
    report = "".join(page.extract_text() for page in PdfReader(built / REPORT_PATH).pages)
    for text in (sheet, report):
        assert "127.0.0.1" not in text
    assert letters("Faktorsiden: Gevinstrealisering under «Faktorene» på nettstedet") in letters(sheet)


def test_a_faktaark_warns_where_its_printed_partial_r_does_not_hang_together(site, results):
    """The factor page flags a printed value that cannot be right; the sheet must too."""
    flagged = set(results.flags.loc[results.flags["table"] == "Tabell 14", "factor_id"])
    assert "felleslosninger" in flagged  # -0,57 printed, probably -0,057
    for factor_id in results.factors["factor_id"]:
        text = letters(PdfReader(site / sheet_path(factor_id)).pages[0].extract_text())
        warned = letters("passer ikke med den trykte p-verdien") in text
        assert warned == (factor_id in flagged), factor_id


def test_the_faktaark_says_what_the_charts_shapes_mean(site):
    """The sheet's forest plot has no legend: its caption names each shape's rating."""
    raw = PdfReader(site / sheet_path("gevinstrealisering")).pages[0].extract_text()
    text = " ".join(raw.replace("\u00ad\n", "").split())  # words hyphenated at a line end
    for glyph, rating in zip("●◆▼✚", RATINGS.values(), strict=True):
        assert f"{glyph} {rating.label.lower()}" in text, glyph
