"""The JSON API; reads query parameters and the corpus database, produces JSON pages, ledgers and records.

Lists are paginated with ``limit``/``offset`` and answer ``{"items", "total",
"limit", "offset"}``. Unknown ids answer 404, malformed parameters 422.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from readouts.report.json_report import ledger_data
from readouts.store import browse
from readouts.store.browse import STATEMENT_SORTS, Page, StatementFilter
from readouts.store.listing import SPEAKER_SORTS, STORY_SORTS, ListFilter

router = APIRouter(prefix="/api", tags=["api"])

MAX_ID = 2**62  # beyond any row id, and within SQLite's 64-bit integers
MAX_OFFSET = 1_000_000
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="database row id")]
Limit = Annotated[int, Query(ge=1, le=200, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
NOT_FOUND = {404: {"description": "no such id"}}
Outlet = Annotated[str | None, Query(max_length=200, description="part of the outlet's name, any case")]
Since = Annotated[str | None, Query(pattern=DATE_PATTERN, description="published on or after: YYYY, YYYY-MM or"
                                   " YYYY-MM-DD")]
Until = Annotated[str | None, Query(pattern=DATE_PATTERN, description="published on or before (the whole period):"
                                   " YYYY, YYYY-MM or YYYY-MM-DD")]
SpeakerName = Annotated[str | None, Query(max_length=200, description="a speaker's name or alias (Lavrov)")]
StorySort = Annotated[Literal[tuple(STORY_SORTS)], Query(description="order of the list")]
SpeakerSort = Annotated[Literal[tuple(SPEAKER_SORTS)], Query(description="order of the list")]
StatementSort = Annotated[Literal[tuple(STATEMENT_SORTS)], Query(description="order of the list")]


def page_data(page: Page) -> dict[str, Any]:
    return {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset}


def _db(request: Request):
    return request.app.state.stores.db()


def _found(row: Any, what: str, row_id: int) -> Any:
    if row is None:
        raise HTTPException(status_code=404, detail=f"no {what} with id {row_id}")
    return row


@router.get("/stories", summary="Stories with counts, filtered by outlet, speaker and date; newest first")
def stories(request: Request, outlet: Outlet = None, speaker: SpeakerName = None, since: Since = None,
            until: Until = None, sort: StorySort = "newest", limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    wanted = ListFilter(outlet=outlet, speaker=speaker, since=since, until=until)
    return page_data(browse.list_stories(_db(request), limit, offset, wanted, sort))


@router.get("/stories/{story_id}", summary="One story's ledger in the readouts.ledger/1 contract", responses=NOT_FOUND)
def story(request: Request, story_id: RowId) -> dict[str, Any]:
    ledger = _found(browse.story_ledger(_db(request), story_id), "story", story_id)
    return ledger_data(ledger)


EXPORTS = {"md": ("text/markdown", "md"), "html": ("text/html", "html"), "csv": ("text/csv", "csv")}


@router.get("/stories/{story_id}/export", summary="One story as Markdown, a standalone HTML page or CSV",
            responses=NOT_FOUND, response_class=Response)
def story_export(
    request: Request,
    story_id: RowId,
    format: Annotated[Literal["md", "html", "csv"], Query(description="md, html or csv")] = "md",
) -> Response:
    from readouts.report import render

    ledger = _found(browse.story_ledger(_db(request), story_id), "story", story_id)
    media_type, extension = EXPORTS[format]
    # An attachment: a download, never a page of this site (the HTML report has its own inline style).
    return Response(render(ledger, format), media_type=f"{media_type}; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="story-{story_id}.{extension}"'})


@router.get("/statements", summary="Full-text search over statements, with filters")
def statements(
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="words that must all occur")] = None,
    speaker: Annotated[str | None, Query(max_length=200, description="speaker: actor id, or a name or alias"
                                              " (Lavrov, Sergei Lavrov)")] = None,
    channel: Annotated[int | None, Query(ge=1, le=MAX_ID, description="channel id")] = None,
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    sort: StatementSort = "newest",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    speaker_id, speaker_name = speaker_id_or_name(speaker)
    wanted = StatementFilter(text=q, speaker=speaker_id, channel=channel, since=since, until=until,
                             speaker_name=speaker_name, outlet=outlet)
    return page_data(browse.search_statements(_db(request), wanted, limit, offset, sort=sort))


def speaker_id_or_name(speaker: str | None) -> tuple[int | None, str | None]:
    """A speaker parameter as a row id (all digits; out of range matches nothing) or a name."""
    text = (speaker or "").strip()
    if not text:
        return None, None
    if text.isdigit():
        value = int(text)
        return (value if 1 <= value <= MAX_ID else 0), None
    return None, text


@router.get("/actors", summary="Speakers, filtered by name, outlet and date; most statements first")
def actors(request: Request,
           q: Annotated[str | None, Query(max_length=200, description="part of the speaker's name")] = None,
           outlet: Outlet = None, since: Since = None, until: Until = None, sort: SpeakerSort = "statements",
           limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    wanted = ListFilter(outlet=outlet, since=since, until=until, name=q)
    return page_data(browse.list_actors(_db(request), limit, offset, wanted, sort))


@router.get("/actors/{actor_id}", summary="One speaker: role, side, channels, claims", responses=NOT_FOUND)
def actor(request: Request, actor_id: RowId) -> dict[str, Any]:
    db = _db(request)
    row = _found(browse.actor_row(db, actor_id), "actor", actor_id)
    return {
        **row,
        "channels": browse.actor_channels(db, actor_id),
        "claims": browse.actor_claims(db, actor_id),
        "statements_url": f"/api/statements?speaker={actor_id}",
    }


@router.get("/channels", summary="Channels, most statements first")
def channels(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page_data(browse.list_channels(_db(request), limit, offset))


@router.get("/channels/{channel_id}", summary="One channel and who spoke through it", responses=NOT_FOUND)
def channel(request: Request, channel_id: RowId) -> dict[str, Any]:
    db = _db(request)
    row = _found(browse.channel_row(db, channel_id), "channel", channel_id)
    return {**row, "speakers": browse.channel_speakers(db, channel_id),
            "statements_url": f"/api/statements?channel={channel_id}"}
