"""Request and response bodies of the people domain (field names: GLOSSARY.md, CONTRACTS.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.fields import MAX_ID, Omissible
from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.models import IdType, KeyGroup

Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
]
Ref = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[0-9A-Za-z\-]+$"
    ),
]
GridCode = Annotated[str, Field(pattern=REGION_CODE_PATTERN)]
RecordRef = Annotated[int, Field(ge=1, le=MAX_ID)]
SexCode = Literal["0", "1", "2", "9"]
DocumentNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)
]
PhoneText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=24)]

FLAGS = ("elderly_alone", "disabled", "pregnant", "chronic_disease", "migrant", "from_abroad")
FlagName = Literal[
    "elderly_alone",
    "disabled",
    "pregnant",
    "chronic_disease",
    "under_three",
    "migrant",
    "from_abroad",
]
RevealField = Literal["id_number", "phone"]


class Flags(BaseModel):
    elderly_alone: bool = False
    disabled: bool = False
    pregnant: bool = False
    chronic_disease: bool = False
    migrant: bool = False
    from_abroad: bool = False


class KeyGroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: KeyGroup
    employer: Text | None = None
    start_date: date | None = None
    end_date: date | None = None


class KeyGroupOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    group: KeyGroup
    employer: str | None
    start_date: date
    end_date: date | None


class PersonCreate(Flags):
    model_config = ConfigDict(extra="forbid")

    name: Name
    id_type: IdType = IdType.RESIDENT_ID
    id_number: DocumentNumber
    sex: SexCode | None = None
    birth_date: date | None = None
    phone: PhoneText | None = None
    address: Text | None = None
    grid_code: GridCode
    household_id: RecordRef | None = None
    key_groups: Annotated[list[KeyGroupIn], Field(max_length=10)] = []


class PersonUpdate(BaseModel):
    """Only the fields sent change; identity (document, sex, birth date) is fixed once set."""

    model_config = ConfigDict(extra="forbid")

    name: Omissible[Name] = None
    phone: PhoneText | None = None  # null clears the phone, the address, the household
    address: Text | None = None
    grid_code: Omissible[GridCode] = None
    household_id: RecordRef | None = None
    elderly_alone: Omissible[bool] = None
    disabled: Omissible[bool] = None
    pregnant: Omissible[bool] = None
    chronic_disease: Omissible[bool] = None
    migrant: Omissible[bool] = None
    from_abroad: Omissible[bool] = None


class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    id_type: IdType
    id_number: str = Field(validation_alias="id_number_masked")
    phone: str | None = Field(validation_alias="phone_masked")
    sex: str
    birth_date: date
    registration_code: str | None
    address: str | None
    grid_code: str
    household_id: int | None
    elderly_alone: bool
    disabled: bool
    pregnant: bool
    chronic_disease: bool
    under_three: bool
    migrant: bool
    from_abroad: bool
    status: str
    merged_into_id: int | None
    created_at: datetime
    updated_at: datetime


class PersonCreated(PersonOut):
    possible_duplicates: list[int] = []


class PersonDetail(PersonOut):
    key_groups: list[KeyGroupOut] = []
    household: HouseholdOut | None = None
    revealed: list[RevealField] = []


class PersonSearch(BaseModel):
    """Exact search: exactly one of ``id_number`` (with its ``id_type``) or ``phone``."""

    model_config = ConfigDict(extra="forbid")

    id_type: IdType = IdType.RESIDENT_ID
    id_number: DocumentNumber | None = None
    phone: PhoneText | None = None


class HouseholdCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grid_code: GridCode
    address: Annotated[Text, StringConstraints(min_length=1)]
    ref: Ref | None = None


class HouseholdUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: Omissible[Annotated[Text, StringConstraints(min_length=1)]] = None
    head_id: RecordRef | None = None  # null clears the head


class HouseholdOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    grid_code: str
    ref: str | None
    address: str
    head_id: int | None


class HouseholdDetail(HouseholdOut):
    members: list[PersonOut] = []


class MemberAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: RecordRef
    head: bool = False


class Counts(BaseModel):
    region_code: str
    households: int
    residents: int
    vulnerable: int
    migrants: int
    arrivals_from_abroad: int
    home_isolated_or_monitored: int
    positives_and_centrally_isolated: int
    key_groups: int


class GridLoad(BaseModel):
    grid_code: str
    grid_name: str
    workers: int
    households: int
    residents: int
    households_per_worker: float | None
    people_per_worker: float | None
    overloaded: bool
    unstaffed: bool


class LedgerMember(BaseModel):
    person: PersonOut
    key_groups: list[str]
    is_head: bool


class LedgerHousehold(BaseModel):
    household: HouseholdOut
    members: list[LedgerMember]


class Ledger(BaseModel):
    grid_code: str
    grid_name: str
    counts: Counts
    workers: list[str]
    households: list[LedgerHousehold]
    without_household: list[LedgerMember]


class AccessOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    user_id: int | None
    username: str
    action: str
    person_id: int | None
    region_code: str


class DuplicateOut(BaseModel):
    id: int
    reason: str
    status: str
    person: PersonOut
    other: PersonOut
    created_at: datetime


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keep_id: RecordRef


PersonDetail.model_rebuild()
