"""A child process for the fault tests: write or read a store through partnet's own error handling.

    python tests/fault_child.py write --store sqlite --db F --actors N --prefix P [--pause-after K --marker M]
    python tests/fault_child.py read --store neo4j [--marker M]
    python tests/fault_child.py replace --db F --actors N --prefix P [--pause-after K --marker M]

``write`` builds `safety.big_dataset` and writes it in one ``Store.write`` call; ``read``
reads the whole dataset ``--repeat`` times. Errors are printed like the CLI prints them
(``partnet.cli.friendly_errors``: one ``error:`` line, no traceback, the error's exit code).
With ``--pause-after K`` (SQLite only) an SQLite progress handler stops the write after K
callbacks - deep inside the open transaction, after pages were spilled to the WAL - touches
``--marker`` and sleeps, so the parent can kill it at a known point.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safety import big_dataset  # noqa: E402

from graph.backends import open_store  # noqa: E402
from partnet.cli import friendly_errors  # noqa: E402


@friendly_errors
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["write", "read", "replace"])
    ap.add_argument("--store", default="sqlite")
    ap.add_argument("--db")
    ap.add_argument("--actors", type=int, default=1000)
    ap.add_argument("--prefix", default="a")
    ap.add_argument("--pause-after", type=int, default=0)
    ap.add_argument("--marker")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=0)
    args = ap.parse_args()
    ds = big_dataset(args.actors, prefix=args.prefix) if args.action in ("write", "replace") else None
    st = open_store(args.store, path=args.db, batch_size=args.batch_size or None)
    try:
        if args.pause_after:
            calls = [0]

            def progress() -> int:
                calls[0] += 1
                if calls[0] == args.pause_after:
                    Path(args.marker).write_text("paused inside the write transaction\n")
                    time.sleep(600)
                return 0

            st._con.set_progress_handler(progress, 1000)
        if args.action == "replace":  # `partnet ingest --replace` of dataset "big" (one transaction)
            from ingest.update import plan_and_apply, store_state

            print("replacing", flush=True)
            plan_and_apply("-", ds, [], st, store_state(st), dataset="big", replace=True)
            print("replaced", st.counts()["Actor"], flush=True)
        elif args.action == "write":
            print("writing", flush=True)
            if args.marker and not args.pause_after:
                Path(args.marker).write_text("writing\n")
            st.write(ds)
            print("written", st.counts()["Actor"], flush=True)
        else:
            if args.marker:
                Path(args.marker).write_text("reading\n")
            for _ in range(args.repeat):
                n = len(st.read_dataset())
            print("read", n, flush=True)
    finally:
        st.close()


if __name__ == "__main__":
    main()
