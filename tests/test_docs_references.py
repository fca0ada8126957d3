"""No tracked file refers to a document the repository does not have: every path named in the
Markdown, in Python docstrings and comments, in SQL comments, in the Makefile and in .ci/ is a
tracked file or folder (a glob matches one; a path git ignores is made at run time), every
Markdown link resolves from its file, and a document outside the repository (../shared/...,
the design document, the research notes) is named as such where it is cited."""

from __future__ import annotations

import ast
import fnmatch
import io
import posixpath
import re
import subprocess
import tokenize
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A path: folders then a name (placeholders `<name>`, `{name}` and globs allowed), or a bare
# document name; not part of a URL, a longer path or an identifier.
PATH = re.compile(r"(?<![\w./$:-])((?:\.\./)*[\w.-]+(?:/[\w.*<>{}-]+)+/?|[\w-]+\.(?:md|py|sql))(?![\w/])")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
MODULE = re.compile(r"(?<![\w.])observatory((?:\.[A-Za-z_]\w*)+)")
# Documents of the project kept outside the repository, cited by name.
OUTSIDE_DOCUMENT = re.compile(r"\bDESIGN\b|\bresearch §")
OUTSIDE_SAID = re.compile(r"hors du dépôt|outside the repository")
WINDOW = 200  # characters either side of an outside reference where the text must say so
# Paths of other projects, named where their project is.
ELSEWHERE = {("data/reference/SOURCES.md", "data/index.json")}  # SocialGouv/kali-data's index


@cache
def tracked() -> frozenset[str]:
    """The repository's files: tracked, or new and not ignored (about to be committed)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True, text=True)
    return frozenset(name for name in listed.stdout.split("\0") if name)


@cache
def tracked_folders() -> frozenset[str]:
    return frozenset(str(parent) for name in tracked() for parent in Path(name).parents if str(parent) != ".")


def _ignored(path: str) -> bool:
    """A path git ignores: made at run time (data/current, data/snapshots/...), never tracked."""
    return any(subprocess.run(["git", "check-ignore", "-q", "--no-index", candidate], cwd=ROOT).returncode == 0
               for candidate in (path, f"{path}/"))


def _python_prose(text: str) -> str:
    """A module's docstrings and comments, the words written for its readers."""
    parts = [ast.get_docstring(node, clean=False) or "" for node in ast.walk(ast.parse(text))
             if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)]
    parts += [token.string for token in tokenize.generate_tokens(io.StringIO(text).readline)
              if token.type == tokenize.COMMENT]
    return "\n".join(parts)


def prose(name: str) -> str | None:
    """The documentation a tracked file holds (None: a file that holds none)."""
    text = (ROOT / name).read_text(encoding="utf-8")
    if name.endswith(".md") or name == "Makefile" or name.startswith(".ci/"):
        return text
    if name.endswith(".py"):
        return _python_prose(text)
    if name.endswith(".sql"):
        return "\n".join(line.split("--", 1)[1] for line in text.splitlines() if "--" in line)
    if name.endswith(".toml"):
        return "\n".join(line.split("#", 1)[1] for line in text.splitlines() if "#" in line)
    return None


def _exists(path: str) -> bool:
    """A tracked file or folder, one a glob matches, a named query (`build/build_enum`), or a
    path made at run time."""
    path = posixpath.normpath(re.sub(r"<[^>]*>|\{[^}]*\}", "*", path))
    if "*" in path:
        return any(fnmatch.fnmatch(name, path) for name in tracked() | tracked_folders())
    return bool({path, f"{path}.sql"} & (tracked() | tracked_folders())) or _ignored(path)


def _said_outside(text: str, start: int, end: int) -> bool:
    return bool(OUTSIDE_SAID.search(" ".join(text[max(0, start - WINDOW):end + WINDOW].replace("#", " ").split())))


def _path_problem(name: str, reference: str) -> str | None:
    """Why `reference`, a path written in `name`, names nothing of the repository (None: it does)."""
    folder = posixpath.dirname(name)
    first = reference.split("/", 1)[0]
    if "/" not in reference:  # a bare name: in Markdown beside its file or at the root, elsewhere anywhere
        if name.endswith(".md"):
            found = _exists(posixpath.join(folder, reference)) or _exists(reference)
        else:
            found = any(posixpath.basename(n) == reference for n in tracked())
        return None if found else "absent"
    tops = {n.split("/", 1)[0] for n in tracked()}
    if first in tops:
        return None if _exists(reference) else "absent"
    beside = {n[len(folder) + 1:].split("/", 1)[0] for n in tracked() if folder and n.startswith(folder + "/")}
    if first in beside:
        return None if _exists(posixpath.join(folder, reference)) else "absent"
    return None  # not a path of the repository (a unit, a URL's tail, a file of another project)


def _module_problem(dotted: str) -> str | None:
    """Why `observatory<dotted>` names no module of the package (None: the first two levels exist)."""
    parts = dotted.lstrip(".").split(".")
    folder = ROOT / "observatory"
    for part in parts[:2]:
        if (folder / f"{part}.py").is_file():
            return None
        if not (folder / part).is_dir():
            init = folder / "__init__.py"
            return None if re.search(rf"\b{part}\b", init.read_text(encoding="utf-8")) else "module absent"
        folder = folder / part
    return None


def problems_of(name: str, text: str) -> list[str]:
    found = []
    for match in PATH.finditer(text):
        reference = match.group(1).rstrip(".")
        if reference.startswith("../"):
            if not _said_outside(text, match.start(), match.end()):
                found.append(f"{name}: {reference} (hors du dépôt sans le dire)")
        elif (name, reference) not in ELSEWHERE and (problem := _path_problem(name, reference)):
            found.append(f"{name}: {reference} ({problem})")
    for match in LINK.finditer(text) if name.endswith(".md") else ():
        target = match.group(1).split("#", 1)[0]
        if not target or re.match(r"[a-z]+:", target):
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
        if resolved.startswith("../"):
            if not _said_outside(text, match.start(), match.end()):
                found.append(f"{name}: lien {target} (hors du dépôt sans le dire)")
        elif not _exists(resolved):
            found.append(f"{name}: lien {target} (absent)")
    for match in MODULE.finditer(text):
        if problem := _module_problem(match.group(1)):
            found.append(f"{name}: observatory{match.group(1)} ({problem})")
    for match in OUTSIDE_DOCUMENT.finditer(text):
        nearby = text[max(0, match.start() - WINDOW):match.end() + WINDOW]
        if "../shared/" not in nearby or not _said_outside(text, match.start(), match.end()):
            found.append(f"{name}: « {match.group(0)} » (document hors du dépôt, ni chemin ni « hors du dépôt »)")
    return found


def broken_references() -> list[str]:
    found = []
    for name in sorted(n for n in tracked() if (ROOT / n).is_file()):  # not one deleted, not yet committed
        text = prose(name)
        if text is not None:
            found += problems_of(name, text)
    return found


def test_every_reference_names_a_document_of_the_repository() -> None:
    assert broken_references() == []


@pytest.mark.parametrize(("text", "expected"), [
    ("see `observatory/deadlines.py`", ["README.md: observatory/deadlines.py (absent)"]),
    ("voir `SOURCES.md`", ["README.md: SOURCES.md (absent)"]),
    ("voir [les sources](data/reference/SOURCES.md)", []),
    ("voir [les sources](SOURCES.md)", ["README.md: SOURCES.md (absent)", "README.md: lien SOURCES.md (absent)"]),
    ("chaque `queries/*.sql`, `queries/<name>.sql`, `data/current`", []),
    ("`queries/*.tsv`", ["README.md: queries/*.tsv (absent)"]),
    ("(DESIGN section 6)", ["README.md: « DESIGN » (document hors du dépôt, ni chemin ni « hors du dépôt »)"]),
    ("(../shared/DESIGN.md section 6, hors du dépôt)", []),
    ("les tests lisent `../shared/reference`", ["README.md: ../shared/reference (hors du dépôt sans le dire)"]),
    ("`python -m observatory.deadlines`", ["README.md: observatory.deadlines (module absent)"]),
    ("`python -m observatory.ui.serve`, observatory.tables.DIMENSION_LABELS", []),
])
def test_the_check_finds_what_a_reader_would_not(text: str, expected: list[str]) -> None:
    assert problems_of("README.md", text) == expected
