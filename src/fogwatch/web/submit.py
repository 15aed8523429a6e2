"""The one write: a submitted report read through the ingest path and stored as ``fogwatch ingest`` does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..extract import Failure, read_many
from ..ingest import Metadata, parse_published, report_from_html, report_from_text
from ..jobs import Loader
from ..store import Store
from .problems import ApiError, WebErrors

if TYPE_CHECKING:
    from .api import SubmitReport

# What a report submitted over HTTP records as the place it was read from.
ORIGIN = "http-api"


def submit(db: str | Path, payload: SubmitReport) -> dict[str, Any]:
    """Read, store, de-duplicate and link one report; ``added`` is False when it was already stored."""
    if bool(payload.text) == bool(payload.html):
        raise ApiError(422, WebErrors.W422, detail="give exactly one of 'text' and 'html'")
    meta = Metadata(
        title=payload.title,
        outlet=payload.outlet,
        url=payload.url,
        published=parse_published(payload.published) if payload.published else None,
    )
    if payload.html:
        report = report_from_html(payload.html, ORIGIN, meta)
    else:
        report = report_from_text(payload.text or "", ORIGIN, meta)
    [read] = list(read_many([report]))
    if isinstance(read, Failure):
        raise ApiError(422, WebErrors.W422, detail=read.reason)
    with Store(db) as store:
        load = Loader(store)
        load(read)
        added = bool(load.result.added)
    return {
        "id": read.id,
        "added": added,
        "url": f"/reports/{read.id}",
        "claims": len(read.claims),
        "events": len(read.events),
        "places": len(read.places),
    }
