"""Every vocabulary lifecat writes, named once.

>>> SCHEMA.name
<NamedNode value=http://schema.org/name>
>>> str(DCAT["Dataset"])
'<http://www.w3.org/ns/dcat#Dataset>'
"""

from __future__ import annotations

from pyoxigraph import NamedNode


class Namespace:
    """An IRI prefix whose attributes and items are :class:`NamedNode` terms.

    >>> Namespace("http://purl.org/dc/terms/").title
    <NamedNode value=http://purl.org/dc/terms/title>
    """

    def __init__(self, iri: str) -> None:
        self.iri = iri

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        term = NamedNode(self.iri + name)
        setattr(self, name, term)  # mappings name a term per triple: later uses are plain lookups
        return term

    def __getitem__(self, name: str) -> NamedNode:
        return getattr(self, name) if name.isidentifier() and name != "iri" else NamedNode(self.iri + name)

    def __str__(self) -> str:
        return self.iri

    def __repr__(self) -> str:
        return f"Namespace({self.iri!r})"


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SCHEMA = Namespace("http://schema.org/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
#: EU Publications Office authority tables (DCAT-AP's controlled vocabularies).
EU_AUTHORITY = Namespace("http://publications.europa.eu/resource/authority/")
#: IANA media types, as DCAT-AP names them.
IANA_MEDIA = Namespace("https://www.iana.org/assignments/media-types/")
LIFECAT = Namespace("https://w3id.org/lifecat/ontology#")
#: lifecat's shapes: records with no Bioschemas profile (trials, studies) conform to these.
SHAPES = Namespace("https://w3id.org/lifecat/shapes#")
BIOSCHEMAS = Namespace("https://bioschemas.org/")
EDAM = Namespace("http://edamontology.org/")
NCBITAXON = Namespace("http://purl.obolibrary.org/obo/NCBITaxon_")
#: The EU access-rights authority table that DCAT-AP requires for ``dct:accessRights``.
ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
#: Unique URIs for media formats, used by the SPARQL Service Description.
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

#: Prefixes used when lifecat serialises Turtle or compacts JSON-LD.
PREFIXES: dict[str, str] = {
    name: namespace.iri
    for name, namespace in {
        "rdf": RDF,
        "rdfs": RDFS,
        "owl": OWL,
        "xsd": XSD,
        "schema": SCHEMA,
        "dcat": DCAT,
        "dct": DCT,
        "foaf": FOAF,
        "prov": PROV,
        "sh": SH,
        "void": VOID,
        "sd": SD,
        "hydra": HYDRA,
        "vcard": VCARD,
        "spdx": SPDX,
        "skos": SKOS,
        "dcatap": DCATAP,
        "lifecat": LIFECAT,
    }.items()
}


def compact(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """``prefix:local`` for IRIs in a namespace of ``prefixes``.

    >>> compact("http://schema.org/name")
    'schema:name'
    >>> compact("https://example.org/x")
    'https://example.org/x'
    """
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


#: What a record's properties say of it, each group in order of preference: read alike by pages,
#: Dublin Core tags, Signposting, the search index and the mappings.
LABELS = (SCHEMA.name, DCT.title, SCHEMA.headline)
DESCRIPTIONS = (SCHEMA.description, DCT.description)
IDENTIFIERS = (SCHEMA.identifier, DCT.identifier, SCHEMA.sameAs)
LICENCES = (DCT.license, SCHEMA.license)
KEYWORDS = (SCHEMA.keywords, DCAT.keyword)

#: Bioschemas profiles the records declare with ``dct:conformsTo``.
BIOSCHEMAS_PROFILE = {
    "DataCatalog": NamedNode("https://bioschemas.org/profiles/DataCatalog/0.3-RELEASE-2019_07_01"),
    "Dataset": NamedNode("https://bioschemas.org/profiles/Dataset/1.0-RELEASE"),
    "ComputationalTool": NamedNode("https://bioschemas.org/profiles/ComputationalTool/1.0-RELEASE"),
    "Sample": NamedNode("https://bioschemas.org/profiles/Sample/0.2-RELEASE-2018_11_10"),
    "ScholarlyArticle": NamedNode("https://bioschemas.org/profiles/ScholarlyArticle/0.2-DRAFT"),
    "Person": NamedNode("https://bioschemas.org/profiles/Person/0.3-DRAFT"),
    "Organization": NamedNode("https://bioschemas.org/profiles/Organization/0.3-DRAFT"),
    "Taxon": NamedNode("https://bioschemas.org/profiles/Taxon/1.0-RELEASE"),
    "FormalParameter": NamedNode("https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE"),
}
