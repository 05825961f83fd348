"""Checks on uploaded attachments, made before anything is written: the type from the content
(Pillow for photos, magic bytes and the archive's layout for documents), the extension, the size
and the number of files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_FILES = 10
MAX_BYTES = 10 * 1024 * 1024
IMAGE_EXTENSIONS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPT = ",".join(f".{ext}" for ext in [*IMAGE_EXTENSIONS, *DOCUMENT_TYPES])
# An image with more pixels than this is refused (decompression bombs).
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with what they found out."""

    upload: Any
    name: str
    kind: str  # LiaisonAttachment.Kind
    content_type: str
    size: int


def _read(upload: Any) -> bytes:
    upload.seek(0)
    data: bytes = upload.read()
    upload.seek(0)
    return data


def _is_image(data: bytes, expected: str) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                return False
            width, height = image.size
            if width * height > MAX_PIXELS:
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _is_document(data: bytes, extension: str) -> bool:
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if not data.startswith(b"PK\x03\x04"):
        return False
    marker = "word/document.xml" if extension == "docx" else "xl/workbook.xml"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and marker in names


def check_attachment(upload: Any) -> CheckedFile:
    """The upload as a CheckedFile, or a ValidationError saying why it is refused."""
    name = str(getattr(upload, "name", "") or "file")[-200:]
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(size)d MB.")
            % {"name": name, "size": MAX_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    refused = _(
        "%(name)s cannot be attached: only photos (JPEG, PNG, WebP) and documents (PDF, "
        "Word .docx, Excel .xlsx) are accepted, and the content must match the file type."
    ) % {"name": name}
    data = _read(upload)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(size)d MB.")
            % {"name": name, "size": MAX_BYTES // (1024 * 1024)}
        )
    if extension in IMAGE_EXTENSIONS:
        image_format = IMAGE_EXTENSIONS[extension]
        if not _is_image(data, image_format):
            raise ValidationError(refused)
        return CheckedFile(upload, name, "image", IMAGE_TYPES[image_format], len(data))
    if extension in DOCUMENT_TYPES:
        if not _is_document(data, extension):
            raise ValidationError(refused)
        return CheckedFile(upload, name, "document", DOCUMENT_TYPES[extension], len(data))
    raise ValidationError(refused)


def check_attachments(uploads: Sequence[Any], *, already: int = 0) -> list[CheckedFile]:
    """Check every upload; all messages at once under "attachments" if any is refused."""
    if already + len(uploads) > MAX_FILES:
        raise ValidationError(
            {"attachments": _("At most %(count)d attachments per activity.") % {"count": MAX_FILES}}
        )
    checked: list[CheckedFile] = []
    messages: list[str] = []
    for upload in uploads:
        try:
            checked.append(check_attachment(upload))
        except ValidationError as error:
            messages.extend(error.messages)
    if messages:
        raise ValidationError({"attachments": messages})
    return checked
