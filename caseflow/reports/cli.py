"""`flask caseflow verify-report FILE`: tell whether a PDF is one CaseFlow issued and unaltered."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from caseflow.cli import group


@group.command("verify-report")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_report(path: Path) -> None:
    """Verify an issued report PDF by its SHA-256; exit non-zero if it is unknown or altered."""
    from caseflow.reports.verify import verify_pdf

    verdict = verify_pdf(path.read_bytes())
    issued = verdict.issued
    if verdict.ok and issued is not None:
        click.echo(f"VALID: issued by CaseFlow and unaltered (SHA-256 {verdict.sha256})")
        click.echo(f"  report:     {issued.report_id} ({issued.kind.value}, {issued.variant.value})")
        click.echo(f"  case:       {issued.case_number or '-'}")
        click.echo(f"  scope:      {issued.scope or '-'}")
        click.echo(f"  issued:     {issued.issued_at:%Y-%m-%d %H:%M:%S} UTC by "
                   f"{issued.issued_by.username if issued.issued_by else '-'}")
        click.echo(f"  chain head: {issued.chain_head}")
        return
    if issued is not None:
        click.echo(f"ALTERED: the file claims to be report {issued.report_id} "
                   f"(case {issued.case_number or '-'}, issued {issued.issued_at:%Y-%m-%d %H:%M} UTC), "
                   f"but its SHA-256 {verdict.sha256} differs from the issued {issued.sha256}", err=True)
    elif verdict.claimed_id:
        click.echo(f"UNKNOWN: the file claims report id {verdict.claimed_id}, which CaseFlow never issued", err=True)
    else:
        click.echo(f"UNKNOWN: not a report issued by CaseFlow (SHA-256 {verdict.sha256})", err=True)
    sys.exit(1)


@group.command("send-management-report")
@click.option("--month", default=None, metavar="YYYY-MM", help="The month to report (default: last month).")
def send_management_report(month: str | None) -> None:
    """Queue the monthly management report to every active manager (once per month); send-mail delivers it."""
    from caseflow import uow
    from caseflow.errors import ValidationError
    from caseflow.reports.mailing import queue_management_reports

    try:
        with uow.unit_of_work():
            result = queue_management_reports(month)
    except ValidationError as exc:
        click.echo(f"send-management-report: {exc.message}", err=True)
        sys.exit(2)
    click.echo(f"send-management-report {result.month}: {result.queued} queued, {result.already} already queued, "
               f"{result.without_address} without an e-mail address")
