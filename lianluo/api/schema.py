"""How the API's OpenAPI schema is generated, beyond drf-spectacular's defaults."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema


class LianluoAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, saying that an optional query parameter may be empty.

    The filters (django-filter) and the page number (DRF) treat `?role=` like no `role` at all,
    as the pages' filter forms send them; `allowEmptyValue` documents that.
    """

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return operation
