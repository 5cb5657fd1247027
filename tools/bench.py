"""Build-speed benchmark: medians of several rounds, compared as ratios within one round.

    python tools/bench.py [--runs 5] [--scale 10]

Measures, on this machine, in rounds that take turns (the machine's speed drifts):
  plain      `mkdocs build` of the same generated Markdown with the project's mkdocs.yml
  clean      `build.py --clean` in a fresh process (every stage, no cache)
  PDFs       the clean build's own time for typesetting the 17 faktaark and the report (its
             stage line "typeset the PDFs"), as a share of the plain build
  no-op      `build.py` with nothing changed
  warm edit  one value changed in data/ and rebuilt the way `make serve` does, in a process that
             has built before (a mean in Tabell 12; a rho in Tabell 13, which changes the forest
             plot on every factor page)
  scaling    clean builds of a synthetic catalogue SCALE times larger (made only here, in build/)

Prints a Markdown table (for the README) with each median, the median of its ratios to the
`plain` build of the same round, and the target. Timing is wall-clock; the machine is noisy, so
compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench"
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

# A process that rebuilds as make serve does (build.main in a warm interpreter): it reads one
# JSON list of build.py arguments a line and answers with the seconds that build took.
WARM_PROCESS = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import build
for line in sys.stdin:
    start = time.perf_counter()
    status = build.main(json.loads(line))
    print(json.dumps([status, time.perf_counter() - start]), flush=True)
"""


def timed(command: list[str], stages: dict[str, float] | None = None) -> float:
    """Wall-clock seconds of the command; with `stages`, also the build's own stage lines
    ("<stage>   1.23 s"), which it prints when run without --quiet."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{result.stderr.strip()}")
    if stages is not None:
        for line in result.stdout.splitlines():
            stage = re.match(r"(.+?)\s+(\d+\.\d+) s$", line)
            if stage:
                stages[stage.group(1)] = float(stage.group(2))
    return elapsed


class WarmProcess:
    """One interpreter that keeps its imports between builds, as make serve's does."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([PYTHON, "-c", WARM_PROCESS, str(ROOT)], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)

    def build(self, *args: str) -> float:
        self.process.stdin.write(json.dumps(["--quiet", *args]) + "\n")
        self.process.stdin.flush()
        status, seconds = json.loads(self.process.stdout.readline())
        if status != 0:
            sys.exit(f"warm build failed: {args}")
        return seconds

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def build_cmd(*args: str, quiet: bool = True) -> list[str]:
    return [PYTHON, str(ROOT / "build.py"), *(["--quiet"] if quiet else []), *args]


PDF_STAGE = "typeset the PDFs (Typst)"  # the pipeline's stage line (report/pipeline.py)


def plain_mkdocs_config(docs: Path, out: Path) -> Path:
    """The project's mkdocs.yml with the navigation build.py passes, over a copy of the
    generated Markdown of the default inputs."""
    import yaml

    import build
    from report.pages.render import nav
    from report.pipeline import read_and_analyse

    sources, _ = read_and_analyse(build.options_from(build.parse_args([]), {}))
    config = WORK / "mkdocs-plain.yml"
    config.write_text("INHERIT: ../../mkdocs.yml\n" + yaml.safe_dump(
        {"docs_dir": str(docs), "site_dir": str(out), "nav": nav(sources),
         # paths in mkdocs.yml are relative to it; this file lives elsewhere
         "theme": {"custom_dir": str(ROOT / "overrides")},
         "hooks": [str(ROOT / "report" / "site" / name) for name in ("sanitise.py", "theme_files.py")]},
        allow_unicode=True), encoding="utf-8")
    return config


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def synthetic_catalogue(scale: int, into: Path = WORK) -> tuple[Path, Path]:
    """data/ and content/ with every factor repeated `scale` times under new ids and names."""
    data, content = into / f"data-x{scale}", into / f"content-x{scale}"
    for folder in (data, content):
        if folder.exists():
            shutil.rmtree(folder)
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "content", content)
    header, factors = read_rows(ROOT / "data" / "factors.csv")
    ids = [row[0] for row in factors]

    def copy_name(name: str, copy: int) -> str:
        return name if copy == 0 else f"{name} ({copy})"

    def copy_id(factor_id: str, copy: int) -> str:
        return factor_id if copy == 0 else f"{factor_id}-x{copy}"

    copies = [(copy, row) for copy in range(scale) for row in factors]  # copy 0: the original
    write_rows(data / "factors.csv", header, [
        [copy_id(row[0], copy), copy_name(row[1], copy), row[2],
         *(copy_name(v, copy) for v in row[3:7]), row[7]] for copy, row in copies])
    for filename, column in (("tabell12_deskriptiv.csv", 3), ("tabell13_spearman.csv", 4),
                             ("tabell14_partiell.csv", 5), ("tabell15_anbefalinger.csv", 6)):
        table_header, rows = read_rows(ROOT / "data" / filename)
        by_name = {row[0]: row for row in rows}
        factor_names = {factor[column] for factor in factors}
        out_rows = [row for row in rows if row[0] not in factor_names]  # e.g. the dependent
        for copy, factor in copies:
            original = by_name[factor[column]]
            out_rows.append([copy_name(original[0], copy)] + original[1:])
        write_rows(data / filename, table_header, out_rows)
    source = ROOT / "content" / "factors"
    for copy in range(1, scale):
        for factor_id in ids:
            text = (source / f"{factor_id}.md").read_text(encoding="utf-8")
            text = text.replace(f"factor_id: {factor_id}", f"factor_id: {copy_id(factor_id, copy)}")
            text = re.sub(r"discussed_with: \[(.*)\]", lambda m, c=copy: "discussed_with: [" + ", ".join(
                copy_id(x.strip(), c) for x in m.group(1).split(",") if x.strip()) + "]", text)
            (content / "factors" / f"{copy_id(factor_id, copy)}.md").write_text(text,
                                                                                encoding="utf-8")
    return data, content


def page_count(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def document_count(site: Path) -> int:
    """The documents a build makes: pages and PDFs (a faktaark per factor, the report)."""
    return page_count(site) + sum(1 for _ in site.rglob("*.pdf"))


ONE_VALUE = (  # (label, file in data/, the value's pattern, a new value for run n)
    ("warm edit: a mean (Tabell 12)", "tabell12_deskriptiv.csv",
     r'Gevinstrealisering,80,"3,27\d\d"', 'Gevinstrealisering,80,"3,27{:02d}"'),
    ("warm edit: a rho (Tabell 13)", "tabell13_spearman.csv",
     r"Gevinstrealisering,0\.3\d\d", "Gevinstrealisering,0.3{:02d}"),
)


def change_value(path: Path, pattern: str, template: str, run: int) -> None:
    """Set the value to one not built before in this benchmark (a real change)."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, template.format(10 + run), text)
    assert count == 1, f"benchmark value not found in {path.name}"
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    out, warm_out = WORK / "site", WORK / "site-warm"
    data_copy = WORK / "data-warm"
    if data_copy.exists():
        shutil.rmtree(data_copy)
    shutil.copytree(ROOT / "data", data_copy)

    print("warming up (one build of each site) …", flush=True)
    timed(build_cmd("--clean", "--out", str(out)))
    docs = WORK / "plain-docs"  # the Markdown of that build, for the plain mkdocs build
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(ROOT / "build" / "docs", docs)
    config = plain_mkdocs_config(docs, WORK / "plain-site")
    warm = WarmProcess()
    warm.build("--out", str(warm_out), "--data", str(data_copy))
    timed([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config)])
    if page_count(WORK / "plain-site") != page_count(out):
        sys.exit(f"the plain build made {page_count(WORK / 'plain-site')} pages, the build "
                 f"{page_count(out)}: they must build the same Markdown")

    labels = ["plain", "clean", "pdf", "noop"] + [label for label, *_ in ONE_VALUE]
    times: dict[str, list[float]] = {label: [] for label in labels}
    for run in range(args.runs):
        times["plain"].append(timed([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config)]))
        stages: dict[str, float] = {}
        times["clean"].append(timed(build_cmd("--clean", "--out", str(out), quiet=False), stages))
        times["pdf"].append(stages[PDF_STAGE])
        times["noop"].append(timed(build_cmd("--out", str(out))))
        for label, filename, pattern, template in ONE_VALUE:
            change_value(data_copy / filename, pattern, template, run)
            times[label].append(warm.build("--out", str(warm_out), "--data", str(data_copy)))
        print(f"  round {run + 1}: " + ", ".join(f"{times[label][-1]:.2f}" for label in labels),
              flush=True)
    warm.close()

    def row(label: str, name: str, target: str, limit: float) -> tuple:
        ratio = statistics.median(t / p for t, p in zip(times[label], times["plain"], strict=True))
        return name, statistics.median(times[label]), ratio, target, ratio <= limit

    results = [
        (*row("plain", "plain `mkdocs build` of the generated Markdown", "", 1)[:3], "", None),
        row("clean", "clean build (`build.py --clean`, one process)", "≤ 3×", 3.0),
        (*row("pdf", "of which: typesetting the PDFs (17 faktaark, the report)", "", 1)[:3], "",
         None),
        *(row(label, label + ", `make serve`", "≤ 1.0×", 1.0) for label, *_ in ONE_VALUE),
        row("noop", "no-op rebuild (nothing changed)", "≤ 0.1×", 0.1),
    ]

    big_data, big_content = synthetic_catalogue(args.scale)
    big_out = WORK / f"site-x{args.scale}"
    scale_runs = max(3, args.runs // 2 + 1)
    pairs = []  # (clean build of the real catalogue, of the big one), taking turns
    for _ in range(scale_runs):
        pairs.append((timed(build_cmd("--clean", "--out", str(out))),
                      timed(build_cmd("--clean", "--out", str(big_out), "--data", str(big_data),
                                      "--content", str(big_content)))))
    small_pages, big_pages = document_count(out), document_count(big_out)
    growth = statistics.median(b / s for s, b in pairs)
    per_page = growth / (big_pages / small_pages)
    results.append((f"clean build, {args.scale}× catalogue ({big_pages} pages and PDFs vs "
                    f"{small_pages})",
                    statistics.median(b for _, b in pairs), growth, "growth ≤ linear",
                    per_page <= 1))

    print()
    print(f"| measurement (median of {args.runs} rounds; scaling {scale_runs}) | seconds "
          "| × plain | target | met |")
    print("|---|---:|---:|---|---|")
    for label, seconds, ratio, target, met in results:
        verdict = "" if met is None else ("yes" if met else "**no**")
        print(f"| {label} | {seconds:.2f} | {ratio:.2f} | {target} | {verdict} |")
    print()
    print(f"scaling: time grew {growth:.2f}× for {big_pages / small_pages:.2f}× the documents "
          f"({per_page:.2f} per page; ≤ 1 means no worse than linear). The scaling row's ratio "
          "is to the clean build of the real catalogue.")


if __name__ == "__main__":
    main()
