"""Cell text: the converters' contract (`Warn`, `CellError`) and text cleaning (`clean_text`, `fold`).

Every cell converter (`ingest.converters`) takes the raw cell and a ``warn(code, message,
hint)`` callback and returns the clean value, or raises `CellError` naming what is wrong and
what to do. Text is trimmed (also no-break and zero-width spaces), inner no-break spaces become
spaces, Unicode NFC; line breaks and tabs inside a cell become one space and other control
characters are removed, with a warning; a leading ``'`` before ``= + - @`` (the spreadsheet
formula escape) is removed. `fold` is the comparison key of vocabularies and names.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

__all__ = ["EDGE_INVISIBLE", "CellError", "Warn", "clean_text", "fold"]

#: The converters' warning callback: ``warn(code, message, hint)``.
Warn = Callable[[str, str, str], None]


class CellError(ValueError):
    """A cell value that cannot be used: ``code``, ``message`` and ``hint`` (what to do)."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r" *[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+ *")
_INNER_NBSP = re.compile(r"[\u00a0\u2007\u202f]")
#: Invisible characters stripped from the edges of a cell (BOM, zero-width spaces).
EDGE_INVISIBLE = "\ufeff\u200b\u2060\u180e"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NON_WORD = re.compile(r"[\W_]+")


def _excel_to_text(raw: Any, warn: Warn) -> str:
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if math.isfinite(raw) and raw == int(raw) and abs(raw) < 1e15:
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, dt.datetime):
        warn("date-in-text", "a date in a text column was written as text", "type the text itself if that is wrong")
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date | dt.time):
        warn("date-in-text", "a date in a text column was written as text", "type the text itself if that is wrong")
        return raw.isoformat()
    return str(raw)


def clean_text(raw: Any, warn: Warn) -> str:
    """Trimmed, NFC-normalised text with control characters removed (see the module docstring)."""
    if raw is None:
        return ""
    if type(raw) is not str:
        raw = _excel_to_text(raw, warn)
    s = raw.strip()
    if not s:
        return ""
    if not s.isprintable():  # rare: control characters, line breaks, no-break or zero-width spaces
        if not s.isascii():
            s = _INNER_NBSP.sub(" ", s.strip(EDGE_INVISIBLE).strip())
        if _CONTROL.search(s):
            s = _BREAKS.sub(" ", s)
            if _CONTROL.search(s):
                s = _CONTROL.sub("", s)
                warn("control-characters", "control characters (such as NUL) were removed",
                     "check the value; remove the invisible characters in the source file")
            else:
                warn("line-break-in-cell", "line breaks or tabs inside the cell were replaced by spaces",
                     "keep each value on one line")
            s = s.strip()
        if not s:
            return ""
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    if s[0] == "'" and len(s) > 1 and s.lstrip("'")[:1] in _FORMULA_START:
        s = s[1:]
    return s


def fold(text: str) -> str:
    """A comparison key: accents dropped, case folded, punctuation as single spaces.

    >>> fold("Trade-Union"), fold("Chef de file"), fold("ONG")
    ('trade union', 'chef de file', 'ong')
    """
    if text.isascii():
        bare = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NON_WORD.sub(" ", bare).split())
