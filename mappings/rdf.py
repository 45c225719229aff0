"""The contract of a mapping: how a format registers, what it returns, and the builder it emits with.

Mappings are pure: a source record in, a :class:`Record` out. They never touch the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.uris import Minter
from lifecat.core.vocab import RDF, XSD


class RecordError(ValueError):
    """A source record that cannot be mapped at all; the build quarantines it with this reason."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class SourceFormatError(ValueError):
    """A source file that is not in the format its mapping reads; the build stops on it."""


@dataclass
class Record:
    """One source record as RDF: its root node, the triples about it and its own sub-nodes.

    ``notes`` lists source values that could not be expressed (an invalid IRI, say); the build
    reports them beside the validation results instead of dropping them silently.
    """

    key: str
    uri: NamedNode
    kind: str
    triples: list[Triple] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.triples.append(Triple(s, p, o))

    def types(self, s: NamedNode, *classes: NamedNode) -> None:
        for cls in classes:
            self.add(s, RDF.type, cls)

    def text(self, s: NamedNode, p: NamedNode, value: object, *, lang: str | None = None) -> None:
        """Add a string literal unless the value is empty."""
        if value is None:
            return
        value = str(value).strip()
        if value:
            self.add(s, p, Literal(value, language=lang) if lang else Literal(value))

    def typed(self, s: NamedNode, p: NamedNode, value: object, datatype: NamedNode) -> None:
        """Add a typed literal unless the value is empty."""
        if value is None or value == "":
            return
        if datatype == XSD.boolean:
            value = "true" if value else "false"
        self.add(s, p, Literal(str(value), datatype=datatype))

    def link(self, s: NamedNode, p: NamedNode, iri: str | None, *, field: str) -> NamedNode | None:
        """Add an IRI object; a value that is not an IRI is noted against ``field``, not emitted."""
        if not iri:
            return None
        iri = iri.strip()
        try:
            if not iri.startswith(("http://", "https://", "ftp://", "urn:", "mailto:")):
                raise ValueError("not an absolute http(s) IRI")
            node = NamedNode(iri)
        except ValueError as error:
            self.notes.append((field, f"{iri!r} is not a valid IRI ({error})"))
            return None
        self.add(s, p, node)
        return node

    def texts(self, s: NamedNode, p: NamedNode, values: Iterable[object] | None) -> None:
        for value in values or ():
            self.text(s, p, value)


@dataclass(frozen=True)
class SourceItem:
    """One raw record as read from a publisher file, with where it came from for messages."""

    locator: str
    data: Any


@dataclass(frozen=True)
class Format:
    """A registered source format: how to read its files and how to map one record.

    ``read`` takes a file or folder (``None`` for the format's embedded data) and yields raw records,
    raising :class:`SourceFormatError` naming the file when it is not of this format.
    ``to_rdf`` is pure: one raw record in, one :class:`Record` out, or :class:`RecordError`.
    """

    name: str
    summary: str
    read: Callable[[Path | None], Iterator[SourceItem]]
    to_rdf: Callable[[Any, Minter], Record]
    embedded: bool = False
