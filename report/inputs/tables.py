"""Read every CSV in data/, validate it, and check the rules that span files.

Values are kept exactly as printed in the thesis (decimal comma or point, no leading zero);
`parse_printed` turns them into numbers and remembers how many decimals were printed, which the
consistency check needs. Every problem becomes a DataError naming file, row and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError
from .files import display_path, read_utf8
from .seeds import range_problem

DEPENDENT_VARIABLE = "Automatisering"
LINE = "_line"  # the file line each row starts on (header = line 1)

PRINTED_NUMBER = re.compile(r"^-?(\d+)?[.,]?\d+$")
LINE_RANGE = r"^\d+(-\d+)?(; ?\d+(-\d+)?)*$"
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# A name that becomes a page's title and navigation entry: the theme writes titles into the page
# unescaped (and its <title> unescapes entities), so HTML's characters would be markup there, and
# Markdown's would be markup in the page's heading.
TITLE = r'^[^<>&"\[\]*_`\\]+$'
TITLE_HINT = ('a name without < > & " [ ] * _ ` or \\ (it is a page title and a navigation '
              'entry, which must not carry markup)')


@dataclass(frozen=True)
class Col:
    """How one CSV column must look. `kind` is text, int, printed (a number as printed) or bool."""

    kind: str = "text"
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    required: bool = True
    unique: bool = False
    hint: str = ""
    seed: str | None = None  # the values are line numbers (or ranges) in this seed


def parse_printed(token: str) -> tuple[float, int]:
    """'3,4658' -> (3.4658, 4); ',67417' -> (0.67417, 5); '-0.57' -> (-0.57, 2)."""
    text = token.strip().replace(",", ".")
    if not PRINTED_NUMBER.match(token.strip()):
        raise ValueError(f"not a printed number: {token!r}")
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    if text.startswith("."):
        text = "0" + text
    elif text.startswith("-."):
        text = "-0" + text[1:]
    return float(text), decimals


SCHEMAS: dict[str, dict[str, Col]] = {
    "areas.csv": {
        "area_id": Col(pattern=SLUG, unique=True),
        "name": Col(pattern=TITLE, unique=True, hint=TITLE_HINT),
        "section": Col(pattern=r"^\d+(\.\d+)*$"),
        "source_line": Col("int", min=1, seed="004"),
    },
    "factors.csv": {
        "factor_id": Col(pattern=SLUG, unique=True,
                         hint="a stable ASCII id: lowercase letters, digits and hyphens"),
        "name": Col(pattern=TITLE, unique=True, hint=TITLE_HINT),
        "area": Col(),
        "name_tabell12": Col(unique=True),
        "name_tabell13": Col(unique=True),
        "name_tabell14": Col(unique=True),
        "name_tabell15": Col(unique=True),
        "heading_line": Col("int", min=1, seed="004"),
    },
    "tabell12_deskriptiv.csv": {
        "variable": Col(unique=True),
        "n": Col("int", min=1, hint="a count: a whole number above 0"),
        "mean": Col("printed", min=1, max=5, hint="a mean on the 1-5 scale"),
        "sd": Col("printed", min=0, hint="a standard deviation of 0 or more"),
        "source_table": Col(choices=("Tabell 12",)),
        "source_line": Col("int", min=1, seed="004"),
    },
    "tabell13_spearman.csv": {
        "variable": Col(unique=True),
        "rho": Col("printed", min=-1, max=1, hint="a correlation between -1 and 1"),
        "p": Col("printed", min=0, max=1, hint="a p-value between 0 and 1"),
        "n": Col("int", min=1, hint="a count: a whole number above 0"),
        "label": Col(choices=("Signifikant", "n.s")),
        "source_table": Col(choices=("Tabell 13",)),
        "source_line": Col("int", min=1, seed="004"),
    },
    "tabell14_partiell.csv": {
        "variable": Col(unique=True),
        "r": Col("printed", min=-1, max=1, hint="a correlation between -1 and 1"),
        "p": Col("printed", min=0, max=1, hint="a p-value between 0 and 1"),
        "label": Col(choices=("Signifikant", "(n.s.)")),
        "source_table": Col(choices=("Tabell 14",)),
        "source_line": Col("int", min=1, seed="004"),
    },
    "tabell15_anbefalinger.csv": {
        "factor": Col(unique=True),
        # a faktaark holds a recommendation of about this length (the longest is 496)
        "recommendation": Col(pattern=r"^[\s\S]{1,700}$",
                              hint="a recommendation of at most 700 characters (it must fit on "
                                   "the factor's one-page faktaark)"),
        "source_table": Col(choices=("Tabell 15",)),
        "source_lines": Col(pattern=LINE_RANGE, seed="004"),
        # a misprint kept as printed: the words it ends with, after which the site shows [sic]
        "sic": Col(required=False, hint="words of the recommendation that end a misprint, "
                                        "separated by ';'"),
    },
    "fylker.csv": {
        "county": Col(unique=True),
        "participants": Col("int", min=0),
        "source_table": Col(),
        "source_lines": Col(pattern=LINE_RANGE, seed="004"),
    },
    "utvalg.csv": {
        "stage": Col(choices=("asked", "participated", "completed"), unique=True),
        "label": Col(),
        "municipalities": Col("int", min=1),
        "source_table": Col(),
        "source_lines": Col(pattern=LINE_RANGE, seed="004"),
    },
    "tabell9_intervjuer.csv": {
        "organisation": Col(),
        "date": Col(pattern=r"^\d\d\.\d\d\.\d\d$"),
        "method": Col(),
        "duration": Col(pattern=r"^\d+ min$"),
        "respondents": Col("int", min=1),
        "source_table": Col(choices=("Tabell 9",)),
        "source_lines": Col(pattern=LINE_RANGE, seed="004"),
    },
    "tekstverdier.csv": {
        "claim": Col(choices=("response_rate_percent", "significant_factor_count"), unique=True),
        "printed": Col("int", min=0),
        "source_table": Col(),
        "source_lines": Col(pattern=LINE_RANGE, seed="004"),
    },
    "survey_items.csv": {
        "item": Col("int", min=1, unique=True),
        "page": Col("int", min=1, max=6),
        "statement": Col(),
        "statement_lines": Col(pattern=LINE_RANGE, seed="004"),
        "variable": Col(required=False),
        "reversed": Col(choices=("true", "false")),
        "quoted_mean": Col("printed", min=1, max=5, required=False),
        "quoted_mean_lines": Col(pattern=LINE_RANGE, required=False, seed="004"),
        "basis": Col(required=False),
    },
}


@dataclass
class Study:
    """Everything in data/, validated. Frames keep the printed strings and add parsed numbers."""

    data_dir: Path
    areas: pd.DataFrame
    factors: pd.DataFrame
    descriptives: pd.DataFrame
    spearman: pd.DataFrame
    partial: pd.DataFrame
    recommendations: pd.DataFrame
    counties: pd.DataFrame
    sample: pd.DataFrame
    interviews: pd.DataFrame
    items: pd.DataFrame
    claims: pd.DataFrame       # totals the thesis states in its text (tekstverdier.csv)
    files: dict[str, Path] = field(default_factory=dict)


def read_rows(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read a CSV as strings, checking encoding, header and field counts."""
    label = display_path(path)
    text = read_utf8(path)
    if not text.strip():
        raise DataError("file is empty; expected a header row: " + ",".join(columns), file=label)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    # Lines as the csv module counts them (\n, \r\n or \r; splitlines() also splits at others).
    physical = io.StringIO(text, newline="").readlines()

    def unclosed_quote(first: int, last: int | None = None) -> DataError | None:
        """An error if the record on lines first..last (to the end: the csv module gave up) has
        a double quote that is not closed. The csv module reads on past it, and its complaint
        (a field too many, a strange value or a later line) would not say so."""
        lines = physical[first - 1:last]
        if last is not None and sum(line.count('"') for line in lines) % 2 == 0:
            return None
        odd = next((number for number, line in enumerate(lines, start=first)
                    if line.count('"') % 2), None)
        if odd is None:
            return None
        return DataError('malformed CSV: the double quotes (") on this line do not pair up; a '
                         'value with a comma goes in double quotes, e.g. "3,4658", and a double '
                         'quote inside one is written twice ("")', file=label, line=odd)

    try:
        header = next(reader)
        check_header(header, columns, label)
        for name in columns:
            if name not in header:
                raise DataError(f"missing column '{name}' in the header", file=label, line=1,
                                column=name)
        for name in header:
            if name not in columns:
                raise DataError(f"unknown column '{name}'; expected: {', '.join(columns)}",
                                file=label, line=1, column=name)
        rows, lines = [], []
        start = reader.line_num + 1
        for record in reader:
            if not any(cell.strip() for cell in record):
                start = reader.line_num + 1
                continue
            if error := unclosed_quote(start, reader.line_num):
                raise error
            if len(record) != len(header):
                raise DataError(f"expected {len(header)} fields but found {len(record)}"
                                " (check commas and quotes)", file=label,
                                row=len(rows) + 1, line=start)
            rows.append(dict(zip(header, (cell.strip() for cell in record), strict=True)))
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise unclosed_quote(start) or DataError(f"malformed CSV: {exc}", file=label,
                                                 line=reader.line_num) from None
    frame = pd.DataFrame(rows, columns=header, dtype=object).reindex(columns=columns)
    frame[LINE] = lines
    return frame


def check_header(header: list[str], columns: list[str], label: str) -> None:
    """The problems with a header row that a maintainer could not guess from 'missing column':
    a spreadsheet's semicolon separators, spaces around a name, a name twice."""
    if len(header) == 1 and ";" in header[0]:
        raise DataError("the columns are separated by semicolons, as a spreadsheet set to "
                        "Norwegian saves CSV; save it as comma-separated CSV (UTF-8), with a "
                        'value with a decimal comma in double quotes ("3,4658")', file=label,
                        line=1)
    for name in header:
        if name != name.strip():
            raise DataError(f"the column name {name!r} has spaces around it; write it as "
                            f"'{name.strip()}'", file=label, line=1, column=name.strip())
        if header.count(name) > 1:
            raise DataError(f"the column '{name}' appears twice in the header", file=label,
                            line=1, column=name)


WHOLE_NUMBER = r"^-?\d+$"
FORMAT_PROBLEMS = {  # what a cell that does not match its column's pattern is told, by kind
    "int": "must be a whole number",
    "printed": "must be a number as printed, e.g. 0.645, 3,4658 or ,67417",
}


def _format_type(col: Col):
    """The pydantic type a cell must match as written (every cell is a string)."""
    from typing import Annotated, Literal

    from pydantic import StringConstraints

    if col.choices:
        return Literal[col.choices + (("",) if not col.required else ())]
    pattern = {"int": WHOLE_NUMBER, "printed": PRINTED_NUMBER.pattern}.get(col.kind, col.pattern)
    if pattern and not col.required:
        pattern = f"{pattern}|^$"
    return Annotated[str, StringConstraints(min_length=1 if col.required else 0,
                                            pattern=pattern)]


def _range_type(col: Col):
    """The pydantic type a parsed number must match (None for an empty optional cell)."""
    from typing import Annotated

    from pydantic import Field

    return Annotated[float, Field(ge=col.min, le=col.max)] | None


def _problem(error: dict, col: Col) -> str:
    """Our words for a pydantic error on a cell of this column."""
    kind = error["type"]
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return FORMAT_PROBLEMS["printed"] if col.kind == "printed" else \
            col.hint or FORMAT_PROBLEMS.get(col.kind) or f"must match {col.pattern}"
    if kind == "literal_error":
        return "must be one of: " + ", ".join(col.choices)
    what = col.hint or "value"
    if kind == "greater_than_equal":
        return f"out of range: expected {what} (at least {col.min:g})"
    if kind == "less_than_equal":
        return f"out of range: expected {what} (at most {col.max:g})"
    return error["msg"]


def _first_problem(rows: list[dict], types: dict, spec: dict[str, Col]):
    """(row number, column, problem, value) of the first cell that fails its type, or None."""
    from pydantic import TypeAdapter, ValidationError
    from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

    adapter = TypeAdapter(TypedDict("Row", types))
    for number, row in enumerate(rows, start=1):
        try:
            adapter.validate_python({name: row[name] for name in types})
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            column = error["loc"][0]
            return number, column, _problem(error, spec[column]), row[column]
    return None


def _first_duplicate(rows: list[dict], spec: dict[str, Col]):
    """(row number, column, problem, value) of the first repeat in a column that must be unique."""
    seen: dict[str, set] = {name: set() for name, col in spec.items() if col.unique}
    for number, row in enumerate(rows, start=1):
        for name, values in seen.items():
            if row[name] in values:
                return number, name, "duplicate value; each row must be unique here", row[name]
            values.add(row[name])
    return None


def _refuse(problems: list, lines: list[int], label: str) -> None:
    """Raise a DataError for the earliest row's problem, if there is one."""
    found = [problem for problem in problems if problem is not None]
    if not found:
        return
    row, column, message, value = min(found, key=lambda problem: problem[0])
    raise DataError(f"{message} (got {value!r})", file=label, row=row, line=lines[row - 1],
                    column=column)


def validate_table(frame: pd.DataFrame, spec: dict[str, Col], label: str) -> pd.DataFrame:
    """Check formats, then ranges of the parsed values (pydantic); return the frame with parsed
    columns. The error names the earliest row with a problem."""
    rows = frame.to_dict("records")
    lines = list(frame[LINE])
    _refuse([_first_problem(rows, {name: _format_type(col) for name, col in spec.items()}, spec),
             _first_duplicate(rows, spec)], lines, label)
    parsed = frame.copy()
    numbers: dict[str, list] = {}
    for name, col in spec.items():
        if col.kind == "int":
            numbers[name] = [int(v) if v else None for v in parsed[name]]
            parsed[name] = pd.array(numbers[name], dtype="Int64")
        elif col.kind == "printed":
            values = [parse_printed(v) if v else (None, 0) for v in parsed[name]]
            numbers[name] = [v for v, _ in values]
            parsed[name + "_printed"] = parsed[name]
            parsed[name] = [float("nan") if v is None else v for v in numbers[name]]
            parsed[name + "_decimals"] = [d for _, d in values]
    ranged = {name: _range_type(spec[name]) for name in numbers
              if spec[name].min is not None or spec[name].max is not None}
    number_rows = [{name: numbers[name][index] for name in ranged} for index in range(len(rows))]
    out_of_range = _first_problem(number_rows, ranged, spec)
    if out_of_range is not None:  # shown as the file has it ("5,5"), not as parsed (5.5)
        row, column, message, _ = out_of_range
        out_of_range = row, column, message, rows[row - 1][column]
    _refuse([out_of_range], lines, label)
    return parsed


def load_table(data_dir: Path, filename: str) -> pd.DataFrame:
    path = data_dir / filename
    spec = SCHEMAS[filename]
    frame = validate_table(read_rows(path, list(spec)), spec, display_path(path))
    check_line_references(frame, spec, display_path(path))
    return frame


def check_line_references(frame: pd.DataFrame, spec: dict[str, Col], label: str) -> None:
    """Every line number or range points into its seed's text."""
    for name, col in spec.items():
        if col.seed is None:
            continue
        for index, value in enumerate(frame[name]):
            problem = range_problem(value, col.seed) if value is not None and value != "" \
                and not pd.isna(value) else None
            if problem:
                _fail_at(frame, index, name, problem, label)


def _fail_at(frame: pd.DataFrame, index: int, column: str, message: str, label: str) -> None:
    raise DataError(message, file=label, row=index + 1, line=int(frame[LINE].iloc[index]),
                    column=column)


def attach_factor_ids(frame: pd.DataFrame, column: str, names: dict[str, str], label: str,
                      catalogue_column: str, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Map the table's spelling of each factor to its id; every factor exactly once."""
    frame = frame.copy()
    ids = []
    for index, name in enumerate(frame[column]):
        if name in names:
            ids.append(names[name])
        elif name in extra:
            ids.append(None)
        else:
            _fail_at(frame, index, column,
                     f"'{name}' is not a known factor name (data/factors.csv, column"
                     f" {catalogue_column})", label)
    frame["factor_id"] = ids
    missing = sorted(set(names.values()) - set(i for i in ids if i))
    if missing:
        wanted = [n for n, i in names.items() if i == missing[0]][0]
        raise DataError(f"no row for factor '{missing[0]}' (expected '{wanted}' in column"
                        f" '{column}')", file=label, column=column)
    return frame


def check_items(items: pd.DataFrame, factor_ids: set[str], label: str) -> None:
    allowed = factor_ids | {DEPENDENT_VARIABLE.lower(), ""}
    for index, variable in enumerate(items["variable"]):
        if variable not in allowed:
            _fail_at(items, index, "variable",
                     f"'{variable}' is not a factor_id in data/factors.csv, 'automatisering'"
                     " or empty", label)


def load_study(data_dir: Path) -> Study:
    """Load and validate all of data/, including the rules that span files."""
    data_dir = Path(data_dir)
    tables = {name: load_table(data_dir, name) for name in SCHEMAS}
    label = {name: display_path(data_dir / name) for name in SCHEMAS}
    areas, factors = tables["areas.csv"], tables["factors.csv"]
    known_areas = set(areas["name"])
    for index, area in enumerate(factors["area"]):
        if area not in known_areas:
            _fail_at(factors, index, "area",
                     f"unknown area '{area}'; known areas (data/areas.csv): "
                     + ", ".join(areas["name"]), label["factors.csv"])

    def names(column: str) -> dict[str, str]:
        return dict(zip(factors[column], factors["factor_id"], strict=True))

    descriptives = attach_factor_ids(tables["tabell12_deskriptiv.csv"], "variable",
                                     names("name_tabell12"), label["tabell12_deskriptiv.csv"],
                                     "name_tabell12", extra=(DEPENDENT_VARIABLE,))
    if DEPENDENT_VARIABLE not in set(descriptives["variable"]):
        raise DataError(f"no row for the dependent variable '{DEPENDENT_VARIABLE}'",
                        file=label["tabell12_deskriptiv.csv"], column="variable")
    spearman = attach_factor_ids(tables["tabell13_spearman.csv"], "variable",
                                 names("name_tabell13"), label["tabell13_spearman.csv"],
                                 "name_tabell13")
    partial = attach_factor_ids(tables["tabell14_partiell.csv"], "variable",
                                names("name_tabell14"), label["tabell14_partiell.csv"],
                                "name_tabell14")
    recommendations = attach_factor_ids(tables["tabell15_anbefalinger.csv"], "factor",
                                        names("name_tabell15"),
                                        label["tabell15_anbefalinger.csv"], "name_tabell15")
    items = tables["survey_items.csv"]
    check_items(items, set(factors["factor_id"]), label["survey_items.csv"])
    sample = tables["utvalg.csv"]
    if set(tables["tekstverdier.csv"]["claim"]) != set(SCHEMAS["tekstverdier.csv"]["claim"].choices):
        raise DataError("needs one row for each claim: "
                        + ", ".join(SCHEMAS["tekstverdier.csv"]["claim"].choices),
                        file=label["tekstverdier.csv"], column="claim")
    if set(sample["stage"]) != {"asked", "participated", "completed"}:
        raise DataError("needs one row each for stages asked, participated and completed",
                        file=label["utvalg.csv"], column="stage")
    return Study(
        data_dir=data_dir, areas=areas, factors=factors, descriptives=descriptives,
        spearman=spearman, partial=partial, recommendations=recommendations,
        counties=tables["fylker.csv"], sample=sample,
        interviews=tables["tabell9_intervjuer.csv"], items=items,
        claims=tables["tekstverdier.csv"],
        files={name: data_dir / name for name in SCHEMAS},
    )
