"""The floors import only downwards (docs/architecture.md).

Every ``import`` and ``from ... import`` in ``src/remission`` (module level or inside a
function, since lazy imports are imports too) is resolved to the top-level room it names; a
room may import its own modules and rooms on a strictly lower floor, never one on its own
floor or above.  A new room must be given a floor here, so the map cannot silently go stale.
"""
import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "remission"

#: room -> floor (docs/architecture.md); rooms on one floor may not import each other
FLOOR = {
    "errors": 0, "table": 0, "limits": 1, "safe_io": 2, "parallel": 2,
    "data": 3, "datasets": 4,
    "nonparametric": 5, "distributions": 5,
    "models": 6,
    "evidence": 7,
    "reconstruct": 8,
    "plots": 9,
    "report": 10,
    "cli": 11,
}


def _room(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".py")


def _imported_rooms(path: Path):
    """(line, room) for every import of a remission room in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = list(path.relative_to(SRC).parent.parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "remission" and len(parts) > 1:
                    yield node.lineno, parts[1]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] != "remission":
                    continue
                if len(parts) > 1:
                    yield node.lineno, parts[1]
                else:
                    for a in node.names:
                        yield node.lineno, a.name
                continue
            base = pkg[: len(pkg) - (node.level - 1)] if node.level > 1 else pkg
            target = base + (node.module.split(".") if node.module else [])
            if target:
                yield node.lineno, target[0]
            else:                     # from . import x at the package root
                for a in node.names:
                    yield node.lineno, a.name


FILES = sorted(p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] != "__init__.py")


def test_every_room_has_a_floor():
    rooms = {_room(p) for p in FILES}
    assert rooms <= set(FLOOR), f"rooms without a floor: {sorted(rooms - set(FLOOR))}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_only_downwards(path):
    room = _room(path)
    bad = [(line, target) for line, target in _imported_rooms(path)
           if target != room and target in FLOOR and FLOOR[target] >= FLOOR[room]]
    assert not bad, f"{path.relative_to(SRC)} ({room}, floor {FLOOR[room]}) imports upwards: {bad}"
