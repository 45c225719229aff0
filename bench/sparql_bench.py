"""SPARQL throughput of lifecat against ``oxigraph serve-read-only`` over the same store and requests.

    pip install -e '.[bench]' && apt-get install wrk   # the oxigraph CLI server and the load generator
    python bench/sparql_bench.py                        # 1M triples, 5 s per cell

The store is the embedded Bioregistry build, its records copied under renamed IRIs (in the same
source graph) until it holds ``--triples`` triples: real record shapes at a larger scale. Quarantine
graphs are dropped, so both servers see the same default graph. Both servers run at once on the same
store; wrk drives each in turn with the same request mix (a point lookup SELECT by subject, a
DESCRIBE of one record and a COUNT by type) at each concurrency, after a warm-up and a correctness
check that both answer alike; each cell is measured ``--repeats`` times with the servers taking
turns in a shuffled order, and the median run is kept. It prints requests/s, p50/p99 latency and
the ratio lifecat / oxigraph, and writes them to ``bench/results/``."""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse

from lifecat.core.config import Settings
from lifecat.graph.build import build
from lifecat.graph.store import OXIGRAPH, GraphStore

BASE = "http://localhost:8000/"
HERE = Path(__file__).resolve().parent
SCENARIOS = {
    "point lookup": ("SELECT ?p ?o WHERE {{ <{s}> ?p ?o }}", "application/sparql-results+json"),
    "describe": ("DESCRIBE <{s}>", "text/turtle"),
    "count by type": ("SELECT ?type (COUNT(?s) AS ?n) WHERE {{ ?s a ?type }} GROUP BY ?type",
                      "application/sparql-results+json"),
}
WRK_SCRIPT = """
local paths, accept = {}, nil
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  accept = args[2]
  math.randomseed(tonumber(args[3]))
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Accept"] = accept})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "non2xx": %d, "errors": %d, '
    .. '"p50_ms": %f, "p99_ms": %f}\\n', summary.requests, summary.duration / 1e6, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))
end
"""


@dataclass
class Cell:
    server: str
    scenario: str
    concurrency: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    failures: int


def make_store(directory: Path, triples: int) -> list[str]:
    """Build (once) the bench store in ``directory``; return sample record IRIs."""
    graphs = GraphStore(directory)
    if not graphs.exists():
        settings = Settings(store=directory, base=BASE)
        build(settings, progress=False, log=lambda _: None)
        source = NamedNode(f"{BASE}graph/bioregistry")
        current = graphs.reader()
        per_copy = sum(1 for _ in current.quads_for_pattern(None, None, None, source))
        copies = max(0, math.ceil((triples - len(current)) / per_copy))
        originals = list(current.quads_for_pattern(None, None, None, source))
        private = f"{BASE}graph/quarantine/"
        graphs.replace_graphs(lambda q: q.graph_name.value.startswith(private),
                              (q for n in range(1, copies + 1) for q in _copy(originals, n)))
    store = graphs.reader()
    print(f"store: {len(store):,} triples in {graphs.path()}", file=sys.stderr)
    catalog = NamedNode("http://schema.org/DataCatalog")
    subjects = [q.subject.value for q in store.quads_for_pattern(None, NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), catalog)]
    return random.Random(1).sample(sorted(set(subjects)), 500)


def _copy(quads: list[Quad], n: int) -> list[Quad]:
    def term(t: object) -> object:
        if isinstance(t, NamedNode) and t.value.startswith(f"{BASE}id/"):
            return NamedNode(t.value.replace("/id/", f"/id/copy{n}-", 1))
        if isinstance(t, BlankNode):
            return BlankNode(f"{t.value}c{n}")
        return t

    return [Quad(term(q.subject), q.predicate, term(q.object), q.graph_name) for q in quads]  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def paths(query: str, subjects: list[str]) -> list[str]:
    texts = {query.format(s=s) for s in subjects} if "{s}" in query else {query}
    return [f"/sparql?query={quote(t)}" for t in sorted(texts)]


def run_wrk(url: str, path_file: Path, accept: str, concurrency: int, seconds: int,
            script: Path) -> dict[str, float]:
    command = ["wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{seconds}s",
               "--timeout", "30s", "-s", str(script), url,
               "--", str(path_file), accept, str(random.randrange(1 << 30))]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="Store size to build.")
    parser.add_argument("--store", type=Path, default=Path(tempfile.gettempdir()) / "lifecat-bench-store")
    parser.add_argument("--duration", type=int, default=5, help="Seconds per measurement.")
    parser.add_argument("--repeats", type=int, default=3, help="Measurements per cell (the median is kept).")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--workers", type=int, default=2, help="lifecat server processes.")
    parser.add_argument("--query-workers", type=int, default=2, help="Queries at once per web process.")
    parser.add_argument("--query-mode", choices=["inline", "workers"], default="inline")
    parser.add_argument("--cpu-affinity", action=argparse.BooleanOptionalAction, default=True,
                        help="Keep each lifecat server process on one CPU (lifecat serve's default).")
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    args = parser.parse_args()
    for tool in ("wrk", "oxigraph", "lifecat"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not on PATH: pip install -e '.[bench]' and apt-get install wrk")

    subjects = make_store(args.store, args.triples)
    location = GraphStore(args.store).path() / OXIGRAPH
    ports = {"lifecat": free_port(), "oxigraph": free_port()}
    env = {**os.environ, "LIFECAT_BASE": BASE}
    servers = {
        "lifecat": subprocess.Popen(
            ["lifecat", "--store", str(args.store), "serve", "--port", str(ports["lifecat"]),
             "--workers", str(args.workers), "--query-workers", str(args.query_workers),
             "--query-mode", args.query_mode,
             "--cpu-affinity" if args.cpu_affinity else "--no-cpu-affinity",
             "--no-access-log"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        "oxigraph": subprocess.Popen(
            ["oxigraph", "serve-read-only", "--location", str(location), "--union-default-graph",
             "--bind", f"127.0.0.1:{ports['oxigraph']}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    }
    urls = {"lifecat": f"http://127.0.0.1:{ports['lifecat']}/sparql",
            "oxigraph": f"http://127.0.0.1:{ports['oxigraph']}/query"}
    cells: list[Cell] = []
    try:
        for name, url in urls.items():
            wait_for(url, servers[name])
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "bench.lua"
            script.write_text(WRK_SCRIPT)
            order = random.Random(7)
            for scenario in args.scenarios:
                query, accept = SCENARIOS[scenario]
                requests = paths(query, subjects)
                failures = sum(not _agree(urls, p, accept) for p in requests[:10])
                files = {}
                for name, url in urls.items():
                    files[name] = Path(tmp) / f"{name}.paths"
                    prefix = "/sparql" if name == "lifecat" else "/query"
                    files[name].write_text("".join(p.replace("/sparql", prefix, 1) + "\n" for p in requests))
                    run_wrk(url.rsplit("/", 1)[0], files[name], accept, 4, 1, script)  # warm-up
                for concurrency in args.concurrency:
                    runs: dict[str, list[dict[str, float]]] = {name: [] for name in urls}
                    for _ in range(args.repeats):  # the servers take turns, in a shuffled order
                        for name in order.sample(list(urls), len(urls)):
                            runs[name].append(run_wrk(urls[name].rsplit("/", 1)[0], files[name], accept,
                                                      concurrency, args.duration, script))
                    for name, measured in runs.items():
                        r = sorted(measured, key=lambda m: m["requests"] / m["seconds"])[len(measured) // 2]
                        cells.append(Cell(name, scenario, concurrency, r["requests"] / r["seconds"],
                                          r["p50_ms"], r["p99_ms"],
                                          failures + sum(int(m["non2xx"] + m["errors"]) for m in measured)))
                        print(f"{scenario:>14} c={concurrency:<3} {name:<9} "
                              f"{cells[-1].requests_per_s:9.0f} req/s  p50 {r['p50_ms']:7.2f} ms  "
                              f"p99 {r['p99_ms']:7.2f} ms  failures {cells[-1].failures}", file=sys.stderr)
    finally:
        for process in servers.values():
            process.terminate()
            process.wait(timeout=30)
    report(cells, args)


def _agree(urls: dict[str, str], path: str, accept: str) -> bool:
    """Whether both servers give the same answer to ``path`` (results or triples compared as sets)."""
    got = []
    for url in urls.values():
        target = url + path.removeprefix("/sparql")
        response = httpx.get(target, headers={"Accept": accept}, timeout=60)
        if response.status_code != 200:
            return False
        if accept == "text/turtle":
            got.append(sorted(str(t) for t in parse(response.content, format=RdfFormat.TURTLE)))
        else:
            got.append(sorted(json.dumps(r, sort_keys=True) for r in response.json()["results"]["bindings"]))
    return got[0] == got[1]


def report(cells: list[Cell], args: argparse.Namespace) -> None:
    by = {(c.server, c.scenario, c.concurrency): c for c in cells}
    lines = ["| request | concurrency | lifecat req/s | p50 / p99 ms | oxigraph req/s | p50 / p99 ms | "
             "lifecat / oxigraph |", "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario in args.scenarios:
        for concurrency in args.concurrency:
            lc, ox = by[("lifecat", scenario, concurrency)], by[("oxigraph", scenario, concurrency)]
            lines.append(f"| {scenario} | {concurrency} | {lc.requests_per_s:,.0f} | "
                         f"{lc.p50_ms:.2f} / {lc.p99_ms:.2f} | {ox.requests_per_s:,.0f} | "
                         f"{ox.p50_ms:.2f} / {ox.p99_ms:.2f} | "
                         f"**{lc.requests_per_s / ox.requests_per_s:.2f}x** |")
    table = "\n".join(lines)
    print(table)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (results / f"sparql-{stamp}.json").write_text(json.dumps({
        "arguments": {k: str(v) for k, v in vars(args).items()}, "cpus": os.cpu_count(),
        "cells": [asdict(c) for c in cells]}, indent=2))
    (results / f"sparql-{stamp}.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
