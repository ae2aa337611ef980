"""The benchmark's clock and progress log, shared by its parts (bench/run.py and the modules it drives)."""

from __future__ import annotations

import datetime as dt
import sys
import time


def _now() -> float:
    return time.perf_counter()


def _log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)
