"""Benchmark: catalogue pages, the one-file catalogue, VoID and dump downloads, over a live server.

Run ``python bench/catalog_pages.py [--store DIR] [--repeats N]``; the store (default
``lifecat-data``) is built from the configured sources when it does not exist. Every request is
timed after a warm-up, in shuffled order, and compared with a reference measured in the same run
(fetching one record as Turtle), so the ratios hold across machines. Wrong answers are counted, not
just timed. Results go to --out (default ``bench/results/catalog_pages.json``).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from lifecat.core.config import Settings
from lifecat.endpoint.app import create_app
from lifecat.graph.build import build
from lifecat.graph.store import Store


def serve(settings: Settings) -> tuple[str, uvicorn.Server]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/void", timeout=1)
            return url, server
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="lifecat-data",
                        help="A folder, or a remote store's query URL (LIFECAT_STORE_UPDATE etc. in the "
                        "environment).")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("bench/results/catalog_pages.json"))
    args = parser.parse_args()
    settings = Settings(store=args.store)
    if not Store.open(settings).exists():
        started = time.perf_counter()
        build(settings, progress=False, log=print)
        print(f"built the store in {time.perf_counter() - started:.1f} s")
    url, server = serve(settings)
    client = httpx.Client(base_url=url, timeout=120)
    first = client.get("/catalog", headers={"Accept": "application/n-triples"})
    last = int(first.links["last"]["url"].rsplit("=", 1)[1])
    cases = {"reference: one record (Turtle)": ("/id/catalog/go", "text/turtle", None)}
    for media in ("text/turtle", "application/ld+json", "application/rdf+xml",
                  "application/n-triples", "text/html"):
        cases[f"catalogue page ({media})"] = ("/catalog?page={page}", media, last)
    cases["catalogue, modified_since (Turtle)"] = ("/catalog?modified_since=2000-01-01&page={page}",
                                                   "text/turtle", last)
    cases["one-file catalogue (N-Triples, gzip)"] = ("/catalog/all", "application/n-triples", None)
    cases["VoID (Turtle)"] = ("/void", "text/turtle", None)
    cases["dump of everything (gzipped N-Quads)"] = ("/dumps/all.nq.gz", "*/*", None)
    timings: dict[str, list[float]] = {name: [] for name in cases}
    failures: dict[str, int] = dict.fromkeys(cases, 0)
    runs = [(name, repeat) for name in cases for repeat in range(args.repeats + 1)]
    random.shuffle(runs)
    runs.sort(key=lambda run: run[1] != 0)  # one warm-up of each case first
    for name, repeat in runs:
        path, media, pages = cases[name]
        started = time.perf_counter()
        response = client.get(path.format(page=random.randint(1, pages) if pages else 1),
                              headers={"Accept": media})
        elapsed = time.perf_counter() - started
        failures[name] += response.status_code != 200 or not response.content
        if repeat:
            timings[name].append(elapsed)
    server.should_exit = True
    reference = statistics.median(timings["reference: one record (Turtle)"])
    results = {name: {"median_ms": round(statistics.median(t) * 1000, 2),
                      "ratio_to_reference": round(statistics.median(t) / reference, 2),
                      "failures": failures[name]} for name, t in timings.items()}
    results["pages"] = {"count": last, "size": settings.catalog_page_size}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    for name, row in results.items():
        print(f"{name:<45} {row}")


if __name__ == "__main__":
    main()
