"""Checks of uploaded files (meeting attachments, speeches, reports): extension, magic bytes and
size, all on the server. Files are stored under MEDIA_ROOT, never executed, and served only
through views that check who may see the record (always as a download)."""

from __future__ import annotations

import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension → (magic bytes it must start with, content type it is served as)
ALLOWED: dict[str, tuple[tuple[bytes, ...], str]] = {
    "pdf": ((b"%PDF-",), "application/pdf"),
    "docx": (
        (ZIP,),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ((ZIP,), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (
        (ZIP,),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "doc": ((OLE,), "application/msword"),
    "xls": ((OLE,), "application/vnd.ms-excel"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    "jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type(name: str) -> str:
    entry = ALLOWED.get(extension(name))
    return entry[1] if entry else "application/octet-stream"


def check_upload(upload: Any, *, field: str = "file") -> None:
    """Refuse a file whose extension is not allowed, whose first bytes do not match it, or
    that is larger than MAX_BYTES. Office documents must be real OOXML packages."""
    ext = extension(upload.name or "")
    if ext not in ALLOWED:
        raise ValidationError(
            {
                field: _("Upload a PDF, Word, Excel, PowerPoint, PNG or JPEG file (%(list)s).")
                % {"list": ", ".join(sorted(ALLOWED))}
            }
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {field: _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // 2**20}}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    magic, _type = ALLOWED[ext]
    if not any(head.startswith(prefix) for prefix in magic):
        raise ValidationError(
            {field: _("The file's content does not match its extension .%(ext)s.") % {"ext": ext}}
        )
    if magic == (ZIP,):
        try:
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names:
            raise ValidationError(
                {field: _("The file is not a valid Office document (.%(ext)s).") % {"ext": ext}}
            )
