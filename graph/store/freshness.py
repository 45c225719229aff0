"""Reading a remote store's generation marker once per round trip, however many queries ask.

Every query must know the store's current generation (a swap may have happened since the last
one), but a marker read for each query would double the store's requests and add a round trip to
each answer. A query needs a read that was *sent after it arrived*: such a read can only be newer
than the query. So reads are shared: while one is on the wire, queries that arrive wait for the next
one, which is sent as soon as the first comes back; at most one read is on the wire and one waits to
go. Queries send their own request meanwhile and check the marker once both are back.

>>> import itertools
>>> counter = itertools.count()
>>> reads = SharedReads(lambda: next(counter))
>>> reads.fresh().result(), reads.fresh().result()
(0, 1)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedReads(Generic[T]):
    """Calls of ``read`` shared by the callers of :meth:`fresh` (see the module docs)."""

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._lock = threading.Lock()
        self._waiting: Future[T] | None = None  # the read new callers join; not sent yet
        self._sending = False
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="lifecat-marker")

    def fresh(self) -> Future[T]:
        """The outcome of a read sent after this call."""
        with self._lock:
            future = self._waiting
            if future is None:
                future = self._waiting = Future()
                if not self._sending:
                    self._send()
            return future

    def _send(self) -> None:
        """Send the waiting read (the lock is held)."""
        future, self._waiting, self._sending = self._waiting, None, True
        self._executor.submit(self._run, future)

    def _run(self, future: Future[T] | None) -> None:
        assert future is not None
        try:
            future.set_result(self._read())
        except BaseException as error:  # the callers get it
            future.set_exception(error)
        finally:
            with self._lock:
                self._sending = False
                if self._waiting is not None:
                    self._send()
