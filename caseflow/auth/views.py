"""Sign-in in two steps (password, then second factor), enrolment, password change, sign-out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, audit, uow
from caseflow.auth import bp, totp
from caseflow.auth import operations as ops
from caseflow.auth.forms import ChangePasswordForm, CodeForm, LoginForm
from caseflow.auth.session import end_session, needs_second_factor, pending_user, start_pending, start_session
from caseflow.errors import ValidationError
from caseflow.extensions import limiter
from caseflow.inputs import same_site_path
from caseflow.models import User

NEXT = "cf_next"


def home_for(user: object) -> str:
    """Return the landing page URL for a signed-in user's role."""
    if access.can_view_my_work(user):
        return url_for("mywork.index")
    return url_for("auth.account")


def _safe_next(target: str | None) -> str | None:
    return same_site_path(target)


def _finish(user: User, second_factor: str) -> ResponseReturnValue:
    """Complete the sign-in and go where the user was heading."""
    target = _safe_next(session.get(NEXT))
    ops.complete_login(user, second_factor)
    start_session(user)
    return redirect(target or home_for(user))


def _wrong() -> None:
    flash(_("Wrong username or password."), "error")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> ResponseReturnValue:
    """Step one: username and password (the user is not signed in until the second factor)."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = ops.authenticate(form.username.data or "", form.password.data or "")
        if user is None:
            _wrong()
            return render_template("auth/login.html", form=form)
        session[NEXT] = _safe_next(request.args.get("next"))
        if user.totp_enabled:
            start_pending(user, "totp")
            return redirect(url_for("auth.login_code"))
        if needs_second_factor(user):
            start_pending(user, "enrol")
            return redirect(url_for("auth.login_enrol"))
        return _finish(user, "none")
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login_code() -> ResponseReturnValue:
    """Step two: the code from the authenticator app, or a recovery code."""
    user = pending_user("totp")
    if user is None:
        return _restart()
    form = CodeForm()
    if form.validate_on_submit():
        if ops.is_locked(user):
            audit.record("auth.login_locked", user)
            end_session()
            _wrong()
            return redirect(url_for("auth.login"))
        method = ops.verify_second_factor(user, form.code.data or "")
        if method is not None:
            return _finish(user, method)
        ops.register_failure(user, "totp")
        if ops.is_locked(user):
            end_session()
            _wrong()
            return redirect(url_for("auth.login"))
        flash(_("That code is not right. Try the current code from your app, or a recovery code."), "error")
    return render_template("auth/code.html", form=form)


def _restart() -> ResponseReturnValue:
    flash(_("Please sign in again."), "info")
    return redirect(url_for("auth.login"))


def _confirm(user: User, form: CodeForm) -> list[str] | None:
    """Confirm the enrolment with the typed code; return the recovery codes, or None with the form's error."""
    try:
        return ops.confirm_totp_enrolment(user, form.code.data or "")
    except ValidationError as exc:
        uow.discard()
        form.code.errors = [exc.message]
        return None


def _enrol_page(user: User, form: CodeForm, action: str) -> ResponseReturnValue:
    if not user.totp_secret:
        ops.begin_totp_enrolment(user)
    uri = totp.provisioning_uri(user.totp_secret or "", user.username)
    return render_template("auth/enrol.html", form=form, qr=totp.qr_svg(uri), secret=user.totp_secret,
                           action=action)


@bp.route("/login/enrol", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login_enrol() -> ResponseReturnValue:
    """First sign-in where two-step sign-in is mandatory: set it up before entering."""
    user = pending_user("enrol")
    if user is None:
        return _restart()
    form = CodeForm()
    if form.validate_on_submit():
        codes = _confirm(user, form)
        if codes is not None:
            target = _safe_next(session.get(NEXT)) or home_for(user)
            ops.complete_login(user, "totp-enrolment")
            start_session(user)
            return render_template("auth/recovery_codes.html", codes=codes, next_url=target)
    return _enrol_page(user, form, url_for("auth.login_enrol"))


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def enrol() -> ResponseReturnValue:
    """Set up two-step sign-in from the account page."""
    user = current_user._get_current_object()
    if user.totp_enabled:
        flash(_("Two-step sign-in is already set up."), "info")
        return redirect(url_for("auth.account"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = _confirm(user, form)
        if codes is not None:
            return render_template("auth/recovery_codes.html", codes=codes, next_url=url_for("auth.account"))
    return _enrol_page(user, form, url_for("auth.enrol"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def change_password() -> ResponseReturnValue:
    """Change one's own password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            ops.change_password(user, form.current.data or "", form.new.data or "")
        except ValidationError as exc:
            uow.discard()
            form.new.errors = [exc.message]
        else:
            start_session(user)
            flash(_("Your password is changed. Other sessions of your account were signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/password.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Sign out."""
    audit.record("auth.logout", current_user._get_current_object())
    end_session()
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
    """Show the signed-in user's account, what their role may do and their two-step sign-in."""
    user = current_user._get_current_object()
    return render_template("auth/account.html", recovery_left=ops.remaining_recovery_codes(user))
