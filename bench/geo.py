"""Score the places stage on a GeoWebNews / TR-News / LGL style XML file.

    python bench/geo.py ../shared/eval/geo/TR-News.xml [--limit N] [--errors]

Recognition: a predicted place counts when its span overlaps a gold toponym
(precision over predictions, recall over gold toponyms, F1). Resolution: over the
gold toponyms that carry coordinates and were recognised, the share whose
predicted point lies within 161 km (Acc@161; an unresolved prediction is a miss;
acc161_resolved_only leaves unresolved predictions out, as scorers that drop them do),
the mean error in km of the resolved ones, and the share with the same GeoNames
id. Only the chrome, parse and places stages run.
"""

from __future__ import annotations

import argparse
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from fogwatch.gazetteer import distance_km
from fogwatch.pipeline import Pipeline
from fogwatch.report import Place, Report

ACC_KM = 161.0  # 100 miles, the field's customary tolerance


@dataclass
class Gold:
    start: int
    end: int
    phrase: str
    geonameid: int | None
    lat: float | None
    lon: float | None


def read_corpus(path: Path) -> list[tuple[str, list[Gold]]]:
    """Articles as (text, gold toponyms)."""
    articles = []
    for article in ET.parse(path).getroot().iter("article"):
        text = article.findtext("text") or ""
        golds = []
        for top in article.iter("toponym"):
            tag = top.find("gaztag")
            lat = lon = gid = None
            if tag is not None and tag.findtext("lat"):
                lat, lon = float(tag.findtext("lat")), float(tag.findtext("lon"))
                gid = int(tag.get("geonameid")) if tag.get("geonameid") else None
            golds.append(
                Gold(
                    int(top.findtext("start")),
                    int(top.findtext("end")),
                    top.findtext("phrase") or "",
                    gid,
                    lat,
                    lon,
                )
            )
        articles.append((text, golds))
    return articles


def overlapping(gold: Gold, places: list[Place]) -> Place | None:
    for place in places:
        if place.start < gold.end and gold.start < place.end:
            return place
    return None


def score(articles, pipeline: Pipeline, show_errors: bool) -> dict[str, float]:
    reports = pipeline.pipe(Report(text=text) for text, _ in articles)
    n_pred = n_pred_hit = n_gold = n_gold_hit = 0
    located = within = same_id = unresolved = 0
    errors_km: list[float] = []
    for report, (text, golds) in zip(reports, articles):
        places = report.places
        n_pred += len(places)
        n_pred_hit += sum(1 for p in places if any(p.start < g.end and g.start < p.end for g in golds))
        n_gold += len(golds)
        for gold in golds:
            place = overlapping(gold, places)
            if place is None:
                if show_errors:
                    print(f"MISS  {gold.phrase!r}")
                continue
            n_gold_hit += 1
            if gold.lat is None:
                continue
            located += 1
            if not place.resolved or place.lat is None:
                unresolved += 1
                if show_errors:
                    print(f"UNRES {gold.phrase!r}")
                continue
            km = distance_km(place.lat, place.lon, gold.lat, gold.lon)
            errors_km.append(km)
            within += km <= ACC_KM
            same_id += place.geonameid == gold.geonameid
            if show_errors and km > ACC_KM:
                print(f"FAR   {gold.phrase!r} -> {place.name} ({place.country}, {place.feature}) {km:.0f} km")
        if show_errors:
            for p in places:
                if not any(p.start < g.end and g.start < p.end for g in golds):
                    print(f"FP    {p.text!r} -> {p.name} ({p.country}, {p.feature})")
    precision = n_pred_hit / n_pred if n_pred else 0.0
    recall = n_gold_hit / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "articles": len(articles),
        "gold_toponyms": n_gold,
        "predicted": n_pred,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "recognised_with_coordinates": located,
        "acc161": within / located if located else 0.0,
        "acc161_resolved_only": within / len(errors_km) if errors_km else 0.0,
        "mean_error_km": sum(errors_km) / len(errors_km) if errors_km else 0.0,
        "geonameid_match": same_id / located if located else 0.0,
        "unresolved": unresolved,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="GeoWebNews/TR-News/LGL-style XML")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument("--skip", type=int, default=0, help="start after the first N articles")
    parser.add_argument(
        "--errors", action="store_true", help="print misses, far resolutions and false positives"
    )
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"no such file: {args.file} (the eval data lives in ../shared/eval/geo/)", file=sys.stderr)
        return 2
    articles = read_corpus(args.file)[args.skip :]
    if args.limit is not None:
        articles = articles[: args.limit]
    pipeline = Pipeline.from_names(["chrome", "parse", "places"])
    started = time.perf_counter()
    result = score(articles, pipeline, args.errors)
    result["seconds"] = time.perf_counter() - started
    for key, value in result.items():
        print(f"{key:28s} {value:.3f}" if isinstance(value, float) else f"{key:28s} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
