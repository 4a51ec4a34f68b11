"""The read-only web UI and JSON API over the corpus database; reads a database URL, produces an ASGI app."""

from readouts.web.app import create_app

__all__ = ["create_app"]
