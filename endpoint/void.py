"""``/void`` and ``/.well-known/void``: the VoID description the build computed, in the negotiated format.

The figures (triples, entities, distinct subjects and objects, class and property partitions,
linksets between sources) are computed once per build (``graph/void.py``), never per request; the
same statements are in the meta graph for ``/sparql``.
"""

from __future__ import annotations

from fastapi import Request, Response
from pyoxigraph import serialize
from starlette.concurrency import run_in_threadpool

from lifecat.core.vocab import PREFIXES
from lifecat.endpoint import conditional
from lifecat.endpoint.deps import StoreDep
from lifecat.endpoint.negotiation import RDF_MEDIA_TYPES, negotiate
from lifecat.graph.void import read_void


async def void(request: Request, store: StoreDep) -> Response:
    """The VoID description of the served generation; unchanged for the generation's lifetime, so a
    conditional request is answered ``304`` without reading it."""
    media = negotiate(request.headers.get("accept"), list(RDF_MEDIA_TYPES),
                      explicit=request.query_params.get("format"))
    folder = await run_in_threadpool(store.artifacts)
    valid = conditional.of_generation(folder, request.url.path, request.url.query, media)
    vary = {"Vary": "Accept"}
    if conditional.unchanged(request, valid):
        return conditional.not_modified(valid, vary)
    triples = await run_in_threadpool(read_void, folder)
    body = serialize(triples, format=RDF_MEDIA_TYPES[media], prefixes=PREFIXES) or b""
    return Response(body, media_type=media, headers={**vary, **valid.headers})
