"""ClinicalTrials.gov: classic TSV/CSV downloads and API v2 JSON, IPD datasets, no personal data."""

from __future__ import annotations

import pytest
from mapping_helpers import FIXTURES, map_fixture, node
from pyoxigraph import Literal, NamedNode

from lifecat.core.vocab import ACCESS_RIGHT, DCAT, DCT, IANA_MEDIA, LIFECAT, OWL, PROV, SCHEMA, XSD
from lifecat.mappings import SourceFormatError, get_format

ACTT = node("trial", "NCT04000001")


@pytest.fixture(scope="module")
def studies():
    return map_fixture("ctgov", "ctgov")


def test_classic_row() -> None:
    rows = map_fixture("ctgov", "ctgov/classic.tsv")
    key = "NCT04000001"
    assert rows[key].uri == ACTT and rows[key].kind == "trial"
    assert rows.types(key, ACTT) == {SCHEMA.MedicalTrial.value}
    assert rows.objects(key, ACTT, SCHEMA.identifier) == {"NCT04000001", "EUCTR2020-001052-18"}
    assert rows.objects(key, ACTT, SCHEMA.sameAs) == {
        "https://clinicaltrials.gov/study/NCT04000001",
        "https://trialsearch.who.int/Trial2.aspx?TrialID=EUCTR2020-001052-18"}
    assert rows.objects(key, ACTT, SCHEMA.status) == {SCHEMA.Completed.value, SCHEMA.ResultsAvailable.value}
    assert rows.objects(key, ACTT, SCHEMA.name) == {"Example Antiviral Versus Placebo for COVID-19"}
    assert rows.objects(key, ACTT, SCHEMA.alternateName) == {"EXAVIR"}
    assert rows.objects(key, ACTT, DCT.issued) == {"2020-02-21"}
    assert len(rows.objects(key, ACTT, DCT.contributor)) == 1  # the collaborator


def test_classic_fields() -> None:
    rows = map_fixture("ctgov", "ctgov/classic.tsv")
    key = "NCT04000001"
    assert rows.objects(key, ACTT, SCHEMA.phase) == {"Phase 2", "Phase 3"}
    assert rows.objects(key, ACTT, SCHEMA.healthCondition) == {"COVID-19", "Pneumonia, Viral"}
    assert rows.objects(key, ACTT, SCHEMA.trialDesign) == {
        SCHEMA.RandomizedTrial.value, SCHEMA.DoubleBlindedTrial.value, SCHEMA.PlaceboControlledTrial.value}
    subjects = {NamedNode(s) for s in rows.objects(key, ACTT, SCHEMA.studySubject)}
    named = {(*rows.types(key, s), *rows.objects(key, s, SCHEMA.name)) for s in subjects}
    assert named == {(SCHEMA.Drug.value, "Exampavir"), (SCHEMA.MedicalEntity.value, "Placebo")}
    (sponsor,) = rows.objects(key, ACTT, SCHEMA.sponsor)
    assert rows.objects(key, NamedNode(sponsor), SCHEMA.name) == {"Example University Hospital"}
    enrolment = [t.object for t in rows[key].triples if t.predicate == LIFECAT.enrolment]
    assert enrolment == [Literal("1062", datatype=XSD.integer)]
    assert [t.object for t in rows[key].triples if t.predicate == SCHEMA.startDate] == [
        Literal("2020-02-21", datatype=XSD.date)]
    # the EudraCT number among the other ids is the same trial in the EU register
    assert rows.objects(key, ACTT, OWL.sameAs) == {node("trial", "EUCTR2020-001052-18").value}
    # the site that gave an e-mail address and the one that gave a phone number keep only their place
    locations = rows.objects(key, ACTT, SCHEMA.studyLocation)
    site = "Nationwide enrolment via Internet, please email: [contact details removed], Minneapolis"
    assert f"{site}, Minnesota, United States" in locations
    assert not [v for v in rows.literals(key) if "@" in v or "555" in v]


def test_registration_says_who_published_it_when_and_under_which_terms() -> None:
    rows = map_fixture("ctgov", "ctgov/classic.tsv")
    key = "NCT04000002"
    rec, trial = rows[key], node("trial", key)
    publisher = NamedNode(f"{trial.value}#source-publisher-clinicaltrials-gov")
    assert rows.objects(key, trial, SCHEMA.publisher) == {publisher.value}
    assert rows.objects(key, trial, DCT.publisher) == {publisher.value}
    assert rows.objects(key, publisher, SCHEMA.name) == {
        "ClinicalTrials.gov, U.S. National Library of Medicine"}
    assert rows.objects(key, publisher, SCHEMA.url) == {"https://clinicaltrials.gov/"}
    # no licence is granted: the terms and conditions are linked instead
    assert rows.objects(key, trial, SCHEMA.usageInfo) == {"https://clinicaltrials.gov/about-site/terms-conditions"}
    assert rows.objects(key, trial, SCHEMA.license) == rows.objects(key, trial, DCT.license) == set()
    assert rows.objects(key, trial, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    assert rows.objects(key, trial, SCHEMA.isAccessibleForFree) == {"true"}
    assert rows.objects(key, trial, PROV.wasDerivedFrom) == {"https://clinicaltrials.gov/study/NCT04000002"}
    dates = {t.predicate: t.object for t in rec.triples if t.subject == trial and t.predicate in {
        SCHEMA.datePublished, SCHEMA.dateModified, DCT.issued, DCT.modified}}
    assert dates == {SCHEMA.datePublished: Literal("2020-04-24", datatype=XSD.date),  # first posted
                     DCT.issued: Literal("2020-04-24", datatype=XSD.date),
                     SCHEMA.dateModified: Literal("2020-06-11", datatype=XSD.date),  # last update posted
                     DCT.modified: Literal("2020-06-11", datatype=XSD.date)}
    # no results: no data to link to
    assert rows.objects(key, trial, SCHEMA.distribution) == set()


@pytest.mark.parametrize(("path", "key"), [("ctgov/classic.tsv", "NCT04000001"),
                                           ("ctgov/api-v2-page.json", "NCT04000001")])
def test_trial_with_results_links_to_its_record(path: str, key: str) -> None:
    rows = map_fixture("ctgov", path)
    trial = node("trial", key)
    download = NamedNode(f"{trial.value}#download-record")
    assert rows.objects(key, trial, SCHEMA.distribution) == {download.value}
    assert rows.objects(key, trial, DCAT.distribution) == {download.value}
    assert rows.types(key, download) == {SCHEMA.DataDownload.value, DCAT.Distribution.value}
    for predicate in (SCHEMA.contentUrl, DCAT.downloadURL):
        assert rows.objects(key, download, predicate) == {f"https://clinicaltrials.gov/api/v2/studies/{key}"}
    assert rows.objects(key, download, DCAT.accessURL) == {f"https://clinicaltrials.gov/study/{key}?tab=results"}
    assert rows.objects(key, download, DCAT.mediaType) == {IANA_MEDIA["application/json"].value}
    assert rows.objects(key, download, SCHEMA.encodingFormat) == {"application/json"}


def test_current_site_results_column() -> None:
    rows = map_fixture("ctgov", "ctgov/current-site.csv")
    assert rows.objects("NCT04000007", node("trial", "NCT04000007"), SCHEMA.distribution) == set()  # "NO"
    assert rows.objects("NCT04000008", node("trial", "NCT04000008"), SCHEMA.distribution) == {
        f"{node('trial', 'NCT04000008').value}#download-record"}  # "YES"


def test_ipd_statement_is_the_trial_data_access_condition(studies) -> None:
    trial = node("trial", "NCT04000005")
    assert studies.objects("NCT04000005", trial, SCHEMA.conditionsOfAccess) == {
        "Individual participant data (IPD) sharing: yes. De-identified participant data underlying the "
        "published results. Access criteria: Researchers with an approved proposal; contact "
        "[contact details removed]"}
    # the registration itself is public
    assert studies.objects("NCT04000005", trial, DCT.accessRights) == {ACCESS_RIGHT.PUBLIC.value}
    page = map_fixture("ctgov", "ctgov/api-v2-page.json")
    assert page.objects("NCT04000001", node("trial", "NCT04000001"), SCHEMA.conditionsOfAccess) == {
        "Individual participant data (IPD) sharing: undecided."}
    # a classic download says nothing of IPD
    classic = map_fixture("ctgov", "ctgov/classic.tsv")
    assert classic.objects("NCT04000002", node("trial", "NCT04000002"), SCHEMA.conditionsOfAccess) == set()


def test_csv_download(studies) -> None:
    trial = node("trial", "NCT04000004")
    assert studies.objects("NCT04000004", trial, OWL.sameAs) == {node("trial", "ChiCTR2000030001").value}
    assert studies.objects("NCT04000004", trial, SCHEMA.phase) == {"Early Phase 1"}
    assert studies.objects("NCT04000004", trial, SCHEMA.trialDesign) == {SCHEMA.OpenTrial.value}


def test_current_site_csv(studies) -> None:
    key, trial = "NCT04000007", node("trial", "NCT04000007")
    assert studies.objects(key, trial, SCHEMA.name) == {"Example Inhaled Antiviral in Outpatients"}
    assert studies.objects(key, trial, SCHEMA.status) == {SCHEMA.Recruiting.value}
    assert studies.objects(key, trial, SCHEMA.phase) == {"Phase 2", "Phase 3"}
    assert studies.objects(key, trial, SCHEMA.additionalType) == {"Interventional"}
    assert SCHEMA.TripleBlindedTrial.value in studies.objects(key, trial, SCHEMA.trialDesign)
    assert len(studies.objects(key, trial, DCT.contributor)) == 2  # the "Collaborators" column
    (sponsor,) = studies.objects(key, trial, SCHEMA.sponsor)
    assert studies.objects(key, NamedNode(sponsor), SCHEMA.name) == {"Example Pharma"}


def test_api_v2_study_and_ipd_dataset(studies) -> None:
    key, trial = "NCT04000005", node("trial", "NCT04000005")
    assert studies.objects(key, trial, SCHEMA.status) == {SCHEMA.ActiveNotRecruiting.value}
    assert studies.objects(key, trial, SCHEMA.phase) == {"Phase 3"}
    assert studies.objects(key, trial, OWL.sameAs) == {node("trial", "EUCTR2020-001234-56").value}
    ipd = node("dataset", "NCT04000005/ipd")
    assert studies.objects(key, trial, SCHEMA.subjectOf) == {ipd.value}
    assert studies.types(key, ipd) == {SCHEMA.Dataset.value, DCAT.Dataset.value}
    assert studies.objects(key, ipd, DCT.accessRights) == {ACCESS_RIGHT.RESTRICTED.value}
    assert studies.objects(key, ipd, SCHEMA.conditionsOfAccess) == {
        "IPD sharing: yes", "Researchers with an approved proposal; contact [contact details removed]",
        "Time frame: Beginning 6 months after publication"}
    assert {"Study Protocol", "Clinical Study Report"} <= studies.objects(key, ipd, DCAT.keyword)
    assert studies.objects(key, ipd, DCAT.landingPage) == {"https://vivli.org"}
    # contacts, officials and the responsible investigator are never read
    literals = " ".join(studies.literals(key))
    for personal in ("Alice", "Bob", "Carol", "617-555", "+44 20", "@example.org"):
        assert personal not in literals


def test_ipd_no_and_undecided(studies) -> None:
    registry = node("dataset", "NCT04000006/ipd")
    assert studies.objects("NCT04000006", registry, DCT.accessRights) == {ACCESS_RIGHT.NON_PUBLIC.value}
    assert studies.objects("NCT04000006", registry, DCT.description) == {
        "Data will not be shared outside the network."}


def test_build_accounting_and_one_node_per_nct(built) -> None:
    (report,) = built(("ctgov", "ctgov"))
    # NCT04000001 is both in the classic download and in an API page: two files, one node, reported;
    # NCT04000003 has no title
    assert (report.read, report.loaded, report.quarantined) == (9, 8, 1)
    assert set(report.reasons) == {"MedicalTrialShape name: minCount"}
    assert (report.merged, report.duplicates) == (["NCT04000001"], [])


@pytest.mark.parametrize("path", ["ror/dump.json", "preprints/covid19_preprints.csv"])
def test_wrong_format_names_the_file(path: str) -> None:
    with pytest.raises(SourceFormatError, match=r"not a ctgov file \(expected a ClinicalTrials.gov download"):
        list(get_format("ctgov").read(FIXTURES / path))
