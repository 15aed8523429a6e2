"""The architecture page keeps up with the code: it names every registered stage and every CLI
command (as datasette's tests check its documentation), so a new one cannot land undocumented."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from fogwatch.cli import cli
from fogwatch.pipeline import registered_stages

ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    """Every command name, a subcommand as 'group sub'."""
    names: list[str] = []
    for name, command in group.commands.items():
        names.append(prefix + name)
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix}{name} "))
    return names


def _code_spans(text: str) -> set[str]:
    return set(re.findall(r"`([^`\n]+)`", text))


@pytest.mark.parametrize("stage", sorted(registered_stages()))
def test_architecture_names_every_stage(stage: str) -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert stage in _code_spans(text), f"docs/architecture.md does not name the stage {stage!r}"


@pytest.mark.parametrize("command", _commands(cli))
def test_architecture_names_every_cli_command(command: str) -> None:
    assert command in _code_spans(ARCHITECTURE.read_text(encoding="utf-8")), (
        f"docs/architecture.md does not name the command {command!r}"
    )
