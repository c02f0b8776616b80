"""Arabic script to a Latin consonant spelling that the skeleton of ``names.py`` reads the
way it reads Latin transliterations. Persian and Urdu letters are included (the UN list
writes Afghan names in Perso-Arabic script)."""

from __future__ import annotations

import re

from custodia.registry.names import has_arabic

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "a", "و": "u", "ي": "i", "ى": "a",
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "i", "ې": "i", "ۍ": "i",
    "ټ": "t", "ډ": "d", "ړ": "r", "ږ": "zh", "ښ": "sh", "ڼ": "n", "ں": "n", "ے": "i",
    "ہ": "h", "ۀ": "a", "ھ": "h", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ۇ": "u", "ۆ": "u",
}  # fmt: skip
# An h after a letter a Latin spelling writes with an h (zh, sh, th, dh, kh, gh, ph) is a
# letter of its own: زهير is Zuhair, not Zhir; سهيل Suhail, صهيب Suhayb. The romanization
# marks it, as ALA-LC's prime does (Adʹham), with a character no Latin name holds: the
# skeleton reads the pair as Latin spellings that write the two letters together do (Fathi
# = فتحي, Ishaq = إسحاق), and ``names.apart_skeleton`` as the ones that write a vowel
# between them.
APART = "0"
_BEFORE_H = frozenset("sztdkgcp")
# A final ه after a consonant is a vowel: a ta marbuta typed without its dots (فاطمه =
# فاطمة, حمزه, اسامه, as many clerks type them) or the silent he that ends Persian and
# Pashto names (زاده, Zadeh; خواجه). After a long vowel it is an h (وجيه Wajih, شاه Shah).
_LONG_VOWELS = frozenset("اآأإوؤيیىئء")
_ALEFS = frozenset("اآأإ")


def _silent_final_he(word: str) -> bool:
    """Is a word's final ه a vowel (``_LONG_VOWELS``)? Not after a long vowel, nor in إله,
    god, whose h is said (عبد الإله, Abd al-Ilah, is not عبد الله)."""
    if word[-2] in _LONG_VOWELS:
        return False
    return not (word[-2] == "ل" and word[-3:-2] in _ALEFS)


_WORDS = {
    "بن": "bin", "ابن": "ibn", "بنت": "bint", "ابو": "abu", "أبو": "abu", "ابي": "abu",
    "أبي": "abu", "ام": "umm", "أم": "umm", "عبد": "abd", "الله": "allah", "اللہ": "allah",
    "محمد": "muhammad", "شيخ": "sheikh", "الشيخ": "sheikh", "حاجي": "haji", "حاجى": "haji",
    "ملا": "mullah", "الملا": "mullah", "مولوي": "mawlawi", "مولوى": "mawlawi",
    "الحاج": "haji", "حاج": "haji",
}  # fmt: skip
# the spellings of the words above: a conventional Latin spelling, not a romanization of
# the letters (محمد is "muhammad", its u a short vowel Arabic script does not write)
CONVENTIONAL_SPELLINGS = frozenset(_WORDS.values())


def _word(word: str, article: bool = True) -> str:
    known = _WORDS.get(word)
    if known:
        return known
    if word.startswith("عبد") and len(word) > 3:
        return "abd " + _word(word[3:])
    if article and word.startswith("ال") and len(word) > 3:
        # one article: what follows is the name, though it opens with the same letters
        # (الالفي is al-Alfi, الالوسي al-Alusi)
        return "al-" + _word(word[2:], article=False)
    out: list[str] = []
    for i, ch in enumerate(word):
        latin = _LETTERS.get(ch, ch)
        if i == 0 and ch == "و":
            latin = "w"
        elif i == 0 and ch in "يی":
            latin = "y"
        elif ch in "يیوى" and i == len(word) - 1 and i > 0 and out and out[-1] in ("a",):
            latin = ""
        elif ch == "ة" or (ch == "ه" and i == len(word) - 1 and i > 1):
            latin = "a" if ch == "ة" or _silent_final_he(word) else "h"
        if latin == "h" and out and out[-1][-1:] in _BEFORE_H:
            latin = APART + latin
        out.append(latin)
    return "".join(out)


def romanize(text: str) -> str:
    """``إبراهيم عواد البدري`` -> ``ibrahim aawad al-bdri``: a consonant spelling, not a
    pronunciation; the skeleton of each word is what matters."""
    text = _MARKS.sub("", text)
    pieces: list[str] = []
    for token in re.split(r"(\s+|[^\w]+)", text):
        if token and has_arabic(token):
            pieces.append(_word(token))
        else:
            pieces.append(token)
    return "".join(pieces)
