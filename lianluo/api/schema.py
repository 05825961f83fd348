"""How the API's OpenAPI schema is generated, beyond drf-spectacular's defaults.

It is the DEFAULT_SCHEMA_CLASS, so every app's API (registry, meetings, ...) gets the same rules.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

ERROR_BODY = {
    "type": "object",
    "description": "`detail` for a refusal; field → messages for invalid input.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
STANDARD_ERRORS = {
    "400": "Invalid input or filter value.",
    "401": "Not logged in.",
    "403": "Not allowed.",
    "404": "Not found, not visible to you, or a page number past the end.",
}


class LianluoAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus:

    * an optional query parameter may be empty: the filters (django-filter) and the page number
      treat `?role=` like no `role` at all, as the pages' filter forms send them;
    * every operation documents the standard error answers (400, 401, 403, 404) with their JSON
      body, unless the view documents its own.
    """

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        responses = operation.setdefault("responses", {})
        for code, description in STANDARD_ERRORS.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_BODY}},
                },
            )
        return operation
