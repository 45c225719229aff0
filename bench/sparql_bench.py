"""SPARQL throughput of lifecat against Oxigraph's own server over the same store and requests.

    pip install -e '.[bench]' && apt-get install wrk   # the oxigraph CLI server and the load generator
    python bench/sparql_bench.py                        # 1M triples, 5 s per cell, both scenarios

Two scenarios (``--scenarios embedded,remote``, both by default), measured in the same run:

- **embedded**: ``lifecat serve`` on its embedded store (an Oxigraph generation in a folder) against
  ``oxigraph serve-read-only --union-default-graph`` on that very generation;
- **remote**: ``lifecat serve`` whose ``store`` is an ``oxigraph serve`` (read-write, on 127.0.0.1),
  against that same ``oxigraph serve`` queried directly. It runs with ``--union-default-graph``, so a
  plain query sees every graph, as lifecat's public dataset does; lifecat's own requests name the
  public graphs instead (``default-graph-uri``/``named-graph-uri``), so the server is also measured
  given exactly that dataset, which isolates what lifecat in front adds.

Each store is built once through lifecat's own :class:`~lifecat.graph.store.Store` (so the remote one
has its generation marker and derived artifacts): the embedded Bioregistry build, then its records
copied under renamed IRIs (in the same source graph) until it holds ``--triples`` triples, real record
shapes at a larger scale. Quarantine graphs are dropped, so every server sees the same default graph.
The remote store is compacted (``oxigraph optimize``) once built, as a bulk-loaded generation is.
All servers run at once; wrk drives each in turn with the same request mix (a point lookup SELECT by
subject, a DESCRIBE of one record and a COUNT by type) at each concurrency, after a warm-up and a
correctness check that the servers of a scenario answer alike; each cell is measured ``--repeats``
times with all the servers taking turns in a shuffled order, and the median run is kept. For the
remote scenario it also measures what lifecat in front costs per request (how many requests each
``/sparql`` request sends the store, and their latencies one at a time). It prints requests/s,
p50/p99 latency and the ratios lifecat / Oxigraph per scenario, with the command line, and writes
them to ``bench/results/``."""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse

from lifecat import queries
from lifecat.core.config import Settings
from lifecat.core.sparql import bind
from lifecat.graph.build import build
from lifecat.graph.derive import deriving
from lifecat.graph.store import Change, Store
from lifecat.graph.store.embedded import OXIGRAPH, EmbeddedStore
from lifecat.graph.store.remote import NO_GRAPH, RemoteStore

BASE = "http://localhost:8000/"
HERE = Path(__file__).resolve().parent
TMP = Path(tempfile.gettempdir())
REQUESTS = {
    "point lookup": ("SELECT ?p ?o WHERE {{ <{s}> ?p ?o }}", "application/sparql-results+json"),
    "describe": ("DESCRIBE <{s}>", "text/turtle"),
    "count by type": ("SELECT ?type (COUNT(?s) AS ?n) WHERE {{ ?s a ?type }} GROUP BY ?type",
                      "application/sparql-results+json"),
}


@dataclass(frozen=True)
class Role:
    """A server of a scenario: the first is lifecat, the others the references it is divided by."""

    server: str
    label: str
    ratio: str = ""


#: Per scenario: lifecat, then its references (the embedded table keeps its historical columns).
SCENARIOS = {
    "embedded": (Role("lifecat", "lifecat"), Role("oxigraph-read-only", "oxigraph", "lifecat / oxigraph")),
    "remote": (Role("lifecat-remote", "lifecat → oxigraph serve"),
               Role("oxigraph-serve", "oxigraph serve alone", "lifecat / oxigraph serve"),
               Role("oxigraph-serve-dataset", "oxigraph serve, lifecat's dataset",
                    "lifecat / oxigraph serve, same dataset")),
}
TITLES = {
    "embedded": "Embedded store: `lifecat serve` vs `oxigraph serve-read-only --union-default-graph`, "
                "same generation",
    "remote": "Remote store: `lifecat serve` with `store` = an `oxigraph serve --union-default-graph` vs "
              "that `oxigraph serve` queried alone (plain, and given the `default-graph-uri`/"
              "`named-graph-uri` lifecat sends)",
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
    scenario: str
    server: str
    request: str
    concurrency: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    failures: int


@dataclass
class Server:
    """A SPARQL endpoint under load: ``url`` + ``path`` + ``?query=…`` + ``suffix``; ``owned``: its
    process is stopped with it (two endpoints may be one process)."""

    name: str
    url: str
    path: str
    process: subprocess.Popen[bytes]
    suffix: str = ""
    owned: bool = True

    def endpoint(self, query: str) -> str:
        return f"{self.path}{query}{self.suffix}"


# The stores


def fill_store(settings: Settings, triples: int) -> Store:
    """Build the bench store ``settings`` name, through lifecat's own store interface."""
    started = time.perf_counter()
    build(settings, progress=False, log=lambda _: None)
    store = Store.open(settings)
    source = NamedNode(f"{BASE}graph/bioregistry")
    with tempfile.TemporaryFile() as dump:
        store.dump(source, dump)
        dump.seek(0)
        originals = [Quad(q.subject, q.predicate, q.object, source)
                     for q in parse(dump, format=RdfFormat.N_TRIPLES)]
    copies = max(0, math.ceil((triples - count_triples(store)) / len(originals)))
    quarantine = frozenset(g for g in store.graphs() if g.value.startswith(f"{BASE}graph/quarantine/"))
    store.replace(Change((q for n in range(1, copies + 1) for q in _copy(originals, n)),
                         replace=quarantine, edit={source: None}), deriving(settings))
    print(f"built {settings.store} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return store


def _copy(quads: list[Quad], n: int) -> list[Quad]:
    def term(t: object) -> object:
        if isinstance(t, NamedNode) and t.value.startswith(f"{BASE}id/"):
            return NamedNode(t.value.replace("/id/", f"/id/copy{n}-", 1))
        if isinstance(t, BlankNode):
            return BlankNode(f"{t.value}c{n}")
        return t

    return [Quad(term(q.subject), q.predicate, term(q.object), q.graph_name) for q in quads]  # type: ignore[arg-type]


def count_triples(store: Store) -> int:
    """Triples in the store's public graphs (what every server of a scenario serves)."""
    [row] = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").solutions()
    return int(row["n"].value)


def sample_subjects(store: Store) -> list[str]:
    """500 catalogue records, the same ones in any store holding the same data."""
    rows = store.query("SELECT DISTINCT ?s WHERE { ?s a <http://schema.org/DataCatalog> }").solutions()
    return random.Random(1).sample(sorted(row["s"].value for row in rows), 500)


def describe(store: Store, folder: Path) -> dict[str, Any]:
    return {"store": str(folder), "generation": store.generation(), "triples": count_triples(store)}


# The servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(servers: dict[str, Server], name: str, command: list[str], path: str,
          env: dict[str, str] | None = None) -> Server:
    """Start a server on a free loopback port (``command`` + ``--port``/``--bind``), its output
    discarded, and record it in ``servers``, to be stopped by its PID."""
    port = free_port()
    bind_to = ["--port", str(port)] if command[0] == "lifecat" else ["--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen([*command, *bind_to], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    servers[name] = server = Server(name, f"http://127.0.0.1:{port}", path, process)
    return server


def wait_for(server: Server) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} ({shlex.join(map(str, server.process.args))}) exited with "
                               f"{server.process.returncode}")
        try:
            httpx.get(server.url + server.path, params={"query": "ASK {}"}, timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not start")


def stop(servers: dict[str, Server]) -> None:
    """Stop the servers this script started (by their PIDs), the lifecat ones first."""
    for server in sorted(servers.values(), key=lambda s: s.name.startswith("oxigraph")):
        if not server.owned:
            continue
        if server.process.poll() is None:
            server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def start_embedded(args: argparse.Namespace, servers: dict[str, Server], lifecat: list[str],
                   env: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    args.store.mkdir(parents=True, exist_ok=True)
    settings = Settings(store=str(args.store), base=BASE)
    store = Store.open(settings)
    if not store.exists():
        store = fill_store(settings, args.triples)
    assert isinstance(store, EmbeddedStore)
    start(servers, "lifecat", ["lifecat", "--store", str(args.store), *lifecat], "/sparql", env)
    location = str(store.artifacts() / OXIGRAPH)
    start(servers, "oxigraph-read-only",
          ["oxigraph", "serve-read-only", "--location", location, "--union-default-graph"], "/query")
    return describe(store, args.store), sample_subjects(store)


def start_remote(args: argparse.Namespace, servers: dict[str, Server], lifecat: list[str],
                 env: dict[str, str]) -> tuple[dict[str, Any], list[str], Settings]:
    folder = args.remote_store
    folder.mkdir(parents=True, exist_ok=True)
    command = ["oxigraph", "serve", "--location", str(folder / "oxigraph"), "--union-default-graph"]
    artifacts = str(folder / "artifacts")

    def serve() -> tuple[Server, Settings]:
        server = start(servers, "oxigraph-serve", command, "/query")
        wait_for(server)
        return server, Settings(store=f"{server.url}/query", store_update=f"{server.url}/update",
                                store_graph_store=f"{server.url}/store", artifacts=artifacts, base=BASE)

    server, settings = serve()
    if not Store.open(settings).exists():
        fill_store(settings, args.triples)
        stop({server.name: server})  # settle the store the many loads and moves left behind
        subprocess.run(["oxigraph", "optimize", "--location", str(folder / "oxigraph")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server, settings = serve()
    store = Store.open(settings)
    assert isinstance(store, RemoteStore)
    dataset = store.dataset()  # the public graphs, as lifecat's every request names them
    named = dataset.named or (NO_GRAPH,)
    default = named if dataset.default is None else dataset.default
    servers["oxigraph-serve-dataset"] = Server(
        "oxigraph-serve-dataset", server.url, server.path, server.process, owned=False,
        suffix="&" + urlencode([*(("default-graph-uri", g.value) for g in default),
                                *(("named-graph-uri", g.value) for g in named)]))
    start(servers, "lifecat-remote", ["lifecat", "--store", settings.store, *lifecat], "/sparql",
          {**env, "LIFECAT_STORE_UPDATE": f"{server.url}/update",
           "LIFECAT_STORE_GRAPH_STORE": f"{server.url}/store", "LIFECAT_ARTIFACTS": artifacts})
    return describe(store, folder), sample_subjects(store), settings


# Measuring


def paths(query: str, subjects: list[str]) -> list[str]:
    texts = {query.format(s=s) for s in subjects} if "{s}" in query else {query}
    return [f"?query={quote(t)}" for t in sorted(texts)]


def run_wrk(url: str, path_file: Path, accept: str, concurrency: int, seconds: int,
            script: Path) -> dict[str, float]:
    command = ["wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{seconds}s",
               "--timeout", "30s", "-s", str(script), url,
               "--", str(path_file), accept, str(random.randrange(1 << 30))]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _agree(first: Server, second: Server, query: str, accept: str) -> bool:
    """Whether both servers give the same answer to ``query`` (results or triples compared as sets)."""
    got = []
    for server in (first, second):
        response = httpx.get(server.url + server.endpoint(query), headers={"Accept": accept}, timeout=60)
        if response.status_code != 200:
            return False
        if accept == "text/turtle":
            got.append(sorted(str(t) for t in parse(response.content, format=RdfFormat.TURTLE)))
        else:
            got.append(sorted(json.dumps(r, sort_keys=True) for r in response.json()["results"]["bindings"]))
    return got[0] == got[1]


def measure(args: argparse.Namespace, servers: dict[str, Server], subjects: list[str]) -> list[Cell]:
    """Every cell of every scenario: all servers take turns, in a shuffled order, in each repeat."""
    cells: list[Cell] = []
    scenario_of = {role.server: scenario for scenario in args.scenarios for role in SCENARIOS[scenario]}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(WRK_SCRIPT)
        order = random.Random(7)
        for request in args.requests:
            query, accept = REQUESTS[request]
            requests = paths(query, subjects)
            failures = {}  # per server: sampled answers that differ from lifecat's
            for scenario in args.scenarios:
                ours, *references = (servers[role.server] for role in SCENARIOS[scenario])
                for reference in references:
                    failures[reference.name] = sum(not _agree(ours, reference, p, accept)
                                                   for p in requests[:10])
                failures[ours.name] = max(failures[r.name] for r in references)
            files = {}
            for name, server in servers.items():
                files[name] = Path(tmp) / f"{name}.paths"
                files[name].write_text("".join(server.endpoint(p) + "\n" for p in requests))
                run_wrk(server.url, files[name], accept, 4, 1, script)  # warm-up
            for concurrency in args.concurrency:
                runs: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
                for _ in range(args.repeats):  # the servers take turns, in a shuffled order
                    for name in order.sample(list(servers), len(servers)):
                        runs[name].append(run_wrk(servers[name].url, files[name], accept, concurrency,
                                                  args.duration, script))
                for name, measured in runs.items():
                    r = sorted(measured, key=lambda m: m["requests"] / m["seconds"])[len(measured) // 2]
                    cells.append(Cell(scenario_of[name], name, request, concurrency,
                                      r["requests"] / r["seconds"], r["p50_ms"], r["p99_ms"],
                                      failures[name] + sum(int(m["non2xx"] + m["errors"]) for m in measured)))
                    print(f"{request:>14} c={concurrency:<3} {name:<22} "
                          f"{cells[-1].requests_per_s:9.0f} req/s  p50 {r['p50_ms']:7.2f} ms  "
                          f"p99 {r['p99_ms']:7.2f} ms  failures {cells[-1].failures}", file=sys.stderr)
    return cells


def remote_overhead(settings: Settings, subject: str, requests: list[str], budget: float) -> dict[str, Any]:
    """What lifecat in front of a remote store costs per public query, measured in this process.

    - ``store_requests``: the requests one ``/sparql`` request sends the store, counted through
      lifecat's own ``/sparql`` handler (the app in-process, inline query mode, after a warm-up);
    - ``latency_ms``: one request at a time, the steps interleaved in a shuffled order, medians over
      ``budget`` seconds per request kind: the query sent straight to ``oxigraph serve`` (no lifecat),
      the generation marker query alone, the query as lifecat sends it (public graphs listed, answer
      parsed and serialised again), and the whole :meth:`Store.query` serialised as ``/sparql`` does.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's deprecation of httpx in its test client
        from starlette.testclient import TestClient

    from lifecat.endpoint.app import create_app

    store = Store.open(settings)
    assert isinstance(store, RemoteStore)
    marker = urlencode([("query", bind(queries.load("store/generation"), meta=store.mint.meta_graph))])
    sent: list[str] = []

    def count(request: httpx.Request) -> None:
        sent.append("marker" if request.content.startswith(marker.encode()) else "other")

    out: dict[str, Any] = {"store_requests": {}, "latency_ms": {}}
    store.client.event_hooks = {"request": [count]}
    app = create_app(settings.model_copy(update={"query_mode": "inline"}), store=store)
    with TestClient(app) as client:
        for name in requests:
            query, accept = REQUESTS[name]
            path = f"/sparql?query={quote(query.format(s=subject))}"
            client.get(path, headers={"Accept": accept}).raise_for_status()  # warm-up: graphs listed once
            sent.clear()
            client.get(path, headers={"Accept": accept}).raise_for_status()
            out["store_requests"][name] = {"total": len(sent), "marker": sent.count("marker")}
    store.client.event_hooks = {"request": []}

    dataset = store.dataset()
    order = random.Random(3)
    with httpx.Client(timeout=60) as direct:
        for name in requests:
            query, accept = REQUESTS[name]
            text = query.format(s=subject)
            steps: dict[str, Callable[[], object]] = {
                "oxigraph serve alone": lambda text=text, accept=accept: direct.get(
                    settings.store, params={"query": text}, headers={"Accept": accept}).content,
                "generation marker": store.generation,
                "query as lifecat sends it": lambda text=text, accept=accept: store.request_query(
                    f"BASE <{store.base_iri}>\n{text}", dataset, None, public=True).serialize(accept),
                "Store.query, whole": lambda text=text, accept=accept: store.query(text).serialize(accept),
            }
            times: dict[str, list[float]] = {step: [] for step in steps}
            ends = time.monotonic() + budget
            while time.monotonic() < ends or len(times["generation marker"]) < 5:
                for step in order.sample(list(steps), len(steps)):
                    started = time.perf_counter()
                    steps[step]()
                    times[step].append(time.perf_counter() - started)
            medians = {step: round(statistics.median(t) * 1000, 3) for step, t in times.items()}
            out["latency_ms"][name] = {**medians, "samples": len(times["generation marker"])}
    return out


# Reporting


def table(cells: list[Cell], args: argparse.Namespace, scenario: str) -> str:
    ours, *references = SCENARIOS[scenario]
    by = {(c.server, c.request, c.concurrency): c for c in cells}
    header = f"| request | concurrency | {ours.label} req/s | p50 / p99 ms | "
    header += "".join(f"{r.label} req/s | p50 / p99 ms | " for r in references)
    header += " | ".join(r.ratio for r in references) + " |"
    lines = [header, "|---|---:|" + "---:|" * (2 * len(references) + 2 + len(references))]
    for request in args.requests:
        for concurrency in args.concurrency:
            lc = by[(ours.server, request, concurrency)]
            row = [request, str(concurrency), f"{lc.requests_per_s:,.0f}",
                   f"{lc.p50_ms:.2f} / {lc.p99_ms:.2f}"]
            theirs = [by[(r.server, request, concurrency)] for r in references]
            for ox in theirs:
                row += [f"{ox.requests_per_s:,.0f}", f"{ox.p50_ms:.2f} / {ox.p99_ms:.2f}"]
            row += [f"**{lc.requests_per_s / ox.requests_per_s:.2f}x**" for ox in theirs]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def overhead_note(overhead: dict[str, Any]) -> str:
    lines = ["What each public query costs lifecat in front of the remote store (measured in-process, one "
             "request at a time, medians in ms):", "",
             "| request | store requests per /sparql request | oxigraph serve alone | generation marker | "
             "query as lifecat sends it | Store.query, whole | marker / whole |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for name, ms in overhead["latency_ms"].items():
        sent = overhead["store_requests"][name]
        lines.append(f"| {name} | {sent['total']} ({sent['marker']} generation marker + "
                     f"{sent['total'] - sent['marker']} query) | {ms['oxigraph serve alone']:.2f} | "
                     f"{ms['generation marker']:.2f} | {ms['query as lifecat sends it']:.2f} | "
                     f"{ms['Store.query, whole']:.2f} | "
                     f"{sent['marker'] * ms['generation marker'] / ms['Store.query, whole']:.0%} |")
    lines += ["", "Every public query needs a read of the store's generation marker (a one-row SELECT on "
              "the meta graph) sent after the query arrived, so that every front-end sees a swap at its "
              "next request: it goes beside the query, and queries that arrive together share one; the "
              "query names the public graphs (`default-graph-uri`/`named-graph-uri`) and its answer is "
              "parsed and serialised again by lifecat. The graph list itself is read once per "
              "generation. `marker / whole` is the marker reads' time one at a time, as a share of the "
              "whole `Store.query` (they overlap the query)."]
    return "\n".join(lines)


def report(cells: list[Cell], args: argparse.Namespace, command: str, info: dict[str, dict[str, Any]],
           overhead: dict[str, Any] | None, load: list[float]) -> None:
    failures = sum(c.failures for c in cells)
    parts = [f"`{command}`", "",
             f"{os.cpu_count()} CPUs; load average {' → '.join(f'{x:.2f}' for x in load)} (start → end); "
             f"lifecat serve --workers {args.workers} --query-workers {args.query_workers} --query-mode "
             f"{args.query_mode} {'--cpu-affinity' if args.cpu_affinity else '--no-cpu-affinity'}; "
             f"{args.duration} s x {args.repeats} repeats per cell (median kept); failures: {failures}."]
    for scenario in args.scenarios:
        parts += ["", f"### {TITLES[scenario]}", "", f"{info[scenario]['triples']:,} triples.", "",
                  table(cells, args, scenario)]
        if scenario == "remote" and overhead:
            parts += ["", overhead_note(overhead)]
    text = "\n".join(parts) + "\n"
    print(text)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (results / f"sparql-{stamp}.json").write_text(json.dumps({
        "command": command, "arguments": {k: str(v) for k, v in vars(args).items()},
        "cpus": os.cpu_count(), "load_average": load, "stores": info, "cells": [asdict(c) for c in cells],
        "remote_overhead": overhead}, indent=2))
    (results / f"sparql-{stamp}.md").write_text(text)
    print(f"written to {results / f'sparql-{stamp}.md'} and .json", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default=list(SCENARIOS),
                        type=lambda text: [s.strip() for s in text.split(",") if s.strip()],
                        help="Comma-separated: embedded (lifecat vs oxigraph serve-read-only on the same "
                        "folder), remote (lifecat in front of an oxigraph serve vs that oxigraph serve "
                        "alone). Default: embedded,remote.")
    parser.add_argument("--triples", type=int, default=1_000_000, help="Store size to build.")
    parser.add_argument("--store", type=Path, default=TMP / "lifecat-bench-store",
                        help="The embedded bench store's folder (built once, then reused).")
    parser.add_argument("--remote-store", type=Path, default=TMP / "lifecat-bench-remote",
                        help="Folder of the remote scenario's oxigraph serve data and lifecat artifacts "
                        "(built once, then reused).")
    parser.add_argument("--rebuild", action="store_true",
                        help="Delete the bench stores of the chosen scenarios and build them again.")
    parser.add_argument("--duration", type=int, default=5, help="Seconds per measurement.")
    parser.add_argument("--repeats", type=int, default=3, help="Measurements per cell (the median is kept).")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--workers", type=int, default=2, help="lifecat server processes.")
    parser.add_argument("--query-workers", type=int, default=2, help="Queries at once per web process.")
    parser.add_argument("--query-mode", choices=["inline", "workers"], default="inline")
    parser.add_argument("--cpu-affinity", action=argparse.BooleanOptionalAction, default=True,
                        help="Keep each lifecat server process on one CPU (lifecat serve's default).")
    parser.add_argument("--requests", nargs="+", default=list(REQUESTS), choices=list(REQUESTS),
                        help="Request kinds to measure.")
    parser.add_argument("--overhead-seconds", type=float, default=2.0,
                        help="Seconds per request kind for the remote scenario's per-request costs.")
    args = parser.parse_args()
    unknown = sorted(set(args.scenarios) - set(SCENARIOS))
    if unknown or not args.scenarios:
        parser.error(f"--scenarios takes a comma-separated list of {', '.join(SCENARIOS)}; got {unknown}")
    for tool in ("wrk", "oxigraph", "lifecat"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not on PATH: pip install -e '.[bench]' and apt-get install wrk")
    command = shlex.join(["python", *sys.argv])
    print(f"command: {command}", file=sys.stderr)
    if args.rebuild:
        for scenario, folder in (("embedded", args.store), ("remote", args.remote_store)):
            if scenario in args.scenarios:
                shutil.rmtree(folder, ignore_errors=True)

    lifecat = ["serve", "--host", "127.0.0.1", "--workers", str(args.workers),
               "--query-workers", str(args.query_workers), "--query-mode", args.query_mode,
               "--cpu-affinity" if args.cpu_affinity else "--no-cpu-affinity", "--no-access-log"]
    env = {**os.environ, "LIFECAT_BASE": BASE}
    servers: dict[str, Server] = {}
    info: dict[str, dict[str, Any]] = {}
    samples: dict[str, list[str]] = {}
    cells: list[Cell] = []
    overhead = None
    load = [os.getloadavg()[0]]
    try:
        if "embedded" in args.scenarios:
            info["embedded"], samples["embedded"] = start_embedded(args, servers, lifecat, env)
        if "remote" in args.scenarios:
            info["remote"], samples["remote"], remote = start_remote(args, servers, lifecat, env)
        subjects = next(iter(samples.values()))
        if any(sample != subjects for sample in samples.values()):
            print("warning: the stores' samples of records differ (they hold different data: --rebuild)",
                  file=sys.stderr)
        for scenario, facts in info.items():
            print(f"{scenario} store: {facts['triples']:,} triples in {facts['store']}", file=sys.stderr)
        for server in servers.values():
            wait_for(server)
        cells = measure(args, servers, subjects)
        if "remote" in args.scenarios:
            overhead = remote_overhead(remote, subjects[0], args.requests, args.overhead_seconds)
        load.append(os.getloadavg()[0])
    finally:
        stop(servers)
    report(cells, args, command, info, overhead, load)


if __name__ == "__main__":
    main()
