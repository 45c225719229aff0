"""How RDF terms are shown on pages: compact names, labels, and local links for lifecat IRIs."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

from lifecat.core.identifiers import resolver_iri
from lifecat.core.vocab import DCAT, DCT, SCHEMA, compact

#: The schemes a page links to: any other IRI is shown as text, never followed.
LINKED_SCHEMES = ("http://", "https://", "ftp://")

@dataclass(frozen=True)
class TermView:
    """A term as a page shows it: text, and a link when it is an IRI."""

    text: str
    iri: str | None = None
    href: str | None = None
    datatype: str | None = None
    language: str | None = None

    @classmethod
    def of(cls, term: NamedNode | Literal | BlankNode, labels: dict[str, str], base: str,
           *, text: str | None = None) -> TermView:
        """The term as shown: lifecat's own IRIs link to their paths, others only if browsable.

        >>> TermView.of(NamedNode("javascript:alert(1)"), {}, "http://lc/").href is None
        True
        """
        if isinstance(term, NamedNode):
            local = term.value.startswith(base)
            href = "/" + term.value[len(base):] if local else web_link(term.value)
            return cls(text or labels.get(term.value) or compact(term.value), term.value, href)
        if isinstance(term, Literal):
            datatype = term.datatype.value
            shown = None if datatype.endswith(("#string", "#langString")) else compact(datatype)
            return cls(term.value, datatype=shown, language=term.language)
        return cls(str(term))


def web_link(iri: str | None) -> str | None:
    """``iri`` as a link target if a browser may follow it safely (http, https, ftp); any other IRI
    (``javascript:``, ``data:``) is shown as text, since data must never become a script.

    >>> web_link("https://example.org/x"), web_link("JavaScript:alert(1)"), web_link(None)
    ('https://example.org/x', None, None)
    """
    return iri if iri and iri.lower().startswith(LINKED_SCHEMES) else None


#: How a page names links *into* a record: the inverse reading of common properties.
INVERSE_LABELS: dict[str, str] = {
    SCHEMA.hasPart.value: "part of",
    SCHEMA.isPartOf.value: "has part",
    SCHEMA.citation.value: "cited by",
    SCHEMA.author.value: "author of",
    SCHEMA.creator.value: "creator of",
    SCHEMA.contributor.value: "contributor to",
    SCHEMA.maintainer.value: "maintainer of",
    SCHEMA.provider.value: "provider of",
    SCHEMA.publisher.value: "publisher of",
    SCHEMA.funder.value: "funder of",
    SCHEMA.affiliation.value: "affiliation of",
    SCHEMA.memberOf.value: "has member",
    SCHEMA.parentOrganization.value: "parent organisation of",
    SCHEMA.includedInDataCatalog.value: "includes",
    SCHEMA.isBasedOn.value: "basis of",
    SCHEMA.mentions.value: "mentioned by",
    SCHEMA.about.value: "subject of",
    SCHEMA.sameAs.value: "same as",
    DCT.publisher.value: "publisher of",
    DCT.relation.value: "related to",
    DCT.isPartOf.value: "has part",
    DCT.hasPart.value: "part of",
    DCT.references.value: "referenced by",
    DCT.source.value: "source of",
    DCAT.dataset.value: "in catalogue",
    DCAT.servesDataset.value: "served by",
    DCAT.service.value: "in catalogue",
}


def inverse_label(iri: str) -> str:
    """What a link through ``iri`` means read backwards, from the record it points to.

    >>> inverse_label("http://schema.org/citation"), inverse_label("http://example.org/uses")
    ('cited by', 'linked by http://example.org/uses')
    """
    return INVERSE_LABELS.get(iri) or f"linked by {compact(iri)}"


def identifier_link(term: NamedNode | Literal) -> TermView:
    """An external identifier as a link: web IRIs as they are, CURIEs through their registered
    resolver; any other IRI (``javascript:``) as text.

    >>> identifier_link(Literal("pubmed:31665441")).href
    'https://identifiers.org/pubmed:31665441'
    >>> identifier_link(Literal("P12345")).href, identifier_link(NamedNode("javascript:alert(1)")).href
    (None, None)
    """
    value = term.value
    if isinstance(term, NamedNode) or value.startswith(("http://", "https://")):
        return TermView(value, value, web_link(value))
    return TermView(value, href=resolver_iri(value))
