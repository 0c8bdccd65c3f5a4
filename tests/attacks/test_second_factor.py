"""With two-step sign-in required, a stolen password alone opens no staff role: auditor and manager included."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD


@pytest.mark.parametrize("who, page", [("auditor", "/audit"), ("manager", "/dashboard")])
def test_a_password_alone_does_not_open_the_audit_log_or_the_dashboard(app: Any, client: Any, users: dict[str, Any],
                                                                       monkeypatch: Any, who: str,
                                                                       page: str) -> None:
    monkeypatch.setitem(app.config, "CASEFLOW_REQUIRE_2FA", True)
    r = client.post("/login", data={"username": users[who].username, "password": PASSWORD})
    assert r.status_code == 302 and r.location.endswith("/login/enrol")
    r = client.get(page)
    assert r.status_code == 302 and "/login" in r.location
