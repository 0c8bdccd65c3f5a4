"""Files in and out of a web request: read uploads within the size limit, send a stored case file as a download."""

from __future__ import annotations

import io

from flask import send_file
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage

from caseflow.attachments import attachment_name, max_upload_bytes, read_attachment
from caseflow.errors import ValidationError
from caseflow.models.intake import Attachment


def read_uploads(storages: list[FileStorage]) -> list[tuple[str, bytes]]:
    """Return (name, content) of the uploaded files, refusing an oversize one before reading it all."""
    files = []
    limit = max_upload_bytes()
    for storage in storages:
        if not storage or not storage.filename:
            continue
        data = storage.stream.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(ngettext("The file %(name)s is larger than %(mb)d MB.",
                                           "The file %(name)s is larger than %(mb)d MB.",
                                           limit // (1024 * 1024), name=storage.filename[-80:],
                                           mb=limit // (1024 * 1024)))
        files.append((storage.filename, data))
    return files


def send_file_response(attachment: Attachment) -> ResponseReturnValue:
    """Return a stored file as a download with a safe name (never displayed inline)."""
    return send_bytes_response(read_attachment(attachment), attachment)


def send_bytes_response(data: bytes, attachment: Attachment) -> ResponseReturnValue:
    """Return these bytes of a case file as a download with the file's safe name (never displayed inline)."""
    # The bare type: werkzeug adds "; charset=utf-8" to text types itself (else it would appear twice).
    mimetype = attachment.content_type.split(";")[0].strip()
    response = send_file(io.BytesIO(data), mimetype=mimetype,
                         as_attachment=True, download_name=attachment_name(attachment))
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
