"""Full-text search over case titles and summaries: PostgreSQL tsvector + GIN, SQLite FTS5.

The search objects are not SQLAlchemy tables or columns: a stored generated ``search_vector`` column with its
GIN index on PostgreSQL, an external-content FTS5 table kept by triggers on SQLite. They are created by the
migrations (``upgrade_search``) and by ``db.create_all()`` (DDL events on the cases table), and hidden from
Alembic's comparison by ``include_name``.

A query runs one of two plans, chosen by counting matches through the index up to a bound: a **rare** term
(at most SELECTIVE_MAX matches) fetches the matching ids from the index first, then the newest of them; a
**common** term walks the cases newest first and checks each row's stored vector, stopping after a page.
Either way the work stays bounded whatever the term's frequency (bench/README.md has the figures).
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa

from caseflow.models import Case

MIN_TERM = 3  # shorter queries fall back to a substring match
MAX_TERMS = 8
SELECTIVE_MAX = 10_000  # above this many matches a term is "common": walk newest first instead
FTS_TABLE = "cases_fts"
PG_COLUMN = "search_vector"
PG_INDEX = "ix_cases_search_vector"
PG_OLD_INDEX = "ix_cases_fulltext"  # the expression index of revision 0001, replaced by the stored column
SEARCH_NAMES = {FTS_TABLE, f"{FTS_TABLE}_data", f"{FTS_TABLE}_idx", f"{FTS_TABLE}_docsize",
                f"{FTS_TABLE}_config", f"{FTS_TABLE}_content", PG_INDEX, PG_OLD_INDEX, PG_COLUMN}
NUMBER_RE = re.compile(r"^[A-Za-z]{1,8}-\d{4}(-\d*)?$")
WORD_RE = re.compile(r"\w+", re.UNICODE)

PG_CREATE = [
    f"ALTER TABLE cases ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(summary, ''))) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON cases USING gin ({PG_COLUMN})",
    f"DROP INDEX IF EXISTS {PG_OLD_INDEX}",
]
PG_DROP = [f"DROP INDEX IF EXISTS {PG_INDEX}", f"DROP INDEX IF EXISTS {PG_OLD_INDEX}",
           f"ALTER TABLE cases DROP COLUMN IF EXISTS {PG_COLUMN}"]
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
    """Alembic hook: create (idempotently) the search objects after the tables."""
    create_search(op.get_bind())


def downgrade_search(op: Any) -> None:
    """Alembic hook: drop the search objects before the tables."""
    drop_search(op.get_bind())


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic filter: leave the search objects (not SQLAlchemy tables) out of autogenerate."""
    return not (type_ in ("table", "index", "column") and name in SEARCH_NAMES)


def terms(q: str) -> list[str]:
    """Return the words of a query that full-text search can use."""
    return [w.lower() for w in WORD_RE.findall(q)][:MAX_TERMS]


def _pg_query(words: list[str]) -> str:
    return " & ".join(f"{w}:*" for w in words)


def _fts_query(words: list[str]) -> str:
    return " ".join('"' + w.replace('"', "") + '"*' for w in words)


def _pg_estimate(words: list[str]) -> float:
    """Return PostgreSQL's estimate of the cases holding all the words exactly (from the column statistics).

    Prefix queries get no estimate (the planner assumes 2 %), and reading a common word's whole posting list
    from the GIN index costs more than walking the newest cases; whole common words are caught here first.
    """
    from caseflow.extensions import db

    plan = db.session.execute(sa.text("EXPLAIN (FORMAT JSON) SELECT 1 FROM cases "
                                      "WHERE search_vector @@ to_tsquery('simple', :q)"),
                              {"q": " & ".join(words)}).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def _matching_ids(dialect: str, words: list[str]) -> tuple[list[int], bool]:
    """Return the ids the index matches, up to SELECTIVE_MAX, and whether there are more.

    On PostgreSQL the index is asked for the rarest word only (intersecting a common word's posting list in the
    GIN index costs more than checking the few candidates' stored vectors).
    """
    from caseflow.extensions import db

    if dialect == "postgresql":
        if _pg_estimate(words) > SELECTIVE_MAX:
            return [], True
        rarest = min(words, key=lambda w: _pg_estimate([w])) if len(words) > 1 else words[0]
        # the index finds the rarest word; all the words are checked on those rows' stored vectors
        sql = ("SELECT id FROM cases WHERE search_vector @@ to_tsquery('simple', :rare) "
               "AND coalesce(search_vector, ''::tsvector) @@ to_tsquery('simple', :q) LIMIT :n")
        params = {"rare": _pg_query([rarest]), "q": _pg_query(words)}
    else:
        sql = "SELECT rowid FROM cases_fts WHERE cases_fts MATCH :q LIMIT :n"
        params = {"q": _fts_query(words)}
    ids = list(db.session.execute(sa.text(sql), {**params, "n": SELECTIVE_MAX + 1}).scalars())
    return ids[:SELECTIVE_MAX], len(ids) > SELECTIVE_MAX


def _row_matches(dialect: str, words: list[str]) -> sa.TextClause:
    """Return a per-row check of the words (not an index lookup: the caller walks cases newest first)."""
    if dialect == "postgresql":
        # coalesce() keeps the planner from answering this with the GIN index: for a common term the
        # newest-first walk finds a page after a few rows, while the index would list half of all cases.
        return sa.text("coalesce(cases.search_vector, ''::tsvector) @@ to_tsquery('simple', :fts_walk)") \
            .bindparams(fts_walk=_pg_query(words))
    # SQLite builds the list of matching ids once; the unary + keeps it from driving the query, so the cases
    # are still walked newest first (a correlated MATCH per row would expand the prefix for every row).
    return sa.text("+cases.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH :fts_walk)") \
        .bindparams(fts_walk=_fts_query(words))


def _id_in(dialect: str, ids: list[int]) -> sa.ColumnElement[bool]:
    """Return 'the case id is one of these' as one bound value (no limit on the number of ids)."""
    if not ids:
        return sa.false()
    if dialect == "postgresql":
        return Case.id == sa.func.any(sa.bindparam("fts_ids", ids, type_=sa.ARRAY(sa.Integer)))
    return Case.id.in_(sa.select(sa.column("value", sa.Integer)).select_from(
        sa.func.json_each(sa.bindparam("fts_ids", json.dumps(ids)))))


def search_clause(q: str, dialect: str) -> sa.ColumnElement[bool] | sa.TextClause:
    """Return the condition matching a search query: case number, full-text words, or substring."""
    q = q.strip()
    words = terms(q)
    if NUMBER_RE.match(q):
        return Case.number.like(f"{q.upper()}%")
    if dialect in ("postgresql", "sqlite") and words and all(len(w) >= MIN_TERM for w in words):
        ids, common = _matching_ids(dialect, words)
        clause: sa.ColumnElement[bool] | sa.TextClause = \
            _row_matches(dialect, words) if common else _id_in(dialect, ids)
        digits = [w for w in words if w.isdigit()]
        if digits:  # part of a case number typed among the words, e.g. "00042"
            clause = sa.or_(clause, *(Case.number.like(f"%{d}%") for d in digits))
        return clause
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
