"""The declarative base every table derives from, with the conventions all tables share."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Named constraints let Alembic's batch mode on SQLite find and alter them in later migrations.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def now() -> datetime:
    """Office-local wall-clock time, second precision (the office works in one time zone)."""
    return datetime.now().replace(microsecond=0)


class Editable:
    """Columns of every table a user edits: who changed it last, when, and an edit counter.

    `version` is SQLAlchemy's version_id_col: an UPDATE carries `WHERE version = <loaded>`, so a
    save based on stale data changes no row and is refused instead of overwriting someone's edit.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now)
    created_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now)
    updated_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805 - SQLAlchemy's declared_attr signature
        return {"version_id_col": cls.version}
