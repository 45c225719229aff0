"""``lifecat serve`` as people run it: supervised server processes running queries inline, one whose
query overruns answering 503 and being replaced while the others keep answering."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from lifecat.config import Settings
from tests.utils.processes import children, cpu_seconds, run_beside_quick_queries

LIMIT = 2.0


@pytest.fixture(scope="module")
def served(settings: Settings) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "LIFECAT_BASE": settings.base, "LIFECAT_QUERY_TIMEOUT": str(LIMIT)}
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("lifecat")), "--store", str(settings.store), "serve",
         "--port", str(port), "--workers", "2", "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while len({_health(url) for _ in range(6)} - {None}) < 2:  # both server processes answer
        assert process.poll() is None and time.monotonic() < deadline, "lifecat serve did not start"
        time.sleep(0.2)
    yield url, process
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
    assert race.quick and max(race.quick) < 1.5  # the other server process kept answering

    while before <= children(supervisor.pid) and time.monotonic() - race.started < LIMIT + 2:
        time.sleep(0.05)
    gone = before - children(supervisor.pid)
    stopped = time.monotonic() - race.started
    assert len(gone) == 1 and stopped < LIMIT + 2, "the overrunning process must be gone within limit + 2 s"
    retired = gone.pop()
    used = cpu_seconds(retired)
    time.sleep(0.5)
    assert cpu_seconds(retired) in (used, 0.0)  # exited (or reaped since): its CPU has stopped

    deadline = time.monotonic() + 30
    while len(children(supervisor.pid) - before) < 1:  # ...and a fresh one replaces it
        assert time.monotonic() < deadline, "no replacement server process"
        time.sleep(0.2)
    answers = {_health(url) for _ in range(10)}
    assert None not in answers
