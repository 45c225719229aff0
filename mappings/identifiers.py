"""Strong identifiers, normalised once so that every source mints the same URI for the same thing.

Each function takes what a publisher wrote (a bare id, a CURIE or a resolver URL) and returns the
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
"""

from __future__ import annotations

import re

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
