"""Files a citizen chose on a form that failed validation, kept so they need not choose them again.

The checked files are stored under ``intake-pending/`` with a random name; the
form carries a signed, time-limited token naming them, so a visitor can only
bring back files the server itself stored for them, for an hour.
"""

from __future__ import annotations

import uuid

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage

SALT = "feedback.pending-uploads"
MAX_AGE_SECONDS = 3600
FOLDER = "intake-pending"


def pending_store(uploads: list, earlier: list[dict] | None = None) -> tuple[str, list[dict]]:
    """Store checked uploads; return the signed token and the entries (earlier ones first)."""
    entries = list(earlier or [])
    for upload in uploads:
        extension = upload.name.rsplit(".", 1)[-1]
        upload.seek(0)
        path = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.{extension}", upload)
        entries.append({"path": path, "name": upload.original_name, "type": upload.sniffed_type, "size": upload.size})
    return (signing.dumps(entries, salt=SALT) if entries else ""), entries


def pending_load(token: str) -> list[dict]:
    """The entries of a token; raises ``signing.BadSignature`` (or ``SignatureExpired``) for a bad one."""
    entries = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    if not isinstance(entries, list):
        raise signing.BadSignature("not a list")
    return [e for e in entries if isinstance(e, dict) and str(e.get("path", "")).startswith(f"{FOLDER}/")]


def pending_files(entries: list[dict]) -> list[File]:
    """The stored files as uploads ``attachment_add`` accepts (a missing file is skipped)."""
    files = []
    for entry in entries:
        if not default_storage.exists(entry["path"]):
            continue
        handle = File(default_storage.open(entry["path"], "rb"), name=entry["path"].rsplit("/", 1)[-1])
        handle.original_name = entry["name"]
        handle.sniffed_type = entry["type"]
        files.append(handle)
    return files


def pending_discard(entries: list[dict]) -> None:
    for entry in entries:
        default_storage.delete(entry["path"])
