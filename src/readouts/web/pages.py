"""The HTML pages; reads query parameters and the corpus database, produces server-rendered Jinja2 pages.

Stories, one story (claim cards first, then the highlighted articles), speakers,
channels, statement search, the analyze form and a list of the API endpoints.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from jinja2 import Environment, PackageLoader

from readouts.report.view import EDGE_MARKS
from readouts.store import browse
from readouts.store.browse import STATEMENT_SORTS, StatementFilter
from readouts.store.listing import SPEAKER_SORTS, STORY_SORTS, ListFilter
from readouts.web.api import DATE_PATTERN, MAX_ID, speaker_id_or_name
from readouts.web.story_view import claim_anchors, story_page, stored_row_id

router = APIRouter(include_in_schema=False)

PER_PAGE = 50
CHOICES = 300  # speakers and channels offered in the search form's lists
MAX_PAGE = 20_000
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Text = Annotated[str, Query(max_length=200)]
Day = Annotated[str, Query(pattern=f"{DATE_PATTERN}|^$")]


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    env = Environment(loader=PackageLoader("readouts.web", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(row_id=stored_row_id, claim_anchors=claim_anchors)
    env.filters["unquoted"] = unquoted
    return Jinja2Templates(env=env)


def unquoted(content: str | None) -> str:
    """What was said without the quotation marks around it: the page sets its own (``<q>``)."""
    return (content or "").strip().strip(EDGE_MARKS).strip()


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    return templates().TemplateResponse(
        request, name, {"allow_ingest": settings.allow_ingest, **context}, status_code=status_code
    )


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    return render(request, "error.html.j2", status_code=status_code, status=status_code, message=message)


def _db(request: Request):
    return request.app.state.stores.db()


def _offset(page: int) -> int:
    return (page - 1) * PER_PAGE


def _missing(what: str, row_id: int) -> HTTPException:
    return HTTPException(status_code=404, detail=f"There is no {what} with id {row_id}.")


@router.get("/", response_class=HTMLResponse)
def stories(request: Request, outlet: Text = "", speaker: Text = "", since: Day = "", until: Day = "",
            sort: Annotated[Literal[tuple(STORY_SORTS)], Query()] = "newest", page: PageNumber = 1) -> HTMLResponse:
    wanted = ListFilter(outlet=outlet or None, speaker=speaker or None, since=since or None, until=until or None)
    found = browse.list_stories(_db(request), PER_PAGE, _offset(page), wanted, sort)
    form = {"outlet": outlet, "speaker": speaker, "since": since, "until": until, "sort": sort}
    return render(request, "stories.html.j2", stories=found, page=page, pages=_pages(found.total), form=form,
                  sorts=STORY_SORTS, page_query=urlencode(form))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: RowId) -> HTMLResponse:
    ledger = browse.story_ledger(_db(request), story_id)
    if ledger is None:
        raise _missing("story", story_id)
    return render(request, "story.html.j2", story=story_page(ledger, linked=True), story_id=story_id)


@router.get("/speakers", response_class=HTMLResponse)
def speakers(request: Request, q: Text = "", outlet: Text = "", since: Day = "", until: Day = "",
             sort: Annotated[Literal[tuple(SPEAKER_SORTS)], Query()] = "statements",
             page: PageNumber = 1) -> HTMLResponse:
    wanted = ListFilter(outlet=outlet or None, since=since or None, until=until or None, name=q or None)
    found = browse.list_actors(_db(request), PER_PAGE, _offset(page), wanted, sort)
    form = {"q": q, "outlet": outlet, "since": since, "until": until, "sort": sort}
    return render(request, "speakers.html.j2", speakers=found, page=page, pages=_pages(found.total), form=form,
                  sorts=SPEAKER_SORTS, page_query=urlencode(form))


@router.get("/speakers/{actor_id}", response_class=HTMLResponse)
def speaker(request: Request, actor_id: RowId, page: PageNumber = 1) -> HTMLResponse:
    db = _db(request)
    actor = browse.actor_row(db, actor_id)
    if actor is None:
        raise _missing("speaker", actor_id)
    timeline = browse.search_statements(db, StatementFilter(speaker=actor_id), PER_PAGE, _offset(page),
                                        oldest_first=True)
    return render(request, "speaker.html.j2", actor=actor, timeline=timeline, page=page,
                  pages=_pages(timeline.total), channels=browse.actor_channels(db, actor_id),
                  claims=browse.actor_claims(db, actor_id))


@router.get("/channels", response_class=HTMLResponse)
def channels(request: Request, page: PageNumber = 1) -> HTMLResponse:
    found = browse.list_channels(_db(request), PER_PAGE, _offset(page))
    return render(request, "channels.html.j2", channels=found, page=page, pages=_pages(found.total))


@router.get("/channels/{channel_id}", response_class=HTMLResponse)
def channel(request: Request, channel_id: RowId, page: PageNumber = 1) -> HTMLResponse:
    db = _db(request)
    found = browse.channel_row(db, channel_id)
    if found is None:
        raise _missing("channel", channel_id)
    said = browse.search_statements(db, StatementFilter(channel=channel_id), PER_PAGE, _offset(page))
    return render(request, "channel.html.j2", channel=found, statements=said, page=page,
                  pages=_pages(said.total), speakers=browse.channel_speakers(db, channel_id))


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    speaker: Text = "",
    channel: Annotated[str, Query(max_length=20, pattern=r"^\d*$")] = "",
    outlet: Text = "",
    since: Day = "",
    until: Day = "",
    sort: Annotated[Literal[tuple(STATEMENT_SORTS)], Query()] = "newest",
    page: PageNumber = 1,
) -> HTMLResponse:
    # Empty form fields arrive as empty strings: they mean "any". A speaker is an id (the list) or a name.
    db = _db(request)
    speaker_id, speaker_name = speaker_id_or_name(speaker)
    wanted = StatementFilter(q or None, speaker_id, _bounded_id(channel), since or None, until or None,
                             speaker_name=speaker_name, outlet=outlet or None)
    asked = any((q, speaker, channel, outlet, since, until))
    found = browse.search_statements(db, wanted, PER_PAGE, _offset(page), sort=sort) if asked else None
    query = {"q": q, "speaker": speaker, "channel": channel, "outlet": outlet, "since": since, "until": until,
             "sort": sort}
    return render(request, "search.html.j2", results=found, form=query, page=page, sorts=STATEMENT_SORTS,
                  pages=_pages(found.total if found else 0), page_query=urlencode(query),
                  speakers=browse.list_actors(db, CHOICES).items, channels=browse.list_channels(db, CHOICES).items)


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request) -> HTMLResponse:
    return render(request, "analyze.html.j2", form={"text": "", "url": ""}, analysis=None, story=None,
                  max_chars=request.app.state.analyses.max_chars)


@router.post("/analyze", response_class=HTMLResponse)
async def analyze(
    request: Request,
    text: Annotated[str, Form(max_length=1_000_000)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Runs in a worker process with a time limit (see ``analysis_pool``); the event loop only waits."""
    from readouts.web.analysis_pool import AnalysisRefused, ClientGone
    from readouts.web.analyzer import Analysis, store_analysis, too_long

    if not _same_origin(request):
        raise HTTPException(status_code=403, detail="The form must be sent from this site.")
    settings, analyses = request.app.state.settings, request.app.state.analyses
    form = {"text": text, "url": url}
    if len(text) > analyses.max_chars:  # refused before any work
        return _analyze_page(request, form, Analysis(None, too_long(len(text), analyses.max_chars)), 413)
    try:
        analysis = await analyses.run(text, url, settings.allow_private_urls, request.is_disconnected)
    except AnalysisRefused as refused:
        return _analyze_page(request, form, Analysis(None, refused.message), refused.status)
    except ClientGone:
        return Response(status_code=499)  # nobody reads it; the worker was stopped
    if settings.allow_ingest:
        analysis = await run_in_threadpool(lambda: store_analysis(request.app.state.stores.store(), analysis))
    shown = story_page(analysis.ledger, linked=False) if analysis.ledger and analysis.ledger.articles else None
    return await run_in_threadpool(_analyze_page, request, form, analysis, 200 if shown else 422, shown)


def _analyze_page(request: Request, form: dict, analysis, status: int, story=None) -> HTMLResponse:
    return render(request, "analyze.html.j2", form=form, analysis=analysis, story=story, status_code=status,
                  max_chars=request.app.state.analyses.max_chars)


@router.get("/api", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    endpoints = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""),
         "parameters": [p["name"] for p in op.get("parameters", [])]}
        for path, item in spec["paths"].items() for method, op in item.items()
    ]
    return render(request, "api.html.j2", endpoints=endpoints)


@router.get("/static/report.css")
def report_stylesheet() -> Response:
    """The report's own stylesheet, so the web pages share its colours and highlights."""
    return Response(_report_css(), media_type="text/css; charset=utf-8",
                    headers={"cache-control": "public, max-age=3600"})


@lru_cache(maxsize=1)
def _report_css() -> str:
    from importlib.resources import files

    return (files("readouts.report") / "templates" / "report.css").read_text(encoding="utf-8")


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return Response(status_code=204)


def _bounded_id(text: str) -> int | None:
    """A form's id field; out-of-range ids simply match nothing."""
    if not text:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else 0


def _pages(total: int) -> int:
    return max(1, -(-total // PER_PAGE))


def _same_origin(request: Request) -> bool:
    """Form posts from another site are refused (no cross-site ingest or fetching).

    Browsers say where a request comes from in Sec-Fetch-Site; under our no-referrer
    policy their Origin is "null", so Origin is only compared when it names a site.
    Clients that send neither (curl, scripts) are not a cross-site risk.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin != "null" and urlsplit(origin).netloc == request.headers.get("host", "")
