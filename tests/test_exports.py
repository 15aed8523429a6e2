"""Exports of linked events: ACLED-style rows with the most conservative toll, and GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from test_ledger import HOMS, strike_report

from fogwatch import exports, ledger
from fogwatch.store import Store


def test_acled_rows_fold_tolls_into_the_attack_and_keep_the_lowest(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store:
        for report in (strike_report("Agency", 9, "Monitor"), strike_report("Daily", 21, "Rescuers"),
                       strike_report("Weekly", 4, "Medics", where=HOMS)):
            store.add(report)
            ledger.link_report(store, report)
        out = io.StringIO()
        assert exports.export(store, "acled", out) == 2
    rows = {r["location"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    saraqib = rows["Saraqib"]
    assert (saraqib["event_type"], saraqib["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (saraqib["fatalities"], saraqib["sources"], saraqib["geo_precision"]) == ("9", "2", "1")
    assert "21" in saraqib["contested"]
    assert rows["Homs"]["fatalities"] == "4"


def test_geojson_is_lon_lat(tmp_path: Path) -> None:
    with Store(tmp_path / "g.db") as store:
        report = strike_report("Agency", 9, "Monitor")
        store.add(report)
        ledger.link_report(store, report)
        out = io.StringIO()
        exports.export(store, "geojson", out)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert (round(lat, 2), round(lon, 2)) == (35.86, 36.8)
