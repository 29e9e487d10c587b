"""schemathesis against /api/v1/openapi.json on the demo data: generated requests to every
operation, anonymous and with an organiser's token of every scope, find no server error and
no answer that breaks the published schema. Examples per operation are few, so that the run
stays within a couple of minutes."""

import io

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ciep.areas import api_scopes
from ciep.services import token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def schema(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.RATE_LIMITS = {"api:anonymous": "", "api:token": ""}
    call_command("seed_demo", stdout=io.StringIO())
    # As Django's test client does: a request's end must not close the test's connection
    # (and its transaction, on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def run_every_operation(schema, headers):
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Exception as error:  # gathered, so that one run reports every operation
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert failures == []


def test_anonymous_requests_break_nothing(schema):
    run_every_operation(schema, headers={})


def test_an_organisers_token_of_every_scope_breaks_nothing(schema):
    organiser = UserFactory(organiser=True)
    _token, raw = token_create(
        user=organiser, name="schemathesis", scopes=[scope for scope, _label in api_scopes()]
    )
    run_every_operation(schema, headers={"Authorization": f"Bearer {raw}"})
