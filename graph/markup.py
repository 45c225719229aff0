"""What a file or a web page states in RDF, as its publisher wrote it: Turtle, N-Triples, RDF/XML and
JSON-LD files, and the JSON-LD, RDFa and microdata embedded in HTML pages.

Every block of markup is a :class:`Document` of its own (a page's second JSON-LD script, its RDFa),
so that a finding names the block it is in. JSON-LD is read as the ``bioschemas`` format reads it
(schema.org's context without fetching it, Bioschemas types under their own names); RDFa and
microdata are extracted with ``extruct``, the extractor crawlers of Bioschemas markup use. What a
browser's rendering alone would add (markup written by scripts) is not seen, as by any crawler that
does not run them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pyoxigraph import RdfFormat, Triple, parse

from lifecat.mappings import bioschemas
from lifecat.mappings.rdf import RecordError

#: RDF syntaxes by media type, and the file name endings that mean them.
RDF_SYNTAXES: dict[str, tuple[RdfFormat, tuple[str, ...]]] = {
    "text/turtle": (RdfFormat.TURTLE, (".ttl",)),
    "application/n-triples": (RdfFormat.N_TRIPLES, (".nt",)),
    "application/rdf+xml": (RdfFormat.RDF_XML, (".rdf", ".owl")),
    "application/n-quads": (RdfFormat.N_QUADS, (".nq",)),
    "application/trig": (RdfFormat.TRIG, (".trig",)),
}
JSON_LD = "application/ld+json"
HTML = "text/html"
#: Other names clients and servers give these media types.
ALIASES = {"application/x-turtle": "text/turtle", "application/json": JSON_LD, "text/n3": "text/turtle",
           "application/xhtml+xml": HTML, "text/plain": "application/n-triples",
           "application/xml": "application/rdf+xml", "text/xml": "application/rdf+xml"}
ENDINGS = {ending: media for media, (_, endings) in RDF_SYNTAXES.items() for ending in endings} | {
    ".jsonld": JSON_LD, ".json": JSON_LD, ".html": HTML, ".htm": HTML, ".xhtml": HTML,
    ".xml": "application/rdf+xml"}
#: RDFa statements about the page's own presentation (stylesheets, link roles), not its content.
XHTML_VOCAB = "http://www.w3.org/1999/xhtml/vocab#"


class MarkupError(ValueError):
    """A file or page that cannot be read as the markup it should be; the message says where and why."""


@dataclass(frozen=True)
class Document:
    """One block of markup: a file, or one JSON-LD script, the RDFa or the microdata of a page."""

    locator: str
    syntax: str
    triples: list[Triple]
    #: The JSON-LD document the triples were read from (JSON-LD, and extruct's RDFa and microdata),
    #: which the ``bioschemas`` format maps into the record lifecat would load.
    json_ld: Any = None


def media_type(name: str, declared: str | None = None) -> str:
    """The media type to read ``name`` as: the one declared (a server's ``Content-Type``, a form's),
    else the one its ending means.

    >>> media_type("page.HTML"), media_type("x", "application/json; charset=utf-8")
    ('text/html', 'application/ld+json')

    :raises MarkupError: when neither says what the content is.
    """
    if declared:
        kind = declared.split(";")[0].strip().lower()
        kind = ALIASES.get(kind, kind)
        if kind in RDF_SYNTAXES or kind in {JSON_LD, HTML}:
            return kind
    last = name.split("?")[0].rsplit("/", 1)[-1]
    ending = "." + last.rpartition(".")[2].lower() if "." in last else ""
    if ending in ENDINGS:
        return ENDINGS[ending]
    known = ", ".join(sorted({*RDF_SYNTAXES, JSON_LD, HTML}))
    said = f"it is sent as {declared!r}" if declared else "its name has no known ending"
    raise MarkupError(f"{name}: cannot tell what markup this is ({said}); lifecat reads {known}")


def read(name: str, data: bytes, kind: str, *, base: str | None = None) -> list[Document]:
    """The documents in ``data`` (read from ``name``) of media type ``kind``; relative IRIs resolve
    against ``base`` (a page's address), else they are reported as relative.

    :raises MarkupError: for content that is not valid in its syntax, or not text.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MarkupError(f"{name}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    if kind == HTML:
        return _page(name, text, base)
    if kind == JSON_LD:
        try:
            document = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as error:
            raise MarkupError(f"{name}: not JSON: {_short(error)}") from None
        return [_json_ld(name, "json-ld", document, base)]
    syntax, _ = RDF_SYNTAXES[kind]
    try:
        quads = parse(data, syntax, base_iri=base or bioschemas.RELATIVE)
        triples = [Triple(q.subject, q.predicate, q.object) for q in quads]
    except (SyntaxError, ValueError) as error:
        raise MarkupError(f"{name}: not valid {syntax.name}: {_short(error)}") from None
    return [Document(name, syntax.name, triples)]


def _page(name: str, page: str, base: str | None) -> list[Document]:
    """A page's JSON-LD scripts, then its RDFa and its microdata, each a document (when present)."""
    import extruct  # only pages need it; it is slow to import

    documents = []
    for n, script in enumerate(bioschemas.scripts_of(page), start=1):
        try:
            document = json.loads(script)
        except (json.JSONDecodeError, RecursionError) as error:
            raise MarkupError(f"{name}#json-ld-{n}: the script is not JSON: {_short(error)}") from None
        documents.append(_json_ld(f"{name}#json-ld-{n}", "json-ld", document, base))
    try:
        found = extruct.extract(page, base_url=base, syntaxes=["rdfa", "microdata"], uniform=True)
    except Exception as error:  # extruct raises whatever its parsers raise on broken pages
        raise MarkupError(f"{name}: the page's RDFa or microdata cannot be read: {_short(error)}") from None
    rdfa = [node for node in found.get("rdfa") or []
            if any(not key.startswith(("@", XHTML_VOCAB)) for key in node)]
    if rdfa:
        documents.append(_json_ld(f"{name}#rdfa", "rdfa", rdfa, base))
    for n, item in enumerate(found.get("microdata") or [], start=1):
        documents.append(_json_ld(f"{name}#microdata-{n}", "microdata", _with_context(item), base))
    return documents


def _with_context(item: Any) -> Any:
    """A microdata item as JSON-LD: extruct's uniform items name schema.org's context only when the
    item's type is schema.org's."""
    return item if isinstance(item, dict) and "@context" in item else {"@context": {}, **item}


def _json_ld(locator: str, syntax: str, document: Any, base: str | None) -> Document:
    try:
        triples = bioschemas.statements(document, base or bioschemas.RELATIVE)
    except RecordError as error:
        raise MarkupError(f"{locator}: {error.message}") from None
    return Document(locator, syntax, triples, document)


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:300] if str(error) else type(error).__name__
