"""The build: read each source, map every record, validate it, and swap in the new graphs.

Every record read ends up either in its source's public graph or, with its validation report, in
the source's quarantine graph: ``read == loaded + quarantined`` always. A source file that cannot be
read at all stops the whole build before anything is swapped, so the previous graphs stay served.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from lifecat.graph import meta, provenance
from lifecat.graph.derive import DeriveContext, derive_all
from lifecat.graph.shacl import CompiledShapes, Result, load_shapes
from lifecat.graph.sources import Source, SourceError, resolve
from lifecat.graph.store import GraphStore
from lifecat.graph.vocab import LIFECAT, RDF, SH, XSD
from lifecat.mappings import Minter, RecordError, SourceFormatError, SourceItem
from pyoxigraph import Literal, NamedNode, Quad, Store
from tqdm import tqdm

from lifecat.config import Settings, SourceConfig


class BuildError(RuntimeError):
    """A build that could not complete; nothing was swapped in."""


@dataclass
class Entry:
    """What the build remembers of one record between mapping and writing."""

    locator: str
    key: str
    uri: NamedNode | None
    kind: str | None
    raw: object = None
    error: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)
    loaded: bool = False


@dataclass
class SourceReport:
    """Accounting for one source in one build."""

    name: str
    format: str
    location: str
    checksum: str = ""
    read: int = 0
    loaded: int = 0
    quarantined: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    ended: datetime | None = None

    def summary(self) -> str:
        return (
            f"{self.name} ({self.format}): read {self.read}, loaded {self.loaded}, "
            f"quarantined {self.quarantined}"
        )


@dataclass
class Staged:
    """One source mapped into a staging store, one named graph per record, and validated."""

    source: Source
    report: SourceReport
    entries: list[Entry]
    results: dict[int, list[Result]]


def staging_graph(index: int) -> NamedNode:
    return NamedNode(f"urn:lifecat:staging:{index}")


def stage(
    source: Source,
    staging: Store,
    mint: Minter,
    shapes: CompiledShapes,
    *,
    progress: bool = True,
) -> Staged:
    """Map every record of ``source`` into ``staging`` and validate them all.

    :raises BuildError: if a file of the source is not in the source's format.
    """
    report = SourceReport(source.name, source.format.name, source.location, source.checksum())
    entries: list[Entry] = []

    def items() -> Iterator[SourceItem]:
        for path in source.paths:
            yield from source.format.read(path)

    def quads() -> Iterator[Quad]:
        bar = tqdm(items(), desc=f"{source.name}: mapping", unit=" records", disable=not progress,
                   leave=False)
        for index, item in enumerate(bar):
            try:
                record = source.format.to_rdf(item.data, mint)
            except RecordError as error:
                entries.append(Entry(item.locator, _key(item.locator), None, None, item.data,
                                     f"cannot map record: {error}"))
                continue
            except Exception as error:  # a mapping bug must not lose the record
                entries.append(Entry(item.locator, _key(item.locator), None, None, item.data,
                                     f"mapping failed: {type(error).__name__}: {error}"))
                continue
            entries.append(Entry(item.locator, record.key, record.uri, record.kind, item.data,
                                 notes=record.notes))
            graph = staging_graph(index)
            for triple in record.triples:
                yield Quad(triple.subject, triple.predicate, triple.object, graph)

    try:
        staging.bulk_extend(quads())
    except SourceFormatError as error:
        raise BuildError(f"source {source.name!r}: {error}") from None
    results: dict[int, list[Result]] = defaultdict(list)
    for result in shapes.validate(staging):
        results[int(result.graph.value.rsplit(":", 1)[1])].append(result)
    report.read = len(entries)
    return Staged(source, report, entries, results)


def outcome(staged: Staged, mint: Minter, staging: Store) -> Iterator[Quad]:
    """The quads a staged source contributes: records, quarantine and reports. Fills the report."""
    source, report = staged.source, staged.report
    public, quarantine = mint.graph(source.name), mint.quarantine_graph(source.name)
    seen: Counter[str] = Counter()
    for index, entry in enumerate(staged.entries):
        results = staged.results.get(index, [])
        violations = [r for r in results if r.is_violation]
        quarantined = bool(entry.error or violations)
        seen[entry.key] += 1
        key = entry.key if seen[entry.key] == 1 else f"{entry.key}~{seen[entry.key]}"
        report_node = NamedNode(f"{public.value}/report/{quote(key, safe='')}")
        if quarantined:
            report.quarantined += 1
            report.reasons.update(
                {entry.error.split(":")[0]} if entry.error else {r.reason for r in violations}
            )
            target = quarantine
        else:
            report.loaded += 1
            entry.loaded = True
            report.warnings.update({r.reason for r in results})
            target = public
        for q in staging.quads_for_pattern(None, None, None, staging_graph(index)):
            yield Quad(q.subject, q.predicate, q.object, target)
        if quarantined or results or entry.notes:
            yield from _report_quads(report_node, entry, results, quarantine if quarantined
                                     else mint.meta_graph)


def _report_quads(node: NamedNode, entry: Entry, results: list[Result], graph: NamedNode
                  ) -> Iterator[Quad]:
    def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, graph)

    conforms = not entry.error and not any(r.is_violation for r in results)
    yield q(node, RDF.type, SH.ValidationReport)
    yield q(node, SH.conforms, Literal("true" if conforms else "false", datatype=XSD.boolean))
    yield q(node, LIFECAT.sourceLocator, Literal(entry.locator))
    if entry.uri:
        yield q(node, LIFECAT.reportFor, entry.uri)
    if entry.error:
        yield q(node, LIFECAT.sourceRecord, Literal(json.dumps(entry.raw, default=str, sort_keys=True)))
    rows: list[tuple[NamedNode, str, NamedNode | None, object, NamedNode | None]] = [
        (SH.Violation, entry.error, LIFECAT.MappingFailure, None, None)
    ] if entry.error else []
    rows += [(SH.Info, f"{name}: {text}", LIFECAT.SourceValueDropped, None, None)
             for name, text in entry.notes]
    rows += [(r.severity, r.message, SH[f"{r.component[0].upper()}{r.component[1:]}ConstraintComponent"],
              r, r.shape) for r in results]
    for n, (severity, message, component, result, shape) in enumerate(rows, start=1):
        item = NamedNode(f"{node.value}#result-{n}")
        yield q(node, SH.result, item)
        yield q(item, RDF.type, SH.ValidationResult)
        yield q(item, SH.resultSeverity, severity)
        yield q(item, SH.resultMessage, Literal(str(message)))
        yield q(item, SH.sourceConstraintComponent, component)
        if shape is not None:
            yield q(item, SH.sourceShape, shape)
        if isinstance(result, Result):
            yield q(item, SH.focusNode, result.focus)
            yield q(item, SH.resultPath, result.path)
            if result.value is not None:
                yield q(item, SH.value, result.value)
        elif entry.uri:
            yield q(item, SH.focusNode, entry.uri)


def _key(locator: str) -> str:
    return locator.rsplit("#", 1)[-1] if "#" in locator else Path(locator).name


def build(
    settings: Settings,
    sources: Iterable[SourceConfig] | None = None,
    *,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> list[SourceReport]:
    """Build ``sources`` (default: the configured ones) and swap them into the store at once.

    :raises BuildError: if any source cannot be read; the store is left as it was.
    """
    try:
        resolved = [resolve(c) for c in (sources if sources is not None else settings.sources)]
    except SourceError as error:
        raise BuildError(str(error)) from None
    names = [s.name for s in resolved]
    if len(set(names)) != len(names):
        raise BuildError(f"two sources share a name: {names}; give one a name")
    mint = Minter(settings.base)
    shapes = CompiledShapes(load_shapes())
    settings.store.mkdir(parents=True, exist_ok=True)
    store = GraphStore(settings.store)
    with tempfile.TemporaryDirectory(dir=settings.store, prefix=".staging-") as tmp:
        staged_all: list[tuple[Staged, Store]] = []
        for n, source in enumerate(resolved):
            staging = Store(str(Path(tmp) / str(n)))
            staged_all.append((stage(source, staging, mint, shapes, progress=progress), staging))
        reports = [s.report for s, _ in staged_all]

        def all_quads() -> Iterator[Quad]:
            for staged, staging in staged_all:
                yield from outcome(staged, mint, staging)
                staged.report.ended = datetime.now(UTC)
                yield from provenance.load_quads(
                    staged.report, mint, [e.locator for e in staged.entries],
                    [e.uri for e in staged.entries if e.loaded and e.uri])
            yield from meta.static_quads(mint)

        store.replace_graphs(
            meta.replaced_by(mint, names),
            _progress(all_quads(), progress),
            before_swap=lambda new, folder: derive_all(DeriveContext(new, folder, settings, mint)),
        )
    for report in reports:
        log(report.summary())
        for reason, count in report.reasons.most_common(5):
            log(f"  quarantined {count}: {reason}")
    return reports


def validate(
    settings: Settings,
    sources: Iterable[SourceConfig] | None = None,
    *,
    progress: bool = True,
) -> list[Staged]:
    """Map and validate ``sources`` without loading anything (for ``lifecat validate``)."""
    try:
        resolved = [resolve(c) for c in (sources if sources is not None else settings.sources)]
    except SourceError as error:
        raise BuildError(str(error)) from None
    mint = Minter(settings.base)
    shapes = CompiledShapes(load_shapes())
    staged = []
    for source in resolved:
        staging = Store()
        result = stage(source, staging, mint, shapes, progress=progress)
        for _ in outcome(result, mint, staging):  # fills the loaded/quarantined accounting
            pass
        staged.append(result)
    return staged


def _progress(quads: Iterator[Quad], enabled: bool) -> Iterator[Quad]:
    yield from tqdm(quads, desc="loading", unit=" quads", disable=not enabled, leave=False,
                    miniters=50_000)
