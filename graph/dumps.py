"""Downloadable dumps: gzipped N-Quads of every public graph, and of all of them, on every build.

Dumps are written with the other artifacts of each generation (``dumps/`` in its folder), streamed
from the store graph by graph, and served from disk, so a download never costs a query. Each has a
size, a SHA-256 and a modification date in ``dumps/manifest.json``; the date is carried over from
the previous generation while the bytes are unchanged (gzip is written with a fixed timestamp and
the store writes a graph's quads in a stable order), so that harvesters only fetch what changed.
Quarantine graphs are never dumped.

>>> dump_file("bioregistry")
'graph-bioregistry.nq.gz'
>>> dump_file(None)
'all.nq.gz'
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode

from lifecat.graph.provenance import sha256_file

if TYPE_CHECKING:
    from lifecat.graph.derive import DeriveContext
    from lifecat.graph.store import Snapshot

DUMPS = "dumps"
MANIFEST = "manifest.json"
MEDIA_TYPE = "application/n-quads"
ALL = "all"


class ArtifactMissing(LookupError):
    """The served store generation lacks a file derived at build time: rebuild it with this lifecat."""


@dataclass(frozen=True)
class Dump:
    """One dump file as the manifest lists it."""

    name: str
    file: str
    graphs: list[str]
    quads: int
    bytes: int
    sha256: str
    modified: str

    @property
    def everything(self) -> bool:
        return self.name == ALL


def dump_file(source: str | None) -> str:
    """The file name of a graph's dump (``None``: the dump of all public graphs).

    A graph written through the Graph Store Protocol may have any IRI: its name is made file-safe,
    with a short hash so that two such names cannot meet.

    >>> dump_file("bioregistry"), dump_file(None)
    ('graph-bioregistry.nq.gz', 'all.nq.gz')
    >>> dump_file("http://example.org/g/")
    'graph-http-example.org-g-11db1bd7.nq.gz'
    """
    if source is None:
        return f"{ALL}.nq.gz"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", source).strip("-")
    if safe != source:
        safe = f"{safe}-{hashlib.sha256(source.encode()).hexdigest()[:8]}"
    return f"graph-{safe}.nq.gz"


def timestamp(moment: datetime) -> str:
    """An ISO 8601 UTC timestamp to the second, which sorts as text.

    >>> timestamp(datetime(2024, 5, 1, 12, 30, 5, 999, tzinfo=UTC))
    '2024-05-01T12:30:05Z'
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_manifest(folder: Path) -> list[Dump]:
    """The dumps of the generation in ``folder``.

    :raises ArtifactMissing: if it has none.
    """
    path = folder / DUMPS / MANIFEST
    if not path.is_file():
        raise ArtifactMissing(f"no dumps in {folder}: rebuild the store with `lifecat build`")
    return [Dump(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))]


def write_dumps(context: DeriveContext) -> None:
    """Deriver: dump each public graph and all of them, then write the manifest.

    A graph the change did not touch keeps its previous dump file (linked, not written again).
    """
    folder = context.directory / DUMPS
    folder.mkdir()
    before = context.previous
    previous = {d.file: d for d in read_manifest(before)} if before and (before / DUMPS).is_dir() else {}
    now = context.now
    graphs = context.public_graphs()
    plan = [(context.source_name(g), dump_file(context.source_name(g)), [g]) for g in graphs]
    plan.append((ALL, dump_file(None), graphs))
    dumps: list[Dump] = []
    for name, file, selected in plan:
        kept = previous.get(file)
        if name != ALL and kept and before and not context.snapshot.changed(selected[0]):
            _link(before / DUMPS / file, folder / file)
            dumps.append(kept)
            continue
        if name == ALL:
            _concatenate(folder / file, [folder / d.file for d in dumps])
            quads = sum(d.quads for d in dumps)
        else:
            quads = _write(folder / file, context.snapshot, selected[0])
        digest = sha256_file(folder / file)
        modified = kept.modified if kept and kept.sha256 == digest else now
        dumps.append(Dump(name, file, [g.value for g in selected], quads,
                          (folder / file).stat().st_size, digest, modified))
    (folder / MANIFEST).write_text(json.dumps([asdict(d) for d in dumps], indent=1), encoding="utf-8")


class _NQuadsWriter:
    """Turns the N-Triples the store writes into N-Quads of one graph, gzipped, counting lines.

    In N-Triples a raw newline only ends a statement, so each line's final ``.`` gets the graph
    name before it; a line split across writes waits in ``pending``.
    """

    def __init__(self, out: gzip.GzipFile) -> None:
        self.out = out
        self.graph = b""
        self.pending = b""
        self.lines = 0

    def write(self, data: bytes) -> int:
        complete, newline, self.pending = (self.pending + data).rpartition(b"\n")
        if newline:
            self.lines += complete.count(b"\n") + 1
            self.out.write((complete + newline).replace(b" .\n", b" " + self.graph + b" .\n"))
        return len(data)

    def flush(self) -> None:
        """Nothing to do: whole lines are written as they complete."""


def _link(source: Path, target: Path) -> None:
    """``target`` as the same file as ``source``: a hard link, or a copy where links cannot be made."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _concatenate(path: Path, parts: list[Path]) -> None:
    """The whole dump as the per-graph gzip members one after another (valid gzip, RFC 1952 2.2).

    Saves compressing every quad twice.
    """
    with path.open("wb") as out:
        for part in parts:
            with part.open("rb") as member:
                shutil.copyfileobj(member, out, 1 << 20)


def _write(path: Path, snapshot: Snapshot, graph: NamedNode) -> int:
    """Dump ``graph`` as N-Quads into a reproducible gzip file; return how many quads."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                               compresslevel=6) as out:
        writer = _NQuadsWriter(out)
        writer.graph = str(graph).encode()
        snapshot.dump(graph, writer)  # type: ignore[arg-type]
    return writer.lines
