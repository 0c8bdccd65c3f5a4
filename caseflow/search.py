"""Full-text search over case titles and summaries: PostgreSQL tsvector + GIN, SQLite FTS5.

The search objects are not SQLAlchemy tables: they are created by the migration (through
``upgrade_search``/``downgrade_search``, called from every generated revision's template) and by
``db.create_all()`` (DDL events on the cases table), and hidden from Alembic's comparison by
``include_name``.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from caseflow.models import Case

MIN_TERM = 3  # shorter queries fall back to a substring match
MAX_TERMS = 8
FTS_TABLE = "cases_fts"
PG_INDEX = "ix_cases_fulltext"
SEARCH_NAMES = {FTS_TABLE, f"{FTS_TABLE}_data", f"{FTS_TABLE}_idx", f"{FTS_TABLE}_docsize",
                f"{FTS_TABLE}_config", f"{FTS_TABLE}_content", PG_INDEX}
PG_DOCUMENT = "to_tsvector('simple', coalesce(cases.title, '') || ' ' || coalesce(cases.summary, ''))"
NUMBER_RE = re.compile(r"^[A-Za-z]{1,8}-\d{4}(-\d*)?$")
WORD_RE = re.compile(r"\w+", re.UNICODE)

PG_CREATE = [
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON cases USING gin "
    "((to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(summary, ''))))",
]
PG_DROP = [f"DROP INDEX IF EXISTS {PG_INDEX}"]
SQLITE_CREATE = [
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
    "INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{t}" for t in ("ai", "ad", "au")] + \
    [f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def _statements(dialect: str, create: bool) -> list[str]:
    """Return the DDL that creates or drops the search objects on a dialect."""
    if dialect == "postgresql":
        return PG_CREATE if create else PG_DROP
    if dialect == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    return []


def create_search(connection: sa.Connection) -> None:
    """Create (idempotently) the full-text objects and fill them from the existing cases."""
    for statement in _statements(connection.dialect.name, True):
        connection.exec_driver_sql(statement)


def drop_search(connection: sa.Connection) -> None:
    """Drop the full-text objects."""
    for statement in _statements(connection.dialect.name, False):
        connection.exec_driver_sql(statement)


def upgrade_search(op: Any) -> None:
    """Alembic hook: create the search objects after the tables (called by every revision)."""
    create_search(op.get_bind())


def downgrade_search(op: Any) -> None:
    """Alembic hook: drop the search objects before the tables."""
    drop_search(op.get_bind())


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic filter: leave the search objects (not SQLAlchemy tables) out of autogenerate."""
    return not (type_ in ("table", "index") and name in SEARCH_NAMES)


def terms(q: str) -> list[str]:
    """Return the words of a query that full-text search can use."""
    return [w.lower() for w in WORD_RE.findall(q)][:MAX_TERMS]


def search_clause(q: str, dialect: str) -> sa.ColumnElement[bool]:
    """Return the condition matching a search query: case number, full-text words, or substring."""
    q = q.strip()
    words = terms(q)
    if NUMBER_RE.match(q):
        return Case.number.like(f"{q.upper()}%")
    if dialect in ("postgresql", "sqlite") and words and all(len(w) >= MIN_TERM for w in words):
        if dialect == "postgresql":
            query = " & ".join(f"{w}:*" for w in words)
            matched = sa.select(Case.id).where(sa.text(
                f"{PG_DOCUMENT} @@ to_tsquery('simple', :fts_query)").bindparams(fts_query=query))
        else:
            match = " ".join('"' + w.replace('"', "") + '"*' for w in words)
            matched = sa.select(sa.literal_column("rowid")).select_from(sa.table(FTS_TABLE)).where(
                sa.literal_column(FTS_TABLE).op("MATCH")(match))
        digits = [w for w in words if w.isdigit()]
        if digits:  # part of a case number typed among the words, e.g. "00042"
            matched = sa.union(matched, sa.select(Case.id).where(
                sa.or_(*(Case.number.like(f"%{d}%") for d in digits))))
        # OFFSET 0 keeps PostgreSQL from flattening the subquery: the GIN index finds the few matching rows
        # first, instead of the planner walking every case by date and recomputing its text vector.
        return Case.id.in_(sa.select(matched.subquery().c[0]).offset(0))
    like = f"%{q.replace('%', '').replace('_', '')}%"
    return sa.or_(Case.number.ilike(like), Case.title.ilike(like), Case.summary.ilike(like))


@sa.event.listens_for(Case.__table__, "after_create")
def _after_create(target: sa.Table, connection: sa.Connection, **kw: Any) -> None:
    """Create the search objects whenever create_all() creates the cases table."""
    create_search(connection)


@sa.event.listens_for(Case.__table__, "before_drop")
def _before_drop(target: sa.Table, connection: sa.Connection, **kw: Any) -> None:
    """Drop the search objects before drop_all() drops the cases table."""
    drop_search(connection)
