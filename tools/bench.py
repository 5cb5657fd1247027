"""Build-speed benchmark: medians of several runs, compared as ratios within one run.

    python tools/bench.py [--runs 5] [--scale 10]

Measures, on this machine and in this order:
  plain      `mkdocs build` of the same generated Markdown with the project's mkdocs.yml
  clean      `build.py --clean` (every stage, no cache)
  no-op      `build.py` with nothing changed
  one value  `build.py` after changing one value in data/ (a mean in Tabell 12, and a rho in
             Tabell 13, which redraws the forest plot on every factor page)
  scaling    clean builds of a synthetic catalogue SCALE times larger (made only here, in build/)

Prints a Markdown table (for the README) with each median and its ratio to `plain`.
Timing is wall-clock; the machine may be noisy, so compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import csv
import io
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


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{result.stderr.strip()}")
    return elapsed


def median_of(runs: int, command_for, before=None, label: str = "") -> float:
    times = []
    for run in range(runs):
        if before:
            before(run)
        times.append(timed(command_for(run)))
    median = statistics.median(times)
    print(f"  {label or 'measured'}: median {median:.2f} s of {[round(t, 2) for t in times]}",
          flush=True)
    return median


def build_cmd(*args: str) -> list[str]:
    return [PYTHON, str(ROOT / "build.py"), "--quiet", *args]


def plain_mkdocs_config(out: Path) -> Path:
    """The project's mkdocs.yml with the nav build.py passes, over the generated build/docs."""
    sys.path.insert(0, str(ROOT))
    import yaml

    from analysis.cache import Cache

    cache = Cache(ROOT / "build" / "cache")
    analysed = None
    for pickle_file in sorted((ROOT / "build" / "cache" / "analysis").glob("*.pickle"),
                              key=lambda p: p.stat().st_mtime, reverse=True):
        analysed = cache.load_value("analysis", pickle_file.stem)
        if analysed:
            break
    from analysis.render import Sources, nav

    study, results, evidence, chapters, sections, charts = analysed
    site_nav = nav(Sources(study, results, evidence, chapters, sections))
    config = WORK / "mkdocs-plain.yml"
    config.write_text("INHERIT: ../../mkdocs.yml\n" + yaml.safe_dump(
        {"docs_dir": str(ROOT / "build" / "docs"), "site_dir": str(out), "nav": site_nav,
         # paths in mkdocs.yml are relative to it; this file lives elsewhere
         "theme": {"custom_dir": str(ROOT / "overrides")},
         "hooks": [str(ROOT / "analysis" / "mkdocs_hooks.py")]},
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


def synthetic_catalogue(scale: int) -> tuple[Path, Path]:
    """data/ and content/ with every factor repeated `scale` times under new ids and names."""
    data, content = WORK / f"data-x{scale}", WORK / f"content-x{scale}"
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

    renames = []  # (table column names of copy k) for the per-table files
    new_factors = []
    for copy in range(scale):
        for row in factors:
            new = [copy_id(row[0], copy)] + [copy_name(v, copy) for v in row[1:2]] + [row[2]] \
                + [copy_name(v, copy) for v in row[3:7]] + [row[7]]
            new_factors.append(new)
            renames.append((copy, row))
    write_rows(data / "factors.csv", header, new_factors)
    for filename, column in (("tabell12_deskriptiv.csv", 3), ("tabell13_spearman.csv", 4),
                             ("tabell14_partiell.csv", 5), ("tabell15_anbefalinger.csv", 6)):
        table_header, rows = read_rows(ROOT / "data" / filename)
        by_name = {row[0]: row for row in rows}
        out_rows = [row for row in rows if row[0] not in {f[column] for f in factors}]
        for copy, factor in renames:
            original = by_name[factor[column]]
            out_rows.append([copy_name(original[0], copy)] + original[1:])
        write_rows(data / filename, table_header, out_rows)
    source = ROOT / "content" / "factors"
    for copy in range(1, scale):
        for factor_id in ids:
            text = (source / f"{factor_id}.md").read_text(encoding="utf-8")
            text = text.replace(f"factor_id: {factor_id}", f"factor_id: {copy_id(factor_id, copy)}")
            text = re.sub(r"discussed_with: \[(.*)\]", lambda m: "discussed_with: [" + ", ".join(
                copy_id(x.strip(), copy) for x in m.group(1).split(",") if x.strip()) + "]", text)
            (content / "factors" / f"{copy_id(factor_id, copy)}.md").write_text(text,
                                                                                encoding="utf-8")
    return data, content


def warm_rebuilds(runs: int, out: Path, data_copy: Path) -> float:
    """Median of in-process rebuilds after changing one mean, after one warm-up rebuild."""
    sys.path.insert(0, str(ROOT))
    import contextlib

    import build

    path = data_copy / "tabell12_deskriptiv.csv"
    times = []
    for run in range(runs + 1):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'Gevinstrealisering,80,"3,27\d\d"',
                               f'Gevinstrealisering,80,"3,27{50 + run:02d}"', text),
                        encoding="utf-8")
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            status = build.main(["--quiet", "--out", str(out), "--data", str(data_copy)])
        if status != 0:
            sys.exit("warm rebuild failed")
        if run:  # the first one pays the imports
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"  warm one-value rebuild: median {median:.2f} s of {[round(t, 2) for t in times]}",
          flush=True)
    return median


def page_count(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / "site"
    results: list[tuple[str, float, str]] = []

    print("warming up (one full build) …", flush=True)
    timed(build_cmd("--out", str(out)))

    plain_out = WORK / "plain-site"
    config = plain_mkdocs_config(plain_out)
    plain = median_of(args.runs, lambda _: [PYTHON, "-m", "mkdocs", "build", "-q", "-f",
                                            str(config)], label="plain mkdocs")
    results.append(("plain `mkdocs build` of the generated Markdown", plain, ""))

    clean = median_of(args.runs, lambda _: build_cmd("--clean", "--out", str(out)),
                      label="clean build")
    results.append(("full clean build (`build.py --clean`)", clean, "≤ 1.5×"))

    timed(build_cmd("--out", str(out)))
    noop = median_of(args.runs, lambda _: build_cmd("--out", str(out)), label="no-op")
    results.append(("no-op rebuild (nothing changed)", noop, "< 1 s"))

    data_copy = WORK / "data-one-value"
    if data_copy.exists():
        shutil.rmtree(data_copy)
    shutil.copytree(ROOT / "data", data_copy)
    timed(build_cmd("--out", str(out), "--data", str(data_copy)))

    # Each run sets the value to one not built before in this benchmark (a real change).
    for label, filename, pattern, template in (
            ("one value changed: a mean (Tabell 12)", "tabell12_deskriptiv.csv",
             r'Gevinstrealisering,80,"3,27\d\d"', 'Gevinstrealisering,80,"3,27{:02d}"'),
            ("one value changed: a rho (Tabell 13)", "tabell13_spearman.csv",
             r"Gevinstrealisering,0\.3\d\d", "Gevinstrealisering,0.3{:02d}")):
        path = data_copy / filename

        def before(run: int, path=path, pattern=pattern, template=template) -> None:
            text = path.read_text(encoding="utf-8")
            new, count = re.subn(pattern, template.format(10 + run), text)
            assert count == 1, f"benchmark value not found in {path.name}"
            path.write_text(new, encoding="utf-8")

        time_taken = median_of(args.runs, lambda _: build_cmd("--out", str(out), "--data",
                                                              str(data_copy)), before, label)
        results.append((label, time_taken, "≤ 1.2×"))

    # The same one-value change in a warm process, as `make serve` rebuilds (imports done once).
    warm = warm_rebuilds(args.runs, out, data_copy)
    results.append(("one value changed (a mean), warm process as in `make serve`", warm,
                    "≤ 1.2×"))

    big_data, big_content = synthetic_catalogue(args.scale)
    big_out = WORK / f"site-x{args.scale}"
    scale_runs = max(3, args.runs // 2 + 1)
    big = median_of(scale_runs, lambda _: build_cmd("--clean", "--out", str(big_out), "--data",
                                                    str(big_data), "--content",
                                                    str(big_content)), label="10x clean")
    small_pages, big_pages = page_count(out), page_count(big_out)
    results.append((f"clean build, {args.scale}× catalogue ({big_pages} pages vs {small_pages})",
                    big, "growth ≤ linear"))

    print()
    print(f"| measurement (median of {args.runs} runs; scaling {scale_runs}) | seconds "
          "| × plain mkdocs | target |")
    print("|---|---:|---:|---|")
    for label, seconds, target in results:
        print(f"| {label} | {seconds:.2f} | {seconds / plain:.2f} | {target} |")
    print()
    growth = (big / clean) / (big_pages / small_pages)
    print(f"scaling: time grew {big / clean:.2f}× for {big_pages / small_pages:.2f}× the pages "
          f"(time per page ratio {growth:.2f}; ≤ 1 means no worse than linear)")


if __name__ == "__main__":
    main()
