"""fogwatch: a sourced ledger of armed conflict from news reports.

The library is the product; the CLI is a thin shell over it::

    from fogwatch import read_text
    report = read_text(text, published="2016-12-14", outlet="VICE News")
    report.claims, report.events
"""

from .errors import FogwatchError, InputError
from .extract import read_text
from .pipeline import Pipeline
from .report import Report

__all__ = ["FogwatchError", "InputError", "Pipeline", "Report", "read_text"]
__version__ = "0.1.0"
