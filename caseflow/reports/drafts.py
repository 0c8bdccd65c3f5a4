"""The written investigation report: versions the lead saves, a supervisor approves (issuing it) or sends back."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from caseflow import access, audit
from caseflow.clock import utcnow
from caseflow.errors import AccessDeniedError, ValidationError
from caseflow.extensions import db
from caseflow.models import Case, ReportDraft, User
from caseflow.models.reports import DraftStatus

SECTIONS = {
    "background": _l("Background"),
    "allegations": _l("Allegations"),
    "evidence": _l("Evidence relied on"),
    "findings": _l("Findings"),
    "conclusions": _l("Conclusions"),
    "recommendations": _l("Recommendations"),
}
MAX_SECTION = 50000


def sections_of(draft: ReportDraft | None) -> dict[str, Any]:
    """Return a version's sections (the narrative texts and the analysis per allegation id)."""
    if draft is None:
        return {}
    try:
        data = json.loads(draft.sections)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def latest_draft(case: Case) -> ReportDraft | None:
    """Return the newest version of the case's report, or None."""
    return db.session.scalar(sa.select(ReportDraft).where(ReportDraft.case_id == case.id)
                             .order_by(ReportDraft.version.desc()).limit(1))


def approved_draft(case: Case) -> ReportDraft | None:
    """Return the approved version of the case's report, or None."""
    return db.session.scalar(sa.select(ReportDraft).where(ReportDraft.case_id == case.id,
                                                          ReportDraft.status == DraftStatus.APPROVED)
                             .order_by(ReportDraft.version.desc()).limit(1))


def versions(case: Case) -> list[ReportDraft]:
    """Return every version of the case's report, newest first."""
    return list(db.session.scalars(sa.select(ReportDraft).where(ReportDraft.case_id == case.id)
                                   .order_by(ReportDraft.version.desc())))


def save_report_draft(case: Case, actor: User, texts: dict[str, str], analysis: dict[int, str]) -> ReportDraft:
    """Save a new version of the report (earlier versions are kept); the lead investigator writes it."""
    if not access.can_write_report(actor, case):
        raise AccessDeniedError(_("Only the lead investigator writes the report, during the investigation."))
    own = {a.id for a in case.allegations}
    data: dict[str, Any] = {k: (texts.get(k) or "").strip()[:MAX_SECTION] for k in SECTIONS}
    data["analysis"] = {str(k): (v or "").strip()[:MAX_SECTION] for k, v in analysis.items() if k in own}
    if not any(data[k] for k in SECTIONS) and not any(data["analysis"].values()):
        raise ValidationError(_("The report is empty."))
    latest = latest_draft(case)
    if latest is not None and sections_of(latest) == data:
        raise ValidationError(_("The report has not changed."))
    draft = ReportDraft(case_id=case.id, version=(latest.version + 1) if latest else 1,
                        sections=json.dumps(data, ensure_ascii=False), status=DraftStatus.DRAFT, author_id=actor.id)
    db.session.add(draft)
    case.report_approved_at = case.report_approved_by_id = None  # a new version needs its own approval
    db.session.flush()
    audit.record("report.draft_save", actor, case, {"version": draft.version})
    return draft


def reviewable_draft(case: Case, actor: User, version: int) -> ReportDraft:
    """Return the latest version if this actor may review it now; refuse otherwise."""
    draft = latest_draft(case)
    if draft is None or draft.version != version:
        raise ValidationError(_("Only the latest version of the report can be reviewed."))
    if not access.can_review_report(actor, case, draft.author_id):
        raise AccessDeniedError(_("A supervisor who did not write the report reviews it, at the reporting stage."))
    if draft.status != DraftStatus.DRAFT:
        raise ValidationError(_("This version was already reviewed."))
    return draft


def return_report_draft(case: Case, actor: User, version: int, comment: str) -> ReportDraft:
    """Send one version back to the lead with the supervisor's comments."""
    draft = reviewable_draft(case, actor, version)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say what must change before the report can be approved."))
    draft.status = DraftStatus.RETURNED
    draft.reviewed_by_id, draft.reviewed_at, draft.review_comment = actor.id, utcnow(), comment[:MAX_SECTION]
    audit.record("report.return", actor, case, {"version": draft.version})
    db.session.flush()
    return draft
