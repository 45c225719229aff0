"""The contract of a mapping: how a format registers, what it returns, and the builder it emits with.

Mappings are pure: a source record in, a :class:`Record` out. They never touch the store.
"""

from __future__ import annotations

import re
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


class ReadError(ValueError):
    """A record its reader found broken (no id, a row that does not fit its header, a value too large);
    the build quarantines it without mapping it.

    ``reason`` is short and the same for every record with this problem, so that the build can count
    them; the message adds where and what.

    >>> str(ReadError("record has no id", "no value in column run_accession"))
    'record has no id: no value in column run_accession'
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


#: Characters XML 1.0 cannot carry (all controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    r"""``text`` without the characters XML 1.0 cannot carry, so that a value written as RDF/XML or in
    SPARQL XML results keeps the document well-formed (and Turtle, JSON and HTML stay readable).

    >>> xml_safe("a\x00b\x1bc\td\ufffe")
    'abc\td'
    """
    return _NOT_XML.sub("", text)


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
        """Add a triple; every literal of every mapping passes here and is made :func:`xml_safe`."""
        if isinstance(o, Literal) and _NOT_XML.search(o.value):
            value = xml_safe(o.value)
            o = Literal(value, language=o.language) if o.language else Literal(value, datatype=o.datatype)
        self.triples.append(Triple(s, p, o))

    def types(self, s: NamedNode, *classes: NamedNode) -> None:
        for cls in classes:
            self.add(s, RDF.type, cls)

    def text(self, s: NamedNode, p: NamedNode, value: object, *, lang: str | None = None) -> None:
        """Add a string literal unless the value is empty."""
        if value is None:
            return
        value = xml_safe(str(value)).strip()
        if value:
            self.add(s, p, Literal(value, language=lang) if lang else Literal(value))

    def typed(self, s: NamedNode, p: NamedNode, value: object, datatype: NamedNode) -> None:
        """Add a typed literal unless the value is empty."""
        if value is None or value == "":
            return
        if datatype == XSD.boolean:
            value = "true" if value else "false"
        self.add(s, p, Literal(xml_safe(str(value)), datatype=datatype))

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
    """One raw record as read from a publisher file, with where it came from for messages.

    ``line`` is the line it starts on, in a table; ``error`` says why the reader found it broken (the
    build quarantines such a record as read, with this reason, instead of mapping it).
    """

    locator: str
    data: Any
    line: int | None = None
    error: ReadError | None = None


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
