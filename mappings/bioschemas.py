"""Bioschemas / schema.org JSON-LD markup harvested from publishers' pages, loaded as it is.

One document per file (``.jsonld``/``.json``, or the ``application/ld+json`` scripts of an ``.html``
page), with or without ``@graph``, in any ``@context`` style. The markup is expanded with
pyoxigraph's JSON-LD parser and kept as the publisher wrote it, except that:

- every node is renamed to its lifecat URI, with ``schema:sameAs`` the publisher's ``@id``: a node
  whose ``@id`` carries a strong identifier (``https://bio.tools/…``, a DOI, ORCID or ROR URL, …)
  gets the node every other source mints for it, so markup and source records meet;
- schema.org is read the way schema.org's own context reads it: ``https://schema.org/`` and the
  undeclared ``schema:`` prefix mean ``http://schema.org/``, and URL-valued properties written as
  strings become IRIs (citations written as ``pubmed:…`` CURIEs become the article's node);
- a node stated with nothing but a type (``{"@id": ORCID, "@type": "Person"}``) is a reference, not
  a description: it stays a link and its type is dropped (noted), since its record lives elsewhere;
- e-mail addresses and phone numbers are not published.

Remote contexts cannot be fetched (a mapping never touches the network); schema.org's are known.

>>> from lifecat.core.uris import Minter
>>> doc = {"@context": "https://schema.org", "@type": "SoftwareApplication",
...        "@id": "https://bio.tools/Needle", "name": "needle", "url": "https://emboss.org",
...        "citation": "pubmed:12", "author": {"@id": "https://orcid.org/0000-0002-6982-4660",
...        "@type": "Person"}}
>>> record = to_rdf(doc, Minter("http://lc/"))
>>> record.uri, record.kind
(<NamedNode value=http://lc/id/tool/needle>, 'tool')
>>> sorted(str(t.object) for t in record.triples if t.predicate.value.endswith(("citation", "sameAs")))
['<http://lc/id/article/pubmed:12>', '<https://bio.tools/Needle>']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import BIOSCHEMAS, BIOSCHEMAS_PROFILE, DCT, RDF, SCHEMA
from lifecat.mappings.licences import licence_iri
from lifecat.mappings.rdf import Format, Record, RecordError, SourceItem
from lifecat.mappings.sourcefiles import files, load_json, not_format

NAME = "bioschemas"
EXPECTED = "a JSON-LD document (schema.org/Bioschemas markup with an @context), or an HTML page embedding one"
SCHEMA_ORG = "http://schema.org/"
#: Where relative @ids land; nodes under it have no identifier of their own.
RELATIVE = "http://relative.invalid/"
#: Remote contexts lifecat knows without fetching them.
KNOWN_CONTEXTS = {
    url.rstrip("/"): {"@vocab": SCHEMA_ORG}
    for url in ("http://schema.org", "https://schema.org", "http://schema.org/docs/jsonldcontext.json",
                "https://schema.org/docs/jsonldcontext.json", "https://schema.org/docs/jsonldcontext.jsonld")
}
#: Record types, best first: the node a document is about, and the record kind it mints.
RECORD_TYPES: list[tuple[NamedNode, str, str | None]] = [
    (SCHEMA.SoftwareApplication, "tool", "ComputationalTool"),
    (SCHEMA.Dataset, "dataset", "Dataset"),
    (SCHEMA.DataCatalog, "catalog", "DataCatalog"),
    (BIOSCHEMAS.Sample, "sample", "Sample"),
    (SCHEMA.MedicalTrial, "trial", None),
    (SCHEMA.ScholarlyArticle, "article", "ScholarlyArticle"),
    (SCHEMA.CreativeWork, "article", None),
    (SCHEMA.Organization, "organization", "Organization"),
    (SCHEMA.Person, "person", "Person"),
    (BIOSCHEMAS.Taxon, "taxon", "Taxon"),
]
#: Properties whose string values schema.org's context reads as IRIs.
URL_PROPERTIES = {SCHEMA[p] for p in (
    "url", "sameAs", "license", "downloadUrl", "codeRepository", "contentUrl", "thumbnailUrl", "image",
    "logo", "discussionUrl", "installUrl", "softwareHelp", "mainEntityOfPage", "additionalType",
    "includedInDataCatalog", "isBasedOn", "distribution", "citation", "encodingFormat",
)}
#: Properties whose values are the publisher's own addresses for a node: kept as written.
AS_WRITTEN = {SCHEMA.sameAs, SCHEMA.url, SCHEMA.identifier, SCHEMA.mainEntityOfPage}
#: Contact details lifecat never publishes.
CONTACT = {SCHEMA.email, SCHEMA.telephone, SCHEMA.faxNumber}
_SCRIPT = re.compile(r"<script[^>]*type=[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.S | re.I)


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every JSON-LD document in a file or folder (``.jsonld``, ``.json``, ``.html``)."""
    for file in files(path, (".jsonld", ".json", ".html", ".htm")):
        if file.suffix.lower() in {".html", ".htm"}:
            scripts = _SCRIPT.findall(file.read_text(encoding="utf-8-sig", errors="replace"))
            if not scripts:
                raise not_format(file, NAME, EXPECTED, "no application/ld+json script")
            for n, script in enumerate(scripts, start=1):
                try:
                    yield SourceItem(f"{file}#script-{n}", json.loads(script))
                except json.JSONDecodeError as error:
                    raise not_format(file, NAME, EXPECTED, f"script {n}: {error}") from error
            continue
        document = load_json(file, NAME, EXPECTED)
        if not _is_jsonld(document):
            raise not_format(file, NAME, EXPECTED, "no @context, @graph or @type")
        yield SourceItem(f"{file}#{file.name.split('.')[0]}", document)


def _is_jsonld(document: Any) -> bool:
    if isinstance(document, list):
        return bool(document) and all(_is_jsonld(d) for d in document)
    return isinstance(document, dict) and bool({"@context", "@graph", "@type"} & set(document))


def to_rdf(document: Any, mint: Minter) -> Record:
    """Map one JSON-LD document to the record of the node it is about."""
    try:
        quads = parse(json.dumps(_inline_contexts(document)).encode(), RdfFormat.JSON_LD, base_iri=RELATIVE)
        triples = [(q.subject, _term(q.predicate), _term(q.object)) for q in quads]
    except (SyntaxError, ValueError) as error:
        raise RecordError("@context", f"not valid JSON-LD: {error}") from None
    subjects: dict[NamedNode | BlankNode, list[tuple[Any, Any]]] = {}
    for s, p, o in triples:
        subjects.setdefault(s, []).append((p, o))
    root = _root(subjects)
    if root is None:
        raise RecordError("@type", "no node of a schema.org/Bioschemas record type (SoftwareApplication, "
                                   "Dataset, Sample, ScholarlyArticle, Organization, Person, …)")
    identified = _identify(root, _kind(subjects[root])[0])
    if identified is None:
        raise RecordError("@id", f"the {_kind(subjects[root])[0]} has no usable @id to name it by")
    kind, key = identified
    uri = mint.record(kind, key)
    rec = Record(key=key, uri=uri, kind=kind)
    names = _names(subjects, root, uri, mint)
    for subject, properties in subjects.items():
        node = names[subject]
        if subject != root and all(p == RDF.type for p, _ in properties):
            rec.notes.append(("@type", f"{_publisher(subject)} is only referenced; its type is not asserted"))
            continue
        if isinstance(subject, NamedNode) and not subject.value.startswith(RELATIVE) and node != subject:
            rec.add(node, SCHEMA.sameAs, subject)
        for predicate, value in properties:
            if predicate in CONTACT:
                rec.notes.append((_local(predicate), "contact details are not published"))
                continue
            target = _object(predicate, value, names, mint)
            if target is not None:
                rec.add(node, predicate, target)
    profile = dict((cls, p) for cls, _, p in RECORD_TYPES).get(_kind(subjects[root])[1])
    if profile and not any(p == DCT.conformsTo for p, _ in subjects[root]):
        rec.add(uri, DCT.conformsTo, BIOSCHEMAS_PROFILE[profile])
    return rec


def _inline_contexts(value: Any) -> Any:
    """The document with schema.org's remote contexts replaced by their meaning.

    :raises RecordError: for a remote context lifecat does not know.
    """
    if isinstance(value, list):
        return [_inline_contexts(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key == "@context":
            out[key] = [_context(c) for c in item] if isinstance(item, list) else _context(item)
        else:
            out[key] = _inline_contexts(item)
    return out


def _context(context: Any) -> Any:
    if isinstance(context, str):
        known = KNOWN_CONTEXTS.get(context.rstrip("/"))
        if known is None:
            raise RecordError("@context", f"remote context {context!r} cannot be fetched; inline it")
        return known
    return context


def _term(term: Any) -> Any:
    """schema.org terms however they were written: https, or the undeclared ``schema:`` prefix."""
    if isinstance(term, NamedNode):
        value = term.value
        if value.startswith("https://schema.org/"):
            return NamedNode(SCHEMA_ORG + value[len("https://schema.org/"):])
        if value.startswith("schema:"):
            return NamedNode(SCHEMA_ORG + value[len("schema:"):])
    return term


def _kind(properties: list[tuple[Any, Any]]) -> tuple[str, NamedNode | None]:
    types = {o for p, o in properties if p == RDF.type}
    for cls, kind, _ in RECORD_TYPES:
        if cls in types:
            return kind, cls
    return "thing", None


def _root(subjects: dict[Any, list[tuple[Any, Any]]]) -> Any:
    """The node the document is about: of the best record type, preferably referenced by no other."""
    referenced = {o for properties in subjects.values() for _, o in properties}
    ranked = sorted(
        (s for s, props in subjects.items() if _kind(props)[1] is not None),
        key=lambda s: ([cls for cls, _, _ in RECORD_TYPES].index(_kind(subjects[s])[1]), s in referenced),
    )
    return ranked[0] if ranked else None


def _identify(node: Any, kind: str) -> tuple[str, str] | None:
    """A publisher node's lifecat (kind, key): by its strong identifier, else by its own IRI.

    >>> _identify(NamedNode("https://doi.org/10.1000/X"), "dataset")
    ('article', '10.1000/x')
    >>> _identify(NamedNode("https://example.org/data/7#it"), "dataset")
    ('dataset', 'example.org/data/7#it')
    """
    if not isinstance(node, NamedNode) or node.value.startswith(RELATIVE):
        return None
    known = identifiers.recognise(node.value)
    if known:
        scheme, value = known
        return identifiers.SCHEMES[scheme].kind, identifiers.key(scheme, value) or value
    parts = urlsplit(node.value)
    return kind, node.value.split("//", 1)[1] if parts.netloc else node.value.split(":", 1)[1]


def _names(subjects: dict[Any, Any], root: Any, uri: NamedNode, mint: Minter) -> dict[Any, NamedNode]:
    """Lifecat names for every node: records by identifier, the rest as fragments of the record."""
    names: dict[Any, NamedNode] = {root: uri}
    count = 0
    for subject, properties in subjects.items():
        if subject in names:
            continue
        identified = _identify(subject, _kind(properties)[0])
        if identified is None:
            count += 1
            names[subject] = NamedNode(f"{uri.value}#node-{count}")
        else:
            names[subject] = mint.record(*identified)
    return names


def _object(predicate: NamedNode, value: Any, names: dict[Any, NamedNode], mint: Minter) -> Any:
    if predicate in URL_PROPERTIES and isinstance(value, Literal):
        cited = identifiers.recognise(value.value) if predicate == SCHEMA.citation else None
        if cited:  # a citation written as a CURIE ("pubmed:…"): the article's node
            return identifiers.uri(mint, *cited)
        value = _coerce(predicate, value)
    if isinstance(value, BlankNode) or (isinstance(value, NamedNode) and value in names):
        return names.get(value)
    if isinstance(value, NamedNode) and predicate not in AS_WRITTEN:
        known = identifiers.recognise(value.value)
        return identifiers.uri(mint, *known) if known else value
    return value


def _coerce(predicate: NamedNode, value: Literal) -> Literal | NamedNode:
    """A string value of a URL-valued property as the IRI (or licence) it names."""
    text = value.value.strip()
    if predicate == SCHEMA.license and (iri := licence_iri(text)):
        return NamedNode(iri)
    if re.fullmatch(r"(?:https?|ftp)://\S+", text):
        try:
            return NamedNode(text)
        except ValueError:
            return value
    return value


def _publisher(node: Any) -> str:
    return node.value if isinstance(node, NamedNode) else "a blank node"


def _local(iri: NamedNode) -> str:
    return iri.value.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


FORMAT = Format(
    name=NAME,
    summary="Bioschemas/schema.org JSON-LD markup, one document per file (.jsonld, .json or .html)",
    read=read,
    to_rdf=to_rdf,
)
