"""Resolving what the user names as a source (``FORMAT:PATH``, config entries) into files to read."""

from __future__ import annotations

import glob
import hashlib
from dataclasses import dataclass
from pathlib import Path

from lifecat.core.config import SourceConfig
from lifecat.mappings import Format, get_format

_NAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


class SourceError(ValueError):
    """A source that cannot be built as given (unknown format, missing files)."""


@dataclass(frozen=True)
class Source:
    """A source ready to build: its name, its format and the paths to read (``None``: embedded)."""

    name: str
    format: Format
    paths: tuple[Path | None, ...]

    @property
    def location(self) -> str:
        return ", ".join(str(p) for p in self.paths if p) or f"embedded {self.format.name} data"

    def checksum(self) -> str:
        """SHA-256 over the source files (folders: every file below, in name order)."""
        digest = hashlib.sha256()
        for path in self.paths:
            if path is None:
                continue
            for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
                if file.is_file():
                    digest.update(file.name.encode())
                    with file.open("rb") as handle:
                        for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                            digest.update(chunk)
        return digest.hexdigest()


def parse_source(text: str) -> SourceConfig:
    """Read a ``FORMAT:PATH`` command-line source.

    >>> parse_source("bioregistry:data/bioregistry.json").path
    'data/bioregistry.json'
    >>> parse_source("bioregistry").path
    ''
    """
    fmt, _, path = text.partition(":")
    return SourceConfig(format=fmt.strip(), path=path.strip())


def resolve(config: SourceConfig) -> Source:
    """Check a configured source and expand its path (a file, a folder or a glob).

    :raises SourceError: for an unknown format, an invalid name or a path that matches nothing.
    """
    try:
        fmt = get_format(config.format)
    except KeyError as error:
        raise SourceError(str(error.args[0])) from None
    name = config.source_name
    if not name or set(name) - _NAME_OK:
        raise SourceError(f"source name {name!r} may use only a-z, 0-9, '-', '_' and '.'")
    if not config.path:
        if not fmt.embedded:
            raise SourceError(f"format {fmt.name!r} has no embedded data: give FORMAT:PATH")
        return Source(name, fmt, (None,))
    matches = sorted(glob.glob(config.path, recursive=True)) if glob.has_magic(config.path) else [
        config.path
    ]
    paths = tuple(Path(m) for m in matches if Path(m).exists())
    if not paths:
        raise SourceError(f"{config.path}: no such file or folder (source {name!r})")
    return Source(name, fmt, paths)
