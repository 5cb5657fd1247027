"""Unit tests of the importer's conversion functions."""

from importer import convert as cv
from importer.convert import SrcLine


def sl(no, raw, blank_before=1, ws_before=False):
    return SrcLine(no=no, raw=raw, blank_before=blank_before, ws_before=ws_before)


# --- page numbers -----------------------------------------------------------

def test_page_number_after_blank_run_is_removed():
    lines = ["tekst.", "", "", "", "2 ", "", " ", "", "2. Litteratur"]
    assert cv.is_page_number(lines, 4)


def test_county_counts_are_not_page_numbers():
    # seed 004, 5004-5010: "Sogn og" / "Fjordane" / "5" / "Trøndelag 9"
    lines = ["Sogn og ", "", "Fjordane ", "", "5 ", "", "Trøndelag 9 ", "", "Møre og ", "", "Romsdal ", "",
             "3 "]
    assert not cv.is_page_number(lines, 4)
    assert not cv.is_page_number(lines, 12)


def test_source_lines_drop_page_numbers_but_keep_counts():
    lines = ["a ", "", "", "", "17 ", "", "b ", "", "5 "]
    src = cv.source_lines(lines)
    assert 5 not in src and 9 in src and src[9].text == "5"


# --- split words and hyphenation ---------------------------------------------

FIXES = [("f ra", "fra"), ("kontinuer lig", "kontinuerlig"), ("ti l", "til"), ("t ilgang", "tilgang")]


def test_mend_split_words():
    assert cv.mend_split_words("resultater f ra intervjuene", FIXES) == "resultater fra intervjuene"
    assert cv.mend_split_words("en kontinuer lig prosess", FIXES) == "en kontinuerlig prosess"
    assert cv.mend_split_words("ha t ilgang ti l data", FIXES) == "ha tilgang til data"


def test_mend_split_words_keeps_compounds_and_real_words():
    text = "gamle IT-systemer og ikke-signifikante funn, ti år"
    assert cv.mend_split_words(text, FIXES) == text


def test_join_keeps_compound_hyphens():
    assert cv.join_lines(["mange IT-", "systemer"]) == "mange IT-systemer"
    assert cv.join_lines(["nesten utelukkende ikke-", "signifikante"]) == \
        "nesten utelukkende ikke-signifikante"
    assert cv.join_lines(["Husbanken Midt-", "Norge"]) == "Husbanken Midt-Norge"
    assert cv.join_lines(["slutten av 30-", "årene"]) == "slutten av 30-årene"
    assert cv.join_lines(["Lettvekts/tungvekts-", "IT"]) == "Lettvekts/tungvekts-IT"


def test_join_suspended_compound_keeps_space():
    assert cv.join_lines(["fra Kommunal-", "og moderniseringsdepartementet"]) == \
        "fra Kommunal- og moderniseringsdepartementet"


def test_join_removes_true_hyphenation():
    assert cv.join_lines(["baseres på forholdsmessighets-", "vurderinger med"]) == \
        "baseres på forholdsmessighetsvurderinger med"


def test_space_before_punctuation():
    assert cv.fix_space_before_punctuation("teknologiforståelse , hvor") == "teknologiforståelse, hvor"
    assert cv.fix_space_before_punctuation("(Iden, 2013, s. 98)") == "(Iden, 2013, s. 98)"


# --- paragraph joining -------------------------------------------------------

def test_full_line_continues_paragraph():
    a = sl(1, "organisasjonen fortsatt fungerer optimalt (Christensen, 1997). Ifølge Andersen og "
              "Sannes (2017) krever ")
    b = sl(3, "en proaktiv ledelse som evner")
    assert not cv.paragraph_break(a, b, 85)


def test_short_line_ending_sentence_breaks():
    a = sl(1, "kommunal sektor (Korme, 2017). ")
    b = sl(3, "Ny teknologi byr i dag på muligheter ")
    assert cv.paragraph_break(a, b, 85)


def test_full_line_ending_sentence_before_long_word_continues():
    a = sl(1, "x" * 80 + ".")
    b = sl(3, "Digitaliseringsstrategien er viktig")
    assert not cv.paragraph_break(a, b, 85)


def test_trailing_double_space_breaks():
    a = sl(1, "og kommunal sektor.  ")
    b = sl(3, "En viktig del av digitalisering")
    assert cv.paragraph_break(a, b, 85)


def test_mid_sentence_never_breaks():
    a = sl(1, "for uten et felles mål for arbeidet med  ")
    b = sl(3, "å digitalisere, vil det være åpent", blank_before=1)
    assert not cv.paragraph_break(a, b, 74)


def test_citation_after_quote_joins():
    a = sl(1, "den digitale fremtidige prosessen kan se ut» ")
    b = sl(3, "(Respondent 6). ")
    assert not cv.paragraph_break(a, b, 85)


def test_page_break_line_joins_paragraph():
    a = sl(1, "Det må fokuseres på forretnings og teknologiforståelse , hvor ledelsen må sørge for at ")
    b = sl(2, " kompetanse utvikles og oppdateres.", blank_before=0)
    paras = cv.split_paragraphs([a, b], 85)
    assert len(paras) == 1
    assert cv.clean_inline(cv.join_lines([p.text for p in paras[0]])) == \
        "Det må fokuseres på forretnings og teknologiforståelse, hvor ledelsen må sørge for at " \
        "kompetanse utvikles og oppdateres."


def test_list_item_starts_new_paragraph():
    a = sl(1, "områder for digital transformasjon: ")
    b = sl(3, "1. Organisasjoner må begynne med å rydde i IT-systemer")
    assert cv.paragraph_break(a, b, 85)


def test_date_is_not_a_list_item():
    assert cv.list_number("27. November 2014 postet Difi") is None
    assert cv.list_number("2. Kunnskap og forståelse").group(1) == "2"


# --- headings, slugs, quotes -------------------------------------------------

def test_numbered_heading_detection():
    assert cv.numbered_heading("2.1 Den digitale transformasjon og digitalisering  ") == ("2.1", 2)
    assert cv.numbered_heading(" 2.2.1 Generell automatisering") == ("2.2.1", 3)
    assert cv.numbered_heading("1. Organisasjoner må begynne med å rydde") is None
    assert cv.numbered_heading("08.09.2017 ble rundskrivet publisert") is None


def test_slugify_ascii():
    assert cv.slugify("Forskningstilnærming") == "forskningstilnaerming"
    assert cv.slugify("Mål om digitalisering") == "mal-om-digitalisering"
    assert cv.slugify("Resymé") == "resyme"
    assert cv.slugify("2.1 Den digitale transformasjon") == "2-1-den-digitale-transformasjon"


def test_heading_anchor_unique():
    used = set()
    assert cv.heading_anchor("Sammenfatning:", used) == "sammenfatning"
    assert cv.heading_anchor("Sammenfatning:", used) == "sammenfatning-2"


def test_standalone_quote():
    assert cv.is_standalone_quote("«Vår hindring nå er infrastruktur» (Respondent 7).")
    assert cv.is_standalone_quote("«..forankringen er viktig. Det må til».")
    assert not cv.is_standalone_quote("Respondent 2 sier: «Det blir mye jobb».")
    assert not cv.is_standalone_quote(
        "«Mål om digitalisering» er i vår undersøkelse den faktoren som har høyest korrelasjon.")
