"""Reading text files for the loaders: UTF-8 with a clear error, YAML front matter, paths in messages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import DataError

FRONT_MATTER_LINE = 2  # the YAML starts on the line after the opening '---'
EDITOR_FILES = re.compile(r"^(\.#.*|#.*#|.*~|\..*\.sw[a-p])$")  # locks, backups, swap files


def is_editor_file(path: Path) -> bool:
    """An editor's lock, backup or swap file (.#name, #name#, name~, .name.swp): never an input,
    neither to the loaders nor to the cache's change check."""
    return bool(EDITOR_FILES.match(path.name))


def listed(folder: Path, pattern: str) -> list[Path]:
    """The files in a folder that match a glob pattern, sorted, without editor files."""
    return sorted(path for path in folder.glob(pattern) if not is_editor_file(path))


# libyaml's parser when PyYAML was built with it (its wheels are): several times faster.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UniqueKeyLoader(_FAST_LOADER):
    """The safe loader, refusing a key given twice in one mapping (YAML would keep the later
    value without a word)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' is given twice (the first value would be "
                    "silently lost)", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a path that cannot be resolved
        return str(path)


def read_utf8(path: Path) -> str:
    """A text file's content; a missing or non-UTF-8 file is a DataError naming the line."""
    label = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:  # other faults (a folder, a symlink loop) speak for themselves
        raise DataError("file is missing", file=label) from None
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
        data = yaml.load(source, Loader=UniqueKeyLoader)
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
    node = yaml.compose(source, Loader=UniqueKeyLoader)
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
