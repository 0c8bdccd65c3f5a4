"""Attacks on a copy of the database (a backup, a dump, a replica), without the key-encryption key.

The attacker reads raw rows: which colleague is the subject of which case, how long a sealed name is, and at
what minute a reporter sent a report, a message or a file (to match it with a network log).
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from caseflow.enums import PartyRole, Role
from caseflow.extensions import db
from caseflow.models import Case, CaseParty, ReportSubmission
from caseflow.reporting.operations import reply_to_reporter
from tests import factories
from tests.reporting_support import follow_up_login, receipt_of, reporter_post, submit


def _rows(table: str) -> list[dict]:
    """Every row of a table as the database holds it (no model, no decryption)."""
    return [dict(r) for r in db.session.execute(sa.text(f"SELECT * FROM {table}")).mappings()]  # noqa: S608


def _report(portal, **fields: str) -> Case:
    response = submit(portal, **fields)
    assert response.status_code == 200, response.text[:400]
    return db.session.scalar(sa.select(Case).order_by(Case.id.desc()))


# Columns whose value is not about a staff account (row ids, cases, people, offices) or is the supervisor who
# decided a match (who decides is no secret).
NOT_A_USER = {"id", "case_id", "person_id", "merged_into_id", "office_id", "decided_by_id"}


def test_a_database_copy_does_not_say_which_colleague_is_under_investigation(portal_client, users):
    for n in range(7):  # give the officer an id that no small row id shares by chance
        factories.make_user(Role.INTAKE_OFFICER, f"filler{n}")
    officer = factories.make_user(Role.INVESTIGATOR, "kbrandt", full_name="Karl Brandt", badge_number="C-4471")
    case = _report(portal_client, **{"involved-0-full_name": "the tall one", "involved-0-badge_number": "C 4471"})
    assert any(p.role == PartyRole.SUBJECT for p in case.parties)
    db.session.commit()
    leaks = []
    for table in ("people", "subject_matches"):
        for row in _rows(table):
            for column, value in row.items():
                if column not in NOT_A_USER and value is not None and str(value) == str(officer.id):
                    leaks.append(f"{table}.{column}")
    for event in _rows("audit_events"):
        if event["case_id"] == case.id and event["action"] == "case.subject_match":
            detail = json.loads(event["detail"])
            leaks += [f"audit {event['action']}.{k}" for k, v in detail.items() if str(v) == str(officer.id)]
    assert _rows("subject_matches"), "the badge did not match: nothing to attack"
    assert leaks == [], f"the copy links the officer to case {case.number} through {leaks}"


def test_a_sealed_name_does_not_show_its_length(portal_client):
    short = _report(portal_client, **{"involved-0-full_name": "Ana", "involved-0-badge_number": "7",
                                      "involved-0-position": "gate",
                                      "identity-name": "Bo", "identity-contact": "b@x.io"})
    long = _report(portal_client, **{"involved-0-full_name": "Maximiliana Wolfeschlegel",
                                     "involved-0-badge_number": "CUS-2024-000187",
                                     "involved-0-position": "deputy head of the northern free zone",
                                     "identity-name": "Bartholomew Fitzwilliam-Hargreaves",
                                     "identity-contact": "bartholomew.fitzwilliam@example.org"})
    raw = {}
    for case in (short, long):
        person_id = db.session.scalar(sa.select(CaseParty.person_id).where(CaseParty.case_id == case.id,
                                                                          CaseParty.role == PartyRole.SUBJECT))
        row = next(r for r in _rows("people") if r["id"] == person_id)
        submission = db.session.scalar(sa.select(ReportSubmission).where(ReportSubmission.case_id == case.id))
        identity = next(r for r in _rows("report_submissions") if r["id"] == submission.id)["identity_blob"]
        assert identity is not None, "the identity was not taken: nothing to attack"
        raw[case.id] = (len(row["full_name"]), len(row["badge_number"]), len(row["position"]), len(identity))
    assert raw[short.id] == raw[long.id], f"sealed lengths follow the clear lengths: {raw}"


def _precise(value) -> bool:
    """Whether a stored time says more than its hour (the attacker reads it as the database returns it)."""
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (at.minute, at.second, at.microsecond) != (0, 0, 0)


def test_a_reporters_times_cannot_be_matched_against_network_logs(portal_client, clock, users):
    clock.advance(hours=1, minutes=47, seconds=13, microseconds=421337)
    receipt = receipt_of(submit(portal_client, files=[(b"rota: nights\n", "rota.txt")]).text)
    case = db.session.scalar(sa.select(Case).order_by(Case.id.desc()))
    clock.advance(minutes=20, seconds=9, microseconds=777)
    follow_up_login(portal_client, receipt)
    assert reporter_post(portal_client, "/follow-up/message", body="He wore badge B-17.",
                         files=[(b"more\n", "more.txt")]).status_code == 302
    clock.advance(minutes=3, seconds=1)
    db.session.expire_all()
    staff = reply_to_reporter(db.session.get(Case, case.id), users["supervisor"], "Thank you.")
    db.session.commit()
    found = {
        "cases.received_at": [r["received_at"] for r in _rows("cases") if r["id"] == case.id],
        "report_submissions.created_at": [r["created_at"] for r in _rows("report_submissions")],
        "reporter_messages.created_at": [r["created_at"] for r in _rows("reporter_messages")
                                         if r["direction"] == "reporter"],
        "attachments.created_at": [r["created_at"] for r in _rows("attachments")],
        "audit_events.occurred_at": [r["occurred_at"] for r in _rows("audit_events")
                                     if r["actor_id"] is None and r["case_id"] == case.id],
    }
    assert all(found.values()), found
    precise = {where: values for where, values in found.items() if any(_precise(v) for v in values)}
    assert precise == {}, f"a reporter's times are kept finer than the hour: {precise}"
    assert _precise(next(r["created_at"] for r in _rows("reporter_messages") if r["id"] == staff.id))
    received = db.session.get(Case, case.id).received_at
    assert received.date() == clock.at.date()  # the legal clocks count from the day of receipt, kept exact
