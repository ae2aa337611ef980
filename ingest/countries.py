"""Countries in any common form -> ISO 3166-1 alpha-2, through pycountry and its translations.

Accepted: alpha-2 and alpha-3 codes, the numeric code, the English name, official and common
names, the names in French and in the languages of Europe (pycountry's iso3166-1
translations, e.g. "Allemagne", "Deutschland", "España", "Ελλάδα"), plus `ALIASES` for what
pycountry lacks ("UK" and "EL" as the EU writes them, "Holland", "Kosovo"...). Case, accents
and punctuation are ignored.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import pycountry

__all__ = ["ALIASES", "country_code", "country_name"]

#: Forms pycountry does not know, folded (see `_key`) -> alpha-2.
ALIASES: dict[str, str] = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "grande bretagne": "GB", "angleterre": "GB", "ecosse": "GB",
    "pays de galles": "GB", "irlande du nord": "GB",
    "el": "GR", "hellas": "GR",
    "holland": "NL", "hollande": "NL",
    "kosovo": "XK", "xk": "XK", "xkx": "XK",
    "turkey": "TR", "turquie": "TR", "turkiye": "TR",
    "russia": "RU", "russie": "RU",
    "czech republic": "CZ", "czechia": "CZ", "tchequie": "CZ", "republique tcheque": "CZ",
    "moldova": "MD", "moldavie": "MD",
    "macedonia": "MK", "north macedonia": "MK", "fyrom": "MK", "former yugoslav republic of macedonia": "MK",
    "macedoine": "MK", "macedoine du nord": "MK",
    "vatican": "VA", "vatican city": "VA", "holy see": "VA",
    "south korea": "KR", "korea": "KR", "north korea": "KP",
    "iran": "IR", "syria": "SY", "syrie": "SY", "vietnam": "VN", "viet nam": "VN", "laos": "LA",
    "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "ivory coast": "CI", "cote d ivoire": "CI", "cote divoire": "CI",
    "cape verde": "CV", "cap vert": "CV", "swaziland": "SZ", "burma": "MM", "palestine": "PS",
    "taiwan": "TW", "drc": "CD", "dr congo": "CD", "democratic republic of congo": "CD",
    "congo kinshasa": "CD", "congo brazzaville": "CG", "brunei": "BN",
    "usa": "US", "u s a": "US", "united states": "US", "etats unis": "US",
}

#: Languages whose country names are accepted (English first: it wins a clash).
_LANGUAGES = ("fr", "de", "es", "it", "pt", "nl", "sv", "da", "fi", "pl", "cs", "sk", "sl", "hr", "hu", "ro",
              "bg", "el", "et", "lv", "lt", "mt", "ga", "nb_NO", "is", "sq", "sr", "mk", "tr", "ca", "eu", "gl",
              "uk", "ru", "bs")
_NON_WORD = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    out = _NON_WORD.sub(" ", bare).strip()
    return out[4:] if out.startswith("the ") else out


def _name_forms(name: str) -> list[str]:
    """"Korea, Republic of" -> also "Republic of Korea" and "Korea"."""
    forms = [name]
    if ", " in name:
        head, _, tail = name.partition(", ")
        forms += [f"{tail} {head}", head]
    if " (" in name:
        forms.append(name.split(" (")[0])
    return forms


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}

    def put(text: str, code: str) -> None:
        for form in _name_forms(text):
            k = _key(form)
            if k and k not in table:
                table[k] = code

    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                put(v, c.alpha_2)
    for lang in _LANGUAGES:
        try:
            tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(c, attr, None)
                if v:
                    translated = tr.gettext(v)
                    if translated != v:
                        put(translated, c.alpha_2)
    return table


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country written in any common form, or ``None``.

    >>> country_code("Deutschland"), country_code("UK"), country_code("EL"), country_code("fra")
    ('DE', 'GB', 'GR', 'FR')
    """
    raw = text.strip()
    if not raw:
        return None
    k = _key(raw)
    if k in ALIASES:
        return ALIASES[k]
    up = raw.upper()
    if len(up) == 2 and up.isalpha():
        c = pycountry.countries.get(alpha_2=up)
        return c.alpha_2 if c else None
    if len(up) == 3 and up.isalpha():
        c = pycountry.countries.get(alpha_3=up)
        if c:
            return c.alpha_2
    if up.isdigit() and len(up) <= 3:
        c = pycountry.countries.get(numeric=up.zfill(3))
        return c.alpha_2 if c else None
    return _table().get(k)


def country_name(code: str) -> str:
    """The English short name of an alpha-2 code (the code itself when unknown)."""
    c = pycountry.countries.get(alpha_2=code)
    return c.name if c else code
