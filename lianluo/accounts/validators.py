"""Password policy: every account ≥ 10 characters (settings); office staff stricter."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

STAFF_MIN_LENGTH = 12
STAFF_MIN_CLASSES = 3


def _is_privileged(user: Any) -> bool:
    if user is None:
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    if getattr(user, "pk", None) is None:
        return False
    return bool(user.grants.filter(role__in=("office", "auditor")).exists())


class StaffPasswordValidator:
    """Office staff and auditors: at least 12 characters, from 3 of a-z, A-Z, 0-9 and others."""

    def validate(self, password: str, user: Any = None) -> None:
        if not _is_privileged(user):
            return
        classes = sum(
            (
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            )
        )
        if len(password) < STAFF_MIN_LENGTH or classes < STAFF_MIN_CLASSES:
            raise ValidationError(
                _(
                    "Staff passwords need at least %(length)d characters, using at least three "
                    "of: lower-case letters, upper-case letters, digits and symbols."
                ),
                code="staff_password_too_weak",
                params={"length": STAFF_MIN_LENGTH},
            )

    def get_help_text(self) -> str:
        return _(
            "Staff passwords need at least %(length)d characters, using at least three of: "
            "lower-case letters, upper-case letters, digits and symbols."
        ) % {"length": STAFF_MIN_LENGTH}
