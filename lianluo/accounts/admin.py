from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from lianluo.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
