"""Property-based tests of the API against its own OpenAPI schema (Schemathesis, in-process).

Schemathesis reads /api/schema/ through the WSGI application and generates requests for every
operation, sent in-process with an office user's token over the `world` registry. Valid requests
must get documented status codes, content types, headers and bodies; invalid ones must be
refused with a 4xx, never a server error.

(Schemathesis' own pytest integration, `from_fixture(...).parametrize()`, does not run under
pytest 9, so each operation's Hypothesis strategy is driven here, one subtest per operation.)
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

BOUNDED = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]
NEGATIVE_CHECKS = [not_a_server_error, negative_data_rejection]


@pytest.fixture
def wsgi_in_test_transaction():
    """Serve the real WSGI application inside the test's transaction, as Django's test client
    does: without this, the end of each request closes the connection (it is not in autocommit
    inside the test transaction), which PostgreSQL then reports as "connection is closed"."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api(world, wsgi_in_test_transaction):
    """The schema as served at /api/schema/, authenticating with an office user's token, and
    path parameters of real objects."""
    token = Token.objects.create(user=world.users.hunan_office).key
    known = {
        "/api/committees/{code}/": {"code": "430300"},
        "/api/popolo/{code}.json": {"code": "430300"},
        "/api/people/{id}/": {"id": world.both.pk},
        "/api/memberships/{id}/": {"id": world.seat_xiangtan.pk},
        "/api/organizations/{id}/": {"id": world.sector[("430300", "经济界")].pk},
    }
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_in_test_transaction)

    class OfficeToken:
        """Authenticates generated requests with the office token (schema scheme tokenAuth)."""

        def get(self, case, ctx):
            return token

        def set(self, case, data, ctx):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    schema.auth(refresh_interval=None)(OfficeToken)
    return schema, known


def _run(api, subtests, mode, checks):
    schema, known = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 11
    for operation in operations:
        strategy = operation.as_strategy(generation_mode=mode, auth_storage=schema.auth)
        if mode is GenerationMode.POSITIVE and operation.path in known:
            # Also the real objects, so detail answers are checked on found objects, not 404s.
            strategy = st.one_of(
                strategy,
                operation.as_strategy(
                    generation_mode=mode,
                    auth_storage=schema.auth,
                    path_parameters=known[operation.path],
                ),
            )

        @given(case=strategy)
        @BOUNDED
        def run(case):
            case.call_and_validate(checks=checks)

        with subtests.test(operation=operation.label):
            run()


def test_valid_requests_get_documented_answers(api, subtests):
    """Valid requests to every operation answer without a server error, with a documented status
    code, content type and headers and a body that matches the schema; and secured operations
    refuse a request without credentials."""
    _run(api, subtests, GenerationMode.POSITIVE, POSITIVE_CHECKS)


def test_invalid_requests_are_refused_without_a_server_error(api, subtests):
    """Requests with malformed parameters or bodies get a 4xx answer, never a 5xx."""
    _run(api, subtests, GenerationMode.NEGATIVE, NEGATIVE_CHECKS)
