"""The cron commands: `flask caseflow sweep` and `flask caseflow purge [--dry-run]`."""

from __future__ import annotations

import click
from flask import current_app

from caseflow import uow
from caseflow.cli import group


@group.command("sweep")
def sweep_command() -> None:
    """Remind assignees of legal clocks about to expire, escalate overdue ones, refresh the dashboard (cron)."""
    from caseflow.dashboards.rollup import refresh_all_stale
    from caseflow.investigation.sweep import run_sweep

    with uow.unit_of_work():
        result = run_sweep()
    with uow.unit_of_work():
        months = refresh_all_stale()
    for line in result.lines:
        click.echo(line)
    click.echo(f"sweep: {result.reminders} reminder(s), {result.escalations} escalation(s); "
               f"dashboard: {months} month part(s) recomputed")
    if current_app.config.get("CASEFLOW_SMTP_HOST"):
        from caseflow.channels.outbound import send_pending

        sent = send_pending()
        click.echo(f"mail: {sent.sent} sent")


@group.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be archived and destroyed; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Archive cases past their retention period and destroy their content (legal holds are kept)."""
    from caseflow.investigation.purge import run_purge

    with uow.unit_of_work():
        result = run_purge(dry_run=dry_run)
        if dry_run:
            uow.discard()
    for line in result.lines:
        click.echo(line)
    verb = "would archive" if dry_run else "archived"
    click.echo(f"purge: {verb} {len(result.archived)} case(s); {len(result.held)} kept under legal hold")
