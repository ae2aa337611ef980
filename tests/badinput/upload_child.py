"""The dashboard's upload path outside the browser: what the Data page does with an uploaded file.

    python tests/badinput/upload_child.py FILE [--store sqlite|neo4j] [--db PATH]

Runs `dashboard.upload._check` (size limit, safe unzip, `ingest.load` validation) and, when the
file passed, `dashboard.upload.ingest_into` on the store (`graph.backends.open_store`, honouring
``PARTNET_READ_ONLY``). Prints what the page shows - the refusal and what to do, or the
validation report - and exits 1 when something was refused, 0 when the data was ingested.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dashboard.upload import _check, ingest_into  # noqa: E402
from graph.backends import open_store  # noqa: E402
from partnet.cli import friendly_errors  # noqa: E402


@friendly_errors
def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--store", default=None)
    ap.add_argument("--db", default=None)
    ap.add_argument("--read-only", action="store_true")
    args = ap.parse_args()
    path = Path(args.file)
    with tempfile.TemporaryDirectory(prefix="partnet-upload-test-") as work:
        checked = _check(path.name, path.read_bytes(), Path(work))
        if checked.error:
            print(f"error: {checked.error} -> {checked.hint}")
            return 1
        print(checked.report.format_text())
        if not checked.report.ok:
            print("the upload has errors; nothing was written")
            return 1
        with open_store(args.store, path=args.db, read_only=args.read_only) as st:
            done = ingest_into(checked, st)
        if done.error:
            print(f"error: {done.error} -> {done.hint}")
            return 1
        print("ingested", done.written)
        return 0


if __name__ == "__main__":
    sys.exit(main())
