"""The monthly management report, mailed to every active manager through the outbox.

The outbox carries text only, so the mail is the report's summary (the figures as that manager sees them:
protected) with a link to the dashboard of the month, where the PDF is one button away. Each manager's mail is
queued once per month (its outbox kind names the month and the manager), so running the command twice sends
nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from caseflow import access, audit
from caseflow.channels.outbound import ack_language, queue_mail
from caseflow.dashboards.figures import Shown, present
from caseflow.dashboards.filters import DashboardFilters
from caseflow.dashboards.metrics import all_figures
from caseflow.deadlines import local_date
from caseflow.enums import Role
from caseflow.errors import ValidationError
from caseflow.extensions import db
from caseflow.i18n import unit_name
from caseflow.models import OutboxMail, User
from caseflow.reports.summary import concerns


@dataclass
class MailingResult:
    """What one run queued."""

    month: str
    queued: int = 0
    already: int = 0
    without_address: int = 0


def last_month() -> str:
    """Return the local month before this one, 'YYYY-MM'."""
    first = local_date().replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def month_filters(month: str) -> DashboardFilters:
    """Return the dashboard filters of one whole month 'YYYY-MM' (a clear error for anything else)."""
    try:
        start = date(int(month[:4]), int(month[5:7]), 1)
    except (ValueError, IndexError):
        raise ValidationError(_("A month is written YYYY-MM, e.g. 2026-01.")) from None
    if len(month) != 7 or month[4] != "-" or not date(1990, 1, 1) <= start <= local_date():
        raise ValidationError(_("A month is written YYYY-MM, e.g. 2026-01, and is not in the future."))
    return DashboardFilters(start=start, end=start).whole_months()


def _kind(month: str, user: User) -> str:
    return f"mgmt:{month}:{user.id}"


def _line(label: str, value: str) -> str:
    return f"- {label}: {value}"


def report_text(shown: list[Shown], filters: DashboardFilters, month: str) -> tuple[str, str]:
    """Return the subject and body of the month's report mail, from the figures as shown to the reader."""
    by_key = {s.key: s for s in shown}
    parts = [_("The management report for %(month)s.", month=month)]
    comparison = by_key.get("comparison")
    if comparison is not None:
        header = comparison.header
        parts.append("\n".join([_("Key figures") + f" ({header[1]}; {header[2]}; {header[4]})"] + [
            _line(r[0], f"{r[1]} ({r[2]}, {r[3]}; {r[4]}, {r[5]})") for r in comparison.body]))
    targets = by_key.get("targets")
    if targets is not None:
        parts.append("\n".join([_("Targets")] + [_line(r[0], f"{r[4]} / {r[1]} — {r[5]}") for r in targets.body]))
    parts.append("\n".join([_("Top concerns")] + [f"- {c}" for c in concerns(shown)] if concerns(shown)
                           else [_("Top concerns"), "- " + _("No target missed and nothing overdue.")]))
    base = str(current_app.config["CASEFLOW_STAFF_URL"]).rstrip("/")
    link = f"{base}/dashboard?{urlencode(filters.as_args())}"
    parts.append(_("The dashboard of the month, with the full report as PDF (button “Management report (PDF)”): "
                   "%(link)s", link=link))
    parts.append(_("These figures are protected like the dashboard: small counts are not shown and the others "
                   "carry a small fixed deviation."))
    parts.append(unit_name())
    return _("Management report %(month)s", month=month), "\n\n".join(parts)


def queue_management_reports(month: str | None = None) -> MailingResult:
    """Queue the month's report to every active manager with an e-mail address, in their language, once."""
    month = month or last_month()
    filters = month_filters(month)
    result = MailingResult(month=month)
    managers = db.session.scalars(sa.select(User).where(User.role == Role.MANAGER, User.active.is_(True))
                                  .order_by(User.id)).all()
    done = set(db.session.scalars(sa.select(OutboxMail.kind).where(OutboxMail.kind.like(f"mgmt:{month}:%"))))
    threshold = current_app.config["CASEFLOW_SUPPRESSION_THRESHOLD"]
    for user in managers:
        if _kind(month, user) in done:
            result.already += 1
            continue
        if not user.email:
            result.without_address += 1
            continue
        language = ack_language(user.language)
        with force_locale(language):
            exact = access.sees_exact_figures(user)
            figures = all_figures(filters, protected=not exact)
            shown = [present(fig, exact, threshold) for fig in figures]
            subject, body = report_text(shown, filters, month)
        queue_mail(user.email, subject, body, kind=_kind(month, user), language=language)
        audit.record("report.management_mailed", None, detail={"month": month, "to": user.username,
                                                               "language": language},
                     actor_label="send-management-report")
        result.queued += 1
    return result
