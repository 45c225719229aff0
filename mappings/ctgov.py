"""ClinicalTrials.gov: the classic 27-column search download (TSV or CSV) and the API v2 JSON.

API v2 answers are ``{"studies": [...], "nextPageToken": …}`` pages, a single study
(``{"protocolSection": …}``) or a list of studies; folders may mix them with classic downloads. Each
study becomes a ``schema:MedicalTrial`` at ``id/trial/{NCT number}`` (see :mod:`.trials`), its other
registry ids (an EudraCT number among the "Other IDs", an API ``secondaryIdInfos`` entry) linked
with ``owl:sameAs``. Only API v2 says whether individual participant data will be shared; where it
does, the trial gets an IPD dataset. A trial with results posted links to its full record at the API
(JSON, with the results) as a download. ClinicalTrials.gov (the U.S. National Library of Medicine)
published each registration (:data:`TERMS`). Contact names, e-mail addresses and phone numbers are
removed as the file is read.

>>> from lifecat.core.uris import Minter
>>> row = {"NCT Number": "NCT04280705", "Title": "Adaptive COVID-19 Treatment Trial",
...        "Status": "Completed", "Other IDs": "20-0006|2020-001052-18",
...        "Locations": "Site A, please email: covid19@example.edu, Omaha, Nebraska, United States"}
>>> record = to_rdf(row, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/trial/NCT04280705>
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith("#sameAs"))
['http://lc/id/trial/EUCTR2020-001052-18']
>>> any("@" in t.object.value for t in record.triples)
False
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith("wasDerivedFrom"))
['https://clinicaltrials.gov/study/NCT04280705']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import AliasChoices
from pydantic import Field as Described

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT
from lifecat.mappings.rdf import Format, ReadError, Record, SourceItem
from lifecat.mappings.source_terms import Publisher, SourceTerms, state
from lifecat.mappings.sourcefiles import Row, files, load_json, not_format, parse, read_table
from lifecat.mappings.trials import Ipd, Trial, intervention, to_record, without_contacts
from lifecat.mappings.values import distribution, split

NAME = "ctgov"
EXPECTED = ("a ClinicalTrials.gov download: the classic TSV/CSV with an 'NCT Number' column, or API v2 "
            "JSON ({studies: [...]}, one study, or a list of studies)")
#: ClinicalTrials.gov grants no licence: its records are U.S. government public information, reusable
#: with attribution under its terms and conditions.
TERMS = SourceTerms(
    publisher=Publisher("ClinicalTrials.gov, U.S. National Library of Medicine", "https://clinicaltrials.gov/"),
    published_thing=True, access=ACCESS_RIGHT.PUBLIC, free=True,
    terms="https://clinicaltrials.gov/about-site/terms-conditions")
#: "Study Results" values of a study with results: the classic site's and the current site's.
HAS_RESULTS = frozenset({"HAS RESULTS", "YES"})
#: A study's page, its full record at the API (JSON), and its results.
PAGE = "https://clinicaltrials.gov/study/{}"
API_RECORD = "https://clinicaltrials.gov/api/v2/studies/{}"
RESULTS = "https://clinicaltrials.gov/study/{}?tab=results"


class ClassicRow(Row):
    """One row of a ClinicalTrials.gov CSV/TSV download: the classic site's, or the current site's where
    its columns were renamed ("Study Title", "Study Status", "Sponsor" and "Collaborators", …)."""

    nct: str = Described(alias="NCT Number", description="The NCT number.")
    title: str | None = Described(None, validation_alias=AliasChoices("Title", "Study Title"),
                                  description="Brief title.")
    acronym: str | None = Described(None, alias="Acronym", description="Acronym.")
    status: str | None = Described(None, validation_alias=AliasChoices("Status", "Study Status"),
                                   description="Recruitment status.")
    results: str | None = Described(None, alias="Study Results", description="Has Results, or not.")
    conditions: str | None = Described(None, alias="Conditions", description="Conditions, |-separated.")
    interventions: str | None = Described(None, alias="Interventions", description="'Type: name'|….")
    sponsors: str | None = Described(None, validation_alias=AliasChoices("Sponsor/Collaborators", "Sponsor"),
                                     description="Lead sponsor (the classic file: then collaborators).")
    collaborators: str | None = Described(None, alias="Collaborators", description="Collaborators.")
    phases: str | None = Described(None, alias="Phases", description="Phases, |-separated.")
    enrollment: str | None = Described(None, alias="Enrollment", description="Number of participants.")
    study_type: str | None = Described(None, alias="Study Type", description="Interventional, ….")
    designs: str | None = Described(None, validation_alias=AliasChoices("Study Designs", "Study Design"),
                                    description="'Facet: value', |-separated.")
    other_ids: str | None = Described(None, alias="Other IDs", description="Other ids, |-separated.")
    start: str | None = Described(None, alias="Start Date", description="Start date.")
    completion: str | None = Described(None, alias="Completion Date", description="Completion date.")
    first_posted: str | None = Described(None, alias="First Posted", description="Registration date.")
    results_posted: str | None = Described(None, alias="Results First Posted", description="Results date.")
    last_update: str | None = Described(None, alias="Last Update Posted", description="Last update.")
    locations: str | None = Described(None, alias="Locations", description="Sites, |-separated.")
    documents: str | None = Described(None, alias="Study Documents", description="'Kind, URL', |-separated.")
    url: str | None = Described(None, validation_alias=AliasChoices("URL", "Study URL"),
                                description="The study's page.")


class DateStruct(Row):
    """A date as API v2 writes it."""

    date: str | None = Described(None, description="YYYY-MM-DD or YYYY-MM.")


class Named(Row):
    """An organisation or intervention with a name."""

    name: str | None = Described(None, description="Name.")
    type: str | None = Described(None, description="Kind (interventions: DRUG, DEVICE, …).")


class SecondaryId(Row):
    """Another id of the study."""

    id: str = Described(description="The id.")
    type: str | None = Described(None, description="EUDRACT_NUMBER, REGISTRY, NIH, OTHER, ….")


class Identification(Row):
    nctId: str = Described(description="The NCT number.")
    briefTitle: str | None = Described(None, description="Brief title.")
    officialTitle: str | None = Described(None, description="Official title.")
    acronym: str | None = Described(None, description="Acronym.")
    secondaryIdInfos: list[SecondaryId] = Described(default_factory=list, description="Other ids.")


class Status(Row):
    overallStatus: str | None = Described(None, description="RECRUITING, COMPLETED, ….")
    startDateStruct: DateStruct | None = Described(None, description="Start.")
    completionDateStruct: DateStruct | None = Described(None, description="Completion.")
    studyFirstPostDateStruct: DateStruct | None = Described(None, description="First posted.")
    lastUpdatePostDateStruct: DateStruct | None = Described(None, description="Last update posted.")
    resultsFirstPostDateStruct: DateStruct | None = Described(None, description="Results first posted.")


class Sponsors(Row):
    leadSponsor: Named | None = Described(None, description="Lead sponsor.")
    collaborators: list[Named] = Described(default_factory=list, description="Collaborators.")


class Conditions(Row):
    conditions: list[str] = Described(default_factory=list, description="Conditions studied.")


class Enrollment(Row):
    count: int | None = Described(None, description="Participants (actual or estimated).")


class Masking(Row):
    masking: str | None = Described(None, description="NONE, SINGLE, DOUBLE, TRIPLE, QUADRUPLE.")


class DesignInfo(Row):
    allocation: str | None = Described(None, description="RANDOMIZED, NON_RANDOMIZED, NA.")
    maskingInfo: Masking | None = Described(None, description="Masking.")


class Design(Row):
    studyType: str | None = Described(None, description="INTERVENTIONAL, OBSERVATIONAL, ….")
    phases: list[str] = Described(default_factory=list, description="PHASE1, PHASE2, ….")
    designInfo: DesignInfo | None = Described(None, description="Design facets.")
    enrollmentInfo: Enrollment | None = Described(None, description="Enrolment.")


class Arms(Row):
    interventions: list[Named] = Described(default_factory=list, description="Interventions.")


class Location(Row):
    facility: str | None = Described(None, description="Site.")
    city: str | None = Described(None, description="City.")
    state: str | None = Described(None, description="State.")
    country: str | None = Described(None, description="Country.")


class ContactsLocations(Row):
    locations: list[Location] = Described(default_factory=list, description="Sites (contacts removed).")


class IpdStatement(Row):
    ipdSharing: str | None = Described(None, description="YES, NO or UNDECIDED.")
    description: str | None = Described(None, description="What will be shared.")
    infoTypes: list[str] = Described(default_factory=list, description="STUDY_PROTOCOL, SAP, ….")
    timeFrame: str | None = Described(None, description="When it will be shared.")
    accessCriteria: str | None = Described(None, description="Who may access it, how.")
    url: str | None = Described(None, description="Where to ask for it.")


class Protocol(Row):
    identificationModule: Identification = Described(description="Ids and titles.")
    statusModule: Status = Described(default_factory=Status, description="Status and dates.")
    sponsorCollaboratorsModule: Sponsors = Described(default_factory=Sponsors, description="Sponsors.")
    conditionsModule: Conditions = Described(default_factory=Conditions, description="Conditions.")
    designModule: Design = Described(default_factory=Design, description="Design.")
    armsInterventionsModule: Arms = Described(default_factory=Arms, description="Interventions.")
    contactsLocationsModule: ContactsLocations = Described(default_factory=ContactsLocations,
                                                           description="Locations.")
    ipdSharingStatementModule: IpdStatement | None = Described(None, description="IPD sharing statement.")


class Study(Row):
    """One study of the ClinicalTrials.gov API v2."""

    protocolSection: Protocol = Described(description="The protocol.")
    hasResults: bool = Described(False, description="Whether results are posted.")


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every study in classic downloads and API v2 JSON files (or a folder of them)."""
    for file in files(path, (".json", ".tsv", ".csv", ".txt")):
        if file.suffix.lower() != ".json":
            rows = read_table(file, NAME, required=["NCT Number"], key=("NCT Number",), expected=EXPECTED)
            for item in rows:
                yield dataclasses.replace(item, data=without_contacts(item.data))
            continue
        document = load_json(file, NAME, EXPECTED)
        studies = document.get("studies") if isinstance(document, dict) and "studies" in document else (
            [document] if isinstance(document, dict) else document)
        if not isinstance(studies, list) or not any(isinstance(s, dict) and "protocolSection" in s
                                                    for s in studies):
            raise not_format(file, NAME, EXPECTED)
        for n, study in enumerate(studies, start=1):
            nct = _nct(study)
            error = None if nct else ReadError(
                "record has no id", f"study {n} of the file has no identificationModule.nctId")
            try:
                data = without_contacts(study)
            except RecursionError:
                data, error = None, ReadError("nested too deeply", f"study {n} of the file")
            yield SourceItem(f"{file}#{nct or f'item-{n}'}", data, error=error)


def _nct(study: object) -> str | None:
    """The NCT number of an API v2 study, if it has one."""
    section = study.get("protocolSection") if isinstance(study, dict) else None
    module = section.get("identificationModule") if isinstance(section, dict) else None
    nct = module.get("nctId") if isinstance(module, dict) else None
    return str(nct).strip() or None if nct else None


def to_rdf(data: dict[str, Any], mint: Minter) -> Record:
    """Map one study (a classic row or an API v2 study) to its trial record."""
    data = without_contacts(data)
    if "protocolSection" in data:
        trial, field_name = _v2(parse(Study, data)), "nctId"
    else:
        trial, field_name = _classic(parse(ClassicRow, data)), "NCT Number"
    rec = to_record(trial, mint, field_name=field_name)
    state(rec, rec.uri, TERMS, derived_from=PAGE.format(rec.key))
    if trial.has_results:
        _results(rec)
    return rec


def _results(rec: Record) -> None:
    """The study's full record at the API, results included, as a download of the trial's data."""
    distribution(rec, rec.uri, "download-record", API_RECORD.format(rec.key), field="NCT Number",
                 title=f"{rec.key} with its results (ClinicalTrials.gov API, JSON)",
                 media_type="application/json", access_url=RESULTS.format(rec.key))


def _classic(row: ClassicRow) -> Trial:
    sponsors = split(row.sponsors, "|")
    interventions = list(filter(None, map(intervention, split(row.interventions, "|"))))
    return Trial(
        ids=[row.nct, *filter(identifiers.trial, split(row.other_ids, "|"))],
        title=row.title, other_titles=[row.acronym] if row.acronym else [], url=row.url,
        status=row.status, has_results=(row.results or "").upper() in HAS_RESULTS or bool(row.results_posted),
        phases=split(row.phases, "|"), conditions=split(row.conditions, "|"), interventions=interventions,
        sponsor=sponsors[0] if sponsors else None, study_type=row.study_type,
        collaborators=split(row.collaborators, "|") if row.collaborators else sponsors[1:],
        design=row.designs, enrolment=row.enrollment, start=row.start, end=row.completion,
        registered=row.first_posted, updated=row.last_update, locations=split(row.locations, "|"),
        see_also=[d.rsplit(", ", 1)[-1] for d in split(row.documents, "|") if "http" in d],
    )


def _v2(study: Study) -> Trial:
    p = study.protocolSection
    ident, status, design = p.identificationModule, p.statusModule, p.designModule
    info = design.designInfo or DesignInfo()
    masking = (info.maskingInfo or Masking()).masking
    ipd = p.ipdSharingStatementModule
    return Trial(
        ids=[ident.nctId, *(s.id for s in ident.secondaryIdInfos if identifiers.trial(s.id))],
        title=ident.briefTitle, other_titles=[t for t in (ident.officialTitle, ident.acronym) if t],
        url=PAGE.format(ident.nctId), status=status.overallStatus,
        has_results=study.hasResults, phases=design.phases, conditions=p.conditionsModule.conditions,
        interventions=[(i.type, i.name) for i in p.armsInterventionsModule.interventions if i.name],
        sponsor=(p.sponsorCollaboratorsModule.leadSponsor or Named()).name,
        collaborators=[c.name for c in p.sponsorCollaboratorsModule.collaborators if c.name],
        study_type=design.studyType,
        design=" ".join(filter(None, [info.allocation, f"masking: {masking}" if masking else None])),
        enrolment=str((design.enrollmentInfo or Enrollment()).count or ""),
        start=_date(status.startDateStruct), end=_date(status.completionDateStruct),
        registered=_date(status.studyFirstPostDateStruct), updated=_date(status.lastUpdatePostDateStruct),
        locations=[", ".join(filter(None, [s.facility, s.city, s.state, s.country]))
                   for s in p.contactsLocationsModule.locations],
        ipd=Ipd(sharing=ipd.ipdSharing, description=ipd.description, access_criteria=ipd.accessCriteria,
                time_frame=ipd.timeFrame, url=ipd.url, info_types=ipd.infoTypes)
        if ipd and ipd.ipdSharing else None,
    )


def _date(value: DateStruct | None) -> str | None:
    return value.date if value else None


FORMAT = Format(
    name=NAME,
    summary="ClinicalTrials.gov classic TSV/CSV download, or API v2 JSON (studies[].protocolSection)",
    read=read,
    to_rdf=to_rdf,
)
