"""Serving: ``lifecat serve``'s server processes, under a supervisor that replaces them, tuned for the
SPARQL hot path.

Every server process builds the same app from the same settings (handed down in the environment, as
the supervisor starts processes afresh); the supervisor keeps each on a CPU of its own where the
system allows (:mod:`lifecat.endpoint.cpus`), and each process moves what it loaded at start out of
the garbage collector's sight.
"""

from __future__ import annotations

import gc
import json
import os
import tempfile
from typing import Any

import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr
from uvicorn.supervisors import Multiprocess

from lifecat.core.config import Settings
from lifecat.endpoint import turnover
from lifecat.endpoint.app import create_app
from lifecat.endpoint.cpus import Supervisor
from lifecat.endpoint.workers import RETIRE_GRACE

#: The environment variable that carries the settings to every server process.
SETTINGS = "LIFECAT_SERVE_SETTINGS"


def run(settings: Settings, *, host: str, port: int, workers: int, access_log: bool,
        cpu_affinity: bool) -> None:
    """Serve until stopped: ``workers`` server processes sharing the port, always supervised, even
    one, since the supervisor replaces a process that retired after an overrunning query (see
    :class:`lifecat.endpoint.workers.InlineRunner`), and they take turns to retire
    (:mod:`lifecat.endpoint.turnover`)."""
    os.environ[SETTINGS] = json.dumps(_values(settings))
    config = uvicorn.Config("lifecat.endpoint.serve:served_app", factory=True, host=host, port=port,
                            workers=workers, log_level="info", access_log=access_log,
                            timeout_graceful_shutdown=int(RETIRE_GRACE))
    supervisor = Supervisor if cpu_affinity else Multiprocess
    with tempfile.TemporaryDirectory(prefix="lifecat-serve-") as folder:
        os.environ[turnover.FOLDER], os.environ[turnover.PROCESSES] = folder, str(workers)
        supervisor(config, sockets=[config.bind_socket()]).run()


def _values(settings: Settings) -> dict[str, Any]:
    """The settings as plain values, secrets included (they go to child processes only), folders
    made absolute (a server process may start elsewhere)."""
    values = {name: (value.get_secret_value() if isinstance(value, SecretStr) else value)
              for name, value in settings.model_dump().items()}
    if not settings.remote:
        values["store"] = str(settings.store_path.resolve())
    values["artifacts"] = os.path.abspath(settings.artifacts)
    return json.loads(json.dumps(values, default=str))


def served_app() -> FastAPI:
    """The app of one server process, from the settings ``run`` left in the environment.

    Everything loaded by then lives as long as the process, so it is moved out of the garbage
    collector's sight: a full collection of it would pause every request for a tenth of a second.
    """
    app = create_app(Settings(**json.loads(os.environ[SETTINGS])))
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    return app
