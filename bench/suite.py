"""The "whole analysis suite" the benchmark times: every analysis the dashboard, the report and
``partnet analyse`` run on a graph, in the order a full dashboard session computes them, each
sharing the one actor projection, centrality table and community partition as the dashboard does
(the graph is frozen, as the dashboard and the CLI freeze the graph they read from a store).

Steps whose module has not landed (ImportError) are reported as skipped, not hidden; a step that
raises is reported with its error and the suite goes on.
"""

from __future__ import annotations

import importlib
import time
import traceback
from collections.abc import Callable
from typing import Any

import networkx as nx

from analysis.memo import share

__all__ = ["METHOD_STEPS", "STEPS", "run_suite"]


def _m(name: str) -> Any:
    return importlib.import_module(f"analysis.{name}")


def _communities(ctx: dict) -> Any:
    mod = _m("communities")
    frame = mod.louvain(ctx["proj"])
    ctx["comm_frame"] = frame
    ctx["comm"] = _m("gaps").community_series(frame)
    return mod.community_summary(ctx["proj"], frame)


def _isolation(ctx: dict) -> Any:
    mod, g = _m("isolation"), ctx["g"]
    return (mod.isolation_summary(g), mod.isolated_actors(g, projection=ctx["proj"]), mod.components(g),
            mod.peripheral_actors(g), mod.single_member_only(g), mod.actors_without_partnership(g))


def _periods(ctx: dict) -> Any:
    return _m("periods").network_by_period(ctx["g"])


#: (name, function of the context dict). The context starts with ``g`` (the property graph).
STEPS: list[tuple[str, Callable[[dict], Any]]] = [
    ("projection", lambda c: c.__setitem__("proj", _m("projection").actor_projection(c["g"]))),
    ("centrality", lambda c: c.__setitem__("cent", _m("centrality").actor_centrality(c["proj"]))),
    ("communities", _communities),
    ("brokers", lambda c: (_m("brokers").articulation_points(c["proj"]), _m("brokers").bridges(c["proj"]),
                           _m("brokers").dependent_actors(c["proj"]), _m("brokers").structural_holes(c["proj"]))),
    ("isolation", _isolation),
    ("gaps", lambda c: (_m("gaps").family_presence(c["g"]), _m("gaps").partnerships_without_union(c["g"]),
                        _m("gaps").union_coverage_by_country(c["g"]), _m("gaps").countries_without_union(c["g"]),
                        _m("gaps").distance_to_union(c["g"], c["proj"]), _m("gaps").funded_without_union(c["g"]),
                        _m("gaps").check_rules(c["g"]),
                        _m("gaps").communities_without_union(c["g"], c["comm"]) if c.get("comm") is not None
                        else None)),
    ("funding", lambda c: ([_m("funding").funding_totals(c["g"], by) for by in
                            ("funder", "programme", "country", "family")],
                           _m("funding").funding_concentration(c["g"]), _m("funding").single_funder_dependence(c["g"]),
                           _m("funding").cofunding_network(c["g"]))),
    ("crossborder", lambda c: (_m("crossborder").cross_border_share(c["g"]),
                               _m("crossborder").country_tie_matrix(c["g"], c["proj"]),
                               _m("crossborder").country_summary(c["g"], c["proj"]),
                               _m("crossborder").countries_without_cross_border(c["g"], c["proj"]),
                               _m("crossborder").cross_border_actors(c["g"], c["proj"]))),
    ("periods", _periods),
    ("planner", lambda c: (_m("planner").plan_meeting(c["g"], ("community", "country", "family"),
                                                      communities=c.get("comm"), centrality=c.get("cent"),
                                                      projection=c["proj"]),
                           c.__setitem__("intro", _m("planner").suggest_introductions(
                               c["g"], communities=c.get("comm"), projection=c["proj"], top=10)))),
    ("headline", lambda c: c.__setitem__("findings", _m("headline").headline(
        c["g"], 10, projection=c["proj"], centrality=c.get("cent"), communities=c.get("comm")))),
    ("report", lambda c: _m("report").build_report(c["g"], top=10, communities=c.get("comm"),
                                                   findings=c.get("findings"), introductions=c.get("intro"))),
    ("export tables", lambda c: _m("export").actor_metrics(c["g"], communities=c.get("comm"), projection=c["proj"],
                                                           centrality=c.get("cent"))),
]


#: The network methods (issue 16) with the defaults of their commands (`partnet countries`, `backbone`,
#: `communities`, `cores`, `homophily`) and of the Cross-border page; `bench/methods.py` times them
#: one by one, with the other tie weights, the stable-tie graph and the stability figure besides.
METHOD_STEPS: list[tuple[str, Callable[[dict], Any]]] = [
    ("countries", lambda c: (_m("countries").country_table(c["g"]), _m("countries").country_edges(c["g"]))),
    ("backbone (newman, 0.05)", lambda c: _m("backbone").backbone_ties(
        _m("tie_weights").weighted_projection(c["g"], "newman"), 0.05)),
    ("leiden", lambda c: c.__setitem__("leiden", _m("leiden").leiden(c["proj"]))),
    ("leiden labels", lambda c: _m("leiden").labelled_communities(c["proj"], c["leiden"])),
    ("cores", lambda c: _m("cores").core_periphery(c["proj"])),
    ("homophily", lambda c: _m("homophily").homophily(c["proj"])),
]
STEPS += METHOD_STEPS


def run_suite(g: nx.MultiDiGraph, *, steps: list[tuple[str, Callable[[dict], Any]]] | None = None,
              on_step: Callable[[dict], None] | None = None) -> dict:
    """Run every step on ``g``; return ``{"total_s", "steps": [{name, seconds, status, error}]}``.

    ``on_step`` is called with each step's row as soon as it is done. ``status`` is ``ok``,
    ``skipped`` (the analysis module is not there yet) or ``error``. A step
    that depends on one that failed usually fails too; each failure is reported, none is hidden.
    """
    ctx: dict[str, Any] = {"g": g}
    rows = []
    t_all = time.perf_counter()
    share(g)  # as the dashboard and the CLI do: analyses then share one projection and one set of tables
    rows.append({"name": "share graph (freeze, gc)", "seconds": round(time.perf_counter() - t_all, 3), "status": "ok",
                 "error": ""})
    if on_step is not None:
        on_step(rows[-1])
    for name, fn in steps or STEPS:
        t0 = time.perf_counter()
        status, error = "ok", ""
        try:
            fn(ctx)
        except ModuleNotFoundError as e:
            if not (e.name or "").startswith("analysis"):
                raise
            status, error = "skipped", f"{e.name} not available"
        except Exception as e:  # noqa: BLE001 - reported, the suite goes on
            status, error = "error", f"{type(e).__name__}: {e}"[:300]
            error += " | " + traceback.format_exc(limit=-2).strip().splitlines()[-3].strip()[:200]
        rows.append({"name": name, "seconds": round(time.perf_counter() - t0, 3), "status": status, "error": error})
        if on_step is not None:
            on_step(rows[-1])
    return {"total_s": round(time.perf_counter() - t_all, 3), "steps": rows}
