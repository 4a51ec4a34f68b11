"""Interactive API docs at /api/docs; reads the Swagger UI files a pinned package ships, produces the docs page.

Swagger UI comes from ``swagger-ui-bundle-v2`` (its release files inside the
wheel), served from this site: nothing is fetched from a CDN. FastAPI's own
``docs_url`` page starts Swagger UI with an inline script, which the site's
Content-Security-Policy forbids, so the page here loads a small script of ours
instead; only this page allows inline styles and ``data:`` images, which Swagger
UI's widgets set. Without the package, /api/docs sends visitors to the plain
endpoint list at /api.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = "/api/docs/assets"
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Readouts API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/api/openapi.json"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


def swagger_ui_files():
    """Where the shipped Swagger UI files are, or None when the package is not installed."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return swagger_ui_path


def add_docs(app: FastAPI) -> None:
    """Routes /api/docs (and its assets) on ``app``."""
    files = swagger_ui_files()
    if files is not None:
        app.mount(ASSETS, StaticFiles(directory=str(files)), name="swagger-ui")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> Response:
        if files is None:
            return RedirectResponse("/api", status_code=307)
        return HTMLResponse(_PAGE.format(assets=ASSETS), headers={"content-security-policy": DOCS_POLICY})
