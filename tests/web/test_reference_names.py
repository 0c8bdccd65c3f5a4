"""Offices, categories and the unit have a name per language, set by the administrator, audited, and shown in
the reader's language everywhere (pages, exports, dashboard, reports), falling back to English."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from caseflow.extensions import db
from caseflow.i18n import unit_name
from caseflow.models import AuditEvent, Category, Office, UnitName
from tests.factories import category, make_case, make_office


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_admin_names_an_office_in_arabic_and_arabic_readers_see_it_and_others_see_english(client, users, login_as):
    office = make_office("North Seaport Customs House")
    case = make_case(office_id=office.id)
    login_as(users["admin"])
    r = client.post(f"/admin/offices/{office.id}", data={"name": "North Seaport Customs House",
                                                        "name_ar": "جمرك الميناء الشمالي", "name_fr": ""})
    assert r.status_code == 302 and r.location.endswith(f"#ref-{office.id}")
    db.session.refresh(office)
    assert office.name_ar == "جمرك الميناء الشمالي" and office.name == "North Seaport Customs House"
    assert "office.translate" in _actions() and "office.rename" not in _actions()
    log = client.get("/admin/offices?lang=ar").get_data(as_text=True)
    assert 'value="جمرك الميناء الشمالي"' in log
    client.post("/logout")
    login_as(users["supervisor"])
    arabic = client.get(f"/cases/{case.number}?lang=ar").get_data(as_text=True)
    assert "جمرك الميناء الشمالي" in arabic and "North Seaport Customs House" not in arabic
    french = client.get(f"/cases/{case.number}?lang=fr").get_data(as_text=True)
    assert "North Seaport Customs House" in french  # no French name: the English one
    listing = client.get("/cases?lang=ar").get_data(as_text=True)
    assert "جمرك الميناء الشمالي" in listing
    export = client.get("/cases/export.csv?lang=ar").get_data(as_text=True)
    assert "جمرك الميناء الشمالي" in export


def test_a_category_named_in_french_shows_in_french_and_an_unnamed_default_keeps_its_translation(
        client, users, login_as):
    fraud, bribery = category("fraud"), category("bribery")
    make_case(category_id=fraud.id)
    make_case(category_id=bribery.id)
    login_as(users["admin"])
    client.post(f"/admin/categories/{fraud.id}", data={"name": "Fraud", "name_fr": "Fraude douanière"})
    db.session.refresh(fraud)
    assert fraud.name_fr == "Fraude douanière"
    client.post("/logout")
    login_as(users["supervisor"])
    page = client.get("/cases?lang=fr").get_data(as_text=True)
    assert "Fraude douanière" in page
    assert "Bribery" not in page  # an unrenamed default category shows its shipped French label
    dashboard = client.get("/dashboard?lang=fr").get_data(as_text=True)
    assert "Fraude douanière" in dashboard


def test_posting_only_the_english_name_keeps_the_other_languages(client, users, login_as):
    office = Office(code="X1", name="Old name", name_ar="اسم")
    db.session.add(office)
    db.session.commit()
    login_as(users["admin"])
    client.post(f"/admin/offices/{office.id}", data={"name": "New name"})
    db.session.refresh(office)
    assert office.name == "New name" and office.name_ar == "اسم"
    assert "office.rename" in _actions()


def test_admin_names_the_unit_per_language_and_reports_use_it(app, client, users, login_as):
    login_as(users["admin"])
    page = client.get("/admin/unit?lang=ar")
    assert page.status_code == 200
    r = client.post("/admin/unit", data={"name_en": "Customs Integrity Unit", "name_ar": "وحدة نزاهة الجمارك"})
    assert r.status_code == 302 and r.location.endswith("/admin/unit#flash")
    assert {row.lang: row.name for row in db.session.scalars(sa.select(UnitName))} == {
        "en": "Customs Integrity Unit", "ar": "وحدة نزاهة الجمارك"}
    assert "unit.rename" in _actions()
    with app.test_request_context("/"):
        with force_locale("ar"):
            assert unit_name() == "وحدة نزاهة الجمارك"
        with force_locale("es"):
            assert unit_name() == "Customs Integrity Unit"  # no Spanish name: the English one
    shown = client.get("/admin/unit?lang=ar").get_data(as_text=True)
    assert "وحدة نزاهة الجمارك" in shown
    audit = client.get("/admin/unit")
    assert audit.status_code == 200
    client.post("/admin/unit", data={"name_en": "", "name_ar": ""})  # emptied: the configured name again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UnitName)) == 0


def test_a_name_too_long_is_refused_with_a_message(client, users, login_as):
    cat = category("fraud")
    login_as(users["admin"])
    r = client.post(f"/admin/categories/{cat.id}", data={"name": "Fraud", "name_ar": "x" * 150})
    assert r.status_code == 302
    db.session.refresh(cat)
    assert cat.name_ar is None
    assert db.session.get(Category, cat.id).name == "Fraud"


def test_the_investigation_report_names_the_office_in_the_readers_language(app):
    from caseflow.reports.content import investigation_content

    office = Office(code="P1", name="North Seaport Customs House", name_ar="جمرك الميناء الشمالي")
    db.session.add(office)
    db.session.commit()
    case = make_case(office_id=office.id)
    with app.test_request_context("/"):
        with force_locale("ar"):
            assert investigation_content(case)["office"] == "جمرك الميناء الشمالي"
        with force_locale("pt"):
            assert investigation_content(case)["office"] == "North Seaport Customs House"
