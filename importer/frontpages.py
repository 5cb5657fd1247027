"""Landing pages (index.md) and the reconstructed source list of seed 000."""

from __future__ import annotations

import re

from report.inputs.seeds import printed_pages

from . import convert as cv
from .layout import Thesis, load_yaml


def pages(seed: str, *lines: int) -> str:
    """The printed pages of these lines, as the site cites sources: 's. 88 og 94'."""
    numbers = sorted({printed_pages(seed, line, line)[0] for line in lines})
    return "s. " + " og ".join(", ".join(str(n) for n in numbers).rsplit(", ", 1))


def _body_without_heading(md: str) -> str:
    """Chapter Markdown minus its first heading line."""
    parts = md.split("\n\n", 1)
    return parts[1].strip() if len(parts) == 2 else ""


# How the chapters are reproduced: verbatim, numbers included (the pages the site makes itself use
# a decimal comma).
AS_PRINTED = {
    "004": ("Kapitlene er gjengitt ordrett fra kildeteksten, også tallene: der oppgaven skriver "
            "desimalpunktum («0.645») eller engelske kolonnenavn fra statistikkprogrammet («Mean»), "
            "står det slik her. Sidene nettstedet selv lager, som "
            "[faktoroversikten](../../faktorer/index.md), bruker desimalkomma."),
    "000": ("Kapitlene er gjengitt ordrett fra kildeteksten, også tallene, som står slik oppgaven "
            "skriver dem («136.000 jobber»)."),
}


def _contents(thesis: Thesis) -> str:
    return ("## Innhold { #innhold }\n\n" + AS_PRINTED[thesis.seed] + "\n\n"
            + _chapter_list(thesis) + "\n\n")


def _chapter_list(thesis: Thesis) -> str:
    items = []
    for ch in sorted(thesis.chapters, key=lambda c: c.order):
        items.append(f"- [{ch.title}]({ch.file})")
    if thesis.seed == "000":
        items.append("- [Kilder (rekonstruert)](kilder.md)")
    return "\n".join(items)


def index_page(thesis: Thesis, lines: list[str], chapter_md: dict[str, str]) -> str:
    if thesis.seed == "004":
        return _index_004(thesis, lines, chapter_md)
    return _index_000(thesis, lines, chapter_md)


def _index_004(thesis: Thesis, lines: list[str], chapter_md: dict[str, str]) -> str:
    assert "Universitetet i Agder" in lines[7317 - 1]
    assert "Thomas A. M. Olsen og Dan Marius Holter" in lines[7339 - 1]
    summary = _body_without_heading(chapter_md["00-sammendrag.md"])
    out = cv.front_matter("Olsen og Holter (2018)", 0, "004", "1-8038")
    out += "# Olsen og Holter (2018): automatisering i norske kommuner { #olsen-holter-2018 }\n\n"
    out += (
        "!!! note \"Tittelen mangler i kildeteksten\"\n"
        "    Tittelsiden er ikke med i kildeteksten, så oppgavens eksakte tittel er ukjent her. "
        "Overskriften over er en beskrivelse, ikke oppgavens tittel.\n\n"
    )
    out += _contents(thesis)  # first: a reader who comes for a chapter finds it at once
    out += "## Om oppgaven { #om-oppgaven }\n\n"
    out += (
        "- **Forfattere:** Thomas A. M. Olsen og Dan Marius Holter "
        f"(navnene står i spørreskjemaet i vedlegg B, {pages('004', 7339, 7920)})\n"
        f"- **Institusjon:** Universitetet i Agder (vedlegg B, {pages('004', 7317)})\n"
        "- **Studieprogram:** masteroppgave i informasjonssystemer "
        "(«to mastergradsstudenter i Informasjonssystemer ved Universitetet i Agder», "
        f"vedlegg B, {pages('004', 7317)})\n"
        "- **År:** 2018 (tittelsiden mangler; året følger av intervjudatoene i tabell 9 "
        f"og av at oppgaven skulle presenteres 7. juni, vedlegg B, {pages('004', 7908)})\n"
        "- **Veiledere:** ikke oppgitt i kildeteksten\n"
        "- **Problemstilling:** «Hvor utbredt er automatisering i norske kommuner, "
        "og hvilke faktorer påvirker automatiseringen?» (sammendraget)\n\n"
    )
    out += "## Sammendrag { #sammendrag }\n\n" + summary + "\n\n"
    out += (
        "## Foreslått kildehenvisning { #kildehenvisning }\n\n"
        "Olsen, T. A. M. & Holter, D. M. (2018). *[Tittel ikke kjent fra kildeteksten]* "
        "(Masteroppgave i informasjonssystemer). Universitetet i Agder. Tittelsiden mangler i "
        "teksten dette nettstedet bygger på: slå opp tittelen hos Universitetet i Agder før du "
        "siterer oppgaven.\n"
    )
    return out


def _index_000(thesis: Thesis, lines: list[str], chapter_md: dict[str, str]) -> str:
    assert lines[10 - 1].strip() == "Kristina Ruud"
    assert "Margrethe Aune og Nora Levold" in lines[3 - 1]
    summary = _body_without_heading(chapter_md["00-resyme.md"])
    out = cv.front_matter("Ruud (2018)", 0, "000", "1-3965")
    out += ("# Ruud (2018): ‘Fornye, forenkle og forbedre’ – Visjoner og ambisjoner om "
            "digitalisering i Husbanken { #ruud-2018 }\n\n")
    out += _contents(thesis)
    out += "## Om oppgaven { #om-oppgaven }\n\n"
    out += (
        "Fra tittelsiden:\n\n"
        "- **Tittel:** 'Fornye, forenkle og forbedre' – Visjoner og ambisjoner om digitalisering i "
        "Husbanken\n"
        "- **Forfatter:** Kristina Ruud\n"
        "- **Institusjon:** Norges teknisk-naturvitenskapelige universitet (NTNU), Det humanistiske "
        "fakultet, Institutt for tverrfaglige kulturstudier\n"
        "- **Studieprogram:** Masteroppgave i Studier av kunnskap, teknologi og samfunn (STS)\n"
        "- **Sted og år:** Trondheim, mai 2018\n"
        "- **Veiledere:** Margrethe Aune og Nora Levold\n"
        "- **Problemstilling:** «Digitalisering implementert fra et ledelsesperspektiv. Sammenhenger mellom "
        f"idè og iverksettelse av digitalisering i Husbanken?» ({pages('000', 336)})\n\n"
    )
    out += (
        "!!! note \"Utelatt fra kildeteksten\"\n"
        "    Siden «Læringsmål; kunnskaper, ferdigheter og generell kompetanse» (foran kapittel 1) er "
        "en fast tekst fra NTNU om masterprogrammet i STS og ikke en del av selve oppgaven. Den er "
        "utelatt her. "
        "Kildeteksten har heller ingen litteraturliste; se [Kilder (rekonstruert)](kilder.md).\n\n"
    )
    out += "## Resymé { #resyme }\n\n" + summary + "\n\n"
    out += (
        "## Foreslått kildehenvisning { #kildehenvisning }\n\n"
        "Ruud, K. (2018). *'Fornye, forenkle og forbedre' – Visjoner og ambisjoner om digitalisering i "
        "Husbanken* (Masteroppgave i studier av kunnskap, teknologi og samfunn (STS)). "
        "Norges teknisk-naturvitenskapelige universitet, Trondheim.\n"
    )
    return out


def load_kilder() -> list[dict]:
    return load_yaml("kilder_000.yaml")


def verify_kilde(entry: dict, lines: list[str]) -> list[int]:
    """Return the listed lines where none of the entry's `find` strings occurs.

    A citation may run over the next few source lines, so each check looks
    at the listed line and the following four lines.
    """
    finds = entry["find"] if isinstance(entry["find"], list) else [entry["find"]]
    bad = []
    for n in entry["lines"]:
        window = re.sub(r"\s+", " ", " ".join(lines[n - 2:n + 4])).lower()
        if not any(f.lower() in window for f in finds):
            bad.append(n)
    return bad


def kilder_page(thesis: Thesis, lines: list[str]) -> str:
    entries = load_kilder()
    for e in entries:
        bad = verify_kilde(e, lines)
        if bad:
            raise ValueError(f"kilder_000.yaml: {e['work']!r} not found at lines {bad}")
    out = cv.front_matter("Kilder (rekonstruert)", 9, "000", "1-3965")
    out += "# Kilder (rekonstruert fra henvisninger i teksten) { #kilder }\n\n"
    out += (
        "!!! note \"Litteraturlisten mangler i kildeteksten\"\n"
        "    Kildeteksten til Ruud (2018) har ingen litteraturliste. Listen under er **rekonstruert** "
        "fra henvisningene i selve teksten, ikke hentet fra oppgavens egen litteraturliste. "
        "Den gir derfor bare forfatter og år slik de står i teksten, ikke fullstendige referanser. "
        "Stavemåter og årstall er gjengitt slik forfatteren skriver dem.\n\n"
    )
    items = []
    for e in entries:
        items.append(f"- {cv.escape_markdown(e['work'])} (henvist til på "
                     f"{pages('000', *e['lines'])})")
    out += "\n".join(items) + "\n"
    return out
