"""Strong identifiers in one place, so that every source mints the same URI for the same thing.

A publication cited by a Bioregistry resource and listed in the preprints file must be one node, and
an accession typed into the search box must find the record a mapping minted from it, and the link a
page shows for it must go where the identifier resolves. So the rules for reading identifiers live
here, for every layer: mappings mint nodes through :func:`uri`, the search index keys records by
:func:`identifier_keys`, and pages link identifiers through :func:`resolver_iri`, :func:`orcid_url`
and :func:`doi_url`.

Each normaliser takes what a publisher wrote (a bare id, a CURIE or a resolver URL) and returns the
canonical form, or ``None`` when the text is not such an identifier.

>>> doi("https://doi.org/10.1093/NAR/gkab1066")
'10.1093/nar/gkab1066'
>>> orcid("http://orcid.org/0000-0002-6982-4660")
'0000-0002-6982-4660'
>>> ror("https://ror.org/02catss52")
'02catss52'
>>> pubmed("PMID:31665441")
'31665441'
>>> doi("not a doi") is None
True
>>> biotools("https://bio.tools/ANISEED")
'aniseed'
>>> insdc("MN908947.3"), insdc_kind("MN908947")
('MN908947', 'sequence')
>>> trial("EUCTR2020-001052-18-ES"), trial("2020-001052-18"), trial("JPRN-jRCT2031190124")
('EUCTR2020-001052-18', 'EUCTR2020-001052-18', 'jRCT2031190124')

Every identifier scheme (:data:`SCHEMES`) names a kind of record, so the same strong identifier
(DOI, PubMed id, ORCID, ROR id, bio.tools id, INSDC accession, trial registry id, Bioregistry prefix)
gives the same node in every source:

>>> from lifecat.core.uris import Minter
>>> mint = Minter("http://lc/")
>>> uri(mint, "doi", "https://doi.org/10.1093/NAR/gkab1066")
<NamedNode value=http://lc/id/article/10.1093/nar/gkab1066>
>>> uri(mint, "arxiv", "2001.10530v2")
<NamedNode value=http://lc/id/article/10.48550/arxiv.2001.10530>
>>> recognise("https://bio.tools/ANISEED"), recognise("pubmed:26432245")
(('biotools', 'aniseed'), ('pubmed', '26432245'))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from pyoxigraph import NamedNode

from lifecat.core.uris import Minter

_DOI = re.compile(r"(10\.\d{4,9}/\S+)", re.IGNORECASE)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", re.IGNORECASE)
_ROR = re.compile(r"^(?:https?://ror\.org/|ror:)?(0[a-hj-km-np-tv-z0-9]{6}\d{2})$", re.IGNORECASE)
_PUBMED = re.compile(r"^(?:pmid:|pubmed:|https?://pubmed\.ncbi\.nlm\.nih\.gov/)?(\d{1,9})/?$", re.I)
_PMC = re.compile(r"^(?:pmcid:|pmc:|https?://\S+/pmc/articles/)?(?:PMC)?(\d{1,9})/?$", re.I)
_ARXIV = re.compile(
    r"^(?:arxiv:|https?://arxiv\.org/abs/)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I
)
_BIOTOOLS = re.compile(
    r"^(?:biotools:|https?://bio\.tools/(?:tool/)?)?([A-Za-z0-9][-A-Za-z0-9_.~]*)/?$", re.I
)
#: INSDC accession kinds (ENA, NCBI and DDBJ share them), tried in this order.
INSDC_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("sample", re.compile(r"SAM[NED][A-Z]?\d+|[EDS]RS\d{6,}")),
    ("run", re.compile(r"[EDS]RR\d{6,}")),
    ("experiment", re.compile(r"[EDS]RX\d{6,}")),
    ("study", re.compile(r"PRJ[EDN][A-Z]\d+|[EDS]RP\d{6,}")),
    ("sequence", re.compile(r"[A-Z]\d{5}|[A-Z]{2}\d{6}|[A-Z]{2}\d{8}|[A-Z]{4,6}\d{8,10}")),
]
_INSDC = re.compile(r"^(?:insdc:|ena:|genbank:)?([A-Z]{1,6}_?\d{5,10})(?:\.\d+)?$", re.I)

#: Trial registries of the WHO ICTRP network: (Bioregistry prefix, id pattern, canonical form).
#: The canonical form names the trial, not the registry's page for one country (EU CTR's ``-ES``).
TRIAL_REGISTRIES: list[tuple[str, re.Pattern[str], str]] = [
    (prefix, re.compile(pattern, re.I), canonical)
    for prefix, pattern, canonical in [
        ("clinicaltrials", r"(NCT\d{8})", "{}"),
        ("ctis", r"(\d{4}-5\d{5}-\d{2}-\d{2})", "{}"),
        ("euclinicaltrials", r"(?:EUCTR)?(\d{4}-\d{6}-\d{2})(?:-[A-Z]{2,3})?", "EUCTR{}"),
        ("isrctn", r"(ISRCTN\d{8})", "{}"),
        ("chictr", r"(ChiCTR(?:-[A-Z]+-)?\d{6,})", "{}"),
        ("anzctr", r"(ACTRN\d{14})", "{}"),
        ("drks", r"(DRKS\d{8})", "{}"),
        ("irct", r"(IRCT\d+N\d+)", "{}"),
        ("ctri", r"(CTRI/\d{4}/\d{2,3}/\d{6})", "{}"),
        ("jrct", r"(?:JPRN-)?(jRCT[a-z]?\d{10})", "{}"),
        ("umin", r"(?:JPRN-)?(UMIN\d{9})", "{}"),
        ("cris", r"(KCT\d{7})", "{}"),
        ("tctr", r"(TCTR\d{11})", "{}"),
        ("pactr", r"(PACTR\d{15})", "{}"),
        ("rpcec", r"(RPCEC\d{8})", "{}"),
        ("rebec", r"(RBR-[0-9a-z]{6,8})", "{}"),
        ("lbctr", r"(LBCTR\d{10})", "{}"),
        ("slctr", r"(SLCTR/\d{4}/\d{3})", "{}"),
        ("repec", r"(PER-\d{3}-\d{2})", "{}"),
        ("ntr", r"(NTR\d{3,5}|NL\d{4,5})", "{}"),
    ]
]


def doi(text: str | None) -> str | None:
    """The DOI in ``text``, lower-cased (DOIs are case-insensitive)."""
    if not text:
        return None
    match = _DOI.search(text.strip())
    return match.group(1).rstrip(".,;").lower() if match else None


def orcid(text: str | None) -> str | None:
    """The ORCID iD in ``text`` if its check digit is right."""
    if not text:
        return None
    match = _ORCID.search(text.strip())
    if not match:
        return None
    value = match.group(1).upper()
    digits = value.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return value if digits[-1] == ("X" if check == 10 else str(check)) else None


def ror(text: str | None) -> str | None:
    """The ROR id in ``text`` (a bare id, ``ror:`` CURIE or ``https://ror.org/`` URL)."""
    if not text:
        return None
    match = _ROR.match(text.strip())
    return match.group(1).lower() if match else None


def pubmed(text: str | int | None) -> str | None:
    """The PubMed id in ``text``."""
    if text is None or text == "":
        return None
    match = _PUBMED.match(str(text).strip())
    return match.group(1) if match else None


def _group(pattern: re.Pattern[str], text: str | None) -> str | None:
    """The first group of ``pattern`` matched at the start of ``text``."""
    match = pattern.match(text.strip()) if text else None
    return match.group(1) if match else None


def pmc(text: str | None) -> str | None:
    """The PubMed Central id in ``text``, as ``PMC`` and digits."""
    value = _group(_PMC, text)
    return f"PMC{value}" if value else None


def arxiv(text: str | None) -> str | None:
    """The arXiv id in ``text`` without its version: the paper, not one revision of it.

    >>> arxiv("2001.10530v2"), arxiv("https://arxiv.org/abs/hep-th/9901001v1")
    ('2001.10530', 'hep-th/9901001')
    """
    return _group(_ARXIV, text)


def biotools(text: str | None) -> str | None:
    """The bio.tools id in ``text``, lower-cased (bio.tools resolves ids case-insensitively)."""
    value = _group(_BIOTOOLS, text)
    return value.lower() if value else None


def insdc(text: str | None) -> str | None:
    """The INSDC accession (sequence, run, experiment, sample or study) in ``text``, unversioned."""
    value = (_group(_INSDC, text) or "").upper()
    return value if value and insdc_kind(value) else None


def insdc_kind(accession: str) -> str | None:
    """What an INSDC accession names: ``sample``, ``run``, ``experiment``, ``study`` or ``sequence``."""
    return next((kind for kind, pattern in INSDC_KINDS if pattern.fullmatch(accession)), None)


def trial(text: str | None) -> str | None:
    """The trial registry id that ``text`` is, in its canonical form (see :data:`TRIAL_REGISTRIES`)."""
    if not text:
        return None
    text = text.strip()
    for _, pattern, canonical in TRIAL_REGISTRIES:
        match = pattern.fullmatch(text)
        if match:
            return canonical.format(_case(match.group(1)))
    return None


def trials_in(text: str | None) -> list[str]:
    """Every trial registry id mentioned in free ``text``, canonical, in order, without repeats.

    >>> trials_in("Also registered as NCT04280705 and ChiCTR2000029953; see NCT04280705.")
    ['NCT04280705', 'ChiCTR2000029953']
    """
    found: list[tuple[int, str]] = []
    for _, pattern, canonical in TRIAL_REGISTRIES:
        for match in re.finditer(rf"(?<![\w/-]){pattern.pattern}(?![\w/])", text or "", re.I):
            found.append((match.start(), canonical.format(_case(match.group(1)))))
    return list(dict.fromkeys(value for _, value in sorted(found)))


def trial_registry(identifier: str) -> str | None:
    """The Bioregistry prefix of the registry that issued a canonical trial id."""
    for prefix, pattern, _ in TRIAL_REGISTRIES:
        if pattern.fullmatch(identifier):
            return prefix
    return None


def _case(value: str) -> str:
    """Registry ids are case-insensitive; keep each registry's own spelling of its letters."""
    for spelling in ("ChiCTR", "jRCT", "RBR-"):
        if value.lower().startswith(spelling.lower()):
            return spelling + value[len(spelling):]
    return value.upper()


ENA_VIEW = "https://www.ebi.ac.uk/ena/browser/view/{}"
WHO_TRIAL = "https://trialsearch.who.int/Trial2.aspx?TrialID={}"


def _accession(kind: str) -> Callable[[str | None], str | None]:
    def normalise(text: str | None) -> str | None:
        value = insdc(text)
        return value if value and insdc_kind(value) == kind else None

    normalise.__doc__ = f"An INSDC {kind} accession."
    return normalise


def _prefix(text: str | None) -> str | None:
    value = (text or "").strip().lower()
    return value if re.fullmatch(r"[a-z0-9][a-z0-9._-]*", value) else None


def _strain(text: str | None) -> str | None:
    value = (text or "").strip()
    return value if value and value not in {"?", "NA", "unknown"} else None


def _trial_url(identifier: str) -> str:
    if trial_registry(identifier) == "clinicaltrials":
        return f"https://clinicaltrials.gov/study/{identifier}"
    return WHO_TRIAL.format(identifier)


@dataclass(frozen=True)
class Scheme:
    """A kind of strong identifier: which records it names and how it is written and resolved."""

    name: str
    kind: str
    normalise: Callable[[str | None], str | None]
    key: str = "{}"
    identifier: str = "{}"
    url: str | Callable[[str], str] | None = None

    def resolver(self, value: str) -> str | None:
        if self.url is None:
            return None
        return self.url(value) if callable(self.url) else self.url.format(value)


#: Every identifier scheme lifecat mints nodes from. ``key``, ``identifier`` and ``url`` are templates
#: over the normalised value.
SCHEMES: dict[str, Scheme] = {
    scheme.name: scheme
    for scheme in [
        Scheme("doi", "article", doi, identifier="https://doi.org/{}", url="https://doi.org/{}"),
        # arXiv registers a DataCite DOI for every paper: minting from it joins arXiv ids and DOIs.
        Scheme("arxiv", "article", arxiv, key="10.48550/arxiv.{}", identifier="arXiv:{}",
               url="https://arxiv.org/abs/{}"),
        Scheme("pubmed", "article", pubmed, key="pubmed:{}", identifier="pubmed:{}",
               url="https://pubmed.ncbi.nlm.nih.gov/{}"),
        Scheme("pmc", "article", pmc, key="pmc:{}", identifier="pmc:{}",
               url="https://www.ncbi.nlm.nih.gov/pmc/articles/{}"),
        Scheme("orcid", "person", orcid, identifier="https://orcid.org/{}", url="https://orcid.org/{}"),
        Scheme("ror", "organization", ror, identifier="https://ror.org/{}", url="https://ror.org/{}"),
        Scheme("biotools", "tool", biotools, identifier="biotools:{}", url="https://bio.tools/{}"),
        Scheme("sample", "sample", _accession("sample"), url=ENA_VIEW),
        Scheme("strain", "sample", _strain),
        Scheme("sequence", "dataset", _accession("sequence"), url="https://www.ncbi.nlm.nih.gov/nuccore/{}"),
        Scheme("run", "dataset", _accession("run"), url=ENA_VIEW),
        Scheme("study", "study", _accession("study"), url=ENA_VIEW),
        Scheme("trial", "trial", trial, url=_trial_url),
        Scheme("bioregistry", "catalog", _prefix, url="https://bioregistry.io/{}"),
    ]
}

#: Publisher IRIs and CURIEs that carry a strong identifier: (pattern, scheme). The first group is
#: the identifier; a scheme of ``insdc`` is decided by the accession's own form.
RECOGNISED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern, re.I), scheme)
    for pattern, scheme in [
        (r"https?://(?:dx\.)?doi\.org/(10\..+)", "doi"),
        (r"doi:(10\..+)", "doi"),
        (r"https?://orcid\.org/(.+)", "orcid"),
        (r"https?://ror\.org/(.+)", "ror"),
        (r"https?://bio\.tools/(?:tool/)?([^/?#]+)/?", "biotools"),
        (r"biotools:(.+)", "biotools"),
        (r"https?://(?:pubmed\.ncbi\.nlm\.nih\.gov|www\.ncbi\.nlm\.nih\.gov/pubmed)/(\d+)/?", "pubmed"),
        (r"(?:pubmed|pmid):(\d+)", "pubmed"),
        (r"https?://(?:www\.)?ncbi\.nlm\.nih\.gov/pmc/articles/(PMC\d+)/?", "pmc"),
        (r"(?:pmcid|pmc):(PMC\d+)", "pmc"),
        (r"https?://arxiv\.org/abs/(.+)", "arxiv"),
        (r"arxiv:(.+)", "arxiv"),
        (r"https?://(?:www\.)?clinicaltrials\.gov/(?:ct2/show/|show/|study/)(NCT\d{8})\b.*", "trial"),
        (r"https?://(?:www\.)?ebi\.ac\.uk/biosamples/samples/(SAM\w+)/?", "sample"),
        (r"https?://(?:www\.)?ncbi\.nlm\.nih\.gov/biosample/(SAM\w+)/?", "sample"),
        (r"https?://(?:www\.)?ebi\.ac\.uk/ena/(?:browser|data)/view/([A-Z0-9_.]+)/?", "insdc"),
        (r"https?://(?:www\.)?ncbi\.nlm\.nih\.gov/(?:nuccore|nucleotide)/([A-Z0-9_.]+)/?", "sequence"),
        (r"https?://(?:www\.)?ncbi\.nlm\.nih\.gov/sra/([EDS]RR\d+)/?", "run"),
        (r"https?://(?:www\.)?ncbi\.nlm\.nih\.gov/bioproject/(PRJ\w+)/?", "study"),
        (r"https?://bioregistry\.io/(?:registry/)?([a-z0-9._-]+)/?", "bioregistry"),
        (r"https?://identifiers\.org/(doi|pubmed|orcid|ror|biotools|biosample|clinicaltrials|arxiv)[:/](.+)",
         "identifiers.org"),
    ]
]
#: identifiers.org prefixes → schemes.
_IDENTIFIERS_ORG = {"biosample": "sample", "clinicaltrials": "trial"}


def key(scheme: str, value: object) -> str | None:
    """The record key that ``value``, an identifier of ``scheme``, gives, or ``None`` if it is not one.

    >>> key("pubmed", "PMID:31665441"), key("ror", "not a ror id")
    ('pubmed:31665441', None)
    """
    entry = SCHEMES[scheme]
    normalised = entry.normalise(str(value)) if value not in (None, "") else None
    return entry.key.format(normalised) if normalised else None


def uri(mint: Minter, scheme: str, value: object) -> NamedNode | None:
    """The lifecat node of the thing ``value`` identifies, the same in every source."""
    record_key = key(scheme, value)
    return mint.record(SCHEMES[scheme].kind, record_key) if record_key else None


def scheme_of(kind: str, key: str) -> str | None:
    """The scheme a record key was minted from: the inverse of :func:`key`.

    >>> scheme_of("article", "pubmed:31665441"), scheme_of("article", "10.48550/arxiv.2001.10530")
    ('pubmed', 'arxiv')
    >>> scheme_of("dataset", "NCT04280705/ipd") is None
    True
    """
    candidates = sorted((s for s in SCHEMES.values() if s.kind == kind),
                        key=lambda s: -len(s.key.split("{}")[0]))
    for scheme in candidates:
        prefix = scheme.key.split("{}")[0]
        if key.startswith(prefix) and scheme.key.format(scheme.normalise(key[len(prefix):]) or "\0") == key:
            return scheme.name
    return None


def recognise(text: str | None) -> tuple[str, str] | None:
    """The (scheme, normalised value) of a publisher IRI or CURIE carrying a strong identifier.

    >>> recognise("https://www.ebi.ac.uk/ena/browser/view/SRR11542289")
    ('run', 'SRR11542289')
    >>> recognise("https://example.org/tool/1") is None
    True
    """
    text = (text or "").strip()
    for pattern, scheme in RECOGNISED:
        match = pattern.fullmatch(text)
        if not match:
            continue
        value = match.group(match.lastindex or 1)
        if scheme == "identifiers.org":
            scheme = _IDENTIFIERS_ORG.get(match.group(1).lower(), match.group(1).lower())
        if scheme == "insdc":
            accession = insdc(value)
            scheme = insdc_kind(accession) or "" if accession else ""
            if scheme not in SCHEMES:
                return None
        normalised = SCHEMES[scheme].normalise(value)
        if normalised:
            return scheme, normalised
    return None


def orcid_url(values: Iterable[str]) -> str | None:
    """The ORCID URL among a person's identifiers.

    >>> orcid_url(["Jane", "https://orcid.org/0000-0002-1825-0097"])
    'https://orcid.org/0000-0002-1825-0097'
    """
    for value in values:
        if "orcid" in value.lower() or value[:4].isdigit():
            found = orcid(value)
            if found:
                return SCHEMES["orcid"].resolver(found)
    return None


def doi_url(values: Iterable[str]) -> str | None:
    """The DOI URL among a thing's identifiers, from the first written as a DOI (URL or ``doi:`` CURIE).

    >>> doi_url(["https://example.org/10.1000/x", "doi:10.1000/ABC"])
    'https://doi.org/10.1000/abc'
    """
    for value in values:
        if "doi.org/" in value or value.lower().startswith("doi:"):
            found = doi(value)
            if found:
                return SCHEMES["doi"].resolver(found)
    return None


def resolver_iri(curie: str) -> str | None:
    """Where a ``prefix:local`` CURIE resolves: identifiers.org, else Bioregistry's own resolver.

    >>> resolver_iri("pubmed:31665441")
    'https://identifiers.org/pubmed:31665441'
    >>> resolver_iri("P12345") is None
    True
    """
    prefix, _, local = curie.partition(":")
    normal = normalize_scheme(prefix) if local else None
    if normal is None:
        return None
    import bioregistry  # loaded on first use: it reads the whole registry

    return (bioregistry.get_identifiers_org_iri(normal, local)
            or bioregistry.get_bioregistry_iri(normal, local))


def identifier_keys(value: str) -> set[str]:
    """Lookup keys of an identifier as written: itself and its normalised ``prefix:local`` CURIE.

    Keys are lower-cased, since DOIs and most accessions compare case-insensitively.

    >>> sorted(identifier_keys("https://doi.org/10.1093/NAR/gkab1066"))
    ['doi:10.1093/nar/gkab1066', 'https://doi.org/10.1093/nar/gkab1066']
    >>> sorted(identifier_keys("PMID:31665441"))
    ['pmid:31665441', 'pubmed:31665441']
    """
    value = value.strip()
    keys = {value.lower()} if value else set()
    prefix, local = _parse(value)
    if prefix and local:
        keys.add(f"{prefix}:{local}".lower())
    return keys


def _parse(value: str) -> tuple[str | None, str | None]:
    import bioregistry  # loaded on first use: it reads the whole registry

    if value.startswith(("http://", "https://")):
        parsed = bioregistry.parse_iri(value)
    elif ":" in value:
        parsed = bioregistry.parse_curie(value)
    else:
        parsed = None
    return (parsed[0], parsed[1]) if parsed else (None, None)


@cache
def normalize_scheme(prefix: str) -> str | None:
    """The registered name of an identifier scheme (``None`` when it is not one).

    >>> normalize_scheme("PMID"), normalize_scheme("nonsense-scheme")
    ('pubmed', None)
    """
    import bioregistry

    return bioregistry.normalize_prefix(prefix)
