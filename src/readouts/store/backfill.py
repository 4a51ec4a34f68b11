"""Fills columns a schema step adds from what earlier rows hold; reads stored rows, produces updated rows.

A step's SQL adds the column; the function here computes its value with the same
code ingest uses, so an old database and a new one hold the same thing.
"""

from __future__ import annotations

from readouts.clean.dates import day_of, normalize_date
from readouts.store.database import Database

BATCH = 500


def published_dates(db: Database) -> None:
    """``articles.published_at`` from ``articles.published`` for every row that has a date text, and the
    day story grouping compares for members stored undated because their date was not ISO."""
    rows = db.rows("SELECT id, published FROM articles WHERE published IS NOT NULL AND published_at IS NULL")
    updates = [(normalize_date(r["published"]), r["id"]) for r in rows]
    updates = [u for u in updates if u[0] is not None]
    days = [(day.isoformat(), article) for stamp, article in updates if (day := day_of(stamp)) is not None]
    for start in range(0, len(updates), BATCH):
        db.execute_many("UPDATE articles SET published_at = ? WHERE id = ?", updates[start:start + BATCH])
    for start in range(0, len(days), BATCH):
        db.execute_many("UPDATE story_members SET day = ? WHERE article_id = ? AND day IS NULL",
                        days[start:start + BATCH])
