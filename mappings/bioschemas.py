"""Bioschemas / schema.org JSON-LD markup harvested from publishers' pages, loaded as it is.

One document per file (``.jsonld``/``.json``, or each ``application/ld+json`` script of an ``.html``
page), with or without ``@graph``, compacted or expanded, in any ``@context`` style. The markup is
expanded with pyoxigraph's JSON-LD parser and kept as the publisher wrote it, except that:

- a document may describe several things: each described node of a record type (tool, dataset,
  catalogue, sample, article, organisation, person, …) that no other node refers to is a record of
  its own (a page's ``WebPage``/``DataRecord`` pointing at it through ``about``/``mainEntity`` does
  not count); a record holds its node and the nodes it links to, so a node defined once in
  ``@graph`` and referenced by ``@id`` from two tools is in both tools' records (nodes no record
  links to, a page's breadcrumbs say, are left out, noted);
- every node is renamed to its lifecat URI, with ``schema:sameAs`` the publisher's ``@id``: a node
  whose ``@id`` carries a strong identifier (``https://bio.tools/…``, a DOI, ORCID or ROR URL, …)
  gets the node every other source mints for it, so markup and source records meet;
- schema.org is read the way schema.org's own context reads it: ``https://schema.org/`` and the
  undeclared ``schema:`` prefix mean ``http://schema.org/``, and URL-valued properties written as
  strings become IRIs (citations written as ``pubmed:…`` CURIEs become the article's node); the
  Bioschemas types written in its vocabulary (``"@type": "Sample"``) are Bioschemas', and a context
  term is a prefix as JSON-LD 1.0 read it (``"OBI": "…/OBI_"``, ``"OBI:0000747"``);
- a described node of a record type with no ``url`` and an http(s) ``@id`` (without a
  ``#fragment``, and not a strong identifier, whose page is a registry's) has that ``@id`` as its
  ``schema:url``: the ``@id`` is the page;
- text is plain text: HTML in a value (``<p>``, ``<br>``, ``&amp;``) is read with an HTML parser
  (:func:`~lifecat.mappings.values.plain_text`);
- an author, creator, contributor, maintainer, publisher, provider or funder written as a string is
  a ``schema:Person`` or ``schema:Organization`` node of that name (a blank node, named inside the
  record); a string that is an http(s) IRI is a link to that node;
- a node stated with nothing but a type (``{"@id": ORCID, "@type": "Person"}``) is a reference, not
  a description: it stays a link and its type is dropped (noted), since its record lives elsewhere
  (a term's, such as an NCBI Taxonomy IRI typed ``DefinedTerm``, keeps its own IRI);
- e-mail addresses and phone numbers are not published, and neither is any ``javascript:``,
  ``data:`` or other non-web IRI: a ``schema:url`` is an http(s) or ftp address, or it is dropped;
- markup a registry generated from its own entries (a node whose ``@id`` is its bio.tools entry) says
  who published it and under which terms as that registry's records do (:data:`MARKUP_TERMS`), and
  that it was derived from the entry; markup from elsewhere says so only in its own words.

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
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith(("Publisher", "DerivedFrom")))
['http://lc/id/tool/needle#source-publisher-bio-tools', 'https://bio.tools/needle']
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import BIOSCHEMAS, BIOSCHEMAS_PROFILE, DCT, RDF, SCHEMA, XSD
from lifecat.mappings import biotools
from lifecat.mappings.licences import licence_iri
from lifecat.mappings.rdf import Format, Record, RecordError, SourceItem
from lifecat.mappings.source_terms import SourceTerms, state
from lifecat.mappings.sourcefiles import files, load_json, not_format
from lifecat.mappings.values import has_contact_details, plain_text

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
#: Bioschemas types as markup writes them under schema.org's vocabulary (``"@type": "Sample"`` with
#: the schema.org context), as lifecat names them.
BIOSCHEMAS_TYPES = {SCHEMA[t]: BIOSCHEMAS[t] for t in ("Sample", "Taxon", "FormalParameter")}
#: How a page points at the things it is about: a node of another type linking to a record through
#: one of these (a ``WebPage``'s ``about``, a ``DataRecord``'s ``mainEntity``) does not make it a part.
POINTERS = {SCHEMA.about, SCHEMA.mainEntity, SCHEMA.item, SCHEMA.itemListElement}
#: Properties whose string values schema.org's context reads as IRIs.
URL_PROPERTIES = {SCHEMA[p] for p in (
    "url", "sameAs", "license", "downloadUrl", "codeRepository", "contentUrl", "thumbnailUrl", "image",
    "logo", "discussionUrl", "installUrl", "softwareHelp", "mainEntityOfPage", "additionalType",
    "includedInDataCatalog", "isBasedOn", "distribution", "citation", "encodingFormat",
)}
#: Properties whose values are the publisher's own addresses for a node: kept as written.
AS_WRITTEN = {SCHEMA.sameAs, SCHEMA.url, SCHEMA.identifier, SCHEMA.mainEntityOfPage}
#: Text properties that keep the line breaks of their HTML; other text is one line.
MULTILINE = {SCHEMA.description, SCHEMA.abstract, SCHEMA.text, SCHEMA.disambiguatingDescription}
#: Datatypes of text, read as plain text.
TEXT = {XSD.string, RDF.langString, RDF.HTML}
#: Agent properties a publisher may fill with a name: the class of the node a name becomes.
AGENTS = {
    SCHEMA.author: SCHEMA.Person, SCHEMA.creator: SCHEMA.Person, SCHEMA.contributor: SCHEMA.Person,
    SCHEMA.maintainer: SCHEMA.Person, SCHEMA.publisher: SCHEMA.Organization,
    SCHEMA.provider: SCHEMA.Organization, SCHEMA.funder: SCHEMA.Organization,
}
#: Names that read as an organisation's, whichever property they fill: its words, or a domain name.
ORGANIZATION_NAME = re.compile(
    r"\b(?:universit|institut|college|school|hospital|laborator|labs?\b|cent(?:re|er)\b|consorti|"
    r"foundation|society|association|council|agency|ministry|department|group|team|network|project|"
    r"initiative|program|facility|community|contributors|developers|trust\b|company|corporation|"
    r"inc\b|ltd\b|llc\b|gmbh\b|embl|elixir)"
    r"|(?-i:^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$)",
    re.IGNORECASE,
)
#: Web addresses: the only IRIs a schema:url may be.
WEB = {"http", "https", "ftp"}
#: IRI schemes that run code or carry content in a browser: never published.
UNSAFE = {"javascript", "vbscript", "data", "file", "about", "blob", "filesystem"}
#: Contact details lifecat never publishes.
CONTACT = {SCHEMA.email, SCHEMA.telephone, SCHEMA.faxNumber}
#: Registries that generate markup from their entries, by the identifier scheme of the entry a
#: node's ``@id`` is: their terms. bio.tools' markup is its content (CC BY 4.0, as SOURCE.md of the
#: sample says); whether a tool is free is the markup's own ``isAccessibleForFree``, when it says.
MARKUP_TERMS: dict[str, SourceTerms] = {"biotools": biotools.TERMS}

Node = NamedNode | BlankNode
Graph = dict[Node, list[tuple[NamedNode, Any]]]


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every record of the JSON-LD documents in a file or folder (``.jsonld``, ``.json``, ``.html``).

    A document describing one thing is one item; one describing several gives an item per thing,
    ``{"document": …, "entity": n}`` (located ``#name-n``). A page's script that is not JSON is an
    item of its own, for the build to quarantine with the reason.
    """
    for file in files(path, (".jsonld", ".json", ".html", ".htm")):
        if file.suffix.lower() in {".html", ".htm"}:
            scripts = scripts_of(file.read_text(encoding="utf-8-sig", errors="replace"))
            if not scripts:
                raise not_format(file, NAME, EXPECTED, "no application/ld+json script")
            for n, script in enumerate(scripts, start=1):
                try:
                    document = json.loads(script)
                except (json.JSONDecodeError, RecursionError):
                    yield SourceItem(f"{file}#script-{n}", script)
                    continue
                yield from entities(f"{file}#script-{n}", document)
            continue
        document = load_json(file, NAME, EXPECTED)
        if not _is_jsonld(document):
            raise not_format(file, NAME, EXPECTED, "no @context, @graph or @type")
        yield from entities(f"{file}#{file.name.split('.')[0]}", document)


def scripts_of(page: str) -> list[str]:
    """The JSON text of a page's ``application/ld+json`` scripts, in page order.

    >>> scripts_of('<SCRIPT type="application/ld+json; charset=utf-8"><!-- {"a": 1} --></SCRIPT>')
    ['{"a": 1}']
    """
    return _Scripts.of(page)


class _Scripts(HTMLParser):
    """The ``application/ld+json`` scripts of a page, however their tag is written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.current: list[str] | None = None

    @classmethod
    def of(cls, page: str) -> list[str]:
        parser = cls()
        parser.feed(page)
        parser.close()
        return parser.scripts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self.current = []

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.current is not None:
            self.scripts.append(_unwrap("".join(self.current)))
            self.current = None


def _unwrap(script: str) -> str:
    """A script's JSON without the comment or CDATA wrapper old pages put around it."""
    text = script.strip()
    for opening, closing in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(opening) and text.endswith(closing):
            text = text[len(opening):-len(closing)].strip()
    return text


def _is_jsonld(document: Any) -> bool:
    """Whether a JSON document is JSON-LD: a node with a context, graph or type, or a list of nodes
    (an expanded document) of which one has.

    >>> _is_jsonld([{"@id": "_:b0", "https://schema.org/name": [{"@value": "x"}]}, {"@type": ["T"]}])
    True
    >>> _is_jsonld({"count": 1, "list": [{"name": "x"}]}), _is_jsonld([{"name": "x"}])
    (False, False)
    """
    if isinstance(document, list):
        return (all(isinstance(d, dict) and any(k.startswith("@") for k in d) for d in document)
                and any(_is_jsonld(d) for d in document))
    return isinstance(document, dict) and bool({"@context", "@graph", "@type"} & set(document))


def entities(locator: str, document: Any) -> Iterator[SourceItem]:
    """One item for a document about one thing, one item per thing for a document about several."""
    try:
        count = len(_roots(_graph(document)))
    except RecordError:  # to_rdf says why, for the build to quarantine it
        count = 1
    if count <= 1:
        yield SourceItem(locator, document)
        return
    for n in range(1, count + 1):
        yield SourceItem(f"{locator}-{n}", {"document": document, "entity": n})


def to_rdf(item: Any, mint: Minter) -> Record:
    """Map a JSON-LD document to the record of the thing it is about.

    ``item`` is a document, or ``{"document": …, "entity": n}`` for its n-th record (:func:`read`
    gives one for each thing a document describes); a plain document gives its first record.

    :raises RecordError: for a document that is not JSON-LD, or describes no record it can name.
    """
    if isinstance(item, str):  # a page's script, as read
        try:
            item = json.loads(item)
        except json.JSONDecodeError as error:
            raise RecordError("script", f"not JSON: {error}") from None
    document, entity = (item["document"], item["entity"]) if _is_entity(item) else (item, 1)
    subjects = _graph(document)
    roots = _roots(subjects)
    if not roots:
        raise RecordError("@type", "no node of a schema.org/Bioschemas record type (SoftwareApplication, "
                                   "Dataset, Sample, ScholarlyArticle, Organization, Person, …)")
    if not 1 <= entity <= len(roots):
        raise RecordError("entity", f"the document describes {len(roots)} record(s), not {entity}")
    return _record(subjects, roots, entity, mint, _Read(subjects, roots))


def records_of(document: Any, mint: Minter) -> list[Record | RecordError]:
    """Every record of a document, each mapped as :func:`to_rdf` maps it (or why it cannot be), the
    document read once however many things it describes.

    :raises RecordError: for a document that is not JSON-LD, or describes no record.
    """
    subjects = _graph(document)
    roots = _roots(subjects)
    if not roots:
        raise RecordError("@type", "no node of a schema.org/Bioschemas record type (SoftwareApplication, "
                                   "Dataset, Sample, ScholarlyArticle, Organization, Person, …)")
    out: list[Record | RecordError] = []
    read = _Read(subjects, roots)
    for entity in range(1, len(roots) + 1):
        try:
            out.append(_record(subjects, roots, entity, mint, read))
        except RecordError as error:
            out.append(error)
    return out


class _Read:
    """What every record of a document needs of it, computed once: the roots as a set, and each
    node's place in the document."""

    def __init__(self, subjects: Graph, roots: list[Node]) -> None:
        self.roots = set(roots)
        self.order = {s: n for n, s in enumerate(subjects)}


def _record(subjects: Graph, roots: list[Node], entity: int, mint: Minter, read: _Read) -> Record:
    """The record of the ``entity``-th thing a document describes."""
    root = roots[entity - 1]
    kind_name, root_type = _kind(subjects[root])
    identified = _identify(root, kind_name)
    if identified is None:
        raise RecordError("@id", f"the {kind_name} has no usable @id to name it by")
    kind, key = identified
    uri = mint.record(kind, key)
    rec = Record(key=key, uri=uri, kind=kind)
    members = _members(root, read.roots, subjects, read.order)
    linked = {value for subject in members for _, value in subjects[subject]}
    names = _names(root, members, [r for r in roots if r != root and r in linked], subjects, uri, mint)
    if entity == 1 and (unlinked := len(subjects) - len(set().union(*(
            _members(r, read.roots, subjects, read.order) for r in roots)))):
        rec.notes.append(("@graph", f"{unlinked} node(s) that no record links to are left out"))
    for subject in members:
        _describe(rec, subject, subjects[subject], is_root=subject == root, names=names, mint=mint)
    profile = dict((cls, p) for cls, _, p in RECORD_TYPES).get(root_type)
    if profile and not any(p == DCT.conformsTo for p, _ in subjects[root]):
        rec.add(uri, DCT.conformsTo, BIOSCHEMAS_PROFILE[profile])
    _state_terms(rec, root)
    return rec


def _state_terms(rec: Record, root: Node) -> None:
    """A registry's terms on the record of markup it generated from its entry ``root``."""
    known = identifiers.recognise(root.value) if _usable(root) else None
    if known and known[0] in MARKUP_TERMS:
        scheme = identifiers.SCHEMES[known[0]]
        entry = scheme.resolver(identifiers.key(*known) or known[1])
        state(rec, rec.uri, MARKUP_TERMS[known[0]], derived_from=entry)


def _is_entity(item: Any) -> bool:
    return isinstance(item, dict) and set(item) == {"document", "entity"} and isinstance(item["entity"], int)


def _graph(document: Any) -> Graph:
    """The document's statements by subject, in document order, schema.org terms normalised and
    agents written as names made nodes.

    :raises RecordError: for a document that is not JSON-LD or has a remote context lifecat lacks.
    """
    subjects: Graph = {}
    for s, p, o in _parsed(document, RELATIVE):
        subjects.setdefault(s, []).append((p, o))
    _agents(subjects)
    return subjects


def statements(document: Any, base: str = RELATIVE) -> list[Triple]:
    """What a JSON-LD document states, as schema.org's own context reads it, under the publisher's
    names: what a profile is checked against (:func:`to_rdf` gives the record lifecat would load).

    schema.org's context makes a string value of a URL-valued property an IRI; a value that is not
    an absolute web address stays the text it is, for a checker to report.

    >>> [str(t.object) for t in statements({"@context": "https://schema.org", "@id": "https://x.org/t",
    ...     "@type": "Sample", "url": "https://x.org/t", "license": "MIT"})]
    ['<https://bioschemas.org/Sample>', '<https://x.org/t>', '"MIT"']

    :raises RecordError: for a document that is not JSON-LD or has a remote context lifecat lacks.
    """
    return [Triple(s, p, NamedNode(o.value.strip())
                   if p in URL_PROPERTIES and isinstance(o, Literal) and _is_address(o.value) else o)
            for s, p, o in _parsed(document, base)]


def _parsed(document: Any, base: str) -> list[tuple[Node, NamedNode, Any]]:
    """The statements of a JSON-LD document, schema.org terms and Bioschemas types normalised.

    :raises RecordError: for a document that is not JSON-LD or has a remote context lifecat lacks.
    """
    try:
        quads = parse(json.dumps(_inline_contexts(document)).encode(), RdfFormat.JSON_LD, base_iri=base)
        triples = [(q.subject, _term(q.predicate), _term(q.object)) for q in quads]
    except (SyntaxError, ValueError) as error:
        raise RecordError("@context", f"not valid JSON-LD: {error}") from None
    return [(s, p, BIOSCHEMAS_TYPES.get(o, o) if p == RDF.type else o) for s, p, o in triples]


def _is_address(text: str) -> bool:
    """Whether ``text`` is an absolute web address that is a valid IRI."""
    if not re.fullmatch(r"(?:https?|ftp)://\S+", text.strip()):
        return False
    try:
        NamedNode(text.strip())
    except ValueError:
        return False
    return True


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
    if isinstance(context, dict):
        return {term: _prefix(term, definition) for term, definition in context.items()}
    return context


def _prefix(term: str, definition: Any) -> Any:
    """A term as JSON-LD 1.0 read it: usable as a prefix whatever its IRI ends with.

    Publishers write ``"OBI": "http://purl.obolibrary.org/obo/OBI_"`` and ``"OBI:0000747"``; JSON-LD
    1.1 makes such a term a prefix only when it says so.

    >>> _prefix("OBI", "http://purl.obolibrary.org/obo/OBI_")
    {'@id': 'http://purl.obolibrary.org/obo/OBI_', '@prefix': True}
    >>> _prefix("sc", "http://schema.org/"), _prefix("@vocab", "http://schema.org")
    ('http://schema.org/', 'http://schema.org')
    """
    if (isinstance(definition, str) and not term.startswith("@") and ":" not in term and "/" not in term
            and re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", definition) and definition[-1] not in ":/?#[]@"):
        return {"@id": definition, "@prefix": True}
    return definition


def _term(term: Any) -> Any:
    """schema.org terms however they were written: https, or the undeclared ``schema:`` prefix."""
    if isinstance(term, NamedNode):
        value = term.value
        if value.startswith("https://schema.org/"):
            return NamedNode(SCHEMA_ORG + value[len("https://schema.org/"):])
        if value.startswith("schema:"):
            return NamedNode(SCHEMA_ORG + value[len("schema:"):])
    return term


def _agents(subjects: Graph) -> None:
    """Agents written as strings, as the nodes they name: one node per name.

    A name is an organisation's when an organisation property (publisher, provider, funder) gives
    it anywhere in the document, or when it reads like one (a "University", a "Consortium", a
    domain name, …); else a person's. A string that is an http(s) IRI is a link to that node.

    >>> graph = {BlankNode("t"): [(SCHEMA.author, Literal("Ada Lovelace")),
    ...                           (SCHEMA.creator, Literal("UK MRC")), (SCHEMA.funder, Literal("UK MRC"))]}
    >>> _agents(graph)
    >>> [(str(props[0][1]), props[1][1].value) for props in list(graph.values())[1:]]
    [('<http://schema.org/Person>', 'Ada Lovelace'), ('<http://schema.org/Organization>', 'UK MRC')]
    """
    named = [(properties, index, plain_text(value.value, lines=False).strip(), value.language)
             for properties in subjects.values() for index, (predicate, value) in enumerate(properties)
             if predicate in AGENTS and isinstance(value, Literal) and value.datatype in TEXT]
    organizations = {name for properties, index, name, _ in named
                     if AGENTS[properties[index][0]] == SCHEMA.Organization or ORGANIZATION_NAME.search(name)}
    made: dict[tuple[str, str | None], BlankNode] = {}
    for properties, index, name, language in named:
        predicate = properties[index][0]
        if re.fullmatch(r"https?://\S+", name):
            with contextlib.suppress(ValueError):
                properties[index] = (predicate, NamedNode(name))
            continue
        if not name or has_contact_details(name):  # an e-mail address is no name to publish
            continue
        if (name, language) not in made:
            cls = SCHEMA.Organization if name in organizations else SCHEMA.Person
            agent = made[(name, language)] = BlankNode()
            subjects[agent] = [(RDF.type, cls), (SCHEMA.name, Literal(name, language=language))]
        properties[index] = (predicate, made[(name, language)])


def _kind(properties: list[tuple[Any, Any]]) -> tuple[str, NamedNode | None]:
    types = {o for p, o in properties if p == RDF.type}
    for cls, kind, _ in RECORD_TYPES:
        if cls in types:
            return kind, cls
    return "thing", None


def _described(properties: list[tuple[Any, Any]]) -> bool:
    """Whether a node says more about itself than its type."""
    return any(p != RDF.type for p, _ in properties)


def _roots(subjects: Graph) -> list[Node]:
    """The nodes a document is about, in document order: each is a record.

    These are the described nodes of a record type that no other described node refers to (other than
    by an address, or as a node of another type pointing at what it is about, as a page does). When
    every one of them is referred to, the document is about one thing: the node of the best record
    type among those no other record refers to.
    """
    typed = [s for s, props in subjects.items() if _kind(props)[1] is not None]
    candidates = [s for s in typed if _described(subjects[s])] or typed
    records = set(candidates)
    referred = {o for s, props in subjects.items() if _described(props) for p, o in props
                if o != s and p not in AS_WRITTEN and (s in records or p not in POINTERS)}
    roots = [s for s in candidates if s not in referred]
    if roots or not candidates:
        return roots
    parts = {o for s in candidates for _, o in subjects[s] if o != s}
    order = [cls for cls, _, _ in RECORD_TYPES]
    return [min(candidates, key=lambda s: (s in parts, order.index(_kind(subjects[s])[1])))]


def _members(root: Node, roots: set[Node], subjects: Graph, order: dict[Node, int]) -> list[Node]:
    """The nodes of a root's record, in document order: the root and the nodes it links to, directly
    or through each other, but not other records (they are linked, not copied) nor the nodes only
    named by an address property (``url``, ``sameAs``, ``mainEntityOfPage``). A page's own nodes that
    link to the record (a ``WebPage``, a ``BreadcrumbList``) are about the page, and are left out."""
    seen, todo = {root}, [root]
    while todo:
        for predicate, value in subjects[todo.pop()]:
            if predicate not in AS_WRITTEN and value in subjects and value not in seen and value not in roots:
                seen.add(value)
                todo.append(value)
    return sorted(seen, key=order.__getitem__)


def _usable(node: Any) -> bool:
    """Whether a node's IRI is one of its own that lifecat may publish (not relative, not a script)."""
    return isinstance(node, NamedNode) and not node.value.startswith(RELATIVE) and _safe(node)


def _safe(iri: NamedNode) -> bool:
    return _scheme(iri.value) not in UNSAFE


def _scheme(text: str) -> str:
    """The scheme a link would be followed by: ``javascript`` for ``" JavaScript:alert(1)"``."""
    return text.split(":", 1)[0].strip().lower() if ":" in text else ""


def _identify(node: Any, kind: str) -> tuple[str, str] | None:
    """A publisher node's lifecat (kind, key): by its strong identifier, else by its own IRI.

    >>> _identify(NamedNode("https://doi.org/10.1000/X"), "dataset")
    ('article', '10.1000/x')
    >>> _identify(NamedNode("https://example.org/data/7#it"), "dataset")
    ('dataset', 'example.org/data/7#it')
    >>> _identify(NamedNode("javascript:alert(1)"), "tool") is None
    True
    """
    if not _usable(node):
        return None
    known = identifiers.recognise(node.value)
    if known:
        scheme, value = known
        return identifiers.SCHEMES[scheme].kind, identifiers.key(scheme, value) or value
    parts = urlsplit(node.value)
    return kind, node.value.split("//", 1)[1] if parts.netloc else node.value.split(":", 1)[1]


def _names(root: Node, members: list[Node], others: list[Node], subjects: Graph, uri: NamedNode,
           mint: Minter) -> dict[Node, NamedNode]:
    """Lifecat names for a record's nodes and the other records it links to: records by identifier,
    the rest as fragments of the record."""
    names: dict[Node, NamedNode] = {root: uri}
    count = 0
    for subject in [*members, *others]:
        properties = subjects[subject]
        if subject in names or (_usable(subject) and not _described(properties)
                                and _kind(properties)[1] is None):
            continue  # a reference to a term or page lifecat has no record kind for: its own IRI
        identified = _identify(subject, _kind(properties)[0])
        if identified is not None:
            names[subject] = mint.record(*identified)
        elif subject not in others:
            count += 1
            names[subject] = NamedNode(f"{uri.value}#node-{count}")
    return names


def _describe(rec: Record, subject: Node, properties: list[tuple[NamedNode, Any]], *, is_root: bool,
              names: dict[Node, NamedNode], mint: Minter) -> None:
    """Add what the markup says about one node of the record."""
    if not is_root and not _described(properties):
        rec.notes.append(("@type", f"{_publisher(subject)} is only referenced; its type is not asserted"))
        return
    node = names[subject]
    if _usable(subject) and node != subject:
        rec.add(node, SCHEMA.sameAs, subject)
    has_url = False
    for predicate, value in properties:
        if predicate in CONTACT:
            rec.notes.append((_local(predicate), "contact details are not published"))
            continue
        target = _object(rec, predicate, value, names, mint)
        if target is not None:
            rec.add(node, predicate, target)
            has_url = has_url or predicate == SCHEMA.url
    if not has_url and _kind(properties)[1] is not None and _is_page(subject):
        rec.add(node, SCHEMA.url, subject)


def _is_page(node: Node) -> bool:
    """Whether a node's ``@id`` is its page: an http(s) IRI of a host, without a fragment (which names
    a thing on a page), and not a strong identifier (whose page is a registry's, its ``sameAs``).

    >>> _is_page(NamedNode("https://tools.example.org/seqfold")), _is_page(NamedNode("https://x.org/a#tool"))
    (True, False)
    >>> _is_page(NamedNode("https://bio.tools/seqfold")), _is_page(NamedNode("urn:uuid:1"))
    (False, False)
    """
    if not _usable(node):
        return False
    parts = urlsplit(node.value)
    return (parts.scheme in {"http", "https"} and bool(parts.netloc) and "#" not in node.value
            and identifiers.recognise(node.value) is None)


def _object(rec: Record, predicate: NamedNode, value: Any, names: dict[Node, NamedNode],
            mint: Minter) -> Any:
    """The object a statement gets in the record, or ``None`` (noted) when it is not published."""
    if isinstance(value, Literal):
        if predicate in URL_PROPERTIES:
            cited = identifiers.recognise(value.value) if predicate == SCHEMA.citation else None
            if cited:  # a citation written as a CURIE ("pubmed:…"): the article's node
                return identifiers.uri(mint, *cited)
            value = _coerce(predicate, value)
        if isinstance(value, Literal):
            if predicate in AGENTS and has_contact_details(value.value):
                rec.notes.append((_local(predicate), "contact details are not published"))
                return None
            if predicate == SCHEMA.url or (predicate in URL_PROPERTIES and _scheme(value.value) in UNSAFE):
                rec.notes.append((_local(predicate), f"{value.value[:80]!r} is not a web address; dropped"))
                return None
            return _text(predicate, value)
    if isinstance(value, BlankNode):
        return names.get(value)
    if not _safe(value) or (predicate == SCHEMA.url and _scheme(value.value) not in WEB):
        rec.notes.append((_local(predicate), f"{value.value[:80]!r} is not a web address; dropped"))
        return None
    if value.value.startswith(RELATIVE) and (predicate in AS_WRITTEN or value not in names):
        rec.notes.append((_local(predicate), f"the relative IRI {value.value[len(RELATIVE):]!r} "
                                             "has no base to resolve against"))
        return None
    if predicate in AS_WRITTEN:  # the publisher's address, even when it is also a node's @id
        return value
    if value in names:
        return names[value]
    known = identifiers.recognise(value.value)
    return identifiers.uri(mint, *known) if known else value


def _text(predicate: NamedNode, value: Literal) -> Literal | None:
    """A text value as plain text (HTML read as a browser shows it), or ``None`` when nothing is left."""
    if predicate in AS_WRITTEN or value.datatype not in TEXT:
        return value
    text = plain_text(value.value, lines=predicate in MULTILINE).strip()
    if not text:
        return None
    if text == value.value and value.datatype != RDF.HTML:
        return value
    return Literal(text, language=value.language) if value.language else Literal(text)


def _coerce(predicate: NamedNode, value: Literal) -> Literal | NamedNode:
    """A string value of a URL-valued property as the IRI (or licence) it names."""
    text = value.value.strip()
    if predicate == SCHEMA.license and (iri := licence_iri(text)):
        return NamedNode(iri)
    return NamedNode(text) if _is_address(text) else value


def _publisher(node: Any) -> str:
    return node.value if isinstance(node, NamedNode) else "a blank node"


def _local(iri: NamedNode) -> str:
    return iri.value.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


FORMAT = Format(
    name=NAME,
    summary="Bioschemas/schema.org JSON-LD markup, a record per thing described (.jsonld, .json or .html)",
    read=read,
    to_rdf=to_rdf,
)
