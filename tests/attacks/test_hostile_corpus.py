"""The hostile corpus: every payload class into every form field, query parameter and API field.

Routes come from the url_maps of both apps (staff, and the reporter portal walked anonymously) and fields
from the forms the pages render, so a new route or field is attacked without editing this file. Each answer
must be below 500 with no trace in the body, and a refused request must leave no row and no file behind.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from caseflow.api.schema import CREATE_FIELDS
from caseflow.api.tokens import create_token
from caseflow.channels.operations import link_cases
from caseflow.extensions import db
from caseflow.investigation import evidence
from caseflow.investigation import operations as inv
from caseflow.models import Attachment, Case, CaseParty, EvidenceItem, Note, Person, Task
from caseflow.models.channels import LinkKind
from tests import factories
from tests.factories import make_case, make_office
from tests.workspace_helpers import investigation_case

PAYLOADS: dict[str, str] = {
    "nul": "cash\x00paid",
    "surrogate": "cash\ud800paid",
    "controls": "cash\x01\x08\x1b\x7fpaid",
    "rtl_override": "invoice\u202etxt.exe",
    "int4_edge": str(2**31),
    "int8_edge": str(2**63),
    "huge_int": "9" * 40,
    "negative": "-1",
    "superscript": "²",
    "circled": "①",
    "arabic_digit": "٣",
    "far_future": "9999-12-31",
    "year_one": "0001-01-01",
    "overlong": "x" * 5000,
    "markup": "\"'><img src=x onerror=alert(1)><script>alert(1)</script>",
    "formula": "=HYPERLINK(\"http://evil.example\",\"x\")",
    "broken_json": "{\"a\": [1, 2",
    "deep_json": "[" * 1000 + "]" * 1000,
    "path": "../../etc/passwd",
}
# Sent to every route; the other classes rotate, ROTATING per route (chosen from the route's text, so the
# sample is the same on every run and, across the routes, every class is sent).
ALWAYS = ("nul", "surrogate", "controls", "int8_edge", "far_future", "overlong", "markup")
ROTATING = 4
QUERY_NAMES = {"page", "per_page", "q", "state", "category", "office", "assignee", "channel", "priority", "deadline",
               "start", "end", "from", "to", "user", "case", "action", "key", "name", "next", "lang", "fmt", "format"}
SKIP = {"static", "auth.logout", "reporting.follow_up_logout"}  # signing out would end the attack session
ID_SOURCES = {"user_id": "user", "category_id": "category", "office_id": "office", "task_id": "task",
              "evidence_id": "evidence", "row_id": "evidence", "attachment_id": "attachment", "link_id": "link",
              "token_id": "token", "allegation_id": "allegation", "referral_id": "referral", "reveal_id": "task"}
TRACE = re.compile(rb"Traceback \(most recent call last\)|File \"/[^\"]+\.py\", line \d+")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(?:input|textarea|select)\b[^>]*\bname=\"([^\"]+)\"[^>]*>", re.I)
MAXLENGTH = re.compile(r"<(?:input|textarea)\b[^>]*>", re.I)
ATTR = re.compile(r"(\w+)=\"([^\"]*)\"")


def _enc(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _body(fields: list[str], value: str) -> bytes:
    return "&".join(f"{_enc(name)}={_enc(value)}" for name in fields).encode("ascii")


def _world(users: dict[str, Any]) -> dict[str, Any]:
    case = investigation_case(users, office_id=make_office("Harbour Post").id)
    lead = users["investigator"]
    item = evidence.register_evidence(case, lead, "Ledger", "Broker", "", ("ledger.txt", b"ledger page\n"))
    task = inv.add_task(case, lead, "Fetch the CCTV", lead.id, None)
    referral = inv.add_referral(case, lead, "police", "City police", date(2026, 1, 5))
    other = make_case(title="Related complaint", commit=False)
    link = link_cases(case, other, LinkKind.RELATED_TO, users["supervisor"])
    token, secret = create_token("hotline", ["cases:create", "cases:read", "notes:write"], None)
    db.session.commit()
    return {"case": case, "number": case.number, "user": users["investigator2"].id, "category": case.category_id,
            "office": case.office_id, "task": task.id, "evidence": item.id, "attachment": item.attachment_id,
            "link": link.id, "token": token.id, "allegation": case.allegations[0].id, "referral": referral.id,
            "secret": secret}


def _url(rule: Any, world: dict[str, Any]) -> str:
    values: dict[str, Any] = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if converter == "AnyConverter":
            values[name] = sorted(rule._converters[name].items)[0]
        elif name in ("number", "case_number"):
            values[name] = world["number"]
        elif name == "fmt":
            values[name] = "csv"
        else:
            values[name] = world.get(ID_SOURCES.get(name, ""), 1)
    url = rule.rule
    for name, value in values.items():
        url = re.sub(rf"<(?:[^:>]+:)?{name}>|<any\([^)]*\):{name}>", str(value), url)
    return url


def _forms(html: str) -> list[tuple[str, str, list[str]]]:
    """Return (method, action, field names) of each form in a page (no CSRF token, no file field)."""
    found = []
    for attrs, inner in FORM.findall(html):
        attr = dict(ATTR.findall(attrs))
        names = [n for n in FIELD.findall(inner) if n not in ("csrf_token",)]
        names = [n for n in names if not re.search(rf'type="file"[^>]*name="{re.escape(n)}"|name="{re.escape(n)}"'
                                                     rf'[^>]*type="file"', inner)]
        found.append((attr.get("method", "get").lower(), attr.get("action", ""), sorted(set(names))))
    return found


def _limits(html: str) -> dict[str, int]:
    """Return each field's maxlength as rendered (the form's own limit, which the column must hold)."""
    limits = {}
    for tag in MAXLENGTH.findall(html):
        attr = dict(ATTR.findall(tag))
        if "name" in attr and attr.get("maxlength", "").isdigit():
            limits[attr["name"]] = int(attr["maxlength"])
    return limits


def _at_limit(names: list[str], limits: dict[str, int]) -> bytes:
    """Return a form body with every field as long as the form allows (a 500 means form > column)."""
    return "&".join(f"{_enc(n)}={_enc('é' * limits.get(n, 1))}" for n in names).encode("ascii")


def _counts(app: Any) -> tuple[int, ...]:
    tables = (Case, Person, CaseParty, Note, Attachment, EvidenceItem, Task)
    rows = tuple(db.session.scalar(sa.select(sa.func.count()).select_from(t)) or 0 for t in tables)
    folder = Path(app.config["CASEFLOW_UPLOAD_DIR"])
    files = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
    return (*rows, files)


class Attack:
    """Sends requests, checks each answer, and remembers what went wrong."""

    def __init__(self, app: Any, client: Any) -> None:
        self.app, self.client, self.problems, self.sent = app, client, [], 0

    def send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
             headers: dict[str, str] | None = None) -> Any:
        before = _counts(self.app) if method == "POST" else None
        response = self.client.open(url, method=method, data=body, content_type=content_type, headers=headers)
        self.sent += 1
        data = response.get_data()
        label = f"{method} {url[:120]} {(body or b'')[:80]!r}"
        if response.status_code >= 500:
            self.problems.append(f"{response.status_code}: {label}")
        elif TRACE.search(data):
            self.problems.append(f"trace in body: {label}")
        elif before is not None and response.status_code >= 400 and _counts(self.app) != before:
            self.problems.append(f"partial write on {response.status_code}: {label}")
        db.session.remove()
        return response


def _sample(route: str) -> list[str]:
    """Return the payloads for one route: the ALWAYS classes and a deterministic rotation of the others."""
    others = [name for name in PAYLOADS if name not in ALWAYS]
    start = zlib.crc32(route.encode()) % len(others)
    chosen = [others[(start + i) % len(others)] for i in range(ROTATING)]
    return [PAYLOADS[name] for name in (*ALWAYS, *chosen)]


def _rules(app: Any) -> list[Any]:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIP), key=lambda r: r.rule)


def _discover_forms(attack: Attack, rules: list[Any], world: dict[str, Any],
                 limits: dict[str, int]) -> dict[str, list[str]]:
    """Render every GET page and collect the fields each POST target and GET page's forms use."""
    fields: dict[str, set[str]] = {}
    for rule in rules:
        if "GET" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        url = _url(rule, world)
        response = attack.send("GET", url)
        if not response.content_type.startswith("text/html"):
            continue
        limits.update(_limits(response.get_data(as_text=True)))
        for method, action, names in _forms(response.get_data(as_text=True)):
            target = (action or url).split("?")[0]
            fields.setdefault(f"{method.upper()} {target}", set()).update(names)
    return {key: sorted(value) for key, value in fields.items()}


def test_every_payload_in_every_field_of_every_route(app, portal_app, users, clock):
    started = time.monotonic()
    world = _world(users)
    client = app.test_client()
    client.post("/login", data={"username": users["supervisor"].username, "password": factories.PASSWORD})
    attack = Attack(app, client)
    rules = _rules(app)
    limits: dict[str, int] = {}
    discovered = _discover_forms(attack, rules, world, limits)
    posted = _attack_routes(attack, rules, world, discovered, limits, signed_in="/account")
    _attack_api(attack, rules, world)
    # the reporter portal is its own app: every one of its routes, anonymously, as a reporter's browser
    portal = Attack(portal_app, portal_app.test_client())
    portal_rules = _rules(portal_app)
    portal_limits: dict[str, int] = {}
    portal_discovered = _discover_forms(portal, portal_rules, world, portal_limits)
    posted += _attack_routes(portal, portal_rules, world, portal_discovered, portal_limits)
    _attack_public_forms(portal)
    assert posted >= 25, f"only {posted} POST routes had a form found"
    elapsed = time.monotonic() - started
    print(f"hostile corpus: {attack.sent} staff and {portal.sent} portal requests in {elapsed:.1f} s")
    problems = attack.problems + portal.problems
    assert not problems, "\n".join(problems[:40])


def _attack_routes(attack: Attack, rules: list[Any], world: dict[str, Any], discovered: dict[str, list[str]],
                   limits: dict[str, int], signed_in: str | None = None) -> int:
    """Send the payloads to every non-API route's query and form fields; return how many POST forms were found."""
    posted = 0
    for rule in rules:
        url = _url(rule, world)
        if rule.rule.startswith("/api/"):
            continue
        if "GET" in rule.methods:
            names = sorted(QUERY_NAMES | set(discovered.get(f"GET {url}", [])))
            for value in _sample("GET " + rule.rule):
                attack.send("GET", url + "?" + _body(names, value).decode())
        if "POST" in rule.methods:
            names = discovered.get(f"POST {url}") or ["name", "body", "reason", "title", "q"]
            posted += bool(discovered.get(f"POST {url}"))
            for value in _sample("POST " + rule.rule):
                attack.send("POST", url, _body(names, value), "application/x-www-form-urlencoded")
            if any(name in limits for name in names):
                attack.send("POST", url, _at_limit(names, limits), "application/x-www-form-urlencoded")
            if signed_in:
                assert attack.client.get(signed_in).status_code == 200, f"signed out after POST {url}"
    return posted


def _attack_api(attack: Attack, rules: list[Any], world: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {world['secret']}"}
    for rule in rules:
        if not rule.rule.startswith("/api/"):
            continue
        url = _url(rule, world)
        if "GET" in rule.methods:
            for value in _sample("GET " + rule.rule):
                attack.send("GET", url + "?" + _body(sorted(QUERY_NAMES), value).decode(), headers=headers)
        if "POST" in rule.methods:
            names = sorted(CREATE_FIELDS) if rule.rule.endswith("/cases") else ["body"]
            for value in PAYLOADS.values():
                text = json.dumps({name: value for name in names}, ensure_ascii=True)  # keeps lone surrogates
                attack.send("POST", url, text.encode(), "application/json", headers)
                nested = json.dumps({name: {"x": [value]} for name in names})
                attack.send("POST", url, nested.encode(), "application/json", headers)
            for raw in (PAYLOADS["broken_json"], PAYLOADS["deep_json"], '{"a":' * 1000 + "1" + "}" * 1000,
                        '"\\ud800"', "\x00", '{"title": 1e999999}', '{"title": ' + "9" * 5000 + "}"):
                attack.send("POST", url, raw.encode("utf-8", "surrogatepass"), "application/json", headers)


def _attack_public_forms(attack: Attack) -> None:
    """The reporter's forms, anonymously: a fresh form token for each post, every field at once."""
    for path in ("/report", "/whistleblow", "/follow-up"):
        for value in (*PAYLOADS.values(), None):  # None: every field as long as the form allows
            page = attack.send("GET", path).get_data(as_text=True)
            forms = [f for f in _forms(page) if f[0] == "post"]
            assert forms, path
            token = re.search(r'name="form_token"[^>]*value="([^"]*)"', page)
            names = [n for n in forms[0][2] if n not in ("form_token", "website")]
            body = _body(names, value) if value is not None else _at_limit(names, _limits(page))
            if token:
                body += b"&form_token=" + _enc(token.group(1)).encode()
            attack.send("POST", path, body, "application/x-www-form-urlencoded")
