"""Fetching a URL a person gave lifecat (a provider's page or catalogue to validate), safely.

A public lifecat must not become a way to reach what only it can reach (server-side request forgery):
its own loopback, the intranet around it, a cloud metadata service. :func:`fetch` therefore takes
only ``http`` and ``https`` URLs without credentials, and unless the :class:`Policy` allows private
addresses, connects only to public (globally reachable) ones, or to a network the deployment lists.
Every limit is the fetch's, redirects included: at most ``max_redirects`` of them (followed here, each
new URL checked like the first), at most ``max_bytes`` of body, and ``timeout`` seconds in all.
Whatever goes wrong is a :class:`FetchError` saying why in words.

**Pinning the checked address.** The check is made where connections are opened: a network backend
given to httpcore's connection pool (``httpcore.ConnectionPool(network_backend=…)``, public API)
resolves the host name once, refuses it unless every address it resolves to is allowed, and connects
to one of those very addresses through ``httpcore.SyncBackend`` — never by name, so no second lookup
can answer otherwise (DNS rebinding). httpcore still starts TLS with the URL's host name, so the
certificate is verified against the name and SNI is sent. Every connection a fetch opens (the first
one and those of redirects to other hosts) goes through this backend, so none can skip the check.
httpx's own ``HTTPTransport`` takes no network backend, hence a small ``httpx.BaseTransport`` over
that pool, which :func:`fetch` drives itself, a request at a time, with httpx's URL, request and
response models. No ``httpx.Client``: it reads every redirect's ``Location`` on its own (and fails on
some that are merely not http), and would take proxies and ``.netrc`` credentials from the
environment (a proxy is connected to instead of the checked address).

**One deadline.** httpx's timeouts are per operation, so a server trickling a byte a second would
never trip them; here every socket operation gets its timeout cut to what is left of the fetch's, and
the host name is looked up in a thread of its own so that a slow resolver is abandoned, not waited for.

**The body** is asked for as ``gzip`` or uncompressed, and counted after decompression, so a small
compressed answer cannot unpack into more than ``max_bytes``; other content codings are refused.
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

import httpcore
import httpx

#: What makes an address other than public, in the order its kind is named (an address may be several).
SPECIAL_KINDS = (
    ("is_unspecified", "unspecified"),
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_site_local", "site-local"),
    ("is_reserved", "reserved"),
    ("is_private", "private"),
)
#: RFC 6598's shared address space (carrier-grade NAT): not global, yet not ``is_private`` either.
SHARED = IPv4Network("100.64.0.0/10")
#: IPv6 prefixes whose last 32 bits are an IPv4 address the connection reaches (IPv4-compatible, NAT64).
IPV4_SUFFIXED = (IPv6Network("::/96"), IPv6Network("64:ff9b::/96"))


@dataclass(frozen=True)
class Fetched:
    """A page fetched: its final URL after redirects, and its body, whole."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    media_type: str  # from Content-Type, lowercased, without parameters ("" if none)
    charset: str | None  # from Content-Type, lowercased
    body: bytes


class FetchError(Exception):
    """Why a URL could not be fetched, in words a user can act on (never a traceback)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot fetch {url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class Policy:
    """What a fetch may reach and take. The web page keeps the defaults (public addresses only); the
    command line allows private ones, as a provider may check a page on their own machine."""

    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()  # CIDRs allowed although not public (an intranet to validate)
    max_bytes: int = 5_000_000
    timeout: float = 10.0  # the whole fetch, redirects included
    max_redirects: int = 5
    user_agent: str = "lifecat (+https://w3id.org/lifecat)"

    def __post_init__(self) -> None:
        self.networks()  # a mistyped network fails where it is configured, not at the first fetch

    def networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """The allowed networks, parsed (strictly: ``127.0.0.1/8`` is refused as a likely mistake)."""
        return tuple(ip_network(cidr) for cidr in self.allowed_networks)


def fetch(url: str, policy: Policy, *, accept: str = "*/*") -> Fetched:
    """GET ``url`` within ``policy``, following redirects; a :class:`FetchError` unless the final
    answer is a 2xx. ``accept`` is sent as the ``Accept`` header: the media types the caller reads."""
    headers = {"User-Agent": policy.user_agent, "Accept": accept, "Accept-Encoding": "gzip"}
    timeouts = {"timeout": httpx.Timeout(policy.timeout).as_dict()}  # per operation, cut to the deadline
    hops: list[str] = []  # every URL requested, in order
    at: httpx.URL | None = None  # where the last redirect leads
    try:
        with _PinnedTransport(policy, _Deadline(policy.timeout)) as transport:
            while True:
                target = _checked(at or url)
                hops.append(str(target))
                request = httpx.Request("GET", target, headers=headers, extensions=timeouts)
                with contextlib.closing(transport.handle_request(request)) as response:
                    if not response.has_redirect_location:
                        return _fetched(url, response, policy.max_bytes)
                    at = _redirect(response)
                if str(at) in hops:
                    raise FetchError(url, f"it redirects in a loop ({' → '.join([*hops, str(at)])})")
                if len(hops) > policy.max_redirects:
                    raise FetchError(url, f"it redirects more than {policy.max_redirects} times")
    except _Unfetchable as refusal:
        reason = refusal.reason
    except httpx.HTTPError as error:
        reason = _words(error, policy.timeout)
    raise FetchError(url, reason if at is None else f"redirected to {at}: {reason}")


class _Unfetchable(Exception):
    """A reason to give up, raised wherever it is found; :func:`fetch` adds the URL."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _checked(url: str | httpx.URL) -> httpx.URL:
    """``url`` parsed, if it is one lifecat may fetch at all: http or https, with a host and a valid
    port, without a user name or password (public pages only; no credentials are sent along)."""
    try:
        parsed = httpx.URL(url)
        host = parsed.host  # decoded from IDNA only here, where a malformed A-label fails
    except (httpx.InvalidURL, UnicodeError) as error:
        raise _Unfetchable(f"not a valid URL ({error})") from None
    if not parsed.scheme:
        raise _Unfetchable("the URL has no scheme: write it with http:// or https://")
    if parsed.scheme not in ("http", "https"):
        raise _Unfetchable(f"only http and https URLs are fetched, not {parsed.scheme}:")
    if not host:
        raise _Unfetchable("the URL names no host")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise _Unfetchable(f"{parsed.port} is not a TCP port")
    if parsed.userinfo:
        raise _Unfetchable("the URL has a user name or password in it; only public pages are fetched")
    return parsed


def _redirect(response: httpx.Response) -> httpx.URL:
    """Where a redirect leads, its ``Location`` read against the URL that answered."""
    location = response.headers["location"]
    try:
        return response.url.join(location)
    except httpx.InvalidURL:
        raise _Unfetchable(f"it redirects to {location!r}, which is not a valid URL") from None


def _fetched(url: str, response: httpx.Response, limit: int) -> Fetched:
    if not response.is_success:
        # the standard phrase, not the server's own: it is the one a user can look up
        phrase = httpx.codes.get_reason_phrase(response.status_code)
        raise _Unfetchable(f"the server answered {response.status_code} {phrase}".rstrip())
    return Fetched(url=url, final_url=str(response.url), status=response.status_code,
                   media_type=response.headers.get("content-type", "").partition(";")[0].strip().lower(),
                   charset=response.charset_encoding, body=_body(response, limit))


def _body(response: httpx.Response, limit: int) -> bytes:
    """The body, refused as soon as it outgrows ``limit`` (before any of it is read if its
    ``Content-Length`` says so), gzip undone chunk by chunk with the room left as the bound."""
    length = response.headers.get("content-length")
    if length is not None and int(length) > limit:
        raise _Unfetchable(f"the body is larger than {limit} bytes (its Content-Length is {length})")
    coding = response.headers.get("content-encoding", "").strip().lower() or "identity"
    if coding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise _Unfetchable(f"the body is encoded as {coding!r}; lifecat asks for gzip or none")
    decoder = None if coding == "identity" else zlib.decompressobj(wbits=32 + zlib.MAX_WBITS)  # gzip or zlib
    body = bytearray()
    try:
        for chunk in response.iter_raw():
            body += decoder.decompress(chunk, limit + 1 - len(body)) if decoder else chunk
            if len(body) > limit:
                raise _Unfetchable(f"the body is larger than {limit} bytes")
    except zlib.error as error:
        raise _Unfetchable(f"the body is not valid {coding} ({error})") from None
    if decoder and not decoder.eof:
        raise _Unfetchable(f"the {coding} body is cut short")
    return bytes(body)


def _words(error: httpx.HTTPError, timeout: float) -> str:
    """What went wrong, for a person: the time limit, the TLS problem, the refused connection."""
    if isinstance(error, httpx.TimeoutException):
        return f"timed out after {timeout:g} s without a complete answer"
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__  # httpcore's pool re-raises ``from None``
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"its TLS certificate is not accepted ({cause.verify_message})"
    if isinstance(cause, ssl.SSLError):
        return f"the TLS handshake failed ({cause.reason or cause})"
    detail = re.sub(r"^\[Errno -?\d+\] ", "", str(error)) or type(error).__name__
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect ({detail})"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"the server's answer is not valid HTTP ({detail})"
    if isinstance(error, httpx.NetworkError):
        return f"the connection broke off ({detail})"
    return detail


def _kind(address: IPv4Address | IPv6Address) -> str | None:
    """What makes ``address`` other than public, ``None`` if it is public (globally reachable). An IPv6
    form of an IPv4 address is judged first by the IPv4 address it leads to.

    >>> _kind(ip_address("169.254.169.254"))  # the cloud metadata service
    'link-local'
    >>> _kind(ip_address("::ffff:127.0.0.1")), _kind(ip_address("64:ff9b::a01:203"))  # mapped, NAT64
    ('loopback', 'private')
    >>> _kind(ip_address("100.64.0.1")), _kind(ip_address("::")), _kind(ip_address("224.0.0.1"))
    ('shared (carrier-grade NAT)', 'unspecified', 'multicast')
    >>> _kind(ip_address("93.184.215.14")) is None and _kind(ip_address("2606:4700::1")) is None
    True
    """
    if (inner := _ipv4_inside(address)) and (kind := _kind(inner)):
        return kind
    for attribute, kind in SPECIAL_KINDS:
        if getattr(address, attribute, False):
            return kind
    if address in SHARED:
        return "shared (carrier-grade NAT)"
    return None if address.is_global else "not globally reachable"


def _ipv4_inside(address: IPv4Address | IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 one reaches through the host or a translator: IPv4-mapped
    (``::ffff:a.b.c.d``), IPv4-compatible (``::a.b.c.d``), NAT64 (``64:ff9b::a.b.c.d``) or 6to4."""
    if not isinstance(address, IPv6Address):
        return None
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if int(address) > 1 and any(address in prefix for prefix in IPV4_SUFFIXED):  # not :: nor ::1
        return IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


class _Deadline:
    """When a fetch must be over: each network operation's own timeout is cut to what is left."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self, timeout: float | None) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise httpcore.TimeoutException("the fetch's time is up")
        return left if timeout is None else min(timeout, left)


def _resolve(host: str, port: int, timeout: float) -> list[str]:
    """The addresses ``host`` resolves to, in the resolver's order. ``getaddrinfo`` has no timeout of
    its own, so it runs in a daemon thread that is left behind if it outlasts ``timeout``."""
    found: Future[list[str]] = Future()

    def look_up() -> None:
        try:
            answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as error:  # handed over to the waiting thread, which tells what it was
            found.set_exception(error)
        else:
            found.set_result(list(dict.fromkeys(str(answer[4][0]) for answer in answers)))

    threading.Thread(target=look_up, name="lifecat-fetch-resolve", daemon=True).start()
    try:
        return found.result(timeout)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"looking up {host} took too long") from None
    except (OSError, UnicodeError) as error:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise _Unfetchable(f"the host name {host} cannot be resolved ({detail})") from None


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens a fetch's connections: each host resolved once, refused unless every address it
    resolves to is allowed, and connected to by one of those addresses, not by name."""

    def __init__(self, policy: Policy, deadline: _Deadline) -> None:
        self.policy, self.deadline = policy, deadline
        self.networks = policy.networks()
        self.backend = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        addresses = _resolve(host, port, self.deadline.left(timeout))
        if not self.policy.allow_private:
            for address in addresses:
                self._check(host, address)
        *others, last = addresses
        for address in others:  # the next address if one refuses, as socket.create_connection does
            with contextlib.suppress(httpcore.ConnectError):
                return self._connect(address, port, timeout, local_address, socket_options)
        return self._connect(last, port, timeout, local_address, socket_options)

    def _check(self, host: str, address: str) -> None:
        parsed = ip_address(address)
        kind = None if any(parsed in network for network in self.networks) else _kind(parsed)
        if kind:
            subject = address if host == address else f"{host} resolves to {address}, which"
            raise _Unfetchable(f"{subject} is not a public address ({kind})")

    def _connect(self, address: str, port: int, timeout: float | None, local_address: str | None,
                 socket_options: Iterable[httpcore.SOCKET_OPTION] | None) -> httpcore.NetworkStream:
        stream = self.backend.connect_tcp(address, port, self.deadline.left(timeout), local_address,
                                          socket_options)
        return _BoundedStream(stream, self.deadline)


class _BoundedStream(httpcore.NetworkStream):
    """A connection whose reads, writes and TLS handshake all end by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self.stream, self.deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self.deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, self.deadline.left(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        tls = self.stream.start_tls(ssl_context, server_hostname, self.deadline.left(timeout))
        return _BoundedStream(tls, self.deadline)

    def get_extra_info(self, info: str) -> object:
        return self.stream.get_extra_info(info)


#: httpcore's errors and the httpx errors a transport raises for them, the more specific first.
HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _as_httpx() -> Iterator[None]:
    try:
        yield
    except tuple(core for core, _ in HTTPX_ERRORS) as error:
        raise next(ours for core, ours in HTTPX_ERRORS if isinstance(error, core))(str(error)) from error


class _PinnedTransport(httpx.BaseTransport):
    """httpx's transport over an httpcore pool that connects through :class:`_PinnedBackend` (httpx's
    own ``HTTPTransport`` takes no network backend); it does what that one does, on this pool."""

    def __init__(self, policy: Policy, deadline: _Deadline) -> None:
        self.pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                            network_backend=_PinnedBackend(policy, deadline))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        asked = httpcore.Request(
            request.method, httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port,
                                         target=url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        with _as_httpx():
            answer = self.pool.handle_request(asked)
        return httpx.Response(answer.status, headers=answer.headers, stream=_AnswerStream(answer),
                              request=request, extensions=answer.extensions)

    def close(self) -> None:
        self.pool.close()


class _AnswerStream(httpx.SyncByteStream):
    """An answer's body as httpx reads it, httpcore's errors raised as httpx's."""

    def __init__(self, answer: httpcore.Response) -> None:
        self.answer = answer

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx():
            yield from self.answer.iter_stream()

    def close(self) -> None:
        self.answer.close()
