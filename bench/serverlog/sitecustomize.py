"""Imported at start-up by the dashboard processes the benchmark launches (``bench/browser.py`` puts this
folder first on their ``PYTHONPATH``): the dashboard warm-up's log lines (`dashboard.warmup`, INFO,
otherwise not shown) go to stderr with the wall-clock time, for `bench.browser.Server.warmup` to read."""

import logging
import sys

_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter("PARTNET-BENCH %(created).3f %(name)s %(message)s"))
for _name in ("partnet.dashboard.warmup", "dashboard.context"):
    _log = logging.getLogger(_name)
    _log.setLevel(logging.INFO)
    _log.addHandler(_handler)
