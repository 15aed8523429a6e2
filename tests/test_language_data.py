"""Words live in the language-data package: the inline word lists left in code stay few.

Issue 16 set the bar at 30 lists of five or more strings outside ``fogwatch/lang``;
``bench/inline_lists.py`` counts them (and lists them with ``--list``). A list added
in code instead of ``lang/en`` fails here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

MAX_INLINE_LISTS = 30

BENCH = Path(__file__).resolve().parents[1] / "bench" / "inline_lists.py"


def test_inline_word_lists_outside_the_language_package_stay_at_most_thirty() -> None:
    spec = importlib.util.spec_from_file_location("inline_lists", BENCH)
    assert spec is not None and spec.loader is not None
    counter = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = counter  # its dataclasses look their module up there
    spec.loader.exec_module(counter)
    found = [item for path in counter.modules() for item in counter.inline_lists(path)]
    assert len(found) <= MAX_INLINE_LISTS, [f"{i.module}:{i.line} {i.name}" for i in found]
