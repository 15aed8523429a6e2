"""Run one fuzz target under atheris (coverage-guided libFuzzer): ``python fuzz/run.py TARGET [libFuzzer flags]``.

fogwatch's modules are instrumented for coverage as they are imported; its
catalogued errors are expected answers and pass silently, anything else
reaches libFuzzer, which saves the input (``-artifact_prefix``) and stops.
Meant to be started by ``bench/fuzz.py`` in a subprocess per target.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["fogwatch"]):
    from targets import TARGETS, warm_up

    from fogwatch.errors import FogwatchError

    NAME = sys.argv[1]
    warm_up(NAME)  # inside the block: modules loaded lazily on first use are instrumented too


def one_input(data: bytes) -> None:
    try:
        TARGETS[NAME](data)
    except FogwatchError:
        pass


if __name__ == "__main__":
    atheris.Setup([sys.argv[0], *sys.argv[2:]], one_input)
    atheris.Fuzz()
