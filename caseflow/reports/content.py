"""The investigation report's content, gathered as plain text so redaction can run over all of it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from caseflow import audit
from caseflow.enums import Channel, PartyRole
from caseflow.extensions import db
from caseflow.models import Case, ReportDraft, User
from caseflow.models.reports import DraftStatus
from caseflow.templating import audit_actor, audit_detail, event_label, split_reads


def _d(value: datetime | date | None, with_time: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return value.isoformat()


def _workspace(name: str) -> Any:
    """Return a workspace model by name, or None when the investigation workspace is not installed."""
    try:
        from caseflow.models import workspace
    except ImportError:
        return None
    return getattr(workspace, name, None)


def _rows_of(model_name: str, case: Case, order: str) -> list[Any]:
    model = _workspace(model_name)
    if model is None:
        return []
    return list(db.session.scalars(sa.select(model).where(model.case_id == case.id)
                                   .order_by(getattr(model, order), model.id)))


def _user_name(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id else None
    return user.full_name if user else "—"


def _evidence_file(item: Any) -> str:
    """Return the item's file name, flagged when the stored copy is not the file as received."""
    if not item.filename:
        return "—"
    if item.sha256 and item.stored_sha256 and item.sha256 != item.stored_sha256:
        return _("%(name)s (altered before storage; SHA-256 as received, not kept: %(sha)s)",
                 name=item.filename, sha=item.sha256)
    return str(item.filename)


def evidence(case: Case) -> list[dict[str, Any]]:
    """Return the evidence register with hashes and each item's chain of custody."""
    out = []
    for item in _rows_of("EvidenceItem", case, "seq"):
        out.append({
            "number": item.number, "description": item.description, "source": item.source or "—",
            "location": item.storage_location or "—", "file": _evidence_file(item),
            "sha256": item.stored_sha256 or item.sha256 or "—",
            "custody": [{"at": _d(c.occurred_at, True), "from": c.from_holder, "to": c.to_holder, "reason": c.reason}
                        for c in item.custody],
        })
    return out


def interviews(case: Case) -> list[dict[str, Any]]:
    """Return the interviews: who, role, when, where, by whom, summary, statement hash."""
    return [{"who": i.interviewee, "role": i.role.label if hasattr(i.role, "label") else str(i.role),
             "at": _d(i.held_at, True), "where": i.location or "—",
             "by": i.interviewer.full_name if i.interviewer else "—", "summary": i.summary or "",
             "statement": _statement(i)}
            for i in _rows_of("Interview", case, "held_at")]


def _statement(interview: Any) -> str:
    """Return the signed statement's name and the SHA-256 of the stored file, flagged if altered on the way in."""
    from caseflow.models import Attachment

    if not interview.statement_sha256:
        return ""
    stored = db.session.get(Attachment, interview.statement_attachment_id) if interview.statement_attachment_id \
        else None
    if stored is not None and stored.original_lost:
        return _("%(name)s · SHA-256 %(sha)s (altered before storage; SHA-256 as received, not kept: %(received)s)",
                 name=interview.statement_filename, sha=stored.sha256_stored, received=interview.statement_sha256)
    return f"{interview.statement_filename} · SHA-256 {interview.statement_sha256}"


def referrals(case: Case) -> list[dict[str, Any]]:
    """Return the referrals to outside bodies."""
    return [{"body": f"{r.body_kind.label} — {r.body_name}", "on": _d(r.referred_on),
             "reference": r.reference or "—", "response": r.response or ""}
            for r in _rows_of("Referral", case, "referred_on")]


def allegations(case: Case) -> list[dict[str, Any]]:
    """Return each allegation with its subject, finding, reasoning and sanctions."""
    return [{"n": i, "id": a.id, "reference": a.sanction_reference or "—",
             "subject": a.subject.display_name if a.subject else "—", "conduct": a.conduct,
             "category": a.category.label if a.category else "—",
             "finding": a.finding.label if a.finding else "—", "reasoning": a.finding_reasoning or "",
             "found_at": _d(a.finding_at),
             "recommended": a.recommended_sanction.label if a.recommended_sanction else "—",
             "decided": a.decided_sanction.label if a.decided_sanction else "—", "sanction_date": _d(a.sanction_date)}
            for i, a in enumerate(case.allegations, start=1)]


def _names() -> dict[str, str]:
    return dict(db.session.execute(sa.select(User.username, User.full_name)).tuples().all())


def timeline(case: Case) -> tuple[list[dict[str, str]], list[str]]:
    """Return the case's events as readable rows (labels, names, no ids) and its reads summarised."""
    names = _names()
    events = [e for e in audit.case_timeline(case.id) if e.action != "report.issue"]
    rows, reads = split_reads(events)
    lines = [_("%(what)s: %(times)s by %(people)s", what=r.label,
               times=ngettext("%(num)d time", "%(num)d times", r.times),
               people=ngettext("%(num)d person", "%(num)d people", r.people)) for r in reads]
    return ([{"at": _d(e.occurred_at, True), "who": audit_actor(e.actor_label, names),
              "what": event_label(e.action, e.detail), "detail": audit_detail(e.detail, names)} for e in rows], lines)


def reporter_status(case: Case) -> tuple[str, str]:
    """Return whether the report is anonymous for its readers, and what is known of the reporter's identity."""
    sealed = any(p.role == PartyRole.REPORTER for p in case.parties) or _has_sealed_identity(case)
    anonymous = case.is_anonymous or case.channel == Channel.WHISTLEBLOWER
    if case.is_anonymous and not sealed:
        identity = _("None given: the reporter stayed anonymous.")
    elif sealed:
        identity = _("Sealed: known only through the two-person reveal, never printed in this report.")
    else:
        identity = _("Named complainant.")
    return (_("yes") if anonymous or sealed else _("no")), identity


def _has_sealed_identity(case: Case) -> bool:
    from caseflow.models.intake import ReportSubmission

    return db.session.scalar(sa.select(ReportSubmission.id).where(
        ReportSubmission.case_id == case.id, ReportSubmission.identity_blob.is_not(None))) is not None


def narrative(case: Case, draft: ReportDraft | None) -> dict[str, Any]:
    """Return the written report of one version: its sections, the analysis per allegation, its status."""
    from caseflow.reports.drafts import SECTIONS, sections_of

    data = sections_of(draft)
    analysis = data.get("analysis") or {}
    return {
        "version": draft.version if draft else None,
        "status": draft.status.value if draft else None,
        "sections": {k: str(data.get(k) or "") for k in SECTIONS},
        "analysis": {a.id: str(analysis.get(str(a.id)) or "") for a in case.allegations},
        "approved_by": draft.reviewed_by.full_name if draft and draft.reviewed_by and
        draft.status == DraftStatus.APPROVED else "",
        "approved_at": _d(draft.reviewed_at, True) if draft and draft.status == DraftStatus.APPROVED else "",
        "author": draft.author.full_name if draft and draft.author else "",
    }


def investigation_content(case: Case, draft: ReportDraft | None = None) -> dict[str, Any]:
    """Return everything the investigation report shows, as plain strings and lists."""
    from caseflow.reports.drafts import approved_draft, latest_draft

    draft = draft or approved_draft(case) or latest_draft(case)
    parties = [{"role": p.role.label, "name": p.display_name or "—", "id": p.id,
                "position": (p.person.position or "") if p.person else ""}
               for p in case.parties if p.role != PartyRole.REPORTER]
    anonymous, identity = reporter_status(case)
    events, reads = timeline(case)
    return {
        "number": case.number, "title": case.title, "summary": case.summary or "",
        "category": case.category.label if case.category else "—", "office": case.office.label if case.office else "—",
        "channel": case.channel.label, "priority": case.priority.label, "state": case.state.label,
        "anonymous": anonymous, "identity": identity,
        "lead": case.lead_investigator.full_name if case.lead_investigator else "—",
        "team": [m.user.full_name for m in case.team],
        "dates": [(_("Received"), _d(case.received_at)), (_("Acknowledged"), _d(case.acknowledged_at)),
                  (_("Triage decided"), _d(case.triaged_at)),
                  (_("Investigation opened"), _d(case.investigation_started_at)),
                  (_("Report stage"), _d(case.reporting_at)), (_("Closed"), _d(case.closed_at))],
        "incident": case.incident_date or "—", "location": case.location_detail or "—",
        "outcome": case.outcome or "", "decision_reason": case.decision_reason or "",
        "approved_by": _user_name(case.report_approved_by_id), "approved_at": _d(case.report_approved_at),
        "parties": parties, "allegations": allegations(case), "evidence": evidence(case),
        "interviews": interviews(case), "referrals": referrals(case), "timeline": events, "reads": reads,
        "narrative": narrative(case, draft), **_answers(case),
    }


def _answers(case: Case) -> dict[str, Any]:
    """Return the questionnaire answers the case was reported with (label in the reader's language, answer)."""
    from caseflow.i18n import current_language
    from caseflow.questionnaires import text_in
    from caseflow.questionnaires.drafts import answer_list

    found = answer_list(case, current_language())
    if found is None:
        return {"answers": [], "answers_title": ""}
    questionnaire, rows = found
    title = _("Answers to “%(title)s” (version %(v)s)", title=text_in(questionnaire.title, current_language()),
              v=str(questionnaire.version))
    return {"answers": [[label, answer] for label, answer in rows], "answers_title": title}
