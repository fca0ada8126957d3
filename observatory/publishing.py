"""Publish a set of dataset tables as a new snapshot: Parquet files, the query database and
the manifest, built aside and swapped in atomically (see `snapshots.publish`)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa

from observatory import snapshots, warehouse


def publish_tables(
    tables: dict[str, pa.Table],
    origin: str,
    extra: dict | None = None,
    root: Path | None = None,
    after_write: Callable[[Path], None] | None = None,
    carry_over: bool = False,
    files: dict[str, Path] | None = None,
    entry_extras: dict[str, dict] | None = None,
) -> snapshots.Snapshot:
    """Write every dataset (and copy `files`: name in the snapshot -> path), build
    `warehouse.duckdb` from the result, then publish; with `carry_over`, the active snapshot's
    other datasets come along unchanged.

    `entry_extras` adds fields to a dataset's manifest entry (where it was imported from, which
    source it came from). `after_write` is a test hook called in the staging folder before the
    database is built.
    """
    def build(folder: Path) -> dict:
        # Parquet encoding releases the GIL: the datasets are written side by side (2 cores).
        with ThreadPoolExecutor(max_workers=2) as pool:
            written = {name: pool.submit(snapshots.write_dataset, folder, name, table)
                       for name, table in tables.items()}
            entries = {name: future.result() for name, future in written.items()}
        for name, path in (files or {}).items():
            shutil.copyfile(path, folder / name)
            entries[name] = {"file": name, "rows": None}
        for name, fields in (entry_extras or {}).items():
            entries[name].update(fields)
        if after_write is not None:
            after_write(folder)
        return entries

    return snapshots.publish(build, origin, root=root, extra=extra, carry_over=carry_over,
                             after_build=warehouse.build_database)
