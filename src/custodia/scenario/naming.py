"""Arabic naming structure for synthetic persons.

A person's name is built from parts the way documents in the region record them:
the given name (*ism*), a chain of ancestors (*nasab*: father, grandfather), a
tribal, family or place name (*nisba*, e.g. al-Jubouri, al-Tunisi), and often a
teknonym (*kunya*: "Abu Hamza", "Umm Yusuf"). Each part is stored once, with its
Arabic-script form and a tuple of realistic Latin transliteration variants; a
person's *spelling habit* picks one variant per part, so the same person written
by different clerks yields different Latin strings with one Arabic form. That is
exactly the duplicate-record problem identity resolution has to solve.

A minority of foreign nationals carry non-Arab names (Caucasian, Central Asian,
Turkish, European, ...), usually together with a kunya.

Every function is deterministic given the ``random.Random`` passed in; the module
never touches the global random state. All names generated are synthetic.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from types import MappingProxyType
from typing import Final, TypeVar

__all__ = [
    "CAMP_NATIONALITY_WEIGHTS",
    "CLASSICAL_KUNYA_EPONYMS",
    "FAMILY_NISBAS",
    "FEMALE_GIVEN_NAMES",
    "FOREIGN_NAME_POOLS",
    "MALE_GIVEN_NAMES",
    "NATIONALITY_WEIGHTS",
    "ORIGIN_NISBAS",
    "SPELLING_HABITS",
    "STYLES",
    "Alias",
    "ForeignPool",
    "GeneratedName",
    "KunyaParts",
    "NameEntry",
    "NameParts",
    "NisbaEntry",
    "PersonNames",
    "SpellingHabit",
    "alias_name",
    "alias_record",
    "generate_person_name",
    "sample_nationality",
    "spelling_variant",
    "spelling_variant_record",
]

_T = TypeVar("_T")
_Chooser = Callable[[tuple[str, ...]], str]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name: Arabic script (``None`` for non-Arab names) and Latin variants.

    Variants are ordered: scholarly first, then the common English spelling, then
    (where one exists) the French/Maghrebi spelling, then other attested forms.
    """

    arabic: str | None
    variants: tuple[str, ...]
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not self.variants:
            raise ValueError("a name needs at least one Latin variant")

    @property
    def latin(self) -> str:
        return self.variants[0]


@dataclass(frozen=True, slots=True)
class NisbaEntry:
    """A nisba (tribal, family, place or origin name); ``arabic`` includes the article.

    ``stems`` are Latin variants without the article; the spelling habit adds it.
    ``regions`` say whose family names it is typical of; ``country`` is set for
    nisbas of origin (al-Tunisi -> "TN").
    """

    arabic: str
    stems: tuple[str, ...]
    regions: tuple[str, ...]
    weight: float = 1.0
    country: str | None = None


@dataclass(frozen=True, slots=True)
class ForeignPool:
    """Latin-script names of one non-Arab naming culture."""

    code: str
    male: tuple[NameEntry, ...]
    female: tuple[NameEntry, ...]
    surnames: tuple[NameEntry, ...]
    feminize_surnames: bool = False


@dataclass(frozen=True, slots=True)
class SpellingHabit:
    """How one writer transliterates: preferred variant rank, article, connectors."""

    code: str
    rank: int
    article: str
    assimilate: bool = False
    abu: str = "Abu"
    umm: str = "Umm"
    bin_word: str = "bin"
    bint_word: str = "bint"


@dataclass(frozen=True, slots=True)
class KunyaParts:
    """Abu/Umm + eponym (+ optional nisba)."""

    female: bool
    eponym: NameEntry
    nisba: NisbaEntry | None = None


@dataclass(frozen=True, slots=True)
class NameParts:
    """The chosen table entries behind a person's name (spelling-independent)."""

    sex: str
    style: str
    ism: NameEntry
    nasab: tuple[NameEntry, ...]
    nisba: NisbaEntry | None
    surname: NameEntry | None
    kunya: KunyaParts | None
    mother: NameEntry
    mother_second: NameEntry | None
    connectors: bool
    pool: str | None = None


@dataclass(frozen=True, slots=True)
class GeneratedName:
    """One rendering of a name, Latin and (when available) Arabic script."""

    full_latin: str
    full_arabic: str | None
    ism: str
    nasab: tuple[str, ...]
    nisba: str | None
    kunya: str | None
    ism_arabic: str | None = None
    nasab_arabic: tuple[str, ...] = ()
    nisba_arabic: str | None = None
    kunya_arabic: str | None = None
    surname: str | None = None


@dataclass(frozen=True, slots=True)
class PersonNames:
    """A synthetic person's names: primary rendering, mother's name, habit, parts."""

    sex: str
    nationality: str
    style: str
    habit: SpellingHabit
    primary: GeneratedName
    mother_latin: str
    mother_arabic: str | None
    parts: NameParts

    @property
    def full_latin(self) -> str:
        return self.primary.full_latin

    @property
    def full_arabic(self) -> str | None:
        return self.primary.full_arabic

    @property
    def kunya(self) -> str | None:
        return self.primary.kunya


@dataclass(frozen=True, slots=True)
class Alias:
    """A nom de guerre such as "Abu Muslim al-Shishani"."""

    latin: str
    arabic: str


# --------------------------------------------------------------------------- tables


def _n(arabic: str, weight: float, *variants: str) -> NameEntry:
    return NameEntry(arabic, variants, weight)


def _b(arabic: str, regions: str, weight: float, *stems: str) -> NisbaEntry:
    return NisbaEntry(arabic, stems, tuple(regions.split()), weight)


def _o(country: str, arabic: str, *stems: str) -> NisbaEntry:
    return NisbaEntry(arabic, stems, ("origin",), 1.0, country)


# Tables are kept compact, one entry per line.
# fmt: off
MALE_GIVEN_NAMES: Final[tuple[NameEntry, ...]] = (
    _n("محمد", 12, "Muhammad", "Mohammed", "Mohamed", "Mohamad", "Mohammad", "Muhammed"),
    _n("أحمد", 6, "Ahmad", "Ahmed"),
    _n("علي", 5, "Ali", "Ali", "Ali", "Aly", "Alee"),
    _n("عمر", 4, "Umar", "Omar", "Omer"),
    _n("عبد الله", 4, "Abd Allah", "Abdullah", "Abdallah", "Abdulla", "Abdellah", "Abdalla"),
    _n("خالد", 3.5, "Khalid", "Khaled", "Chalid"),
    _n("حسين", 3.5, "Husayn", "Hussein", "Houssein", "Hussain", "Husain", "Hossein"),
    _n("محمود", 3, "Mahmud", "Mahmoud", "Mahmood", "Mahmut"),
    _n("إبراهيم", 3, "Ibrahim", "Ibraheem", "Brahim", "Ebrahim", "Ibrahem"),
    _n("حسن", 3, "Hasan", "Hassan", "Hassen", "Hasen"),
    _n("مصطفى", 2.5, "Mustafa", "Mustapha", "Moustapha", "Mostafa"),
    _n("يوسف", 2.5, "Yusuf", "Youssef", "Youcef", "Yousef", "Yousif", "Yusif"),
    _n("عبد الرحمن", 2.5, "Abd al-Rahman", "Abdulrahman", "Abderrahmane", "Abdel Rahman",
       "Abdurrahman", "Abdelrahman"),
    _n("صالح", 2, "Salih", "Saleh", "Saalih"),
    _n("عبد العزيز", 1.5, "Abd al-Aziz", "Abdulaziz", "Abdelaziz", "Abdul Aziz", "Abdulazeez"),
    _n("عبد الكريم", 1.2, "Abd al-Karim", "Abdulkarim", "Abdelkrim", "Abdul Kareem"),
    _n("عبد القادر", 1.2, "Abd al-Qadir", "Abdulqadir", "Abdelkader", "Abdulkadir"),
    _n("عبد الرزاق", 1, "Abd al-Razzaq", "Abdulrazzaq", "Abderrazak", "Abdul Razak"),
    _n("عبد السلام", 1, "Abd al-Salam", "Abdulsalam", "Abdeslam", "Abdessalem"),
    _n("عبد الحميد", 1, "Abd al-Hamid", "Abdulhamid", "Abdelhamid", "Abdul Hameed"),
    _n("عبد الجبار", 0.8, "Abd al-Jabbar", "Abduljabbar", "Abdeljabbar", "Abdul Jabar"),
    _n("عبد الستار", 0.8, "Abd al-Sattar", "Abdulsattar", "Abdessattar", "Abdul Sattar"),
    _n("عبد الوهاب", 0.8, "Abd al-Wahhab", "Abdulwahab", "Abdelouahab", "Abdul Wahab"),
    _n("عبد المجيد", 0.7, "Abd al-Majid", "Abdulmajid", "Abdelmadjid", "Abdul Majeed"),
    _n("عبد الحكيم", 0.7, "Abd al-Hakim", "Abdulhakim", "Abdelhakim", "Abdul Hakeem"),
    _n("عبد الرحيم", 0.8, "Abd al-Rahim", "Abdulrahim", "Abderrahim", "Abdul Raheem"),
    _n("عبد اللطيف", 0.7, "Abd al-Latif", "Abdullatif", "Abdellatif", "Abdul Latif"),
    _n("عبد الباسط", 0.6, "Abd al-Basit", "Abdulbasit", "Abdelbasset", "Abdul Basit"),
    _n("عبد الغني", 0.5, "Abd al-Ghani", "Abdulghani", "Abdelghani", "Abdul Ghani"),
    _n("عبد الملك", 0.6, "Abd al-Malik", "Abdulmalik", "Abdelmalek", "Abdul Malik"),
    _n("عبد الناصر", 0.7, "Abd al-Nasir", "Abdulnasser", "Abdennacer", "Abdel Nasser"),
    _n("عبد الفتاح", 0.6, "Abd al-Fattah", "Abdulfattah", "Abdelfattah", "Abdel Fattah"),
    _n("عبد الهادي", 0.5, "Abd al-Hadi", "Abdulhadi", "Abdelhadi", "Abdul Hadi"),
    _n("عبد الإله", 0.5, "Abd al-Ilah", "Abdulilah", "Abdelilah", "Abdul Ilah"),
    _n("عبد المنعم", 0.5, "Abd al-Mun'im", "Abdulmunim", "Abdelmonem", "Abdel Moneim"),
    _n("عبد الحليم", 0.4, "Abd al-Halim", "Abdulhalim", "Abdelhalim", "Abdul Haleem"),
    _n("عبد الواحد", 0.5, "Abd al-Wahid", "Abdulwahid", "Abdelouahed", "Abdul Wahid"),
    _n("عبد الصمد", 0.4, "Abd al-Samad", "Abdulsamad", "Abdessamad", "Abdul Samad"),
    _n("عبد المحسن", 0.4, "Abd al-Muhsin", "Abdulmohsen", "Abdelmohsen", "Abdul Mohsin"),
    _n("عبد الخالق", 0.4, "Abd al-Khaliq", "Abdulkhaliq", "Abdelkhalek", "Abdul Khaliq"),
    _n("عبد الحق", 0.4, "Abd al-Haqq", "Abdulhaq", "Abdelhak", "Abdul Haq"),
    _n("عبد الرؤوف", 0.3, "Abd al-Ra'uf", "Abdulraouf", "Abderraouf", "Abdul Rauf"),
    _n("صلاح الدين", 0.8, "Salah al-Din", "Salahuddin", "Salah Eddine", "Salaheddin",
       "Salah ad-Din"),
    _n("نور الدين", 0.8, "Nur al-Din", "Nooruddin", "Noureddine", "Nour al-Din", "Nuradin"),
    _n("عز الدين", 0.6, "Izz al-Din", "Izzuddin", "Ezzeddine", "Izzedine", "Ezz El Din"),
    _n("بدر الدين", 0.5, "Badr al-Din", "Badruddin", "Badreddine", "Badr Eddin"),
    _n("خير الدين", 0.4, "Khayr al-Din", "Khairuddin", "Kheireddine", "Khair al-Din"),
    _n("علاء الدين", 0.6, "Ala al-Din", "Alaauddin", "Alaeddine", "Alaa El Din", "Aladdin"),
    _n("سيف الدين", 0.5, "Sayf al-Din", "Saifuddin", "Seifeddine", "Saif al-Din"),
    _n("شمس الدين", 0.4, "Shams al-Din", "Shamsuddin", "Chamseddine", "Shams Eddin"),
    _n("نصر الدين", 0.3, "Nasr al-Din", "Nasruddin", "Nasreddine", "Nassr Eddin"),
    _n("جمال الدين", 0.4, "Jamal al-Din", "Jamaluddin", "Djamel Eddine", "Jamaleddin"),
    _n("فخر الدين", 0.3, "Fakhr al-Din", "Fakhruddin", "Fakhreddine", "Fakhr Eddin"),
    _n("محيي الدين", 0.3, "Muhyi al-Din", "Mohieddin", "Mahieddine", "Muhyiddin"),
    _n("تاج الدين", 0.3, "Taj al-Din", "Tajuddin", "Tajeddine", "Taj Eddin"),
    _n("زين الدين", 0.3, "Zayn al-Din", "Zainuddin", "Zineddine", "Zain al-Din"),
    _n("ضياء الدين", 0.3, "Diya al-Din", "Ziauddin", "Diaeddine", "Dhiya al-Din"),
    _n("عماد الدين", 0.4, "Imad al-Din", "Imaduddin", "Imadeddine", "Emad El Din"),
    _n("شرف الدين", 0.3, "Sharaf al-Din", "Sharafuddin", "Charafeddine", "Sharaf Eddin"),
    _n("حمزة", 1.2, "Hamza", "Hamza", "Hamza", "Hamzah", "Hamzeh"),
    _n("بكر", 0.8, "Bakr", "Baker", "Bakir"),
    _n("عثمان", 1.2, "Uthman", "Othman", "Osman", "Usman", "Outhmane"),
    _n("سعد", 1.2, "Sa'd", "Saad", "Sad"),
    _n("سعيد", 1.2, "Sa'id", "Saeed", "Said", "Saied", "Sayeed"),
    _n("فيصل", 1, "Faysal", "Faisal", "Faycal", "Feisal"),
    _n("ماجد", 0.8, "Majid", "Majed", "Madjid", "Maged"),
    _n("جاسم", 1.2, "Jasim", "Jassim", "Jassem", "Jasem", "Gasim"),
    _n("قاسم", 1, "Qasim", "Qassim", "Kacem", "Kassem", "Qasem"),
    _n("حامد", 1, "Hamid", "Hamed", "Hameed"),
    _n("خليل", 1, "Khalil", "Khaleel", "Khelil", "Halil"),
    _n("رشيد", 0.8, "Rashid", "Rasheed", "Rachid", "Reshid"),
    _n("سالم", 1, "Salim", "Salem", "Saalem"),
    _n("سليمان", 1, "Sulayman", "Suleiman", "Slimane", "Sulaiman", "Soliman"),
    _n("عيسى", 0.8, "Isa", "Issa", "Aissa", "Eisa"),
    _n("موسى", 0.8, "Musa", "Mousa", "Moussa", "Mosa"),
    _n("يونس", 0.8, "Yunus", "Younis", "Younes", "Yunis"),
    _n("إسماعيل", 1, "Isma'il", "Ismail", "Smail", "Esmail", "Ismael"),
    _n("إسحاق", 0.4, "Ishaq", "Ishak", "Ishaaq"),
    _n("يعقوب", 0.5, "Ya'qub", "Yaqub", "Yacoub", "Yakub", "Yaqoob"),
    _n("داود", 0.6, "Dawud", "Dawood", "Daoud", "Dawod"),
    _n("سلمان", 0.8, "Salman", "Selman", "Salmane"),
    _n("زكريا", 0.6, "Zakariyya", "Zakariya", "Zakaria", "Zakariah"),
    _n("ياسين", 0.8, "Yasin", "Yaseen", "Yassine", "Yassin"),
    _n("طه", 0.6, "Taha"),
    _n("أنس", 0.8, "Anas", "Anas", "Anass", "Anes"),
    _n("معاذ", 0.8, "Mu'adh", "Muath", "Mouad", "Moaz", "Muaz"),
    _n("أسامة", 1, "Usama", "Osama", "Oussama", "Osamah", "Usamah"),
    _n("بلال", 0.8, "Bilal", "Belal", "Bilel"),
    _n("طارق", 1, "Tariq", "Tareq", "Tarek", "Tarik"),
    _n("زياد", 0.8, "Ziyad", "Ziad", "Zied", "Zeyad"),
    _n("عادل", 0.8, "Adil", "Adel", "Aadil"),
    _n("عماد", 0.7, "Imad", "Emad", "Imed", "Imaad"),
    _n("وليد", 1, "Walid", "Waleed", "Oualid"),
    _n("نبيل", 0.6, "Nabil", "Nabeel", "Nabile"),
    _n("جمال", 0.8, "Jamal", "Gamal", "Djamel", "Jemal"),
    _n("كمال", 0.7, "Kamal", "Kamel", "Kemal"),
    _n("فارس", 0.7, "Faris", "Fares"),
    _n("مازن", 0.6, "Mazin", "Mazen"),
    _n("سامي", 0.6, "Sami", "Sami", "Sami", "Samy", "Sammy"),
    _n("نزار", 0.5, "Nizar", "Nizar", "Nizar", "Nezar", "Nisar"),
    _n("وسام", 0.5, "Wisam", "Wissam", "Ouissem", "Wessam"),
    _n("عدنان", 0.8, "Adnan", "Adnan", "Adnane", "Adnaan"),
    _n("عمار", 0.8, "Ammar", "Ammar", "Amar", "Ammaar"),
    _n("عامر", 0.8, "Amir", "Amer", "Ameur", "Aamer"),
    _n("ياسر", 1, "Yasir", "Yasser", "Yacer", "Yaser"),
    _n("منصور", 0.6, "Mansur", "Mansour", "Mansoor"),
    _n("ناصر", 0.8, "Nasir", "Nasser", "Nacer", "Naser"),
    _n("هشام", 0.8, "Hisham", "Hesham", "Hichem", "Hicham"),
    _n("حازم", 0.7, "Hazim", "Hazem"),
    _n("حاتم", 0.6, "Hatim", "Hatem"),
    _n("حمد", 0.8, "Hamad"),
    _n("حمود", 0.6, "Hamud", "Hamoud", "Hammoud", "Hamood"),
    _n("عواد", 0.6, "Awwad", "Awad", "Aouad", "Awaad"),
    _n("عبيد", 0.5, "Ubayd", "Obaid", "Oubaid", "Obeid"),
    _n("فاضل", 0.5, "Fadil", "Fadel", "Fadhel", "Fadhil"),
    _n("فرحان", 0.5, "Farhan", "Farhan", "Farhan", "Farhaan"),
    _n("مطر", 0.4, "Matar", "Matar", "Mattar", "Mater"),
    _n("شاكر", 0.5, "Shakir", "Shaker", "Chaker"),
    _n("سمير", 0.8, "Samir", "Sameer"),
    _n("رياض", 0.6, "Riyad", "Riad", "Riadh", "Reyad"),
    _n("عصام", 0.6, "Isam", "Essam", "Issam", "Esam"),
    _n("مروان", 0.6, "Marwan", "Marwan", "Marouane", "Marwaan"),
    _n("ثامر", 0.5, "Thamir", "Thamer"),
    _n("سلطان", 0.6, "Sultan", "Sultan", "Soltane", "Soltan"),
    _n("فهد", 0.6, "Fahd", "Fahad", "Fahed"),
    _n("صدام", 0.6, "Saddam", "Saddam", "Saddem", "Sadam"),
    _n("مهند", 0.5, "Muhannad", "Mohannad", "Mohanad", "Muhanad"),
    _n("أيمن", 0.8, "Ayman", "Ayman", "Aymen", "Aiman"),
    _n("أكرم", 0.5, "Akram", "Akram", "Akrem", "Ekrem"),
    _n("إياد", 0.5, "Iyad", "Eyad", "Iyed", "Ayad"),
    _n("أيوب", 0.6, "Ayyub", "Ayoub", "Ayoob", "Eyup"),
    _n("بشير", 0.5, "Bashir", "Basheer", "Bachir", "Beshir"),
    _n("حسام", 0.7, "Husam", "Hussam", "Houssem", "Hossam"),
    _n("خضر", 0.5, "Khidr", "Khudhur", "Khedher", "Khider", "Khodr"),
    _n("ذياب", 0.4, "Dhiyab", "Thiab", "Diab", "Dhiab"),
    _n("رائد", 0.5, "Ra'id", "Raed", "Raid", "Raeed"),
    _n("صهيب", 0.5, "Suhayb", "Suhaib", "Souhaib", "Sohaib"),
    _n("عاصم", 0.5, "Asim", "Assem", "Acem", "Aasim"),
    _n("عبيدة", 0.4, "Ubayda", "Obaida", "Oubaida", "Ubaydah"),
    _n("عمران", 0.4, "Imran", "Omran", "Imrane", "Emran"),
    _n("غازي", 0.5, "Ghazi", "Ghazi", "Ghazi", "Ghazy", "Gazi"),
    _n("فراس", 0.5, "Firas", "Feras", "Ferass"),
    _n("مراد", 0.6, "Murad", "Mourad", "Murat"),
    _n("مصعب", 0.5, "Mus'ab", "Musab", "Mosaab", "Mosab"),
    _n("هيثم", 0.6, "Haytham", "Haitham", "Haythem", "Heitham"),
    _n("وائل", 0.6, "Wa'il", "Wael", "Wail"),
    _n("يحيى", 0.8, "Yahya", "Yahia", "Yehia", "Yahiya"),
    _n("جابر", 0.4, "Jabir", "Jaber", "Djaber", "Gaber"),
    _n("رضوان", 0.4, "Ridwan", "Radwan", "Redouane", "Rudwan"),
    _n("زيد", 0.5, "Zayd", "Zaid", "Zied", "Zeid"),
    _n("سفيان", 0.5, "Sufyan", "Sofian", "Sofiane", "Soufian"),
    _n("كريم", 0.7, "Karim", "Kareem", "Krim"),
    _n("ذنون", 0.3, "Dhanun", "Thanoon", "Dhanoun", "Zanoun"),
    _n("جمعة", 0.5, "Jum'a", "Juma", "Jomaa", "Jumaa", "Guma"),
    _n("خميس", 0.5, "Khamis", "Khamees", "Khemais"),
    _n("رمضان", 0.5, "Ramadan", "Ramadhan", "Ramdane", "Ramazan"),
    _n("أمين", 0.6, "Amin", "Ameen", "Lamine", "Emin"),
    _n("إدريس", 0.4, "Idris", "Idrees", "Driss", "Idriss"),
    _n("مالك", 0.5, "Malik", "Malek"),
    _n("نواف", 0.3, "Nawwaf", "Nawaf", "Nouaf"),
)

FEMALE_GIVEN_NAMES: Final[tuple[NameEntry, ...]] = (
    _n("فاطمة", 6, "Fatima", "Fatimah", "Fatma", "Fatmeh", "Fatemah"),
    _n("عائشة", 3, "A'isha", "Aisha", "Aicha", "Aysha", "Aishah"),
    _n("خديجة", 3, "Khadija", "Khadijah", "Khadidja", "Hadija"),
    _n("مريم", 3, "Maryam", "Mariam", "Meriem", "Meryem"),
    _n("زينب", 2.5, "Zaynab", "Zainab", "Zineb", "Zeinab"),
    _n("آمنة", 1.5, "Amina", "Aminah", "Amna", "Emine"),
    _n("أسماء", 1.5, "Asma", "Asmaa", "Esma"),
    _n("سارة", 1.5, "Sara", "Sarah", "Sarra"),
    _n("نور", 1.5, "Nur", "Noor", "Nour"),
    _n("هدى", 1, "Huda", "Hoda", "Houda"),
    _n("رقية", 1, "Ruqayya", "Ruqaya", "Rokia", "Roqaya"),
    _n("حفصة", 1, "Hafsa", "Hafsah"),
    _n("صفية", 1, "Safiyya", "Safia", "Safiya", "Safiye"),
    _n("سمية", 1, "Sumayya", "Sumaya", "Soumaya", "Somaya"),
    _n("حليمة", 0.8, "Halima", "Halimah", "Hlima"),
    _n("سعاد", 0.8, "Su'ad", "Suad", "Souad", "Soad"),
    _n("ليلى", 0.8, "Layla", "Laila", "Leila", "Leyla"),
    _n("هند", 0.8, "Hind", "Hend"),
    _n("سلمى", 0.8, "Salma", "Selma", "Salmah"),
    _n("نادية", 0.6, "Nadiya", "Nadia", "Nadya"),
    _n("وفاء", 0.6, "Wafa", "Wafaa", "Ouafae"),
    _n("إيمان", 1, "Iman", "Eman", "Imane", "Emaan"),
    _n("أمل", 0.8, "Amal", "Amel"),
    _n("منى", 0.8, "Muna", "Mona", "Mouna"),
    _n("نجلاء", 0.4, "Najla", "Najlaa", "Nejla"),
    _n("رشا", 0.5, "Rasha", "Racha"),
    _n("رنا", 0.5, "Rana"),
    _n("دعاء", 0.6, "Du'a", "Duaa", "Douaa", "Doaa"),
    _n("آلاء", 0.5, "Ala'", "Alaa", "Alae"),
    _n("إسراء", 0.6, "Isra'", "Israa", "Esraa", "Esra"),
    _n("بشرى", 0.5, "Bushra", "Boushra", "Bouchra"),
    _n("تسنيم", 0.4, "Tasnim", "Tasneem", "Tesnim"),
    _n("جميلة", 0.6, "Jamila", "Jameela", "Djamila", "Cemile"),
    _n("حنان", 0.6, "Hanan", "Hanane", "Hanen"),
    _n("خلود", 0.4, "Khulud", "Kholoud", "Khouloud", "Khulood"),
    _n("ريم", 0.6, "Rim", "Reem", "Rym"),
    _n("سهام", 0.5, "Siham", "Seham", "Sihem"),
    _n("شيماء", 0.6, "Shayma'", "Shaimaa", "Chaimae", "Shaima"),
    _n("صابرين", 0.4, "Sabrin", "Sabreen", "Sabrine"),
    _n("عبير", 0.5, "Abir", "Abeer"),
    _n("غادة", 0.4, "Ghada", "Ghada", "Ghada", "Ghadah"),
    _n("فرح", 0.5, "Farah", "Farah", "Farah", "Farha"),
    _n("كوثر", 0.4, "Kawthar", "Kauther", "Kaouther", "Kevser"),
    _n("لبنى", 0.4, "Lubna", "Lobna", "Loubna"),
    _n("مها", 0.5, "Maha"),
    _n("نسرين", 0.5, "Nasrin", "Nisreen", "Nesrine", "Nasreen"),
    _n("هبة", 0.6, "Hiba", "Heba", "Hibah"),
    _n("وداد", 0.3, "Widad", "Wedad", "Ouidad"),
    _n("ياسمين", 0.6, "Yasmin", "Yasmeen", "Yasmine", "Jasmin"),
    _n("نوال", 0.4, "Nawal", "Nawal", "Naoual", "Newal"),
    _n("سناء", 0.4, "Sana'", "Sanaa", "Sanae"),
    _n("فريدة", 0.3, "Farida", "Fareeda", "Faride"),
    _n("بسمة", 0.4, "Basma", "Bassma", "Besma"),
    _n("رحاب", 0.3, "Rihab", "Rehab"),
    _n("عفاف", 0.3, "Afaf", "Afef"),
    _n("ابتسام", 0.4, "Ibtisam", "Ebtisam", "Ibtissem", "Ibtissam"),
    _n("انتصار", 0.3, "Intisar", "Entisar", "Intissar"),
    _n("فوزية", 0.4, "Fawziyya", "Fawzia", "Fouzia", "Fawziya"),
    _n("حياة", 0.4, "Hayat", "Hayat", "Hayet", "Hayah"),
    _n("أسيل", 0.3, "Asil", "Aseel", "Assil"),
    _n("شهد", 0.4, "Shahd", "Shahad", "Chahd"),
    _n("رهف", 0.3, "Rahaf", "Rahaf", "Rahef"),
    _n("هاجر", 0.6, "Hajar", "Hajer", "Hadjer", "Hagar"),
    _n("سكينة", 0.3, "Sakina", "Sakeena", "Skina"),
    _n("ماجدة", 0.3, "Majida", "Magda", "Majda"),
    _n("نعيمة", 0.4, "Na'ima", "Naima", "Naeema"),
    _n("ربيعة", 0.3, "Rabi'a", "Rabia", "Rabiaa"),
    _n("أميرة", 0.5, "Amira", "Ameera", "Emira"),
    _n("سميرة", 0.5, "Samira", "Sameera"),
    _n("كريمة", 0.4, "Karima", "Kareema", "Krima"),
    _n("لطيفة", 0.3, "Latifa", "Lateefa"),
    _n("مليكة", 0.3, "Malika", "Maleeka", "Melika"),
    _n("نبيلة", 0.3, "Nabila", "Nabeela"),
    _n("وردة", 0.3, "Warda", "Wardah", "Ouarda"),
    _n("غفران", 0.3, "Ghufran", "Ghofran", "Ghofrane"),
    _n("جنى", 0.3, "Jana", "Jana", "Djana", "Janaa"),
    _n("عزيزة", 0.3, "Aziza", "Azeeza"),
    _n("ميساء", 0.3, "Maysa'", "Maisaa", "Meissa"),
    _n("سعدية", 0.3, "Sa'diyya", "Saadia", "Saadiya"),
    _n("أم كلثوم", 0.2, "Umm Kulthum", "Um Kalthoum", "Oum Keltoum"),
)

# Family, tribal and place nisbas, tagged by the regions whose documents use them.
FAMILY_NISBAS: Final[tuple[NisbaEntry, ...]] = (
    _b("الجبوري", "iq sy", 3, "Juburi", "Jubouri", "Jbouri", "Jubori"),
    _b("الدليمي", "iq", 3, "Dulaymi", "Dulaimi", "Dlimi", "Duleimi"),
    _b("الشمري", "iq sy gulf", 2.5, "Shammari", "Shammari", "Chammari", "Shammary", "Shamari"),
    _b("العبيدي", "iq sy", 2, "Ubaydi", "Obaidi", "Oubeidi", "Ubaidi"),
    _b("الجنابي", "iq", 1.5, "Janabi", "Janabi", "Jenabi", "Janaby"),
    _b("الزوبعي", "iq", 1, "Zawba'i", "Zobaie", "Zoubai", "Zawbaee"),
    _b("العزاوي", "iq", 1.2, "Azzawi", "Azawi", "Azzaoui"),
    _b("الكبيسي", "iq", 0.8, "Kubaysi", "Kubaisi", "Koubaissi"),
    _b("الحديثي", "iq", 0.6, "Hadithi", "Hadeethi", "Haditi"),
    _b("الراوي", "iq", 0.8, "Rawi", "Rawi", "Raoui", "Rawee"),
    _b("العاني", "iq", 0.8, "Ani", "Aani", "Ani", "Anee"),
    _b("الفهداوي", "iq", 1, "Fahdawi", "Fahdawi", "Fahdaoui", "Fahadawi"),
    _b("المحلاوي", "iq", 0.6, "Mahlawi", "Mahlawi", "Mahlaoui", "Mahlawy"),
    _b("الكربولي", "iq", 0.5, "Karbuli", "Karbouli", "Karbouli", "Karboly"),
    _b("الدوري", "iq", 0.8, "Duri", "Douri", "Douri", "Dury"),
    _b("التكريتي", "iq", 0.6, "Tikriti", "Tikriti", "Tekriti", "Tikrity"),
    _b("البدري", "iq", 0.8, "Badri", "Badri", "Badri", "Badry"),
    _b("السامرائي", "iq", 0.8, "Samarra'i", "Samarrai", "Samaraie"),
    _b("العيساوي", "iq", 0.8, "Isawi", "Issawi", "Aissaoui"),
    _b("الحمداني", "iq", 0.8, "Hamdani", "Hamdani", "Hamdani", "Hamdany"),
    _b("الطائي", "iq sy", 0.8, "Ta'i", "Taie", "Tai", "Taee"),
    _b("الجميلي", "iq", 1, "Jumayli", "Jumaili", "Jmeili", "Jumaily"),
    _b("المشهداني", "iq", 0.6, "Mashhadani", "Mashhadani", "Machhadani", "Mashhadany"),
    _b("الحيالي", "iq", 0.5, "Hayyali", "Hayali", "Hayali", "Hayalee"),
    _b("النعيمي", "iq sy gulf", 1, "Nu'aymi", "Nuaimi", "Naimi", "Nouaimi"),
    _b("الزبيدي", "iq ye", 1, "Zubaydi", "Zubaidi", "Zoubeidi", "Zbidi"),
    _b("التميمي", "iq sy gulf", 1, "Tamimi", "Tamimi", "Temimi", "Tamimy"),
    _b("السبعاوي", "iq", 0.6, "Sab'awi", "Sabawi", "Sabaoui"),
    _b("الموصلي", "iq", 1, "Mawsili", "Mosuli", "Moussili", "Mosli"),
    _b("البغدادي", "iq", 0.8, "Baghdadi", "Baghdadi", "Baghdadi", "Baghdady", "Baghdadie"),
    _b("الأنباري", "iq", 0.6, "Anbari", "Anbari", "Anbari", "Anbary", "Enbari"),
    _b("الفلوجي", "iq", 0.5, "Falluji", "Falluji", "Fallouji", "Falloji"),
    _b("التلعفري", "iq", 0.6, "Tal'afari", "Talafari", "Tellafari"),
    _b("الشرقاطي", "iq", 0.4, "Shirqati", "Sharqati", "Chergati"),
    _b("القائمي", "iq", 0.4, "Qa'imi", "Qaimi", "Kaimi"),
    _b("البيجي", "iq", 0.4, "Bayji", "Beiji", "Baiji"),
    _b("الكركوكي", "iq", 0.4, "Karkuki", "Kirkuki", "Karkouki"),
    _b("العكيدي", "sy iq", 1, "Ukaydi", "Ugaidi", "Akeidi", "Okaidi"),
    _b("البقاري", "sy", 1, "Baqqari", "Bakkari", "Beggari"),
    _b("الشعيطي", "sy", 0.8, "Shu'ayti", "Shuaiti", "Chaiti"),
    _b("العنزي", "sy gulf", 1, "Anazi", "Enezi", "Anzi", "Anezi"),
    _b("البوكمالي", "sy", 0.5, "Bukamali", "Boukamali", "Bukemali"),
    _b("الديري", "sy", 0.8, "Dayri", "Deiri", "Dairi"),
    _b("الرقاوي", "sy", 0.8, "Raqqawi", "Rakkawi", "Raqqaoui"),
    _b("الحلبي", "sy levant", 0.8, "Halabi", "Halabi", "Halabi", "Halaby"),
    _b("الحمصي", "sy levant", 0.5, "Himsi", "Homsi", "Hemsi"),
    _b("الإدلبي", "sy", 0.5, "Idlibi", "Edlibi", "Idlebi"),
    _b("الحموي", "sy", 0.5, "Hamawi", "Hamawi", "Hamaoui", "Hamawy"),
    _b("الدمشقي", "sy levant", 0.4, "Dimashqi", "Demashqi", "Dimachki"),
    _b("الأحمد", "sy", 1, "Ahmad", "Ahmed", "Ahmad"),
    _b("الحسن", "sy", 1, "Hasan", "Hassan", "Hassen"),
    _b("العلي", "sy", 1, "Ali", "Ali", "Ali", "Aly", "Alee"),
    _b("المحمد", "sy", 1, "Muhammad", "Mohammed", "Mohamed"),
    _b("الخلف", "sy", 0.8, "Khalaf", "Khalef", "Khallaf"),
    _b("العبد الله", "sy", 0.6, "Abd Allah", "Abdullah", "Abdallah"),
    _b("الصالح", "sy", 0.6, "Salih", "Saleh", "Salah"),
    _b("الحسين", "sy", 0.8, "Husayn", "Hussein", "Houssein"),
    _b("العمر", "sy", 0.6, "Umar", "Omar", "Omer"),
    _b("الجاسم", "sy", 0.6, "Jasim", "Jassem", "Jassim"),
    _b("الحمود", "sy", 0.6, "Hamud", "Hamoud", "Hammoud"),
    _b("الخليل", "sy levant", 0.5, "Khalil", "Khaleel", "Khelil"),
    _b("الحداد", "sy levant eg", 0.5, "Haddad", "Haddad", "Haddad", "Hadad"),
    _b("الخطيب", "sy levant eg", 0.6, "Khatib", "Khateeb", "Khatib"),
    _b("النجار", "sy levant eg", 0.5, "Najjar", "Naggar", "Nadjar"),
    _b("الزعبي", "sy levant", 0.5, "Zu'bi", "Zoubi", "Zubi"),
    _b("الحوراني", "sy levant", 0.5, "Hawrani", "Horani", "Hourani"),
    _b("الرفاعي", "sy levant eg", 0.4, "Rifa'i", "Rifai", "Refai"),
    _b("السعدي", "sy levant", 0.5, "Sa'di", "Saadi", "Sadi"),
    _b("البدوي", "levant eg", 0.4, "Badawi", "Badawi", "Bedoui", "Badawy"),
    _b("العبادي", "levant", 0.6, "Abbadi", "Abbadi", "Abbadi", "Ibadi"),
    _b("الحويطي", "levant gulf", 0.5, "Huwayti", "Howeiti", "Houeiti"),
    _b("المجالي", "levant", 0.4, "Majali", "Majali", "Mejali", "Majaly"),
    _b("العتيبي", "gulf", 1, "Utaybi", "Otaibi", "Oteibi", "Otaiby"),
    _b("القحطاني", "gulf ye", 1, "Qahtani", "Kahtani", "Qahtany"),
    _b("الغامدي", "gulf", 0.8, "Ghamidi", "Ghamdi", "Ghamedi"),
    _b("الزهراني", "gulf", 0.8, "Zahrani", "Zahrani", "Zahrani", "Zahrany"),
    _b("الشهري", "gulf", 0.8, "Shihri", "Shehri", "Chehri"),
    _b("الحربي", "gulf", 0.8, "Harbi", "Harbi", "Harbi", "Harby"),
    _b("المطيري", "gulf", 0.8, "Mutayri", "Mutairi", "Moutairi"),
    _b("الدوسري", "gulf", 0.6, "Dawsari", "Dossari", "Dousari"),
    _b("السبيعي", "gulf", 0.5, "Subay'i", "Subaie", "Sbei"),
    _b("العجمي", "gulf", 0.6, "Ajmi", "Ajami", "Adjmi"),
    _b("الرشيدي", "gulf", 0.5, "Rashidi", "Rasheedi", "Rachidi"),
    _b("الشمراني", "gulf", 0.4, "Shamrani", "Shamrani", "Chamrani", "Shamrany"),
    _b("الأسمري", "gulf", 0.4, "Asmari", "Asmari", "Asmari", "Asmary"),
    _b("العدني", "ye", 0.6, "Adani", "Adeni", "Adeni", "Adany"),
    _b("الصنعاني", "ye", 0.6, "San'ani", "Sanaani", "Sanani"),
    _b("الحضرمي", "ye gulf", 0.8, "Hadrami", "Hadhrami", "Hadrami"),
    _b("الوادعي", "ye", 0.4, "Wadi'i", "Wadie", "Wadii"),
    _b("الريمي", "ye", 0.4, "Raymi", "Rimi", "Reimi"),
    _b("السيد", "eg", 0.8, "Sayyid", "Sayed", "Said"),
    _b("الشريف", "eg levant", 0.6, "Sharif", "Sherif", "Cherif", "Shareef"),
    _b("الشاذلي", "eg maghreb", 0.4, "Shadhili", "Shazly", "Chadli"),
    _b("الورفلي", "ly", 1, "Warfalli", "Werfalli", "Ourfelli"),
    _b("المصراتي", "ly", 1, "Misrati", "Misurati", "Mesrati"),
    _b("الزنتاني", "ly", 0.6, "Zintani", "Zintani", "Zentani", "Zintany"),
    _b("الدرناوي", "ly", 0.6, "Darnawi", "Dernawi", "Darnaoui"),
    _b("البرعصي", "ly", 0.4, "Bar'asi", "Baraasi", "Barassi"),
    _b("الطرابلسي", "maghreb ly levant", 1, "Tarabulsi", "Trabulsi", "Trabelsi"),
    _b("الجزيري", "maghreb", 0.8, "Jaziri", "Jeziri", "Jaziri"),
    _b("الماجري", "maghreb", 0.6, "Majiri", "Majri", "Mejri"),
    _b("الخليفي", "maghreb gulf", 0.6, "Khalifi", "Khalifi", "Khelifi"),
    _b("الورغي", "maghreb", 0.5, "Warghi", "Warghi", "Ouerghi"),
    _b("الجندوبي", "maghreb", 0.5, "Jundubi", "Jendoubi", "Jendoubi"),
    _b("الصفاقسي", "maghreb", 0.4, "Safaqusi", "Sfaxi", "Sfaxi"),
    _b("القابسي", "maghreb", 0.4, "Qabisi", "Gabsi", "Gabsi"),
    _b("المنصوري", "maghreb gulf", 0.6, "Mansuri", "Mansoori", "Mansouri"),
    _b("العمراني", "maghreb", 0.6, "Umrani", "Omrani", "Amrani"),
    _b("الإدريسي", "maghreb", 0.6, "Idrisi", "Idrissi", "Idrissi"),
    _b("العلوي", "maghreb", 0.5, "Alawi", "Alawi", "Alaoui", "Alawy"),
    _b("الفاسي", "maghreb", 0.4, "Fasi", "Fassi", "Fassi", "Fassy"),
    _b("التازي", "maghreb", 0.3, "Tazi", "Tazi", "Tazi", "Tazy"),
    _b("الهاشمي", "iq sy levant gulf maghreb", 0.6, "Hashimi", "Hashemi", "Hachemi"),
    _b("الحسيني", "iq sy levant", 0.5, "Husayni", "Husseini", "Houssaini"),
    _b("القرشي", "iq sy gulf", 0.4, "Qurashi", "Qureshi", "Korachi"),
    _b("العمري", "iq sy levant gulf", 0.6, "Umari", "Omari", "Oumari"),
)

# Nisbas of origin, used in kunyas and aliases ("Abu Yusuf al-Almani").
ORIGIN_NISBAS: Final[Mapping[str, NisbaEntry]] = MappingProxyType({
    e.country: e for e in (
        _o("IQ", "العراقي", "Iraqi", "Iraqi", "Iraqi", "Iraqy", "Eraqi"),
        _o("SY", "الشامي", "Shami", "Shami", "Chami", "Shamy"),
        _o("TN", "التونسي", "Tunisi", "Tounsi", "Tunsi"),
        _o("SA", "الجزراوي", "Jazrawi", "Jazrawi", "Jazraoui", "Jazrawy"),
        _o("MA", "المغربي", "Maghribi", "Maghrebi", "Meghribi"),
        _o("EG", "المصري", "Misri", "Masri", "Masry"),
        _o("JO", "الأردني", "Urduni", "Urduni", "Ourdouni", "Ordoni"),
        _o("TR", "التركي", "Turki", "Turki", "Turki", "Turky", "Torki"),
        _o("RU", "الشيشاني", "Shishani", "Chechani", "Chichani"),
        _o("UZ", "الأوزبكي", "Uzbaki", "Uzbeki", "Ouzbaki"),
        _o("TJ", "الطاجيكي", "Tajiki", "Tajiki", "Tadjiki", "Tajeeki"),
        _o("KZ", "الكازاخي", "Kazakhi", "Kazakhi", "Kazakhi", "Qazaqi"),
        _o("KG", "القرغيزي", "Qirghizi", "Kyrgyzi", "Kirghizi"),
        _o("AZ", "الأذري", "Adhari", "Azeri", "Azari"),
        _o("GE", "الجورجي", "Jurji", "Gurji", "Georgi"),
        _o("FR", "الفرنسي", "Faransi", "Firansi", "Fransi"),
        _o("DE", "الألماني", "Almani", "Almani", "Almani", "Almany"),
        _o("GB", "البريطاني", "Baritani", "Britani", "Britany"),
        _o("BE", "البلجيكي", "Baljiki", "Beljiki", "Belgiki"),
        _o("NL", "الهولندي", "Hulandi", "Hollandi", "Holandi"),
        _o("SE", "السويدي", "Suwaydi", "Swedi", "Soueidi"),
        _o("DK", "الدنماركي", "Danimarki", "Denmarki", "Danmarki"),
        _o("AT", "النمساوي", "Nimsawi", "Nemsawi", "Nimsaoui"),
        _o("ES", "الأندلسي", "Andalusi", "Andalousi", "Andaloussi"),
        _o("IT", "الإيطالي", "Itali", "Itali", "Itali", "Italy"),
        _o("FI", "الفنلندي", "Finlandi", "Finlandi", "Finlandi", "Finlandy"),
        _o("NO", "النرويجي", "Narwiji", "Norwiji", "Narweeji"),
        _o("CH", "السويسري", "Suwisri", "Swissri", "Souissri"),
        _o("IE", "الإيرلندي", "Irlandi", "Irelandi", "Irlandy"),
        _o("US", "الأمريكي", "Amriki", "Amreeki", "Amrikani"),
        _o("CA", "الكندي", "Kanadi", "Kanadi", "Kanadi", "Canadi"),
        _o("AU", "الأسترالي", "Usturali", "Ustrali", "Australi"),
        _o("TT", "الترينيدادي", "Trinidadi", "Trinidadi", "Trinidadi", "Trinidady"),
        _o("ID", "الإندونيسي", "Indunisi", "Indonesi", "Indonisi"),
        _o("MY", "الماليزي", "Malizi", "Malizi", "Malizi", "Malaysi"),
        _o("PH", "الفلبيني", "Filibini", "Filipini", "Philippini"),
        _o("PK", "الباكستاني", "Bakistani", "Pakistani", "Pakistany"),
        _o("AF", "الخراساني", "Khurasani", "Khorasani", "Khourassani"),
        _o("IN", "الهندي", "Hindi", "Hindi", "Hindi", "Hendi"),
        _o("CN", "التركستاني", "Turkistani", "Turkestani", "Torkestani"),
        _o("LB", "اللبناني", "Lubnani", "Libnani", "Lebnani"),
        _o("LY", "الليبي", "Libi", "Libi", "Libi", "Liby"),
        _o("DZ", "الجزائري", "Jaza'iri", "Jazairi", "Djazairi"),
        _o("SD", "السوداني", "Sudani", "Sudani", "Soudani", "Sudany"),
        _o("YE", "اليمني", "Yamani", "Yemeni", "Yameni"),
        _o("KW", "الكويتي", "Kuwayti", "Kuwaiti", "Koweiti"),
        _o("BH", "البحريني", "Bahrayni", "Bahraini", "Bahreini"),
        _o("PS", "الفلسطيني", "Filastini", "Falastini", "Felestini"),
        _o("SO", "الصومالي", "Sumali", "Somali", "Soumali"),
        _o("BA", "البوسني", "Busni", "Bosni", "Bosnawi"),
        _o("XK", "الكوسوفي", "Kusuvi", "Kosovi", "Kosofi"),
        _o("AL", "الألباني", "Albani", "Albani", "Albani", "Elbani"),
        _o("MK", "المقدوني", "Maqduni", "Maqduni", "Makdouni", "Makedoni"),
        _o("UA", "الأوكراني", "Ukrani", "Ukrani", "Oukrani", "Okrani"),
    )
    if e.country is not None
})

_MUHAJIR: Final[NisbaEntry] = _b("المهاجر", "", 1, "Muhajir", "Muhajir", "Mouhajir", "Muhaajir")
_ANSARI: Final[NisbaEntry] = _b("الأنصاري", "", 1, "Ansari", "Ansari", "Ansari", "Ansary", "Ensari")

# Eponyms of classical kunyas ("Abu Bakr", "Abu al-Bara'").
CLASSICAL_KUNYA_EPONYMS: Final[tuple[NameEntry, ...]] = (
    _n("بكر", 2, "Bakr", "Bakr", "Baker", "Bakar"),
    _n("حفص", 1.2, "Hafs", "Hafs", "Hafes"),
    _n("حمزة", 1.5, "Hamza", "Hamza", "Hamzah"),
    _n("عبيدة", 1.2, "Ubayda", "Obaida", "Oubaida"),
    _n("طلحة", 0.8, "Talha", "Talha", "Talhah"),
    _n("دجانة", 0.8, "Dujana", "Dujana", "Doujana"),
    _n("قتادة", 0.8, "Qatada", "Qatada", "Katada"),
    _n("مصعب", 1, "Mus'ab", "Musab", "Mosaab"),
    _n("هريرة", 0.8, "Hurayra", "Huraira", "Houraira"),
    _n("مسلم", 1, "Muslim", "Muslim", "Mouslim"),
    _n("الزبير", 0.6, "al-Zubayr", "Zubair", "Zoubeir"),
    _n("تراب", 0.6, "Turab", "Turab", "Tourab"),
    _n("جندل", 0.5, "Jandal", "Jandal", "Djandal"),
    _n("وقاص", 0.4, "Waqqas", "Waqas", "Ouakkas"),
    _n("البراء", 1, "al-Bara'", "Baraa", "El Baraa"),
    _n("الوليد", 0.6, "al-Walid", "Walid", "El Walid"),
    _n("القعقاع", 0.5, "al-Qa'qa'", "Qaqaa", "El Kaakaa"),
    _n("المثنى", 0.5, "al-Muthanna", "Muthanna", "El Mouthanna"),
    _n("ذر", 0.4, "Dharr", "Dhar", "Zar"),
    _n("الدرداء", 0.4, "al-Darda'", "Dardaa", "Derdaa"),
    _n("لقمان", 0.5, "Luqman", "Luqman", "Loqmane"),
    _n("خباب", 0.4, "Khabbab", "Khabab", "Khebbab"),
    _n("عكرمة", 0.5, "Ikrima", "Ikrimah", "Ikrima"),
    _n("سياف", 0.4, "Sayyaf", "Sayaf", "Sayyaf"),
    _n("الخطاب", 0.6, "al-Khattab", "Khattab", "El Khattab"),
    _n("سفيان", 0.6, "Sufyan", "Sufyan", "Soufiane"),
    _n("أنس", 0.6, "Anas", "Anas", "Anass"),
    _n("معاذ", 0.6, "Mu'adh", "Muath", "Mouad"),
    _n("أسامة", 0.6, "Usama", "Osama", "Oussama"),
    _n("عمر", 0.8, "Umar", "Omar", "Omar"),
)


def _pool(code: str, male: str, female: str, surnames: str, fem: bool = False) -> ForeignPool:
    def parse(text: str) -> tuple[NameEntry, ...]:
        return tuple(
            NameEntry(None, tuple(v.replace("_", " ") for v in tok.split("/")))
            for tok in text.split()
        )

    return ForeignPool(code, parse(male), parse(female), parse(surnames), fem)


# Non-Arab names ("/" separates variants, "_" stands for a space).
FOREIGN_NAME_POOLS: Final[Mapping[str, ForeignPool]] = MappingProxyType({
    p.code: p for p in (
        _pool("caucasus",
              "Magomed/Mahomed/Magomet Ruslan Shamil/Chamil Islam Zaurbek Aslan Rustam/Rustem "
              "Timur/Temur Murad Akhmed/Ahmed Khasan/Hasan Ibragim/Ibrahim Adam Arsen",
              "Patimat Madina Zarema Aminat Khadizhat/Khadijat Asiyat Luiza Kheda Milana",
              "Magomedov/Magomedow Gadzhiev/Gadjiev/Hajiev Abdulaev/Abdullaev Umarov "
              "Gasanov/Hasanov Akhmedov/Ahmedov Ibragimov/Ibrahimov Dadaev Israilov Batalov "
              "Murtazaliev Aliev/Aliyev Saidov Shakhbanov", fem=True),
        _pool("central_asia",
              "Jasur/Zhasur Sherzod/Sherzot Bekzod Farrukh/Farukh Dilshod Ulugbek Azizbek "
              "Nurlan Yerlan/Erlan Daniyar Azamat Bakhtiyor/Bakhtiyar/Baxtiyor Firdavs "
              "Komil/Kamil Abdurakhmon/Abdurahmon Mukhammad/Muhammad Sirojiddin Otabek",
              "Dilnoza Gulnara Nigora Madina Zarina Shahnoza Aigerim Feruza Malika Nodira",
              "Karimov Rakhimov/Rahimov Tursunov Yusupov/Yusufov Nazarov Sultanov "
              "Ergashev/Ergashov Nurmatov Abdullaev/Abdullayev Zhumabaev/Jumabayev Toktogulov "
              "Sharipov/Sharifov Kholmatov/Holmatov Mirzoev/Mirzoyev Davlatov", fem=True),
        _pool("azeri",
              "Elvin Rashad Orkhan/Orxan Tural Ramil Elnur Vugar/Vuqar Anar",
              "Aysel Gunel Leyla Nigar Sevinj/Sevinc",
              "Mammadov/Mamedov Aliyev/Aliev Huseynov/Guseinov Hasanov Guliyev/Quliyev "
              "Ismayilov/Ismailov", fem=True),
        _pool("turkish",
              "Mehmet Mustafa Emre Yusuf Burak Ahmet Hakan Serkan Murat Osman Omer/Ömer "
              "Halil Ibrahim/İbrahim",
              "Elif Zeynep Merve Esra Fatma Hatice Busra/Büşra Kubra/Kübra",
              "Yilmaz/Yılmaz Kaya Demir Sahin/Şahin Celik/Çelik Yildiz/Yıldız Ozturk/Öztürk "
              "Aydin/Aydın Arslan Dogan/Doğan Kilic/Kılıç Polat"),
        _pool("western",
              "Thomas Maxime Kevin Jonathan Christian Daniel Michael/Mickael Martin Lukas/Lucas "
              "Dennis/Denis Jack Ryan Nicolas/Nicholas Romain Quentin Florian Sven Jesper Mark",
              "Emilie/Émilie Sarah Laura Julie Jessica Lisa Anna Sophie Charlotte Amandine",
              "Martin Dubois Lefebvre/Lefevre Klein Becker Schmidt/Schmitt Mueller/Müller/Muller "
              "Smith Jones Taylor de_Vries/De_Vries/Devries Jansen/Janssen Andersson/Anderson "
              "Nielsen/Nilsen Peeters/Peters Rossi Garcia/García Hofer"),
        _pool("balkan",
              "Edin Amir Adnan Mirza Armin Emir Lavdrim Arben Blerim Ilir Valon Kenan",
              "Amra Lejla Selma Arta Drita Besa Emina",
              "Hodzic/Hodžić Begic/Begić Mehmedovic/Mehmedović Hasanovic/Hasanović Krasniqi "
              "Berisha Gashi Shala Hoxha/Hodza"),
        _pool("south_asia",
              "Imran Bilal Asad Farhan Zubair/Zubayr Naveed/Navid Tariq/Tarik Usman/Osman Hamza "
              "Junaid",
              "Ayesha Sana Hina Rabia Sadia Nadia Mahnoor Zainab",
              "Khan Qureshi/Quraishi Butt Afridi Ahmadzai Popal Hussain/Husain Malik "
              "Chaudhry/Choudhury Siddiqui/Siddiqi Shah"),
        _pool("malay",
              "Rizki/Rizky Agus Budi Hendra Fajar Dedi Wahyu Arif Eko Fauzi Hafiz Syahrul",
              "Siti Aisyah Dewi Fitri Putri Rina Nurul",
              "Saputra Setiawan Hidayat Nugroho Kurniawan Abdullah Rahman Ismail Hakim Santoso"),
        _pool("uyghur",
              "Abdurehim/Abdurahim Memet Ablikim/Ablikem Tursun Ehmet/Ahmat Yasin Nurmemet "
              "Abdukerim Osman",
              "Gulnur Aygul Mihrigul/Mehrigul Patigul Zulpiye",
              "Tohti/Tokhti Abdukerim Kurban/Qurban Memtimin/Mamtimin Rozi Hoshur/Hoshor "
              "Niyaz/Niyazi"),
        _pool("caribbean",
              "Shane Kareem/Karim Jason Andre/André Tariq Kevin Rasheed Anthony",
              "Aaliyah Keisha Nadia Shenelle",
              "Mohammed Ali Baksh/Bacchus Khan Joseph Phillip/Philip Abdool Hosein/Hussein"),
    )
})

# --------------------------------------------------------------------------- nationalities

# Detainees: Iraqis and Syrians are the majority, then foreign fighters from dozens of states.
NATIONALITY_WEIGHTS: Final[Mapping[str, float]] = MappingProxyType({
    "IQ": 35.0, "SY": 30.0,
    "TN": 3.2, "RU": 2.5, "TR": 2.2, "SA": 2.0, "MA": 1.8, "UZ": 1.6, "FR": 1.6,
    "EG": 1.5, "TJ": 1.4, "JO": 1.3, "DE": 1.1, "ID": 1.0, "KZ": 0.9, "LB": 0.9,
    "AZ": 0.8, "LY": 0.8, "DZ": 0.8, "CN": 0.8, "GB": 0.7, "KG": 0.6, "BE": 0.6,
    "YE": 0.6, "NL": 0.5, "SD": 0.5, "SE": 0.4, "PK": 0.4, "AF": 0.4, "PS": 0.4,
    "BA": 0.4, "XK": 0.4, "GE": 0.3, "AT": 0.3, "US": 0.3, "AU": 0.3, "MY": 0.3,
    "KW": 0.3, "DK": 0.2, "ES": 0.2, "IT": 0.2, "CA": 0.2, "TT": 0.2, "PH": 0.2,
    "SO": 0.2, "AL": 0.2, "MK": 0.2, "FI": 0.1, "NO": 0.1, "CH": 0.1, "IE": 0.1,
    "IN": 0.1, "UA": 0.1, "BH": 0.1,
})

# Camp residents: overwhelmingly Iraqi and Syrian, foreigners mostly in Roj and the annex.
CAMP_NATIONALITY_WEIGHTS: Final[Mapping[str, float]] = MappingProxyType({
    "IQ": 45.0, "SY": 40.0,
    "RU": 1.5, "TR": 1.2, "TN": 1.2, "TJ": 1.0, "UZ": 1.0, "MA": 0.8, "KZ": 0.6,
    "FR": 0.6, "DE": 0.5, "EG": 0.5, "ID": 0.5, "AZ": 0.4, "KG": 0.4, "NL": 0.3,
    "BE": 0.3, "CN": 0.3, "GB": 0.2, "SE": 0.2, "SA": 0.2, "DZ": 0.2, "LB": 0.2,
    "JO": 0.2, "AU": 0.1, "US": 0.1, "CA": 0.1, "BA": 0.1, "XK": 0.1, "TT": 0.1,
    "GE": 0.1, "PK": 0.1, "AT": 0.1, "DK": 0.05, "FI": 0.05, "MY": 0.05, "YE": 0.05,
})

STYLES: Final[tuple[str, ...]] = (
    "iraqi", "classical", "levantine", "gulf", "egyptian", "maghrebi", "foreign",
)

SPELLING_HABITS: Final[tuple[SpellingHabit, ...]] = (
    SpellingHabit("scholarly", 0, "al-"),
    SpellingHabit("assimilated", 0, "al-", assimilate=True, bin_word="ibn"),
    SpellingHabit("anglophone", 1, "Al-"),
    SpellingHabit("anglophone_spaced", 1, "Al ", umm="Um"),
    SpellingHabit("compact", 1, "Al", umm="Um"),
    SpellingHabit("francophone", 2, "El ", abu="Abou", umm="Oum", bin_word="Ben",
                  bint_word="Bent"),
    SpellingHabit("phonetic", 3, "el ", abu="Abo", umm="Om", bin_word="ibn"),
)

_HABIT_WEIGHTS: Final[Mapping[str, tuple[float, ...]]] = {
    #            schol assim anglo spaced compact franco phonetic
    "arab": (0.20, 0.05, 0.35, 0.15, 0.15, 0.02, 0.08),
    "levant": (0.15, 0.05, 0.30, 0.15, 0.10, 0.10, 0.15),
    "maghreb": (0.10, 0.00, 0.15, 0.00, 0.00, 0.70, 0.05),
    "foreign": (0.20, 0.00, 0.60, 0.00, 0.10, 0.00, 0.10),
}
_HABIT_GROUP: Final[Mapping[str, str]] = {
    **dict.fromkeys(("TN", "DZ", "MA", "FR", "BE"), "maghreb"),
    **dict.fromkeys(("SY", "LB", "JO", "PS"), "levant"),
}

_W = tuple[tuple[str, float], ...]
_CULTURE: Final[Mapping[str, _W]] = {
    **dict.fromkeys(("RU", "GE"), (("caucasus", 0.9), ("arab", 0.1))),
    "UA": (("caucasus", 0.5), ("western", 0.3), ("arab", 0.2)),
    "AZ": (("azeri", 0.95), ("arab", 0.05)),
    **dict.fromkeys(("UZ", "TJ", "KZ", "KG"), (("central_asia", 0.95), ("arab", 0.05))),
    "TR": (("turkish", 0.95), ("arab", 0.05)),
    **dict.fromkeys(("FR", "BE", "NL", "ES", "IT"), (("arab", 0.6), ("western", 0.4))),
    **dict.fromkeys(("DE", "AT", "CH"), (("arab", 0.45), ("turkish", 0.2), ("western", 0.35))),
    **dict.fromkeys(("SE", "DK", "NO", "FI"), (("arab", 0.55), ("western", 0.35),
                                               ("balkan", 0.1))),
    **dict.fromkeys(("GB", "IE"), (("south_asia", 0.35), ("arab", 0.3), ("western", 0.35))),
    **dict.fromkeys(("US", "CA", "AU"), (("arab", 0.45), ("western", 0.4),
                                         ("south_asia", 0.15))),
    "TT": (("caribbean", 1.0),),
    **dict.fromkeys(("ID", "MY", "PH"), (("malay", 1.0),)),
    **dict.fromkeys(("PK", "AF", "IN"), (("south_asia", 1.0),)),
    "CN": (("uyghur", 1.0),),
    **dict.fromkeys(("BA", "XK", "AL", "MK"), (("balkan", 1.0),)),
}
_STYLE_BY_COUNTRY: Final[Mapping[str, _W]] = {
    "IQ": (("iraqi", 0.75), ("classical", 0.25)),
    "SY": (("levantine", 0.55), ("iraqi", 0.30), ("classical", 0.15)),
    **dict.fromkeys(("SA", "KW", "BH", "QA", "AE", "OM"), (("gulf", 0.8), ("classical", 0.2))),
    "YE": (("classical", 0.5), ("gulf", 0.5)),
    **dict.fromkeys(("EG", "SD", "SO"), (("egyptian", 0.85), ("classical", 0.15))),
    **dict.fromkeys(("JO", "LB", "PS"), (("levantine", 0.85), ("classical", 0.15))),
    "LY": (("gulf", 0.5), ("levantine", 0.3), ("classical", 0.2)),
    **dict.fromkeys(("TN", "DZ", "MA", "FR", "BE", "NL", "ES", "IT"),
                    (("maghrebi", 0.85), ("classical", 0.15))),
}
_DEFAULT_STYLE: Final[_W] = (("levantine", 0.7), ("classical", 0.3))
_NISBA_REGION: Final[Mapping[str, str]] = {
    "IQ": "iq", "SY": "sy", "YE": "ye", "LY": "ly",
    **dict.fromkeys(("SA", "KW", "BH", "QA", "AE", "OM"), "gulf"),
    **dict.fromkeys(("EG", "SD", "SO"), "eg"),
    **dict.fromkeys(("JO", "LB", "PS"), "levant"),
    **dict.fromkeys(("TN", "DZ", "MA", "FR", "BE", "NL", "ES", "IT"), "maghreb"),
}
# style -> (number of ancestors, probability of the grandfather, probability of a nisba,
#           bin/bint connectors in the primary rendering)
_STYLE_SHAPE: Final[Mapping[str, tuple[int, float, float, bool]]] = {
    "iraqi": (2, 1.0, 0.9, False),
    "classical": (2, 1.0, 0.8, True),
    "levantine": (2, 0.3, 0.95, False),
    "gulf": (2, 1.0, 0.95, False),
    "egyptian": (2, 1.0, 0.3, False),
    "maghrebi": (1, 0.0, 1.0, True),
}

# fmt: on

# --------------------------------------------------------------------------- helpers


def _cum(weights: Sequence[float]) -> tuple[float, ...]:
    return tuple(accumulate(weights))


_MALE_CUM: Final = _cum([e.weight for e in MALE_GIVEN_NAMES])
_FEMALE_CUM: Final = _cum([e.weight for e in FEMALE_GIVEN_NAMES])
_CLASSICAL_CUM: Final = _cum([e.weight for e in CLASSICAL_KUNYA_EPONYMS])
_NISBAS_BY_REGION: Final[Mapping[str, tuple[tuple[NisbaEntry, ...], tuple[float, ...]]]] = {
    region: (
        tuple(e for e in FAMILY_NISBAS if region in e.regions),
        _cum([e.weight for e in FAMILY_NISBAS if region in e.regions]),
    )
    for region in ("iq", "sy", "gulf", "ye", "eg", "levant", "ly", "maghreb")
}
_SUN_DIGRAPHS: Final = ("Sh", "Th", "Dh")
_SUN_LETTERS: Final = "TDRZSNL"


def _pick(rng: random.Random, items: Sequence[_T], cum: Sequence[float]) -> _T:
    return rng.choices(items, cum_weights=cum, k=1)[0]


def _pick_w(rng: random.Random, options: _W) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options], k=1)[0]


def _male(rng: random.Random) -> NameEntry:
    return _pick(rng, MALE_GIVEN_NAMES, _MALE_CUM)


def _female(rng: random.Random) -> NameEntry:
    return _pick(rng, FEMALE_GIVEN_NAMES, _FEMALE_CUM)


def _by_rank(variants: tuple[str, ...], rank: int) -> str:
    return variants[min(rank, len(variants) - 1)]


def _article(stem: str, habit: SpellingHabit, style: str) -> str:
    art = "" if style == "maghrebi" and habit.code == "francophone" else habit.article
    if not art:
        return stem
    if art == "Al":
        return "Al-" + stem if " " in stem else "Al" + stem.lower()
    if habit.assimilate:
        head = stem[:2] if stem[:2] in _SUN_DIGRAPHS else stem[:1]
        if head[:1] in _SUN_LETTERS and head != "L":
            return f"a{head.lower()}-{stem}"
    return art + stem


def _feminine_stem(stem: str) -> str:
    if stem.endswith(("i", "y")):
        return stem[:-1] + "iyya"
    return stem + "a"


def _feminine_surname(surname: str) -> str:
    return surname + "a" if surname.endswith(("ov", "ev", "in")) else surname


# --------------------------------------------------------------------------- rendering


def _render_kunya(kp: KunyaParts, habit: SpellingHabit, choose: _Chooser) -> tuple[str, str]:
    head, head_ar = (habit.umm, "أم") if kp.female else (habit.abu, "أبو")
    latin = f"{head} {choose(kp.eponym.variants)}"
    arabic = f"{head_ar} {kp.eponym.arabic}"
    if kp.nisba is not None:
        stem = choose(kp.nisba.stems)
        nisba_ar = kp.nisba.arabic
        if kp.female:
            stem, nisba_ar = _feminine_stem(stem), nisba_ar + "ة"
        latin += " " + _article(stem, habit, "")
        arabic += " " + nisba_ar
    return latin, arabic


def _render(
    parts: NameParts,
    habit: SpellingHabit,
    choose: _Chooser,
    *,
    connectors: bool,
    grandfather: bool,
    surname_first: bool = False,
) -> GeneratedName:
    female = parts.sex == "F"
    ism = choose(parts.ism.variants)
    chain = parts.nasab if grandfather else parts.nasab[:1]
    nasab = tuple(choose(e.variants) for e in chain)
    nisba = _article(choose(parts.nisba.stems), habit, parts.style) if parts.nisba else None
    surname: str | None = None
    if parts.surname is not None:
        surname = choose(parts.surname.variants)
        pool = FOREIGN_NAME_POOLS.get(parts.pool or "")
        if female and pool is not None and pool.feminize_surnames:
            surname = _feminine_surname(surname)
    tokens = [ism]
    ar_tokens: list[str | None] = [parts.ism.arabic]
    for i, (latin, entry) in enumerate(zip(nasab, chain, strict=True)):
        if connectors:
            tokens.append(habit.bint_word if female and i == 0 else habit.bin_word)
            ar_tokens.append("بنت" if female and i == 0 else "بن")
        tokens.append(latin)
        ar_tokens.append(entry.arabic)
    family = nisba or surname
    if nisba is not None and parts.nisba is not None:
        ar_tokens.append(parts.nisba.arabic)
    if surname is not None:
        ar_tokens.append(None)
    full_latin = " ".join(tokens + ([family] if family else []))
    if surname_first and family:
        full_latin = f"{family.upper()}, {' '.join(tokens)}"
    full_arabic = (
        None
        if any(t is None for t in ar_tokens)
        else " ".join(t for t in ar_tokens if t is not None)
    )
    kunya = kunya_ar = None
    if parts.kunya is not None:
        kunya, kunya_ar = _render_kunya(parts.kunya, habit, choose)
    return GeneratedName(
        full_latin=full_latin,
        full_arabic=full_arabic,
        ism=ism,
        nasab=nasab,
        nisba=nisba,
        kunya=kunya,
        ism_arabic=parts.ism.arabic,
        nasab_arabic=tuple(e.arabic for e in chain if e.arabic is not None),
        nisba_arabic=parts.nisba.arabic if parts.nisba else None,
        kunya_arabic=kunya_ar,
        surname=surname,
    )


def _render_mother(parts: NameParts, choose: _Chooser) -> tuple[str, str | None]:
    latin = choose(parts.mother.variants)
    arabic = parts.mother.arabic
    second = parts.mother_second
    if second is not None:
        extra = choose(second.variants)
        pool = FOREIGN_NAME_POOLS.get(parts.pool or "")
        if pool is not None and pool.feminize_surnames:
            extra = _feminine_surname(extra)
        latin = f"{latin} {extra}"
        arabic = f"{arabic} {second.arabic}" if arabic and second.arabic else None
    return latin, arabic


# --------------------------------------------------------------------------- generation


def sample_nationality(rng: random.Random, *, camp: bool = False) -> str:
    """Draw an ISO alpha-2 nationality from the detainee (or camp) weights."""
    weights = CAMP_NATIONALITY_WEIGHTS if camp else NATIONALITY_WEIGHTS
    return rng.choices(list(weights), weights=list(weights.values()), k=1)[0]


def _normalize_sex(sex: str) -> str:
    s = sex.strip().upper()
    if s in ("M", "MALE"):
        return "M"
    if s in ("F", "FEMALE"):
        return "F"
    raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")


def _kunya_nisba(
    rng: random.Random, nationality: str, nisba: NisbaEntry | None, local: bool
) -> NisbaEntry:
    if not local:
        origin = ORIGIN_NISBAS.get(nationality)
        return origin if origin is not None and rng.random() < 0.7 else _MUHAJIR
    roll = rng.random()
    if nisba is not None and roll < 0.5:
        return nisba
    origin = ORIGIN_NISBAS.get(nationality)
    return origin if origin is not None and roll < 0.8 else _ANSARI


def _maybe_kunya(
    rng: random.Random,
    female: bool,
    nationality: str,
    nisba: NisbaEntry | None,
    nisba_p: float = 0.4,
) -> KunyaParts | None:
    p = 0.5 if female else (0.7 if nationality in ("IQ", "SY") else 0.85)
    return _make_kunya(rng, female, nationality, nisba, nisba_p) if rng.random() < p else None


def _make_kunya(
    rng: random.Random,
    female: bool,
    nationality: str,
    nisba: NisbaEntry | None,
    nisba_p: float = 0.4,
) -> KunyaParts:
    local = nationality in ("IQ", "SY")
    if female:
        eponym = _male(rng) if rng.random() < 0.8 else _female(rng)
    elif rng.random() < 0.55:
        eponym = _male(rng)
    else:
        eponym = _pick(rng, CLASSICAL_KUNYA_EPONYMS, _CLASSICAL_CUM)
    kn = _kunya_nisba(rng, nationality, nisba, local) if rng.random() < nisba_p else None
    return KunyaParts(female, eponym, kn)


def generate_person_name(
    rng: random.Random, *, sex: str, nationality: str, style: str | None = None
) -> PersonNames:
    """Generate a synthetic person's names.

    ``sex`` is "M" or "F"; ``nationality`` an ISO alpha-2 code; ``style`` one of
    :data:`STYLES` or ``None`` to draw one typical of the nationality.
    """
    sex = _normalize_sex(sex)
    female = sex == "F"
    nationality = nationality.upper()
    if style is not None and style not in STYLES:
        raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")
    culture = _pick_w(rng, _CULTURE.get(nationality, (("arab", 1.0),)))
    if style is None:
        style = (
            "foreign"
            if culture != "arab"
            else _pick_w(rng, _STYLE_BY_COUNTRY.get(nationality, _DEFAULT_STYLE))
        )
    elif style == "foreign" and culture == "arab":
        culture = "western"
    elif style != "foreign" and culture != "arab":
        culture = "arab"

    if style == "foreign":
        pool = FOREIGN_NAME_POOLS[culture]
        ism = rng.choice(pool.female if female else pool.male)
        no_surname = culture == "malay" and rng.random() < 0.35
        surname = None if no_surname else rng.choice(pool.surnames)
        mother = rng.choice(pool.female)
        mother_second = rng.choice(pool.surnames) if rng.random() < 0.5 else None
        kunya = _maybe_kunya(rng, female, nationality, None, nisba_p=0.6)
        parts = NameParts(
            sex=sex,
            style=style,
            ism=ism,
            nasab=(),
            nisba=None,
            surname=surname,
            kunya=kunya,
            mother=mother,
            mother_second=mother_second,
            connectors=False,
            pool=culture,
        )
        group = "foreign"
    else:
        n_anc, p_grand, p_nisba, connectors = _STYLE_SHAPE[style]
        ism = _female(rng) if female else _male(rng)
        nasab: tuple[NameEntry, ...] = (_male(rng),)
        if n_anc > 1 and rng.random() < p_grand:
            nasab += (_male(rng),)
        region = _NISBA_REGION.get(nationality, "levant")
        if style == "maghrebi":
            region = "maghreb"
            connectors = rng.random() < 0.5
            if not connectors:
                nasab = ()
        pool_items, pool_cum = _NISBAS_BY_REGION[region]
        nisba = _pick(rng, pool_items, pool_cum) if rng.random() < p_nisba else None
        mother_second = _male(rng) if rng.random() < 0.6 else None
        kunya = _maybe_kunya(rng, female, nationality, nisba)
        parts = NameParts(
            sex=sex,
            style=style,
            ism=ism,
            nasab=nasab,
            nisba=nisba,
            surname=None,
            kunya=kunya,
            mother=_female(rng),
            mother_second=mother_second,
            connectors=connectors,
        )
        group = _HABIT_GROUP.get(nationality, "arab")
    habit = rng.choices(SPELLING_HABITS, weights=_HABIT_WEIGHTS[group], k=1)[0]

    def choose(variants: tuple[str, ...]) -> str:
        return _by_rank(variants, habit.rank)

    primary = _render(parts, habit, choose, connectors=parts.connectors, grandfather=True)
    mother_latin, mother_arabic = _render_mother(parts, choose)
    return PersonNames(sex, nationality, style, habit, primary, mother_latin, mother_arabic, parts)


def spelling_variant_record(rng: random.Random, name: PersonNames) -> GeneratedName:
    """Render the same person as another clerk would, keeping the Arabic-script form.

    Changes transliteration variants part by part, the article, the bin/ibn
    connectors, may drop the grandfather or write the family name first. The
    result always differs from ``name.full_latin``.
    """
    parts = name.parts
    original = name.primary

    def finish(cand: GeneratedName) -> GeneratedName:
        return replace(
            cand,
            full_arabic=original.full_arabic,
            ism_arabic=original.ism_arabic,
            nasab_arabic=original.nasab_arabic,
            nisba_arabic=original.nisba_arabic,
            kunya_arabic=original.kunya_arabic,
        )

    for _ in range(12):
        habit = rng.choice(SPELLING_HABITS)
        keep = rng.random() * 0.6

        def choose(
            variants: tuple[str, ...], habit: SpellingHabit = habit, keep: float = keep
        ) -> str:
            if len(variants) > 1 and rng.random() >= keep:
                return rng.choice(variants)
            return _by_rank(variants, habit.rank)

        connectors = parts.connectors if rng.random() < 0.6 else not parts.connectors
        grandfather = len(parts.nasab) < 2 or rng.random() < 0.65
        cand = _render(
            parts,
            habit,
            choose,
            connectors=connectors,
            grandfather=grandfather,
            surname_first=rng.random() < 0.08,
        )
        if cand.full_latin != original.full_latin:
            return finish(cand)
    cand = _render(
        parts,
        name.habit,
        lambda v: _by_rank(v, name.habit.rank),
        connectors=parts.connectors,
        grandfather=True,
        surname_first=True,
    )
    if cand.full_latin == original.full_latin:
        upper = original.full_latin.upper()
        text = upper if upper != original.full_latin else original.full_latin.lower()
        cand = replace(cand, full_latin=text)
    return finish(cand)


def spelling_variant(rng: random.Random, name: PersonNames) -> str:
    """A different Latin rendering of the same name (for simulated duplicate records)."""
    return spelling_variant_record(rng, name).full_latin


def alias_record(rng: random.Random, name: PersonNames) -> Alias:
    """A nom de guerre: kunya plus nisba of origin ("Abu Muslim al-Shishani")."""
    parts = name.parts
    female = parts.sex == "F"
    kunya = parts.kunya
    if kunya is None or rng.random() < 0.7:
        kunya = _make_kunya(rng, female, name.nationality, parts.nisba)
    nisba = kunya.nisba
    if nisba is None or rng.random() < 0.5:
        local = name.nationality in ("IQ", "SY")
        nisba = _kunya_nisba(rng, name.nationality, parts.nisba, local)
    habit = name.habit if rng.random() < 0.6 else rng.choice(SPELLING_HABITS)
    latin, arabic = _render_kunya(
        replace(kunya, nisba=nisba), habit, lambda v: _by_rank(v, habit.rank)
    )
    return Alias(latin, arabic)


def alias_name(rng: random.Random, name: PersonNames) -> str:
    """Latin form of :func:`alias_record`."""
    return alias_record(rng, name).latin
