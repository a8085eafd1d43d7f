"""Declarative base, naming convention and the column types every table shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Dialect, MetaData, String, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fangkong.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REGION_CODE_LENGTH = 15


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both backends (SQLite would otherwise drop the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def bulk_bind(self, dialect: Dialect) -> Callable[[datetime], str] | None:
        """SQLite's text of an instant for ``db.bulk_insert``, the text the bind processors
        make, in about 0.8 µs against their 1.4 µs (a day's secondary contacts bind hundreds
        of thousands of distinct instants); None elsewhere (PostgreSQL binds the datetime)."""
        return sqlite_instant_text if dialect.name == "sqlite" else None


def sqlite_instant_text(value: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, as SQLAlchemy writes SQLite's DATETIME for a
    ``UTCDateTime``, by the C ``isoformat`` (its offset, always ``+00:00`` here, cut off):
    for the bulk paths that write SQLite's rows themselves."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def region_code_type() -> String:
    """Region codes compare bytewise ("C" collation on PostgreSQL) so prefix ranges work."""
    return String(REGION_CODE_LENGTH).with_variant(
        String(REGION_CODE_LENGTH, collation="C"), "postgresql"
    )


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class CreatedAt:
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
