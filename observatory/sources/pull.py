"""`python -m observatory sources pull`: fetch every official source (or read it from a mirror
folder), parse it, and publish one new snapshot holding the parsed tables beside the active
snapshot's microdata. A source that fails stops the pull before anything is published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pyarrow as pa

from observatory import publishing, snapshots
from observatory.sources import CONNECTORS, fetch, sha256
from observatory.sources.base import Connector


def raw_dir(root: Path | None = None) -> Path:
    return (root or snapshots.data_dir()) / "raw"


def manifest_entry(connector: Connector, path: Path, rows: int) -> dict:
    return {"name": connector.name, "producer": connector.producer, "title": connector.title,
            "url": connector.url, "licence": connector.licence, "licence_note": connector.licence_note,
            "year": connector.year, "file": path.name, "sha256": sha256(path), "rows": rows,
            "downloaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def pull(names: Sequence[str] = (), mirror: Path | None = None, root: Path | None = None,
         report: Callable[[str], None] = lambda _line: None) -> snapshots.Snapshot:
    """Fetch and parse the named connectors (all by default), then publish; raises SourceError."""
    tables: dict[str, pa.Table] = {}
    files: dict[str, Path] = {}
    origins: dict[str, dict] = {}
    sources = []
    for name in names or CONNECTORS:
        connector = CONNECTORS[name]
        path = fetch(connector, raw_dir(root), mirror)
        parsed = connector.parse(path)
        tables.update(parsed.tables)
        files.update(parsed.files)
        for produced in [*parsed.tables, *parsed.files]:
            origins[produced] = {"source": connector.name}
        sources.append(manifest_entry(connector, path, parsed.rows))
        rows = f"{parsed.rows:,}".replace(",", " ")
        report(f"{connector.producer} — {connector.title} : {rows} lignes lues")
    return publishing.publish_tables(tables, origin="sources", root=root, carry_over=True, files=files,
                                     entry_extras=origins, extra={"sources": sources})
