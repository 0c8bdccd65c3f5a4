"""Demo data: users for every role, offices, and ~200 realistic cases walked through the workflow."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from caseflow import workflow
from caseflow.auth.operations import create_user
from caseflow.cases import operations as ops
from caseflow.clock import Clock, FrozenClock, get_clock, set_clock, utcnow
from caseflow.enums import CaseState, Channel, Finding, PartyRole, Priority, Role, Sanction
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.intake.operations import acknowledge_case, receive_complaint
from caseflow.investigation.demo_data import add_workspace
from caseflow.models import Category, Office, UnitName, User
from caseflow.models.intake import ReportSubmission
from caseflow.models.units import ReportingUnit
from caseflow.reference import ensure_categories
from caseflow.reporting import operations as reporting

DEMO_PASSWORD = "Demo!CaseFlow-2026"  # noqa: S105 - published demo credential
DEMO_USERS = [
    ("intake", "Inès Moreau", Role.INTAKE_OFFICER),
    ("ivan", "Ivan Petrov", Role.INVESTIGATOR),
    ("iris", "Iris Okafor", Role.INVESTIGATOR),
    ("omar", "Omar Haddad", Role.INVESTIGATOR),
    ("sara", "Sara Lindqvist", Role.SUPERVISOR),
    ("samuel", "Samuel Costa", Role.SUPERVISOR),
    ("maria", "María Fernández", Role.MANAGER),
    ("aude", "Aude Laurent", Role.AUDITOR),
    ("adam", "Adam Novak", Role.ADMIN),
    # the Ethics Office's own staff (see DEMO_UNITS)
    ("eva", "Eva Horvat", Role.INTAKE_OFFICER),
    ("emil", "Emil Larsen", Role.INVESTIGATOR),
    ("esther", "Esther Mensah", Role.SUPERVISOR),
]
# Two reporting units with their own staff: (key, names, descriptions, members, supervisors, categories).
DEMO_UNITS = [
    ("internal-affairs",
     {"en": "Internal Affairs", "fr": "Affaires internes", "es": "Asuntos Internos", "pt": "Assuntos Internos",
      "ar": "الشؤون الداخلية"},
     {"en": "Bribery, extortion, smuggling and abuse of authority by customs staff.",
      "fr": "Corruption, extorsion, contrebande et abus d'autorité par le personnel des douanes.",
      "es": "Soborno, extorsión, contrabando y abuso de autoridad del personal de aduanas.",
      "pt": "Suborno, extorsão, contrabando e abuso de autoridade por funcionários aduaneiros.",
      "ar": "الرشوة والابتزاز والتهريب وإساءة استعمال السلطة من قبل موظفي الجمارك."},
     ["intake", "ivan", "iris", "omar"], ["sara", "samuel"], None),
    ("ethics",
     {"en": "Ethics Office", "fr": "Bureau de la déontologie", "es": "Oficina de Ética", "pt": "Gabinete de Ética",
      "ar": "مكتب الأخلاقيات"},
     {"en": "Conflicts of interest, gifts, outside work and service complaints.",
      "fr": "Conflits d'intérêts, cadeaux, activités extérieures et plaintes sur le service.",
      "es": "Conflictos de intereses, regalos, actividades externas y quejas sobre el servicio.",
      "pt": "Conflitos de interesses, presentes, atividades externas e queixas sobre o serviço.",
      "ar": "تضارب المصالح والهدايا والأعمال الخارجية والشكاوى المتعلقة بالخدمة."},
     ["eva", "emil"], ["esther"], ("conflict_of_interest", "service_complaint")),
]

# Offices with their names in English, French, Spanish, Portuguese and Arabic.
OFFICES = [
    ("PORT-N", "North Seaport Customs House", "Bureau de douane du port nord", "Aduana del puerto norte",
     "Alfândega do porto norte", "جمرك الميناء الشمالي"),
    ("AIR-C", "International Airport Cargo Terminal", "Terminal de fret de l’aéroport international",
     "Terminal de carga del aeropuerto internacional", "Terminal de carga do aeroporto internacional",
     "محطة الشحن في المطار الدولي"),
    ("LAND-E", "Eastern Land Border Post", "Poste frontière terrestre est", "Puesto fronterizo terrestre este",
     "Posto fronteiriço terrestre leste", "المركز الحدودي البري الشرقي"),
    ("LAND-S", "Southern Land Border Post", "Poste frontière terrestre sud", "Puesto fronterizo terrestre sur",
     "Posto fronteiriço terrestre sul", "المركز الحدودي البري الجنوبي"),
    ("FZ-1", "Free Zone Clearance Office", "Bureau de dédouanement de la zone franche",
     "Oficina de despacho de la zona franca", "Estância de desalfandegamento da zona franca",
     "مكتب التخليص في المنطقة الحرة"),
    ("HQ-TAR", "Headquarters Tariff Division", "Division du tarif de l’administration centrale",
     "División de aranceles de la sede central", "Divisão pautal dos serviços centrais",
     "شعبة التعريفة في المقر الرئيسي"),
    ("RAIL-W", "Western Rail Freight Station", "Gare de fret ferroviaire ouest",
     "Estación de mercancías ferroviaria oeste", "Estação ferroviária de mercadorias oeste",
     "محطة الشحن بالسكك الحديدية الغربية"),
]
UNIT_NAMES = {"en": "Integrity and Internal Affairs Unit", "fr": "Unité d’intégrité et des affaires internes",
              "es": "Unidad de Integridad y Asuntos Internos", "pt": "Unidade de Integridade e Assuntos Internos",
              "ar": "وحدة النزاهة والشؤون الداخلية"}
HEADCOUNTS = {"PORT-N": 420, "AIR-C": 310, "LAND-E": 180, "LAND-S": 150, "FZ-1": 95, "HQ-TAR": 260, "RAIL-W": 70}
# Days from the incident to the report, drawn from a second generator so the main sequence stays as it was
INCIDENT_DELAYS = ((3, 25), (15, 30), (45, 20), (200, 10), (500, 5))
TITLES = {
    "bribery": ["Officer asked for cash to release a container", "Payment demanded to skip inspection",
                "Gift accepted in exchange for a lower valuation"],
    "extortion": ["Trucker threatened with seizure unless he paid", "Broker forced to pay 'express fee'"],
    "abuse_of_authority": ["Goods detained without legal basis", "Traveller searched in humiliating manner"],
    "conflict_of_interest": ["Inspector clears shipments of a relative's firm",
                             "Officer owns shares in a brokerage he supervises"],
    "fraud": ["Falsified origin certificates accepted", "Duty refunds paid to a shell company"],
    "smuggling_collusion": ["Scanner switched off during a known smuggler's crossing",
                            "Seized cigarettes disappeared from the warehouse"],
    "misconduct": ["Officer drunk on duty at the checkpoint", "Confidential manifest shared on social media"],
    "service_complaint": ["Clearance delayed for three weeks without explanation", "Rude treatment at the counter"],
    "other": ["Anonymous tip about after-hours activity in the yard"],
}
SUBJECTS = ["Marc Dubois", "Elena Rossi", "Karim Benali", "João Pereira", "Lucía Gómez", "Tomasz Nowak",
            "Fatima Zahra", "Pieter de Vries", "Nadia Rahman", "George Miller", "Ana Silva", "Yusuf Demir"]
CHANNEL_WEIGHTS = [(Channel.WEB, 25), (Channel.WHISTLEBLOWER, 25), (Channel.EMAIL, 15), (Channel.PHONE, 10),
                   (Channel.HOTLINE, 8), (Channel.LETTER, 6), (Channel.WALK_IN, 5), (Channel.API, 3),
                   (Channel.CSV, 2), (Channel.INTERNAL, 1)]


def _ensure_users() -> dict[str, User]:
    users = {}
    for username, name, role in DEMO_USERS:
        users[username] = create_user(username, name, role, DEMO_PASSWORD, email=f"{username}@caseflow.invalid")
    return users


def _ensure_units(users: dict[str, User]) -> dict[str, ReportingUnit]:
    """Create the demo's two reporting units with their staff (only the demo makes units, never init)."""
    from caseflow.questionnaires.default import install_default_questionnaire
    from caseflow.units.operations import UnitFields, create_unit

    install_default_questionnaire()  # Internal Affairs asks its step-by-step customs questionnaire
    return {key: create_unit(UnitFields(key=key, names=names, descriptions=descriptions,
                                        questionnaire_key="customs" if key == "internal-affairs" else None,
                                        member_ids=[users[u].id for u in members],
                                        supervisor_ids=[users[u].id for u in supervisors]), None)
            for key, names, descriptions, members, supervisors, _codes in DEMO_UNITS}


def _unit_of(code: str) -> str:
    """Return the key of the demo unit that takes complaints of this category (the first unit takes the rest)."""
    for key, *_rest, codes in DEMO_UNITS:
        if codes and code in codes:
            return str(key)
    return str(DEMO_UNITS[0][0])


def _staff(unit_key: str) -> tuple[str, list[str], list[str]]:
    """Return the intake officer, investigators and supervisors of a demo unit."""
    members, supervisors = next((m, s) for key, _n, _d, m, s, _c in DEMO_UNITS if key == unit_key)
    roles = dict((u, r) for u, _n, r in DEMO_USERS)
    intake = next(u for u in members if roles[u] == Role.INTAKE_OFFICER)
    return intake, [u for u in members if roles[u] == Role.INVESTIGATOR], supervisors


def _incident(rng: random.Random, received_at: datetime) -> str | None:
    """Return a demo "when it happened" answer: a date some days before receipt, or (one in six) none."""
    if rng.random() < 1 / 6:
        return None
    typical = rng.choices([d for d, _w in INCIDENT_DELAYS], [w for _d, w in INCIDENT_DELAYS])[0]
    return (received_at - timedelta(days=int(rng.uniform(0.3, 1.7) * typical))).date().isoformat()


def _ensure_offices() -> list[Office]:
    offices = []
    for code, name, fr, es, pt, ar in OFFICES:
        office = Office(code=code, name=name, name_fr=fr, name_es=es, name_pt=pt, name_ar=ar,
                        headcount=HEADCOUNTS.get(code))
        db.session.add(office)
        offices.append(office)
    db.session.add_all(UnitName(lang=lang, name=name) for lang, name in UNIT_NAMES.items())
    db.session.flush()
    return offices


def _walk(case_rng: random.Random, clock: FrozenClock, case: object, users: dict[str, User],
          final: CaseState, today: datetime) -> None:
    """Move a case from received towards its final state, with plausible gaps in time, none after today."""
    intake, leads, supervisors = _staff(case.unit.key)  # type: ignore[attr-defined]
    sup = users[case_rng.choice(supervisors)]
    lead = users[case_rng.choice(leads)]

    def step(target: CaseState, actor: User | None, days: float, **kw: object) -> None:
        clock.advance(days=days, hours=case_rng.uniform(0, 8))
        if clock.at > today:
            raise StopIteration
        workflow.transition_case(case, target, actor, **kw)  # type: ignore[arg-type]

    if final == CaseState.RECEIVED:
        return
    step(CaseState.TRIAGE, users[intake], case_rng.uniform(0.2, 3))
    if final == CaseState.TRIAGE:
        return
    if final in (CaseState.DISMISSED, CaseState.ARCHIVED):
        step(CaseState.DISMISSED, sup, case_rng.uniform(1, 12),
             reason="No indication of misconduct; the matter is a commercial dispute.")
        if final == CaseState.ARCHIVED:
            step(CaseState.ARCHIVED, None, 731)
        return
    if final == CaseState.REFERRED:
        step(CaseState.REFERRED, sup, case_rng.uniform(1, 12), reason="Criminal offence outside our mandate.",
             receiving_body=case_rng.choice(["National Anti-Corruption Commission", "Public Prosecutor",
                                             "Police Financial Crimes Unit"]))
        return
    subject = next(p for p in case.parties if p.role == PartyRole.SUBJECT)  # type: ignore[attr-defined]
    ops.add_allegation(case, sup, subject, case.title)  # type: ignore[arg-type, attr-defined]
    ops.assign_lead_investigator(case, lead, sup)  # type: ignore[arg-type]
    step(CaseState.INVESTIGATION, sup, case_rng.uniform(1, 10))
    add_workspace(case_rng, case, lead, sup)  # type: ignore[arg-type]
    _talk_to_reporter(case_rng, clock, case, lead, today)
    if final == CaseState.INVESTIGATION:
        return
    if final == CaseState.ON_HOLD:
        step(CaseState.ON_HOLD, sup, case_rng.uniform(5, 40), reason="Criminal proceedings pending.")
        return
    for allegation in case.allegations:  # type: ignore[attr-defined]
        finding = case_rng.choice(list(Finding))
        sustained = finding == Finding.SUSTAINED
        clock.advance(days=case_rng.uniform(10, 60))
        if clock.at > today:  # nothing is dated after today
            raise StopIteration
        sanction = case_rng.choice(list(Sanction)[1:]) if sustained else None
        decided = sanction if sustained and case_rng.random() < 0.7 else None
        ops.record_finding(allegation, lead, finding, "Documents and two witness interviews support this.",
                           recommended_sanction=sanction)
        if decided is not None:  # the disciplinary authority decides, not the investigator
            ops.decide_sanction(allegation, sup, decided, clock.at.date(), f"DA/{clock.at.year}/{allegation.id}")
    step(CaseState.REPORTING, lead, case_rng.uniform(1, 5))
    if final == CaseState.REPORTING:
        return
    from caseflow.reports import drafts
    from caseflow.reports.operations import approve_report_draft

    draft = drafts.save_report_draft(case, lead, {  # type: ignore[arg-type]
        "background": "The complaint was received, triaged and investigated as planned.",
        "evidence": "Documents and two witness interviews.", "conclusions": "The findings follow the evidence.",
        "recommendations": "Forward the findings to the disciplinary board."}, {})
    approve_report_draft(case, sup, draft.version)  # type: ignore[arg-type]
    step(CaseState.CLOSED, sup, case_rng.uniform(2, 15),
         outcome="Report approved; findings forwarded to the disciplinary board.")


def _talk_to_reporter(rng: random.Random, clock: FrozenClock, case: object, lead: User, today: datetime) -> None:
    """Give the reporter feedback (mostly within the legal time) and, often, let an anonymous one reply."""
    clock.advance(days=rng.uniform(20, 120))
    if clock.at > today:
        return
    reporting.reply_to_reporter(case, lead, "We have opened an investigation into your report.")  # type: ignore[arg-type]
    submission = db.session.scalar(sa.select(ReportSubmission).where(
        ReportSubmission.case_id == case.id))  # type: ignore[attr-defined]
    if submission is not None and rng.random() < 0.6:
        clock.advance(days=rng.uniform(1, 10))
        if clock.at <= today:
            reporting.record_reporter_login(submission)
            reporting.post_reporter_message(submission, "Thank you. I can add that it happened twice.")


def _badge(name: str) -> str:
    """Return a subject's badge number: the same person always carries the same one."""
    return f"C-{1000 + 37 * SUBJECTS.index(name)}"


def _final_state(rng: random.Random, age_days: float) -> CaseState:
    if age_days < 10:
        return rng.choice([CaseState.RECEIVED, CaseState.RECEIVED, CaseState.TRIAGE])
    if age_days < 60:
        return rng.choice([CaseState.TRIAGE, CaseState.INVESTIGATION, CaseState.INVESTIGATION,
                           CaseState.DISMISSED, CaseState.REFERRED, CaseState.RECEIVED])
    if age_days < 200:
        return rng.choice([CaseState.INVESTIGATION, CaseState.ON_HOLD, CaseState.REPORTING, CaseState.CLOSED,
                           CaseState.DISMISSED, CaseState.REFERRED])
    if age_days > 748:
        return CaseState.ARCHIVED
    return rng.choice([CaseState.CLOSED, CaseState.CLOSED, CaseState.CLOSED, CaseState.DISMISSED,
                       CaseState.REFERRED, CaseState.INVESTIGATION])


def load_demo(cases: int = 200, seed: int = 2026) -> int:
    """Create the demo users, offices and cases unless users already exist; return cases created."""
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        return 0
    rng = random.Random(seed)
    delays = random.Random(seed + 1)
    ensure_categories()
    users = _ensure_users()
    units = _ensure_units(users)
    offices = _ensure_offices()
    categories = {c.code: c for c in db.session.scalars(sa.select(Category))}
    channels, weights = zip(*CHANNEL_WEIGHTS, strict=True)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    previous: Clock = get_clock()
    real_now = utcnow()
    # A third of the cases arrived in the last 90 days, so every open state is well represented.
    starts = sorted(real_now - timedelta(days=rng.uniform(0, 90) if i % 3 == 0 else rng.uniform(0, 775))
                    for i in range(cases))
    try:
        for received_at in starts:
            clock = FrozenClock(received_at)
            set_clock(app, clock)
            code = rng.choice(list(TITLES))
            channel = rng.choices(channels, weights)[0]
            staff_channel = channel in (Channel.PHONE, Channel.HOTLINE, Channel.LETTER, Channel.WALK_IN,
                                        Channel.INTERNAL)
            unit = units[_unit_of(code)]
            intake = users[_staff(unit.key)[0]]
            case = receive_complaint(
                channel=channel, title=rng.choice(TITLES[code]), actor=intake if staff_channel else None, unit=unit,
                summary="Reported by the complainant; details in the intake record.",
                category_id=categories[code].id, office_id=rng.choice(offices).id,
                priority=rng.choices(list(Priority), [3, 5, 3, 1])[0],
                is_anonymous=channel == Channel.WHISTLEBLOWER, incident_date=_incident(delays, received_at),
                subjects=[{"full_name": (subject := rng.choice(SUBJECTS)), "badge_number": _badge(subject)}],
                content=("What happened:\nDemo report sent through the public form; the text is stored encrypted."
                         if not staff_channel and channel in (Channel.WEB, Channel.WHISTLEBLOWER) else None),
                identity={"name": "Demo Reporter", "contact": "demo.reporter@example.org"}
                if channel == Channel.WEB else None).case
            clock.advance(days=rng.uniform(0, 9) if staff_channel else 0)
            if clock.at > real_now:  # not acknowledged yet
                continue
            acknowledge_case(case, intake if staff_channel else None)
            try:
                _walk(rng, clock, case, users, _final_state(rng, (real_now - received_at).days), real_now)
            except (StopIteration, CaseFlowError):
                pass
    finally:
        set_clock(app, previous)
    return cases
