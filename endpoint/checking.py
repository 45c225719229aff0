"""Checks asked for on the web, run in worker processes that are stopped when their time is up.

A check reads a visitor's document (or fetches it) and runs the compiled shapes over it: bounded
by the size cap, but a Python thread cannot be stopped, so each check runs in one of a few worker
processes (forked from a preloaded server, its shapes compiled once) with a memory limit. One still
running at ``validate_timeout`` is killed and replaced; one arriving while every worker is busy, or
while the same client has a check running, is answered at once (503 with ``Retry-After``) rather
than queued behind the others.
"""

from __future__ import annotations

import asyncio
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection

from lifecat.core.config import Settings
from lifecat.endpoint.workers import Workers
from lifecat.graph import markup
from lifecat.graph.check import Report, check
from lifecat.graph.check_inputs import gather
from lifecat.graph.fetch import Policy
from lifecat.graph.markup import MarkupError
from lifecat.graph.profiles import UnknownProfile, find, profiles

#: Address space a check worker may use: far above any check of a capped document, far below the machine.
WORKER_MEMORY = 2 << 30


@dataclass(frozen=True)
class CheckJob:
    """One check: ``content`` read as ``media_type`` (or guessed from ``name``), or ``url`` fetched."""

    name: str
    profiles: tuple[str, ...] = ()
    content: bytes | None = None
    media_type: str | None = None
    url: str | None = None


class CheckBusy(RuntimeError):
    """Every check worker of this process is busy."""


class CheckTimeout(RuntimeError):
    """A check ran past its time limit and was stopped."""


class CheckFailed(RuntimeError):
    """A check worker stopped without answering (out of memory, say)."""


class BadInput(ValueError):
    """The document or the request cannot be checked; the message says why (answered 400)."""


def run(job: CheckJob, policy: Policy) -> Report:
    """Read and check one job (in a worker process).

    :raises BadInput: for content that cannot be read, a profile lifecat lacks, or a URL that cannot
        be fetched.
    """
    try:
        chosen = [find(name) for name in job.profiles] or None
    except UnknownProfile as error:
        raise BadInput(str(error)) from None
    if job.url is not None:
        inputs = gather([job.url], policy, max_pages=100)
        if not inputs.documents and inputs.errors:
            raise BadInput("; ".join(inputs.errors))
        report = check(inputs.documents, chosen)
        report.errors[:0], report.notes[:0] = inputs.errors, inputs.notes
        return report
    assert job.content is not None
    try:
        documents = markup.read(job.name, job.content, markup.media_type(job.name, job.media_type))
    except MarkupError as error:
        raise BadInput(str(error)) from None
    report = check(documents, chosen)
    if not documents:
        report.notes.append((job.name, "no markup found (no JSON-LD, RDFa or microdata)"))
    return report


def _serve(conn: Connection, policy: Policy) -> None:
    """A worker: compile every profile's shapes once, then answer jobs until the pipe closes."""
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    for profile in profiles().values():
        for part in profile.parts:
            _ = part.compiled
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", run(job, policy)))
        except BadInput as error:
            conn.send(("bad", str(error)))
        except MemoryError:
            conn.send(("failed", "the check needed more memory than a check may use"))


class Checkers(Workers):
    """A few check worker processes, started on first use."""

    def __init__(self, settings: Settings) -> None:
        # a fetch gives up before the check's own limit, so a slow server is reported as such
        policy = Policy(allowed_networks=tuple(settings.validate_fetch_networks),
                        max_bytes=settings.validate_max_bytes, timeout=settings.validate_timeout * 0.75,
                        user_agent=f"lifecat ({settings.base}validate)")
        super().__init__(settings.validate_workers, (policy,), preload=__name__, target=_serve,
                         name="lifecat-check-worker")
        self.timeout = settings.validate_timeout
        self._clients: set[str] = set()

    async def run(self, job: CheckJob, client: str) -> Report:
        """Run ``job`` in an idle worker, killing it if the answer takes longer than the time limit.

        :raises CheckBusy: if every worker is busy, or ``client`` (an address) already has a check
            running here (so one client cannot hold every worker).
        :raises CheckTimeout: if the check overran its time limit.
        :raises CheckFailed: if the worker stopped without answering.
        :raises BadInput: for input that cannot be checked.
        """
        if client in self._clients:
            raise CheckBusy("a check of yours is still running; send the next one when it has answered")
        if not self._idle and len(self._workers) < self.size:
            self._add()
        if not self._idle:
            raise CheckBusy(f"all {self.size} check(s) of this server process are running; try again shortly")
        worker = self._idle.pop()
        self._clients.add(client)
        try:
            worker.conn.send(job)
            if not await asyncio.to_thread(worker.conn.poll, self.timeout):
                worker = self._replace(worker)
                raise CheckTimeout(f"the check took longer than {self.timeout:g} s and was stopped")
            status, detail = worker.conn.recv()
        except (EOFError, OSError):
            worker = self._replace(worker)
            raise CheckFailed("the check stopped without an answer") from None
        finally:
            self._idle.append(worker)
            self._clients.discard(client)
        if status == "bad":
            raise BadInput(detail)
        if status == "failed":
            raise CheckFailed(detail)
        return detail
