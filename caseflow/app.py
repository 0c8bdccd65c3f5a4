"""The staff application: configuration, extensions, blueprints and commands, in one readable list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from caseflow import ROOT, keep_sqlite_private


def create_app(config: Any = None) -> Flask:
    """Build the staff application: configuration, extensions, blueprints, CLI, in one readable list.

    The reporter portal is a separate app over the same core: caseflow.portal.create_portal_app().
    """
    from config import Config

    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    cfg = config if config is not None else Config()
    app.config.from_object(cfg)
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)

    from caseflow import (
        access,
        backup,
        cli,
        denials,
        errors_web,
        focus,
        i18n,
        inputs,
        models,
        security,
        templating,
        uow,
    )
    from caseflow.admin import views as admin_views
    from caseflow.api import views as api_views
    from caseflow.auditlog import views as auditlog_views
    from caseflow.auth import init_limiter, init_login
    from caseflow.auth import views as auth_views
    from caseflow.cases import listing as cases_listing
    from caseflow.cases import views as cases_views
    from caseflow.channels import cli as channels_cli
    from caseflow.channels import views as channels_views
    from caseflow.dashboards import stale
    from caseflow.dashboards import views as dashboards_views
    from caseflow.extensions import csrf, db, migrate
    from caseflow.health import bp as health_bp
    from caseflow.investigation import commands as investigation_commands
    from caseflow.investigation import views as investigation_views
    from caseflow.investigation import views_evidence, views_files
    from caseflow.letters import admin_views as letters_admin_views
    from caseflow.letters import views as letters_views
    from caseflow.mywork import init_app as init_mywork
    from caseflow.mywork import views as mywork_views
    from caseflow.people import views as people_views
    from caseflow.questionnaires import admin_views as questionnaires_views
    from caseflow.questionnaires.answers import init_app as init_questionnaires
    from caseflow.reporting import staff_views as reporter_staff_views
    from caseflow.reports import cli as reports_cli
    from caseflow.reports import views as reports_views
    from caseflow.restriction import views as restriction_views
    from caseflow.units import views as units_views

    # Importing a views module adds its routes to its package's blueprint; the commands add themselves to the
    # CLI group. Nothing registers by importing a package.
    assert models and views_evidence and reporter_staff_views and cases_listing  # noqa: PT018
    assert views_files  # adds the files on tasks and notes, and the register exports, to investigation's blueprint
    assert letters_admin_views  # adds the administrators' template pages to the letters blueprint
    assert backup and channels_cli and reports_cli and investigation_commands  # noqa: PT018
    keep_sqlite_private(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    uow.init_app(app)  # first: its commit runs after every other after_request hook
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    init_limiter(app)
    i18n.init_app(app)
    init_login(app)
    security.init_app(app)
    inputs.init_app(app)  # before the blueprints: their <int:...> routes use its bounded converter
    templating.init_app(app)
    init_questionnaires(app)
    errors_web.init_app(app)
    focus.init_app(app)
    denials.init_app(app)
    app.register_blueprint(health_bp)
    for area in (auth_views, auditlog_views, admin_views, restriction_views, cases_views, dashboards_views,
                 reports_views, investigation_views, channels_views, api_views, people_views, mywork_views,
                 units_views, letters_views, questionnaires_views):
        app.register_blueprint(area.bp)
    init_mywork(app)
    stale.connect()  # the operations' signals mark the dashboard months they change
    cli.init_app(app)
    app.jinja_env.globals.update(access=access)
    return app
