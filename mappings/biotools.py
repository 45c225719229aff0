"""bio.tools: biotoolsSchema JSON, one file per tool or the bio.tools API's paged list.

Each tool becomes a Bioschemas ComputationalTool (``schema:SoftwareApplication``) at
``id/tool/{biotoolsID}``: EDAM topics and operations as IRIs, inputs and outputs as Bioschemas
FormalParameters with their EDAM data and format terms, its publications (one node per DOI/PubMed
id, shared with every other source citing them), credits (people by ORCID), links and licence.
E-mail addresses in credits are never published.

>>> from lifecat.core.uris import Minter
>>> tool = {"biotoolsID": "Needle", "name": "needle", "description": "Global alignment.",
...         "homepage": "https://emboss.sourceforge.net", "license": "GPL-3.0",
...         "topic": [{"uri": "http://edamontology.org/topic_0182", "term": "Sequence alignment"}],
...         "credit": [{"name": "Ann", "email": "ann@example.org", "typeEntity": "Person"}]}
>>> record = to_rdf(tool, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/tool/needle>
>>> any("@" in t.object.value for t in record.triples)
False
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith("wasDerivedFrom"))
['https://bio.tools/needle']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import Field as Described
from pyoxigraph import NamedNode

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, BIOSCHEMAS, BIOSCHEMAS_PROFILE, DCT, RDFS, SCHEMA, XSD
from lifecat.mappings import identity
from lifecat.mappings.licences import licence_iri
from lifecat.mappings.rdf import Format, ReadError, Record, RecordError, SourceItem
from lifecat.mappings.source_terms import Publisher, SourceTerms, described, state
from lifecat.mappings.sourcefiles import Row, files, load_json, not_format, parse
from lifecat.mappings.values import Field, date, emit, has_contact_details, slug

NAME = "biotools"
EXPECTED = "biotoolsSchema JSON: a tool object with a biotoolsID, or the API's {count, next, list} page"
#: bio.tools (ELIXIR) publishes its registry content under CC BY 4.0 (SOURCE.md of the sample), the
#: licence of each description. A tool's openness is stated only where its entry gives it
#: (:data:`ACCESSIBILITY`, :data:`COST_FREE`).
TERMS = SourceTerms(
    publisher=Publisher("bio.tools (ELIXIR)", "https://bio.tools/"), published_thing=False,
    licence="http://spdx.org/licenses/CC-BY-4.0")


class Term(Row):
    """An EDAM term as bio.tools cites it."""

    uri: str | None = Described(None, description="The EDAM concept IRI.")
    term: str | None = Described(None, description="The EDAM concept's preferred label.")


class Parameter(Row):
    """One input or output of a tool function."""

    data: Term | None = Described(None, description="EDAM data concept.")
    format: list[Term] = Described(default_factory=list, description="EDAM format concepts.")


class Function(Row):
    """One function of a tool: what it does, from what, to what."""

    operation: list[Term] = Described(default_factory=list, description="EDAM operations.")
    input: list[Parameter] = Described(default_factory=list, description="Inputs.")
    output: list[Parameter] = Described(default_factory=list, description="Outputs.")


class PublicationMetadata(Row):
    """What bio.tools harvested about a publication (Europe PMC)."""

    title: str | None = Described(None, description="Article title.")
    date: str | None = Described(None, description="Publication date-time.")


class Publication(Row):
    """A publication about the tool, by DOI, PubMed and/or PMC id."""

    doi: str | None = Described(None, description="DOI.")
    pmid: str | None = Described(None, description="PubMed id.")
    pmcid: str | None = Described(None, description="PubMed Central id.")
    metadata: PublicationMetadata | None = Described(None, description="Harvested metadata.")


class Credit(Row):
    """A person or organisation credited for the tool."""

    name: str | None = Described(None, description="Name of the person or organisation.")
    orcidid: str | None = Described(None, description="ORCID iD (URL or bare).")
    url: str | None = Described(None, description="Homepage of the credited entity.")
    typeEntity: str | None = Described(None, description="Person, Institute, Funding agency, ….")
    typeRole: list[str] = Described(default_factory=list, description="Developer, Maintainer, ….")


class Link(Row):
    """A typed link (link, documentation or download)."""

    url: str = Described(description="The link target.")
    type: list[str] | str | None = Described(None, description="Link type(s) from biotoolsSchema.")


class Relation(Row):
    """A relation to another bio.tools entry."""

    biotoolsID: str = Described(description="The other tool's id.")
    type: str = Described(description="includes, includedIn, uses, usedBy, hasNewVersion, …")


class OtherId(Row):
    """Another identifier of the tool (DOI, RRID, CPE)."""

    value: str = Described(description="The identifier.")
    type: str | None = Described(None, description="doi, rrid, cpe.")


class Tool(Row):
    """A biotoolsSchema tool record (the fields lifecat maps; others are ignored)."""

    biotoolsID: str = Described(description="The bio.tools id, the tool's stable key.")
    name: str | None = Described(None, description="Tool name.")
    description: str | None = Described(None, description="Short description.")
    homepage: str | None = Described(None, description="Homepage URL.")
    version: list[str] = Described(default_factory=list, description="Versions described.")
    additionDate: str | None = Described(None, description="When the entry was added.")
    lastUpdate: str | None = Described(None, description="When the entry last changed.")
    toolType: list[str] = Described(default_factory=list, description="Command-line tool, Web API, ….")
    topic: list[Term] = Described(default_factory=list, description="EDAM topics.")
    function: list[Function] = Described(default_factory=list, description="Functions.")
    operatingSystem: list[str] = Described(default_factory=list, description="Linux, Mac, Windows.")
    language: list[str] = Described(default_factory=list, description="Programming languages.")
    license: str | None = Described(None, description="SPDX id or Proprietary/Other/….")
    cost: str | None = Described(None, description="Free of charge, Commercial, ….")
    accessibility: str | None = Described(None, description="Open access, Restricted access, ….")
    collectionID: list[str] = Described(default_factory=list, description="Collections the tool is in.")
    credit: list[Credit] = Described(default_factory=list, description="Credited people and organisations.")
    publication: list[Publication] = Described(default_factory=list, description="Publications.")
    documentation: list[Link] = Described(default_factory=list, description="Documentation links.")
    link: list[Link] = Described(default_factory=list, description="Other links.")
    download: list[Link] = Described(default_factory=list, description="Download links.")
    relation: list[Relation] = Described(default_factory=list, description="Relations to other tools.")
    otherID: list[OtherId] = Described(default_factory=list, description="Other identifiers.")


#: Plain tool fields.
FIELDS: list[Field] = [
    ("name", (SCHEMA.name,), "text"),
    ("description", (SCHEMA.description,), "text"),
    ("homepage", (SCHEMA.url,), "iri"),
    ("version", (SCHEMA.softwareVersion,), "texts"),
    ("toolType", (SCHEMA.additionalType,), "texts"),
    ("operatingSystem", (SCHEMA.operatingSystem,), "texts"),
    ("language", (SCHEMA.programmingLanguage,), "texts"),
    ("collectionID", (SCHEMA.keywords,), "texts"),
    ("additionDate", (SCHEMA.dateCreated,), "date"),
    ("lastUpdate", (SCHEMA.dateModified,), "date"),
]
#: Link types (biotoolsSchema) → predicate; other types are ``rdfs:seeAlso``.
LINK_TYPES = {
    "Repository": SCHEMA.codeRepository,
    "Issue tracker": SCHEMA.discussionUrl,
    "Discussion forum": SCHEMA.discussionUrl,
    "Software catalogue": SCHEMA.sameAs,
}
#: Credit roles (biotoolsSchema) → predicates; other roles (Contributor, Documentor, Support) are
#: ``schema:contributor``, and funders are ``schema:funder`` whatever their role. A developer wrote the
#: software; the primary contact answers for it, as a maintainer does.
ROLES = {
    "Developer": (SCHEMA.author, SCHEMA.creator),
    "Maintainer": (SCHEMA.maintainer,),
    "Primary contact": (SCHEMA.maintainer,),
    "Provider": (SCHEMA.provider,),
}
#: Credited entity types that are organisations.
ORGANISATIONS = {"Institute", "Funding agency", "Consortium", "Division", "Project"}
#: Relation types → (predicate, whether the other tool is the subject).
RELATIONS = {
    "includes": (SCHEMA.hasPart, False),
    "includedIn": (SCHEMA.isPartOf, False),
    "uses": (SCHEMA.isBasedOn, False),
    "usedBy": (SCHEMA.isBasedOn, True),
    "hasNewVersion": (SCHEMA.isBasedOn, True),
    "isNewVersionOf": (SCHEMA.isBasedOn, False),
}
COST_FREE = {"Free of charge": True, "Free of charge (with restrictions)": True, "Commercial": False}
#: A tool's ``accessibility`` (non-monetary restrictions on its use) → EU access right.
ACCESSIBILITY = {
    "Open access": ACCESS_RIGHT.PUBLIC,
    "Open access (with restrictions)": ACCESS_RIGHT.RESTRICTED,
    "Restricted access": ACCESS_RIGHT.RESTRICTED,
}


#: The fields besides its id that every biotoolsSchema tool has: an object with them is a tool.
TOOL_FIELDS = frozenset({"name", "homepage"})


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every tool in a biotoolsSchema file, an API list page, or a folder of either.

    A tool without a ``biotoolsID`` is yielded with a :class:`ReadError`, for the build to quarantine.
    """
    for file in files(path, (".json",)):
        document = load_json(file, NAME, EXPECTED)
        if isinstance(document, dict) and ("biotoolsID" in document or document.keys() >= TOOL_FIELDS):
            tools = [document]
        elif isinstance(document, dict) and isinstance(document.get("list"), list):
            tools = document["list"]
        elif isinstance(document, list) and (not document or any(isinstance(t, dict) and "biotoolsID" in t
                                                                 for t in document)):
            tools = document
        else:
            raise not_format(file, NAME, EXPECTED)
        for n, tool in enumerate(tools):
            ident = tool.get("biotoolsID") if isinstance(tool, dict) else None
            error = None if ident or not isinstance(tool, dict) else ReadError(
                "record has no id", f"tool {n + 1} of the file has no biotoolsID")
            yield SourceItem(f"{file}#{ident or f'item-{n}'}", tool, error=error)


def to_rdf(data: dict[str, Any], mint: Minter) -> Record:
    """Map one biotoolsSchema tool object to its record."""
    tool = parse(Tool, data)
    key = identifiers.key("biotools", tool.biotoolsID)
    if not key:
        raise RecordError("biotoolsID", f"{tool.biotoolsID!r} is not a bio.tools id")
    uri = mint.record("tool", key)
    rec = Record(key=key, uri=uri, kind="tool")
    rec.types(uri, SCHEMA.SoftwareApplication)
    rec.add(uri, DCT.conformsTo, BIOSCHEMAS_PROFILE["ComputationalTool"])
    identity.describe(rec, mint, [("biotools", tool.biotoolsID)], field="biotoolsID", node=uri)
    rec.text(uri, SCHEMA.applicationCategory, "Computational science tool")
    emit(rec, uri, tool, FIELDS)
    _licence(rec, tool.license)
    for topic in tool.topic:
        rec.link(uri, SCHEMA.applicationSubCategory, topic.uri, field="topic")
    _functions(rec, tool.function)
    for link in tool.link:
        types = [link.type] if isinstance(link.type, str) else link.type or []
        predicate = next((LINK_TYPES[t] for t in types if t in LINK_TYPES), RDFS.seeAlso)
        rec.link(uri, predicate, link.url, field="link")
    for doc in tool.documentation:
        rec.link(uri, SCHEMA.softwareHelp, doc.url, field="documentation")
    for download in tool.download:
        rec.link(uri, SCHEMA.downloadUrl, download.url, field="download")
    for other in tool.otherID:  # as written: a "tool DOI" here is often the tool's paper's
        rec.text(uri, SCHEMA.identifier, other.value)
    for relation in tool.relation:
        other_tool = identifiers.uri(mint, "biotools", relation.biotoolsID)
        if relation.type in RELATIONS and other_tool:
            predicate, inverse = RELATIONS[relation.type]
            rec.add(*((other_tool, predicate, uri) if inverse else (uri, predicate, other_tool)))
    # articles and people by ORCID have pages of their own, which say where they were read
    pages = [_publication(rec, mint, publication) for publication in tool.publication]
    pages += [_credit(rec, mint, credit) for credit in tool.credit]
    entry = identifiers.SCHEMES["biotools"].resolver(key)
    for page in dict.fromkeys(filter(None, pages)):
        state(rec, page, described(TERMS), derived_from=entry)
    terms = replace(TERMS, access=ACCESSIBILITY.get(tool.accessibility or ""),
                    free=COST_FREE.get(tool.cost or ""))
    state(rec, uri, terms, derived_from=entry)
    return rec


def _licence(rec: Record, licence: str | None) -> None:
    if not licence:
        return
    iri = licence_iri(licence)
    if iri:
        rec.link(rec.uri, SCHEMA.license, iri, field="license")
    else:
        rec.text(rec.uri, DCT.rights, licence)
        rec.notes.append(("license", f"{licence!r} names no known licence; kept as dct:rights"))


def _functions(rec: Record, functions: list[Function]) -> None:
    count = {"input": 0, "output": 0}
    for function in functions:
        for operation in function.operation:
            rec.link(rec.uri, SCHEMA.featureList, operation.uri, field="function.operation")
        for direction, parameters in (("input", function.input), ("output", function.output)):
            for parameter in parameters:
                count[direction] += 1
                node = NamedNode(f"{rec.uri.value}#{direction}-{count[direction]}")
                rec.types(node, BIOSCHEMAS.FormalParameter)
                rec.add(node, DCT.conformsTo, BIOSCHEMAS_PROFILE["FormalParameter"])
                data = parameter.data or Term()
                rec.text(node, SCHEMA.name, data.term or f"{direction} {count[direction]}")
                rec.link(node, SCHEMA.additionalType, data.uri, field=f"function.{direction}.data")
                for fmt in parameter.format:
                    rec.link(node, SCHEMA.encodingFormat, fmt.uri, field=f"function.{direction}.format")
                rec.add(rec.uri, BIOSCHEMAS[direction], node)


def _publication(rec: Record, mint: Minter, publication: Publication) -> NamedNode | None:
    """The article node of a publication the tool cites, if it has an id."""
    ids = [("doi", publication.doi), ("pubmed", publication.pmid), ("pmc", publication.pmcid)]
    node = identity.describe(rec, mint, ids, field="publication")
    if node is None:
        rec.notes.append(("publication", f"publication without DOI, PubMed or PMC id: {ids}"))
        return None
    meta = publication.metadata or PublicationMetadata()
    rec.types(node, SCHEMA.ScholarlyArticle)
    rec.add(node, DCT.conformsTo, BIOSCHEMAS_PROFILE["ScholarlyArticle"])
    rec.text(node, SCHEMA.headline, meta.title)
    rec.text(node, SCHEMA.name, meta.title)
    published = date((meta.date or "")[:10])
    if published:
        rec.typed(node, SCHEMA.datePublished, published[0], XSD[published[1]])
    rec.add(rec.uri, SCHEMA.citation, node)
    return node


def _credit(rec: Record, mint: Minter, credit: Credit) -> NamedNode | None:
    """People by ORCID become shared person nodes (returned); others stay inside the record. No e-mail."""
    entity = credit.typeEntity
    name = credit.name
    if has_contact_details(name):  # publishers sometimes put an e-mail address in the name
        rec.notes.append(("credit.name", "a name that is an e-mail address or phone number, not published"))
        name = None
    person = identity.describe(rec, mint, [("orcid", credit.orcidid)], field="credit.orcidid")
    is_org = entity in ORGANISATIONS and person is None
    if person is None and not name:
        if credit.url or credit.orcidid:
            where = "" if has_contact_details(credit.url) else f" ({credit.url})"
            rec.notes.append(("credit", f"credit without a name or ORCID iD dropped{where}"))
        return None
    node = person or NamedNode(f"{rec.uri.value}#credit-{slug(name)}")
    if name:  # a Person or Organization needs a name; without one the ORCID link stands alone
        rec.types(node, SCHEMA.Organization if is_org else SCHEMA.Person)
        rec.add(node, DCT.conformsTo, BIOSCHEMAS_PROFILE["Organization" if is_org else "Person"])
        rec.text(node, SCHEMA.name, name)
    if credit.url and not identifiers.recognise(credit.url):
        rec.link(node, SCHEMA.url, credit.url, field="credit.url")
    if entity == "Funding agency":
        predicates = {SCHEMA.funder}
    else:
        predicates = {p for role in credit.typeRole for p in ROLES.get(role, (SCHEMA.contributor,))}
        predicates = predicates or {SCHEMA.contributor}
    for predicate in sorted(predicates, key=str):
        rec.add(rec.uri, predicate, node)
    return person


FORMAT = Format(
    name=NAME,
    summary="bio.tools biotoolsSchema JSON (one tool per file, or the API's paged {count, next, list})",
    read=read,
    to_rdf=to_rdf,
)
