"""Sign-in and sign-out pages."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from caseflow import access, audit
from caseflow.auth import bp
from caseflow.auth.forms import LoginForm
from caseflow.auth.operations import authenticate
from caseflow.extensions import db, limiter


def home_for(user: object) -> str:
    """Return the landing page URL for a signed-in user's role."""
    if access.can_list_cases(user):
        return url_for("cases.list_cases")
    return url_for("auth.account")


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> ResponseReturnValue:
    """Sign a staff member in."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data or "", form.password.data or "")
        db.session.commit()
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Sign out."""
    audit.record("auth.logout", current_user)
    db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/")
def index() -> ResponseReturnValue:
    """Send visitors to their landing page."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    """Show the signed-in user's account and what their role may do."""
    return render_template("auth/account.html")
