"""CASE-2021 task 2: classify news snippets into 30 fine event types with fogwatch's cue lexicon.

    .venv/bin/python bench/case2021.py ../shared/eval/events/case2021-task2-dev.tsv [--out PRED.tsv] [--limit N]

Reads ``id<TAB>EventSnippet<TAB>SubType`` (the label column is optional), writes
``id<TAB>label`` predictions (to --out, default stdout is left for the scores) and,
when labels are present, prints weighted and macro F1 and the per-type table. The
classifier is ``fogwatch.stages.events.classify_fine``: hand-written cue weights from
the ACLED codebook's definitions (``data/events_fine_cues.tsv``), nothing fitted to
this file. Anchor: best published weighted F1 on all 30 types is 77.1.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from fogwatch.nlp import load_model
from fogwatch.stages.events import classify_fine

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "events" / "case2021-task2-dev.tsv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def predict(snippets: list[str]) -> list[str]:
    nlp = load_model()
    with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p not in {"tok2vec", "tagger", "attribute_ruler", "lemmatizer"}]):
        return [classify_fine(doc) or "OTHER" for doc in nlp.pipe(snippets, batch_size=64)]


def f1_table(gold: list[str], pred: list[str]) -> tuple[float, float, dict[str, tuple[float, int]]]:
    """Weighted and macro F1 (percent) over the gold labels, and F1 with support per label."""
    support = Counter(gold)
    per: dict[str, tuple[float, int]] = {}
    for label in sorted(support):
        tp = sum(1 for g, p in zip(gold, pred) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred) if p == label and g != label)
        fn = support[label] - tp
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        per[label] = (f1, support[label])
    total = sum(support.values())
    weighted = sum(f1 * n for f1, n in per.values()) / total
    macro = sum(f1 for f1, _ in per.values()) / len(per)
    return 100 * weighted, 100 * macro, per


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--out", type=Path, help="write id<TAB>label predictions here")
    parser.add_argument("--limit", type=int, help="only the first N snippets (quick runs)")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"no CASE-2021 file at {args.file} (../shared/eval/events is absent): nothing to score")
        return 0
    rows = read_rows(args.file)[: args.limit]
    preds = predict([r["EventSnippet"] for r in rows])
    out = args.out.open("w", encoding="utf-8") if args.out else None
    for row, label in zip(rows, preds):
        if out:
            out.write(f"{row['id']}\t{label}\n")
    if out:
        out.close()
    gold = [r.get("SubType") or "" for r in rows]
    if not all(gold):
        return 0
    weighted, macro, per = f1_table(gold, preds)
    print(f"CASE-2021 task 2 ({len(rows)} snippets, {len(per)} types): weighted F1 {weighted:.1f}  macro F1 {macro:.1f}")
    for label, (f1, n) in sorted(per.items(), key=lambda kv: -kv[1][1]):
        print(f"  {label:32s} F1 {100 * f1:5.1f}  n={n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
