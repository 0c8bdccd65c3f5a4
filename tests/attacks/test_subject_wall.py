"""Attacks on the conflict wall: a colleague named in a complaint tries to reach the case against him.

Each test is what the named officer, or a reporter's spelling, would try: another spelling of his name, his
badge only, his name in Arabic script, a name he is also known by, an account created after the report. The
wall holds if he never appears in an assign list, is refused on every route of the case, and gets no notice.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from caseflow.cases import operations as ops
from caseflow.cases import subjects
from caseflow.crypto import user_ref
from caseflow.enums import CaseState, Channel, MatchStatus, PartyRole, Role
from caseflow.extensions import db
from caseflow.investigation import sweep
from caseflow.models import AuditEvent, Case, SubjectMatch, User
from tests import factories
from tests.conftest import login
from tests.reporting_support import submit


def _report_naming(portal, name: str, badge: str = "", position: str = "") -> Case:
    """Send an anonymous whistleblower report on the portal naming one person; return its case."""
    response = submit(portal, **{"involved-0-full_name": name, "involved-0-badge_number": badge,
                                 "involved-0-position": position})
    assert response.status_code == 200, response.text[:400]
    return db.session.scalar(sa.select(Case).order_by(Case.id.desc()))


def _triage(case: Case, supervisor) -> None:
    from caseflow import workflow

    workflow.transition_case(case, CaseState.TRIAGE, supervisor)
    db.session.commit()


def _assign_options(client, case: Case) -> set[str]:
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    select = re.search(r'name="assign-user_id"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the supervisor's case page has no assign list"
    return set(re.findall(r'value="(\d+)"', select.group(1)))


def _every_case_route_refused(app, client, case: Case) -> None:
    """The named officer gets 403 (or is sent away) on every GET and POST route of the case."""
    for rule in app.url_map.iter_rules():
        if "number" not in rule.arguments or rule.endpoint.startswith("static"):
            continue
        if rule.arguments - {"number"}:
            continue
        url = rule.rule.replace("<number>", case.number)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            response = client.open(url, method=method, data={})
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"


def test_other_spelling_of_a_colleague_keeps_him_off_the_case(portal_client, app, client, users):
    officer = factories.make_user(Role.INVESTIGATOR, "mamrani", full_name="Mohammed Amrani")
    case = _report_naming(portal_client, "Muhammad al-Amrani", position="night shift, gate 4")
    _triage(case, users["supervisor"])
    login(client, users["supervisor"])
    assert str(officer.id) not in _assign_options(client, case)
    # A crafted POST naming him as lead is refused with a message, and changes nothing.
    response = client.post(f"/cases/{case.number}/assign", data={"assign-user_id": officer.id,
                                                                 "assign-as_lead": "y"})
    assert response.status_code in (400, 409)
    db.session.expire_all()
    assert db.session.get(Case, case.id).lead_investigator_id is None
    match = db.session.scalar(sa.select(SubjectMatch).where(SubjectMatch.user_ref == user_ref(officer.id)))
    assert match.status == MatchStatus.PENDING and match.basis == "name"
    client.post("/logout")
    login(client, officer)
    _every_case_route_refused(app, client, case)
    assert case.number not in client.get("/cases").get_data(as_text=True)


def test_badge_only_links_the_account_at_once(portal_client, app, client, users):
    officer = factories.make_user(Role.SUPERVISOR, "kbrandt", full_name="Karl Brandt", badge_number="C-4471")
    case = _report_naming(portal_client, "the tall one", badge="c 44 71")
    party = next(p for p in case.parties if p.role == PartyRole.SUBJECT)
    assert party.person.user_ref == user_ref(officer.id)
    login(client, officer)
    _every_case_route_refused(app, client, case)


def test_arabic_script_and_alias_are_matched(portal_client, client, users):
    haddad = factories.make_user(Role.INVESTIGATOR, "yhaddad", full_name="Youssef Haddad")
    karim = factories.make_user(Role.INVESTIGATOR, "kbenali", full_name="Karim Benali", aliases="Abu Samir Tazi")
    first = _report_naming(portal_client, "يُوسُف حدّاد")
    second = _report_naming(portal_client, "samir TAZI abu")
    assert subjects.case_matches(first)[0].user_id == haddad.id
    assert subjects.case_matches(second)[0].user_id == karim.id
    login(client, users["supervisor"])
    for case in (first, second):
        _triage(case, users["supervisor"])
    assert str(haddad.id) not in _assign_options(client, first)
    assert str(karim.id) not in _assign_options(client, second)


def test_account_created_after_the_report_is_matched(portal_client, client, users):
    case = _report_naming(portal_client, "Piet Jansen", badge="NL-8812")
    officer = factories.make_user(Role.INVESTIGATOR, "pjansen", full_name="P. Jansen", badge_number="nl8812")
    assert subjects.case_matches(case)[0].user_id == officer.id
    renamed = factories.make_user(Role.INVESTIGATOR, "later", full_name="Someone Else")
    login(client, users["admin"])
    response = client.post(f"/admin/users/{renamed.id}/identity",
                           data={"full_name": "Someone Else", "badge_number": "", "aliases": "Piet Jansen"})
    assert response.status_code == 302
    db.session.expire_all()
    assert {m.user_id for m in subjects.case_matches(case)} == {officer.id, renamed.id}


def test_supervisor_decides_a_probable_match_with_a_reason(portal_client, client, users):
    namesake = factories.make_user(Role.INVESTIGATOR, "jdupont", full_name="Jean Dupont")
    case = _report_naming(portal_client, "Jean Dupont", position="broker at the free zone")
    _triage(case, users["supervisor"])
    match = subjects.case_matches(case)[0].match
    login(client, users["supervisor"])
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Colleagues named in this case" in page and "Jean Dupont (jdupont)" in page
    refused = client.post(f"/cases/{case.number}/matches/{match.id}", data={"match-decision": "dismiss"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(SubjectMatch, match.id).status == MatchStatus.PENDING
    done = client.post(f"/cases/{case.number}/matches/{match.id}",
                       data={"match-decision": "dismiss", "match-reason": "The subject is a private broker."})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(SubjectMatch, match.id).status == MatchStatus.DISMISSED
    assert str(namesake.id) in _assign_options(client, case)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "case.subject_match_decide"))
    assert event is not None and event.actor_id == users["supervisor"].id


def test_lead_named_later_is_dropped_and_gets_no_notice(client, users, clock):
    lead = users["investigator"]  # Ivan Petrov
    case = factories.make_case(title="Cash at the gate")
    _triage(case, users["supervisor"])
    ops.assign_lead_investigator(case, lead, users["supervisor"])
    db.session.commit()
    ops.add_party(case, users["supervisor"], PartyRole.SUBJECT, "PETROV, ivan")
    db.session.commit()
    assert case.lead_investigator_id is None
    assert lead not in sweep._recipients(case, sweep.NoticeKind.REMINDER)


def test_declaration_page_shows_the_subjects(client, users):
    case = factories.make_case(title="Seal tampering", subject="Rosa Marquez")
    _triage(case, users["supervisor"])
    ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
    db.session.commit()
    login(client, users["investigator"])
    page = client.get(f"/cases/{case.number}/investigation/declaration").get_data(as_text=True)
    assert "Rosa Marquez" in page


def test_no_name_typed_in_a_report_is_stored_in_clear(portal_client, app, client, users):
    name, badge, position = "Zubair Quennell-Okonkwo", "QX-55821", "Chief of the night shift"
    case = _report_naming(portal_client, name, badge=badge, position=position)
    factories.make_case(channel=Channel.PHONE, title="By phone", subject="Hortensia Vallejo-Brum")
    secrets_typed = [name, "Quennell", "Okonkwo", badge, "55821", position, "Vallejo", "Hortensia"]
    found = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(sa.text(f'SELECT * FROM {table.name}')):  # raw, no type decoding
                for value in row:
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    found += [(table.name, s) for s in secrets_typed if s.lower() in text.lower()]
    assert not found, f"names stored in clear: {found}"
    if db.engine.dialect.name == "sqlite":
        db.session.commit()
        raw = b"".join(open(p, "rb").read() for p in _sqlite_files(app))
        assert not [s for s in secrets_typed if s.encode() in raw]
    # ...and the staff still read the names, opened.
    party = next(p for p in case.parties if p.role == PartyRole.SUBJECT)
    assert party.person.full_name == name and party.person.badge_number == badge


def _sqlite_files(app) -> list[str]:
    import os

    path = db.engine.url.database or ""
    return [p for p in (path, path + "-wal") if os.path.exists(p)]


def test_outside_testers_spellings_and_a_badge_alone_still_keep_him_off(portal_client, client, users):
    """What an outside tester sent that got through: a badge with no name, Arabic script for a non-Arabic name,
    invisible characters inside a word, Cyrillic look-alike letters, a German spelling."""
    factories.make_user(Role.INVESTIGATOR, "ipetrov", full_name="Ivan Petrov", badge_number="CU-4471")
    officer = db.session.scalar(sa.select(User).where(User.username == "ipetrov"))
    sent = [("", " cu 44 71 "), ("إيفان بتروف", ""), ("ايفان بيتروف", ""), ("Iv\u200ban Petrov", ""),
            ("Iva\u00adn Petrov", ""), ("Ivan Petro\u200ev", ""), ("Iv\u0430n Petr\u043ev", ""), ("Иван Петров", ""),
            ("Ivan Petrøv", ""), ("Ivan Petrow", "")]
    for name, badge in sent:
        case = _report_naming(portal_client, name, badge=badge)
        assert officer.id in {m.user_id for m in subjects.case_matches(case)}, (name, badge)
    assert not client.get("/").status_code >= 500


def test_an_allegation_does_not_write_the_subjects_name_into_the_audit_log(users):
    case = factories.make_case(title="Cash at the gate", subject="Karim Zaidi")
    party = factories.subject_party(case)
    ops.add_allegation(case, users["supervisor"], party, "Asked for cash")
    db.session.commit()
    with db.engine.connect() as conn:
        details = [row[0] for row in conn.execute(sa.text("SELECT detail FROM audit_events"))]
    assert not [d for d in details if "Zaidi" in d]
