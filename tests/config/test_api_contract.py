"""The whole API against its own OpenAPI schema (/api/schema/), with schemathesis: a few generated requests per
operation, valid and not, each sent by someone signed out, a clinician, a training-body admin and HEE staff. No
answer may be a 5xx, carry a status the schema does not document, or break the documented shape."""

import json

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.regulators.fixtures import make_guidance_version

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CALLERS = ("anonymous", "clinician", "tb_admin", "hee_staff")


def token_for(user) -> str:
    _, token = AuthToken.objects.create(user=user)
    return token


@pytest.fixture
def in_test_transaction():
    """The app is called in-process, in the test's transaction: keep Django from closing the connection at the end
    of each request, as its own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def load_schema():
    """The schema /api/schema/ serves, made in-process when the tests are collected (the lazy fixture loader of
    schemathesis does not run under this pytest)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    # A few examples per operation, the same ones on every run: the schema's own, its boundaries, and generated
    # data, valid and invalid alike.
    loaded.config.generation.update(
        modes=["positive", "negative"], max_examples=10, deterministic=True, database="none"
    )
    loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded


schema = load_schema()
APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def api_data(db, in_test_transaction, settings, submitted_nomination, published_pathway, nudge):
    """Something of each kind to find, list and act on."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # the host schemathesis sends
    make_guidance_version()


@pytest.fixture
def callers(clinician, tb_admin, hee_staff) -> dict[str, dict[str, str]]:
    users = {"clinician": clinician, "tb_admin": tb_admin, "hee_staff": hee_staff}
    return {"anonymous": {}} | {who: {"Authorization": f"Token {token_for(user)}"} for who, user in users.items()}


@schema.parametrize()
# The data and tokens are made once per operation, in its transaction; each example only reads them or adds to them.
@hypothesis.settings(suppress_health_check=list(hypothesis.HealthCheck), deadline=None)
def test_every_operation_answers_as_documented_and_never_5xx(case, callers):
    for who in CALLERS:
        case.call_and_validate(app=APP, headers=callers[who], checks=CHECKS)


def test_the_schema_documents_the_errors_any_operation_can_answer():
    """Hostile input (400) anywhere, a body too large (413) or of another type (415), signing in (401, 403), a page
    past the end (404) and a throttle (429), whether or not the view names them."""
    paths = schema.raw_schema["paths"]

    assert set(paths["/api/v1/me/"]["get"]["responses"]) == {"200", "400", "401", "403"}
    assert set(paths["/api/v1/auth/token/"]["post"]["responses"]) == {"200", "400", "413", "415", "429"}
    assert set(paths["/api/v1/regulators/"]["get"]["responses"]) == {"200", "400", "404"}
