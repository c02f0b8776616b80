"""Nisbas of origin: the last part of a nom de guerre that says where a man comes from.

"Abu Hamza al-Ustrali" is "the Australian", "Abu Muslim al-Shishani" "the Chechen", "Abu
Bakr al-Ansari" a local supporter and "Abu Dharr al-Muhajir" a foreigner who came to fight.
Such a nisba is not a family name: it is not expected among the man's names in his other
record, but it should agree with his nationality. A family or tribal nisba ("al-Jubouri",
"al-Shammari") is expected among his names, and is compared with them (side.py).

The table is keyed by the name skeleton (names.py) so that every spelling, Arabic script
included, meets it: "al-Iraqi", "el Iraqy", "العراقي" are one key.
"""

from __future__ import annotations

from functools import cache, lru_cache

from rapidfuzz.distance import Levenshtein

from custodia.identity.names import cache_key, parse_name, split_cache_key

# Where the fighting and the camps are: a local supporter ("ansari") is from here, an
# emigrant ("muhajir") from anywhere else.
LOCAL_COUNTRIES = frozenset({"SY", "IQ"})

# Latin spellings of each nisba of origin -> the nationalities it names. Levantine and
# regional nisbas name several states; "Kurdi" names a people across four.
_ORIGINS: dict[str, tuple[str, ...]] = {
    "Iraqi": ("IQ",),
    "Shami": ("SY", "LB", "JO", "PS"),
    "Tunisi Tounsi": ("TN",),
    "Jazrawi Saudi Najdi Hijazi": ("SA",),
    "Maghribi Maghrebi": ("MA",),
    "Mauritani Muritani Shinqiti": ("MR",),
    "Misri Masri": ("EG",),
    "Urduni": ("JO",),
    "Lubnani": ("LB",),
    "Filastini": ("PS",),
    "Libi Liby": ("LY",),
    "Jazairi Djazairi": ("DZ",),
    "Yamani Yemeni": ("YE",),
    "Kuwaiti": ("KW",),
    "Sudani": ("SD",),
    "Somali": ("SO",),
    "Turki": ("TR",),
    "Kurdi": ("IQ", "SY", "TR", "IR"),
    "Shishani Chechani Daghestani": ("RU",),
    "Uzbeki Uzbaki": ("UZ",),
    "Tajiki": ("TJ",),
    "Kazakhi Qazaqi": ("KZ",),
    "Qirghizi Kyrgyzi": ("KG",),
    "Turkmani": ("TM",),
    "Adhari Azeri": ("AZ",),
    "Jurji Gurji": ("GE",),
    "Faransi Firansi": ("FR",),
    "Almani": ("DE",),
    "Britani Baritani Injlizi": ("GB",),
    "Biljiki Beljiki": ("BE",),
    "Hulandi Hollandi": ("NL",),
    "Swidi": ("SE",),
    "Danimarki": ("DK",),
    "Nimsawi": ("AT",),
    "Isbani": ("ES",),
    "Amriki Amreeki": ("US",),
    "Kanadi": ("CA",),
    "Ustrali": ("AU",),
    "Indunisi Indonesi": ("ID",),
    "Malizi": ("MY",),
    "Filibini": ("PH",),
    "Hindi": ("IN",),
    "Pakistani Bakistani": ("PK",),
    "Afghani": ("AF",),
    "Khurasani Khorasani": ("AF", "PK", "IR"),
    "Bosni": ("BA",),
    "Albani": ("AL", "XK"),
    "Kosovi": ("XK",),
    "Habashi": ("ET",),
    "Iritri": ("ER",),
    "Trinidadi": ("TT",),
}
_GENERIC = {"Ansari": True, "Muhajir": False}  # True: local; False: from elsewhere


@cache
def _table() -> dict[str, tuple[frozenset[str], bool]]:
    """skeleton -> (countries, True when the countries are those it names, False when it
    names any country but those)."""
    out: dict[str, tuple[frozenset[str], bool]] = {}
    for spellings, countries in _ORIGINS.items():
        for spelling in spellings.split():
            # skeletons drop vowels: "Saudi" and "Swidi" are one key, naming either
            key = _skeleton(spelling)
            known, _ = out.get(key, (frozenset(), True))
            out[key] = (known | frozenset(countries), True)
    for spelling, local in _GENERIC.items():
        out[_skeleton(spelling)] = (LOCAL_COUNTRIES, local)
    return out


def _skeleton(spelling: str) -> str:
    (token,) = parse_name(f"al-{spelling}").tokens
    return token.skeleton


@cache
def _spellings() -> dict[str, frozenset[str]]:
    """skeleton -> the listed nisbas of origin with that skeleton, each as the name model
    folds it ("al-Almani" -> "mani": the parser reads its "al" as the article)."""
    out: dict[str, set[str]] = {}
    for spelling in [*" ".join(_ORIGINS).split(), *_GENERIC]:
        (token,) = parse_name(f"al-{spelling}").tokens
        out.setdefault(token.skeleton, set()).add(token.spelling)
    return {k: frozenset(v) for k, v in out.items()}


def is_origin_spelling(spelling: str, skeleton: str) -> bool:
    """Is this folded spelling (of a part with this skeleton) a nisba of origin ("saudi",
    "saoudi", "msri"), as against a name its skeleton drops to as well ("saad", "saeed":
    ``sd`` like "saudi")? A listed spelling, or one a letter from a listed one of the same
    skeleton (another vowel) that keeps the nisba's ending (-i, -y)."""
    return _is_origin_spelling(cache_key((spelling, skeleton)))


# bounded, and keyed by one string (names.cache_key): a registry's spellings are many
@lru_cache(maxsize=100_000)
def _is_origin_spelling(part: str) -> bool:
    spelling, skeleton = split_cache_key(part)
    listed = _spellings().get(skeleton, frozenset())
    if spelling in listed:
        return True
    return spelling.endswith(("i", "y")) and any(
        Levenshtein.distance(spelling, known, score_cutoff=1) <= 1 for known in listed
    )


def agrees_with(skeleton: str, nationality: str) -> bool:
    """Does a nisba of origin agree with a nationality (ISO code)?"""
    countries, within = _table()[skeleton]
    return (nationality in countries) == within
