"""Names are text: file names of imports (and every string read from a snapshot's manifest)
are shown as written, never as Markdown, HTML or LaTeX: no link, no image fetched, no colour,
no formula, in AppTest and in a real browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from observatory import formatting as fmt
from observatory import publishing, snapshots
from observatory.ingest import importer
from tests.app_support import run_page
from tests.browser_support import IDLE, serving

HOSTILE_NAMES = ("[Mise à jour](https:example.org).csv", "![p](https:example.org).csv",
                 ":red[rouge] $x^2$ <b>gras **fort**.csv")
METHODO = "app_pages/methodologie.py"


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory, snapshot: snapshots.Snapshot, frames) -> Path:
    """A data folder whose employees were imported from files with hostile names."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    tables = {name: (table := pq.read_table(snapshot.file(name))).take(list(range(0, table.num_rows, 15)))
              for name in snapshots.DATASETS}
    publishing.publish_tables(tables, origin="demo", root=data, extra={"demo": {"scale": 0.02, "seed": 7}})
    folder = tmp_path_factory.mktemp("files")
    employees = frames["employees"].drop(columns=["rkey"])
    paths = []
    for index, name in enumerate(HOSTILE_NAMES):
        path = folder / name
        employees.iloc[index::15].to_csv(path, sep=";", decimal=",", index=False)
        paths.append(path)
    importer.ingest("employees", paths, root=data)
    return data


def test_file_names_are_text_on_the_methodology_page(hostile_root: Path, monkeypatch) -> None:
    monkeypatch.setenv("OBSERVATORY_DATA_DIR", str(hostile_root))
    app = run_page(METHODO, {})
    assert not app.exception
    text = "\n".join(m.value for m in app.markdown)
    for name in HOSTILE_NAMES:
        assert fmt.as_text(name) in text, name
    for markup in ("](https", "![", ":red[", "$x", "<b>", "**fort"):  # none unescaped
        assert not re.search(r"(?<!\\)" + re.escape(markup), text), markup


@pytest.fixture(scope="module")
def hostile_server(hostile_root: Path) -> Iterator[str]:
    with serving(hostile_root) as base:
        yield base


@pytest.mark.browser
def test_file_names_are_text_in_the_browser(hostile_server: str, page) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{hostile_server}/methodologie")
    page.wait_for_selector("[data-testid='stExpander']")
    page.wait_for_selector(IDLE)
    page.locator("[data-testid='stExpander'] summary", has_text="Sources").click()
    body = page.locator("[data-testid='stMain']").inner_text()
    for name in HOSTILE_NAMES:
        assert name in body, name
    assert page.locator("a[href*='example.org']").count() == 0
    assert page.locator("img[src*='example.org']").count() == 0
    assert page.locator("[data-testid='stMain'] .katex").count() == 0
    assert not [url for url in fetched if "example.org" in url]
    assert not page.errors
