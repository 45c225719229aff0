"""Mixed load on ``lifecat serve`` as a portal's visitors send it, alone and beside runaway queries.

    pip install -e '.[bench]' && apt-get install wrk   # wrk: the load generator
    python bench/load.py                               # 64 connections, 30 s per run

The store (default: a fresh build of the embedded default data in a temporary folder; ``--store DIR``
for another) is served by ``lifecat serve`` (two server processes, its defaults, the query time
limit set by ``--query-timeout``) on 127.0.0.1. wrk, a C load generator that costs the two cores far
less than a Python client would, keeps ``--clients`` connections busy with a mix drawn from the
store's own records: 40 % record pages (HTML), 20 % records as Turtle, 20 % SPARQL point lookups,
10 % searches and 10 % catalogue pages.

Each run of the mix is measured without runaway queries (the reference, measured in the same
session just before) and beside N runaway queries (a COUNT over a cross product: hours of work, and
gigabytes of memory on the default data) that another client, 127.0.0.3, keeps in flight at all
times; then all of it again with every request on a new connection (``Connection: close``). Each run
reports requests/s of the mix and its ratio to the reference, non-2xx answers and socket errors,
p50/p95/p99 latency, what the runaway client was answered, and the server processes' peak resident
memory against ``query_memory``. Results go to ``bench/results/load-<time>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import httpx
from sparql_bench import free_port

from lifecat.core.config import Settings
from lifecat.endpoint.workers import resident_mb

HERE = Path(__file__).resolve().parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RUNAWAY_CLIENT = "127.0.0.3"
#: (share of requests, kind) of the visitor mix.
MIX = [(40, "record page"), (20, "record turtle"), (20, "sparql lookup"), (10, "search"), (10, "catalogue")]
WRK_SCRIPT = """
local lines = {}
init = function(args)
  for line in io.lines(args[1]) do
    local accept, path = line:match("([^\\t]*)\\t(.*)")
    lines[#lines + 1] = {accept, path}
  end
  math.randomseed(tonumber(args[2]))
  close = args[3] == "close"
end
request = function()
  local line = lines[math.random(#lines)]
  local headers = {["Accept"] = line[1]}
  if close then headers["Connection"] = "close" end
  return wrk.format("GET", line[2], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "non2xx": %d, "errors": %d, '
    .. '"p50_ms": %f, "p95_ms": %f, "p99_ms": %f}\\n', summary.requests, summary.duration / 1e6,
    e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""


def requests(url: str, base: str, rng: random.Random) -> list[str]:
    """1,000 ``accept<TAB>path`` lines in the proportions of :data:`MIX`, from the served records."""
    def select(query: str) -> list[str]:
        answer = httpx.get(f"{url}/sparql", params={"query": query}, timeout=60,
                           headers={"Accept": "application/sparql-results+json"}).json()
        return [next(iter(row.values()))["value"] for row in answer["results"]["bindings"]]

    records = select(f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{base}id/")) }} '
                     "LIMIT 2000")
    names = select("SELECT ?n WHERE { ?s <http://schema.org/name> ?n } LIMIT 2000")
    words = sorted({w for n in names for w in n.split()[:1] if w.isalpha() and len(w) > 3})
    pages = max(1, len(records) // 100)
    def record() -> str:
        return rng.choice(records)

    make = {
        "record page": lambda: ("text/html", record().removeprefix(base[:-1])),
        "record turtle": lambda: ("text/turtle", record().removeprefix(base[:-1])),
        "sparql lookup": lambda: ("application/sparql-results+json",
                                  "/sparql?query=" + quote(f"SELECT ?p ?o WHERE {{ <{record()}> ?p ?o }}")),
        "search": lambda: ("text/html", f"/search?q={quote(rng.choice(words))}"),
        "catalogue": lambda: ("text/turtle", f"/catalog?page={rng.randint(1, min(pages, 10))}"),
    }
    return [f"{accept}\t{path}" for share, kind in MIX for accept, path in
            (make[kind]() for _ in range(share * 10))]


class Runaways:
    """``count`` runaway queries kept in flight from :data:`RUNAWAY_CLIENT` until stopped."""

    def __init__(self, url: str, count: int) -> None:
        self.url, self.answers = url, Counter[str]()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._send, daemon=True) for _ in range(count)]
        for thread in self._threads:
            thread.start()

    def _send(self) -> None:
        transport = httpx.HTTPTransport(local_address=RUNAWAY_CLIENT)
        with httpx.Client(transport=transport, timeout=120) as client:
            while not self._stop.is_set():
                try:
                    status = str(client.get(f"{self.url}/sparql", params={"query": RUNAWAY}).status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                self.answers[status] += 1

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


class Memory:
    """The peak resident memory of each process under ``supervisor``, sampled every 0.2 s."""

    def __init__(self, supervisor: int) -> None:
        self.peak, self._supervisor = 0.0, supervisor
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            children = Path(f"/proc/{self._supervisor}/task/{self._supervisor}/children")
            pids = children.read_text().split() if children.exists() else []
            self.peak = max([self.peak, *(resident_mb(int(pid)) for pid in pids)])

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_wrk(url: str, lines: Path, script: Path, clients: int, seconds: int, close: bool) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url,
               "--", str(lines), str(random.randrange(1 << 30)), "close" if close else "keep-alive"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(next(x for x in output.splitlines() if x.startswith("RESULT ")).removeprefix("RESULT "))


def settle(url: str, wait: float) -> None:
    """Wait until the runaways' processes have retired and two server processes answer again."""
    time.sleep(wait)
    deadline, seen = time.monotonic() + 120, set()
    while len(seen) < 2:
        if time.monotonic() > deadline:
            sys.exit("the server processes did not come back after the runaway queries")
        try:
            seen.add(httpx.get(f"{url}/health", timeout=5).json()["process"])
        except httpx.HTTPError:
            time.sleep(0.2)


def serve(store: Path, port: int, timeout: float, base: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LIFECAT_QUERY_TIMEOUT": str(timeout), "LIFECAT_BASE": base}
    return subprocess.Popen([str(Path(sys.executable).with_name("lifecat")), "--store", str(store), "serve",
                             "--port", str(port), "--no-access-log"], env=env, cwd=store.parent,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="a built store (default: build the default data)")
    parser.add_argument("--base", help="the base IRI --store was built under (default: the served address)")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=int, default=30, help="seconds per run")
    parser.add_argument("--runaways", default="8,16", help="runaway queries in flight, per run")
    parser.add_argument("--query-timeout", type=float, default=10.0)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "lifecat-data"
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        base = args.base or f"{url}/"
        server = serve(store.resolve(), port, args.query_timeout, base)
        try:
            settle(url, 0)
            script, lines = Path(tmp) / "load.lua", Path(tmp) / "requests.tsv"
            script.write_text(WRK_SCRIPT)
            lines.write_text("\n".join(requests(url, base, rng)) + "\n")
            run_wrk(url, lines, script, 8, 3, False)  # warm-up
            runs = []
            for close in (False, True):
                for count in [0, *map(int, args.runaways.split(","))]:
                    memory = Memory(server.pid)
                    runaways = Runaways(url, count)
                    measured = run_wrk(url, lines, script, args.clients, args.duration, close)
                    runaways.stop()
                    measured |= {"connections": "new per request" if close else "kept alive",
                                 "runaways": count, "runaway_answers": dict(runaways.answers),
                                 "peak_rss_mb": round(memory.stop())}
                    if count:
                        reference = next(r for r in runs if r["connections"] == measured["connections"]
                                         and r["runaways"] == 0)
                        measured["ratio"] = (measured["requests"] / measured["seconds"]) / (
                            reference["requests"] / reference["seconds"])
                        settle(url, args.query_timeout + 2)
                    runs.append(measured)
                    print(line(measured), file=sys.stderr)
        finally:
            server.terminate()
            server.wait(timeout=60)
    report(runs, args)


def line(run: dict) -> str:
    rate = run["requests"] / run["seconds"]
    ratio = f"{run['ratio']:.2f}" if "ratio" in run else "reference"
    answered = ", ".join(f"{status}: {n}" for status, n in sorted(run["runaway_answers"].items()))
    return (f"| {run['connections']} | {run['runaways']} | {rate:.0f} | {ratio} | {run['non2xx']} | "
            f"{run['errors']} | {run['p50_ms']:.0f} | {run['p95_ms']:.0f} | {run['p99_ms']:.0f} | "
            f"{run['peak_rss_mb']} | {answered} |")


def report(runs: list[dict], args: argparse.Namespace) -> None:
    command = "python bench/load.py " + shlex.join(sys.argv[1:])
    limit = Settings().query_memory
    text = "\n".join([
        f"`{command}` ({args.clients} connections, {args.duration} s per run, query time limit "
        f"{args.query_timeout:g} s, query_memory {limit} MB per server process)", "",
        "| connections | runaways | req/s | vs none | non-2xx | socket errors | p50 ms | p95 ms | p99 ms "
        "| peak RSS MB | runaway client answered |",
        "|---|---|---|---|---|---|---|---|---|---|---|", *map(line, runs)])
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (HERE / "results").mkdir(exist_ok=True)
    results = HERE / "results" / f"load-{stamp}"
    results.with_suffix(".json").write_text(json.dumps({"command": command, "runs": runs}, indent=1))
    results.with_suffix(".md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
