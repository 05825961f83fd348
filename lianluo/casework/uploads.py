"""Attachments: checked on the server whatever the browser said, and stored without metadata.

An image must open and decode with Pillow as JPEG, PNG or WebP; it is saved again, which drops its
EXIF data (a phone photo carries the place where it was taken) and anything hidden after the image.
A PDF must start with the PDF signature. At most MAX_FILES files of at most MAX_BYTES each; the
stored name is random, the person's file name is kept only for display.
"""

from __future__ import annotations

import io
import re
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


@dataclass
class CheckedFile:
    """An upload that passed the checks, ready to be stored."""

    content: ContentFile[bytes]
    name: str
    kind: str
    content_type: str
    size: int


def _display_name(name: str) -> str:
    base = re.sub(r"[\x00-\x1f/\\]", "", name.rsplit("/", 1)[-1]).strip()
    return base[:120] or "file"


def _image(data: bytes) -> tuple[bytes, str, str] | None:
    try:
        with warnings.catch_warnings():
            # A decompression bomb's warning is a refusal here, not a log line.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _reencode(data)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None


def _reencode(data: bytes) -> tuple[bytes, str, str] | None:
    """A JPEG, PNG or WebP decoded and saved again (EXIF and trailing data dropped)."""
    with Image.open(io.BytesIO(data)) as probe:
        probe_format = probe.format or ""
        if probe_format not in IMAGE_FORMATS:
            return None
        if probe.width * probe.height > MAX_PIXELS:
            raise ValidationError({"attachments": _("The image is too large (too many pixels).")})
        probe.verify()
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        clean = ImageOps.exif_transpose(image) or image
        if probe_format == "JPEG" and clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        out = io.BytesIO()
        clean.save(out, format=probe_format)
    extension, content_type = IMAGE_FORMATS[probe_format]
    return out.getvalue(), extension, content_type


def check_files(files: list[Any]) -> list[CheckedFile]:
    """The uploads, checked; ValidationError({"attachments": ...}) on the first problem."""
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"attachments": _("At most %(count)d files may be attached.") % {"count": MAX_FILES}}
        )
    checked: list[CheckedFile] = []
    for upload in files:
        name = _display_name(getattr(upload, "name", "") or "")
        if upload.size > MAX_BYTES:
            raise ValidationError(
                {
                    "attachments": _("%(name)s is larger than %(size)d MB.")
                    % {"name": name, "size": MAX_BYTES // (1024 * 1024)}
                }
            )
        upload.seek(0)
        data = upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValidationError({"attachments": _("%(name)s is too large.") % {"name": name}})
        if data.startswith(b"%PDF-"):
            stored, extension, content_type, kind = data, "pdf", "application/pdf", "pdf"
        else:
            image = _image(data)
            if image is None:
                raise ValidationError(
                    {
                        "attachments": _(
                            "%(name)s is not a photo (JPEG, PNG, WebP) or a PDF document."
                        )
                        % {"name": name}
                    }
                )
            stored, extension, content_type = image
            kind = "image"
        checked.append(
            CheckedFile(
                content=ContentFile(stored, name=f"{uuid.uuid4().hex}.{extension}"),
                name=name,
                kind=kind,
                content_type=content_type,
                size=len(stored),
            )
        )
    return checked
