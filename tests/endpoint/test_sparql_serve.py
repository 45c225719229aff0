"""``lifecat serve`` as people run it: supervised server processes running queries inline, one whose
query overruns answering 503 and being replaced while the others keep answering."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from lifecat.core.config import Settings
from lifecat.endpoint import turnover
from tests.utils.processes import (
    HUNGRY,
    OTHER_CLIENT,
    QUICK,
    RUNAWAY,
    children,
    ended,
    run_beside_quick_queries,
)

LIMIT = 2.0


@pytest.fixture(scope="module")
def served(settings: Settings) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with serving(settings) as server:
        yield server


@contextmanager
def serving(settings: Settings, **environment: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``lifecat serve`` (two server processes) over the test store, with a short time limit and
    ``environment``, once both processes answer."""
    if settings.remote:
        pytest.skip("a remote store's overrunning query costs lifecat no CPU, so no process retires; "
                    "lifecat serve in front of a remote store is tested in test_scale_out.py")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "LIFECAT_BASE": settings.base, "LIFECAT_QUERY_TIMEOUT": str(LIMIT), **environment}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("lifecat")), "--store", str(settings.store), "serve",
         "--port", str(port), "--workers", "2", "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while len({_health(url) for _ in range(6)} - {None}) < 2:  # both server processes answer
            assert process.poll() is None and time.monotonic() < deadline, "lifecat serve did not start"
            time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _health(url: str) -> int | None:
    try:
        return httpx.get(f"{url}/health", timeout=2).json()["process"]
    except httpx.HTTPError:
        return None


def test_an_overrunning_query_retires_its_server_process(
    served: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, supervisor = served
    before = children(supervisor.pid)
    race = run_beside_quick_queries(url)
    assert race.response.status_code == 503
    assert "time limit" in race.response.text
    assert race.answered < LIMIT + 1
    assert race.served_meanwhile, race.quick  # other requests were answered while it ran

    while before <= children(supervisor.pid) and time.monotonic() - race.started < LIMIT + 2:
        time.sleep(0.05)
    gone = before - children(supervisor.pid)
    stopped = time.monotonic() - race.started
    assert len(gone) == 1 and stopped < LIMIT + 2, "the overrunning process must be gone within limit + 2 s"
    retired = gone.pop()
    deadline = time.monotonic() + 10
    while not ended(retired):  # it exits (tearing down takes a moment), so its CPU stops
        assert time.monotonic() < deadline, "the retired server process still runs"
        time.sleep(0.05)

    deadline = time.monotonic() + 30
    while len(children(supervisor.pid) - before) < 1:  # ...and a fresh one replaces it
        assert time.monotonic() < deadline, "no replacement server process"
        time.sleep(0.2)
    answers = {_health(url) for _ in range(10)}
    assert None not in answers


def test_server_processes_keep_to_their_cpus_and_long_queries_spread(
    served: tuple[str, subprocess.Popen[bytes]],
) -> None:
    """Each server process (a replacement too, after the test above) runs on a CPU of its own; a
    query still running after a few milliseconds may run on every CPU."""
    url, supervisor = served
    cpus = os.sched_getaffinity(supervisor.pid)
    if len(cpus) != 2:
        pytest.skip(f"two server processes are pinned on a two-CPU machine; this one has {len(cpus)}")
    deadline = time.monotonic() + 30
    servers: set[int] = set()
    while len(servers) < 2:
        assert time.monotonic() < deadline, "the server processes did not both answer"
        servers |= {pid for pid in (_health(url) for _ in range(6)) if pid}
    assert sorted(tuple(os.sched_getaffinity(pid)) for pid in servers) == [(cpu,) for cpu in sorted(cpus)]

    runaway = threading.Thread(target=httpx.get, args=(f"{url}/sparql",),
                               kwargs={"params": {"query": RUNAWAY}, "timeout": 30})
    runaway.start()
    spread, loop_cpus = False, set()
    while runaway.is_alive() and not spread:
        for pid in servers:
            if any(_affinity(task) == cpus for task in _tasks(pid) if task != pid):
                spread, loop_cpus = True, _affinity(pid)
        time.sleep(0.02)
    runaway.join()
    assert spread, "the long query's thread stayed on its process's CPU"
    assert len(loop_cpus) == 1  # while its event loop stayed on the process's CPU


def _tasks(pid: int) -> list[int]:
    try:
        return [int(task) for task in os.listdir(f"/proc/{pid}/task")]
    except FileNotFoundError:
        return []


def _affinity(task: int) -> set[int]:
    try:
        return os.sched_getaffinity(task)
    except OSError:  # gone
        return set()


def test_server_processes_take_turns_to_retire(served: tuple[str, subprocess.Popen[bytes]]) -> None:
    """Eight runaway queries at a time from one client retire both server processes in turn: one is
    always ready, every runaway query (those queued too) is answered 503 with Retry-After, never 500,
    and another client is answered throughout, never refused."""
    url, supervisor = served
    folder, originals = _ready(supervisor)
    fewest_ready, answers = [2], []
    other_client: list[tuple[int, str]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            ready = [m for m in folder.iterdir() if m.name.isdigit() and not ended(int(m.name))]
            fewest_ready[0] = min(fewest_ready[0], len(ready))
            time.sleep(0.02)

    def runaway(address: str) -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60) as client:
            response = client.get(f"{url}/sparql", params={"query": RUNAWAY})
            answers.append((response.status_code, response.headers.get("Retry-After")))

    def meanwhile() -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=OTHER_CLIENT), timeout=60) as client:
            while not done.is_set():
                response = client.get(f"{url}/sparql", params={"query": QUICK})
                failed = response.text if response.status_code != 200 else ""
                other_client.append((response.status_code, failed))

    watcher, other = threading.Thread(target=watch), threading.Thread(target=meanwhile)
    watcher.start()
    other.start()
    deadline = time.monotonic() + 120
    try:
        while originals & children(supervisor.pid):  # waves of runaways until both have retired
            assert time.monotonic() < deadline, "the server processes did not both retire"
            clients = [threading.Thread(target=runaway, args=("127.0.0.3",)) for _ in range(8)]
            for thread in clients:
                thread.start()
            for thread in clients:
                thread.join()
    finally:
        done.set()
        watcher.join()
        other.join()
    assert {status for status, _ in answers} == {503} and all(retry for _, retry in answers)
    assert fewest_ready[0] >= 1, "both server processes were restarting at once"
    assert other_client and {status for status, _ in other_client} == {200}, set(other_client)


def _environment(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(pair.decode().partition("=")[::2] for pair in pairs if pair)


def test_a_killed_server_process_is_replaced_under_load(served: tuple[str, subprocess.Popen[bytes]]) -> None:
    """kill -9 of a server process while a client sends requests: the other process answers
    meanwhile, a replacement gets ready, and the client loses at most the one request in flight."""
    url, supervisor = served
    victim = min(_ready(supervisor)[1])
    outcomes: list[tuple[float, str]] = []
    done = threading.Event()

    def load() -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=OTHER_CLIENT), timeout=30) as client:
            while not done.is_set():
                try:
                    outcome = str(client.get(f"{url}/sparql", params={"query": QUICK}).status_code)
                except httpx.HTTPError as error:
                    outcome = type(error).__name__
                outcomes.append((time.monotonic(), outcome))

    other = threading.Thread(target=load)
    other.start()
    try:
        while len(outcomes) < 20:  # the load is under way
            time.sleep(0.01)
        killed = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        _, now_ready = _ready(supervisor, without=victim)
        replaced = time.monotonic()
        while not [t for t, _ in outcomes if t > replaced + 0.5]:  # answers after the replacement
            time.sleep(0.01)
    finally:
        done.set()
        other.join()
    assert victim not in now_ready and ended(victim)
    failures = [outcome for _, outcome in outcomes if outcome != "200"]
    assert len(failures) <= 1, failures
    meanwhile = [outcome for t, outcome in outcomes if killed < t < replaced]
    assert "200" in meanwhile, "nothing was answered while the killed process was replaced"


def _ready(supervisor: subprocess.Popen[bytes], without: int | None = None) -> tuple[Path, set[int]]:
    """The turnover folder of ``lifecat serve`` and its two ready server processes (none of them
    ``without``), once there are two."""
    folder = Path(_environment(next(iter(children(supervisor.pid))))[turnover.FOLDER])
    deadline = time.monotonic() + 60
    while True:
        ready = {int(m.name) for m in folder.iterdir() if m.name.isdigit() and not ended(int(m.name))}
        if len(ready - {without}) >= 2:
            return folder, ready
        assert time.monotonic() < deadline, "the two server processes did not both get ready"
        time.sleep(0.05)


def test_a_process_past_its_memory_stops_its_queries_and_retires(settings: Settings) -> None:
    """With ``query_memory`` at 900 MB, a query that sorts a cross product is answered 503 once its
    process passes two thirds of it (600 MB), and that process retires: memory stays bounded."""
    with serving(settings, LIFECAT_QUERY_MEMORY="900", LIFECAT_QUERY_TIMEOUT="60") as (url, supervisor):
        before = _ready(supervisor)[1]
        response = httpx.get(f"{url}/sparql", params={"query": HUNGRY}, timeout=120)
        assert response.status_code == 503, response.text
        assert "more than 600 MB" in response.text and response.headers["Retry-After"]
        deadline = time.monotonic() + 60
        while not any(ended(pid) for pid in before):  # the process that ran it is gone
            assert time.monotonic() < deadline, "the process past its memory did not retire"
            time.sleep(0.05)
