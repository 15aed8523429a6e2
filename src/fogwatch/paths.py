"""Where fogwatch keeps files between runs: the default database and user-added data.

Everything lives under one folder, ``$FOGWATCH_HOME`` or ``~/.fogwatch``, so a
user can see, back up or delete it in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def home() -> Path:
    """The folder for fogwatch's own files (created on first use)."""
    root = Path(os.environ.get("FOGWATCH_HOME") or Path.home() / ".fogwatch")
    root.mkdir(parents=True, exist_ok=True)
    return root


def default_db() -> Path:
    return home() / "fogwatch.db"


def user_data_dir(kind: str) -> Path:
    """A sub-folder for one kind of user-added data (``gazetteer``, ``actors``...)."""
    folder = home() / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder
