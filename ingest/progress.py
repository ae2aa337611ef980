"""A progress bar on stderr for long tables only: none for a table under `PROGRESS_THRESHOLD` rows.

A table whose length is unknown beforehand (a workbook without a stored dimension, a CORDIS
extract) gets its bar only once it has passed the threshold, so a small table never prints an
empty bar.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["PROGRESS_THRESHOLD", "RowProgress"]

#: Tables longer than this get a progress bar (when asked for).
PROGRESS_THRESHOLD = 5000


class RowProgress:
    """Count rows and show a tqdm bar on stderr once the table is known to be long.

    Parameters
    ----------
    enabled : bool
        Whether a bar was asked for at all.
    total : int or None
        The table's row count when known beforehand.
    desc : str
        The bar's label (the table's name).
    threshold : int
        Rows above which a bar is shown (`PROGRESS_THRESHOLD`).
    """

    def __init__(self, enabled: bool, total: int | None, desc: str, threshold: int = PROGRESS_THRESHOLD) -> None:
        self.total, self.desc, self.threshold = total, desc, threshold
        self.count = 0
        self.bar: Any = None
        # off when not asked for, or when the table is known to be short
        self.live = enabled and (total is None or total > threshold)

    def update(self) -> None:
        """One more row read."""
        if not self.live:
            return
        self.count += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.total is not None or self.count > self.threshold:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, initial=self.count, desc=self.desc, unit=" rows", file=sys.stderr,
                            mininterval=0.5, leave=False, dynamic_ncols=True)

    def close(self) -> None:
        """Remove the bar (if one was shown)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
