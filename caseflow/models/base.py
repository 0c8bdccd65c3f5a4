"""Column helpers shared by the model modules."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa

from caseflow.clock import utcnow


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


def now_default() -> datetime:
    """Return the injectable clock's current time, for column defaults."""
    return utcnow()
