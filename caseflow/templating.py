"""Template filters that turn audit events into readable timeline lines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l

from caseflow.enums import CaseState, Channel, Finding, Priority, Role, Sanction
from caseflow.i18n import forward_arrow
from caseflow.models.letters import LetterKind
from caseflow.models.workspace import ReferralBody

ACTION_LABELS = {
    "case.receive": _l("Complaint received"),
    "case.acknowledge": _l("Receipt acknowledged"),
    "case.view": _l("Case opened"),
    "case.update": _l("Details changed"),
    "case.transition": _l("State changed"),
    "case.assign_lead": _l("Lead investigator assigned"),
    "case.team_add": _l("Team member added"),
    "case.team_remove": _l("Team member removed"),
    "case.move_unit": _l("Moved to another reporting unit"),
    "case.party_add": _l("Person added"),
    "case.subject_match": _l("Subject matched to a staff account"),
    "case.subject_match_decide": _l("Subject match decided"),
    "user.identity": _l("Staff names and badge changed"),
    "case.restrict": _l("Restriction changed"),
    "allegation.add": _l("Allegation recorded"),
    "allegation.finding": _l("Finding recorded"),
    "allegation.sanction_decided": _l("Sanction decided"),
    "access.denied": _l("Access denied"),
    "report.draft_save": _l("Report version saved"),
    "report.approve": _l("Report version approved and issued"),
    "report.return": _l("Report version sent back"),
    "access.refused": _l("Action refused"),
    "note.add": _l("Note added"),
    "person.update": _l("Person corrected"),
    "person.merge": _l("Duplicate people merged"),
    "identifier.add": _l("Identifier recorded"),
    "identifier.remove": _l("Identifier removed"),
    "report.issue": _l("Report issued"),
    "report.download": _l("Issued report or letter downloaded"),
    "letter.issue": _l("Letter issued"),
    "letter_template.update": _l("Letter template edited"),
    "letter_template.reset": _l("Letter template reset to the shipped text"),
    "export.cases": _l("Case list exported"),
    "view.save": _l("Case list view saved"),
    "view.rename": _l("Case list view renamed"),
    "view.delete": _l("Case list view deleted"),
    "export.dashboard": _l("Dashboard tables exported"),
    "mail.reply": _l("Reply received by e-mail"),
    "mail.ack_queued": _l("Acknowledgement queued for e-mail"),
    "mail.bounced": _l("Mail to the complainant bounced: contact undeliverable"),
    "mail.ignored": _l("Mail kept as not a complaint"),
    "attachment.refused": _l("Files refused"),
    "intake.minutes": _l("Minutes of the oral report recorded"),
    "intake.minutes_view": _l("Minutes read"),
    "case.link": _l("Case linked"),
    "case.unlink": _l("Case link removed"),
    "api.case_read": _l("Read through the API"),
    # confidential reporting (issue 3)
    "report.store": _l("Confidential report stored (encrypted)"),
    "case.feedback": _l("Feedback given to the reporter"),
    "reporter.login": _l("Reporter signed in with the receipt"),
    "reporter.message": _l("Reporter sent a message"),
    "reporter.identity_add": _l("Reporter added a sealed identity"),
    "reporter.reply": _l("Message sent to the reporter"),
    "reporter.content_view": _l("Confidential report read"),
    "identity.reveal_request": _l("Identity reveal requested"),
    "identity.reveal_approve": _l("Identity reveal approved"),
    "identity.reveal_refuse": _l("Identity reveal refused"),
    "identity.view": _l("Reporter identity viewed"),
    "attachment.store": _l("File stored"),
    "attachment.download": _l("File downloaded"),
    "attachment.original_view": _l("File as received (sealed original) opened"),
    # investigation workspace (issue 5)
    "case.conflict_declared": _l("Conflict-of-interest declaration made"),
    "case.triage_assessed": _l("Triage assessment recorded"),
    "case.legal_hold": _l("Legal hold changed"),
    "case.purge": _l("Content destroyed by the retention job"),
    "plan.save": _l("Investigation plan saved"),
    "task.add": _l("Task added"),
    "task.done": _l("Task done"),
    "task.reopen": _l("Task reopened"),
    "interview.add": _l("Interview recorded"),
    "evidence.register": _l("Evidence registered"),
    "evidence.custody": _l("Evidence handed over"),
    "evidence.check_ok": _l("Evidence hash checked: matches"),
    "evidence.hash_mismatch": _l("EVIDENCE HASH MISMATCH"),
    "referral.add": _l("Referral recorded"),
    "referral.response": _l("Referral response recorded"),
    "clock.reminder": _l("Deadline reminder sent"),
    "clock.escalation": _l("Overdue deadline escalated"),
    "file.download": _l("Workspace file downloaded"),
    "work_file.add": _l("File attached to a task or note"),
    "export.evidence_register": _l("Evidence register exported"),
    "case.access_grant": _l("Case access granted"),
    "case.access_revoke": _l("Case access withdrawn"),
    "csv.import": _l("Cases imported from CSV"),
    "mail.unparseable": _l("Unreadable e-mail set aside"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "audit.export": _l("Audit log exported"),
    "audit.verify": _l("Audit chain verified"),
    "auth.login": _l("Signed in"),
    "auth.logout": _l("Signed out"),
    "auth.login_failed": _l("Sign-in failed"),
    "auth.login_locked": _l("Sign-in refused: account locked"),
    "auth.lockout": _l("Account locked after failed sign-ins"),
    "auth.password_change": _l("Password changed"),
    "auth.password_rehash": _l("Password hash upgraded"),
    "auth.recovery_code_used": _l("Recovery code used"),
    "auth.session_expired": _l("Session expired"),
    "user.create": _l("Staff account created"),
    "user.activate": _l("Staff account activated or deactivated"),
    "user.role_change": _l("Role changed"),
    "user.password_reset": _l("Password reset by an administrator"),
    "user.force_logout": _l("Sessions ended by an administrator"),
    "reference.categories_seed": _l("Default categories added"),
    "category.add": _l("Category added"),
    "category.rename": _l("Category renamed"),
    "category.translate": _l("Category's names in other languages changed"),
    "category.activate": _l("Category restored"),
    "category.deactivate": _l("Category withdrawn"),
    "office.add": _l("Office added"),
    "office.rename": _l("Office renamed"),
    "office.translate": _l("Office's names in other languages changed"),
    "unit.rename": _l("Unit's name changed"),
    "office.headcount": _l("Office headcount set"),
    "report.management_mailed": _l("Monthly management report queued"),
    "office.activate": _l("Office restored"),
    "office.deactivate": _l("Office withdrawn"),
    "unit.create": _l("Reporting unit created"),
    "unit.update": _l("Reporting unit changed"),
    "unit.activate": _l("Reporting unit restored"),
    "unit.deactivate": _l("Reporting unit deactivated"),
    # questionnaires: the builder's changes, the default's installation, a case's answers
    "questionnaire.create": _l("Questionnaire created"),
    "questionnaire.update": _l("Questionnaire title changed"),
    "questionnaire.step_add": _l("Questionnaire step added"),
    "questionnaire.step_update": _l("Questionnaire step changed"),
    "questionnaire.step_move": _l("Questionnaire step moved"),
    "questionnaire.step_delete": _l("Questionnaire step deleted"),
    "questionnaire.question_add": _l("Question added"),
    "questionnaire.question_update": _l("Question changed"),
    "questionnaire.question_move": _l("Question moved"),
    "questionnaire.question_delete": _l("Question deleted"),
    "questionnaire.publish": _l("Questionnaire version published"),
    "questionnaire.retire": _l("Questionnaire version retired"),
    "questionnaire.new_version": _l("New questionnaire version drafted"),
    "questionnaire.install": _l("Default questionnaire installed"),
    "questionnaire.answers_store": _l("Questionnaire answers stored (encrypted)"),
    "questionnaire.answers_view": _l("Questionnaire answers read"),
}
HIDDEN_KEYS = {"note", "party", "allegation", "number", "task", "interview", "referral", "evidence", "user_id",
               "attachment", "message", "path", "method", "status", "chain_head", "changes", "route", "refused",
               "length", "name_uploaded", "file", "statement_name_uploaded", "sha256_original",
               "party_id", "interview_id", "referral_id"}
# Detail keys and machine actors shown on the timeline, in the reader's language (languages & accessibility).
DETAIL_LABELS = {"channel": _l("Channel"), "priority": _l("Priority"), "category": _l("Category"),
                 "office": _l("Office"), "reason": _l("Reason"), "title": _l("Title"), "finding": _l("Finding"),
                 "sanction": _l("Sanction"), "role": _l("Role"), "user": _l("User"), "name": _l("Name"),
                 "state": _l("State"), "outcome": _l("Outcome"), "receiving_body": _l("Receiving body"),
                 "kind": _l("Kind of body"), "body": _l("Receiving body"), "lead": _l("Lead investigator"),
                 "previous": _l("Previously"), "why": _l("Why"), "fields": _l("Changed"), "version": _l("Version"),
                 "report_id": _l("Report"), "variant": _l("Version"), "sha256": _l("SHA-256"),
                 "recommended_sanction": _l("Recommended sanction"), "decided_sanction": _l("Decided sanction"),
                 "reference": _l("Reference"), "on": _l("Date"), "owner": _l("Owner"), "due": _l("Due"),
                 "subject": _l("Subject"), "route": _l("Page or action"), "refused": _l("Refused"),
                 "has_conflict": _l("Conflict of interest"), "hold": _l("Legal hold"),
                 "restricted": _l("Restricted"), "identity": _l("Identity"), "files": _l("Files"),
                 "redacted_terms": _l("Values struck"), "content": _l("Complaint text"),
                 "receipt": _l("Receipt issued"), "unit": _l("Reporting unit"), "letter": _l("Letter"),
                 "language": _l("Language"), "previous_unit": _l("Previous reporting unit"),
                 "removed": _l("Taken off the case"), "source": _l("Source"), "type": _l("Type of file"),
                 "metadata_removed": _l("Metadata removed")}
FIELD_LABELS = {"title": _l("Title"), "summary": _l("Summary"), "category_id": _l("Category"),
                "priority": _l("Priority"), "office_id": _l("Office"), "admissible": _l("Admissible"),
                "retaliation_risk": _l("Risk of retaliation"), "incident_date": _l("When it happened"),
                "location_detail": _l("Where exactly"), "finding": _l("Finding"), "reasoning": _l("Reasoning"),
                "recommended_sanction": _l("Recommended sanction")}
DETAIL_ENUMS: dict[str, type] = {"channel": Channel, "priority": Priority, "finding": Finding, "sanction": Sanction,
                                 "state": CaseState, "role": Role, "recommended_sanction": Sanction,
                                 "decided_sanction": Sanction, "kind": ReferralBody,
                                 "letter": LetterKind}
# Reads are summarised ("opened 12 times by 3 people"), not listed one by one.
READ_ACTIONS = ("case.view", "reporter.content_view", "questionnaire.answers_view", "identity.view",
                "attachment.download", "file.download", "intake.minutes_view", "api.case_read", "report.download")
MACHINE_ACTORS = {"system": _l("system"), "retention_job": _l("the retention job")}


def audit_action(action: str) -> str:
    """Return the translated label of an audit action (the raw name if unknown)."""
    return str(ACTION_LABELS.get(action, action))


def _state(value: str) -> str:
    try:
        return CaseState(value).label
    except ValueError:
        return value


def _unit_label(key: str) -> str:
    from caseflow.extensions import db
    from caseflow.models.units import ReportingUnit

    unit = db.session.scalar(sa.select(ReportingUnit).where(ReportingUnit.key == key))
    return str(unit.label) if unit is not None else key


def _detail_value(key: str, value: object, names: dict[str, str] | None = None) -> str:
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list | tuple):
        return ", ".join(_detail_value(key, v, names) for v in value)
    if key == "fields" or (key in ("changes",) and isinstance(value, str)):
        return str(FIELD_LABELS.get(str(value), value))
    if key == "why" and value == "forbidden":
        return str(_l("no access to this case or page"))
    if names and key in ("user", "lead", "previous", "owner", "removed") and isinstance(value, str):
        return names.get(value, value)
    if key in ("unit", "previous_unit") and isinstance(value, str):
        return _unit_label(value)
    enum_class = DETAIL_ENUMS.get(key)
    try:
        return str(enum_class(value).label if enum_class else value)  # type: ignore[attr-defined]
    except ValueError:
        return str(value)


def audit_actor(label: str, names: dict[str, str] | None = None) -> str:
    """Return an audit event's actor for display (machine actors translated, usernames as full names if known)."""
    if label in MACHINE_ACTORS:
        return str(MACHINE_ACTORS[label])
    return (names or {}).get(label, label)


def event_label(action: str, detail: str) -> str:
    """Return the label of an event, told apart by its detail where one action covers two facts."""
    if action == "case.assign_lead" and '"lead":null' in (detail or "").replace(" ", ""):
        return str(_l("Lead investigator removed"))
    return audit_action(action)


def audit_detail(detail: str, names: dict[str, str] | None = None) -> str:
    """Return a short readable summary of an audit event's detail (labels and names; no ids, no raw JSON)."""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    if "from" in data and "to" in data:
        text = f"{_state(data['from'])} {forward_arrow()} {_state(data['to'])}"
        extra = [str(data[k]) for k in ("reason", "receiving_body", "outcome") if data.get(k)]
        return text + (": " + " · ".join(extra) if extra else "")
    parts = []
    if isinstance(data.get("changes"), dict):
        parts.append(f"{DETAIL_LABELS['fields']}: " + ", ".join(str(FIELD_LABELS.get(k, k)) for k in
                                                             sorted(data["changes"])))
    # Only what has a label is said: a detail kept for the chain (sizes, flags, hashes) is not for the reader.
    parts += [f"{DETAIL_LABELS[k]}: {_detail_value(k, v, names)}" for k, v in sorted(data.items())
              if k in DETAIL_LABELS and k not in HIDDEN_KEYS and not k.endswith("_id") and v not in (None, "", [])
              and not isinstance(v, dict)]
    return "; ".join(parts)[:300]


def clean_filename(name: str | None) -> str:
    """Return a stored file name as staff may see it (rows stored before names were cleaned included)."""
    from caseflow.attachments import safe_filename

    return safe_filename(name or "")


@dataclass
class ReadSummary:
    """How often one kind of read happened on a case, and by how many people."""

    label: str
    times: int
    people: int


def split_reads(events: list[Any]) -> tuple[list[Any], list[ReadSummary]]:
    """Return the events that are not reads, and the reads summarised per kind."""
    rows = [e for e in events if e.action not in READ_ACTIONS]
    summary = []
    for action in READ_ACTIONS:
        reads = [e for e in events if e.action == action]
        if reads:
            summary.append(ReadSummary(audit_action(action), len(reads), len({e.actor_label for e in reads})))
    return rows, summary


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(clean_filename, "clean_filename")
    app.add_template_filter(audit_action, "audit_action")
    app.add_template_filter(audit_detail, "audit_detail")
    app.add_template_filter(audit_actor, "audit_actor")
    app.add_template_filter(event_label, "event_label")
