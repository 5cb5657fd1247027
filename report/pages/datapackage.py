"""The downloadable tables described as a Frictionless Data Package (datapackage.json): for every
CSV its fields, their types and units, and where the numbers come from."""

from __future__ import annotations

import json

import pandas as pd

from ..inputs.tables import SCHEMAS, Col

TYPES = {"int": "integer", "printed": "string", "text": "string", "bool": "boolean"}
PRINTED = "slik oppgaven trykker verdien (desimalkomma eller -punktum, ev. uten null foran)"
FIELDS = {  # what a column holds, and its unit, wherever it appears
    "mean": "snitt på skalaen 1 (helt uenig) til 5 (helt enig), " + PRINTED,
    "sd": "standardavvik på skalaen 1–5, " + PRINTED,
    "rho": "Spearmans rangkorrelasjon med Automatisering, " + PRINTED,
    "r": "partiell korrelasjon med Automatisering når de andre faktorene holdes konstant, "
         + PRINTED,
    "p": "p-verdi (ensidig), " + PRINTED,
    "n": "antall kommuner som har svart",
    "municipalities": "antall kommuner",
    "participants": "antall deltakende kommuner",
    "respondents": "antall respondenter i intervjuet",
    "label": "oppgavens signifikansmerke",
    "source_table": "tabellen eller avsnittet i oppgaven verdien står i",
    "source_line": "linjen i kildeteksten (sources/ i prosjektet) der verdien står",
    "source_lines": "linjene i kildeteksten (sources/ i prosjektet) der verdien står",
    "sic": "ordene en trykkfeil i anbefalingen slutter med (flere skilt med ;): nettstedet "
           "viser [sic] etter dem og lar teksten stå slik den er trykt",
}
TITLES = {  # source file -> (title, source)
    "areas.csv": ("De fire områdene faktorene er gruppert i", "Olsen og Holter (2018), avsnitt 6.2"),
    "factors.csv": ("De 17 faktorene og navnene deres i tabellene", "Olsen og Holter (2018)"),
    "fylker.csv": ("Deltakende kommuner per fylke", "Olsen og Holter (2018), fylkeslisten etter Figur 13"),
    "survey_items.csv": ("Påstandene i spørreskjemaet og faktoren hver hører til (rekonstruert)",
                         "Olsen og Holter (2018), Vedlegg B og kapittel 6"),
    "tabell12_deskriptiv.csv": ("Tabell 12: deskriptiv statistikk", "Olsen og Holter (2018), Tabell 12"),
    "tabell13_spearman.csv": ("Tabell 13: bivariate korrelasjoner", "Olsen og Holter (2018), Tabell 13"),
    "tabell14_partiell.csv": ("Tabell 14: partielle korrelasjoner", "Olsen og Holter (2018), Tabell 14"),
    "tabell15_anbefalinger.csv": ("Tabell 15: anbefalingene", "Olsen og Holter (2018), Tabell 15"),
    "tabell9_intervjuer.csv": ("Tabell 9: intervjuene", "Olsen og Holter (2018), Tabell 9"),
    "tekstverdier.csv": ("Tall oppgaven oppgir i teksten", "Olsen og Holter (2018)"),
    "utvalg.csv": ("Utvalget: invitert, deltok, fullførte", "Olsen og Holter (2018), avsnitt 3.4.1 og 5.2"),
}
DERIVED = "Regnet ut av dette nettstedet fra tabellene i Olsen og Holter (2018)"


def field(name: str, col: Col | None = None, dtype=None) -> dict:
    kind = TYPES[col.kind] if col is not None else _frame_type(dtype)
    described = {"name": name, "type": kind}
    if name in FIELDS:
        described["description"] = FIELDS[name]
    if col is not None and col.kind == "printed" and name not in FIELDS:
        described["description"] = PRINTED
    return described


def _frame_type(dtype) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    return "string"


def resource(path: str, title: str, source: str, fields: list[dict]) -> dict:
    return {"name": path.removeprefix("data/").removesuffix(".csv").replace("/", "-")
            .replace("_", "-").lower(),
            "path": path, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": title,
            "sources": [{"title": source}], "schema": {"fields": fields}}


def descriptor(derived: dict[str, tuple[str, pd.DataFrame]]) -> str:
    """datapackage.json for the source tables (as printed) and the derived tables (path ->
    (title, frame))."""
    resources = [resource(f"data/{name}", *TITLES[name],
                          [field(column, col) for column, col in spec.items()])
                 for name, spec in sorted(SCHEMAS.items())]
    resources += [resource(path, title, DERIVED,
                           [field(column, dtype=frame[column].dtype) for column in frame.columns])
                  for path, (title, frame) in sorted(derived.items())]
    package = {"profile": "tabular-data-package", "name": "automatisering-i-norske-kommuner",
               "title": "Automatisering i norske kommuner: tabellene bak nettstedet",
               "resources": resources,
               "description": "Tabellene fra Olsen og Holter (2018) slik de er trykt, og tabellene "
                              "nettstedet regner ut av dem."}
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
