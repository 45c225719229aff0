"""FAIR Signposting level 1: typed links from a record to its identifier, metadata, licence and authors.

FAIR assessors (F-UJI, FAIR-Checker) read them from the ``Link`` header of the record URI, so a
``HEAD`` request is enough; the HTML page repeats them as ``<link>`` elements.
See https://signposting.org/FAIR/.

>>> from pyoxigraph import NamedNode, Triple
>>> from lifecat.core.vocab import SCHEMA
>>> uri = NamedNode("http://lc/id/article/10.1000/1")
>>> posts = signposts(uri, [Triple(uri, SCHEMA.sameAs, NamedNode("https://doi.org/10.1000/1"))],
...                   authors=[], formats={"ttl": "text/turtle"})
>>> for post in posts[:2]:
...     print(post.header())
<https://doi.org/10.1000/1>; rel="cite-as"
<http://lc/id/article/10.1000/1.ttl>; rel="describedby"; type="text/turtle"
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.identifiers import doi_url
from lifecat.core.vocab import DCAT, DCT, RDF, SCHEMA
from lifecat.endpoint.terms import web_link

#: Signposting's type for a landing page, besides the record's own types.
ABOUT_PAGE = "https://schema.org/AboutPage"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
_LICENCES = (DCT.license, SCHEMA.license)
_DISTRIBUTIONS = (DCAT.distribution, SCHEMA.distribution)
_DOWNLOADS = (DCAT.downloadURL, SCHEMA.contentUrl)
_MEDIA_TYPES = (DCAT.mediaType, SCHEMA.encodingFormat)
#: Characters kept in header links; others (non-ASCII) are percent-encoded, as headers are ASCII.
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~"


@dataclass(frozen=True)
class Signpost:
    """One typed link."""

    rel: str
    href: str
    type: str | None = None

    def header(self) -> str:
        """The link as a ``Link`` header element (RFC 8288)."""
        media = f'; type="{self.type}"' if self.type else ""
        return f'<{quote(self.href, safe=_IRI_SAFE)}>; rel="{self.rel}"{media}'


def doi(uri: NamedNode, triples: list[Triple]) -> str | None:
    """The DOI URL of the record, from its ``schema:sameAs`` or ``schema:identifier`` values."""
    return doi_url(t.object.value for t in triples
                   if t.subject == uri and t.predicate in (SCHEMA.sameAs, SCHEMA.identifier, DCT.identifier))


def signposts(uri: NamedNode, triples: list[Triple], *, authors: list[str],
              formats: dict[str, str]) -> list[Signpost]:
    """The level-1 signposts of a record: cite-as, describedby, type, license, author and item; a
    licence or download that is no web link (``javascript:``) is left out, as pages show it as text."""
    own = [t for t in triples if t.subject == uri]
    posts = [Signpost("cite-as", doi(uri, triples) or uri.value)]
    posts += [Signpost("describedby", f"{uri.value}.{name}", media) for name, media in formats.items()]
    posts += [Signpost("type", t.object.value) for t in own
              if t.predicate == RDF.type and t.object.value.startswith(("http://schema.org/",
                                                                         "https://schema.org/"))]
    posts.append(Signpost("type", ABOUT_PAGE))
    posts += [Signpost("license", t.object.value) for t in own
              if t.predicate in _LICENCES and isinstance(t.object, NamedNode) and web_link(t.object.value)]
    posts += [Signpost("author", orcid) for orcid in authors]
    for t in own:
        if t.predicate in _DISTRIBUTIONS:
            posts += _items(t.object, triples)
    return list(dict.fromkeys(posts))


def _items(node: object, triples: list[Triple]) -> list[Signpost]:
    about = [t for t in triples if t.subject == node]
    media = next((_media_type(t.object) for t in about if t.predicate in _MEDIA_TYPES), None)
    return [Signpost("item", t.object.value, media) for t in about
            if t.predicate in _DOWNLOADS and isinstance(t.object, NamedNode) and web_link(t.object.value)]


def _media_type(term: object) -> str | None:
    if isinstance(term, NamedNode):
        return term.value.removeprefix(IANA_MEDIA_TYPES)
    return term.value if isinstance(term, Literal) and "/" in term.value else None


def link_header(posts: list[Signpost]) -> str:
    return ", ".join(p.header() for p in posts)
