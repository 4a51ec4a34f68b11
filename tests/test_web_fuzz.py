"""Property-based tests of the JSON API from its own OpenAPI description (schemathesis + hypothesis): no 5xx, ever.

Every operation gets valid requests (which must answer 200 or 404) and invalid
ones (which must answer 4xx), a bounded number of each so the suite stays quick.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from readouts.web import create_app
from test_web_store import build_corpus

EXAMPLES = 30  # per operation and mode


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "web.db"
    build_corpus(path)
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(str(path)))


def _operations(api_schema):
    return [result.ok() for result in api_schema.get_all_operations()]


@pytest.mark.parametrize("mode, allowed", [
    (GenerationMode.POSITIVE, {200, 404}),
    (GenerationMode.NEGATIVE, {200, 404, 422}),
])
def test_api_never_answers_5xx(api_schema, mode, allowed):
    answered: dict[str, set[int]] = {}
    operations = _operations(api_schema)
    assert {op.path for op in operations} >= {"/api/stories", "/api/stories/{story_id}", "/api/statements",
                                              "/api/actors/{actor_id}", "/api/channels"}
    for operation in operations:
        statuses = answered.setdefault(operation.path, set())

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            response = case.call()
            statuses.add(response.status_code)
            assert response.status_code in allowed, (
                f"{case.method} {case.path} {case.path_parameters} {case.query}: "
                f"{response.status_code} {response.text[:300]}"
            )

        check()
    if mode is GenerationMode.POSITIVE:
        assert all(200 in s or 404 in s for s in answered.values()), answered
