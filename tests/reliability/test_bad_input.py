"""Bad input never crashes a build and no record is lost unaccounted: a corpus of broken sources.

Each test runs ``lifecat build`` (in-process, as the terminal would) on a small broken source into a
new store and checks the exit status, that no traceback reaches the terminal, that every record read
is loaded or quarantined, and the reason given. A file that cannot be read at all stops the build with
one line naming the file (and the line, where there is one), the store unchanged. Big inputs (huge
values, deep nesting) are written by the tests.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat

from lifecat.cli import main
from lifecat.core.config import Settings
from lifecat.core.uris import Minter
from lifecat.endpoint.app import create_app
from lifecat.graph.store import Store
from lifecat.graph.store.embedded import EmbeddedStore
from lifecat.mappings import FORMATS, SourceItem

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "http://lifecat.test/"
MINT = Minter(BASE)
SUMMARY = re.compile(r"^(\S+) \((\S+)\): read (\d+), loaded (\d+), quarantined (\d+)", re.M)


@dataclass
class Built:
    """What one ``lifecat build`` printed and left in its store."""

    exit_code: int
    output: str
    store: Path

    @property
    def counts(self) -> dict[str, tuple[int, int, int]]:
        """(read, loaded, quarantined) of each source, as the build printed them."""
        return {m[1]: (int(m[3]), int(m[4]), int(m[5])) for m in SUMMARY.finditer(self.output)}

    def quarantined(self) -> dict[str, list[str]]:
        """Each quarantined record's key, with its reasons, as ``lifecat quarantine --json`` lists them."""
        listed = CliRunner().invoke(main, ["--store", str(self.store), "quarantine", "--json"])
        assert listed.exit_code == 0, listed.output
        return {r["key"]: r["reasons"] for source in json.loads(listed.output) for r in source["records"]}


def lifecat_build(store: Path, *sources: str, options: tuple[str, ...] = (),
                  env: dict[str, str] | None = None) -> Built:
    """Run ``lifecat build`` on ``sources`` (``FORMAT:PATH``) into ``store``; check what every build owes."""
    arguments = ["--store", str(store), "--base", BASE, "build", "--quiet", *options]
    for source in sources:
        arguments += ["--source", source]
    result = CliRunner(env=env).invoke(main, arguments)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in {0, 1}, result.output
    built = Built(result.exit_code, result.output, store)
    if result.exit_code == 0:
        assert built.counts, result.output
        for read, loaded, quarantined in built.counts.values():
            assert read == loaded + quarantined, result.output
    else:
        assert "store is unchanged" in result.output
        assert len(result.output.strip().splitlines()[-1]) < 600  # one line, not a dump
    return built


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def public_literals(store: Path, source: str) -> list[str]:
    reader = EmbeddedStore(store, MINT).reader()
    return [q.object.value for q in reader.quads_for_pattern(None, None, None, MINT.graph(source))
            if not q.object.value.startswith("http")]


# Files that cannot be read at all: the build stops, naming the file (and line), the store unchanged.

@pytest.mark.parametrize(("source", "message"), [
    (f"biotools:{fixture('truncated.json')}", r"truncated\.json: not a biotools file .*Unterminated string"),
    (f"ena-runs:{fixture('latin1.csv')}", r"latin1\.csv: not a ena-runs file .*line 3: not UTF-8 .*0xe7"),
    (f"ror:{fixture('ror-latin1.json')}", r"ror-latin1\.json: not a ror file .*line 6: not UTF-8 text"),
    (f"nextstrain:{fixture('missing-column.tsv')}", r"missing-column\.tsv: not a nextstrain .*no column"),
    (f"preprints:{fixture('empty.csv')}", r"empty\.csv: not a preprints file .*the file is empty"),
])
def test_unreadable_files_stop_the_build_with_one_line(tmp_path: Path, source: str, message: str) -> None:
    lifecat_build(tmp_path / "store", f"biotools:{fixture('biotools-missing-id.json')}")
    generation = Store.open(Settings(store=str(tmp_path / "store"))).generation()
    built = lifecat_build(tmp_path / "store", source)
    assert built.exit_code == 1
    assert re.search(message, built.output), built.output
    assert Store.open(Settings(store=str(tmp_path / "store"))).generation() == generation


# Broken records: quarantined with the reason, the rest of the source loaded.

def test_an_unterminated_quote_is_reported_with_its_line(tmp_path: Path) -> None:
    built = lifecat_build(tmp_path / "store", f"ena-runs:{fixture('unterminated-quote.csv')}")
    assert built.exit_code == 0
    assert built.counts["ena-runs"] == (21, 20, 1)  # before, the quote swallowed 15 rows: "read 6"
    assert "quarantined 1: quote never closed" in built.output
    [reasons] = built.quarantined().values()
    assert "line 7" in reasons[0] and "to line 22" in reasons[0]


def test_ragged_rows_are_quarantined(tmp_path: Path) -> None:
    built = lifecat_build(tmp_path / "store", f"ena-runs:{fixture('ragged.csv')}")
    assert built.counts["ena-runs"] == (4, 2, 2)
    assert "quarantined 2: row does not fit the header" in built.output
    reasons = built.quarantined()
    assert reasons["ERR4000002"] == ["row does not fit the header: line 3: 7 cells where the header has 6"]
    assert reasons["ERR4000003"] == ["row does not fit the header: line 4: 2 cells where the header has 6"]


def test_duplicate_ids_keep_the_first_record(tmp_path: Path) -> None:
    built = lifecat_build(tmp_path / "store", f"ena-runs:{fixture('duplicate-ids.csv')}")
    assert built.counts["ena-runs"] == (5, 3, 2)
    assert "quarantined 1: duplicate id" in built.output
    assert "quarantined 1: record has no id" in built.output
    assert "duplicate ids 1 (the first record of each is kept): ERR4000002" in built.output
    reasons = built.quarantined()
    assert reasons["ERR4000002~2"] == [
        f"duplicate id: 'ERR4000002' again; the record first seen at {fixture('duplicate-ids.csv')} line 3 "
        "is kept"]
    assert reasons["row-6"] == ["record has no id: line 6: no value in column run_accession"]
    # one node, as the first row describes it: not merged with the duplicate's values
    assert "France" not in " ".join(public_literals(tmp_path / "store", "ena-runs"))


def test_duplicate_ids_in_a_json_file_keep_the_first_record(tmp_path: Path) -> None:
    tools = [{"biotoolsID": ident, "name": name, "homepage": "https://a.example"}
             for ident, name in [("alpha", "First"), ("beta", "Beta"), ("Alpha", "Second")]]
    (tmp_path / "tools.json").write_text(json.dumps(tools), encoding="utf-8")
    built = lifecat_build(tmp_path / "store", f"biotools:{tmp_path / 'tools.json'}")
    assert built.counts["biotools"] == (3, 2, 1)
    assert "duplicate ids 1 (the first record of each is kept): alpha" in built.output
    assert built.quarantined() == {"alpha~2": [
        f"duplicate id: 'alpha' again; the record first seen at {tmp_path / 'tools.json'}#alpha is kept"]}
    names = public_literals(tmp_path / "store", "biotools")
    assert "First" in names and "Second" not in names


@pytest.mark.parametrize(("source", "key"), [
    ("biotools:biotools-missing-id.json", "item-1"),
    ("ror:ror-missing-id.json", "item-2"),
])
def test_a_record_without_an_id_is_quarantined_not_the_file(tmp_path: Path, source: str, key: str) -> None:
    fmt, _, name = source.partition(":")
    built = lifecat_build(tmp_path / "store", f"{fmt}:{fixture(name)}")
    assert built.exit_code == 0
    read, loaded, quarantined = built.counts[fmt]
    assert (loaded, quarantined) == (read - 1, 1)
    assert "quarantined 1: record has no id" in built.output
    assert list(built.quarantined()) == [key]


def test_an_empty_source_does_not_empty_its_graph(tmp_path: Path) -> None:
    store = tmp_path / "store"
    good = tmp_path / "preprints.csv"
    good.write_text("source,doi,arxiv_id,posted_date,title,abstract\n"
                    "medRxiv,10.1101/2020.03.15.000001,NA,2020-03-18,A title,NA\n", encoding="utf-8")
    assert lifecat_build(store, f"preprints:{good}").counts["preprints"] == (1, 1, 0)
    refused = lifecat_build(store, f"preprints:{fixture('header-only.csv')}")
    assert refused.exit_code == 1
    assert "source preprints loaded no record" in refused.output and "--allow-empty" in refused.output
    assert public_literals(store, "preprints")  # still served
    allowed = lifecat_build(store, f"preprints:{fixture('header-only.csv')}", options=("--allow-empty",))
    assert allowed.exit_code == 0 and allowed.counts["preprints"] == (0, 0, 0)
    assert "no record read from" in allowed.output
    assert not public_literals(store, "preprints")


def test_a_header_only_file_builds_a_new_source(tmp_path: Path) -> None:
    built = lifecat_build(tmp_path / "store", f"preprints:{fixture('header-only.csv')}")
    assert built.exit_code == 0 and built.counts["preprints"] == (0, 0, 0)


def test_script_urls_and_bad_dates_are_dropped_with_a_note(tmp_path: Path) -> None:
    built = lifecat_build(tmp_path / "store", f"biotools:{fixture('biotools-script-urls.json')}",
                          f"ror:{fixture('ror-script-urls.json')}")
    assert built.counts["biotools"] == (1, 1, 0)  # it lacks a homepage now: loaded with a warning
    assert built.counts["ror"] == (1, 0, 1)  # a founding year that is no year cannot be mapped
    assert built.quarantined()["044rwnt51"] == ["cannot map record: established: Input should be a valid "
                                                "integer, unable to parse string as an integer"]
    reader = EmbeddedStore(tmp_path / "store", MINT).reader()
    public = [MINT.graph("biotools"), MINT.graph("ror")]
    assert not [q for q in reader if "javascript" in q.object.value and q.graph_name in public]
    notes = {q.object.value for q in reader.quads_for_pattern(None, None, None, MINT.meta_graph)
             if "is not" in q.object.value}
    assert "homepage: 'javascript:alert(1)' is not a valid IRI (not an absolute http(s) IRI)" in notes
    assert "additionDate: 'the day before yesterday' is not a date" in notes


def test_control_characters_never_reach_the_store(tmp_path: Path) -> None:
    table = tmp_path / "runs.tsv"
    table.write_text("run_accession\tsample_accession\thost\n"
                     "ERR4000001\tSAMEA7000001\tHomo\x00 sa\x01piens\x1b\n", encoding="utf-8")
    built = lifecat_build(tmp_path / "store", f"biotools:{fixture('biotools-control-chars.json')}",
                          f"ena-runs:{table}")
    assert built.counts == {"biotools": (1, 1, 0), "ena-runs": (1, 1, 0)}
    literals = [v for source in ("biotools", "ena-runs") for v in public_literals(tmp_path / "store", source)]
    assert {"Controls[31m", "Line one\nline two\tand a tab", "Homo sapiens"} <= set(literals)
    assert not [v for v in literals if re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", v)]
    # every serialisation stays well-formed XML: RDF/XML of the graphs, SPARQL XML results
    store = Store.open(Settings(store=str(tmp_path / "store"), base=BASE))
    reader = EmbeddedStore(tmp_path / "store", MINT).reader()
    for source in ("biotools", "ena-runs"):
        ET.fromstring(reader.dump(format=RdfFormat.RDF_XML, from_graph=MINT.graph(source)))
    results = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    ET.fromstring(results.serialize("application/sparql-results+xml"))


def test_path_like_ids_become_one_reachable_segment(tmp_path: Path) -> None:
    built = lifecat_build(tmp_path / "store", f"nextstrain:{fixture('path-ids.tsv')}")
    assert built.counts["nextstrain"] == (4, 3, 1)
    assert "quarantined 1: unusable id" in built.output
    assert built.quarantined() == {"..": ["unusable id: '..' cannot be the last part of a record IRI"]}
    reader = EmbeddedStore(tmp_path / "store", MINT).reader()
    samples = {q.subject.value for q in reader.quads_for_pattern(None, None, None, MINT.graph("nextstrain"))
               if q.subject.value.startswith(f"{BASE}id/sample/") and "#" not in q.subject.value}
    assert samples == {f"{BASE}id/sample/{key}" for key in
                       ("..%2F..%2Fetc%2Fpasswd", "Exampleland%2F%2FEX-2%2F2020", "Exampleland/EX-4/2020")}
    for uri in samples:  # no segment a client would resolve away
        assert not {"", ".", ".."} & set(uri.removeprefix(BASE).split("/")), uri
    with TestClient(create_app(Settings(store=str(tmp_path / "store"), base=BASE))) as client:
        for uri in samples:  # and each resolves
            page = client.get(uri.removeprefix(BASE.rstrip("/")), headers={"Accept": "text/turtle"})
            assert page.status_code == 200 and uri in page.text, uri


# Big inputs, written by the tests.

def test_huge_values_load_up_to_the_configured_size(tmp_path: Path) -> None:
    table = tmp_path / "trials.tsv"
    header = (FIXTURES.parent.parent / "fixtures" / "ctgov" / "classic.tsv").read_text(encoding="utf-8")
    columns = header.splitlines()[0].split("\t")
    row = dict.fromkeys(columns, "")
    row |= {"NCT Number": "NCT04000001", "Title": "A trial", "Conditions": "COVID-19",
            "Outcome Measures": "x" * 200_000}  # beyond the csv module's 131,072-character default
    table.write_text("\t".join(columns) + "\n" + "\t".join(row.values()) + "\n", encoding="utf-8")
    assert lifecat_build(tmp_path / "store", f"ctgov:{table}").counts["ctgov"] == (1, 1, 0)
    smaller = lifecat_build(tmp_path / "other", f"ctgov:{table}", env={"LIFECAT_MAX_FIELD_SIZE": "100000"})
    assert smaller.counts["ctgov"] == (1, 0, 1)
    assert "quarantined 1: value too large" in smaller.output
    [reasons] = smaller.quarantined().values()
    assert reasons[0].startswith("value too large: line 2: a value longer than 100,000 characters")


def test_deep_nesting_is_quarantined_per_record(tmp_path: Path) -> None:
    deep: object = "bottom"
    for _ in range(150):
        deep = {"nested": [deep]}
    page = {"count": 2, "list": [{"biotoolsID": "shallow", "name": "Shallow", "homepage": "https://a.example"},
                                 {"biotoolsID": "deep", "name": "Deep", "homepage": "https://b.example",
                                  "extra": deep}]}
    (tmp_path / "tools.json").write_text(json.dumps(page), encoding="utf-8")
    built = lifecat_build(tmp_path / "store", f"biotools:{tmp_path / 'tools.json'}")
    assert built.counts["biotools"] == (2, 1, 1)
    assert built.quarantined() == {"deep": ["nested too deeply: more than 64 levels (max_depth)"]}


def test_json_too_deep_to_parse_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"count": 1, "list": [' + '{"a": [' * 1000 + "1" + "]}" * 1000 + "]}", encoding="utf-8")
    built = lifecat_build(tmp_path / "store", f"biotools:{path}")
    assert built.exit_code == 1
    assert f"{path}: not a biotools file (expected" in built.output and "nested too deeply" in built.output


# An error nobody foresaw: one line naming where, the traceback in a log file.

def test_an_unexpected_error_is_one_line_and_a_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fmt = FORMATS["ena-runs"]

    def failing(path: Path | None) -> Iterator[SourceItem]:
        items = fmt.read(path)
        yield next(items)
        raise KeyError("a reader bug")

    monkeypatch.setitem(FORMATS, "ena-runs", dataclasses.replace(fmt, read=failing))
    built = lifecat_build(tmp_path / "store", f"ena-runs:{fixture('duplicate-ids.csv')}")
    assert built.exit_code == 1
    [line] = [text for text in built.output.splitlines() if "unexpected error" in text]
    assert (f"unexpected error in source ena-runs, file {fixture('duplicate-ids.csv')}, record ERR4000001: "
            "KeyError: 'a reader bug'") in line
    log = Path(re.search(r"full traceback in (\S+)\)", line)[1])  # type: ignore[index]
    assert log.parent == tmp_path / "store" / "logs"
    assert "Traceback" in log.read_text() and "a reader bug" in log.read_text()
