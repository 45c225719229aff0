"""The build: read each source, map every record, validate it, and swap in the new graphs.

Every record read ends up either in its source's public graph or, with its validation report, in
the source's quarantine graph: ``read == loaded + quarantined`` always. Only a ``sh:Violation`` (or a
record that cannot be mapped) quarantines; a record whose report has a ``sh:Warning`` loads and is
counted as loaded with warnings. So does a record its reader found broken (no id, a table row that
does not fit its header), one nested deeper than ``max_depth``, one whose id cannot be a URI path, and
a second record with the id of one read before in the same source (the first is kept). A source file
that cannot be read at all, a source that would empty its graph in the store (unless allowed), and
any error nobody foresaw (its traceback logged) stop the whole build before anything is swapped, so
the previous graphs stay served.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, Triple
from pyoxigraph import Store as Oxigraph
from tqdm import tqdm

from lifecat.core.config import MAX_DEPTH, Settings, SourceConfig
from lifecat.core.uris import Minter
from lifecat.core.vocab import LIFECAT, RDF, SH, XSD
from lifecat.graph import meta, provenance, references
from lifecat.graph.derive import deriving
from lifecat.graph.shacl import CompiledShapes, Result, load_shapes
from lifecat.graph.sources import Source, SourceError, resolve
from lifecat.graph.store import Store, StoreUnavailable
from lifecat.mappings import ReadError, Record, RecordError, SourceFormatError, SourceItem
from lifecat.mappings.rdf import xml_safe
from lifecat.mappings.sourcefiles import field_limit


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
    #: What ``error`` is counted as: the same for every record quarantined for the same cause.
    reason: str | None = None
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
    #: The ids read again in the file of their first record (each later record is quarantined).
    duplicates: list[str] = field(default_factory=list)
    #: The ids read in several files (the records are loaded into one node).
    merged: list[str] = field(default_factory=list)
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
    #: Where reading is: the locator of the record being read, else the file being opened.
    at: str | None = None


def report_node(graph: NamedNode, key: str) -> NamedNode:
    """The validation report of the record ``key`` of the source graph ``graph``.

    >>> report_node(NamedNode("http://ex/graph/src"), "a/b").value
    'http://ex/graph/src/report/a%2Fb'
    """
    return NamedNode(f"{graph.value}/report/{quote(key, safe='')}")


def staging_graph(index: int) -> NamedNode:
    return NamedNode(f"urn:lifecat:staging:{index}")


#: Path segments a client resolves away (RFC 3986 dot segments, and their WHATWG spellings).
DOT_SEGMENTS = frozenset({".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"})


def _mapped(run: SourceRun, mint: Minter, progress: bool, max_depth: int
            ) -> Iterator[tuple[Entry, list[Triple]]]:
    """Every record of the source, mapped (or with the reason it could not be, or cannot load)."""
    source = run.source
    first: dict[tuple[NamedNode, str], tuple[str, str]] = {}  # each record: where it was first read

    def items() -> Iterator[SourceItem]:
        for path in source.paths:
            run.at = str(path) if path else source.location
            yield from source.format.read(path)

    bar = tqdm(items(), desc=f"{source.name}", unit=" records", disable=not progress, leave=False)
    for item in bar:
        run.at = item.locator
        run.files.add(provenance.file_location(item.locator))
        raw, error = item.data, item.error
        if error is None and _deeper(raw, max_depth):
            raw, error = _pruned(raw, max_depth), ReadError("nested too deeply",
                                                            f"more than {max_depth} levels (max_depth)")
        if error is not None:
            yield Entry(item.locator, _key(item.locator), None, None, raw, str(error), error.reason), []
            continue
        try:
            record = source.format.to_rdf(raw, mint)
        except RecordError as failure:
            text = f"cannot map record: {failure}"
        except Exception as failure:  # a mapping bug must not lose the record
            text = f"mapping failed: {type(failure).__name__}: {failure}"
        else:
            error = _unusable(record.uri, record.key, mint) or _duplicate(run, record, item, first)
            yield Entry(item.locator, record.key, record.uri, record.kind, raw,
                        str(error) if error else None, error.reason if error else None,
                        notes=record.notes), record.triples
            continue
        yield Entry(item.locator, _key(item.locator), None, None, raw, text, _reason(text)), []


def _unusable(uri: NamedNode, key: str, mint: Minter) -> ReadError | None:
    """Why the record IRI minted from ``key`` is no address a client can reach, if it is not: the
    minter escapes a key's slashes when its segments would be resolved away or merged, but a key that
    is empty or all dots stays such a segment."""
    path = uri.value.removeprefix(f"{mint.base}id/").partition("/")[2]
    segments = path.split("/")
    if not path or "" in segments[:-1] or any(segment.lower() in DOT_SEGMENTS for segment in segments):
        return ReadError("unusable id", f"{key!r} cannot be the last part of a record IRI")
    return None


def _duplicate(run: SourceRun, record: Record, item: SourceItem,
               first: dict[tuple[NamedNode, str], tuple[str, str]]) -> ReadError | None:
    """Whether this source read the record before: the same id (as the source writes it, in any case)
    mapped to the same IRI.

    In the same file, the first record read is kept and this one is a duplicate. In another file of
    the source it is the same record in another download (an API page and a table, say): both are
    loaded into the one node, and the build reports the id. Records of different ids that name one
    thing (EU CTR's country records of a trial) are one node by design, and not reported.
    """
    file, same = provenance.file_location(item.locator), (record.uri, _key(item.locator).casefold())
    if same not in first:
        first[same] = (file, f"{file} line {item.line}" if item.line else item.locator)
        return None
    first_file, where = first[same]
    if first_file != file:
        if record.key not in run.report.merged:
            run.report.merged.append(record.key)
        return None
    run.report.duplicates.append(record.key)
    return ReadError("duplicate id", f"{record.key!r} again; the record first seen at {where} is kept")


def _deeper(value: object, depth: int) -> bool:
    """Whether ``value`` nests lists or objects more than ``depth`` deep (looked at level by level, as
    a record too deep for the mapping is too deep for recursion)."""
    level = [value]
    for _ in range(depth):
        level = [child for v in level if isinstance(v, dict | list)
                 for child in (v.values() if isinstance(v, dict) else v)]
    return any(isinstance(v, dict | list) for v in level)


def _pruned(value: object, depth: int) -> object:
    """``value`` cut ``depth`` levels down, to keep what can be kept of a record nested too deeply."""
    if isinstance(value, dict):
        return {k: _pruned(v, depth - 1) for k, v in value.items()} if depth else "…"
    if isinstance(value, list):
        return [_pruned(v, depth - 1) for v in value] if depth else "…"
    return value


def source_quads(run: SourceRun, mint: Minter, shapes: CompiledShapes, *,
                 progress: bool = True, max_depth: int = MAX_DEPTH) -> Iterator[Quad]:
    """The quads a source contributes (records, quarantine, reports), filling its accounting.

    Records are validated a batch at a time, each in its own named graph of an in-memory staging
    store; the compiled shapes run once per batch.

    :raises SourceFormatError: if a file of the source is not in the source's format.
    """
    report = run.report
    public, quarantine = mint.graph(run.source.name), mint.quarantine_graph(run.source.name)
    seen: Counter[str] = Counter()
    records_prefix = f"{mint.base}id/"
    records = _mapped(run, mint, progress, max_depth)
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
                report.reasons.update({entry.reason} if entry.reason else {r.reason for r in violations})
                target = quarantine
            else:
                report.loaded += 1
                report.warnings.update({r.reason for r in found})
                warned = {r.reason for r in found if r.severity == SH.Warning}
                report.loaded_with_warnings += bool(warned)
                report.warning_rules.update(warned)
                run.loaded += described(entry.uri, triples, records_prefix)  # type: ignore[arg-type]
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


def described(uri: NamedNode, triples: list[Triple], prefix: str) -> list[NamedNode]:
    """The record nodes a loaded record describes: its own, and any other record's (not a
    ``#fragment``) it states things about, such as the sequence dataset of a sample, so that each
    says which load generated it.

    >>> from lifecat.core.vocab import SCHEMA
    >>> sample, dataset = NamedNode("http://lc/id/sample/s"), NamedNode("http://lc/id/dataset/d")
    >>> [n.value for n in described(sample, [Triple(dataset, SCHEMA.about, sample),
    ...                                      Triple(NamedNode(f"{sample.value}#x"), SCHEMA.name, sample)],
    ...                             "http://lc/id/")]
    ['http://lc/id/sample/s', 'http://lc/id/dataset/d']
    """
    others = {t.subject for t in triples if isinstance(t.subject, NamedNode) and t.subject != uri
              and t.subject.value.startswith(prefix) and "#" not in t.subject.value}
    return [uri, *sorted(others, key=lambda n: n.value)]


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
    yield q(node, LIFECAT.sourceLocator, Literal(xml_safe(entry.locator)))
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
        yield q(item, SH.resultMessage, Literal(xml_safe(str(message))))
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
    allow_empty: bool = False,
) -> list[SourceReport]:
    """Build ``sources`` (default: the configured ones) and swap them into the store at once.

    A source that loads no record while the store holds a graph of it stops the build, unless
    ``allow_empty``: an empty or truncated file must not empty a graph people use.

    :raises BuildError: if any source cannot be read, would be emptied, or the build fails in a way
        nobody foresaw (the message is one line; the traceback goes to the log file it names); the
        store is left as it was.
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
        held = set(store.graphs()) if store.exists() else set()
        for run in runs:
            yield from source_quads(run, mint, shapes, progress=progress, max_depth=settings.max_depth)
            run.report.ended = datetime.now(UTC)
            run.at = None
            if not (run.report.loaded or allow_empty) and mint.graph(run.source.name) in held:
                raise BuildError(
                    f"source {run.source.name} loaded no record from {run.source.location} (read "
                    f"{run.report.read}, quarantined {run.report.quarantined}), so its graph in the store is "
                    "kept; build with --allow-empty to empty it")
            yield from provenance.load_quads(run.report, mint, sorted(run.files), run.loaded)
        yield from meta.static_quads(mint)

    with _explained(settings, runs), field_limit(settings.max_field_size):
        try:
            change = meta.rebuild(mint, [run.source.name for run in runs], all_quads())
            store.replace(references.completing(change, store), deriving(settings))
        except (SourceFormatError, StoreUnavailable) as error:
            raise BuildError(str(error)) from None
    for run in runs:
        log(run.report.summary())
        if not run.report.read:
            log(f"  no record read from {run.source.location}")
        for reason, count in run.report.reasons.most_common(5):
            log(f"  quarantined {count}: {reason}")
        for ids, what in [(run.report.duplicates, "duplicate ids {} (the first record of each is kept)"),
                          (run.report.merged, "ids in several files {} (loaded into one node)")]:
            if ids:
                log(f"  {what.format(len(ids))}: {', '.join(ids[:10])}{', …' if len(ids) > 10 else ''}")
        for reason, count in run.report.warning_rules.most_common(5):
            log(f"  loaded with warnings {count}: {reason}")
    return [run.report for run in runs]


@contextmanager
def _explained(settings: Settings, runs: list[SourceRun]) -> Iterator[None]:
    """Turn an error nobody foresaw into a one-line :class:`BuildError` that names the source, file and
    record being read, with the full traceback written to a log file it names."""
    try:
        yield
    except BuildError:
        raise
    except Exception as error:
        logged = _log_traceback(settings, error)
        run = next((r for r in runs if r.at is not None), None)
        if run is None or run.at is None:
            where = "while writing the store"
        elif "#" in run.at:
            file, _, record = run.at.rpartition("#")
            where = f"in source {run.source.name}, file {file}, record {record}"
        else:
            where = f"in source {run.source.name}, file {run.at}"
        what = " ".join(f"{type(error).__name__}: {error}".split())
        raise BuildError(f"unexpected error {where}: {what[:300]} (full traceback in {logged})") from None


def _log_traceback(settings: Settings, error: Exception) -> Path:
    """Write ``error``'s traceback to a new file in the store's ``logs`` folder (the artifacts folder's,
    for a remote store; the temporary folder if neither can be written); return its path."""
    name = f"build-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"
    text = "".join(traceback.format_exception(error))
    for folder in (Path(settings.artifacts if settings.remote else settings.store) / "logs",
                   Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        except OSError:
            continue
        return folder / name
    return Path(tempfile.gettempdir()) / name


def validate(
    settings: Settings,
    sources: Iterable[SourceConfig] | None = None,
    *,
    progress: bool = True,
) -> list[SourceRun]:
    """Map and validate ``sources`` without loading anything (for ``lifecat validate``).

    :raises BuildError: if any source cannot be read, or on an error nobody foresaw (see :func:`build`).
    """
    runs = _runs(_resolve(settings, sources))
    mint = Minter(settings.base)
    shapes = CompiledShapes(load_shapes())
    with _explained(settings, runs), field_limit(settings.max_field_size):
        try:
            for run in runs:
                for _ in source_quads(run, mint, shapes, progress=progress, max_depth=settings.max_depth):
                    pass
                run.at = None
        except SourceFormatError as error:
            raise BuildError(str(error)) from None
    return runs
