"""Cross-source identity: the same strong identifier gives the same node in every source.

Every mapping mints the URI of a thing that has a strong identifier (DOI, PubMed id, ORCID, ROR id,
bio.tools id, INSDC accession, trial registry id, Bioregistry prefix) through :func:`uri`, so a
publication cited by a Bioregistry resource and listed in the preprints file is one node, whose
statements stay apart in each source's named graph. When a record knows two strong identifiers of
one thing (a DOI and a PubMed id, a BioSample and an SRA sample accession, an NCT number and an
EudraCT number), the node is minted from the preferred one and ``owl:sameAs``-linked to the node the
other would mint, so that a source knowing only the other still meets it.

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

from pyoxigraph import NamedNode

from lifecat.core.uris import Minter
from lifecat.core.vocab import OWL, SCHEMA
from lifecat.mappings import identifiers
from lifecat.mappings.rdf import Record

ENA_VIEW = "https://www.ebi.ac.uk/ena/browser/view/{}"
WHO_TRIAL = "https://trialsearch.who.int/Trial2.aspx?TrialID={}"


def _accession(kind: str) -> Callable[[str | None], str | None]:
    def normalise(text: str | None) -> str | None:
        value = identifiers.insdc(text)
        return value if value and identifiers.insdc_kind(value) == kind else None

    normalise.__doc__ = f"An INSDC {kind} accession."
    return normalise


def _prefix(text: str | None) -> str | None:
    value = (text or "").strip().lower()
    return value if re.fullmatch(r"[a-z0-9][a-z0-9._-]*", value) else None


def _strain(text: str | None) -> str | None:
    value = (text or "").strip()
    return value if value and value not in {"?", "NA", "unknown"} else None


def _trial_url(identifier: str) -> str:
    if identifiers.trial_registry(identifier) == "clinicaltrials":
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
        Scheme("doi", "article", identifiers.doi, identifier="https://doi.org/{}", url="https://doi.org/{}"),
        # arXiv registers a DataCite DOI for every paper: minting from it joins arXiv ids and DOIs.
        Scheme("arxiv", "article", identifiers.arxiv, key="10.48550/arxiv.{}", identifier="arXiv:{}",
               url="https://arxiv.org/abs/{}"),
        Scheme("pubmed", "article", identifiers.pubmed, key="pubmed:{}", identifier="pubmed:{}",
               url="https://pubmed.ncbi.nlm.nih.gov/{}"),
        Scheme("pmc", "article", identifiers.pmc, key="pmc:{}", identifier="pmc:{}",
               url="https://www.ncbi.nlm.nih.gov/pmc/articles/{}"),
        Scheme("orcid", "person", identifiers.orcid, identifier="https://orcid.org/{}",
               url="https://orcid.org/{}"),
        Scheme("ror", "organization", identifiers.ror, identifier="https://ror.org/{}",
               url="https://ror.org/{}"),
        Scheme("biotools", "tool", identifiers.biotools, identifier="biotools:{}", url="https://bio.tools/{}"),
        Scheme("sample", "sample", _accession("sample"), url=ENA_VIEW),
        Scheme("strain", "sample", _strain),
        Scheme("sequence", "dataset", _accession("sequence"), url="https://www.ncbi.nlm.nih.gov/nuccore/{}"),
        Scheme("run", "dataset", _accession("run"), url=ENA_VIEW),
        Scheme("study", "study", _accession("study"), url=ENA_VIEW),
        Scheme("trial", "trial", identifiers.trial, url=_trial_url),
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
            accession = identifiers.insdc(value)
            scheme = identifiers.insdc_kind(accession) or "" if accession else ""
            if scheme not in SCHEMES:
                return None
        normalised = SCHEMES[scheme].normalise(value)
        if normalised:
            return scheme, normalised
    return None


def describe(rec: Record, mint: Minter, ids: Iterable[tuple[str, object]], *, field: str,
             node: NamedNode | None = None) -> NamedNode | None:
    """Mint the node of a thing from its strong ids (best first) and state each id on it.

    Each id becomes a ``schema:identifier`` and, where it resolves, a ``schema:sameAs`` link; an id
    that would mint another node is ``owl:sameAs``-linked to it. ``node`` is the record's own node
    when the mapping minted it already. Returns the node, or ``None`` when no id is valid.

    >>> rec = Record("x", NamedNode("http://lc/id/x"), "x")
    >>> describe(rec, Minter("http://lc/"), [("doi", "10.1000/A"), ("pubmed", "12")], field="pub")
    <NamedNode value=http://lc/id/article/10.1000/a>
    >>> sorted(t.object.value for t in rec.triples)[:3]
    ['http://lc/id/article/pubmed:12', 'https://doi.org/10.1000/a', 'https://doi.org/10.1000/a']
    """
    found = []
    for name, raw in ids:
        scheme = SCHEMES[name]
        value = scheme.normalise(str(raw)) if raw not in (None, "") else None
        if value:
            found.append((scheme, value))
    if not found:
        return None
    primary = node or mint.record(found[0][0].kind, found[0][0].key.format(found[0][1]))
    for scheme, value in found:
        rec.text(primary, SCHEMA.identifier, scheme.identifier.format(value))
        rec.link(primary, SCHEMA.sameAs, scheme.resolver(value), field=field)
        other = mint.record(scheme.kind, scheme.key.format(value))
        if other != primary and scheme.kind == found[0][0].kind:
            rec.add(primary, OWL.sameAs, other)
    return primary


def same_as(rec: Record, node: NamedNode, mint: Minter, ids: Iterable[tuple[str, object]]) -> None:
    """Link ``node`` with ``owl:sameAs`` to the nodes its other strong ids would mint.

    >>> rec = Record("x", NamedNode("http://lc/id/x"), "x")
    >>> same_as(rec, NamedNode("http://lc/id/article/10.1000/a"), Minter("http://lc/"), [("pubmed", "12")])
    >>> [t.object.value for t in rec.triples]
    ['http://lc/id/article/pubmed:12']
    """
    for scheme, value in ids:
        other = uri(mint, scheme, value)
        if other is not None and other != node:
            rec.add(node, OWL.sameAs, other)
