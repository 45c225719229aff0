"""WHO ICTRP COVID-19 trial list: the CSV export (UTF-8 with a byte-order mark) of trials from every
registry of the WHO network (ChiCTR, EU CTR, ISRCTN, ClinicalTrials.gov, ANZCTR, DRKS, …).

Each row becomes a ``schema:MedicalTrial`` at ``id/trial/{TrialID}``, the id normalised so that one
trial registered in two registries meets itself: an ``NCT…`` row is the node the ClinicalTrials.gov
file makes, EU CTR's per-country rows (``EUCTR2020-001052-18-ES``, ``…-FR``) are one trial, and any
other registry id in the "other records", bridging or secondary-id columns is ``owl:sameAs``-linked.
WHO's ICTRP published each row, a registration its network gathered (:data:`TERMS`). The contact
columns (names, address, e-mail, phone, affiliation) are dropped as the file is read.

>>> from lifecat.core.uris import Minter
>>> row = {"TrialID": "EUCTR2020-001052-18-ES", "Public title": "Remdesivir for COVID-19",
...        "Contact Email": "someone@example.org", "Contact Tel": "+34 91 123 4567",
...        "Date registration3": "20200322", "Source Register": "EU Clinical Trials Register"}
>>> record = to_rdf(row, Minter("http://lc/"))
>>> record.uri
<NamedNode value=http://lc/id/trial/EUCTR2020-001052-18>
>>> any("example.org" in t.object.value or "4567" in t.object.value for t in record.triples)
False
>>> sorted(t.object.value for t in record.triples if t.predicate.value.endswith("wasDerivedFrom"))
['https://trialsearch.who.int/Trial2.aspx?TrialID=EUCTR2020-001052-18-ES']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import Field as Described

from lifecat.core import identifiers
from lifecat.core.identifiers import WHO_TRIAL
from lifecat.core.uris import Minter
from lifecat.core.vocab import ACCESS_RIGHT
from lifecat.mappings.rdf import Format, Record, RecordError, SourceItem
from lifecat.mappings.source_terms import Publisher, SourceTerms, state
from lifecat.mappings.sourcefiles import Row, files, parse, read_table
from lifecat.mappings.trials import Ipd, Trial, intervention, to_record, without_contacts
from lifecat.mappings.values import split

NAME = "ictrp"
EXPECTED = "a WHO ICTRP trial list CSV (TrialID, Public title, Source Register, …)"
#: WHO grants no licence for ICTRP data: its website's terms of use apply. Registrations are open to
#: the public at no charge (a criterion of the WHO registry network).
TERMS = SourceTerms(
    publisher=Publisher("WHO International Clinical Trials Registry Platform (ICTRP)",
                        "https://www.who.int/clinical-trials-registry-platform"),
    published_thing=True, access=ACCESS_RIGHT.PUBLIC, free=True,
    terms="https://www.who.int/about/policies/terms-of-use")


class IctrpRow(Row):
    """One row of the ICTRP COVID-19 export (the columns lifecat maps; contacts are never read)."""

    trial_id: str = Described(alias="TrialID", description="The registry's id of the trial.")
    public_title: str | None = Described(None, alias="Public title", description="Public title.")
    scientific_title: str | None = Described(None, alias="Scientific title", description="Scientific title.")
    acronym: str | None = Described(None, alias="Acronym", description="Acronym.")
    sponsor: str | None = Described(None, alias="Primary sponsor", description="Primary sponsor.")
    registered: str | None = Described(None, alias="Date registration", description="Registration (d/m/y).")
    registered_iso: str | None = Described(None, alias="Date registration3", description="As yyyymmdd.")
    refreshed: str | None = Described(None, alias="Last Refreshed on", description="Last refresh by ICTRP.")
    web_address: str | None = Described(None, alias="web address", description="The registry's page.")
    status: str | None = Described(None, alias="Recruitment Status", description="Recruitment status.")
    other_records: str | None = Described(None, alias="other records", description="Other registrations.")
    enrolment_date: str | None = Described(None, alias="Date enrollement", description="First enrolment.")
    target_size: str | None = Described(None, alias="Target size", description="Participants planned.")
    study_type: str | None = Described(None, alias="Study type", description="Interventional, ….")
    study_design: str | None = Described(None, alias="Study design", description="Design, free text.")
    phase: str | None = Described(None, alias="Phase", description="Phase.")
    countries: str | None = Described(None, alias="Countries", description="Countries, ;-separated.")
    condition: str | None = Described(None, alias="Condition", description="Conditions, ;-separated.")
    intervention: str | None = Described(None, alias="Intervention", description="Interventions.")
    results_url: str | None = Described(None, alias="results url link", description="Where results are.")
    results: str | None = Described(None, alias="results yes no", description="Whether results exist.")
    bridged_type: str | None = Described(None, alias="Bridged type", description="Parent/child bridging.")
    secondary_ids: str | None = Described(None, alias="Secondary ID", description="Other ids (full export).")
    ipd_plan: str | None = Described(None, alias="results ipd plan", description="IPD plan (full export).")
    ipd_description: str | None = Described(None, alias="results ipd description", description="IPD.")


def read(path: Path | None) -> Iterator[SourceItem]:
    """Every row of an ICTRP export (or of every export in a folder), without its contact columns."""
    for file in files(path, (".csv", ".tsv", ".txt")):
        for item in read_table(file, NAME, required=["TrialID", "Public title"], key=("TrialID",),
                               expected=EXPECTED):
            yield dataclasses.replace(item, data=without_contacts(item.data))


def to_rdf(data: dict[str, Any], mint: Minter) -> Record:
    """Map one ICTRP row to its trial record."""
    row = parse(IctrpRow, without_contacts(data))
    primary = identifiers.trial(row.trial_id)
    if primary is None:
        raise RecordError("TrialID", f"{row.trial_id!r} is not an id of a WHO network registry lifecat knows")
    others = " ".join(filter(None, [row.other_records, row.bridged_type, row.secondary_ids]))
    interventions = list(filter(None, map(intervention, split(row.intervention, ";", "<br>"))))
    ipd = Ipd(sharing=row.ipd_plan, description=row.ipd_description) if row.ipd_plan else None
    trial = Trial(
        ids=list(dict.fromkeys([primary, *identifiers.trials_in(others)])),
        title=row.public_title or row.scientific_title,
        other_titles=[t for t in (row.scientific_title, row.acronym) if t], url=row.web_address,
        status=row.status, has_results=(row.results or "").lower() in {"yes", "true"},
        phases=split(row.phase, ";"), conditions=split(row.condition, ";", "<br>"),
        interventions=interventions, sponsor=row.sponsor, study_type=row.study_type,
        design=row.study_design, enrolment=row.target_size, start=row.enrolment_date,
        registered=row.registered_iso or row.registered, updated=row.refreshed,
        locations=split(row.countries, ";"), see_also=[row.results_url] if row.results_url else [], ipd=ipd,
    )
    rec = to_record(trial, mint, field_name="TrialID")
    state(rec, rec.uri, TERMS, derived_from=WHO_TRIAL.format(row.trial_id.strip()))
    return rec


FORMAT = Format(
    name=NAME,
    summary="WHO ICTRP COVID-19 trial list CSV export (TrialID, Public title, …; UTF-8 with BOM)",
    read=read,
    to_rdf=to_rdf,
)
