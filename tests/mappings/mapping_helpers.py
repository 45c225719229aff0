"""What the format tests share: map a fixture file record by record and look at the triples."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from lifecat.core.uris import Minter
from lifecat.core.vocab import RDF
from lifecat.mappings import RecordError, get_format
from lifecat.mappings.rdf import Record

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASE = "http://lifecat.test/"
MINT = Minter(BASE)


def node(kind: str, key: str) -> NamedNode:
    """The lifecat node of a record in the tests' base."""
    return MINT.record(kind, key)


@dataclass
class Mapped:
    """The records a format maps from a fixture, by the key their locator ends with."""

    records: dict[str, Record | RecordError]

    def __getitem__(self, key: str) -> Record:
        result = self.records[key]
        assert isinstance(result, Record), f"{key} was not mapped: {result}"
        return result

    def error(self, key: str) -> RecordError:
        result = self.records[key]
        assert isinstance(result, RecordError), f"{key} was mapped, expected a RecordError"
        return result

    def objects(self, key: str, subject: NamedNode, predicate: NamedNode) -> set[str]:
        triples = self[key].triples
        return {t.object.value for t in triples if t.subject == subject and t.predicate == predicate}

    def types(self, key: str, subject: NamedNode) -> set[str]:
        return self.objects(key, subject, RDF.type)

    def literals(self, key: str) -> list[str]:
        return [t.object.value for t in self[key].triples if isinstance(t.object, Literal)]


def map_fixture(fmt: str, path: str) -> Mapped:
    """Read ``tests/fixtures/{path}`` with format ``fmt`` and map every record it holds."""
    results: dict[str, Record | RecordError] = {}
    source = get_format(fmt)
    for item in source.read(FIXTURES / path):
        try:
            results[item.locator.rsplit("#", 1)[1]] = source.to_rdf(item.data, MINT)
        except RecordError as error:
            results[item.locator.rsplit("#", 1)[1]] = error
    return Mapped(results)
