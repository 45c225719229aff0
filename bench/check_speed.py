"""How fast ``lifecat check`` is: a 1,000-record file and a single page, with pyshacl for reference.

Three inputs, each checked warm (the shapes compiled once, as a ``/validate`` worker keeps them):

- 1,000 ComputationalTool records in one JSON-LD file (``@graph``), made from a test fixture under
  renamed ids: every default profile (ComputationalTool, lifecat's own) runs;
- 1,000 DCAT datasets in one Turtle catalogue, against DCAT-AP 3.0.1 (mandatory and recommended);
- one page (``tests/fixtures/check/page.html``, or the real GTN training page of the shared samples
  when ``LIFECAT_SAMPLES`` is set), everything that applies.

The reference is pyshacl in the same run on the same triples, with the main profile's shapes only
(ComputationalTool; DCAT-AP; the page's profile): ``lifecat check`` also reads the input (JSON-LD,
RDFa, microdata), maps markup as a build would and runs lifecat's own shapes, which pyshacl does not.

    python bench/check_speed.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyshacl
import rdflib

from lifecat.graph import markup
from lifecat.graph.check import check
from lifecat.graph.profiles import find, profiles

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures" / "check"


def tools(n: int) -> bytes:
    tool = json.loads((FIXTURES / "tool-complete.jsonld").read_text())
    context = tool.pop("@context")
    graph = []
    for i in range(n):
        copy = dict(tool, name=f"seqfold{i}")
        copy["@id"] = copy["url"] = f"https://tools.example.org/seqfold{i}"
        if i % 3 == 0:
            del copy["license"]
        graph.append(copy)
    return json.dumps({"@context": context, "@graph": graph}).encode()


def catalogue(n: int) -> bytes:
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .",
             "<https://data.example.org/c> a dcat:Catalog ; dct:title 'c'@en ; dct:description 'd'@en ;"
             " dct:publisher <https://data.example.org/p> ."]
    for i in range(n):
        lines.append(f"<https://data.example.org/c> dcat:dataset <https://data.example.org/d{i}> . "
                     f"<https://data.example.org/d{i}> a dcat:Dataset ; dct:title 'T{i}'@en ; "
                     f"dct:description 'D {i}'@en ; dcat:keyword 'k' ; "
                     f"dcat:distribution <https://data.example.org/d{i}/x> . "
                     f"<https://data.example.org/d{i}/x> a dcat:Distribution ; "
                     f"dcat:accessURL <https://data.example.org/d{i}/a> .")
    return "\n".join(lines).encode()


def timed(work: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for profile in profiles().values():  # warm, as a /validate worker is
        for part in profile.parts:
            _ = part.compiled
    samples = os.environ.get("LIFECAT_SAMPLES")
    real = Path(samples) / "api" / "bioschemas" / "tess-gtn-galaxy-intro-101.html" if samples else None
    page = real if real and real.is_file() else FIXTURES / "page.html"
    cases = [("1,000 tools, JSON-LD", "tools.jsonld", tools(1000), None, "ComputationalTool"),
             ("1,000 datasets, Turtle, DCAT-AP", "catalogue.ttl", catalogue(1000), ["dcat-ap"], "dcat-ap"),
             (f"one page ({page.name})", page.name, page.read_bytes(), None,
              "TrainingMaterial" if page == real else "Sample")]
    print(f"| input | record checks | findings | lifecat check, everything (median of {args.repeats}) | "
          "pyshacl, the main profile's shapes only | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for title, name, data, chosen, reference in cases:
        def run(name: str = name, data: bytes = data, chosen: list[str] | None = chosen) -> object:
            documents = markup.read(name, data, markup.media_type(name))
            return check(documents, [find(c) for c in chosen] if chosen else None)

        seconds, report = timed(run, args.repeats)
        triples = [t for d in markup.read(name, data, markup.media_type(name)) for t in d.triples]
        graph = rdflib.Graph().parse(data="\n".join(f"{t} ." for t in triples), format="nt")
        shapes = rdflib.Graph()
        for part in find(reference).parts:
            shapes += part.graph
        reference_seconds, _ = timed(lambda graph=graph, shapes=shapes: pyshacl.validate(
            graph, shacl_graph=shapes, inference="none", advanced=False), 1)
        print(f"| {title} | {len(set(report.checked))} | {len(report.findings)} | {seconds:.3f} s | "
              f"{reference_seconds:.3f} s | {reference_seconds / seconds:.1f}x |")


if __name__ == "__main__":
    main()
