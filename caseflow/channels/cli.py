"""The channel commands: fetch-mail, send-mail, api-token, import-csv."""

from __future__ import annotations

import sys

import click

from caseflow import uow
from caseflow.cli import group
from caseflow.extensions import db


@group.command("fetch-mail")
def fetch_mail_command() -> None:
    """Turn new messages of every configured mailbox into cases (or replies on cases), then send queued mail
    (even if a mailbox is down: the outbox does not depend on it)."""
    from caseflow.channels.mailbox import MailboxDown, MailboxDropped, fetch_mail, mailboxes

    boxes = mailboxes()
    down = False
    for box in boxes:
        tag = f"fetch-mail[{box.name}]" if len(boxes) > 1 else "fetch-mail"
        try:
            result = fetch_mail(box)
        except MailboxDropped as exc:
            taken = exc.result
            click.echo(f"{tag}: mailbox dropped after {exc.done} of {exc.total} messages; "
                       f"{len(taken.created)} case(s) created, {len(taken.threaded)} reply(ies) threaded, "
                       f"{len(taken.ignored)} not a complaint, {len(taken.failed)} moved to the failed folder; "
                       f"run again to take the rest: {exc}", err=True)
            down = True
            continue
        except MailboxDown as exc:
            click.echo(f"{tag}: mailbox unavailable, nothing fetched, will retry next run: {exc}", err=True)
            down = True
            continue
        click.echo(f"{tag}: {len(result.created)} case(s) created, {len(result.threaded)} reply(ies) threaded, "
                   f"{len(result.ignored)} not a complaint (kept, not answered), "
                   f"{len(result.failed)} moved to the failed folder, {result.skipped} already done")
        for number in result.created:
            click.echo(f"  created {number}")
    _flush_outbox()
    if down:
        sys.exit(2)


def _flush_outbox() -> None:
    from caseflow.channels.outbound import send_pending

    uow.discard()  # nothing half-done from the mailbox run goes out with the outbox
    sent = send_pending()
    if sent.sent or sent.failed:
        click.echo(f"send-mail: {sent.sent} sent, {sent.failed} failed (will retry)")


@group.command("send-mail")
def send_mail_command() -> None:
    """Send the queued outbound mail; failed messages stay queued and are retried later."""
    from caseflow.channels.outbound import send_pending

    result = send_pending()
    click.echo(f"send-mail: {result.sent} sent, {result.failed} failed (will retry), {result.gave_up} given up")
    if result.failed and not result.sent:
        sys.exit(2)


@group.group("api-token")
def api_token() -> None:
    """Manage JSON API tokens."""


@api_token.command("create")
@click.argument("name")
@click.option("--scopes", default="cases:create cases:read notes:write", show_default=True,
              help="Space- or comma-separated scopes.")
@click.option("--unit", "units", multiple=True, help="Wall the token to this reporting unit (repeatable).")
def api_token_create(name: str, scopes: str, units: tuple[str, ...]) -> None:
    """Create a token for an integration; the token is printed once and stored only hashed."""
    from caseflow.api.tokens import create_token
    from caseflow.errors import CaseFlowError

    try:
        token, secret = create_token(name, scopes.replace(",", " ").split(), None, list(units))
    except CaseFlowError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    uow.commit_step()
    click.echo(f"token for {token.name} (scopes: {token.scopes}) - store it now, it is not shown again:")
    click.echo(secret)


@api_token.command("revoke")
@click.argument("name")
def api_token_revoke(name: str) -> None:
    """Revoke an integration's token."""
    from caseflow.api.tokens import revoke_token_by_name
    from caseflow.errors import CaseFlowError

    try:
        revoke_token_by_name(name, None)
    except CaseFlowError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    uow.commit_step()
    click.echo(f"token {name} revoked")


@api_token.command("list")
def api_token_list() -> None:
    """List tokens with their scopes and last use."""
    import sqlalchemy as sa

    from caseflow.models import ApiToken

    for t in db.session.scalars(sa.select(ApiToken).order_by(ApiToken.name)):
        state = "revoked" if t.revoked_at else "active"
        click.echo(f"{t.name:<24} {t.prefix}…  {state:<8} {t.scopes}  last used: {t.last_used_at or 'never'}")


@group.command("import-csv")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--all-or-nothing", "mode", flag_value="all", default=True,
              help="Write nothing if any row is bad (default).")
@click.option("--skip-bad-rows", "mode", flag_value="skip", help="Import the good rows, report the bad ones.")
def import_csv_command(path: str, mode: str) -> None:
    """Import complaints from a CSV file (see the template at /intake/import/template.csv)."""
    from caseflow.channels.csvimport import import_csv

    with open(path, "rb") as fh:
        data = fh.read()

    def progress(done: int, total: int) -> None:
        click.echo(f"  {done}/{total} rows", err=True)

    with uow.unit_of_work():
        report = import_csv(data, actor=None, skip_bad_rows=(mode == "skip"), progress=progress)
    for err in report.errors:
        click.echo(f"line {err.line}, column {err.column}: {err.reason}", err=True)
    click.echo(f"import-csv: {report.created} created, {report.skipped_existing} already imported, "
               f"{len(report.bad_lines)} bad row(s){' - nothing written' if report.aborted else ''}")
    if report.aborted or report.fatal:
        sys.exit(1)
