"""Comments and docstrings say why, and leave measured figures to bench/README.md: a figure in a
comment goes stale the day the code or the machine changes, where bench/README.md says when and
how it was measured. Every pointer to bench/README.md names one of its sections."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "README.md"

# A number followed by a unit of time, size or share, or by "x" (a speed-up): "5 ms", "1-3 s",
# "1.4 GB", "37 Mo", "12 %", "3x".
FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?:\s?-\s?\d+(?:[.,]\d+)?)?"
                    r"(?:\s?(?:ms|µs|s|MB|GB|KB|MiB|GiB|Mo|Go|Ko|%|×)(?!\w)|x(?!\w))")
# Text between backticks is an example of a format (`45,2 %`), not a figure.
EXAMPLE = re.compile(r"`[^`]*`")
# Numbers that are no measurement: (file, text of the comment line that holds them).
ALLOWED = {
    ("observatory/charts.py", "6 % of it on each side"),  # the axes' margin, a setting
    ("observatory/views/comparison.py", "relative gaps under 2 %"),  # the comparison's threshold
    ("observatory/maps.py", "The file (1.7 MB)"),  # the size of the pinned outline file
    # The demo's calibration targets, published statistics with their source:
    ("observatory/demo_profiles.py", "sector growth ~1 %/year"),
    ("observatory/demo_profiles.py", "BAD 95 %, ALISFA 83 %"),
    ("observatory/demo_profiles.py", "BAD 77 % (Recherches & Solidarités), ALISFA 65 % (35 % full-time)"),
    ("observatory/demo_profiles.py", "BAD: 90 % CDI"),
}


def _sources() -> list[Path]:
    return [*sorted((ROOT / "observatory").rglob("*.py")), *sorted((ROOT / "app_pages").glob("*.py")),
            ROOT / "dashboard.py", *sorted((ROOT / "queries").rglob("*.sql"))]


def _comment_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of each comment line and docstring line of a Python or SQL file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".sql":
        return [(number, line[line.index("--"):]) for number, line in enumerate(text.splitlines(), 1)
                if "--" in line]
    lines = [(token.start[0], token.string) for token in tokenize.generate_tokens(io.StringIO(text).readline)
             if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                lines += [(first.lineno + offset, line) for offset, line in enumerate(first.value.value.splitlines())]
    return lines


def _figures(root_relative: str, line: str) -> list[str]:
    if any(name == root_relative and allowed in line for name, allowed in ALLOWED):
        return []
    return [match.group() for match in FIGURE.finditer(EXAMPLE.sub("", line))]


def test_the_scan_sees_a_figure_and_skips_an_example() -> None:
    assert _figures("x.py", "# a lambda bound 12 % slower (6 ms instead of 10; 1-3 s, 1.4 GB, 3x)") == [
        "12 %", "6 ms", "1-3 s", "1.4 GB", "3x"]
    assert _figures("x.py", "# ticks read `45 %`; 3 structures, 10 years, 2024, 20 s") == ["20 s"]


def test_comments_and_docstrings_quote_no_measured_figure() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}: {figure}" for path in _sources()
             for number, line in _comment_lines(path) for figure in _figures(str(path.relative_to(ROOT)), line)]
    assert found == []


def test_every_allowed_text_is_still_there() -> None:
    """An allowance whose text is gone would let a new figure in unseen."""
    assert [(name, text) for name, text in ALLOWED if text not in (ROOT / name).read_text(encoding="utf-8")] == []


def _sections() -> dict[str, str]:
    """bench/README.md's sections by title (the whole heading, and without its parenthesis)."""
    sections: dict[str, str] = {}
    for block in re.split(r"^## ", BENCH.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
        heading, _, body = block.partition("\n")
        plain = " ".join(body.replace("**", "").replace("`", "").split())
        sections[heading.strip()] = sections[heading.split(" (")[0].strip()] = plain
    return sections


# "bench/README.md, section « Title »", optionally followed by ", « a passage of it »"...
POINTER = re.compile(r"bench/README\.md, section « ([^»]+) »((?:, « [^»]+ »)*)")


def test_every_pointer_names_a_section_of_bench_readme() -> None:
    sections = _sections()
    pointers, wrong = 0, []
    for path in [*_sources(), *sorted((ROOT / "bench").glob("*.py"))]:
        # One line per file: a pointer may wrap from one comment line to the next.
        text = re.sub(r"\s*\n\s*(?:#|--)?\s*", " ", path.read_text(encoding="utf-8"))
        for match in POINTER.finditer(text):
            pointers += 1
            title, passages = match.group(1), re.findall(r"« ([^»]+) »", match.group(2))
            if title not in sections:
                wrong.append((path.name, title))
            wrong += [(path.name, title, passage) for passage in passages
                      if title in sections and passage.replace("`", "") not in sections[title]]
    assert pointers > 0 and wrong == []
