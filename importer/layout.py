"""Chapter layout of the two theses: which source lines go into which file.

Line numbers are 1-based lines of the seed files (as ``sed -n 'A,Bp'`` counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from report.inputs.seeds import SEED_FILES  # noqa: F401 - re-exported
from report.inputs.seeds import SOURCE_DIR as DEFAULT_SEEDS  # noqa: F401 - re-exported

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_OUT = REPO / "content" / "theses"
FACTORS_CSV = REPO / "data" / "factors.csv"

THESIS_DIRS = {"004": "olsen-holter-2018", "000": "ruud-2018"}


@dataclass(frozen=True)
class Chapter:
    file: str  # output file name (NN-slug.md)
    title: str  # Norwegian page title (front matter)
    order: int  # navigation order
    start: int  # first source line (the heading line)
    end: int  # last source line
    heading_level: int = 1  # level of the heading at ``start``


@dataclass(frozen=True)
class Thesis:
    seed: str
    dir: str
    width: int  # approx. characters per full PDF line (for paragraph joining)
    chapters: list[Chapter] = field(default_factory=list)
    # ranges of lines where a stand-alone «...» paragraph becomes a block quote
    auto_quote_ranges: list[tuple[int, int]] = field(default_factory=list)


OLSEN_HOLTER = Thesis(
    seed="004",
    dir=THESIS_DIRS["004"],
    width=85,
    chapters=[
        Chapter("00-sammendrag.md", "Sammendrag", 1, 1, 91),
        Chapter("01-innledning.md", "1 Innledning", 2, 92, 174),
        Chapter("02-litteratur-og-tidligere-forskning.md", "2 Litteratur og tidligere forskning", 3, 175,
                2775),
        Chapter("03-forskningstilnaerming.md", "3 Forskningstilnærming", 4, 2776, 3421),
        Chapter("04-forskningskontekst.md", "4 Forskningskontekst", 5, 3422, 3538),
        Chapter("05-resultater.md", "5 Resultater", 6, 3539, 5150),
        Chapter("06-diskusjon.md", "6 Diskusjon", 7, 5151, 6672),
        Chapter("07-konklusjon-og-videre-forskning.md", "7 Konklusjon og videre forskning", 8, 6673, 6784),
        Chapter("referanser.md", "Referanser", 9, 6785, 7169),
        Chapter("08-vedlegg.md", "Vedlegg", 10, 7170, 8038),
    ],
    auto_quote_ranges=[(3544, 4950), (5151, 6672)],
)

RUUD = Thesis(
    seed="000",
    dir=THESIS_DIRS["000"],
    width=74,
    chapters=[
        Chapter("00-forord.md", "Forord", 1, 65, 137),
        Chapter("00-resyme.md", "Resymé", 2, 138, 212),
        Chapter("01-innledning.md", "Kapittel 1 Innledning: Digitalisering og effektivisering", 3, 213, 782),
        Chapter("02-teori-og-metode.md", "Kapittel 2 Teori og metode", 4, 783, 1470),
        Chapter("03-dokumentstudier.md", "Kapittel 3 Dokumentstudier", 5, 1471, 2529),
        Chapter("04-digitalisering-i-husbanken.md", "Kapittel 4 Digitalisering i Husbanken", 6, 2530, 3551),
        Chapter("05-konklusjon.md", "Kapittel 5 Konklusjon", 7, 3552, 3772),
        Chapter("06-vedlegg-intervjuguide.md", "Vedlegg: Intervjuguide", 8, 3773, 3965),
    ],
)

THESES = {"004": OLSEN_HOLTER, "000": RUUD}


def load_yaml(name: str):
    """One of the importer's YAML files (overrides.yaml, tables.yaml, kilder_000.yaml)."""
    with open(HERE / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)
