"""The reporter portal: its own WSGI app (landing page, public forms, receipt, follow-up), no staff code.

It shares the core (models, operations, crypto, audit) with the staff app but registers no Flask-Login, no
staff session, no staff blueprint and no staff template, so it can face the internet or run as an onion
service on its own host while the staff app stays on the internal network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from caseflow import ROOT, clock, keep_sqlite_private


def create_portal_app(config: Any = None) -> Flask:
    """Build the reporter portal: configuration, the shared core's extensions, the reporter blueprints."""
    from config import Config

    app = Flask("caseflow.portal", template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    cfg = config if config is not None else Config()
    app.config.from_object(cfg)
    clock.mark_reporter_side(app)
    app.config["SESSION_COOKIE_NAME"] = "caseflow_portal"  # never the staff cookie, and never set anyway
    Path(app.config["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)

    from caseflow import focus, i18n, models, security, uow
    from caseflow.dashboards import stale
    from caseflow.extensions import db
    from caseflow.limits import init_limiter
    from caseflow.mywork import notices
    from caseflow.portal import errors
    from caseflow.portal.views import bp as portal_bp
    from caseflow.questionnaires import portal_views as questionnaire_pages
    from caseflow.questionnaires.answers import init_app as init_questionnaires
    from caseflow.reporting import views as reporting_views

    # the model modules must be imported before the session is used; the questionnaire pages add to
    # reporting's blueprint
    assert models and questionnaire_pages  # noqa: PT018
    keep_sqlite_private(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    uow.init_app(app)  # first: its commit runs after every other after_request hook
    init_limiter(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    init_questionnaires(app)
    focus.init_error_focus(app)  # a form shown again opens at its first error
    app.register_blueprint(portal_bp)
    app.register_blueprint(reporting_views.bp)
    notices.connect()  # a reporter's message tells the case's team (in app and by mail)
    stale.connect()  # a new report or a reporter's follow-up marks its dashboard month stale
    return app
