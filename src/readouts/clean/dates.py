"""Normalizes publication dates; reads the date text an article gives, produces an ISO 8601 string or None.

The result keeps the precision of the input so that it sorts and compares as text:
``2017`` (a year), ``2017-07`` (a month), ``2017-07-08`` (a day) or
``2017-07-08T14:00:00Z`` (a moment, always in UTC). A naive time is taken as UTC.
ISO input is read directly; anything else (``Sat, 08 Jul 2017 12:00 GMT``,
``July 8, 2017``, ``8 lipca 2017``) goes to ``dateparser``, with relative
expressions (``2 hours ago``) refused: they say nothing without the moment they were written.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

MAX_DATE_CHARS = 100  # longer text is not a date field: refuse it before the parser spends time on it
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"([A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}")
_ISO_ONLY = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "PREFER_DAY_OF_MONTH": "first",
}


@lru_cache(maxsize=4096)  # ingest asks twice per article (the row, the story features); feeds repeat dates
def normalize_date(text: str | None) -> str | None:
    """The ISO form of ``text`` at the precision it gives, or None when it holds no absolute date."""
    cleaned = (text or "").strip()
    if not cleaned or len(cleaned) > MAX_DATE_CHARS:
        return None
    iso = _from_iso(cleaned)
    if iso is not None or _ISO_ONLY.fullmatch(cleaned):
        return iso  # a bare ISO year, month or day that does not exist (2017-13) is no date at all
    return _from_email(cleaned) or _from_words(cleaned)


def day_of(normalized: str | None) -> date | None:
    """The calendar day of a normalized date; None for a year or a month alone."""
    if not normalized or not _DAY.match(normalized):
        return None
    try:
        return date.fromisoformat(normalized[:10])
    except ValueError:
        return None


def _from_iso(text: str) -> str | None:
    if _YEAR.fullmatch(text):
        return text if 1000 <= int(text) <= 9999 else None
    month = _MONTH.fullmatch(text)
    if month:
        return text if 1 <= int(month.group(2)) <= 12 else None
    if not _DAY.match(text):
        return None
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text).isoformat()
        return _moment(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None  # ISO-looking but not ISO (2017-07-08 10:00 EDT): the general parser reads it


def _from_email(text: str) -> str | None:
    """RSS and e-mail dates (``Sat, 08 Jul 2017 12:00:00 GMT``), read by the standard library in microseconds."""
    if not _EMAIL.match(text):
        return None
    try:
        return _moment(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


def _from_words(text: str) -> str | None:
    found = _parser().get_date_data(text)
    moment = found.date_obj
    if moment is None:
        return None
    if found.period == "year":
        return f"{moment.year:04d}"
    if found.period == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date().isoformat()
    return _moment(moment)


def _moment(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=1)
def _parser():
    # Imported on first use: dateparser takes a second to load its locale data.
    from dateparser.date import DateDataParser

    return DateDataParser(settings=_SETTINGS)
