"""The Bioschemas JSON-LD embedded in every record page, built on the server from the record's RDF.

Crawlers (Google Dataset Search, Bioschemas harvesters) and FAIR assessors read structured data from
``<script type="application/ld+json">`` without running JavaScript, and often without fetching
anything else: so the ``@context`` is inline (a remote ``https://schema.org/`` context cannot be read
offline). It makes schema.org (``http://schema.org/``, the IRIs the store uses) the vocabulary,
declares prefixes for the other vocabularies the document uses, and says which keys hold IRIs, so
that the document expands back to the record's statements. The record's ``#fragment`` sub-nodes are
nested, other records are referenced by ``@id`` with their type and name, and besides schema.org the
document carries the Dublin Core, DCAT and PROV statements assessors read (:data:`OTHER_PROPERTIES`):
licence, access rights, publisher, dates, provenance, distributions and the Bioschemas profile.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> from lifecat.core.vocab import RDF, SCHEMA
>>> uri = NamedNode("http://lc/id/person/0000-0002-1825-0097")
>>> doc = document(uri, [Triple(uri, RDF.type, SCHEMA.Person),
...                      Triple(uri, SCHEMA.name, Literal("Josiah Carberry")),
...                      Triple(uri, SCHEMA.sameAs, NamedNode("https://orcid.org/0000-0002-1825-0097"))],
...                {})
>>> doc["@id"], doc["@type"], doc["name"], doc["sameAs"]
('http://lc/id/person/0000-0002-1825-0097', 'Person', 'Josiah Carberry', 'https://orcid.org/0000-0002-1825-0097')
>>> doc[CONFORMS_TO]["@id"]
'https://bioschemas.org/profiles/Person/0.3-DRAFT'
>>> doc["@context"]["@vocab"], doc["@context"]["sameAs"]
('http://schema.org/', {'@type': '@id'})
>>> gaps(doc)
['description']
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.vocab import BIOSCHEMAS, BIOSCHEMAS_PROFILE, DCAT, DCT, FOAF, PROV, RDF, XSD, compact

VOCAB = "http://schema.org/"
SCHEMA_NAMESPACES = (VOCAB, "https://schema.org/")
#: Prefixes the document may use besides schema.org, declared in its context when it does.
PREFIXES: dict[str, str] = {"dct": DCT.iri, "dcat": DCAT.iri, "prov": PROV.iri, "bioschemas": BIOSCHEMAS.iri,
                            "foaf": FOAF.iri}
#: Statements in other vocabularies that FAIR assessors and DCAT harvesters read, kept in the document.
OTHER_PROPERTIES = frozenset(p.value for p in (
    DCT.conformsTo, DCT.license, DCT.rights, DCT.accessRights, DCT.publisher, DCT.creator, DCT.issued,
    DCT.modified, DCT.format, PROV.wasDerivedFrom, PROV.wasGeneratedBy, DCAT.distribution,
    DCAT.downloadURL, DCAT.accessURL, DCAT.mediaType, DCAT.byteSize,
))
PROFILES_PREFIX = "https://bioschemas.org/profiles/"
CONFORMS_TO = "dct:conformsTo"
#: The minimum properties of each profile lifecat declares, from its Bioschemas specification.
MINIMUM: dict[str, tuple[str, ...]] = {
    BIOSCHEMAS_PROFILE["DataCatalog"].value: ("description", "keywords", "name", "provider", "url"),
    BIOSCHEMAS_PROFILE["Dataset"].value: ("description", "identifier", "keywords", "license", "name",
                                          "url"),
    BIOSCHEMAS_PROFILE["ComputationalTool"].value: ("description", "name", "url"),
    BIOSCHEMAS_PROFILE["Sample"].value: ("identifier",),
    BIOSCHEMAS_PROFILE["ScholarlyArticle"].value: ("identifier", "name"),
    BIOSCHEMAS_PROFILE["Person"].value: ("description", "mainEntityOfPage", "name"),
    BIOSCHEMAS_PROFILE["Organization"].value: ("description", "legalName", "name", "sameAs", "topic",
                                               "type"),
    BIOSCHEMAS_PROFILE["Taxon"].value: ("name", "taxonRank"),
}
#: Numeric datatypes as JSON numbers: every XSD integer type (a store may keep ``nonNegativeInteger``
#: sizes as they are, or make them ``integer``) and the others.
_NUMBERS = {**{XSD[name].value: int for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")},
    XSD.decimal.value: float, XSD.double.value: float, XSD.float.value: float}


@dataclass(frozen=True)
class Linked:
    """What a page knows of a node the record links to: its label and types."""

    label: str | None
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Iri:
    """An IRI value while the document is assembled: a plain string once its key is declared to hold
    IRIs, an ``{"@id": …}`` object where the key also holds text."""

    value: str


def schema_name(iri: str) -> str | None:
    """The schema.org local name of ``iri``, or ``None`` for other vocabularies.

    >>> schema_name("http://schema.org/name"), schema_name("http://purl.org/dc/terms/title")
    ('name', None)
    """
    for namespace in SCHEMA_NAMESPACES:
        if iri.startswith(namespace):
            return iri[len(namespace):]
    return None


def term(iri: str) -> str | None:
    """How the document names ``iri``: a schema.org local name, else ``prefix:local``; ``None`` in a
    vocabulary it declares no prefix for.

    >>> term("http://schema.org/Dataset"), term("https://bioschemas.org/Sample"), term("http://x/y")
    ('Dataset', 'bioschemas:Sample', None)
    """
    short = compact(iri, PREFIXES)
    return schema_name(iri) or (short if short != iri else None)


def _key(iri: str) -> str | None:
    return schema_name(iri) or (term(iri) if iri in OTHER_PROPERTIES else None)


def _types(iris: Iterable[str], *, every: bool = False) -> str | list[str] | None:
    """``@type`` of a node: schema.org types first, then the others the document can name, then
    (``every``: the record's own types, so that its node is typed whatever its vocabulary) the rest
    by their full IRIs.

    >>> _types(["https://bioschemas.org/Sample", "http://schema.org/BioChemEntity", "http://x/T"])
    ['BioChemEntity', 'bioschemas:Sample']
    >>> _types(["http://x/T"]), _types(["http://x/T"], every=True)
    (None, 'http://x/T')
    """
    names = sorted({n for iri in iris for n in [term(iri) or (iri if every else None)] if n},
                   key=lambda n: (":" in n, n))
    return (names[0] if len(names) == 1 else names) or None


def profile(uri: NamedNode, triples: list[Triple]) -> str | None:
    """The Bioschemas profile the record declares, else the one of its first schema.org type."""
    declared = [t.object.value for t in triples if t.subject == uri and t.predicate == DCT.conformsTo
                and t.object.value.startswith(PROFILES_PREFIX)]
    if declared:
        return sorted(declared)[0]
    for t in triples:
        if t.subject == uri and t.predicate == RDF.type:
            name = schema_name(t.object.value)
            if name in BIOSCHEMAS_PROFILE:
                return BIOSCHEMAS_PROFILE[name].value
    return None


def document(uri: NamedNode, triples: list[Triple], linked: dict[str, Linked]) -> dict[str, Any]:
    """The record as one JSON-LD object whose ``@id`` is ``uri``, with its context inline."""
    by_subject: dict[str, list[Triple]] = defaultdict(list)
    for t in triples:
        by_subject[t.subject.value].append(t)
    node = _node(uri.value, by_subject, linked, seen={uri.value})
    node["mainEntityOfPage"] = _Iri(f"{uri.value}.html")
    chosen = profile(uri, triples)
    if chosen:
        node[CONFORMS_TO] = {"@id": chosen, "@type": "CreativeWork"}
    holding: dict[str, set[str]] = defaultdict(set)
    _survey(node, holding)
    iri_keys = sorted(k for k, kinds in holding.items() if kinds == {"iri"})
    used = sorted({name.partition(":")[0] for name in holding if ":" in name} & PREFIXES.keys())
    context: dict[str, Any] = {"@vocab": VOCAB, **{p: PREFIXES[p] for p in used}}
    context.update({k: {"@type": "@id"} for k in iri_keys})
    return {"@context": context, **_finish(node, set(iri_keys))}


def _node(iri: str, by_subject: dict[str, list[Triple]], linked: dict[str, Linked],
          seen: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"@id": iri}
    types = _types((t.object.value for t in by_subject[iri] if t.predicate == RDF.type), every=True)
    if types:
        out["@type"] = types
    values: dict[str, list[Any]] = defaultdict(list)
    for t in sorted(by_subject[iri], key=lambda t: (t.predicate.value, t.object.value)):
        key = _key(t.predicate.value)
        if key is None:
            continue
        obj = t.object
        if key == CONFORMS_TO:
            values[key].append({"@id": obj.value, "@type": "CreativeWork"})
        elif isinstance(obj, Literal):
            values[key].append(_literal(obj))
        elif isinstance(obj, NamedNode):
            values[key].append(_reference(obj.value, by_subject, linked, seen))
    for key, found in values.items():
        out[key] = found[0] if len(found) == 1 else found
    return out


def _reference(iri: str, by_subject: dict[str, list[Triple]], linked: dict[str, Linked],
               seen: set[str]) -> Any:
    if iri in by_subject and iri not in seen:
        return _node(iri, by_subject, linked, seen | {iri})
    info = linked.get(iri)
    if iri in seen or (info and (info.label or info.types)):
        ref: dict[str, Any] = {"@id": iri}
        types = _types(info.types if info else ())
        if types:
            ref["@type"] = types
        if info and info.label:
            ref["name"] = info.label
        return ref
    return _Iri(iri)


def _literal(literal: Literal) -> Any:
    datatype = literal.datatype.value
    if literal.language:
        return {"@value": literal.value, "@language": literal.language}
    if datatype == XSD.boolean.value:
        return literal.value in ("true", "1")
    if datatype in _NUMBERS:
        try:
            return _NUMBERS[datatype](literal.value)
        except ValueError:
            return literal.value
    return literal.value


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _survey(node: dict[str, Any], holding: dict[str, set[str]]) -> None:
    """Record in ``holding`` every key and type name the document uses, and what each key holds
    across it: ``iri`` and/or ``text`` (plain strings); nested nodes and typed values hold neither,
    being read the same whatever the key says."""
    for key, value in node.items():
        for item in _values(value):
            if key == "@type":
                holding.setdefault(item, set())
            elif key.startswith("@"):
                continue
            elif isinstance(item, _Iri):
                holding[key].add("iri")
            elif isinstance(item, str):
                holding[key].add("text")
            else:
                holding.setdefault(key, set())
                if isinstance(item, dict):
                    _survey(item, holding)


def _finish(node: dict[str, Any], iri_keys: set[str]) -> dict[str, Any]:
    """``node`` as JSON: IRIs plain under keys declared to hold IRIs, ``{"@id": …}`` elsewhere."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        items = [_plain(item, key in iri_keys, iri_keys) for item in _values(value)]
        out[key] = items if isinstance(value, list) else items[0]
    return out


def _plain(item: Any, iri_key: bool, iri_keys: set[str]) -> Any:
    if isinstance(item, _Iri):
        return item.value if iri_key else {"@id": item.value}
    if isinstance(item, dict) and "@value" not in item:
        return _finish(item, iri_keys)
    return item


def gaps(doc: dict[str, Any]) -> list[str]:
    """Minimum properties of the document's profile that it lacks (empty when it meets them)."""
    chosen = doc.get(CONFORMS_TO, {}).get("@id")
    return [p for p in MINIMUM.get(chosen, ()) if p not in doc]


def script(doc: dict[str, Any]) -> str:
    """JSON text that is safe inside ``<script>``: ``<``, ``>`` and ``&`` are escaped.

    >>> script({"description": "</script><b>"})
    '{"description": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(doc, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
