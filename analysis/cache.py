"""Content-hash cache for incremental builds.

The build keeps a manifest (build/manifest.json) of the content hashes of its inputs per stage.
A stage whose inputs hash the same as last time is skipped and its stored result reused. Keys are
content hashes (never modification times), so touching a file changes nothing and reverting an
edit finds the earlier result again. `build.py --clean` ignores the cache.
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

# Packages whose version changes what the build produces.
VERSIONED = ("pandas", "numpy", "scipy", "pydantic", "typing-extensions", "jinja2", "babel",
             "pyyaml", "markdown", "pymdown-extensions", "mkdocs", "mkdocs-material", "altair",
             "vl-convert-python", "jsonschema", "pagefind", "pagefind-bin", "nh3")


def digest_files(paths: list[Path], root: Path | None = None) -> str:
    """One hash over the names (relative to root) and bytes of the given files, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root else str(path)
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def files_under(*roots: Path) -> list[Path]:
    files = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(p for p in root.rglob("*") if p.is_file()
                         and "__pycache__" not in p.parts)
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


class Cache:
    """Stored stage results under build/cache, and the manifest of the last build's keys."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled
        self.manifest_path = root.parent / "manifest.json"
        self.manifest = self._read_manifest() if enabled else {}

    def _read_manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def record(self, out: Path, inputs: str, output: str) -> None:
        """Remember, per output directory, the inputs it was built from and what it holds."""
        manifest = self._read_manifest()  # re-read: another build may have written it
        manifest.setdefault("outputs", {})[str(out)] = {"inputs": inputs, "output": output}
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        self.manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True),
                                      encoding="utf-8")

    def up_to_date(self, out: Path, inputs: str, output_digest) -> bool:
        """True if `out` was last built from these inputs and nobody has changed it since."""
        entry = self.manifest.get("outputs", {}).get(str(out)) if self.enabled else None
        return bool(entry) and entry["inputs"] == inputs and out.is_dir() \
            and entry["output"] == output_digest(out)

    # -- values (pickles) and blobs (bytes), addressed by key --------------------------------

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / f"{key}{suffix}"

    def has_value(self, kind: str, key: str) -> bool:
        return self.enabled and self._path(kind, key, ".pickle").exists()

    def load_value(self, kind: str, key: str):
        path = self._path(kind, key, ".pickle")
        if not self.enabled or not path.exists():
            return None
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a stale or broken pickle is just a cache miss
            return None

    def store_value(self, kind: str, key: str, value) -> None:
        folder = self.root / kind
        folder.mkdir(parents=True, exist_ok=True)
        _keep_newest(folder, KEEP - 1)
        self._path(kind, key, ".pickle").write_bytes(pickle.dumps(value))

    def load_text(self, kind: str, key: str) -> str | None:
        if not self.enabled:
            return None
        path = self._path(kind, key, ".txt")
        try:
            text = path.read_text(encoding="utf-8")
            os.utime(path)  # pruning keeps the texts used most recently
        except OSError:  # not stored (or just pruned by another build)
            return None
        return text

    def store_text(self, kind: str, key: str, text: str) -> None:
        """Store text under its key (written whole, then renamed: a reader never sees half)."""
        path = self._path(kind, key, ".txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
        _keep_newest(path.parent, TEXTS_KEPT)

    def jinja_bytecode(self):
        """Compiled Jinja templates, kept between builds (jinja2's FileSystemBytecodeCache: keyed
        on each template's file name and source checksum). Write-only when the cache is off."""
        import jinja2

        class WriteOnly(jinja2.FileSystemBytecodeCache):
            def load_bytecode(self, bucket) -> None:
                pass

        folder = self.root / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        return (jinja2.FileSystemBytecodeCache if self.enabled else WriteOnly)(str(folder))

    # -- the last built site, to reuse when the generated Markdown did not change ------------

    def site_copy(self, key: str) -> Path | None:
        folder = self.root / "site" / key
        return folder if self.enabled and folder.is_dir() else None

    def store_site(self, key: str, site_dir: Path) -> None:
        folder = self.root / "site"
        folder.mkdir(parents=True, exist_ok=True)
        _keep_newest(folder, KEEP - 1)
        target = folder / key
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(site_dir, target)


KEEP = 3  # stored analyses and sites per kind: enough to switch between a few variants
TEXTS_KEPT = 120  # stored texts (SVGs, checked spec structures) per kind: twenty builds' worth


def _keep_newest(folder: Path, count: int) -> None:
    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed meanwhile by another build
            return 0.0

    entries = sorted(folder.iterdir(), key=modified, reverse=True)
    for old in entries[count:]:
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
