"""Importer for the CORDIS project-participant export (EU framework programmes).

Input: the organisations file (one row per participant and project: ``projectID``,
``projectAcronym``, ``organisationID``, ``name``, ``shortName``, ``activityType``, ``city``,
``country``, ``role``, ``ecContribution``, ``netEcContribution``, ``totalCost``, ...) and
optionally the projects file (``id``, ``acronym``, ``title``, ``startDate``, ``endDate``,
``ecMaxContribution``, ``frameworkProgramme``, ...), as CSV (comma or semicolon, quoted
fields, any encoding the CSV reader accepts) or as workbooks. ``PATH`` is the organisations
file, or a folder holding both.

Mapping:

- organisation -> actor ``cordis-org-<organisationID>``; ``activityType`` HES/REC ->
  ``research``, PRC -> ``employer``, PUB -> ``public_agency``, OTH -> ``other``; the short
  name becomes an alias; ``country`` through the country table ("EL" -> GR, "UK" -> GB);
- project -> partnership ``cordis-<projectID>`` of kind ``project``, level ``european``,
  ``code`` = acronym, name = title (the acronym when there is no projects file), years from
  the start and end dates; projects with no participant in the organisations file are
  skipped;
- role -> membership role: coordinator/hostInstitution -> ``lead``, participant/beneficiary/
  internationalPartner -> ``partner``, partner/associatedPartner/thirdParty -> ``associate``;
- funding: one FUNDS relation from the European Commission (actor ``european-commission``,
  created) to each project, ``programme`` = the framework programme ("Horizon 2020",
  "Horizon Europe", "FP7"...), ``amount`` = the sum of the participants' ``ecContribution``
  (``netEcContribution`` when that is empty; the project's ``ecMaxContribution`` when no
  participant has one; empty when nothing is known), currency EUR. Funding is recorded per
  project so that totals per funder are not counted twice; the per-organisation amounts are
  not kept. Without a projects file the programme is taken from ``programme=``, else
  guessed from the file name (h2020, horizon, fp7...), else "Horizon 2020" - each time
  with a warning saying so.

CORDIS writes amounts without thousands separators, so a lone ``,`` or ``.`` is read as the
decimal separator (``123456,5`` and ``123456.5`` are the same amount).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.countries import country_code
from ingest.errors import FileProblem
from ingest.format import header_key
from ingest.normalise import CellError, ParsedTable, clean_text, parse_amount
from ingest.progress import RowProgress
from ingest.readers import RawTable, open_csv, open_workbook
from ingest.report import Report

__all__ = [
    "ACTIVITY_TYPES",
    "FUNDER_ID",
    "ORGANISATION_COLUMNS",
    "PROGRAMMES",
    "PROJECT_COLUMNS",
    "ROLES",
    "is_cordis_header",
    "is_projects_header",
    "load_cordis",
]

FUNDER_ID = "european-commission"
ACTIVITY_TYPES = {"hes": "research", "rec": "research", "prc": "employer", "pub": "public_agency", "oth": "other"}
ROLES = {
    "coordinator": "lead", "hostinstitution": "lead",
    "participant": "partner", "beneficiary": "partner", "internationalpartner": "partner",
    "partner": "associate", "associatedpartner": "associate", "thirdparty": "associate",
}
PROGRAMMES = {"h2020": "Horizon 2020", "horizon": "Horizon Europe", "he": "Horizon Europe", "fp7": "FP7",
              "fp6": "FP6", "fp5": "FP5", "fp4": "FP4"}
ORGANISATION_COLUMNS = ("projectid", "projectacronym", "organisationid", "name", "shortname", "activitytype", "city",
                        "country", "role", "eccontribution", "neteccontribution", "totalcost", "organizationurl")
PROJECT_COLUMNS = ("id", "acronym", "title", "startdate", "enddate", "ecmaxcontribution", "frameworkprogramme",
                   "totalcost", "status")
_ORG_ID_KEYS = ("organisationid", "organizationid")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d|2100)(?!\d)")


def is_cordis_header(header: list[str]) -> bool:
    """True for the header of a CORDIS organisations file (``projectID`` and ``organisationID``)."""
    keys = {header_key(h) for h in header}
    return "projectid" in keys and any(k in keys for k in _ORG_ID_KEYS)


def is_projects_header(header: list[str]) -> bool:
    """True for the header of a CORDIS projects file (``id``, ``acronym`` and ``title``)."""
    keys = {header_key(h) for h in header}
    return {"id", "acronym"} <= keys and ("title" in keys or "frameworkprogramme" in keys)


def _open(path: Path, label: str, known: tuple[str, ...]) -> RawTable:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        wb = open_workbook(path, label=label)
        try:
            raw = wb.sheet(wb.sheetnames[0])
        except Exception:
            wb.close()
            raise
        inner = raw.rows

        def rows():
            try:
                yield from inner
            finally:
                wb.close()

        raw.rows = rows()
        raw._close = wb.close
        return raw
    return open_csv(path, label=label, known_columns=known)


def find_cordis_files(path: Path) -> tuple[Path | None, Path | None]:
    """(organisations file, projects file) of a CORDIS folder, or of a single file."""
    if path.is_file():
        return path, None
    orgs = projects = None
    for f in sorted(path.iterdir()):
        if f.suffix.lower() not in (".csv", ".tsv", ".txt", ".xlsx") or not f.is_file():
            continue
        try:
            raw = _open(f, f.name, ORGANISATION_COLUMNS + PROJECT_COLUMNS)
        except FileProblem:
            continue
        header = raw.header
        raw.close()
        if orgs is None and is_cordis_header(header):
            orgs = f
        elif projects is None and is_projects_header(header):
            projects = f
    return orgs, projects


class _Columns:
    def __init__(self, raw: RawTable) -> None:
        self.pos = {}
        for i, h in enumerate(raw.header):
            self.pos.setdefault(header_key(h), i)

    def get(self, cells: Any, *keys: str) -> Any:
        for k in keys:
            i = self.pos.get(k)
            if i is not None and i < len(cells):
                v = cells[i]
                if v is not None and v != "":
                    return v
        return None


def _year(v: Any) -> int | None:
    if v is None:
        return None
    if hasattr(v, "year"):
        return int(v.year)
    m = _YEAR.search(str(v))
    return int(m.group(1)) if m else None


def _programme_from_path(path: Path) -> str | None:
    name = path.name.lower()
    for key, label in (("h2020", "Horizon 2020"), ("horizon", "Horizon Europe"), ("fp7", "FP7"), ("fp6", "FP6")):
        if key in name:
            return label
    return None


def load_cordis(path: Path, report: Report, *, progress: bool = False,
                programme: str | None = None) -> dict[str, ParsedTable]:
    """Read a CORDIS export into import-format tables (actors, partnerships, memberships, funding).

    Problems go to ``report``; the tables are then checked by `ingest.validate` like any
    import. See the module docstring for the mapping.
    """
    orgs_path, projects_path = find_cordis_files(path)
    if orgs_path is None:
        report.error("missing-table", "no CORDIS organisations file (with projectID and organisationID columns) "
                     "was found", "give the organisation.csv file of the CORDIS export, or its folder",
                     file=str(path))
        return {}
    projects: dict[str, dict[str, Any]] = {}
    if projects_path is not None:
        _read_projects(projects_path, report, projects)
    label = orgs_path.name
    actors = ParsedTable("actors", label)
    partnerships = ParsedTable("partnerships", projects_path.name if projects_path else label, files=[])
    memberships = ParsedTable("memberships", label)
    funding = ParsedTable("funding", label)
    for t, cols in ((actors, ("id", "name", "aliases", "type", "country", "city", "scope", "website", "source",
                              "section")),
                    (partnerships, ("id", "name", "kind", "code", "level", "start_year", "end_year", "source",
                                    "section")),
                    (memberships, ("actor_id", "partnership_id", "role", "source", "section")),
                    (funding, ("funder_id", "recipient_id", "programme", "amount", "currency", "start_year",
                               "end_year", "source", "section"))):
        for c in cols:
            t.values[c] = []
    try:
        raw = _open(orgs_path, label, ORGANISATION_COLUMNS)
    except FileProblem as e:
        report.error(e.code, e.message, e.hint, file=label, table="organisations", row=e.row)
        return {}
    if not is_cordis_header(raw.header):
        raw.close()
        report.error("missing-column", "this is not a CORDIS organisations file: projectID and organisationID "
                     "columns are needed", "give the organisation.csv file of the CORDIS export", file=label, row=1)
        return {}
    for code, message, hint in raw.notes:
        report.warning(code, message, hint, file=label)
    cols = _Columns(raw)
    seen_orgs: set[str] = set()
    contributions: dict[str, list[float]] = {}
    project_rows: dict[str, int] = {}
    members: set[tuple[str, str]] = set()
    warn_row = [0]

    def warner(column: str, value: Any):
        def warn(code: str, message: str, hint: str = "") -> None:
            report.warning(code, message, hint, file=label, table="organisations", row=warn_row[0],
                           column=column, value="" if value is None else str(value))
        return warn

    def err(rownum: int, code: str, column: str, value: Any, message: str, hint: str) -> None:
        report.error(code, message, hint, file=label, table="organisations", row=rownum, column=column,
                     value="" if value is None else str(value))

    bar = RowProgress(progress, raw.total, "cordis")
    n_rows = 0
    try:
        for rownum, cells in raw.rows:
            bar.update()
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            n_rows += 1
            warn_row[0] = rownum
            text = {k: clean_text(cols.get(cells, *keys), warner(keys[0], cols.get(cells, *keys)))
                    for k, keys in (("pid", ("projectid",)), ("acronym", ("projectacronym",)),
                                    ("oid", _ORG_ID_KEYS), ("name", ("name",)), ("short", ("shortname",)),
                                    ("activity", ("activitytype",)), ("city", ("city",)),
                                    ("country", ("country",)), ("role", ("role",)),
                                    ("url", ("organizationurl", "organisationurl")))}
            ok = True
            for k, col in (("pid", "projectID"), ("oid", "organisationID"), ("name", "name")):
                if not text[k]:
                    err(rownum, "required", col, "", f"{col} is required", f"fill in {col}")
                    ok = False
            activity = ACTIVITY_TYPES.get(text["activity"].lower()) if text["activity"] else "other"
            if activity is None:
                err(rownum, "unknown-value", "activityType", text["activity"], "unknown activityType",
                    "use one of: HES, REC, PRC, PUB, OTH")
                ok = False
            role = ROLES.get(text["role"].lower().replace(" ", "").replace("_", "")) if text["role"] else "partner"
            if role is None:
                err(rownum, "unknown-value", "role", text["role"], "unknown CORDIS role",
                    "use one of: coordinator, participant, partner, thirdParty, internationalPartner, "
                    "associatedPartner")
                ok = False
            country = ""
            if text["country"]:
                country = country_code(text["country"]) or ""
                if not country:
                    err(rownum, "unknown-country", "country", text["country"], "unknown country",
                        "use an ISO code (EL and UK are accepted)")
                    ok = False
            amount = None
            for col, keys in (("ecContribution", ("eccontribution",)),
                              ("netEcContribution", ("neteccontribution",))):
                raw_amount = cols.get(cells, *keys)
                if raw_amount is None or (isinstance(raw_amount, str) and not raw_amount.strip()):
                    continue
                try:
                    amount = parse_amount(raw_amount if not isinstance(raw_amount, str) else raw_amount.strip(),
                                          decimal="either")
                except CellError as e:
                    err(rownum, e.code, col, raw_amount, e.message, e.hint)
                    ok = False
                break
            if not ok:
                continue
            pid, oid = text["pid"], text["oid"]
            actor_id, project_id = f"cordis-org-{oid}", f"cordis-{pid}"
            if oid not in seen_orgs:
                seen_orgs.add(oid)
                aliases = (text["short"],) if text["short"] and text["short"] != text["name"] else ()
                _append(actors, rownum, id=actor_id, name=text["name"], aliases=aliases, type=activity,
                        country=country, city=text["city"], scope="", website=text["url"], source="CORDIS",
                        section=f"organisation {oid}")
            if pid not in project_rows:
                project_rows[pid] = rownum
                contributions[pid] = []
                proj = projects.get(pid)
                if proj is not None:
                    _append(partnerships, proj["row"], id=project_id, name=proj["title"] or proj["acronym"]
                            or text["acronym"] or pid, kind="project", code=proj["acronym"] or text["acronym"],
                            level="european", start_year=proj["start"], end_year=proj["end"], source="CORDIS",
                            section=f"project {pid}")
                    partnerships.files.append(projects_path.name)  # type: ignore[union-attr]
                else:
                    _append(partnerships, rownum, id=project_id, name=text["acronym"] or pid, kind="project",
                            code=text["acronym"], level="european", start_year=None, end_year=None,
                            source="CORDIS", section=f"project {pid}")
                    partnerships.files.append(label)  # type: ignore[union-attr]
            if (actor_id, project_id) not in members:
                members.add((actor_id, project_id))
                _append(memberships, rownum, actor_id=actor_id, partnership_id=project_id, role=role,
                        source="CORDIS", section=f"project {pid}")
                if amount is not None:
                    contributions[pid].append(amount)
    except FileProblem as e:
        report.error(e.code, e.message, e.hint, file=label, table="organisations", row=e.row)
    finally:
        bar.close()
        raw.close()
    if n_rows == 0:
        report.error("no-records", "the organisations file has a header but no rows",
                     "give a CORDIS export with participants", file=label, row=1)
    missing_projects = [p for p in project_rows if projects_path is not None and p not in projects]
    if missing_projects:
        report.warning("cordis-missing-project", f"{len(missing_projects)} project(s) of the organisations file are "
                       f"not in the projects file (first: {missing_projects[0]}); their name is their acronym",
                       "use the projects file of the same export", file=label, row=project_rows[missing_projects[0]])
    fallback = _fallback_programme(path, orgs_path, projects, programme, report, project_rows, label)
    for pid, first_row in project_rows.items():
        proj = projects.get(pid, {})
        amounts = contributions[pid]
        amount = sum(amounts) if amounts else proj.get("max")
        _append(funding, first_row, funder_id=FUNDER_ID, recipient_id=f"cordis-{pid}",
                programme=proj.get("programme") or fallback, amount=amount, currency="EUR",
                start_year=proj.get("start"), end_year=proj.get("end"), source="CORDIS", section=f"project {pid}")
    if project_rows:
        _append(actors, 0, id=FUNDER_ID, name="European Commission", aliases=("EC",), type="eu_institution",
                country="", city="", scope="european", website="https://commission.europa.eu", source="CORDIS",
                section="funder of the projects")
    return {"actors": actors, "partnerships": partnerships, "memberships": memberships, "funding": funding}


def _fallback_programme(path: Path, orgs_path: Path, projects: dict[str, dict[str, Any]], programme: str | None,
                        report: Report, project_rows: dict[str, int], label: str) -> str:
    if programme:
        return programme
    if project_rows and all(projects.get(p, {}).get("programme") for p in project_rows):
        return ""
    guess = _programme_from_path(orgs_path) or _programme_from_path(orgs_path.parent) or _programme_from_path(path)
    if guess:
        report.warning("cordis-programme-guessed", f"the framework programme is not in the files; {guess!r} was "
                       "taken from the file name", "add the projects file, or give the programme (--programme)",
                       file=label)
        return guess
    report.warning("cordis-programme-assumed", "the framework programme is not in the files; 'Horizon 2020' is "
                   "assumed", "add the projects file, or give the programme (--programme)", file=label)
    return "Horizon 2020"


def _append(t: ParsedTable, row: int, **values: Any) -> None:
    t.rows.append(row)
    for k, v in values.items():
        t.values[k].append(v)


def _read_projects(path: Path, report: Report, out: dict[str, dict[str, Any]]) -> None:
    label = path.name
    try:
        raw = _open(path, label, PROJECT_COLUMNS)
    except FileProblem as e:
        report.error(e.code, e.message, e.hint, file=label, table="projects", row=e.row)
        return
    for code, message, hint in raw.notes:
        report.warning(code, message, hint, file=label)
    cols = _Columns(raw)

    def ignore(*_: Any) -> None:
        return None

    try:
        for rownum, cells in raw.rows:
            pid = clean_text(cols.get(cells, "id"), ignore)
            if not pid:
                continue
            max_raw = cols.get(cells, "ecmaxcontribution")
            amount = None
            if max_raw is not None:
                try:
                    amount = parse_amount(max_raw if not isinstance(max_raw, str) else max_raw.strip(),
                                          decimal="either")
                except CellError as e:
                    report.error(e.code, e.message, e.hint, file=label, table="projects", row=rownum,
                                 column="ecMaxContribution", value=str(max_raw))
            fp = clean_text(cols.get(cells, "frameworkprogramme"), ignore)
            start, end = _year(cols.get(cells, "startdate")), _year(cols.get(cells, "enddate"))
            if start is not None and end is not None and end < start:
                report.error("year-order", f"endDate {end} is before startDate {start}", "correct the dates",
                             file=label, table="projects", row=rownum, column="endDate")
                end = None
            out.setdefault(pid, {
                "row": rownum, "acronym": clean_text(cols.get(cells, "acronym"), ignore),
                "title": clean_text(cols.get(cells, "title"), ignore)[:5000],
                "start": start, "end": end, "max": amount,
                "programme": PROGRAMMES.get(fp.lower(), fp) if fp else "",
            })
    except FileProblem as e:
        report.error(e.code, e.message, e.hint, file=label, table="projects", row=e.row)
    finally:
        raw.close()

