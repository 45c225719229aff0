"""Waiting for lifecat's clock, whose dates have a precision of one second."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from lifecat.graph.dumps import timestamp


def until_after(date: str) -> None:
    """Return once a date lifecat writes now would sort after ``date``, so that what changes next is
    dated later (a condition, usually met within the second)."""
    while timestamp(datetime.now(UTC)) <= date:
        time.sleep(0.02)
