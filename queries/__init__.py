"""Named SPARQL queries, loaded by name and run with bound values (never string interpolation).

Top-level ``*.rq`` files are the public example queries; ``pages/`` holds the queries behind the
HTML pages and API, ``shacl/`` the templates SHACL constraints compile to.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def load(name: str) -> str:
    """The text of ``queries/{name}.rq`` (``name`` may include a sub-folder).

    >>> "GROUP BY" in load("shacl/minCount")
    True
    """
    return (files("lifecat.queries") / f"{name}.rq").read_text(encoding="utf-8")
