"""The case page's compact header and timeline filter: next deadline, sealed identity status, kinds of events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from caseflow import deadlines
from caseflow.enums import PartyRole
from caseflow.models import Case
from caseflow.templating import READ_ACTIONS

TIMELINE_KINDS = {"changes": _l("Changes"), "messages": _l("Messages"), "files": _l("Files"), "reads": _l("Reads")}
MESSAGE_ACTIONS = ("reporter.message", "reporter.reply", "reporter.login", "case.feedback", "mail.reply",
                   "mail.ack_queued", "mail.bounced", "case.acknowledge")
FILE_PREFIXES = ("attachment.", "evidence.", "file.")


@dataclass
class CaseHeader:
    """What the header shows above every section of the case page."""

    next_clock: deadlines.ClockStatus | None
    identity: str  # a sentence on the reporter's sealed identity


def identity_status(case: Case) -> str:
    """Return where the reporter's identity stands: none given, sealed, reveal requested, or revealed."""
    from caseflow.models.intake import RevealStatus
    from caseflow.reporting.operations import current_reveal, submission_of

    submission = submission_of(case)
    if submission is not None and submission.identity_blob is not None:
        reveal = current_reveal(case)
        if reveal is not None and reveal.status == RevealStatus.APPROVED:
            return str(_l("Identity sealed; a reveal was approved"))
        if reveal is not None:
            return str(_l("Identity sealed; a reveal is requested"))
        return str(_l("Identity sealed"))
    if any(p.role == PartyRole.REPORTER for p in case.parties):
        return str(_l("Reporter named, identity sealed"))
    return str(_l("Anonymous: no identity given")) if case.is_anonymous else str(_l("No reporter identity recorded"))


def case_header(case: Case) -> CaseHeader:
    """Return the compact header of a case."""
    return CaseHeader(deadlines.next_running_clock(case), identity_status(case))


def event_kind(action: str) -> str:
    """Return which timeline filter an audit action belongs to: reads, messages, files or changes."""
    if action in READ_ACTIONS:
        return "reads"
    if action in MESSAGE_ACTIONS:
        return "messages"
    if action.startswith(FILE_PREFIXES):
        return "files"
    return "changes"


def timeline_kind(value: str | None) -> str | None:
    """Return a timeline filter from the query string, or None (everything but reads) for anything else."""
    return value if value in TIMELINE_KINDS else None


def filter_timeline(events: list[Any], kind: str | None) -> list[Any]:
    """Return the events of one kind; with no kind, every event but the reads (summarised apart)."""
    if kind is None:
        return [e for e in events if event_kind(e.action) != "reads"]
    return [e for e in events if event_kind(e.action) == kind]
