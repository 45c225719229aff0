"""Measure: DCAT-AP 3.0.1 recommended-level warnings on the whole catalogue of the real samples.

Run ``LIFECAT_SAMPLES=/work/shared/data python bench/dcat_ap_recommended.py``: builds every sample a
lifecat format reads (``tests/utils/samples.py``) into a temporary store, exports the whole catalogue
and validates it with pyshacl against ``shapes_recommended.ttl`` and ``range.ttl`` (found through
``LIFECAT_CONFORMANCE``, else ``../shared/conformance/dcat-ap-3.0.1`` beside the clone). Prints the
results per (severity, focus class, property) and their total; ``--catalogue FILE`` validates an
existing export (``catalog.nt.gz``) instead of building.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pyshacl
import rdflib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lifecat.core.config import Settings, SourceConfig  # noqa: E402
from lifecat.graph.build import build  # noqa: E402
from lifecat.graph.catalog import Catalogue  # noqa: E402
from lifecat.graph.store import Store  # noqa: E402
from tests.utils.samples import SAMPLES  # noqa: E402

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SHAPE_FILES = ("shapes_recommended.ttl", "range.ttl")


def conformance() -> Path:
    folder = os.environ.get("LIFECAT_CONFORMANCE")
    return Path(folder) if folder else ROOT / "../shared/conformance/dcat-ap-3.0.1"


def build_catalogue(samples: Path, folder: Path) -> bytes:
    """The whole catalogue of the samples, as N-Triples."""
    settings = Settings(store=folder / "store", base="http://lifecat.test/")
    build(settings, [SourceConfig(format=f, path=str(samples / p)) for f, p in SAMPLES],
          progress=False, log=lambda _: None)
    return gzip.decompress(Catalogue(Store.open(settings).artifacts())
                           .export("application/n-triples").read_bytes())


def target_classes(shapes: rdflib.Graph) -> dict[rdflib.term.Node, str]:
    """Each shape → the class its node shape targets (property shapes through their node shape)."""
    found: dict[rdflib.term.Node, str] = {}
    for node, target in shapes.subject_objects(SH.targetClass):
        name = shapes.qname(target)
        found[node] = name
        for prop in shapes.objects(node, SH.property):
            found[prop] = name
    return found


def tally(data: rdflib.Graph, shapes: rdflib.Graph) -> Counter[tuple[str, str, str]]:
    """(severity, focus class, property) → how many results."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    classes = target_classes(shapes)
    counts: Counter[tuple[str, str, str]] = Counter()
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        counts[(str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                classes.get(report.value(result, SH.sourceShape), "?"),
                shapes.qname(path) if path is not None else "(node)")] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", type=Path, help="an existing catalog.nt.gz to validate")
    args = parser.parse_args()
    shapes = rdflib.Graph()
    for name in SHAPE_FILES:
        shapes.parse(conformance() / name, format="turtle")
    if args.catalogue:
        text = gzip.decompress(args.catalogue.read_bytes())
    else:
        samples = os.environ.get("LIFECAT_SAMPLES")
        if not samples:
            sys.exit("set LIFECAT_SAMPLES to the shared samples (../shared/data)")
        with tempfile.TemporaryDirectory() as folder:
            text = build_catalogue(Path(samples), Path(folder))
    data = rdflib.Graph().parse(data=text, format="nt")
    counts = tally(data, shapes)
    print(f"{len(data)} triples")
    for (severity, focus, path), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0])):
        print(f"{n:7d}  {severity:9s} {focus:22s} {path}")
    print(f"{sum(counts.values()):7d}  total")


if __name__ == "__main__":
    main()
