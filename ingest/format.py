"""The import format: the one definition of every table and column partnet reads.

The template files (``data/template.xlsx``, ``data/template/*.csv``), the README's "Import
format" section, the readers and the validators are all derived from `TABLES`, so they
cannot drift apart. ``python -m ingest.format`` prints the README section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graph.model import ACTOR_TYPES, LEVELS, LINK_KINDS, PARTNERSHIP_KINDS, ROLES, SCOPES, STATUSES

__all__ = [
    "AMOUNT_RULE",
    "COLUMN_TYPES",
    "RECORD_TABLES",
    "TABLES",
    "Column",
    "Table",
    "header_key",
    "markdown_reference",
    "table",
]

ColumnType = Literal["id", "reference", "text", "year", "amount", "list", "vocab", "country", "currency", "website",
                     "flag"]

#: What each column type accepts (shown in the README and the template's README sheet).
COLUMN_TYPES: dict[str, str] = {
    "id": "identifier: any text, unique in its table and across actors and partnerships; "
    "left empty, a stable slug is derived",
    "reference": "the id of a record in another table (its name, alias or code also resolves when unique)",
    "text": "free text",
    "year": "a year, a whole number from 1900 to 2100",
    "amount": "a number of at least 0 (see the amount rule below)",
    "list": "several values separated by `;`",
    "vocab": "one value of a fixed list (synonyms in English and French are accepted, case and accents ignored)",
    "country": "a country in any common form (English, French or local name, ISO alpha-2 or alpha-3, "
    "`UK`, `EL`), stored as the ISO 3166-1 alpha-2 code",
    "currency": "an ISO 4217 currency code such as `EUR` (`€` is read as `EUR`)",
    "website": "a web address (`https://...` or a bare domain)",
    "flag": "`yes` or `no` (also `oui`/`non`, `true`/`false`, `1`/`0`); empty: not known",
}

#: How amounts are read (documented in the README; implemented by `ingest.normalise.parse_amount`).
AMOUNT_RULE = (
    "Amounts are read without guessing: `1234`, `1234.56`, `1234,56`, `1,234.56`, `1.234,56`, "
    "`1 234,56` (space, no-break space or `'` between groups of three digits) and `1.5E+06` are accepted. "
    "When both `.` and `,` occur, the last one is the decimal separator and the other must group "
    "thousands by three. A single `.` or `,` followed by exactly three digits after a number of one to "
    "three digits (`1,234`, `12.500`) could be either, so it is refused as ambiguous: write `1234`, "
    "`1234.00` or `1.234,00`. Negative amounts, currency signs and text such as `abc` are refused. "
    "An empty cell means the amount is unknown."
)


@dataclass(frozen=True)
class Column:
    """One column of an import table."""

    name: str
    type: ColumnType
    required: bool
    description: str
    example: str
    vocabulary: tuple[str, ...] = ()
    refers_to: tuple[str, ...] = ()
    default: str = ""

    def type_label(self) -> str:
        """The type as the README shows it (``vocab: lead, partner...``, ``reference to actors``)."""
        if self.type == "vocab":
            return "one of: " + ", ".join(f"`{v}`" for v in self.vocabulary)
        if self.type == "reference":
            return "reference to " + " or ".join(self.refers_to)
        return self.type


@dataclass(frozen=True)
class Table:
    """One table of the import format: a CSV file ``<name>.csv`` or a sheet ``<name>``."""

    name: str
    required: bool
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The column names in template order."""
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """The columns that must be present and non-empty."""
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _provenance(what: str) -> tuple[Column, Column]:
    return (
        Column(
            "source", "text", False, f"id of the document the {what} comes from (see the `sources` table)", "EQUAL-NTN"
        ),
        Column("section", "text", False, "where in that document (chapter, page, annex)", "3.2 France"),
    )


TABLES: tuple[Table, ...] = (
    Table(
        "actors",
        True,
        "the organisations: unions, employers, NGOs, cities, funders and the others",
        (
            Column("id", "id", False, "stable identifier of the actor; empty: derived from the name", "cfdt"),
            Column(
                "name", "text", True, "full name of the organisation", "Confédération française démocratique du travail"
            ),
            Column(
                "aliases",
                "list",
                False,
                "other names and acronyms, separated by `;`",
                "CFDT;French Democratic Confederation of Labour",
            ),
            Column(
                "type",
                "vocab",
                True,
                "what kind of organisation it is; sets its family (the five families of the multi-partnership, "
                "plus knowledge and other)",
                "trade_union",
                vocabulary=tuple(ACTOR_TYPES),
            ),
            Column(
                "country",
                "country",
                False,
                "where it is based; empty for European or international bodies (then set `scope`)",
                "France",
            ),
            Column("city", "text", False, "city where it is based", "Paris"),
            Column("scope", "vocab", False, "how far it reaches", "national", vocabulary=SCOPES),
            Column("website", "website", False, "its web site", "https://www.cfdt.fr"),
            *_provenance("actor"),
        ),
    ),
    Table(
        "partnerships",
        True,
        "the partnerships, networks, projects, pacts and agreements that actors are members of",
        (
            Column(
                "id",
                "id",
                False,
                "stable identifier; empty: derived from the code, else from the name",
                "fr-nat-2001-10456",
            ),
            Column("name", "text", True, "name of the partnership", "LUCIDITÉ"),
            Column(
                "kind",
                "vocab",
                True,
                "what kind of partnership it is",
                "development_partnership",
                vocabulary=PARTNERSHIP_KINDS,
            ),
            Column(
                "code", "text", False, "official code, e.g. the EQUAL DP code or a grant number", "FR-NAT-2001-10456"
            ),
            Column("theme", "text", False, "what it works on", "discrimination in hiring"),
            Column("level", "vocab", False, "the level it works at", "national", vocabulary=LEVELS),
            Column("start_year", "year", False, "first year", "2002"),
            Column("end_year", "year", False, "last year (not before `start_year`)", "2005"),
            Column(
                "parent_id",
                "reference",
                False,
                "the partnership this one belongs to (a DP in a thematic network)",
                "ntn-fr",
                refers_to=("partnerships",),
            ),
            *_provenance("partnership"),
            Column(
                "status",
                "vocab",
                False,
                "where it stands: running, proposed (not started) or over; empty: `unknown`",
                "active",
                vocabulary=STATUSES,
                default="unknown",
            ),
            Column(
                "members_complete",
                "flag",
                False,
                "`yes` when the memberships list every member, `no` when only some; empty: not known",
                "yes",
            ),
        ),
    ),
    Table(
        "memberships",
        True,
        "who is a member of which partnership, and in what role",
        (
            Column("actor_id", "reference", True, "the member", "cfdt", refers_to=("actors",)),
            Column(
                "partnership_id", "reference", True, "the partnership", "fr-nat-2001-10456", refers_to=("partnerships",)
            ),
            Column(
                "role",
                "vocab",
                False,
                "the member's role; empty: `partner`",
                "lead",
                vocabulary=ROLES,
                default="partner",
            ),
            *_provenance("membership"),
        ),
    ),
    Table(
        "funding",
        False,
        "who funds which partnership or actor, through which programme",
        (
            Column(
                "funder_id",
                "reference",
                True,
                "the funder (an actor, e.g. the European Commission)",
                "european-commission",
                refers_to=("actors",),
            ),
            Column(
                "recipient_id",
                "reference",
                True,
                "the funded partnership or actor",
                "fr-nat-2001-10456",
                refers_to=("partnerships", "actors"),
            ),
            Column("programme", "text", False, "the instrument (AMIF, ESF/EQUAL, Erasmus+...)", "ESF/EQUAL"),
            Column("amount", "amount", False, "how much; empty when unknown", "125000.50"),
            Column("currency", "currency", False, "currency of the amount", "EUR"),
            Column("start_year", "year", False, "first year of the funding", "2002"),
            Column("end_year", "year", False, "last year (not before `start_year`)", "2005"),
            *_provenance("funding"),
        ),
    ),
    Table(
        "links",
        False,
        "explicit bilateral ties between two actors (exchanges, twinnings, agreements)",
        (
            Column("source_id", "reference", True, "one actor", "city-of-liege", refers_to=("actors",)),
            Column(
                "target_id",
                "reference",
                True,
                "the other actor (not the same one)",
                "city-of-sofia",
                refers_to=("actors",),
            ),
            Column(
                "kind",
                "vocab",
                False,
                "what kind of tie; empty: `cooperation`",
                "exchange",
                vocabulary=LINK_KINDS,
                default="cooperation",
            ),
            Column("year", "year", False, "when the tie was made or observed", "2019"),
            *_provenance("link"),
        ),
    ),
    Table(
        "sources",
        False,
        "the documents the records cite in their `source` column",
        (
            Column("id", "id", True, "the id the other tables use in `source`", "EQUAL-NTN"),
            Column(
                "title", "text", True, "title of the document", "EQUAL national thematic networks, Portugal and France"
            ),
            Column("file", "text", False, "file name or address of the document", "001_482beba33f3bb6c6.txt"),
            Column("description", "text", False, "what it is", "EQUAL round 1 Development Partnerships"),
        ),
    ),
)

_BY_NAME = {t.name: t for t in TABLES}
#: The tables that become graph records (everything except ``sources``), in load order.
RECORD_TABLES: tuple[str, ...] = ("actors", "partnerships", "memberships", "funding", "links")


def table(name: str) -> Table:
    """The table called ``name``."""
    return _BY_NAME[name]


def header_key(text: str) -> str:
    """How a header cell is matched to a column name: trimmed, lower case, spaces and ``-`` as ``_``.

    >>> header_key("  Actor ID ")
    'actor_id'
    """
    out = str(text).strip().strip("\ufeff\u200b").strip().lower()
    for ch in (" ", "-", "\u00a0"):
        out = out.replace(ch, "_")
    while "__" in out:
        out = out.replace("__", "_")
    return out


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_reference() -> str:
    """The README's "Import format" section body, generated from `TABLES`.

    A test checks that the README holds exactly this text between its markers.
    """
    lines = [
        "A folder of CSV files (`actors.csv`, `partnerships.csv`, ...) or one Excel workbook with one",
        "sheet per table, named like the files. Blank templates: `data/template/` and",
        "`data/template.xlsx` (regenerate them with `partnet template OUT`). Check a file without",
        "writing anything with `partnet ingest PATH --dry-run`.",
        "",
        "- Header names are matched ignoring case, surrounding spaces and `-`/space versus `_`; an",
        "  unknown column is reported as a warning and ignored; a missing required column is an error.",
        "- CSV files may be UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252/Latin-1",
        "  (reported as a warning); the delimiter may be `,`, `;` or tab (detected).",
        "- Every text is trimmed (also no-break spaces), put in Unicode NFC form; control characters",
        "  are removed with a warning. A leading `'` before `=`, `+`, `-` or `@` (the spreadsheet",
        "  escape for formulas) is removed.",
        "- Vocabulary columns accept the listed values and common synonyms in English and French",
        "  (`syndicat`, `union` -> `trade_union`; `ONG` -> `ngo`; `commune`, `ville` ->",
        "  `local_authority`; `chef de file` -> `lead`...), ignoring case and accents.",
        "- Problems are reported all at once, each with its file, row (the header is row 1),",
        "  column, value and what to do. Any error means nothing is written; warnings (such as two",
        "  actors that look like duplicates) do not block, and records are never merged silently.",
        f"- {AMOUNT_RULE}",
        "",
    ]
    for t in TABLES:
        req = "required" if t.required else "optional"
        lines.append(f"### `{t.name}` ({req} table)")
        lines.append("")
        lines.append(f"{t.description[0].upper()}{t.description[1:]}.")
        lines.append("")
        lines.append("| column | required | type | meaning | example |")
        lines.append("|---|---|---|---|---|")
        for c in t.columns:
            lines.append(
                f"| `{c.name}` | {'yes' if c.required else 'no'} | {_md_escape(c.type_label())} | "
                f"{_md_escape(c.description)} | {_md_escape(c.example)} |"
            )
        lines.append("")
    lines.append("Column types:")
    lines.append("")
    for name, meaning in COLUMN_TYPES.items():
        lines.append(f"- `{name}`: {meaning}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - a convenience for editing the README
    print(markdown_reference(), end="")
