"""Helpers for the confidential-reporting tests: fill the public forms like a browser would."""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

from flask.testing import FlaskClient

from caseflow.crypto import normalize_receipt

IP = "203.0.113.77"
_REPORTS = itertools.count(1)


def form_token(html: str) -> str:
    """Return the form token of the first form on a page."""
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match, "no form token on the page"
    return match.group(1)


def receipt_of(html: str) -> str:
    """Return the receipt code shown on a receipt page (grouped 4-4-4-4)."""
    match = re.search(r'id="receipt-code">([0-9 ]+)<', html)
    assert match, "no receipt on the page"
    return match.group(1)


def submit(client: FlaskClient, path: str = "/whistleblow", files: list[tuple[bytes, str]] | None = None,
           **fields: Any) -> Any:
    """Load a public form, then post it with its token; return the response."""
    page = client.get(path, environ_base={"REMOTE_ADDR": IP})
    # each report says something new: the same words sent again within hours count as the same report
    data: dict[str, Any] = {"form_token": form_token(page.text), "what": f"Cash was asked at gate {next(_REPORTS)}."}
    data.update(fields)
    if files:
        data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(path, data=data, content_type="multipart/form-data", environ_base={"REMOTE_ADDR": IP})


def follow_up_login(client: FlaskClient, receipt: str) -> Any:
    """Sign in on the follow-up page with a receipt; return the response."""
    page = client.get("/follow-up", environ_base={"REMOTE_ADDR": IP})
    return client.post("/follow-up", data={"form_token": form_token(page.text), "receipt": receipt},
                       environ_base={"REMOTE_ADDR": IP})


def reporter_post(client: FlaskClient, path: str, files: list[tuple[bytes, str]] | None = None,
                  **fields: Any) -> Any:
    """Post a form of the reporter's case page (its token taken from the page)."""
    page = client.get("/follow-up/case", environ_base={"REMOTE_ADDR": IP})
    assert page.status_code == 200
    action = re.search(rf'action="{re.escape(path)}[^"]*"[^>]*>\s*<input type="hidden" name="form_token" '
                       r'value="([^"]+)"', page.text)
    assert action, f"no form posting to {path}"
    data: dict[str, Any] = {"form_token": action.group(1), **fields}
    if files:
        data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(path, data=data, content_type="multipart/form-data", environ_base={"REMOTE_ADDR": IP})


def digits(receipt: str) -> str:
    """Return a receipt's 16 digits."""
    return normalize_receipt(receipt)


def png_bytes() -> bytes:
    """Return a small valid PNG image with a text chunk naming an author."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Reporter Private Name")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()
