"""``/dumps/``: the gzipped N-Quads dumps of the build, listed with size, checksum and date, and served.

Files are streamed from the generation folder as they are (``application/gzip``, never re-encoded
on the wire), so their bytes match the SHA-256 the listing and the catalogue give; the response
also carries it as ``Repr-Digest`` (RFC 9530) and as its strong ``ETag``, and the date the manifest
gives (kept while the bytes are unchanged) as ``Last-Modified``: a harvester revalidating its copy
gets a ``304`` until the dump changes, whatever generation serves it.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from datetime import datetime

from fastapi import Request, Response
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from lifecat.endpoint import conditional
from lifecat.endpoint.deps import SettingsDep, StoreDep, TemplatesDep
from lifecat.endpoint.negotiation import negotiate
from lifecat.graph.dumps import DUMPS, Dump, read_manifest

#: The listing is a page for people and JSON for scripts. The negotiation module reads
#: ``application/json`` (and ``?format=json``) as SPARQL JSON results, so that is the name offered.
JSON = "application/sparql-results+json"
OFFERED = ["text/html", JSON]


class DumpNotFound(LookupError):
    """No dump of that name in the served generation."""


@dataclass
class DumpsContext:
    """Template context of ``dumps.html``."""

    dumps: list[Dump] = field(metadata={"help": "Every dump: file, graphs, quads, bytes, sha256, modified."})
    base: str = field(metadata={"help": "The base IRI; downloads are under {base}dumps/."})


async def listing(request: Request, store: StoreDep, settings: SettingsDep,
                  templates: TemplatesDep) -> Response:
    """Every dump of the served generation."""
    media = negotiate(request.headers.get("accept"), OFFERED, explicit=request.query_params.get("format"))
    dumps = await run_in_threadpool(lambda: read_manifest(store.artifacts()))
    if media == JSON:
        return JSONResponse([{**asdict(d), "url": f"{settings.base}{DUMPS}/{d.file}"} for d in dumps],
                            headers={"Vary": "Accept"})
    return templates.TemplateResponse(request, "dumps.html", {"page": DumpsContext(dumps, settings.base)},
                                      headers={"Vary": "Accept"})


async def download(request: Request, file: str, store: StoreDep) -> Response:
    """One dump file, streamed from disk; a 304 if the client's copy is this one."""
    folder = await run_in_threadpool(store.artifacts)
    dump = next((d for d in read_manifest(folder) if d.file == file), None)
    if dump is None:
        raise DumpNotFound(f"no dump {file!r}; see /dumps/ for the list")
    valid = conditional.Validators(f'"{dump.sha256}"', datetime.fromisoformat(dump.modified))
    if conditional.unchanged(request, valid):
        return conditional.not_modified(valid)
    digest = base64.b64encode(bytes.fromhex(dump.sha256)).decode()
    return FileResponse(folder / DUMPS / dump.file, media_type="application/gzip", filename=dump.file,
                        headers={**valid.headers, "Repr-Digest": f"sha-256=:{digest}:"})
