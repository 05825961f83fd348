"""Tracking codes 查询码 and the constituent's signed links.

A code is nine random characters of an alphabet without look-alikes (no 0/O, no 1/I) and a check
character (Luhn mod 32), so a mistyped code is refused before any look-up: 32⁹ ≈ 3.5 × 10¹³
codes, unguessable at the public pages' rate limit, short enough to read over the phone.

Holding the code shows the public view. Rating and reopening need more: the owner's key (given
with the code when the concern is submitted) or a rating link (sent when it is answered). Both are
signatures made with the site's secret; a rating link expires.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare

from lianluo.casework.models import CODE_ALPHABET, CODE_LENGTH

_INDEX = {char: i for i, char in enumerate(CODE_ALPHABET)}
_N = len(CODE_ALPHABET)
_OWNER_SALT = "lianluo.casework.owner"
_RATE_SALT = "lianluo.casework.rate"


def check_character(body: str) -> str:
    """The Luhn mod N check character of `body` (catches any single error and most swaps)."""
    factor = 2
    total = 0
    for char in reversed(body):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // _N + addend % _N
    return CODE_ALPHABET[(_N - total % _N) % _N]


def new_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH - 1))
    return body + check_character(body)


def normalize(text: str) -> str:
    """What a person typed, as a code: upper case, without spaces or dashes."""
    return re.sub(r"[\s\-_.]", "", text or "").upper()


def is_valid(code: str) -> bool:
    return (
        len(code) == CODE_LENGTH
        and all(char in _INDEX for char in code)
        and check_character(code[:-1]) == code[-1]
    )


def owner_key(code: str) -> str:
    """The key that makes the tracking page the owner's: rating and reopening without SMS."""
    return signing.Signer(salt=_OWNER_SALT).signature(code)


def is_owner_key(code: str, key: str) -> bool:
    return bool(key) and constant_time_compare(owner_key(code), key)


def rating_token(code: str) -> str:
    """A signed, timestamped token for one-click rating links."""
    return signing.TimestampSigner(salt=_RATE_SALT).sign(code)


class TokenExpired(Exception):
    """The rating link is genuine but older than the committee allows."""


def code_from_rating_token(token: str, *, max_age: timedelta | None) -> str:
    """The concern's code in a rating token; TokenExpired or signing.BadSignature otherwise."""
    signer = signing.TimestampSigner(salt=_RATE_SALT)
    try:
        return signer.unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise TokenExpired from error
