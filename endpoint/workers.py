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

Both admit queries through :class:`lifecat.endpoint.admission.Lanes` (a few at once, each client
its share, the time limit counted from when a query starts), run them on threads with a large stack
(pyoxigraph parses and evaluates recursively), and stop a query that takes the process (or worker)
past ``query_memory``. The inline runner also lowers the priority of a query that has run for
:data:`HEAVY_AFTER`, so that lookups and pages keep the cores while it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Protocol

from lifecat.core.config import Settings
from lifecat.endpoint.admission import Lanes, Refused
from lifecat.endpoint.cpus import SPREAD_AFTER, Placement
from lifecat.endpoint.turnover import LONGEST_WAIT, Turnover
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


class TooMuchMemory(RuntimeError):
    """A query took its process past ``query_memory``, and was stopped."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the query needed more than {limit} MB, the most a query may use here")


#: Stack of a query thread: pyoxigraph parses and evaluates recursively, and a query within the
#: length cap can chain thousands of operators (8 MB, the usual thread stack, overflows at about
#: 2,200 nested groups or 3,000 BINDs). Only the part used is ever backed by memory.
QUERY_STACK = 256 * 2**20
#: Seconds after which a query counts as heavy: far past a lookup, well before the time limit.
HEAVY_AFTER = 0.5
#: Seconds between two looks at the memory of a process running heavy queries.
MEMORY_POLL = 0.2
_PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_mb(pid: int) -> float:
    """A process's resident memory, in MB (0 once it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE / 2**20
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def _with_stack(target: Callable[..., None], *args: object, name: str) -> threading.Thread:
    """A started daemon thread with :data:`QUERY_STACK`."""
    previous = threading.stack_size(QUERY_STACK)
    try:
        thread = threading.Thread(target=target, args=args, daemon=True, name=name)
        thread.start()
    finally:
        threading.stack_size(previous)
    return thread


def _serve(conn: Connection, settings: Settings) -> None:
    """A worker process: its loop runs on a thread with :data:`QUERY_STACK`."""
    _with_stack(_loop, conn, settings, name="lifecat-query").join()


def _loop(conn: Connection, settings: Settings) -> None:
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

    lanes: Lanes
    retiring: bool

    def start(self) -> None: ...

    def close(self) -> None: ...

    def pids(self) -> list[int]: ...

    async def run(self, job: QueryJob, *, timeout: float, client: str) -> QueryAnswer: ...


def runner(settings: Settings, store: Store) -> QueryRunner:
    """The runner ``settings.query_mode`` names."""
    return InlineRunner(settings, store) if settings.query_mode == "inline" else QueryPool(settings)


class Worker:
    """A worker process answering over a pipe: ``target(conn, *args)`` runs in it."""

    def __init__(self, context: multiprocessing.context.BaseContext, args: tuple[object, ...], *,
                 target: Callable[..., None] = _serve, name: str = "lifecat-query-worker") -> None:
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=target, args=(child, *args), daemon=True, name=name)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class Workers:
    """Worker processes, each answering one job at a time: started on demand, replaced when one is
    killed, stopped together; forked from a server preloaded with the module ``preload``."""

    def __init__(self, size: int, args: tuple[object, ...], *, preload: str,
                 target: Callable[..., None] = _serve, name: str = "lifecat-query-worker") -> None:
        self.size = size
        self._args, self._target, self._name = args, target, name
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([preload])
        self._workers: list[Worker] = []
        self._idle: list[Worker] = []

    def _add(self) -> None:
        worker = self._new()
        self._workers.append(worker)
        self._idle.append(worker)

    def _new(self) -> Worker:
        return Worker(self._context, self._args, target=self._target, name=self._name)

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            worker.kill()
        self._workers.clear()
        self._idle.clear()

    def pids(self) -> list[int]:
        """The workers' process ids (for monitoring and tests)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _replace(self, worker: Worker) -> Worker:
        worker.kill()
        fresh = self._new()
        self._workers[self._workers.index(worker)] = fresh
        return fresh


class QueryPool(Workers):
    """A fixed number of query worker processes, each running one query at a time."""

    def __init__(self, settings: Settings, *, size: int | None = None) -> None:
        super().__init__(size or settings.query_workers, (settings,), preload=__name__)
        self.lanes = Lanes(self.size, settings.client_queries)
        self._memory = settings.query_memory
        self.retiring = False  # a pool replaces its workers, never its process

    def start(self) -> None:
        """Start the workers (also done on first use)."""
        while len(self._workers) < self.size:
            self._add()

    async def run(self, job: QueryJob, *, timeout: float, client: str) -> QueryAnswer:
        """Run ``job`` in a free worker once ``client``'s turn comes, killing the worker if the answer
        takes longer than ``timeout`` or the worker more memory than allowed.

        :raises Refused: if no worker came free in time.
        :raises QueryTimeout: if the answer was not ready in time.
        :raises TooMuchMemory: if the worker grew past ``query_memory``.
        :raises QueryError: for a query the store refuses (syntax, too many results).
        """
        self.start()
        await self.lanes.enter(client, timeout)
        worker = self._idle.pop()
        heavy: list[bool] = []

        def set_aside() -> None:
            heavy.append(True)
            self.lanes.set_aside(client)

        try:
            worker.conn.send(job)
            async with asyncio.timeout(timeout):
                status, detail = await _receive(worker.conn, worker.process.pid or 0, self._memory,
                                                set_aside)
        except TimeoutError:
            worker = self._replace(worker)
            raise QueryTimeout(timeout) from None
        except TooMuchMemory:
            worker = self._replace(worker)
            raise
        except (EOFError, OSError) as error:
            worker = self._replace(worker)
            raise WorkerCrashed(f"the query worker stopped while running the query: {error}") from None
        finally:
            self._idle.append(worker)
            self.lanes.leave(client, set_aside=bool(heavy))
        return _result(status, detail)

async def _receive(conn: Connection, pid: int, memory: int, heavy: Callable[[], None]) -> tuple[str, object]:
    """The worker's reply, awaited without a thread: wait until its pipe is readable, then read it
    whole (the loop may have made the pipe non-blocking, and a long reply arrives in many writes).
    Still waiting after :data:`HEAVY_AFTER`, it calls ``heavy`` and watches the worker's memory.

    :raises TooMuchMemory: if the worker ``pid`` grows past ``memory`` MB meanwhile.
    """
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
    try:
        poll = HEAVY_AFTER
        while not (await asyncio.wait([ready], timeout=poll))[0]:
            if poll == HEAVY_AFTER:
                heavy()
                poll = MEMORY_POLL
            if resident_mb(pid) > memory:
                raise TooMuchMemory(memory)
    finally:
        with contextlib.suppress(ValueError, OSError):
            loop.remove_reader(fd)
    os.set_blocking(fd, True)
    return conn.recv()


class QueryThreads:
    """Threads for queries, made as needed with :data:`QUERY_STACK`; a thread whose priority was
    lowered for a heavy query ends with that query (its priority cannot be raised again)."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._idle = 0
        self._lock = threading.Lock()
        self._lowered: set[int] = set()

    def submit(self, work: Callable[[], None]) -> None:
        """Run ``work`` on an idle thread, or a new one."""
        with self._lock:
            spare = self._idle > 0
            self._idle -= spare
        if not spare:
            _with_stack(self._serve, name="lifecat-query")
        self._jobs.put(work)

    def lower(self, thread: int) -> None:
        """Give the thread ``thread`` (a native id) the lowest priority, for the rest of its life."""
        with contextlib.suppress(OSError):  # it has just ended
            os.setpriority(os.PRIO_PROCESS, thread, 19)
            self._lowered.add(thread)

    def _serve(self) -> None:
        me = threading.get_native_id()
        while True:
            self._jobs.get()()
            if me in self._lowered:
                self._lowered.discard(me)
                return
            with self._lock:
                self._idle += 1


def _settle(reply: asyncio.Future[tuple[str, object] | None], answered: tuple[str, object] | None) -> None:
    """Give ``reply`` its answer (``None``: the time is up), unless it has one already."""
    if not reply.done():
        reply.set_result(answered)


#: The share of ``query_memory`` past which an inline runner stops its heavy queries and retires when
#: its turn comes (their threads go on allocating until it exits; past all of it, it exits at once).
SOFT_MEMORY = 2 / 3
#: Queries an inline runner runs at once, heavy ones set aside included, per query slot.
HEAVY_SLOTS = 4


@dataclass(eq=False)
class _Running:
    """A query an inline runner runs: whose, its answer to come, its thread, whether it is heavy."""

    client: str
    reply: asyncio.Future[tuple[str, object] | None]
    threads: list[int] = field(default_factory=list)
    heavy: bool = False
    turning_heavy: asyncio.TimerHandle | None = None


RESTARTING = "this server process is restarting: try again in a moment"
#: Seconds a retiring server process answers with ``Connection: close`` before it stops accepting
#: requests, so that clients in the middle of a series move to another process.
RETIRE_NOTICE = 1.0
#: Seconds a retiring server process then gives its other requests before it exits.
RETIRE_GRACE = 1.0
#: Seconds between two tries to retire while another server process is restarting.
TURNOVER_POLL = 0.25


class InlineRunner:
    """Queries in this process's threads; one past its limit retires the process (see above).

    Only for server processes run under ``lifecat serve``'s supervisor, which replaces them.
    """

    def __init__(self, settings: Settings, store: Store) -> None:
        self._store = store
        self._threads = QueryThreads()
        self.lanes = Lanes(settings.query_workers, settings.client_queries,
                           most=HEAVY_SLOTS * settings.query_workers)
        self._memory = settings.query_memory
        self._placement = Placement(lambda: self.lanes.total)
        self._turnover = Turnover.from_environment()
        self._heavy: set[_Running] = set()  # queries set aside as heavy, still running
        self._watching = False
        self._waiting_since: float | None = None  # when this process first wanted to retire
        self.retiring = False

    def start(self) -> None:
        """Threads are made on demand; the process is ready to answer."""
        if self._turnover:
            self._turnover.ready()

    def close(self) -> None:
        """Stop; a retiring process exits here, as its runaway query's thread cannot be joined."""
        if self.retiring:
            os._exit(0)
        self.lanes.close("this server process is stopping")

    def pids(self) -> list[int]:
        return [os.getpid()]

    async def run(self, job: QueryJob, *, timeout: float, client: str) -> QueryAnswer:
        """Run ``job`` in a thread once ``client``'s turn comes; past ``timeout``, answer
        :class:`QueryTimeout` and retire.

        The hand-off is a bare future settled from the thread and timers on the loop: this is every
        small query's path, and ``run_in_executor`` with ``asyncio.timeout`` costs more.

        :raises Refused: if no slot came free in time, or the process is retiring.
        :raises QueryTimeout: if the answer was not ready in time.
        :raises TooMuchMemory: if the process grew past ``query_memory`` while it ran.
        :raises QueryError: for a query the store refuses (syntax, too many results).
        """
        await self.lanes.enter(client, timeout)
        loop = asyncio.get_running_loop()
        query = _Running(client, loop.create_future())

        def work() -> None:
            query.threads.append(self._placement.start())
            answered: tuple[str, object] = ("internal", "the query thread stopped")
            try:
                answered = _reply(self._store, job)
            finally:
                loop.call_soon_threadsafe(self._finished, query, answered)

        self._threads.submit(work)
        query.turning_heavy = loop.call_later(HEAVY_AFTER, self._heavy_query, query)
        timer = loop.call_later(timeout, _settle, query.reply, None)
        spread = loop.call_later(SPREAD_AFTER, self._placement.spread, query.threads)
        try:
            answered = await query.reply
        finally:
            timer.cancel()
            spread.cancel()
        if answered is None:
            if self._store.runaway_costs_cpu:
                self.retire()
            raise QueryTimeout(timeout)
        if answered[0] == "memory":
            raise TooMuchMemory(answered[1])  # type: ignore[arg-type]
        if answered[0] == "restarting":
            raise Refused(503, RESTARTING)
        return _result(*answered)

    def _finished(self, query: _Running, answered: tuple[str, object]) -> None:
        """On the loop, once a query's thread is done with it: its answer, and its slot back."""
        if query.turning_heavy:
            query.turning_heavy.cancel()
        self._heavy.discard(query)
        self.lanes.leave(query.client, set_aside=query.heavy)
        _settle(query.reply, answered)

    def _heavy_query(self, query: _Running) -> None:
        """A query that has run :data:`HEAVY_AFTER`: lowest priority, set aside from the slots, and
        memory watched."""
        query.heavy = True
        for thread in query.threads:
            self._threads.lower(thread)
        self.lanes.set_aside(query.client)
        self._heavy.add(query)
        if not self._watching:
            self._watching = True
            self._watch()

    def _watch(self) -> None:
        """While heavy queries run: past :data:`SOFT_MEMORY` of its memory, stop them all and retire
        in turn; past all of it, a supervised process exits at once (nothing else stops a query's
        allocations: the requests it is answering are lost, the supervisor starts another)."""
        if not self._heavy:
            self._watching = False
            return
        used, soft = resident_mb(os.getpid()), int(SOFT_MEMORY * self._memory)
        if used > self._memory and multiprocessing.parent_process() is not None:
            os._exit(1)
        if used > soft:
            for query in self._heavy:
                _settle(query.reply, ("memory", soft))
            self.retire()
        asyncio.get_running_loop().call_later(MEMORY_POLL, self._watch)

    def retire(self) -> None:
        """Stop accepting connections and exit soon (see :meth:`_leave`), once no other server process
        is restarting: until then this one keeps answering and its runaway query runs at the lowest
        priority."""
        if self.retiring or multiprocessing.parent_process() is None:
            return  # not a supervised server process: nothing would replace it, so keep serving
        if self._waiting_since is None:
            self._waiting_since = asyncio.get_running_loop().time()
            self._try_retire()

    def _try_retire(self) -> None:
        loop = asyncio.get_running_loop()
        patient = loop.time() - (self._waiting_since or 0.0) < LONGEST_WAIT
        if self.retiring:
            return
        if patient and self._turnover and not self._turnover.may_retire():
            loop.call_later(TURNOVER_POLL, self._try_retire)
            return
        self._leave()

    def _leave(self) -> None:
        """Exit soon: every answer asks its client to close the connection, after :data:`RETIRE_NOTICE`
        uvicorn shuts down gracefully on SIGTERM (its graceful-shutdown timeout is :data:`RETIRE_GRACE`
        under ``lifecat serve``), halfway through it the queries still waiting and the heavy ones
        running are answered 503 (:meth:`_give_up`), and a timer ends the process shortly after that
        whatever the shutdown is waiting for."""
        self.retiring = True
        timer = threading.Timer(RETIRE_NOTICE + RETIRE_GRACE + 0.3, os._exit, (0,))
        timer.daemon = True
        timer.start()
        loop = asyncio.get_running_loop()
        loop.call_later(RETIRE_NOTICE, os.kill, os.getpid(), signal.SIGTERM)
        loop.call_later(RETIRE_NOTICE + RETIRE_GRACE / 2, self._give_up)

    def _give_up(self) -> None:
        """Answer every query still waiting, and every heavy one still running, 503 before the
        shutdown cuts their requests off (a quick one running is left to finish)."""
        self.lanes.close(RESTARTING)
        for query in self._heavy:
            _settle(query.reply, ("restarting", RESTARTING))
