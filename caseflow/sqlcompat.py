"""Dialect-aware statements that SQLite and PostgreSQL both run atomically."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from caseflow.extensions import db


def _insert(table: sa.Table) -> Any:
    """Return the dialect's INSERT construct that supports ON CONFLICT."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignore(table: sa.Table, **values: Any) -> None:
    """Insert a row unless its key already exists."""
    db.session.execute(_insert(table).values(**values).on_conflict_do_nothing())


def increment_counter(table: sa.Table, key_column: str, key: Any, counter_column: str) -> int:
    """Atomically add one to a keyed counter row (creating it at 1) and return the new value."""
    stmt = _insert(table).values({key_column: key, counter_column: 1})
    stmt = stmt.on_conflict_do_update(
        index_elements=[key_column],
        set_={counter_column: table.c[counter_column] + 1},
    ).returning(table.c[counter_column])
    return int(db.session.execute(stmt).scalar_one())


def is_postgres() -> bool:
    """Return whether the session is bound to PostgreSQL."""
    return db.session.get_bind().dialect.name == "postgresql"


def execute_count(statement: Any) -> int:
    """Run an UPDATE or DELETE in the session and return how many rows it changed."""
    result = db.session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
