"""Log-in accounts. What an account may see and do comes from directory.Grant and Person.user."""

from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A log-in account 账号: office staff, a member, a handling unit's clerk or an auditor."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username
