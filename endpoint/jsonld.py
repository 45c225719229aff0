"""The Bioschemas JSON-LD embedded in every record page, built on the server from the record's RDF.

Crawlers (Google Dataset Search, Bioschemas harvesters) and FAIR assessors read structured data from
``<script type="application/ld+json">`` without running JavaScript. The document is the record's
schema.org statements compacted against ``https://schema.org/``: its ``#fragment`` sub-nodes are
nested, other records are referenced by ``@id`` with their type and name, and
``dct:conformsTo`` names the Bioschemas profile the record follows.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> from lifecat.core.vocab import RDF, SCHEMA
>>> uri = NamedNode("http://lc/id/person/0000-0002-1825-0097")
>>> doc = document(uri, [Triple(uri, RDF.type, SCHEMA.Person),
...                      Triple(uri, SCHEMA.name, Literal("Josiah Carberry"))], {})
>>> doc["@id"], doc["@type"], doc["name"], doc[CONFORMS_TO]["@id"]
('http://lc/id/person/0000-0002-1825-0097', 'Person', 'Josiah Carberry', 'https://bioschemas.org/profiles/Person/0.3-DRAFT')
>>> gaps(doc)
['description']
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.vocab import BIOSCHEMAS_PROFILE, DCT, RDF, XSD

CONTEXT = "https://schema.org/"
SCHEMA_NAMESPACES = ("http://schema.org/", "https://schema.org/")
PROFILES_PREFIX = "https://bioschemas.org/profiles/"
CONFORMS_TO = DCT.conformsTo.value
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
_NUMBERS = {XSD.integer.value: int, XSD.int.value: int, XSD.long.value: int,
            XSD.decimal.value: float, XSD.double.value: float, XSD.float.value: float}


@dataclass(frozen=True)
class Linked:
    """What a page knows of a node the record links to: its label and types."""

    label: str | None
    types: tuple[str, ...] = ()


def schema_name(iri: str) -> str | None:
    """The schema.org local name of ``iri``, or ``None`` for other vocabularies.

    >>> schema_name("http://schema.org/name"), schema_name("http://purl.org/dc/terms/title")
    ('name', None)
    """
    for namespace in SCHEMA_NAMESPACES:
        if iri.startswith(namespace):
            return iri[len(namespace):]
    return None


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
    """The record as one schema.org JSON-LD object whose ``@id`` is ``uri``."""
    by_subject: dict[str, list[Triple]] = defaultdict(list)
    for t in triples:
        by_subject[t.subject.value].append(t)
    node = _node(uri.value, by_subject, linked, seen={uri.value})
    doc: dict[str, Any] = {"@context": CONTEXT, **node}
    doc["mainEntityOfPage"] = f"{uri.value}.html"
    chosen = profile(uri, triples)
    if chosen:
        doc[CONFORMS_TO] = {"@id": chosen, "@type": "CreativeWork"}
    return doc


def _node(iri: str, by_subject: dict[str, list[Triple]], linked: dict[str, Linked],
          seen: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"@id": iri}
    types = sorted({n for t in by_subject[iri] if t.predicate == RDF.type
                    for n in [schema_name(t.object.value)] if n})
    if types:
        out["@type"] = types[0] if len(types) == 1 else types
    values: dict[str, list[Any]] = defaultdict(list)
    for t in sorted(by_subject[iri], key=lambda t: (t.predicate.value, t.object.value)):
        key = CONFORMS_TO if t.predicate.value == CONFORMS_TO else schema_name(t.predicate.value)
        if key is None:
            continue
        obj = t.object
        if isinstance(obj, Literal):
            values[key].append(_literal(obj))
        elif isinstance(obj, NamedNode):
            values[key].append(_reference(obj.value, by_subject, linked, seen, key == CONFORMS_TO))
    for key, found in values.items():
        out[key] = found[0] if len(found) == 1 else found
    return out


def _reference(iri: str, by_subject: dict[str, list[Triple]], linked: dict[str, Linked],
               seen: set[str], is_profile: bool) -> Any:
    if is_profile:
        return {"@id": iri, "@type": "CreativeWork"}
    if iri in by_subject and iri not in seen:
        return _node(iri, by_subject, linked, seen | {iri})
    info = linked.get(iri)
    if iri in seen or (info and (info.label or info.types)):
        ref: dict[str, Any] = {"@id": iri}
        types = sorted({n for t in (info.types if info else ()) for n in [schema_name(t)] if n})
        if types:
            ref["@type"] = types[0] if len(types) == 1 else types
        if info and info.label:
            ref["name"] = info.label
        return ref
    return iri


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
