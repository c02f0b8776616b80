"""Boundary models of the registry room (API bodies, service inputs and outputs)."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from custodia.db import MAX_ID
from custodia.registry.models import FacilityKind, NameKind, PersonCategory, Role, Script, Sex

_ISO2 = r"^[A-Z]{2}$"
# Unicode's control characters (category Cc), NUL among them; a regex, as every name a
# page of persons returns is read through here
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _squeezed(value: str, what: str) -> str:
    """``value`` on one line with single spaces; refused when nothing is left (a validator
    run before the field's own checks, so an empty value is named as such: anything but a
    string is left to them)."""
    if not isinstance(value, str):
        return value
    value = " ".join(value.split())
    if not value:
        raise ValueError(f"{what} cannot be blank")
    if _CONTROL.search(value):
        raise ValueError(f"{what} cannot hold control characters such as NUL: type it again")
    return value


class OrganizationIn(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(min_length=1, max_length=64)
    country: str = Field(pattern=_ISO2, description="ISO 3166-1 alpha-2")


class OrganizationOut(OrganizationIn):
    model_config = ConfigDict(from_attributes=True)
    id: int


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    organization_id: int
    role: Role


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    display_name: str
    organization_id: int
    role: Role


class Actor(BaseModel):
    """The authenticated user behind a request."""

    user_id: int
    username: str
    role: Role
    organization_id: int


class FacilityIn(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    kind: FacilityKind
    town: str = Field(min_length=1, max_length=100)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    capacity: int = Field(ge=0)
    authority_id: int


class FacilityOut(FacilityIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    threat_level: int | None = None


class ThreatLevelIn(BaseModel):
    level: int = Field(ge=1, le=5, description="1 calm .. 5 imminent breach")
    effective_at: dt.datetime | None = None
    note: str = ""


class NameIn(BaseModel):
    kind: NameKind = NameKind.PRIMARY
    script: Script = Script.LATIN
    full_name: str = Field(min_length=1, max_length=300)
    ism: str | None = None
    nasab: str | None = None
    nisba: str | None = None
    kunya: str | None = None

    @field_validator("full_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return _squeezed(value, "a name")


class NameOut(NameIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    recorded_at: dt.datetime | None = Field(
        default=None, description="when a name learnt after registration was recorded"
    )
    recorded_by: int | None = Field(default=None, description="the user who recorded it")
    source: str | None = Field(default=None, description="where the name comes from")
    withdrawn_at: dt.datetime | None = Field(
        default=None,
        description="when such a name, found wrong, was withdrawn: it stays here, marked, "
        "and no longer finds or screens the record",
    )
    withdrawn_by: int | None = Field(default=None, description="the user who withdrew it")
    withdrawal_reason: str | None = Field(default=None, description="why it was withdrawn")

    @property
    def current(self) -> bool:
        """Does the name still stand (not withdrawn)?"""
        return self.withdrawn_at is None


class NameAddIn(BaseModel):
    """A name learnt after registration: an alias given at interview, a kunya named in a
    report, a nom de guerre from a seized document."""

    full_name: str = Field(min_length=1, max_length=300)
    kind: NameKind = Field(
        default=NameKind.ALIAS, description="alias, kunya or nom_de_guerre (not primary)"
    )
    script: Script | None = Field(
        default=None, description="Latn or Arab; read from the name's letters when left out"
    )
    source: str = Field(
        min_length=1,
        max_length=300,
        description="where the name comes from, e.g. 'interview 2026-12-01' or a report's "
        "reference: a name without a source is hearsay",
        examples=["interview 2026-12-01, interpreter A."],
    )

    @field_validator("full_name", "source", mode="before")
    @classmethod
    def _not_blank(cls, value: str, info: ValidationInfo) -> str:
        return _squeezed(value, "a name" if info.field_name == "full_name" else "a source")

    @field_validator("kind")
    @classmethod
    def _not_primary(cls, value: NameKind) -> NameKind:
        if value == NameKind.PRIMARY:
            raise ValueError(
                "a record keeps the primary name it was registered under: record this name "
                "as an alias, a kunya or a nom_de_guerre"
            )
        return value


class DocumentIn(BaseModel):
    kind: str = Field(min_length=1, max_length=32, examples=["passport", "national_id"])
    number: str = Field(min_length=1, max_length=64)
    issuing_country: str = Field(pattern=_ISO2)


class PersonIn(BaseModel):
    category: PersonCategory
    sex: Sex = Sex.UNKNOWN
    date_of_birth: str | None = Field(
        default=None, description="YYYY-MM-DD, YYYY-MM, YYYY or a range YYYY/YYYY"
    )
    nationalities: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2")
    risk_tier: int = Field(default=1, ge=1, le=4)
    names: list[NameIn] = Field(min_length=1)
    mother_name: str | None = None
    place_of_birth: str | None = None
    documents: list[DocumentIn] = Field(default_factory=list)

    @field_validator("nationalities")
    @classmethod
    def _iso_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if len(code) != 2 or not code.isalpha() or not code.isupper():
                raise ValueError(f"nationality {code!r} is not an ISO 3166-1 alpha-2 code")
        return sorted(set(value))


class PersonOut(BaseModel):
    id: int
    category: PersonCategory
    sex: Sex
    date_of_birth: str | None
    nationalities: list[str]
    risk_tier: int
    names: list[NameOut]
    mother_name: str | None
    place_of_birth: str | None
    documents: list[DocumentIn]

    @property
    def primary_name(self) -> str:
        for name in self.names:
            if name.kind == NameKind.PRIMARY:
                return name.full_name
        return self.names[0].full_name if self.names else ""


class NameWithdrawalIn(BaseModel):
    reason: str = Field(
        min_length=1,
        max_length=300,
        description="why the name is wrong, e.g. 'the interpreter misheard: Abu Hajar'",
    )

    @field_validator("reason", mode="before")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        return _squeezed(value, "a reason")


class RegisteredPersonOut(PersonOut):
    review_items: list[int] = Field(
        default=[],
        description="review queue items intake raised for this record (or, for a name "
        "recorded later, that name raised): watchlist hits and likely duplicates already in "
        "the registry (GET /identity/queue/{id})",
    )


class PersonQuery(BaseModel):
    name: str | None = None
    nationality: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    category: PersonCategory | None = None
    facility_id: int | None = Field(default=None, le=MAX_ID)
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=MAX_ID)

    @field_validator("nationality")
    @classmethod
    def _iso_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise ValueError(f"nationality {value!r} is not an ISO 3166-1 alpha-2 code")
        return code


class PersonMatches(BaseModel):
    """The page of persons a search asked for, and how many matched in all."""

    persons: list[PersonOut]
    total: int
    total_is_lower_bound: bool = False


class ThreatLevelOut(BaseModel):
    level: int
    effective_at: dt.datetime
    note: str


class TokenIn(BaseModel):
    label: str = Field(default="api", min_length=1, max_length=100)


class TokenInfo(BaseModel):
    """An API token as an administrator sees it: never the token itself, only what tells
    it apart (the system keeps only its hash)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class TokenOut(BaseModel):
    user_id: int
    label: str
    token: str = Field(description="shown only now: the system keeps only its hash")
