"""Count the word lists still written inline in fogwatch's code, outside the language-data package.

Issue 16 asks that words live in ``fogwatch/lang/`` tables, each list once, so that adding a word
is a data change and two modules cannot disagree about it. This walks the syntax tree of every
module under ``src/`` and counts list, tuple, set and frozenset literals holding five or more
string constants, per module, skipping the language package itself and the enumerations in
``ALLOWED`` (constants that are not language: layer names, column names, status codes).

    python bench/inline_lists.py            # count per module, then the total
    python bench/inline_lists.py --list     # also each list: line, name and first words
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
LANGUAGE_PACKAGE = SOURCE / "fogwatch" / "lang"
MIN_STRINGS = 5

# Lists that are not language, by "module:NAME" (the module relative to src/fogwatch; an unnamed
# literal is named by its first string), and why. Export lists (``__all__``), lists of spaCy
# annotation labels (dependency, part-of-speech and entity labels, see ``spacy.glossary``: the
# parser's label scheme) and lists without a letter (punctuation marks) are left out by rule.
ALLOWED: dict[str, str] = {
    **dict.fromkeys(
        ["report.py:LAYERS", "report.py:METADATA", "pipeline.py:DEFAULT_STAGES", "actordict.py:KINDS",
         "stages/actors.py:ORG_KINDS", "actordict.py:STATE_KINDS", "ontology.py:STATUSES"],
        "the layers, fields, actor kinds and event statuses of the JSON contract",
    ),
    **dict.fromkeys(
        ["ontology.py:withdraw", "ontology.py:restrict", "ontology.py:demo", "ontology.py:seize",
         "ontology.py:abduct", "ontology.py:LOCATED_TYPES", "ontology.py:HOSTILE_TYPES", "stages/events/fine.py:FINE_PRIORITY",
         "stages/events/fine.py:VIOLENT_FINE", "tagger.py:LABELS"],
        "codes of the event ontology (PLOVER modes and types, ACLED sub-types) and the tagger's labels",
    ),
    **dict.fromkeys(
        ["exports.py:ACLED_COLUMNS", "exports.py:ITEM_COLUMNS", "exports.py:id", "gazetteer.py:SUPPLEMENT_COLUMNS",
         "ingest.py:METADATA_FIELDS", "ingest.py:MANIFEST_COLUMNS", "ingest.py:outlet", "ingest.py:published",
         "ledger.py:id", "ledger.py:place", "store.py:tables", "web/api.py:keys", "web/pages.py:source",
         "web/pages.py:EVENT_KEYS", "web/ledger_view.py:EVENT_FILTERS", "web/highlight.py:LAYER_ORDER",
         "actordict.py:SECTIONS", "stages/places.py:KINDS", "stages/events/__init__.py:requires",
         "attribution.py:object_verbs", "attribution.py:hostile_verbs", "views.py:id", "views.py:report_id",
         "views.py:place", "queries.py:report_id", "store.py:LEDGER_EVENT_COLUMNS", "store.py:MIGRATIONS",
         "database.py:COUNTED_TABLES"],
        "column, field, table, query-parameter and file-section names",
    ),
    **dict.fromkeys(
        ["gazetteer.py:admin1", "web/geo.py:COARSE_FEATURES", "stages/events/lexicon.py:FINE_FEATURES",
         "timex.py:_DAY_RULES", "timex.py:_REFERENCE_GRANULARITIES"],
        "gazetteer feature classes, time granularities and rule names",
    ),
    "fetch.py:ALLOWED_TYPES": "media types",
    "ingest.py:BLOCK_TAGS": "HTML element names",
}


@lru_cache(maxsize=1)
def _labels() -> frozenset[str]:
    from spacy.glossary import GLOSSARY

    return frozenset(GLOSSARY)


@dataclass(frozen=True)
class InlineList:
    module: str
    line: int
    name: str
    words: tuple[str, ...]


def _not_words(words: tuple[str, ...]) -> bool:
    """Labels of the parser's scheme, or punctuation: no word of English among them."""
    return set(words) <= _labels() or not any(char.isalpha() for word in words for char in word)


def _strings(node: ast.AST) -> tuple[str, ...]:
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return ()
    return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))


def _names(tree: ast.AST) -> dict[int, str]:
    """The name a literal is bound to (``X = [...]``, ``X = frozenset({...})``, class attributes),
    keyed by the literal node's id; unnamed literals are absent."""
    named: dict[int, str] = {}
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        name = next((t.id for t in targets if isinstance(t, ast.Name)), None)
        if name is None:
            continue
        if isinstance(value, ast.Call) and value.args:
            value = value.args[0]
        named[id(value)] = name
    return named


def inline_lists(path: Path) -> list[InlineList]:
    """The word lists of five or more strings in one module, allowed enumerations left out."""
    module = path.relative_to(SOURCE / "fogwatch").as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = _names(tree)
    found: list[InlineList] = []
    for node in ast.walk(tree):
        words = _strings(node)
        if len(words) < MIN_STRINGS:
            continue
        name = names.get(id(node), "")
        if name == "__all__" or f"{module}:{name or words[0]}" in ALLOWED or _not_words(words):
            continue
        found.append(InlineList(module, getattr(node, "lineno", 0), name, words))
    return sorted(found, key=lambda item: item.line)


def modules() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if LANGUAGE_PACKAGE not in p.parents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print each list, not only the counts")
    args = parser.parse_args(argv)
    total = strings = 0
    for path in modules():
        found = inline_lists(path)
        if not found:
            continue
        module = found[0].module
        print(f"{len(found):4d}  {module}")
        for item in found if args.list else ():
            print(f"        {item.line:5d} {item.name or '(unnamed)'}: {', '.join(item.words[:6])}...")
        total += len(found)
        strings += sum(len(item.words) for item in found)
    print(f"{total:4d}  inline word lists of {MIN_STRINGS}+ strings ({strings} strings) outside fogwatch/lang")
    return 0


if __name__ == "__main__":
    sys.exit(main())
