"""Exports of the country co-participation network: GEXF/GraphML of the network, CSV/XLSX of its tables.

The same safety as `analysis.export`: XML text stripped of characters XML cannot hold, spreadsheet
cells that would run as formulas neutralised (`analysis.export.neutralise`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pandas as pd

from analysis.export import _neutralised, _parent, _xlsx_value, xml_safe
from graph.errors import PartnetError

__all__ = ["COUNTRY_EXPORTS", "country_export_graph", "export_country_network"]

#: File endings `export_country_network` writes.
COUNTRY_EXPORTS: tuple[str, ...] = (".gexf", ".graphml", ".csv", ".xlsx")


def country_export_graph(g: nx.MultiDiGraph, *, weight: str = "participations",
                         only: str | Iterable[str] | None = None, backbone: float | None = None) -> nx.Graph:
    """The country network (`analysis.countries.country_network`) ready for GEXF/GraphML.

    Nodes carry ``label`` (the code) and the columns of `analysis.countries.country_table`; edges
    the three weights, ``weight`` and ``distance``, plus ``disparity_p`` with a ``backbone`` level
    (then only the backbone's ties are kept, every country stays).
    """
    from analysis.countries import country_network, country_table

    net = country_network(g, weight, only=only)
    if backbone is not None:
        from analysis.backbone import backbone as disparity_backbone

        net = disparity_backbone(net, backbone)
    table = country_table(g, weight, only=only).set_index("country")
    out = nx.Graph()
    for c in sorted(net):
        row = {k: (v.item() if hasattr(v, "item") else v) for k, v in table.loc[c].items()}
        out.add_node(xml_safe(c), label=xml_safe(c), **row)
    for u, v, d in net.edges(data=True):
        out.add_edge(xml_safe(u), xml_safe(v), **{k: float(x) for k, x in d.items()})
    return out


def export_country_network(g: nx.MultiDiGraph, path: str | Path, *, weight: str = "participations",
                           only: str | Iterable[str] | None = None, backbone: float | None = None) -> list[Path]:
    """Write the country network to ``path``, the format chosen by its ending; return the files written.

    ``.gexf`` (Gephi) and ``.graphml`` write `country_export_graph`; ``.csv`` writes the country
    table to ``path`` and the pairs to ``<stem>-pairs.csv`` beside it; ``.xlsx`` one workbook with
    the sheets ``countries`` and ``pairs``. ``backbone`` (a significance level) keeps only the
    disparity-filter backbone's pairs.
    """
    from analysis.countries import country_edges, country_table

    path = Path(path)
    ending = path.suffix.lower()
    if ending not in COUNTRY_EXPORTS:
        raise PartnetError(f"cannot tell the export format of {path.name!r}",
                           hint=f"end the file name with one of {', '.join(COUNTRY_EXPORTS)}")
    _parent(path)
    if ending in (".gexf", ".graphml"):
        h = country_export_graph(g, weight=weight, only=only, backbone=backbone)
        (nx.write_gexf if ending == ".gexf" else nx.write_graphml)(h, path)
        return [path]
    table = country_table(g, weight, only=only)
    if backbone is None:
        pairs = country_edges(g, weight, only=only)
    else:
        from analysis.backbone import country_backbone_edges

        pairs = country_backbone_edges(g, backbone, weight=weight, only=only)
    if ending == ".csv":
        pairs_path = path.with_name(f"{path.stem}-pairs.csv")
        for df, p in ((table, path), (pairs, pairs_path)):
            _neutralised(df).to_csv(p, index=False, encoding="utf-8", lineterminator="\r\n")
        return [path, pairs_path]
    _write_xlsx(path, {"countries": table, "pairs": pairs})
    return [path]


def _write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name)
        ws.append([str(c) for c in df.columns])
        for row in _neutralised(df).itertuples(index=False, name=None):
            ws.append([_xlsx_value(v) for v in row])
    wb.save(path)
