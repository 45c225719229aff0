"""WHO ICTRP export: BOM, trials from many registries, one node per trial, contact columns never read."""

from __future__ import annotations

import pytest
from mapping_helpers import FIXTURES, map_fixture, node
from pyoxigraph import Literal, NamedNode

from lifecat.core.vocab import ACCESS_RIGHT, DCT, LIFECAT, OWL, PROV, RDFS, SCHEMA, XSD
from lifecat.mappings import SourceFormatError, get_format

CONTACTS = ("Pengfei", "Maria", "Example Road", "example.edu.cn", "example.es", "+86", "0034",
            "Example Hospital")


@pytest.fixture(scope="module")
def trials():
    return map_fixture("ictrp", "ictrp")


def test_contact_columns_are_dropped_as_read() -> None:
    items = list(get_format("ictrp").read(FIXTURES / "ictrp"))
    assert items[0].locator.endswith("#ChiCTR2000030001")  # the byte-order mark is not part of "TrialID"
    for item in items:
        assert not [column for column in item.data if column.startswith("Contact")]
        assert not [v for v in item.data.values() if any(c in (v or "") for c in CONTACTS)]


def test_chictr_trial(trials) -> None:
    key, trial = "ChiCTR2000030001", node("trial", "ChiCTR2000030001")
    rec = trials[key]
    assert rec.uri == trial
    assert trials.objects(key, trial, SCHEMA.name) == {"Convalescent plasma for severe COVID-19"}
    assert trials.objects(key, trial, SCHEMA.status) == {SCHEMA.Recruiting.value}
    assert trials.objects(key, trial, SCHEMA.url) == {"http://www.chictr.org.cn/showproj.aspx?proj=50001"}
    assert [t.object for t in rec.triples if t.predicate == LIFECAT.enrolment] == [
        Literal("200", datatype=XSD.integer)]  # "Plasma group:98;Control group:102;"
    assert [t.object for t in rec.triples if t.predicate == DCT.issued] == [
        Literal("2020-03-22", datatype=XSD.date)]
    assert [t.object for t in rec.triples if t.predicate == SCHEMA.startDate] == [
        Literal("2020-02-05", datatype=XSD.date)]
    assert SCHEMA.RandomizedTrial.value not in trials.objects(key, trial, SCHEMA.trialDesign)  # "Non random…"
    # the "Control group:Nil" arm is no intervention
    assert len(trials.objects(key, trial, SCHEMA.studySubject)) == 1
    assert not [v for v in trials.literals(key) if any(c in v for c in CONTACTS)]


def test_registration_says_who_published_it_when_and_under_which_terms(trials) -> None:
    key, trial = "ChiCTR2000030001", node("trial", "ChiCTR2000030001")
    rec = trials[key]
    publisher = NamedNode(f"{trial.value}#source-publisher-who-int")
    assert trials.objects(key, trial, SCHEMA.publisher) == trials.objects(key, trial, DCT.publisher) == {
        publisher.value}
    assert trials.objects(key, publisher, SCHEMA.name) == {
        "WHO International Clinical Trials Registry Platform (ICTRP)"}
    assert trials.objects(key, trial, SCHEMA.usageInfo) == {"https://www.who.int/about/policies/terms-of-use"}
    assert trials.objects(key, trial, SCHEMA.license) == set()
    assert trials.objects(key, trial, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert trials.objects(key, trial, SCHEMA.isAccessibleForFree) == {"true"}
    assert trials.objects(key, trial, PROV.wasDerivedFrom) == {
        "https://trialsearch.who.int/Trial2.aspx?TrialID=ChiCTR2000030001"}
    assert [t.object for t in rec.triples if t.predicate == SCHEMA.datePublished] == [
        Literal("2020-03-22", datatype=XSD.date)]
    assert [t.object for t in rec.triples if t.predicate == SCHEMA.dateModified] == [
        Literal("2020-03-23", datatype=XSD.date)]  # last refreshed by ICTRP
    # each country record of an EU CTR trial is derived from its own ICTRP record
    eu = node("trial", "EUCTR2020-001052-18")
    assert trials.objects("EUCTR2020-001052-18-FR", eu, PROV.wasDerivedFrom) == {
        "https://trialsearch.who.int/Trial2.aspx?TrialID=EUCTR2020-001052-18-FR"}


def test_eu_ctr_country_records_are_one_trial(trials) -> None:
    trial = node("trial", "EUCTR2020-001052-18")
    assert trials["EUCTR2020-001052-18-ES"].uri == trials["EUCTR2020-001052-18-FR"].uri == trial
    designs = trials.objects("EUCTR2020-001052-18-ES", trial, SCHEMA.trialDesign)
    assert designs == {SCHEMA.RandomizedTrial.value, SCHEMA.DoubleBlindedTrial.value,
                       SCHEMA.PlaceboControlledTrial.value}  # "Open: no", "Single blind: no" are not
    assert trials.objects("EUCTR2020-001052-18-ES", trial, SCHEMA.studyLocation) == {"Spain", "France"}


def test_same_nct_number_and_other_records(trials) -> None:
    assert trials["NCT04000002"].uri == node("trial", "NCT04000002")  # the node the ctgov file makes
    key, trial = "DRKS00021208", node("trial", "DRKS00021208")
    assert trials.objects(key, trial, OWL.sameAs) == {node("trial", "NCT04000006").value}
    assert trials.objects(key, trial, SCHEMA.phase) == {"Phase 2"}
    assert SCHEMA.ResultsAvailable.value in trials.objects(key, trial, SCHEMA.status)
    assert trials.objects(key, trial, RDFS.seeAlso) == {"https://example.org/results/drks00021208"}
    (subject,) = trials.objects(key, trial, SCHEMA.studySubject)
    assert trials.types(key, NamedNode(subject)) == {SCHEMA.MedicalTherapy.value}


def test_unknown_registry_and_quarantine(trials, built) -> None:
    assert trials.error("XYZ-0001").field == "TrialID"
    (report,) = built(("ictrp", "ictrp"))
    assert (report.read, report.loaded, report.quarantined) == (7, 5, 2)


def test_wrong_format_names_the_file() -> None:
    with pytest.raises(SourceFormatError, match=r"classic\.tsv: not a ictrp file .*no column TrialID"):
        list(get_format("ictrp").read(FIXTURES / "ctgov" / "classic.tsv"))
