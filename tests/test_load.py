"""Bad input: each case ends in one DataError naming the file, row and column."""

import pytest

from report.errors import DataError
from report.inputs.tables import load_study, parse_printed


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (case, file, old text, new text, expected pieces of the one-line message)
CASES = [
    ("r above 1", "tabell13_spearman.csv", "Samarbeid,0.372", "Samarbeid,1.372",
     ["tabell13_spearman.csv", "row 3 (line 4)", "column 'rho'", "at most 1"]),
    ("p above 1", "tabell14_partiell.csv", "Alignment,-0.142,0.151", "Alignment,-0.142,1.151",
     ["tabell14_partiell.csv", "row 4 (line 5)", "column 'p'", "at most 1"]),
    ("mean outside 1-5", "tabell12_deskriptiv.csv", '"3,2750"', '"5,2750"',
     ["tabell12_deskriptiv.csv", "row 9 (line 10)", "column 'mean'", "1-5 scale",
      "(got '5,2750')"]),  # echoed as the file has it, decimal comma and all
    ("unclosed quote", "tabell12_deskriptiv.csv", '"3,2750",', '"3,2750,',
     ["tabell12_deskriptiv.csv", "line 10:", "malformed CSV", "double quotes", "pair up"]),
    ("stray quote", "tabell12_deskriptiv.csv", '"3,2750"', '3"2750',
     ["tabell12_deskriptiv.csv", "line 10:", "double quotes", "pair up"]),
    ("N zero", "tabell12_deskriptiv.csv", "Samarbeid,73", "Samarbeid,0",
     ["tabell12_deskriptiv.csv", "row 4 (line 5)", "column 'n'", "above 0"]),
    ("wrong type", "tabell13_spearman.csv", "Alignment,0.412,0.000,80", "Alignment,0.412,0.000,eighty",
     ["tabell13_spearman.csv", "row 4 (line 5)", "column 'n'", "'eighty'"]),
    ("not a number", "tabell13_spearman.csv", "Strukturert,0.483", "Strukturert,0.4.83",
     ["row 5 (line 6)", "column 'rho'", "number as printed"]),
    ("unknown factor", "tabell13_spearman.csv", "Samarbeid,", "Samarbeidet,",
     ["tabell13_spearman.csv", "row 3 (line 4)", "column 'variable'", "'Samarbeidet'"]),
    ("duplicate factor id", "factors.csv", "samarbeid,Samarbeid", "alignment,Samarbeid",
     ["factors.csv", "column 'factor_id'", "duplicate"]),
    ("non-ASCII factor id", "factors.csv", "samarbeid,Samarbeid", "samarbeid-ø,Samarbeid",
     ["factors.csv", "row 7 (line 8)", "column 'factor_id'", "ASCII"]),
    ("unknown area", "factors.csv", "Samarbeid,Organisatoriske faktorer",
     "Samarbeid,Økonomiske faktorer",
     ["factors.csv", "row 7 (line 8)", "column 'area'", "unknown area"]),
    ("missing column", "tabell13_spearman.csv", "variable,rho,p,n,label", "variable,rho,p,antall,label",
     ["tabell13_spearman.csv", "line 1", "missing column 'n'"]),
    ("malformed CSV row", "fylker.csv", "Oslo,1,", "Oslo,1,extra,",
     ["fylker.csv", "row 3 (line 4)", "expected 4 fields but found 5"]),
    ("unknown label", "tabell13_spearman.csv", "0.196,73,n.s", "0.196,73,ns",
     ["tabell13_spearman.csv", "row 9 (line 10)", "column 'label'", "one of"]),
    ("unknown survey variable", "survey_items.csv", ",mal-om-digitalisering,false,\"3,8\"",
     ",mal,false,\"3,8\"", ["survey_items.csv", "row 1 (line 2)", "column 'variable'"]),
    ("negative participants", "fylker.csv", "Oslo,1,", "Oslo,-1,",
     ["fylker.csv", "row 3 (line 4)", "column 'participants'"]),
]


@pytest.mark.parametrize("case,filename,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_value_names_file_row_and_column(data_copy, case, filename, old, new, expected):
    replace_in(data_copy / filename, old, new)
    with pytest.raises(DataError) as info:
        load_study(data_copy)
    message = info.value.one_line()
    assert "\n" not in message
    for piece in expected:
        assert piece in message, f"{piece!r} missing from: {message}"


def test_factor_missing_from_a_table(data_copy):
    path = data_copy / "tabell15_anbefalinger.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("Gevinstrealisering")),
                    encoding="utf-8")
    with pytest.raises(DataError, match="no row for factor 'gevinstrealisering'"):
        load_study(data_copy)


def test_not_utf8_names_the_line(data_copy):
    path = data_copy / "fylker.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(DataError) as info:
        load_study(data_copy)
    assert info.value.one_line().startswith(str(path.name)) or "fylker.csv, line 2" in str(info.value)
    assert "not UTF-8" in str(info.value)


def test_empty_and_missing_files(data_copy):
    (data_copy / "utvalg.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="utvalg.csv: file is empty"):
        load_study(data_copy)
    (data_copy / "utvalg.csv").unlink()
    with pytest.raises(DataError, match="utvalg.csv: file is missing"):
        load_study(data_copy)


@pytest.mark.parametrize("token,value,decimals", [
    ("3,4658", 3.4658, 4), (",67417", 0.67417, 5), ("1,11786", 1.11786, 5),
    ("0.645", 0.645, 3), ("-0.57", -0.57, 2), ("-0.032", -0.032, 3), ("4", 4.0, 0),
])
def test_printed_numbers_keep_their_decimals(token, value, decimals):
    assert parse_printed(token) == (pytest.approx(value), decimals)


def test_real_data_loads_with_every_factor_once(study):
    assert len(study.factors) == 17
    for frame in (study.spearman, study.partial, study.recommendations):
        assert sorted(frame["factor_id"]) == sorted(study.factors["factor_id"])
    assert study.counties["participants"].sum() == 105
