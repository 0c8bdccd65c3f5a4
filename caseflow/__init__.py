"""CaseFlow: complaints management and administrative investigation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def keep_sqlite_private(uri: str) -> None:
    """Create a SQLite database file owner-only (0600, like the key files); tighten an existing one."""
    if not uri.startswith("sqlite:///") or ":memory:" in uri:
        return
    path = Path(uri.removeprefix("sqlite:///").split("?", 1)[0])
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # SQLite's journals copy these permissions
    elif path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
        path.chmod(0o600)


def create_app(config: Any = None) -> Flask:
    """Build the staff application: configuration, extensions, blueprints, CLI, in one readable list.

    The reporter portal is a separate app over the same core: caseflow.portal.create_portal_app().
    """
    from config import Config

    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    cfg = config if config is not None else Config()
    app.config.from_object(cfg)
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)

    from caseflow import access, cli, denials, errors_web, focus, i18n, inputs, models, security, templating, uow
    from caseflow.admin import bp as admin_bp
    from caseflow.api import bp as api_bp
    from caseflow.auditlog import bp as auditlog_bp
    from caseflow.auth import bp as auth_bp
    from caseflow.auth import init_limiter, init_login
    from caseflow.cases import bp as cases_bp
    from caseflow.channels import bp as channels_bp
    from caseflow.dashboards import bp as dashboards_bp
    from caseflow.extensions import csrf, db, migrate
    from caseflow.health import bp as health_bp
    from caseflow.investigation import bp as investigation_bp
    from caseflow.mywork import bp as mywork_bp
    from caseflow.mywork import init_app as init_mywork
    from caseflow.people import bp as people_bp
    from caseflow.reporting import staff_views as reporter_staff_views
    from caseflow.reports import bp as reports_bp
    from caseflow.restriction import bp as restriction_bp

    assert models  # the model modules must be imported before migrations or create_all
    assert reporter_staff_views  # adds the case page's reporter routes to the cases blueprint
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
    errors_web.init_app(app)
    focus.init_app(app)
    denials.init_app(app)
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(auditlog_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(restriction_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(investigation_bp)
    app.register_blueprint(channels_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(mywork_bp)
    init_mywork(app)
    cli.init_app(app)
    app.jinja_env.globals.update(access=access)
    return app
