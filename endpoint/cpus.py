"""Which CPUs ``lifecat serve``'s server processes and their query threads run on.

A public query is handed from a server process's event loop to one of its query threads and back
(see :mod:`lifecat.endpoint.workers`). When the two threads run on different cores, each hand-off
has to wake the other core and the query's data moves between caches: on a two-core virtual
machine that cost as much as a point lookup itself. So the :class:`Supervisor` keeps server process
``i`` on CPU ``i`` (modulo the CPUs lifecat may use, and only when there are at least as many
processes as CPUs), and a query that is its process's only one starts on that CPU. A query still
running after :data:`SPREAD_AFTER`, or running beside others of its process, may run on any of
lifecat's CPUs (:class:`Placement`): heavy queries of one process then use every core, whichever
process their connections happen to reach. Linux only; elsewhere the kernel places everything.
Measured in ``docs/performance.md``.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from socket import socket

from uvicorn.config import Config
from uvicorn.supervisors import Multiprocess

#: Whether this system lets a process choose its CPUs (Linux does; elsewhere placement is left alone).
AFFINITY = hasattr(os, "sched_setaffinity")
#: Set by the supervisor for its server processes: the CPUs lifecat may use, comma-separated.
SERVER_CPUS = "LIFECAT_SERVER_CPUS"
#: Seconds after which a running query may move off its process's CPU: far longer than a lookup,
#: far shorter than a heavy query.
SPREAD_AFTER = 0.005


class Supervisor(Multiprocess):
    """uvicorn's process supervisor, starting each server process (and its replacements) on a CPU."""

    def __init__(self, config: Config, sockets: list[socket]) -> None:
        super().__init__(config, sockets)
        self._placed: set[int] = set()  # the processes already put on their CPU

    def init_processes(self) -> None:
        if AFFINITY:
            os.environ[SERVER_CPUS] = ",".join(map(str, sorted(os.sched_getaffinity(0))))
        super().init_processes()
        self.pin()

    def keep_subprocess_alive(self) -> None:
        super().keep_subprocess_alive()
        self.pin()

    def restart_all(self) -> None:
        super().restart_all()
        self.pin()

    def pin(self) -> None:
        """Put each server process that has not been placed yet on its CPU (its threads inherit it)."""
        cpus = sorted(os.sched_getaffinity(0)) if AFFINITY else []
        if not cpus or len(self.processes) < len(cpus):
            return
        for index, process in enumerate(self.processes):
            if process.pid is None or process.pid in self._placed:
                continue
            with contextlib.suppress(OSError):  # the process (or a thread of it) has just exited
                for task in os.listdir(f"/proc/{process.pid}/task"):
                    os.sched_setaffinity(int(task), {cpus[index % len(cpus)]})
            self._placed.add(process.pid)
        self._placed &= {process.pid for process in self.processes}


class Placement:
    """Where one server process's query threads run: a query that is the process's only one starts on
    the CPU of the process's event loop (its main thread) and may spread to all of lifecat's CPUs once
    it has run a while; one that runs beside others may run anywhere from the start. Outside the
    supervisor, or unpinned, all of these are every CPU the process may use."""

    def __init__(self, running: Callable[[], int]) -> None:
        found = {int(cpu) for cpu in os.environ.get(SERVER_CPUS, "").split(",") if cpu}
        self.anywhere = found or (os.sched_getaffinity(0) if AFFINITY else set())
        self.running = running  # how many queries the process runs now, this one included

    def start(self) -> int:
        """In a query thread, before a query: choose where it runs; the thread's id."""
        if AFFINITY:
            alone = self.running() <= 1
            with contextlib.suppress(OSError):  # CPUs taken away meanwhile: the kernel places it
                os.sched_setaffinity(0, os.sched_getaffinity(os.getpid()) if alone else self.anywhere)
        return threading.get_native_id()

    def spread(self, started: list[int]) -> None:
        """From the event loop, for a query still running in the thread ``started`` names (if it has
        started): let it run on any of lifecat's CPUs."""
        if not AFFINITY:
            return
        with contextlib.suppress(OSError):  # the thread has gone
            for thread in started:
                os.sched_setaffinity(thread, self.anywhere)
