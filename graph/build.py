"""The build: read each source, map every record, validate it, and swap in the new graphs.

Every record read ends up either in its source's public graph or, with its validation report, in
the source's quarantine graph: ``read == loaded + quarantined`` always. Only a ``sh:Violation`` (or a
record that cannot be mapped) quarantines; a record whose report has a ``sh:Warning`` loads and is
counted as loaded with warnings. A source file that cannot be read at all stops the whole build
before anything is swapped, so the previous graphs stay served.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, Triple
from pyoxigraph import Store as Oxigraph
from tqdm import tqdm

from lifecat.core.config import Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.core.vocab import LIFECAT, RDF, SH, XSD
from lifecat.graph import meta, provenance, references
from lifecat.graph.derive import deriving
from lifecat.graph.shacl import CompiledShapes, Result, load_shapes
from lifecat.graph.sources import Source, SourceError, resolve
from lifecat.graph.store import Store, StoreUnavailable
from lifecat.mappings import RecordError, SourceFormatError, SourceItem


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
    #: Loaded records with at least one sh:Warning (a minimum property missing); among ``loaded``.
    loaded_with_warnings: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    #: The rules loaded records were reported for (any severity), with how many records each.
    warnings: Counter[str] = field(default_factory=Counter)
    #: The rules that made loaded records count as loaded with warnings (sh:Warning only).
    warning_rules: Counter[str] = field(default_factory=Counter)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    ended: datetime | None = None

    def summary(self) -> str:
        return (
            f"{self.name} ({self.format}): read {self.read}, loaded {self.loaded}, "
            f"quarantined {self.quarantined}, loaded with warnings {self.loaded_with_warnings}"
        )


#: Records validated together in one in-memory staging store: bounds memory at any source size.
BATCH = 20_000


@dataclass
class SourceRun:
    """One source being built: its accounting, and what provenance needs once it is loaded."""

    source: Source
    report: SourceReport
    files: set[str] = field(default_factory=set)
    loaded: list[NamedNode] = field(default_factory=list)
    rules: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Each quarantined record's key (as its report names it) and why, in plain words.
    failures: list[tuple[str, list[str]]] = field(default_factory=list)


def report_node(graph: NamedNode, key: str) -> NamedNode:
    """The validation report of the record ``key`` of the source graph ``graph``.

    >>> report_node(NamedNode("http://ex/graph/src"), "a/b").value
    'http://ex/graph/src/report/a%2Fb'
    """
    return NamedNode(f"{graph.value}/report/{quote(key, safe='')}")


def staging_graph(index: int) -> NamedNode:
    return NamedNode(f"urn:lifecat:staging:{index}")


def _mapped(run: SourceRun, mint: Minter, progress: bool) -> Iterator[tuple[Entry, list[Triple]]]:
    """Every record of the source, mapped (or with the reason it could not be)."""
    source = run.source

    def items() -> Iterator[SourceItem]:
        for path in source.paths:
            yield from source.format.read(path)

    bar = tqdm(items(), desc=f"{source.name}", unit=" records", disable=not progress, leave=False)
    for item in bar:
        run.files.add(provenance.file_location(item.locator))
        try:
            record = source.format.to_rdf(item.data, mint)
        except RecordError as error:
            error_text = f"cannot map record: {error}"
        except Exception as error:  # a mapping bug must not lose the record
            error_text = f"mapping failed: {type(error).__name__}: {error}"
        else:
            yield Entry(item.locator, record.key, record.uri, record.kind, item.data,
                        notes=record.notes), record.triples
            continue
        yield Entry(item.locator, _key(item.locator), None, None, item.data, error_text), []


def source_quads(run: SourceRun, mint: Minter, shapes: CompiledShapes, *,
                 progress: bool = True) -> Iterator[Quad]:
    """The quads a source contributes (records, quarantine, reports), filling its accounting.

    Records are validated a batch at a time, each in its own named graph of an in-memory staging
    store; the compiled shapes run once per batch.

    :raises SourceFormatError: if a file of the source is not in the source's format.
    """
    report = run.report
    public, quarantine = mint.graph(run.source.name), mint.quarantine_graph(run.source.name)
    seen: Counter[str] = Counter()
    records = _mapped(run, mint, progress)
    while batch := list(itertools.islice(records, BATCH)):
        staging = Oxigraph()
        staging.bulk_extend(Quad(t.subject, t.predicate, t.object, staging_graph(index))
                            for index, (_, triples) in enumerate(batch) for t in triples)
        results: dict[int, list[Result]] = defaultdict(list)
        for result in shapes.validate(staging):
            results[int(result.graph.value.rsplit(":", 1)[1])].append(result)
        del staging
        for index, (entry, triples) in enumerate(batch):
            found = results.get(index, [])
            violations = [r for r in found if r.is_violation]
            report.read += 1
            run.rules.update({(r.severity.value.rpartition("#")[2], r.reason) for r in found})
            if entry.error or violations:
                report.quarantined += 1
                report.reasons.update({_reason(entry.error)} if entry.error
                                      else {r.reason for r in violations})
                target = quarantine
            else:
                report.loaded += 1
                report.warnings.update({r.reason for r in found})
                warned = {r.reason for r in found if r.severity == SH.Warning}
                report.loaded_with_warnings += bool(warned)
                report.warning_rules.update(warned)
                run.loaded.append(entry.uri)  # type: ignore[arg-type]
                target = public
            for t in triples:
                yield Quad(t.subject, t.predicate, t.object, target)
            if target == quarantine or found or entry.notes:
                seen[entry.key] += 1
                key = entry.key if seen[entry.key] == 1 else f"{entry.key}~{seen[entry.key]}"
                if target == quarantine:
                    run.failures.append((key, [entry.error] if entry.error
                                         else list(dict.fromkeys(r.message for r in violations))))
                yield from _report_quads(report_node(public, key), entry, found,
                                         quarantine if target == quarantine else mint.meta_graph)


def _reason(error: str) -> str:
    """The stable part of a mapping error, for counting: what failed and on which field."""
    return ":".join(error.split(":")[:2])


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
    if not conforms:  # quarantined: kept as read, so people can see what the source sent
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


def _resolve(settings: Settings, sources: Iterable[SourceConfig] | None) -> list[Source]:
    try:
        resolved = [resolve(c) for c in (sources if sources is not None else settings.sources)]
    except SourceError as error:
        raise BuildError(str(error)) from None
    names = [s.name for s in resolved]
    if len(set(names)) != len(names):
        raise BuildError(f"two sources share a name: {names}; give one a name")
    return resolved


def _runs(resolved: list[Source]) -> list[SourceRun]:
    return [SourceRun(s, SourceReport(s.name, s.format.name, s.location, s.checksum()))
            for s in resolved]


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
    runs = _runs(_resolve(settings, sources))
    mint = Minter(settings.base)
    shapes = CompiledShapes(load_shapes())
    store = Store.open(settings)
    try:
        store.check(write=True)
    except StoreUnavailable as error:
        raise BuildError(str(error)) from None

    def all_quads() -> Iterator[Quad]:
        for run in runs:
            yield from source_quads(run, mint, shapes, progress=progress)
            run.report.ended = datetime.now(UTC)
            yield from provenance.load_quads(run.report, mint, sorted(run.files), run.loaded)
        yield from meta.static_quads(mint)

    try:
        change = meta.rebuild(mint, [run.source.name for run in runs], all_quads())
        store.replace(references.completing(change, store), deriving(settings))
    except (SourceFormatError, StoreUnavailable) as error:
        raise BuildError(str(error)) from None
    for run in runs:
        log(run.report.summary())
        for reason, count in run.report.reasons.most_common(5):
            log(f"  quarantined {count}: {reason}")
        for reason, count in run.report.warning_rules.most_common(5):
            log(f"  loaded with warnings {count}: {reason}")
    return [run.report for run in runs]


def validate(
    settings: Settings,
    sources: Iterable[SourceConfig] | None = None,
    *,
    progress: bool = True,
) -> list[SourceRun]:
    """Map and validate ``sources`` without loading anything (for ``lifecat validate``).

    :raises BuildError: if any source cannot be read.
    """
    runs = _runs(_resolve(settings, sources))
    mint = Minter(settings.base)
    shapes = CompiledShapes(load_shapes())
    try:
        for run in runs:
            for _ in source_quads(run, mint, shapes, progress=progress):
                pass
    except SourceFormatError as error:
        raise BuildError(str(error)) from None
    return runs
