"""Column helpers shared by the model modules."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, cast

import sqlalchemy as sa

from caseflow.clock import utcnow
from caseflow.extensions import Base, db

if TYPE_CHECKING:
    Model = Base  # what db.Model is, as the type checker can see it
else:
    Model = db.Model


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """Return a portable Enum type stored as its values and backed by a CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def table_of(model: type[Model]) -> sa.Table:
    """Return a model's table, typed as the Table it is (Core inserts, updates and COPY take it)."""
    return cast(sa.Table, model.__table__)


def now_default() -> datetime:
    """Return the injectable clock's current time, for column defaults."""
    return utcnow()


class SealedText(sa.types.TypeDecorator[str]):
    """Text stored sealed (AES-256-GCM under a key derived from the KEK for this purpose), read back in clear.

    For staff-written content that names people (interviewees, interview summaries); values stored before
    sealing existed are read as they are.
    """

    impl = sa.Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        """Seal a value on its way to the database."""
        from caseflow.crypto import seal_secret

        return None if value is None else seal_secret(self.purpose, value)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        """Open a stored value."""
        from caseflow.crypto import open_secret

        return None if value is None else open_secret(self.purpose, value)
