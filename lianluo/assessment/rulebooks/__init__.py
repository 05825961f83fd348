"""Example rulebooks: real published rule sets, one of each shape (see each file's header)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@cache
def examples() -> list[tuple[str, str]]:
    """(name, text) of the shipped example rulebooks, e.g. ("tongcheng-2019", "format: 1 …")."""
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(HERE.glob("*.yaml"))]
