"""Record page and search latency, at a fixed concurrency, against references measured in the same run.

Run: ``python bench/pages.py [--store DIR] [--concurrency 16] [--requests 600] [--repeats 3]``.

The store (default: a fresh build of the embedded Bioregistry in a temporary folder) is served by
``lifecat serve`` on 127.0.0.1 in its own process. Inputs come from the real records: every record
kind, picked at random, and search queries made of their names and external identifiers. After a
warm-up, each workload runs several shuffled repeats; correctness failures are counted beside the
timings (a record page must carry its own JSON-LD ``@id``; an identifier query must find its
record). Ratios are given against ``/robots.txt`` on the same server (the framework's floor) and,
for search, against the ``CONTAINS`` scan SPARQL would need without a text index.
Results go to ``bench/results/pages.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote

import httpx
from pyoxigraph import Literal

from lifecat.core.config import Settings
from lifecat.core.sparql import bind
from lifecat.graph.build import build
from lifecat.graph.search_index import FILENAME, SearchIndex
from lifecat.graph.store import Store

HERE = Path(__file__).parent
Check = Callable[[httpx.Response], bool]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(latencies: list[float], failures: int, elapsed: float) -> dict[str, float]:
    return {"requests": len(latencies), "failures": failures, "rps": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000}


async def drive(url: str, work: list[tuple[str, dict[str, str], Check]], concurrency: int
                ) -> dict[str, float]:
    """Send ``work`` with ``concurrency`` requests in flight; latency per request, failures counted."""
    queue: asyncio.Queue[tuple[str, dict[str, str], Check]] = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)
    latencies: list[float] = []
    failures = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            path, headers, check = queue.get_nowait()
            started = time.perf_counter()
            response = await client.get(path, headers=headers)
            latencies.append(time.perf_counter() - started)
            failures += not (response.status_code == 200 and check(response))

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return summary(latencies, failures, elapsed)


def workloads(index: SearchIndex, base: str, n: int, rng: random.Random
              ) -> dict[str, list[tuple[str, dict[str, str], Check]]]:
    records = list(index.records())
    by_kind: dict[str, list[str]] = {}
    for uri, _ in records:
        by_kind.setdefault(uri[len(base) + 3:].split("/")[0], []).append(uri)
    picked = [rng.choice(by_kind[k]) for k in sorted(by_kind) for _ in range(max(1, n // len(by_kind)))]
    html = {"Accept": "text/html"}
    pages = [("/" + u.removeprefix(base), html, (lambda r, u=u: f'"@id": "{u}"' in r.text)) for u in picked]
    turtle = [("/" + u.removeprefix(base), {"Accept": "text/turtle"}, (lambda r, u=u: u in r.text))
              for u in picked]
    words = [w for uri in picked for w in index.search(uri.rsplit("/", 1)[-1], limit=1).hits[:1]]
    queries = [(f"/search?format=json&q={quote(h.name.split()[0])}", {},
                (lambda r: r.json()["total"] > 0)) for h in words]
    identifiers = [(f"/search?format=json&q={quote(unquote(u.split('/id/', 1)[1].split('/', 1)[1]))}", {},
                    (lambda r, u=u: u in [h["uri"] for h in r.json()["hits"][:5]])) for u in picked]
    return {"robots.txt (reference)": [("/robots.txt", {}, lambda r: True)] * n,
            "record page, HTML": pages, "record page, Turtle": turtle,
            "search, by name word": queries, "search, by identifier": identifiers}


def in_process_search(settings: Settings, index: SearchIndex, words: list[str]) -> dict[str, dict]:
    """Search latency in-process: the FTS5 index against a SPARQL ``CONTAINS`` scan of names."""
    store = Store.open(settings)
    scan = (HERE / "contains_search.rq").read_text()
    out = {}
    for name, run in [("index (FTS5)", lambda w: index.search(w, limit=20).total),
                      ("SPARQL CONTAINS scan (reference)",
                       lambda w: len(list(store.query(bind(scan, q=Literal(w.lower()))).solutions())))]:
        run(words[0])
        latencies = []
        for word in words:
            started = time.perf_counter()
            run(word)
            latencies.append(time.perf_counter() - started)
        out[name] = summary(latencies, 0, sum(latencies))
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str) -> None:
    """Return once ``url`` answers 200 (the server is up), or fail after a minute."""
    for _ in range(300):
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within a minute")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", help="A built store: a folder, or a remote store's query URL (with "
                        "LIFECAT_STORE_UPDATE etc. in the environment); default: build one in a temp folder.")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=600, help="Requests per workload and repeat.")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="lifecat-bench-")
    settings = Settings(store=args.store or Path(tmp.name) / "store")
    if not Store.open(settings).exists():
        print(f"building the default sources into {settings.store} ...", flush=True)
        build(settings, progress=False, log=lambda _: None)
    index = SearchIndex(Store.open(settings).artifacts() / FILENAME)
    rng = random.Random(args.seed)
    loads = workloads(index, settings.base, args.requests, rng)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "lifecat", "--store", str(settings.store),
                               "serve", "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/robots.txt")
        for work in loads.values():  # warm-up: a few of each
            asyncio.run(drive(url, work[:20], 4))
        results: dict[str, list[dict[str, float]]] = {name: [] for name in loads}
        for _ in range(args.repeats):
            for name in rng.sample(list(loads), len(loads)):
                work = loads[name][:]
                rng.shuffle(work)
                results[name].append(asyncio.run(drive(url, work, args.concurrency)))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    words = [unquote(path.split("q=", 1)[1]) for path, _, _ in loads["search, by name word"]][:200]
    local = in_process_search(settings, index, words)
    reference = statistics.median(r["p50_ms"] for r in results["robots.txt (reference)"])
    print(f"\n{index.count()} records; concurrency {args.concurrency}; {args.repeats} repeats "
          f"(medians); {os.cpu_count()} CPUs\n")
    print(f"{'workload':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'fail':>5} {'p50 / ref':>10}")
    report: dict[str, dict] = {"records": index.count(), "concurrency": args.concurrency, "http": {},
                               "in_process_search": local}
    for name, runs in results.items():
        row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        row["failures"] = sum(r["failures"] for r in runs)
        report["http"][name] = row
        print(f"{name:<28} {row['rps']:>8.0f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
              f"{row['failures']:>5.0f} {row['p50_ms'] / reference:>9.1f}x")
    scan = local["SPARQL CONTAINS scan (reference)"]["p50_ms"]
    print("\nsearch in-process (one thread):")
    for name, row in local.items():
        print(f"  {name:<34} p50 {row['p50_ms']:7.2f} ms  p99 {row['p99_ms']:7.2f} ms  "
              f"({row['p50_ms'] / scan:.3f}x the scan)")
    out = HERE / "results" / "pages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
