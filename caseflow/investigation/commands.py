"""The cron commands: `flask caseflow sweep` and `flask caseflow purge [--dry-run]`."""

from __future__ import annotations

import click
from flask import current_app

from caseflow.cli import group
from caseflow.extensions import db


@group.command("sweep")
def sweep_command() -> None:
    """Remind assignees of legal clocks about to expire and escalate overdue ones (idempotent; run by cron)."""
    from caseflow.investigation.sweep import run_sweep

    result = run_sweep()
    db.session.commit()
    for line in result.lines:
        click.echo(line)
    click.echo(f"sweep: {result.reminders} reminder(s), {result.escalations} escalation(s)")
    if current_app.config.get("CASEFLOW_SMTP_HOST"):
        from caseflow.channels.outbound import send_pending

        sent = send_pending()
        click.echo(f"mail: {sent.sent} sent")


@group.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be archived and destroyed; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Archive cases past their retention period and destroy their content (legal holds are kept)."""
    from caseflow.investigation.purge import run_purge

    result = run_purge(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in result.lines:
        click.echo(line)
    verb = "would archive" if dry_run else "archived"
    click.echo(f"purge: {verb} {len(result.archived)} case(s); {len(result.held)} kept under legal hold")
