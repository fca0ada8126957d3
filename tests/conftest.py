"""Shared fixtures: one small seeded demo snapshot for the whole run (scale 0.02)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from observatory import demo, publishing, runtime, snapshots
from observatory.tables import TableBuilder
from observatory.warehouse import Warehouse, open_shared

runtime.prepare_process()  # as every entry point of the app and the CLI does
# The app's background warm-up is exercised directly (test_tables.py), not from AppTest runs,
# so that no query thread outlives a test.
os.environ["OBSERVATORY_WARM"] = "0"

TEST_SCALE = 0.02
TEST_SEED = 7


@pytest.fixture(scope="session")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data")
    previous = os.environ.get("OBSERVATORY_DATA_DIR")
    os.environ["OBSERVATORY_DATA_DIR"] = str(root)
    generated = demo.generate(scale=TEST_SCALE, seed=TEST_SEED)
    publishing.publish_tables(
        {"employees": generated.employees, "vacancies": generated.vacancies, "training": generated.training},
        origin="demo", extra={"demo": {"scale": TEST_SCALE, "seed": TEST_SEED}}, root=root,
    )
    yield root
    if previous is None:
        os.environ.pop("OBSERVATORY_DATA_DIR", None)
    else:
        os.environ["OBSERVATORY_DATA_DIR"] = previous


@pytest.fixture(scope="session")
def snapshot(data_root: Path) -> snapshots.Snapshot:
    active = snapshots.active(data_root)
    assert active is not None
    return active


@pytest.fixture(scope="session")
def warehouse(snapshot: snapshots.Snapshot) -> Warehouse:
    wh = open_shared(snapshot)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def builder(warehouse: Warehouse) -> TableBuilder:
    return TableBuilder(warehouse)


@pytest.fixture(scope="session")
def frames(snapshot: snapshots.Snapshot) -> dict[str, pd.DataFrame]:
    """The snapshot's Parquet files read with pandas alone: the independent side of the checks."""
    result = {}
    for name in snapshots.DATASETS:
        frame = pd.read_parquet(snapshot.file(name))
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        result[name] = frame
    return result


@pytest.fixture(scope="session")
def history(tmp_path_factory, snapshot: snapshots.Snapshot) -> Path:
    """A data folder with two snapshots of every 15th row of the test snapshot (every year, a
    few thousand rows: figures published, quick to publish), the second active and carrying the
    first's files over. Tests that damage it work on a copy."""
    data = tmp_path_factory.mktemp("history") / "data"
    tables = {name: (table := pq.read_table(snapshot.file(name))).take(list(range(0, table.num_rows, 15)))
              for name in snapshots.DATASETS}
    publishing.publish_tables(tables, origin="demo", root=data,
                              extra={"demo": {"scale": TEST_SCALE, "seed": TEST_SEED}})
    publishing.publish_tables(tables, origin="ingest", root=data, carry_over=True)
    return data


CHROMIUM = Path(os.environ.get("OBSERVATORY_CHROMIUM", "/usr/bin/chromium"))
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (browser tests only)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():  # a failure, not a skip: `make test` installs it
        pytest.fail(f"Chromium absent ({CHROMIUM}): `make test` installs Debian's chromium package")
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh tab that records the page's errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="fr-FR")
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    yield tab
    context.close()


MIRROR = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture(scope="session")
def with_sources(tmp_path_factory, snapshot):
    """A data folder whose snapshot holds the test microdata and the official sources (mirror)."""
    if not (MIRROR / "francetravail-bmo-2024-bassins-emploi.csv").is_file():
        pytest.skip("../shared/reference absent: no mirror of the official files")
    from observatory.sources import pull

    root = tmp_path_factory.mktemp("sources") / "data"
    tables = {name: pq.read_table(snapshot.file(name)) for name in snapshots.DATASETS}
    publishing.publish_tables(tables, origin="demo", root=root, extra={"demo": {"scale": 0.02, "seed": 7}})
    pull.pull(mirror=MIRROR, root=root)
    return root
