"""Attack: after retention destroyed a case, find out who it named through the person index or the database."""

from __future__ import annotations

import sqlalchemy as sa

from caseflow import workflow
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.investigation.purge import run_purge
from caseflow.models import CaseIdentifier, IdentifierTerm, Person, PersonSound, PersonTerm
from caseflow.people import operations as ops
from caseflow.search_terms import person_keys
from tests.factories import make_case, subject_party


def _purged_case(users, clock, app):
    case = make_case(title="Cash at gate 7", subject="Karim Haddad", commit=False)
    person_id = subject_party(case).person_id
    ops.add_identifier(case, users["supervisor"], "plate", "77-QRS-42", person_id)
    _dismiss_and_purge(case, users, clock, app)
    return case, person_id


def _dismiss_and_purge(case, users, clock, app) -> None:
    """Dismiss the case, let its retention period pass and run the purge; it must destroy this case."""
    workflow.transition_case(case, CaseState.TRIAGE, users["intake"])
    workflow.transition_case(case, CaseState.DISMISSED, users["supervisor"], reason="Out of scope")
    db.session.commit()
    clock.advance(days=app.config["CASEFLOW_RETENTION_DAYS"]["dismissed"] + 1)
    assert run_purge().archived == [case.number]
    db.session.commit()


def test_a_purged_subject_and_plate_are_not_found_by_search(users, clock, app, login_as):
    case, _person_id = _purged_case(users, clock, app)
    client = login_as(users["supervisor"])  # sees every case, the archived one included
    for query in ("Haddad", "Karim Haddad", "hadd", "77-QRS-42", "77qrs42"):
        page = client.get("/people", query_string={"q": query}).get_data(as_text=True)
        assert case.number not in page, query


def test_a_database_copy_keeps_no_blind_index_of_a_purged_case(users, clock, app):
    case, person_id = _purged_case(users, clock, app)
    # Someone holding the KEK (or a colleague testing guesses through the search) must find nothing: no key of
    # the name stays in the index, not even under a blanked person.
    wanted = person_keys("Karim Haddad", None)
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(PersonTerm).where(PersonTerm.key.in_(wanted)))
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(PersonTerm)
                                 .where(PersonTerm.person_id == person_id))
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(CaseIdentifier)
                                 .where(CaseIdentifier.case_id == case.id))
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(IdentifierTerm))


def test_deleting_a_person_row_takes_its_index_with_it(users):
    # The index rows have no foreign key (a bulk import writes millions); the database deletes them itself.
    case = make_case(subject="Lina Moreau")
    person_id = subject_party(case).person_id
    terms = sa.select(sa.func.count()).select_from(PersonTerm).where(PersonTerm.person_id == person_id)
    assert db.session.scalar(terms)
    db.session.execute(sa.text("DELETE FROM case_parties WHERE person_id = :p"), {"p": person_id})
    db.session.execute(sa.text("DELETE FROM people WHERE id = :p"), {"p": person_id})
    db.session.commit()
    for model in (PersonTerm, PersonSound):
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.person_id == person_id))
    assert db.session.get(Person, person_id) is None


def test_a_purged_case_keeps_no_link_to_the_colleague_it_named(users, clock, app):
    # Someone holding the keys computes the staff reference of each of a dozen staff ids and looks for it in a
    # destroyed case's matches or people: the case must not say which colleague it was about, nor why.
    from caseflow.cases import subjects
    from caseflow.crypto import user_ref
    from caseflow.enums import Role
    from caseflow.models import ConflictDeclaration, SubjectMatch
    from tests.factories import make_user

    officer = make_user(Role.INVESTIGATOR, "ipetrov", full_name="Ivan Petrov")
    case = make_case(title="Cash at lane 3", subject="Ivan Petrov", commit=False)
    db.session.commit()
    match = db.session.scalar(sa.select(SubjectMatch).where(SubjectMatch.case_id == case.id,
                                                            SubjectMatch.user_ref == user_ref(officer.id)))
    assert match is not None  # the wall found him
    subjects.decide_match(match, users["supervisor"], True, "It is our colleague Ivan Petrov from lane 3")
    db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=True,
                                       statement="He is my brother-in-law"))
    _dismiss_and_purge(case, users, clock, app)
    refs = {user_ref(uid) for uid in range(1, 40)}
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(SubjectMatch)
                                 .where(SubjectMatch.case_id == case.id))
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(Person.user_ref.in_(refs)))
    declarations = db.session.scalars(sa.select(ConflictDeclaration.statement)
                                      .where(ConflictDeclaration.case_id == case.id)).all()
    assert declarations == [""]
    dump = "\n".join(str(row) for table in ("subject_matches", "people", "conflict_declarations")
                     for row in db.session.execute(sa.text(f"SELECT * FROM {table}")))  # noqa: S608
    assert "lane 3" not in dump and "brother" not in dump
