"""Build throughput at scale: lifecat's whole pipeline against a raw Oxigraph bulk load.

Generates N records in a source format — ``preprints`` (CSV, light records) or ``bioregistry``
(real records from the installed package, re-keyed) — runs ``lifecat build`` on them (read → map →
validate → load → derived artifacts → swap), then bulk-loads the very quads the build produced into a
fresh store, in the same run, and prints both, their ratio and the time of each build step.

    python bench/build_scale.py --format preprints --records 500000
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from pyoxigraph import RdfFormat
from pyoxigraph import Store as Oxigraph

from lifecat.core.config import Settings, SourceConfig
from lifecat.graph import derive
from lifecat.graph.build import build
from lifecat.graph.store import Store
from lifecat.graph.store.embedded import EmbeddedStore

WORDS = ("viral", "genome", "sequencing", "lineage", "protein", "structure", "cohort", "trial",
         "antibody", "vaccine", "transmission", "model", "epidemiology", "immune", "response",
         "clinical", "outcome")


def synthesize_preprints(records: int, folder: Path) -> None:
    with (folder / "preprints.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["source", "doi", "arxiv_id", "posted_date", "title", "abstract"])
        for n in range(records):
            words = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(12)]
            writer.writerow(["bioRxiv", f"10.1101/2020.{n // 100_000:02d}.{n:08d}", "NA",
                             f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}",
                             f"On {' '.join(words[:6])} ({n})", " ".join(words * 4)])


def synthesize(records: int, folder: Path) -> None:
    data = json.loads((Path(str(files("bioregistry"))) / "data" / "bioregistry.json").read_text())
    real = list(data.values())
    out = {f"{prefix}.{n}": real[n % len(real)]
           for n in range(records) for prefix in [list(data)[n % len(data)]]}
    (folder / "bioregistry.json").write_text(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--format", choices=["preprints", "bioregistry"], default="preprints")
    args = parser.parse_args()
    steps: dict[str, float] = {}
    for n, deriver in enumerate(derive.DERIVERS):
        derive.DERIVERS[n] = _timed(deriver, steps)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (synthesize_preprints if args.format == "preprints" else synthesize)(args.records, folder)
        path = folder / "preprints.csv" if args.format == "preprints" else folder
        settings = Settings(store=folder / "store")
        started = time.perf_counter()
        [report] = build(settings, [SourceConfig(format=args.format, path=str(path))],
                         progress=False, log=lambda _: None)
        built = time.perf_counter() - started
        dump = folder / "all.nq"
        store = Store.open(settings)
        assert isinstance(store, EmbeddedStore)
        reader = store.reader()
        reader.dump(str(dump), format=RdfFormat.N_QUADS)
        quads = sum(1 for _ in dump.open("rb"))
        started = time.perf_counter()
        Oxigraph(str(folder / "reference")).bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
        reference = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records read {report.read}, loaded {report.loaded}, quarantined {report.quarantined}; "
          f"{quads} quads")
    print(f"lifecat build:            {built:8.1f} s  {report.read / built:9.0f} records/s")
    print(f"bulk_load of same quads:  {reference:8.1f} s  {quads / reference:9.0f} quads/s")
    print(f"ratio build / bulk_load:  {built / reference:8.1f}x   peak RSS {peak:.0f} MB")
    print(f"  of which {'map + validate + load:':<33}{built - sum(steps.values()):7.1f} s")
    for name, seconds in steps.items():
        print(f"  of which {name + ':':<33}{seconds:7.1f} s")


def _timed(deriver: derive.Deriver, steps: dict[str, float]) -> derive.Deriver:
    def timed(context: derive.DeriveContext) -> None:
        started = time.perf_counter()
        deriver(context)
        steps[f"{deriver.__module__.rsplit('.', 1)[-1]}.{deriver.__name__}"] = (
            time.perf_counter() - started)
    return timed


if __name__ == "__main__":
    main()
