"""``GET /sparql`` without a query: the SPARQL 1.1 Service Description, or the query editor.

Clients such as Comunica read the description first to learn what the endpoint supports; people
get the YASGUI editor (served from ``endpoint/static/``, so it works offline) with the example
queries loaded as tabs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates
from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize
from starlette.concurrency import run_in_threadpool

from lifecat import queries
from lifecat.core.config import Settings
from lifecat.core.vocab import DCT, ENTAILMENT, FORMATS, PREFIXES, RDF, SD
from lifecat.endpoint.negotiation import RDF_MEDIA_TYPES, NotAcceptable, negotiate
from lifecat.graph.store import Store

#: Prefixes the description uses (Turtle output stays short).
SD_PREFIXES = {name: PREFIXES[name] for name in ("sd", "dct", "rdf")}
#: The W3C format IRIs of the answers the endpoint gives.
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]


@dataclass
class EditorContext:
    """Template context of ``sparql.html``."""

    endpoint: str = field(metadata={"help": "URL the editor sends queries to."})
    examples: list[dict[str, str]] = field(
        metadata={"help": "Example queries (name, title, description, text), one editor tab each."})
    timeout: float = field(metadata={"help": "The endpoint's query time limit, in seconds."})
    max_rows: int = field(metadata={"help": "The most results one query returns."})


def describe(endpoint: str, store: Store, settings: Settings) -> list[Triple]:
    """The Service Description of the endpoint at ``endpoint``: languages, formats, features and
    the default dataset with the names of the public named graphs (never the private ones).

    >>> import tempfile
    >>> from lifecat.core.uris import Minter
    >>> from lifecat.graph.store.embedded import EmbeddedStore
    >>> store = EmbeddedStore(tempfile.mkdtemp(), Minter("http://ex/"))
    >>> store.public_graphs = lambda: [NamedNode("http://ex/graph/a")]
    >>> triples = describe("http://ex/sparql", store, Settings())
    >>> [str(t.object) for t in triples if t.predicate == SD.name]
    ['<http://ex/graph/a>']
    """
    service = NamedNode(endpoint)
    dataset, default = BlankNode(), BlankNode()
    triples = [
        Triple(service, RDF.type, SD.Service),
        Triple(service, SD.endpoint, service),
        Triple(service, DCT.title, Literal("lifecat SPARQL endpoint")),
        Triple(service, SD.supportedLanguage, SD.SPARQL10Query),
        Triple(service, SD.supportedLanguage, SD.SPARQL11Query),
        Triple(service, SD.feature, SD.UnionDefaultGraph),
        Triple(service, SD.defaultEntailmentRegime, ENTAILMENT.Simple),
        Triple(service, SD.defaultDataset, dataset),
        Triple(dataset, RDF.type, SD.Dataset),
        Triple(dataset, SD.defaultGraph, default),
        Triple(default, RDF.type, SD.Graph),
        *(Triple(service, SD.resultFormat, FORMATS[name]) for name in RESULT_FORMATS),
    ]
    if settings.write_token:
        triples.append(Triple(service, SD.supportedLanguage, SD.SPARQL11Update))
    if settings.federation:
        triples.append(Triple(service, SD.feature, SD.BasicFederatedQuery))
    for graph in store.public_graphs():
        named = BlankNode()
        triples += [Triple(dataset, SD.namedGraph, named), Triple(named, RDF.type, SD.NamedGraph),
                    Triple(named, SD.name, graph)]
    return triples


async def respond(request: Request, store: Store, templates: Jinja2Templates,
                  settings: Settings) -> Response:
    """The description in the negotiated RDF format, or the editor for a browser."""
    offered = [*RDF_MEDIA_TYPES, "text/html"]
    try:
        media = negotiate(request.headers.get("accept"), offered,
                          explicit=request.query_params.get("format"))
    except NotAcceptable:
        if request.query_params.get("format"):
            raise
        media = offered[0]
    endpoint = str(request.url.replace(query="", fragment=""))
    if media == "text/html":
        context = EditorContext(endpoint, [asdict(e) for e in queries.examples()],
                                settings.query_timeout, settings.max_rows)
        return templates.TemplateResponse(request, "sparql.html", {"page": context},
                                          headers={"Vary": "Accept"})
    triples = await run_in_threadpool(describe, endpoint, store, settings)
    body = serialize(triples, format=RDF_MEDIA_TYPES[media], prefixes=SD_PREFIXES) or b""
    return Response(body, media_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})
