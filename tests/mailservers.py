"""Real mail servers on loopback for the mail tests: Debian's Dovecot (IMAP) and aiosmtpd (SMTP)."""

from __future__ import annotations

import imaplib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "mailbox-test-pass"
USERS = 500
_users = itertools.count(1)
# The RFC 7919 ffdhe2048 group (public, fixed): Dovecot wants DH parameters once TLS is on.
FFDHE2048 = """-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz
+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a
87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7
YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi
7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD
ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==
-----END DH PARAMETERS-----
"""


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes] | None = None, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


def write_test_certificate(folder: Path) -> Path:
    """Write a self-signed certificate for 127.0.0.1 (cert.pem, key.pem) and DH parameters; return cert.pem."""
    from datetime import UTC, datetime, timedelta
    from ipaddress import IPv4Address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "caseflow-test-mail")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    (folder / "key.pem").chmod(0o600)
    (folder / "dh.pem").write_text(FFDHE2048)
    return folder / "cert.pem"


@dataclass
class Dovecot:
    """A running private Dovecot: add users, append messages, read folders."""

    root: Path
    port: int
    uid: int
    gid: int
    users_file: Path
    tls_port: int = 0  # IMAP over TLS (imaps), certificate signed by ca_file
    ca_file: Path | None = None
    oauth: Any = None  # the OAuthServer whose tokens this Dovecot accepts (XOAUTH2)

    def new_user(self) -> str:
        """Return a fresh mailbox user (its own empty maildir); users are created when the server starts."""
        n = next(_users)
        assert n <= USERS, "raise USERS in tests/mailservers.py"
        return f"box{n}"

    def imap(self, user: str) -> imaplib.IMAP4:
        """Return a logged-in IMAP connection for a user."""
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(user, PASSWORD)
        return conn

    def append(self, user: str, raw: bytes | str, folder: str = "INBOX") -> None:
        """Deliver a raw message into a folder by IMAP APPEND."""
        data = raw.encode() if isinstance(raw, str) else raw
        conn = self.imap(user)
        try:
            conn.create(folder)
            status, detail = conn.append(folder, None, None, data)
            assert status == "OK", detail
        finally:
            conn.logout()

    def messages(self, user: str, folder: str = "INBOX") -> list[tuple[set[str], Message]]:
        """Return (flags, parsed message) of every message in a folder."""
        conn = self.imap(user)
        out: list[tuple[set[str], Message]] = []
        try:
            status, _ = conn.select(f'"{folder}"')
            if status != "OK":
                return out
            _s, data = conn.uid("SEARCH", None, "ALL")  # type: ignore[arg-type]
            for uid in (data[0] or b"").split():
                _s, fdata = conn.uid("FETCH", uid.decode(), "(FLAGS BODY.PEEK[])")
                head = fdata[0][0].decode()  # type: ignore[index,union-attr]
                flags = set(head.split("FLAGS (", 1)[1].split(")", 1)[0].split()) if "FLAGS (" in head else set()
                out.append((flags, BytesParser(policy=default_policy).parsebytes(fdata[0][1])))  # type: ignore[index,arg-type]
        finally:
            conn.logout()
        return out

    def configure(self, app: Any, user: str) -> None:
        """Point the app's mailbox settings at this server and user."""
        app.config.update(CASEFLOW_IMAP_HOST="127.0.0.1", CASEFLOW_IMAP_PORT=self.port, CASEFLOW_IMAP_SSL=False,
                          CASEFLOW_IMAP_USER=user, CASEFLOW_IMAP_PASSWORD=PASSWORD,
                          CASEFLOW_IMAP_FOLDER="INBOX", CASEFLOW_IMAP_FAILED_FOLDER="CaseFlow-Unparseable")


def _ids() -> tuple[int, int, str, str]:
    if os.getuid() == 0:
        dovecot = pwd.getpwnam("dovecot")
        return dovecot.pw_uid, dovecot.pw_gid, "dovecot", "dovenull"
    me = pwd.getpwuid(os.getuid())
    return me.pw_uid, me.pw_gid, me.pw_name, me.pw_name


CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{tls}/cert.pem
ssl_key = <{tls}/key.pem
ssl_dh = <{tls}/dh.pem
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
login_trusted_networks = 127.0.0.0/8
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = 0
mail_location = maildir:{root}/mail/%u
mail_plugins =
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


class OAuthServer:
    """A local OAuth2 authorisation server: a token endpoint (client-credentials and refresh-token grants) and
    the RFC 7662 introspection endpoint Dovecot's oauth2 passdb asks; tokens are tied to a mailbox user."""

    def __init__(self) -> None:
        import json
        import secrets as _secrets
        import threading
        import urllib.parse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.clients: dict[str, tuple[str, str]] = {}  # client_id -> (secret or refresh token, user)
        self.tokens: dict[str, str] = {}  # access token -> user
        self.issue_expired = False  # hand out tokens already expired (no server accepts them)
        self.issued: list[str] = []  # every access token handed out, valid or not
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path == "/token":
                    client = server.clients.get(form.get("client_id", ""))
                    proof = form.get("client_secret") if form.get("grant_type") == "client_credentials" \
                        else form.get("refresh_token")
                    if client is None or proof != client[0]:
                        return self._send(400, {"error": "invalid_client"})
                    token = "at-" + _secrets.token_urlsafe(24)
                    server.issued.append(token)
                    if not server.issue_expired:
                        server.tokens[token] = client[1]
                    return self._send(200, {"access_token": token, "token_type": "Bearer",
                                            "expires_in": 0 if server.issue_expired else 3600})
                user = server.tokens.get(form.get("token", ""))
                return self._send(200, {"active": True, "username": user} if user else {"active": False})

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def register(self, client_id: str, proof: str, user: str) -> None:
        """Let a client (by its secret, or a refresh token) obtain tokens for one mailbox user."""
        self.clients[client_id] = (proof, user)


OAUTH2_CONF = """\
introspection_mode = post
introspection_url = http://127.0.0.1:{port}/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A private Dovecot IMAP server on a free loopback port, for this test worker."""
    uid, gid, internal, login = _ids()
    root = Path(tempfile.mkdtemp(prefix="caseflow-dovecot-"))
    root.chmod(0o755)
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    os.chown(root / "mail", uid, gid)
    users = root / "users"
    users.write_text("".join(f"box{n}:{{PLAIN}}{PASSWORD}::::::\n" for n in range(1, USERS + 1)))
    users.chmod(0o644)
    port, tls_port = free_port(), free_port()
    tls = write_test_certificate(root / "tls")
    oauth = OAuthServer()
    (root / "oauth2.conf.ext").write_text(OAUTH2_CONF.format(port=oauth.port))
    conf = root / "dovecot.conf"
    conf.write_text(CONFIG.format(root=root, port=port, tls_port=tls_port, tls=tls.parent, uid=uid, gid=gid,
                                  internal=internal, login=login))
    with (root / "start.log").open("wb") as out:
        subprocess.run([DOVECOT, "-c", str(conf)], check=True, stdin=subprocess.DEVNULL, stdout=out,
                       stderr=subprocess.STDOUT, timeout=30)
    try:
        _wait_port(port)
    except RuntimeError:
        log = "".join(p.read_text() for p in (root / "start.log", root / "dovecot.log") if p.exists())
        raise RuntimeError(f"dovecot did not start: {log[-2000:]}") from None
    yield Dovecot(root=root, port=port, uid=uid, gid=gid, users_file=users, tls_port=tls_port, ca_file=tls,
                  oauth=oauth)
    oauth.httpd.shutdown()
    subprocess.run([DOVECOT, "-c", str(conf), "stop"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=30)
    shutil.rmtree(root, ignore_errors=True)


@dataclass
class SmtpCapture:
    """Messages an aiosmtpd server on loopback received."""

    port: int
    messages: list[Message] = field(default_factory=list)
    refuse: bool = False
    refuse_recipients: bool = False  # 550 at RCPT, quoting the address as real servers do


@pytest.fixture
def smtp_server(app: Any) -> Iterator[SmtpCapture]:
    """An aiosmtpd SMTP server on a free loopback port capturing what CaseFlow sends."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import Envelope

    capture = SmtpCapture(port=free_port())

    class Handler:
        async def handle_RCPT(self, server: Any, session: Any, envelope: Envelope, address: str,  # noqa: N802
                              options: list[str]) -> str:
            if capture.refuse_recipients:
                return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802
            if capture.refuse:
                return "451 4.3.0 try again later"
            capture.messages.append(BytesParser(policy=default_policy).parsebytes(envelope.content))  # type: ignore[arg-type]
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=capture.port)
    controller.start()
    old = {k: app.config[k] for k in ("CASEFLOW_SMTP_HOST", "CASEFLOW_SMTP_PORT")}
    app.config.update(CASEFLOW_SMTP_HOST="127.0.0.1", CASEFLOW_SMTP_PORT=capture.port)
    try:
        yield capture
    finally:
        controller.stop()
        app.config.update(old)


@dataclass
class SmtpTlsCapture:
    """An aiosmtpd server that requires STARTTLS and a login, and what it received."""

    port: int
    ca_file: Path
    user: str = "caseflow-relay"
    password: str = "relay-pass-9"  # noqa: S105 - a test server's password
    messages: list[Message] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)


@pytest.fixture
def smtp_tls_server(app: Any, tmp_path: Path) -> Iterator[SmtpTlsCapture]:
    """An SMTP submission server on loopback: STARTTLS with a test certificate, then AUTH, then delivery."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

    cert = write_test_certificate(tmp_path / "smtp-tls")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, cert.parent / "key.pem")
    capture = SmtpTlsCapture(port=free_port(), ca_file=cert)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == capture.user \
            and auth_data.password.decode() == capture.password
        if ok:
            capture.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802
            capture.messages.append(BytesParser(policy=default_policy).parsebytes(envelope.content))  # type: ignore[arg-type]
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=capture.port, tls_context=context,
                            require_starttls=True, authenticator=authenticate, auth_required=True,
                            auth_require_tls=True)
    controller.start()
    keys = ("CASEFLOW_SMTP_HOST", "CASEFLOW_SMTP_PORT", "CASEFLOW_SMTP_STARTTLS", "CASEFLOW_SMTP_USER",
            "CASEFLOW_SMTP_PASSWORD", "CASEFLOW_MAIL_CA_FILE")
    old = {k: app.config[k] for k in keys}
    app.config.update(CASEFLOW_SMTP_HOST="127.0.0.1", CASEFLOW_SMTP_PORT=capture.port, CASEFLOW_SMTP_STARTTLS=True,
                      CASEFLOW_SMTP_USER=capture.user, CASEFLOW_SMTP_PASSWORD=capture.password,
                      CASEFLOW_MAIL_CA_FILE=str(cert))
    try:
        yield capture
    finally:
        controller.stop()
        app.config.update(old)


@pytest.fixture
def smtps_server(app: Any, tmp_path: Path) -> Iterator[SmtpTlsCapture]:
    """An SMTP submission server on loopback speaking implicit TLS (as on port 465), then AUTH, then delivery."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

    cert = write_test_certificate(tmp_path / "smtps")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, cert.parent / "key.pem")
    capture = SmtpTlsCapture(port=free_port(), ca_file=cert)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == capture.user \
            and auth_data.password.decode() == capture.password
        if ok:
            capture.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802
            capture.messages.append(BytesParser(policy=default_policy).parsebytes(envelope.content))  # type: ignore[arg-type]
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=capture.port, ssl_context=context,
                            authenticator=authenticate, auth_required=True,
                            auth_require_tls=False)  # aiosmtpd only counts STARTTLS; this whole session is TLS
    controller.start()
    keys = ("CASEFLOW_SMTP_HOST", "CASEFLOW_SMTP_PORT", "CASEFLOW_SMTP_SSL", "CASEFLOW_SMTP_STARTTLS",
            "CASEFLOW_SMTP_USER", "CASEFLOW_SMTP_PASSWORD", "CASEFLOW_MAIL_CA_FILE")
    old = {k: app.config[k] for k in keys}
    app.config.update(CASEFLOW_SMTP_HOST="127.0.0.1", CASEFLOW_SMTP_PORT=capture.port, CASEFLOW_SMTP_SSL=True,
                      CASEFLOW_SMTP_STARTTLS=False, CASEFLOW_SMTP_USER=capture.user,
                      CASEFLOW_SMTP_PASSWORD=capture.password, CASEFLOW_MAIL_CA_FILE=str(cert))
    try:
        yield capture
    finally:
        controller.stop()
        app.config.update(old)


@dataclass
class SmtpOAuthCapture:
    """aiosmtpd submission servers (STARTTLS as on 587, implicit TLS as on 465) that accept only AUTH XOAUTH2
    with a bearer token their authorisation server issued, and what they received."""

    starttls_port: int
    tls_port: int
    oauth: OAuthServer
    messages: list[Message] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # the users whose token was refused
    responses: list[bytes] = field(default_factory=list)  # every XOAUTH2 client response, as received


@pytest.fixture
def smtp_oauth_server(app: Any, tmp_path: Path) -> Iterator[SmtpOAuthCapture]:
    """Microsoft 365 / Google-like SMTP on loopback: XOAUTH2 only, the token checked against a local token
    endpoint's issued tokens; a refused token gets the provider's 334 JSON error, then 535."""
    import base64
    import json
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import MISSING, AuthResult, Envelope

    cert = write_test_certificate(tmp_path / "smtp-oauth")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, cert.parent / "key.pem")
    capture = SmtpOAuthCapture(starttls_port=free_port(), tls_port=free_port(), oauth=OAuthServer())

    class Handler:
        async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:  # noqa: N802 - aiosmtpd's name
            response = base64.b64decode(args[1]) if len(args) == 2 else await server.challenge_auth("")
            if response is MISSING:
                return AuthResult(success=False, handled=True)
            capture.responses.append(response)
            fields = dict(part.split("=", 1) for part in response.decode().split("\x01") if "=" in part)
            user, bearer = fields.get("user", ""), fields.get("auth", "")
            token = bearer[len("Bearer "):] if bearer.startswith("Bearer ") else ""
            if token and capture.oauth.tokens.get(token) == user:
                capture.logins.append(user)
                return AuthResult(success=True, auth_data=user)
            capture.refusals.append(user)
            error = json.dumps({"status": "401", "schemes": "bearer", "scope": "https://mail.google.com/"})
            await server.challenge_auth(error)  # the client answers with an empty line
            return AuthResult(success=False, handled=False, message="535 5.7.8 Username and Password not accepted")

        async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802
            capture.messages.append(BytesParser(policy=default_policy).parsebytes(envelope.content))  # type: ignore[arg-type]
            return "250 OK"

    only_xoauth2 = ["LOGIN", "PLAIN"]
    controllers = [
        Controller(Handler(), hostname="127.0.0.1", port=capture.starttls_port, tls_context=context,
                   require_starttls=True, auth_required=True, auth_require_tls=True,
                   auth_exclude_mechanism=only_xoauth2),
        Controller(Handler(), hostname="127.0.0.1", port=capture.tls_port, ssl_context=context,
                   auth_required=True, auth_require_tls=False,  # aiosmtpd only counts STARTTLS; this is all TLS
                   auth_exclude_mechanism=only_xoauth2)]
    for controller in controllers:
        controller.start()
    keys = ("CASEFLOW_SMTP_HOST", "CASEFLOW_SMTP_PORT", "CASEFLOW_SMTP_SSL", "CASEFLOW_SMTP_STARTTLS",
            "CASEFLOW_SMTP_USER", "CASEFLOW_SMTP_PASSWORD", "CASEFLOW_MAIL_CA_FILE", "CASEFLOW_SMTP_XOAUTH2",
            "CASEFLOW_SMTP_OAUTH", "CASEFLOW_IMAP_OAUTH")
    old = {k: app.config[k] for k in keys}
    app.config.update(CASEFLOW_SMTP_HOST="127.0.0.1", CASEFLOW_SMTP_PORT=capture.starttls_port,
                      CASEFLOW_SMTP_SSL=False, CASEFLOW_SMTP_STARTTLS=True, CASEFLOW_SMTP_PASSWORD="",
                      CASEFLOW_MAIL_CA_FILE=str(cert))
    try:
        yield capture
    finally:
        for controller in controllers:
            controller.stop()
        capture.oauth.httpd.shutdown()
        app.config.update(old)
