"""A writer for tests/test_crash.py: stores N synthetic reports with events through the real Loader.

Run as a subprocess and killed at random moments; it must never leave a report half-written.
"""

from __future__ import annotations

import sys

from fogwatch.jobs import Loader
from fogwatch.report import Event, Place, Report
from fogwatch.store import Store

TOWNS = [("Saraqib", 35.86, 36.80), ("Ariha", 35.81, 36.61), ("Homs", 34.73, 36.71), ("Hama", 35.13, 36.75)]


def synthetic(i: int) -> Report:
    town, lat, lon = TOWNS[i % len(TOWNS)]
    text = f"Report {i}: shelling hit {town} on day {i % 28 + 1}, and a convoy was stopped near {town}. " * 3
    at = text.index(town)
    where = Place(at, at + len(town), town, town, lat, lon, 1000 + i % len(TOWNS), "SY", "city")
    return Report(
        text=text, outlet=f"Outlet {i % 7}", published=f"2020-02-{i % 28 + 1:02d}",
        places=[where],
        events=[
            Event(text.index("shelling"), text.index("shelling") + 8, "ASSAULT", "occurred", text="shelling",
                  mode="heavy-weapons", date=f"2020-02-{i % 28 + 1:02d}", date_source="text", place=town,
                  place_id=where.id),
            Event(text.index("stopped"), text.index("stopped") + 7, "COERCE", "occurred", text="stopped",
                  date=f"2020-02-{i % 28 + 1:02d}", date_source="text", place=town, place_id=where.id),
        ],
    )


def main(db: str, count: int) -> None:
    with Store(db) as store:
        load = Loader(store)
        for i in range(count):
            load(synthetic(i))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
