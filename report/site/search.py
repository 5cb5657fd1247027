"""Index the built site with Pagefind (Norwegian stemming from <html lang="nb">), after MkDocs."""

from __future__ import annotations

import subprocess
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
