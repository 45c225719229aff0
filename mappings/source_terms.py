"""What lifecat knows of each source as a publication, stated on every record it gives.

A record read alone (by a FAIR assessor, a harvester, a search engine) should say who published it,
under which licence or terms its metadata may be reused, how open the thing it describes is, and
which record at the publisher it was derived from. Sources rarely repeat these in each record, but
they are facts of the source itself (its SOURCE.md and the publisher's own pages), so each mapping
declares them once, as a :class:`SourceTerms` table, and calls :func:`state` for each record.

Who published: ``schema:publisher`` (and ``dct:publisher``, for DCAT readers) when the source
published the thing itself (a sequence record in GenBank, a trial registration in its registry, a
preprint on its server); otherwise the source published only a *description* of the thing (ROR of an
organisation, bio.tools of a tool, the Bioregistry of a database), and says so with
``schema:sdPublisher``, the publisher of the structured data: the thing's own publisher, if the
description names one, stays its only ``dct:publisher``.

Licence: the record's own licence wins (a tool's software licence, a dataset's data licence, given
per record). Otherwise the licence the source grants for its metadata, as an SPDX IRI: the record's
``schema:license``/``dct:license`` when the source published the thing, and ``schema:sdLicense``
(the licence of the structured data) when it published a description, as a tool is not licensed
under bio.tools' terms; a source that grants none gives the page of its terms (``schema:usageInfo``).
Access rights and whether the thing is free to read are stated only where the source says so.

>>> from pyoxigraph import NamedNode
>>> from lifecat.core.vocab import ACCESS_RIGHT
>>> terms = SourceTerms(publisher=Publisher("ROR", "https://ror.org/"), published_thing=False,
...                     licence="http://spdx.org/licenses/CC0-1.0", access=ACCESS_RIGHT.PUBLIC, free=True)
>>> rec = Record("04b7vsa94", NamedNode("http://lc/id/organization/04b7vsa94"), "organization")
>>> state(rec, rec.uri, terms, derived_from="https://ror.org/04b7vsa94")
>>> sorted({t.predicate.value.rsplit("/", 1)[-1] for t in rec.triples if t.subject == rec.uri})
['accessRights', 'isAccessibleForFree', 'prov#wasDerivedFrom', 'sdLicense', 'sdPublisher']
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from pyoxigraph import NamedNode

from lifecat.core.vocab import DCT, LICENCES, PROV, SCHEMA, XSD
from lifecat.mappings.rdf import Record
from lifecat.mappings.values import slug

#: The fragment (with the publisher's host) of a record's IRI naming its source's publisher.
PUBLISHER_FRAGMENT = "source-publisher"


@dataclass(frozen=True)
class Publisher:
    """The organisation that publishes a source: its name and home page."""

    name: str
    url: str


def publisher_iri(node: NamedNode, publisher: Publisher) -> NamedNode:
    """The sub-node of ``node`` naming ``publisher``, keyed by its home page's host, so that two
    sources describing one record (two trial registries) give two publishers, not one with two names;
    by its name where it has no home page.

    >>> publisher_iri(NamedNode("http://lc/id/trial/NCT1"), Publisher("WHO", "https://www.who.int/")).value
    'http://lc/id/trial/NCT1#source-publisher-who-int'
    """
    host = (urlsplit(publisher.url).hostname or "").removeprefix("www.")
    return NamedNode(f"{node.value}#{PUBLISHER_FRAGMENT}-{slug(host or publisher.name)}")


@dataclass(frozen=True)
class SourceTerms:
    """A source's publisher, terms and openness.

    ``published_thing``: whether the publisher published the thing a record describes (GenBank a
    sequence record) rather than only a description of it (ROR an organisation).
    ``licence``: SPDX IRI of the licence granted for the source's metadata, if any; ``terms``: the
    page of its terms of use, for a source that grants no licence. ``access``: an EU access-right IRI
    (``ACCESS_RIGHT.PUBLIC`` …) for the records' things, where the source says; ``free``: whether
    they can be read at no cost, where it says; ``conditions``: the access conditions in words.
    """

    publisher: Publisher
    published_thing: bool
    access: NamedNode | None = None
    free: bool | None = None
    licence: str | None = None
    terms: str | None = None
    conditions: str | None = None


def described(terms: SourceTerms) -> SourceTerms:
    """``terms`` for what a record names that has a page of its own (a person, an article it cites):
    the source published that description, under its licence; how open the thing is, it does not say.
    """
    return SourceTerms(publisher=terms.publisher, published_thing=False, licence=terms.licence,
                       terms=terms.terms)


def state(rec: Record, node: NamedNode, terms: SourceTerms, *, derived_from: str | None) -> None:
    """State ``terms`` on ``node`` (a record's main node), and that it was derived from the
    publisher's record at ``derived_from``; a licence of the thing only if the record states none."""
    publisher = publisher_iri(node, terms.publisher)
    rec.types(publisher, SCHEMA.Organization)
    rec.text(publisher, SCHEMA.name, terms.publisher.name)
    rec.link(publisher, SCHEMA.url, terms.publisher.url, field="publisher")
    if terms.published_thing:
        rec.add(node, SCHEMA.publisher, publisher)
        rec.add(node, DCT.publisher, publisher)
    else:
        rec.add(node, SCHEMA.sdPublisher, publisher)
    licensed = any(t.subject == node and t.predicate in LICENCES for t in rec.triples)
    if terms.licence and not terms.published_thing:
        rec.link(node, SCHEMA.sdLicense, terms.licence, field="licence")
    elif terms.licence and not licensed:
        rec.link(node, SCHEMA.license, terms.licence, field="licence")
        rec.link(node, DCT.license, terms.licence, field="licence")
    elif terms.terms and not licensed:
        rec.link(node, SCHEMA.usageInfo, terms.terms, field="terms")
    if terms.access is not None:
        rec.add(node, DCT.accessRights, terms.access)
    if terms.free is not None:
        rec.typed(node, SCHEMA.isAccessibleForFree, terms.free, XSD.boolean)
    rec.text(node, SCHEMA.conditionsOfAccess, terms.conditions)
    rec.link(node, PROV.wasDerivedFrom, derived_from, field="source record")
