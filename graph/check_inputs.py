"""What ``lifecat check`` reads: files, folders, web pages, and the pages a sitemap lists.

A sitemap (a ``urlset``, or a ``sitemapindex`` of them, plain or gzipped, from a file or a URL) is
followed to its pages, at most ``max_pages`` of them. Every input that cannot be read is an error
naming it and saying why; the others are still checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lifecat.graph import markup
from lifecat.graph.fetch import FetchError, Policy, fetch
from lifecat.graph.markup import Document, MarkupError

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
#: What a fetch asks for: markup first, pages next.
ACCEPT = ("application/ld+json, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/n-triples;q=0.8, "
          "text/html;q=0.7, application/xml;q=0.5, */*;q=0.1")
GZIP = b"\x1f\x8b"


@dataclass
class Inputs:
    """The documents read, and what could not be read or was left out."""

    documents: list[Document] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def gather(targets: list[str], policy: Policy, *, max_pages: int = 1000) -> Inputs:
    """Read every target: a file, a folder (every file below it of a known kind), or an http(s) URL."""
    inputs = Inputs()
    for target in targets:
        if target.startswith(("http://", "https://")):
            _url(target, policy, inputs, max_pages)
        else:
            path = Path(target)
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file() and _known(p.name))
                if not found:
                    inputs.errors.append(f"{target}: no file of a kind lifecat reads in this folder")
                for file in found:
                    _file(file, policy, inputs, max_pages)
            elif path.is_file():
                _file(path, policy, inputs, max_pages)
            else:
                inputs.errors.append(f"{target}: no such file or folder (a URL starts with https://)")
    return inputs


def _known(name: str) -> bool:
    try:
        markup.media_type(name.removesuffix(".gz"))
    except MarkupError:
        return False
    return True


def _file(path: Path, policy: Policy, inputs: Inputs, max_pages: int) -> None:
    try:
        data = path.read_bytes()
    except OSError as error:
        inputs.errors.append(f"{path}: cannot be read: {error.strerror}")
        return
    _content(str(path), data, None, None, policy, inputs, max_pages)


def _url(url: str, policy: Policy, inputs: Inputs, max_pages: int) -> None:
    try:
        got = fetch(url, policy, accept=ACCEPT)
    except FetchError as error:
        inputs.errors.append(str(error))
        return
    _content(url, got.body, got.media_type, got.final_url, policy, inputs, max_pages)


def _content(name: str, data: bytes, declared: str | None, base: str | None, policy: Policy, inputs: Inputs,
             max_pages: int) -> None:
    """Read one input: a sitemap's pages, or the input's own markup."""
    try:
        pages = sitemap(data, name, policy, max_pages)
        if pages is not None:
            if not pages:
                inputs.errors.append(f"{name}: the sitemap lists no page")
            if len(pages) >= max_pages:
                inputs.notes.append((name, f"only the first {max_pages} pages are checked (max_pages)"))
            for page in pages:
                _url(page, policy, inputs, max_pages)
            return
        kind = markup.media_type(name.removesuffix(".gz"), declared)
        documents = markup.read(name, _unzipped(data, policy.max_bytes), kind, base=base)
    except MarkupError as error:
        inputs.errors.append(str(error) if str(error).startswith(name) else f"{name}: {error}")
        return
    if not documents:
        inputs.notes.append((name, "no markup found (no JSON-LD, RDFa or microdata; markup added by scripts "
                                   "when the page runs is not seen)"))
    inputs.documents.extend(documents)


def sitemap(data: bytes, name: str, policy: Policy, max_pages: int) -> list[str] | None:
    """The page URLs of a sitemap (following a sitemap index), or ``None`` if ``data`` is no sitemap.

    :raises MarkupError: for a sitemap index whose sitemaps cannot be read.
    """
    locations = _locations(_unzipped(data, policy.max_bytes))
    if locations is None:
        return None
    kind, urls = locations
    if kind == "urlset":
        return urls[:max_pages]
    pages: list[str] = []
    for url in urls:
        try:
            got = fetch(url, policy, accept="application/xml, text/xml;q=0.9, */*;q=0.1")
        except FetchError as error:
            raise MarkupError(f"{name}: a sitemap it lists cannot be read: {error}") from None
        inner = _locations(_unzipped(got.body, policy.max_bytes))
        if inner is None or inner[0] != "urlset":
            raise MarkupError(f"{name}: {url} is not a sitemap of pages")
        pages.extend(inner[1][: max_pages - len(pages)])
        if len(pages) >= max_pages:
            break
    return pages


def _locations(data: bytes) -> tuple[str, list[str]] | None:
    """A sitemap's kind (``urlset`` or ``sitemapindex``) and its ``<loc>`` URLs, if it is one."""
    head = data[:2048].lstrip()
    if not head.startswith(b"<") or (b"urlset" not in head and b"sitemapindex" not in head):
        return None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    kind = root.tag.removeprefix(SITEMAP_NS)
    if kind not in {"urlset", "sitemapindex"}:
        return None
    return kind, [loc.text.strip() for loc in root.iter(f"{SITEMAP_NS}loc") if loc.text and loc.text.strip()]


def _unzipped(data: bytes, limit: int) -> bytes:
    """``data``, gunzipped if it is gzip (a ``.xml.gz`` sitemap), at most ``limit`` bytes of it.

    :raises MarkupError: for broken gzip, or more than ``limit`` bytes once unzipped.
    """
    if not data.startswith(GZIP):
        return data
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = unzip.decompress(data, limit + 1)
    except zlib.error as error:
        raise MarkupError(f"not valid gzip: {error}") from None
    if len(out) > limit:
        raise MarkupError(f"larger than {limit} bytes once unzipped")
    return out
