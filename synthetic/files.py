"""Writing generated frames as a folder of import-format CSV files (without the ingest package)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

__all__ = ["write_csv_folder"]


def write_csv_folder(frames: dict[str, pd.DataFrame], out: str | Path) -> dict[str, Path]:
    """Write generated frames as a folder of import-format CSV files (UTF-8, comma, header row).

    A fallback used when ``ingest.write_import_files`` is not available; the columns are those of
    the import format, empty cells for unknown values.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for table, df in frames.items():
        path = out / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(df.columns)
            cols = []
            for c in df.columns:
                s = df[c]
                if c == "amount":
                    cols.append(["" if v != v else f"{v:.0f}" for v in s.tolist()])
                else:
                    cols.append(["" if v is None or v is pd.NA else str(v) for v in s.tolist()])
            w.writerows(zip(*cols, strict=True))
        paths[table] = path
    return paths
