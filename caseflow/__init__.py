"""CaseFlow: complaints management and administrative investigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Any = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI, in one readable list."""
    from config import Config

    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    cfg = config if config is not None else Config()
    app.config.from_object(cfg)
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)

    from caseflow import access, cli, errors_web, i18n, models, security, templating
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
    from caseflow.reporting import bp as reporting_bp
    from caseflow.reporting import staff_views as reporter_staff_views
    from caseflow.reports import bp as reports_bp
    from caseflow.restriction import bp as restriction_bp

    assert models  # the model modules must be imported before migrations or create_all
    assert reporter_staff_views  # adds the case page's reporter routes to the cases blueprint
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    init_limiter(app)
    i18n.init_app(app)
    init_login(app)
    security.init_app(app)
    templating.init_app(app)
    errors_web.init_app(app)
    access.init_app(app)
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(auditlog_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(restriction_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(investigation_bp)
    app.register_blueprint(channels_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(mywork_bp)
    init_mywork(app)
    cli.init_app(app)
    app.jinja_env.globals.update(access=access)
    return app
