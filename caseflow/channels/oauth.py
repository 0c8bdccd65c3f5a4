"""OAuth2 for the mailbox and outgoing mail (XOAUTH2, as Microsoft 365 and Google require): an access token
from the provider's token endpoint, by the client-credentials grant or a refresh token. Tokens are fetched for
each run and kept in memory only; nothing is stored."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from caseflow.channels.tls import mail_tls_context


class OAuthError(Exception):
    """The token endpoint refused or could not be reached."""


@dataclass
class OAuthClient:
    """How to obtain an access token: token URL, client id and secret, optional refresh token and scope."""

    token_url: str
    client_id: str
    client_secret: str = ""
    refresh_token: str = ""
    scope: str = ""


def client_from_settings(settings: dict[str, str] | None) -> OAuthClient | None:
    """Return the OAuth client of a settings dict (token_url, client_id, ...), or None when no token URL is set."""
    if not settings or not settings.get("token_url"):
        return None
    return OAuthClient(token_url=str(settings["token_url"]), client_id=str(settings.get("client_id") or ""),
                       client_secret=str(settings.get("client_secret") or ""),
                       refresh_token=str(settings.get("refresh_token") or ""), scope=str(settings.get("scope") or ""))


def access_token(client: OAuthClient, timeout: int = 20) -> str:
    """Return a fresh access token (refresh-token grant if a refresh token is set, else client credentials)."""
    form = {"client_id": client.client_id}
    if client.refresh_token:
        form |= {"grant_type": "refresh_token", "refresh_token": client.refresh_token}
        if client.client_secret:
            form["client_secret"] = client.client_secret
    else:
        form |= {"grant_type": "client_credentials", "client_secret": client.client_secret}
    if client.scope:
        form["scope"] = client.scope
    if not client.token_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise OAuthError("the token URL must use https")
    request = urllib.request.Request(client.token_url, data=urllib.parse.urlencode(form).encode(),  # noqa: S310
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=mail_tls_context()) as response:  # noqa: S310
            body = json.loads(response.read(65536))
    except urllib.error.HTTPError as exc:
        raise OAuthError(f"token endpoint answered {exc.code}: {exc.read(300).decode(errors='replace')}") from exc
    except (OSError, ValueError) as exc:
        raise OAuthError(f"token endpoint {client.token_url}: {type(exc).__name__}: {exc}") from exc
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise OAuthError("the token endpoint gave no access_token")
    return token


def xoauth2(user: str, token: str) -> bytes:
    """Return the XOAUTH2 initial client response for a user and an access token."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()
