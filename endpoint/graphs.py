"""Graph pages: ``/graph/{source}`` (``meta`` and ``references`` too), the load activities under them,
and what else the meta graph describes there (the files a load read, validation reports).

A graph's page says what was loaded into it, when and from where (files, sizes, SHA-256), how many
records were read, loaded and quarantined, and how often the loaded records' validation reports name
each rule; its RDF is the provenance of those loads (the graph's content is in ``/dumps/`` and the Graph
Store Protocol). A load's page is the same for one load; any other IRI under ``{base}graph/`` shows its
statements. The format is negotiated as on record pages. Private graphs (quarantine) and everything
under them answer 404 as a missing record does: nothing of them is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from fastapi import Request, Response
from pyoxigraph import Literal, NamedNode, Triple, serialize
from starlette.concurrency import run_in_threadpool

from lifecat.core.vocab import DCAT, DCT, LIFECAT, PREFIXES, PROV, RDF, RDFS, SH, SPDX
from lifecat.endpoint import record_page
from lifecat.endpoint.deps import SettingsDep, StoreDep, TemplatesDep
from lifecat.endpoint.negotiation import RDF_MEDIA_TYPES, negotiate
from lifecat.endpoint.record_page import NodeView
from lifecat.endpoint.records import OFFERED, RDF_FORMAT_NAMES, RecordNotFound, split_suffix
from lifecat.endpoint.signposting import Signpost, link_header
from lifecat.endpoint.terms import TermView, compact
from lifecat.graph.store import Store


@dataclass
class SourceFile:
    """A file (or URL) a load read."""

    iri: str
    title: str
    location: str | None
    size: str | None
    sha256: str | None


@dataclass
class LoadView:
    """One load activity: when, what ran it, what it read, and its accounting."""

    iri: str
    href: str | None
    label: str
    started: str | None
    ended: str | None
    mapping: str | None
    version: str | None
    location: str | None
    checksum: str | None
    read: str | None
    loaded: str | None
    quarantined: str | None
    files: list[SourceFile]


@dataclass
class RuleCount:
    """How many loaded records' validation reports name one rule."""

    severity: str
    rule: str
    count: int


@dataclass
class GraphContext:
    """Template context of ``graph.html``."""

    iri: str = field(metadata={"help": "The IRI described, exactly as requested."})
    kind: str = field(metadata={"help": "``graph``, ``load`` or ``resource`` (anything else)."})
    title: str = field(metadata={"help": "The graph's path, the load's label, or the IRI."})
    graph: TermView | None = field(metadata={"help": "The graph a load generated (load pages)."})
    size: tuple[str | None, str | None] = field(metadata={"help": "Triples and entities, from VoID."})
    loads: list[LoadView] = field(metadata={"help": "Loads of the graph, newest first (or the one)."})
    rules: list[RuleCount] = field(metadata={"help": "Rules the loaded records' reports name, counted."})
    nodes: list[NodeView] = field(metadata={"help": "The statements about the IRI and its sub-nodes."})
    alternates: dict[str, str] = field(metadata={"help": "Media type → URL of each RDF format."})


@dataclass(frozen=True)
class Described:
    """An IRI under ``{base}graph/`` found by its path, what kind of thing it is, and its statements."""

    iri: NamedNode
    kind: str
    triples: list[Triple]
    suffix: str | None


def resolve(store: Store, paths: list[str]) -> Described:
    """The first of ``paths`` (under ``/graph/``, a format suffix allowed) that names a public graph
    or something the public graphs describe.

    :raises RecordNotFound: if none does, or the path is in a private graph.
    """
    graphs = set(store.public_graphs())
    for path in paths:
        bare, suffix = split_suffix(path)
        for candidate, named in [(path, None), *([(bare, suffix)] if suffix else [])]:
            try:
                iri = NamedNode(f"{store.mint.base}graph/{candidate}")
            except ValueError:  # no graph is named by what is not an IRI
                raise RecordNotFound(f"{store.mint.base}graph/{quote(candidate)}") from None
            if not store.is_public(iri.value):
                raise RecordNotFound(iri.value)
            triples = record_page.load(store, iri)
            if iri in graphs:
                loads = store.named("pages/graph_loads", graph=iri).triples()
                return Described(iri, "graph", triples + loads, named)
            if Triple(iri, RDF.type, PROV.Activity) in triples:
                return Described(iri, "load", triples + _files(store, iri, triples), named)
            if triples:
                return Described(iri, "resource", triples, named)
    raise RecordNotFound(f"{store.mint.base}graph/{paths[0]}")


def _files(store: Store, load: NamedNode, triples: list[Triple]) -> list[Triple]:
    """The statements about the files ``load`` read (and their checksums), from its graph's loads."""
    graph = next((t.object for t in triples if t.subject == load and t.predicate == PROV.generated), None)
    if not isinstance(graph, NamedNode):
        return []
    files = f"{load.value}/source/"
    return [t for t in store.named("pages/graph_loads", graph=graph).triples()
            if t.subject.value.startswith(files)]


async def graph(request: Request, name: str, store: StoreDep, templates: TemplatesDep,
                settings: SettingsDep) -> Response:
    """A graph, a load or a provenance resource, in the representation the client asked for."""
    raw = request.scope.get("raw_path", b"").decode("latin-1").removeprefix("/graph/")
    found = await run_in_threadpool(resolve, store, list(dict.fromkeys([raw, name] if raw else [name])))
    media = negotiate(request.headers.get("accept"), OFFERED,
                      explicit=request.query_params.get("format") or found.suffix)
    path = "/" + found.iri.value.removeprefix(settings.base)
    alternates = {media: f"{path}.{suffix}" for suffix, media in RDF_FORMAT_NAMES.items()}
    posts = [Signpost("alternate", href, media) for media, href in alternates.items()]
    headers = {"Vary": "Accept", "Link": link_header(posts)}
    if media != "text/html":
        body = serialize(found.triples, format=RDF_MEDIA_TYPES[media], prefixes=PREFIXES) or b""
        return Response(body, media_type=media, headers=headers)
    context = await run_in_threadpool(_context, store, found, alternates)
    return templates.TemplateResponse(request, "graph.html", {"page": context}, headers=headers)


def _context(store: Store, found: Described, alternates: dict[str, str]) -> GraphContext:
    base, iri = store.mint.base, found.iri
    loads = _loads(found.triples, base)
    own = [t for t in found.triples if t.subject == iri or t.subject.value.startswith(f"{iri.value}#")]
    generated = next((t.object for t in own if t.predicate == PROV.generated), None)
    size: tuple[str | None, str | None] = (None, None)
    rules: list[RuleCount] = []
    if found.kind == "graph":
        row = next(iter(store.named("pages/graph_void", graph=iri).solutions()), {})
        size = (row["triples"].value if "triples" in row else None,
                row["entities"].value if "entities" in row else None)
        rules = _rules(store, iri)
    elif found.kind == "load":
        loads = [load for load in loads if load.iri == iri.value]
    return GraphContext(
        iri=iri.value,
        kind=found.kind,
        title=(loads[0].label if found.kind == "load" and loads
               else iri.value.removeprefix(base) if found.kind == "graph" else iri.value),
        graph=TermView.of(generated, {}, base) if isinstance(generated, NamedNode) else None,
        size=size,
        loads=loads,
        rules=rules,
        nodes=record_page.nodes(iri, own, {}, base),
        alternates=alternates,
    )


def _loads(triples: list[Triple], base: str) -> list[LoadView]:
    """The load activities among ``triples``, newest first, with the files each read."""
    values: dict[str, dict[str, list[str]]] = {}
    for t in triples:
        values.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object.value)

    def one(subject: str, predicate: NamedNode) -> str | None:
        found = values.get(subject, {}).get(predicate.value)
        return min(found) if found else None

    def source_file(entity: str) -> SourceFile:
        checksum = one(entity, SPDX.checksum)
        return SourceFile(entity, one(entity, DCT.title) or entity, one(entity, PROV.atLocation),
                          one(entity, DCAT.byteSize), one(checksum, SPDX.checksumValue) if checksum else None)

    loads = [
        LoadView(subject, TermView.of(NamedNode(subject), {}, base).href,
                 one(subject, RDFS.label) or subject, one(subject, PROV.startedAtTime),
                 one(subject, PROV.endedAtTime), one(subject, LIFECAT.mapping),
                 one(subject, LIFECAT.softwareVersion), one(subject, LIFECAT.sourceLocation),
                 one(subject, LIFECAT.checksum), one(subject, LIFECAT.recordsRead),
                 one(subject, LIFECAT.recordsLoaded), one(subject, LIFECAT.recordsQuarantined),
                 [source_file(e) for e in sorted(props.get(PROV.used.value, []))])
        for subject, props in values.items() if PROV.Activity.value in props.get(RDF.type.value, [])
    ]
    return sorted(loads, key=lambda load: load.started or "", reverse=True)


def _rules(store: Store, graph: NamedNode) -> list[RuleCount]:
    """The rules the validation reports of ``graph``'s loaded records name, with how many name each."""
    counts = []
    for row in store.named("pages/graph_rules", prefix=Literal(f"{graph.value}/report/")).solutions():
        component = row["component"].value.rpartition("#")[2].removesuffix("ConstraintComponent")
        where = " ".join(compact(row[name].value).rpartition(":")[2].rpartition("#")[2]
                         for name in ("shape", "path") if name in row)
        rule = (f"{where}: {component[:1].lower()}{component[1:]}" if where
                else compact(row["component"].value))
        counts.append(RuleCount(row["severity"].value.removeprefix(SH.iri), rule, int(row["n"].value)))
    return counts
