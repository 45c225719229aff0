"""Server processes of ``lifecat serve`` take turns to retire, so that one is always answering.

A process retires after a query overran (see :class:`lifecat.endpoint.workers.InlineRunner`) and
the supervisor starts a fresh one, which takes seconds to load. Two processes retiring together
would leave nobody to answer meanwhile, so each ready process leaves a marker in a folder the
supervisor made, and a process retires only when every other process has one (under a lock, taking
its own marker away first). One that has to wait keeps answering; its overrunning query goes on at
the lowest priority until then, and after :data:`LONGEST_WAIT` it retires whatever the others do.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

#: The environment variable naming the folder, set by ``lifecat serve`` for its server processes.
FOLDER = "LIFECAT_SERVE_TURNOVER"
#: The environment variable giving the number of server processes.
PROCESSES = "LIFECAT_SERVE_PROCESSES"
#: Seconds a process waits for the others to be ready before it retires anyway.
LONGEST_WAIT = 20.0


class Turnover:
    """This process's place among its supervisor's server processes."""

    def __init__(self, folder: Path, processes: int) -> None:
        self.folder = folder
        self.processes = processes
        self._marker = folder / str(os.getpid())

    @classmethod
    def from_environment(cls) -> Turnover | None:
        """The turnover of a supervised server process; ``None`` elsewhere."""
        folder = os.environ.get(FOLDER)
        return cls(Path(folder), int(os.environ.get(PROCESSES, "1"))) if folder else None

    def ready(self) -> None:
        """Say that this process answers requests."""
        self._marker.touch()

    def may_retire(self) -> bool:
        """Whether this process may retire now (every other one is ready); if so it is no longer
        counted as ready."""
        with open(self.folder / "lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            others = 0
            for marker in self.folder.iterdir():
                if not marker.name.isdigit() or marker == self._marker:
                    continue
                if _alive(int(marker.name)):
                    others += 1
                else:  # a process that was killed
                    marker.unlink(missing_ok=True)
            if others < self.processes - 1:
                return False
            self._marker.unlink(missing_ok=True)
            return True


def _alive(pid: int) -> bool:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, 0)
        return True
    return False
