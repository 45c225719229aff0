"""Public SPARQL queries run where a runaway query can really be stopped.

pyoxigraph has no query timeout and a Python thread cannot be interrupted, so a query that is still
running when its time is up would go on using a core for as long as it likes. Two runners stop it,
both running the query through :meth:`Repository.run` (which fixes the public dataset) and
serialising the answer in the thread that ran it:

- :class:`QueryPool` (``query_mode = "workers"``) sends each query to one of a few worker processes,
  each with its own handle on the store. When a query's time is up its
  worker is killed (its CPU stops at once) and a fresh one is forked from a preloaded server, while
  the other workers go on serving. It works in any process, so it is the default.
- :class:`InlineRunner` (``query_mode = "inline"``, what ``lifecat serve`` uses) runs queries in the
  server process's own threads, saving the hand-off to another process (about twice the throughput
  for small queries), on the CPUs :mod:`lifecat.endpoint.cpus` chooses. A query past its limit
  *retires* the process: it answers 503, stops accepting connections, lets the others finish for a
  second and exits, and the supervisor of ``lifecat serve`` starts a fresh one while the other
  server processes answer.

Both run each query through :meth:`Store.query`, which imposes the public dataset. With a remote
store, a query past its limit costs this process no CPU (the store evaluates it, and the request is
abandoned at the limit), so the inline runner answers 503 and keeps its process.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Protocol

from lifecat.core.config import Settings
from lifecat.endpoint.cpus import SPREAD_AFTER, Placement
from lifecat.graph.store import (
    PrivateGraphError,
    QueryError,
    QueryTimeout,
    Store,
    StoreMissingError,
    StoreUnavailable,
)
from lifecat.graph.store.results import TooManyRows


@dataclass(frozen=True)
class QueryJob:
    """One public query, negotiated: the media type for each kind of answer it may turn out to be
    (only the worker learns the kind, when it parses the query)."""

    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    results_media: str
    graph_media: str
    max_rows: int
    timeout: float


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised answer."""

    media_type: str
    body: bytes


class WorkerCrashed(RuntimeError):
    """A query worker died while running the query (out of memory, say)."""


def _serve(conn: Connection, settings: Settings) -> None:
    """A worker's loop: run jobs, answer with ``("ok", QueryAnswer)`` or ``(error kind, detail)``."""
    store = Store.open(settings)
    while True:
        try:
            job: QueryJob = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_reply(store, job))


def _reply(store: Store, job: QueryJob) -> tuple[str, object]:
    """``("ok", QueryAnswer)`` or ``(error kind, detail)``, whatever happens."""
    try:
        return _answer(store, job)
    except Exception as error:  # a bug must cost one answer, not the worker
        return "internal", f"{type(error).__name__}: {error}"


def _answer(store: Store, job: QueryJob) -> tuple[str, object]:
    try:
        result = store.query(job.query, default_graphs=job.default_graphs, named_graphs=job.named_graphs,
                             timeout=job.timeout)
        media = job.graph_media if result.kind == "graph" else job.results_media
        try:
            return "ok", QueryAnswer(media, result.serialize(media, max_rows=job.max_rows))
        finally:
            result.close()
    except TooManyRows:
        return "rows", job.max_rows
    except QueryError as error:
        return "query", str(error)
    except PrivateGraphError as error:
        return "private", str(error)
    except QueryTimeout:
        return "timeout", job.timeout
    except (StoreMissingError, StoreUnavailable) as error:
        return "missing", str(error)
    except (OSError, ValueError, RuntimeError) as error:  # an evaluation error, e.g. a failed SERVICE
        return "query", f"the query failed: {error}"


_ERRORS: dict[str, type[Exception]] = {"query": QueryError, "private": PrivateGraphError,
                                       "missing": StoreUnavailable, "internal": RuntimeError}


def _result(status: str, detail: object) -> QueryAnswer:
    if status == "ok":
        return detail  # type: ignore[return-value]
    if status == "timeout":
        raise QueryTimeout(detail)  # type: ignore[arg-type]
    if status == "rows":
        raise TooManyRows(detail)  # type: ignore[arg-type]
    raise _ERRORS[status](detail)


class QueryRunner(Protocol):
    """Where public queries run (see the module docs): started and closed with the app."""

    def start(self) -> None: ...

    def close(self) -> None: ...

    def pids(self) -> list[int]: ...

    async def run(self, job: QueryJob, *, timeout: float) -> QueryAnswer: ...


def runner(settings: Settings, store: Store) -> QueryRunner:
    """The runner ``settings.query_mode`` names."""
    return InlineRunner(settings, store) if settings.query_mode == "inline" else QueryPool(settings)


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext, args: tuple[object, ...]) -> None:
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, *args), daemon=True, name="lifecat-query-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of query worker processes, each running one query at a time."""

    def __init__(self, settings: Settings, *, size: int | None = None) -> None:
        self.size = size or settings.query_workers
        self._args = (settings,)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([__name__])
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Start the workers (also done on first use)."""
        while len(self._workers) < self.size:
            self._workers.append(_Worker(self._context, self._args))

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            worker.kill()
        self._workers.clear()
        self._idle = None

    def pids(self) -> list[int]:
        """The workers' process ids (for monitoring and tests)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _queue(self) -> asyncio.Queue[_Worker]:
        loop = asyncio.get_running_loop()
        if self._idle is None or self._loop is not loop:
            self.start()
            self._idle, self._loop = asyncio.Queue(), loop
            for worker in self._workers:
                self._idle.put_nowait(worker)
        return self._idle

    async def run(self, job: QueryJob, *, timeout: float) -> QueryAnswer:
        """Run ``job`` in a free worker, killing it if the answer takes longer than ``timeout``.

        :raises QueryTimeout: if no worker was free or the answer was not ready in time.
        :raises QueryError: for a query the store refuses (syntax, too many results).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        idle = self._queue()
        try:
            async with asyncio.timeout_at(deadline):
                worker = idle.get_nowait() if not idle.empty() else await idle.get()
        except TimeoutError:
            raise QueryTimeout(timeout, waited=True) from None
        try:
            worker.conn.send(job)
            async with asyncio.timeout_at(deadline):
                status, detail = await _receive(worker.conn)
        except TimeoutError:
            worker = self._replace(worker)
            raise QueryTimeout(timeout) from None
        except (EOFError, OSError) as error:
            worker = self._replace(worker)
            raise WorkerCrashed(f"the query worker stopped while running the query: {error}") from None
        finally:
            idle.put_nowait(worker)
        return _result(status, detail)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(self._context, self._args)
        self._workers[self._workers.index(worker)] = fresh
        return fresh


async def _receive(conn: Connection) -> tuple[str, object]:
    """The worker's reply, awaited without a thread: wait until its pipe is readable, then read it
    whole (the loop may have made the pipe non-blocking, and a long reply arrives in many writes)."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
    try:
        await ready
    finally:
        with contextlib.suppress(ValueError, OSError):
            loop.remove_reader(fd)
    os.set_blocking(fd, True)
    return conn.recv()


def _settle(reply: asyncio.Future[tuple[str, object] | None], answered: tuple[str, object] | None) -> None:
    """Give ``reply`` its answer (``None``: the time is up), unless it has one already."""
    if not reply.done():
        reply.set_result(answered)


#: Seconds a retiring server process gives its other requests before it exits.
RETIRE_GRACE = 1.0


class InlineRunner:
    """Queries in this process's threads; one past its limit retires the process (see above).

    Only for server processes run under ``lifecat serve``'s supervisor, which replaces them.
    """

    def __init__(self, settings: Settings, store: Store) -> None:
        self._store = store
        self._executor = ThreadPoolExecutor(settings.query_workers, thread_name_prefix="lifecat-query")
        self._placement = Placement()
        self.retiring = False

    def start(self) -> None:
        """Nothing to start: threads are made on demand."""

    def close(self) -> None:
        """Stop; a retiring process exits here, as its runaway query's thread cannot be joined."""
        if self.retiring:
            os._exit(0)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def pids(self) -> list[int]:
        return [os.getpid()]

    async def run(self, job: QueryJob, *, timeout: float) -> QueryAnswer:
        """Run ``job`` in a thread; past ``timeout``, answer :class:`QueryTimeout` and retire.

        The hand-off is a bare future settled from the thread and a timer on the loop: this is
        every small query's path, and ``run_in_executor`` with ``asyncio.timeout`` costs more.

        :raises QueryTimeout: if the answer was not ready in time.
        :raises QueryError: for a query the store refuses (syntax, too many results).
        """
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[tuple[str, object] | None] = loop.create_future()
        started: list[int] = []  # the id of the thread running the query, once it runs

        def work() -> None:
            started.append(self._placement.start())
            loop.call_soon_threadsafe(_settle, reply, _reply(self._store, job))

        self._placement.running += 1
        self._executor.submit(work)
        timer = loop.call_later(timeout, _settle, reply, None)
        spread = loop.call_later(SPREAD_AFTER, self._placement.spread, started)
        try:
            answered = await reply
        finally:
            self._placement.running -= 1
            timer.cancel()
            spread.cancel()
        if answered is None:
            if self._store.runaway_costs_cpu:
                self.retire()
            raise QueryTimeout(timeout)
        return _result(*answered)

    def retire(self) -> None:
        """Stop accepting connections and exit soon: uvicorn shuts down gracefully on SIGTERM (its
        graceful-shutdown timeout is :data:`RETIRE_GRACE` under ``lifecat serve``), and a timer
        ends the process shortly after that whatever the shutdown is waiting for."""
        if self.retiring or multiprocessing.parent_process() is None:
            return  # not a supervised server process: nothing would replace it, so keep serving
        self.retiring = True
        timer = threading.Timer(RETIRE_GRACE + 0.3, os._exit, (0,))
        timer.daemon = True
        timer.start()
        os.kill(os.getpid(), signal.SIGTERM)
