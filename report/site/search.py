"""Index the built site with Pagefind (Norwegian stemming from <html lang="nb">), after MkDocs,
and list the words of its pages for the search's typo correction and compound splitting
(assets/search.js)."""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

from ..errors import SiteError

# Not indexed: heading permalinks, the charts' data tables and fallbacks, the source-file line.
EXCLUDE = ".headerlink, .chart-data, .md-source-file, .chart-fallback"


def pagefind_command(site_dir: Path) -> list[str]:
    """Pagefind's binary (from pagefind_bin) on site_dir, writing site_dir/pagefind."""
    from pagefind_bin import get_executable

    return [str(get_executable()), "--site", str(site_dir), "--exclude-selectors", EXCLUDE,
            "--silent"]


def index(site_dir: Path) -> None:
    """Write the search index into site_dir/pagefind; a failure raises a SiteError."""
    result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SiteError("Pagefind could not index the site: "
                        + (detail[0] if detail else f"exit status {result.returncode}"))


# The site's own words, most frequent first: the search corrects a typed word against them and
# splits a compound into parts that occur on the site.
VOCABULARY = "assets/search-words.json"
ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)
NOT_INDEXED = re.compile(r"<(script|style)\b.*?</\1>|<a class=\"headerlink\".*?</a>"
                         r"|<details class=\"chart-data\".*?</details>", re.S)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
SHORTEST = 3  # letters; shorter words are neither corrected nor parts of a compound


def page_words(page_html: str) -> list[str]:
    """The words of a page's article as Pagefind indexes it, lower-cased; a hyphenated word
    counts whole and by its parts ("it-avdelingen", "it", "avdelingen")."""
    article = ARTICLE.search(page_html)
    if not article:
        return []
    text = html.unescape(TAG.sub(" ", NOT_INDEXED.sub(" ", article.group(1))))
    words = []
    for word in WORD.findall(text.lower()):
        words += [word, *word.split("-")] if "-" in word else [word]
    return [word for word in words if len(word) >= SHORTEST]


def write_vocabulary(site_dir: Path) -> int:
    """Write VOCABULARY into the site: {word: how often it occurs}, most frequent first;
    returns how many words."""
    counts: Counter[str] = Counter()
    for page in site_dir.rglob("*.html"):
        counts.update(page_words(page.read_text(encoding="utf-8")))
    ordered = {word: counts[word] for word in sorted(counts, key=lambda w: (-counts[w], w))}
    target = site_dir / VOCABULARY
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(ordered, ensure_ascii=False, separators=(",", ":")),
                      encoding="utf-8")
    return len(ordered)
