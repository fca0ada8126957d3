"""The named queries' layout (queries/README.md): publication-time files in queries/build/, loaded
only by the database's build; per-view files in queries/, loaded by views (the build splices only
the fragments listed as shared); every file opens with a comment, is used, and has each of its
placeholders documented."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from observatory import snapshots, views
from observatory import warehouse as wh
from observatory.filters import Filters
from observatory.tables import TableBuilder
from observatory.views import comparison, explorer, territories

README = wh.QUERIES_DIR / "README.md"
BUILD = "build/"


def _names() -> set[str]:
    """Every named query, as load_query names it."""
    return {path.relative_to(wh.QUERIES_DIR).with_suffix("").as_posix() for path in wh.QUERIES_DIR.rglob("*.sql")}


def _views(warehouse: wh.Warehouse) -> None:
    """What a server runs: the tables read into memory at start, every page's default view, and
    the Données page's tables that no rollup serves (the microdata's fragments read per view)."""
    warehouse.load_tables()
    builder = TableBuilder(warehouse)
    for build in views.CONTENTS.values():
        build(builder, Filters())
    territories.content(builder, Filters())
    comparison.compare(builder, Filters(), "branche", *comparison.DEFAULT_PAIRS["branche"])
    dataset = next(iter(explorer.datasets()))
    measure = next(iter(explorer.measures_of(dataset)))
    explorer.explore(builder, dataset, (next(iter(explorer.dimensions_of(measure))),), measure, Filters())
    builder.build("employees", ("age5",), "part_femmes", Filters())  # no rollup keeps age5 with women
    builder.build("training", ("occupation", "certification"), "stagiaires", Filters())  # two action columns


@pytest.fixture(scope="module")
def loaded(with_sources, tmp_path_factory) -> dict[str, set[str]]:
    """The names load_query reads while a database is built ("build") and while it is served
    ("view"), from a copy of a snapshot that holds every dataset (the BMO too)."""
    snapshot = snapshots.active(with_sources)
    assert snapshot is not None
    folder = tmp_path_factory.mktemp("layout") / snapshot.id
    folder.mkdir()
    for parquet in snapshot.path.glob("*.parquet"):
        shutil.copy(parquet, folder)
    names: dict[str, set[str]] = {"build": set(), "view": set()}
    time = ["build"]
    load = wh.load_query

    def recording(name: str) -> str:
        names[time[0]].add(name)
        return load(name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wh, "load_query", recording)
        wh.build_database(folder)
        time[0] = "view"
        warehouse = wh.Warehouse(replace(snapshot, path=folder))  # its own: nothing loaded before
        try:
            _views(warehouse)
        finally:
            warehouse.close()
    return names


def _shared_fragments() -> set[str]:
    """The names queries/README.md lists under its section on fragments spliced at both times."""
    section = README.read_text(encoding="utf-8").split("## Fragments spliced at both times", 1)[1].split("\n## ")[0]
    listed = section.split("\n\n")[2]  # the list after the section's first paragraph
    return set(re.findall(r"`([a-z_/]+)`", listed)) & _names()


def test_publication_files_are_loaded_by_the_build_only(loaded) -> None:
    built = {name for name in _names() if name.startswith(BUILD)}
    assert built and loaded["build"] >= built
    assert not loaded["view"] & built


def test_view_files_are_loaded_by_views_and_by_the_build_only_as_shared_fragments(loaded) -> None:
    per_view = {name for name in _names() if not name.startswith(BUILD)}
    assert loaded["view"] >= per_view
    shared = loaded["build"] & per_view
    assert shared == _shared_fragments()
    assert all("fragment" in wh.load_query(name).splitlines()[0] for name in shared)


def test_no_named_query_is_unused(loaded) -> None:
    assert loaded["build"] | loaded["view"] == _names()


def test_every_named_query_opens_with_a_comment() -> None:
    for name in sorted(_names()):
        assert wh.load_query(name).startswith("--"), name
    assert any(name.startswith(BUILD) for name in _names())


def test_every_placeholder_is_documented() -> None:
    documented = set(re.findall(r"^\| `\{(\w+)\}` \|", README.read_text(encoding="utf-8"), re.MULTILINE))
    found = {key for name in _names() for key in re.findall(r"\{(\w+)\}", wh.load_query(name))}
    assert found and found <= documented
    assert documented <= found  # nothing documented that no file has


@pytest.mark.parametrize("name", ["../README", "build/../employees_counts", "build/build/build_bmo", "Build/x",
                                  "/etc/passwd", "reference/x"])
def test_a_name_outside_the_two_folders_is_refused(name: str) -> None:
    with pytest.raises(wh.QueryError):
        wh.load_query(name)


def test_each_folder_holds_only_its_files() -> None:
    """Nothing but .sql files and the README, and no folder but build/."""
    entries = {path.relative_to(wh.QUERIES_DIR).as_posix() for path in wh.QUERIES_DIR.rglob("*")}
    assert {e for e in entries if not e.endswith(".sql")} == {"README.md", "build"}
    assert all(Path(e).parent.as_posix() in (".", "build") for e in entries)
