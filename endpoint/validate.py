"""``/validate``: providers check their markup or DCAT metadata before publishing it, on a page or
through the API, against the Bioschemas profiles, DCAT-AP 3.0.1 and lifecat's own shapes.

The document is pasted or uploaded (a form), sent as the request body in its own media type (the
API), or, where the operator allows it, fetched from a URL (``validate_fetch``: off by default, and
never from a non-public address unless listed). Nothing submitted is stored or loaded into the
graph. The report is HTML, JSON, plain text or a SHACL validation report in Turtle, by negotiation.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import PlainTextResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.types import Message

from lifecat.endpoint.checking import BadInput, CheckJob
from lifecat.endpoint.negotiation import NotAcceptable, negotiate
from lifecat.graph import check_report
from lifecat.graph.check import Report
from lifecat.graph.profiles import profiles

OFFERED = ["text/html", "application/json", "text/turtle", "text/plain"]
RENDER = {"application/json": check_report.as_json, "text/turtle": check_report.as_turtle,
          "text/plain": check_report.as_text}
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
#: Room for a form's field names and boundaries beside the document itself.
FORM_OVERHEAD = 16_384
#: How the form names the kinds of pasted text.
PASTE_KINDS = {"": "guess from the content", "application/ld+json": "JSON-LD", "text/html": "an HTML page",
               "text/turtle": "Turtle", "application/rdf+xml": "RDF/XML",
               "application/n-triples": "N-Triples"}
#: The name a pasted or posted document is reported under.
PASTED = "pasted document"

OPENAPI: dict[str, Any] = {"requestBody": {"required": True, "description": (
    "The document to check, in its own media type (JSON-LD, Turtle, RDF/XML, N-Triples, an HTML page "
    "with embedded markup), or a form: `content` (pasted text) or `file` (an upload), `media_type` of "
    "the pasted text, `url` (where the server allows fetching), and `profile` (repeatable)."),
    "content": {m: {"schema": {"type": "string"}} for m in (
        "application/ld+json", "text/turtle", "application/rdf+xml", "application/n-triples", "text/html")}
    | {f: {"schema": {"type": "object", "properties": {
        "content": {"type": "string"}, "file": {"type": "string", "format": "binary"},
        "media_type": {"type": "string"}, "url": {"type": "string"},
        "profile": {"type": "array", "items": {"type": "string"}}}}} for f in FORMS}},
    "responses": {"200": {"description": "The report", "content": {m: {} for m in OFFERED}},
                  "400": {"description": "The document cannot be read"},
                  "413": {"description": "The document is larger than `validate_max_bytes`"},
                  "503": {"description": "The checks are busy, or this one overran its time limit"}}}


class TooLarge(ValueError):
    """A submitted document over the size cap (answered 413)."""


async def validate_page(request: Request) -> Response:
    """The form; with ``url`` (where fetching is allowed), that URL's report."""
    settings = request.app.state.settings
    media = negotiate(request.headers.get("accept"), OFFERED, explicit=request.query_params.get("format"))
    chosen = _profiles(request.query_params.getlist("profile"))
    url = request.query_params.get("url", "").strip()
    if not url:
        if media != "text/html":
            raise BadInput("give a document to check: POST it, or GET with ?url= where fetching is allowed")
        return _page(request, None, {"profiles": chosen})
    _fetching_allowed(settings)
    report = await request.app.state.checkers.run(CheckJob(name=url, profiles=tuple(chosen), url=url),
                                                   _client(request))
    return _answer(request, media, report, {"url": url, "profiles": chosen})


async def validate(request: Request) -> Response:
    """Check the document in the request: its body, or the form's pasted text, upload or URL."""
    settings = request.app.state.settings
    media = negotiate(request.headers.get("accept"), OFFERED, explicit=request.query_params.get("format"))
    limit = settings.validate_max_bytes
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await _body(request, limit + (FORM_OVERHEAD if kind in FORMS else 0))
    chosen = _profiles(request.query_params.getlist("profile"))
    form: dict[str, Any] = {"profiles": chosen}
    if kind in FORMS:
        fields = await _form(request, body, limit)
        chosen = _profiles([*chosen, *(str(v) for v in fields.getlist("profile"))])
        upload, url = fields.get("file"), str(fields.get("url") or "").strip()
        pasted = str(fields.get("content") or "")
        declared = str(fields.get("media_type") or "")
        form = {"profiles": chosen, "url": url, "content": pasted, "media_type": declared}
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            job = CheckJob(upload.filename, tuple(chosen), data, declared or upload.content_type)
        elif pasted.strip():
            data = pasted.encode()
            job = CheckJob(PASTED, tuple(chosen), data, declared or _guess(pasted))
        elif url:
            _fetching_allowed(settings)
            job = CheckJob(url, tuple(chosen), url=url)
        else:
            raise BadInput("the form is empty: paste a document, choose a file, or give a URL")
        if job.content is not None and len(job.content) > limit:
            raise TooLarge(f"the document is {len(job.content)} bytes; at most {limit} are checked")
    elif not body.strip():
        raise BadInput("the request has no body: send the document to check, in its own media type")
    else:
        job = CheckJob(PASTED, tuple(chosen), body, kind or None)
    report = await request.app.state.checkers.run(job, _client(request))
    return _answer(request, media, report, form)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _answer(request: Request, media: str, report: Report, form: dict[str, Any]) -> Response:
    if media == "text/html":
        return _page(request, report, form)
    return PlainTextResponse(RENDER[media](report), media_type=media, headers={"Vary": "Accept"})


def _page(request: Request, report: Report | None, form: dict[str, Any], status: int = 200,
          error: str | None = None) -> Response:
    settings = request.app.state.settings
    context = {"form": form, "error": error, "fetching": settings.validate_fetch,
               "limit": settings.validate_max_bytes, "kinds": PASTE_KINDS,
               "all_profiles": list(profiles().values()),
               "report": report, "records": check_report.records(report) if report else [],
               "problems": check_report.problems(report) if report else [],
               "summary": _summary(report) if report else None}
    return request.app.state.templates.TemplateResponse(request, "validate.html", context, status_code=status,
                                                        headers={"Vary": "Accept"})


def _summary(report: Report) -> dict[str, int]:
    counts = {"violation": 0, "warning": 0, "info": 0}
    for finding in report.findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts | {"records": len(dict.fromkeys(report.checked)), "documents": len(report.documents)}


def bad_input_page(request: Request, error: Exception, status: int) -> Response:
    """A refused check: the form again with the reason, for people; the reason alone for programs."""
    try:
        media = negotiate(request.headers.get("accept"), OFFERED, explicit=request.query_params.get("format"))
    except NotAcceptable:  # the reason still has to be said
        media = "text/plain"
    if media == "text/html":
        return _page(request, None, {"profiles": []}, status, str(error))
    return PlainTextResponse(f"{error}\n", status_code=status, headers={"Vary": "Accept"})


def _fetching_allowed(settings: Any) -> None:
    if not settings.validate_fetch:
        raise FetchingOff("this server does not fetch URLs for checks (validate_fetch is off): paste the "
                          "document or upload it, or run `lifecat check URL` on your own machine")


class FetchingOff(PermissionError):
    """A URL check on a server that does not fetch for its visitors (answered 403)."""


def _profiles(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in names if n.strip() and n.strip() != "auto"))


def _guess(text: str) -> str | None:
    """The kind of pasted text, from how it starts, when the form does not say."""
    start = text.lstrip()[:200].lower()
    if start.startswith(("{", "[")):
        return "application/ld+json"
    if start.startswith(("<!doctype html", "<html", "<head", "<body", "<script")):
        return "text/html"
    if start.startswith("<"):
        return "application/rdf+xml"
    return "text/turtle"


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused past ``limit`` bytes before more of it is read.

    :raises TooLarge: over the limit (by its ``Content-Length`` or as it arrives).
    """
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise TooLarge(f"the request is {int(length)} bytes; at most {limit} are checked")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the request is over {limit} bytes; at most {limit} are checked")
        chunks.append(chunk)
    return b"".join(chunks)


async def _form(request: Request, body: bytes, limit: int) -> Any:
    """The form in ``body`` (already read within the cap), parsed as the request would parse it.

    :raises BadInput: for a form that cannot be parsed.
    """
    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Request(request.scope, replay).form(max_files=1, max_fields=20, max_part_size=limit + 1)
    except (StarletteHTTPException, MultiPartException) as error:
        reason = str(getattr(error, "detail", error))
        if "exceeded maximum size" in reason:  # the form parser's own cap, set to ours
            raise TooLarge(f"a form field is over {limit} bytes; at most {limit} are checked") from None
        raise BadInput(f"the form cannot be read: {reason}") from None
