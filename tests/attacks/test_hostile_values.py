"""Hostile values aimed at single findings: each request once gave a 500 (or a wrong answer) and must not."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from caseflow.auth import totp
from caseflow.channels.csvimport import import_csv
from caseflow.enums import Role
from caseflow.extensions import db
from caseflow.investigation import evidence
from caseflow.models import Case, Category, EvidenceItem
from tests import factories
from tests.factories import category, make_case
from tests.workspace_helpers import investigation_case

ARABIC_CODE = "".join(chr(0x660 + int(d)) for d in "123456")  # ١٢٣٤٥٦


def _api_headers() -> dict[str, str]:
    from caseflow.api.tokens import create_token

    _token, secret = create_token("hotline", ["cases:create", "cases:read", "notes:write"], None)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _no_trace(response: Any) -> None:
    assert response.status_code < 500, response.data[:300]
    assert b"Traceback" not in response.data


def test_ids_beyond_the_database_range_give_404_on_every_int_route(client, users, login_as, app):
    login_as(users["admin"])
    rules = [r for r in app.url_map.iter_rules() if "int" in {type(c).__name__ for c in r._converters.values()}
             or any(type(c).__name__ == "IdConverter" for c in r._converters.values())]
    assert len(rules) >= 13
    for rule in rules:
        for huge in (2**31, 2**63, 10**30):
            url = rule.rule
            for name in rule.arguments:
                value = str(huge) if type(rule._converters[name]).__name__ == "IdConverter" else "x"
                url = url.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
            url = url.replace("<any(done, reopen):mark>", "done").replace("<any(evidence, statement):kind>",
                                                                         "evidence")
            method = "GET" if "GET" in rule.methods else "POST"
            response = client.open(url, method=method)
            assert response.status_code == 404, (url, response.status_code)


def test_api_refuses_lone_surrogates_deep_json_and_odd_digits_with_json_400(client):
    headers = _api_headers()
    body = '{"title": "Bribe \\ud800", "description": "x"}'
    r = client.post("/api/v1/cases", data=body, headers=headers, content_type="application/json")
    assert r.status_code == 400 and r.json["error"]["code"] == "bad_request" and "title" in r.json["error"]["fields"]
    deep = "[" * 1000 + "]" * 1000
    r = client.post("/api/v1/cases", data=deep, headers=headers, content_type="application/json")
    assert r.status_code == 400 and r.json["error"]["code"] == "malformed_json"
    for key in ("page", "per_page", "category", "office", "assignee"):
        for value in ("²", "①", "99999999999999999999"):
            r = client.get(f"/api/v1/cases?{key}={value}", headers=headers)
            assert r.status_code == 400 and r.is_json, (key, value, r.status_code)
    assert client.get("/api/v1/cases?page=٣", headers=headers).json["page"] == 3


def test_nul_in_an_api_title_or_a_csv_cell_is_refused_and_nothing_is_written(client):
    headers = _api_headers()
    r = client.post("/api/v1/cases", data=json.dumps({"title": "Cash\u0000", "description": "x"}), headers=headers,
                    content_type="application/json")
    assert r.status_code == 400 and r.is_json
    csv = b"source_reference,title,description\r\nR1,Cash\x00demanded,At the gate\r\n"
    report = import_csv(csv, None)
    assert report.created == 0 and any("NUL" in e.reason for e in report.errors)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_dates_at_the_edges_are_clamped_or_refused_never_500(client, users, login_as):
    make_case()
    login_as(users["supervisor"])
    for url in ("/dashboard?end=9999-12-31", "/dashboard?start=0001-01-01&end=9999-12-31",
                "/dashboard/export.csv?end=9999-12-31", "/dashboard/export.xlsx?start=9999-12-31"):
        r = client.get(url)
        _no_trace(r)
        assert r.status_code == 200, url
    r = client.post("/reports/management", data={"start": "9999-12-31", "end": "9999-12-31"})
    _no_trace(r)
    client.post("/logout")
    login_as(users["auditor"])
    for url in ("/audit?to=9999-12-31", "/audit?from=0001-01-01", "/audit?page=99999999999999999999",
                "/audit?page=%C2%B2"):
        r = client.get(url)
        assert r.status_code == 200, url
    r = client.get("/audit/export.csv?to=9999-12-31")
    assert r.status_code == 200 and r.data.count(b"\n") >= 2


def test_a_complaint_taken_in_year_one_is_refused(client, users, login_as):
    login_as(users["intake"])
    r = client.post("/intake/new", data={"method": "phone", "title": "Cash at gate", "content": "Asked for cash",
                                         "taken_at": "0001-01-05 10:00", "priority": "medium"})
    assert r.status_code == 400 and b"1990" in r.data
    report = import_csv(b"source_reference,title,description,received_at\r\nR1,Cash,Gate,0001-01-01\r\n", None)
    assert report.created == 0 and any("1990" in e.reason for e in report.errors)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_xlsx_export_survives_a_title_with_a_control_character(client, users, login_as):
    case = make_case(title="Cash\x01at the gate\x1b")
    case.lead_investigator_id = users["investigator"].id
    db.session.commit()
    login_as(users["supervisor"])
    r = client.get("/cases/export.xlsx")
    assert r.status_code == 200 and r.data[:2] == b"PK"


def test_dashboard_survives_a_category_renamed_to_markup(client, users, login_as):
    bribery = category("bribery")
    make_case(category_id=bribery.id)
    login_as(users["admin"])
    r = client.post(f"/admin/categories/{bribery.id}", data={"name": '"><img src=x onerror=alert(1)>'})
    assert r.status_code == 302
    client.post("/logout")
    for role in ("supervisor", "manager"):
        login_as(users[role])
        for url in ("/dashboard", "/dashboard/export.csv", "/dashboard/export.xlsx"):
            r = client.get(url)
            assert r.status_code == 200, (role, url)
            if url == "/dashboard":
                assert b"<img src=x" not in r.data
        client.post("/logout")


def test_category_names_longer_than_the_column_get_a_form_error(client, users, login_as):
    bribery = category("bribery")
    login_as(users["admin"])
    r = client.post(f"/admin/categories/{bribery.id}", data={"name": "x" * 150}, follow_redirects=True)
    assert r.status_code == 200 and b"120" in r.data
    assert db.session.get(Category, bribery.id).name != "x" * 150


def test_staff_file_names_are_cleaned_and_a_nul_name_downloads(client, users, login_as):
    case = investigation_case(users)
    lead = users["investigator"]
    item = evidence.register_evidence(case, lead, "Ledger", "Broker", "", ("../../etc/passwd\u202etxt.exe\x00.txt",
                                                                         b"ledger\n"))
    db.session.commit()
    stored = db.session.get(EvidenceItem, item.id).filename
    assert "/" not in stored and "\u202e" not in stored and "\x00" not in stored
    login_as(lead)
    r = client.get(f"/cases/{case.number}/investigation/files/evidence/{item.id}")
    assert r.status_code == 200 and r.data == b"ledger\n"
    disposition = r.headers["Content-Disposition"]
    assert "/" not in disposition and "\u202e" not in disposition and "%E2%80%AE" not in disposition
    page = client.get(f"/cases/{case.number}/investigation/evidence/{item.id}").data.decode()
    assert "\u202e" not in page and "../" not in page


def test_two_step_codes_in_other_scripts_never_give_500(client, users, clock):
    user = users["supervisor"]
    user.totp_secret = totp.new_secret()
    user.totp_enabled = True
    db.session.commit()
    client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    for code in ("²²²²²²", "①②③④⑤⑥", "\u0000123456", ARABIC_CODE):
        _no_trace(client.post("/login/code", data={"code": code}))
    arabic = "".join(chr(0x660 + int(d)) for d in totp.code_at_now(user.totp_secret))
    r = client.post("/login/code", data={"code": arabic})
    assert r.status_code == 302 and r.headers["Location"].endswith("/my-work")  # staff land on their work


def test_two_step_enrolment_with_superscript_digits_never_gives_500(client, app, clock, monkeypatch):
    monkeypatch.setitem(app.config, "CASEFLOW_REQUIRE_2FA", True)
    user = factories.make_user(Role.SUPERVISOR, "enrolling")
    client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    client.get("/login/enrol")
    r = client.post("/login/enrol", data={"code": "²³⁴⁵⁶⁷"})
    assert r.status_code == 200 and b"not right" in r.data


def test_login_next_with_a_line_feed_lands_home(client, users):
    client.get("/login?next=/%0a/x")
    r = client.post("/login?next=/%0a/x", data={"username": users["supervisor"].username,
                                               "password": factories.PASSWORD})
    assert r.status_code in (302, 400) and "\n" not in r.headers.get("Location", "")


def _public_form(client: Any, channel: str = "whistleblow") -> dict[str, str]:
    import re

    page = client.get(f"/{channel}").data.decode()
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="form_token"', page)
    assert token
    return {"form_token": token.group(1)}


def test_nul_on_the_public_form_is_a_form_error_keeping_the_text(portal_client):
    data = _public_form(portal_client) | {"what": "The officer at gate 4 asked for cash\x00 twice"}
    r = portal_client.post("/whistleblow", data=data)
    assert r.status_code == 400 and b"NUL" in r.data
    assert b"The officer at gate 4 asked for cash" in r.data
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_an_overlong_narrative_gets_the_length_message(portal_client):
    data = _public_form(portal_client) | {"what": "a" * 1_000_001}
    r = portal_client.post("/whistleblow", data=data, content_type="multipart/form-data")  # as a browser sends it
    assert r.status_code == 400 and b"20000" in r.data.replace(b",", b"").replace(b"\xc2\xa0", b"")
    assert b"What you sent is too large" not in r.data and b"may be at most" not in r.data


def test_head_on_the_public_form_is_not_a_400(portal_client):
    assert portal_client.head("/whistleblow").status_code in (200, 405)
    assert portal_client.head("/report").status_code in (200, 405)


def test_subject_badge_and_position_longer_than_their_columns_get_form_errors(portal_client):
    for field, size in (("badge_number", 50), ("position", 150)):
        data = _public_form(portal_client) | {"what": "Asked for cash at gate 4", f"involved-0-{field}": "9" * size,
                                       "involved-0-full_name": "Karl"}
        r = portal_client.post("/whistleblow", data=data)
        assert r.status_code == 400, field
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_text_downloads_carry_one_charset(client, users, login_as):
    case = investigation_case(users)
    item = evidence.register_evidence(case, users["investigator"], "Note", "Broker", "", ("note.txt", b"hello\n"))
    db.session.commit()
    login_as(users["investigator"])
    assert client.get(f"/cases/{case.number}/attachments/{item.attachment_id}").status_code == 404  # not the
    r = client.get(f"/cases/{case.number}/investigation/files/evidence/{item.id}")  # reporter's: its own route
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/octet-stream"  # never rendered


def test_a_huge_category_id_on_the_public_form_is_not_sent_to_the_database(portal_client):
    data = _public_form(portal_client) | {"what": "Asked for cash at gate 4", "category_id": str(2**63),
                                   "office_id": "9" * 30}
    r = portal_client.post("/whistleblow", data=data)
    assert r.status_code < 500


def test_a_query_argument_named_like_a_path_part_does_not_break_the_page(client, users, login_as):
    login_as(users["supervisor"])
    r = client.get("/dashboard/export.csv?fmt=%00")
    assert r.status_code == 400 and b"NUL" in r.data


def test_csv_exports_carry_one_charset(client, users, login_as):
    make_case()
    login_as(users["supervisor"])
    for url in ("/dashboard/export.csv", "/cases/export.csv"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["Content-Type"] == "text/csv; charset=utf-8", url
