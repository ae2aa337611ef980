"""Numbers in cells: years (`parse_year`) and amounts (`parse_amount`, `format_amount`).

Years are whole numbers 1900-2100 (an Excel date gives its year, with a warning); amounts
follow the rule of `ingest.format.AMOUNT_RULE`, and `format_amount` writes them back so that
they read the same.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ingest.hints import amount_with_currency, year_range
from ingest.text import EDGE_INVISIBLE, CellError, Warn, clean_text, fold

__all__ = ["YEAR_MAX", "YEAR_MIN", "format_amount", "parse_amount", "parse_flag", "parse_year"]

YEAR_MIN, YEAR_MAX = 1900, 2100
_YEAR = re.compile(r"\d{4}(\.0+)?")


def parse_year(raw: Any, warn: Warn) -> int | None:
    """A year from 1900 to 2100 (``None`` for an empty cell).

    ``"2005"``, ``2005`` and ``2005.0`` are accepted; an Excel date gives its year (with a
    warning); anything else (``"20O5"``, ``3000``, ``"2005-06"``) raises `CellError`.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.datetime | dt.date):
        warn("date-as-year", f"a date was given; its year {raw.year} is used", "type just the year, e.g. 2005")
        year = raw.year
    elif isinstance(raw, bool):
        raise CellError("bad-year", "not a year", "write the year as four digits, e.g. 2005")
    elif isinstance(raw, int | float):
        if not (isinstance(raw, int) or (math.isfinite(raw) and raw == int(raw))):
            raise CellError("bad-year", "not a whole year", "write the year as four digits, e.g. 2005")
        year = int(raw)
    else:
        s = clean_text(raw, warn)
        if not s:
            return None
        if not _YEAR.fullmatch(s):
            if (rng := year_range(s)) is not None:
                raise rng
            hint = "write the year as four digits, e.g. 2005"
            if re.fullmatch(r"[\dOoIl]{4}", s):
                hint += " (the letter O or I/l was typed instead of a digit)"
            raise CellError("bad-year", "not a year", hint)
        year = int(s.split(".")[0])
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise CellError("year-out-of-range", f"year {year} is outside {YEAR_MIN}-{YEAR_MAX}",
                        "check the year (four digits, e.g. 2005)")
    return year


_GROUPS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009'’]\d{3})+")
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")
_AMOUNT_HINT = "write a number such as 1234.56 or 1234,56 (see the amount rule in the README)"


def parse_amount(raw: Any, *, decimal: str | None = None) -> float | None:
    """Read an amount by the rule of `ingest.format.AMOUNT_RULE`; ``None`` for an empty cell.

    ``decimal`` settles the ambiguous case ``1,234``/``1.234``: ``","`` or ``"."`` names the
    decimal separator, ``"either"`` says a lone separator is always a decimal one (for
    sources known to write no thousands separators, such as CORDIS); by default
    (``None``) that case is refused. Raises `CellError` for text, negative numbers and ambiguous values.

    >>> parse_amount("1.234,56"), parse_amount("1,234.56"), parse_amount("1 234,56"), parse_amount("1234")
    (1234.56, 1234.56, 1234.56, 1234.0)
    """
    if raw is None:
        return None
    if isinstance(raw, bool | dt.date | dt.time):
        raise CellError("bad-amount", "not an amount", _AMOUNT_HINT)
    if isinstance(raw, int | float):
        value = float(raw) + 0.0  # -0.0 -> 0.0
        if not math.isfinite(value):
            raise CellError("bad-amount", "not a finite number", _AMOUNT_HINT)
        if value < 0:
            raise CellError("negative-amount", "a negative amount", "amounts are at least 0; check the sign")
        return value
    s = str(raw).strip().strip(EDGE_INVISIBLE).strip()
    if not s:
        return None
    if s[0] in "-−(" or s[-1] == "-":
        rest = s.lstrip("-−( ").rstrip(") -")
        try:
            parse_amount(rest, decimal=decimal)
        except CellError:
            raise CellError("bad-amount", "not an amount", _AMOUNT_HINT) from None
        raise CellError("negative-amount", "a negative amount", "amounts are at least 0; check the sign")
    if _SCIENTIFIC.fullmatch(s):
        return _finite(float(s))
    # thousands grouped by spaces or apostrophes: drop them, keep any decimal part
    head, sep, tail = _split_decimal_tail(s)
    if _GROUPS.fullmatch(head):
        head = re.sub(r"[ \u00a0\u202f\u2009'’]", "", head)
        s = head + sep + tail
        if sep:
            if not tail.isdigit():
                raise CellError("bad-amount", "not an amount", _AMOUNT_HINT)
            return _finite(float(f"{head}.{tail}"))
        return _finite(float(head))
    if s.isdigit():
        return _finite(float(s))
    if not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        raise amount_with_currency(s, parse_amount) or CellError("bad-amount", "not an amount", _AMOUNT_HINT)
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        if s.count(dec) != 1:
            raise CellError("bad-amount", "not an amount (more than one decimal separator)", _AMOUNT_HINT)
        int_part, frac = s.split(dec)
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(thou)}\d{{3}})+", int_part):
            raise CellError("bad-amount", f"not an amount (`{thou}` must group thousands by three digits)",
                            _AMOUNT_HINT)
        return _finite(float(int_part.replace(thou, "") + "." + frac))
    sepchar = "." if dots else ","
    if s.count(sepchar) > 1:
        if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(sepchar)}\d{{3}})+", s):
            return _finite(float(s.replace(sepchar, "")))
        raise CellError("bad-amount", "not an amount", _AMOUNT_HINT)
    int_part, frac = s.split(sepchar)
    if len(frac) != 3 or len(int_part) > 3 or int_part.startswith("0"):
        return _finite(float(f"{int_part}.{frac}"))
    if decimal == "either":
        return _finite(float(f"{int_part}.{frac}"))
    if decimal in (".", ","):
        if decimal == sepchar:
            return _finite(float(f"{int_part}.{frac}"))
        return _finite(float(int_part + frac))
    raise CellError(
        "ambiguous-amount",
        f"ambiguous amount: {s} could mean {int_part}{frac} or {int_part}.{frac}",
        f"write {int_part}{frac} if you mean {int_part}{frac}, or {s}0 if you mean {int_part}.{frac} "
        "(see the amount rule in the README)",
    )


def _split_decimal_tail(s: str) -> tuple[str, str, str]:
    """``"1 234,56"`` -> ``("1 234", ",", "56")`` when the last separator is a decimal one."""
    for i in range(len(s) - 1, -1, -1):
        if s[i] in ".,":
            return s[:i], s[i], s[i + 1:]
        if not s[i].isdigit():
            break
    return s, "", ""


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise CellError("bad-amount", "not a finite number", _AMOUNT_HINT)
    return value


def format_amount(value: float) -> str:
    """Write an amount so that `parse_amount` reads back exactly the same float.

    ``repr`` of the float, with a ``0`` appended where it would otherwise look ambiguous
    (``123.456`` -> ``123.4560``).
    """
    s = repr(float(value) + 0.0)  # never "-0"
    if s.endswith(".0") and "e" not in s:
        s = s[:-2]
    elif re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", s):
        s += "0"
    return s


_FLAGS = {"yes": True, "y": True, "oui": True, "o": True, "true": True, "vrai": True, "1": True, "x": True,
          "no": False, "n": False, "non": False, "false": False, "faux": False, "0": False}


def parse_flag(raw: Any, warn: Warn) -> bool | None:
    """``yes``/``no`` (and ``oui``/``non``, ``true``/``false``, ``1``/``0``) -> True/False; empty -> None.

    >>> parse_flag("Oui", print), parse_flag("no", print), parse_flag("", print)
    (True, False, None)
    """
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    s = clean_text(raw, warn)
    if not s:
        return None
    value = _FLAGS.get(fold(s))
    if value is None:
        raise CellError("unknown-value", "expected yes or no", "write yes or no (oui/non), or leave the cell empty")
    return value
