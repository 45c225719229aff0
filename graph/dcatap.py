"""DCAT-AP 3 building blocks: the controlled vocabularies harvesters score, described offline.

DCAT-AP's range shapes want every licence, publisher, media type, language and theme a catalogue
mentions to be typed in the catalogue itself, since validators and harvesters often work without
dereferencing anything. :class:`Vocabulary` describes each such node once (typed and labelled) and
hands back its IRI; the catalogue stores the descriptions beside the entries that use them.

>>> vocab = Vocabulary()
>>> vocab.licence(NamedNode("http://spdx.org/licenses/CC-BY-4.0")).value
'http://spdx.org/licenses/CC-BY-4.0'
>>> sorted(str(t.object) for t in vocab.nodes["http://spdx.org/licenses/CC-BY-4.0"]
...        if t.predicate == SKOS.exactMatch)
['<http://publications.europa.eu/resource/authority/licence/CC_BY_4_0>']
>>> vocab.media_type("text/turtle").value
'https://www.iana.org/assignments/media-types/text/turtle'
>>> vocab.media_type("not a media type") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Triple

from lifecat.core.vocab import (
    DCT,
    EU_AUTHORITY,
    FOAF,
    IANA_MEDIA,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VCARD,
)

#: EU data themes (http://publications.europa.eu/resource/authority/data-theme), English labels.
DATA_THEMES = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
#: ADMS publisher types (http://purl.org/adms/publishertype/), English labels.
PUBLISHER_TYPES = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-governmental organisation",
    "NonProfitOrganisation": "Non-profit organisation",
    "PrivateIndividual(s)": "Private individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}
#: Media types → EU file types (http://publications.europa.eu/resource/authority/file-type).
FILE_TYPES = {
    "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/n-quads": "RDF_N_QUADS",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/json": "JSON",
    "text/plain": "TXT",
}
#: SPDX licence ids → EU licence authority codes, for the licences both lists name.
EU_LICENCES = {
    "CC0-1.0": "CC0", "CC-PDM-1.0": "CC_PDM_1_0", "PDDL-1.0": "ODC_PDDL", "ODC-By-1.0": "ODC_BY",
    "ODbL-1.0": "ODC_BL", "CC-BY-1.0": "CC_BY_1_0", "CC-BY-2.0": "CC_BY_2_0", "CC-BY-2.5": "CC_BY_2_5",
    "CC-BY-3.0": "CC_BY_3_0", "CC-BY-4.0": "CC_BY_4_0", "CC-BY-SA-2.0": "CC_BYSA_2_0",
    "CC-BY-SA-3.0": "CC_BYSA_3_0", "CC-BY-SA-4.0": "CC_BYSA_4_0", "CC-BY-NC-2.0": "CC_BYNC_2_0",
    "CC-BY-NC-2.5": "CC_BYNC_2_5", "CC-BY-NC-3.0": "CC_BYNC_3_0", "CC-BY-NC-4.0": "CC_BYNC_4_0",
    "CC-BY-ND-3.0": "CC_BYND_3_0", "CC-BY-ND-4.0": "CC_BYND_4_0", "CC-BY-NC-SA-2.0": "CC_BYNCSA_2_0",
    "CC-BY-NC-SA-2.5": "CC_BYNCSA_2_5", "CC-BY-NC-SA-3.0": "CC_BYNCSA_3_0",
    "CC-BY-NC-SA-4.0": "CC_BYNCSA_4_0", "CC-BY-NC-ND-3.0": "CC_BYNCND_3_0",
    "CC-BY-NC-ND-4.0": "CC_BYNCND_4_0", "0BSD": "0BSD", "AFL-3.0": "AFL_3_0",
    "AGPL-3.0-only": "AGPL_3_0", "AGPL-3.0-or-later": "AGPL_3_0_OR_LATER", "Apache-2.0": "APACHE_2_0",
    "Artistic-2.0": "ARTISTIC_2_0", "BSD-2-Clause": "BSD_2_CLAUSE", "BSD-3-Clause": "BSD_3_CLAUSE",
    "BSL-1.0": "BSL_1_0", "CDDL-1.0": "CDDL_1_0", "CECILL-2.1": "CECILL_2_1", "EPL-1.0": "EPL_1_0",
    "EPL-2.0": "EPL_2_0", "EUPL-1.2": "EUPL_1_2", "GPL-2.0-only": "GPL_2_0", "GPL-2.0": "GPL_2_0",
    "GPL-2.0-or-later": "GPL_2_0_OR_LATER", "GPL-3.0-only": "GPL_3_0", "GPL-3.0": "GPL_3_0",
    "GPL-3.0-or-later": "GPL_3_0_OR_LATER", "ISC": "ISC", "LGPL-2.1-only": "LGPL_2_1",
    "LGPL-2.1": "LGPL_2_1", "LGPL-3.0-only": "LGPL_3_0", "LGPL-3.0": "LGPL_3_0", "MIT": "MIT",
    "MPL-2.0": "MPL_2_0", "Python-2.0": "PYTHON_2_0",
}
#: Licence terms (ADMS licence types, http://purl.org/adms/licencetype/) by SPDX id family.
_PUBLIC_DOMAIN = {"CC0-1.0", "CC-PDM-1.0", "PDDL-1.0", "Unlicense", "0BSD", "CC-PDDC"}
_COPYLEFT = ("GPL", "AGPL", "LGPL", "EUPL", "MPL", "EPL", "CDDL", "CECILL", "GFDL", "ODbL")
_NOTICE = ("MIT", "BSD", "Apache", "ISC", "Zlib", "Artistic", "BSL", "Python", "W3C", "ODC-By",
           "OGL", "AFL")
_LICENCE_TYPE_LABELS = {
    "Attribution": "Attribution", "PublicDomain": "Public domain", "ShareAlike": "Share alike",
    "NonCommercialUseOnly": "Non-commercial use only", "NoDerivativeWork": "No derivative work",
}
SPDX_LICENCES = "http://spdx.org/licenses/"
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


def licence_types(spdx: str) -> list[str]:
    """The ADMS licence types an SPDX licence's terms imply (none for unknown ones).

    >>> licence_types("CC-BY-NC-SA-4.0")
    ['Attribution', 'NonCommercialUseOnly', 'ShareAlike']
    >>> licence_types("CC0-1.0"), licence_types("GPL-3.0-only"), licence_types("Proprietary")
    (['PublicDomain'], ['Attribution', 'ShareAlike'], [])
    """
    if spdx in _PUBLIC_DOMAIN:
        return ["PublicDomain"]
    parts = spdx.split("-")
    if parts[0] == "CC" and "BY" in parts:
        flags = {"NC": "NonCommercialUseOnly", "ND": "NoDerivativeWork", "SA": "ShareAlike"}
        return ["Attribution", *sorted(flags[p] for p in parts if p in flags)]
    if spdx.startswith(_COPYLEFT):
        return ["Attribution", "ShareAlike"]
    if spdx.startswith(_NOTICE):
        return ["Attribution"]
    return []


class Vocabulary:
    """Nodes a catalogue refers to, each described once so that the catalogue validates offline."""

    def __init__(self) -> None:
        self.nodes: dict[str, list[Triple]] = {}

    def _describe(self, node: NamedNode, rows: Iterable[tuple[NamedNode, NamedNode | Literal]],
                  nested: Iterable[NamedNode] = ()) -> NamedNode:
        """Describe ``node`` (adding to what is known of it); ``nested`` nodes' descriptions travel
        with it. A node can play two parts, such as a homepage that is also someone's licence."""
        known = self.nodes.setdefault(node.value, [])
        for triple in [Triple(node, p, o) for p, o in rows] + [
                t for n in nested for t in self.nodes[n.value]]:
            if triple not in known:
                known.append(triple)
        return node

    def concept(self, node: NamedNode, label: str) -> NamedNode:
        """A ``skos:Concept`` with its label (DCAT-AP's Category shape wants one)."""
        return self._describe(node, [(RDF.type, SKOS.Concept),
                                     (SKOS.prefLabel, Literal(label, language="en"))])

    def theme(self, code: str) -> NamedNode:
        """An EU data theme, in its concept scheme.

        :raises ValueError: for a code that is not an EU data theme.
        """
        if code not in DATA_THEMES:
            raise ValueError(f"unknown EU data theme {code!r}; known: {', '.join(sorted(DATA_THEMES))}")
        scheme = self.theme_scheme()
        node = EU_AUTHORITY[f"data-theme/{code}"]
        rows = [(RDF.type, SKOS.Concept), (SKOS.prefLabel, Literal(DATA_THEMES[code], language="en")),
                (SKOS.inScheme, scheme)]
        return self._describe(node, rows, [scheme])

    def theme_scheme(self) -> NamedNode:
        return self._describe(EU_AUTHORITY["data-theme"], [
            (RDF.type, SKOS.ConceptScheme), (DCT.title, Literal("Data theme", language="en"))])

    def language(self, code: str) -> NamedNode:
        return self._describe(EU_AUTHORITY[f"language/{code}"], [(RDF.type, DCT.LinguisticSystem)])

    def availability(self, code: str) -> NamedNode:
        """A planned availability (AVAILABLE, STABLE, …) from the EU authority table."""
        return self.concept(EU_AUTHORITY[f"planned-availability/{code}"], code.capitalize())

    def change_type(self, code: str) -> NamedNode:
        """An ADMS change type of a catalogue record (Created, Updated)."""
        return self.concept(NamedNode(f"http://purl.org/adms/changetype/{code}"), code)

    def rights(self, node: NamedNode) -> NamedNode:
        """A ``dct:RightsStatement``, such as an EU access right."""
        return self._describe(node, [(RDF.type, DCT.RightsStatement)])

    def file_format(self, node: NamedNode) -> NamedNode:
        """A file format named by its own IRI (an EDAM format), typed ``dct:MediaTypeOrExtent``."""
        return self._describe(node, [(RDF.type, DCT.MediaTypeOrExtent)])

    def contact_point(self, node: NamedNode, name: str, url: NamedNode) -> NamedNode:
        """An organisation's ``vcard:Kind`` contact point at ``url``, shared by whoever names it."""
        return self._describe(node, [(t.predicate, t.object)
                                     for t in contact(node, name, url=url, individual=False)])

    def document(self, node: NamedNode) -> NamedNode:
        return self._describe(node, [(RDF.type, FOAF.Document)])

    def standard(self, node: NamedNode) -> NamedNode:
        return self._describe(node, [(RDF.type, DCT.Standard)])

    def activity(self, node: NamedNode, label: str | None) -> NamedNode:
        return self._describe(node, [(RDF.type, PROV.Activity)] + (
            [(RDFS.label, Literal(label))] if label else []))

    def agent(self, node: NamedNode, name: str, kind: str | None = None) -> NamedNode:
        """A ``foaf:Agent`` with a name and, when known, its ADMS publisher type.

        :raises ValueError: for a publisher type ADMS does not define.
        """
        rows: list[tuple[NamedNode, NamedNode | Literal]] = [
            (RDF.type, FOAF.Agent), (FOAF.name, Literal(name))]
        nested = []
        if kind:
            if kind not in PUBLISHER_TYPES:
                raise ValueError(f"unknown ADMS publisher type {kind!r}; known: "
                                 f"{', '.join(sorted(PUBLISHER_TYPES))}")
            concept = NamedNode(f"http://purl.org/adms/publishertype/{kind}")
            nested.append(self.concept(concept, PUBLISHER_TYPES[kind]))
            rows.append((DCT.type, concept))
        return self._describe(node, rows, nested)

    def licence(self, node: NamedNode) -> NamedNode:
        """A ``dct:LicenseDocument``; SPDX licences get their EU equivalent and ADMS licence types."""
        rows: list[tuple[NamedNode, NamedNode | Literal]] = [(RDF.type, DCT.LicenseDocument)]
        nested = []
        if node.value.startswith(SPDX_LICENCES):
            spdx = node.value.removeprefix(SPDX_LICENCES)
            rows.append((DCT.identifier, Literal(spdx)))
            if spdx in EU_LICENCES:
                rows.append((SKOS.exactMatch, EU_AUTHORITY[f"licence/{EU_LICENCES[spdx]}"]))
            for kind in licence_types(spdx):
                concept = NamedNode(f"http://purl.org/adms/licencetype/{kind}")
                nested.append(self.concept(concept, _LICENCE_TYPE_LABELS[kind]))
                rows.append((DCT.type, concept))
        return self._describe(node, rows, nested)

    def media_type(self, media: str) -> NamedNode | None:
        """The IANA IRI of a media type, typed ``dct:MediaType`` (``None`` if it is not one)."""
        media = media.split(";")[0].strip().lower()
        if not _MEDIA_TYPE.match(media):
            return None
        return self._describe(IANA_MEDIA[media], [(RDF.type, DCT.MediaType)])

    def file_type(self, media: str) -> NamedNode | None:
        """The EU file type of a media type, typed ``dct:MediaTypeOrExtent``, when there is one."""
        code = FILE_TYPES.get(media.split(";")[0].strip().lower())
        if code is None:
            return None
        return self._describe(EU_AUTHORITY[f"file-type/{code}"], [
            (RDF.type, DCT.MediaTypeOrExtent), (SKOS.prefLabel, Literal(code.replace("_", " ")))])


def contact(node: NamedNode, name: str, *, url: NamedNode | None = None,
            uid: NamedNode | None = None, individual: bool = True) -> list[Triple]:
    """A ``vcard:Kind`` contact point: a name and, when known, a URL or a persistent identifier."""
    triples = [Triple(node, RDF.type, VCARD.Kind),
               Triple(node, RDF.type, VCARD.Individual if individual else VCARD.Organization),
               Triple(node, VCARD.fn, Literal(name))]
    if url:
        triples.append(Triple(node, VCARD.hasURL, url))
    if uid:
        triples.append(Triple(node, VCARD.hasUID, uid))
    return triples
