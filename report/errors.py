"""Domain errors. The command-line layer turns each into one line of text."""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """A problem in the project's inputs that stops the build.

    `where` names the place a maintainer must open: a file with its row and column,
    or a template with its line.
    """

    def __init__(self, message: str, *, file: Path | str | None = None,
                 row: int | None = None, column: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.line = line

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None and self.line is not None:
            parts.append(f"row {self.row} (line {self.line})")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def one_line(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return " ".join(text.split())

    def __str__(self) -> str:
        return self.one_line()


class DataError(BuildError):
    """Bad data in data/ or content/."""


class TemplateError(BuildError):
    """A template that cannot be rendered."""


class SiteError(BuildError):
    """MkDocs refused the generated site (broken link, bad config)."""


class ChartError(BuildError):
    """A chart spec that is not valid Vega-Lite or cannot be drawn."""


class OutputError(BuildError):
    """An output folder the build refuses to replace (it would delete what it did not make)."""
