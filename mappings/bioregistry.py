"""Bioregistry: resources, the registries it aligns with, and its curated collections.

Reads the registry JSON as the ``bioregistry`` package ships it (``bioregistry.json`` beside
``metaregistry.json`` and ``collections.json``). Each resource becomes a Bioschemas DataCatalog that is
also a ``dcat:Dataset``; each registry and collection a ``dcat:Catalog``.

The Bioregistry publishes its curated data under CC0 (:data:`TERMS`): it published the descriptions of
resources and registries (``schema:sdPublisher``; a resource's publisher stays its owner), and its
collections themselves. A resource's own licence wins; so does its licence given as text.

>>> from lifecat.core.uris import Minter
>>> item = {"kind": "resource", "key": "go", "record": {"name": "Gene Ontology",
...         "homepage": "http://geneontology.org", "description": "Genes.", "license": "CC-BY-4.0"}}
>>> record = to_rdf(item, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/catalog/go>
>>> sorted(str(t.predicate) for t in record.triples if t.subject == record.uri)[:3]
['<http://purl.org/dc/terms/accessRights>', '<http://purl.org/dc/terms/conformsTo>', '<http://purl.org/dc/terms/description>']
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith(("license", "ublisher")))
['http://lc/id/catalog/go#source-publisher-bioregistry-io', 'http://spdx.org/licenses/CC-BY-4.0', 'http://spdx.org/licenses/CC-BY-4.0']
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from typing import Any

import pydantic
from bioregistry import Collection, Resource
from pyoxigraph import NamedNode

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, BIOSCHEMAS_PROFILE, DCAT, DCT, LIFECAT, OWL, SCHEMA, XSD
from lifecat.mappings import identity
from lifecat.mappings.licences import licence_iri
from lifecat.mappings.rdf import Format, Record, RecordError, SourceFormatError, SourceItem
from lifecat.mappings.source_terms import Publisher, SourceTerms, described, state

REGISTRY_FILE = "bioregistry.json"
METAREGISTRY_FILE = "metaregistry.json"
COLLECTIONS_FILE = "collections.json"
#: The Bioregistry's curated data is CC0 1.0 (SOURCE.md of the sample, the package's README); the
#: resources it describes are public ones, whether free of charge it does not say.
TERMS = SourceTerms(
    publisher=Publisher("Bioregistry", "https://bioregistry.io/"), published_thing=False,
    licence="http://spdx.org/licenses/CC0-1.0", access=ACCESS_RIGHT.PUBLIC, free=None)
#: A collection is the Bioregistry's own curated list, free to read.
COLLECTION_TERMS = replace(TERMS, published_thing=True, free=True)

#: Download getters of a resource → (fragment, media type).
DOWNLOADS: list[tuple[Callable[[Resource], str | None], str, str]] = [
    (Resource.get_download_owl, "owl", "application/rdf+xml"),
    (Resource.get_download_obo, "obo", "text/plain"),
    (Resource.get_download_obograph, "json", "application/json"),
    (Resource.get_download_rdf, "rdf", "application/rdf+xml"),
    (Resource.get_download_skos, "skos", "application/rdf+xml"),
]

#: Plain resource fields: (getter, predicates, kind). One loop emits them all.
RESOURCE_FIELDS: list[tuple[Callable[[Resource], Any], tuple[NamedNode, ...], str]] = [
    (Resource.get_name, (SCHEMA.name, DCT.title), "text"),
    (Resource.get_description, (SCHEMA.description, DCT.description), "text"),
    (Resource.get_keywords, (SCHEMA.keywords, DCAT.keyword), "texts"),
    (Resource.get_synonyms, (SCHEMA.alternateName,), "texts"),
    (Resource.get_homepage, (SCHEMA.url, DCAT.landingPage), "iri"),
    (Resource.get_logo, (SCHEMA.logo,), "iri"),
    (Resource.get_repository, (SCHEMA.codeRepository,), "iri"),
    (Resource.get_uri_format, (LIFECAT.uriFormat,), "text"),
    (Resource.get_pattern, (LIFECAT.identifierPattern,), "text"),
    (Resource.get_example, (LIFECAT.exampleIdentifier,), "text"),
    (Resource.get_version, (SCHEMA.version,), "text"),
]


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceFormatError(f"{path}: cannot be read as JSON ({error})") from error
    except RecursionError:
        raise SourceFormatError(f"{path}: cannot be read as JSON (nested too deeply)") from None


def read(path: Path | None) -> Iterator[SourceItem]:
    """Yield every registry, collection and resource record under ``path`` (default: the package's).

    ``path`` is ``bioregistry.json`` itself or a folder holding it; ``metaregistry.json`` and
    ``collections.json`` beside it are read when present.
    """
    if path is None:
        folder = Path(str(files("bioregistry") / "data"))
        registry_file = folder / REGISTRY_FILE
    elif path.is_dir():
        folder, registry_file = path, path / REGISTRY_FILE
    else:
        folder, registry_file = path.parent, path
    if not registry_file.exists():
        raise SourceFormatError(f"{registry_file}: no Bioregistry file {REGISTRY_FILE} here")
    registry = _load_json(registry_file)
    if not isinstance(registry, dict) or not all(isinstance(v, dict) for v in registry.values()):
        raise SourceFormatError(
            f"{registry_file}: not a Bioregistry registry (expected a JSON object of records keyed "
            "by prefix, as in the bioregistry package's bioregistry.json)"
        )
    uri_formats: dict[str, str] = {}
    meta_file = folder / METAREGISTRY_FILE
    if meta_file.exists():
        registries = _load_json(meta_file).get("metaregistry", [])
        for entry in registries:
            if isinstance(entry, dict) and entry.get("prefix") and entry.get("uri_format"):
                uri_formats[entry["prefix"]] = entry["uri_format"]
        for entry in registries:
            prefix = entry.get("prefix", "?") if isinstance(entry, dict) else "?"
            yield SourceItem(
                f"{meta_file}#{prefix}",
                {"kind": "registry", "key": prefix, "record": entry, "resource": registry.get(prefix)},
            )
    collections_file = folder / COLLECTIONS_FILE
    if collections_file.exists():
        for entry in _load_json(collections_file).get("collections", []):
            key = entry.get("identifier", "?") if isinstance(entry, dict) else "?"
            yield SourceItem(
                f"{collections_file}#{key}", {"kind": "collection", "key": key, "record": entry}
            )
    for prefix, entry in registry.items():
        yield SourceItem(
            f"{registry_file}#{prefix}",
            {"kind": "resource", "key": prefix, "record": entry, "registries": uri_formats},
        )


def to_rdf(item: dict[str, Any], mint: Minter) -> Record:
    """Map one raw Bioregistry item (as :func:`read` yields it) to its record."""
    kind, key, data = item["kind"], item["key"], item["record"]
    if not isinstance(data, dict):
        raise RecordError(kind, f"expected a JSON object, got {type(data).__name__}")
    if kind == "resource":
        return _resource(_parse(Resource, {**data, "prefix": key}), mint, item.get("registries", {}))
    if kind == "registry":
        # A registry's name, description and homepage live in its own resource record.
        resource = _parse(Resource, {**(item.get("resource") or {}), "prefix": key})
        return _registry(key, data, resource, mint)
    return _collection(_parse(Collection, data), mint)


def _parse(model: type[pydantic.BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        raise RecordError(".".join(map(str, first["loc"])) or model.__name__, first["msg"]) from error


def _resource(resource: Resource, mint: Minter, registries: dict[str, str]) -> Record:
    prefix = resource.prefix
    uri = mint.record("catalog", prefix)
    rec = Record(key=prefix, uri=uri, kind="catalog")
    rec.types(uri, SCHEMA.DataCatalog, DCAT.Dataset)
    rec.add(uri, DCT.conformsTo, BIOSCHEMAS_PROFILE["DataCatalog"])
    rec.text(uri, SCHEMA.identifier, prefix)
    rec.text(uri, DCT.identifier, prefix)
    rec.text(uri, DCT.source, f"bioregistry:{prefix}")
    for getter, predicates, kind in RESOURCE_FIELDS:
        value = getter(resource)
        for predicate in predicates:
            if kind == "text":
                rec.text(uri, predicate, value)
            elif kind == "texts":
                rec.texts(uri, predicate, value)
            else:
                rec.link(uri, predicate, value, field=getter.__name__.removeprefix("get_"))
    if resource.deprecated:
        rec.typed(uri, OWL.deprecated, True, XSD.boolean)
    licence = resource.get_license()
    if licence:
        iri = licence_iri(licence)
        if iri:
            rec.link(uri, DCT.license, iri, field="license")
            rec.link(uri, SCHEMA.license, iri, field="license")
        else:
            rec.text(uri, DCT.rights, licence)
            rec.notes.append(("license", f"{licence!r} names no known licence; kept as dct:rights"))
    pages = _providers(rec, resource, mint)
    for people in ([resource.contributor, *(resource.contributor_extras or [])],
                   [resource.reviewer, *(resource.reviewer_extras or [])]):
        pages += _people(rec, uri, SCHEMA.contributor, people, mint)
    for publication in resource.get_publications():
        article = _article(rec, mint, doi=publication.doi, pubmed=publication.pubmed,
                           pmc=publication.pmc, title=publication.title, year=publication.year)
        if article:
            rec.add(uri, SCHEMA.citation, article)
            pages.append(article)
    for parent in filter(None, [resource.part_of, resource.provides, resource.has_canonical]):
        rec.add(uri, SCHEMA.isPartOf if parent == resource.part_of else DCT.relation,
                mint.record("catalog", parent))
    for metaprefix, local_id in sorted((resource.mappings or {}).items()):
        tool = identifiers.uri(mint, "biotools", local_id) if metaprefix == "biotools" else None
        if tool is not None:  # the same resource as a bio.tools entry: one thing, two records
            rec.add(uri, OWL.sameAs, tool)
        rec.text(uri, SCHEMA.identifier, f"{metaprefix}:{local_id}")
        rec.add(uri, SCHEMA.includedInDataCatalog, mint.record("registry", metaprefix))
        if metaprefix in registries:
            rec.link(uri, SCHEMA.sameAs, registries[metaprefix].replace("$1", local_id),
                     field=f"mappings.{metaprefix}")
    for getter, suffix, media_type in DOWNLOADS:
        url = getter(resource)
        field_name = getter.__name__.removeprefix("get_")
        if url:
            node = NamedNode(f"{uri.value}#download-{suffix}")
            rec.types(node, DCAT.Distribution, SCHEMA.DataDownload)
            rec.text(node, DCT.title, f"{resource.get_name()} ({suffix.upper()} download)")
            rec.link(node, DCAT.downloadURL, url, field=field_name)
            rec.link(node, DCAT.accessURL, url, field=field_name)
            rec.link(node, SCHEMA.contentUrl, url, field=field_name)
            rec.text(node, SCHEMA.encodingFormat, media_type)
            rec.add(uri, DCAT.distribution, node)
            rec.add(uri, SCHEMA.distribution, node)
    for provider in resource.providers or []:
        node = NamedNode(f"{uri.value}#provider-{_slug(provider.code)}")
        rec.types(node, DCAT.DataService)
        rec.text(node, DCT.title, provider.name or provider.code)
        rec.text(node, DCT.description, provider.description)
        rec.link(node, SCHEMA.url, provider.homepage, field="providers.homepage")
        rec.text(node, LIFECAT.uriFormat, provider.uri_format)
        rec.add(node, DCAT.servesDataset, uri)
    entry = f"https://bioregistry.io/registry/{prefix}"
    _derived(rec, pages, entry)
    state(rec, rec.uri, TERMS, derived_from=entry)
    return rec


def _derived(rec: Record, pages: list[NamedNode], entry: str) -> None:
    """The people, organisations and articles a record names that have pages of their own (not its
    sub-nodes) were read from the Bioregistry's entry: it published their description."""
    own = rec.uri.value + "#"
    for page in dict.fromkeys(pages):
        if not page.value.startswith(own):
            state(rec, page, described(TERMS), derived_from=entry)


def _providers(rec: Record, resource: Resource, mint: Minter) -> list[NamedNode]:
    """Owners (organisations) are the provider and publisher; else the contact person provides.
    Returns the owners' and contacts' nodes."""
    orgs = []
    for owner in resource.owners or []:
        ror = identifiers.ror(owner.ror)
        org = identifiers.uri(mint, "ror", ror) or NamedNode(
            f"{rec.uri.value}#owner-{_slug(owner.name)}"
        )
        rec.types(org, SCHEMA.Organization)
        rec.add(org, DCT.conformsTo, BIOSCHEMAS_PROFILE["Organization"])
        rec.text(org, SCHEMA.name, owner.name)
        if ror:
            rec.text(org, SCHEMA.identifier, f"https://ror.org/{ror}")
            rec.link(org, SCHEMA.sameAs, f"https://ror.org/{ror}", field="owners.ror")
        if owner.wikidata:
            rec.link(org, SCHEMA.sameAs, f"http://www.wikidata.org/entity/{owner.wikidata}",
                     field="owners.wikidata")
        rec.add(rec.uri, SCHEMA.provider, org)
        rec.add(rec.uri, DCT.publisher, org)
        orgs.append(org)
    contacts = [resource.get_contact(), *(resource.contact_extras or [])]
    people = _people(rec, rec.uri, SCHEMA.maintainer, contacts, mint)
    if not resource.owners and people:
        rec.add(rec.uri, SCHEMA.provider, people[0])
    return orgs + people


def _people(rec: Record, subject: NamedNode, predicate: NamedNode, people: list[Any],
            mint: Minter) -> list[NamedNode]:
    """People with an ORCID become person records; others a node inside this record.

    E-mail addresses are never published.
    """
    nodes = []
    for person in people:
        if person is None or not (person.name or getattr(person, "orcid", None)):
            continue
        orcid = identifiers.orcid(getattr(person, "orcid", None))
        node = identifiers.uri(mint, "orcid", orcid) or NamedNode(
            f"{rec.uri.value}#person-{_slug(person.name)}"
        )
        rec.types(node, SCHEMA.Person)
        rec.add(node, DCT.conformsTo, BIOSCHEMAS_PROFILE["Person"])
        rec.text(node, SCHEMA.name, person.name)
        if orcid:
            rec.text(node, SCHEMA.identifier, f"https://orcid.org/{orcid}")
            rec.link(node, SCHEMA.sameAs, f"https://orcid.org/{orcid}", field="orcid")
        rec.add(subject, predicate, node)
        nodes.append(node)
    return nodes


def _article(rec: Record, mint: Minter, *, doi: str | None, pubmed: str | None, pmc: str | None,
             title: str | None, year: int | None) -> NamedNode | None:
    doi, pubmed = identifiers.doi(doi), identifiers.pubmed(pubmed)
    if not (doi or pubmed):
        rec.notes.append(("publications", f"publication {title!r} has neither DOI nor PubMed id"))
        return None
    node = identifiers.uri(mint, "doi", doi) or identifiers.uri(mint, "pubmed", pubmed)
    if node is None:
        return None
    identity.same_as(rec, node, mint, [("pubmed", pubmed), ("pmc", pmc)])
    rec.types(node, SCHEMA.ScholarlyArticle)
    rec.add(node, DCT.conformsTo, BIOSCHEMAS_PROFILE["ScholarlyArticle"])
    rec.text(node, SCHEMA.headline, title)
    rec.text(node, SCHEMA.name, title)
    if year:
        rec.typed(node, SCHEMA.datePublished, year, XSD.gYear)
    if doi:
        rec.text(node, SCHEMA.identifier, f"https://doi.org/{doi}")
        rec.link(node, SCHEMA.sameAs, f"https://doi.org/{doi}", field="publications.doi")
    if pubmed:
        rec.text(node, SCHEMA.identifier, f"pubmed:{pubmed}")
        rec.link(node, SCHEMA.sameAs, f"https://pubmed.ncbi.nlm.nih.gov/{pubmed}",
                 field="publications.pubmed")
    if pmc:
        rec.text(node, SCHEMA.identifier, f"pmc:{pmc}")
    return node


def _registry(prefix: str, raw: dict[str, Any], resource: Resource, mint: Minter) -> Record:
    uri = mint.record("registry", prefix)
    rec = Record(key=prefix, uri=uri, kind="registry")
    rec.types(uri, DCAT.Catalog, SCHEMA.DataCatalog)
    rec.add(uri, DCT.conformsTo, BIOSCHEMAS_PROFILE["DataCatalog"])
    rec.text(uri, SCHEMA.identifier, prefix)
    rec.text(uri, DCT.identifier, prefix)
    rec.text(uri, DCT.source, f"bioregistry.registry:{prefix}")
    for predicate in (SCHEMA.name, DCT.title):
        rec.text(uri, predicate, raw.get("name") or resource.get_name())
    for predicate in (SCHEMA.description, DCT.description):
        rec.text(uri, predicate, raw.get("description") or resource.get_description())
    for predicate in (SCHEMA.url, DCAT.landingPage):
        rec.link(uri, predicate, raw.get("homepage") or resource.get_homepage(), field="homepage")
    rec.text(uri, SCHEMA.alternateName, raw.get("short_name"))
    rec.link(uri, SCHEMA.logo, raw.get("logo") or resource.get_logo(), field="logo")
    rec.text(uri, LIFECAT.uriFormat, raw.get("uri_format"))
    rec.texts(uri, SCHEMA.keywords, resource.get_keywords())
    licence = licence_iri(raw.get("license") or resource.get_license())
    for predicate in (DCT.license, SCHEMA.license):
        rec.link(uri, predicate, licence, field="license")
    entry = f"https://bioregistry.io/metaregistry/{prefix}"
    _derived(rec, _people(rec, uri, SCHEMA.maintainer, [resource.get_contact()], mint), entry)
    state(rec, rec.uri, TERMS, derived_from=entry)
    return rec


def _collection(collection: Collection, mint: Minter) -> Record:
    uri = mint.record("collection", collection.identifier)
    rec = Record(key=collection.identifier, uri=uri, kind="collection")
    rec.types(uri, DCAT.Catalog, SCHEMA.Collection)
    rec.text(uri, SCHEMA.identifier, collection.identifier)
    rec.text(uri, DCT.identifier, collection.identifier)
    rec.text(uri, DCT.source, f"bioregistry.collection:{collection.identifier}")
    for predicate in (SCHEMA.name, DCT.title):
        rec.text(uri, predicate, collection.name)
    for predicate in (SCHEMA.description, DCT.description):
        rec.text(uri, predicate, collection.description)
    rec.texts(uri, SCHEMA.keywords, collection.keywords)
    for entry in collection.resources:
        prefix = entry if isinstance(entry, str) else entry.prefix
        member = mint.record("catalog", prefix)
        rec.add(uri, DCAT.dataset, member)
        rec.add(uri, SCHEMA.hasPart, member)
    entry = f"https://bioregistry.io/collection/{collection.identifier}"
    _derived(rec, _people(rec, uri, SCHEMA.creator, list(collection.contributors or []), mint)
             + _people(rec, uri, SCHEMA.maintainer, list(collection.maintainers or []), mint), entry)
    state(rec, rec.uri, COLLECTION_TERMS, derived_from=entry)
    return rec


def _slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "unnamed").lower()).strip("-") or "unnamed"

FORMAT = Format(
    name="bioregistry",
    summary="Bioregistry registry JSON (bioregistry.json [+ metaregistry.json, collections.json]); "
    "embedded default from the bioregistry package",
    read=read,
    to_rdf=to_rdf,
    embedded=True,
)
