"""Conditional GET (RFC 9110 §13): the validators of an answer, and the ``304 Not Modified`` they earn.

A store generation never changes once built, so whatever a record URI, a catalogue page or a
catalogue export answers is fixed by the generation and the request. Their ``ETag`` is a digest of
the generation's name (its folder's), lifecat's version and the parts of the request that choose the
answer (path, query string, negotiated media type): it is known before anything is read, so a
revalidation costs no query, every front-end of one store gives the same, and a new generation makes
every one of them new. It is weak (``W/``): answers are the same in meaning, and no byte ranges are
served from them.
``Last-Modified`` is when the generation was built, or a date the data gives (the catalogue's, a
dump's). A dump's ``ETag`` is its SHA-256, strong, as its bytes are what the checksum covers.

If-None-Match is weighed first (weak comparison, ``*``, lists); If-Modified-Since only without it.
Conditions count only where the answer would otherwise be 200 (RFC 9110 §13.2.1).

>>> v = Validators('W/"abc"', datetime(2024, 5, 1, 12, tzinfo=UTC))
>>> v.headers["Last-Modified"]
'Wed, 01 May 2024 12:00:00 GMT'
>>> sorted(listed('"abc", W/"d,e"')), listed("*")
(['abc', 'd,e'], {'*'})
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from fastapi import Request, Response

from lifecat.core.version import __version__

#: One element of an If-None-Match list: ``*`` or an entity tag, weak or not (its opaque part kept).
_TAG = re.compile(r'\s*(?:(\*)|(?:W/)?"([^"]*)")\s*(?:,|$)')
#: The methods a 304 answers (RFC 9110 §13.1.2).
_SAFE = ("GET", "HEAD")


@dataclass(frozen=True)
class Validators:
    """An answer's entity tag (quoted, ``W/`` if weak) and modification time (UTC, whole seconds)."""

    etag: str
    modified: datetime

    @property
    def headers(self) -> dict[str, str]:
        return {"ETag": self.etag, "Last-Modified": format_datetime(self.modified, usegmt=True)}


@lru_cache(maxsize=16)
def built(folder: Path) -> datetime:
    """When the generation in ``folder`` was built: the last change of its folder, whose artifacts the
    build writes last and nothing writes once it is served."""
    return datetime.fromtimestamp(int(folder.stat().st_mtime), UTC)


def of_generation(folder: Path, *request: str, modified: datetime | None = None) -> Validators:
    """The validators of an answer fixed by the generation in ``folder`` and ``request`` (the parts of
    the request that choose it); modified when the generation was built unless ``modified`` is given."""
    digest = hashlib.sha256("\n".join([__version__, folder.name, *request]).encode()).hexdigest()
    return Validators(f'W/"{digest[:32]}"', modified or built(folder))


def listed(header: str) -> set[str]:
    """The opaque tags (and ``*``) an If-None-Match header lists; nothing if it is malformed."""
    found, position = set(), 0
    while position < len(header):
        match = _TAG.match(header, position)
        if match is None or match.end() == position:
            return set()
        found.add(match.group(1) or match.group(2))
        position = match.end()
    return found


def unchanged(request: Request, validators: Validators, *, exists: bool = True) -> bool:
    """Whether a GET or HEAD request's conditions say the client's copy is current (answer 304).

    With ``exists=False`` (before the resource is looked up) only a tag If-None-Match lists counts: it
    was handed out with a 200 to this very request in this generation. ``*`` and If-Modified-Since
    wait until the resource is known to exist.
    """
    if request.method not in _SAFE:
        return False
    tags = request.headers.get("if-none-match")
    if tags is not None:
        found = listed(tags)
        return validators.etag.removeprefix("W/").strip('"') in found or (exists and "*" in found)
    since = request.headers.get("if-modified-since")
    if since is None or not exists:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):  # an invalid date is ignored
        return False
    if moment.tzinfo is None:  # "-0000": UTC as well
        moment = moment.replace(tzinfo=UTC)
    return validators.modified <= moment <= datetime.now(UTC)


def not_modified(validators: Validators, headers: dict[str, str] | None = None) -> Response:
    """The 304: the validators and ``headers`` (``Vary``) a 200 would carry, no body."""
    return Response(status_code=304, headers={**validators.headers, **(headers or {})})
