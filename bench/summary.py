"""The human-readable summary of a benchmark run: the table (`print_table`) and the budgets of the issue
with their verdicts (`BUDGETS`, `check_budgets`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["BUDGETS", "check_budgets", "print_table"]

BUDGETS = {
    "neo4j_ingest_100k_s": 60.0,
    "sqlite_ingest_100k_s": 15.0,
    "suite_100k_s": 60.0,
    "suite_100k_rss_gib": 4.0,
    "render_10k_s": 3.0,
    "neo4j_ratio": 30.0,
    "projection_ratio": 50.0,
    "betweenness_spearman": 0.95,
}


def _fmt(v: Any, spec: str = ".1f") -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    return format(v, spec)


def print_table(res: dict) -> None:
    """The human-readable summary of one run."""
    rows: list[tuple[str, ...]] = []
    for size in res["sizes"]:
        r = res["per_size"][str(size)]
        c = r["data"]
        rows.append((f"{size:,} actors", f"{int(c['actors']):,} actors, {int(c['partnerships']):,} partnerships, "
                     f"{int(c['memberships']):,} memberships, {int(c['records']):,} records", ""))
        rows.append(("  generate", f"{r['generate_s']:.1f} s", ""))
        s = r["sqlite"]
        rows.append(("  SQLite write", f"{s['write_s']:.1f} s ({s['write_cpu_s']:.1f} s CPU) = "
                     f"{s['records_per_s']:,.0f} rec/s",
                     f"read -> NetworkX {s['read_graph_s']:.1f} s"))
        n = r.get("neo4j")
        if isinstance(n, dict):
            cpu = f"{n['batched_client_cpu_s']:.1f} s client" + (
                f" + {n['batched_server_cpu_s']:.1f} s server" if n.get("batched_server_cpu_s") is not None else "")
            rows.append(("  Neo4j batched write", f"{n['batched_s']:.1f} s ({cpu} CPU) = "
                         f"{n['batched_records_per_s']:,.0f} rec/s ({n['mode']})",
                         f"read -> NetworkX {n['read_graph_s']:.1f} s"))
            rows.append(("  Neo4j naive (1 MERGE/tx)",
                         f"{n['naive_records_per_s']:,.0f} rec/s on {n['naive_records']:,} records"
                         + (" (extrapolated)" if n["naive_extrapolated"] else ""),
                         f"ratio {n['ratio']:.0f}x (same {n['naive_records']:,} records: "
                         f"{n['ratio_same_records']:.0f}x)"))
        else:
            rows.append(("  Neo4j", str(n), ""))
        p = r["projection"] if isinstance(r["projection"], dict) else {"partnet_s": float("nan"), "edges": 0,
                                                                          "networkx": str(r["projection"])}
        rows.append(("  projection", f"partnet {p['partnet_s']:.2f} s ({_fmt(p.get('partnet_core_s'), '.2f')} s "
                     f"sparse core), {p['edges']:,} ties",
                     f"networkx {_fmt(p.get('networkx_s'), '.1f')} s, ratio {_fmt(p.get('ratio'), '.0f')}x "
                     f"(to the sparse core: {_fmt(p.get('ratio_core'), '.0f')}x)"
                     if "networkx_s" in p else p.get("networkx", "")))
        su = r["suite"]
        if "total_s" in su:
            bad = [f"{x['name']}:{x['status']}" for x in su["steps"] if x["status"] != "ok"]
            slow = sorted(su["steps"], key=lambda x: -x["seconds"])[:3]
            rows.append(("  analysis suite", f"{su['total_s']:.1f} s wall, {su['cpu_s']:.1f} s CPU, "
                         f"peak RSS {su['peak_rss_mib'] / 1024:.2f} GiB",
                         "slowest " + ", ".join(f"{x['name']} {x['seconds']:.0f}s" for x in slow)
                         + (f"; not ok: {', '.join(bad)}" if bad else "")))
        else:
            done = su.get("steps_done") or []
            rows.append(("  analysis suite", f"{su.get('status', '?')}" + (
                f", peak RSS so far {su['peak_rss_mib_so_far'] / 1024:.2f} GiB" if su.get("peak_rss_mib_so_far")
                else ""), "done: " + ", ".join(f"{x['name']} {x['seconds']:.0f}s" for x in done) if done else ""))
        if "render" in r:
            rd = r["render"] if isinstance(r["render"], dict) else {"status": r["render"]}
            rows.append(("  network page", f"first render {_fmt(rd.get('cold_s'), '.1f')} s cold, "
                         f"{_fmt(rd.get('warm_s'), '.1f')} s warm", f"{rd.get('status')}; in the browser "
                         f"(vis-network build + draw) {_fmt(rd.get('cold_browser_draw_s'), '.2f')} s"))
    if isinstance(res.get("betweenness"), dict):
        b = res["betweenness"]
        rows.append((f"betweenness @ {b['nodes']:,} nodes", f"exact {b['exact_s']:.1f} s, sampled "
                     f"({b['sources']} sources) {b['sampled_s']:.1f} s, ratio {b['time_ratio']:.1f}x",
                     f"Spearman top-100 {b['spearman_top100']:.3f}, overlap {b['top100_overlap']:.2f}"))
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    print()
    for r in rows:
        print(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]}")
    if res.get("budgets"):
        print("\nbudgets:")
        for k, v in res["budgets"].items():
            print(f"  {k:<28} {v}")
    print(f"\nmachine: {res['machine']['cpus']} CPUs, load average at start {res['machine']['load_start']}, "
          f"at end {res['machine'].get('load_end')}")


def check_budgets(res: dict) -> dict:
    """Each budget of the issue: the measured value and met / missed (or not measured)."""
    out: dict[str, str] = {}
    big = res["per_size"].get("100000")
    ten = res["per_size"].get("10000")

    def verdict(value: float | None, limit: float, *, higher_is_better: bool = False, unit: str = "") -> str:
        if value is None:
            return "not measured"
        ok = value >= limit if higher_is_better else value <= limit
        return f"{value:.2f}{unit} ({'met' if ok else 'MISSED'}, {'>=' if higher_is_better else '<='} {limit}{unit})"

    if big:
        n = big.get("neo4j")
        out["neo4j ingest 100k"] = verdict(n["batched_s"], BUDGETS["neo4j_ingest_100k_s"], unit=" s") + \
            (f" [{n['mode']}]" if isinstance(n, dict) else "") if isinstance(n, dict) else "not measured"
        out["sqlite ingest 100k"] = verdict(big["sqlite"]["write_s"], BUDGETS["sqlite_ingest_100k_s"], unit=" s")
        su = big["suite"]
        out["analysis suite 100k time"] = verdict(su.get("total_s"), BUDGETS["suite_100k_s"], unit=" s") \
            if "total_s" in su else su.get("status", "not measured")
        if "peak_rss_mib" in su:
            out["analysis suite 100k memory"] = verdict(su["peak_rss_mib"] / 1024, BUDGETS["suite_100k_rss_gib"],
                                                        unit=" GiB")
        elif su.get("peak_rss_mib_so_far"):
            out["analysis suite 100k memory"] = (f"{su['peak_rss_mib_so_far'] / 1024:.2f} GiB when stopped "
                                                 f"({su.get('status')}; <= {BUDGETS['suite_100k_rss_gib']} GiB so far)")
        else:
            out["analysis suite 100k memory"] = "not measured"
    if ten and isinstance(ten.get("render"), dict):
        out["network page 10k (cold)"] = verdict(ten["render"].get("cold_s"), BUDGETS["render_10k_s"], unit=" s")
        out["network page 10k (warm)"] = verdict(ten["render"].get("warm_s"), BUDGETS["render_10k_s"], unit=" s")
    ratios = [r["neo4j"]["ratio"] for r in res["per_size"].values() if isinstance(r.get("neo4j"), dict)]
    if ratios:
        out["neo4j batched/naive ratio (min)"] = verdict(min(ratios), BUDGETS["neo4j_ratio"], higher_is_better=True)
    pr = [r["projection"]["ratio"] for r in res["per_size"].values()
          if isinstance(r["projection"], dict) and "ratio" in r["projection"]]
    if pr:
        out["projection ratio (largest size)"] = verdict(pr[-1], BUDGETS["projection_ratio"], higher_is_better=True)
    if isinstance(res.get("betweenness"), dict):
        out["betweenness Spearman top-100"] = verdict(res["betweenness"]["spearman_top100"],
                                                      BUDGETS["betweenness_spearman"], higher_is_better=True)
    return out
