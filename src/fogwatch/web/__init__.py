"""fogwatch's HTTP API and dashboard (``fogwatch serve``); ``create_app(db, token=...)`` builds the app."""

from .app import DEFAULT_MAX_BODY, create_app, listen

__all__ = ["DEFAULT_MAX_BODY", "create_app", "listen"]
