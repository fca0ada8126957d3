"""Memory of a server across a publication: RSS with the first snapshot loaded, with both while
a run still uses the first, and once the first is closed (observatory/runtime.py, Builders).

    python bench/replaced_snapshot.py --scale 1 --data-dir DIR

It publishes a second snapshot in the data folder (and activates it): give it a copy.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyarrow.parquet as pq

from bench.common import arguments, snapshot_at


def rss_mb() -> float:
    """The process's resident memory now (not its peak)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def loaded(runtime, views, filters) -> object:
    builder = runtime.served().builder
    builder.load()
    for page in ("vue_ensemble", "salaires", "portrait"):
        views.page_content(page, builder, filters)
    return builder


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, argv)
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = (args.data_dir or Path(temporary)).resolve()
        snapshot_at(args.scale, args.seed, data_dir)
        os.environ["OBSERVATORY_DATA_DIR"] = str(data_dir)
        os.environ["OBSERVATORY_WARM"] = "0"
        from observatory import publishing, runtime, snapshots, views
        from observatory.filters import Filters

        print(f"au départ : {rss_mb():.0f} Mo")
        with runtime.BUILDERS.scope():  # a reader's run still on the first snapshot
            first = loaded(runtime, views, Filters())
            print(f"premier snapshot chargé : {rss_mb():.0f} Mo")
            active = snapshots.active()
            started = time.perf_counter()
            tables = {name: pq.read_table(active.file(name)) for name in snapshots.DATASETS}
            publishing.publish_tables(tables, origin="ingest", carry_over=True)
            del tables
            print(f"(publication : {time.perf_counter() - started:.0f} s)")
            second = loaded(runtime, views, Filters())
            assert second is not first
            print(f"les deux, le premier encore utilisé : {rss_mb():.0f} Mo")
        del first
        runtime.collector().collect()
        print(f"le premier fermé : {rss_mb():.0f} Mo (gardés : {len(runtime.BUILDERS.kept())})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
