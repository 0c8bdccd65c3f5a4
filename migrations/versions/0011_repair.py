"""repair databases created at an earlier commit of main: bring the tables of 0001/0002 to the schema
0002 creates as it is now (dashboard_cells.by_office, index columns, sealed column lengths, the full-text
objects); only what is missing or different is changed, so a database created at head is left as it is

Revision ID: 0011_repair
Revises: 0010_people_index
Create Date: 2026-12-01 23:55:00

0001 and 0002 were edited after databases had been made with them: such a database reports 0002 but
lacks what the edits added. ``repair`` inspects and fixes; migrations/env.py also runs it (with
``before_people``) on a database stamped 0002 before 0003_people runs, since 0003_people drops an index
some of those databases never had; on a database stamped 0001 it replays 0001 as it is now creating only
what is missing (``replay_initial``), so that 0002 finds the tables it alters. Plain SQLAlchemy only:
a revision must not change meaning when the application's code changes.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from alembic.migration import MigrationContext
from alembic.operations import Operations

revision = "0011_repair"
down_revision = "0010_people_index"
branch_labels = None
depends_on = None

# Index columns as 0002 creates them now (earlier versions lacked by_office and office_id).
INDEXES = {
    "dashboard_cells": ("ix_dashboard_cells_month", ["month", "by_office", "office_id"]),
    "dashboard_durations": ("ix_dashboard_durations_month", ["month", "dims", "office_id"]),
}
DASHBOARD_TABLES = ["dashboard_cells", "dashboard_durations", "dashboard_findings", "dashboard_months",
                    "dashboard_stale"]
# The full-text objects as 0001/0002 create them now (a copy: the app's module may change later).
PG_SEARCH = [
    "ALTER TABLE cases ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(summary, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_cases_search_vector ON cases USING gin (search_vector)",
    "DROP INDEX IF EXISTS ix_cases_fulltext",
]
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_fts USING fts5(title, summary, content='cases', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS cases_fts_ai AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); END",
    "CREATE TRIGGER IF NOT EXISTS cases_fts_ad AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_fts(cases_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); END",
    "CREATE TRIGGER IF NOT EXISTS cases_fts_au AFTER UPDATE OF title, summary ON cases BEGIN "
    "INSERT INTO cases_fts(cases_fts, rowid, title, summary) "
    "VALUES ('delete', old.id, old.title, old.summary); "
    "INSERT INTO cases_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary); END",
]
SQLITE_TRIGGERS = {"cases_fts_ai", "cases_fts_ad", "cases_fts_au"}


def _columns(connection: sa.Connection, table: str) -> dict[str, dict]:
    """Return the reflected columns of a table by name."""
    return {c["name"]: c for c in sa.inspect(connection).get_columns(table)}


def _index_columns(connection: sa.Connection, table: str) -> dict[str, list]:
    """Return {index name: its column names} of a table."""
    return {i["name"]: i["column_names"] for i in sa.inspect(connection).get_indexes(table)}


def _index_exists(connection: sa.Connection, name: str) -> bool:
    """Return whether an index exists, expression indexes included (which reflection skips)."""
    if connection.dialect.name == "postgresql":
        query = "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = :name"
    else:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name"
    return connection.execute(sa.text(query), {"name": name}).first() is not None


def _repair_dashboard(connection: sa.Connection, ops: Operations) -> None:
    """Add dashboard_cells.by_office and the office to both month indexes, where they are missing."""
    if "by_office" not in _columns(connection, "dashboard_cells"):
        # The cells are aggregates the application recomputes; old rows have no by_office meaning.
        for table in DASHBOARD_TABLES:
            connection.execute(sa.table(table).delete())
        with ops.batch_alter_table("dashboard_cells") as batch:
            batch.add_column(sa.Column("by_office", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
        with ops.batch_alter_table("dashboard_cells") as batch:
            batch.alter_column("by_office", existing_type=sa.Boolean(), existing_nullable=False,
                               server_default=None)
    for table, (name, columns) in INDEXES.items():
        present = _index_columns(connection, table)
        if present.get(name) == columns:
            continue
        with ops.batch_alter_table(table) as batch:
            if name in present:
                batch.drop_index(name)
            batch.create_index(name, columns, unique=False)


def _too_short(column: dict, length: int | None) -> bool:
    """Return whether a reflected column is a string shorter than length (None: must be unbounded)."""
    current = getattr(column["type"], "length", None)
    if length is None:
        return current is not None
    return current is not None and current < length


def _repair_sealed_lengths(connection: sa.Connection, ops: Operations) -> None:
    """Widen the columns that hold sealed values (longer than the clear text they replaced)."""
    interviewee = _columns(connection, "interviews").get("interviewee")
    if interviewee is not None and _too_short(interviewee, None):
        with ops.batch_alter_table("interviews") as batch:
            batch.alter_column("interviewee", existing_type=interviewee["type"], type_=sa.Text(),
                               existing_nullable=interviewee["nullable"])
    secret = _columns(connection, "users").get("totp_secret")
    if secret is not None and _too_short(secret, 160):
        with ops.batch_alter_table("users") as batch:
            batch.alter_column("totp_secret", existing_type=secret["type"], type_=sa.String(160),
                               existing_nullable=secret["nullable"])


def _repair_search(connection: sa.Connection) -> None:
    """Create the full-text objects that are missing and fill them from the stored cases."""
    if connection.dialect.name == "postgresql":
        for statement in PG_SEARCH:
            connection.exec_driver_sql(statement)
    elif connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
            "AND name IN ('cases_fts', 'cases_fts_ai', 'cases_fts_ad', 'cases_fts_au')").scalars()
        if set(rows) != SQLITE_TRIGGERS | {"cases_fts"}:
            for statement in SQLITE_SEARCH:
                connection.exec_driver_sql(statement)
            connection.exec_driver_sql("INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')")


def repair(connection: sa.Connection, before_people: bool = False) -> None:
    """Inspect the tables of 0001/0002 and fix only what differs from 0002 as it is now."""
    ops = Operations(MigrationContext.configure(connection))
    _repair_dashboard(connection, ops)
    _repair_sealed_lengths(connection, ops)
    _repair_search(connection)
    if before_people:
        # 0003_people drops this index; 0002 created it only from a later edit on.
        if not _index_exists(connection, "ix_people_full_name_lower"):
            ops.create_index("ix_people_full_name_lower", "people", [sa.text("lower(full_name)")])


class _IdempotentOps:
    """Alembic operations that create only what is missing: for replaying 0001 as it is now."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.ops = Operations(MigrationContext.configure(connection))

    def __getattr__(self, name: str):
        return getattr(self.ops, name)

    def create_table(self, name: str, *items, **kw) -> None:
        """Create a missing table; on an existing one add the nullable columns it lacks."""
        if not sa.inspect(self.connection).has_table(name):
            self.ops.create_table(name, *items, **kw)
            return
        present = _columns(self.connection, name)
        missing = [c for c in items if isinstance(c, sa.Column) and c.name not in present]
        for column in missing:
            if not column.nullable and column.server_default is None:
                raise RuntimeError(f"cannot add NOT NULL column {name}.{column.name} without a default")
            with self.ops.batch_alter_table(name) as batch:
                batch.add_column(column._copy())

    def batch_alter_table(self, name: str, **kw) -> _IdempotentBatch:
        """Return a batch whose create_index skips an index that exists."""
        return _IdempotentBatch(self, name)


class _IdempotentBatch:
    """The batch of _IdempotentOps: only create_index, which 0001 uses."""

    def __init__(self, parent: _IdempotentOps, table: str) -> None:
        self.parent, self.table = parent, table

    def __enter__(self) -> _IdempotentBatch:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def f(self, name: str):
        return self.parent.ops.f(name)

    def create_index(self, name: str, columns, **kw) -> None:
        if not _index_exists(self.parent.connection, str(name)):
            self.parent.ops.create_index(name, self.table, columns, **kw)


def replay_initial(connection: sa.Connection, initial) -> None:
    """Run the given 0001 module's upgrade so that it creates only what an earlier 0001 did not."""
    proxy = _IdempotentOps(connection)
    real = initial.op
    initial.op = proxy
    try:
        initial.upgrade()
    finally:
        initial.op = real


def upgrade():
    repair(op.get_bind())


def downgrade():
    pass  # nothing to undo: the repaired schema is the one 0001 and 0002 create now
