"""Names and titles as the graph shows them, cleaned of what article text smuggles in.

Scraped text carries control characters (BEL, NUL), format characters (zero-width joiners, bidi
marks and overrides, soft hyphens, byte-order marks) and odd spacing. They are kept in the text as
read, so that evidence stays an exact slice of it, but a label or title holding them looks like
the same name and is not: it would not match in SPARQL, sort apart and show garbled. Every
`rdfs:label`, `skos:altLabel` and `dcterms:title` goes through `clean_label`.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DROP = ("Cc", "Cf", "Cs")  # control, format, and unpaired surrogates (which no file can hold)


def clean_label(text: str) -> str:
    """Unicode NFC, control (Cc), format (Cf) and surrogate (Cs) characters removed, whitespace collapsed.

    Whitespace controls (tab, newline) become spaces rather than vanishing, so "Gaza\\ttalks" stays
    two words."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if c.isspace() else c for c in text
                   if c.isspace() or unicodedata.category(c) not in _DROP)
    return _SPACES.sub(" ", text).strip()
