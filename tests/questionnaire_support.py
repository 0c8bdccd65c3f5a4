"""Helpers for the questionnaire tests: fill a questionnaire step by step like a browser without JavaScript."""

from __future__ import annotations

import io
import re
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from caseflow.extensions import db
from caseflow.models.questionnaires import Question, Questionnaire, QuestionnaireStep
from tests.reporting_support import IP


def hidden(html: str, name: str) -> str:
    """Return the value of a hidden field of a page."""
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} on the page"
    return match.group(1)


def question(key: str, label_en: str, version: int | None = None) -> Question:
    """Return a question of a questionnaire's published (or given) version by its English label."""
    query = sa.select(Question).join(QuestionnaireStep).join(Questionnaire).where(Questionnaire.key == key)
    if version is not None:
        query = query.where(Questionnaire.version == version)
    found = [q for q in db.session.scalars(query.order_by(Questionnaire.version.desc())) if q.label["en"] == label_en]
    assert found, f"no question {label_en!r}"
    return found[0]


def start(client: FlaskClient, key: str = "customs", query: str = "") -> Any:
    """Open a questionnaire's first page, then press Start; return the first step's response."""
    intro = client.get(f"/questionnaire/{key}{query}", environ_base={"REMOTE_ADDR": IP})
    assert intro.status_code == 200, intro.text
    action = re.search(r'action="([^"]+/start[^"]*)"', intro.text)
    assert action
    return client.post(action.group(1).replace("&amp;", "&"), environ_base={"REMOTE_ADDR": IP})


def step(client: FlaskClient, page: Any, action: str = "next", files: dict[str, list[tuple[bytes, str]]] | None = None,
         **answers: Any) -> Any:
    """Post the step a page shows with these answers (q<id>=...), keeping its hidden fields; return the response."""
    html = page.text
    target = re.search(r'<form method="post" action="([^"]+/step[^"]*)"', html)
    assert target, "no step form on the page"
    data: dict[str, Any] = {"draft": hidden(html, "draft"), "step": hidden(html, "step"), "action": action}
    if 'name="form_token"' in html:
        data["form_token"] = hidden(html, "form_token")
    data.update(answers)
    for name, items in (files or {}).items():
        data[name] = [(io.BytesIO(content), filename) for content, filename in items]
    return client.post(target.group(1).replace("&amp;", "&"), data=data, content_type="multipart/form-data",
                       environ_base={"REMOTE_ADDR": IP})


def q(label_en: str, key: str = "customs", suffix: str = "") -> str:
    """Return the form field name of a question (with a sub-field suffix such as '-name')."""
    return f"q{question(key, label_en).id}{suffix}"


def install_customs() -> None:
    """Install the default customs questionnaire (published)."""
    from caseflow.questionnaires.default import install_default_questionnaire

    install_default_questionnaire()
    db.session.commit()


def customs_to_last_step(client: FlaskClient, query: str = "", declared: str = "yes", kind: str = "bribe",
                         **extra: Any) -> Any:
    """Fill the customs questionnaire's first three steps; return the last step's page."""
    page = start(client, "customs", query)
    page = step(client, page, **{q("What happened?"): "The officer asked for cash to release the container.",
                                 q("What kind of wrongdoing?"): kind,
                                 q("Does it concern a customs declaration or a consignment?"): declared})
    assert page.status_code == 200, page.text[-800:]
    page = step(client, page, **{q("Customs office or port"): "North Seaport", **extra.pop("step2", {})})
    assert page.status_code == 200, page.text[-800:]
    page = step(client, page, **extra.pop("step3", {}))
    assert page.status_code == 200, page.text[-800:]
    return page
