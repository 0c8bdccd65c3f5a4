"""Files on tasks and notes: checked, stored byte for byte and encrypted exactly as evidence files are."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from caseflow import audit
from caseflow.attachments import check_submission
from caseflow.extensions import db
from caseflow.investigation import files
from caseflow.models import Case, Note, Task, User, WorkFile


def attach_files(case: Case, actor: User, uploads: Sequence[tuple[str, bytes]], task: Task | None = None,
                 note: Note | None = None) -> list[WorkFile]:
    """Store files on a task or a note of the case (all checked first: count, total size, each file's type)."""
    owner = task if task is not None else note
    if owner is None or owner.case_id != case.id:
        raise ValueError("a work file belongs to a task or a note of its case")
    if not uploads:
        return []
    check_submission(list(uploads))
    source = "task" if task is not None else "note"
    stored = []
    for name, data in uploads:
        attachment_id, received_sha, _stored_sha = files.store_file(case, name, data, actor, source)
        row = WorkFile(case_id=case.id, task_id=task.id if task else None, note_id=note.id if note else None,
                       attachment_id=attachment_id, filename=files.clean_name(name), sha256=received_sha,
                       uploaded_by_id=actor.id)
        db.session.add(row)
        db.session.flush()
        audit.record("work_file.add", actor, case, {source: owner.id, "file": row.id, "sha256": received_sha,
                                                    "name_uploaded": files.record_name(name)})
        stored.append(row)
    return stored


def files_of_tasks(case: Case) -> dict[int, list[WorkFile]]:
    """Return the files of the case's tasks, by task id."""
    return _by_owner(case, WorkFile.task_id)


def files_of_notes(case: Case) -> dict[int, list[WorkFile]]:
    """Return the files of the case's notes, by note id."""
    return _by_owner(case, WorkFile.note_id)


def _by_owner(case: Case, column: sa.orm.InstrumentedAttribute[int | None]) -> dict[int, list[WorkFile]]:
    out: dict[int, list[WorkFile]] = {}
    for row in db.session.scalars(sa.select(WorkFile).where(WorkFile.case_id == case.id, column.is_not(None))
                                  .order_by(WorkFile.id)):
        out.setdefault(getattr(row, column.key), []).append(row)
    return out


def read_work_file(row: WorkFile, actor: User) -> bytes | None:
    """Return the file's bytes as uploaded (checked against the stored hash) and audit the download."""
    data = files.read_file(row.attachment_id)
    if data is None:
        return None
    audit.record("file.download", actor, None, {"kind": "task" if row.task_id else "note", "id": row.id},
                 case_id=row.case_id)
    db.session.flush()
    return data
