"""Encryption at rest for personal data that must never be shown in full (resident ID numbers).

A value is stored twice: encrypted (Fernet, so staff who are allowed can read it) and as a keyed
digest (HMAC-SHA256, so that the database can enforce "one ID number, one person" without holding
the number in clear text).
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet
from django.conf import settings


def _key_material(purpose: bytes) -> bytes:
    secret = settings.FIELD_ENCRYPTION_KEY.encode()
    return hmac.new(secret, purpose, hashlib.sha256).digest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key_material(b"lianluo-field-encryption")))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def digest(value: str) -> str:
    """A stable keyed digest of `value`, for uniqueness and look-up."""
    return hmac.new(
        _key_material(b"lianluo-field-digest"), value.encode(), hashlib.sha256
    ).hexdigest()
