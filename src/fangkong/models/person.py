"""People, households, key-group memberships, per-grid counts, the personal-data access log.

Identity numbers and phones are stored three ways, never in clear: AES-GCM ciphertext
(``*_enc``), a keyed hash for exact lookup (``*_hash``) and the masked form lists show
(``*_masked``). See ``fangkong.people.protect``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base, CreatedAt, region_code_type
from fangkong.models.retention import (
    Constant,
    DeidentifyAfterEmergency,
    DeleteAfterEmergency,
    DeleteOlderThan,
    NotPurged,
    PolicyWindow,
    SettingsWindow,
    TaggedId,
    retention,
)

BigId = BigInteger().with_variant(Integer, "sqlite")
# The person registry is de-identified (去标识化) this many days after the emergency ends.
REGISTRY_WINDOW = PolicyWindow("registry_days_after_end")
PLACEHOLDER = "***"  # what a de-identified name, address or ID number shows


def _enum(cls: type[enum.StrEnum], length: int = 24) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class IdType(enum.StrEnum):
    RESIDENT_ID = "resident_id"  # 居民身份证
    PASSPORT = "passport"  # 护照
    HK_MACAO_PERMIT = "hk_macao_permit"  # 港澳居民来往内地通行证
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"  # 港澳台居民居住证


class PersonStatus(enum.StrEnum):
    ACTIVE = "active"
    MERGED = "merged"


class KeyGroup(enum.StrEnum):
    """重点人群: categories tested on a schedule (POLICY.md names their intervals)."""

    COLD_CHAIN = "cold_chain"  # 进口冷链从业人员
    PORT = "port"  # 口岸工作人员
    TRANSPORT = "transport"  # 交通运输从业人员
    MEDICAL = "medical"  # 医疗机构工作人员
    QUARANTINE_SITE = "quarantine_site"  # 隔离场所工作人员
    DELIVERY = "delivery"  # 快递外卖人员
    MARKET = "market"  # 农贸市场从业人员
    SCHOOL = "school"  # 学校教职员工
    ELDERLY_CARE = "elderly_care"  # 养老机构工作人员
    SERVICE = "service"  # 商超、酒店等服务人员
    CONSTRUCTION = "construction"  # 建筑工地人员


class DuplicateStatus(enum.StrEnum):
    OPEN = "open"
    MERGED = "merged"
    DISMISSED = "dismissed"


class Household(CreatedAt, Base):
    """户: people living at one address, in exactly one grid."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    grid_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    # 户号: the household's number in the grid's own books; imports match households by it.
    ref: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(200))
    head_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("people.id", use_alter=True, ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        Index("ix_households_grid_code", "grid_code", "id"),
        Index("ix_households_grid_ref", "grid_code", "ref", unique=True),
        retention(
            DeidentifyAfterEmergency(
                REGISTRY_WINDOW, {"address": Constant(PLACEHOLDER), "ref": Constant(None)}
            )
        ),
    )


class Person(CreatedAt, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Bytewise ("C") on PostgreSQL too, so a name prefix is an index range on both backends.
    name: Mapped[str] = mapped_column(
        String(64).with_variant(String(64, collation="C"), "postgresql")
    )
    id_type: Mapped[IdType] = mapped_column(_enum(IdType), default=IdType.RESIDENT_ID)
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_hash: Mapped[str] = mapped_column(String(64))
    id_number_masked: Mapped[str] = mapped_column(String(32))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    phone_masked: Mapped[str | None] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(1))  # GB/T 2261.1
    birth_date: Mapped[date] = mapped_column(Date)
    registration_code: Mapped[str | None] = mapped_column(String(6))  # 户籍地, ID digits 1-6
    address: Mapped[str | None] = mapped_column(String(200))
    grid_code: Mapped[str] = mapped_column(region_code_type(), ForeignKey("regions.code"))
    household_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("households.id", ondelete="SET NULL")
    )
    elderly_alone: Mapped[bool] = mapped_column(Boolean, default=False)  # 独居老人
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)  # 残疾人
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)  # 孕产妇
    chronic_disease: Mapped[bool] = mapped_column(Boolean, default=False)  # 慢性病
    under_three: Mapped[bool] = mapped_column(Boolean, default=False)  # 3岁以下儿童
    migrant: Mapped[bool] = mapped_column(Boolean, default=False)  # 外来人员
    from_abroad: Mapped[bool] = mapped_column(Boolean, default=False)  # 境外来(返)哈
    # Likely duplicates share it: a keyed hash of name, birth date and phone.
    match_key: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[PersonStatus] = mapped_column(_enum(PersonStatus), default=PersonStatus.ACTIVE)
    merged_into_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("people.id"))
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (
        Index("ix_people_id_number_hash", "id_number_hash", unique=True),
        Index("ix_people_phone_hash", "phone_hash"),
        Index("ix_people_match_key", "match_key"),
        # Name prefixes: the grid is in the index, so other districts' namesakes are skipped
        # inside it, without fetching their rows.
        Index("ix_people_name", "name", "grid_code", "id"),
        Index("ix_people_grid_code", "grid_code", "id"),
        # Name prefixes inside a grid or community: equality on the grid, then the name range.
        Index("ix_people_grid_name", "grid_code", "name", "id"),
        Index("ix_people_household_id", "household_id"),
        # The records merged into a person (a trajectory reads their scans too): few rows.
        Index(
            "ix_people_merged_into",
            "merged_into_id",
            sqlite_where=text("merged_into_id IS NOT NULL"),
            postgresql_where=text("merged_into_id IS NOT NULL"),
        ),
        # Sex, birth date, grid and the flags stay: the seven counts are built from them.
        retention(
            DeidentifyAfterEmergency(
                REGISTRY_WINDOW,
                {
                    "name": Constant(PLACEHOLDER),
                    "id_number_enc": Constant(b""),
                    "id_number_hash": TaggedId("purged:"),
                    "id_number_masked": Constant(PLACEHOLDER),
                    "phone_enc": Constant(None),
                    "phone_hash": Constant(None),
                    "phone_masked": Constant(None),
                    "registration_code": Constant(None),
                    "address": Constant(None),
                    "match_key": Constant(None),
                },
            )
        ),
    )


class KeyGroupMembership(CreatedAt, Base):
    __tablename__ = "key_group_memberships"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    group: Mapped[KeyGroup] = mapped_column(_enum(KeyGroup))
    employer: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        Index("ix_key_group_memberships_person_id", "person_id"),
        Index("ix_key_group_memberships_group", "group", "person_id"),
        retention(DeidentifyAfterEmergency(REGISTRY_WINDOW, {"employer": Constant(None)})),
    )


class GridCounts(Base):
    """The seven counts (七个底数清) of one grid, kept current by the services that change them.

    A region's counts are the sum over the grids under it (a prefix range), so a parent always
    equals the sum of its children and the city total reads a few thousand rows, not people.
    """

    __tablename__ = "grid_counts"

    grid_code: Mapped[str] = mapped_column(
        region_code_type(), ForeignKey("regions.code", ondelete="CASCADE"), primary_key=True
    )
    households: Mapped[int] = mapped_column(Integer, default=0)
    residents: Mapped[int] = mapped_column(Integer, default=0)
    vulnerable: Mapped[int] = mapped_column(Integer, default=0)
    migrants: Mapped[int] = mapped_column(Integer, default=0)
    arrivals_from_abroad: Mapped[int] = mapped_column(Integer, default=0)
    home_isolated_or_monitored: Mapped[int] = mapped_column(Integer, default=0)
    positives_and_centrally_isolated: Mapped[int] = mapped_column(Integer, default=0)
    key_groups: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (retention(NotPurged(N_("counts per grid, no row names a person"))),)


class PersonAccess(Base):
    """Every opening of a record, reveal of a number and search by ID number or phone."""

    __tablename__ = "person_access_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=clock.now)
    user_id: Mapped[int | None] = mapped_column()
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(BigId)
    region_code: Mapped[str] = mapped_column(region_code_type())
    request_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_person_access_log_person_id", "person_id", "id"),
        Index("ix_person_access_log_user_id", "user_id", "id"),
        Index("ix_person_access_log_region_code", "region_code", "id"),
        retention(DeleteOlderThan("at", SettingsWindow("retention_access_log_days"))),
    )


class DuplicateCandidate(CreatedAt, Base):
    """Two records that are likely the same person, waiting for an officer's decision."""

    __tablename__ = "duplicate_candidates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(BigId, ForeignKey("people.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str] = mapped_column(region_code_type())
    status: Mapped[DuplicateStatus] = mapped_column(
        _enum(DuplicateStatus), default=DuplicateStatus.OPEN
    )
    decided_by: Mapped[int | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_duplicate_candidates_pair", "person_id", "other_id", unique=True),
        Index("ix_duplicate_candidates_region", "status", "region_code", "id"),
        retention(DeleteAfterEmergency(REGISTRY_WINDOW)),
    )
