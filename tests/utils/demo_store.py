"""The demo graph: the cases the default data lacks (10,000 incoming links, markup in literals, a DOI,
an ORCID author, a download, a warning, a quarantined record), as quads for a real store."""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from lifecat.core.uris import Minter
from lifecat.core.vocab import BIOSCHEMAS_PROFILE, DCAT, DCT, LIFECAT, PROV, RDF, SCHEMA, SH, XSD

DEMO_BASE = "http://demo.test/"
DEMO = Minter(DEMO_BASE)
TARGET = DEMO.record("dataset", "target")
AUTHOR = DEMO.record("person", "0000-0002-1825-0097")
HOSTILE = "<script>alert('x')</script> & <b>more</b>"
INCOMING = 10_000
CITING = 3
ENDED = "2024-05-01T10:00:00Z"


def demo_quads() -> Iterator[Quad]:
    graph, quarantine, meta = DEMO.graph("demo"), DEMO.quarantine_graph("demo"), DEMO.meta_graph

    def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal, g: NamedNode = graph) -> Quad:
        return Quad(s, p, o, g)

    download = NamedNode(f"{TARGET.value}#download")
    yield from [
        q(TARGET, RDF.type, SCHEMA.Dataset), q(TARGET, RDF.type, DCAT.Dataset),
        q(TARGET, DCT.conformsTo, BIOSCHEMAS_PROFILE["Dataset"]),
        q(TARGET, SCHEMA.name, Literal("Target <b>dataset</b>")),
        q(TARGET, SCHEMA.description, Literal(HOSTILE)),
        q(TARGET, SCHEMA.keywords, Literal("demonstration")),
        q(TARGET, SCHEMA.identifier, Literal("demo:0001")),
        q(TARGET, SCHEMA.sameAs, NamedNode("https://doi.org/10.5555/DEMO.1")),
        q(TARGET, SCHEMA.url, NamedNode("https://example.org/target")),
        q(TARGET, SCHEMA.license, NamedNode("http://spdx.org/licenses/CC0-1.0")),
        q(TARGET, SCHEMA.creator, AUTHOR),
        q(TARGET, DCAT.distribution, download),
        q(TARGET, SCHEMA.distribution, download),
        q(download, RDF.type, DCAT.Distribution), q(download, RDF.type, SCHEMA.DataDownload),
        q(download, SCHEMA.contentUrl, NamedNode("https://example.org/target.csv")),
        q(download, DCAT.downloadURL, NamedNode("https://example.org/target.csv")),
        q(download, DCAT.mediaType, NamedNode("https://www.iana.org/assignments/media-types/text/csv")),
        q(AUTHOR, RDF.type, SCHEMA.Person),
        q(AUTHOR, SCHEMA.name, Literal("Josiah Carberry")),
        q(AUTHOR, SCHEMA.sameAs, NamedNode("https://orcid.org/0000-0002-1825-0097")),
    ]
    for n in range(INCOMING):
        sample = DEMO.record("sample", f"s{n:05d}")
        yield q(sample, RDF.type, SCHEMA.Thing)
        yield q(sample, SCHEMA.name, Literal(f"Sample {n:05d}"))
        yield q(sample, SCHEMA.isPartOf, TARGET)
    for n in range(CITING):
        article = DEMO.record("article", f"a{n}")
        yield q(article, RDF.type, SCHEMA.ScholarlyArticle)
        yield q(article, SCHEMA.name, Literal(f"Article {n}"))
        yield q(article, SCHEMA.citation, TARGET)
    bad = DEMO.record("dataset", "quarantined")
    yield q(bad, RDF.type, SCHEMA.Dataset, quarantine)
    yield q(bad, SCHEMA.name, Literal("Quarantined dataset"), quarantine)
    yield q(bad, SCHEMA.isPartOf, TARGET, quarantine)
    load = NamedNode(f"{graph.value}/load/1")
    yield from [q(load, RDF.type, PROV.Activity, meta), q(load, PROV.generated, graph, meta),
                q(load, PROV.endedAtTime, Literal(ENDED, datatype=XSD.dateTime), meta)]
    report, result = NamedNode(f"{graph.value}/report/target"), NamedNode(f"{graph.value}/report/target#r1")
    yield from [q(report, RDF.type, SH.ValidationReport, meta), q(report, LIFECAT.reportFor, TARGET, meta),
                q(report, SH.conforms, Literal("true", datatype=XSD.boolean), meta),
                q(report, SH.result, result, meta), q(result, SH.resultSeverity, SH.Warning, meta),
                q(result, SH.resultMessage, Literal("a demo warning"), meta)]
