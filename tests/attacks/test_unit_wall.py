"""Attacks on the wall between reporting units: another unit's staff try to reach a case that is not theirs.

Internal Affairs receives a whistleblower's report (with a file and people named) and investigates it; the
Ethics Office's supervisor, investigator and intake officer try the case page and every route of the case
with the real ids of its file and report, the list, full-text search, the person index, exports, my work,
early warning and the API. Before units had a wall, a supervisor saw every case and an intake officer every
new one.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from caseflow import workflow
from caseflow.cases import operations as case_ops
from caseflow.enums import CaseState
from caseflow.extensions import db
from caseflow.models import Attachment, Case, CaseAccessGrant, ConflictDeclaration
from tests.conftest import login
from tests.reporting_support import submit
from tests.unit_support import two_units

SECRET = "Zebulon Quarterstaff"


def _ia_case(portal_client, users, units, investigate: bool = True) -> Case:
    """A whistleblower's report to Internal Affairs naming a colleague, with a photo; led by Ivan."""
    response = submit(portal_client, "/whistleblow?unit=internal-affairs",
                      files=[(b"Shift rota: nights at gate 4\n", "rota.txt")], unit="internal-affairs",
                      what=f"{SECRET} took cash at gate 4.", **{"involved-0-full_name": SECRET})
    assert response.status_code == 200, response.text[:400]
    case = db.session.scalar(sa.select(Case).order_by(Case.id.desc()))
    assert case.unit_id == units["ia"].id
    if investigate:
        workflow.transition_case(case, CaseState.TRIAGE, users["supervisor"])
        case_ops.assign_lead_investigator(case, users["investigator"], users["supervisor"])
        db.session.add(ConflictDeclaration(case_id=case.id, user_id=users["investigator"].id, has_conflict=False))
        db.session.commit()
    return case


def _route_urls(app, case: Case) -> list[tuple[str, str]]:
    """Every GET/POST route of the case, with the real id of its file where the route takes one."""
    attachment = db.session.scalar(sa.select(Attachment.id).where(Attachment.case_id == case.id))
    urls = []
    for rule in app.url_map.iter_rules():
        if "number" not in rule.arguments:
            continue
        url = rule.rule.replace("<number>", case.number)
        url = re.sub(r"<int:attachment_id>", str(attachment), url)
        url = re.sub(r"<any\(([a-z]+)[^>]*>", r"\1", url)
        url = re.sub(r"<int:[a-z_]+>", "1", url)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            urls.append((method, url))
    return urls


def test_another_units_supervisor_is_refused_on_every_route_of_the_case(portal_client, app, client, users):
    units = two_units(users)
    case = _ia_case(portal_client, users, units)
    login(client, users["supervisor2"])
    for method, url in _route_urls(app, case):
        response = client.open(url, method=method, data={})
        assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
    # The case's own supervisor still opens it and its file.
    client.post("/logout")
    login(client, users["supervisor"])
    assert client.get(f"/cases/{case.number}").status_code == 200


def test_another_units_supervisor_finds_no_trace_anywhere(portal_client, client, users):
    units = two_units(users)
    case = _ia_case(portal_client, users, units)
    person_id = next(p.person_id for p in case.parties)
    login(client, users["supervisor2"])
    pages = {
        "list": client.get("/cases"),
        "search": client.get("/cases", query_string={"q": "gate"}),
        "people search": client.get("/people", query_string={"q": "Quarterstaff"}),
        "export": client.get("/cases/export.csv"),
        "my work": client.get("/my-work"),
        "early warning": client.get("/dashboard/early-warning"),
    }
    for name, response in pages.items():
        text = response.get_data(as_text=True)
        assert case.number not in text and "Zebulon" not in text, name
    assert "Nobody found." in pages["people search"].get_data(as_text=True)
    assert client.get(f"/people/{person_id}").status_code == 404
    # The API takes no staff session: the cookie opens nothing there either.
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get(f"/api/v1/cases/{case.number}").status_code == 401


def test_another_units_intake_officer_cannot_open_a_new_report(portal_client, client, users):
    units = two_units(users)
    case = _ia_case(portal_client, users, units, investigate=False)  # received: every intake officer's, once
    login(client, units["ethics_intake"])
    assert client.get(f"/cases/{case.number}").status_code == 403
    assert case.number not in client.get("/cases").get_data(as_text=True)
    assert client.post(f"/cases/{case.number}/transition", data={"to_state": "triage"}).status_code == 403
    client.post("/logout")
    login(client, users["intake"])  # Internal Affairs' own intake officer
    assert client.get(f"/cases/{case.number}").status_code == 200


def test_another_units_investigator_cannot_be_put_on_the_case(portal_client, client, users):
    units = two_units(users)
    case = _ia_case(portal_client, users, units)
    iris = users["investigator2"]  # Ethics Office
    login(client, users["supervisor"])
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    select = re.search(r'name="assign-user_id"[^>]*>(.*?)</select>', page, re.S)
    assert select and f'value="{iris.id}"' not in select.group(1)
    response = client.post(f"/cases/{case.number}/assign", data={"assign-user_id": iris.id})
    assert response.status_code in (400, 409)
    db.session.expire_all()
    assert iris.id not in {m.user_id for m in db.session.get(Case, case.id).team}
    # Her own supervisor cannot do it either: he cannot even see the case.
    client.post("/logout")
    login(client, users["supervisor2"])
    assert client.post(f"/cases/{case.number}/assign", data={"assign-user_id": iris.id}).status_code == 403
    client.post("/logout")
    login(client, iris)
    assert client.get(f"/cases/{case.number}").status_code == 403



def test_a_restricted_cases_access_list_cannot_name_another_units_staff(portal_client, client, users):
    units = two_units(users)
    case = _ia_case(portal_client, users, units)
    iris = users["investigator2"]  # Ethics Office
    login(client, users["supervisor"])
    assert client.post(f"/cases/{case.number}/access/restrict", data={"restricted": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).restricted
    page = client.get(f"/cases/{case.number}/access").get_data(as_text=True)
    assert "Iris Okafor" not in page
    response = client.post(f"/cases/{case.number}/access/grant", data={"user_id": iris.id})
    assert "is not on the staff of the unit" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(CaseAccessGrant.id).where(CaseAccessGrant.user_id == iris.id)) is None
    client.post("/logout")
    login(client, iris)
    assert client.get(f"/cases/{case.number}").status_code == 403


def test_the_bulk_lead_list_names_only_the_staff_of_the_supervisors_own_units(client, users, login_as):
    """An Ethics supervisor opens the case list: the bulk 'new lead' list must not name Internal Affairs staff."""
    from caseflow.units.operations import UnitFields, create_unit
    from tests.factories import make_case, make_user

    eve = make_user("supervisor", "eve-ethics", full_name="Eve Ethics")
    emil = make_user("investigator", "emil-ethics", full_name="Emil Ethics")
    ethics = create_unit(UnitFields(key="ethics-b", names={"en": "Ethics"}, member_ids=[emil.id],
                                    supervisor_ids=[eve.id]), None)
    make_case(title="Gift from a broker", unit=ethics)
    create_unit(UnitFields(key="ia-b", names={"en": "Internal Affairs"}, member_ids=[users["investigator"].id],
                           supervisor_ids=[users["supervisor"].id]), None)
    db.session.commit()
    import re

    login_as(eve)
    page = client.get("/cases").text
    bulk = re.search(r'<select[^>]*name="lead"[^>]*>(.*?)</select>', page, re.S)
    assert bulk, "the bulk form offers a new lead"
    assert "Emil Ethics" in bulk.group(1) and users["investigator"].full_name not in bulk.group(1)


def test_an_ethics_office_integration_reads_and_files_only_in_its_unit(portal_client, client, users):
    """An integration's token walled to the Ethics Office lists, reads and files nothing of Internal Affairs."""
    from caseflow.api.tokens import create_token

    units = two_units(users)
    case = _ia_case(portal_client, users, units)
    _token, secret = create_token("ethics-hotline", ["cases:create", "cases:read:all"], None, ["ethics"])
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    listed = client.get("/api/v1/cases", headers=headers)
    assert listed.status_code == 200 and case.number not in listed.get_data(as_text=True)
    assert client.get(f"/api/v1/cases/{case.number}", headers=headers).status_code == 404
    body = {"title": "Gifts at the ethics desk", "description": "A supplier offered tickets to the desk officer."}
    refused = client.post("/api/v1/cases", json={**body, "unit": "internal-affairs"}, headers=headers)
    assert refused.status_code == 422 and "ethics" in refused.get_json()["error"]["fields"]["unit"]
    filed = client.post("/api/v1/cases", json=body, headers=headers)  # no unit named: its one unit
    assert filed.status_code == 201 and filed.get_json()["unit"] == "ethics"
    assert client.get(f"/api/v1/cases/{filed.get_json()['number']}", headers=headers).status_code == 200
    # A token walled to no unit reads every unit's cases, as before.
    _open, everyone = create_token("national-hotline", ["cases:read:all"], None)
    db.session.commit()
    assert client.get(f"/api/v1/cases/{case.number}",
                      headers={"Authorization": f"Bearer {everyone}"}).status_code == 200


def test_a_case_moved_to_another_unit_takes_its_wall_along(portal_client, client, users):
    """Moved to the Ethics Office, the case leaves Internal Affairs' staff at once; nobody pulls it over."""
    from caseflow.models import AuditEvent, Reminder

    units = two_units(users)
    case = _ia_case(portal_client, users, units)
    # The Ethics Office's supervisor tries to pull the case into his own unit with a crafted post.
    login(client, users["supervisor2"])
    pulled = client.post(f"/cases/{case.number}/access/unit", data={"unit": "ethics", "reason": "mine now"})
    assert pulled.status_code == 403 and db.session.get(Case, case.id).unit_id == units["ia"].id
    client.post("/logout")
    login(client, users["supervisor"])
    page = client.get(f"/cases/{case.number}/access").get_data(as_text=True)
    assert "Move the case" in page and "Ethics Office" in page
    assert "Internal Affairs" not in page.split('id="move-unit"', 1)[1].split("</select>", 1)[0]
    refused = client.post(f"/cases/{case.number}/access/unit", data={"unit": "ethics", "reason": ""})
    assert refused.status_code == 302 and db.session.get(Case, case.id).unit_id == units["ia"].id
    moved = client.post(f"/cases/{case.number}/access/unit", data={"unit": "ethics",
                                                                   "reason": "A gift to an ethics officer"})
    assert moved.status_code == 302 and moved.headers["Location"].split("#")[0] == "/cases"  # no longer his
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.unit_id == units["ethics"].id and case.lead_investigator_id is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "case.move_unit"))
    assert event is not None and "ivan" in str(event.detail)
    # Internal Affairs' investigator, lead until now, is out on every route; the Ethics Office is in.
    client.post("/logout")
    login(client, users["investigator"])
    assert client.get(f"/cases/{case.number}").status_code == 403
    assert case.number not in client.get("/cases").get_data(as_text=True)
    client.post("/logout")
    login(client, users["supervisor2"])
    assert client.get(f"/cases/{case.number}").status_code == 200
    told = db.session.scalars(sa.select(Reminder.message).where(Reminder.user_id == users["supervisor2"].id))
    assert any("moved it to your unit" in m for m in told)


def test_the_staff_taken_off_a_moved_case_are_told(portal_client, client, users):
    """An outside tester's finding: the lead taken off a moved case got no notice (he can no longer see it)."""
    from caseflow.models import Reminder

    units = two_units(users)
    case = _ia_case(portal_client, users, units)
    login(client, users["supervisor"])
    client.post(f"/cases/{case.number}/access/unit", data={"unit": "ethics", "reason": "A gift to an ethics officer"})
    client.post("/logout")
    login(client, users["investigator"])
    for page in ("/my-work", "/cases/my-reminders"):
        text = client.get(page).get_data(as_text=True)
        assert f"Case {case.number}: Sara" in text and "took you off the case" in text, page
        assert f'href="/cases/{case.number}"' not in text  # told, not let back in
    told = db.session.scalars(sa.select(Reminder).where(Reminder.user_id == users["investigator"].id))
    assert [r.case_id for r in told if "took you off" in r.message] == [None]


def test_a_notice_queued_before_a_move_does_not_reach_the_staff_taken_off(portal_client, client, users, runner,
                                                                          smtp_server):
    """An outside tester's finding: "made you lead" was still mailed after the case had moved out of his unit."""
    units = two_units(users)
    users["investigator"].email = "ivan@customs.example"
    db.session.commit()
    case = _ia_case(portal_client, users, units)  # Ivan made lead: his notice is queued, not yet sent
    login(client, users["supervisor"])
    client.post(f"/cases/{case.number}/access/unit", data={"unit": "ethics", "reason": "A gift to an ethics officer"})
    result = runner.invoke(args=["caseflow", "send-mail"])
    to_ivan = [m for m in smtp_server.messages if users["investigator"].email in str(m["To"])]
    subjects = [str(m["Subject"]) for m in to_ivan]
    assert subjects == [f"Case {case.number}: Sara Lindqvist took you off the case."], (subjects, result.output)
