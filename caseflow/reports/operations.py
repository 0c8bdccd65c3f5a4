"""Issuing reports: render, hash, record the IssuedReport and its audit event in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from caseflow import access, audit
from caseflow.clock import utcnow
from caseflow.dashboards.figures import Shown
from caseflow.dashboards.filters import DashboardFilters
from caseflow.errors import AccessDeniedError
from caseflow.extensions import db
from caseflow.i18n import current_language, unit_name
from caseflow.models import Case, CaseParty, ReportDraft, User
from caseflow.models.reports import DraftStatus, IssuedReport, ReportKind, ReportVariant
from caseflow.reports import drafts
from caseflow.reports.content import investigation_content
from caseflow.reports.investigation import render_investigation
from caseflow.reports.management import render_management
from caseflow.reports.pdf import DocMeta
from caseflow.reports.preview import Plan, plan_redaction


def new_report_id() -> str:
    """Return a fresh, unguessable report id (printed on every page)."""
    return "R-" + secrets.token_hex(8).upper()


def keep_pdf(case: Case, data: bytes, filename: str, actor: User, source: str) -> int:
    """Store an issued PDF in its case (encrypted, byte for byte, audited); return the attachment id."""
    from caseflow.attachments import KINDS, PreparedFile, store_attachment

    prepared = PreparedFile(filename, KINDS["pdf"], data, data, False)
    return store_attachment(case, filename, prepared, actor, source).id


def record_issue(data: bytes, kind: ReportKind, variant: ReportVariant, meta: DocMeta, actor: User,
                 case: Case | None, scope: str, detail: dict[str, Any], action: str = "report.issue",
                 filename: str | None = None) -> IssuedReport:
    """Record and audit an issued PDF (a case's document is also kept in the case, to be downloaded again)."""
    digest = hashlib.sha256(data).hexdigest()
    issued = IssuedReport(report_id=meta.report_id, kind=kind, variant=variant, case_id=case.id if case else None,
                          case_number=case.number if case else None, scope=scope[:300], sha256=digest,
                          chain_head=meta.chain_head, size=len(data), issued_by_id=actor.id, issued_at=utcnow(),
                          language=current_language())
    if case is not None:
        name = filename or f"{case.number}-{kind.value}-{variant.value}-{meta.report_id}.pdf"
        issued.attachment_id = keep_pdf(case, data, name, actor, "letter" if kind == ReportKind.LETTER else "report")
    db.session.add(issued)
    audit.record(action, actor, case, {"report_id": meta.report_id, "kind": kind.value,
                                       "variant": variant.value, "sha256": digest,
                                       "chain_head": meta.chain_head, **detail})
    db.session.flush()
    return issued


def issue_investigation_report(case: Case, actor: User, redacted: bool = False,
                               party_ids: Iterable[int] = (), extra_terms: Iterable[str] = (),
                               draft: ReportDraft | None = None) -> tuple[IssuedReport, bytes]:
    """Render a case's investigation report (full or redacted), record and audit it; return it with its bytes."""
    if not access.can_generate_report(actor, case, redacted=redacted):
        raise AccessDeniedError(_("You may not issue this report."))
    content = investigation_content(case, draft)
    variant = ReportVariant.REDACTED if redacted else ReportVariant.FULL
    n_terms = 0
    if redacted:
        plan = plan_redaction(case, content, party_ids, extra_terms)
        content = plan.redactor.deep(content)
        n_terms = len(plan.redactor.terms)
    unit = unit_name()
    meta = DocMeta(title=f"{case.number} — {content['title']}", subject=_("Investigation report"),
                   report_id=new_report_id(), chain_head=audit.head_hash(),
                   classification=_("CONFIDENTIAL") + (" — " + _("REDACTED") if redacted else ""),
                   issued=utcnow().strftime("%Y-%m-%d %H:%M UTC"))
    label = _("Redacted version: the reporter's identity and chosen names are removed.") if redacted \
        else _("Full version")
    data = render_investigation(content, meta, unit, label)
    issued = record_issue(data, ReportKind.INVESTIGATION, variant, meta, actor, case, case.number,
                     {"redacted_terms": n_terms, "version": content["narrative"]["version"]})
    return issued, data


def preview_redaction(case: Case, actor: User, party_ids: Iterable[int], phrases: Iterable[str]) -> Plan:
    """Return what the redacted report would strike, where and why, and the name-like words it would leave."""
    if not access.can_generate_report(actor, case, redacted=True):
        raise AccessDeniedError(_("You may not issue this report."))
    return plan_redaction(case, investigation_content(case), party_ids, phrases)


def redactable_parties(case: Case) -> list[CaseParty]:
    """Return the named people of a case a user can choose to redact."""
    return [p for p in case.parties if p.person is not None]


def issue_management_report(actor: User, filters: DashboardFilters, shown: list[Shown],
                            scope: list[tuple[str, str]]) -> tuple[IssuedReport, bytes]:
    """Render the management report for the presented figures, record and audit it."""
    if not access.can_view_dashboard(actor):
        raise AccessDeniedError(_("You may not issue this report."))
    suppressed = not access.sees_exact_figures(actor)
    meta = DocMeta(title=_("Management report %(start)s to %(end)s", start=filters.start.isoformat(),
                           end=filters.end.isoformat()),
                   subject=_("Management report"), report_id=new_report_id(), chain_head=audit.head_hash(),
                   classification=_("INTERNAL — AGGREGATE FIGURES"), issued=utcnow().strftime("%Y-%m-%d %H:%M UTC"))
    threshold = current_app.config["CASEFLOW_SUPPRESSION_THRESHOLD"]
    data = render_management(shown, meta, unit_name(), scope, suppressed, threshold,
                             _("%(start)s to %(end)s", start=filters.start.isoformat(), end=filters.end.isoformat()))
    variant = ReportVariant.REDACTED if suppressed else ReportVariant.FULL
    issued = record_issue(data, ReportKind.MANAGEMENT, variant, meta, actor, None,
                     " ".join(f"{k}={v}" for k, v in filters.as_args().items()),
                     {"scope": filters.as_args(), "suppressed": suppressed})
    return issued, data


def approve_report_draft(case: Case, actor: User, version: int) -> tuple[IssuedReport, bytes]:
    """Approve one version: it is issued as the full investigation report (recorded, hashed, audited)."""
    draft = drafts.reviewable_draft(case, actor, version)
    draft.status = DraftStatus.APPROVED
    draft.reviewed_by_id, draft.reviewed_at = actor.id, utcnow()
    case.report_approved_at, case.report_approved_by_id = draft.reviewed_at, actor.id
    db.session.flush()
    issued, data = issue_investigation_report(case, actor, redacted=False, draft=draft)
    draft.issued_report_id = issued.id
    audit.record("report.approve", actor, case, {"version": draft.version, "report_id": issued.report_id,
                                                 "sha256": issued.sha256})
    db.session.flush()
    return issued, data
