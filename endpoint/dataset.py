"""What a query's text says about the dataset it reads: its ``FROM`` clauses and ``SERVICE`` calls.

pyoxigraph lets lifecat impose a dataset (which is how private graphs stay private) but then ignores
the query's own ``FROM``/``FROM NAMED``; reading them here lets a query narrow the public dataset as
SPARQL says it should. A cheap lexical scan (strings, IRIs and comments masked) decides whether a
full parse is needed at all, so queries without ``FROM`` pay nothing.
"""

from __future__ import annotations

import re

_MASKED = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w?$:]){word}(?![\w:-])", re.IGNORECASE)


_SERVICE, _FROM = _keyword("SERVICE"), _keyword("FROM")


def uses_service(query: str) -> bool:
    """Whether ``query`` calls another endpoint (``SERVICE``), ignoring strings, IRIs and comments.

    >>> uses_service("SELECT * { SERVICE <http://ex/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service { ?service a "SERVICE" } # SERVICE <x>')
    False
    """
    return bool(_SERVICE.search(_MASKED.sub(" ", query)))


def query_dataset(query: str, base_iri: str) -> tuple[list[str], list[str]]:
    """The graphs of the query's ``FROM`` and ``FROM NAMED`` clauses (prefixes and relative IRIs
    resolved); two empty lists when it has none or cannot be read (the public dataset then applies).

    >>> query_dataset("PREFIX g: <http://ex/g/> SELECT * FROM g:a FROM NAMED <b> { ?s ?p ?o }", "http://ex/")
    (['http://ex/g/a'], ['http://ex/b'])
    >>> query_dataset('SELECT * { ?s ?p "FROM <x>" }', "http://ex/")
    ([], [])
    """
    if not _FROM.search(_MASKED.sub(" ", query)):
        return [], []
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        clauses = translateQuery(parseQuery(query), base=base_iri).algebra.get("datasetClause") or []
    except Exception:  # rdflib cannot read every query pyoxigraph can: keep the public dataset
        return [], []
    defaults = [str(c["default"]) for c in clauses if "default" in c]
    named = [str(c["named"]) for c in clauses if "named" in c]
    return defaults, named
