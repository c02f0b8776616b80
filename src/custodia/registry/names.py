"""Folding names into search tokens, so Latin and Arabic-script names can be looked up
by any word they contain. (Fuzzy matching across spellings belongs to identity.)"""

from __future__ import annotations

import re
import unicodedata

# Arabic harakat, tatweel and Quranic marks carry no identity.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ARTICLE = re.compile(r"^(?:al|el|ul|ad|ad|an|ar|as|ash|at|az|adh|al)-(?=\w)")
_ARABIC_ARTICLE = "ال"
_ALEF_VARIANTS = str.maketrans("أإآٱı", "ااااi")  # and Turkish dotless i, as typed


def fold(text: str) -> str:
    """Lowercase, strip accents and Arabic diacritics, unify alef forms."""
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text))
    decomposed = unicodedata.normalize("NFKD", text.translate(_ALEF_VARIANTS))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or _is_arabic(ch))
    return unicodedata.normalize("NFC", kept).casefold()


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


# The Arabic blocks, with the supplement and the presentation forms some keyboards type.
_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def has_arabic(text: str) -> bool:
    """Is the text written (at least partly) in Arabic letters?"""
    return _ARABIC_LETTERS.search(text) is not None


def name_tokens(name: str) -> set[str]:
    """The words a person could type to find this name."""
    tokens: set[str] = set()
    for raw in fold(name).split():
        word = _ARTICLE.sub("", raw)
        for part in _WORD.findall(word):
            if part.startswith(_ARABIC_ARTICLE) and len(part) > 3:
                tokens.add(part[2:])
            tokens.add(part[:64])
    return tokens
