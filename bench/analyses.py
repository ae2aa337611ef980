"""Analysis benchmarks: the sparse projection against networkx, exact against sampled betweenness, and
the whole analysis suite (`bench.suite`) in a subprocess of its own (wall and CPU time, peak RSS).

Driven by bench/run.py (see its docstring for what is reported); the suite's subprocess is
``bench/run.py --suite-child N``, which runs `suite_child`.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._timing import _now

__all__ = ["bench_betweenness", "bench_projection", "bench_suite", "suite_child"]

ROOT = Path(__file__).resolve().parents[1]
RUN_SCRIPT = Path(__file__).resolve().with_name("run.py")  # the driver; its --suite-child runs `suite_child`


def bench_projection(g: Any, nx_max_actors: int) -> dict:
    """partnet's sparse projection vs networkx's weighted_projected_graph on the same bipartite graph."""
    import networkx as nx
    import scipy.sparse as sp

    from analysis.projection import actor_projection, bipartite_graph, incidence_matrix

    t0 = _now()
    proj = actor_projection(g)
    t_ours = _now() - t0
    # the sparse core alone: incidence matrix and the upper triangle of B Bᵀ (shared counts), no graph built
    t0 = _now()
    b, _, _ = incidence_matrix(g)
    core = sp.triu(b @ b.T, k=1).tocoo()
    t_core = _now() - t0
    out: dict[str, Any] = {"partnet_s": t_ours, "partnet_core_s": t_core, "core_pairs": int(core.nnz),
                           "nodes": proj.number_of_nodes(), "edges": proj.number_of_edges()}
    n_actors = sum(1 for _, d in g.nodes(data=True) if d.get("label") == "Actor")
    if n_actors > nx_max_actors:
        out["networkx"] = f"not run (> --nx-max-actors {nx_max_actors:,})"
        return out
    t0 = _now()
    b = bipartite_graph(g)
    out["bipartite_graph_s"] = _now() - t0
    actors = [n for n, d in b.nodes(data=True) if d["bipartite"] == 0]
    t0 = _now()
    ref = nx.bipartite.weighted_projected_graph(b, actors)
    t_nx = _now() - t0
    # the same ties with the same shared-partnership counts (links excluded from the comparison)
    ours = {frozenset((u, v)): d["shared"] for u, v, d in proj.edges(data=True) if d["shared"]}
    theirs = {frozenset((u, v)): d["weight"] for u, v, d in ref.edges(data=True)}
    out.update(networkx_s=t_nx, ratio=t_nx / t_ours, ratio_core=t_nx / t_core, same_edges_and_weights=ours == theirs)
    return out


def bench_betweenness(proj: Any, k: int | None) -> dict:
    """Exact against sampled betweenness (analysis.centrality.betweenness) on one projection."""
    import numpy as np
    from scipy.stats import spearmanr

    from analysis.centrality import DEFAULT_SAMPLE_SIZE, betweenness

    n = proj.number_of_nodes()
    kk = k or DEFAULT_SAMPLE_SIZE
    t0 = _now()
    exact, m_exact, _ = betweenness(proj, exact_max_nodes=n + 1)
    t_exact = _now() - t0
    t0 = _now()
    approx, m_approx, used = betweenness(proj, exact_max_nodes=0, k=min(kk, n - 1))
    t_approx = _now() - t0
    top = sorted(exact, key=lambda v: (-exact[v], str(v)))[:100]
    rho = float(spearmanr([exact[v] for v in top], [approx[v] for v in top]).statistic)
    top_s = set(sorted(approx, key=lambda v: (-approx[v], str(v)))[:100])
    return {"nodes": n, "edges": proj.number_of_edges(), "exact_s": t_exact, "sampled_s": t_approx,
            "sources": used, "methods": [m_exact, m_approx], "time_ratio": t_exact / t_approx,
            "spearman_top100": rho, "top100_overlap": len(top_s & set(top)) / max(1, len(top)),
            "max_rel_error_top100": float(np.max([abs(approx[v] - exact[v]) / exact[v] for v in top if exact[v]]
                                                 or [0.0]))}


# ----------------------------------------------------------------------------------------------
# The analysis suite, in a subprocess (peak RSS of that process only)
# ----------------------------------------------------------------------------------------------

def suite_child(n: int, seed: int, profile: str = "default") -> None:
    """Run in the subprocess: build the graph, run the suite, print one JSON line."""
    from bench.suite import run_suite
    from graph.convert import dataset_to_graph
    from synthetic import generate
    from synthetic.params import profile as profile_params

    t0 = _now()
    g = dataset_to_graph(generate(n, seed, profile_params(profile)))
    t_graph = _now() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    c0 = time.process_time()
    res = run_suite(g, on_step=lambda row: print("SUITE-STEP " + json.dumps(row), flush=True))
    res["cpu_s"] = time.process_time() - c0
    res["graph_build_s"] = t_graph
    res["rss_after_graph_mib"] = rss_before / 1024
    res["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("SUITE-RESULT " + json.dumps(res), flush=True)


def bench_suite(n: int, seed: int, timeout: float, profile: str = "default") -> dict:
    """The suite at ``n`` actors (generator profile ``profile``) in a fresh interpreter (so its peak RSS is its own)."""
    cmd = [sys.executable, str(RUN_SCRIPT), "--suite-child", str(n), "--seed", str(seed), "--profile", profile]
    t0 = _now()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # what it did so far: the steps it finished and its peak RSS (VmHWM) before it is stopped
        hwm = None
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
        except OSError:
            pass
        proc.kill()
        stdout, _ = proc.communicate()
        done = [json.loads(x[len("SUITE-STEP "):]) for x in stdout.splitlines() if x.startswith("SUITE-STEP ")]
        return {"status": f"timeout after {timeout:.0f} s", "wall_s": _now() - t0, "steps_done": done,
                "peak_rss_mib_so_far": hwm}
    for line in stdout.splitlines():
        if line.startswith("SUITE-RESULT "):
            res = json.loads(line[len("SUITE-RESULT "):])
            res["status"] = "ok" if all(s["status"] == "ok" for s in res["steps"]) else "partial"
            return res
    return {"status": "failed", "stderr": stderr[-2000:]}

