"""graph.fetch: a URL fetched for an anonymous user reaches only public addresses, within its limits.

Real HTTP servers on loopback answer (127.0.0.1, and 127.0.0.2 for a second one); a policy allowing
127.0.0.1/32 stands for a deployment's allowed network. Connection attempts are seen through the
interpreter's ``socket.connect`` audit event, so a refusal is shown to come before any connection
without mocking the network.
"""

from __future__ import annotations

import gzip
import shutil
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.client import HTTPMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lifecat.graph.fetch import Fetched, FetchError, Policy, fetch

LOCAL = Policy(allowed_networks=("127.0.0.1/32",))
PAGE = b"<!doctype html><title>A catalogue</title>"

Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    """Answers a GET by the server's route for its path (404 without one), noting the request."""

    server: Server
    timeout = 30  # a client gone silent ends the handler rather than the test run's teardown

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers))
        self.server.routes.get(self.path, lambda handler: handler.send_error(404))(self)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read what the server saw from its ``requests``."""


class Server(ThreadingHTTPServer):
    """A loopback HTTP(S) server serving in a thread, with what it saw: connections and requests."""

    def __init__(self, host: str, routes: dict[str, Route], tls: ssl.SSLContext | None = None) -> None:
        super().__init__((host, 0), Handler)
        if tls:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.routes = routes
        self.connections = 0
        self.requests: list[tuple[str, HTTPMessage]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, args=(0.05,), name=f"test-server-{host}",
                                       daemon=True)  # polls for shutdown every 0.05 s

    def server_bind(self) -> None:
        """Binds without ``HTTPServer``'s reverse lookup of the address (a DNS query for 127.0.0.2)."""
        socketserver.TCPServer.server_bind(self)

    def verify_request(self, request: object, client_address: object) -> bool:
        self.connections += 1
        return True

    def url(self, path: str = "/") -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    """Starts servers, ``serve(routes, host="127.0.0.1", tls=None)``; stops them and their handlers at
    the end."""
    servers: list[Server] = []

    def start(routes: dict[str, Route], host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> Server:
        server = Server(host, routes, tls)
        servers.append(server)
        server.thread.start()
        return server

    yield start
    for server in servers:
        server.stopping.set()
        server.shutdown()
        server.server_close()  # joins the handler threads
        server.thread.join()


class Connects:
    """The socket connections the watching thread attempts, from the ``socket.connect`` audit event."""

    def __init__(self) -> None:
        self.thread: int | None = None
        self.seen: list[tuple[str, int]] = []
        sys.addaudithook(self._hook)  # for the rest of the process: cheap while nothing is watched

    def _hook(self, event: str, args: tuple[object, ...]) -> None:
        if event == "socket.connect" and threading.get_ident() == self.thread:
            self.seen.append(args[1])  # type: ignore[arg-type]

    @contextmanager
    def watch(self) -> Iterator[list[tuple[str, int]]]:
        self.seen, self.thread = [], threading.get_ident()
        try:
            yield self.seen
        finally:
            self.thread = None


@pytest.fixture(scope="session")
def connects() -> Connects:
    return Connects()


def refused(url: str, policy: Policy, connects: Connects) -> str:
    """The FetchError message fetching ``url`` gives, asserting no connection was even attempted."""
    with connects.watch() as seen, pytest.raises(FetchError) as caught:
        fetch(url, policy)
    assert seen == [], f"a connection was attempted: {seen}"
    assert caught.value.url == url
    return str(caught.value)


def page(body: bytes = PAGE, content_type: str = "text/html; charset=utf-8",
         headers: tuple[tuple[str, str], ...] = ()) -> Route:
    def route(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    return route


def redirect(location: str, status: int = 302) -> Route:
    def route(handler: Handler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return route


def unsized(size: int) -> Route:
    """``size`` bytes without a Content-Length: the body ends when the connection closes (HTTP/1.0)."""
    def route(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()
        handler.wfile.write(b"x" * size)
    return route


def declared(length: int) -> Route:
    """A Content-Length of ``length`` and no body at all: only a client that does not read it finishes
    in time (the handler waits for the client to hang up)."""
    def route(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(length))
        handler.end_headers()
        handler.wfile.flush()
        handler.rfile.read(1)
    return route


def trickle(handler: Handler) -> None:
    """A byte every 0.2 s of a body announced at 100 kB, until the client hangs up or the test ends."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(600):
            if handler.server.stopping.wait(0.2):
                return
            handler.wfile.write(b"x")
            handler.wfile.flush()
    except (BrokenPipeError, ConnectionResetError):
        return


def test_loopback_is_fetched_only_from_an_allowed_network(serve: Callable[..., Server],
                                                          connects: Connects) -> None:
    server = serve({"/catalogue": page(content_type="Text/HTML; Charset=ISO-8859-1")})
    url = server.url("/catalogue")
    assert fetch(url, LOCAL) == Fetched(url=url, final_url=url, status=200, media_type="text/html",
                                        charset="iso-8859-1", body=PAGE)
    assert "127.0.0.1 is not a public address (loopback)" in refused(url, Policy(), connects)
    assert server.connections == 1 and server.paths() == ["/catalogue"]  # the first fetch's alone


@pytest.mark.parametrize(("url", "kind"), [
    ("http://localhost:{port}/", "loopback"),
    ("http://127.0.0.2:{port}/", "loopback"),
    ("http://[::1]:{port}/", "loopback"),
    ("http://2130706433:{port}/", "loopback"),
    ("http://0x7f.1:{port}/", "loopback"),
    ("http://127.1:{port}/", "loopback"),
    ("http://[::ffff:127.0.0.1]:{port}/", "loopback"),
    ("http://0.0.0.0:{port}/", "unspecified"),
    ("http://[::]:{port}/", "unspecified"),
    ("http://10.1.2.3/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://192.168.0.1/", "private"),
    ("http://[fd00::1]/", "private"),
    ("http://[64:ff9b::a01:203]/", "private"),  # NAT64 to 10.1.2.3
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://100.64.0.1/", "shared"),
    ("http://224.0.0.1/", "multicast"),
])
def test_non_public_addresses_are_refused_without_connecting(
        url: str, kind: str, serve: Callable[..., Server], connects: Connects) -> None:
    server = serve({"/": page()})
    message = refused(url.format(port=server.port), Policy(), connects)
    assert f"is not a public address ({kind}" in message
    assert server.connections == 0


def test_allow_private_reaches_loopback(serve: Callable[..., Server]) -> None:
    server = serve({"/": page()})
    assert fetch(server.url(), Policy(allow_private=True)).body == PAGE


def test_allowed_networks_must_be_networks() -> None:
    with pytest.raises(ValueError, match="host bits"):
        Policy(allowed_networks=("127.0.0.1/8",))


def test_redirects_are_followed(serve: Callable[..., Server]) -> None:
    server = serve({"/": page()})
    server.routes.update({"/old": redirect("/new", 301), "/new": redirect(server.url("/"), 307)})
    fetched = fetch(server.url("/old"), LOCAL)
    assert (fetched.url, fetched.final_url, fetched.body) == (server.url("/old"), server.url("/"), PAGE)
    assert server.paths() == ["/old", "/new", "/"]


def test_redirect_out_of_the_allowed_network_is_refused(serve: Callable[..., Server],
                                                        connects: Connects) -> None:
    inside = serve({})
    outside = serve({"/": page()}, host="127.0.0.2")  # loopback too, but not in 127.0.0.1/32
    inside.routes["/away"] = redirect(outside.url())
    with connects.watch() as seen, pytest.raises(FetchError) as caught:
        fetch(inside.url("/away"), LOCAL)
    assert f"redirected to {outside.url()}: 127.0.0.2 is not a public address (loopback)" in str(caught.value)
    assert inside.paths() == ["/away"]
    assert outside.connections == 0 and {host for host, _ in seen} == {"127.0.0.1"}


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://127.0.0.1:70/", "javascript:alert(1)"])
def test_redirect_to_another_scheme_is_refused(location: str, serve: Callable[..., Server]) -> None:
    server = serve({"/": redirect(location)})
    scheme = location.split(":")[0]
    with pytest.raises(FetchError, match=f"redirected to {scheme}:.*only http and https URLs are fetched"):
        fetch(server.url(), LOCAL)


def test_redirects_are_limited(serve: Callable[..., Server]) -> None:
    hops = {f"/hop/{n}": redirect(f"/hop/{n - 1}") for n in range(1, 10)}
    server = serve({**hops, "/hop/0": page(), "/loop": redirect("/loop")})
    policy = Policy(allowed_networks=LOCAL.allowed_networks, max_redirects=3)
    assert fetch(server.url("/hop/3"), policy).final_url == server.url("/hop/0")
    server.requests.clear()
    with pytest.raises(FetchError, match="it redirects more than 3 times"):
        fetch(server.url("/hop/4"), policy)
    assert server.paths() == ["/hop/4", "/hop/3", "/hop/2", "/hop/1"]
    with pytest.raises(FetchError, match="it redirects in a loop"):
        fetch(server.url("/loop"), policy)


@pytest.mark.parametrize(("url", "why"), [
    ("file:///etc/passwd", "only http and https URLs are fetched, not file:"),
    ("ftp://127.0.0.1/", "only http and https URLs are fetched, not ftp:"),
    ("gopher://127.0.0.1:70/", "only http and https URLs are fetched, not gopher:"),
    ("data:text/plain,hello", "only http and https URLs are fetched, not data:"),
    ("javascript:alert(1)", "only http and https URLs are fetched, not javascript:"),
    ("127.0.0.1:{port}/", "the URL has no scheme"),
    ("http://user:secret@127.0.0.1:{port}/", "the URL has a user name or password in it"),
    ("http://[::1/", "not a valid URL"),
    ("http://xn--.org/", "not a valid URL"),
    ("http://127.0.0.1:65536/", "65536 is not a TCP port"),
])
def test_only_plain_http_urls_are_fetched(url: str, why: str, serve: Callable[..., Server],
                                          connects: Connects) -> None:
    server = serve({"/": page()})
    assert why in refused(url.format(port=server.port), LOCAL, connects)
    assert server.connections == 0


@pytest.mark.parametrize(("route", "why"), [
    (declared(1001), "larger than 1000 bytes (its Content-Length is 1001)"),  # refused unread: none is sent
    (unsized(1001), "larger than 1000 bytes"),
    (page(gzip.compress(bytes(10_000_000)), headers=(("Content-Encoding", "gzip"),)),  # 10 kB, 10 MB unpacked
     "larger than 1000 bytes"),
    (page(headers=(("Content-Encoding", "br"),)), "encoded as 'br'"),
])
def test_bodies_beyond_the_limit_are_refused(route: Route, why: str, serve: Callable[..., Server]) -> None:
    server = serve({"/": route})
    with pytest.raises(FetchError, match=why.replace("(", r"\(").replace(")", r"\)")):
        fetch(server.url(), Policy(allowed_networks=LOCAL.allowed_networks, max_bytes=1000))


def test_bodies_within_the_limit_are_whole(serve: Callable[..., Server]) -> None:
    text = b"<http://example.org/a> a <http://example.org/B> .\n" * 100
    server = serve({"/exact": unsized(1000), "/packed": page(gzip.compress(text), "text/turtle",
                                                             (("Content-Encoding", "gzip"),))})
    policy = Policy(allowed_networks=LOCAL.allowed_networks, max_bytes=len(text))
    assert fetch(server.url("/exact"), policy).body == b"x" * 1000
    packed = fetch(server.url("/packed"), policy)
    assert (packed.body, packed.media_type, packed.charset) == (text, "text/turtle", None)


def test_a_trickling_server_times_out(serve: Callable[..., Server]) -> None:
    server = serve({"/": trickle})
    with pytest.raises(FetchError, match="timed out after 1 s"):
        fetch(server.url(), Policy(allowed_networks=LOCAL.allowed_networks, timeout=1))


@pytest.mark.parametrize(("status", "words"), [(404, "404 Not Found"), (500, "500 Internal Server Error")])
def test_error_statuses_are_errors(status: int, words: str, serve: Callable[..., Server]) -> None:
    server = serve({"/": lambda handler: handler.send_error(status)})
    with pytest.raises(FetchError, match=f"the server answered {words}"):
        fetch(server.url(), LOCAL)


def test_network_failures_are_told_in_words(serve: Callable[..., Server]) -> None:
    server = serve({"/": lambda handler: handler.wfile.write(b"this is not HTTP\r\n\r\n")})
    with pytest.raises(FetchError, match="the server's answer is not valid HTTP"):
        fetch(server.url(), LOCAL)
    with socket.socket() as closed:  # bound, never listening: connections to it are refused
        closed.bind(("127.0.0.1", 0))
        with pytest.raises(FetchError, match=r"cannot connect \(Connection refused\)"):
            fetch(f"http://127.0.0.1:{closed.getsockname()[1]}/", LOCAL)


def test_user_agent_and_accept_are_sent(serve: Callable[..., Server]) -> None:
    server = serve({"/": page()})
    agent = "lifecat/1.2.3 (+https://w3id.org/lifecat; mailto:curators@example.org)"
    fetch(server.url(), Policy(allowed_networks=LOCAL.allowed_networks, user_agent=agent),
          accept="text/turtle, application/ld+json;q=0.9")
    [(_, headers)] = server.requests
    assert headers["User-Agent"] == agent
    assert headers["Accept"] == "text/turtle, application/ld+json;q=0.9"


#: An HTTPS server, the file of its certificate, and the server names (SNI) its clients sent.
TLSServer = tuple[Server, Path, list[str | None]]


@pytest.fixture
def tls_server(serve: Callable[..., Server], tmp_path: Path) -> TLSServer:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for the name ``localhost`` alone,
    the certificate's file, and the server names (SNI) its clients sent."""
    if not shutil.which("openssl"):
        pytest.skip("the openssl command, which makes the test certificate, is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    names: list[str | None] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    return serve({"/": page()}, tls=context), cert, names


def test_tls_is_verified_against_the_host_name(tls_server: TLSServer,
                                               connects: Connects, monkeypatch: pytest.MonkeyPatch) -> None:
    server, cert, names = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the one authority trusted
    with connects.watch() as seen:
        fetched = fetch(f"https://localhost:{server.port}/", Policy(allow_private=True))
    assert fetched.body == PAGE
    hosts = [address[0] for address in seen]  # ::1 first where localhost is both, refused by the server
    assert hosts[-1] == "127.0.0.1" and "localhost" not in hosts  # connected to the checked address…
    assert names == ["localhost"]  # …while TLS went by the name
    with pytest.raises(FetchError, match="its TLS certificate is not accepted"):
        fetch(f"https://127.0.0.1:{server.port}/", LOCAL)  # the certificate names localhost, not 127.0.0.1
