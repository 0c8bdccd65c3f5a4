"""The `flask caseflow ...` commands."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from caseflow import uow

group = AppGroup("caseflow", help="CaseFlow administration commands.")


@group.command("workflow-diagram")
def workflow_diagram() -> None:
    """Print the transition table as a Mermaid state diagram."""
    from caseflow.workflow import mermaid_diagram

    click.echo(mermaid_diagram())


@group.command("audit-verify")
def audit_verify() -> None:
    """Verify the audit hash chain; exit non-zero naming the first broken event."""
    from caseflow.audit import verify_chain

    result = verify_chain()
    if result.ok:
        click.echo(f"audit chain intact: {result.count} events")
        return
    click.echo(f"audit chain BROKEN at event #{result.broken_seq}: {result.message} "
               f"({result.count} events verified before it)", err=True)
    sys.exit(1)


@group.command("dashboard-refresh")
@click.option("--all", "everything", is_flag=True, help="Recompute every month, not only the stale ones.")
def dashboard_refresh(everything: bool) -> None:
    """Bring the dashboard's monthly aggregates up to date (e.g. nightly, or after a bulk load)."""
    import time

    from caseflow.dashboards import rollup

    started = time.perf_counter()
    with uow.unit_of_work():
        months = rollup.rebuild_all() if everything else rollup.refresh_all_stale()
    click.echo(f"dashboard aggregates: {months} month parts recomputed in {time.perf_counter() - started:.1f} s")


@group.command("init")
def init() -> None:
    """Create the default reference lists where missing, index people and re-seal outbox mail stored before an
    upgrade (idempotent)."""
    from caseflow.cases.subjects import index_unindexed_people
    from caseflow.channels.outboxseal import reseal_outbox
    from caseflow.questionnaires.default import install_default_questionnaire
    from caseflow.reference import ensure_categories

    with uow.unit_of_work():
        added = ensure_categories()
        indexed = index_unindexed_people()
        installed = install_default_questionnaire()
        resealed = reseal_outbox()
    click.echo(f"{added} categories added, {indexed} people indexed"
               + (f", {resealed} outbox mails re-sealed with their case's key" if resealed else "")
               + (", the default customs questionnaire installed" if installed else ""))


@group.command("demo")
@click.option("--cases", default=200, show_default=True, help="How many demo cases to create.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for repeatable data.")
def demo(cases: int, seed: int) -> None:
    """Load demo users, offices and realistic cases across every state (skipped if users exist)."""
    from caseflow.dashboards.rollup import rebuild_all
    from caseflow.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
    from caseflow.questionnaires.default import install_default_questionnaire

    with uow.unit_of_work():
        created = load_demo(cases=cases, seed=seed)
        install_default_questionnaire()  # idempotent: the portal's /questionnaire/customs
    with uow.unit_of_work():
        rebuild_all()  # the managers' monthly tables, as the nightly refresh would build them
    click.echo(f"demo data: {created} cases created" if created else "demo data already present")
    click.echo(f"demo logins (password for all: {DEMO_PASSWORD}):")
    for username, _name, role in DEMO_USERS:
        click.echo(f"  {username:<12} {role.value}")
    if current_app.config.get("CASEFLOW_REQUIRE_2FA"):
        click.echo("two-step sign-in is required: at the first sign-in, every role scans a QR code "
                   "with an authenticator app (FreeOTP, Aegis, ...) and keep ten recovery codes")


@group.command("create-user")
@click.argument("username")
@click.argument("role")
@click.option("--name", default="", help="Full name.")
@click.password_option()
def create_user_command(username: str, role: str, name: str, password: str) -> None:
    """Create a staff account with a role (intake_officer, investigator, supervisor, manager, auditor, admin)."""
    from caseflow.auth.operations import create_user
    from caseflow.enums import Role

    with uow.unit_of_work():
        create_user(username, name or username, Role(role), password)
    click.echo(f"user {username} created")


def init_app(app: Flask) -> None:
    """Register the command group (the areas' command modules, imported by the app factory, add to it)."""
    app.cli.add_command(group)
