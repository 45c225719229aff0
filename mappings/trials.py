"""Clinical trials from any registry, written once: ctgov and ictrp parse their rows into a :class:`Trial`.

A trial is a ``schema:MedicalTrial`` at ``id/trial/{registry id}``; the same NCT number gives the
same node whichever file names it, and a trial's other registry ids (EudraCT, ChiCTR, …) are
``owl:sameAs``-linked nodes. Where the source states whether individual participant data (IPD) will
be shared, the IPD is a ``dcat:Dataset`` with ``dct:accessRights`` and the access conditions, which
the trial states too as the conditions of access to its data.

Personal data never reaches the graph: contact names, e-mail addresses and phone numbers are removed
from the raw record as it is read (:func:`without_contacts`), so they are neither mapped nor kept
with a quarantined record.

>>> without_contacts({"Contact Email": "a@b.org", "Locations": "Site, call +1 555 123 4567, USA"})
{'Locations': 'Site, call [contact details removed], USA'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import NamedNode

from lifecat.core import identifiers
from lifecat.core.uris import Minter
from lifecat.core.vocab import (
    ACCESS_RIGHT,
    BIOSCHEMAS_PROFILE,
    DCAT,
    DCT,
    LIFECAT,
    RDFS,
    SCHEMA,
    SHAPES,
    XSD,
)
from lifecat.mappings import identity
from lifecat.mappings.rdf import Record, RecordError
from lifecat.mappings.values import EMAIL, PHONE, add_date

REDACTED = "[contact details removed]"
#: Source fields that name or reach a person: dropped whole, whatever the registry.
CONTACT_FIELDS = frozenset({
    "Contact Firstname", "Contact Lastname", "Contact Address", "Contact Email", "Contact Tel",
    "Contact Affiliation", "centralContacts", "overallOfficials", "contacts", "investigatorFullName",
    "investigatorTitle", "investigatorAffiliation",
})
#: Recruitment statuses, folded (lower case, letters only) → ``schema:MedicalStudyStatus``.
STATUSES = {
    "recruiting": SCHEMA.Recruiting,
    "not yet recruiting": SCHEMA.NotYetRecruiting,
    "pending": SCHEMA.NotYetRecruiting,
    "active not recruiting": SCHEMA.ActiveNotRecruiting,
    "enrolling by invitation": SCHEMA.EnrollingByInvitation,
    "completed": SCHEMA.Completed,
    "suspended": SCHEMA.Suspended,
    "terminated": SCHEMA.Terminated,
    "withdrawn": SCHEMA.Withdrawn,
}
#: Intervention types, folded → schema.org class.
INTERVENTIONS = {
    "drug": SCHEMA.Drug,
    "biological": SCHEMA.Drug,
    "device": SCHEMA.MedicalDevice,
    "procedure": SCHEMA.MedicalProcedure,
    "procedure surgery": SCHEMA.MedicalProcedure,
    "radiation": SCHEMA.RadiationTherapy,
    "dietary supplement": SCHEMA.DietarySupplement,
    "diagnostic test": SCHEMA.MedicalTest,
    "behavioral": SCHEMA.MedicalTherapy,
    "behavioural": SCHEMA.MedicalTherapy,
    "genetic": SCHEMA.MedicalTherapy,
}
#: Study-design wording (any registry) → ``schema:MedicalTrialDesign``.
DESIGNS = [
    (re.compile(p, re.I), design) for p, design in [
        (r"(?<!non-)(?<!non_)(?<!non )(?<!not )randomi[sz]ed", SCHEMA.RandomizedTrial),
        (r"open[- ]label|masking: none|\bopen\b", SCHEMA.OpenTrial),
        (r"single[- ]blind|masking: single|\bsingle\b(?= \()", SCHEMA.SingleBlindedTrial),
        (r"double[- ]blind|masking: double|\bdouble\b(?= \()", SCHEMA.DoubleBlindedTrial),
        (r"triple[- ]blind|masking: triple|\btriple\b(?= \()", SCHEMA.TripleBlindedTrial),
        (r"placebo", SCHEMA.PlaceboControlledTrial),
    ]
]
#: What every phone number :data:`PHONE` finds contains: a cheap first look.
_MAYBE_PHONE = re.compile(r"\d[\d ().-]{4,}\d")
_NEGATED = re.compile(r"[A-Za-z][\w -]*:\s*no\b", re.I)
#: IPD sharing answers, folded → access right of the IPD dataset.
IPD_ACCESS = {"yes": ACCESS_RIGHT.RESTRICTED, "no": ACCESS_RIGHT.NON_PUBLIC,
              "undecided": ACCESS_RIGHT.NON_PUBLIC}
#: IPD information types (ClinicalTrials.gov API v2) → label.
IPD_INFO = {"STUDY_PROTOCOL": "Study Protocol", "SAP": "Statistical Analysis Plan",
            "ICF": "Informed Consent Form", "CSR": "Clinical Study Report",
            "ANALYTIC_CODE": "Analytic Code"}


#: Dates of a trial → what states them: registration is its first publication in the registry.
DATES = [((SCHEMA.startDate,), "start"), ((SCHEMA.endDate,), "end"),
         ((SCHEMA.datePublished, DCT.issued), "registered"), ((SCHEMA.dateModified, DCT.modified), "updated")]


@dataclass
class Ipd:
    """What a registry states about sharing the trial's individual participant data."""

    sharing: str
    description: str | None = None
    access_criteria: str | None = None
    time_frame: str | None = None
    url: str | None = None
    info_types: list[str] = field(default_factory=list)


@dataclass
class Trial:
    """A trial as lifecat keeps it, whichever registry export it came from."""

    ids: list[str]
    title: str | None = None
    other_titles: list[str] = field(default_factory=list)
    url: str | None = None
    status: str | None = None
    has_results: bool = False
    phases: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    interventions: list[tuple[str | None, str]] = field(default_factory=list)
    sponsor: str | None = None
    collaborators: list[str] = field(default_factory=list)
    study_type: str | None = None
    design: str | None = None
    enrolment: str | None = None
    start: str | None = None
    end: str | None = None
    registered: str | None = None
    updated: str | None = None
    locations: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    ipd: Ipd | None = None


def without_contacts(data: Any) -> Any:
    """``data`` without contact fields, and with any e-mail address or phone number in text removed."""
    if isinstance(data, dict):
        return {k: without_contacts(v) for k, v in data.items() if k not in CONTACT_FIELDS}
    if isinstance(data, list):
        return [without_contacts(v) for v in data]
    if isinstance(data, str):
        if "@" in data:
            data = EMAIL.sub(REDACTED, data)
        if _MAYBE_PHONE.search(data):
            data = PHONE.sub(REDACTED, data)
    return data


def _fold(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def phase(text: str) -> str | None:
    """A trial phase as "Phase 2", "Early Phase 1"; ``None`` for "Not Applicable".

    >>> [phase(p) for p in ("PHASE2", "Phase II", "EARLY_PHASE1", "N/A", "Phase 2/Phase 3")]
    ['Phase 2', 'Phase 2', 'Early Phase 1', None, 'Phase 2/Phase 3']
    """
    parts = []
    for part in re.split(r"\s*/\s*|\s*\|\s*", text.strip()):
        match = re.fullmatch(r"(early[ _]?)?(?:phase[ _]?)?(iv|iii|ii|i|[0-4])", part.strip(), re.I)
        if not match:
            continue
        number = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}.get(match.group(2).lower(), match.group(2))
        parts.append(("Early " if match.group(1) else "") + f"Phase {number}")
    return "/".join(parts) or None


def intervention(text: str) -> tuple[str | None, str] | None:
    """A "Type: name" intervention as (type, name); text with no known type is all name.

    >>> intervention("Drug: Hydroxychloroquine"), intervention("Treatment group:Nil")
    (('Drug', 'Hydroxychloroquine'), None)
    >>> intervention("Experimental group: remdesivir 200 mg")
    (None, 'Experimental group: remdesivir 200 mg')
    """
    kind, _, name = text.partition(":")
    if name.strip() and _fold(kind) in {*INTERVENTIONS, "other", "combination product"}:
        return kind.strip(), name.strip()
    if _fold(name or kind) in {"nil", "none", "na", "n a", "no intervention"}:
        return None
    return None, text.strip()


def enrolment(text: str | None) -> int | None:
    """The number of participants: a count, or the sum of per-group counts ("A:98;B:102;")."""
    if not text:
        return None
    numbers = [int(n) for n in re.findall(r"\d+", str(text).replace(",", ""))]
    return sum(numbers) if numbers else None


def to_record(trial: Trial, mint: Minter, *, field_name: str) -> Record:
    """Write one :class:`Trial` as its record (and its IPD dataset).

    >>> rec = to_record(Trial(ids=["NCT04280705", "2020-001052-18"], title="ACTT", status="Completed",
    ...                       ipd=Ipd(sharing="Yes")), Minter("http://lc/"), field_name="id")
    >>> rec.uri
    <NamedNode value=http://lc/id/trial/NCT04280705>
    >>> sorted(t.object.value for t in rec.triples if t.predicate.value.endswith(("#sameAs", "accessRights")))
    ['http://lc/id/trial/EUCTR2020-001052-18', 'http://publications.europa.eu/resource/authority/access-right/RESTRICTED']
    """
    key = identifiers.key("trial", trial.ids[0]) if trial.ids else None
    if key is None:
        raise RecordError(field_name, f"{trial.ids[0] if trial.ids else None!r} is no trial registry id")
    uri = mint.record("trial", key)
    rec = Record(key=key, uri=uri, kind="trial")
    rec.types(uri, SCHEMA.MedicalTrial)
    rec.add(uri, DCT.conformsTo, SHAPES.MedicalTrialShape)
    identity.describe(rec, mint, [("trial", i) for i in trial.ids], field=field_name, node=uri)
    rec.text(uri, SCHEMA.name, trial.title)
    rec.texts(uri, SCHEMA.alternateName, dict.fromkeys(t for t in trial.other_titles if t != trial.title))
    rec.link(uri, SCHEMA.url, trial.url, field="url")
    status = STATUSES.get(_fold(trial.status or ""))
    if status is not None:
        rec.add(uri, SCHEMA.status, status)
    else:
        rec.text(uri, SCHEMA.status, trial.status)
    if trial.has_results:
        rec.add(uri, SCHEMA.status, SCHEMA.ResultsAvailable)
    rec.texts(uri, SCHEMA.phase, dict.fromkeys(filter(None, map(phase, trial.phases))))
    rec.texts(uri, SCHEMA.healthCondition, dict.fromkeys(trial.conditions))
    study_type = trial.study_type or ""
    rec.text(uri, SCHEMA.additionalType, study_type.title() if study_type.isupper() else study_type)
    text = " ".join(filter(None, [trial.design, *(name for _, name in trial.interventions)]))
    text = _NEGATED.sub("", text)  # EU CTR writes every facet: "Open: no Single blind: no …"
    for pattern, design in DESIGNS:
        if pattern.search(text):
            rec.add(uri, SCHEMA.trialDesign, design)
    count = enrolment(trial.enrolment)
    if count is not None:
        rec.typed(uri, LIFECAT.enrolment, count, XSD.integer)
    for predicates, value in DATES:
        for predicate in predicates:
            add_date(rec, uri, predicate, getattr(trial, value), field=predicate.value.rsplit("/", 1)[-1])
    rec.texts(uri, SCHEMA.studyLocation, dict.fromkeys(trial.locations))
    for url in trial.see_also:
        rec.link(uri, RDFS.seeAlso, url, field="documents")
    _organisations(rec, trial)
    _interventions(rec, trial.interventions)
    if trial.ipd is not None:
        _ipd(rec, mint, trial.ipd, key)
    return rec


def _organisations(rec: Record, trial: Trial) -> None:
    for role, predicate, names in (("sponsor", SCHEMA.sponsor, [trial.sponsor]),
                                   ("collaborator", DCT.contributor, trial.collaborators)):
        for n, name in enumerate(filter(None, names), start=1):
            node = NamedNode(f"{rec.uri.value}#{role}-{n}")
            rec.types(node, SCHEMA.Organization)
            rec.text(node, SCHEMA.name, name)
            rec.add(rec.uri, predicate, node)


def _interventions(rec: Record, interventions: list[tuple[str | None, str]]) -> None:
    for n, (kind, name) in enumerate(dict.fromkeys(interventions), start=1):
        node = NamedNode(f"{rec.uri.value}#intervention-{n}")
        rec.types(node, INTERVENTIONS.get(_fold(kind or ""), SCHEMA.MedicalEntity))
        rec.text(node, SCHEMA.name, name)
        rec.add(rec.uri, SCHEMA.studySubject, node)


def _ipd(rec: Record, mint: Minter, ipd: Ipd, trial_key: str) -> None:
    answer = _fold(ipd.sharing)
    if answer not in IPD_ACCESS:
        rec.notes.append(("ipd", f"IPD sharing answer {ipd.sharing!r} is not yes, no or undecided"))
        return
    key = f"{trial_key}/ipd"
    node = mint.record("dataset", key)
    rec.types(node, SCHEMA.Dataset, DCAT.Dataset)
    rec.add(node, DCT.conformsTo, BIOSCHEMAS_PROFILE["Dataset"])
    title = f"Individual participant data of trial {trial_key}"
    description = ipd.description or f"Whether the individual participant data of trial {trial_key} " \
                                     f"will be shared: {answer}."
    for predicate, value in ((SCHEMA.name, title), (DCT.title, title), (SCHEMA.description, description),
                             (DCT.description, description), (SCHEMA.identifier, key), (DCT.identifier, key)):
        rec.text(node, predicate, value)
    rec.add(node, DCT.accessRights, IPD_ACCESS[answer])
    conditions = [f"IPD sharing: {answer}", ipd.access_criteria,
                  f"Time frame: {ipd.time_frame}" if ipd.time_frame else None]
    rec.texts(node, SCHEMA.conditionsOfAccess, filter(None, conditions))
    statement = [f"Individual participant data (IPD) sharing: {answer}.", ipd.description,
                 f"Access criteria: {ipd.access_criteria}" if ipd.access_criteria else None]
    rec.text(rec.uri, SCHEMA.conditionsOfAccess, " ".join(filter(None, statement)))
    keywords = ["individual participant data", *(IPD_INFO.get(t, t) for t in ipd.info_types)]
    for predicate in (SCHEMA.keywords, DCAT.keyword):
        rec.texts(node, predicate, keywords)
    page = ipd.url or next((t.object.value for t in rec.triples
                            if t.subject == rec.uri and t.predicate == SCHEMA.url), None)
    for predicate in (SCHEMA.url, DCAT.landingPage):
        rec.link(node, predicate, page, field="ipd.url")
    rec.add(node, SCHEMA.about, rec.uri)
    rec.add(rec.uri, SCHEMA.subjectOf, node)
