"""Query slots shared fairly between clients, and server processes taking turns to retire."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lifecat.endpoint.admission import MAX_WAITING, Lanes, Refused
from lifecat.endpoint.turnover import Turnover


async def _entered(lanes: Lanes, client: str, wait: float = 30) -> str:
    await lanes.enter(client, wait)
    return client


def test_a_client_with_a_heavy_query_waits_behind_it_while_others_start() -> None:
    async def scenario() -> None:
        lanes = Lanes(slots=2, per_client=1, most=4)
        await lanes.enter("a", 1)
        await lanes.enter("a", 1)  # a client's quick queries are not held back
        lanes.set_aside("a")  # one of them turns heavy: its slot is free again...
        third_a = asyncio.ensure_future(_entered(lanes, "a"))
        await asyncio.sleep(0)
        assert not third_a.done() and lanes.waiting("a") == 1  # ...but not for its own client
        assert await _entered(lanes, "b") == "b"  # another client takes it at once
        lanes.leave("a", set_aside=True)  # the heavy query ends
        lanes.leave("a")  # and a quick one: a slot is free, and "a" may start again
        assert await third_a == "a"
        assert lanes.running == {"a": 1, "b": 1} and not lanes.heavy

    asyncio.run(scenario())


def test_waiting_is_bounded_and_a_closing_process_refuses_with_503() -> None:
    async def scenario() -> None:
        lanes = Lanes(slots=1, per_client=1)
        await lanes.enter("a", 1)
        with pytest.raises(Refused) as waited:
            await lanes.enter("b", 0.05)
        assert waited.value.status == 503 and waited.value.headers["Retry-After"]
        assert lanes.waiting("b") == 0
        queued = asyncio.ensure_future(_entered(lanes, "c"))
        await asyncio.sleep(0)
        lanes.close("restarting")
        for refused in (queued, asyncio.ensure_future(_entered(lanes, "d"))):
            with pytest.raises(Refused, match="restarting"):
                await refused

    asyncio.run(scenario())


def test_a_client_with_too_many_waiting_is_told_429() -> None:
    async def scenario() -> None:
        lanes = Lanes(slots=1, per_client=1)
        await lanes.enter("a", 1)
        queued = [asyncio.ensure_future(_entered(lanes, "a")) for _ in range(MAX_WAITING)]
        await asyncio.sleep(0)
        with pytest.raises(Refused) as refused:
            await lanes.enter("a", 1)
        assert refused.value.status == 429
        with pytest.raises(Refused) as other:  # another client is not refused for "a"'s queue
            await lanes.enter("b", 0.01)
        assert other.value.status == 503
        lanes.close("stop")
        await asyncio.gather(*queued, return_exceptions=True)

    asyncio.run(scenario())


def test_a_process_retires_only_while_every_other_is_ready(tmp_path: Path) -> None:
    me = Turnover(tmp_path, processes=2)
    me.ready()
    assert not me.may_retire()  # the other process is not ready (still starting)
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        (tmp_path / str(other.pid)).touch()
        assert me.may_retire()
        assert not (tmp_path / str(os.getpid())).exists()  # no longer counted as ready
    finally:
        other.kill()
        other.wait()
    me.ready()
    assert not me.may_retire()  # the other one was killed: its marker is cleared, and it counts no more
    assert not (tmp_path / str(other.pid)).exists()
