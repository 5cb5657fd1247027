"""MkDocs hook (named in mkdocs.yml): a thesis table's header cells as a screen reader needs them.

A Markdown table must have a header row, so a table the thesis printed without one gets an empty
row, and a table whose first column names its rows gets an empty corner cell. An empty header
row is dropped; under an empty corner, each row's first cell becomes that row's header.
"""

from __future__ import annotations

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


def is_empty(cell) -> bool:
    return len(cell) == 0 and not (cell.text or "").strip()


class TableHeaders(Treeprocessor):
    def run(self, root) -> None:
        for table in root.iter("table"):
            head = table.find("thead")
            cells = head.findall("tr/th") if head is not None else []
            if not cells:
                continue
            if all(is_empty(cell) for cell in cells):
                table.remove(head)
            elif is_empty(cells[0]):
                cells[0].tag = "td"
                for row in table.findall("tbody/tr"):
                    if len(row) and row[0].tag == "td":
                        row[0].tag = "th"
                        row[0].set("scope", "row")


class TableHeadersExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(TableHeaders(md), "table_headers", 1)  # after the inline text


def on_config(config):
    config.markdown_extensions.append(TableHeadersExtension())
    return config
