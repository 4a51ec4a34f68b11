"""Checks that the packages of an optional part of Readouts are installed; reads module names, produces a coded error naming the extra."""

from __future__ import annotations

from importlib.util import find_spec

from readouts.errors import MissingExtraError

# The extras of pyproject.toml and a module that each one installs.
EXTRA_MODULES = {
    "web": ("fastapi", "starlette", "uvicorn", "python_multipart"),
    "postgres": ("psycopg",),
    "dask": ("dask", "distributed"),
    "parquet": ("pyarrow",),
}


def install_hint(extra: str) -> str:
    return f'pip install "readouts[{extra}]"'


def require_extra(extra: str, feature: str) -> None:
    """Raise R402 naming ``feature`` and the install line when a module of ``extra`` is missing."""
    missing = [name for name in EXTRA_MODULES[extra] if find_spec(name) is None]
    if missing:
        raise MissingExtraError(
            feature, f"needs the '{extra}' extra ({', '.join(missing)} not installed)",
            f"run: {install_hint(extra)}",
        )
