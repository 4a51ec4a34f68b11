"""Shared fixtures: the shared data folder (tests that need it skip without it), the spaCy pipeline and scratch databases."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared is absent: the shared data sets are not available here")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    return (shared_dir / "seed" / "putin-trump-first-meeting.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    from readouts.nlp import load_nlp

    return load_nlp()


@pytest.fixture(params=("sqlite", "postgresql"))
def db_url(request, tmp_path):
    """A fresh database URL on each backend; PostgreSQL skips without READOUTS_TEST_PG_URL."""
    from readouts.store.sandbox import scratch_url, unavailable

    reason = unavailable(request.param)
    if reason:
        pytest.skip(reason)
    with scratch_url(request.param, tmp_path) as url:
        yield url
