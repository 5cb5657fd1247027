"""Reading text files for the loaders: UTF-8 with a clear error, YAML front matter, paths in messages."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import DataError

# libyaml's parser when PyYAML was built with it (its wheels are): several times faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER_LINE = 2  # the YAML starts on the line after the opening '---'


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_utf8(path: Path) -> str:
    """A text file's content; a missing or non-UTF-8 file is a DataError naming the line."""
    label = display_path(path)
    if not path.exists():
        raise DataError("file is missing", file=label)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded);"
                        " save it as UTF-8", file=label, line=line) from None


def read_front_matter(text: str, label: str) -> tuple[dict, str]:
    """A Markdown file's YAML front matter as a mapping, and the YAML text itself (which starts
    on FRONT_MATTER_LINE). Errors name the file and, for bad YAML, the line."""
    if not text.strip():
        raise DataError("file is empty; expected YAML front matter between '---' lines",
                        file=label)
    lines = text.splitlines()
    if lines[0].strip() != "---":
        raise DataError("must start with a '---' line (YAML front matter)", file=label, line=1)
    closing = next((index for index, line in enumerate(lines[1:], start=1)
                    if line.strip() == "---"), None)
    if closing is None:
        raise DataError("front matter is not closed with a '---' line", file=label)
    source = "\n".join(lines[1:closing])
    try:
        data = yaml.load(source, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + FRONT_MATTER_LINE if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(f"invalid YAML: {problem}", file=label, line=line) from None
    if not isinstance(data, dict):
        raise DataError("front matter must be a YAML mapping", file=label,
                        line=FRONT_MATTER_LINE)
    return data, source


def front_matter_line(source: str, location: tuple) -> int | None:
    """The file's line of a field in front matter `source` (the YAML text read_front_matter
    returns), e.g. ('interviews', 'quotes', 0, 'text'); composed again, for its marks."""
    node = yaml.compose(source, Loader=YAML_LOADER)
    return _node_line(node, location) + FRONT_MATTER_LINE if node is not None else None


def _node_line(node: yaml.Node, location: tuple) -> int:
    """Follow a pydantic error location through the YAML node tree to a line number."""
    for key in location:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == key]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) \
                and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line
