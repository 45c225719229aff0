"""``/health``: a cheap liveness answer for load balancers, naming the served store generation."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from lifecat.endpoint.deps import PoolDep, RepositoryDep


async def health(repo: RepositoryDep, pool: PoolDep) -> JSONResponse:
    """200 with the generation when the store can be read; a missing store answers 503 (via the
    app's error handler)."""
    return JSONResponse({"status": "ok", "generation": repo.graphs.generation(),
                         "query_workers": len(pool.pids())})
