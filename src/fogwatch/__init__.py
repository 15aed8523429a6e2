"""fogwatch: a sourced ledger of armed conflict from news reports.

The library is the product; the CLI is a thin shell over it::

    from fogwatch import read_text
    report = read_text(text, published="2016-12-14", outlet="VICE News")
    report.claims, report.events
"""

import os

# One OpenBLAS thread, set before numpy loads OpenBLAS (this import is fogwatch's first): the
# pipeline keeps both cores busy with threads and workers of its own, and an OpenBLAS started on
# one thread parses 8% faster than one limited to one thread later (see ``nlp._one_blas_thread``,
# which limits it anyway when numpy came first). A value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .errors import FogwatchError, InputError  # noqa: E402 -- after the thread setting above
from .extract import read_text  # noqa: E402
from .pipeline import Pipeline  # noqa: E402
from .report import Report  # noqa: E402

__all__ = ["FogwatchError", "InputError", "Pipeline", "Report", "read_text"]
__version__ = "0.1.0"
