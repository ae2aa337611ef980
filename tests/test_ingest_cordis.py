"""The CORDIS project-participant importer on irregular files written here after the published layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_support import snapshot

from ingest import ValidationError, detect_format, ingest, load

ORG_HEADER = ("projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;postCode;"
              "city;country;nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;rcn;order;role;"
              "ecContribution;netEcContribution;totalCost;endOfParticipation;active")


def org_row(pid, acr, oid, name, short, activity, city, country, role, ec, net="", total="", url=""):
    cells = [pid, acr, oid, "", name, short, "false", activity, "", "", city, country, "", "", url, "", "2021-03-01",
             "1", "1", role, ec, net, total, "false", "true"]
    return ";".join(f'"{c}"' if (";" in c or "\n" in c or '"' in c) else c for c in cells)


def write_semicolon_export(folder: Path, *, with_projects: bool = True, encoding: str = "utf-8-sig") -> Path:
    """The irregular export: BOM, semicolons, quoted fields with ';' and a line break, decimal commas, empty
    contributions, EL and UK, a repeated organisation, a third party."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        ORG_HEADER,
        org_row("101001", "MIGRALAB", "999001", "UNIVERSITEIT VAN AMSTERDAM", "UvA", "HES", "Amsterdam", "NL",
                "coordinator", "250000,5", "250000,5", "300000", "http://www.uva.nl"),
        org_row("101001", "MIGRALAB", "999002", "ETHNIKO KENTRO; KOINONIKON EREVNON", "EKKE", "REC", "Athina", "EL",
                "participant", "120000", "", ""),
        org_row("101001", "MIGRALAB", "999003", "UNITE THE UNION\nLONDON REGION", "", "OTH", "London", "UK", "partner",
                "", "", ""),
        org_row("101001", "MIGRALAB", "999004", "STAD GENT", "", "PUB", "Gent", "BE", "thirdParty", "", "", ""),
        org_row("101002", "INCLUDE", "999001", "UNIVERSITEIT VAN AMSTERDAM", "UvA", "HES", "Amsterdam", "NL",
                "participant", "1000,75", "", ""),
        org_row("101002", "INCLUDE", "999005", "SOCIÉTÉ COOPÉRATIVE DE L'ÉCONOMIE", "SCE", "PRC", "Lyon", "FR",
                "coordinator", "99999", "", ""),
        org_row("101002", "INCLUDE", "999006", "INTERNATIONAL LABOUR ORGANIZATION", "ILO", "OTH", "Genève", "CH",
                "internationalPartner", "", "", ""),
    ]
    (folder / "organization.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    if with_projects:
        (folder / "project.csv").write_text(
            "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;frameworkProgramme\n"
            '101001;MIGRALAB;SIGNED;"Migration lab; inclusion at work";2021-01-01;2024-12-31;500000;"370000,5";'
            "H2020-EU.3.6.;H2020\n"
            "101002;INCLUDE;SIGNED;Inclusive labour markets;2022-03-01;2025-02-28;200000;150000;HORIZON.2.2;HORIZON\n"
            "101999;UNRELATED;SIGNED;Not in the organisations file;2020-01-01;2021-01-01;1;1;x;H2020\n",
            encoding="utf-8")
    return folder


def test_detected_by_header_and_mapped(tmp_path):
    folder = write_semicolon_export(tmp_path / "cordis")
    assert detect_format(folder) == "cordis"
    assert detect_format(folder / "organization.csv") == "cordis"
    result = load(folder)
    assert result.format == "cordis"
    assert result.report.ok, result.report.format_text()
    # the quoted line break is flattened, with a warning naming the cell
    assert [(w.code, w.row, w.column) for w in result.report.warnings] == [("line-break-in-cell", 4, "name")]
    ds = result.dataset
    actors = {a.id: a for a in ds.actors}
    assert set(actors) == {"cordis-org-999001", "cordis-org-999002", "cordis-org-999003", "cordis-org-999004",
                           "cordis-org-999005", "cordis-org-999006", "european-commission"}
    assert (actors["cordis-org-999001"].type, actors["cordis-org-999001"].country) == ("research", "NL")
    assert actors["cordis-org-999001"].aliases == ("UvA",)
    assert actors["cordis-org-999001"].website == "http://www.uva.nl"
    assert (actors["cordis-org-999002"].type, actors["cordis-org-999002"].country) == ("research", "GR")
    assert actors["cordis-org-999002"].name == "ETHNIKO KENTRO; KOINONIKON EREVNON"
    assert (actors["cordis-org-999003"].type, actors["cordis-org-999003"].country) == ("other", "GB")
    assert actors["cordis-org-999003"].name == "UNITE THE UNION LONDON REGION"
    assert actors["cordis-org-999004"].type == "public_agency"
    assert actors["cordis-org-999005"].type == "employer"
    assert actors["cordis-org-999005"].name == "SOCIÉTÉ COOPÉRATIVE DE L'ÉCONOMIE"
    assert actors["european-commission"].type == "eu_institution"
    parts = {p.id: p for p in ds.partnerships}
    assert set(parts) == {"cordis-101001", "cordis-101002"}  # the unrelated project is skipped
    p = parts["cordis-101001"]
    assert (p.name, p.kind, p.code, p.level, p.start_year, p.end_year) == (
        "Migration lab; inclusion at work", "project", "MIGRALAB", "european", 2021, 2024)
    roles = {(m.actor_id, m.partnership_id): m.role for m in ds.memberships}
    assert roles == {
        ("cordis-org-999001", "cordis-101001"): "lead", ("cordis-org-999002", "cordis-101001"): "partner",
        ("cordis-org-999003", "cordis-101001"): "associate", ("cordis-org-999004", "cordis-101001"): "associate",
        ("cordis-org-999001", "cordis-101002"): "partner", ("cordis-org-999005", "cordis-101002"): "lead",
        ("cordis-org-999006", "cordis-101002"): "partner"}
    funding = {f.recipient_id: f for f in ds.funding}
    assert all(f.funder_id == "european-commission" and f.currency == "EUR" for f in ds.funding)
    assert funding["cordis-101001"].amount == pytest.approx(370000.5)  # 250000,5 + 120000 (empty ones skipped)
    assert funding["cordis-101001"].programme == "Horizon 2020"
    assert funding["cordis-101002"].amount == pytest.approx(100999.75)
    assert funding["cordis-101002"].programme == "Horizon Europe"
    assert (funding["cordis-101002"].start_year, funding["cordis-101002"].end_year) == (2022, 2025)


def test_comma_delimited_cp1252_file_without_projects(tmp_path):
    folder = tmp_path / "h2020-export"
    folder.mkdir()
    (folder / "organization.csv").write_bytes((
        "projectID,projectAcronym,organisationID,name,shortName,activityType,city,country,role,ecContribution,"
        "netEcContribution,totalCost\n"
        '900001,COOP,888001,"Fédération des coopératives, Wallonie",FEBECOOP,OTH,Bruxelles,BE,coordinator,'
        '"1234.5",,\n'
        "900001,COOP,888002,Cámara de Comercio,,PRC,Madrid,ES,participant,,,\n"
        "900002,SOLO,888001,\"Fédération des coopératives, Wallonie\",FEBECOOP,OTH,Bruxelles,BE,coordinator,"
        "20000.25,20000.25,\n").encode("cp1252"))
    result = load(folder / "organization.csv")
    assert result.format == "cordis" and result.report.ok, result.report.format_text()
    codes = sorted(w.code for w in result.report.warnings)
    assert codes == ["cordis-programme-guessed", "encoding-fallback"]
    assert {f.programme for f in result.dataset.funding} == {"Horizon 2020"}  # from the folder name
    assert {p.id: p.name for p in result.dataset.partnerships} == {"cordis-900001": "COOP", "cordis-900002": "SOLO"}
    funding = {f.recipient_id: f.amount for f in result.dataset.funding}
    assert funding == {"cordis-900001": 1234.5, "cordis-900002": 20000.25}
    assert next(a for a in result.dataset.actors if a.id == "cordis-org-888001").name == \
        "Fédération des coopératives, Wallonie"


def test_programme_given_or_assumed(tmp_path):
    folder = write_semicolon_export(tmp_path / "export", with_projects=False)
    result = load(folder)
    (w,) = [w for w in result.report.warnings if w.code != "line-break-in-cell"]
    assert w.code == "cordis-programme-assumed" and "Horizon 2020" in w.message
    assert {f.programme for f in result.dataset.funding} == {"Horizon 2020"}
    given = load(folder, format="cordis", programme="Horizon Europe")
    assert [w.code for w in given.report.warnings] == ["line-break-in-cell"]
    assert {f.programme for f in given.dataset.funding} == {"Horizon Europe"}
    # without a projects file, the partnership is named by its acronym and has no years
    assert {p.name for p in result.dataset.partnerships} == {"MIGRALAB", "INCLUDE"}


def test_cordis_workbook(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["projectID", "projectAcronym", "organisationID", "name", "activityType", "country", "role",
               "ecContribution"])
    ws.append([101001, "MIGRALAB", 999001, "UNIVERSITEIT VAN AMSTERDAM", "HES", "NL", "coordinator", 250000.5])
    ws.append([101001, "MIGRALAB", 999002, "EKKE", "REC", "EL", "participant", None])
    wb.save(tmp_path / "organization.xlsx")
    result = load(tmp_path / "organization.xlsx", programme="FP7")
    assert result.format == "cordis" and result.report.ok, result.report.format_text()
    assert {a.id for a in result.dataset.actors} == {"cordis-org-999001", "cordis-org-999002", "european-commission"}
    assert result.dataset.funding[0].amount == 250000.5 and result.dataset.funding[0].programme == "FP7"


def test_bad_cordis_rows_are_reported_with_row_and_column(store, small_dataset, tmp_path):
    store.write(small_dataset)
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "organization.csv").write_text(
        "projectID;projectAcronym;organisationID;name;activityType;country;role;ecContribution\n"
        "1;A;10;Org one;XYZ;FR;coordinator;100\n"
        "1;A;11;Org two;REC;Atlantis;participant;100\n"
        "1;A;12;Org three;REC;FR;boss;100\n"
        "1;A;;Org four;REC;FR;participant;100\n"
        "1;A;14;Org five;REC;FR;participant;abc\n"
        "1;A;15;Org six;REC;FR;participant;-3\n", encoding="utf-8")
    before = snapshot(store)
    with pytest.raises(ValidationError) as e:
        ingest(folder, store)
    found = {(p.code, p.row, p.column) for p in e.value.report.errors}
    assert found == {("unknown-value", 2, "activityType"), ("unknown-country", 3, "country"),
                     ("unknown-value", 4, "role"), ("required", 5, "organisationID"),
                     ("bad-amount", 6, "ecContribution"), ("negative-amount", 7, "ecContribution")}
    assert all(p.file == "organization.csv" and p.hint for p in e.value.report.errors)
    assert snapshot(store) == before


def test_not_a_cordis_file(tmp_path):
    (tmp_path / "organization.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = load(tmp_path / "organization.csv", format="cordis")
    assert [p.code for p in result.report.errors] == ["missing-column"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert [p.code for p in load(empty, format="cordis").report.errors] == ["missing-table"]


def test_cordis_ingest_into_both_stores_is_idempotent(store, tmp_path):
    folder = write_semicolon_export(tmp_path / "cordis")
    first = ingest(folder, store)
    assert first.written == {"actors": 7, "partnerships": 2, "memberships": 7, "funding": 2, "links": 0}
    state = snapshot(store)
    ingest(folder, store)
    assert snapshot(store) == state
    g = store.read_graph()
    assert g.edges["european-commission", "cordis-101002", "FUNDS:Horizon Europe"]["amount"] == pytest.approx(100999.75)
