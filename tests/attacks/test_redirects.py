"""Open redirect after sign-in: the `next` target must stay on this site however it is disguised."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests import factories

DISGUISES = [
    "/\t/evil.example/x", "/\n/evil.example/x", "/\r/evil.example/x", "//evil.example/x", "///evil.example/x",
    "/\\evil.example/x", "\\\\evil.example/x", "/%2F/evil.example/x", "/%2f%2fevil.example", "/%5Cevil.example",
    "https://evil.example/", "javascript:alert(1)", "http:/evil.example", " /evil.example", "/ /evil.example",
    "/\u3000/evil.example", "/%09/evil.example/x", "/\u202e/evil.example", "data:text/html,x",
]


def _lands_on_site(location: str) -> bool:
    browser_view = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/").strip()
    parts = urlsplit(browser_view)
    return not parts.scheme and not parts.netloc and browser_view.startswith("/") \
        and not browser_view.startswith("//")


@pytest.mark.parametrize("target", DISGUISES)
def test_next_never_leaves_the_site(client, users, target):
    url = "/login?next=" + quote(target, safe="")
    r = client.post(url, data={"username": users["supervisor"].username, "password": factories.PASSWORD})
    assert r.status_code == 302
    location = r.headers["Location"]
    assert _lands_on_site(location), location
    assert "evil.example" not in location


def test_a_plain_same_site_next_is_still_followed(client, users):
    r = client.post("/login?next=/dashboard%3Fstart%3D2026-01-01",
                    data={"username": users["supervisor"].username, "password": factories.PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/dashboard?start=2026-01-01"
