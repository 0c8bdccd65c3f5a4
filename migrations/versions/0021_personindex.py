"""A person's blind-index rows lose their foreign key (a trigger deletes them with the person); purged cases
keep no blind index

person_terms and person_sounds are derived rows, about 15 per person; checking a foreign key per row made a
bulk import's COPY three times slower. A trigger on people deletes them with their person, on both databases
(SQLite never enforced the ON DELETE CASCADE: it runs without PRAGMA foreign_keys).

Retention used to blank a purged person's name but keep its search terms, and keep the case's identifiers
(plates, companies, phones) with theirs: anyone with the KEK could still test a guessed name or plate against a
destroyed case. They are deleted here for cases purged before this revision.

Revision ID: 0021_personindex
Revises: 0020_subjectrefs
Create Date: 2026-12-02 09:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_personindex"
down_revision = "0020_subjectrefs"
branch_labels = None
depends_on = None

PURGED = "\u2014"  # the title retention gives a destroyed case (frozen here)

TRIGGER = {
    "sqlite": ["CREATE TRIGGER IF NOT EXISTS people_index_cleanup AFTER DELETE ON people BEGIN "
               "DELETE FROM person_terms WHERE person_id = OLD.id; "
               "DELETE FROM person_sounds WHERE person_id = OLD.id; END"],
    "postgresql": ["CREATE OR REPLACE FUNCTION people_index_cleanup() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN DELETE FROM person_terms WHERE person_id IN (SELECT id FROM gone); "
                   "DELETE FROM person_sounds WHERE person_id IN (SELECT id FROM gone); RETURN NULL; END $$",
                   "CREATE OR REPLACE TRIGGER people_index_cleanup AFTER DELETE ON people REFERENCING OLD TABLE AS "
                   "gone FOR EACH STATEMENT EXECUTE FUNCTION people_index_cleanup()"],
}

PURGED_CASES = "SELECT id FROM cases WHERE state = 'archived' AND title = :purged"
PURGED_PEOPLE = f"SELECT person_id FROM case_parties WHERE case_id IN ({PURGED_CASES})"
PURGED_IDENTIFIERS = f"SELECT id FROM case_identifiers WHERE case_id IN ({PURGED_CASES})"


def upgrade():
    for table in ("person_terms", "person_sounds"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_person_id_people", type_="foreignkey")
    bind = op.get_bind()
    for statement in TRIGGER.get(bind.dialect.name, []):
        op.execute(statement)
    purged = {"purged": PURGED}
    bind.execute(sa.text(f"DELETE FROM person_terms WHERE person_id IN ({PURGED_PEOPLE})"), purged)
    bind.execute(sa.text(f"DELETE FROM person_sounds WHERE person_id IN ({PURGED_PEOPLE})"), purged)
    bind.execute(sa.text(f"DELETE FROM identifier_terms WHERE identifier_id IN ({PURGED_IDENTIFIERS})"), purged)
    bind.execute(sa.text(f"DELETE FROM case_identifiers WHERE case_id IN ({PURGED_CASES})"), purged)


def downgrade():
    bind = op.get_bind()
    op.execute("DROP TRIGGER IF EXISTS people_index_cleanup" + (" ON people" if bind.dialect.name == "postgresql"
                                                                else ""))
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS people_index_cleanup()")
    for table in ("person_terms", "person_sounds"):
        bind.execute(sa.text(f"DELETE FROM {table} WHERE person_id NOT IN (SELECT id FROM people)"))
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_foreign_key(f"fk_{table}_person_id_people", "people", ["person_id"], ["id"],
                                        ondelete="CASCADE")
