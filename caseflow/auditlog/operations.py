"""Audited reads of the audit log itself: exporting it and verifying its chain."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask_babel import gettext as _

from caseflow import audit
from caseflow.auditlog.queries import AuditFilters, events_query
from caseflow.exports import neutralise
from caseflow.extensions import db
from caseflow.models import User


def record_export(actor: User, filters: AuditFilters) -> None:
    """Audit that the actor exported the audit log with these filters."""
    audit.record("audit.export", actor, detail={"filters": filters.as_detail()})
    db.session.flush()


def csv_lines(filters: AuditFilters) -> Iterator[str]:
    """Yield the matching events as CSV text, header first, with formula-like cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    writer.writerow([_("Sequence"), _("When (UTC)"), _("User"), _("User id"), _("Case"), _("Action"),
                     _("Detail"), _("Previous hash"), _("Hash")])
    yield "\ufeff" + flush()
    stmt = events_query(filters).execution_options(yield_per=2000)
    for event, number in db.session.execute(stmt):
        writer.writerow([neutralise(v) for v in (
            event.seq, event.occurred_at.isoformat(sep=" ", timespec="seconds"), event.actor_label,
            event.actor_id, number or (event.case_id or ""), event.action, event.detail, event.prev_hash,
            event.hash)])
        yield flush()


def verify_log(actor: User) -> audit.VerifyResult:
    """Verify the whole hash chain and audit that the actor did so, with the outcome."""
    result = audit.verify_chain()
    audit.record("audit.verify", actor, detail={"ok": result.ok, "count": result.count,
                                                "broken_seq": result.broken_seq})
    db.session.flush()
    return result
