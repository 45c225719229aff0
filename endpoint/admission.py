"""Fair admission of public queries in one server process.

A few queries run at once (``query_workers``). A query still running after a while is *heavy*: it is
set aside (it stops counting against those slots; the runner lowers its priority) and counts against
its client instead, by address: a client with ``client_queries`` heavy queries running starts no
other until one ends, while other clients' queries go on starting. So one client sending many slow
queries holds back only itself, and a client sending many quick ones is not held back at all. A hard
cap (``most``) bounds all queries at once, heavy ones included. Queries that cannot start wait their
turn in order, for at most the query time limit, which only starts once a query runs. A request that
waits past it, or that would have to wait in a process that is restarting, is answered 503 with
``Retry-After``; a client with too many queries waiting is answered 429. Behind a reverse proxy the
address is the one uvicorn takes from ``X-Forwarded-For`` (its ``--forwarded-allow-ips``).
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque

#: Seconds a refused client is asked to wait before trying again.
RETRY_AFTER = 2
#: Queries one client may have waiting in one process before further ones are refused.
MAX_WAITING = 128


class Refused(Exception):
    """A query not run: the server is too busy for it or restarting (503), or its client has too many
    waiting (429)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.headers = {"Retry-After": str(RETRY_AFTER)}


class Lanes:
    """Query slots of one process, shared fairly between clients; used from its event loop only."""

    def __init__(self, slots: int, per_client: int, *, most: int | None = None) -> None:
        self.slots = slots  # queries at once, heavy ones set aside not counted
        self.most = most or slots  # queries at once, all counted
        self.per_client = per_client  # heavy queries one client runs at once
        self.running: Counter[str] = Counter()
        self.heavy: Counter[str] = Counter()
        self.light = 0
        self.total = 0
        self._waiting: deque[tuple[str, asyncio.Future[None]]] = deque()
        self._closed: str | None = None

    async def enter(self, client: str, wait: float) -> None:
        """Take a slot for ``client``, waiting at most ``wait`` seconds for one.

        :raises Refused: if none came in time, none is free in a closing process, or the client has
            too many waiting.
        """
        if self._free(client):
            self._take(client)
            return
        if self._closed:
            raise Refused(503, self._closed)
        if self.waiting(client) >= MAX_WAITING:
            raise Refused(429, f"{client} has {MAX_WAITING} queries waiting already: "
                               f"send the next when one is answered")
        turn = asyncio.get_running_loop().create_future()
        entry = (client, turn)
        self._waiting.append(entry)
        try:
            await asyncio.wait_for(asyncio.shield(turn), wait)
        except (TimeoutError, asyncio.CancelledError) as stopped:
            if not turn.done():
                self._waiting.remove(entry)
            elif turn.exception() is None:  # the slot came just as the wait ended
                self.leave(client)
            if isinstance(stopped, asyncio.CancelledError):
                raise
            raise Refused(503, f"no query slot came free in {wait:g} s: the endpoint is busy") from None

    def waiting(self, client: str) -> int:
        """How many of ``client``'s queries wait for a slot."""
        return sum(1 for waiter, _ in self._waiting if waiter == client)

    def set_aside(self, client: str) -> None:
        """``client``'s running query has turned heavy: its slot is free for others, and it counts
        against its client (and against :attr:`most`) until it ends."""
        self.light -= 1
        self.heavy[client] += 1
        self._dispatch()

    def leave(self, client: str, *, set_aside: bool = False) -> None:
        """Give back ``client``'s slot (once its query has stopped running) and start whoever is next."""
        self.total -= 1
        if set_aside:
            self.heavy[client] -= 1
            if not self.heavy[client]:
                del self.heavy[client]
        else:
            self.light -= 1
        self.running[client] -= 1
        if not self.running[client]:
            del self.running[client]
        self._dispatch()

    def close(self, reason: str) -> None:
        """Refuse every waiting query, and any later one that would have to wait, with 503 and ``reason``."""
        self._closed = reason
        while self._waiting:
            _, turn = self._waiting.popleft()
            if not turn.done():
                turn.set_exception(Refused(503, reason))

    def _free(self, client: str) -> bool:
        return self.light < self.slots and self.total < self.most and self.heavy[client] < self.per_client

    def _take(self, client: str) -> None:
        self.light += 1
        self.total += 1
        self.running[client] += 1

    def _dispatch(self) -> None:
        for entry in list(self._waiting):
            client, turn = entry
            if self._free(client):
                self._waiting.remove(entry)
                self._take(client)
                turn.set_result(None)
            elif self.light >= self.slots or self.total >= self.most:
                return
