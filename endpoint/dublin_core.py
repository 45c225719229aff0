"""The Dublin Core ``<meta>`` tags of a record page, read from the record's RDF.

FAIR assessors (F-UJI) and some harvesters read a landing page's ``DC.*`` and ``DCTERMS.*`` tags
(declared by ``<link rel="schema.DC">``) besides, or instead of, its JSON-LD. Each tag is written only
where the record has the value: names of linked nodes (publisher, creator) by their labels, links
only when they are web links, so that no value becomes a ``javascript:`` link.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> from lifecat.core.vocab import RDF, SCHEMA
>>> uri = NamedNode("http://lc/id/dataset/d")
>>> org = NamedNode("http://lc/id/organization/02catss52")
>>> for meta in tags(uri, [Triple(uri, RDF.type, SCHEMA.Dataset),
...                        Triple(uri, SCHEMA.name, Literal("Reads")),
...                        Triple(uri, SCHEMA.publisher, org),
...                        Triple(uri, SCHEMA.license, NamedNode("javascript:alert(1)")),
...                        Triple(uri, SCHEMA.license, NamedNode("http://spdx.org/licenses/CC0-1.0"))],
...                  {org.value: "Example University"}):
...     print(meta.name, meta.content)
DC.title Reads
DC.publisher Example University
DC.rights http://spdx.org/licenses/CC0-1.0
DCTERMS.license http://spdx.org/licenses/CC0-1.0
DC.identifier http://lc/id/dataset/d
DC.type http://purl.org/dc/dcmitype/Dataset
DC.type http://schema.org/Dataset
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.vocab import (
    BIOSCHEMAS,
    DCAT,
    DCT,
    DESCRIPTIONS,
    IDENTIFIERS,
    KEYWORDS,
    LABELS,
    LICENCES,
    PROV,
    RDF,
    SCHEMA,
)
from lifecat.endpoint.terms import identifier_link, web_link

DCMI_TYPE = "http://purl.org/dc/dcmitype/"
#: The DCMI Type of each class it plainly fits.
DCMI_TYPES: dict[str, str] = {c.value: DCMI_TYPE + t for c, t in (
    (SCHEMA.Dataset, "Dataset"), (SCHEMA.DataCatalog, "Dataset"), (DCAT.Dataset, "Dataset"),
    (SCHEMA.SoftwareApplication, "Software"), (SCHEMA.SoftwareSourceCode, "Software"),
    (SCHEMA.ScholarlyArticle, "Text"), (SCHEMA.Article, "Text"), (SCHEMA.Collection, "Collection"),
    (BIOSCHEMAS.Sample, "PhysicalObject"),
)}
#: Text that is written as an IRI of some scheme (``javascript:alert(1)``, ``doi:10.1/x``).
_WRITTEN_AS_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S*")


class Shown(Enum):
    """How a tag shows a value: ``TEXT`` as written (an IRI by the label of what it names),
    ``NAME`` a linked node by its label, ``LINK`` a web link; a value of a ``NAME`` or ``LINK`` tag
    written as an IRI that is no web link (``javascript:``) is left out."""

    TEXT = "text"
    NAME = "name"
    LINK = "link"


#: Each tag: its name, the record's properties it is read from (in order of preference), whether it
#: takes only the first value, and how it shows values. ``DC.identifier`` and ``DC.type`` follow
#: them, built apart, as they add the record IRI and the DCMI Types.
TAGS: tuple[tuple[str, tuple[NamedNode, ...], bool, Shown], ...] = (
    ("DC.title", LABELS, True, Shown.TEXT),
    ("DC.creator", (SCHEMA.author, SCHEMA.creator, DCT.creator), False, Shown.NAME),
    ("DC.contributor", (SCHEMA.contributor,), False, Shown.NAME),
    ("DC.publisher", (SCHEMA.publisher, DCT.publisher), False, Shown.NAME),
    ("DC.date", (SCHEMA.datePublished, DCT.issued, SCHEMA.dateCreated, SCHEMA.dateModified, DCT.modified),
     True, Shown.TEXT),
    ("DCTERMS.issued", (SCHEMA.datePublished, DCT.issued), True, Shown.TEXT),
    ("DCTERMS.created", (SCHEMA.dateCreated, DCT.created), True, Shown.TEXT),
    ("DCTERMS.modified", (SCHEMA.dateModified, DCT.modified), True, Shown.TEXT),
    ("DC.description", DESCRIPTIONS, True, Shown.TEXT),
    ("DC.subject", (*KEYWORDS, DCT.subject), False, Shown.TEXT),
    ("DC.language", (SCHEMA.inLanguage, DCT.language), False, Shown.NAME),
    ("DC.rights", (*LICENCES, SCHEMA.usageInfo, DCT.rights, SCHEMA.conditionsOfAccess),
     False, Shown.LINK),
    ("DCTERMS.license", LICENCES, False, Shown.LINK),
    ("DCTERMS.accessRights", (DCT.accessRights,), False, Shown.LINK),
    ("DC.source", (PROV.wasDerivedFrom, DCT.source), False, Shown.LINK),
)
#: Where the thing has no publisher or licence of its own, the page (a description of it) names the
#: publisher and licence of the description: a ROR record's, CC0, for an organisation.
FALLBACKS: dict[str, tuple[NamedNode, ...]] = {
    "DC.publisher": (SCHEMA.sdPublisher,), "DC.rights": (SCHEMA.sdLicense,),
    "DCTERMS.license": (SCHEMA.sdLicense,),
}


@dataclass(frozen=True)
class Meta:
    """One ``<meta name content>`` tag."""

    name: str
    content: str


def tags(uri: NamedNode, triples: list[Triple], labels: dict[str, str]) -> list[Meta]:
    """The record's Dublin Core tags; ``labels`` names the nodes it links to."""
    own = [t for t in triples if t.subject == uri]
    out: list[Meta] = []
    for name, predicates, single, shown in TAGS:
        values = _values(own, predicates, shown, labels) or _values(own, FALLBACKS.get(name, ()), shown,
                                                                    labels)
        out += [Meta(name, value) for value in (values[:1] if single else values)]
    out += [Meta("DC.identifier", value) for value in _identifiers(uri, own)]
    out += [Meta("DC.type", value) for value in _types(own)]
    return list(dict.fromkeys(out))


def _values(own: list[Triple], predicates: tuple[NamedNode, ...], shown: Shown, labels: dict[str, str]
            ) -> list[str]:
    return [v for p in predicates for t in sorted(own, key=lambda t: t.object.value)
            if t.predicate == p for v in [_shown(t.object, shown, labels)] if v]


def _identifiers(uri: NamedNode, own: list[Triple]) -> list[str]:
    """The record IRI, then each external identifier that resolves on the web."""
    links = {identifier_link(t.object).href for t in own
             if t.predicate in IDENTIFIERS and isinstance(t.object, NamedNode | Literal)}
    return [uri.value, *sorted(link for link in links if link)]


def _types(own: list[Triple]) -> list[str]:
    """The DCMI Types the record's classes fit, then its classes."""
    classes = sorted(t.object.value for t in own if t.predicate == RDF.type and web_link(t.object.value))
    return [*sorted({DCMI_TYPES[c] for c in classes if c in DCMI_TYPES}), *classes]


def _shown(term: object, shown: Shown, labels: dict[str, str]) -> str | None:
    if isinstance(term, NamedNode):
        if shown is Shown.LINK:
            return web_link(term.value)
        return labels.get(term.value) or web_link(term.value)
    if not isinstance(term, Literal):
        return None
    text = term.value.strip()
    if shown is not Shown.TEXT and _WRITTEN_AS_IRI.fullmatch(text) and not web_link(text):
        return None
    return text or None
