"""The JSON API; reads query parameters and the corpus database, produces JSON pages, ledgers and records.

Lists are paginated with ``limit``/``offset`` and answer ``{"items", "total",
"limit", "offset"}``. Unknown ids answer 404, malformed parameters 422.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from readouts.report.json_report import ledger_data
from readouts.store import browse
from readouts.store.browse import Page, StatementFilter

router = APIRouter(prefix="/api", tags=["api"])

MAX_ID = 2**62  # beyond any row id, and within SQLite's 64-bit integers
MAX_OFFSET = 1_000_000
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="database row id")]
Limit = Annotated[int, Query(ge=1, le=200, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
NOT_FOUND = {404: {"description": "no such id"}}


def page_data(page: Page) -> dict[str, Any]:
    return {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset}


def _db(request: Request):
    return request.app.state.stores.db()


def _found(row: Any, what: str, row_id: int) -> Any:
    if row is None:
        raise HTTPException(status_code=404, detail=f"no {what} with id {row_id}")
    return row


@router.get("/stories", summary="Stories, newest first, with counts")
def stories(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page_data(browse.list_stories(_db(request), limit, offset))


@router.get("/stories/{story_id}", summary="One story's ledger in the readouts.ledger/1 contract", responses=NOT_FOUND)
def story(request: Request, story_id: RowId) -> dict[str, Any]:
    ledger = _found(browse.story_ledger(_db(request), story_id), "story", story_id)
    return ledger_data(ledger)


@router.get("/statements", summary="Full-text search over statements, with filters")
def statements(
    request: Request,
    q: Annotated[str | None, Query(max_length=500, description="words that must all occur")] = None,
    speaker: Annotated[int | None, Query(ge=1, le=MAX_ID, description="actor id")] = None,
    channel: Annotated[int | None, Query(ge=1, le=MAX_ID, description="channel id")] = None,
    since: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    wanted = StatementFilter(text=q, speaker=speaker, channel=channel, since=since, until=until)
    return page_data(browse.search_statements(_db(request), wanted, limit, offset))


@router.get("/actors", summary="Speakers, most statements first")
def actors(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page_data(browse.list_actors(_db(request), limit, offset))


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
