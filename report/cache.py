"""Content-hash cache for incremental builds: one key scheme for everything a build reuses.

Every key is a SHA-256 over the bytes (never the modification times) of what a result depends on,
so touching a file changes nothing and reverting an edit finds the earlier result again:
- the site key: every input of the build (the code as the process loaded it, package versions,
  data, content, sources, templates, assets, theme overrides, mkdocs.yml, the site URL, the
  search engine and the build date); build/manifest.json records it with a digest of the output,
  and a build whose site key and output are unchanged does nothing;
- the analysis key: what the numbers and the charts are made from (code, data, content, sources,
  the site's path); the loaded inputs, the results and the chart specs are stored under it;
- an SVG's key: its spec, the number locale and the renderer's version (pages/svg.py);
- a PDF's key: its payload, the Typst templates, the build date and the tools' versions
  (pages/pdf.py).
`build.py --clean` reads nothing from the cache, but stores what it made.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import platform
import shutil
from importlib import metadata
from pathlib import Path

from .inputs.files import is_editor_file

# Packages whose version changes what the build produces.
VERSIONED = ("pandas", "numpy", "scipy", "pydantic", "typing-extensions", "jinja2", "babel",
             "pyyaml", "markdown", "pymdown-extensions", "mkdocs", "mkdocs-material", "altair",
             "vl-convert-python", "jsonschema", "pagefind", "pagefind-bin", "nh3", "typst",
             "segno", "rjsmin", "rcssmin")
KEEP_VALUES = 3   # stored analyses: enough to switch between a few variants of the data
KEEP_TEXTS = 120  # stored SVGs and PDFs per kind: several builds' worth


def digest_files(paths: list[Path], root: Path | None = None) -> str:
    """One hash over the names (relative to root) and bytes of the given files, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root else str(path)
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def files_under(*roots: Path) -> list[Path]:
    """The files in these folders (and these files), without caches and editor files."""
    files = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(p for p in root.rglob("*") if p.is_file()
                         and "__pycache__" not in p.parts and not is_editor_file(p))
    return files


def tree_digest(root: Path) -> str:
    return digest_files(files_under(root), root)


def environment_digest() -> str:
    """Python and the versions of the packages that shape the output."""
    versions = [platform.python_version()]
    for name in VERSIONED:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return hashlib.sha256("\n".join(versions).encode()).hexdigest()


def combine(*parts: str) -> str:
    """One hash over several texts (each ended by a NUL, so no two lists give the same bytes)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def build_keys(code: str, numbers: list[Path], presentation: list[Path],
               settings: list[str]) -> dict[str, str]:
    """The analysis key (the code's digest and the inputs of the numbers) and the site key
    (that, the inputs of the presentation and the build's settings). `settings[0]` is the
    site's path, which the charts' links use."""
    code_key = combine(environment_digest(), code)
    analysis = combine(code_key, *(digest_files(files_under(p)) for p in numbers), settings[0])
    site = combine(analysis, *(digest_files(files_under(p)) for p in presentation), *settings)
    return {"analysis": analysis, "site": site}


class Cache:
    """Stored results under build/cache, and the manifest of what each output was built from."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled
        self.manifest_path = root.parent / "manifest.json"

    def _manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def record(self, out: Path, site_key: str) -> None:
        """Remember, per output folder, the inputs it was built from and what it holds."""
        manifest = self._manifest()
        manifest.setdefault("outputs", {})[str(out)] = {"inputs": site_key,
                                                        "output": tree_digest(out)}
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        self.manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True),
                                      encoding="utf-8")

    def up_to_date(self, out: Path, site_key: str) -> bool:
        """True if `out` was last built from these inputs and nobody has changed it since."""
        entry = self._manifest().get("outputs", {}).get(str(out)) if self.enabled else None
        return bool(entry) and entry["inputs"] == site_key and out.is_dir() \
            and entry["output"] == tree_digest(out)

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / f"{key}{suffix}"

    def load_value(self, kind: str, key: str):
        path = self._path(kind, key, ".pickle")
        if not self.enabled or not path.exists():
            return None
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - a stale or broken pickle is just a cache miss
            return None

    def store_value(self, kind: str, key: str, value) -> None:
        self._store(self._path(kind, key, ".pickle"), pickle.dumps(value), KEEP_VALUES)

    def load_text(self, kind: str, key: str) -> str | None:
        data = self.load_bytes(kind, key, ".txt")
        return None if data is None else data.decode("utf-8")

    def store_text(self, kind: str, key: str, text: str) -> None:
        self.store_bytes(kind, key, text.encode("utf-8"), ".txt")

    def load_bytes(self, kind: str, key: str, suffix: str = ".bin") -> bytes | None:
        if not self.enabled:
            return None
        path = self._path(kind, key, suffix)
        try:
            data = path.read_bytes()
            os.utime(path)  # pruning keeps what was used most recently
        except OSError:  # not stored (or just pruned by another build)
            return None
        return data

    def store_bytes(self, kind: str, key: str, data: bytes, suffix: str = ".bin") -> None:
        self._store(self._path(kind, key, suffix), data, KEEP_TEXTS)

    def _store(self, path: Path, payload: bytes, keep: int) -> None:
        """Write whole, then rename (a reader never sees half), and prune the oldest."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(payload)
        os.replace(partial, path)
        _keep_newest(path.parent, keep)


def _keep_newest(folder: Path, count: int) -> None:
    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed meanwhile by another build
            return 0.0

    entries = sorted(folder.iterdir(), key=modified, reverse=True)
    for old in entries[count:]:
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
