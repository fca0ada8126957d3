"""Publish a set of dataset tables as a new snapshot: Parquet files, the query database and
the manifest, built aside and swapped in atomically (see `snapshots.publish`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from observatory import snapshots, warehouse


def publish_tables(
    tables: dict[str, pa.Table],
    origin: str,
    extra: dict | None = None,
    root: Path | None = None,
    after_write: Callable[[Path], None] | None = None,
) -> snapshots.Snapshot:
    """Write every dataset, build `warehouse.duckdb` from them, then publish.

    `after_write` is a test hook called in the staging folder before the database is built.
    """
    def build(folder: Path) -> dict:
        entries = {name: snapshots.write_dataset(folder, name, table) for name, table in tables.items()}
        if after_write is not None:
            after_write(folder)
        warehouse.build_database(folder)
        return entries

    return snapshots.publish(build, origin, root=root, extra=extra)
