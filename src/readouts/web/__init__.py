"""The read-only web UI and JSON API over the corpus database; reads a database URL, produces an ASGI app.

``create_app`` is imported on first use, so ``readouts.web.command`` (the ``serve`` command)
loads without the ``web`` extra and can say what to install.
"""

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from readouts.web.app import create_app

        return create_app
    raise AttributeError(f"module 'readouts.web' has no attribute {name!r}")
