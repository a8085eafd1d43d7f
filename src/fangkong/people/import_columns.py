"""The columns of the people import and how one row becomes a checked, sealed candidate.

Headers are the template's Chinese ones or the English field names. Values are what offices
type: 是/否 for flags, Chinese labels or the English codes for document types and key groups,
男/女 or the GB/T 2261.1 codes for sex. ``RowParser.parse`` raises the first ``DomainError`` of
a row, in the order of the columns; encryption and hashing happen only once a row is valid.
Parsing is pure (no database), so a large file is parsed in a second process while this one
writes (``import_worker``); whether the grid exists is checked when the batch is written.

Rows arrive as ``tabular`` yields them: every value a stripped string, "" when blank.

A column the file does not carry at all (absent from the header, not blank) leaves an existing
person's value alone; a blank cell means "none" (or "no" for a flag).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple, cast

from fangkong.core.errors import DomainError
from fangkong.core.masking import mask_id_number, mask_phone
from fangkong.core.tabular import MissingColumns, Row, UnknownColumns
from fangkong.models import IdType, KeyGroup
from fangkong.people import errors, validation
from fangkong.people.protect import Protector

COLUMN_HEADERS = {
    "name": "姓名",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "sex": "性别",
    "birth_date": "出生日期",
    "phone": "手机号码",
    "address": "现住址",
    "grid_code": "网格编码",
    "household_ref": "户号",
    "is_head": "户主",
    "elderly_alone": "独居老人",
    "disabled": "残疾人",
    "pregnant": "孕产妇",
    "chronic_disease": "慢性病",
    "migrant": "外来人员",
    "from_abroad": "境外来返",
    "key_group": "重点人群",
    "employer": "工作单位",
}
COLUMNS: dict[str, str] = {name: name for name in COLUMN_HEADERS} | {
    header: name for name, header in COLUMN_HEADERS.items()
}
REQUIRED = frozenset({"name", "id_number", "grid_code"})
FLAGS = ("elderly_alone", "disabled", "pregnant", "chronic_disease", "migrant", "from_abroad")

ID_TYPE_NAMES = {
    "居民身份证": IdType.RESIDENT_ID,
    "护照": IdType.PASSPORT,
    "港澳居民来往内地通行证": IdType.HK_MACAO_PERMIT,
    "台湾居民来往大陆通行证": IdType.TAIWAN_PERMIT,
    "港澳台居民居住证": IdType.HMT_RESIDENCE_PERMIT,
}
KEY_GROUP_NAMES = {
    "进口冷链从业人员": KeyGroup.COLD_CHAIN,
    "口岸工作人员": KeyGroup.PORT,
    "交通运输从业人员": KeyGroup.TRANSPORT,
    "医疗机构工作人员": KeyGroup.MEDICAL,
    "隔离场所工作人员": KeyGroup.QUARANTINE_SITE,
    "快递外卖人员": KeyGroup.DELIVERY,
    "农贸市场从业人员": KeyGroup.MARKET,
    "学校教职员工": KeyGroup.SCHOOL,
    "养老机构工作人员": KeyGroup.ELDERLY_CARE,
    "商超、酒店等服务人员": KeyGroup.SERVICE,
    "建筑工地人员": KeyGroup.CONSTRUCTION,
}
_ID_TYPES: dict[str, IdType] = (
    {"": IdType.RESIDENT_ID} | ID_TYPE_NAMES | {t.value: t for t in IdType}
)
_KEY_GROUPS: dict[str, KeyGroup] = KEY_GROUP_NAMES | {g.value: g for g in KeyGroup}
_SEXES = {"男": "1", "女": "2", "1": "1", "2": "2", "0": "0", "9": "9", "male": "1", "female": "2"}
_YES_NO = {"": False, "否": False, "0": False, "no": False, "false": False, "n": False}
_YES_NO |= {"是": True, "1": True, "yes": True, "true": True, "y": True}

_NO_PHONE = (None, None, None)
_BLANKS = ("",) * len(FLAGS)  # the default of each flag's ``row.get``

MAX_NAME = 64
MAX_TEXT = 200
MAX_REF = 32
ISO_DATE_LENGTH = 10
DATE_CACHE = 1 << 16  # distinct birth dates since 1900: under 50,000


Rejection = tuple[int, str, str]
"""A refused row: line, error code, English message (the error's title)."""


# The ``people`` columns an import inserts, in the order of ``Candidate.values``.
PERSON_COLUMNS = (
    "id",
    "household_id",
    "name",
    "id_type",
    "id_number_enc",
    "id_number_hash",
    "id_number_masked",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "sex",
    "birth_date",
    "registration_code",
    "address",
    "grid_code",
    *FLAGS,
    "under_three",
    "match_key",
)


class Candidate(NamedTuple):
    """A valid row, sealed. ``values`` are the row's ``PERSON_COLUMNS`` (a flag the file lacks
    is False; ``id`` and ``household_id`` are None until the row is written); the fields
    after it repeat what the writer looks at, and what the household and key group need.

    Tuples, not dicts or dataclasses: a large file's candidates cross a pipe, and tuples
    pickle and unpickle in C.
    """

    line: int
    values: tuple[Any, ...]
    id_hash: str
    grid_code: str
    match_key: str | None
    address: str | None
    household_ref: str | None
    is_head: bool
    key_group: KeyGroup | None
    employer: str | None


def check_columns(names: Mapping[str, object]) -> None:
    """Refuse a row source whose keys are not canonical column names (programmatic callers)."""
    unknown = sorted(set(names) - COLUMN_HEADERS.keys())
    if unknown:
        raise UnknownColumns(", ".join(unknown))
    missing = REQUIRED - set(names)
    if missing:
        raise MissingColumns(", ".join(sorted(missing)))


# What ``RowParser._check`` makes of a valid row, before sealing: line, name, ID type (its
# value), number, sex, birth date, registration code, phone, address, grid code, flags, 户号,
# head or not, key group, employer. A plain tuple: a million of them are made per file.
Checked = tuple[Any, ...]


class RowParser:
    """Turns rows into candidates for one import, sealed with its key as of its "today".

    A batch is checked row by row, then sealed as a whole: the AES-GCM nonces of all its IDs
    and phones come from one call (``Protector.encrypt_ids``/``encrypt_phones``)."""

    def __init__(self, *, protector: Protector, today: date) -> None:
        self.protector = protector
        self.today = today
        # Born after it: under three today (``validation.is_under_three``, one comparison).
        self.under_three_after = validation.third_birthday_cutoff(today)

    def parse_batch(
        self, rows: Sequence[tuple[int, Row]]
    ) -> tuple[list[Candidate], list[Rejection]]:
        """The batch's valid rows, the first of each ID only, and the refused rows."""
        checked, refused = self._checked(rows)
        parsed: dict[str, Candidate] = {}
        for candidate in self._sealed(checked):
            if candidate.id_hash in parsed:
                duplicate = errors.DuplicateInFile
                refused.append((candidate.line, duplicate.code, duplicate.title))
            else:
                parsed[candidate.id_hash] = candidate
        return list(parsed.values()), refused

    def parse(self, line: int, row: Mapping[str, str]) -> Candidate:
        """Check every column (the first error raises), then seal the row."""
        return self._sealed([self._check(line, row)])[0]

    def _checked(self, rows: Sequence[tuple[int, Row]]) -> tuple[list[Checked], list[Rejection]]:
        checked, refused = [], []
        for line, row in rows:
            try:
                checked.append(self._check(line, row))
            except DomainError as error:
                refused.append((line, error.code, error.title))
        return checked, refused

    def _check(self, line: int, row: Mapping[str, str]) -> Checked:
        """Every column in order; the first error raises."""
        name = row.get("name", "")
        if not 0 < len(name) <= MAX_NAME:
            raise errors.InvalidName()
        kind, number, sex, born, registration = self._document(row)
        phone = validation.normalize_phone(row.get("phone"))
        flags = self._flags(row)
        ref, is_head, group, employer = self._household_and_group(row)
        address = row.get("address") or None
        if address is not None and len(address) > MAX_TEXT:
            raise errors.FieldTooLong()
        grid_code = row.get("grid_code", "")
        return (line, name, kind, number, sex, born, registration, phone, address, grid_code,
                flags, ref, is_head, group, employer)  # fmt: skip

    def _sealed(self, checked: list[Checked]) -> list[Candidate]:
        """The checked rows as candidates: IDs and phones encrypted and hashed, a batch at a
        time (each ``Protector`` call loops in one place, not once per row)."""
        protector = self.protector
        id_texts = protector.encrypt_ids([row[3] for row in checked])
        id_hashes = protector.id_hashes([(row[2], row[3]) for row in checked])
        with_phone = [row for row in checked if row[7]]
        phones = [row[7] for row in with_phone]
        sealed_phones = zip(
            protector.encrypt_phones(phones),
            protector.phone_hashes(phones),
            protector.match_keys([(row[1], row[5], row[7]) for row in with_phone]),
            strict=True,
        )
        return [
            self._candidate(row, id_text, id_hash, next(sealed_phones) if row[7] else None)
            for row, id_text, id_hash in zip(checked, id_texts, id_hashes, strict=True)
        ]

    def _candidate(
        self, checked: Checked, id_text: bytes, id_hash: str, phone: tuple[bytes, str, str] | None
    ) -> Candidate:
        """``phone``: the phone's ciphertext, hash and likely-duplicate key, if it has one."""
        (line, name, kind, number, sex, born, registration, number_phone, address, grid_code,
         flags, ref, is_head, group, employer) = checked  # fmt: skip
        phone_values: tuple[bytes | None, str | None, str | None] = _NO_PHONE
        match_key = None
        if phone is not None:
            phone_values, match_key = (phone[0], phone[1], mask_phone(number_phone)), phone[2]
        values = (None, None, name, kind, id_text, id_hash, mask_id_number(number), *phone_values,
                  sex, born, registration, address, grid_code, *flags,
                  born > self.under_three_after, match_key)  # fmt: skip
        return Candidate(
            line, values, id_hash, grid_code, match_key, address, ref, is_head, group, employer
        )

    def _document(self, row: Mapping[str, str]) -> tuple[str, str, str, date, str | None]:
        """ID type (its value), number, sex, birth date, registration code."""
        raw_type = row.get("id_type", "")
        kind = _ID_TYPES.get(raw_type) or _ID_TYPES.get(raw_type.lower())
        if kind is None:
            raise errors.UnknownIdType()
        raw_sex = row.get("sex")
        sex = _SEXES.get(raw_sex.lower()) if raw_sex else None
        if raw_sex and sex is None:
            raise errors.InvalidSex()
        born = _date(row.get("birth_date", ""))
        values = validation.document_values(kind, row.get("id_number", ""), sex=sex,
                                            birth_date=born, today=self.today)  # fmt: skip
        return (kind.value, *values)

    def _flags(self, row: Mapping[str, str]) -> list[bool]:
        """The six flags in ``FLAGS`` order; one the file lacks is False."""
        found = [_YES_NO.get(raw) for raw in map(row.get, FLAGS, _BLANKS)]
        if None not in found:  # the common case: each value exactly as the table spells it
            return cast(list[bool], found)
        values = []
        for flag in FLAGS:
            raw = row.get(flag, "")
            value = _YES_NO[raw] if raw in _YES_NO else _YES_NO.get(raw.lower())
            if value is None:
                raise errors.InvalidFlag()
            values.append(value)
        return values

    def _household_and_group(
        self, row: Mapping[str, str]
    ) -> tuple[str | None, bool, KeyGroup | None, str | None]:
        ref = row.get("household_ref") or None
        raw_head = row.get("is_head", "")
        is_head = _YES_NO[raw_head] if raw_head in _YES_NO else _YES_NO.get(raw_head.lower())
        if is_head is None:
            raise errors.InvalidFlag()
        if is_head and ref is None:
            raise errors.HeadWithoutHousehold()
        raw_group = row.get("key_group")
        group = _KEY_GROUPS.get(raw_group) if raw_group else None
        if raw_group and group is None:
            raise errors.InvalidKeyGroup()
        employer = row.get("employer") or None
        if (ref is not None and len(ref) > MAX_REF) or (employer and len(employer) > MAX_TEXT):
            raise errors.FieldTooLong()
        return ref, is_head, group, employer


def text_row(row: Mapping[str, object]) -> Row:
    """A programmatic caller's row as ``tabular`` yields one: stripped strings, "" for None."""
    return {key: "" if value is None else str(value).strip() for key, value in row.items()}


def _date(raw: str) -> date | None:
    """YYYY-MM-DD; an XLSX date cell arrives as ``YYYY-MM-DD 00:00:00`` and is accepted too."""
    if not raw:
        return None
    if len(raw) > ISO_DATE_LENGTH and raw[ISO_DATE_LENGTH] == " ":
        raw = raw[:ISO_DATE_LENGTH]
    return _iso_date(raw)


@lru_cache(maxsize=DATE_CACHE)
def _iso_date(raw: str) -> date:
    """The date of a YYYY-MM-DD text; cached, since a file repeats few dates a million times
    (an error is raised anew each time: ``lru_cache`` keeps only results)."""
    digits = raw[:4] + raw[5:7] + raw[8:]
    if (
        len(raw) != ISO_DATE_LENGTH
        or raw[4] + raw[7] != "--"
        or not (digits.isascii() and digits.isdigit())
    ):
        raise errors.BirthDateFormat()
    try:
        return date(int(raw[:4]), int(raw[5:7]), int(raw[8:]))
    except ValueError:
        raise errors.BirthDateInvalid() from None
