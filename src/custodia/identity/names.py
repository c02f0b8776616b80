"""The name model: a name in any script parsed into tokens on one shared skeleton.

Arabic script is romanized letter by letter (``arabic.py``) and every Latin spelling is
brought to a consonant skeleton, so ``Muhammad / Mohammed / محمد`` meet at ``mhmd``. On the
way the parser knows the parts of Arabic names: the kunya marker (Abu/Umm), nasab
connectors (bin/ibn/bint/ould), articles (al-/el-/ad-/ash-...), compounds (``Abd al-X``,
``X ad-Din``) and titles (Sheikh, Haji, Mullah, Dr.), which name no one on their own
and only corroborate when two names share one.

Measured (benchmarks/identity_un_aliases.py): anyascii and unidecode fold Latin accents the
same way; neither transliterates Arabic usefully for matching (8.7 % top-1 cross-script), so
Arabic goes through our own letter map and anyascii only folds the rest.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii

from custodia.identity.arabic import APART, romanize
from custodia.registry.names import fold, has_arabic

# The matcher's caches take one string each, their fields joined: a dict whose keys are all
# strings is one the garbage collector leaves out of its walks, while a single tuple key puts
# every entry back on them (the comparisons' 262,144 made each full collection 60 to 100 ms
# in a server that had answered a few thousand searches).
_KEY_SEPARATOR = "\x1f"  # the ASCII unit separator, in no name part


def cache_key(fields: Iterable[str]) -> str:
    return _KEY_SEPARATOR.join(fields)


def split_cache_key(key: str) -> list[str]:
    return key.split(_KEY_SEPARATOR)


# Titles, each with its spellings (the first is how an explanation names it): a title names
# no one, and two names only corroborate each other by sharing one.
_TITLE_GROUPS = (
    # Kurmanji (the Latin alphabet of the region's Kurdish records): Şêx, Hecî, Mele
    ("sheikh", "shaykh", "shaikh", "sheik", "cheikh", "shaik", "sex", "shex", "seyh"),
    ("haji", "hajji", "hadji", "hajj", "alhaj", "alhajj", "heci"),
    ("mullah", "mulla", "mollah", "molla", "molah", "mele"),
    ("mawlawi", "maulvi", "maulavi", "moulvi", "mawlavi", "maulana", "mawlana"),
    ("qari",),
    ("dr", "doctor"),
    ("imam",),
    ("sayyid", "sayed", "sayyed"),
    ("mufti",),
    ("ustadh", "ustaz"),
    ("hafiz", "hafez"),
    ("engineer", "eng"),
    ("prof",),
    ("mr",),
    ("mrs",),
    ("ms",),
    ("commander",),
    ("general",),
    ("colonel", "col"),
    ("brigadier",),
    ("major",),
    ("captain", "capt"),
    ("lt",),
)
TITLE_OF = {t: group[0] for group in _TITLE_GROUPS for t in group}
TITLES = frozenset(TITLE_OF)
# Titles as Russian, Turkish and Tajik records write them where they are given names too
# (Gadzhi, Hacı, Hoji): parsed as name parts, since Gadzhi Magomedov need not be a Haji, but
# read as the title where the other name leads with it (scoring.compare_parsed)
TITLES_AS_NAMES = {
    "gadzhi": "haji", "gadji": "haji", "khadzhi": "haji", "hadzhi": "haji", "haci": "haji",
    "hoji": "haji", "khoji": "haji", "mullo": "mullah",
}  # fmt: skip
# Honorifics that follow a name in Pashto, Dari and Urdu usage ("Hanafi Saheb", "Mullah
# Sahib"): the last word of a name after a name part is respect, not a name ("Sahib Khan"
# opens with one that is).
_TRAILING_HONORIFICS = frozenset(["sahib", "saheb", "sahab", "saab", "sahb"])
# Azerbaijani, Uzbek, Turkmen and Kyrgyz write "son of" and "daughter of" after the father's
# name: Ali Mammad oglu = Ali bin Muhammad
_TURKIC_CONNECTORS = (
    "oglu", "ogli", "ugli", "ogly", "uulu", "qizi", "kizi", "gizi", "kyzy", "qyzy",
)  # fmt: skip
# "ag" is the Tuareg son of (Iyad Ag Ghaly, اياد اغ غالي romanized "agh")
CONNECTORS = frozenset(
    ["bin", "ibn", "ben", "bint", "bent", "ould", "wuld", "walad", "b", "ag", "agh"]
).union(_TURKIC_CONNECTORS)
ARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "il",
        "ad",
        "ed",
        "ud",
        "an",
        "en",
        "un",
        "ar",
        "er",
        "ur",
        "as",
        "es",
        "us",
        "ash",
        "esh",
        "ush",
        "at",
        "et",
        "ut",
        "az",
        "ez",
        "uz",
        "adh",
        "ath",
    ]
)
KUNYA_MARKERS = {
    "abu": "abu",
    "abou": "abu",
    "abo": "abu",
    "aboo": "abu",
    "abi": "abu",
    "ebu": "abu",  # Turkish and Kurmanji: Ebu Bekir, Ebû Hureyre
    "umm": "umm",
    "ummu": "umm",  # Turkish Ümmü, Malay Ummu
    "um": "umm",
    "oum": "umm",
    "om": "umm",
    "omm": "umm",
    # Abu with its article: Abul-Khair, Aboul Hassan, Persian Abol-Fazl = Abu al-Fadl
    "abul": "abu",
    "aboul": "abu",
    "abol": "abu",
    "ebul": "abu",
}
# The same written as one word: Abulkhair, Aboulhassan, Abolfazl
_GLUED_KUNYA = re.compile(r"^(?:abul|aboul|abol)(?=[a-z]{3,}$)")
_ABD_PREFIXES = (
    # Kurmanji writes Abd as Ebd or Evd: Ebdulqadir, Evdilrehman, Evdila (Abdullah)
    "ebdul",
    "ebdil",
    "evdul",
    "evdil",
    "evdi",
    "ebd",
    "evd",
    "abdoul",
    "abdol",  # Persian: Abdolhamid, Abdolrahman
    "abdul",
    "abdel",
    "abdal",
    "abdil",
    "abder",
    "abdur",
    "abdes",
    "abdus",
    "abdou",
    "abdu",
    "abd",
)
_KURMANJI_ABD = frozenset({"ebd", "evd"})
_ABD_STEMS = ("abd", *sorted(_KURMANJI_ABD))  # how an Abd compound's spelling opens
# What is left of Abdulaev after its Abd: the -ev of a Russian family name, not a name
_SLAVIC_ENDING = re.compile(r"a[eiy]{0,2}e?va?")
# Abd with the article assimilated to the sun letter that opens the name (Abdur-Rahman)
_ABD_SUN = frozenset({"abder", "abdur", "abdes", "abdus"})
_ABD_WORDS = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdoul", "abdol", "abdu", "abdou", "abdil"}
    | {"ebd", "ebdul", "ebdil", "evd", "evdul", "evdil"}
)
_DIN_WORDS = frozenset(
    {"din", "deen", "dine", "eddine", "eddin", "uddin", "uddeen", "ddin", "edin"}
)
_DIN_SUFFIXES = (
    "eddine", "uddeen", "uddin", "eddin", "iddin", "addin", "aldin", "eldin", "din",
    # Turkish says its d as a t: Nurettin, Selahattin, Alaattin, Muhittin, Kutbettin
    "ettin", "attin", "ittin", "uttin",
)  # fmt: skip
# A name before -addin or -attin whose last vowel the article took, and whose h, left last,
# the skeleton would drop as it drops a final one (Fatimah = Fatima): Bahaddin and
# Bahattin are Baha ad-Din (بهاء الدين), as Bahaeddin is
_DIN_STEM_VOWEL = {"bah": "baha"}
_ALLAH = frozenset({"allah", "ullah", "ollah", "lah", "llah", "alah", "ullo", "ulloh"})
# Allah ending a name written as one word: Saifullah, Nasrallah; Tajik and Uzbek write it
# -ullo and -ulloh (Nurullo, Ubaydulloh = Nur Allah, Ubayd Allah), Russian -ullokh
_ALLAH_SUFFIXES = ("ullah", "ollah", "allah", "ulloh", "ulla", "alla", "ullo")
# Ilah, god, whose h is said: Abd al-Ilah (عبد الإله) is not Abd Allah. Latin writes it
# Abdelilah, Abdulelah, Abdulillah, Abdellillah or apart (Abd al-Ilah, Abdul Ilah); as one
# word only after Abd's article, as Abdillah and Abdellah are Abd Allah; Ellah is Allah
# (Abd Ellah, as Abdellah).
_ILAH = re.compile(r"l?(?:ill?ah|elah)")
_ILAH_SKELETON = "lh"
# A glued article: "albaghdadi"; a shorter stem only with a nisba ending ("alaani" = al-Ani).
_GLUED_ARTICLE = re.compile(r"^(?:al|el)(?=[a-z]{5,}|[a-z]{3,}(?:i|y|ie|ee)$)")
# European names that open with al or el, which is no Arabic article: Alexander is not
# al-"Exander", Alberto not al-"Berto"
_NOT_GLUED = frozenset(
    {
        "alexander", "alexandre", "alexandra", "alexandru", "alexandros", "alexandr",
        "aleksandr", "aleksander", "aleksandra", "alessandro", "alessandra", "alejandro",
        "alejandra", "alexei", "alexey", "aleksei", "aleksey", "alessio", "alberto",
        "albertine", "alfredo", "alfonso", "alphonse", "elizabeth", "elisabeth",
        "elisabetta", "elizaveta", "eleanor", "eleonora", "elliott", "elmurod", "elmurad",
    }
)  # fmt: skip
# Arabic names that open with an i, which an article glued before them leaves whole (al-Ibrahim
# = Alibrahim, al-Ismail = Alismail), where a word that opens with Ali is otherwise the name
# Ali and another (Alireza); a nisba after the article is one too (Aliraqi = al-Iraqi,
# Aliraqiyya = al-Iraqiyya)
_AL_I_NAMES = (
    "ibrahim", "ismail", "ismael", "ismaeel", "ismaail", "idris", "ihsan", "imran", "issa",
    "iskandar", "ilyas", "islam", "iman", "imam", "irshad", "ikhlas", "intisar",
)  # fmt: skip
_NISBA_END = re.compile(r"(?:i|y|ie|ee|iyya|iyyah|iyah|iya)$")  # al-Iraqiyya, a woman's
# Turkic names and family names that open with Al or El, which is no article there
_TURKIC_FAMILY = re.compile(r"[a-z]{2,}(?:[oe]va?|bek|bai|bay)")
# Bump when a skeleton, key or parse changes: an index built by another version is rebuilt
# (index.ensure_indexed). 2: Husayn (Houssaini too) kept apart from Hasan, zh and dzh as j.
# 3: one-letter words are initials, not name parts. 4: rank keys of the mother's name and
# the place of birth; a glued article is out of the spelling too (Alshammari = al-Shammari).
# 5: a cedilla is an s (Idriça = Idrissa). 6: a title after a name part or an article is a
# name part (Mohammad Sayed, el-Sayed); Abul-X is Abu al-X; rank keys of titles and kunyas.
# 7: an initial A before a name part may be its Abd (A. Rahman = Abd al-Rahman); a trailing
# Sahib is an honorific (Hanafi Saheb = Hanafi); Molah is Mullah. 8: c before e or i is
# an s before Husayn is looked for (Hocine = Husayn). 9: Abd with a sun letter written
# once (Abdurahman = Abdurrahman); Persian Abdol; Russian Magomed, Ibragim, Vakhid, Gasanov;
# Abdoulaye; Maghrebi Larbi, Lakhdar, Lamine; Tuareg ag (son of); a Latin x is kh (Orxan),
# -ow is -ov; "the Egyptian" is al-Masri. 10: the same, for indexes built by a 9 that had
# only part of it. 11: Achmad and Mochamad (an h written ch); Somali c for ayn (Cabdi, Cali).
# 12: one Arabic article (الالفي = al-Alfi, not al-al-Fi). 13: Maghrebi Lazhar, Lahcen,
# Lahbib, Lhoussaine with the article fused; Greek script read by sound (Άχμεντ = Akhmed);
# the kh of Russian and Greek Allakh is an h; Alexander, Alberto have no glued article.
# 14: a Latin v and c also read as Arabic script and Turkish write them (-ov = وف, Cemal =
# Jamal); Kurmanji Ebd/Evd, Şêx, Mele, Hecî; a French ou before a vowel is a w.
# 15: a name written as Russian writes (Cyrillic, -ov, -ev, dzh) also reads its g as an h
# (Gasan = Hasan = حسن, Gamzat = Hamzat, Abdulgamid = Abd al-Hamid) or a q (Gurbanov); a
# Russian patronymic is the father's name (Magomed Gasanovich Aliev = Muhammad bin Hasan),
# Turkic oglu and qizi are son and daughter of; Azerbaijani Mammad is Muhammad.
# 16: rank keys of parts standing together (scoring.part_order_keys): two adjacent parts and
# a whole name, so the man of a name of common parts is scored among his namesakes; a family
# name glued to its article before an Abd (Alabdullah = al-Abdullah, not Alabd Allah).
# 17: any Latin g may be a qaf, as Iraqi, Gulf, Libyan and Bedouin spellings write it
# (Gaddafi = القذافي = Qadhafi, al-Gurashi = al-Qurashi): its reading is a key, and meets a
# part spelt with a q or a ق (letter_readings).
# 18: Tajik and Uzbek -ullo and -ulloh are Allah (Nurullo = Nur Allah); Russian Makhmud is
# Mahmud, and Mahmudov, محمودوف Mahmud's family name, not Muhammadov; a v after an Abd opens
# its name (Abduvali = Abd al-Wali).
# 19: in a name written as Russian writes, a p may be the f of Chechen, Avar and Tatar names
# (Yusup = يوسف, Patimat = فاطمة): its reading is a key (letter_readings).
# 20: a leading Haji, Imam, Mullah, Sheikh or Sayyid run into the first part is a key and
# may meet a part written as one (Gadzhimurad = حاجي مراد, Emomali = إمام علي); a word that
# opens with Ali, or with the Al or El of a Turkic name, has no glued article (Alireza is Ali
# Reza, not Reza; Altynbek, Alzhanov, Elmurod; Aliyeva had read as al-Iyeva), and is no near
# spelling of the name after it.
# 21: a Russian family name formed from a given name that opens with a vowel keeps its
# equivalence (Usmanov = عثمانوف as Usman = عثمان; not Semenov). From this model on the
# index also stores the mother's name parsed (Profile.mother_parsed).
# 22: a final p after a vowel is also read as the b Turkish writes so (Tayyip = طيب, Habip =
# Habib, Eyüp = أيوب): its reading is a key (turkish_reading); Turkish Ebu, Ebul and Ümmü
# are Abu and Umm, and its -ettin, -attin is ad-Din (Alaattin = علاء الدين); an Arabic h
# after a z, s, t, d or k is also read as a letter of its own (زهير = Zuhair, سهيل = Suhail:
# arabic.APART, apart_skeleton), a key too; in a name written as Turkish writes, an h may
# be a kh and a z a d (Halil = خليل, Rıza = رضا: turkish_letter_readings), as keys.
# 23: a Turkish final t after an i or a u is also read as a d (Sait = سعيد, Davut = داود);
# a part read as Turkish writes is read as the parser reads it (Abdülmecit = Abd al-Majid,
# not Abdul Majid) and as Arabic script writes its v (Cevdet = جودت), as keys; an ad-Din
# compound keeps all of the name before it (Jamaladdin had read as Jam ad-Din); Arabic عز
# is a name, not the article az (محمد عز الدين had read as Muhammad ad-Din). In scoring,
# not keys: a name opening with an alef or ayn is not one without (Ahmad, Hamad).
# 24: an Arabic-script name's final ه after a consonant is read as the ta marbuta or
# Persian silent he it is (فاطمه = فاطمة, اسامه = أسامة, آخوندزاده = Akhundzada), not an h.
# 25: a part whose spelling writes a th (ث in Arabic script) is also read with an s there,
# as Turkish, Persian, Urdu and Bosnian say and write ث (th_as_s), a key too; Bahaddin and
# Bahattin are Baha ad-Din, not B ad-Din (_DIN_STEM_VOWEL).
# 26: a Latin part that carries the next part's article (Habibur Rahman, Ziaul Haq, Nurul
# Islam: glued_article_stem) is also read, and keyed, without it.
# 27: such a compound written as one word is read as two parts (Ziaulhaq = Ziaul Haq,
# Zeynelabidin = Zeynel Abidin: _split_article_compound); Zain carries its article as -al,
# -el or -ol too (Zainal Abidin, Zeynel Abidin); a doubled v is also read as the doubled w
# it writes (Havva = Hawwa = حواء: doubled_v_as_w), a key too.
# 28: a Latin Ilah keeps its h, as عبد الإله does since model 24 (Abdelilah, Abdulelah,
# Abd al-Ilah: _ILAH), so Abd al-Ilah is no longer read as Abd Allah.
NAME_MODEL = 28
KEY_ROLES = frozenset({"name", "kunya"})  # the parts a name is indexed and related by
# An Abd compound read from an initial A and the part after it (A. Rahman): a name part whose
# Abd one letter stands for.
ABD_INITIAL_ROLE = "abd_initial"

_WORD = re.compile(r"[a-z0-9]+|-")
# Mahmoud, Mahmood, Mehmud, Mahmut, Somali Mohamud, Arabic-script محمود (romanized "mhmud").
# Russian writes its h kh (Makhmud, Махмуд); a family name grown from it (Mahmudov,
# Makhmudova, محمودوف) is Mahmud's, not Muhammad's (Muhammadov).
_MAHMUD = re.compile(r"m[aeiou]?(?:kh|h)?a?m(?:u|oo|ou)[dt](?P<family>[oe]va?|ufa?)?")
# Husayn keeps its long vowel (ay, ei, ai, i): without it, Husayn, Husseini and Huseynov read
# as Hasan, Hasani and Hasanov. Husain, Hussein, Huseyin, Hossein, Husin, Russian Gusein,
# Arabic-script حسين (romanized "hsin"), Somali Xuseen; what follows is a nisba or a family
# ending.
_HUSAYN = re.compile(r"[hgx][aeiou]?s{1,2}[aeou]?[iy][aeiy]?n[a-z]*")

# Written abbreviations of Muhammad; "mhd" as a skeleton is also Mahdi (مهدي), a name of its own.
_MUHAMMAD_SHORT = frozenset({"mhd", "mohd", "muhd", "mhmd", "md"})

# Name-part equivalences the skeleton alone does not reach: ث written th or s, Turkish and
# Persian forms of Arabic names, common short forms. Keys and values are skeletons.
EQUIVALENT: dict[str, str] = {
    "smn": "tmn",  # Osman/Usman = Uthman
    "mhmt": "mhmd",  # Mehmet = Muhammad
    "mhmmd": "mhmd",
    "mmd": "mhmd",  # Mohd., Mamad
    "ykf": "ysf",  # Youcef (c before e read as k)
    "yskf": "ysf",
    "gsm": "jsm",  # Egyptian g for j
    "gml": "jml",
    "mstfa": "mstf",
    "mhmtd": "mhmd",
    "mhdn": "mhmdn",
    "mrt": "mrd",  # Murat = Murad
    # Russian writes the h of Arabic names as g and their w as v: Magomed, Ibragim(ov), Vakhid
    "mgmd": "mhmd",
    "mgmt": "mhmd",
    "mgmdv": "mhmdv",  # Magomedov = محمدوف
    "mdv": "mhmdv",  # Azerbaijani Mammadov, Mamedov = محمدوف
    "brgm": "brhm",
    "brgmv": "brhmv",
    "vhd": "whd",
    "vxd": "whd",
    "gsnv": "hsnv",  # Gasanov = Hasanov
    "gjv": "hjv",  # Gadzhiev = Hajiev
    "bda": "bdl",  # West African Abdoulaye = Abdullah
}
# Maghrebi names written as one word with the article fused: Larbi = al-Arabi, Lakhdar,
# Lamine = al-Amin. Only for a word so written: two parts written as one (Ali Hsin) are not
# read as one of these (al-Hasan).
FUSED_ARTICLE: dict[str, str] = {
    "lrb": "rb",
    "lxdr": "xdr",
    "lmn": "mn",
    "ljr": "jr",  # Lazhar = al-Azhar
    "lhsn": "hsn",  # Lahcen, Lahsen = al-Hasan
    "lhb": "hb",  # Lahbib = al-Habib
}


# Letters one transliteration writes for another's: Egyptian g for j (Gamal = Jamal, Gaber
# = Jaber), Turkish, Central Asian and Russian h for kh (Halil = Khalil, Mukhammad =
# Muhammad), th for dh (Thiab = Dhiyab), Turkish and Persian p for a final b (Eyup = Ayyub,
# Recep = Rajab).
_LOOSE = str.maketrans({"j": "g", "x": "h", "d": "t", "p": "b"})


def loose_fold(skel: str) -> str:
    """A skeleton with the letters transliterations swap (``_LOOSE``) folded together."""
    return skel.translate(_LOOSE)


# What may meet across scripts at a seam: the letters transliterations swap, and a Latin z
# for the ض or ذ Arabic writes (Alireza = علي رضا): a sieve before two names are compared,
# so it may let through more than meets
_ACROSS_SEAM = str.maketrans({"j": "g", "x": "h", "d": "t", "p": "b", "z": "t"})


def seam_fold(skel: str) -> str:
    """A skeleton with the letters that may meet across scripts (``_ACROSS_SEAM``) folded."""
    return skel.translate(_ACROSS_SEAM)


_TURKISH_C = re.compile(r"c(?!h)")
# Turkish says, and writes, the b that ends a name as a p (Tayyip = Tayyib = طيب, Habip,
# Eyüp = Ayyub = أيوب, Zeynep = Zaynab); Arabic script has no p to end one with
_TURKISH_FINAL_P = re.compile(r"(?<=[aeiouy])p$")
# and the d that ends one as a t: Sait = Saʿid = سعيد, Abit = عابد, Mesut = Masʿud, Davut =
# Dawud, Ümit = امید. Only after an i or a u: Turkish -at and -et are as often the ta
# marbuta or the t Arabic writes too (Izzet = عزت, Hikmet, Rifat), and read as a d they would
# make Izzet a Zaid.
_TURKISH_FINAL_T = re.compile(r"(?<=[iu])t$")
_TURKISH_LETTERS = (
    ("c for j", _TURKISH_C, "j"),
    ("p for b", _TURKISH_FINAL_P, "b"),
    ("t for d", _TURKISH_FINAL_T, "d"),
)


@lru_cache(maxsize=100_000)  # asked for each part of each name a search loads
def turkish_reading(spelling: str) -> str | None:
    """The skeleton of a Latin spelling read as Turkish and Kurmanji write: its c the j
    (Cemal = Jamal = جمال, Cafer = Jafar, Recep = Rajab), a final p after a vowel the b
    (Tayyip = طيب, Habip = Habib), a final t after an i or a u the d (Sait = سعيد, Mesut);
    None if it has none. Elsewhere a c is the k or the French s of Yacine; nothing in a
    word alone says which it is. The part is read as the name parser reads it: Abdülmecit
    is Abd al-Majid, Necmettin Najm ad-Din."""
    read = spelling
    for _, letter, meant in _TURKISH_LETTERS:
        read = letter.sub(meant, read)
    if read == spelling:
        return None
    pieces = _split_glued(read)
    return pieces[0][1] if len(pieces) == 1 else skeleton(read)


@lru_cache(maxsize=100_000)  # asked for each part of each name a registry loads
def th_as_s(spelling: str) -> str | None:
    """The skeleton of a spelling that writes a th (the ث that Arabic script romanizes so,
    arabic.romanize), the th read as the s that Turkish, Persian, Urdu and Bosnian say and
    write for ث (Kevser = Kawthar = كوثر, Kulsum = Kulthum = كلثوم, Saqib = ثاقب, Haris =
    Harith); None without a th. In a Latin spelling a th may also be a t and an h (Fathi =
    فتحي): the reading is a candidate, which scoring weighs as another transliteration."""
    if "th" not in spelling:
        return None
    return skeleton(spelling.replace("th", "s"))


# A ch that is no German sch (Schmidt, Scheich: a shin), in a spelling or in a name as typed
_CH = re.compile(r"(?<!s)ch", re.IGNORECASE)


@lru_cache(maxsize=100_000)  # asked for each part of each name a registry loads
def ch_as_kh(spelling: str) -> str | None:
    """The skeleton of a Latin spelling with its ch read as the kh German and Dutch spellings
    write for خ (Chalid = Khalid, Chaled, Mochtar = Mukhtar, Abdelchalek); None without a
    ch. The skeleton reads a ch as the French and English write ش (Chadli = Shadhili,
    Cherif): the German reading is a candidate, which scoring weighs as another
    transliteration where the other spelling writes the kh. Not a stored index key: as one
    the reading pulled the French ch of the UN list's Lebachir and Chokri toward men
    written with a kh, past the search's candidate cap, where their own were; a query
    looks its names up so read (``text_with_ch_as_kh``, keys.read_with_kh)."""
    if "ch" not in spelling:
        return None
    read = _CH.sub("kh", spelling)
    return skeleton(read) if read != spelling else None


def text_with_ch_as_kh(text: str) -> str | None:
    """A Latin name with each ch not after an s written kh ("Ali ibn Chalid": "Ali ibn
    Khalid"), as ``ch_as_kh`` reads one part; None where that changes nothing."""
    read = _CH.sub(lambda m: "Kh" if m.group()[0] == "C" else "kh", text)
    return read if read != text else None


@lru_cache(maxsize=100_000)  # asked for each part of each name a registry loads
def doubled_v_as_w(spelling: str) -> str | None:
    """The skeleton of a spelling that doubles a v, read as the doubled w (a و with shadda)
    that Turkish and Bosnian write so (Havva = Hawwa = حواء, Şevval = Shawwal); None
    without one. A final v is otherwise an f (arabic_readings: Hasanov is not Hasan), and
    the skeleton writes a doubled letter once: Havva would only ever be Haf."""
    if "vv" not in spelling:
        return None
    return skeleton(spelling.replace("vv", "ww"))


def turkish_letters(spelling: str) -> str:
    """In words, the letters ``turkish_reading`` reads in a spelling ("c for j", "p for
    b"); "" if none."""
    return ", ".join(words for words, letter, _ in _TURKISH_LETTERS if letter.search(spelling))


@lru_cache(maxsize=100_000)  # the same parts recur: callers only read the answer
def arabic_readings(skeleton: str) -> dict[str, tuple[str, ...]]:
    """How Arabic script may write a Latin skeleton's v, a letter it lacks, each reading
    with the letters it takes for another: as ف, an f (the -ov and -ev of Caucasian and
    Central Asian family names, Hasanov = حسنوف, Nabiev = نبييف; Viktor = فيكتور); an
    opening v as و, as Persian does (Valiyev = ولييف), also after an Abd (Abduvali = عبد
    الولي); a v inside a part as و, which the skeleton reads as a vowel (Javad = جواد,
    Rizvan = رضوان). A final v stays an f: Hasanov is not Hasan. A skeleton without a v is
    its own reading."""
    if "v" not in skeleton:
        return {skeleton: ()}
    last = len(skeleton) - 1
    # the name after an Abd opens with its own letter: Uzbek Abduvali = عبد الولي
    opening = {0, 2} if skeleton.startswith("bd") else {0}
    choices = [
        (("f", "v for f"), ("w", "v for w"))
        if ch == "v" and i in opening
        else (("f", "v for f"), ("", "v for w"))
        if ch == "v" and i < last
        else (("f", "v for f"),)
        if ch == "v"
        else ((ch, ""),)
        for i, ch in enumerate(skeleton)
    ]
    out: dict[str, tuple[str, ...]] = {}
    for letters in itertools.product(*choices):
        reading = re.sub(r"(.)\1+", r"\1", "".join(c for c, _ in letters))
        how = tuple(sorted({h for _, h in letters if h}))
        if reading and reading not in out:
            out[reading] = how
    return out


@dataclass(frozen=True, slots=True)
class NameToken:
    """One part of a name: its skeleton (what scripts share), its folded Latin spelling (what
    tells Latin spellings apart) and its role."""

    skeleton: str
    spelling: str
    role: str  # name | kunya | kunya_marker | initial

    @property
    def glued_stem(self) -> str:
        """The spelling without the article of the next part written on its end
        (``GluedToken``); "" for nearly every part."""
        return ""


@dataclass(frozen=True, slots=True)
class GluedToken(NameToken):
    """A part that carries the next part's article (Habibur Rahman = Habib ar-Rahman, Nurul
    Islam = Nur al-Islam: ``glued_article_stem``), with its spelling without it. A class of
    its own: every other part is built without the field (a search builds hundreds of
    names)."""

    stem: str = ""

    @property
    def glued_stem(self) -> str:
        return self.stem


# Russian has no h: it writes the h and ḥ of Arabic and Caucasian names as г, a g in Latin
# (Гасан Гусейнов = Gasan Guseynov = حسن حسينوف, Гаджи = Gadzhi = Haji, Гамзат = Hamzat),
# and the q of Azerbaijani and Turkmen names as г too (Гурбанов = Gurbanov = Qurbanov =
# قربانوف, Гасымов = Gasimov = قاسموف). A gh is a غ, as elsewhere.
_PLAIN_G = re.compile(r"g(?!h)")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# The marks of a Latin transliteration from Russian: a family name in -ov or -ev (-ova,
# -eva), a patronymic in -ovich or -ovna, Russian дж written dzh
_RUSSIAN_ENDING = r"[a-z]{2,}[oe]v"
_RUSSIAN_FAMILY = re.compile(_RUSSIAN_ENDING + "a?")
_RUSSIAN_WORD = re.compile(_RUSSIAN_ENDING + "(?:a|ich|na)?$|dzh")


def written_as_russian(text: str, words: Sequence[str]) -> bool:
    """Is a name written as Russian writes names: in Cyrillic, or in a Latin transliteration
    of it? Only then may its g be an h: an Egyptian's g is a j (Magdi = مجدي, not Mahdi)."""
    return bool(_CYRILLIC.search(text)) or any(_RUSSIAN_WORD.search(w) for w in words)


# Spoken Arabic of Iraq, the Gulf, Libya and the Bedouin of Syria and the Maghreb says the
# qaf as a g, and Latin spellings from those places write it so: Gaddafi = Qadhafi = القذافي,
# Gassim = Qasim, Belgacem = Belkacem, al-Gurashi = al-Qurashi. Any Latin g may be a q; a
# name written as Russian writes may also read its g as an h (above). A gh is a غ.
G_AS_QAF = "q"
G_AS_RUSSIAN = "hq"


# Chechen, Avar, Tatar and Bashkir have no f: they say the f of Arabic names as a p, and a
# Russian passport keeps it (Юсуп = Yusup = يوسف, Патимат = Patimat = فاطمة, Hapiz = حافظ,
# Turkmen Sapar = صفر). Only in a name written as Russian writes: elsewhere a p is a p
# (Kapil is not كفيل) or the b of Turkish (Recep, which the loose fold reads).
_PLAIN_P = re.compile(r"p(?!h)")
_P_AS_F = "f"


def letter_readings(token: NameToken, letters: str) -> tuple[tuple[NameToken, str], ...]:
    """A part of a Latin name with one or more of its g read as one of ``letters``
    (``G_AS_QAF``: Gaddafi = Qadhafi; ``G_AS_RUSSIAN`` also an h: Gasan = Hasan,
    Abdulgamid = Abdulhamid, Gadzhiev = Hajiev, Gurbanov = Qurbanov) and, in a name written
    as Russian writes, its p as an f (Yusup = Yusuf); each with what it read, in words ("the
    Russian g for h", "a g for a qaf", "a p for an f"); the part itself left out."""
    if token.role not in KEY_ROLES or not letters:
        return ()
    written = token.spelling
    if "g" not in written and ("p" not in written or letters != G_AS_RUSSIAN):
        return ()  # most parts: loading a registry asks it of every Latin part
    key = cache_key((token.skeleton, token.spelling, letters))
    return tuple(
        (NameToken(skel, spelling, token.role), how)
        for skel, spelling, how in _letter_spellings(key)
    )


# by strings, not tokens, as ``_joined_spellings``
@lru_cache(maxsize=100_000)  # asked for each part of each name with a g or a p a search loads
def _letter_spellings(part: str) -> tuple[tuple[str, str, str], ...]:
    """``letter_readings`` as (skeleton, spelling, what it read), for the part's skeleton,
    spelling and letters in one ``cache_key``."""
    skel, spelling, letters = split_cache_key(part)
    places = [(m.start(), "g" + letters) for m in _PLAIN_G.finditer(spelling)]
    if letters == G_AS_RUSSIAN:
        places += [(m.start(), "p" + _P_AS_F) for m in _PLAIN_P.finditer(spelling)]
    places = sorted(places)[:3]
    out: dict[tuple[str, str], str] = {}
    for chosen in itertools.product(*(choices for _, choices in places)):
        spelt = list(spelling)
        read = []  # (the letter written, the letter read) where they differ
        for (at, _), letter in zip(places, chosen, strict=True):
            if spelling[at] != letter:
                read.append((spelling[at], letter))
                spelt[at] = letter
        if not read:
            continue
        pieces = _split_glued("".join(spelt))
        if len(pieces) != 1 or pieces[0][1] == skel:
            continue
        out.setdefault((pieces[0][1], pieces[0][0]), _letters_read(read, letters))
    return tuple((s, sp, how) for (s, sp), how in out.items())


def _letters_read(read: Sequence[tuple[str, str]], letters: str) -> str:
    """``letter_readings``' words for the letters it read (was, read as)."""
    g = sorted({c for was, c in read if was == "g"})
    words = []
    if g:
        russian = letters == G_AS_RUSSIAN
        words.append(f"the Russian g for {', '.join(g)}" if russian else "a g for a qaf")
    if any(was == "p" for was, _ in read):
        words.append("a p for an f")
    return ", ".join(words)


# A name written as Turkish writes (its dotless ı, ş or ğ: Yılmaz, Ayşe, Tuğrul) writes the
# Arabic kh as an h too (Halil = خليل, Hatice = خديجة, Hayri = خيري) and the ḍād and ẓāʾ as
# a z (Rıza = رضا): each such h and z is also read so, as a key. Turkish writes no digraph:
# an h after an s, c, k, g, t, d, z or p is another name's.
_WRITTEN_AS_TURKISH = re.compile("[ıİşŞğĞ]")
_TURKISH_LETTER = re.compile(r"(?<![sckgtdzp])h|z")
_TURKISH_LETTER_READ = {"h": "kh", "z": "d"}


def written_as_turkish(text: str) -> bool:
    """Is the name written with a letter only Turkish (and Azerbaijani) Latin has?"""
    return _WRITTEN_AS_TURKISH.search(text) is not None


@lru_cache(maxsize=100_000)  # by spelling: asked of each part of each Turkish name loaded
def turkish_letter_readings(spelling: str) -> tuple[str, ...]:
    """The skeletons of a part of a name written as Turkish writes with its h read as a kh
    and its z as a d, in each combination of up to three of them; the part itself left
    out."""
    places = [m.start() for m in _TURKISH_LETTER.finditer(spelling)][:3]
    out: set[str] = set()
    for chosen in itertools.product((False, True), repeat=len(places)):
        if not any(chosen):
            continue
        spelt = list(spelling)
        for at, read in zip(places, chosen, strict=True):
            if read:
                spelt[at] = _TURKISH_LETTER_READ[spelling[at]]
        out.add(skeleton("".join(spelt)))
    return tuple(sorted(out - {skeleton(spelling)}))


def _other_readings(parts: Sequence[NameToken], g_letters: str) -> set[str]:
    """Latin parts as Arabic script writes their v, with a c read as Turkish writes j, and
    with a g read as a qaf (and, in a name written as Russian writes, as an h, and a p as an
    f): so that a record written one way is found by a name written the other."""
    readings = [r for t in parts for r, _ in letter_readings(t, g_letters)]
    out = {r.skeleton for r in readings}
    for t in (*parts, *readings):
        if "v" in t.skeleton:
            out.update(arabic_readings(t.skeleton))
    for turkish in map(turkish_reading, (t.spelling for t in parts)):
        if turkish:  # and as Arabic script writes its v: Cevdet = Jevdet = جودت
            out.add(turkish)
            out.update(arabic_readings(turkish))
    return out


FAMILY_KUNYA_AFTER = 2  # name parts before an "Abu X" that make it a family name
# A woman's given name written as a kunya: Umm Kulthum (أم كلثوم, Oum Keltoum, Umm Kalsoom,
# Ummu Kultsum, Turkish Ümmü Gülsüm) names her, as the Prophet's daughter was named; no one
# is "the mother of Kulthum"
_GIVEN_NAME_KUNYAS = frozenset(
    {("umm", "kltm"), ("umm", "klsm"), ("umm", "kltsm"), ("umm", "glsm")}
)


def _kunya_as_real_name(tokens: tuple[NameToken, ...]) -> bool:
    """Is the first kunya of a name part of the name itself: a given name (Umm Kulthum), or
    a family name after at least a given name and a father's name? A nom de guerre opens
    with its kunya; a full name that holds one further on carries it as a family name (Abu
    Dhess, Abu Minyar, Abu Zeid)."""
    before = 0
    for i, t in enumerate(tokens):
        if t.role == "kunya_marker":
            eponym = tokens[i + 1].skeleton if i + 1 < len(tokens) else ""
            return before >= FAMILY_KUNYA_AFTER or (t.skeleton, eponym) in _GIVEN_NAME_KUNYAS
        before += t.role == "name"
    return False


@dataclass(frozen=True, slots=True)
class ParsedName:
    text: str
    tokens: tuple[NameToken, ...]
    arabic: bool
    titles: tuple[str, ...]  # the leading titles, one spelling each (TITLE_OF)
    russian: bool = False  # written as Russian writes names (written_as_russian)
    keyset: frozenset[str] = frozenset()
    has_kunya: bool = False
    has_initial: bool = False
    # the name is a kunya, or opens with one, as a nom de guerre does (Abu Hamza al-Iraqi),
    # not a full name whose "Abu X" follows a man's given name and his father's: there it is
    # a family name (Mohamed Ghassan Ali Abu Dhess, Aisha Muammar Muhammed Abu Minyar); nor
    # a woman named Umm Kulthum
    by_kunya: bool = field(default=False, init=False, repr=False, compare=False)
    _joined: tuple[tuple[tuple[int, int], NameToken], ...] | None = field(
        default=None, repr=False, compare=False
    )
    _link_keys: frozenset[str] | None = field(default=None, repr=False, compare=False)
    # tuples, not sets: the collector leaves a tuple of strings alone, and a batch holds
    # hundreds of thousands of names
    _seams: tuple[tuple[str, ...], tuple[str, ...]] | None = field(
        default=None, repr=False, compare=False
    )
    _loose_keys: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    # the title that leads the name and its first part run together, as the names of Central
    # Asia and the Caucasus grew from them (Gadzhimurad = حاجي مراد, Emomali = إمام علي,
    # Shikhali = شيخ علي, Seyedali = Sayed Ali); None without such a title
    title_run: NameToken | None = field(default=None, init=False, repr=False, compare=False)
    # written with a letter only Turkish Latin has (written_as_turkish): its h may be a kh
    turkish: bool = field(default=False, init=False, repr=False, compare=False)
    # holds a part that carries the next part's article (GluedToken): Habibur Rahman
    has_glued: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # an initial fetches no candidates: every name starting with its letter would do
        glued = not self.arabic and len(self.tokens) > 1 and _MAY_CARRY_ARTICLE.search(self.text)
        if glued:
            object.__setattr__(self, "tokens", _with_glued_articles(self.tokens))
            object.__setattr__(self, "has_glued", any(t.glued_stem for t in self.tokens))
        keyed = [t for t in self.tokens if t.skeleton and t.role in KEY_ROLES]
        # isascii first: a registry loads thousands of names a search, nearly all ASCII
        turkish = not self.arabic and not self.text.isascii() and written_as_turkish(self.text)
        if turkish:
            object.__setattr__(self, "turkish", True)
        g_letters = self.g_letters
        keys: set[str] = set()
        as_turkish = "t" if turkish else ""
        for t in keyed:
            keys.update(
                _part_keys(cache_key((t.skeleton, t.spelling, t.role, g_letters, as_turkish)))
            )
        if glued:  # Habibur Rahman is found by حبيب الرحمن
            keys.update(skeleton(t.glued_stem) for t in keyed if t.glued_stem)
        run = _title_run(self.titles[-1], self.tokens[0]) if self.titles and self.tokens else None
        if run is not None:  # "Gadzhimurad" finds Haji Murad, and "Haji Murad" Gadzhimurad
            keys.add(run.skeleton)
            object.__setattr__(self, "title_run", run)
        object.__setattr__(self, "keyset", frozenset(keys))
        kunya = any(t.role == "kunya_marker" for t in self.tokens)
        object.__setattr__(self, "has_kunya", kunya)
        object.__setattr__(self, "by_kunya", kunya and not _kunya_as_real_name(self.tokens))
        initial = any(t.role == "initial" for t in self.tokens)
        object.__setattr__(self, "has_initial", initial)

    @property
    def g_letters(self) -> str:
        """The letters this name's g may stand for (``letter_readings``; in a name written as
        Russian writes, its p an f too): none in Arabic script."""
        if self.arabic:
            return ""
        return G_AS_RUSSIAN if self.russian else G_AS_QAF

    @property
    def joined(self) -> tuple[tuple[tuple[int, int], NameToken], ...]:
        """Two adjacent parts written as one (Hamid-Reza = Hamidreza, Allah Dad = Allahdad,
        Abul Abbas = Abulabbas), each with the indexes of the parts it joins: spacing is a
        clerk's habit. In Arabic script too: it writes a foreign name that Latin writes as
        one word as two (Nursultan = نور سلطان). Computed on first use:
        loading a registry builds every name."""
        joined = self._joined
        if joined is None:
            joined = _joined_parts(self.tokens)
            object.__setattr__(self, "_joined", joined)
        return joined

    @property
    def link_keys(self) -> frozenset[str]:
        """What else this name may be written as: its parts joined, and Abd names without Abd."""
        links = self._link_keys
        if links is None:
            # an Arabic name's parts joined are looked up by the Latin name that meets them
            found = set() if self.arabic else {t.skeleton for _, t in self.joined}
            found.update(k[2:] for k in self.keyset if k.startswith("bd") and len(k) >= 5)
            links = frozenset(found)
            object.__setattr__(self, "_link_keys", links)
        return links

    @property
    def seams(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Each two adjacent parts' skeletons run together, a letter they share at the seam
        written once (what the two joined nearly always read as), and the same with the
        letters transliterations swap folded (``loose_fold``). Computed on first use: a
        batch asks it of an Arabic name against every Latin name it meets."""
        seams = self._seams
        if seams is None:
            runs = tuple(
                x + y[1:] if x[-1:] == y[:1] else x + y
                for x, y in itertools.pairwise(t.skeleton for t in self.tokens)
            )
            seams = (runs, tuple(map(seam_fold, runs)))
            object.__setattr__(self, "_seams", seams)
        return seams

    @property
    def loose_keys(self) -> tuple[str, ...]:
        """The keys with the letters that may meet across scripts folded (``seam_fold``),
        which an Arabic name's loose seams may meet. Computed on first use."""
        loose = self._loose_keys
        if loose is None:
            loose = tuple(map(seam_fold, self.keyset))
            object.__setattr__(self, "_loose_keys", loose)
        return loose

    @property
    def keys(self) -> set[str]:
        return set(self.keyset)


# Keyed and answered by strings, as ``_joined_spellings``: a registry's names share their
# parts (a Mohammed in thousands), and working a part's keys out again in each name cost 7
# to 8 % of loading the scenario's 46,050 profiles.
@lru_cache(maxsize=200_000)
def _part_keys(part: str) -> tuple[str, ...]:
    """The keys a part of a name is found by (``ParsedName.keyset``): its skeleton, and the
    skeletons of its other readings; for the part's skeleton, spelling, role, its name's
    ``g_letters`` (none in Arabic script) and "t" if its name is written as Turkish writes,
    in one ``cache_key``."""
    skel, spelling, role, g_letters, turkish = split_cache_key(part)
    keys = {skel}
    if said := th_as_s(spelling):  # كوثر found by Kevser
        keys.add(said)
    if w := doubled_v_as_w(spelling):  # حواء by Havva
        keys.add(w)
    if g_letters:  # a Latin name
        keys |= _other_readings([NameToken(skel, spelling, role)], g_letters)
        if turkish:  # Halil is found by خليل
            keys.update(turkish_letter_readings(spelling))
    elif APART in spelling:  # زهير is found by Zuhair
        keys.add(_read_apart(spelling))
    return tuple(sorted(keys))


# Titles that names grew from, each as a name spells it (Gadzhimurad, Emomali, Mullanur,
# Shikhali, Seyedali); a Mawlawi or a Doctor is no one's name
_NAME_TITLES = {
    "haji": "haji", "imam": "imam", "mullah": "mulla", "sheikh": "sheikh", "sayyid": "sayyid",
}  # fmt: skip
# The role of a title and the name part after it read as one part (ParsedName.title_run)
TITLE_RUN_ROLE = "title_run"


def _title_run(title: str, first: NameToken) -> NameToken | None:
    spelt = _NAME_TITLES.get(title)
    if spelt is None or first.role != "name":
        return None
    spelling = spelt + first.spelling
    return NameToken(joined_skeleton(spelling), spelling, TITLE_RUN_ROLE)


def _joined_parts(
    tokens: tuple[NameToken, ...],
) -> tuple[tuple[tuple[int, int], NameToken], ...]:
    plain = cache_key(field for t in tokens for field in (t.skeleton, t.spelling, t.role))
    return tuple(((i, i + 1), NameToken(*part)) for i, part in _joined_spellings(plain))


# Keyed and answered by strings, not tokens: a cache of the objects a search loads keeps
# every candidate's tokens alive for the collector to walk (136,000 after 500 searches).
@lru_cache(maxsize=100_000)  # a registry's names recur in every search that loads them
def _joined_spellings(parts: str) -> tuple[tuple[int, tuple[str, str, str]], ...]:
    """``_joined_parts`` as (index of the first part, (skeleton, spelling, role)), for the
    parts' skeletons, spellings and roles in one ``cache_key``."""
    fields = split_cache_key(parts) if parts else []
    tokens = [(fields[i], fields[i + 1], fields[i + 2]) for i in range(0, len(fields), 3)]
    out: list[tuple[int, tuple[str, str, str]]] = []
    for i in range(len(tokens) - 1):
        (a_skel, a_spelling, a_role), (_, b_spelling, b_role) = tokens[i], tokens[i + 1]
        if a_role == b_role == "name" or (a_role == "kunya_marker" and b_role == "kunya"):
            spelling = a_spelling + b_spelling
            skel = joined_skeleton(spelling)
            if a_spelling.startswith("abd") and a_skel.startswith("bd"):
                # an Abd compound's spelling drops the article: abd + hadi would read a dh
                skel = "bd" + joined_skeleton(a_spelling[3:] + b_spelling)
            out.append((i, (skel, spelling, b_role)))
        elif a_role == "initial" and a_spelling == "a" and b_role == "name":
            # South Asian and Western records shorten Abdul Rahman to "A. Rahman": the
            # initial is the Abd of a compound (read as one part, abdrahman)
            spelling = "abd" + b_spelling
            out.append((i, (skeleton(spelling), spelling, ABD_INITIAL_ROLE)))
    return tuple(out)


# Greek script writes Arabic names by sound: χ is the kh (Άχμεντ = Akhmed), ντ a d, μπ a b,
# ξ a ks; letter by letter (anyascii: Achment, Ampntoylach) they would meet no Latin record.
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_GREEK_SOUNDS = (
    ("ου", "ou"), ("μπ", "b"), ("ντ", "d"), ("γκ", "g"), ("γγ", "ng"), ("τζ", "j"),
    ("αι", "e"), ("ει", "i"), ("οι", "i"), ("χ", "kh"), ("η", "i"), ("υ", "i"), ("β", "v"),
    ("ξ", "ks"), ("ψ", "ps"), ("θ", "th"), ("φ", "f"), ("ω", "o"), ("ς", "s"),
)  # fmt: skip


def _greek_sounds(text: str) -> str:
    """Greek letters of ``text`` as the sounds Latin spellings write (the rest unchanged)."""
    text = fold(text).lower()
    for greek, latin in _GREEK_SOUNDS:
        text = text.replace(greek, latin)
    return text


def latin_words(text: str) -> list[str]:
    """Lowercase ASCII words of ``text`` (Arabic script romanized first, Greek read by
    sound); apostrophes and ayn/hamza marks vanish inside a word rather than splitting it."""
    if has_arabic(text):
        text = romanize(text)
    if _GREEK.search(text):
        text = _greek_sounds(text)
    # A cedilla is an s (Portuguese and French Idriça) or the ch of Turkish, which
    # skeletons read as s too; folded to c it would be a k.
    folded = anyascii(fold(text.replace("ç", "s").replace("Ç", "S"))).lower()
    folded = re.sub(r"['`\u2018\u2019\u02bf\u02be]", "", folded)
    # Russian and Greek write the h of Allah kh: Abdullakh (Абдуллах), Abdoulakh; Russian
    # transliterations of Tajik names -ullokh (Nurullokh = Nurulloh = Nur Allah)
    folded = re.sub(r"(?<=ll|ul|ol)akh\b|(?<=ll)okh\b", "ah", folded)
    return _WORD.findall(folded.replace("-", " - "))


# Spellings whose letters the skeleton reads the other way: the Dutch-era Indonesian and the
# German ch of Achmad and Mochamad is an h, where the French ch of Chiheb and Cherif is a sh.
_SPELT_AS = {
    # Azerbaijani Mammad, Mamed: Muhammad (its skeleton would collapse to md)
    "mammad": "muhammad",
    "mamed": "muhammad",
    "mammed": "muhammad",
    "achmad": "ahmad",
    "achmed": "ahmed",
    "achmet": "ahmet",
    "mochamad": "muhamad",
    "mochammad": "muhammad",
    "mochamed": "muhamed",
    "mochammed": "muhammed",
}


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """The consonant skeleton of one folded Latin word: ``mohammed`` -> ``mhmd``."""
    out = joined_skeleton(word)
    return FUSED_ARTICLE.get(out, out)


def apart_skeleton(spelling: str) -> str | None:
    """The skeleton of a romanized Arabic word whose h after a z, s, t, d or k is a letter
    of its own (``arabic.APART``: زهير = Zuhair, سهيل = Suhail), as Latin spellings that
    write a vowel between the two read it; None if it has no such h. ``skeleton`` reads the
    pair as the spellings that write the letters together do (Fathi = فتحي)."""
    return _read_apart(spelling) if APART in spelling else None


def _read_apart(spelling: str) -> str:
    return skeleton(spelling.replace(APART, "a"))  # a vowel between: no digraph


# Letters Latin spellings write with two or three, read as the one the skeleton keeps
SKELETON_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("kh", "x"),
    ("gh", "g"),
    ("sh", "s"),
    ("sch", "s"),
    ("ch", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("dzh", "j"),  # Russian дж: Dzhamal = Jamal
    ("zh", "j"),  # Russian ж where Central Asian Latin writes j: Zhumabaev = Jumabayev
    ("ph", "f"),
    ("dj", "j"),
    ("ck", "k"),
    ("q", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
)


@lru_cache(maxsize=200_000)
def joined_skeleton(word: str) -> str:
    """The skeleton of ``word`` where it may be two parts written as one (``alihsin``, Ali
    Hsin): as :func:`skeleton`, but without the readings of ``FUSED_ARTICLE`` (a fused
    Husayn, Lhoussaine, is read by its spelling here, as its long vowel leaves no doubt)."""
    word = word.replace(APART, "")  # the h read with the letter before it: see apart_skeleton
    w = _SPELT_AS.get(word, word)
    # French ou before a vowel opens a name with a w: Ouahbi = Wahbi, Ouassim = Wasim,
    # Abdelouahed = Abd al-Wahid, Ouattara; read as a vowel, the skeleton would drop it
    w = re.sub(r"^ou(?=[aei])", "w", w)
    for a, b in SKELETON_DIGRAPHS:
        if a in w:
            w = w.replace(a, b)
    # A Latin x in these names is a kh (Uzbek Baxtiyor, Azerbaijani Orxan) or a Somali h
    # (Xasan, Maxamed), not the ks of Alexander; it stays the skeleton's x, as kh does.
    # A Russian -ov written -ow (German and Polish: Magomedow) is -ov.
    if len(w) >= 6:
        w = re.sub(r"(?<=[oe])w(a?)$", r"v\1", w)
    # c before e or i is an s (Maghrebi French: Yacine, Mohcine), read before Husayn is
    # looked for, as Algeria's Hocine and Houcine are Husayn
    w = re.sub(r"c(?=[eiy])", "s", w)
    unfused = re.sub(r"^la?(?=h)", "", w)
    if unfused != w and _HUSAYN.fullmatch(unfused):
        w = unfused  # Maghrebi Lhoussaine, Lahoucine, Lahsine: al-Husayn, the article fused
    husayn = _HUSAYN.fullmatch(w)  # after the digraphs: Houssaini = Hussaini
    w = w.replace("c", "k")
    if len(w) > 2 and w.endswith("h") and w[-2] in "aeiouy":
        w = w[:-1]  # Fatimah = Fatima, Abdullah = Abdulla
    # A leading vowel (and a glide after it) is the alef or ayn that Latin spellings drop
    # or change freely: Umar/Omar/عمر, Ayman/Aiman.
    w = re.sub(r"^[aeiou]+[aeiouyw]*", "", w)
    out = w[:1] + re.sub(r"[aeiouyw]", "", w[1:])
    out = re.sub(r"(.)\1+", r"\1", out)
    if not out:
        out = word[:1]
    if word in _MUHAMMAD_SHORT:
        return "mhmd"
    mahmud = _MAHMUD.fullmatch(word)
    if mahmud:
        # Mahmud/محمود keeps its long u: dropped, it would read as Muhammad
        family = mahmud.group("family") or ""
        return "mhmwd" + ("f" if family.startswith("u") else "v" if family else "")
    if husayn:
        return "hsyn" + out[3:]  # out is h/g, s, n and the ending's skeleton
    return _equivalent(word, out)


def _equivalent(word: str, out: str) -> str:
    """The skeleton ``out`` of ``word`` after ``EQUIVALENT``. A family name Russian forms
    from a given name that opens with the vowel of an alef or an ayn (-ov, -ev) keeps the
    name's equivalence: Usmanov, Osmanova and Usmonov are عثمانوف as Usman is عثمان. Only
    then: Semenov and Simonov, Russian names of their own, share the skeleton smnv but open
    with a consonant, and stay سيميونوف and سيمونوف."""
    if out in EQUIVALENT:
        return EQUIVALENT[out]
    stem = out[:-1]
    if (
        out.endswith("v")
        and stem in EQUIVALENT
        and word[0] in "aeiou"
        and _RUSSIAN_FAMILY.fullmatch(word)
    ):
        return EQUIVALENT[stem] + "v"
    return out


# Somali Latin writes the ayn that opens Arabic names as c (and the h of Hasan as x, which
# the skeleton reads as kh): Cabdi, Cali, Cumar are Abdi, Ali, Umar.
_SOMALI_AYN = frozenset(
    {"cali", "cumar", "cismaan", "cusmaan", "ciise", "caasha", "cadan", "cawil"}
)


def _somali_ayn_out(word: str) -> str:
    if word in _SOMALI_AYN or word.startswith("cabd"):
        return word[1:]
    return word


@lru_cache(maxsize=200_000)
def _split_glued(word: str) -> tuple[tuple[str, str], ...]:
    """(spelling, skeleton) pieces of one word after glued articles and compounds."""
    word = _somali_ayn_out(word)
    if word in CONNECTORS:
        return ()
    if word in _ALLAH:
        return ((word, "allah"),)
    if _ILAH.fullmatch(word):
        return ((word, _ILAH_SKELETON),)
    if word[:2] in ("al", "el") and word[2:].startswith(_ABD_STEMS):
        # a family name glued to its article: Alabdullah is al-Abdullah, not Alabd Allah
        return _split_glued(word[2:])
    for suffix in _ALLAH_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and not stem.startswith(_ABD_STEMS):
            return ((stem, skeleton(stem)), (suffix, "allah"))  # Saifullah = Saif Allah
    for prefix in _ABD_PREFIXES:
        rest = word[len(prefix) :]
        if prefix in _KURMANJI_ABD and rest[:1] not in ("i", "u", "e"):
            continue  # Evdila is Abdullah; Evdokimov is a Russian name
        if word.startswith(prefix) and len(rest) >= 3:
            rest = _GLUED_ARTICLE.sub("", rest)
            if prefix.endswith("l") and _ILAH.fullmatch(rest):
                return ((word, "bd" + _ILAH_SKELETON),)  # Abdelilah: Abd al-Ilah
            if prefix.endswith("l") and _SLAVIC_ENDING.fullmatch(rest):
                rest = "l" + rest  # Abdulaev, Abdulayev: Abdullah's son, as Abdullaev is
            if prefix in _ABD_SUN and not rest.startswith(prefix[-1]):
                # the article's letter written once is the name's own: Abdurahman,
                # Abderahmane and Abdusalam are Abd al-Rahman and Abd al-Salam
                rest = prefix[-1] + rest
            compound = "bd" + skeleton(rest)
            return ((word, EQUIVALENT.get(compound, compound)),)
    if pieces := _split_article_compound(word):
        return pieces  # before ad-Din: Zainulabidin ends as -din does
    for suffix in _DIN_SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and len(word) >= 6:
            # the article went with the suffix (-addin, -eldin, -uddin): what is left is the
            # name, whatever its last letters (Jamal, Imad, Saad: Jamaladdin, Imaduddin)
            return ((word, skeleton(_DIN_STEM_VOWEL.get(stem, stem)) + "dn"),)
    # the spelling without its glued article too: "Alshammari" is spelt as "al-Shammari" is
    bare = _glued_article_out(word)
    return ((bare, skeleton(bare)),)


def _glued_article_out(word: str) -> str:
    """The word without an article glued to it (Alshammari = al-Shammari), unless what opens
    it is no article: the name Ali (Alireza is Ali Reza, not Reza; Aliakbar, Alimurad), or
    the Al and El of Turkic names (Altynbek, Alzhanov, Elmurod)."""
    if word in _NOT_GLUED or not _GLUED_ARTICLE.match(word):
        return word
    rest = word[2:]
    if rest.startswith("i") and not (rest.startswith(_AL_I_NAMES) or _NISBA_END.search(rest)):
        return word
    return word if _TURKIC_FAMILY.fullmatch(rest) else rest


_NOT_JOINED = ARTICLES | CONNECTORS | TITLES | _ABD_WORDS | frozenset(KUNYA_MARKERS)


def _join_hyphenated(words: list[str]) -> list[str]:
    """``agha - jani`` is one name part (Aghajani); a hyphen after an article, connector,
    Abd or Abu only marks what follows."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if out and word == "-" and i + 1 < len(words):
            before, after = out[-1], words[i + 1]
            if before not in _NOT_JOINED and after not in _NOT_JOINED and after != "-":
                out[-1] = before + after
                i += 2
                continue
        out.append(word)
        i += 1
    return out


# A nisba of origin written as its English, French or Italian translation ("Abu Hamza the
# Egyptian", "Djamel il Marocchino", the way reports and court papers write it) -> the
# nisba as an Arabic name writes it (origins.py knows where each points).
_DEMONYMS: dict[str, str] = {
    "egyptian": "masri",
    "egyptien": "masri",
    "egiziano": "masri",
    "iraqi": "iraqi",
    "saudi": "saudi",
    "jordanian": "urduni",
    "lebanese": "lubnani",
    "palestinian": "filastini",
    "libyan": "libi",
    "libyen": "libi",
    "libico": "libi",
    "tunisian": "tunisi",
    "tunisien": "tunisi",
    "tunisino": "tunisi",
    "algerian": "jazairi",
    "algerien": "jazairi",
    "algerino": "jazairi",
    "moroccan": "maghribi",
    "marocain": "maghribi",
    "marocchino": "maghribi",
    "mauritanian": "mauritani",
    "yemeni": "yemeni",
    "kuwaiti": "kuwaiti",
    "sudanese": "sudani",
    "somali": "somali",
    "turk": "turki",
    "turkish": "turki",
    "kurd": "kurdi",
    "kurdish": "kurdi",
    "chechen": "shishani",
    "dagestani": "daghestani",
    "uzbek": "uzbeki",
    "tajik": "tajiki",
    "kazakh": "kazakhi",
    "kyrgyz": "kyrgyzi",
    "turkmen": "turkmani",
    "azeri": "azeri",
    "azerbaijani": "azeri",
    "georgian": "gurji",
    "french": "faransi",
    "frenchman": "faransi",
    "german": "almani",
    "british": "britani",
    "briton": "britani",
    "englishman": "britani",
    "belgian": "beljiki",
    "dutchman": "hollandi",
    "swede": "swidi",
    "dane": "danimarki",
    "austrian": "nimsawi",
    "spaniard": "isbani",
    "american": "amriki",
    "canadian": "kanadi",
    "australian": "ustrali",
    "indonesian": "indonesi",
    "malaysian": "malizi",
    "filipino": "filibini",
    "indian": "hindi",
    "pakistani": "pakistani",
    "afghan": "afghani",
    "bosnian": "bosni",
    "albanian": "albani",
    "kosovar": "kosovi",
    "ethiopian": "habashi",
    "eritrean": "iritri",
}
_DEMONYM_ARTICLES = frozenset({"the", "il", "le", "l"})


def _demonyms_as_nisbas(words: list[str]) -> list[str]:
    """ "the Egyptian" -> "al masri": a translated nisba of origin read as the nisba."""
    out: list[str] = []
    for word in words:
        nisba = _DEMONYMS.get(word)
        if nisba and out and out[-1] in _DEMONYM_ARTICLES:
            out[-1:] = ["al", nisba]
        else:
            out.append(word)
    return out


# A Russian patronymic: the father's name and -ovich, -evich (a son), -ovna, -evna (a
# daughter): Magomed Gasanovich Aliev is Muhammad son of Hasan, of the Aliev family.
_PATRONYMIC = re.compile(r"([a-z]{3,}?)(?:ovich|evich|ovna|evna)")


def _patronymics_as_fathers(words: list[str]) -> list[str]:
    """A Russian patronymic read as the father's name it is, as the nasab of an Arab
    record writes it (Gasanovich = Gasan, Alievich = Ali), where the name has a Russian
    family name besides: alone, an -ovich is a family name (Abramovich, Halilović)."""
    if not any(_RUSSIAN_FAMILY.fullmatch(w) for w in words):
        return words
    return [m.group(1) if (m := _PATRONYMIC.fullmatch(w)) else w for w in words]


def _skeletons(words: str) -> frozenset[str]:
    """The skeletons of the space-separated names in ``words``."""
    return frozenset(map(skeleton, words.split()))


# South Asian and Malay spellings write the article of a compound's second name on the end
# of its first: -ul before the name (Nurul Islam, Ziaul Haq, Zainul Abidin), and before a
# sun letter the article said as that letter (Habibur Rahman, Asaduz Zaman, Shamsun Nahar).
# An -ul is read so only before a name such compounds end with: Rasul Khan is Rasul.
_AFTER_UL = _skeletons(
    "haq islam alam amin huda abidin karim kabir bari hasan husain azim aziz hakim mulk qadir "
    "wahid majid anwar bashar ghani latif arifin quddus jabbar matin mubin wadud ahad momin absar"
)
# The article said as the sun letter that opens the next name (Habibur Rahman); not the eu
# and ou of French spellings (Ameur, Achour Rachid)
_SUN_ARTICLE = re.compile(r"(?<![eo])u(sh|[rzsntd])$")
# The names such compounds end with after a sun letter: Tursun Niyazi and Zhasur Rahimov end
# as the article would be said, and are no compounds
_AFTER_SUN = _skeletons(
    "rahman rahim razzaq rashid rauf rab zaman nahar nabi nisa nur salam samad sattar subhan "
    "shams tawab"
)
# A sieve on the text, before its parts are read (ParsedName builds every name a search
# loads): a word that ends in -ul, or as an article said as the next word's first letter;
# an -ul inside a word but an Abd's (Ziaulhaq, _split_article_compound; not Abdulaziz: one
# name in six holds such an Abd); Zain's -al, -el or -ol
_MAY_CARRY_ARTICLE = re.compile(
    r"ul\b|u(sh|[rzsntd])\W+\1|(?<!abd)(?<=[a-z]{3})ul(?=[a-z]{3})|z[aeiy]+n[aeou]l",
    re.IGNORECASE,
)
# Zain (زين) is the one name whose article Malay, Persian and Turkish spellings also write
# as -al, -el or -ol (Zainal Abidin, Zaynal Abidin, Zeynel Abidin, Zainol Abidin); after
# other names an -al or -el is the name's own end (Jamal Hasan, Adel Karim)
_ZAIN = "zn"
_UL_ARTICLES = ("ul", "al", "el", "ol")
# Names whose own last letters are those of an article so written, before a name of those
# sets as often as any other: Mansur Rashid is not Mans ar-Rashid, Rasul Amin not Ras al-Amin
# (as skeletons: Mansoor, Mansour, Younus alike)
_ENDING_AS_AN_ARTICLE = _skeletons(
    "mansur taimur timur ghafur shakur sabur masrur ashur harun yunus maimun mamun firdaus qabus "
    "rasul maqbul"
)


def _ul_stem(spelling: str) -> str:
    """The spelling without an -ul written on its end, or Zain's -al, -el or -ol (Zainal);
    "" if it ends otherwise."""
    if not spelling.endswith(_UL_ARTICLES):
        return ""
    stem = spelling[:-2]
    return stem if spelling.endswith("ul") or skeleton(stem) == _ZAIN else ""


def glued_article_stem(part: NameToken, following: NameToken) -> str:
    """A Latin part's spelling without the article of ``following`` written on its end
    (``_AFTER_UL``; ``_SUN_ARTICLE`` before a name of ``_AFTER_SUN``), or "": the stem is
    three letters at least, an Abd compound keeps its own article (Abdul, Abdur), and a
    name that ends so is itself (``_ENDING_AS_AN_ARTICLE``)."""
    spelling = part.spelling
    if len(spelling) < 5 or spelling.startswith(_ABD_STEMS):
        return ""
    if part.skeleton in _ENDING_AS_AN_ARTICLE:
        return ""
    if following.skeleton in _AFTER_UL and (ul := _ul_stem(spelling)):
        stem = ul
    elif (
        (sun := _SUN_ARTICLE.search(spelling))
        and following.spelling.startswith(sun.group(1))
        and following.skeleton in _AFTER_SUN
    ):
        stem = spelling[: sun.start()]
    else:
        return ""
    return stem if len(stem) >= 3 else ""


def _split_article_compound(word: str) -> tuple[tuple[str, str], ...]:
    """A compound whose first part carries the second's article written as one word, as the
    two parts ``glued_article_stem`` reads (Ziaulhaq = Ziaul Haq, Nurulislam, Zainulabidin,
    Zeynelabidin = Zeynel Abidin); () if the word is none: the second part must be a name
    such compounds end with (``_AFTER_UL``), the first three letters at least and no name
    that ends as the article (Rasulamin is Rasul Amin)."""
    for at in range(5, len(word) - 2):
        first, rest = word[:at], word[at:]
        if not _ul_stem(first):
            continue
        rest_skeleton = skeleton(rest)
        if rest_skeleton in _AFTER_UL and skeleton(first) not in _ENDING_AS_AN_ARTICLE:
            return ((first, skeleton(first)), (rest, rest_skeleton))
    return ()


def _with_glued_articles(tokens: tuple[NameToken, ...]) -> tuple[NameToken, ...]:
    """The parts of a Latin name, each that carries the next part's article with its stem
    (``glued_article_stem``). Read when a parsed name is built, stored or not: the stem
    depends on the part after it."""
    out = list(tokens)
    for i, (part, following) in enumerate(itertools.pairwise(tokens)):
        if part.role in KEY_ROLES and following.role in KEY_ROLES:
            stem = glued_article_stem(part, following)
            if stem:
                out[i] = GluedToken(part.skeleton, part.spelling, part.role, stem)
    return tuple(out)


@lru_cache(maxsize=100_000)
def parse_name(text: str) -> ParsedName:
    """Parse one full name (any script) into skeleton tokens."""
    arabic = has_arabic(text)
    ordered = text
    head, comma, tail = text.partition(",")
    if comma and tail.strip() and "," not in tail and len(head.split()) <= 3:
        ordered = f"{tail} {head}"  # "SULTANOV, Azizbek" is listed surname first
    words = _patronymics_as_fathers(_demonyms_as_nisbas(_join_hyphenated(latin_words(ordered))))
    tokens: list[NameToken] = []
    titles: list[str] = []
    pending_abd = False
    after_marker = False
    after_article = False
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word == "-":
            continue
        nxt = words[i] if i < len(words) else ""
        # Arabic script joins its article to the name (romanized al-): a word of its own is a
        # name there, عز = Izz, romanized az, not an article
        if word in ARTICLES and nxt and (not arabic or nxt == "-" or word == "al"):
            after_article = True
            continue  # the article itself: al-Baghdadi = Baghdadi
        # A title leads a name ("Sheikh Hassan"); after a name part or an article it is one
        # ("Mohammad Sayed", "el-Sayed", "Mustafa Hajji Muhammad Khan").
        leading = not tokens and not after_article
        after_article = False
        if word in TITLES and nxt and leading:
            titles.append(TITLE_OF[word])
            continue
        if word in CONNECTORS and tokens:
            continue
        if word in _TRAILING_HONORIFICS and not nxt and tokens and tokens[-1].role == "name":
            continue
        if word in KUNYA_MARKERS and nxt:
            tokens.append(NameToken(KUNYA_MARKERS[word], KUNYA_MARKERS[word], "kunya_marker"))
            after_marker = True
            continue
        glued = _GLUED_KUNYA.match(word)
        if glued and not after_marker:  # "Abulkhair" = Abu al-Khayr
            tokens.append(NameToken("abu", "abu", "kunya_marker"))
            after_marker = True
            word = word[glued.end() :]
        if word in _ABD_WORDS and nxt:
            pending_abd = True
            continue
        if word in _DIN_WORDS and tokens and tokens[-1].role != "kunya_marker":
            last = tokens.pop()
            tokens.append(NameToken(last.skeleton + "dn", last.spelling + "din", last.role))
            continue
        if len(word) == 1 and word.isalpha() and not pending_abd:
            # "Haji M. Ashraf", "Taha, Abdul Rahman S", "خلف م. م. الدليمي": a father's or
            # grandfather's name cut to its first letter
            tokens.append(NameToken(word, word, "initial"))
            after_marker = False
            continue
        pieces = _split_glued(word)
        for spelling, skel in pieces:
            if pending_abd:
                spelling, skel = "abd" + spelling, "bd" + ("l" if skel == "allah" else skel)
                pending_abd = False
            role = "kunya" if after_marker else "name"
            tokens.append(NameToken(skel, spelling, role))
            after_marker = False
    if pending_abd:  # "Majeed, Abdul": an Abd with nothing after it is still a name part
        tokens.append(NameToken("bd", "abd", "name"))
    return ParsedName(
        text=text,
        tokens=tuple(tokens),
        arabic=arabic,
        titles=tuple(titles),
        russian=not arabic and written_as_russian(text, words),
    )


@lru_cache(maxsize=1024)
def parse_query(text: str) -> ParsedName:
    """``parse_name`` for a text typed in a search or a comparison: a query is parsed a few
    times while it is answered and seldom typed again. Kept out of ``parse_name``'s cache,
    which the queries a server answers would otherwise fill, one parsed name each (about
    13 objects every full garbage collection walks; filled, 0.6 s a collection)."""
    return parse_name.__wrapped__(text)
