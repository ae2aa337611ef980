"""Hints for the commonest import mistakes: what the file seems to say, and what to write instead.

Each function looks at one raw value and returns a specific `CellError` (or a hint text) when it
recognises the mistake, ``None`` otherwise; the readers and converters raise the generic error
when no hint applies. Recognised: a year range in a year cell (``2005-2007``), a currency sign or
code in an amount (``€ 12.500``), a table or sheet named close to a real one (``Membership``),
and a file whose columns are separated by a character partnet does not read (``|``).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Iterable

from ingest.format import header_key
from ingest.text import CellError

__all__ = ["amount_with_currency", "did_you_mean", "foreign_delimiter", "year_range"]

_RANGE = re.compile(r"(\d{4})\s*(?:-|–|—|/|to|bis|à|a|tot|al)\s*(\d{4})", re.IGNORECASE)
_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₺": "TRY", "zł": "PLN", "kč": "CZK", "fr.": "CHF"}
_CODES = ("EUR", "USD", "GBP", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY")
_CURRENCY = re.compile(r"^\s*(?P<pre>€|\$|£|¥|₺|" + "|".join(_CODES) + r")?\s*(?P<num>[\d.,'’ \u00a0\u202f]+?)\s*"
                       r"(?P<post>€|\$|£|¥|₺|zł|kč|fr\.|" + "|".join(_CODES) + r")?\s*$", re.IGNORECASE)
#: Characters that separate columns in exports partnet does not read, with their names.
_FOREIGN = {"|": "vertical bar (|)", ":": "colon (:)", "^": "caret (^)", "~": "tilde (~)"}


def year_range(text: str) -> CellError | None:
    """A `CellError` when ``text`` is a range of years (``2005-2007``, ``2005/2007``), else ``None``.

    The hint says to put the first year in ``start_year`` and the last in ``end_year``.

    >>> year_range("2005-2007").message
    'a range of years (2005-2007) in one cell'
    >>> year_range("2005") is None
    True
    """
    m = _RANGE.fullmatch(text.strip())
    if not m:
        return None
    first, last = m.group(1), m.group(2)
    if last <= first:  # not a range ("2005-06" may be a month: left to the general message)
        return None
    return CellError("year-range", f"a range of years ({first}-{last}) in one cell",
                     f"a year cell holds one year: put {first} in start_year and {last} in end_year "
                     "(a link or funding record with one year: keep one)")


def amount_with_currency(text: str, parse: Callable[[str], float | None] | None = None) -> CellError | None:
    """A `CellError` when ``text`` is a number with a currency sign or code (``€ 12.500``, ``12,500 EUR``).

    The hint names the number to write (read by ``parse``, `ingest.numbers.parse_amount`, when
    given; both readings when its separator is ambiguous) and the ``currency`` code to give in
    its own column.

    >>> amount_with_currency("€ 100").hint
    'drop the sign: write 100 in amount and EUR in the currency column'
    >>> amount_with_currency("12500") is None
    True
    """
    m = _CURRENCY.match(text)
    if not m or not (m.group("pre") or m.group("post")) or not re.search(r"\d", m.group("num")):
        return None
    sign = (m.group("pre") or m.group("post")).strip()
    code = _SIGNS.get(sign.lower(), _SIGNS.get(sign, sign.upper()))
    number = m.group("num").strip()
    if parse is not None:
        try:
            value = parse(number)
            number = f"{value:.2f}".removesuffix(".00") if value is not None else number
        except CellError as e:
            if e.code == "ambiguous-amount":
                whole, _, frac = number.replace(",", ".").rpartition(".")
                number = f"{whole}{frac} (or {whole}.{frac} if the separator is a decimal one)"
    return CellError("currency-in-amount", f"the amount holds a currency sign ({sign})",
                     f"drop the sign: write {number} in amount and {code} in the currency column")


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """The closest of ``choices`` to ``name`` (case, spacing and a missing plural ignored), or ``""``.

    >>> did_you_mean("Membership", ["actors", "memberships", "links"])
    'memberships'
    >>> did_you_mean("budget", ["actors", "memberships"])
    ''
    """
    key = header_key(name)
    choices = list(choices)
    for c in choices:
        if key in (c, c.rstrip("s"), c + "s") or key.rstrip("s") == c.rstrip("s"):
            return c
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.75)
    return close[0] if close else ""


def foreign_delimiter(sample: str, known_columns: Iterable[str]) -> CellError | None:
    """A `CellError` when the header of ``sample`` names known columns once split by a delimiter
    partnet does not read (``|``, ``:``, ``^``, ``~``); ``None`` otherwise.

    >>> foreign_delimiter("id|name|type\\na|b|c\\n", ["id", "name", "type"]).message
    'the columns are separated by a vertical bar (|), which partnet does not read'
    """
    known = set(known_columns)
    first = next((ln for ln in sample.splitlines() if ln.strip()), "")
    for d, label in _FOREIGN.items():
        if d not in first:
            continue
        try:
            header = next(csv.reader(io.StringIO(first), delimiter=d))
        except (csv.Error, StopIteration):
            continue
        if sum(1 for h in header if header_key(h) in known) >= 2:
            return CellError("unsupported-delimiter", f"the columns are separated by a {label}, which partnet "
                             "does not read", "save the file as CSV with commas or semicolons (in a spreadsheet: "
                             "File > Save as > CSV UTF-8), or replace every " + repr(d) + " by ';'")
    return None
