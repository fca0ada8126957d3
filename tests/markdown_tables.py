"""The tables of a Markdown document, read back as their rows (the README's tables kept true by tests)."""

from __future__ import annotations


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


def table(text: str, header: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The rows of the one table of `text` whose header row is `header`."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("|") and _cells(line) == header]
    assert len(starts) == 1, f"{len(starts)} tableau(x) d'en-tête {header}"
    rows = []
    for line in lines[starts[0] + 2:]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    assert all(len(row) == len(header) for row in rows), f"ligne du tableau {header} mal formée"
    return rows


def code(cell: str) -> str:
    """A cell's text without its code quotes (`name` -> name)."""
    return cell.replace("`", "")
