"""Data: upload a workbook or a CSV zip, see the validation report, ingest it; download the report and exports."""

from __future__ import annotations

import streamlit as st

from dashboard import data_changes, state, tables, upload
from dashboard.limits import MAX_UPLOAD_MB

ctx = state.page(allow_empty=True)
st.title("Data")
st.caption(f"Reading {ctx.choice.describe()}.")

st.subheader("Load data")
if ctx.read_only:
    st.info("This dashboard runs in read-only mode (PARTNET_READ_ONLY): uploading and ingesting are disabled, "
            "and the store itself refuses writes.")
else:
    template = state.template_bytes()
    if template is not None:
        st.download_button("Download the import template (Excel)", template, file_name="partnet-template.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="data_template")
    st.write(f"Upload an Excel workbook (.xlsx, one sheet per table) or a zip of the CSV files (actors.csv, "
             f"partnerships.csv, memberships.csv, funding.csv, links.csv) — at most **{MAX_UPLOAD_MB} MB**. "
             "Zips are checked before anything is extracted (no paths outside the folder, no links, at most "
             "1,000 entries, no extreme compression).")
    up = st.file_uploader("Workbook or CSV zip", type=["xlsx", "zip"], key="data_upload",
                          max_upload_size=MAX_UPLOAD_MB)
    checked = upload.check(up.name, up.getvalue()) if up is not None else st.session_state.get("_upload_checked")
    if checked is not None:
        if checked.error:
            st.error(checked.error)
            if checked.hint:
                st.info(f"What to do: {checked.hint}")
        else:
            report = checked.report
            counts = checked.counts
            st.write(f"Read {checked.name}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
            if report.ok:
                st.success(f"No errors ({len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}).")
            else:
                st.error(f"{len(report.errors)} error{'s' if len(report.errors) != 1 else ''}: nothing can be "
                         "ingested until they are fixed.")
            frame = report.to_frame()
            if len(frame):
                tables.table(frame)
                tables.downloads(frame, "validation-report", "data_report")
            if report.ok:
                data_changes.preview_and_confirm(ctx, checked)

data_changes.datasets_section(ctx)

if not ctx.empty:
    st.subheader("Download")
    st.caption("Exports of the whole store; text that a spreadsheet would run as a formula is neutralised.")
    c = st.columns(5)
    c[0].download_button("HTML report", upload.report_html(ctx), file_name="partnet-report.html",
                         mime="text/html", key="data_html")
    c[1].download_button("Excel workbook", ctx.export_file("xlsx"), file_name="partnet.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="data_xlsx")
    c[2].download_button("CSV files (zip)", ctx.export_file("csv"), file_name="partnet-csv.zip",
                         mime="application/zip", key="data_csv")
    c[3].download_button("GEXF (Gephi)", ctx.export_file("gexf"), file_name="partnet.gexf",
                         mime="application/gexf+xml", key="data_gexf")
    c[4].download_button("GraphML", ctx.export_file("graphml"), file_name="partnet.graphml",
                         mime="application/graphml+xml", key="data_graphml")
