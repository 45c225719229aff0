"""The application factory and the whole URL space, in one route table."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from http import HTTPStatus
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from lifecat.core.config import Settings
from lifecat.core.version import __version__
from lifecat.endpoint import (
    catalog,
    dumps,
    graph_store,
    graphs,
    health,
    home,
    quarantine,
    records,
    search,
    sitemaps,
    sparql,
    validate,
    void,
    writes,
)
from lifecat.endpoint.admission import Refused
from lifecat.endpoint.checking import BadInput, CheckBusy, Checkers, CheckFailed, CheckTimeout
from lifecat.endpoint.negotiation import NotAcceptable, choose
from lifecat.endpoint.workers import TooMuchMemory, WorkerCrashed, runner
from lifecat.graph.dumps import ArtifactMissing
from lifecat.graph.search_index import CurrentIndex, SearchError
from lifecat.graph.store import (
    PrivateGraphError,
    QueryError,
    QueryTimeout,
    Store,
    StoreMissingError,
    StoreUnavailable,
)

#: (path, view, methods): every URL lifecat answers, top to bottom. Every route that reads answers HEAD
#: as it answers GET (same status and headers, no body): FAIR assessors and link checkers read the
#: headers alone.
ROUTES: list[tuple[str, Callable[..., Any], list[str]]] = [
    ("/", home.home, ["GET", "HEAD"]),
    ("/browse/{kind}", home.browse, ["GET", "HEAD"]),
    ("/search", search.search, ["GET", "HEAD"]),
    ("/sitemap.xml", sitemaps.sitemap, ["GET", "HEAD"]),
    ("/sitemaps/{n}.xml", sitemaps.sitemap_page, ["GET", "HEAD"]),
    ("/robots.txt", sitemaps.robots, ["GET", "HEAD"]),
    ("/graph-store", graph_store.read, ["GET", "HEAD"]),
    ("/graph-store", graph_store.write, ["PUT", "POST", "DELETE"]),
    ("/health", health.health, ["GET", "HEAD"]),
    ("/id/{kind}/{key:path}", records.record, ["GET", "HEAD"]),
    ("/graph/{name:path}", graphs.graph, ["GET", "HEAD"]),
    ("/catalog", catalog.catalog, ["GET", "HEAD"]),
    ("/catalog/all", catalog.catalog_all, ["GET", "HEAD"]),
    ("/void", void.void, ["GET", "HEAD"]),
    ("/.well-known/void", void.void, ["GET", "HEAD"]),
    ("/dumps", dumps.listing, ["GET", "HEAD"]),
    ("/dumps/", dumps.listing, ["GET", "HEAD"]),
    ("/dumps/{file}", dumps.download, ["GET", "HEAD"]),
    ("/quarantine", quarantine.quarantine, ["GET", "HEAD"]),
    ("/quarantine/{source}/{key:path}", quarantine.quarantined, ["GET", "HEAD"]),
    ("/validate", validate.validate_page, ["GET", "HEAD"]),
    ("/validate", validate.validate, ["POST"]),
]
#: OpenAPI details a view's signature cannot give (a request body read in several media types).
OPENAPI_EXTRA: dict[Callable[..., Any], dict[str, Any]] = {validate.validate: validate.OPENAPI}
#: (path, view) answered ahead of the framework's routing and middleware: the SPARQL protocol is the
#: hot path, and that machinery costs more than a point lookup (``docs/performance.md``). The views
#: take every method; the app's exception handlers and CORS apply to them as to every route.
FRONT_ROUTES: list[tuple[str, Callable[[Request], Awaitable[Response]]]] = [
    ("/sparql", sparql.protocol),
]
#: Browser clients (YASGUI elsewhere, notebooks) may query and read from any origin.
ANY_ORIGIN = "*"
CORS: dict[str, Any] = {"allow_origins": [ANY_ORIGIN], "allow_headers": ["*"],
                        "allow_methods": ["GET", "HEAD", "POST", "PUT", "DELETE"], "max_age": 86400}
#: Where the API reference is served: FastAPI's Swagger UI, which loads from its CDN.
API_DOCS = "/api"


def _policy(**sources: str) -> list[tuple[bytes, bytes]]:
    """Security headers with a Content-Security-Policy whose ``default`` directives ``sources`` extends
    (``script_src="https://cdn.example"``), precomputed as raw header pairs."""
    directives = {"default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
                  "img-src": "'self' data:", "object-src": "'none'", "base-uri": "'none'",
                  "frame-ancestors": "'none'", "form-action": "'self'"}
    for name, extra in sources.items():
        directives[name.replace("_", "-")] += f" {extra}"
    policy = "; ".join(f"{name} {value}" for name, value in directives.items())
    return [(b"content-security-policy", policy.encode()), (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"), (b"referrer-policy", b"strict-origin-when-cross-origin")]


#: Sent with every answer: no script but lifecat's own files runs in its pages (nothing in the data
#: can become one), no page is framed, and no response is read as another type than it says.
SECURITY_HEADERS = _policy()
#: The API reference page alone loads Swagger UI from its CDN and starts it with an inline script; it
#: shows nothing of the data.
API_DOCS_HEADERS = _policy(script_src="https://cdn.jsdelivr.net 'unsafe-inline'",
                           style_src="https://cdn.jsdelivr.net 'unsafe-inline'",
                           img_src="https://fastapi.tiangolo.com")


#: Sent with every answer whose form the Accept header chose (error pages, 406).
VARY = {"Vary": "Accept"}
#: Asks the client to close the connection after this answer (sent by a retiring server process).
CLOSE = [(b"connection", b"close")]


def secured(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    """``send``, adding ``headers`` to the response it starts."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), *headers]
        await send(message)

    return sending


class Lifecat(FastAPI):
    """The app, with the paths of :data:`FRONT_ROUTES` answered before the framework's stack.

    Any origin may read them, so their answers carry ``Access-Control-Allow-Origin: *`` whoever
    asks (nothing in them varies by origin); ``OPTIONS`` requests, preflights among them, go through
    the CORS middleware as on every other route. Every answer carries :data:`SECURITY_HEADERS`:
    the front routes' answers get them added to the response, the others as they are sent.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fronts = dict(FRONT_ROUTES)
        # OPTIONS answers get the security headers as they are sent (preflights never reach the view)
        self._options = CORSMiddleware(partial(self._answer_front, headers=[]), **CORS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        if self.state.pool.retiring:  # clients move to another process before this one closes
            send = secured(send, CLOSE)
        if scope["path"] not in self.fronts:
            headers = API_DOCS_HEADERS if scope["path"] == API_DOCS else SECURITY_HEADERS
            await super().__call__(scope, receive, secured(send, headers))
        else:
            scope["app"] = self
            if scope["method"] == "OPTIONS":
                await self._options(scope, receive, secured(send, SECURITY_HEADERS))
            else:
                await self._answer_front(scope, receive, send)

    async def _answer_front(self, scope: Scope, receive: Receive, send: Send, *,
                            headers: list[tuple[bytes, bytes]] = SECURITY_HEADERS) -> None:
        request = Request(scope, receive)
        try:
            response = await self.fronts[scope["path"]](request)
        except Exception as error:
            handlers = self.exception_handlers
            handler = next((handlers[c] for c in type(error).__mro__ if c in handlers), None)
            if handler is None:
                raise
            response = await handler(request, error)
        response.headers["Access-Control-Allow-Origin"] = ANY_ORIGIN
        response.raw_headers.extend(headers)
        await response(scope, receive, send)


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """Build the app over ``settings``' store (or ``store``).

    :raises StoreMissingError: if the store has never been built.
    :raises StoreUnavailable: if a remote store cannot be reached.
    """
    store = store or Store.open(settings)
    store.generation()
    pool = runner(settings, store)

    checkers = Checkers(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool.start()
        yield
        pool.close()
        checkers.close()

    app = Lifecat(title="lifecat", version=__version__, docs_url=API_DOCS, redoc_url=None,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.store = store
    app.state.search = CurrentIndex(store)
    app.state.pool = pool
    app.state.checkers = checkers
    templates = Jinja2Templates(directory=str(files("lifecat.endpoint") / "templates"))
    templates.env.globals["base"] = settings.base
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    for path, view, methods in ROUTES:
        name = f"{view.__module__}.{view.__name__}"
        # HEAD is GET without the body: answered by the same view, documented once, as GET
        documented = [m for m in methods if m != "HEAD"]
        app.add_api_route(path, view, methods=documented, name=name, openapi_extra=OPENAPI_EXTRA.get(view))
        if "HEAD" in methods:
            app.add_api_route(path, view, methods=["HEAD"], name=f"{name}.head", include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(files("lifecat.endpoint") / "static")), name="static")
    app.add_middleware(CORSMiddleware, **CORS)
    _error_handlers(app, templates)
    return app


def _error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    """Domain errors become HTTP answers here, once. Error pages are HTML or text by the Accept header
    (HEAD as GET), and a 406 depends on it too: both say ``Vary: Accept``, so that caches keep them
    apart."""

    def page(request: Request, status: int, title: str, message: str) -> Response:
        wants_html = choose(request.headers.get("accept"), ["text/plain", "text/html"]) == "text/html"
        if wants_html:
            return templates.TemplateResponse(request, "error.html", {
                "status": status, "title": title, "message": message}, status_code=status, headers=VARY)
        return PlainTextResponse(f"{title}: {message}\n", status_code=status, headers=VARY)

    async def bad_query(request: Request, error: Exception) -> Response:
        return PlainTextResponse(f"{error}\n", status_code=400)

    async def not_found(request: Request, error: Exception) -> Response:
        return page(request, 404, "Not found", f"no record {error.args[0]} in lifecat")

    async def no_page(request: Request, error: Exception) -> Response:
        return page(request, 404, "Not found", f"lifecat has no {error.args[0]}")

    async def not_acceptable(request: Request, error: Exception) -> Response:
        return PlainTextResponse(f"{error}\n", status_code=406, headers=VARY)

    async def no_store(request: Request, error: Exception) -> Response:
        return PlainTextResponse(f"{error}\n", status_code=503)

    async def missing(request: Request, error: Exception) -> Response:
        return page(request, 404, "Not found", str(error))

    async def bad_parameter(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return page(request, 400, "Bad request", invalid(error))

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        title = HTTPStatus(error.status_code).phrase
        response = page(request, error.status_code, title, str(error.detail))
        response.headers.update(error.headers or {})
        return response

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, bad_parameter)

    def status(code: int, headers: dict[str, str] | None = None) -> Callable[..., Any]:
        async def handler(request: Request, error: Exception) -> Response:
            return PlainTextResponse(f"{error}\n", status_code=code, headers=headers)

        return handler

    app.add_exception_handler(QueryError, bad_query)
    app.add_exception_handler(sparql.ProtocolError, bad_query)
    app.add_exception_handler(graph_store.GraphStoreError, bad_query)
    app.add_exception_handler(sparql.QueryTooLong, status(413))
    app.add_exception_handler(graph_store.UnsupportedMediaType, status(415))
    app.add_exception_handler(graph_store.GraphNotFound, status(404))
    app.add_exception_handler(writes.Unauthorized,
                              status(401, {"WWW-Authenticate": 'Bearer realm="lifecat"'}))
    app.add_exception_handler(writes.Forbidden, status(403))
    app.add_exception_handler(PrivateGraphError, status(403))
    app.add_exception_handler(QueryTimeout, status(503, {"Retry-After": "5"}))
    app.add_exception_handler(WorkerCrashed, status(503, {"Retry-After": "5"}))
    app.add_exception_handler(TooMuchMemory, status(503, {"Retry-After": "5"}))

    async def refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, Refused)
        return PlainTextResponse(f"{error}\n", status_code=error.status, headers=error.headers)

    app.add_exception_handler(Refused, refused)
    app.add_exception_handler(records.RecordNotFound, not_found)
    app.add_exception_handler(SearchError, bad_query)
    app.add_exception_handler(home.KindNotFound, no_page)
    app.add_exception_handler(sitemaps.SitemapNotFound, no_page)
    app.add_exception_handler(NotAcceptable, not_acceptable)
    app.add_exception_handler(StoreMissingError, no_store)
    app.add_exception_handler(StoreUnavailable, status(503, {"Retry-After": "5"}))
    app.add_exception_handler(ArtifactMissing, no_store)
    app.add_exception_handler(catalog.CatalogueRequestError, bad_query)
    app.add_exception_handler(catalog.PageNotFound, missing)
    app.add_exception_handler(dumps.DumpNotFound, missing)

    def refused_check(status_code: int, headers: dict[str, str] | None = None) -> Callable[..., Any]:
        async def handler(request: Request, error: Exception) -> Response:
            response = validate.bad_input_page(request, error, status_code)
            response.headers.update(headers or {})
            return response

        return handler

    app.add_exception_handler(BadInput, refused_check(400))
    app.add_exception_handler(validate.FetchingOff, refused_check(403))
    app.add_exception_handler(validate.TooLarge, refused_check(413))
    app.add_exception_handler(CheckBusy, refused_check(503, {"Retry-After": "2"}))
    app.add_exception_handler(CheckTimeout, refused_check(503, {"Retry-After": "5"}))
    app.add_exception_handler(CheckFailed, refused_check(503, {"Retry-After": "5"}))


def invalid(error: RequestValidationError) -> str:
    """What is wrong with a request's parameters, in words: each parameter, why, and the value sent
    (shortened, control characters escaped).

    >>> invalid(RequestValidationError([{"loc": ("query", "page"), "input": "0",
    ...                                   "msg": "Input should be greater than or equal to 1"}]))
    "page: Input should be greater than or equal to 1, got '0'"
    """
    reasons = []
    for e in error.errors():
        name = ".".join(str(part) for part in e["loc"][1:]) or str(e["loc"][0])
        sent = e.get("input")
        got = f", got {sent[:80]!r}" if isinstance(sent, str) else ""
        reasons.append(f"{name}: {e['msg']}{got}")
    return "; ".join(reasons)
