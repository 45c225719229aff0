"""Helpers for the SPARQL endpoint tests that watch processes: queries that run away, running threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pyoxigraph import Literal, NamedNode, Quad

from lifecat.core.vocab import RDF, SCHEMA
from lifecat.endpoint.app import create_app
from lifecat.graph.derive import deriving
from lifecat.graph.store import Change, Store
from tests.utils.stores import store_settings

#: A count over a cross product: hours of work on any store the tests build, which no store answers
#: before its first solution, and which a remote store that cancels queries does cancel (Oxigraph's
#: server cannot stop a sort of one midway).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUICK = "ASK { ?s a <http://schema.org/DataCatalog> }"
#: A sort of a cross product: its memory grows by hundreds of MB a second.
HUNGRY = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?a ?b ?c LIMIT 1"
#: The loopback address quick queries come from: another client than the runaway query's, whose own
#: further queries wait behind it.
OTHER_CLIENT = "127.0.0.2"


#: The graph :func:`serving_numbers` writes: enough triples for a cross product of three to take hours.
NUMBERS = NamedNode("http://lifecat.test/graph/numbers")
SUBJECTS = 1_500


@contextmanager
def serving_numbers(backend: str, folder: Path, serve: Callable[[FastAPI], AbstractContextManager[str]],
                    **settings: Any) -> Iterator[tuple[str, FastAPI]]:
    """The app (and its URL) over a new store of ``backend`` in ``folder`` holding the numbers graph
    (and a catalogue, for :data:`QUICK` to find), with ``settings``."""
    with ExitStack() as stack:
        configured = store_settings(backend, folder, stack, base="http://lifecat.test/", **settings)
        quads = [Quad(NamedNode(f"http://lifecat.test/id/n/{n}"), NamedNode("http://schema.org/position"),
                      Literal(str(n)), NUMBERS) for n in range(SUBJECTS)]
        quads.append(Quad(NamedNode("http://lifecat.test/id/catalog/c"), RDF.type, SCHEMA.DataCatalog,
                          NUMBERS))
        Store.open(configured).replace(Change(quads, replace=frozenset({NUMBERS})), deriving(configured))
        app = create_app(configured)
        with serve(app) as url:
            yield url, app


def running_threads(pid: int) -> int:
    """How many threads of a process are running or waiting for a CPU now (state R)."""
    count = 0
    for task in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            count += task.read_text().rsplit(")", 1)[1].split()[0] == "R"
        except (FileNotFoundError, IndexError):  # the thread has just ended
            continue
    return count


def ended(pid: int) -> bool:
    """Whether the process has ended: gone, or a zombie waiting for its parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def children(pid: int) -> set[int]:
    """The ids of the live processes whose parent is ``pid`` (an exited child that its parent has
    not reaped yet uses no CPU, so it does not count)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split() if stat else []
        if fields and fields[0] != "Z" and int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


@dataclass
class Race:
    """A runaway query sent to a server while quick queries are sent beside it."""

    response: httpx.Response
    answered: float = field(metadata={"help": "Seconds until the runaway query was answered."})
    started: float = field(metadata={"help": "time.monotonic() when it was sent."})
    quick: list[int] = field(metadata={"help": "The status of each quick query sent meanwhile."})
    finished: list[float] = field(metadata={"help": "time.monotonic() when each was answered."})

    @property
    def served_meanwhile(self) -> bool:
        """Whether every quick query was answered, 200, while the runaway query was still running."""
        ended = self.started + self.answered
        return bool(self.quick) and set(self.quick) == {200} and max(self.finished) < ended


def run_beside_quick_queries(url: str) -> Race:
    """Send the runaway query to the server at ``url`` while quick queries are sent beside it (their
    outcomes are collected, for the test to assert: an assert in the thread would only warn)."""
    quick: list[int] = []
    finished: list[float] = []
    sent = threading.Event()  # the runaway query is on the wire

    def trace(event: str, _: object) -> None:
        if event == "http11.send_request_body.complete":
            sent.set()

    def meanwhile() -> None:
        sent.wait(timeout=30)
        with httpx.Client(transport=httpx.HTTPTransport(local_address=OTHER_CLIENT), timeout=10) as other:
            for _ in range(5):
                try:
                    quick.append(other.get(f"{url}/sparql", params={"query": QUICK}).status_code)
                except httpx.HTTPError:
                    quick.append(0)
                finished.append(time.monotonic())

    other = threading.Thread(target=meanwhile)
    other.start()
    started = time.monotonic()
    with httpx.Client(timeout=30) as client:
        response = client.get(f"{url}/sparql", params={"query": RUNAWAY}, extensions={"trace": trace})
    answered = time.monotonic() - started
    other.join()
    return Race(response, answered, started, quick, finished)
