"""Record URIs: ``/id/{kind}/{key}`` as an HTML page for people and RDF for machines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import Request, Response
from lifecat.endpoint.deps import RepositoryDep, SettingsDep, TemplatesDep
from lifecat.endpoint.negotiation import FORMAT_NAMES, RDF_MEDIA_TYPES, negotiate
from lifecat.endpoint.repository import Repository
from lifecat.endpoint.terms import TermView, compact
from lifecat.graph.vocab import PREFIXES, RDF, SCHEMA
from lifecat.mappings import Minter
from pyoxigraph import Literal, NamedNode, Triple, serialize
from starlette.concurrency import run_in_threadpool

#: What a record URI can answer with; HTML first, so browsers and ``*/*`` get the page.
OFFERED = ["text/html", *RDF_MEDIA_TYPES]
#: ``?format=`` names and file suffixes of the RDF formats.
RDF_FORMAT_NAMES = {name: FORMAT_NAMES[name] for name in ("ttl", "jsonld", "nt", "rdf")}
SUFFIXES = {f".{name}": name for name in [*RDF_FORMAT_NAMES, "html"]}
LABELS = (SCHEMA.name, NamedNode("http://purl.org/dc/terms/title"), SCHEMA.headline)


class RecordNotFound(LookupError):
    """No public record has this URI."""


@dataclass
class PropertyView:
    """One property of a node and its values, ready for the template."""

    predicate: TermView
    values: list[TermView]


@dataclass
class NodeView:
    """The record, or one of its ``#fragment`` sub-nodes."""

    iri: str
    anchor: str
    types: list[TermView]
    properties: list[PropertyView]


@dataclass
class RecordContext:
    """Template context of ``record.html``."""

    uri: str = field(metadata={"help": "The record URI, exactly as requested."})
    title: str = field(metadata={"help": "The record's name, or its URI without one."})
    description: str | None = field(metadata={"help": "The record's description, if any."})
    nodes: list[NodeView] = field(metadata={"help": "The record first, then its sub-nodes."})
    alternates: dict[str, str] = field(metadata={"help": "Media type → URL of each RDF format."})


def split_suffix(key: str) -> tuple[str, str | None]:
    """``key`` without a format suffix, and the format it names.

    >>> split_suffix("uniprot.ttl")
    ('uniprot', 'ttl')
    >>> split_suffix("10.1000/abc")
    ('10.1000/abc', None)
    """
    for suffix, name in SUFFIXES.items():
        if key.endswith(suffix):
            return key[: -len(suffix)], name
    return key, None


def load(repo: Repository, uri: NamedNode) -> list[Triple]:
    return repo.named("pages/record", record=uri).triples()


async def record(request: Request, kind: str, key: str, repo: RepositoryDep,
                 templates: TemplatesDep, settings: SettingsDep) -> Response:
    """Resolve a record URI in the representation the client asked for."""
    mint = Minter(settings.base)
    explicit = request.query_params.get("format")
    uri = mint.record(kind, key)
    triples = await run_in_threadpool(load, repo, uri)
    if not triples:
        bare, suffix = split_suffix(key)
        if suffix:
            uri, explicit = mint.record(kind, bare), explicit or suffix
            triples = await run_in_threadpool(load, repo, uri)
    if not triples:
        raise RecordNotFound(uri.value)
    media = negotiate(request.headers.get("accept"), OFFERED, explicit=explicit)
    headers = {"Vary": "Accept"}
    if media != "text/html":
        body = serialize(triples, format=RDF_MEDIA_TYPES[media], prefixes=PREFIXES) or b""
        return Response(body, media_type=media, headers=headers)
    labels = await run_in_threadpool(_labels, repo, uri)
    context = _context(uri, triples, labels, settings.base, str(request.url.path))
    return templates.TemplateResponse(request, "record.html", {"page": context}, headers=headers)


def _labels(repo: Repository, uri: NamedNode) -> dict[str, str]:
    return {row["node"].value: row["label"].value
            for row in repo.named("pages/labels", record=uri).solutions() if "label" in row}


def _context(uri: NamedNode, triples: list[Triple], labels: dict[str, str], base: str,
             path: str) -> RecordContext:
    by_subject: dict[str, dict[str, list[NamedNode | Literal]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        by_subject[t.subject.value][t.predicate.value].append(t.object)  # type: ignore[arg-type]
    for node_labels in by_subject.values():
        for values in node_labels.values():
            values.sort(key=lambda o: o.value)
    order = [uri.value, *sorted(s for s in by_subject if s != uri.value)]
    own = by_subject[uri.value]
    nodes = []
    for subject in order:
        props = by_subject[subject]
        types = [TermView.of(t, labels, base) for t in props.pop(RDF.type.value, [])]
        nodes.append(NodeView(
            iri=subject,
            anchor=subject.partition("#")[2],
            types=types,
            properties=[
                PropertyView(TermView.of(NamedNode(p), labels, base, text=compact(p)),
                             [TermView.of(o, labels, base) for o in values])
                for p, values in sorted(props.items(), key=lambda kv: compact(kv[0]))
            ],
        ))
        props[RDF.type.value] = [NamedNode(t.iri) for t in types]  # restore for later readers
    title = next((o.value for p in LABELS for o in own.get(p.value, [])), uri.value)
    description = next((o.value for o in own.get(SCHEMA.description.value, [])), None)
    alternates = {media: f"{path}?format={name}" for name, media in RDF_FORMAT_NAMES.items()}
    return RecordContext(uri.value, title, description, nodes, alternates)
