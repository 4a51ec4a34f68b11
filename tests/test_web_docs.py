"""The interactive API docs: Swagger UI served from this site under a policy loosened on that page only."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from readouts.web import create_app
from readouts.web.app import CONTENT_SECURITY_POLICY
from readouts.web.docs import ASSETS, DOCS_POLICY, swagger_ui_files
from test_web_store import build_corpus


@pytest.fixture()
def client(tmp_path):
    path = tmp_path / "web.db"
    build_corpus(path)
    with TestClient(create_app(str(path))) as opened:
        yield opened


needs_swagger = pytest.mark.skipif(swagger_ui_files() is None, reason="swagger-ui-bundle-v2 is not installed")


@needs_swagger
def test_the_docs_page_loads_swagger_ui_from_this_site_only(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == DOCS_POLICY
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources)  # nothing from a CDN
    for source in sources:
        assert client.get(source).status_code == 200, source
    bundle = client.get(f"{ASSETS}/swagger-ui-bundle.js")
    assert "javascript" in bundle.headers["content-type"] and "SwaggerUIBundle" in bundle.text[:5000] + bundle.text[-5000:]
    assert "<script>" not in page.text  # no inline script: the policy keeps script-src 'self'
    assert "script-src 'self';" in DOCS_POLICY


def test_other_pages_keep_the_strict_policy(client):
    for path in ("/", "/api", "/api/openapi.json", "/api/stories"):
        assert client.get(path).headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
    assert "/api/docs" in client.get("/api").text


def test_the_openapi_description_lists_the_new_parameters(client):
    spec = client.get("/api/openapi.json").json()
    statements = {p["name"] for p in spec["paths"]["/api/statements"]["get"]["parameters"]}
    assert {"speaker", "outlet", "sort", "since", "until"} <= statements
    assert "/api/stories/{story_id}/export" in spec["paths"]
    assert "/api/docs" not in spec["paths"]


@pytest.mark.skipif(swagger_ui_files() is not None, reason="swagger-ui-bundle-v2 is installed")
def test_without_swagger_ui_the_docs_lead_to_the_endpoint_list(client):
    response = client.get("/api/docs", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/api"
