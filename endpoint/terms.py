"""How RDF terms are shown on pages: compact names, labels, and local links for lifecat IRIs."""

from __future__ import annotations

from dataclasses import dataclass

from lifecat.graph.vocab import PREFIXES
from pyoxigraph import BlankNode, Literal, NamedNode


def compact(iri: str) -> str:
    """``prefix:local`` for IRIs in a known namespace.

    >>> compact("http://schema.org/name")
    'schema:name'
    >>> compact("https://example.org/x")
    'https://example.org/x'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


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
        if isinstance(term, NamedNode):
            local = term.value.startswith(base)
            href = "/" + term.value[len(base):] if local else term.value
            return cls(text or labels.get(term.value) or compact(term.value), term.value, href)
        if isinstance(term, Literal):
            datatype = term.datatype.value
            shown = None if datatype.endswith(("#string", "#langString")) else compact(datatype)
            return cls(term.value, datatype=shown, language=term.language)
        return cls(str(term))
