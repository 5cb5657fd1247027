"""MkDocs hook (named in mkdocs.yml): leave out the theme's files that no page of this site loads:
source maps always, and Material's lunr search with its worker when Pagefind is the search."""

from __future__ import annotations

from fnmatch import fnmatch

UNUSED = ("*.map",)
UNUSED_WITHOUT_MATERIAL_SEARCH = ("assets/javascripts/lunr/*", "assets/javascripts/workers/search.*")


def on_files(files, config):
    unused = UNUSED if "material/search" in config.plugins \
        else UNUSED + UNUSED_WITHOUT_MATERIAL_SEARCH
    for file in list(files):
        if not file.is_documentation_page() and any(fnmatch(file.src_uri, pattern)
                                                    for pattern in unused):
            files.remove(file)
    return files
