from typing import Any

from django.http import HttpRequest

from lianluo.directory.scoping import scope_for


def scope(request: HttpRequest) -> dict[str, Any]:
    """`scope` in every template: what the current user may see (menus depend on it)."""
    return {"scope": scope_for(getattr(request, "user", None))}
