"""Thin views of people across cases: parse, ask access, call one operation, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caseflow import access, uow
from caseflow.cases.loading import load_case
from caseflow.enums import PartyRole
from caseflow.errors import CaseFlowError
from caseflow.extensions import db
from caseflow.models import CaseIdentifier, Person
from caseflow.people import bp, queries
from caseflow.people import operations as ops
from caseflow.people.forms import IdentifierForm, MergeForm, PersonForm


def _person(person_id: int) -> Person:
    """Return the person if the user sees a case naming them; 404 otherwise (a person's existence is not told)."""
    access.require(access.can_search_people(current_user))
    person = db.session.get(Person, person_id)
    if person is None or not access.can_view_person(current_user, queries.resolve(person)):
        abort(404)
    return person


def _run(action: Callable[[], Any], success: str, back: str) -> ResponseReturnValue | None:
    try:
        action()
    except CaseFlowError as exc:
        uow.discard()
        flash(exc.message, "error")
        return None
    flash(success, "success")
    return redirect(back)


@bp.get("", endpoint="search")
@login_required
def search_page() -> ResponseReturnValue:
    """Search people by name, badge, plate, company or phone, among the cases the user may see."""
    access.require(access.can_search_people(current_user))
    query = request.args.get("q", "")
    result = queries.search(current_user, query) if query.strip() else None
    return render_template("people/search.html", query=query, result=result, PartyRole=PartyRole)


def _render_person(person: Person, status: int = 200, **forms: Any) -> ResponseReturnValue:
    edit_form = forms.get("edit_form") or PersonForm(prefix="person", obj=person)
    return render_template(
        "people/person.html", person=person, cases=queries.person_cases(current_user, person),
        identifiers=queries.person_identifiers(current_user, person),
        warning=queries.early_warning(current_user, person) if access.can_view_early_warning(current_user) else None,
        can_edit=access.can_edit_person(current_user, person), edit_form=edit_form,
        merge_form=forms.get("merge_form") or MergeForm(prefix="merge"),
        can_merge=current_user.role.value == "supervisor" and access.can_edit_person(current_user, person),
        PartyRole=PartyRole), status


@bp.get("/<int:person_id>")
@login_required
def show_person(person_id: int) -> ResponseReturnValue:
    """A person's visible cases, roles, allegations and findings, and what early warning counts."""
    person = _person(person_id)
    survivor = queries.resolve(person)
    if survivor.id != person.id:
        return redirect(url_for("people.show_person", person_id=survivor.id))
    return _render_person(person)


@bp.post("/<int:person_id>/edit")
@login_required
def edit_person(person_id: int) -> ResponseReturnValue:
    """Correct a person's name, badge or position; they are matched against staff again."""
    person = _person(person_id)
    access.require(access.can_edit_person(current_user, person))
    form = PersonForm(prefix="person")
    if form.validate_on_submit():
        done = _run(lambda: ops.update_person(person, current_user, form.full_name.data or "",
                                              form.badge_number.data, form.position.data),
                    _("Person saved."), url_for("people.show_person", person_id=person.id))
        if done is not None:
            return done
        return _render_person(person, 409, edit_form=form)
    return _render_person(person, 400, edit_form=form)


@bp.post("/<int:person_id>/merge")
@login_required
def merge_person(person_id: int) -> ResponseReturnValue:
    """Merge a duplicate into this person (supervisors who may edit every case of both)."""
    person = _person(person_id)
    form = MergeForm(prefix="merge")
    if not form.validate_on_submit():
        access.require(access.can_edit_person(current_user, person) and current_user.role.value == "supervisor")
        return _render_person(person, 400, merge_form=form)
    duplicate = db.session.get(Person, form.duplicate_id.data)
    if duplicate is None or not access.can_view_person(current_user, duplicate):
        abort(404)
    access.require(access.can_merge_people(current_user, person, duplicate),
                   _("Only a supervisor who may edit every case of both people may merge them."))
    done = _run(lambda: ops.merge_people(person, duplicate, current_user),
                _("The duplicate was merged into this person."), url_for("people.show_person", person_id=person.id))
    return done if done is not None else _render_person(person, 409, merge_form=form)


def _identifier_form(case: Any) -> IdentifierForm:
    form = IdentifierForm(prefix="ident")
    form.person_id.choices = [("", _("Nobody in particular"))] + [
        (p.person_id, p.display_name) for p in case.parties if p.person_id and p.role != PartyRole.REPORTER]
    return form


@bp.route("/cases/<number>/identifiers", methods=["GET", "POST"])
@login_required
def case_identifiers(number: str) -> ResponseReturnValue:
    """The plates, companies, declaration numbers and phones recorded on a case; record another."""
    case = load_case(number)
    may_record = access.can_record_identifiers(current_user, case)
    form = _identifier_form(case)
    status = 200
    if request.method == "POST":
        access.require(may_record)
        if form.validate_on_submit():
            done = _run(lambda: ops.add_identifier(case, current_user, form.kind.data, form.value.data or "",
                                                   form.person_id.data),
                        _("Identifier recorded."), url_for("people.case_identifiers", number=case.number))
            if done is not None:
                return done
            status = 409
        else:
            status = 400
    return render_template("people/identifiers.html", case=case, form=form, may_record=may_record,
                           identifiers=queries.case_identifiers(case)), status


@bp.post("/cases/<number>/identifiers/<int:identifier_id>/remove")
@login_required
def remove_identifier(number: str, identifier_id: int) -> ResponseReturnValue:
    """Remove an identifier recorded on a case."""
    case = load_case(number)
    access.require(access.can_record_identifiers(current_user, case))
    identifier = db.session.scalar(sa.select(CaseIdentifier).where(CaseIdentifier.id == identifier_id,
                                                                   CaseIdentifier.case_id == case.id))
    if identifier is None:
        abort(404)
    back = url_for("people.case_identifiers", number=case.number)
    return _run(lambda: ops.remove_identifier(case, current_user, identifier), _("Identifier removed."), back) \
        or redirect(back)
