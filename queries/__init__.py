"""Named SPARQL queries, loaded by name and run with bound values (never string interpolation).

Top-level ``*.rq`` files are the public example queries; ``pages/`` holds the queries behind the
HTML pages and API, ``shacl/`` the templates SHACL constraints compile to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from lifecat.core.sparql import query_form


@cache
def load(name: str) -> str:
    """The text of ``queries/{name}.rq`` (``name`` may include a sub-folder).

    >>> "GROUP BY" in load("shacl/minCount")
    True
    """
    return (files("lifecat.queries") / f"{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Example:
    """A public example query: a top-level ``queries/*.rq`` file with its title and description."""

    name: str
    title: str
    description: str
    text: str

    @property
    def form(self) -> str:
        """The query form: ``select``, ``construct``, ``ask`` or ``describe``.

        >>> Example("n", "t", "d", "PREFIX s: <http://s/> # CONSTRUCT?\\nASK { ?x s:p 1 }").form
        'ask'
        """
        return query_form(self.text)


def examples() -> list[Example]:
    """The public example queries, by file name; each declares ``# title:`` and ``# description:``.

    >>> [e.name for e in examples()][:1]
    ['catalog_licences']
    """
    found = []
    for entry in sorted(files("lifecat.queries").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            header = dict(_HEADER.findall(text))
            found.append(Example(entry.name.removesuffix(".rq"), header.get("title", entry.name),
                                 header.get("description", ""), text))
    return found


_HEADER = re.compile(r"^#\s*(title|description):\s*(.+?)\s*$", re.MULTILINE)
