"""``/health``: a cheap liveness answer for load balancers, naming the served store generation (so
that front-ends behind one balancer can be seen to serve the same one)."""

from __future__ import annotations

import os

from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from lifecat.endpoint.deps import PoolDep, SettingsDep, StoreDep


async def health(store: StoreDep, pool: PoolDep, settings: SettingsDep) -> JSONResponse:
    """200 with the generation and who answers queries; a missing or unreachable store answers 503
    (via the app's error handler)."""
    generation = await run_in_threadpool(store.generation)
    return JSONResponse({"status": "ok", "generation": generation, "process": os.getpid(),
                         "store": "remote" if settings.remote else "embedded",
                         "query_mode": settings.query_mode, "query_processes": pool.pids()})
