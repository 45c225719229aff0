"""``/health``: a cheap liveness answer for load balancers, naming the served store generation."""

from __future__ import annotations

import os

from fastapi.responses import JSONResponse

from lifecat.endpoint.deps import PoolDep, RepositoryDep, SettingsDep


async def health(repo: RepositoryDep, pool: PoolDep, settings: SettingsDep) -> JSONResponse:
    """200 with the generation and who answers queries; a missing store answers 503 (via the app's
    error handler)."""
    return JSONResponse({"status": "ok", "generation": repo.graphs.generation(), "process": os.getpid(),
                         "query_mode": settings.query_mode, "query_processes": pool.pids()})
