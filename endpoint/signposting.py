"""FAIR Signposting level 1: typed links from a record to its identifier, metadata, types, licence,
authors and data.

FAIR assessors (F-UJI, FAIR-Checker) read them from the ``Link`` header of the record URI, so a
``HEAD`` request is enough; the HTML page repeats them as ``<link>`` elements.
See https://signposting.org/FAIR/.

>>> from pyoxigraph import NamedNode, Triple
>>> from lifecat.core.vocab import RDF, SCHEMA
>>> uri = NamedNode("http://lc/id/article/10.1000/1")
>>> posts = signposts(uri, [Triple(uri, RDF.type, SCHEMA.ScholarlyArticle),
...                         Triple(uri, SCHEMA.sameAs, NamedNode("https://doi.org/10.1000/1"))],
...                   authors=[], formats={"ttl": "text/turtle"})
>>> for post in posts:
...     print(post.header())
<https://doi.org/10.1000/1>; rel="cite-as"
<http://lc/id/article/10.1000/1.ttl>; rel="describedby"; type="text/turtle"
<https://schema.org/ScholarlyArticle>; rel="type"
<https://schema.org/AboutPage>; rel="type"
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.identifiers import doi_url
from lifecat.core.vocab import DCAT, IDENTIFIERS, LICENCES, RDF, SCHEMA
from lifecat.endpoint.jsonld import schema_name
from lifecat.endpoint.terms import web_link

#: Signposting names schema.org types in their https form.
SCHEMA_ORG = "https://schema.org/"
#: Signposting's type for a landing page, besides the record's own types.
ABOUT_PAGE = f"{SCHEMA_ORG}AboutPage"
#: The kinds of work a DOI in the record's own ``sameAs``/``identifier`` names: the record is then the
#: work, and its DOI the identifier to cite. A tool or catalogue entry may carry its paper's DOI.
DOI_NAMED = frozenset({SCHEMA.ScholarlyArticle, SCHEMA.Article, SCHEMA.MedicalScholarlyArticle})
IANA_MEDIA_TYPES = ("https://www.iana.org/assignments/media-types/",
                    "http://www.iana.org/assignments/media-types/")
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
    """The DOI URL of the record if the record is the work it names: an article whose own
    ``schema:sameAs`` or ``schema:identifier`` is a DOI.

    >>> from lifecat.core.vocab import RDF
    >>> tool = NamedNode("http://lc/id/tool/t")
    >>> doi(tool, [Triple(tool, RDF.type, SCHEMA.SoftwareApplication),
    ...            Triple(tool, SCHEMA.identifier, Literal("doi:10.1000/paper"))]) is None
    True
    """
    own = [t for t in triples if t.subject == uri]
    if not any(t.predicate == RDF.type and t.object in DOI_NAMED for t in own):
        return None
    return doi_url(t.object.value for t in own if t.predicate in IDENTIFIERS)


def signposts(uri: NamedNode, triples: list[Triple], *, authors: list[str],
              formats: dict[str, str]) -> list[Signpost]:
    """The level-1 signposts of a record: cite-as, describedby, type, license, author and item.

    ``authors`` are the web identifiers the page found for the record's authors and creators (ORCID
    iDs, the ``sameAs`` of a linked person or organisation, a web IRI given directly). A licence,
    author or download that is no web link (``javascript:``) is left out, as pages show it as text."""
    own = [t for t in triples if t.subject == uri]
    posts = [Signpost("cite-as", doi(uri, triples) or uri.value)]
    posts += [Signpost("describedby", f"{uri.value}.{name}", media) for name, media in formats.items()]
    posts += [Signpost("type", f"{SCHEMA_ORG}{name}") for t in own
              if t.predicate == RDF.type and (name := schema_name(t.object.value))]
    posts.append(Signpost("type", ABOUT_PAGE))
    licences = [t.object.value for t in own if t.predicate in LICENCES and isinstance(t.object, NamedNode)]
    if not licences:  # the page describes the thing: the description's licence, if it has none
        licences = [t.object.value for t in own if t.predicate == SCHEMA.sdLicense
                    and isinstance(t.object, NamedNode)]
    posts += [Signpost("license", licence) for licence in licences if web_link(licence)]
    posts += [Signpost("author", author) for author in authors if web_link(author)]
    for t in own:
        if t.predicate in _DISTRIBUTIONS:
            posts += _items(t.object, triples)
    return list(dict.fromkeys(posts))


def _items(node: object, triples: list[Triple]) -> list[Signpost]:
    """A distribution's download links, with the first media type it states (an IANA IRI or text)."""
    about = sorted((t for t in triples if t.subject == node),
                   key=lambda t: (t.predicate.value, str(t.object)))
    media = next((m for t in about if t.predicate in _MEDIA_TYPES
                  for m in [_media_type(t.object)] if m), None)
    return [Signpost("item", t.object.value, media) for t in about
            if t.predicate in _DOWNLOADS and isinstance(t.object, NamedNode) and web_link(t.object.value)]


def _media_type(term: object) -> str | None:
    """The media type an IANA IRI or a text value names; ``None`` for anything else (a format name).

    >>> _media_type(NamedNode(f"{IANA_MEDIA_TYPES[0]}text/csv")), _media_type(Literal("FASTA"))
    ('text/csv', None)
    """
    if isinstance(term, NamedNode):
        return next((term.value[len(p):] for p in IANA_MEDIA_TYPES if term.value.startswith(p)), None)
    return term.value if isinstance(term, Literal) and "/" in term.value else None


def link_header(posts: list[Signpost]) -> str:
    return ", ".join(p.header() for p in posts)
