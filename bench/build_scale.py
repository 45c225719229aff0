"""Build throughput at scale: lifecat's whole pipeline against a raw Oxigraph bulk load.

Generates N records in a source format — ``preprints`` (CSV, light records) or ``bioregistry``
(real records from the installed package, re-keyed) — runs ``lifecat build`` on them (read → map →
validate → load → derived artifacts → swap), then bulk-loads the very quads the build produced into a
fresh store, in the same run, and prints both, their ratio and the time of each build step.

With ``--remote``, the build goes to an ``oxigraph serve`` started on 127.0.0.1 (staged in chunks over
the Graph Store Protocol, derived from by queries, swapped in by SPARQL Update), and the reference is
the same quads posted to that server's Graph Store endpoint in one request, its fastest way in.

    python bench/build_scale.py --format preprints --records 500000 [--remote]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

import httpx
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
    parser.add_argument("--remote", action="store_true", help="Build into an oxigraph serve on 127.0.0.1.")
    args = parser.parse_args()
    steps: dict[str, float] = {}
    for n, deriver in enumerate(derive.DERIVERS):
        derive.DERIVERS[n] = _timed(deriver, steps)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (synthesize_preprints if args.format == "preprints" else synthesize)(args.records, folder)
        path = folder / "preprints.csv" if args.format == "preprints" else folder
        with _store(folder, args.remote) as settings:
            started = time.perf_counter()
            [report] = build(settings, [SourceConfig(format=args.format, path=str(path))],
                             progress=False, log=lambda _: None)
            built = time.perf_counter() - started
            dump = folder / "all.nq"
            quads = _dump(Store.open(settings), dump)
        started = time.perf_counter()
        if args.remote:
            with _store(folder / "reference", True) as reference_settings:
                started = time.perf_counter()
                with dump.open("rb") as body:
                    httpx.post(str(reference_settings.store_graph_store), content=body, timeout=3600,
                               headers={"Content-Type": "application/n-quads"}).raise_for_status()
                reference = time.perf_counter() - started
        else:
            Oxigraph(str(folder / "reference")).bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
            reference = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    loading = built - sum(steps.values())
    reference_name = "one POST of the same quads" if args.remote else "bulk_load of same quads"
    print(f"records read {report.read}, loaded {report.loaded}, quarantined {report.quarantined}; "
          f"{quads} quads; store: {'oxigraph serve (remote)' if args.remote else 'embedded'}")
    print(f"lifecat build:            {built:8.1f} s  {report.read / built:9.0f} records/s")
    print(f"{reference_name + ':':<26}{reference:8.1f} s  {quads / reference:9.0f} quads/s")
    print(f"ratio build / reference:  {built / reference:8.1f}x   peak RSS {peak:.0f} MB")
    print(f"  of which {'map + validate + load:':<33}{loading:7.1f} s  {quads / loading:9.0f} quads/s")
    for name, seconds in steps.items():
        print(f"  of which {name + ':':<33}{seconds:7.1f} s")


@contextmanager
def _store(folder: Path, remote: bool) -> Iterator[Settings]:
    """Settings for a new store in ``folder``: embedded, or an ``oxigraph serve`` running meanwhile."""
    if not remote:
        yield Settings(store=str(folder / "store"))
        return
    folder.mkdir(parents=True, exist_ok=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(["oxigraph", "serve", "--location", str(folder / "oxigraph"),
                               "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.post(f"{url}/query", data={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if server.poll() is not None:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.1)
        yield Settings(store=f"{url}/query", store_update=f"{url}/update", store_graph_store=f"{url}/store",
                       artifacts=str(folder / "artifacts"))
    finally:
        server.terminate()
        server.wait(timeout=60)


def _dump(store: Store, path: Path) -> int:
    """Write every graph of the store as N-Quads to ``path``; return how many quads."""
    if isinstance(store, EmbeddedStore):
        store.reader().dump(str(path), format=RdfFormat.N_QUADS)
    else:
        with path.open("wb") as out:
            for graph in store.graphs():
                with tempfile.TemporaryFile() as part:
                    store.dump(graph, part)
                    part.seek(0)
                    for line in part:
                        out.write(line[:-3] + f" {graph} .\n".encode())
    return sum(1 for _ in path.open("rb"))


def _timed(deriver: derive.Deriver, steps: dict[str, float]) -> derive.Deriver:
    def timed(context: derive.DeriveContext) -> None:
        started = time.perf_counter()
        deriver(context)
        steps[f"{deriver.__module__.rsplit('.', 1)[-1]}.{deriver.__name__}"] = (
            time.perf_counter() - started)
    return timed


if __name__ == "__main__":
    main()
