"""Licence names as publishers write them, resolved to IRIs from the SPDX licence list.

>>> licence_iri("CC-BY-4.0")
'http://spdx.org/licenses/CC-BY-4.0'
>>> licence_iri("cc by 4.0")
'http://spdx.org/licenses/CC-BY-4.0'
>>> licence_iri("https://creativecommons.org/licenses/by/4.0/")
'https://creativecommons.org/licenses/by/4.0/'
>>> licence_iri("See the website") is None
True
"""

from __future__ import annotations

import re

#: SPDX identifiers lifecat recognises (https://spdx.org/licenses/), keyed by their folded form.
SPDX_IDS = {
    re.sub(r"[^a-z0-9.+]", "", spdx.lower()): spdx
    for spdx in (
        "0BSD", "AFL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-2.0", "Artistic-2.0",
        "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause", "BSL-1.0", "CC-BY-1.0", "CC-BY-2.0",
        "CC-BY-2.5", "CC-BY-3.0", "CC-BY-3.0-IGO", "CC-BY-4.0", "CC-BY-NC-2.0", "CC-BY-NC-2.5",
        "CC-BY-NC-3.0", "CC-BY-NC-4.0", "CC-BY-NC-ND-3.0", "CC-BY-NC-ND-4.0", "CC-BY-NC-SA-2.0",
        "CC-BY-NC-SA-2.5", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-3.0", "CC-BY-ND-3.0-IGO",
        "CC-BY-ND-4.0", "CC-BY-SA-2.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-PDDC", "CC-PDM-1.0",
        "CC0-1.0", "CDDL-1.0", "CECILL-2.1", "Community-Spec-1.0", "EPL-1.0", "EPL-2.0",
        "EUPL-1.2", "GFDL-1.3", "GFDL-1.3-only", "GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later",
        "GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later", "ISC", "LGPL-2.1", "LGPL-2.1-only",
        "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later", "MIT", "MPL-2.0",
        "ODbL-1.0", "ODC-By-1.0", "OGL-UK-3.0", "PDDL-1.0", "Python-2.0", "Unlicense",
        "W3C", "W3C-20150513", "W3C-2023", "WTFPL", "Zlib",
    )
}


def licence_iri(text: str | None) -> str | None:
    """An IRI for the licence named in ``text``, or ``None`` when it names no known licence."""
    if not text:
        return None
    text = text.strip()
    if text.startswith(("http://", "https://")) and " " not in text:
        return text
    spdx = SPDX_IDS.get(re.sub(r"[^a-z0-9.+]", "", text.lower()))
    return f"http://spdx.org/licenses/{spdx}" if spdx else None
