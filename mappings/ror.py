"""ROR: organisation records in schema v2 and the older v1 layout, one per file or a dump's array.

Each record becomes a Bioschemas Organization at ``id/organization/{ror id}``, the node every other
source (Bioregistry owners, tool credits, Bioschemas markup) mints for that ROR id. Relationships
link to the related organisations' nodes; GRID, ISNI, Wikidata and FundRef ids become identifiers
and ``schema:sameAs`` links. Both layouts are read into one :class:`Organisation` first, so the RDF
is written once. ROR v1's ``email_address`` is never published.

ROR published the description, not the organisation (:data:`TERMS`): each record says so, that it
was derived from the ROR record, and, from schema v2's ``admin``, when ROR created and last modified it.

>>> from lifecat.core.uris import Minter
>>> v1 = {"id": "https://ror.org/00vawn972", "name": "Infrafrontier", "types": ["Nonprofit"],
...       "email_address": "info@example.org", "relationships": [],
...       "external_ids": {"GRID": {"preferred": "grid.474101.7", "all": "grid.474101.7"}}}
>>> record = to_rdf(v1, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/organization/00vawn972>
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith("sameAs"))
['https://ror.org/00vawn972', 'https://www.grid.ac/institutes/grid.474101.7']
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith(("sdLicense", "DerivedFrom")))
['http://spdx.org/licenses/CC0-1.0', 'https://ror.org/00vawn972']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field as Described
from pyoxigraph import NamedNode

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT, BIOSCHEMAS_PROFILE, DCT, OWL, SCHEMA, XSD
from lifecat.mappings import identity
from lifecat.mappings.rdf import Format, ReadError, Record, RecordError, SourceItem
from lifecat.mappings.source_terms import Publisher, SourceTerms, state
from lifecat.mappings.sourcefiles import Row, files, load_json, not_format, parse
from lifecat.mappings.values import add_date

NAME = "ror"
EXPECTED = "a ROR organisation record (schema v1 or v2) or a JSON array of them, as in ROR's data dump"
#: ROR releases its data under CC0 1.0 (SOURCE.md of the sample); its records are open to all, free.
TERMS = SourceTerms(
    publisher=Publisher("Research Organization Registry (ROR)", "https://ror.org/"), published_thing=False,
    licence="http://spdx.org/licenses/CC0-1.0", access=ACCESS_RIGHT.PUBLIC, free=True)


class V2Name(Row):
    """A name of an organisation (ROR v2)."""

    value: str = Described(description="The name.")
    types: list[str] = Described(default_factory=list, description="ror_display, label, alias, acronym.")
    lang: str | None = Described(None, description="ISO 639-1 language code.")


class V2Link(Row):
    """A typed link (ROR v2)."""

    type: str | None = Described(None, description="website or wikipedia.")
    value: str = Described(description="The URL.")


class GeonamesDetails(Row):
    """A place as GeoNames describes it."""

    name: str | None = Described(None, description="City name.")
    country_code: str | None = Described(None, description="ISO 3166-1 alpha-2 code.")
    country_subdivision_name: str | None = Described(None, description="Region.")


class V2Location(Row):
    """Where an organisation is (ROR v2)."""

    geonames_id: int | None = Described(None, description="GeoNames id of the city.")
    geonames_details: GeonamesDetails | None = Described(None, description="The city's details.")


class V2ExternalId(Row):
    """Another registry's id for the organisation (ROR v2)."""

    type: str = Described(description="grid, isni, wikidata or fundref.")
    all: list[str] = Described(default_factory=list, description="All ids of this type.")
    preferred: str | None = Described(None, description="The preferred id of this type.")


class AdminDate(Row):
    """A dated event of a ROR record (schema v2)."""

    date: str | None = Described(None, description="YYYY-MM-DD.")


class Admin(Row):
    """When ROR created and last modified a record (schema v2)."""

    created: AdminDate | None = Described(None, description="The record's creation.")
    last_modified: AdminDate | None = Described(None, description="The record's last modification.")


class Relationship(Row):
    """A relationship to another ROR organisation."""

    type: str = Described(description="parent, child, related, successor or predecessor.")
    id: str = Described(description="The other organisation's ROR id.")


class RorV2(Row):
    """A ROR schema 2.x record."""

    id: str = Described(description="The ROR id (URL).")
    names: list[V2Name] = Described(description="Names, one marked ror_display.")
    types: list[str] = Described(default_factory=list, description="education, funder, facility, ….")
    status: str | None = Described(None, description="active, inactive or withdrawn.")
    established: int | None = Described(None, description="Year founded.")
    links: list[V2Link] = Described(default_factory=list, description="Website and Wikipedia links.")
    locations: list[V2Location] = Described(default_factory=list, description="Locations.")
    external_ids: list[V2ExternalId] = Described(default_factory=list, description="Other ids.")
    relationships: list[Relationship] = Described(default_factory=list, description="Related organisations.")
    admin: Admin | None = Described(None, description="The record's creation and modification dates.")


class V1Label(Row):
    """A name in another language (ROR v1)."""

    label: str = Described(description="The name.")
    iso639: str | None = Described(None, description="Language code.")


class V1GeonamesCity(Row):
    """A city as ROR v1 cites GeoNames."""

    id: int | None = Described(None, description="GeoNames id.")
    city: str | None = Described(None, description="City name.")


class V1Address(Row):
    """An address (ROR v1)."""

    city: str | None = Described(None, description="City.")
    state: str | None = Described(None, description="State or region.")
    geonames_city: V1GeonamesCity | None = Described(None, description="The city in GeoNames.")


class V1Country(Row):
    """A country (ROR v1)."""

    country_code: str | None = Described(None, description="ISO 3166-1 alpha-2 code.")


class V1ExternalId(Row):
    """Another registry's ids (ROR v1): ``all`` is a list or, for GRID, a single string."""

    preferred: str | None = Described(None, description="The preferred id.")
    all: list[str] | str = Described(default_factory=list, description="All ids.")


class RorV1(Row):
    """A ROR schema 1.x record."""

    id: str = Described(description="The ROR id (URL).")
    name: str = Described(description="The organisation's name.")
    aliases: list[str] = Described(default_factory=list, description="Other names.")
    acronyms: list[str] = Described(default_factory=list, description="Acronyms.")
    labels: list[V1Label] = Described(default_factory=list, description="Names in other languages.")
    types: list[str] = Described(default_factory=list, description="Education, Nonprofit, ….")
    status: str | None = Described(None, description="active, inactive or withdrawn.")
    established: int | None = Described(None, description="Year founded.")
    links: list[str] = Described(default_factory=list, description="Websites.")
    wikipedia_url: str | None = Described(None, description="Wikipedia page.")
    country: V1Country | None = Described(None, description="Country.")
    addresses: list[V1Address] = Described(default_factory=list, description="Addresses.")
    external_ids: dict[str, V1ExternalId] = Described(default_factory=dict, description="Other ids by type.")
    relationships: list[Relationship] = Described(default_factory=list, description="Related organisations.")


@dataclass
class Organisation:
    """What lifecat keeps of a ROR record, whichever schema version it came in."""

    ror: str
    name: str
    other_names: list[tuple[str, str | None]] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    status: str | None = None
    established: int | None = None
    websites: list[str] = field(default_factory=list)
    wikipedia: list[str] = field(default_factory=list)
    places: list[tuple[str | None, str | None, str | None, int | None]] = field(default_factory=list)
    external: list[tuple[str, str]] = field(default_factory=list)
    relationships: list[tuple[str, str]] = field(default_factory=list)
    created: str | None = None
    modified: str | None = None


#: External id types → (identifier template, resolver template).
EXTERNAL = {
    "grid": ("grid:{}", "https://www.grid.ac/institutes/{}"),
    "isni": ("isni:{}", "https://isni.org/isni/{}"),
    "wikidata": ("wikidata:{}", "http://www.wikidata.org/entity/{}"),
    "fundref": ("fundref:{}", "https://doi.org/10.13039/{}"),
}
#: Relationship types → predicate from this organisation to the other.
RELATIONSHIPS = {
    "parent": SCHEMA.parentOrganization,
    "child": SCHEMA.subOrganization,
    "related": DCT.relation,
    "successor": DCT.isReplacedBy,
    "predecessor": DCT.replaces,
}


#: The fields besides its id that every ROR record (v1 and v2) has: an object with them is a record.
RECORD_FIELDS = frozenset({"types", "status"})


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every ROR record in a file (one record or a dump's array) or a folder of them.

    A record without a ROR id is yielded with a :class:`ReadError`, for the build to quarantine.
    """
    for file in files(path, (".json",)):
        document = load_json(file, NAME, EXPECTED)
        records = document if isinstance(document, list) else [document]
        if not any(isinstance(r, dict) and (_ror_id(r) or r.keys() >= RECORD_FIELDS) for r in records):
            raise not_format(file, NAME, EXPECTED)
        for n, record in enumerate(records, start=1):
            ident = _ror_id(record)
            error = None if ident else ReadError("record has no id", f"record {n} of the file has no ROR id")
            yield SourceItem(f"{file}#{ident or f'item-{n}'}", record, error=error)


def _ror_id(record: object) -> str | None:
    """The last part of a record's ROR id (``https://ror.org/02catss52`` → ``02catss52``)."""
    ident = str(record.get("id") or "") if isinstance(record, dict) else ""
    return ident.rsplit("/", 1)[-1] if "ror.org/" in ident else None


def to_rdf(data: dict[str, Any], mint: Minter) -> Record:
    """Map one ROR record (v1 or v2) to its record."""
    org = _v2(parse(RorV2, data)) if "names" in data else _v1(parse(RorV1, data))
    key = identifiers.key("ror", org.ror)
    if not key:
        raise RecordError("id", f"{org.ror!r} is not a ROR id")
    uri = mint.record("organization", key)
    rec = Record(key=key, uri=uri, kind="organization")
    rec.types(uri, SCHEMA.Organization)
    rec.add(uri, DCT.conformsTo, BIOSCHEMAS_PROFILE["Organization"])
    identity.describe(rec, mint, [("ror", org.ror)], field="id", node=uri)
    rec.text(uri, SCHEMA.name, org.name)
    for name, lang in org.other_names:
        rec.text(uri, SCHEMA.alternateName, name, lang=lang)
    rec.texts(uri, SCHEMA.additionalType, [t.lower() for t in org.types])
    if org.established:
        rec.typed(uri, SCHEMA.foundingDate, f"{org.established:04d}", XSD.gYear)
    if org.status in {"inactive", "withdrawn"}:
        rec.typed(uri, OWL.deprecated, True, XSD.boolean)
    for url in org.websites:
        rec.link(uri, SCHEMA.url, url, field="links")
    for url in org.wikipedia:
        rec.link(uri, SCHEMA.sameAs, url, field="links.wikipedia")
    for n, (city, region, country, geonames) in enumerate(org.places, start=1):
        address = NamedNode(f"{uri.value}#address-{n}")
        rec.types(address, SCHEMA.PostalAddress)
        rec.text(address, SCHEMA.addressLocality, city)
        rec.text(address, SCHEMA.addressRegion, region)
        rec.text(address, SCHEMA.addressCountry, country)
        rec.add(uri, SCHEMA.address, address)
        if geonames:
            rec.link(uri, SCHEMA.location, f"https://sws.geonames.org/{geonames}/", field="locations")
    for kind, value in org.external:
        identifier, resolver = EXTERNAL[kind]
        rec.text(uri, SCHEMA.identifier, identifier.format(value))
        rec.link(uri, SCHEMA.sameAs, resolver.format(value), field=f"external_ids.{kind}")
    for kind, other in org.relationships:
        target = identifiers.uri(mint, "ror", other)
        if kind in RELATIONSHIPS and target is not None:
            rec.add(uri, RELATIONSHIPS[kind], target)
        else:
            rec.notes.append(("relationships", f"{kind} {other!r} is not a ROR relationship lifecat knows"))
    add_date(rec, uri, SCHEMA.dateCreated, org.created, field="admin.created.date")
    add_date(rec, uri, SCHEMA.dateModified, org.modified, field="admin.last_modified.date")
    state(rec, uri, TERMS, derived_from=identifiers.SCHEMES["ror"].resolver(key))
    return rec


def _v2(record: RorV2) -> Organisation:
    display = next((n for n in record.names if "ror_display" in n.types), None)
    label = display or next((n for n in record.names if "label" in n.types), None)
    if label is None:
        raise RecordError("names", "no name marked ror_display or label")
    org = Organisation(ror=record.id, name=label.value, types=record.types, status=record.status,
                       established=record.established)
    org.other_names = [(n.value, n.lang) for n in record.names if n is not label]
    org.websites = [link.value for link in record.links if link.type != "wikipedia"]
    org.wikipedia = [link.value for link in record.links if link.type == "wikipedia"]
    for location in record.locations:
        details = location.geonames_details or GeonamesDetails()
        org.places.append((details.name, details.country_subdivision_name, details.country_code,
                           location.geonames_id))
    for ext in record.external_ids:
        org.external += [(ext.type.lower(), _external(ext.type, v)) for v in ext.all or [ext.preferred] if v]
    org.relationships = [(r.type.lower(), r.id) for r in record.relationships]
    admin = record.admin or Admin()
    org.created = (admin.created or AdminDate()).date
    org.modified = (admin.last_modified or AdminDate()).date
    return _known_external(org)


def _v1(record: RorV1) -> Organisation:
    org = Organisation(ror=record.id, name=record.name, types=record.types, status=record.status,
                       established=record.established, websites=record.links)
    org.other_names = [(a, None) for a in record.aliases + record.acronyms]
    org.other_names += [(label.label, label.iso639) for label in record.labels]
    org.wikipedia = [record.wikipedia_url] if record.wikipedia_url else []
    country = record.country.country_code if record.country else None
    for address in record.addresses:
        city = address.geonames_city or V1GeonamesCity()
        org.places.append((address.city or city.city, address.state, country, city.id))
    if country and not org.places:
        org.places.append((None, None, country, None))
    for kind, ext in record.external_ids.items():
        values = [ext.all] if isinstance(ext.all, str) else ext.all or [ext.preferred]
        org.external += [(kind.lower(), _external(kind, v)) for v in values if v]
    org.relationships = [(r.type.lower(), r.id) for r in record.relationships]
    return _known_external(org)


def _external(kind: str, value: str) -> str:
    return value.replace(" ", "") if kind.lower() == "isni" else value.strip()


def _known_external(org: Organisation) -> Organisation:
    org.external = [(kind, value) for kind, value in dict.fromkeys(org.external) if kind in EXTERNAL]
    return org


FORMAT = Format(
    name=NAME,
    summary="ROR organisation records, schema v2 or v1, one per file or the data dump's JSON array",
    read=read,
    to_rdf=to_rdf,
)
