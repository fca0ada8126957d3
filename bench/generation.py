"""Time to generate and publish the demo snapshot (budget: 60 s at scale 1 on 2 cores).

    python bench/generation.py --scale 1 [--seed N] [--repeat R]

Each run generates into a fresh temporary folder: generation (numpy panel simulation) and
publication (zstd Parquet, the DuckDB query database with its rollups, manifest) apart.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, p50, peak_rss_mb, save, snapshot_at


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, argv)
    runs = []
    for _ in range(max(1, args.repeat)):
        with tempfile.TemporaryDirectory() as temporary:
            snapshot, times = snapshot_at(args.scale, args.seed, Path(temporary))
            rows = {name: entry["rows"] for name, entry in snapshot.manifest["datasets"].items()}
            size_mb = sum(f.stat().st_size for f in snapshot.path.iterdir()) / 1e6
            runs.append({**times, "total_s": sum(times.values()), "rows": rows, "size_mb": size_mb})
            print(f"génération {times['generation_s']:.1f} s, publication {times['publication_s']:.1f} s, "
                  f"total {sum(times.values()):.1f} s ; {rows} ; {size_mb:.0f} Mo")
    total = [r["total_s"] for r in runs]
    print(f"médiane du total sur {len(runs)} essai(s) : {p50(total):.1f} s ; RSS maximal {peak_rss_mb():.0f} Mo")
    save(f"generation-{args.scale:g}.json", {"scale": args.scale, "runs": runs, "peak_rss_mb": peak_rss_mb()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
