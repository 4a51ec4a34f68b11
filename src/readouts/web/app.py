"""Builds the web application over the corpus database; reads a database URL and options, produces an ASGI app.

Pages are server-rendered Jinja2 with autoescape; the only scripts are small
files under /static, which the Content-Security-Policy below enforces. The app
is read-only unless ``allow_ingest`` is set, and its URL analyzer refuses
private and loopback addresses unless ``allow_private_urls`` is set.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from readouts import __version__
from readouts.store import Store, open_store
from readouts.store.database import Database
from readouts.web.docs import add_docs
from readouts.web.analysis_pool import ANALYZE_MAX_CHARS, ANALYZE_SECONDS, ANALYZE_WORKERS, AnalysisPool

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 2 * 1024 * 1024  # a pasted article is far smaller; anything larger is refused with 413

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


@dataclass(frozen=True)
class Settings:
    db_url: str | None
    allow_ingest: bool
    allow_private_urls: bool


class Stores:
    """One open store per worker thread, closed when that thread ends.

    A SQLite connection may only be used by the thread that opened it, and the server's thread
    pool replaces idle threads: a connection kept past its thread would never be used again, so
    each one lives in a holder that only its thread refers to and that closes it when the
    thread's local data goes. Open connections are thus bounded by the live worker threads."""

    def __init__(self, db_url: str | None, must_exist: bool = False) -> None:
        self.db_url = db_url
        self.must_exist = must_exist
        self._local = threading.local()
        self._held: weakref.WeakSet[_Held] = weakref.WeakSet()

    def store(self) -> Store:
        held = getattr(self._local, "held", None)
        if held is None or held.closed:  # closed by a shutdown of an app that is then served again
            held = self._local.held = _Held(open_store(self.db_url, must_exist=self.must_exist))
            self._held.add(held)
        return held.store

    def db(self) -> Database:
        return self.store().db

    def open_count(self) -> int:
        """How many connections are open now."""
        return sum(1 for held in list(self._held) if not held.closed)

    def close(self) -> None:
        for held in list(self._held):
            held.close()


class _Held:
    """A thread's store, closed when the thread's local data is dropped (or on shutdown)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.closed = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            try:
                self.store.close()
            except Exception:  # closing must never fail a thread's exit or the server's shutdown
                pass

    def __del__(self) -> None:
        self.close()


class SecurityHeaders:
    """Adds the security headers to every HTTP response, whatever produced it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    db_url: str | None,
    *,
    allow_ingest: bool = False,
    allow_private_urls: bool = False,
    max_body_bytes: int = MAX_BODY_BYTES,
    must_exist: bool = False,
    analyze_max_chars: int = ANALYZE_MAX_CHARS,
    analyze_seconds: float = ANALYZE_SECONDS,
    analyze_workers: int = ANALYZE_WORKERS,
) -> FastAPI:
    """The web UI and JSON API over the corpus at ``db_url`` (a path, ``sqlite:///...`` or ``postgresql://...``).

    ``must_exist`` refuses (with a coded error) a database that is not there or holds no corpus.
    The analyze page takes articles of at most ``analyze_max_chars`` characters, runs at most
    ``analyze_workers`` analyses at once, each in a worker process stopped after ``analyze_seconds``."""
    from readouts.web import api, pages

    stores = Stores(db_url, must_exist)
    analyses = AnalysisPool(analyze_workers, analyze_seconds, analyze_max_chars)
    stores.store()  # fail at start, not on the first request, when the database cannot be opened
    app = FastAPI(
        title="Readouts",
        version=__version__,
        description="Who said what, through whom, and where the accounts disagree: the corpus as JSON.",
        docs_url=None,  # FastAPI's page starts Swagger UI with an inline script the CSP forbids: web.docs serves it
        redoc_url=None,
        openapi_url="/api/openapi.json",
        max_body_size=max_body_bytes,
        on_shutdown=[analyses.close, stores.close],
    )
    app.state.stores = stores
    app.state.analyses = analyses
    app.state.settings = Settings(db_url, allow_ingest, allow_private_urls)
    app.add_middleware(SecurityHeaders)
    add_docs(app)  # before the API router: /api/docs is not an API operation
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    from readouts.web.pages import error_page

    return error_page(request, exc.status_code, str(exc.detail))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
              for e in exc.errors()]
    if _wants_json(request):
        return JSONResponse({"detail": errors}, status_code=422)
    from readouts.web.pages import error_page

    message = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in errors)
    return error_page(request, 422, message or "invalid request")


async def _server_error(request: Request, exc: Exception) -> Response:
    # Details stay in the server log; the client learns only that something failed.
    if _wants_json(request):
        return JSONResponse({"detail": "internal error"}, status_code=500)
    return HTMLResponse("<!DOCTYPE html><title>Error</title><p>Internal error.</p>", status_code=500)
