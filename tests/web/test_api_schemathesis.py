"""Schemathesis explores /api/v1 from its OpenAPI document: no input may cause a server error."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from caseflow.api.tokens import create_token
from caseflow.extensions import db
from tests import factories

EXAMPLES = 12


def test_no_generated_request_causes_a_server_error(app):
    _token, secret = create_token("fuzzer", ["cases:create", "cases:read", "notes:write"], None)
    factories.category("bribery")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4
    calls = []
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            def explore(case: schemathesis.Case) -> None:
                response = case.call(headers={**(case.headers or {}), **headers})
                calls.append(response.status_code)
                assert response.status_code < 500, (case.method, case.path, case.body, response.text[:300])
                assert response.headers.get("content-type", [""])[0].startswith("application/json")

            explore()
    assert any(code in (200, 201) for code in calls) and any(400 <= code < 500 for code in calls)
