"""The e-mail channel against a real Dovecot on loopback, and outbound mail through a real SMTP server."""

from __future__ import annotations

from email.message import EmailMessage

import sqlalchemy as sa

from caseflow.channels.outbound import queue_mail
from caseflow.enums import Channel
from caseflow.extensions import db
from caseflow.models import Case, Note, OutboxMail, ProcessedMail
from tests.mailservers import free_port


def _mail(subject: str = "Bribe at gate 4", body: str = "The officer asked me for 50 euros.",
          sender: str = "Ana Lima <ana@example.org>", msgid: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "integrity@example.gov"
    msg["Subject"] = subject
    if msgid:
        msg["Message-ID"] = msgid
    msg.set_content(body)
    return msg


def _cases() -> list[Case]:
    return list(db.session.scalars(sa.select(Case).order_by(Case.id)))


def _run(runner):
    return runner.invoke(args=["caseflow", "fetch-mail"])


def test_new_message_becomes_an_email_case_once_and_is_flagged(app, runner, dovecot, smtp_server):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    dovecot.append(user, _mail(msgid="<m1@example.org>").as_bytes())
    result = _run(runner)
    assert result.exit_code == 0, result.output
    cases = _cases()
    assert len(cases) == 1
    assert cases[0].channel == Channel.EMAIL
    assert cases[0].title == "Bribe at gate 4"
    assert cases[0].number in result.output
    flags, _msg = dovecot.messages(user)[0]
    assert "CaseFlowProcessed" in flags and "\\Seen" in flags
    # the acknowledgement went out to the named complainant, quoting the case number
    assert [m["To"] for m in smtp_server.messages] == ["ana@example.org"]
    assert cases[0].number in str(smtp_server.messages[0]["Subject"])
    db.session.refresh(cases[0])
    assert cases[0].acknowledged_at is not None
    # second run: nothing created twice, even if the flag were removed
    conn = dovecot.imap(user)
    conn.select("INBOX")
    conn.uid("STORE", "1:*", "-FLAGS", "(CaseFlowProcessed)")
    conn.logout()
    result = _run(runner)
    assert result.exit_code == 0, result.output
    assert len(_cases()) == 1
    assert "1 already done" in result.output


def test_reply_from_the_reporter_joins_the_thread_and_a_stranger_only_makes_a_note(app, runner, dovecot,
                                                                                     smtp_server):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    dovecot.append(user, _mail(msgid="<first@example.org>").as_bytes())
    assert _run(runner).exit_code == 0
    case = _cases()[0]
    dovecot.append(user, _mail(subject=f"Re: Complaint {case.number} received", body="It happened twice.",
                               msgid="<second@example.org>").as_bytes())
    dovecot.append(user, _mail(subject=f"Re: {case.number}", body="Ignore the complaint.",
                               sender="Mallory <mallory@example.net>", msgid="<third@example.org>").as_bytes())
    result = _run(runner)
    assert result.exit_code == 0, result.output
    assert "2 reply" in result.output and len(_cases()) == 1
    from caseflow.reporting.operations import thread
    bodies = [text for _m, text in thread(case)]
    assert len(bodies) == 1 and "It happened twice." in bodies[0]
    notes = list(db.session.scalars(sa.select(Note.body).where(Note.case_id == case.id)))
    assert len(notes) == 1 and "mallory@example.net" in notes[0] and "Ignore the complaint." in notes[0]


def test_html_only_and_non_utf8_and_odd_attachment_names(app, runner, dovecot, smtp_server):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    html = ("From: =?iso-8859-1?q?Jos=E9?= <jose@example.org>\r\nSubject: =?iso-8859-1?q?D=E9claration?=\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/html; charset=iso-8859-1\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\nMessage-ID: <h1@example.org>\r\n\r\n"
            "<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
            "<body><p>L'agent a demand=E9 de l'argent.</p><p>Merci &amp; bonne journ=E9e</p></body></html>\r\n")
    dovecot.append(user, html)
    multi = _mail(subject="With files", msgid="<a1@example.org>")
    multi.add_alternative("<p>The officer asked me for 50 euros.</p>", subtype="html")
    multi.add_attachment(b"Ledger of payments\n", maintype="text", subtype="plain",
                         filename="../../etc/passwd\x07 r\u00e9sum\u00e9 <1>.txt")
    multi.add_attachment(b"MZ\x90\x00\x03binary", maintype="application", subtype="octet-stream", filename="run.exe")
    dovecot.append(user, multi.as_bytes())
    result = _run(runner)
    assert result.exit_code == 0, result.output
    cases = _cases()
    assert [c.title for c in cases] == ["Déclaration", "With files"]
    from tests.factories import content_text
    text = content_text(cases[0])
    assert "L'agent a demandé de l'argent." in text and "Merci & bonne journée" in text
    assert "alert" not in text and "color" not in text and "<p>" not in text
    assert "50 euros" in content_text(cases[1])
    from caseflow.attachments import attachment_name, read_attachment
    from caseflow.models.intake import Attachment
    files = list(db.session.scalars(sa.select(Attachment).where(Attachment.case_id == cases[1].id)))
    assert len(files) == 1 and read_attachment(files[0]) == b"Ledger of payments\n"
    assert "/" not in attachment_name(files[0]) and "\x07" not in attachment_name(files[0])
    refused = db.session.scalars(sa.select(Note.body).where(Note.case_id == cases[1].id)).one()
    assert "run.exe" in refused  # the executable is refused with its reason; the complaint still became a case


def test_unparseable_and_huge_messages_go_to_the_failed_folder_with_a_reason(app, runner, dovecot, smtp_server,
                                                                             monkeypatch):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_MAX_BYTES", 50_000)
    dovecot.append(user, "Subject: no sender\r\nMessage-ID: <x1@example.org>\r\n\r\nhello\r\n")
    dovecot.append(user, _mail(body="x" * 80_000, msgid="<big@example.org>").as_bytes())
    dovecot.append(user, _mail(msgid="<good@example.org>").as_bytes())
    result = _run(runner)
    assert result.exit_code == 0, result.output
    assert "2 moved to the failed folder" in result.output
    assert len(_cases()) == 1
    failed = dovecot.messages(user, "CaseFlow-Unparseable")
    assert len(failed) == 2
    assert len(dovecot.messages(user)) == 1
    reasons = {p.reason for p in db.session.scalars(sa.select(ProcessedMail)) if p.reason}  # the good one has none
    assert "no sender address" in reasons and any("over the 50000-byte limit" in r for r in reasons)


def test_mailbox_down_logs_exits_non_zero_and_loses_nothing(app, runner, dovecot, smtp_server, monkeypatch):
    user = dovecot.new_user()
    dovecot.append(user, _mail(msgid="<later@example.org>").as_bytes())
    dovecot.configure(app, user)
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_PORT", free_port())  # nothing listens there
    result = _run(runner)
    assert result.exit_code != 0
    assert "mailbox unavailable, nothing fetched, will retry next run" in result.output
    assert _cases() == []
    dovecot.configure(app, user)  # the server is back: the message is still there and is fetched
    result = _run(runner)
    assert result.exit_code == 0, result.output
    assert len(_cases()) == 1


def test_wrong_password_is_a_clear_failure(app, runner, dovecot, monkeypatch):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_PASSWORD", "wrong")
    result = _run(runner)
    assert result.exit_code != 0
    assert "mailbox unavailable" in result.output


def test_outbox_survives_a_failed_send_and_retries_later(app, runner, clock, smtp_server):
    queue_mail("officer@example.gov", "Reminder: triage due", "Case IA-2026-00001 needs triage.")
    db.session.commit()
    smtp_server.refuse = True
    result = runner.invoke(args=["caseflow", "send-mail"])
    assert result.exit_code != 0 and "1 failed" in result.output
    mail = db.session.scalar(sa.select(OutboxMail))
    assert mail.sent_at is None and mail.attempts == 1 and "451" in mail.last_error
    smtp_server.refuse = False
    result = runner.invoke(args=["caseflow", "send-mail"])
    assert "0 sent" in result.output  # not due yet: it waits for its next attempt
    clock.advance(minutes=2)
    result = runner.invoke(args=["caseflow", "send-mail"])
    assert "1 sent" in result.output
    assert [str(m["Subject"]) for m in smtp_server.messages] == ["Reminder: triage due"]
    db.session.refresh(mail)
    assert mail.sent_at is not None and mail.attempts == 2


def test_smtp_server_down_keeps_the_mail_queued(app, runner):
    app.config.update(CASEFLOW_SMTP_HOST="127.0.0.1", CASEFLOW_SMTP_PORT=free_port())
    try:
        queue_mail("officer@example.gov", "Reminder", "Body")
        db.session.commit()
        result = runner.invoke(args=["caseflow", "send-mail"])
    finally:
        app.config.update(CASEFLOW_SMTP_HOST="", CASEFLOW_SMTP_PORT=25)
    assert result.exit_code != 0
    mail = db.session.scalar(sa.select(OutboxMail))
    assert mail.sent_at is None and mail.attempts == 1 and mail.last_error


def test_imap_over_tls_verifies_the_server_certificate(app, runner, dovecot, smtp_server, monkeypatch):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    dovecot.append(user, _mail(msgid="<tls1@example.org>").as_bytes())
    app.config.update(CASEFLOW_IMAP_SSL=True, CASEFLOW_IMAP_PORT=dovecot.tls_port, CASEFLOW_MAIL_CA_FILE="")
    try:
        refused = _run(runner)  # the test server's certificate is not in the system's trust store
        assert refused.exit_code != 0 and "CERTIFICATE_VERIFY_FAILED" in refused.output
        assert _cases() == []
        monkeypatch.setitem(app.config, "CASEFLOW_MAIL_CA_FILE", str(dovecot.ca_file))  # a private mail server's CA
        result = _run(runner)
    finally:
        app.config.update(CASEFLOW_IMAP_SSL=False, CASEFLOW_IMAP_PORT=dovecot.port, CASEFLOW_MAIL_CA_FILE="")
    assert result.exit_code == 0, result.output
    assert [c.title for c in _cases()] == ["Bribe at gate 4"]


def test_smtp_starttls_and_login_then_a_wrong_password_keeps_the_mail_queued(app, runner, clock, smtp_tls_server,
                                                                             monkeypatch):
    queue_mail("officer@example.gov", "Reminder: triage due", "Case IA-2026-00001 needs triage.")
    db.session.commit()
    result = runner.invoke(args=["caseflow", "send-mail"])
    assert result.exit_code == 0 and "1 sent" in result.output, result.output
    assert smtp_tls_server.logins == ["caseflow-relay"]
    assert [str(m["Subject"]) for m in smtp_tls_server.messages] == ["Reminder: triage due"]
    queue_mail("officer@example.gov", "Second reminder", "Still waiting.")
    db.session.commit()
    monkeypatch.setitem(app.config, "CASEFLOW_SMTP_PASSWORD", "wrong")
    result = runner.invoke(args=["caseflow", "send-mail"])
    assert result.exit_code != 0 and "1 failed" in result.output
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.subject == "Second reminder"))
    assert mail.sent_at is None and mail.attempts == 1 and "535" in mail.last_error
    assert len(smtp_tls_server.messages) == 1


def test_a_dropped_connection_mid_run_says_how_many_were_taken_and_the_next_run_takes_the_rest(
        app, runner, dovecot, smtp_server, monkeypatch):
    import socket

    from caseflow.channels import mailbox
    user = dovecot.new_user()
    dovecot.configure(app, user)
    for i in range(6):
        dovecot.append(user, _mail(subject=f"Complaint {i}", msgid=f"<drop{i}@example.org>").as_bytes())
    real, calls = mailbox._process, []

    def dropping(conn, uid, result, box):
        calls.append(uid)
        if len(calls) == 4:
            conn.sock.shutdown(socket.SHUT_RDWR)  # the server goes away under the run
        return real(conn, uid, result, box)

    monkeypatch.setattr(mailbox, "_process", dropping)
    result = _run(runner)
    assert result.exit_code == 2
    assert "mailbox dropped after 3 of 6 messages; 3 case(s) created" in result.output
    assert "run again to take the rest" in result.output
    assert len(_cases()) == 3
    assert len(smtp_server.messages) == 3  # what was taken is acknowledged all the same
    monkeypatch.setattr(mailbox, "_process", real)
    result = _run(runner)
    assert result.exit_code == 0, result.output
    assert sorted(c.title for c in _cases()) == [f"Complaint {i}" for i in range(6)]


def test_queued_mail_is_sent_while_the_mailbox_is_down(app, runner, dovecot, smtp_server, monkeypatch):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    queue_mail("officer@example.gov", "Reminder: triage due", "Case IA-2026-00001 needs triage.")
    db.session.commit()
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_PORT", free_port())  # nothing listens there
    result = _run(runner)
    assert result.exit_code == 2 and "mailbox unavailable" in result.output
    assert "1 sent" in result.output
    assert [str(m["Subject"]) for m in smtp_server.messages] == ["Reminder: triage due"]


def test_french_and_arabic_complaints_are_acknowledged_in_their_language_and_threaded(app, runner, dovecot,
                                                                                      smtp_server):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    dovecot.append(user, _mail(subject="Racket", sender="Claire Martin <claire@example.org>", msgid="<fr@example.org>",
                               body="Bonjour, l'agent de la douane m'a demandé de l'argent pour que je puisse "
                                    "passer avec mes marchandises. Il a dit que c'est la règle.").as_bytes())
    arabic_html = "<html><body><p>طلب مني موظف الجمارك مبلغا من المال مقابل الإفراج عن بضاعتي في الميناء."\
                  " وقال إن هذه هي القاعدة.</p></body></html>"
    dovecot.append(user, b"From: Karim <karim@example.org>\r\nSubject: =?windows-1256?b?"
                   + __import__("base64").b64encode("شكوى".encode("windows-1256"))
                   + b"?=\r\nMessage-ID: <ar@example.org>\r\nMIME-Version: 1.0\r\n"
                   b"Content-Type: text/html; charset=windows-1256\r\n\r\n" + arabic_html.encode("windows-1256"))
    dovecot.append(user, _mail(subject="Tagged", sender="Rosa <rosa@example.org>", msgid="<es@example.org>",
                               body="Short.").as_bytes().replace(b"Subject:", b"Content-Language: es\r\nSubject:"))
    dovecot.append(user, _mail(subject="Plain", sender="Tom <tom@example.org>", msgid="<en@example.org>",
                               body="The officer took my passport and asked for money.").as_bytes())
    result = _run(runner)
    assert result.exit_code == 0, result.output
    sent = {m["To"]: m for m in smtp_server.messages}
    french, arabic, spanish, english = (sent[a] for a in ("claire@example.org", "karim@example.org",
                                                          "rosa@example.org", "tom@example.org"))
    assert french["Content-Language"] == "fr" and str(french["Subject"]).startswith("Plainte ")
    assert "Claire Martin" in french.get_content()
    assert french["In-Reply-To"] == "<fr@example.org>" and french["References"] == "<fr@example.org>"
    assert arabic["Content-Language"] == "ar" and "تم استلام الشكوى" in str(arabic["Subject"])
    assert arabic["In-Reply-To"] == "<ar@example.org>"
    assert spanish["Content-Language"] == "es" and str(spanish["Subject"]).startswith("Denuncia ")
    assert english["Content-Language"] == "en" and str(english["Subject"]).startswith("Complaint ")


def test_a_reply_whose_sender_failed_authentication_does_not_join_the_reporter_thread(app, runner, dovecot,
                                                                                      smtp_server, login_as,
                                                                                      users):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    dovecot.append(user, _mail(msgid="<first-auth@example.org>").as_bytes())
    assert _run(runner).exit_code == 0
    case = _cases()[0]
    forged = _mail(subject=f"Re: {case.number}", body="Withdraw my complaint.", msgid="<forged@example.org>")
    forged["Authentication-Results"] = "mx.example.gov; spf=fail smtp.mailfrom=example.org; dkim=none; dmarc=fail"
    dovecot.append(user, forged.as_bytes())
    genuine = _mail(subject=f"Re: {case.number}", body="One more detail.", msgid="<genuine@example.org>")
    genuine["Authentication-Results"] = "mx.example.gov; spf=pass smtp.mailfrom=example.org; dkim=pass; dmarc=pass"
    dovecot.append(user, genuine.as_bytes())
    assert _run(runner).exit_code == 0
    from caseflow.reporting.operations import thread
    bodies = [text for _m, text in thread(case)]
    assert len(bodies) == 1 and "One more detail." in bodies[0] and "spf=pass dkim=pass dmarc=pass" in bodies[0]
    notes = list(db.session.scalars(sa.select(Note.body).where(Note.case_id == case.id)))
    assert len(notes) == 1 and "failed authentication" in notes[0] and "Withdraw my complaint." in notes[0]
    results = {p.message_id: p.auth_results for p in db.session.scalars(sa.select(ProcessedMail))}
    assert results["<forged@example.org>"] == "spf=fail dkim=none dmarc=fail"
    page = login_as(users["supervisor"]).get(f"/cases/{case.number}")
    assert page.status_code == 200, page.status_code
    text = page.get_data(as_text=True)
    assert "spf=fail dkim=none dmarc=fail" in text and "spf=pass dkim=pass dmarc=pass" in text


def test_staff_see_the_mail_that_was_not_a_complaint_with_its_reason(app, runner, dovecot, smtp_server,
                                                                    login_as, users):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    dovecot.append(user, "From: Bob <bob@example.org>\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n"
                         "Message-ID: <ooo2@example.org>\r\n\r\nAway.\r\n")
    assert _run(runner).exit_code == 0
    page = login_as(users["intake"]).get("/intake/mail")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "auto-reply (Auto-Submitted: auto-replied)" in text and "bob@example.org" in text
    assert "Out of office" in text


def test_smtp_over_implicit_tls_verifies_the_certificate_and_logs_in(app, runner, smtps_server, monkeypatch):
    queue_mail("officer@example.gov", "Reminder: triage due", "Case IA-2026-00001 needs triage.")
    db.session.commit()
    # the test certificate is not in the system's trust store
    monkeypatch.setitem(app.config, "CASEFLOW_MAIL_CA_FILE", "")
    refused = runner.invoke(args=["caseflow", "send-mail"])
    assert refused.exit_code != 0 and "1 failed" in refused.output
    assert "CERTIFICATE_VERIFY_FAILED" in db.session.scalar(sa.select(OutboxMail.last_error))
    monkeypatch.setitem(app.config, "CASEFLOW_MAIL_CA_FILE", str(smtps_server.ca_file))
    from caseflow.channels.outbound import send_pending
    from caseflow.clock import utcnow
    mail = db.session.scalar(sa.select(OutboxMail))
    mail.next_attempt_at = utcnow()
    db.session.commit()
    assert send_pending().sent == 1
    assert smtps_server.logins == ["caseflow-relay"]
    assert [str(m["Subject"]) for m in smtps_server.messages] == ["Reminder: triage due"]


def test_several_mailboxes_each_with_its_office_and_processed_mail_moved_to_a_folder(app, runner, dovecot,
                                                                                       smtp_server, monkeypatch):
    from tests.factories import make_office
    from tests.mailservers import PASSWORD
    north = make_office("North border post")
    db.session.commit()
    main, regional = dovecot.new_user(), dovecot.new_user()
    dovecot.configure(app, main)
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_DONE_FOLDER", "CaseFlow-Done")
    monkeypatch.setitem(app.config, "CASEFLOW_MAILBOXES", [
        {"name": "north", "host": "127.0.0.1", "port": dovecot.port, "ssl": False, "user": regional,
         "password": PASSWORD, "office": north.id}])
    dovecot.append(main, _mail(subject="At headquarters", msgid="<hq@example.org>").as_bytes())
    dovecot.append(regional, _mail(subject="At the north post", msgid="<north@example.org>").as_bytes())
    result = _run(runner)
    assert result.exit_code == 0, result.output
    assert "fetch-mail[main]: 1 case(s) created" in result.output
    assert "fetch-mail[north]: 1 case(s) created" in result.output
    by_title = {c.title: c for c in _cases()}
    assert by_title["At the north post"].office_id == north.id
    assert by_title["At headquarters"].office_id is None
    assert dovecot.messages(main) == [] and len(dovecot.messages(main, "CaseFlow-Done")) == 1
    assert len(dovecot.messages(regional)) == 1  # no done folder for that one: flagged and left
    app.config["CASEFLOW_MAILBOXES"][0]["port"] = free_port()  # the regional server goes down
    dovecot.append(main, _mail(subject="Later", msgid="<later-hq@example.org>").as_bytes())
    result = _run(runner)
    assert result.exit_code == 2
    assert "fetch-mail[north]: mailbox unavailable" in result.output
    assert "fetch-mail[main]: 1 case(s) created" in result.output  # the other mailbox is still read


def test_xoauth2_with_a_client_credentials_token_and_a_refresh_token(app, runner, dovecot, smtp_server, monkeypatch):
    user = dovecot.new_user()
    dovecot.configure(app, user)
    dovecot.oauth.register("caseflow-app", "app-secret-1", user)
    dovecot.append(user, _mail(msgid="<oauth1@example.org>").as_bytes())
    token_url = f"http://127.0.0.1:{dovecot.oauth.port}/token"
    # only the bearer token can open the mailbox
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_PASSWORD", "not-the-password")
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_OAUTH", {"token_url": token_url, "client_id": "caseflow-app",
                                                            "client_secret": "wrong-secret"})
    refused = _run(runner)
    assert refused.exit_code == 2 and "mailbox unavailable" in refused.output and "invalid_client" in refused.output
    app.config["CASEFLOW_IMAP_OAUTH"]["client_secret"] = "app-secret-1"
    result = _run(runner)
    assert result.exit_code == 0, result.output
    assert [c.title for c in _cases()] == ["Bribe at gate 4"]
    dovecot.oauth.register("caseflow-delegated", "refresh-abc", user)
    monkeypatch.setitem(app.config, "CASEFLOW_IMAP_OAUTH", {"token_url": token_url, "client_id": "caseflow-delegated",
                                                            "refresh_token": "refresh-abc"})
    dovecot.append(user, _mail(subject="Second", msgid="<oauth2@example.org>").as_bytes())
    result = _run(runner)
    assert result.exit_code == 0 and "1 case(s) created" in result.output, result.output
    import imaplib
    conn = imaplib.IMAP4("127.0.0.1", dovecot.port)
    try:  # Dovecot itself asks the authorisation server: a made-up bearer token does not open the mailbox
        conn.authenticate("XOAUTH2", lambda _c: f"user={user}\x01auth=Bearer at-forged\x01\x01".encode())
        raise AssertionError("a forged token was accepted")
    except imaplib.IMAP4.error:
        pass
    finally:
        conn.shutdown()
